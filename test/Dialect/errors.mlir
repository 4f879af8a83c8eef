// RUN: layerc-opt %s -split-input-file -verify-diagnostics
// Every argument rule of the nn ops (NNOps.cpp's inferOutputShape functions)
// and the shared result checks (NNDialect.cpp's verifyLayerOp), one section
// each, with the exact message.

// nn.conv: kernel_size decides the spatial rank, 1 to 3.
func.func @conv_kernel_rank0(%x: tensor<1x4xf32>) -> tensor<1x8xf32> {
  // expected-error @+1 {{convolution kernel_size must have 1 to 3 entries, got 0}}
  %0 = nn.conv %x {bias = true, dilation = array<i64>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64>, padding_low = array<i64>, padding_mode = "zeros", stride = array<i64>, weights = "conv1"}
      : tensor<1x4xf32> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @conv_kernel_rank4(%x: tensor<1x4x8x8x8x8xf32>) -> tensor<1x8x8x8x8x8xf32> {
  // expected-error @+1 {{convolution kernel_size must have 1 to 3 entries, got 4}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1, 1, 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3, 3, 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1, 1, 1, 1>, padding_low = array<i64: 1, 1, 1, 1>, padding_mode = "zeros", stride = array<i64: 1, 1, 1, 1>, weights = "conv1"}
      : tensor<1x4x8x8x8x8xf32> -> tensor<1x8x8x8x8x8xf32>
  return %0 : tensor<1x8x8x8x8x8xf32>
}

// -----

// nn.conv: kernel_size entries are positive.
func.func @conv_kernel_zero(%x: tensor<1x4x8x8xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+1 {{Conv2d kernel_size must be positive, got 0}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 0>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_mode = "zeros", stride = array<i64: 1, 1>, weights = "conv1"}
      : tensor<1x4x8x8xf32> -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

// nn.conv: stride has one entry per spatial dim.
func.func @conv_stride_count(%x: tensor<1x4x8x8xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+1 {{Conv2d stride must have 2 entries (one per spatial dim), got 1}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_mode = "zeros", stride = array<i64: 1>, weights = "conv1"}
      : tensor<1x4x8x8xf32> -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

// nn.conv: stride entries are positive.
func.func @conv_stride_zero(%x: tensor<1x4x8x8xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+1 {{Conv2d stride must be positive, got 0}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_mode = "zeros", stride = array<i64: 1, 0>, weights = "conv1"}
      : tensor<1x4x8x8xf32> -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

// nn.conv: padding_low has one entry per spatial dim.
func.func @conv_padding_low_count(%x: tensor<1x4x8x8xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+1 {{Conv2d padding_low must have 2 entries (one per spatial dim), got 3}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 1, 1>, padding_mode = "zeros", stride = array<i64: 1, 1>, weights = "conv1"}
      : tensor<1x4x8x8xf32> -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

// nn.conv: padding_low entries are >= 0.
func.func @conv_padding_low_negative(%x: tensor<1x4x8x8xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+1 {{Conv2d padding_low must be >= 0, got -1}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: -1, 1>, padding_mode = "zeros", stride = array<i64: 1, 1>, weights = "conv1"}
      : tensor<1x4x8x8xf32> -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

// nn.conv: padding_high has one entry per spatial dim.
func.func @conv_padding_high_count(%x: tensor<1x4x8x8xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+1 {{Conv2d padding_high must have 2 entries (one per spatial dim), got 1}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1>, padding_low = array<i64: 1, 1>, padding_mode = "zeros", stride = array<i64: 1, 1>, weights = "conv1"}
      : tensor<1x4x8x8xf32> -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

// nn.conv: padding_high entries are >= 0.
func.func @conv_padding_high_negative(%x: tensor<1x4x8x8xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+1 {{Conv2d padding_high must be >= 0, got -2}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1, -2>, padding_low = array<i64: 1, 1>, padding_mode = "zeros", stride = array<i64: 1, 1>, weights = "conv1"}
      : tensor<1x4x8x8xf32> -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

// nn.conv: dilation has one entry per spatial dim.
func.func @conv_dilation_count(%x: tensor<1x4x8x8xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+1 {{Conv2d dilation must have 2 entries (one per spatial dim), got 0}}
  %0 = nn.conv %x {bias = true, dilation = array<i64>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_mode = "zeros", stride = array<i64: 1, 1>, weights = "conv1"}
      : tensor<1x4x8x8xf32> -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

// nn.conv: dilation entries are positive.
func.func @conv_dilation_zero(%x: tensor<1x4x8x8xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+1 {{Conv2d dilation must be positive, got 0}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 0, 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_mode = "zeros", stride = array<i64: 1, 1>, weights = "conv1"}
      : tensor<1x4x8x8xf32> -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

// nn.conv: in_channels is positive.
func.func @conv_in_channels_zero(%x: tensor<1x4x8x8xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+1 {{Conv2d in_channels must be positive, got 0}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 0 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_mode = "zeros", stride = array<i64: 1, 1>, weights = "conv1"}
      : tensor<1x4x8x8xf32> -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

// nn.conv: out_channels is positive (a negative value reads as negative).
func.func @conv_out_channels_negative(%x: tensor<1x4x8x8xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+1 {{Conv2d out_channels must be positive, got -8}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = -8 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_mode = "zeros", stride = array<i64: 1, 1>, weights = "conv1"}
      : tensor<1x4x8x8xf32> -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

// nn.conv: groups is positive.
func.func @conv_groups_zero(%x: tensor<1x4x8x8xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+1 {{Conv2d groups must be positive, got 0}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 0 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_mode = "zeros", stride = array<i64: 1, 1>, weights = "conv1"}
      : tensor<1x4x8x8xf32> -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

// nn.conv: in_channels is divisible by groups.
func.func @conv_in_channels_groups(%x: tensor<1x4x8x8xf32>) -> tensor<1x9x8x8xf32> {
  // expected-error @+1 {{Conv2d in_channels (4) must be divisible by groups (3)}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 3 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 9 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_mode = "zeros", stride = array<i64: 1, 1>, weights = "conv1"}
      : tensor<1x4x8x8xf32> -> tensor<1x9x8x8xf32>
  return %0 : tensor<1x9x8x8xf32>
}

// -----

// nn.conv: out_channels is divisible by groups.
func.func @conv_out_channels_groups(%x: tensor<1x4x8x8xf32>) -> tensor<1x6x8x8xf32> {
  // expected-error @+1 {{Conv2d out_channels (6) must be divisible by groups (4)}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 4 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 6 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_mode = "zeros", stride = array<i64: 1, 1>, weights = "conv1"}
      : tensor<1x4x8x8xf32> -> tensor<1x6x8x8xf32>
  return %0 : tensor<1x6x8x8xf32>
}

// -----

// nn.conv: padding_mode is one of torch's four.
func.func @conv_padding_mode(%x: tensor<1x4x8x8xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+1 {{Conv2d padding_mode must be 'zeros', 'reflect', 'replicate' or 'circular', got 'same'}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_mode = "same", stride = array<i64: 1, 1>, weights = "conv1"}
      : tensor<1x4x8x8xf32> -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

// nn.conv: the input is (C, *spatial) or (N, C, *spatial).
func.func @conv_input_rank_low(%x: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{Conv2d expects an input of rank 3 or 4 (unbatched or batched), input 'arg0' has rank 2}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_mode = "zeros", stride = array<i64: 1, 1>, weights = "conv1"}
      : tensor<8x8xf32> -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

func.func @conv_input_rank_high(%x: tensor<1x4x8x8xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+1 {{Conv1d expects an input of rank 2 or 3 (unbatched or batched), input 'arg0' has rank 4}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1>, padding_low = array<i64: 1>, padding_mode = "zeros", stride = array<i64: 1>, weights = "conv1"}
      : tensor<1x4x8x8xf32> -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

// nn.conv: the channel dim (1 when batched) must equal in_channels.
func.func @conv_channels_batched(%x: tensor<1x3x8x8xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+1 {{Conv2d expects 4 input channels, input 'arg0' has 3}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_mode = "zeros", stride = array<i64: 1, 1>, weights = "conv1"}
      : tensor<1x3x8x8xf32> -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

// nn.conv: unbatched, the channel dim is 0; the input is named by nn.name.
func.func @conv_channels_unbatched_named(%x: tensor<5x8x8xf32> {nn.name = "x"}) -> tensor<8x8x8xf32> {
  // expected-error @+1 {{Conv2d expects 4 input channels, input 'x' has 5}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_mode = "zeros", stride = array<i64: 1, 1>, weights = "conv1"}
      : tensor<5x8x8xf32> -> tensor<8x8x8xf32>
  return %0 : tensor<8x8x8xf32>
}

// -----

// nn.conv: reflect padding is smaller than the input size (the high side counts too).
func.func @conv_reflect_too_large(%x: tensor<1x4x2x8xf32>) -> tensor<1x8x2x8xf32> {
  // expected-error @+1 {{Conv2d reflect padding (2) must be smaller than the input size (2) of spatial dim 0}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 2, 1>, padding_low = array<i64: 0, 1>, padding_mode = "reflect", stride = array<i64: 1, 1>, weights = "conv1"}
      : tensor<1x4x2x8xf32> -> tensor<1x8x2x8xf32>
  return %0 : tensor<1x8x2x8xf32>
}

// -----

// nn.conv: circular padding does not exceed the input size.
func.func @conv_circular_too_large(%x: tensor<1x4x8x2xf32>) -> tensor<1x8x8x6xf32> {
  // expected-error @+1 {{Conv2d circular padding (3) must not exceed the input size (2) of spatial dim 1}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 3>, padding_mode = "circular", stride = array<i64: 1, 1>, weights = "conv1"}
      : tensor<1x4x8x2xf32> -> tensor<1x8x8x6xf32>
  return %0 : tensor<1x8x8x6xf32>
}

// -----

// nn.conv: the (dilated) kernel fits in the padded input.
func.func @conv_output_not_positive(%x: tensor<1x4x8x2xf32>) -> tensor<1x8x8x1xf32> {
  // expected-error @+1 {{Conv2d output size of spatial dim 1 is not positive: input size 2 + padding 1 is smaller than the dilated kernel 5}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 2>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 0>, padding_mode = "zeros", stride = array<i64: 1, 1>, weights = "conv1"}
      : tensor<1x4x8x2xf32> -> tensor<1x8x8x1xf32>
  return %0 : tensor<1x8x8x1xf32>
}

// -----

// Result shape must equal the inferred one.
func.func @conv_result_shape(%x: tensor<1x4x8x8xf32>) -> tensor<1x8x7x8xf32> {
  // expected-error @+1 {{Conv2d result shape [1, 8, 7, 8] does not match the inferred shape [1, 8, 8, 8]}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_mode = "zeros", stride = array<i64: 1, 1>, weights = "conv1"}
      : tensor<1x4x8x8xf32> -> tensor<1x8x7x8xf32>
  return %0 : tensor<1x8x7x8xf32>
}

// -----

// A dynamic result dim where the inferred one is static is a mismatch too.
func.func @conv_result_shape_dynamic(%x: tensor<1x4x8x8xf32>) -> tensor<?x8x?x8xf32> {
  // expected-error @+1 {{Conv2d result shape [?, 8, ?, 8] does not match the inferred shape [1, 8, 8, 8]}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_mode = "zeros", stride = array<i64: 1, 1>, weights = "conv1"}
      : tensor<1x4x8x8xf32> -> tensor<?x8x?x8xf32>
  return %0 : tensor<?x8x?x8xf32>
}

// -----

// Result element type must equal the input's.
func.func @conv_result_element_type(%x: tensor<1x4x8x8xf32>) -> tensor<1x8x8x8xf16> {
  // expected-error @+1 {{Conv2d result element type 'f16' does not match the input's 'f32'}}
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_mode = "zeros", stride = array<i64: 1, 1>, weights = "conv1"}
      : tensor<1x4x8x8xf32> -> tensor<1x8x8x8xf16>
  return %0 : tensor<1x8x8x8xf16>
}

// -----

// nn.linear: in_features is positive.
func.func @linear_in_features(%x: tensor<2x16xf32>) -> tensor<2x10xf32> {
  // expected-error @+1 {{Linear in_features must be positive, got 0}}
  %0 = nn.linear %x {bias = true, in_features = 0 : i64, node = "fc", out_features = 10 : i64, weights = "fc"}
      : tensor<2x16xf32> -> tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

// nn.linear: out_features is positive.
func.func @linear_out_features(%x: tensor<2x16xf32>) -> tensor<2x10xf32> {
  // expected-error @+1 {{Linear out_features must be positive, got -1}}
  %0 = nn.linear %x {bias = true, in_features = 16 : i64, node = "fc", out_features = -1 : i64, weights = "fc"}
      : tensor<2x16xf32> -> tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

// nn.linear: the input has a feature dim.
func.func @linear_rank0(%x: tensor<f32>) -> tensor<10xf32> {
  // expected-error @+1 {{Linear expects an input of rank >= 1 (features last), input 'arg0' has rank 0}}
  %0 = nn.linear %x {bias = true, in_features = 16 : i64, node = "fc", out_features = 10 : i64, weights = "fc"}
      : tensor<f32> -> tensor<10xf32>
  return %0 : tensor<10xf32>
}

// -----

// nn.linear: the last dim equals in_features.
func.func @linear_features(%x: tensor<2x8xf32> {nn.name = "x"}) -> tensor<2x10xf32> {
  // expected-error @+1 {{Linear expects 16 input features, input 'x' has 8}}
  %0 = nn.linear %x {bias = true, in_features = 16 : i64, node = "fc", out_features = 10 : i64, weights = "fc"}
      : tensor<2x8xf32> -> tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

// Linear's result shape is checked like every op's.
func.func @linear_result_shape(%x: tensor<2x16xf32>) -> tensor<2x16xf32> {
  // expected-error @+1 {{Linear result shape [2, 16] does not match the inferred shape [2, 10]}}
  %0 = nn.linear %x {bias = true, in_features = 16 : i64, node = "fc", out_features = 10 : i64, weights = "fc"}
      : tensor<2x16xf32> -> tensor<2x16xf32>
  return %0 : tensor<2x16xf32>
}

// -----

// nn.layer_norm: normalized_shape is not empty.
func.func @layer_norm_empty(%x: tensor<2x4x6xf32>) -> tensor<2x4x6xf32> {
  // expected-error @+1 {{LayerNorm normalized_shape must not be empty}}
  %0 = nn.layer_norm %x {bias = true, elementwise_affine = true, eps = 1.000000e-05 : f64, node = "ln", normalized_shape = array<i64>, weights = "ln"}
      : tensor<2x4x6xf32> -> tensor<2x4x6xf32>
  return %0 : tensor<2x4x6xf32>
}

// -----

// nn.layer_norm: normalized_shape entries are positive.
func.func @layer_norm_nonpositive(%x: tensor<2x4x6xf32>) -> tensor<2x4x6xf32> {
  // expected-error @+1 {{LayerNorm every normalized_shape entry must be positive, got 0}}
  %0 = nn.layer_norm %x {bias = true, elementwise_affine = true, eps = 1.000000e-05 : f64, node = "ln", normalized_shape = array<i64: 4, 0>, weights = "ln"}
      : tensor<2x4x6xf32> -> tensor<2x4x6xf32>
  return %0 : tensor<2x4x6xf32>
}

// -----

// nn.layer_norm: the input has at least len(normalized_shape) dims.
func.func @layer_norm_rank(%x: tensor<6xf32>) -> tensor<6xf32> {
  // expected-error @+1 {{LayerNorm expects an input of rank >= 2 (the length of normalized_shape), input 'arg0' has rank 1}}
  %0 = nn.layer_norm %x {bias = true, elementwise_affine = true, eps = 1.000000e-05 : f64, node = "ln", normalized_shape = array<i64: 4, 6>, weights = "ln"}
      : tensor<6xf32> -> tensor<6xf32>
  return %0 : tensor<6xf32>
}

// -----

// nn.layer_norm: the trailing dims equal normalized_shape.
func.func @layer_norm_trailing(%x: tensor<2x4x5xf32>) -> tensor<2x4x5xf32> {
  // expected-error @+1 {{LayerNorm normalized_shape [4, 6] does not match the trailing dims [4, 5] of input 'arg0'}}
  %0 = nn.layer_norm %x {bias = true, elementwise_affine = true, eps = 1.000000e-05 : f64, node = "ln", normalized_shape = array<i64: 4, 6>, weights = "ln"}
      : tensor<2x4x5xf32> -> tensor<2x4x5xf32>
  return %0 : tensor<2x4x5xf32>
}

// -----

// nn.layer_norm: a dynamic trailing dim is printed as ?.
func.func @layer_norm_trailing_dynamic(%x: tensor<2x?x5xf32>) -> tensor<2x?x5xf32> {
  // expected-error @+1 {{LayerNorm normalized_shape [4, 6] does not match the trailing dims [?, 5] of input 'arg0'}}
  %0 = nn.layer_norm %x {bias = true, elementwise_affine = true, eps = 1.000000e-05 : f64, node = "ln", normalized_shape = array<i64: 4, 6>, weights = "ln"}
      : tensor<2x?x5xf32> -> tensor<2x?x5xf32>
  return %0 : tensor<2x?x5xf32>
}

// -----

// nn.batch_norm: dim is 1, 2 or 3.
func.func @batch_norm_dim0(%x: tensor<2x16xf32>) -> tensor<2x16xf32> {
  // expected-error @+1 {{batch norm dim must be 1, 2 or 3 (BatchNorm1d/2d/3d), got 0}}
  %0 = nn.batch_norm %x {affine = true, dim = 0 : i64, eps = 1.000000e-05 : f64, momentum = 1.000000e-01 : f64, node = "bn", num_features = 16 : i64, track_running_stats = true, weights = "bn"}
      : tensor<2x16xf32> -> tensor<2x16xf32>
  return %0 : tensor<2x16xf32>
}

// -----

func.func @batch_norm_dim4(%x: tensor<2x16x4x4x4x4xf32>) -> tensor<2x16x4x4x4x4xf32> {
  // expected-error @+1 {{batch norm dim must be 1, 2 or 3 (BatchNorm1d/2d/3d), got 4}}
  %0 = nn.batch_norm %x {affine = true, dim = 4 : i64, eps = 1.000000e-05 : f64, momentum = 1.000000e-01 : f64, node = "bn", num_features = 16 : i64, track_running_stats = true, weights = "bn"}
      : tensor<2x16x4x4x4x4xf32> -> tensor<2x16x4x4x4x4xf32>
  return %0 : tensor<2x16x4x4x4x4xf32>
}

// -----

// nn.batch_norm: num_features is positive.
func.func @batch_norm_num_features(%x: tensor<2x16x4x4xf32>) -> tensor<2x16x4x4xf32> {
  // expected-error @+1 {{BatchNorm2d num_features must be positive, got 0}}
  %0 = nn.batch_norm %x {affine = true, dim = 2 : i64, eps = 1.000000e-05 : f64, momentum = 1.000000e-01 : f64, node = "bn", num_features = 0 : i64, track_running_stats = true, weights = "bn"}
      : tensor<2x16x4x4xf32> -> tensor<2x16x4x4xf32>
  return %0 : tensor<2x16x4x4xf32>
}

// -----

// nn.batch_norm: BatchNorm1d takes rank 2 or 3.
func.func @batch_norm1d_rank(%x: tensor<2x16x4x4xf32>) -> tensor<2x16x4x4xf32> {
  // expected-error @+1 {{BatchNorm1d expects an input of rank 2 or 3, input 'arg0' has rank 4}}
  %0 = nn.batch_norm %x {affine = true, dim = 1 : i64, eps = 1.000000e-05 : f64, momentum = 1.000000e-01 : f64, node = "bn", num_features = 16 : i64, track_running_stats = true, weights = "bn"}
      : tensor<2x16x4x4xf32> -> tensor<2x16x4x4xf32>
  return %0 : tensor<2x16x4x4xf32>
}

// -----

func.func @batch_norm1d_rank1(%x: tensor<16xf32>) -> tensor<16xf32> {
  // expected-error @+1 {{BatchNorm1d expects an input of rank 2 or 3, input 'arg0' has rank 1}}
  %0 = nn.batch_norm %x {affine = true, dim = 1 : i64, eps = 1.000000e-05 : f64, momentum = 1.000000e-01 : f64, node = "bn", num_features = 16 : i64, track_running_stats = true, weights = "bn"}
      : tensor<16xf32> -> tensor<16xf32>
  return %0 : tensor<16xf32>
}

// -----

// nn.batch_norm: BatchNorm2d takes rank 4.
func.func @batch_norm2d_rank(%x: tensor<2x16x4xf32>) -> tensor<2x16x4xf32> {
  // expected-error @+1 {{BatchNorm2d expects an input of rank 4, input 'arg0' has rank 3}}
  %0 = nn.batch_norm %x {affine = true, dim = 2 : i64, eps = 1.000000e-05 : f64, momentum = 1.000000e-01 : f64, node = "bn", num_features = 16 : i64, track_running_stats = true, weights = "bn"}
      : tensor<2x16x4xf32> -> tensor<2x16x4xf32>
  return %0 : tensor<2x16x4xf32>
}

// -----

// nn.batch_norm: BatchNorm3d takes rank 5.
func.func @batch_norm3d_rank(%x: tensor<2x16x4x4xf32>) -> tensor<2x16x4x4xf32> {
  // expected-error @+1 {{BatchNorm3d expects an input of rank 5, input 'arg0' has rank 4}}
  %0 = nn.batch_norm %x {affine = true, dim = 3 : i64, eps = 1.000000e-05 : f64, momentum = 1.000000e-01 : f64, node = "bn", num_features = 16 : i64, track_running_stats = true, weights = "bn"}
      : tensor<2x16x4x4xf32> -> tensor<2x16x4x4xf32>
  return %0 : tensor<2x16x4x4xf32>
}

// -----

// nn.batch_norm: dim 1 of the input equals num_features.
func.func @batch_norm_channels(%x: tensor<2x8x4x4xf32>) -> tensor<2x8x4x4xf32> {
  // expected-error @+1 {{BatchNorm2d expects 16 channels (num_features), input 'arg0' has 8}}
  %0 = nn.batch_norm %x {affine = true, dim = 2 : i64, eps = 1.000000e-05 : f64, momentum = 1.000000e-01 : f64, node = "bn", num_features = 16 : i64, track_running_stats = true, weights = "bn"}
      : tensor<2x8x4x4xf32> -> tensor<2x8x4x4xf32>
  return %0 : tensor<2x8x4x4xf32>
}

// -----

// nn.batch_norm: batch statistics need more than one value per channel.
func.func @batch_norm_single_value(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{BatchNorm1d batch statistics need more than 1 value per channel, input 'arg0' of shape [1, 4] has 1}}
  %0 = nn.batch_norm %x {affine = true, dim = 1 : i64, eps = 1.000000e-05 : f64, momentum = 1.000000e-01 : f64, node = "bn", num_features = 4 : i64, track_running_stats = false, weights = "bn"}
      : tensor<1x4xf32> -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

func.func @batch_norm2d_single_value(%x: tensor<1x4x1x1xf32>) -> tensor<1x4x1x1xf32> {
  // expected-error @+1 {{BatchNorm2d batch statistics need more than 1 value per channel, input 'arg0' of shape [1, 4, 1, 1] has 1}}
  %0 = nn.batch_norm %x {affine = true, dim = 2 : i64, eps = 1.000000e-05 : f64, momentum = 1.000000e-01 : f64, node = "bn", num_features = 4 : i64, track_running_stats = false, weights = "bn"}
      : tensor<1x4x1x1xf32> -> tensor<1x4x1x1xf32>
  return %0 : tensor<1x4x1x1xf32>
}

// -----

// nn.group_norm: num_groups is positive.
func.func @group_norm_groups(%x: tensor<2x6x4x4xf32>) -> tensor<2x6x4x4xf32> {
  // expected-error @+1 {{GroupNorm num_groups must be positive, got 0}}
  %0 = nn.group_norm %x {affine = true, eps = 1.000000e-05 : f64, node = "gn", num_channels = 6 : i64, num_groups = 0 : i64, weights = "gn"}
      : tensor<2x6x4x4xf32> -> tensor<2x6x4x4xf32>
  return %0 : tensor<2x6x4x4xf32>
}

// -----

// nn.group_norm: num_channels is positive.
func.func @group_norm_channels_positive(%x: tensor<2x6x4x4xf32>) -> tensor<2x6x4x4xf32> {
  // expected-error @+1 {{GroupNorm num_channels must be positive, got -6}}
  %0 = nn.group_norm %x {affine = true, eps = 1.000000e-05 : f64, node = "gn", num_channels = -6 : i64, num_groups = 3 : i64, weights = "gn"}
      : tensor<2x6x4x4xf32> -> tensor<2x6x4x4xf32>
  return %0 : tensor<2x6x4x4xf32>
}

// -----

// nn.group_norm: num_channels is divisible by num_groups.
func.func @group_norm_divisible(%x: tensor<2x6x4x4xf32>) -> tensor<2x6x4x4xf32> {
  // expected-error @+1 {{GroupNorm num_channels (6) must be divisible by num_groups (4)}}
  %0 = nn.group_norm %x {affine = true, eps = 1.000000e-05 : f64, node = "gn", num_channels = 6 : i64, num_groups = 4 : i64, weights = "gn"}
      : tensor<2x6x4x4xf32> -> tensor<2x6x4x4xf32>
  return %0 : tensor<2x6x4x4xf32>
}

// -----

// nn.group_norm: the input is (N, C, *).
func.func @group_norm_rank(%x: tensor<6xf32>) -> tensor<6xf32> {
  // expected-error @+1 {{GroupNorm expects an input of rank >= 2 (N, C, *), input 'arg0' has rank 1}}
  %0 = nn.group_norm %x {affine = true, eps = 1.000000e-05 : f64, node = "gn", num_channels = 6 : i64, num_groups = 3 : i64, weights = "gn"}
      : tensor<6xf32> -> tensor<6xf32>
  return %0 : tensor<6xf32>
}

// -----

// nn.group_norm: dim 1 equals num_channels.
func.func @group_norm_channels(%x: tensor<2x8x4x4xf32>) -> tensor<2x8x4x4xf32> {
  // expected-error @+1 {{GroupNorm expects 6 channels (num_channels), input 'arg0' has 8}}
  %0 = nn.group_norm %x {affine = true, eps = 1.000000e-05 : f64, node = "gn", num_channels = 6 : i64, num_groups = 3 : i64, weights = "gn"}
      : tensor<2x8x4x4xf32> -> tensor<2x8x4x4xf32>
  return %0 : tensor<2x8x4x4xf32>
}

// -----

// nn.flatten: start_dim is in [-rank, rank).
func.func @flatten_start_high(%x: tensor<2x3x4x5xf32>) -> tensor<120xf32> {
  // expected-error @+1 {{flatten start_dim (4) is out of range for input 'arg0' of rank 4}}
  %0 = nn.flatten %x {end_dim = -1 : i64, node = "flat", start_dim = 4 : i64}
      : tensor<2x3x4x5xf32> -> tensor<120xf32>
  return %0 : tensor<120xf32>
}

// -----

func.func @flatten_start_low(%x: tensor<2x3x4x5xf32>) -> tensor<120xf32> {
  // expected-error @+1 {{flatten start_dim (-5) is out of range for input 'arg0' of rank 4}}
  %0 = nn.flatten %x {end_dim = -1 : i64, node = "flat", start_dim = -5 : i64}
      : tensor<2x3x4x5xf32> -> tensor<120xf32>
  return %0 : tensor<120xf32>
}

// -----

// nn.flatten: end_dim is in [-rank, rank).
func.func @flatten_end_high(%x: tensor<2x3x4x5xf32>) -> tensor<120xf32> {
  // expected-error @+1 {{flatten end_dim (4) is out of range for input 'arg0' of rank 4}}
  %0 = nn.flatten %x {end_dim = 4 : i64, node = "flat", start_dim = 0 : i64}
      : tensor<2x3x4x5xf32> -> tensor<120xf32>
  return %0 : tensor<120xf32>
}

// -----

func.func @flatten_end_low(%x: tensor<2x3x4x5xf32>) -> tensor<120xf32> {
  // expected-error @+1 {{flatten end_dim (-5) is out of range for input 'arg0' of rank 4}}
  %0 = nn.flatten %x {end_dim = -5 : i64, node = "flat", start_dim = 0 : i64}
      : tensor<2x3x4x5xf32> -> tensor<120xf32>
  return %0 : tensor<120xf32>
}

// -----

// nn.flatten: start_dim does not come after end_dim.
func.func @flatten_start_after_end(%x: tensor<2x3x4x5xf32>) -> tensor<120xf32> {
  // expected-error @+1 {{flatten start_dim (2) must not come after end_dim (1)}}
  %0 = nn.flatten %x {end_dim = 1 : i64, node = "flat", start_dim = 2 : i64}
      : tensor<2x3x4x5xf32> -> tensor<120xf32>
  return %0 : tensor<120xf32>
}

// -----

// nn.flatten: the order is checked after negative dims are normalized.
func.func @flatten_start_after_end_negative(%x: tensor<2x3x4x5xf32>) -> tensor<120xf32> {
  // expected-error @+1 {{flatten start_dim (-1) must not come after end_dim (1)}}
  %0 = nn.flatten %x {end_dim = 1 : i64, node = "flat", start_dim = -1 : i64}
      : tensor<2x3x4x5xf32> -> tensor<120xf32>
  return %0 : tensor<120xf32>
}

// -----

// nn.flatten: result shape.
func.func @flatten_result_shape(%x: tensor<2x3x4x5xf32>) -> tensor<2x60xf32> {
  // expected-error @+1 {{flatten result shape [2, 60] does not match the inferred shape [2, 12, 5]}}
  %0 = nn.flatten %x {end_dim = 2 : i64, node = "flat", start_dim = 1 : i64}
      : tensor<2x3x4x5xf32> -> tensor<2x60xf32>
  return %0 : tensor<2x60xf32>
}

// -----

// The input is named by the node that produced it.
func.func @named_by_producer(%x: tensor<1x4x8x8xf32>) -> tensor<1x8x10xf32> {
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_mode = "zeros", stride = array<i64: 1, 1>, weights = "conv1"}
      : tensor<1x4x8x8xf32> -> tensor<1x8x8x8xf32>
  %1 = nn.flatten %0 {end_dim = -1 : i64, node = "flat", start_dim = 1 : i64}
      : tensor<1x8x8x8xf32> -> tensor<1x512xf32>
  // expected-error @+1 {{Linear expects 256 input features, input 'flat' has 512}}
  %2 = nn.linear %1 {bias = true, in_features = 256 : i64, node = "fc", out_features = 10 : i64, weights = "fc"}
      : tensor<1x512xf32> -> tensor<1x10xf32>
  %3 = nn.relu %2 {node = "act"} : tensor<1x10xf32> -> tensor<1x10xf32>
  return %3 : tensor<1x10xf32>
}

// -----

// ... also when the producer is a layer (conv1) feeding a conv.
func.func @named_by_conv1(%x: tensor<1x4x8x8xf32>) -> tensor<1x8x8x8xf32> {
  %0 = nn.conv %x {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 4 : i64, kernel_size = array<i64: 3, 3>, node = "conv1", out_channels = 8 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_mode = "zeros", stride = array<i64: 1, 1>, weights = "conv1"}
      : tensor<1x4x8x8xf32> -> tensor<1x8x8x8xf32>
  // expected-error @+1 {{Conv2d expects 16 input channels, input 'conv1' has 8}}
  %1 = nn.conv %0 {bias = true, dilation = array<i64: 1, 1>, groups = 1 : i64, in_channels = 16 : i64, kernel_size = array<i64: 3, 3>, node = "conv2", out_channels = 8 : i64, padding_high = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_mode = "zeros", stride = array<i64: 1, 1>, weights = "conv2"}
      : tensor<1x8x8x8xf32> -> tensor<1x8x8x8xf32>
  return %1 : tensor<1x8x8x8xf32>
}

// -----

// A value from a non-nn op is named by the op.
func.func private @source() -> tensor<2x8xf32>
func.func @named_by_op() -> tensor<2x10xf32> {
  %0 = func.call @source() : () -> tensor<2x8xf32>
  // expected-error @+1 {{Linear expects 16 input features, input 'func.call' has 8}}
  %1 = nn.linear %0 {bias = true, in_features = 16 : i64, node = "fc", out_features = 10 : i64, weights = "fc"}
      : tensor<2x8xf32> -> tensor<2x10xf32>
  return %1 : tensor<2x10xf32>
}

// -----

// Fused activations are parameter-free elementwise functions.
func.func @bad_activation(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{unknown activation 'leaky_relu' (expected relu, sigmoid, relu6, hardsigmoid, tanh, gelu, gelu_tanh, silu, hardswish)}}
  %0 = nn.relu %x {node = "r", activations = ["leaky_relu"]} : tensor<2x8xf32> -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// A folded BatchNorm is described by all three attributes.
func.func @partial_batch_norm(%x: tensor<2x8xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{a folded BatchNorm needs batch_norm, batch_norm_eps and batch_norm_affine together}}
  %0 = nn.linear %x {node = "fc", weights = "fc", in_features = 8 : i64, out_features = 4 : i64, bias = true, batch_norm = "bn"} : tensor<2x8xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// mean reduces over at least one dim.
func.func @mean_no_dims(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{mean needs at least one dim}}
  %0 = nn.mean %x {node = "m", dims = array<i64>, keepdim = false} : tensor<2x8xf32> -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}
