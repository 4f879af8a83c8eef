// RUN: layerc-opt %s | layerc-opt | FileCheck %s
// Round trip: every op prints and parses back to itself.

// CHECK-LABEL: func.func @relu
func.func @relu(%x: tensor<?x16xf32>) -> tensor<?x16xf32> {
  // CHECK: nn.relu %{{.*}} {node = "act"} : tensor<?x16xf32> -> tensor<?x16xf32>
  %0 = nn.relu %x {node = "act"} : tensor<?x16xf32> -> tensor<?x16xf32>
  return %0 : tensor<?x16xf32>
}

//===----------------------------------------------------------------------===//
// nn.conv
//===----------------------------------------------------------------------===//

// Conv1d, batched, asymmetric padding, stride 2: (10 + 1 + 2 - 2 - 1) / 2 + 1 = 6.
// CHECK-LABEL: func.func @conv1d_batched
// CHECK-SAME: (%[[X:.*]]: tensor<?x4x10xf32>) -> tensor<?x8x6xf32>
// CHECK-NEXT: %[[R:.*]] = nn.conv %[[X]] {bias = true, dilation = array<i64: 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3>, node = "c1", out_channels = 8 : i64, padding_high = array<i64: 2>, padding_low = array<i64: 1>, padding_mode = "zeros", stride = array<i64: 2>, weights = "c1"} : tensor<?x4x10xf32> -> tensor<?x8x6xf32>
// CHECK-NEXT: return %[[R]] : tensor<?x8x6xf32>
func.func @conv1d_batched(%x: tensor<?x4x10xf32>) -> tensor<?x8x6xf32> {
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3>, node = "c1", out_channels = 8 : i64, padding_high = array<i64: 2>, padding_low = array<i64: 1>, padding_mode = "zeros", stride = array<i64: 2>, weights = "c1"} : tensor<?x4x10xf32> -> tensor<?x8x6xf32>
  return %0 : tensor<?x8x6xf32>
}

// Conv1d, unbatched (C, L), replicate padding.
// CHECK-LABEL: func.func @conv1d_unbatched
// CHECK-SAME: (%[[X:.*]]: tensor<4x10xf32>) -> tensor<6x10xf32>
// CHECK-NEXT: %[[R:.*]] = nn.conv %[[X]] {bias = true, dilation = array<i64: 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3>, node = "c1u", out_channels = 6 : i64, padding_high = array<i64: 1>, padding_low = array<i64: 1>, padding_mode = "replicate", stride = array<i64: 1>, weights = "blocks.0.c1u"} : tensor<4x10xf32> -> tensor<6x10xf32>
// CHECK-NEXT: return %[[R]] : tensor<6x10xf32>
func.func @conv1d_unbatched(%x: tensor<4x10xf32>) -> tensor<6x10xf32> {
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3>, node = "c1u", out_channels = 6 : i64, padding_high = array<i64: 1>, padding_low = array<i64: 1>, padding_mode = "replicate", stride = array<i64: 1>, weights = "blocks.0.c1u"} : tensor<4x10xf32> -> tensor<6x10xf32>
  return %0 : tensor<6x10xf32>
}

// Conv2d, batched, groups 2, dilation 2, reflect padding:
// (16 + 2 + 2 - 2 * 2 - 1) / 1 + 1 = 16.
// CHECK-LABEL: func.func @conv2d_groups_reflect
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x16x16xf32>) -> tensor<2x8x16x16xf32>
// CHECK-NEXT: %[[R:.*]] = nn.conv %[[X]] {bias = true, dilation = array<i64: 2, 2>, groups = 2 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "c2", out_channels = 8 : i64, padding_high = array<i64: 2, 2>, padding_low = array<i64: 2, 2>, padding_mode = "reflect", stride = array<i64: 1, 1>, weights = "c2"} : tensor<2x4x16x16xf32> -> tensor<2x8x16x16xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x8x16x16xf32>
func.func @conv2d_groups_reflect(%x: tensor<2x4x16x16xf32>) -> tensor<2x8x16x16xf32> {
  %0 = nn.conv %x {bias = true, dilation = array<i64: 2, 2>, groups = 2 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "c2", out_channels = 8 : i64, padding_high = array<i64: 2, 2>, padding_low = array<i64: 2, 2>, padding_mode = "reflect", stride = array<i64: 1, 1>, weights = "c2"} : tensor<2x4x16x16xf32> -> tensor<2x8x16x16xf32>
  return %0 : tensor<2x8x16x16xf32>
}

