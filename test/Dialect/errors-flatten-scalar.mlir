// RUN: layerc-opt %s -split-input-file -verify-diagnostics
// nn.flatten of a scalar (rank 0) is a 1-element vector, but as in
// torch.flatten the dims must still be in range: torch accepts only -1 and 0
// for a scalar (IndexError "Dimension out of range" otherwise). The message
// may give the rank as 0 or, as torch does, 1.

func.func @flatten_scalar_start(%x: tensor<f32>) -> tensor<1xf32> {
  // expected-error-re @+1 {{flatten start_dim (5) is out of range for input 'arg0' of rank {{[01]}}}}
  %0 = nn.flatten %x {end_dim = 0 : i64, node = "flat", start_dim = 5 : i64} : tensor<f32> -> tensor<1xf32>
  return %0 : tensor<1xf32>
}

// -----

func.func @flatten_scalar_end(%x: tensor<f32>) -> tensor<1xf32> {
  // expected-error-re @+1 {{flatten end_dim (-3) is out of range for input 'arg0' of rank {{[01]}}}}
  %0 = nn.flatten %x {end_dim = -3 : i64, node = "flat", start_dim = 0 : i64} : tensor<f32> -> tensor<1xf32>
  return %0 : tensor<1xf32>
}
