// RUN: layerc-opt %s -nn-fuse-activations -split-input-file | FileCheck %s
// nn-fuse-activations: ReLU and Sigmoid move into their producer's
// `activations` when they are its only user.

// Conv + ReLU: one op.
// CHECK-LABEL: func.func @conv_relu
// CHECK-NEXT: %[[C:.*]] = nn.conv %{{.*}} {activations = ["relu"],
// CHECK-NEXT: return %[[C]]
func.func @conv_relu(%x: tensor<1x3x8x8xf32>) -> tensor<1x4x8x8xf32> {
  %0 = nn.conv %x {node = "conv", weights = "conv", in_channels = 3 : i64, out_channels = 4 : i64, kernel_size = array<i64: 3, 3>, stride = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_high = array<i64: 1, 1>, dilation = array<i64: 1, 1>, groups = 1 : i64, bias = true, padding_mode = "zeros"} : tensor<1x3x8x8xf32> -> tensor<1x4x8x8xf32>
  %1 = nn.relu %0 {node = "act"} : tensor<1x4x8x8xf32> -> tensor<1x4x8x8xf32>
  return %1 : tensor<1x4x8x8xf32>
}

// -----

// A chain of elementwise ops after a norm collapses into one list, in order.
// CHECK-LABEL: func.func @norm_chain
// CHECK-NEXT: %[[N:.*]] = nn.group_norm %{{.*}} {activations = ["sigmoid", "relu"],
// CHECK-NEXT: return %[[N]]
func.func @norm_chain(%x: tensor<1x4x8xf32>) -> tensor<1x4x8xf32> {
  %0 = nn.group_norm %x {node = "gn", weights = "gn", num_groups = 2 : i64, num_channels = 4 : i64, eps = 1.0e-05 : f64, affine = true} : tensor<1x4x8xf32> -> tensor<1x4x8xf32>
  %1 = nn.sigmoid %0 {node = "s"} : tensor<1x4x8xf32> -> tensor<1x4x8xf32>
  %2 = nn.relu %1 {node = "r"} : tensor<1x4x8xf32> -> tensor<1x4x8xf32>
  return %2 : tensor<1x4x8xf32>
}

// -----

// Elementwise ops in a row fuse into the first one.
// CHECK-LABEL: func.func @elementwise_chain
// CHECK-NEXT: %[[S:.*]] = nn.sigmoid %{{.*}} {activations = ["relu"], node = "s"}
// CHECK-NEXT: return %[[S]]
func.func @elementwise_chain(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = nn.sigmoid %x {node = "s"} : tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = nn.relu %0 {node = "r"} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// Not fused: the producer's result is used twice; the producer is a flatten;
// the operand is a model input.
// CHECK-LABEL: func.func @not_fused
// CHECK: %[[L:.*]] = nn.linear
// CHECK-NOT: activations
// CHECK: nn.relu %[[L]]
// CHECK: %[[F:.*]] = nn.flatten
// CHECK: nn.sigmoid %[[F]]
// CHECK: nn.relu %arg0
func.func @not_fused(%x: tensor<2x8xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x8xf32>) {
  %0 = nn.linear %x {node = "fc", weights = "fc", in_features = 8 : i64, out_features = 4 : i64, bias = true} : tensor<2x8xf32> -> tensor<2x4xf32>
  %1 = nn.relu %0 {node = "a"} : tensor<2x4xf32> -> tensor<2x4xf32>
  %2 = nn.flatten %0 {node = "f", start_dim = 1 : i64, end_dim = -1 : i64} : tensor<2x4xf32> -> tensor<2x4xf32>
  %3 = nn.sigmoid %2 {node = "s"} : tensor<2x4xf32> -> tensor<2x4xf32>
  %4 = nn.relu %x {node = "r"} : tensor<2x8xf32> -> tensor<2x8xf32>
  return %0, %1, %3, %4 : tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x8xf32>
}