// Conv2d, unbatched, circular padding, no bias, stride (2, 1):
// (8 + 2 - 2 - 1) / 2 + 1 = 4 and (8 + 2 - 2 - 1) / 1 + 1 = 8.
// CHECK-LABEL: func.func @conv2d_unbatched_circular_nobias
// CHECK-SAME: (%[[X:.*]]: tensor<3x8x8xf32>) -> tensor<5x4x8xf32>
// CHECK-NEXT: %[[R:.*]] = nn.conv %[[X]] {bias = false, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 3 : i64, kernel_size = array<i64: 3, 3>, node = "c2u", out_channels = 5 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_mode = "circular", stride = array<i64: 2, 1>, weights = "c2u"} : tensor<3x8x8xf32> -> tensor<5x4x8xf32>
// CHECK-NEXT: return %[[R]] : tensor<5x4x8xf32>
func.func @conv2d_unbatched_circular_nobias(%x: tensor<3x8x8xf32>) -> tensor<5x4x8xf32> {
  %0 = nn.conv %x {bias = false, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 3 : i64, kernel_size = array<i64: 3, 3>, node = "c2u", out_channels = 5 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_mode = "circular", stride = array<i64: 2, 1>, weights = "c2u"} : tensor<3x8x8xf32> -> tensor<5x4x8xf32>
  return %0 : tensor<5x4x8xf32>
}

// Conv2d with dynamic batch, channels and spatial dims: a dynamic channel
// dim is checked at run time, a dynamic spatial dim stays dynamic.
// CHECK-LABEL: func.func @conv2d_dynamic
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x?x32xf32>) -> tensor<?x16x?x16xf32>
// CHECK-NEXT: %[[R:.*]] = nn.conv %[[X]] {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 3 : i64, kernel_size = array<i64: 3, 3>, node = "c2d", out_channels = 16 : i64, padding_high = array<i64: 1, 0>, padding_low = array<i64: 1, 1>, padding_mode = "zeros", stride = array<i64: 2, 2>, weights = "c2d"} : tensor<?x?x?x32xf32> -> tensor<?x16x?x16xf32>
// CHECK-NEXT: return %[[R]] : tensor<?x16x?x16xf32>
func.func @conv2d_dynamic(%x: tensor<?x?x?x32xf32>) -> tensor<?x16x?x16xf32> {
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 3 : i64, kernel_size = array<i64: 3, 3>, node = "c2d", out_channels = 16 : i64, padding_high = array<i64: 1, 0>, padding_low = array<i64: 1, 1>, padding_mode = "zeros", stride = array<i64: 2, 2>, weights = "c2d"} : tensor<?x?x?x32xf32> -> tensor<?x16x?x16xf32>
  return %0 : tensor<?x16x?x16xf32>
}

// Conv3d, batched, dynamic batch and depth, groups 2:
// depth stays dynamic, (8 + 1 + 1 - 2 - 1) / 2 + 1 = 4.
// CHECK-LABEL: func.func @conv3d_batched
// CHECK-SAME: (%[[X:.*]]: tensor<?x2x?x8x8xf32>) -> tensor<?x4x?x4x4xf32>
// CHECK-NEXT: %[[R:.*]] = nn.conv %[[X]] {bias = true, dilation = array<i64: 1, 1, 1>, groups = 2 : i64, in_channels = 2 : i64, kernel_size = array<i64: 1, 3, 3>, node = "c3", out_channels = 4 : i64, padding_high = array<i64: 0, 1, 1>, padding_low = array<i64: 0, 1, 1>, padding_mode = "zeros", stride = array<i64: 1, 2, 2>, weights = "c3"} : tensor<?x2x?x8x8xf32> -> tensor<?x4x?x4x4xf32>
// CHECK-NEXT: return %[[R]] : tensor<?x4x?x4x4xf32>
func.func @conv3d_batched(%x: tensor<?x2x?x8x8xf32>) -> tensor<?x4x?x4x4xf32> {
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1, 1>, groups = 2 : i64, in_channels = 2 : i64, kernel_size = array<i64: 1, 3, 3>, node = "c3", out_channels = 4 : i64, padding_high = array<i64: 0, 1, 1>, padding_low = array<i64: 0, 1, 1>, padding_mode = "zeros", stride = array<i64: 1, 2, 2>, weights = "c3"} : tensor<?x2x?x8x8xf32> -> tensor<?x4x?x4x4xf32>
  return %0 : tensor<?x4x?x4x4xf32>
}

