//===- CheckTable.h - the per-layer table of `layerc check` -----*- C++ -*-===//
#ifndef LAYERC_DRIVER_CHECKTABLE_H
#define LAYERC_DRIVER_CHECKTABLE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/raw_ostream.h"

namespace layerc::driver {

/// Prints one row per layer: name, op, input and output shapes, parameter
/// shapes and count, FLOPs, and for norms the dims their statistics run
/// over; then the totals.
void printCheckTable(mlir::func::FuncOp model, llvm::raw_ostream &os);

} // namespace layerc::driver

#endif // LAYERC_DRIVER_CHECKTABLE_H
