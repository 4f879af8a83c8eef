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
      .Default([](Operation *o) { return o->getName().getStringRef().str(); });
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

LogicalResult layerc::nn::detail::verifyLayerOp(Operation *op) {
  SmallVector<int64_t> shape;
  if (failed(cast<LayerOp>(op).inferOutputShape(shape)))
    return failure();
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  if (resultType.getShape() != ArrayRef<int64_t>(shape))
    return op->emitError() << getTorchName(op) << " result shape " << formatShape(resultType.getShape())
                             << " does not match the inferred shape "
                             << formatShape(shape);
  auto inputType = cast<RankedTensorType>(op->getOperand(0).getType());
  if (resultType.getElementType() != inputType.getElementType())
    return op->emitError() << getTorchName(op) << " result element type "
                             << resultType.getElementType()
                             << " does not match the input's "
                             << inputType.getElementType();
  return success();
}
