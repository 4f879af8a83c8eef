// RUN: layerc-opt %s -nn-fold-batch-norm -split-input-file | FileCheck %s
// nn-fold-batch-norm: an eval-mode BatchNorm after a conv or a rank-2
// linear, the only user of its result, is recorded on the producer and
// removed; every other BatchNorm stays.

// Conv2d + BatchNorm2d (running stats): folded.
// CHECK-LABEL: func.func @conv_bn
// CHECK-NEXT: %[[C:.*]] = nn.conv %{{.*}} {batch_norm = "bn", batch_norm_affine = true, batch_norm_eps = 1.000000e-03 : f64,
// CHECK-SAME: node = "conv"
// CHECK-NEXT: return %[[C]]
// CHECK-NOT: nn.batch_norm
func.func @conv_bn(%x: tensor<?x3x8x8xf32>) -> tensor<?x4x8x8xf32> {
  %0 = nn.conv %x {node = "conv", weights = "conv", in_channels = 3 : i64, out_channels = 4 : i64, kernel_size = array<i64: 3, 3>, stride = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_high = array<i64: 1, 1>, dilation = array<i64: 1, 1>, groups = 1 : i64, bias = false, padding_mode = "zeros"} : tensor<?x3x8x8xf32> -> tensor<?x4x8x8xf32>
  %1 = nn.batch_norm %0 {node = "bn", weights = "bn", dim = 2 : i64, num_features = 4 : i64, eps = 1.0e-03 : f64, momentum = 1.0e-01 : f64, affine = true, track_running_stats = true} : tensor<?x4x8x8xf32> -> tensor<?x4x8x8xf32>
  return %1 : tensor<?x4x8x8xf32>
}

// -----

// Linear (rank-2 result) + BatchNorm1d without affine: folded.
// CHECK-LABEL: func.func @linear_bn
// CHECK-NEXT: %[[L:.*]] = nn.linear %{{.*}} {batch_norm = "bn", batch_norm_affine = false, batch_norm_eps = 1.000000e-05 : f64,
// CHECK-NEXT: return %[[L]]
func.func @linear_bn(%x: tensor<2x8xf32>) -> tensor<2x4xf32> {
  %0 = nn.linear %x {node = "fc", weights = "fc", in_features = 8 : i64, out_features = 4 : i64, bias = true} : tensor<2x8xf32> -> tensor<2x4xf32>
  %1 = nn.batch_norm %0 {node = "bn", weights = "bn", dim = 1 : i64, num_features = 4 : i64, eps = 1.0e-05 : f64, momentum = 1.0e-01 : f64, affine = false, track_running_stats = true} : tensor<2x4xf32> -> tensor<2x4xf32>
  return %1 : tensor<2x4xf32>
}

// -----

// Batch statistics (track_running_stats = false) are not an affine map
// known at compile time: not folded.
// CHECK-LABEL: func.func @batch_stats
// CHECK: nn.conv
// CHECK-NOT: batch_norm =
// CHECK: nn.batch_norm
func.func @batch_stats(%x: tensor<2x3x8x8xf32>) -> tensor<2x4x8x8xf32> {
  %0 = nn.conv %x {node = "conv", weights = "conv", in_channels = 3 : i64, out_channels = 4 : i64, kernel_size = array<i64: 3, 3>, stride = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_high = array<i64: 1, 1>, dilation = array<i64: 1, 1>, groups = 1 : i64, bias = true, padding_mode = "zeros"} : tensor<2x3x8x8xf32> -> tensor<2x4x8x8xf32>
  %1 = nn.batch_norm %0 {node = "bn", weights = "bn", dim = 2 : i64, num_features = 4 : i64, eps = 1.0e-05 : f64, momentum = 1.0e-01 : f64, affine = true, track_running_stats = false} : tensor<2x4x8x8xf32> -> tensor<2x4x8x8xf32>
  return %1 : tensor<2x4x8x8xf32>
}

// -----

// The conv's result is also an output: folding would change it. Not folded.
// CHECK-LABEL: func.func @conv_used_twice
// CHECK: nn.conv
// CHECK-NOT: batch_norm =
// CHECK: nn.batch_norm
func.func @conv_used_twice(%x: tensor<1x3x8x8xf32>) -> (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) {
  %0 = nn.conv %x {node = "conv", weights = "conv", in_channels = 3 : i64, out_channels = 4 : i64, kernel_size = array<i64: 3, 3>, stride = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_high = array<i64: 1, 1>, dilation = array<i64: 1, 1>, groups = 1 : i64, bias = true, padding_mode = "zeros"} : tensor<1x3x8x8xf32> -> tensor<1x4x8x8xf32>
  %1 = nn.batch_norm %0 {node = "bn", weights = "bn", dim = 2 : i64, num_features = 4 : i64, eps = 1.0e-05 : f64, momentum = 1.0e-01 : f64, affine = true, track_running_stats = true} : tensor<1x4x8x8xf32> -> tensor<1x4x8x8xf32>
  return %0, %1 : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>
}

// -----

// A linear with a rank-3 result: BatchNorm1d's channels (dim 1) are not the
// linear's features (last dim). Not folded.
// CHECK-LABEL: func.func @linear_rank3
// CHECK: nn.linear
// CHECK-NOT: batch_norm =
// CHECK: nn.batch_norm
func.func @linear_rank3(%x: tensor<2x4x8xf32>) -> tensor<2x4x4xf32> {
  %0 = nn.linear %x {node = "fc", weights = "fc", in_features = 8 : i64, out_features = 4 : i64, bias = true} : tensor<2x4x8xf32> -> tensor<2x4x4xf32>
  %1 = nn.batch_norm %0 {node = "bn", weights = "bn", dim = 1 : i64, num_features = 4 : i64, eps = 1.0e-05 : f64, momentum = 1.0e-01 : f64, affine = true, track_running_stats = true} : tensor<2x4x4xf32> -> tensor<2x4x4xf32>
  return %1 : tensor<2x4x4xf32>
}

// -----

// An unbatched conv's channels are dim 0, a BatchNorm's dim 1. Not folded.
// CHECK-LABEL: func.func @unbatched_conv
// CHECK: nn.conv
// CHECK-NOT: batch_norm =
// CHECK: nn.batch_norm
func.func @unbatched_conv(%x: tensor<3x8x8xf32>) -> tensor<4x8x8xf32> {
  %0 = nn.conv %x {node = "conv", weights = "conv", in_channels = 3 : i64, out_channels = 4 : i64, kernel_size = array<i64: 3, 3>, stride = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_high = array<i64: 1, 1>, dilation = array<i64: 1, 1>, groups = 1 : i64, bias = true, padding_mode = "zeros"} : tensor<3x8x8xf32> -> tensor<4x8x8xf32>
  %1 = nn.batch_norm %0 {node = "bn", weights = "bn", dim = 1 : i64, num_features = 8 : i64, eps = 1.0e-05 : f64, momentum = 1.0e-01 : f64, affine = true, track_running_stats = true} : tensor<4x8x8xf32> -> tensor<4x8x8xf32>
  return %1 : tensor<4x8x8xf32>
}