// Conv3d, unbatched (C, D, H, W), no padding: 4 - 1 - 1 + 1 = 3.
// CHECK-LABEL: func.func @conv3d_unbatched
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x4x4xf32>) -> tensor<3x3x3x3xf32>
// CHECK-NEXT: %[[R:.*]] = nn.conv %[[X]] {bias = false, dilation = array<i64: 1, 1, 1>, groups = 1 : i64, in_channels = 2 : i64, kernel_size = array<i64: 2, 2, 2>, node = "c3u", out_channels = 3 : i64, padding_high = array<i64: 0, 0, 0>, padding_low = array<i64: 0, 0, 0>, padding_mode = "replicate", stride = array<i64: 1, 1, 1>, weights = "c3u"} : tensor<2x4x4x4xf32> -> tensor<3x3x3x3xf32>
// CHECK-NEXT: return %[[R]] : tensor<3x3x3x3xf32>
func.func @conv3d_unbatched(%x: tensor<2x4x4x4xf32>) -> tensor<3x3x3x3xf32> {
  %0 = nn.conv %x {bias = false, dilation = array<i64: 1, 1, 1>, groups = 1 : i64, in_channels = 2 : i64, kernel_size = array<i64: 2, 2, 2>, node = "c3u", out_channels = 3 : i64, padding_high = array<i64: 0, 0, 0>, padding_low = array<i64: 0, 0, 0>, padding_mode = "replicate", stride = array<i64: 1, 1, 1>, weights = "c3u"} : tensor<2x4x4x4xf32> -> tensor<3x3x3x3xf32>
  return %0 : tensor<3x3x3x3xf32>
}

// Boundaries: circular padding equal to the input size (3), and a kernel
// that exactly covers the padded input: 3 + 3 + 3 - 8 - 1 = 0, output 1.
// CHECK-LABEL: func.func @conv1d_circular_boundary
// CHECK-SAME: (%[[X:.*]]: tensor<?x2x3xf32>) -> tensor<?x2x1xf32>
// CHECK-NEXT: %[[R:.*]] = nn.conv %[[X]] {bias = true, dilation = array<i64: 1>, groups = 1 : i64, in_channels = 2 : i64, kernel_size = array<i64: 9>, node = "cb", out_channels = 2 : i64, padding_high = array<i64: 3>, padding_low = array<i64: 3>, padding_mode = "circular", stride = array<i64: 1>, weights = "cb"} : tensor<?x2x3xf32> -> tensor<?x2x1xf32>
// CHECK-NEXT: return %[[R]] : tensor<?x2x1xf32>
func.func @conv1d_circular_boundary(%x: tensor<?x2x3xf32>) -> tensor<?x2x1xf32> {
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1>, groups = 1 : i64, in_channels = 2 : i64, kernel_size = array<i64: 9>, node = "cb", out_channels = 2 : i64, padding_high = array<i64: 3>, padding_low = array<i64: 3>, padding_mode = "circular", stride = array<i64: 1>, weights = "cb"} : tensor<?x2x3xf32> -> tensor<?x2x1xf32>
  return %0 : tensor<?x2x1xf32>
}

