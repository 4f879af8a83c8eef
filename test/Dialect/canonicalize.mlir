// RUN: layerc-opt %s -canonicalize -split-input-file | FileCheck %s
// Folds of the nn ops: relu is idempotent, a flatten of a single dim is the
// identity.

// relu(relu(x)) folds to relu(x).
// CHECK-LABEL: func.func @relu_relu
// CHECK-SAME: (%[[X:.*]]: tensor<?x16xf32>)
// CHECK-NEXT: %[[R:.*]] = nn.relu %[[X]] {node = "a"} : tensor<?x16xf32> -> tensor<?x16xf32>
// CHECK-NEXT: return %[[R]] : tensor<?x16xf32>
func.func @relu_relu(%x: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %0 = nn.relu %x {node = "a"} : tensor<?x16xf32> -> tensor<?x16xf32>
  %1 = nn.relu %0 {node = "b"} : tensor<?x16xf32> -> tensor<?x16xf32>
  return %1 : tensor<?x16xf32>
}

// -----

// A chain of three folds to one.
// CHECK-LABEL: func.func @relu_chain
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: %[[R:.*]] = nn.relu %[[X]] {node = "a"} : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf32>
func.func @relu_chain(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = nn.relu %x {node = "a"} : tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = nn.relu %0 {node = "b"} : tensor<2x3xf32> -> tensor<2x3xf32>
  %2 = nn.relu %1 {node = "c"} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %2 : tensor<2x3xf32>
}

// -----

// A relu of something else than a relu stays.
// CHECK-LABEL: func.func @relu_of_sigmoid
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[S:.*]] = nn.sigmoid %[[X]] {node = "s"} : tensor<4xf32> -> tensor<4xf32>
// CHECK-NEXT: %[[R:.*]] = nn.relu %[[S]] {node = "r"} : tensor<4xf32> -> tensor<4xf32>
// CHECK-NEXT: return %[[R]] : tensor<4xf32>
func.func @relu_of_sigmoid(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.sigmoid %x {node = "s"} : tensor<4xf32> -> tensor<4xf32>
  %1 = nn.relu %0 {node = "r"} : tensor<4xf32> -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// A single relu of the input stays.
// CHECK-LABEL: func.func @relu_single
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[R:.*]] = nn.relu %[[X]] {node = "r"} : tensor<4xf32> -> tensor<4xf32>
// CHECK-NEXT: return %[[R]] : tensor<4xf32>
func.func @relu_single(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.relu %x {node = "r"} : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// flatten with start_dim == end_dim is the identity and goes away.
// CHECK-LABEL: func.func @flatten_one_dim
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NOT: nn.flatten
// CHECK-NEXT: return %[[X]] : tensor<2x3x4xf32>
func.func @flatten_one_dim(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = nn.flatten %x {end_dim = 1 : i64, node = "flat", start_dim = 1 : i64} : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// Same with negative dims naming one dim (-1 and 2 of a rank-3 input), and
// a dynamic dim.
// CHECK-LABEL: func.func @flatten_one_dim_negative
// CHECK-SAME: (%[[X:.*]]: tensor<?x3x?xf32>)
// CHECK-NOT: nn.flatten
// CHECK-NEXT: return %[[X]] : tensor<?x3x?xf32>
func.func @flatten_one_dim_negative(%x: tensor<?x3x?xf32>) -> tensor<?x3x?xf32> {
  %0 = nn.flatten %x {end_dim = 2 : i64, node = "flat", start_dim = -1 : i64} : tensor<?x3x?xf32> -> tensor<?x3x?xf32>
  return %0 : tensor<?x3x?xf32>
}

// -----

// A flatten that merges dims changes the shape and stays.
// CHECK-LABEL: func.func @flatten_merges
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[R:.*]] = nn.flatten %[[X]] {end_dim = -1 : i64, node = "flat", start_dim = 1 : i64} : tensor<2x3x4xf32> -> tensor<2x12xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x12xf32>
func.func @flatten_merges(%x: tensor<2x3x4xf32>) -> tensor<2x12xf32> {
  %0 = nn.flatten %x {end_dim = -1 : i64, node = "flat", start_dim = 1 : i64} : tensor<2x3x4xf32> -> tensor<2x12xf32>
  return %0 : tensor<2x12xf32>
}

// -----

// Merging a size-1 dim keeps the element count but changes the rank: it
// stays too.
// CHECK-LABEL: func.func @flatten_merges_unit_dim
// CHECK-SAME: (%[[X:.*]]: tensor<1x5xf32>)
// CHECK-NEXT: %[[R:.*]] = nn.flatten %[[X]] {end_dim = 1 : i64, node = "flat", start_dim = 0 : i64} : tensor<1x5xf32> -> tensor<5xf32>
// CHECK-NEXT: return %[[R]] : tensor<5xf32>
func.func @flatten_merges_unit_dim(%x: tensor<1x5xf32>) -> tensor<5xf32> {
  %0 = nn.flatten %x {end_dim = 1 : i64, node = "flat", start_dim = 0 : i64} : tensor<1x5xf32> -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

// A scalar flattened to a 1-element vector changes the type and stays.
// CHECK-LABEL: func.func @flatten_scalar
// CHECK-SAME: (%[[X:.*]]: tensor<f32>)
// CHECK-NEXT: %[[R:.*]] = nn.flatten %[[X]] {end_dim = -1 : i64, node = "flat", start_dim = 0 : i64} : tensor<f32> -> tensor<1xf32>
// CHECK-NEXT: return %[[R]] : tensor<1xf32>
func.func @flatten_scalar(%x: tensor<f32>) -> tensor<1xf32> {
  %0 = nn.flatten %x {end_dim = -1 : i64, node = "flat", start_dim = 0 : i64} : tensor<f32> -> tensor<1xf32>
  return %0 : tensor<1xf32>
}

// -----

// Folds compose: the identity flatten between two relus goes, then the
// relus fold into one.
// CHECK-LABEL: func.func @relu_flatten_relu
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>)
// CHECK-NEXT: %[[R:.*]] = nn.relu %[[X]] {node = "a"} : tensor<2x8xf32> -> tensor<2x8xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x8xf32>
func.func @relu_flatten_relu(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = nn.relu %x {node = "a"} : tensor<2x8xf32> -> tensor<2x8xf32>
  %1 = nn.flatten %0 {end_dim = -1 : i64, node = "flat", start_dim = 1 : i64} : tensor<2x8xf32> -> tensor<2x8xf32>
  %2 = nn.relu %1 {node = "b"} : tensor<2x8xf32> -> tensor<2x8xf32>
  return %2 : tensor<2x8xf32>
}

// -----

// A relu that carries fused activations does not fold: relu(sigmoid(relu x))
// is not relu(x).
// CHECK-LABEL: func.func @relu_with_activations
// CHECK: %[[A:.*]] = nn.relu %{{.*}} {node = "a"}
// CHECK-NEXT: %[[B:.*]] = nn.relu %[[A]] {activations = ["sigmoid"], node = "b"}
// CHECK-NEXT: return %[[B]]
func.func @relu_with_activations(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.relu %x {node = "a"} : tensor<4xf32> -> tensor<4xf32>
  %1 = nn.relu %0 {node = "b", activations = ["sigmoid"]} : tensor<4xf32> -> tensor<4xf32>
  return %1 : tensor<4xf32>
}
