//===- MLIRGen.cpp - .nn syntax tree to the nn dialect -------------------===//
//
// Walks the statements in order. Inputs become arguments of the model
// function, assignments become nn ops (or declared layers waiting to be
// applied), `output` becomes the return. Each op's result type comes from
// the op's own shape rule (LayerOp::inferOutputShape), so a shape error is
// reported by the dialect at the statement's location.
//
//===----------------------------------------------------------------------===//
#include "layerc/Frontend/MLIRGen.h"
#include "layerc/Dialect/NN/NNDialect.h"
#include "layerc/Frontend/Parser.h"
#include "layerc/Frontend/Signatures.h"
#include "layerc/Lowering/LayerGraph.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringExtras.h"
#include <map>

using namespace mlir;
using layerc::frontend::Argument;
using layerc::frontend::AssignStmt;
using layerc::frontend::BoundArguments;
using layerc::frontend::Call;
using layerc::frontend::ErrorSink;
using layerc::frontend::Expr;
using layerc::frontend::InputDim;
using layerc::frontend::InputStmt;
using layerc::frontend::ModelStmt;
using layerc::frontend::OpKind;
using layerc::frontend::OutputStmt;
using layerc::frontend::Signature;
using layerc::frontend::Statement;
using layerc::frontend::toMLIRLocation;
using layerc::lowering::isCKeyword;
using layerc::lowering::linkClash;
namespace nn = layerc::nn;
namespace frontend = layerc::frontend;

mlir::Location frontend::toMLIRLocation(MLIRContext &context,
                                        const frontend::Location &loc) {
  return FileLineColLoc::get(&context, loc.file ? *loc.file : "<input>",
                             loc.line, loc.col);
}

namespace {
using SourceLoc = frontend::Location;

/// Where a statement starts (its first token), for statement-level errors.
const SourceLoc &statementStart(const InputStmt &stmt) { return stmt.keywordLoc; }
const SourceLoc &statementStart(const AssignStmt &stmt) { return stmt.loc; }
const SourceLoc &statementStart(const OutputStmt &stmt) { return stmt.loc; }

/// A layer created without being applied: `enc = Linear(4, 4)`.
struct DeclaredLayer {
  const Signature *signature;
  BoundArguments arguments;
  SourceLoc loc;
  bool applied = false;
};

/// A defined value and where it was defined.
struct Binding {
  Value value;
  SourceLoc loc;
};

class ModelBuilder {
public:
  ModelBuilder(MLIRContext &context)
      : context(context), builder(&context),
        sink([this](const SourceLoc &loc, const std::string &message) {
          (void)error(loc, message);
        }) {}

  OwningOpRef<ModuleOp> build(const frontend::Module &ast);

private:
  LogicalResult error(const SourceLoc &loc, const Twine &message) {
    emitError(toMLIRLocation(context, loc)) << message;
    return failure();
  }
  mlir::Location loc(const SourceLoc &l) { return toMLIRLocation(context, l); }

  LogicalResult startModel(const ModelStmt &stmt);
  LogicalResult addInput(const InputStmt &stmt);
  LogicalResult addAssign(const AssignStmt &stmt);
  LogicalResult addOutput(const OutputStmt &stmt);
  LogicalResult checkNewName(const std::string &name, const SourceLoc &at);
  FailureOr<Value> lookupValue(const std::string &name, const SourceLoc &at);
  FailureOr<Value> applicationOperand(const Call &application);
  mlir::Location layerLocation(const SourceLoc &stmt, const BoundArguments &args,
                               const SourceLoc *operand);
  FailureOr<Value> buildLayer(const Signature &signature,
                              const BoundArguments &args, ValueRange operands,
                              mlir::Location opLoc, StringRef node,
                              StringRef weights);
  FailureOr<SmallVector<Value>> functionOperands(const Signature &signature,
                                                 const BoundArguments &args);
  FailureOr<Operation *> buildSpecOp(const Signature &signature,
                                     const BoundArguments &args,
                                     ValueRange operands, mlir::Location opLoc,
                                     StringRef node, StringRef weights);
  FailureOr<Value> finishOp(Operation *op);

  MLIRContext &context;
  OpBuilder builder;
  ErrorSink sink;
  ModuleOp module;
  func::FuncOp func;
  std::map<std::string, Binding> values;
  std::map<std::string, DeclaredLayer> declared;
  std::vector<Attribute> inputNames, inputSymbols;
  std::map<std::string, SourceLoc> symbols;  // size symbol -> first use
  bool sawOutput = false;
};
} // namespace

