//===- layerc-opt.cpp - the nn dialect's opt tool ------------------------===//
//
// mlir-opt with the nn dialect, its passes and the core passes (canonicalize,
// cse, ...) registered: for lit tests of the dialect and for debugging.
//
//===----------------------------------------------------------------------===//
#include "layerc/Dialect/NN/NNDialect.h"
#include "layerc/Dialect/NN/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerTransformsPasses();
  layerc::nn::registerNNPasses();
  mlir::DialectRegistry registry;
  registry.insert<layerc::nn::NNDialect, mlir::func::FuncDialect>();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "layerc nn dialect optimizer\n", registry));
}
