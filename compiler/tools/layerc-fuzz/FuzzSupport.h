//===- FuzzSupport.h - what the libFuzzer targets share ---------*- C++ -*-===//
//
// Each target builds a fresh MLIR context per input (so that nothing one
// input leaves behind changes how the next one runs) with the dialects of
// layerc loaded and its diagnostics dropped: the fuzzer looks for crashes,
// hangs, leaks and undefined behaviour, not for error messages.
//
//===----------------------------------------------------------------------===//
#ifndef LAYERC_FUZZ_FUZZSUPPORT_H
#define LAYERC_FUZZ_FUZZSUPPORT_H

#include "layerc/Dialect/NN/NNDialect.h"
#include "layerc/Dialect/NN/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

namespace layerc::fuzz {

/// An MLIR context for one input: single-threaded, nn and func loaded,
/// diagnostics swallowed.
class QuietContext {
public:
  QuietContext()
      : context(mlir::MLIRContext::Threading::DISABLED),
        handler(&context, [](mlir::Diagnostic &) { return mlir::success(); }) {
    context.loadDialect<nn::NNDialect, mlir::func::FuncDialect>();
  }
  mlir::MLIRContext context;

private:
  mlir::ScopedDiagnosticHandler handler;
};

/// The passes `layerc` runs on a model, in its order: canonicalization,
/// shape inference, then the fusions of the backend. Stops at the first
/// that fails (that is an error message, not a bug).
inline mlir::LogicalResult runModelPasses(mlir::ModuleOp module) {
  mlir::PassManager pm(module.getContext());
  pm.addPass(mlir::createCanonicalizerPass());
  pm.addNestedPass<mlir::func::FuncOp>(nn::createNNInferShapes());
  pm.addNestedPass<mlir::func::FuncOp>(nn::createNNFoldBatchNorm());
  pm.addNestedPass<mlir::func::FuncOp>(nn::createNNFuseActivations());
  pm.addPass(mlir::createCanonicalizerPass());
  return pm.run(module);
}

} // namespace layerc::fuzz

#endif // LAYERC_FUZZ_FUZZSUPPORT_H