OwningOpRef<ModuleOp> ModelBuilder::build(const frontend::Module &ast) {
  OwningOpRef<ModuleOp> owned = ModuleOp::create(builder.getUnknownLoc());
  module = *owned;
  if (ast.statements.empty()) {
    emitError(FileLineColLoc::get(&context, "<input>", 1, 1))
        << "empty model: expected 'model NAME' as the first statement";
    return nullptr;
  }
  for (const Statement &statement : ast.statements) {
    LogicalResult result = std::visit(
        [&](const auto &stmt) -> LogicalResult {
          using T = std::decay_t<decltype(stmt)>;
          if constexpr (std::is_same_v<T, ModelStmt>)
            return startModel(stmt);
          else if (!func)
            return error(statementStart(stmt),
                         "expected 'model NAME' as the first statement");
          else if (sawOutput)
            return error(statementStart(stmt), "no statement may follow 'output'");
          else if constexpr (std::is_same_v<T, InputStmt>)
            return addInput(stmt);
          else if constexpr (std::is_same_v<T, AssignStmt>)
            return addAssign(stmt);
          else
            return addOutput(stmt);
        },
        statement);
    if (failed(result))
      return nullptr;
  }
  if (!sawOutput) {
    emitError(func.getLoc()) << "model '" << func.getName()
                             << "' has no 'output' statement";
    return nullptr;
  }
  for (auto &[name, layer] : declared)
    if (!layer.applied)
      emitWarning(loc(layer.loc))
          << "layer '" << name
          << "' is declared but never applied; its weights are not required";
  if (failed(verify(module)))
    return nullptr;
  return owned;
}

LogicalResult ModelBuilder::startModel(const ModelStmt &stmt) {
  if (func)
    return error(stmt.keywordLoc, "duplicate 'model' statement");
  if (stmt.name == "main")
    return error(stmt.loc, "model name 'main' would clash with the "
                           "application's main()");
  if (isCKeyword(stmt.name))
    return error(stmt.loc, "model name '" + stmt.name +
                               "' is a C keyword; the model becomes a C "
                               "function of that name");
  if (stmt.name.find('.') != std::string::npos)
    return error(stmt.loc, "model name '" + stmt.name +
                               "' must be a C identifier (no dots)");
  if (std::string clash = linkClash(stmt.name); !clash.empty())
    return error(stmt.loc, "model name '" + stmt.name + "' would clash with " +
                               clash +
                               " when linked; the model becomes a C function "
                               "of that name");
  builder.setInsertionPointToEnd(module.getBody());
  func = func::FuncOp::create(builder, loc(stmt.loc), stmt.name,
                                      builder.getFunctionType({}, {}));
  builder.setInsertionPointToStart(func.addEntryBlock());
  return success();
}

LogicalResult ModelBuilder::checkNewName(const std::string &name,
                                         const SourceLoc &at) {
  const SourceLoc *previous = nullptr;
  if (auto it = values.find(name); it != values.end())
    previous = &it->second.loc;
  else if (auto it = declared.find(name); it != declared.end())
    previous = &it->second.loc;
  if (previous)
    return error(at, "redefinition of '" + name + "' (first defined at line " +
                         std::to_string(previous->line) + ")");
  return success();
}

