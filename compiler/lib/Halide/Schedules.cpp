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

int vectorWidth(const Target &target) { return target.natural_vector_size<float>(); }

int vectorRegisters(const Target &target) {
  return target.has_feature(Target::AVX512) || target.arch == Target::ARM ? 32 : 16;
}

int accumulatorBudget(const Target &target) {
  return vectorRegisters(target) >= 32 ? 16 : 8;
}

/// Fuses the loops of `vars` (Halide order: innermost first) into one and
/// returns it; the first var alone when there is one.
Var fuseAll(Halide::Stage stage, const std::vector<Var> &vars) {
  Var fused = vars.front();
  for (size_t i = 1; i < vars.size(); ++i) {
    Var next(fused.name() + "_" + vars[i].name());
    stage.fuse(fused, vars[i], next);
    fused = next;
  }
  return fused;
}

bool isStatic(const std::vector<Expr> &shape) {
  return std::all_of(shape.begin(), shape.end(),
                     [](const Expr &e) { return e.as<Internal::IntImm>() != nullptr; });
}

Var parallelInTasks(Halide::Stage stage, Var loop, Expr elementsPerIteration) {
  // A task of a thread pool costs ~1 us to hand out: for memory-bound
  // stages, whole rows of a 64x112x112 tensor as tasks (7168 of them) ran
  // 2x slower than one thread. 16K elements (64 KB) per task.
  constexpr int kTaskElements = 16384;
  Var task(loop.name() + "_task"), inner(loop.name() + "_in");
  stage.split(loop, task, inner, max(1, kTaskElements / max(elementsPerIteration, 1)),
              TailStrategy::GuardWithIf)
      .parallel(task);
  return inner;
}

void vectorizeAndParallelize(Func f, const std::vector<Var> &vars, bool staticSizes,
                             Expr rowElements, const Target &target) {
  if (vars.empty())
    return;
  Var inner = vars.back(), vo("vo"), vi("vi");
  f.split(inner, vo, vi, vectorWidth(target), TailStrategy::GuardWithIf)
      .vectorize(vi);
  if (vars.size() == 1) {
    parallelInTasks(f, vo, vectorWidth(target));
    return;
  }
  // The outer dims fused into one loop, when their sizes are known: with a
  // dynamic size, bounds inference through the fused index's divisions is
  // too loose (it reached before the start of an input). Then the second
  // dim alone (rows: the outermost is usually the dynamic batch).
  if (staticSizes) {
    std::vector<Var> outer(vars.rbegin() + 1, vars.rend());
    parallelInTasks(f, fuseAll(f, outer), rowElements);
  } else {
    parallelInTasks(f, vars[vars.size() - 2], rowElements);
  }
}

/// The per-key sums of a norm's statistics: parallel over the keys; the
/// reduction's innermost dim split into vectors of doubles by rfactor, so
/// each key's values are read once, a vector at a time.
void scheduleSums(LayerStage &stage, const Target &target) {
  Func sums = stage.accumulator;
  sums.compute_root();
  std::vector<Var> keys = sums.args();
  RVar rx = stage.reduction[0], rxo("rxo"), rxi("rxi");
  Var lane("lane");
  int lanes = target.natural_vector_size<double>();
  Func partial = sums.update().split(rx, rxo, rxi, lanes).rfactor(rxi, lane);
  if (!keys.empty()) {
    Var fused = fuseAll(sums.update(), keys);
    Expr perKey = 1;
    for (int i = 0; i < stage.reduction.dimensions(); ++i)
      perKey = perKey * stage.reduction[i].extent();
    partial.compute_at(sums, parallelInTasks(sums.update(), fused, perKey));
  }
  partial.vectorize(lane);
  std::vector<VarOrRVar> order{lane, rxo};
  for (int i = 1; i < stage.reduction.dimensions(); ++i)
    order.push_back(stage.reduction[i]);
  partial.update().reorder(order).vectorize(lane);
}

void scheduleElementwise(LayerStage &stage, const Target &target) {
  stage.output.func.compute_root();
  if (stage.vars.empty())
    return;  // a scalar
  vectorizeAndParallelize(stage.output.func, stage.vars, isStatic(stage.output.shape),
                          stage.output.shape.back(), target);
}

