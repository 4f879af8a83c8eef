//===- Lexer.h - tokens of the .nn language ---------------------*- C++ -*-===//
//
// Splits .nn text into tokens, each with its line:col. Newlines end a
// statement except inside open `(` or `[`, where they are skipped (line
// continuation). `#` starts a comment to the end of the line.
//
//===----------------------------------------------------------------------===//
#ifndef LAYERC_FRONTEND_LEXER_H
#define LAYERC_FRONTEND_LEXER_H

#include "layerc/Frontend/AST.h"
#include <string_view>
#include <vector>

namespace layerc::frontend {

enum class TokenKind {
  Name,     // conv1, layer1.0.conv1
  Integer,  // 64
  Float,    // 1e-5, 0.1
  String,   // "zeros", 'same'
  LParen, RParen, LBracket, RBracket,
  Comma, Equal, Colon, Plus, Minus, Star, SlashSlash,
  Newline,
  EndOfFile,
  Error,    // text holds the message
};

/// A readable name for messages: "',' ", "a name", "end of line".
const char *describe(TokenKind kind);

struct Token {
  TokenKind kind = TokenKind::EndOfFile;
  std::string text;  // spelling; for String the unquoted contents
  Location loc;
  int64_t intValue = 0;
  double floatValue = 0;
};

class Lexer {
public:
  Lexer(std::string_view source, std::shared_ptr<std::string> file)
      : source(source), file(std::move(file)) {}

  /// The next token; an Error token carries its message in `text`.
  Token next();

private:
  char peek(size_t ahead = 0) const {
    return pos + ahead < source.size() ? source[pos + ahead] : '\0';
  }
  void advance();
  Location here() const { return {file, line, col}; }
  Token make(TokenKind kind, Location loc, std::string text) const;
  Token lexName(Location loc);
  Token lexNumber(Location loc);
  Token lexString(Location loc);

  std::string_view source;
  std::shared_ptr<std::string> file;
  size_t pos = 0;
  unsigned line = 1, col = 1;
  std::vector<Token> open;        // open ( and [ : newlines inside are skipped
  bool lastWasNewline = true;     // collapse blank lines
};

} // namespace layerc::frontend

#endif // LAYERC_FRONTEND_LEXER_H
