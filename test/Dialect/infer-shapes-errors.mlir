// RUN: layerc-opt %s -split-input-file -verify-diagnostics -pass-pipeline='builtin.module(func.func(nn-infer-shapes{bind="N=2,L=2,S=4,B=1"}))'
// nn-infer-shapes: an op that is valid for dynamic sizes but whose argument
// rules fail for the bound sizes reports the error at its own location.

// Circular padding 3 is more than the bound length L = 2. The op before it
// is fine.
func.func @circular_too_large(%x: tensor<?x2x?xf32> {nn.name = "x", nn.symbols = ["N", "", "L"]}) -> tensor<?x2x?xf32> {
  %0 = nn.relu %x {node = "act"} : tensor<?x2x?xf32> -> tensor<?x2x?xf32>
  // expected-error @+1 {{Conv1d circular padding (3) must not exceed the input size (2) of spatial dim 0}}
  %1 = nn.conv %0 {bias = true, dilation = array<i64: 1>, groups = 1 : i64, in_channels = 2 : i64, kernel_size = array<i64: 7>, node = "conv1", out_channels = 2 : i64, padding_high = array<i64: 3>, padding_low = array<i64: 3>, padding_mode = "circular", stride = array<i64: 1>, weights = "conv1"} : tensor<?x2x?xf32> -> tensor<?x2x?xf32>
  return %1 : tensor<?x2x?xf32>
}

// -----

// A 3x3 kernel without padding does not fit in the bound 2x2 input.
func.func @output_not_positive(%x: tensor<?x3x?x?xf32> {nn.name = "image", nn.symbols = ["N", "", "L", "L"]}) -> tensor<?x8x?x?xf32> {
  // expected-error @+1 {{Conv2d output size of spatial dim 0 is not positive: input size 2 + padding 0 is smaller than the dilated kernel 3}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 3 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 0, 0>, padding_low = array<i64: 0, 0>, padding_mode = "zeros", stride = array<i64: 1, 1>, weights = "conv1"} : tensor<?x3x?x?xf32> -> tensor<?x8x?x?xf32>
  return %0 : tensor<?x8x?x?xf32>
}

// -----

// The bound size reaches the second conv through the first (S = 4 gives 2),
// and the error is on the second conv, naming its input by node.
func.func @second_op(%x: tensor<?x4x?xf32> {nn.name = "x", nn.symbols = ["N", "", "S"]}) -> tensor<?x4x?xf32> {
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3>, node = "conv1", out_channels = 4 : i64, padding_high = array<i64: 0>, padding_low = array<i64: 0>, padding_mode = "zeros", stride = array<i64: 1>, weights = "conv1"} : tensor<?x4x?xf32> -> tensor<?x4x?xf32>
  // expected-error @+1 {{Conv1d reflect padding (2) must be smaller than the input size (2) of spatial dim 0}}
  %1 = nn.conv %0 {bias = true, dilation = array<i64: 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 5>, node = "conv2", out_channels = 4 : i64, padding_high = array<i64: 2>, padding_low = array<i64: 2>, padding_mode = "reflect", stride = array<i64: 1>, weights = "conv2"} : tensor<?x4x?xf32> -> tensor<?x4x?xf32>
  return %1 : tensor<?x4x?xf32>
}

// -----

// Batch statistics over a batch bound to B = 1 without spatial dims.
func.func @batch_of_one(%x: tensor<?x4xf32> {nn.name = "feat", nn.symbols = ["B", ""]}) -> tensor<?x4xf32> {
  // expected-error @+1 {{BatchNorm1d batch statistics need more than 1 value per channel, input 'feat' of shape [1, 4] has 1}}
  %0 = nn.batch_norm %x {affine = true, dim = 1 : i64, eps = 1.0e-05 : f64, momentum = 1.0e-01 : f64, node = "bn", num_features = 4 : i64, track_running_stats = false, weights = "bn"} : tensor<?x4xf32> -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// Only the first failing op is reported.
func.func @first_error_only(%x: tensor<?x2x?xf32> {nn.symbols = ["N", "", "L"]}) -> tensor<?x2x?xf32> {
  // expected-error @+1 {{Conv1d output size of spatial dim 0 is not positive: input size 2 + padding 0 is smaller than the dilated kernel 3}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1>, groups = 1 : i64, in_channels = 2 : i64, kernel_size = array<i64: 3>, node = "conv1", out_channels = 2 : i64, padding_high = array<i64: 0>, padding_low = array<i64: 0>, padding_mode = "zeros", stride = array<i64: 1>, weights = "conv1"} : tensor<?x2x?xf32> -> tensor<?x2x?xf32>
  %1 = nn.conv %0 {bias = true, dilation = array<i64: 1>, groups = 1 : i64, in_channels = 2 : i64, kernel_size = array<i64: 3>, node = "conv2", out_channels = 2 : i64, padding_high = array<i64: 0>, padding_low = array<i64: 0>, padding_mode = "zeros", stride = array<i64: 1>, weights = "conv2"} : tensor<?x2x?xf32> -> tensor<?x2x?xf32>
  return %1 : tensor<?x2x?xf32>
}