/// Output loop nest (outermost first):
///   output tiles x leading dims x row tiles (fused, parallel)
///   → the tile: rows (unrolled) → output vectors (unrolled) → lanes
/// The accumulator acc(j, rows, ob), rows x vectors x lanes, is computed per
/// tile and reduced over the whole K: each step loads `vectors` weight
/// vectors from the tile's contiguous panel and broadcasts one input value
/// per row. The output-tile loop is outermost, so a panel (K x T floats)
/// stays in cache across the row tiles.
/// Measured (Zen 4, one thread, standalone Halide 14): 1024->4096 at batch
/// 64 with 4 vectors x 4 rows: 5.3 ms, 87% of the FMA peak.
void scheduleLinear(LayerStage &stage, const Target &) {
  const RegisterTile &tile = stage.tile;
  int width = tile.lanes * tile.vectors;
  Func out = stage.output.func, acc = stage.accumulator;
  const std::vector<Var> &v = stage.vars;
  int rank = int(v.size());
  Var o = v.back(), ot("ot"), oin("oin"), ov("ov"), ol("ol");
  out.compute_root()
      .split(o, ot, oin, width, TailStrategy::GuardWithIf)
      .split(oin, ov, ol, tile.lanes)
      .vectorize(ol)
      .unroll(ov);
  std::vector<VarOrRVar> order{ol, ov};
  std::vector<Var> outer;
  Var ro("ro"), ri("ri");
  if (rank >= 2) {
    out.split(v[rank - 2], ro, ri, tile.columns, TailStrategy::ShiftInwards)
        .unroll(ri);
    order.push_back(ri);
    outer.push_back(ro);
    for (int i = rank - 3; i >= 0; --i)
      outer.push_back(v[i]);
  }
  outer.push_back(ot);
  order.insert(order.end(), outer.begin(), outer.end());
  out.reorder(order);
  Var tiles = fuseAll(out, outer);
  out.parallel(tiles);

  // acc(j, [row, lead...], ob): j splits into vectors; rows unrolled.
  std::vector<Var> args = acc.args();
  Var j = args.front(), jv("jv"), jl("jl");
  acc.compute_at(out, tiles).bound(j, 0, width);
  acc.split(j, jv, jl, tile.lanes).vectorize(jl).unroll(jv);
  Halide::Stage update = acc.update();
  update.split(j, jv, jl, tile.lanes);
  std::vector<VarOrRVar> inner{jl, jv};
  if (rank >= 2) {
    Var row = args[1];
    acc.bound_extent(row, tile.columns).unroll(row);
    update.unroll(row);
    inner.push_back(row);
  }
  inner.push_back(stage.reduction.x);
  update.reorder(inner).vectorize(jl).unroll(jv);
}

void scheduleView(LayerStage &, const Target &) {}

void scheduleContraction(Func f, const std::vector<Var> &vars,
                         const std::vector<Expr> &shape, const Target &target) {
  if (vars.empty())
    return;
  Halide::Stage update = f.update();
  std::vector<RVar> r = f.rvars(0);
  Var inner = vars.back(), vo(inner.name() + "_vo"), vi(inner.name() + "_vi");
  update.split(inner, vo, vi, vectorWidth(target), TailStrategy::GuardWithIf)
      .vectorize(vi);
  std::vector<VarOrRVar> order{vi};
  order.insert(order.end(), r.begin(), r.end());
  order.push_back(vo);
  std::vector<Var> outer(vars.rbegin() + 1, vars.rend());  // innermost first
  order.insert(order.end(), outer.begin(), outer.end());
  update.reorder(order);
  if (outer.empty())
    return;
  Expr work = shape.back();  // (the RVars of rvars() carry no extents)
  for (const Internal::ReductionVariable &v : f.function().update(0).schedule().rvars())
    work = work * v.extent;
  // As vectorizeAndParallelize: all outer dims fused when static, else the
  // one next to the innermost.
  parallelInTasks(update, isStatic(shape) ? fuseAll(update, outer) : outer.front(), work);
}

void scheduleNormalization(LayerStage &stage, const Target &target) {
  if (stage.accumulator.defined())
    scheduleSums(stage, target);
  for (Func &helper : stage.helpers)
    helper.compute_root();
  scheduleElementwise(stage, target);
}

} // namespace layerc::halide