LogicalResult ModelBuilder::addInput(const InputStmt &stmt) {
  if (failed(checkNewName(stmt.name, stmt.loc)))
    return failure();
  if (stmt.dtype != "f32") {
    if (stmt.dtype == "f16" || stmt.dtype == "bf16")
      return error(stmt.dtypeLoc, "input dtype '" + stmt.dtype +
                                      "' is not supported yet; use f32");
    return error(stmt.dtypeLoc, "unknown dtype '" + stmt.dtype +
                                    "', expected f32");
  }
  SmallVector<int64_t> shape;
  SmallVector<Attribute> dimSymbols;
  for (const InputDim &dim : stmt.dims) {
    if (dim.size) {
      if (*dim.size <= 0)
        return error(dim.loc, "input dim must be positive, got " +
                                  std::to_string(*dim.size));
      if (*dim.size > nn::kMaxTensorSize)
        return error(dim.loc, "input dim " + std::to_string(*dim.size) +
                                  " exceeds the largest supported size " +
                                  std::to_string(nn::kMaxTensorSize));
      shape.push_back(*dim.size);
      dimSymbols.push_back(builder.getStringAttr(""));
    } else {
      if (dim.symbol.find('.') != std::string::npos)
        return error(dim.loc, "size symbol '" + dim.symbol +
                                  "' must be a plain name (no dots)");
      symbols.emplace(dim.symbol, dim.loc);
      shape.push_back(ShapedType::kDynamic);
      dimSymbols.push_back(builder.getStringAttr(dim.symbol));
    }
  }
  SmallVector<int64_t> staticDims;
  for (int64_t d : shape)
    staticDims.push_back(ShapedType::isDynamic(d) ? 1 : d);
  if (!nn::checkedElementCount(staticDims))
    return error(stmt.loc, "input '" + stmt.name + "' has more than " +
                               std::to_string(nn::kMaxTensorSize) +
                               " elements, the largest supported tensor");
  Block &body = func.getBody().front();
  auto type = RankedTensorType::get(shape, builder.getF32Type());
  Value arg = body.addArgument(type, loc(stmt.loc));
  unsigned index = body.getNumArguments() - 1;
  func.setType(builder.getFunctionType(body.getArgumentTypes(), {}));
  func.setArgAttr(index, nn::kInputNameAttr, builder.getStringAttr(stmt.name));
  func.setArgAttr(index, nn::kInputSymbolsAttr, builder.getArrayAttr(dimSymbols));
  values[stmt.name] = {arg, stmt.loc};
  return success();
}

FailureOr<Value> ModelBuilder::lookupValue(const std::string &name,
                                           const SourceLoc &at) {
  if (auto it = values.find(name); it != values.end())
    return it->second.value;
  if (declared.count(name))
    return error(at, "'" + name + "' is a layer, not a value; apply it as " +
                         name + "(x)");
  if (symbols.count(name))
    return error(at, "'" + name + "' is a size symbol, not a value");
  return error(at, "undefined name '" + name + "'");
}

/// An op's location: its statement, with a NameLoc per written argument
/// (and `input` at the operand) fused in, so that errors about an argument
/// point at it (nn::emitLayerError).
mlir::Location ModelBuilder::layerLocation(const SourceLoc &stmt,
                                           const BoundArguments &args,
                                           const SourceLoc *operand) {
  SmallVector<mlir::Location> parts{loc(stmt)};
  for (const std::string &name : args.writtenArguments())
    parts.push_back(NameLoc::get(builder.getStringAttr(name),
                                 loc(args.locationOf(name))));
  if (operand)
    parts.push_back(NameLoc::get(builder.getStringAttr("input"), loc(*operand)));
  return FusedLoc::get(&context, parts);
}

/// The `(x)` of `Layer(...)(x)`: exactly one value name.
FailureOr<Value> ModelBuilder::applicationOperand(const Call &application) {
  if (application.arguments.size() != 1 ||
      !application.arguments[0].keyword.empty() ||
      application.arguments[0].value.kind != Expr::Kind::Name) {
    SourceLoc at = application.arguments.empty() ? application.loc
                                                 : application.arguments[0].loc;
    return error(at, "a layer is applied to exactly one value, as in "
                     "layer(x); got " +
                         std::to_string(application.arguments.size()) +
                         " argument(s)" +
                         (application.arguments.size() == 1 ? " that is not a name"
                                                            : ""));
  }
  const Argument &operand = application.arguments[0];
  return lookupValue(operand.value.text, operand.loc);
}

