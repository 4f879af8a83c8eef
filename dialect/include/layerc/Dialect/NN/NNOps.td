//===- NNOps.td - nn layer ops ---------------------------------*- tablegen -*-===//
//
// One op per torch.nn layer. Attributes mirror the torch arguments; integer
// tuples are `array<i64: ...>` of the spatial rank. Every op carries `node`,
// the name the user gave it, for diagnostics and for `layerc check`.
//
//===----------------------------------------------------------------------===//
#ifndef LAYERC_NN_OPS_TD
#define LAYERC_NN_OPS_TD

include "layerc/Dialect/NN/NNDialect.td"
include "layerc/Dialect/NN/NNInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// Set by the fusion passes (see Passes.td), never by the frontend.
//
// `activations`: elementwise layers applied, in order, to the op's result
// in its output stage ("relu", "sigmoid"), where nn-fuse-activations
// removed the separate ops.
def NN_ActivationsAttr : OptionalAttr<StrArrayAttr>;
// `batch_norm` (the BatchNorm's state_dict prefix), `batch_norm_eps` and
// `batch_norm_affine`: an eval-mode BatchNorm that nn-fold-batch-norm
// folded into this conv's or linear's weights and bias. Its parameters are
// read under its own prefix.

class NN_LayerOp<string mnemonic, list<Trait> traits = []>
    : NN_Op<mnemonic, !listconcat(traits, [Pure, NN_LayerOpInterface])> {
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let extraClassDeclaration = [{
    ::mlir::LogicalResult inferOutputShape(::llvm::SmallVectorImpl<int64_t> &shape);
  }];
}

class NN_ParamLayerOp<string mnemonic, list<Trait> traits = []>
    : NN_LayerOp<mnemonic, traits> {
  let extraClassDeclaration = [{
    ::mlir::LogicalResult inferOutputShape(::llvm::SmallVectorImpl<int64_t> &shape);
    void getParameters(::llvm::SmallVectorImpl<::layerc::nn::ParameterSpec> &params);
  }];
}

//===----------------------------------------------------------------------===//
// Layers with parameters
//===----------------------------------------------------------------------===//

