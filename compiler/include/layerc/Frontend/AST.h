//===- AST.h - syntax tree of a .nn model -----------------------*- C++ -*-===//
//
// The parser's output: statements exactly as written, every node with its
// source location. Integer expressions are already folded to integers; names
// are not resolved yet (MLIRGen does that).
//
//===----------------------------------------------------------------------===//
#ifndef LAYERC_FRONTEND_AST_H
#define LAYERC_FRONTEND_AST_H

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace layerc::frontend {

/// A position in a source file; line and col are 1-based.
struct Location {
  std::shared_ptr<std::string> file;
  unsigned line = 0;
  unsigned col = 0;
};

/// A literal or name in an argument list.
struct Expr {
  enum class Kind { Int, Float, String, Bool, Name, Tuple, None };
  Kind kind = Kind::Int;
  Location loc;
  int64_t intValue = 0;
  double floatValue = 0;
  std::string text;            // String contents, or a Name
  bool boolValue = false;
  std::vector<Expr> elements;  // Tuple
};

/// One argument of a call: positional (keyword empty) or `keyword=value`.
struct Argument {
  std::string keyword;
  Location loc;  // of the keyword, or of the value when positional
  Expr value;
};

/// `callee(arguments)`.
struct Call {
  std::string callee;
  Location loc;  // of the callee name
  std::vector<Argument> arguments;
};

/// `model NAME`
struct ModelStmt {
  std::string name;
  Location loc;         // of the name
  Location keywordLoc;  // of `model`: where the statement starts
};

/// One dim of an input: a fixed size or a size symbol.
struct InputDim {
  std::optional<int64_t> size;
  std::string symbol;
  Location loc;
};

/// `input NAME: DTYPE[D0, D1, ...]`
struct InputStmt {
  std::string name;
  Location loc;         // of the name
  Location keywordLoc;  // of `input`
  std::string dtype;
  Location dtypeLoc;
  std::vector<InputDim> dims;
};

/// `NAME = call` or `NAME = call(call)`: a layer created (and applied), a
/// declared layer applied, or a functional op.
struct AssignStmt {
  std::string name;
  Location loc;
  Call call;
  std::optional<Call> application;  // the second `(operand)`, if present
};

/// `output NAME [, NAME ...]`
struct OutputStmt {
  std::vector<std::pair<std::string, Location>> names;
  Location loc;
};

using Statement = std::variant<ModelStmt, InputStmt, AssignStmt, OutputStmt>;

struct Module {
  std::vector<Statement> statements;
};

} // namespace layerc::frontend

#endif // LAYERC_FRONTEND_AST_H
