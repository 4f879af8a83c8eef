// RUN: layerc-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(nn-infer-shapes{bind="N=2"}))' | FileCheck %s
// RUN: layerc-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(nn-infer-shapes))' | FileCheck %s --check-prefix=NOBIND
// nn-infer-shapes binds the size symbols of the inputs (nn.symbols) and
// re-infers every result type and the function type.

// Binding N makes the whole model static.
// CHECK-LABEL: func.func @model
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x8x8xf32> {nn.name = "x", nn.symbols = ["N", "", "", ""]}) -> tensor<2x10xf32>
// CHECK-NEXT: %[[C:.*]] = nn.conv %[[X]] {{{.*}}node = "conv1"{{.*}}} : tensor<2x3x8x8xf32> -> tensor<2x4x4x4xf32>
// CHECK-NEXT: %[[R:.*]] = nn.relu %[[C]] {node = "act"} : tensor<2x4x4x4xf32> -> tensor<2x4x4x4xf32>
// CHECK-NEXT: %[[F:.*]] = nn.flatten %[[R]] {end_dim = -1 : i64, node = "flat", start_dim = 1 : i64} : tensor<2x4x4x4xf32> -> tensor<2x64xf32>
// CHECK-NEXT: %[[L:.*]] = nn.linear %[[F]] {bias = true, in_features = 64 : i64, node = "fc", out_features = 10 : i64, weights = "fc"} : tensor<2x64xf32> -> tensor<2x10xf32>
// CHECK-NEXT: return %[[L]] : tensor<2x10xf32>

// Without a binding nothing changes.
// NOBIND-LABEL: func.func @model
// NOBIND-SAME: (%{{.*}}: tensor<?x3x8x8xf32> {nn.name = "x", nn.symbols = ["N", "", "", ""]}) -> tensor<?x10xf32>
// NOBIND: nn.conv {{.*}} : tensor<?x3x8x8xf32> -> tensor<?x4x4x4xf32>
// NOBIND: nn.relu {{.*}} : tensor<?x4x4x4xf32> -> tensor<?x4x4x4xf32>
// NOBIND: nn.flatten {{.*}} : tensor<?x4x4x4xf32> -> tensor<?x64xf32>
// NOBIND: nn.linear {{.*}} : tensor<?x64xf32> -> tensor<?x10xf32>
// NOBIND: return %{{.*}} : tensor<?x10xf32>
func.func @model(%x: tensor<?x3x8x8xf32> {nn.name = "x", nn.symbols = ["N", "", "", ""]}) -> tensor<?x10xf32> {
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 3 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 4 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_mode = "zeros", stride = array<i64: 2, 2>, weights = "conv1"} : tensor<?x3x8x8xf32> -> tensor<?x4x4x4xf32>
  %1 = nn.relu %0 {node = "act"} : tensor<?x4x4x4xf32> -> tensor<?x4x4x4xf32>
  %2 = nn.flatten %1 {end_dim = -1 : i64, node = "flat", start_dim = 1 : i64} : tensor<?x4x4x4xf32> -> tensor<?x64xf32>
  %3 = nn.linear %2 {bias = true, in_features = 64 : i64, node = "fc", out_features = 10 : i64, weights = "fc"} : tensor<?x64xf32> -> tensor<?x10xf32>
  return %3 : tensor<?x10xf32>
}

// -----

