//===- Parser.cpp - recursive-descent parser for .nn ---------------------===//
//
// See Parser.h for the grammar. Each parse function returns false after
// reporting an error; the first error ends the parse.
//
//===----------------------------------------------------------------------===//
#include "layerc/Frontend/Parser.h"
#include <climits>

using namespace layerc::frontend;

bool Parser::fail(const Location &loc, const std::string &message) {
  if (!failed)
    sink(loc, message);
  failed = true;
  return false;
}

std::string Parser::found() const {
  switch (token.kind) {
  case TokenKind::Name:
    return "'" + token.text + "'";
  case TokenKind::Integer:
  case TokenKind::Float:
    return "'" + token.text + "'";
  case TokenKind::String:
    return "string \"" + token.text + "\"";
  default:
    return describe(token.kind);
  }
}

bool Parser::expect(TokenKind kind, const char *context) {
  if (at(TokenKind::Error))
    return fail(token.text);
  if (!at(kind))
    return fail(std::string("expected ") + describe(kind) + " " + context +
                ", found " + found());
  consume();
  return true;
}

/// Expects the bracket that closes `opener`. When the statement ran on to
/// a later line, the mistake is the unclosed bracket: report it there.
bool Parser::expectClose(TokenKind kind, const Location &opener,
                         const char *context) {
  if (at(kind)) {
    consume();
    return true;
  }
  if (!at(TokenKind::Error) && token.loc.line > opener.line)
    return fail(opener, std::string(kind == TokenKind::RParen ? "'('" : "'['") +
                            " is never closed (found " + found() + " on line " +
                            std::to_string(token.loc.line) + ")");
  return expect(kind, context);
}

bool Parser::expectEndOfStatement() {
  if (at(TokenKind::Error))
    return fail(token.text);
  if (!at(TokenKind::Newline) && !at(TokenKind::EndOfFile))
    return fail("expected end of line after the statement, found " + found());
  consume();
  return true;
}

std::optional<Module> Parser::parse() {
  Module module;
  while (!at(TokenKind::EndOfFile)) {
    if (at(TokenKind::Newline)) {
      consume();
      continue;
    }
    bool ok;
    if (at(TokenKind::Error))
      ok = fail(token.text);
    else if (!at(TokenKind::Name))
      ok = fail("expected a statement ('model', 'input', 'output' or "
                "NAME = ...), found " + found());
    else if (token.text == "model")
      ok = parseModel(module);
    else if (token.text == "input")
      ok = parseInput(module);
    else if (token.text == "output")
      ok = parseOutput(module);
    else
      ok = parseAssign(module);
    if (!ok)
      return std::nullopt;
  }
  return module;
}

/// 'model' NAME
bool Parser::parseModel(Module &module) {
  Location keyword = token.loc;
  consume();
  ModelStmt stmt{token.text, token.loc, keyword};
  if (!expect(TokenKind::Name, "after 'model'"))
    return false;
  module.statements.push_back(std::move(stmt));
  return expectEndOfStatement();
}

/// 'input' NAME ':' DTYPE '[' dim (',' dim)* ','? ']'
bool Parser::parseInput(Module &module) {
  InputStmt stmt;
  stmt.keywordLoc = token.loc;
  consume();
  stmt.name = token.text;
  stmt.loc = token.loc;
  if (!expect(TokenKind::Name, "(the input's name) after 'input'") ||
      !expect(TokenKind::Colon, "after the input's name"))
    return false;
  stmt.dtype = token.text;
  stmt.dtypeLoc = token.loc;
  if (!expect(TokenKind::Name, "(a dtype such as f32) after ':'"))
    return false;
  Location bracket = token.loc;
  if (!expect(TokenKind::LBracket, "before the input's dims"))
    return false;
  while (!at(TokenKind::RBracket)) {
    InputDim dim;
    dim.loc = token.loc;
    if (at(TokenKind::Name)) {
      dim.symbol = token.text;
      consume();
    } else {
      Expr size;
      if (!parseIntExpr(size) || !requireInt(size, "an input dim"))
        return false;
      dim.size = size.intValue;
    }
    stmt.dims.push_back(std::move(dim));
    if (at(TokenKind::Comma))
      consume();
    else if (!at(TokenKind::RBracket))
      return expectClose(TokenKind::RBracket, bracket, "after the input's dims");
  }
  consume();
  module.statements.push_back(std::move(stmt));
  return expectEndOfStatement();
}

