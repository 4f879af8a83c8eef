//===- Passes.td - nn passes -----------------------------------*- tablegen -*-===//
#ifndef LAYERC_NN_PASSES_TD
#define LAYERC_NN_PASSES_TD

include "mlir/Pass/PassBase.td"

def NNInferShapes : Pass<"nn-infer-shapes", "::mlir::func::FuncOp"> {
  let summary = "Bind size symbols and re-infer every result type";
  let description = [{
    Replaces the size symbols of a model's inputs (the `nn.symbols` argument
    attribute) by the sizes given in `bind` (`N=2,L=16`), then recomputes
    the result type of every nn op in order and the function type. An op
    whose argument rules fail for the bound sizes reports the error at its
    location. `layerc run` uses this to specialize a model to the shapes of
    its `.npy` inputs.
  }];
  let options = [
    Option<"bind", "bind", "std::string", /*default=*/"\"\"",
           "Comma-separated SYMBOL=SIZE bindings">,
  ];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

def NNFoldBatchNorm : Pass<"nn-fold-batch-norm", "::mlir::func::FuncOp"> {
  let summary = "Fold eval-mode BatchNorms into the conv or linear before them";
  let description = [{
    A BatchNorm with running statistics is an affine map per channel:
    `y = x * s + t` with `s = weight / sqrt(running_var + eps)` and
    `t = bias - running_mean * s` (weight 1 and bias 0 without `affine`).
    After a conv (batched: channels in dim 1) or a linear with a rank-2
    result (features = BatchNorm1d channels), whose result the BatchNorm is
    the only user of, it folds into the producer's weights and bias:
    `W'[c] = W[c] * s[c]`, `b'[c] = b[c] * s[c] + t[c]`. The pass records the
    fold on the producer (`batch_norm`, `batch_norm_eps`,
    `batch_norm_affine`) and removes the BatchNorm; the arithmetic happens
    where the weights are bound. Not folded: BatchNorms with batch
    statistics, producers used elsewhere too, producers with fused
    activations.
  }];
}

def NNFuseActivations : Pass<"nn-fuse-activations", "::mlir::func::FuncOp"> {
  let summary = "Fuse activations into the output stage of their producer";
  let description = [{
    An `nn.relu`, `nn.sigmoid` or parameter-free `nn.activation` (relu6,
    gelu, ...; not leaky_relu or hardtanh) whose operand is the result of
    another nn op that has an `activations` attribute (not a shape op, not
    a model input), used by it alone, is appended
    to that op's `activations` and removed: the producer applies it to each
    value before storing it, so the tensor is written and read once instead
    of three times. Chains (`relu` then `sigmoid`) collapse into one
    `activations` list, applied in order.
  }];
}

#endif // LAYERC_NN_PASSES_TD
