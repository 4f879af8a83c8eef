//===- Passes.h - nn passes -------------------------------------*- C++ -*-===//
#ifndef LAYERC_DIALECT_NN_PASSES_H
#define LAYERC_DIALECT_NN_PASSES_H

#include "layerc/Dialect/NN/NNDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace layerc::nn {

#define GEN_PASS_DECL
#include "layerc/Dialect/NN/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "layerc/Dialect/NN/Passes.h.inc"

/// Recomputes every nn op's result type of `func` in order, after its input
/// types changed. Errors are reported at the failing op.
mlir::LogicalResult reinferResultTypes(mlir::func::FuncOp func);

} // namespace layerc::nn

#endif // LAYERC_DIALECT_NN_PASSES_H