/// 'output' NAME (',' NAME)* ','?
bool Parser::parseOutput(Module &module) {
  OutputStmt stmt;
  stmt.loc = token.loc;
  consume();
  do {
    if (!stmt.names.empty()) {
      consume(); // ','
      if (at(TokenKind::Newline) || at(TokenKind::EndOfFile))
        break;
    }
    std::pair<std::string, Location> name{token.text, token.loc};
    if (!expect(TokenKind::Name, "(a value's name) in 'output'"))
      return false;
    stmt.names.push_back(std::move(name));
  } while (at(TokenKind::Comma));
  module.statements.push_back(std::move(stmt));
  return expectEndOfStatement();
}

/// NAME '=' NAME '(' arguments ')' ('(' arguments ')')?
bool Parser::parseAssign(Module &module) {
  AssignStmt stmt;
  stmt.name = token.text;
  stmt.loc = token.loc;
  consume();
  if (!expect(TokenKind::Equal, "after the name of a new value"))
    return false;
  stmt.call.callee = token.text;
  stmt.call.loc = token.loc;
  if (!expect(TokenKind::Name, "(a layer or function) after '='"))
    return false;
  Location opener = token.loc;
  if (!expect(TokenKind::LParen, "after the layer or function name") ||
      !parseArguments(stmt.call.arguments, opener))
    return false;
  if (at(TokenKind::LParen)) {
    Call application;
    application.loc = token.loc;
    consume();
    if (!parseArguments(application.arguments, application.loc))
      return false;
    stmt.application = std::move(application);
  }
  module.statements.push_back(std::move(stmt));
  return expectEndOfStatement();
}

/// A word as a value: the booleans (`true`/`True`, `false`/`False`),
/// `None`, else a name.
static Expr wordValue(const Token &word) {
  Expr value;
  value.loc = word.loc;
  if (word.text == "true" || word.text == "True" || word.text == "false" ||
      word.text == "False") {
    value.kind = Expr::Kind::Bool;
    value.boolValue = word.text[0] == 't' || word.text[0] == 'T';
  } else if (word.text == "None") {
    value.kind = Expr::Kind::None;
  } else {
    value.kind = Expr::Kind::Name;
    value.text = word.text;
  }
  return value;
}

/// arguments ')' — the opening '(' is consumed by the caller.
bool Parser::parseArguments(std::vector<Argument> &arguments,
                            const Location &opener) {
  while (!at(TokenKind::RParen)) {
    Argument argument;
    argument.loc = token.loc;
    if (at(TokenKind::Name)) {
      // Either `keyword=value` or a value that is a name.
      Token name = token;
      consume();
      if (at(TokenKind::Equal)) {
        consume();
        argument.keyword = name.text;
        if (!parseValue(argument.value))
          return false;
      } else {
        argument.value = wordValue(name);
      }
    } else if (!parseValue(argument.value)) {
      return false;
    }
    arguments.push_back(std::move(argument));
    if (at(TokenKind::Comma))
      consume();
    else if (!at(TokenKind::RParen))
      return expectClose(TokenKind::RParen, opener, "after the arguments");
  }
  consume();
  return true;
}

bool Parser::parseValue(Expr &value) { return parseIntExpr(value); }

bool Parser::requireInt(const Expr &value, const char *op) {
  if (value.kind == Expr::Kind::Int)
    return true;
  static const char *kinds[] = {"an integer", "a float", "a string",
                                "a boolean",  "a name",  "a tuple", "None"};
  return fail(value.loc, std::string(op) + " must be an integer, found " +
                             kinds[static_cast<int>(value.kind)]);
}

