// RUN: layerc-opt %s -verify-diagnostics -pass-pipeline='builtin.module(func.func(nn-infer-shapes{bind="N=x"}))'
// RUN: not layerc-opt %s -pass-pipeline='builtin.module(func.func(nn-infer-shapes{bind="N=0"}))' 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not layerc-opt %s -pass-pipeline='builtin.module(func.func(nn-infer-shapes{bind="N=2,L=-1"}))' 2>&1 | FileCheck %s --check-prefix=NEG
// RUN: not layerc-opt %s -pass-pipeline='builtin.module(func.func(nn-infer-shapes{bind="N"}))' 2>&1 | FileCheck %s --check-prefix=NOEQ
// RUN: not layerc-opt %s -pass-pipeline='builtin.module(func.func(nn-infer-shapes{bind="=2"}))' 2>&1 | FileCheck %s --check-prefix=NOSYM
// RUN: not layerc-opt %s -pass-pipeline='builtin.module(func.func(nn-infer-shapes{bind="N=2x"}))' 2>&1 | FileCheck %s --check-prefix=TRAIL
// A malformed bind string is reported at the function.

// ZERO: [[@LINE+6]]:1: error: bad size binding 'N=0', expected SYMBOL=POSITIVE_INTEGER
// NEG: [[@LINE+5]]:1: error: bad size binding 'L=-1', expected SYMBOL=POSITIVE_INTEGER
// NOEQ: [[@LINE+4]]:1: error: bad size binding 'N', expected SYMBOL=POSITIVE_INTEGER
// NOSYM: [[@LINE+3]]:1: error: bad size binding '=2', expected SYMBOL=POSITIVE_INTEGER
// TRAIL: [[@LINE+2]]:1: error: bad size binding 'N=2x', expected SYMBOL=POSITIVE_INTEGER
// expected-error @+1 {{bad size binding 'N=x', expected SYMBOL=POSITIVE_INTEGER}}
func.func @model(%x: tensor<?x4xf32> {nn.name = "x", nn.symbols = ["N", ""]}) -> tensor<?x4xf32> {
  %0 = nn.relu %x {node = "act"} : tensor<?x4xf32> -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}