LogicalResult ModelBuilder::addAssign(const AssignStmt &stmt) {
  if (failed(checkNewName(stmt.name, stmt.loc)))
    return failure();
  const Call &call = stmt.call;

  // `y = enc(x)`: apply a declared layer; its weights stay under its name.
  if (auto it = declared.find(call.callee); it != declared.end()) {
    DeclaredLayer &layer = it->second;
    if (stmt.application)
      return error(stmt.application->loc,
                   "'" + call.callee + "' is already a layer; apply it as " +
                       call.callee + "(x)");
    Call application{call.callee, call.loc, call.arguments};
    FailureOr<Value> input = applicationOperand(application);
    if (failed(input))
      return failure();
    layer.applied = true;
    // The op is located at the declaration, called from this line: weights
    // errors point at the owner, shape errors show both lines.
    BoundArguments none;
    mlir::Location opLoc = CallSiteLoc::get(
        layerLocation(layer.loc, layer.arguments, nullptr),
        layerLocation(stmt.loc, none, &application.arguments[0].loc));
    FailureOr<Value> result = buildLayer(*layer.signature, layer.arguments,
                                         {*input}, opLoc, stmt.name, call.callee);
    if (failed(result))
      return failure();
    values[stmt.name] = {*result, stmt.loc};
    return success();
  }

  const Signature *signature = frontend::lookupSignature(call.callee);
  if (!signature) {
    if (values.count(call.callee))
      return error(call.loc, "'" + call.callee +
                                 "' is a value, not a layer or function");
    return error(call.loc, "unknown layer or function '" + call.callee + "'");
  }
  std::optional<BoundArguments> args = frontend::bindArguments(*signature, call, sink);
  if (!args)
    return failure();

  if (signature->isFunction) {
    if (stmt.application)
      return error(stmt.application->loc,
                   "'" + call.callee + "' is a function; call it as " +
                       call.callee + "(x, ...)");
    FailureOr<SmallVector<Value>> operands = functionOperands(*signature, *args);
    if (failed(operands))
      return failure();
    FailureOr<Value> result =
        buildLayer(*signature, *args, *operands,
                   layerLocation(stmt.loc, *args, nullptr), stmt.name, stmt.name);
    if (failed(result))
      return failure();
    values[stmt.name] = {*result, stmt.loc};
    return success();
  }

  if (!stmt.application) { // a declaration, applied later
    declared.emplace(stmt.name, DeclaredLayer{signature, *args, stmt.loc});
    return success();
  }
  FailureOr<Value> input = applicationOperand(*stmt.application);
  if (failed(input))
    return failure();
  mlir::Location opLoc = layerLocation(stmt.loc, *args,
                                       &stmt.application->arguments[0].loc);
  FailureOr<Value> result =
      buildLayer(*signature, *args, {*input}, opLoc, stmt.name, stmt.name);
  if (failed(result))
    return failure();
  values[stmt.name] = {*result, stmt.loc};
  return success();
}

LogicalResult ModelBuilder::addOutput(const OutputStmt &stmt) {
  SmallVector<Value> results;
  SmallVector<Attribute> names;
  std::map<std::string, unsigned> seen;
  for (const auto &[name, at] : stmt.names) {
    if (seen.count(name))
      return error(at, "'" + name + "' is listed twice in 'output'");
    seen[name] = 1;
    FailureOr<Value> value = lookupValue(name, at);
    if (failed(value))
      return failure();
    results.push_back(*value);
    names.push_back(builder.getStringAttr(name));
  }
  func::ReturnOp::create(builder, loc(stmt.loc), results);
  Block &body = func.getBody().front();
  func.setType(builder.getFunctionType(body.getArgumentTypes(),
                                       ValueRange(results).getTypes()));
  func->setAttr(nn::kOutputNamesAttr, builder.getArrayAttr(names));
  sawOutput = true;
  return success();
}

/// Gives a freshly built op its result type from its own shape rule; on an
/// invalid combination the op reported the error and is removed.
FailureOr<Value> ModelBuilder::finishOp(Operation *op) {
  SmallVector<int64_t> shape;
  if (failed(nn::inferResultShape(op, shape))) {
    op->erase();
    return failure();
  }
  op->getResult(0).setType(RankedTensorType::get(shape, builder.getF32Type()));
  return op->getResult(0);
}

/// The tensors a function call reads, in parameter order: names of Value
/// and Operand arguments (an Operand may be a number instead) and each
/// name of a Values tuple.
FailureOr<SmallVector<Value>>
ModelBuilder::functionOperands(const Signature &sig, const BoundArguments &args) {
  SmallVector<Value> operands;
  auto add = [&](const Expr &name) -> LogicalResult {
    FailureOr<Value> value = lookupValue(name.text, name.loc);
    if (failed(value))
      return failure();
    operands.push_back(*value);
    return success();
  };
  for (const frontend::Param &param : sig.params) {
    const Expr &arg = args.get(param.name);
    if ((param.kind == frontend::ArgKind::Value ||
         param.kind == frontend::ArgKind::Operand) &&
        arg.kind == Expr::Kind::Name) {
      if (failed(add(arg)))
        return failure();
    } else if (param.kind == frontend::ArgKind::Values) {
      for (const Expr &element : arg.elements)
        if (failed(add(element)))
          return failure();
    }
  }
  return operands;
}