/// intExpr := term (('+' | '-') term)*
bool Parser::parseIntExpr(Expr &value) {
  if (!parseTerm(value))
    return false;
  while (at(TokenKind::Plus) || at(TokenKind::Minus)) {
    Token op = token;
    consume();
    Expr rhs;
    if (!requireInt(value, "the left operand of '+'/'-'") || !parseTerm(rhs) ||
        !requireInt(rhs, "the right operand of '+'/'-'"))
      return false;
    int64_t result;
    bool overflow = op.kind == TokenKind::Plus
                        ? __builtin_add_overflow(value.intValue, rhs.intValue, &result)
                        : __builtin_sub_overflow(value.intValue, rhs.intValue, &result);
    if (overflow)
      return fail(op.loc, "integer overflow in '" + op.text + "'");
    value.intValue = result;
  }
  return true;
}

/// term := unary (('*' | '//') unary)*
bool Parser::parseTerm(Expr &value) {
  if (!parseUnary(value))
    return false;
  while (at(TokenKind::Star) || at(TokenKind::SlashSlash)) {
    Token op = token;
    consume();
    Expr rhs;
    if (!requireInt(value, "the left operand of '*'/'//'") || !parseUnary(rhs) ||
        !requireInt(rhs, "the right operand of '*'/'//'"))
      return false;
    if (op.kind == TokenKind::Star) {
      if (__builtin_mul_overflow(value.intValue, rhs.intValue, &value.intValue))
        return fail(op.loc, "integer overflow in '*'");
    } else {
      if (rhs.intValue == 0)
        return fail(op.loc, "integer division by zero");
      if (rhs.intValue == -1 && value.intValue == INT64_MIN)
        return fail(op.loc, "integer overflow in '//'");
      int64_t q = value.intValue / rhs.intValue; // floor, as Python's //
      if ((value.intValue % rhs.intValue != 0) &&
          ((value.intValue < 0) != (rhs.intValue < 0)))
        --q;
      value.intValue = q;
    }
  }
  return true;
}

/// unary := '-' unary | INTEGER | FLOAT | STRING | NAME | '(' ... ')'
bool Parser::parseUnary(Expr &value) {
  if (nesting == kMaxNesting)
    return fail("expression nested more than " + std::to_string(kMaxNesting) +
                " levels deep (parentheses and unary '-')");
  struct Nested {
    int &depth;
    explicit Nested(int &depth) : depth(++depth) {}
    ~Nested() { --depth; }
  } nested(nesting);
  value.loc = token.loc;
  switch (token.kind) {
  case TokenKind::Minus: {
    Location loc = token.loc;
    consume();
    if (!parseUnary(value))
      return false;
    value.loc = loc;
    if (value.kind == Expr::Kind::Int) {
      if (value.intValue == INT64_MIN)
        return fail(loc, "integer overflow in '-'");
      value.intValue = -value.intValue;
    }
    else if (value.kind == Expr::Kind::Float)
      value.floatValue = -value.floatValue;
    else
      return fail(loc, "'-' needs a number");
    return true;
  }
  case TokenKind::Integer:
    value.kind = Expr::Kind::Int;
    value.intValue = token.intValue;
    consume();
    return true;
  case TokenKind::Float:
    value.kind = Expr::Kind::Float;
    value.floatValue = token.floatValue;
    consume();
    return true;
  case TokenKind::String:
    value.kind = Expr::Kind::String;
    value.text = token.text;
    consume();
    return true;
  case TokenKind::Name:
    value = wordValue(token);
    consume();
    return true;
  case TokenKind::LParen:
    return parseParenthesized(value);
  case TokenKind::Error:
    return fail(token.text);
  default:
    return fail("expected a value, found " + found());
  }
}

/// '(' ')' | '(' value ')' | '(' value ',' (value (',' value)* ','?)? ')'
bool Parser::parseParenthesized(Expr &value) {
  Location loc = token.loc;
  consume();
  value = Expr();
  value.loc = loc;
  value.kind = Expr::Kind::Tuple;
  if (at(TokenKind::RParen)) {
    consume();
    return true;
  }
  Expr first;
  if (!parseValue(first))
    return false;
  if (at(TokenKind::RParen)) { // a parenthesized value, not a tuple
    consume();
    value = std::move(first);
    return true;
  }
  value.elements.push_back(std::move(first));
  while (at(TokenKind::Comma)) {
    consume();
    if (at(TokenKind::RParen))
      break;
    Expr element;
    if (!parseValue(element))
      return false;
    value.elements.push_back(std::move(element));
  }
  return expectClose(TokenKind::RParen, loc, "to close the tuple");
}
