//===- BuildGraph.h - nn module + weights to a LayerGraph -------*- C++ -*-===//
#ifndef LAYERC_LOWERING_BUILDGRAPH_H
#define LAYERC_LOWERING_BUILDGRAPH_H

#include "layerc/Lowering/LayerGraph.h"
#include "layerc/Support/SafeTensors.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace layerc::lowering {

/// The model function of a module built by the frontend (the only func).
mlir::func::FuncOp getModelFunction(mlir::ModuleOp module);

/// Binds every parameter of `model` to its tensor in `weights` and returns
/// the graph for the Halide backend. Weights errors (missing tensor, wrong
/// shape or dtype, truncated data) are reported at the line of the layer
/// that owns the tensor; unexpected tensors are warnings. Without a file
/// (`weights` null) parameters are deterministic pseudo-random values.
mlir::FailureOr<LayerGraph> buildLayerGraph(mlir::func::FuncOp model,
                                            const SafeTensorsFile *weights);

} // namespace layerc::lowering

#endif // LAYERC_LOWERING_BUILDGRAPH_H
