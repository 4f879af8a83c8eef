//===- Lexer.cpp - tokens of the .nn language ----------------------------===//
#include "layerc/Frontend/Lexer.h"
#include <cctype>
#include <cerrno>
#include <cstdlib>

using namespace layerc::frontend;

const char *layerc::frontend::describe(TokenKind kind) {
  switch (kind) {
  case TokenKind::Name: return "a name";
  case TokenKind::Integer: return "an integer";
  case TokenKind::Float: return "a float";
  case TokenKind::String: return "a string";
  case TokenKind::LParen: return "'('";
  case TokenKind::RParen: return "')'";
  case TokenKind::LBracket: return "'['";
  case TokenKind::RBracket: return "']'";
  case TokenKind::Comma: return "','";
  case TokenKind::Equal: return "'='";
  case TokenKind::Colon: return "':'";
  case TokenKind::Plus: return "'+'";
  case TokenKind::Minus: return "'-'";
  case TokenKind::Star: return "'*'";
  case TokenKind::SlashSlash: return "'//'";
  case TokenKind::Newline: return "end of line";
  case TokenKind::EndOfFile: return "end of file";
  case TokenKind::Error: return "an invalid token";
  }
  return "a token";
}

/// Moves past one byte. Columns count characters: a UTF-8 continuation
/// byte does not start a new column.
void Lexer::advance() {
  unsigned char c = static_cast<unsigned char>(peek());
  if (c == '\n') {
    ++line;
    col = 1;
  } else if ((c & 0xC0) != 0x80) {
    ++col;
  }
  ++pos;
}

Token Lexer::make(TokenKind kind, Location loc, std::string text) const {
  Token token;
  token.kind = kind;
  token.loc = std::move(loc);
  token.text = std::move(text);
  return token;
}

static bool isNameStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
static bool isNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}
static bool isDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)); }

Token Lexer::next() {
  for (;;) {
    char c = peek();
    if (c == ' ' || c == '\t' || c == '\r') {
      advance();
    } else if (c == '#') {
      while (peek() != '\n' && peek() != '\0')
        advance();
    } else if (c == '\n' && (!open.empty() || lastWasNewline)) {
      advance(); // line continuation inside brackets, or a blank line
    } else {
      break;
    }
  }
  Location loc = here();
  char c = peek();
  if (pos >= source.size()) {
    if (!open.empty()) {
      Token unclosed = open.back();
      open.clear();
      return make(TokenKind::Error, unclosed.loc,
                  "'" + unclosed.text + "' is never closed");
    }
    if (!lastWasNewline) { // a last statement without a final newline
      lastWasNewline = true;
      return make(TokenKind::Newline, loc, "");
    }
    return make(TokenKind::EndOfFile, loc, "");
  }
  lastWasNewline = false;
  if (c == '\n') {
    advance();
    lastWasNewline = true;
    return make(TokenKind::Newline, loc, "\\n");
  }
  if (isNameStart(c))
    return lexName(loc);
  if (isDigit(c) || (c == '.' && isDigit(peek(1))))
    return lexNumber(loc);
  if (c == '"' || c == '\'')
    return lexString(loc);

  auto single = [&](TokenKind kind) {
    advance();
    return make(kind, loc, std::string(1, c));
  };
  switch (c) {
  case '(':
    open.push_back(single(TokenKind::LParen));
    return open.back();
  case '[':
    open.push_back(single(TokenKind::LBracket));
    return open.back();
  case ')':
  case ']':
    if (!open.empty())
      open.pop_back();
    return single(c == ')' ? TokenKind::RParen : TokenKind::RBracket);
  case ',': return single(TokenKind::Comma);
  case '=': return single(TokenKind::Equal);
  case ':': return single(TokenKind::Colon);
  case '+': return single(TokenKind::Plus);
  case '-': return single(TokenKind::Minus);
  case '*': return single(TokenKind::Star);
  case '/':
    if (peek(1) == '/') {
      advance();
      advance();
      return make(TokenKind::SlashSlash, loc, "//");
    }
    advance();
    return make(TokenKind::Error, loc,
                "'/' is not an integer operator; use '//' for division");
  default:
    break;
  }
  // An unexpected character: report it whole (a UTF-8 sequence is one char).
  size_t length = 1;
  unsigned char lead = static_cast<unsigned char>(c);
  if (lead >= 0xC0)
    length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  std::string spelling(source.substr(pos, length));
  for (size_t i = 0; i < length && pos < source.size(); ++i)
    advance();
  if (lead < 0x20 || lead == 0x7f)
    return make(TokenKind::Error, loc,
                "unexpected control character (code " + std::to_string(lead) +
                    ")");
  return make(TokenKind::Error, loc, "unexpected character '" + spelling + "'");
}

/// NAME := [A-Za-z_][A-Za-z0-9_]* ('.' [A-Za-z0-9_]+)*
Token Lexer::lexName(Location loc) {
  size_t start = pos;
  while (isNameChar(peek()))
    advance();
  while (peek() == '.' && isNameChar(peek(1))) {
    advance();
    while (isNameChar(peek()))
      advance();
  }
  return make(TokenKind::Name, loc, std::string(source.substr(start, pos - start)));
}

/// INTEGER := [0-9]+ ; FLOAT := [0-9]* '.' [0-9]* ([eE] [+-]? [0-9]+)? | [0-9]+ [eE] ...
Token Lexer::lexNumber(Location loc) {
  size_t start = pos;
  bool isFloat = false;
  while (isDigit(peek()))
    advance();
  if (peek() == '.' && !isNameStart(peek(1))) {
    isFloat = true;
    advance();
    while (isDigit(peek()))
      advance();
  }
  if ((peek() == 'e' || peek() == 'E') &&
      (isDigit(peek(1)) ||
       ((peek(1) == '+' || peek(1) == '-') && isDigit(peek(2))))) {
    isFloat = true;
    advance();
    if (peek() == '+' || peek() == '-')
      advance();
    while (isDigit(peek()))
      advance();
  }
  std::string text(source.substr(start, pos - start));
  if (isNameChar(peek())) {
    while (isNameChar(peek()))
      advance();
    return make(TokenKind::Error, loc,
                "invalid number '" + std::string(source.substr(start, pos - start)) +
                    "'");
  }
  Token token = make(isFloat ? TokenKind::Float : TokenKind::Integer, loc, text);
  errno = 0;
  if (isFloat) {
    token.floatValue = std::strtod(text.c_str(), nullptr);
  } else {
    token.intValue = std::strtoll(text.c_str(), nullptr, 10);
    if (errno == ERANGE)
      return make(TokenKind::Error, loc, "integer '" + text + "' is too large");
  }
  return token;
}

/// STRING := '"' [^"\n]* '"' | "'" [^'\n]* "'"
Token Lexer::lexString(Location loc) {
  char quote = peek();
  advance();
  size_t start = pos;
  while (peek() != quote) {
    if (peek() == '\n' || pos >= source.size())
      return make(TokenKind::Error, loc, "unterminated string");
    advance();
  }
  std::string text(source.substr(start, pos - start));
  advance();
  return make(TokenKind::String, loc, text);
}