FailureOr<Value> ModelBuilder::buildLayer(const Signature &sig,
                                          const BoundArguments &args,
                                          ValueRange operands, mlir::Location opLoc,
                                          StringRef node, StringRef weights) {
  if (sig.op == OpKind::Identity) {
    if (sig.name != "Identity" && (args.getFloat("p") < 0 || args.getFloat("p") > 1))
      return error(args.locationOf("p"), sig.name +
                                             " probability p must be between 0 "
                                             "and 1, got " +
                                             nn::formatNumber(args.getFloat("p")));
    return operands[0];  // the identity at inference
  }
  if (sig.op >= OpKind::Activation) {
    FailureOr<Operation *> op = buildSpecOp(sig, args, operands, opLoc, node, weights);
    if (failed(op))
      return failure();
    return finishOp(*op);
  }
  Value input = operands[0];
  // Placeholder result type; finishOp sets the inferred one.
  Type placeholder = RankedTensorType::get({}, builder.getF32Type());
  auto eps = [&](const char *name) { return llvm::APFloat(args.getFloat(name)); };
  Operation *op = nullptr;
  switch (sig.op) {
  case OpKind::Conv: {
    int rank = sig.spatialRank;
    std::vector<int64_t> kernel = args.getSpatial("kernel_size", rank);
    std::vector<int64_t> stride = args.getSpatial("stride", rank);
    std::vector<int64_t> dilation = args.getSpatial("dilation", rank);
    std::vector<int64_t> low(rank, 0), high(rank, 0);
    const Expr &padding = args.get("padding");
    if (padding.kind == Expr::Kind::String) {
      if (padding.text == "same") {
        for (int64_t s : stride)
          if (s != 1)
            return error(args.locationOf("padding"),
                         "padding='same' is not supported for strided "
                         "convolutions (stride " +
                             std::to_string(s) + ")");
        // Total d(k-1); an odd total puts the extra element on the high side.
        for (int i = 0; i < rank; ++i) {
          int64_t total = dilation[i] * (kernel[i] - 1);
          low[i] = total / 2;
          high[i] = total - low[i];
        }
      }
    } else {
      low = high = args.getSpatial("padding", rank);
    }
    op = nn::ConvOp::create(builder, 
        opLoc, placeholder, input, node, weights, args.getInt("in_channels"),
        args.getInt("out_channels"), kernel, stride, low, high, dilation,
        args.getInt("groups"), args.getBool("bias"),
        args.getString("padding_mode"), /*batch_norm=*/nullptr,
        /*batch_norm_eps=*/nullptr, /*batch_norm_affine=*/nullptr,
        /*activations=*/nullptr);
    break;
  }
  case OpKind::Linear:
    op = nn::LinearOp::create(builder, opLoc, placeholder, input, node, weights,
                                      args.getInt("in_features"),
                                      args.getInt("out_features"),
                                      args.getBool("bias"), nullptr, nullptr,
                                      nullptr, nullptr);
    break;
  case OpKind::Relu:
    op = nn::ReluOp::create(builder, opLoc, placeholder, input, node, nullptr);
    break;
  case OpKind::Sigmoid:
    op = nn::SigmoidOp::create(builder, opLoc, placeholder, input, node, nullptr);
    break;
  case OpKind::LayerNorm:
    op = nn::LayerNormOp::create(builder, 
        opLoc, placeholder, input, node, weights,
        args.getShape("normalized_shape"), eps("eps"),
        args.getBool("elementwise_affine"), args.getBool("bias"), nullptr);
    break;
  case OpKind::BatchNorm:
    op = nn::BatchNormOp::create(builder, 
        opLoc, placeholder, input, node, weights, sig.spatialRank,
        args.getInt("num_features"), eps("eps"),
        args.isNone("momentum") ? FloatAttr()
                                : builder.getF64FloatAttr(args.getFloat("momentum")),
        args.getBool("affine"), args.getBool("track_running_stats"), nullptr);
    break;
  case OpKind::GroupNorm:
    op = nn::GroupNormOp::create(builder, 
        opLoc, placeholder, input, node, weights, args.getInt("num_groups"),
        args.getInt("num_channels"), eps("eps"), args.getBool("affine"), nullptr);
    break;
  case OpKind::Flatten:
    op = nn::FlattenOp::create(builder, opLoc, placeholder, input, node,
                                       args.getInt("start_dim"),
                                       args.getInt("end_dim"));
    break;
  default:
    llvm_unreachable("SPEC §1.5 ops are built by buildSpecOp");
  }
  assert(op && "every OpKind builds an op");
  return finishOp(op);
}

