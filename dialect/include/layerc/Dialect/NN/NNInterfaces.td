//===- NNInterfaces.td - interfaces of nn ops ------------------*- tablegen -*-===//
#ifndef LAYERC_NN_INTERFACES_TD
#define LAYERC_NN_INTERFACES_TD

include "mlir/IR/OpBase.td"

def NN_LayerOpInterface : OpInterface<"LayerOp"> {
  let description = [{
    What every nn op knows about itself: the shape of its result for the
    shape of its input (with all argument checks), and the parameter tensors
    it reads. The verifier, the frontend, `layerc check` and the weights
    loader all go through these two methods, so the shape rules live once.
  }];
  let cppNamespace = "::layerc::nn";
  let methods = [
    InterfaceMethod<[{
        Computes the result shape from the input type and the attributes.
        Emits an error on the op (naming expected and actual values) and
        fails when the combination is invalid. Dynamic dims stay dynamic.
      }], "::mlir::LogicalResult", "inferOutputShape",
      (ins "::llvm::SmallVectorImpl<int64_t> &":$shape)>,
    InterfaceMethod<[{
        The parameter tensors this op reads, as (suffix, shape) pairs; the
        full name is `<weights attribute>.<suffix>`.
      }], "void", "getParameters",
      (ins "::llvm::SmallVectorImpl<::layerc::nn::ParameterSpec> &":$params),
      [{}], [{ (void)params; }]>,
    InterfaceMethod<[{ The node name from the source (`conv1`). }],
      "::llvm::StringRef", "getNodeName", (ins),
      [{ return $_op.getNode(); }]>,
  ];
  let verify = [{ return ::layerc::nn::detail::verifyLayerOp($_op); }];
}

#endif // LAYERC_NN_INTERFACES_TD
