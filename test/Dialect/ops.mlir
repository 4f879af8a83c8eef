// RUN: layerc-opt %s | layerc-opt | FileCheck %s
// Round trip: every op prints and parses back to itself.

// CHECK-LABEL: func.func @relu
func.func @relu(%x: tensor<?x16xf32>) -> tensor<?x16xf32> {
  // CHECK: nn.relu %{{.*}} {node = "act"} : tensor<?x16xf32> -> tensor<?x16xf32>
  %0 = nn.relu %x {node = "act"} : tensor<?x16xf32> -> tensor<?x16xf32>
  return %0 : tensor<?x16xf32>
}