// Boundary: reflect padding one less than the input size (2 < 3), with
// dilation 2 and stride 3: (3 + 0 + 2 - 2 * 2 - 1) / 3 + 1 = 1.
// CHECK-LABEL: func.func @conv1d_reflect_boundary
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>) -> tensor<4x1xf32>
// CHECK-NEXT: %[[R:.*]] = nn.conv %[[X]] {bias = false, dilation = array<i64: 2>, groups = 2 : i64, in_channels = 2 : i64, kernel_size = array<i64: 3>, node = "rb", out_channels = 4 : i64, padding_high = array<i64: 2>, padding_low = array<i64: 0>, padding_mode = "reflect", stride = array<i64: 3>, weights = "rb"} : tensor<2x3xf32> -> tensor<4x1xf32>
// CHECK-NEXT: return %[[R]] : tensor<4x1xf32>
func.func @conv1d_reflect_boundary(%x: tensor<2x3xf32>) -> tensor<4x1xf32> {
  %0 = nn.conv %x {bias = false, dilation = array<i64: 2>, groups = 2 : i64, in_channels = 2 : i64, kernel_size = array<i64: 3>, node = "rb", out_channels = 4 : i64, padding_high = array<i64: 2>, padding_low = array<i64: 0>, padding_mode = "reflect", stride = array<i64: 3>, weights = "rb"} : tensor<2x3xf32> -> tensor<4x1xf32>
  return %0 : tensor<4x1xf32>
}

//===----------------------------------------------------------------------===//
// nn.linear
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @linear_rank1
// CHECK-SAME: (%[[X:.*]]: tensor<16xf32>) -> tensor<10xf32>
// CHECK-NEXT: %[[R:.*]] = nn.linear %[[X]] {bias = false, in_features = 16 : i64, node = "fc1", out_features = 10 : i64, weights = "fc1"} : tensor<16xf32> -> tensor<10xf32>
// CHECK-NEXT: return %[[R]] : tensor<10xf32>
func.func @linear_rank1(%x: tensor<16xf32>) -> tensor<10xf32> {
  %0 = nn.linear %x {bias = false, in_features = 16 : i64, node = "fc1", out_features = 10 : i64, weights = "fc1"} : tensor<16xf32> -> tensor<10xf32>
  return %0 : tensor<10xf32>
}

// CHECK-LABEL: func.func @linear_rank3
// CHECK-SAME: (%[[X:.*]]: tensor<?x128x512xf32>) -> tensor<?x128x10xf32>
// CHECK-NEXT: %[[R:.*]] = nn.linear %[[X]] {bias = true, in_features = 512 : i64, node = "fc3", out_features = 10 : i64, weights = "head.fc3"} : tensor<?x128x512xf32> -> tensor<?x128x10xf32>
// CHECK-NEXT: return %[[R]] : tensor<?x128x10xf32>
func.func @linear_rank3(%x: tensor<?x128x512xf32>) -> tensor<?x128x10xf32> {
  %0 = nn.linear %x {bias = true, in_features = 512 : i64, node = "fc3", out_features = 10 : i64, weights = "head.fc3"} : tensor<?x128x512xf32> -> tensor<?x128x10xf32>
  return %0 : tensor<?x128x10xf32>
}

