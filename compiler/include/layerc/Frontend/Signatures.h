//===- Signatures.h - argument lists of .nn layers and functions -*- C++ -*-===//
//
// Every layer and function the language knows, with its torch.nn argument
// names, kinds and defaults, and the binding of a call's arguments to them
// (positional then keyword, as Python does) with clear errors.
//
//===----------------------------------------------------------------------===//
#ifndef LAYERC_FRONTEND_SIGNATURES_H
#define LAYERC_FRONTEND_SIGNATURES_H

#include "layerc/Frontend/AST.h"
#include "layerc/Frontend/Parser.h"
#include <map>

namespace layerc::frontend {

/// What an argument accepts.
enum class ArgKind {
  Value,    // a value's name (the operand of a function)
  Int,
  Float,    // a float or an integer
  Bool,
  String,
  Spatial,  // an int or a tuple of `rank` ints (kernel_size, stride, ...)
  Padding,  // Spatial, or "same" / "valid"
  Shape,    // an int or a tuple of ints (normalized_shape, dims)
  Operand,  // a value's name or a number (add, mul, ...)
  Values,   // a tuple of values' names (cat)
  OptionalInt,      // an integer or None
  OptionalFloat,    // a number or None (momentum)
  OptionalSpatial,  // Spatial or None (a pooling stride)
  OutputSize,       // an int, None, or a tuple of `rank` ints or Nones
};

struct Param {
  std::string name;
  ArgKind kind;
  std::optional<Expr> defaultValue;  // none: required
};

enum class OpKind {
  Conv, Linear, Relu, Sigmoid, LayerNorm, BatchNorm, GroupNorm, Flatten,
  Activation,   // nn.activation: `function` names it
  Identity,     // Identity, Dropout: the operand itself
  Arithmetic,   // add, sub, mul, div (`function`)
  Softmax,      // `function` softmax or log_softmax
  Pool,         // `function` max or avg
  AdaptivePool, // `function` max or avg
  Reshape, Permute, Transpose, Cat, Mean, Matmul, MultiheadAttention,
};

/// A layer class (`Conv2d`) or a function (`flatten`).
struct Signature {
  std::string name;
  OpKind op;
  bool isFunction;     // called as f(x, ...) rather than Layer(...)(x)
  int spatialRank;     // Conv/BatchNorm/pooling: 1, 2 or 3; else 0
  std::vector<Param> params;
  std::string function = "";  // which function of a family (see OpKind)
};

/// The signature of `name`, or null.
const Signature *lookupSignature(const std::string &name);

/// A call's arguments bound to a signature's parameters (defaults filled).
class BoundArguments {
public:
  const Expr &get(const std::string &name) const { return values.at(name); }
  int64_t getInt(const std::string &name) const { return get(name).intValue; }
  double getFloat(const std::string &name) const;
  bool getBool(const std::string &name) const { return get(name).boolValue; }
  const std::string &getString(const std::string &name) const {
    return get(name).text;
  }
  /// A Spatial argument as `rank` ints (an int is repeated).
  std::vector<int64_t> getSpatial(const std::string &name, int rank) const;
  /// A Shape argument as a list of ints.
  std::vector<int64_t> getShape(const std::string &name) const;
  /// True when the argument is None.
  bool isNone(const std::string &name) const {
    return get(name).kind == Expr::Kind::None;
  }
  /// Where the argument was written (the call's location for defaults).
  const Location &locationOf(const std::string &name) const {
    return values.at(name).loc;
  }
  /// The parameters the call wrote (not defaulted), in call order.
  const std::vector<std::string> &writtenArguments() const { return written; }

private:
  friend std::optional<BoundArguments>
  bindArguments(const Signature &, const Call &, const ErrorSink &);
  std::map<std::string, Expr> values;
  std::vector<std::string> written;
};

/// Binds `call`'s arguments to `signature`, checking count, duplicates,
/// unknown keywords and kinds; reports the first error through `sink`.
std::optional<BoundArguments> bindArguments(const Signature &signature,
                                            const Call &call,
                                            const ErrorSink &sink);

} // namespace layerc::frontend

#endif // LAYERC_FRONTEND_SIGNATURES_H