/// The ops of SPEC §1.5 (OpKind::Activation and after). Argument checks
/// that need the call's own values (not the op's shape rule) are here.
FailureOr<Operation *> ModelBuilder::buildSpecOp(const Signature &sig,
                                                 const BoundArguments &args,
                                                 ValueRange operands,
                                                 mlir::Location opLoc,
                                                 StringRef node, StringRef weights) {
  Type placeholder = RankedTensorType::get({}, builder.getF32Type());
  auto number = [&](const char *name) { return llvm::APFloat(args.getFloat(name)); };
  auto refuseTrue = [&](const char *name) -> LogicalResult {
    if (!args.getBool(name))
      return success();
    return error(args.locationOf(name), sig.name + " " + name +
                                            "=True is not supported");
  };
  switch (sig.op) {
  case OpKind::Activation: {
    std::string function = sig.function;
    double alpha = 0, beta = 0;
    if (function == "gelu") {
      const std::string &approximate = args.getString("approximate");
      if (approximate != "none" && approximate != "tanh")
        return error(args.locationOf("approximate"),
                     sig.name + " approximate must be 'none' or 'tanh', got '" +
                         approximate + "'");
      if (approximate == "tanh")
        function = "gelu_tanh";
    } else if (function == "leaky_relu") {
      alpha = args.getFloat("negative_slope");
    } else if (function == "hardtanh") {
      alpha = args.getFloat("min_val");
      beta = args.getFloat("max_val");
    }
    return nn::ActivationOp::create(builder, opLoc, placeholder, operands[0],
                                    node, function, llvm::APFloat(alpha),
                                    llvm::APFloat(beta), nullptr)
        .getOperation();
  }
  case OpKind::Arithmetic: {
    if (operands.size() == 2)
      return nn::BinaryOp::create(builder, opLoc, placeholder, operands[0],
                                  operands[1], node, sig.function, nullptr)
          .getOperation();
    if (operands.empty())
      return error(args.locationOf("input"),
                   sig.name + " needs at least one tensor operand, got two numbers");
    bool scalarFirst = args.get("input").kind != Expr::Kind::Name;
    return nn::ScalarOp::create(builder, opLoc, placeholder, operands[0], node,
                                sig.function,
                                number(scalarFirst ? "input" : "other"),
                                scalarFirst, nullptr)
        .getOperation();
  }
  case OpKind::Softmax:
    return nn::SoftmaxOp::create(builder, opLoc, placeholder, operands[0], node,
                                 args.getInt("dim"), sig.function == "log_softmax")
        .getOperation();
  case OpKind::Pool: {
    int rank = sig.spatialRank;
    bool isMax = sig.function == "max";
    if (isMax && failed(refuseTrue("return_indices")))
      return failure();
    std::vector<int64_t> kernel = args.getSpatial("kernel_size", rank);
    std::vector<int64_t> stride =
        args.isNone("stride") ? kernel : args.getSpatial("stride", rank);
    std::vector<int64_t> dilation =
        isMax ? args.getSpatial("dilation", rank) : std::vector<int64_t>(rank, 1);
    return nn::PoolOp::create(builder, opLoc, placeholder, operands[0], node,
                              sig.function, kernel, stride,
                              args.getSpatial("padding", rank), dilation,
                              args.getBool("ceil_mode"),
                              isMax || args.getBool("count_include_pad"), nullptr)
        .getOperation();
  }
  case OpKind::AdaptivePool: {
    if (sig.function == "max" && failed(refuseTrue("return_indices")))
      return failure();
    const Expr &size = args.get("output_size");
    std::vector<Expr> entries = size.kind == Expr::Kind::Tuple
                                    ? size.elements
                                    : std::vector<Expr>(sig.spatialRank, size);
    std::vector<int64_t> outputSize;  // -1: None
    for (const Expr &entry : entries) {
      if (entry.kind == Expr::Kind::Int && entry.intValue <= 0)
        return error(args.locationOf("output_size"),
                     sig.name + " output_size entries must be positive or None, got " +
                         std::to_string(entry.intValue));
      outputSize.push_back(entry.kind == Expr::Kind::None ? -1 : entry.intValue);
    }
    return nn::AdaptivePoolOp::create(builder, opLoc, placeholder, operands[0],
                                      node, sig.function, outputSize, nullptr)
        .getOperation();
  }
  case OpKind::Reshape:
    return nn::ReshapeOp::create(builder, opLoc, placeholder, operands[0], node,
                                 args.getShape("shape"))
        .getOperation();
  case OpKind::Permute:
    return nn::PermuteOp::create(builder, opLoc, placeholder, operands[0], node,
                                 args.getShape("dims"))
        .getOperation();
  case OpKind::Transpose: {
    int64_t rank = cast<RankedTensorType>(operands[0].getType()).getRank();
    std::vector<int64_t> dims;
    for (int64_t i = 0; i < rank; ++i)
      dims.push_back(i);
    int64_t swapped[2];
    const char *names[] = {"dim0", "dim1"};
    for (int i = 0; i < 2; ++i) {
      const char *name = names[i];
      int64_t dim = args.getInt(name), range = std::max<int64_t>(rank, 1);
      swapped[i] = dim < 0 ? dim + range : dim;
      if (swapped[i] < 0 || swapped[i] >= range)
        return error(args.locationOf(name),
                     "transpose " + std::string(name) + " (" + std::to_string(dim) +
                         ") is out of range for input '" +
                         nn::describeValue(operands[0]) + "' of rank " +
                         std::to_string(rank));
    }
    if (rank > 0)
      std::swap(dims[swapped[0]], dims[swapped[1]]);
    return nn::PermuteOp::create(builder, opLoc, placeholder, operands[0], node, dims)
        .getOperation();
  }
  case OpKind::Cat:
    return nn::ConcatOp::create(builder, opLoc, placeholder, operands, node,
                                args.getInt("dim"))
        .getOperation();
  case OpKind::Mean:
    return nn::MeanOp::create(builder, opLoc, placeholder, operands[0], node,
                              args.getShape("dim"), args.getBool("keepdim"), nullptr)
        .getOperation();
  case OpKind::Matmul:
    return nn::MatmulOp::create(builder, opLoc, placeholder, operands[0],
                                operands[1], node, nullptr)
        .getOperation();
  case OpKind::MultiheadAttention: {
    if (failed(refuseTrue("add_bias_kv")) || failed(refuseTrue("add_zero_attn")))
      return failure();
    int64_t embed = args.getInt("embed_dim");
    for (const char *name : {"kdim", "vdim"})
      if (!args.isNone(name) && args.getInt(name) != embed)
        return error(args.locationOf(name),
                     sig.name + " " + name + " must be None or embed_dim (" +
                         std::to_string(embed) + ") for self-attention, got " +
                         std::to_string(args.getInt(name)));
    return nn::MultiheadAttentionOp::create(builder, opLoc, placeholder, operands[0],
                                            node, weights, embed,
                                            args.getInt("num_heads"),
                                            args.getBool("bias"),
                                            args.getBool("batch_first"), nullptr)
        .getOperation();
  }
  default:
    llvm_unreachable("the core layers are built by buildLayer");
  }
}

OwningOpRef<ModuleOp> frontend::buildModule(MLIRContext &context,
                                           const frontend::Module &module) {
  context.loadDialect<nn::NNDialect, func::FuncDialect>();
  return ModelBuilder(context).build(module);
}

OwningOpRef<ModuleOp> frontend::parseAndBuild(MLIRContext &context,
                                                      llvm::StringRef source,
                                                      llvm::StringRef fileName) {
  auto file = std::make_shared<std::string>(fileName.str());
  ErrorSink sink = [&](const SourceLoc &at, const std::string &message) {
    emitError(toMLIRLocation(context, at)) << message;
  };
  frontend::Parser parser(
      frontend::Lexer(std::string_view(source.data(), source.size()), file), sink);
  std::optional<frontend::Module> ast = parser.parse();
  if (!ast)
    return nullptr;
  if (ast->statements.empty()) {
    sink({file, 1, 1}, "empty model: expected 'model NAME' as the first statement");
    return nullptr;
  }
  return buildModule(context, *ast);
}
