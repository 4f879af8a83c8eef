//===- NNDialect.cpp - nn dialect registration and shared helpers --------===//
//
// Registers the ops and holds what every op shares: the verifier that checks
// a result type against the op's own shape rule, and the user-facing name of
// a value for messages.
//
//===----------------------------------------------------------------------===//
#include "layerc/Dialect/NN/NNDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/TypeSwitch.h"
#include <cstdio>
#include <map>

using namespace mlir;
using namespace layerc::nn;

#include "layerc/Dialect/NN/NNDialect.cpp.inc"
#include "layerc/Dialect/NN/NNInterfaces.cpp.inc"

void NNDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "layerc/Dialect/NN/NNOps.cpp.inc"
      >();
}

std::string layerc::nn::describeValue(Value value) {
  if (Operation *def = value.getDefiningOp()) {
    if (auto layer = dyn_cast<LayerOp>(def))
      return layer.getNodeName().str();
    return def->getName().getStringRef().str();
  }
  auto arg = cast<BlockArgument>(value);
  if (auto func = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp()))
    if (auto name = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                      kInputNameAttr))
      return name.str();
  return "arg" + std::to_string(arg.getArgNumber());
}

/// The torch.nn class of an nn.activation function.
static std::string activationTorchName(StringRef function) {
  static const std::map<std::string, std::string, std::less<>> names = {
      {"relu6", "ReLU6"},       {"hardsigmoid", "Hardsigmoid"},
      {"tanh", "Tanh"},         {"gelu", "GELU"},
      {"gelu_tanh", "GELU"},    {"silu", "SiLU"},
      {"hardswish", "Hardswish"}, {"leaky_relu", "LeakyReLU"},
      {"hardtanh", "Hardtanh"}};
  auto it = names.find(function);
  return it == names.end() ? function.str() : it->second;
}

std::string layerc::nn::getTorchName(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::string>(op)
      .Case([](ConvOp c) -> std::string {
        size_t rank = c.getKernelSize().size();
        return rank >= 1 && rank <= 3 ? "Conv" + std::to_string(rank) + "d"
                                      : "convolution";
      })
      .Case([](BatchNormOp b) -> std::string {
        int64_t dim = b.getDim();
        return dim >= 1 && dim <= 3 ? "BatchNorm" + std::to_string(dim) + "d"
                                    : "batch norm";
      })
      .Case([](LinearOp) { return "Linear"; })
      .Case([](LayerNormOp) { return "LayerNorm"; })
      .Case([](GroupNormOp) { return "GroupNorm"; })
      .Case([](ReluOp) { return "ReLU"; })
      .Case([](SigmoidOp) { return "Sigmoid"; })
      .Case([](FlattenOp) { return "flatten"; })
      .Case([](ActivationOp a) { return activationTorchName(a.getFunction()); })
      .Case([](BinaryOp b) { return b.getFunction().str(); })
      .Case([](ScalarOp b) { return b.getFunction().str(); })
      .Case([](SoftmaxOp s) { return s.getLog() ? "log_softmax" : "softmax"; })
      .Case([](PoolOp p) {
        return (p.getFunction() == "max" ? "MaxPool" : "AvgPool") +
               std::to_string(p.getKernelSize().size()) + "d";
      })
      .Case([](AdaptivePoolOp p) {
        return (p.getFunction() == "max" ? "AdaptiveMaxPool" : "AdaptiveAvgPool") +
               std::to_string(p.getOutputSize().size()) + "d";
      })
      .Case([](ReshapeOp) { return "reshape"; })
      .Case([](PermuteOp) { return "permute"; })
      .Case([](ConcatOp) { return "cat"; })
      .Case([](MeanOp) { return "mean"; })
      .Case([](MatmulOp) { return "matmul"; })
      .Case([](MultiheadAttentionOp) { return "MultiheadAttention"; })
      .Default([](Operation *o) { return o->getName().getStringRef().str(); });
}

/// The location of `argument` of `op`: the frontend fuses a NameLoc per
/// written argument into the op's location (and one named "input" for the
/// operand, on the applying line). Falls back to the op's location.
static Location argumentLocation(Operation *op, StringRef argument) {
  Location loc = op->getLoc();
  auto callSite = dyn_cast<CallSiteLoc>(loc);
  auto find = [&](Location where) -> std::optional<Location> {
    if (auto fused = dyn_cast<FusedLoc>(where))
      for (Location part : fused.getLocations())
        if (auto name = dyn_cast<NameLoc>(part);
            name && name.getName() == argument)
          return name.getChildLoc();
    return std::nullopt;
  };
  if (argument.empty())
    return loc;
  if (!callSite)
    return find(loc).value_or(loc);
  if (std::optional<Location> at = find(callSite.getCallee()))
    return CallSiteLoc::get(*at, callSite.getCaller());
  return find(callSite.getCaller()).value_or(loc);
}

