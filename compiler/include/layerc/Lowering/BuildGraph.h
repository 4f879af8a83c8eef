//===- BuildGraph.h - nn module + weights to a LayerGraph -------*- C++ -*-===//
#ifndef LAYERC_LOWERING_BUILDGRAPH_H
#define LAYERC_LOWERING_BUILDGRAPH_H

#include "layerc/Lowering/LayerGraph.h"
#include "layerc/Support/SafeTensors.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include <set>

namespace layerc::lowering {

/// The model function of a module built by the frontend (the only func).
mlir::func::FuncOp getModelFunction(mlir::ModuleOp module);

/// Tensors read from a weights file, by full name, so that binding the
/// same model twice (before and after fusion) reads each tensor once.
struct LoadedTensors {
  std::map<std::string, std::shared_ptr<const HostTensor>> byName;
  std::set<std::string> failed;  // reported already
};

/// Binds every parameter of `model` to its tensor in `weights` and returns
/// the graph for the Halide backend. Weights errors (missing tensor, wrong
/// shape or dtype, truncated data) are reported at the line of the layer
/// that owns the tensor; unexpected tensors are warnings when
/// `warnUnexpected`. Without a file (`weights` null) parameters are
/// deterministic pseudo-random values. A BatchNorm folded into a conv or
/// linear (nn-fold-batch-norm) is folded into its weights and bias here.
mlir::FailureOr<LayerGraph> buildLayerGraph(mlir::func::FuncOp model,
                                            const SafeTensorsFile *weights,
                                            LoadedTensors &loaded,
                                            bool warnUnexpected = true);

} // namespace layerc::lowering

#endif // LAYERC_LOWERING_BUILDGRAPH_H
