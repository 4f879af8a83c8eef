//===- Attention.cpp - matmul and multi-head self-attention, in Halide ---===//
//
// Both are built from contractions f(i...) = Σ_r a · b whose innermost
// dim reads contiguous memory in the second factor: a vector of outputs
// takes one broadcast of the first factor and one vector load per step.
// Weights of the attention's projections are stored transposed (packed at
// compile time) for that reason, and K is transposed once per call.
//
//===----------------------------------------------------------------------===//
#include "Layers.h"
#include <cmath>

using namespace Halide;
using layerc::lowering::Node;

namespace layerc::halide {
namespace {
/// f(vars) = init; f(vars) += term over r.
Func contraction(const Node &node, const std::string &role,
                 const std::vector<Var> &vars, Expr init, Expr term) {
  Func f = newFunc(node, role);
  call(f, asExprs(vars)) = init;
  call(f, asExprs(vars)) += term;
  return f;
}

/// A Func of the stage that is computed at root, with its extents.
Tensor intermediate(LayerStage &stage, Func f, std::vector<Expr> shape) {
  stage.intermediates.push_back({f, shape});
  return stage.intermediates.back();
}
} // namespace

/// torch.matmul: a(..., i, k) · b(..., k, j) summed over k; a 1-d `a` is
/// a row (no i in the result), a 1-d `b` a column (no j); the dims before
/// the last two broadcast.
LayerStage matmul(const Operands &operands, const Node &node, const ParamBuffers &,
                  const Target &) {
  const Tensor &a = operands[0], &b = operands[1];
  LayerStage stage;
  int rank = int(node.shape.size());
  stage.vars = makeVars(rank, "x");
  int batchRank = rank - (a.rank() >= 2) - (b.rank() >= 2);
  std::vector<Var> batch(stage.vars.begin(), stage.vars.begin() + batchRank);
  Tensor aBatch{a.func, {}}, bBatch{b.func, {}};
  if (a.rank() > 2)
    aBatch.shape.assign(a.shape.begin(), a.shape.end() - 2);
  if (b.rank() > 2)
    bBatch.shape.assign(b.shape.begin(), b.shape.end() - 2);
  std::vector<Expr> shape =
      broadcastShape({&aBatch, &bBatch}, batchRank, node, stage.requirements);
  Expr inner = a.shape.back();
  Expr otherInner = b.rank() == 1 ? b.shape[0] : b.shape[b.rank() - 2];
  if (!Internal::can_prove(inner == otherInner))
    stage.requirements.push_back({inner == otherInner,
                                  layerLabel(node) +
                                      ": matmul needs equal inner dims, got",
                                  otherInner});
  RDom r(0, inner, node.name + "_r");
  std::vector<Expr> aAt = broadcastIndex(aBatch, batch, shape);
  std::vector<Expr> bAt = broadcastIndex(bBatch, batch, shape);
  int next = batchRank;
  if (a.rank() >= 2) {
    aAt.push_back(stage.vars[next++]);
    shape.push_back(a.shape[a.rank() - 2]);
  }
  aAt.push_back(r);
  bAt.push_back(r);
  if (b.rank() >= 2) {
    bAt.push_back(stage.vars[next++]);
    shape.push_back(b.shape.back());
  }
  Func acc = contraction(node, "acc", stage.vars, 0.0f,
                         call(a.func, aAt) * call(b.func, bAt));
  intermediate(stage, acc, shape);
  stage.output = {newFunc(node), shape};
  call(stage.output.func, asExprs(stage.vars)) =
      epilogue(node, call(acc, asExprs(stage.vars)));
  return stage;
}

/// nn.MultiheadAttention(x, x, x) in eval mode, per batch n (E = embed,
/// D = E / heads):
///   qkv(n, l, o)   = in_proj_bias(o) + Σ_e x(n, l, e) · W_in(o, e)
///   s(n, h, i, j)  = Σ_d q(n, i, hD + d) · k(n, j, hD + d) / √D
///   p(n, h, i, j)  = softmax over j of s
///   a(n, h, i, d)  = Σ_j p(n, h, i, j) · v(n, j, hD + d)
///   y(n, l, o)     = out_proj.bias(o) + Σ_e a(n, e / D, l, e % D) · W_out(o, e)
/// with q, k, v the thirds of qkv, and x, y in the input's layout.
LayerStage multiheadAttention(const Operands &operands, const Node &node,
                              const ParamBuffers &params, const Target &) {
  const Tensor &in = operands[0];
  LayerStage stage;
  stage.vars = makeVars(in.rank(), "x");
  const Weights &inProj = params.at("in_proj_weight_t");    // (E, 3E)
  const Weights &outProj = params.at("out_proj.weight_t");  // (E, E)
  int embed = int(inProj.shape[0]), heads = int(node.numHeads), depth = embed / heads;
  bool unbatched = in.rank() == 2;
  Expr length = in.shape[unbatched || node.batchFirst ? in.rank() - 2 : 0];
  Expr batch = unbatched ? Expr(1) : in.shape[node.batchFirst ? 0 : 1];
  // x(n, l, e) in the input's own layout.
  auto x = [&](Expr n, Expr l, Expr e) {
    if (unbatched)
      return call(in.func, {l, e});
    return node.batchFirst ? call(in.func, {n, l, e}) : call(in.func, {l, n, e});
  };
  auto bias = [&](const char *suffix, Expr o) {
    auto it = params.find(suffix);
    return it == params.end() ? Expr(0.0f) : call(it->second, {o});
  };
  Var n("n"), l("l"), o("o"), h("h"), i("i"), j("j"), d("d");
  RDom re(0, embed, node.name + "_e"), rd(0, depth, node.name + "_d"),
      rj(0, length, node.name + "_j");

  Tensor qkv = intermediate(
      stage,
      contraction(node, "qkv", {n, l, o}, bias("in_proj_bias", o),
                  x(n, l, re) * call(inProj, {re, o})),
      {batch, length, 3 * embed});
  Func keysT = newFunc(node, "keys_t");  // k transposed: (n, h, d, j)
  call(keysT, {n, h, d, j}) = call(qkv.func, {n, j, embed + h * depth + d});
  intermediate(stage, keysT, {batch, heads, depth, length});
  float scale = float(1.0 / std::sqrt(double(depth)));
  Tensor scores = intermediate(
      stage,
      contraction(node, "scores", {n, h, i, j}, 0.0f,
                  call(qkv.func, {n, i, h * depth + rd}) * call(keysT, {n, h, rd, j})),
      {batch, heads, length, length});
  Func largest = newFunc(node, "max"), total = newFunc(node, "sum");
  call(largest, {n, h, i}) = maximum(call(scores.func, {n, h, i, rj}));
  call(total, {n, h, i}) =
      sum(exp(call(scores.func, {n, h, i, rj}) * scale - call(largest, {n, h, i}) * scale));
  intermediate(stage, largest, {batch, heads, length});
  intermediate(stage, total, {batch, heads, length});
  Func probs = newFunc(node, "probs");
  call(probs, {n, h, i, j}) =
      exp(call(scores.func, {n, h, i, j}) * scale - call(largest, {n, h, i}) * scale) /
      call(total, {n, h, i});
  intermediate(stage, probs, {batch, heads, length, length});
  Tensor attended = intermediate(
      stage,
      contraction(node, "attended", {n, h, i, d}, 0.0f,
                  call(probs, {n, h, i, rj}) *
                      call(qkv.func, {n, rj, 2 * embed + h * depth + d})),
      {batch, heads, length, Expr(depth)});
  Tensor projected = intermediate(
      stage,
      contraction(node, "projected", {n, l, o}, bias("out_proj.bias", o),
                  call(attended.func, {n, re / depth, l, re % depth}) *
                      call(outProj, {re, o})),
      {batch, length, Expr(embed)});
  std::vector<Expr> args = asExprs(stage.vars);
  Expr y = unbatched ? call(projected.func, {0, args[0], args[1]})
           : node.batchFirst ? call(projected.func, {args[0], args[1], args[2]})
                             : call(projected.func, {args[1], args[0], args[2]});
  stage.output = {newFunc(node), in.shape};
  call(stage.output.func, args) = epilogue(node, y);
  return stage;
}

/// The projections' weights transposed to (E, 3E) and (E, E): a vector of
/// outputs reads one contiguous row per reduction step.
PackedParam packAttentionParam(const Node &, const std::string &suffix,
                               const lowering::HostTensor &tensor, const Target &) {
  if (tensor.shape.size() != 2)
    return {suffix, tensor};
  int64_t rows = tensor.shape[0], cols = tensor.shape[1];
  lowering::HostTensor transposed{{cols, rows}, std::vector<float>(tensor.data.size())};
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      transposed.data[c * rows + r] = tensor.data[r * cols + c];
  return {suffix + "_t", transposed};
}

/// Every intermediate at root: vectorized along its innermost dim and
/// parallel over the others (scheduleContraction for the sums); then the
/// output as an elementwise stage.
void scheduleContractions(LayerStage &stage, const Target &target) {
  for (Tensor &t : stage.intermediates) {
    std::vector<Var> vars = t.func.args();  // innermost first
    std::reverse(vars.begin(), vars.end());
    t.func.compute_root();
    if (vars.empty())
      continue;  // a scalar
    vectorizeAndParallelize(t.func, vars, isStatic(t.shape), t.shape.back(), target);
    if (t.func.has_update_definition())
      scheduleContraction(t.func, vars, t.shape, target);
  }
  scheduleElementwise(stage, target);
}

} // namespace layerc::halide