InFlightDiagnostic layerc::nn::emitLayerError(Operation *op,
                                              StringRef argument) {
  Location at = argumentLocation(op, argument);
  InFlightDiagnostic diag = emitError(at) << getTorchName(op) << " ";
  // An operand error of a declared layer sits on the applying line; show
  // where the layer's arguments were written too.
  if (auto callSite = dyn_cast<CallSiteLoc>(op->getLoc());
      callSite && !isa<CallSiteLoc>(at) && at != op->getLoc())
    diag.attachNote(callSite.getCallee()) << "the layer is declared here";
  return diag;
}

std::string layerc::nn::formatNumber(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

std::string layerc::nn::formatShape(ArrayRef<int64_t> shape) {
  std::string text = "[";
  for (auto [i, dim] : llvm::enumerate(shape)) {
    if (i)
      text += ", ";
    text += ShapedType::isDynamic(dim) ? "?" : std::to_string(dim);
  }
  return text + "]";
}

std::optional<int64_t> layerc::nn::checkedElementCount(ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t d : shape)
    if (ShapedType::isDynamic(d) || d > kMaxTensorSize ||
        __builtin_mul_overflow(count, d, &count) || count > kMaxTensorSize)
      return std::nullopt;
  return count;
}

/// Fails with a message when a tensor's static dims hold more than
/// kMaxTensorSize elements (dynamic dims count as 1).
static LogicalResult checkTensorSize(Operation *op, StringRef argument,
                                     const Twine &what, ArrayRef<int64_t> shape) {
  SmallVector<int64_t> known;
  for (int64_t d : shape)
    known.push_back(ShapedType::isDynamic(d) ? 1 : d);
  if (checkedElementCount(known))
    return success();
  return emitLayerError(op, argument)
         << what << " of shape " << formatShape(shape) << " has more than "
         << kMaxTensorSize << " elements, the largest supported tensor";
}

LogicalResult layerc::nn::inferResultShape(Operation *op,
                                           SmallVectorImpl<int64_t> &shape) {
  auto layer = cast<LayerOp>(op);
  for (Value operand : op->getOperands())
    if (failed(checkTensorSize(op, "input", "input '" + describeValue(operand) + "'",
                               cast<RankedTensorType>(operand.getType()).getShape())))
      return failure();
  if (failed(layer.inferOutputShape(shape)))
    return failure();
  SmallVector<ParameterSpec> params;
  layer.getParameters(params);
  for (const ParameterSpec &param : params)
    if (failed(checkTensorSize(op, "", "parameter '" + param.suffix + "'",
                               param.shape)))
      return failure();
  return checkTensorSize(op, "", "the result", shape);
}

LogicalResult layerc::nn::detail::verifyLayerOp(Operation *op) {
  SmallVector<int64_t> shape;
  if (failed(inferResultShape(op, shape)))
    return failure();
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  if (resultType.getShape() != ArrayRef<int64_t>(shape))
    return emitLayerError(op) << "result shape " << formatShape(resultType.getShape())
                             << " does not match the inferred shape "
                             << formatShape(shape);
  if (auto activations = op->getAttrOfType<ArrayAttr>("activations"))
    for (Attribute a : activations)
      if (!llvm::is_contained(kActivations, cast<StringAttr>(a).getValue())) {
        InFlightDiagnostic diag = emitLayerError(op)
                                  << "unknown activation '"
                                  << cast<StringAttr>(a).getValue() << "' (expected ";
        llvm::interleave(kActivations, diag, ", ");
        return diag << ")";
      }
  bool folded = op->hasAttr("batch_norm");
  if (folded != op->hasAttr("batch_norm_eps") ||
      folded != op->hasAttr("batch_norm_affine"))
    return emitLayerError(op) << "a folded BatchNorm needs batch_norm, "
                                 "batch_norm_eps and batch_norm_affine together";
  for (Value operand : op->getOperands()) {
    auto inputType = cast<RankedTensorType>(operand.getType());
    if (resultType.getElementType() != inputType.getElementType())
      return emitLayerError(op) << "result element type "
                               << resultType.getElementType()
                               << " does not match the input's "
                               << inputType.getElementType();
  }
  return success();
}
