//===- Schedules.cpp - how each nn layer is computed on a target ---------===//
//
// Hand-written schedules, one per layer family. Every stage is computed at
// root (its own loop nest; fusion comes with a later pass), vectorized along
// the innermost (contiguous) dim at the target's natural width, and
// parallel over an outer dim. These are first real schedules, not tuned
// ones: the benchmark issue measures and improves them.
//
//===----------------------------------------------------------------------===//
#include "Layers.h"

using namespace Halide;

namespace layerc::halide {

namespace {
/// f32 lanes of one vector register: 16 with AVX-512, 8 with AVX2, 4 with
/// SSE/NEON.
int vectorWidth(const Target &target) { return target.natural_vector_size<float>(); }

/// Output channels computed together in a conv: each input vector loaded is
/// reused for this many accumulators (4 accumulators x V lanes keeps the
/// register file far from full on every target we build for).
constexpr int kConvChannelTile = 4;

/// Vectorizes the innermost dim and parallelizes the outermost of a pure
/// definition; `vars` in torch order.
void vectorizeAndParallelize(Func f, const std::vector<Var> &vars,
                             const Target &target) {
  if (vars.empty())
    return;
  Var inner = vars.back(), vo("vo"), vi("vi");
  f.split(inner, vo, vi, vectorWidth(target), TailStrategy::GuardWithIf)
      .vectorize(vi);
  if (vars.size() > 1)
    f.parallel(vars.front());
  else
    f.parallel(vo);
}
} // namespace

void scheduleElementwise(LayerStage &stage, const Target &target) {
  stage.output.func.compute_root();
  vectorizeAndParallelize(stage.output.func, stage.vars, target);
}

/// Output loop nest (outermost first):
///   [n] x co/T (fused, parallel) → spatial rows → x/V → co%T (unrolled)
///   → x%V (vector)
/// with the accumulator computed per x/V step: a T x V register tile,
/// reduced over ci → taps with each input vector loaded once for T output
/// channels (T = 4 accumulators of V lanes: far from filling the register
/// file on AVX2 or NEON).
void scheduleConvolution(LayerStage &stage, const Target &target) {
  Func out = stage.output.func, acc = stage.accumulator;
  const std::vector<Var> &v = stage.vars;
  int rank = int(v.size());
  int spatial = stage.reduction.dimensions() - 1;
  bool batched = rank == spatial + 2;
  Var co = v[batched ? 1 : 0], x = v.back();
  int lanes = vectorWidth(target);
  constexpr auto guard = TailStrategy::GuardWithIf;

  Var xo("xo"), xi("xi"), coo("coo"), coi("coi");
  out.compute_root()
      .split(x, xo, xi, lanes, guard)
      .split(co, coo, coi, kConvChannelTile, guard);
  std::vector<VarOrRVar> order{xi, coi, xo};
  for (int i = rank - 2; i > (batched ? 1 : 0); --i)
    order.push_back(v[i]);
  order.push_back(coo);
  if (batched)
    order.push_back(v[0]);
  out.reorder(order).vectorize(xi).unroll(coi);
  if (batched) {
    Var tile("tile");
    out.fuse(coo, v[0], tile).parallel(tile);
  } else {
    out.parallel(coo);
  }

  acc.compute_at(out, xo);
  Var xv("xv"), xl("xl"), cv("cv"), cl("cl");
  acc.split(x, xv, xl, lanes, guard)
      .split(co, cv, cl, kConvChannelTile, guard)
      .vectorize(xl)
      .unroll(cl);
  Halide::Stage update = acc.update();
  update.split(x, xv, xl, lanes, guard)
      .split(co, cv, cl, kConvChannelTile, guard);
  std::vector<VarOrRVar> inner{xl, cl};
  for (int i = 0; i < stage.reduction.dimensions(); ++i)
    inner.push_back(stage.reduction[i]);
  update.reorder(inner).vectorize(xl).unroll(cl);
}

/// Output loop nest: rows (parallel) → o/(4V) → o%(4V) (vectors). The
/// accumulator is computed per o/(4V) step: 4 vector accumulators reduced
/// over k, each weight vector loaded once and the input broadcast.
void scheduleLinear(LayerStage &stage, const Target &target) {
  Func out = stage.output.func, acc = stage.accumulator;
  const std::vector<Var> &v = stage.vars;
  int lanes = vectorWidth(target);
  constexpr int kVectors = 4;
  constexpr auto guard = TailStrategy::GuardWithIf;
  Var o = v.back(), oo("oo"), oi("oi"), ov("ov"), ol("ol");
  out.compute_root()
      .split(o, oo, oi, lanes * kVectors, guard)
      .split(oi, ov, ol, lanes, guard)
      .vectorize(ol)
      .unroll(ov);
  // Outer rows when there are several, else blocks of outputs.
  out.parallel(v.size() > 1 ? v.front() : oo);

  acc.compute_at(out, oo);
  acc.split(o, ov, ol, lanes, guard).vectorize(ol).unroll(ov);
  acc.update()
      .split(o, ov, ol, lanes, guard)
      .reorder(ol, ov, stage.reduction.x)
      .vectorize(ol)
      .unroll(ov);
}

void scheduleNormalization(LayerStage &stage, const Target &target) {
  for (Func &helper : stage.helpers)
    helper.compute_root();
  scheduleElementwise(stage, target);
}

} // namespace layerc::halide
