//===- Parser.h - recursive-descent parser for .nn --------------*- C++ -*-===//
//
// Grammar (one statement per line; newlines inside ( ) and [ ] are skipped):
///   module     := statement*
///   statement  := 'model' NAME
///              |  'input' NAME ':' NAME '[' dim (',' dim)* ','? ']'
///              |  NAME '=' call ('(' arguments ')')?
///              |  'output' NAME (',' NAME)* ','?
///   call       := NAME '(' arguments ')'
///   arguments  := (argument (',' argument)* ','?)?
///   argument   := (NAME '=')? value
///   value      := STRING | FLOAT | 'true' | 'false' | 'True' | 'False'
///              |  NAME | tuple | intExpr
///   tuple      := '(' ')' | '(' value ',' (value (',' value)* ','?)? ')'
///   intExpr    := term (('+' | '-') term)*
///   term       := unary (('*' | '//') unary)*
///   unary      := '-' unary | INTEGER | '(' intExpr ')'
///   dim        := intExpr | NAME
//
// The first error stops the parse: it is reported through the sink with its
// location, and parse() returns nothing.
//
//===----------------------------------------------------------------------===//
#ifndef LAYERC_FRONTEND_PARSER_H
#define LAYERC_FRONTEND_PARSER_H

#include "layerc/Frontend/AST.h"
#include "layerc/Frontend/Lexer.h"
#include <functional>

namespace layerc::frontend {

/// Receives a user error: where, and what.
using ErrorSink = std::function<void(const Location &, const std::string &)>;

class Parser {
public:
  Parser(Lexer lexer, ErrorSink sink) : lexer(std::move(lexer)), sink(std::move(sink)) {
    consume();
  }

  std::optional<Module> parse();

private:
  void consume() { token = lexer.next(); }
  bool at(TokenKind kind) const { return token.kind == kind; }
  bool atKeyword(const char *word) const {
    return at(TokenKind::Name) && token.text == word;
  }
  bool fail(const std::string &message) { return fail(token.loc, message); }
  bool fail(const Location &loc, const std::string &message);
  bool expect(TokenKind kind, const char *context);
  bool expectEndOfStatement();
  bool expectClose(TokenKind kind, const Location &opener, const char *context);
  std::string found() const;

  bool parseModel(Module &module);
  bool parseInput(Module &module);
  bool parseOutput(Module &module);
  bool parseAssign(Module &module);
  bool parseArguments(std::vector<Argument> &arguments, const Location &opener);
  bool parseValue(Expr &value);
  bool parseParenthesized(Expr &value);
  bool parseIntExpr(Expr &value);
  bool parseTerm(Expr &value);
  bool parseUnary(Expr &value);
  bool requireInt(const Expr &value, const char *op);

  Lexer lexer;
  ErrorSink sink;
  Token token;
  bool failed = false;
  /// How deep parseUnary is in '(' and unary '-': past kMaxNesting the
  /// input is an error instead of a stack overflow (found by fuzzing).
  static constexpr int kMaxNesting = 200;
  int nesting = 0;
};

} // namespace layerc::frontend

#endif // LAYERC_FRONTEND_PARSER_H
