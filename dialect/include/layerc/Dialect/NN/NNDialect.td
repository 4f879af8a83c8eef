//===- NNDialect.td - the nn dialect ---------------------------*- tablegen -*-===//
//
// The `nn` dialect mirrors torch.nn: one op per layer, with the layer's
// arguments as attributes and its parameters referenced by name (see
// docs/Dialect.md for why parameters are not SSA values or dense attributes).
//
//===----------------------------------------------------------------------===//
#ifndef LAYERC_NN_DIALECT_TD
#define LAYERC_NN_DIALECT_TD

include "mlir/IR/OpBase.td"

def NN_Dialect : Dialect {
  let name = "nn";
  let summary = "Neural-network layers with torch.nn semantics";
  let description = [{
    Each op is one torch.nn layer or functional op applied to one tensor.
    Shapes are `tensor<...xf32>`; a dynamic (`?`) dim is a size symbol of the
    model (for example the batch `N`), bound when the model is called.
    A layer's parameters (`weight`, `bias`, `running_mean`, ...) are named by
    the op's `weights` attribute plus a suffix, exactly the PyTorch
    `state_dict` key: `weights = "layer1.0.conv1"` owns
    `layer1.0.conv1.weight`. The weights file is bound at lowering time.
  }];
  let cppNamespace = "::layerc::nn";
}

/// An i64 attribute read as a signed value (flatten's negative dims, and
/// so that a negative size in hand-written IR reads as negative in messages).
def NN_I64Attr : TypedSignlessIntegerAttrBase<I64, "int64_t",
                                              "64-bit signless integer attribute"> {
  let convertFromStorage = "$_self.getValue().getSExtValue()";
}

class NN_Op<string mnemonic, list<Trait> traits = []>
    : Op<NN_Dialect, mnemonic, traits>;

#endif // LAYERC_NN_DIALECT_TD
