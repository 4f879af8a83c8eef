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
    `momentum` (training only) is absent when written as `None`.

    ```mlir
    %1 = nn.batch_norm %x {node = "bn", weights = "bn", dim = 2 : i64,
           num_features = 16 : i64, eps = 1.0e-05 : f64, momentum = 1.0e-01 : f64,
           affine = true, track_running_stats = true}
         : tensor<?x16x32x32xf32> -> tensor<?x16x32x32xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, StrAttr:$node, StrAttr:$weights,
      NN_I64Attr:$dim, NN_I64Attr:$num_features, F64Attr:$eps,
      OptionalAttr<F64Attr>:$momentum,
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

//===----------------------------------------------------------------------===//
// SPEC §1.5: elementwise, binary, softmax, pooling, shape, matrix, attention
//===----------------------------------------------------------------------===//

def NN_ActivationOp : NN_LayerOp<"activation"> {
  let summary = "A parameter-free elementwise function (ReLU6, GELU, ...)";
  let description = [{
    `function` is one of `relu6`, `leaky_relu` (slope `alpha`), `hardtanh`
    (clamp to [`alpha`, `beta`]), `hardsigmoid`, `tanh`, `gelu` (erf form),
    `gelu_tanh` (GELU's tanh approximation), `silu`, `hardswish`; `alpha`
    and `beta` are 0 where the function has no such argument.

    ```mlir
    %1 = nn.activation %x {node = "act", function = "gelu", alpha = 0.0 : f64,
           beta = 0.0 : f64} : tensor<?x16xf32> -> tensor<?x16xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, StrAttr:$node, StrAttr:$function,
      F64Attr:$alpha, F64Attr:$beta, NN_ActivationsAttr:$activations);
}

