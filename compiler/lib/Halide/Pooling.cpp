//===- Pooling.cpp - max, average and adaptive pooling, in Halide --------===//
//
// The pooled dims are the last `rank` dims of the input, (C, *spatial) or
// (N, C, *spatial). A window is a reduction domain over the kernel; taps
// outside the input are masked (max: -inf, average: left out of the sum),
// and read at a clamped coordinate so bounds inference never reaches
// outside the input.
//
//===----------------------------------------------------------------------===//
#include "Layers.h"
#include <limits>

using namespace Halide;
using layerc::lowering::Node;

namespace layerc::halide {
namespace {
/// What one output element of a pooling layer reads: the input at
/// `coordinate(r)` for taps where `inside(r)` holds.
struct Window {
  RDom r;
  std::vector<Expr> coordinate;  // of the input, torch order
  Expr inside;
};

/// Floats as uint32 keys in the same order, with NaN above +inf, and back:
/// the maximum of the keys keeps a NaN in the window, as torch does
/// (Halide's maximum of floats drops it).
Expr orderedKey(Expr x) {
  Expr bits = reinterpret<uint32_t>(x), sign = Expr(0x80000000u);
  return select(isNaN(x), Expr(0xffffffffu), bits >= sign, ~bits, bits | sign);
}

Expr fromOrderedKey(Expr key) {
  Expr sign = Expr(0x80000000u), nan = Expr(0x7fc00000u);
  return reinterpret<float>(
      select(key == Expr(0xffffffffu), nan, key >= sign, key & ~sign, ~key));
}

Expr pooled(const Tensor &in, const Window &w, const std::string &function,
            Expr divisor) {
  Expr value = call(in.func, w.coordinate);
  if (function == "max")
    return fromOrderedKey(maximum(select(
        w.inside, orderedKey(value),
        orderedKey(Expr(-std::numeric_limits<float>::infinity())))));
  return sum(select(w.inside, value, 0.0f)) / cast<float>(divisor);
}

/// The most taps an adaptive window of a dim of `size` pooled to `outSize`
/// holds: exact when both are known, else ceil(size / outSize) + 1.
Expr widestWindow(Expr size, Expr outSize) {
  const int64_t *l = Internal::as_const_int(size), *o = Internal::as_const_int(outSize);
  if (!l || !o)
    return (size + outSize - 1) / outSize + 1;
  int64_t widest = 0;
  for (int64_t i = 0; i < *o; ++i)
    widest = std::max(widest, ((i + 1) * *l + *o - 1) / *o - i * *l / *o);
  return int(widest);
}

/// Vectorized along the last output dim, parallel over the others; the
/// window's reduction runs inline per vector.
LayerStage pooledStage(const Node &node, const std::vector<Var> &vars,
                       const std::vector<Expr> &shape, Expr value) {
  LayerStage stage;
  stage.vars = vars;
  stage.output = {newFunc(node), shape};
  call(stage.output.func, asExprs(vars)) = epilogue(node, value);
  return stage;
}
} // namespace

/// Window of output element o along a dim: taps o·s − p + r·d for r in
/// [0, k). Average: divide by the taps inside [−p, L + p) (count_include_pad)
/// or inside [0, L), as torch does.
LayerStage pooling(const Operands &operands, const Node &node, const ParamBuffers &,
                   const Target &) {
  const Tensor &in = operands[0];
  int rank = int(node.kernel.size()), first = in.rank() - rank;
  std::vector<Var> vars = makeVars(in.rank(), "x");
  Region ranges;
  for (int i = rank - 1; i >= 0; --i)
    ranges.push_back({0, int(node.kernel[i])});
  Window w{RDom(ranges, node.name + "_r"), {}, Internal::const_true()};
  std::vector<Expr> shape(in.shape.begin(), in.shape.begin() + first);
  std::vector<Requirement> requirements;  // where a dynamic size may not fit
  Expr divisor = 1;
  for (int i = 0; i < first; ++i)
    w.coordinate.push_back(vars[i]);
  for (int i = 0; i < rank; ++i) {
    Expr size = in.shape[first + i];
    int k = int(node.kernel[i]), s = int(node.stride[i]), p = int(node.paddingLow[i]),
        d = int(node.dilation[i]);
    Expr start = vars[first + i] * s - p;
    Expr tap = start + w.r[rank - 1 - i] * d;
    w.coordinate.push_back(clamp(tap, 0, size - 1));
    w.inside = w.inside && tap >= 0 && tap < size;
    divisor = divisor * (node.countIncludePad
                             ? min(start + k, size + p) - start
                             : min(start + k, size) - max(start, 0));
    // torch's output size: floor or ceil of the span over the stride, less
    // one when the last window would start in the right padding.
    Expr span = size + 2 * p - d * (k - 1) - 1;
    Expr out = (node.ceilMode ? (span + s - 1) / s : span / s) + 1;
    if (node.ceilMode)
      out = select((out - 1) * s >= size + p, out - 1, out);
    if (node.shape[first + i] >= 0) {
      shape.push_back(int(node.shape[first + i]));
      continue;
    }
    shape.push_back(out);
    requirements.push_back({out >= 1,
                            layerLabel(node) + ": the pooling window of spatial dim " +
                                std::to_string(i) +
                                " is larger than the padded input of size",
                            size + 2 * p});
  }
  LayerStage stage = pooledStage(node, vars, shape, pooled(in, w, node.function, divisor));
  stage.requirements = requirements;
  return stage;
}

/// Output element o of a dim of size L pooled to O pools over
/// [floor(o·L/O), ceil((o+1)·L/O)); the domain spans the widest window,
/// masked to each element's own.
LayerStage adaptivePooling(const Operands &operands, const Node &node,
                           const ParamBuffers &, const Target &) {
  const Tensor &in = operands[0];
  int rank = int(node.outputSize.size()), first = in.rank() - rank;
  std::vector<Var> vars = makeVars(in.rank(), "x");
  std::vector<Expr> shape(in.shape.begin(), in.shape.begin() + first);
  std::vector<Expr> starts, ends;
  Region ranges(rank);
  for (int i = 0; i < rank; ++i) {
    Expr size = in.shape[first + i];
    Expr outSize = node.outputSize[i] > 0 ? Expr(int(node.outputSize[i])) : size;
    // In 64 bits: o · L passes 2^31 for long inputs pooled to many outputs.
    Expr o = cast<int64_t>(vars[first + i]), l = cast<int64_t>(size),
         n = cast<int64_t>(outSize);
    starts.push_back(cast<int>(o * l / n));
    ends.push_back(cast<int>(((o + 1) * l + n - 1) / n));
    ranges[rank - 1 - i] = {0, widestWindow(size, outSize)};
    shape.push_back(outSize);
  }
  Window w{RDom(ranges, node.name + "_r"), {}, Internal::const_true()};
  Expr divisor = 1;
  for (int i = 0; i < first; ++i)
    w.coordinate.push_back(vars[i]);
  for (int i = 0; i < rank; ++i) {
    Expr tap = starts[i] + w.r[rank - 1 - i];
    w.coordinate.push_back(min(tap, in.shape[first + i] - 1));
    w.inside = w.inside && tap < ends[i];
    divisor = divisor * (ends[i] - starts[i]);
  }
  return pooledStage(node, vars, shape, pooled(in, w, node.function, divisor));
}

} // namespace layerc::halide