//===----------------------------------------------------------------------===//
// nn.relu, nn.sigmoid
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @relu_static
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT: %[[R:.*]] = nn.relu %[[X]] {node = "r"} : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x3x4xf32>
func.func @relu_static(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = nn.relu %x {node = "r"} : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// CHECK-LABEL: func.func @sigmoid
// CHECK-SAME: (%[[X:.*]]: tensor<2x?x7xf32>) -> tensor<2x?x7xf32>
// CHECK-NEXT: %[[R:.*]] = nn.sigmoid %[[X]] {node = "gate"} : tensor<2x?x7xf32> -> tensor<2x?x7xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x?x7xf32>
func.func @sigmoid(%x: tensor<2x?x7xf32>) -> tensor<2x?x7xf32> {
  %0 = nn.sigmoid %x {node = "gate"} : tensor<2x?x7xf32> -> tensor<2x?x7xf32>
  return %0 : tensor<2x?x7xf32>
}

//===----------------------------------------------------------------------===//
// nn.layer_norm
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @layer_norm_1d
// CHECK-SAME: (%[[X:.*]]: tensor<?x128x768xf32>) -> tensor<?x128x768xf32>
// CHECK-NEXT: %[[R:.*]] = nn.layer_norm %[[X]] {bias = true, elementwise_affine = true, eps = 1.000000e-05 : f64, node = "ln", normalized_shape = array<i64: 768>, weights = "ln"} : tensor<?x128x768xf32> -> tensor<?x128x768xf32>
// CHECK-NEXT: return %[[R]] : tensor<?x128x768xf32>
func.func @layer_norm_1d(%x: tensor<?x128x768xf32>) -> tensor<?x128x768xf32> {
  %0 = nn.layer_norm %x {bias = true, elementwise_affine = true, eps = 1.0e-05 : f64, node = "ln", normalized_shape = array<i64: 768>, weights = "ln"} : tensor<?x128x768xf32> -> tensor<?x128x768xf32>
  return %0 : tensor<?x128x768xf32>
}

// Two normalized dims, one of them dynamic in the input; no affine.
// CHECK-LABEL: func.func @layer_norm_2d_no_affine
// CHECK-SAME: (%[[X:.*]]: tensor<2x5x?x6xf32>) -> tensor<2x5x?x6xf32>
// CHECK-NEXT: %[[R:.*]] = nn.layer_norm %[[X]] {bias = false, elementwise_affine = false, eps = 1.000000e-05 : f64, node = "ln2", normalized_shape = array<i64: 4, 6>, weights = "ln2"} : tensor<2x5x?x6xf32> -> tensor<2x5x?x6xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x5x?x6xf32>
func.func @layer_norm_2d_no_affine(%x: tensor<2x5x?x6xf32>) -> tensor<2x5x?x6xf32> {
  %0 = nn.layer_norm %x {bias = false, elementwise_affine = false, eps = 1.0e-05 : f64, node = "ln2", normalized_shape = array<i64: 4, 6>, weights = "ln2"} : tensor<2x5x?x6xf32> -> tensor<2x5x?x6xf32>
  return %0 : tensor<2x5x?x6xf32>
}

//===----------------------------------------------------------------------===//
// nn.batch_norm
//===----------------------------------------------------------------------===//

// BatchNorm1d on (N, C).
// CHECK-LABEL: func.func @batch_norm1d_rank2
// CHECK-SAME: (%[[X:.*]]: tensor<?x16xf32>) -> tensor<?x16xf32>
// CHECK-NEXT: %[[R:.*]] = nn.batch_norm %[[X]] {affine = true, dim = 1 : i64, eps = 1.000000e-05 : f64, momentum = 1.000000e-01 : f64, node = "bn1", num_features = 16 : i64, track_running_stats = true, weights = "bn1"} : tensor<?x16xf32> -> tensor<?x16xf32>
// CHECK-NEXT: return %[[R]] : tensor<?x16xf32>
func.func @batch_norm1d_rank2(%x: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %0 = nn.batch_norm %x {affine = true, dim = 1 : i64, eps = 1.0e-05 : f64, momentum = 1.0e-01 : f64, node = "bn1", num_features = 16 : i64, track_running_stats = true, weights = "bn1"} : tensor<?x16xf32> -> tensor<?x16xf32>
  return %0 : tensor<?x16xf32>
}

// BatchNorm1d on (N, C, L), without affine.
// CHECK-LABEL: func.func @batch_norm1d_rank3
// CHECK-SAME: (%[[X:.*]]: tensor<4x16x?xf32>) -> tensor<4x16x?xf32>
// CHECK-NEXT: %[[R:.*]] = nn.batch_norm %[[X]] {affine = false, dim = 1 : i64, eps = 1.000000e-05 : f64, momentum = 1.000000e-01 : f64, node = "bn1l", num_features = 16 : i64, track_running_stats = true, weights = "bn1l"} : tensor<4x16x?xf32> -> tensor<4x16x?xf32>
// CHECK-NEXT: return %[[R]] : tensor<4x16x?xf32>
func.func @batch_norm1d_rank3(%x: tensor<4x16x?xf32>) -> tensor<4x16x?xf32> {
  %0 = nn.batch_norm %x {affine = false, dim = 1 : i64, eps = 1.0e-05 : f64, momentum = 1.0e-01 : f64, node = "bn1l", num_features = 16 : i64, track_running_stats = true, weights = "bn1l"} : tensor<4x16x?xf32> -> tensor<4x16x?xf32>
  return %0 : tensor<4x16x?xf32>
}

// CHECK-LABEL: func.func @batch_norm2d
// CHECK-SAME: (%[[X:.*]]: tensor<?x16x32x32xf32>) -> tensor<?x16x32x32xf32>
// CHECK-NEXT: %[[R:.*]] = nn.batch_norm %[[X]] {affine = true, dim = 2 : i64, eps = 1.000000e-05 : f64, momentum = 1.000000e-01 : f64, node = "bn", num_features = 16 : i64, track_running_stats = true, weights = "bn"} : tensor<?x16x32x32xf32> -> tensor<?x16x32x32xf32>
// CHECK-NEXT: return %[[R]] : tensor<?x16x32x32xf32>
func.func @batch_norm2d(%x: tensor<?x16x32x32xf32>) -> tensor<?x16x32x32xf32> {
  %0 = nn.batch_norm %x {affine = true, dim = 2 : i64, eps = 1.0e-05 : f64, momentum = 1.0e-01 : f64, node = "bn", num_features = 16 : i64, track_running_stats = true, weights = "bn"} : tensor<?x16x32x32xf32> -> tensor<?x16x32x32xf32>
  return %0 : tensor<?x16x32x32xf32>
}

// CHECK-LABEL: func.func @batch_norm3d
// CHECK-SAME: (%[[X:.*]]: tensor<2x8x4x4x4xf32>) -> tensor<2x8x4x4x4xf32>
// CHECK-NEXT: %[[R:.*]] = nn.batch_norm %[[X]] {affine = true, dim = 3 : i64, eps = 1.000000e-03 : f64, momentum = 2.000000e-01 : f64, node = "bn3", num_features = 8 : i64, track_running_stats = true, weights = "bn3"} : tensor<2x8x4x4x4xf32> -> tensor<2x8x4x4x4xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x8x4x4x4xf32>
func.func @batch_norm3d(%x: tensor<2x8x4x4x4xf32>) -> tensor<2x8x4x4x4xf32> {
  %0 = nn.batch_norm %x {affine = true, dim = 3 : i64, eps = 1.0e-03 : f64, momentum = 2.0e-01 : f64, node = "bn3", num_features = 8 : i64, track_running_stats = true, weights = "bn3"} : tensor<2x8x4x4x4xf32> -> tensor<2x8x4x4x4xf32>
  return %0 : tensor<2x8x4x4x4xf32>
}

// Batch statistics: 4 values per channel is enough.
// CHECK-LABEL: func.func @batch_norm_batch_stats
// CHECK-SAME: (%[[X:.*]]: tensor<4x16xf32>) -> tensor<4x16xf32>
// CHECK-NEXT: %[[R:.*]] = nn.batch_norm %[[X]] {affine = true, dim = 1 : i64, eps = 1.000000e-05 : f64, momentum = 1.000000e-01 : f64, node = "bnb", num_features = 16 : i64, track_running_stats = false, weights = "bnb"} : tensor<4x16xf32> -> tensor<4x16xf32>
// CHECK-NEXT: return %[[R]] : tensor<4x16xf32>
func.func @batch_norm_batch_stats(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %0 = nn.batch_norm %x {affine = true, dim = 1 : i64, eps = 1.0e-05 : f64, momentum = 1.0e-01 : f64, node = "bnb", num_features = 16 : i64, track_running_stats = false, weights = "bnb"} : tensor<4x16xf32> -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

//===----------------------------------------------------------------------===//
// nn.group_norm
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @group_norm
// CHECK-SAME: (%[[X:.*]]: tensor<?x32x16x16xf32>) -> tensor<?x32x16x16xf32>
// CHECK-NEXT: %[[R:.*]] = nn.group_norm %[[X]] {affine = true, eps = 1.000000e-05 : f64, node = "gn", num_channels = 32 : i64, num_groups = 4 : i64, weights = "gn"} : tensor<?x32x16x16xf32> -> tensor<?x32x16x16xf32>
// CHECK-NEXT: return %[[R]] : tensor<?x32x16x16xf32>
func.func @group_norm(%x: tensor<?x32x16x16xf32>) -> tensor<?x32x16x16xf32> {
  %0 = nn.group_norm %x {affine = true, eps = 1.0e-05 : f64, node = "gn", num_channels = 32 : i64, num_groups = 4 : i64, weights = "gn"} : tensor<?x32x16x16xf32> -> tensor<?x32x16x16xf32>
  return %0 : tensor<?x32x16x16xf32>
}

// Rank 2 (N, C), no affine.
// CHECK-LABEL: func.func @group_norm_rank2
// CHECK-SAME: (%[[X:.*]]: tensor<2x6xf32>) -> tensor<2x6xf32>
// CHECK-NEXT: %[[R:.*]] = nn.group_norm %[[X]] {affine = false, eps = 1.000000e-05 : f64, node = "gn2", num_channels = 6 : i64, num_groups = 3 : i64, weights = "gn2"} : tensor<2x6xf32> -> tensor<2x6xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x6xf32>
func.func @group_norm_rank2(%x: tensor<2x6xf32>) -> tensor<2x6xf32> {
  %0 = nn.group_norm %x {affine = false, eps = 1.0e-05 : f64, node = "gn2", num_channels = 6 : i64, num_groups = 3 : i64, weights = "gn2"} : tensor<2x6xf32> -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

//===----------------------------------------------------------------------===//
// nn.flatten
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @flatten
// CHECK-SAME: (%[[X:.*]]: tensor<?x32x4x4xf32>) -> tensor<?x512xf32>
// CHECK-NEXT: %[[R:.*]] = nn.flatten %[[X]] {end_dim = -1 : i64, node = "flat", start_dim = 1 : i64} : tensor<?x32x4x4xf32> -> tensor<?x512xf32>
// CHECK-NEXT: return %[[R]] : tensor<?x512xf32>
func.func @flatten(%x: tensor<?x32x4x4xf32>) -> tensor<?x512xf32> {
  %0 = nn.flatten %x {end_dim = -1 : i64, node = "flat", start_dim = 1 : i64} : tensor<?x32x4x4xf32> -> tensor<?x512xf32>
  return %0 : tensor<?x512xf32>
}

// Both dims negative: dims 1..2 of a rank-4 input.
// CHECK-LABEL: func.func @flatten_negative
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4x5xf32>) -> tensor<2x12x5xf32>
// CHECK-NEXT: %[[R:.*]] = nn.flatten %[[X]] {end_dim = -2 : i64, node = "flat2", start_dim = -3 : i64} : tensor<2x3x4x5xf32> -> tensor<2x12x5xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x12x5xf32>
func.func @flatten_negative(%x: tensor<2x3x4x5xf32>) -> tensor<2x12x5xf32> {
  %0 = nn.flatten %x {end_dim = -2 : i64, node = "flat2", start_dim = -3 : i64} : tensor<2x3x4x5xf32> -> tensor<2x12x5xf32>
  return %0 : tensor<2x12x5xf32>
}

// A dynamic dim in the merged range makes the merged dim dynamic.
// CHECK-LABEL: func.func @flatten_dynamic
// CHECK-SAME: (%[[X:.*]]: tensor<2x?x4x5xf32>) -> tensor<?x5xf32>
// CHECK-NEXT: %[[R:.*]] = nn.flatten %[[X]] {end_dim = 2 : i64, node = "flat3", start_dim = 0 : i64} : tensor<2x?x4x5xf32> -> tensor<?x5xf32>
// CHECK-NEXT: return %[[R]] : tensor<?x5xf32>
func.func @flatten_dynamic(%x: tensor<2x?x4x5xf32>) -> tensor<?x5xf32> {
  %0 = nn.flatten %x {end_dim = 2 : i64, node = "flat3", start_dim = 0 : i64} : tensor<2x?x4x5xf32> -> tensor<?x5xf32>
  return %0 : tensor<?x5xf32>
}

// torch.flatten of a scalar is a 1-element vector.
// CHECK-LABEL: func.func @flatten_scalar
// CHECK-SAME: (%[[X:.*]]: tensor<f32>) -> tensor<1xf32>
// CHECK-NEXT: %[[R:.*]] = nn.flatten %[[X]] {end_dim = -1 : i64, node = "flat0", start_dim = 0 : i64} : tensor<f32> -> tensor<1xf32>
// CHECK-NEXT: return %[[R]] : tensor<1xf32>
func.func @flatten_scalar(%x: tensor<f32>) -> tensor<1xf32> {
  %0 = nn.flatten %x {end_dim = -1 : i64, node = "flat0", start_dim = 0 : i64} : tensor<f32> -> tensor<1xf32>
  return %0 : tensor<1xf32>
}
