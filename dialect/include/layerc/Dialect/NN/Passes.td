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

#endif // LAYERC_NN_PASSES_TD