// An unbound symbol (L) stays dynamic, and so does every dim computed from
// it; the bound one (N) becomes static. A dynamic dim merged by flatten
// keeps the merged dim dynamic.
// CHECK-LABEL: func.func @unbound
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x?xf32> {nn.name = "seq", nn.symbols = ["N", "", "L"]}) -> tensor<?xf32>
// CHECK-NEXT: %[[C:.*]] = nn.conv %[[X]] {{{.*}}padding_mode = "circular"{{.*}}} : tensor<2x4x?xf32> -> tensor<2x8x?xf32>
// CHECK-NEXT: %[[B:.*]] = nn.batch_norm %[[C]] {{{.*}}track_running_stats = false{{.*}}} : tensor<2x8x?xf32> -> tensor<2x8x?xf32>
// CHECK-NEXT: %[[F:.*]] = nn.flatten %[[B]] {end_dim = -1 : i64, node = "flat", start_dim = 0 : i64} : tensor<2x8x?xf32> -> tensor<?xf32>
// CHECK-NEXT: return %[[F]] : tensor<?xf32>
func.func @unbound(%x: tensor<?x4x?xf32> {nn.name = "seq", nn.symbols = ["N", "", "L"]}) -> tensor<?xf32> {
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1>, padding_low = array<i64: 1>, padding_mode = "circular", stride = array<i64: 1>, weights = "conv1"} : tensor<?x4x?xf32> -> tensor<?x8x?xf32>
  %1 = nn.batch_norm %0 {affine = true, dim = 1 : i64, eps = 1.0e-05 : f64, momentum = 1.0e-01 : f64, node = "bn", num_features = 8 : i64, track_running_stats = false, weights = "bn"} : tensor<?x8x?xf32> -> tensor<?x8x?xf32>
  %2 = nn.flatten %1 {end_dim = -1 : i64, node = "flat", start_dim = 0 : i64} : tensor<?x8x?xf32> -> tensor<?xf32>
  return %2 : tensor<?xf32>
}

// -----

// Only dims named by nn.symbols are bound: a dynamic dim with the symbol ""
// and an input without nn.symbols stay dynamic. Every input carrying N is
// bound.
// CHECK-LABEL: func.func @partial
// CHECK-SAME: (%[[A:.*]]: tensor<2x?xf32> {nn.symbols = ["N", ""]}, %[[B:.*]]: tensor<?x16xf32>, %[[C:.*]]: tensor<2x6x5xf32> {nn.symbols = ["N", "", ""]}) -> (tensor<2x?xf32>, tensor<?x10xf32>, tensor<2x6x5xf32>)
// CHECK-NEXT: %[[RA:.*]] = nn.sigmoid %[[A]] {node = "s"} : tensor<2x?xf32> -> tensor<2x?xf32>
// CHECK-NEXT: %[[RB:.*]] = nn.linear %[[B]] {{{.*}}} : tensor<?x16xf32> -> tensor<?x10xf32>
// CHECK-NEXT: %[[G:.*]] = nn.group_norm %[[C]] {{{.*}}} : tensor<2x6x5xf32> -> tensor<2x6x5xf32>
// CHECK-NEXT: %[[LN:.*]] = nn.layer_norm %[[G]] {{{.*}}} : tensor<2x6x5xf32> -> tensor<2x6x5xf32>
// CHECK-NEXT: return %[[RA]], %[[RB]], %[[LN]] : tensor<2x?xf32>, tensor<?x10xf32>, tensor<2x6x5xf32>
func.func @partial(%a: tensor<?x?xf32> {nn.symbols = ["N", ""]}, %b: tensor<?x16xf32>, %c: tensor<?x6x5xf32> {nn.symbols = ["N", "", ""]}) -> (tensor<?x?xf32>, tensor<?x10xf32>, tensor<?x6x5xf32>) {
  %0 = nn.sigmoid %a {node = "s"} : tensor<?x?xf32> -> tensor<?x?xf32>
  %1 = nn.linear %b {bias = false, in_features = 16 : i64, node = "fc", out_features = 10 : i64, weights = "fc"} : tensor<?x16xf32> -> tensor<?x10xf32>
  %2 = nn.group_norm %c {affine = true, eps = 1.0e-05 : f64, node = "gn", num_channels = 6 : i64, num_groups = 2 : i64, weights = "gn"} : tensor<?x6x5xf32> -> tensor<?x6x5xf32>
  %3 = nn.layer_norm %2 {bias = true, elementwise_affine = true, eps = 1.0e-05 : f64, node = "ln", normalized_shape = array<i64: 6, 5>, weights = "ln"} : tensor<?x6x5xf32> -> tensor<?x6x5xf32>
  return %0, %1, %3 : tensor<?x?xf32>, tensor<?x10xf32>, tensor<?x6x5xf32>
}

// -----

// A declaration has no body and is left alone.
// CHECK-LABEL: func.func private @decl
// CHECK-SAME: (tensor<?x3xf32> {nn.symbols = ["N", ""]}) -> tensor<?x3xf32>
func.func private @decl(tensor<?x3xf32> {nn.symbols = ["N", ""]}) -> tensor<?x3xf32>
