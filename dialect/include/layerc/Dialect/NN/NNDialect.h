//===- NNDialect.h - the nn dialect -----------------------------*- C++ -*-===//
//
// Include this to use the nn dialect and its ops.
//
//===----------------------------------------------------------------------===//
#ifndef LAYERC_DIALECT_NN_NNDIALECT_H
#define LAYERC_DIALECT_NN_NNDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <string>

namespace layerc::nn {

/// One parameter tensor of a layer: `<owner>.<suffix>` with this shape,
/// the owner being the op's `weights` prefix unless given (a BatchNorm
/// folded into a conv reads its tensors under its own prefix).
struct ParameterSpec {
  std::string suffix;            // "weight", "bias", "running_mean", ...
  llvm::SmallVector<int64_t> shape;
  std::string owner = "";        // "" = the op's `weights`
};

/// Names of the argument attributes that carry a model input's source name
/// and its size symbols ("" for a static dim), and of the function
/// attribute that names the outputs.
inline constexpr llvm::StringLiteral kInputNameAttr = "nn.name";
inline constexpr llvm::StringLiteral kInputSymbolsAttr = "nn.symbols";
inline constexpr llvm::StringLiteral kOutputNamesAttr = "nn.outputs";

/// The elementwise functions a fused `activations` list may hold: the
/// mnemonics of nn.relu and nn.sigmoid, and the parameter-free functions of
/// nn.activation.
inline constexpr llvm::StringLiteral kActivations[] = {
    "relu", "sigmoid", "relu6", "hardsigmoid", "tanh", "gelu", "gelu_tanh",
    "silu", "hardswish"};

/// Every function of nn.activation: kActivations less relu and sigmoid,
/// plus those with arguments.
inline constexpr llvm::StringLiteral kActivationFunctions[] = {
    "relu6", "hardsigmoid", "tanh", "gelu", "gelu_tanh", "silu", "hardswish",
    "leaky_relu", "hardtanh"};

/// The largest size of a dim, an argument and a whole tensor (elements):
/// generated code indexes with 32-bit integers.
inline constexpr int64_t kMaxTensorSize = 2147483647;

/// Element count of a static shape, or nullopt when a dim is dynamic or the
/// count exceeds kMaxTensorSize.
std::optional<int64_t> checkedElementCount(llvm::ArrayRef<int64_t> shape);

/// The result shape of a layer op: its input and parameters checked against
/// kMaxTensorSize, then LayerOp::inferOutputShape, then the result checked.
/// Every user of shape inference goes through here; errors are reported on
/// the op.
mlir::LogicalResult inferResultShape(mlir::Operation *op,
                                     llvm::SmallVectorImpl<int64_t> &shape);

/// The user-facing name of a value for messages: the node that defines it,
/// or the model input it is.
std::string describeValue(mlir::Value value);

/// The torch name of an nn op as users write it: Conv2d, BatchNorm1d,
/// Linear, ReLU, flatten, ...
std::string getTorchName(mlir::Operation *op);

/// An error on `op` that names the layer as the user wrote it
/// (`Conv2d expects 64 input channels, ...`), located at the written
/// `argument` (a torch argument name, or "input" for the operand) when the
/// frontend recorded it, else at the op.
mlir::InFlightDiagnostic emitLayerError(mlir::Operation *op,
                                        llvm::StringRef argument = "");

/// Formats a number as Python prints short ones (`1.5`, `0.001`, `1e-05`).
std::string formatNumber(double value);

/// Formats a shape as `[2, ?, 3]` for messages (`?` for a dynamic dim).
std::string formatShape(llvm::ArrayRef<int64_t> shape);

namespace detail {
/// Shared verifier of every LayerOp: the inferred shape must be valid and
/// equal the result type.
mlir::LogicalResult verifyLayerOp(mlir::Operation *op);
} // namespace detail

} // namespace layerc::nn

#include "layerc/Dialect/NN/NNDialect.h.inc"
#include "layerc/Dialect/NN/NNInterfaces.h.inc"

#define GET_OP_CLASSES
#include "layerc/Dialect/NN/NNOps.h.inc"

#endif // LAYERC_DIALECT_NN_NNDIALECT_H
