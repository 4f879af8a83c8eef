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

/// Loop nest of the accumulation (outermost first):
///   [n] → co/4 (parallel) → spatial rows → x/V → ci → taps → co%4 (unrolled)
///   → x%V (vector)
/// so each input vector loaded feeds 4 output channels.
void scheduleConvolution(LayerStage &stage, const Target &target) {
  Func f = stage.output.func;
  f.compute_root();
  const std::vector<Var> &v = stage.vars;
  int rank = int(v.size());
  int spatial = stage.reduction.dimensions() - 1;
  bool batched = rank == spatial + 2;
  Var co = v[batched ? 1 : 0], x = v.back();
  vectorizeAndParallelize(f, v, target);

  Var xo("xo"), xi("xi"), coo("coo"), coi("coi");
  Halide::Stage update = f.update();
  update.split(x, xo, xi, vectorWidth(target), TailStrategy::GuardWithIf)
      .split(co, coo, coi, kConvChannelTile, TailStrategy::GuardWithIf);
  std::vector<VarOrRVar> order{xi, coi};
  for (int i = 0; i < stage.reduction.dimensions(); ++i)
    order.push_back(stage.reduction[i]);
  order.push_back(xo);
  for (int i = rank - 2; i > (batched ? 1 : 0); --i)
    order.push_back(v[i]);
  order.push_back(coo);
  if (batched)
    order.push_back(v[0]);
  update.reorder(order).vectorize(xi).unroll(coi);
  if (batched) {
    Var t("t");
    update.fuse(coo, v[0], t).parallel(t);
  } else {
    update.parallel(coo);
  }
}

/// Loop nest of the accumulation: rows (parallel) → o/V → k → o%V (vector).
void scheduleLinear(LayerStage &stage, const Target &target) {
  Func f = stage.output.func;
  f.compute_root();
  const std::vector<Var> &v = stage.vars;
  vectorizeAndParallelize(f, v, target);
  Var o = v.back(), oo("oo"), oi("oi");
  Halide::Stage update = f.update();
  update.split(o, oo, oi, vectorWidth(target), TailStrategy::GuardWithIf)
      .reorder(oi, stage.reduction.x, oo)
      .vectorize(oi);
  if (v.size() > 1) {
    // Outer rows when there are several, else split the outputs.
    update.parallel(v.front());
  } else {
    update.parallel(oo);
  }
}

void scheduleNormalization(LayerStage &stage, const Target &target) {
  for (Func &helper : stage.helpers)
    helper.compute_root();
  scheduleElementwise(stage, target);
}

} // namespace layerc::halide
