//===- Signatures.cpp - argument lists of .nn layers and functions -------===//
//
// The table mirrors torch.nn (names, order, defaults). Binding follows
// Python's rules: positional arguments first, then keywords; each parameter
// receives one value.
//
//===----------------------------------------------------------------------===//
#include "layerc/Frontend/Signatures.h"
#include "llvm/ADT/STLExtras.h"

using namespace layerc::frontend;

namespace {
Expr makeInt(int64_t v) {
  Expr e;
  e.kind = Expr::Kind::Int;
  e.intValue = v;
  return e;
}
Expr makeFloat(double v) {
  Expr e;
  e.kind = Expr::Kind::Float;
  e.floatValue = v;
  return e;
}
Expr makeBool(bool v) {
  Expr e;
  e.kind = Expr::Kind::Bool;
  e.boolValue = v;
  return e;
}
Expr makeString(const char *v) {
  Expr e;
  e.kind = Expr::Kind::String;
  e.text = v;
  return e;
}
Expr makeNone() {
  Expr e;
  e.kind = Expr::Kind::None;
  return e;
}
Param required(const char *name, ArgKind kind) { return {name, kind, std::nullopt}; }
Param optional(const char *name, ArgKind kind, Expr value) {
  return {name, kind, std::move(value)};
}

/// The elementwise layers of torch.nn beyond ReLU and Sigmoid and their
/// torch.nn.functional twins (the same arguments after the input), and the
/// layers that are the identity at inference.
void addElementwise(std::vector<Signature> &table) {
  Param inplace = optional("inplace", ArgKind::Bool, makeBool(false));
  struct Twin {
    const char *layer, *function;
    std::vector<Param> params;
  };
  const Twin twins[] = {
      {"ReLU6", "relu6", {inplace}},
      {"LeakyReLU", "leaky_relu",
       {optional("negative_slope", ArgKind::Float, makeFloat(0.01)), inplace}},
      {"Hardtanh", "hardtanh",
       {optional("min_val", ArgKind::Float, makeFloat(-1.0)),
        optional("max_val", ArgKind::Float, makeFloat(1.0)), inplace}},
      {"Hardsigmoid", "hardsigmoid", {inplace}},
      {"Tanh", "tanh", {}},
      {"GELU", "gelu", {optional("approximate", ArgKind::String, makeString("none"))}},
      {"SiLU", "silu", {inplace}},
      {"Hardswish", "hardswish", {inplace}},
  };
  for (const Twin &twin : twins) {
    table.push_back({twin.layer, OpKind::Activation, false, 0, twin.params, twin.function});
    std::vector<Param> params{required("input", ArgKind::Value)};
    params.insert(params.end(), twin.params.begin(), twin.params.end());
    table.push_back({twin.function, OpKind::Activation, true, 0, params, twin.function});
  }
  table.push_back({"Identity", OpKind::Identity, false, 0, {}});
  for (const char *name : {"Dropout", "Dropout1d", "Dropout2d", "Dropout3d"})
    table.push_back({name, OpKind::Identity, false, 0,
                     {optional("p", ArgKind::Float, makeFloat(0.5)), inplace}});
}

/// MaxPool, AvgPool, AdaptiveAvgPool and AdaptiveMaxPool in 1 to 3 dims.
void addPoolingLayers(std::vector<Signature> &table) {
  for (int rank = 1; rank <= 3; ++rank) {
    std::string suffix = std::to_string(rank) + "d";
    table.push_back({"MaxPool" + suffix, OpKind::Pool, false, rank,
                     {required("kernel_size", ArgKind::Spatial),
                      optional("stride", ArgKind::OptionalSpatial, makeNone()),
                      optional("padding", ArgKind::Spatial, makeInt(0)),
                      optional("dilation", ArgKind::Spatial, makeInt(1)),
                      optional("return_indices", ArgKind::Bool, makeBool(false)),
                      optional("ceil_mode", ArgKind::Bool, makeBool(false))},
                     "max"});
    table.push_back({"AvgPool" + suffix, OpKind::Pool, false, rank,
                     {required("kernel_size", ArgKind::Spatial),
                      optional("stride", ArgKind::OptionalSpatial, makeNone()),
                      optional("padding", ArgKind::Spatial, makeInt(0)),
                      optional("ceil_mode", ArgKind::Bool, makeBool(false)),
                      optional("count_include_pad", ArgKind::Bool, makeBool(true))},
                     "avg"});
    table.push_back({"AdaptiveAvgPool" + suffix, OpKind::AdaptivePool, false, rank,
                     {required("output_size", ArgKind::OutputSize)}, "avg"});
    table.push_back({"AdaptiveMaxPool" + suffix, OpKind::AdaptivePool, false, rank,
                     {required("output_size", ArgKind::OutputSize),
                      optional("return_indices", ArgKind::Bool, makeBool(false))},
                     "max"});
  }
}

std::vector<Signature> buildTable() {
  std::vector<Signature> table;
  for (int rank = 1; rank <= 3; ++rank) {
    std::string suffix = std::to_string(rank) + "d";
    table.push_back(
        {"Conv" + suffix, OpKind::Conv, false, rank,
         {required("in_channels", ArgKind::Int),
          required("out_channels", ArgKind::Int),
          required("kernel_size", ArgKind::Spatial),
          optional("stride", ArgKind::Spatial, makeInt(1)),
          optional("padding", ArgKind::Padding, makeInt(0)),
          optional("dilation", ArgKind::Spatial, makeInt(1)),
          optional("groups", ArgKind::Int, makeInt(1)),
          optional("bias", ArgKind::Bool, makeBool(true)),
          optional("padding_mode", ArgKind::String, makeString("zeros"))}});
    table.push_back(
        {"BatchNorm" + suffix, OpKind::BatchNorm, false, rank,
         {required("num_features", ArgKind::Int),
          optional("eps", ArgKind::Float, makeFloat(1e-5)),
          optional("momentum", ArgKind::OptionalFloat, makeFloat(0.1)),
          optional("affine", ArgKind::Bool, makeBool(true)),
          optional("track_running_stats", ArgKind::Bool, makeBool(true))}});
  }
  table.push_back({"Linear", OpKind::Linear, false, 0,
                   {required("in_features", ArgKind::Int),
                    required("out_features", ArgKind::Int),
                    optional("bias", ArgKind::Bool, makeBool(true))}});
  table.push_back({"ReLU", OpKind::Relu, false, 0,
                   {optional("inplace", ArgKind::Bool, makeBool(false))}});
  table.push_back({"Sigmoid", OpKind::Sigmoid, false, 0, {}});
  table.push_back({"LayerNorm", OpKind::LayerNorm, false, 0,
                   {required("normalized_shape", ArgKind::Shape),
                    optional("eps", ArgKind::Float, makeFloat(1e-5)),
                    optional("elementwise_affine", ArgKind::Bool, makeBool(true)),
                    optional("bias", ArgKind::Bool, makeBool(true))}});
  table.push_back({"GroupNorm", OpKind::GroupNorm, false, 0,
                   {required("num_groups", ArgKind::Int),
                    required("num_channels", ArgKind::Int),
                    optional("eps", ArgKind::Float, makeFloat(1e-5)),
                    optional("affine", ArgKind::Bool, makeBool(true))}});
  table.push_back({"Flatten", OpKind::Flatten, false, 0,
                   {optional("start_dim", ArgKind::Int, makeInt(1)),
                    optional("end_dim", ArgKind::Int, makeInt(-1))}});
  addElementwise(table);
  addPoolingLayers(table);
  table.push_back({"Softmax", OpKind::Softmax, false, 0,
                   {required("dim", ArgKind::Int)}, "softmax"});
  table.push_back({"LogSoftmax", OpKind::Softmax, false, 0,
                   {required("dim", ArgKind::Int)}, "log_softmax"});
  table.push_back({"MultiheadAttention", OpKind::MultiheadAttention, false, 0,
                   {required("embed_dim", ArgKind::Int),
                    required("num_heads", ArgKind::Int),
                    optional("dropout", ArgKind::Float, makeFloat(0.0)),
                    optional("bias", ArgKind::Bool, makeBool(true)),
                    optional("add_bias_kv", ArgKind::Bool, makeBool(false)),
                    optional("add_zero_attn", ArgKind::Bool, makeBool(false)),
                    optional("kdim", ArgKind::OptionalInt, makeNone()),
                    optional("vdim", ArgKind::OptionalInt, makeNone()),
                    optional("batch_first", ArgKind::Bool, makeBool(false))}});
  // Functions: the operand comes first, as in torch.
  table.push_back({"relu", OpKind::Relu, true, 0,
                   {required("input", ArgKind::Value),
                    optional("inplace", ArgKind::Bool, makeBool(false))}});
  table.push_back({"sigmoid", OpKind::Sigmoid, true, 0,
                   {required("input", ArgKind::Value)}});
  for (const char *name : {"add", "sub", "mul", "div"})
    table.push_back({name, OpKind::Arithmetic, true, 0,
                     {required("input", ArgKind::Operand),
                      required("other", ArgKind::Operand)},
                     name});
  for (const char *name : {"softmax", "log_softmax"})
    table.push_back({name, OpKind::Softmax, true, 0,
                     {required("input", ArgKind::Value),
                      required("dim", ArgKind::Int)},
                     name});
  table.push_back({"reshape", OpKind::Reshape, true, 0,
                   {required("input", ArgKind::Value),
                    required("shape", ArgKind::Shape)}});
  table.push_back({"transpose", OpKind::Transpose, true, 0,
                   {required("input", ArgKind::Value),
                    required("dim0", ArgKind::Int),
                    required("dim1", ArgKind::Int)}});
  table.push_back({"permute", OpKind::Permute, true, 0,
                   {required("input", ArgKind::Value),
                    required("dims", ArgKind::Shape)}});
  table.push_back({"cat", OpKind::Cat, true, 0,
                   {required("tensors", ArgKind::Values),
                    optional("dim", ArgKind::Int, makeInt(0))}});
  table.push_back({"mean", OpKind::Mean, true, 0,
                   {required("input", ArgKind::Value),
                    required("dim", ArgKind::Shape),
                    optional("keepdim", ArgKind::Bool, makeBool(false))}});
  table.push_back({"matmul", OpKind::Matmul, true, 0,
                   {required("input", ArgKind::Value),
                    required("other", ArgKind::Value)}});
  // torch.flatten's own default start_dim is 0 (nn.Flatten's is 1).
  table.push_back({"flatten", OpKind::Flatten, true, 0,
                   {required("input", ArgKind::Value),
                    optional("start_dim", ArgKind::Int, makeInt(0)),
                    optional("end_dim", ArgKind::Int, makeInt(-1))}});
  return table;
}

const char *kindName(const Expr &e) {
  switch (e.kind) {
  case Expr::Kind::Int: return "an integer";
  case Expr::Kind::Float: return "a float";
  case Expr::Kind::String: return "a string";
  case Expr::Kind::Bool: return "a boolean";
  case Expr::Kind::Name: return "a name";
  case Expr::Kind::Tuple: return "a tuple";
  case Expr::Kind::None: return "None";
  }
  return "a value";
}

bool isIntTuple(const Expr &e) {
  if (e.kind != Expr::Kind::Tuple || e.elements.empty())
    return false;
  for (const Expr &element : e.elements)
    if (element.kind != Expr::Kind::Int)
      return false;
  return true;
}

/// Describes what `kind` accepts, for messages.
std::string expectation(ArgKind kind, int rank) {
  std::string tuple = rank > 0 ? "a tuple of " + std::to_string(rank) + " ints"
                               : "a tuple of ints";
  switch (kind) {
  case ArgKind::Value: return "a value's name";
  case ArgKind::Int: return "an integer";
  case ArgKind::Float: return "a number";
  case ArgKind::Bool: return "true or false";
  case ArgKind::String: return "a string";
  case ArgKind::Spatial: return "an int or " + tuple;
  case ArgKind::Padding: return "an int, " + tuple + ", 'same' or 'valid'";
  case ArgKind::Shape: return "an int or a tuple of ints";
  case ArgKind::Operand: return "a value's name or a number";
  case ArgKind::Values: return "a tuple of values' names";
  case ArgKind::OptionalInt: return "an integer or None";
  case ArgKind::OptionalFloat: return "a number or None";
  case ArgKind::OptionalSpatial: return "None, an int or " + tuple;
  case ArgKind::OutputSize:
    return "an int, None or a tuple of " + std::to_string(rank) + " ints or Nones";
  }
  return "a value";
}

/// Describes the given value, with a tuple's length.
std::string actual(const Expr &e) {
  if (e.kind == Expr::Kind::Tuple)
    return "a tuple of " + std::to_string(e.elements.size()) +
           (isIntTuple(e) ? " ints" : " values");
  if (e.kind == Expr::Kind::String)
    return "'" + e.text + "'";
  return kindName(e);
}

bool accepts(ArgKind kind, const Expr &e, int rank) {
  switch (kind) {
  case ArgKind::Value: return e.kind == Expr::Kind::Name;
  case ArgKind::Int: return e.kind == Expr::Kind::Int;
  case ArgKind::Float:
    return e.kind == Expr::Kind::Float || e.kind == Expr::Kind::Int;
  case ArgKind::Bool: return e.kind == Expr::Kind::Bool;
  case ArgKind::String: return e.kind == Expr::Kind::String;
  case ArgKind::Spatial:
    return e.kind == Expr::Kind::Int ||
           (isIntTuple(e) && int(e.elements.size()) == rank);
  case ArgKind::Padding:
    return accepts(ArgKind::Spatial, e, rank) ||
           (e.kind == Expr::Kind::String && (e.text == "same" || e.text == "valid"));
  case ArgKind::Shape: return e.kind == Expr::Kind::Int || isIntTuple(e);
  case ArgKind::Operand:
    return e.kind == Expr::Kind::Name || accepts(ArgKind::Float, e, rank);
  case ArgKind::Values:
    return e.kind == Expr::Kind::Tuple && !e.elements.empty() &&
           llvm::all_of(e.elements, [](const Expr &element) {
             return element.kind == Expr::Kind::Name;
           });
  case ArgKind::OptionalInt:
    return e.kind == Expr::Kind::None || e.kind == Expr::Kind::Int;
  case ArgKind::OptionalFloat:
    return e.kind == Expr::Kind::None || accepts(ArgKind::Float, e, rank);
  case ArgKind::OptionalSpatial:
    return e.kind == Expr::Kind::None || accepts(ArgKind::Spatial, e, rank);
  case ArgKind::OutputSize: {
    auto entry = [](const Expr &x) {
      return x.kind == Expr::Kind::Int || x.kind == Expr::Kind::None;
    };
    if (e.kind != Expr::Kind::Tuple)
      return entry(e);
    return int(e.elements.size()) == rank && llvm::all_of(e.elements, entry);
  }
  }
  return false;
}
} // namespace