def NN_BinaryOp : NN_LayerOp<"binary"> {
  let summary = "add, sub, mul, div of two tensors, with NumPy broadcasting";
  let description = [{
    The result has the broadcast shape of the operands (trailing dims
    aligned; a dim of 1 stretches). A dynamic dim against a static one
    takes the static size (checked when the model is called); two dynamic
    dims must be equal at run time.

    ```mlir
    %2 = nn.binary %a, %b {node = "sum", function = "add"}
         : tensor<?x64x8x8xf32>, tensor<?x64x8x8xf32> -> tensor<?x64x8x8xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$other,
      StrAttr:$node, StrAttr:$function, NN_ActivationsAttr:$activations);
  let assemblyFormat = "$input `,` $other attr-dict `:` type($input) `,` "
                       "type($other) `->` type($output)";
}

def NN_ScalarOp : NN_LayerOp<"scalar"> {
  let summary = "add, sub, mul, div of a tensor and a number";
  let description = [{
    `function(input, scalar)`, or `function(scalar, input)` when
    `scalar_first` (`sub(1.0, x)`).

    ```mlir
    %1 = nn.scalar %x {node = "scaled", function = "mul", scalar = 1.25e-01 : f64,
           scalar_first = false} : tensor<4x8xf32> -> tensor<4x8xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, StrAttr:$node, StrAttr:$function,
      F64Attr:$scalar, BoolAttr:$scalar_first, NN_ActivationsAttr:$activations);
}

def NN_SoftmaxOp : NN_LayerOp<"softmax"> {
  let summary = "softmax or log_softmax along one dim";
  let description = [{
    The maximum along `dim` is subtracted first, so large inputs neither
    overflow nor lose precision. `dim` may be negative.

    ```mlir
    %1 = nn.softmax %x {node = "probs", dim = -1 : i64, log = false}
         : tensor<?x10xf32> -> tensor<?x10xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, StrAttr:$node, NN_I64Attr:$dim,
      BoolAttr:$log);
}

def NN_PoolOp : NN_LayerOp<"pool"> {
  let summary = "Max or average pooling in 1 to 3 dims (MaxPoolNd, AvgPoolNd)";
  let description = [{
    `function` is `max` or `avg`; the spatial rank is the size of
    `kernel_size`; the input is `(C, *spatial)` or `(N, C, *spatial)`.
    Output size per dim: `floor_or_ceil((L + 2p - d(k-1) - 1) / s) + 1`, less
    one in `ceil_mode` when the last window would start in the right
    padding. Max pooling pads with -inf; average pooling divides by the
    window clipped to the padded input (`count_include_pad`) or to the input.

    ```mlir
    %1 = nn.pool %x {node = "pool", function = "max", kernel_size = array<i64: 3, 3>,
           stride = array<i64: 2, 2>, padding = array<i64: 1, 1>,
           dilation = array<i64: 1, 1>, ceil_mode = false, count_include_pad = true}
         : tensor<?x64x112x112xf32> -> tensor<?x64x56x56xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, StrAttr:$node, StrAttr:$function,
      DenseI64ArrayAttr:$kernel_size, DenseI64ArrayAttr:$stride,
      DenseI64ArrayAttr:$padding, DenseI64ArrayAttr:$dilation,
      BoolAttr:$ceil_mode, BoolAttr:$count_include_pad,
      NN_ActivationsAttr:$activations);
}

def NN_AdaptivePoolOp : NN_LayerOp<"adaptive_pool"> {
  let summary = "Adaptive max or average pooling (AdaptiveAvgPoolNd, AdaptiveMaxPool2d)";
  let description = [{
    Output element i of a spatial dim of size L pools over
    `[floor(i·L/O), ceil((i+1)·L/O))`. An `output_size` entry of -1 (`None`)
    keeps that dim's size.

    ```mlir
    %1 = nn.adaptive_pool %x {node = "gap", function = "avg",
           output_size = array<i64: 1, 1>}
         : tensor<?x512x7x7xf32> -> tensor<?x512x1x1xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, StrAttr:$node, StrAttr:$function,
      DenseI64ArrayAttr:$output_size, NN_ActivationsAttr:$activations);
}

def NN_ReshapeOp : NN_LayerOp<"reshape"> {
  let summary = "The same elements in row-major order, another shape (reshape)";
  let description = [{
    `shape` may hold one -1, the size that keeps the element count. With a
    dynamic input dim the -1 is required and becomes dynamic.

    ```mlir
    %1 = nn.reshape %x {node = "r", shape = array<i64: -1, 512>}
         : tensor<?x512x1x1xf32> -> tensor<?x512xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, StrAttr:$node,
      DenseI64ArrayAttr:$shape);
}

def NN_PermuteOp : NN_LayerOp<"permute"> {
  let summary = "Reorder the dims (permute, transpose)";
  let description = [{
    Result dim i is input dim `dims[i]`; `dims` is a permutation of the
    input's dims (negative entries count from the end).

    ```mlir
    %1 = nn.permute %x {node = "t", dims = array<i64: 0, 2, 1>}
         : tensor<?x4x8xf32> -> tensor<?x8x4xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, StrAttr:$node,
      DenseI64ArrayAttr:$dims);
}

def NN_ConcatOp : NN_Op<"concat", [Pure, NN_LayerOpInterface]> {
  let summary = "Join tensors along one dim (cat)";
  let description = [{
    Every input has the same rank and the same sizes except along `dim`.

    ```mlir
    %2 = nn.concat %a, %b {node = "c", dim = 1 : i64}
         : tensor<?x16x8xf32>, tensor<?x32x8xf32> -> tensor<?x48x8xf32>
    ```
  }];
  let arguments = (ins Variadic<AnyRankedTensor>:$inputs, StrAttr:$node,
      NN_I64Attr:$dim);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` type($inputs) `->` type($output)";
  let extraClassDeclaration = [{
    ::mlir::LogicalResult inferOutputShape(::llvm::SmallVectorImpl<int64_t> &shape);
  }];
}

def NN_MeanOp : NN_LayerOp<"mean"> {
  let summary = "Mean over some dims (mean)";
  let description = [{
    `dims` are distinct (negative entries count from the end); with
    `keepdim` they stay as size 1.

    ```mlir
    %1 = nn.mean %x {node = "m", dims = array<i64: 2, 3>, keepdim = false}
         : tensor<?x64x7x7xf32> -> tensor<?x64xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, StrAttr:$node,
      DenseI64ArrayAttr:$dims, BoolAttr:$keepdim, NN_ActivationsAttr:$activations);
}

def NN_MatmulOp : NN_LayerOp<"matmul"> {
  let summary = "Matrix product with torch.matmul's rules";
  let description = [{
    1-d operands are a row (left) or a column (right) vector, removed from
    the result; the dims before the last two broadcast.

    ```mlir
    %2 = nn.matmul %q, %k {node = "scores"}
         : tensor<?x8x16x32xf32>, tensor<?x8x32x16xf32> -> tensor<?x8x16x16xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$other,
      StrAttr:$node, NN_ActivationsAttr:$activations);
  let assemblyFormat = "$input `,` $other attr-dict `:` type($input) `,` "
                       "type($other) `->` type($output)";
}

def NN_MultiheadAttentionOp : NN_ParamLayerOp<"multihead_attention"> {
  let summary = "Self-attention (torch.nn.MultiheadAttention on (x, x, x))";
  let description = [{
    The input is `(L, N, E)`, `(N, L, E)` with `batch_first`, or unbatched
    `(L, E)`. q, k, v = x·in_proj_weightᵀ + in_proj_bias, split in
    `num_heads` heads of E/num_heads; softmax(q·kᵀ/sqrt(E/num_heads))·v per
    head; the heads joined and projected by `out_proj`. Parameters:
    `in_proj_weight (3E, E)`, `out_proj.weight (E, E)`, and with `bias`
    `in_proj_bias (3E)`, `out_proj.bias (E)`.

    ```mlir
    %1 = nn.multihead_attention %x {node = "attn", weights = "attn",
           embed_dim = 64 : i64, num_heads = 4 : i64, bias = true, batch_first = true}
         : tensor<?x16x64xf32> -> tensor<?x16x64xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, StrAttr:$node, StrAttr:$weights,
      NN_I64Attr:$embed_dim, NN_I64Attr:$num_heads, BoolAttr:$bias,
      BoolAttr:$batch_first, NN_ActivationsAttr:$activations);
}

#endif // LAYERC_NN_OPS_TD
