// RUN: layerc-opt %s -split-input-file -verify-diagnostics -pass-pipeline='builtin.module(func.func(nn-infer-shapes{bind="N=2"}))'
// nn-infer-shapes reads the nn.symbols argument attribute as strings; an
// entry that is not a string is malformed IR and must be reported as an
// error naming the attribute, not crash the pass.

// expected-error-re @+1 {{{{.*}}nn.symbols{{.*}}}}
func.func @symbol_not_a_string(%x: tensor<?x4xf32> {nn.symbols = [1, ""]}) -> tensor<?x4xf32> {
  %0 = nn.relu %x {node = "act"} : tensor<?x4xf32> -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}
