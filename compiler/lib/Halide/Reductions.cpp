//===- Reductions.cpp - softmax, log_softmax and mean, in Halide ---------===//
//
// Reductions along some dims of a tensor: per key (the other dims), a
// maximum and a sum for softmax, a sum for mean. The per-key results are
// the stage's helpers, computed once each (scheduleReduction).
//
//===----------------------------------------------------------------------===//
#include "Layers.h"
#include <limits>

using namespace Halide;
using layerc::lowering::Node;

namespace layerc::halide {

/// softmax: e^(x − m) / Σ e^(x − m), log_softmax: (x − m) − log Σ e^(x − m),
/// with m the maximum along the axis: no overflow for large inputs, and
/// the largest term is exactly e^0.
LayerStage softmax(const Operands &operands, const Node &node, const ParamBuffers &,
                   const Target &) {
  const Tensor &in = operands[0];
  bool log = node.function == "log_softmax";
  LayerStage stage;
  stage.vars = makeVars(in.rank(), "x");
  stage.output = {newFunc(node), in.shape};
  std::vector<Expr> args = asExprs(stage.vars);
  if (in.rank() == 0) {  // one value: probability 1
    call(stage.output.func, args) = log ? 0.0f : 1.0f;
    return stage;
  }
  int axis = int(node.axis);
  std::vector<Var> keys = stage.vars;
  keys.erase(keys.begin() + axis);
  std::vector<Expr> key = asExprs(keys);
  RDom r(0, in.shape[axis], node.name + "_r");
  std::vector<Expr> along = args;
  along[axis] = r;
  Func largest = newFunc(node, "max"), total = newFunc(node, "sum");
  // The largest value, or NaN if there is one: then the whole row is NaN,
  // as in torch (Halide's maximum and exp drop NaN).
  call(largest, key) = Expr(-std::numeric_limits<float>::infinity());
  Expr value = call(in.func, along), best = call(largest, key);
  call(largest, key) = select(isNaN(best), best, isNaN(value), value,
                              best >= value, best, value);
  call(total, key) = sum(exp(value - best));
  Expr shifted = call(in.func, args) - best;
  Expr result = log ? shifted - Halide::log(call(total, key)) : exp(shifted) / call(total, key);
  call(stage.output.func, args) = select(isNaN(best), best, result);
  stage.helpers = {largest, total};
  stage.reduction = r;
  return stage;
}

/// out(kept...) = Σ in / count over the reduced dims, summed in double.
/// With keepdim the reduced dims stay, of size 1.
LayerStage mean(const Operands &operands, const Node &node, const ParamBuffers &,
                const Target &) {
  const Tensor &in = operands[0];
  LayerStage stage;
  stage.vars = makeVars(int(node.shape.size()), "x");
  Region ranges;
  Expr count = 1;
  for (auto it = node.dims.rbegin(); it != node.dims.rend(); ++it) {
    ranges.push_back({0, in.shape[*it]});
    count = count * in.shape[*it];
  }
  RDom r(ranges, node.name + "_r");
  std::vector<Expr> at;
  int next = 0, reduced = 0;
  for (int i = 0; i < in.rank(); ++i) {
    bool isReduced = std::count(node.dims.begin(), node.dims.end(), i) != 0;
    if (isReduced) {
      at.push_back(r[int(node.dims.size()) - 1 - reduced++]);
      if (node.keepDim) {
        stage.output.shape.push_back(1);
        ++next;
      }
    } else {
      at.push_back(stage.vars[next++]);
      stage.output.shape.push_back(in.shape[i]);
    }
  }
  stage.output.func = newFunc(node);
  Expr total = sum(cast<double>(call(in.func, at)));
  call(stage.output.func, asExprs(stage.vars)) =
      epilogue(node, cast<float>(total / cast<double>(count)));
  return stage;
}

/// Each helper (per-key maximum, sum) computed once, in parallel over its
/// keys (all of them fused when the sizes are static, else the outermost),
/// one key per iteration; then the output as an elementwise stage.
void scheduleReduction(LayerStage &stage, const Target &target) {
  Expr perKey = stage.reduction.defined() ? stage.reduction.x.extent() : Expr(1);
  for (Func &helper : stage.helpers) {
    helper.compute_root();
    std::vector<Var> keys = helper.args();  // innermost first
    if (keys.empty())
      continue;
    Var loop = isStatic(stage.output.shape) ? fuseAll(helper, keys) : keys.back();
    parallelInTasks(helper, loop, perKey);
  }
  scheduleElementwise(stage, target);
}

} // namespace layerc::halide