def NN_ConvOp : NN_ParamLayerOp<"conv"> {
  let summary = "N-d convolution (Conv1d, Conv2d, Conv3d)";
  let description = [{
    `torch.nn.ConvNd` for N = size of `kernel_size` (1 to 3). The input is
    batched `(N, C, *spatial)` or unbatched `(C, *spatial)`. Padding is
    explicit per side (`"same"` is resolved by the frontend, the extra
    element of an odd total on the high side). Output size per spatial dim:
    `floor((L + lo + hi - d(k-1) - 1) / s) + 1`. Parameters:
    `weight (out_channels, in_channels/groups, *kernel_size)`, and
    `bias (out_channels)` when `bias` is true.

    ```mlir
    %1 = nn.conv %x {node = "conv1", weights = "conv1", in_channels = 3 : i64,
           out_channels = 16 : i64, kernel_size = array<i64: 3, 3>,
           stride = array<i64: 1, 1>, padding_low = array<i64: 1, 1>,
           padding_high = array<i64: 1, 1>, dilation = array<i64: 1, 1>,
           groups = 1 : i64, bias = true, padding_mode = "zeros"}
         : tensor<?x3x32x32xf32> -> tensor<?x16x32x32xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, StrAttr:$node, StrAttr:$weights,
      NN_I64Attr:$in_channels, NN_I64Attr:$out_channels,
      DenseI64ArrayAttr:$kernel_size, DenseI64ArrayAttr:$stride,
      DenseI64ArrayAttr:$padding_low, DenseI64ArrayAttr:$padding_high,
      DenseI64ArrayAttr:$dilation, NN_I64Attr:$groups, BoolAttr:$bias,
      StrAttr:$padding_mode, OptionalAttr<StrAttr>:$batch_norm,
      OptionalAttr<F64Attr>:$batch_norm_eps,
      OptionalAttr<BoolAttr>:$batch_norm_affine, NN_ActivationsAttr:$activations);
}

def NN_LinearOp : NN_ParamLayerOp<"linear"> {
  let summary = "Affine map over the last dim (torch.nn.Linear)";
  let description = [{
    `y = x Aᵀ + b` over the last dim of an input of any rank >= 1.
    Parameters: `weight (out_features, in_features)`, `bias (out_features)`.

    ```mlir
    %2 = nn.linear %1 {node = "fc", weights = "fc", in_features = 512 : i64,
           out_features = 10 : i64, bias = true}
         : tensor<?x512xf32> -> tensor<?x10xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, StrAttr:$node, StrAttr:$weights,
      NN_I64Attr:$in_features, NN_I64Attr:$out_features, BoolAttr:$bias,
      OptionalAttr<StrAttr>:$batch_norm,
      OptionalAttr<F64Attr>:$batch_norm_eps,
      OptionalAttr<BoolAttr>:$batch_norm_affine, NN_ActivationsAttr:$activations);
}

def NN_LayerNormOp : NN_ParamLayerOp<"layer_norm"> {
  let summary = "Normalization over trailing dims (torch.nn.LayerNorm)";
  let description = [{
    Per sample, mean and biased variance over the trailing
    `len(normalized_shape)` dims, which must equal `normalized_shape`;
    `y = (x - mean) / sqrt(var + eps) * weight + bias`. Parameters (shape
    `normalized_shape`): `weight` when `elementwise_affine`, `bias` when also
    `bias`.

    ```mlir
    %1 = nn.layer_norm %x {node = "ln", weights = "ln",
           normalized_shape = array<i64: 768>, eps = 1.0e-05 : f64,
           elementwise_affine = true, bias = true}
         : tensor<?x128x768xf32> -> tensor<?x128x768xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, StrAttr:$node, StrAttr:$weights,
      DenseI64ArrayAttr:$normalized_shape, F64Attr:$eps,
      BoolAttr:$elementwise_affine, BoolAttr:$bias,
      NN_ActivationsAttr:$activations);
}

def NN_BatchNormOp : NN_ParamLayerOp<"batch_norm"> {
  let summary = "Per-channel normalization (torch.nn.BatchNorm1d/2d/3d)";
  let description = [{
    `dim` is 1, 2 or 3 for BatchNorm1d/2d/3d, which take inputs of rank 2 or
    3, 4, and 5, channels in dim 1. With `track_running_stats` the
    statistics are `running_mean`/`running_var` (eval mode); without, they
    are the batch's own over (N, *spatial), which needs more than one value
    per channel. Parameters (shape `(num_features)`): `weight`, `bias` when
    `affine`; `running_mean`, `running_var` when `track_running_stats`.

    ```mlir
    %1 = nn.batch_norm %x {node = "bn", weights = "bn", dim = 2 : i64,
           num_features = 16 : i64, eps = 1.0e-05 : f64, momentum = 1.0e-01 : f64,
           affine = true, track_running_stats = true}
         : tensor<?x16x32x32xf32> -> tensor<?x16x32x32xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, StrAttr:$node, StrAttr:$weights,
      NN_I64Attr:$dim, NN_I64Attr:$num_features, F64Attr:$eps, F64Attr:$momentum,
      BoolAttr:$affine, BoolAttr:$track_running_stats,
      NN_ActivationsAttr:$activations);
}

def NN_GroupNormOp : NN_ParamLayerOp<"group_norm"> {
  let summary = "Per-sample, per-group normalization (torch.nn.GroupNorm)";
  let description = [{
    Channels (dim 1) split into `num_groups` groups; per sample and group,
    mean and biased variance over (C/G, *spatial); affine per channel.
    Parameters (shape `(num_channels)`): `weight`, `bias` when `affine`.

    ```mlir
    %1 = nn.group_norm %x {node = "gn", weights = "gn", num_groups = 4 : i64,
           num_channels = 32 : i64, eps = 1.0e-05 : f64, affine = true}
         : tensor<?x32x16x16xf32> -> tensor<?x32x16x16xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, StrAttr:$node, StrAttr:$weights,
      NN_I64Attr:$num_groups, NN_I64Attr:$num_channels, F64Attr:$eps,
      BoolAttr:$affine, NN_ActivationsAttr:$activations);
}

//===----------------------------------------------------------------------===//
// Parameter-free ops
//===----------------------------------------------------------------------===//

def NN_ReluOp : NN_LayerOp<"relu"> {
  let summary = "max(x, 0) (torch.nn.ReLU, relu)";
  let description = [{
    ```mlir
    %1 = nn.relu %x {node = "act"} : tensor<?x16xf32> -> tensor<?x16xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, StrAttr:$node,
      NN_ActivationsAttr:$activations);
  let hasFolder = 1;
}

def NN_SigmoidOp : NN_LayerOp<"sigmoid"> {
  let summary = "1 / (1 + exp(-x)) (torch.nn.Sigmoid, sigmoid)";
  let description = [{
    ```mlir
    %1 = nn.sigmoid %x {node = "act"} : tensor<?x16xf32> -> tensor<?x16xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, StrAttr:$node,
      NN_ActivationsAttr:$activations);
}

def NN_FlattenOp : NN_LayerOp<"flatten"> {
  let summary = "Merge dims start_dim..end_dim (torch.flatten)";
  let description = [{
    Dims may be negative (counted from the end). A dynamic dim in the range
    makes the merged dim dynamic. A range of one dim is the identity and
    folds away.

    ```mlir
    %1 = nn.flatten %x {node = "flat", start_dim = 1 : i64, end_dim = -1 : i64}
         : tensor<?x32x4x4xf32> -> tensor<?x512xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, StrAttr:$node,
      NN_I64Attr:$start_dim, NN_I64Attr:$end_dim);
  let hasFolder = 1;
}

#endif // LAYERC_NN_OPS_TD