const Signature *layerc::frontend::lookupSignature(const std::string &name) {
  static const std::vector<Signature> table = buildTable();
  for (const Signature &signature : table)
    if (signature.name == name)
      return &signature;
  return nullptr;
}

double BoundArguments::getFloat(const std::string &name) const {
  const Expr &e = get(name);
  return e.kind == Expr::Kind::Int ? double(e.intValue) : e.floatValue;
}

std::vector<int64_t> BoundArguments::getSpatial(const std::string &name,
                                                int rank) const {
  const Expr &e = get(name);
  if (e.kind == Expr::Kind::Int)
    return std::vector<int64_t>(rank, e.intValue);
  std::vector<int64_t> values;
  for (const Expr &element : e.elements)
    values.push_back(element.intValue);
  return values;
}

std::vector<int64_t> BoundArguments::getShape(const std::string &name) const {
  return getSpatial(name, 1);
}

std::optional<BoundArguments>
layerc::frontend::bindArguments(const Signature &signature, const Call &call,
                                const ErrorSink &sink) {
  BoundArguments bound;
  const std::string &who = signature.name;
  size_t positional = 0;
  bool sawKeyword = false;
  for (const Argument &argument : call.arguments) {
    const Param *param = nullptr;
    if (argument.keyword.empty()) {
      if (sawKeyword) {
        sink(argument.loc, "positional argument follows keyword argument");
        return std::nullopt;
      }
      if (positional >= signature.params.size()) {
        size_t most = signature.params.size();
        sink(argument.loc, who + " takes at most " + std::to_string(most) +
                               (most == 1 ? " argument" : " arguments") +
                               ", got " + std::to_string(call.arguments.size()));
        return std::nullopt;
      }
      param = &signature.params[positional++];
    } else {
      sawKeyword = true;
      for (const Param &candidate : signature.params)
        if (candidate.name == argument.keyword)
          param = &candidate;
      if (!param) {
        sink(argument.loc, who + " got an unexpected keyword argument '" +
                               argument.keyword + "'");
        return std::nullopt;
      }
    }
    if (bound.values.count(param->name)) {
      sink(argument.loc,
           who + " got multiple values for argument '" + param->name + "'");
      return std::nullopt;
    }
    if (!accepts(param->kind, argument.value, signature.spatialRank)) {
      sink(argument.value.loc, who + " argument '" + param->name + "' expects " +
                                   expectation(param->kind, signature.spatialRank) +
                                   ", got " + actual(argument.value));
      return std::nullopt;
    }
    Expr value = argument.value;
    value.loc = argument.loc;
    bound.values[param->name] = std::move(value);
    bound.written.push_back(param->name);
  }
  for (const Param &param : signature.params) {
    if (bound.values.count(param.name))
      continue;
    if (!param.defaultValue) {
      sink(call.loc, who + " missing required argument '" + param.name + "'");
      return std::nullopt;
    }
    Expr value = *param.defaultValue;
    value.loc = call.loc;
    bound.values[param.name] = std::move(value);
  }
  return bound;
}
