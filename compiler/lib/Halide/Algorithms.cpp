//===- Algorithms.cpp - what each nn layer computes, in Halide -----------===//
//
// One function per layer: the definition of every output element, no loop
// order. Coordinates are written in torch order (see Layers.h).
//
//===----------------------------------------------------------------------===//
#include "Layers.h"

using namespace Halide;
using layerc::lowering::Node;

namespace layerc::halide {

std::vector<Var> makeVars(int rank, const std::string &prefix) {
  std::vector<Var> vars;
  for (int i = 0; i < rank; ++i)
    vars.emplace_back(prefix + std::to_string(i));
  return vars;
}

std::vector<Expr> asExprs(const std::vector<Var> &vars) {
  return std::vector<Expr>(vars.begin(), vars.end());
}

FuncRef call(const Func &f, std::vector<Expr> torchArgs) {
  std::reverse(torchArgs.begin(), torchArgs.end());
  return const_cast<Func &>(f)(torchArgs);
}

Expr call(const Weights &w, const std::vector<Expr> &torchArgs) {
  Expr index = Weights::kPad;
  for (size_t i = 0; i < torchArgs.size(); ++i)
    index = index + torchArgs[i] * int(w.strides[i]);
  return w.flat(index);
}

Func newFunc(const Node &node, const std::string &role) {
  return Func(lowering::cIdentifier(node.name + (role.empty() ? "" : "_" + role)));
}


/// Linear's register tile: up to 4 output vectors by as many rows (the
/// second-to-last dim) as the accumulator budget allows, when that dim is
/// static; rows past its end would read past the input.
RegisterTile linearTile(const Node &node, const Target &target) {
  int lanes = vectorWidth(target);
  int budget = vectorRegisters(target) >= 32 ? 16 : 8;
  int64_t outFeatures = node.shape.back();
  int vectors = int(std::min<int64_t>(4, (outFeatures + lanes - 1) / lanes));
  int rows = 1;
  if (node.shape.size() >= 2 && node.shape[node.shape.size() - 2] > 0)
    rows = int(std::min<int64_t>(budget / vectors, node.shape[node.shape.size() - 2]));
  return {lanes, vectors, rows};
}

/// The weight transposed, (K, O') with o contiguous, so a vector of outputs
/// reads contiguous weights; O' (and the bias) padded with zeros up to
/// whole output tiles.
PackedParam packLinearParam(const Node &node, const std::string &suffix,
                            const lowering::HostTensor &tensor,
                            const Target &target) {
  RegisterTile tile = linearTile(node, target);
  int64_t step = int64_t(tile.lanes) * tile.vectors;
  int64_t outFeatures = tensor.shape[0];
  int64_t padded = (outFeatures + step - 1) / step * step;
  if (suffix == "bias") {
    lowering::HostTensor bias{{padded}, std::vector<float>(padded, 0.0f)};
    std::copy(tensor.data.begin(), tensor.data.end(), bias.data.begin());
    return {"bias_padded", bias};
  }
  int64_t inFeatures = tensor.shape[1];
  lowering::HostTensor t{{inFeatures, padded},
                         std::vector<float>(inFeatures * padded, 0.0f)};
  for (int64_t o = 0; o < outFeatures; ++o)
    for (int64_t k = 0; k < inFeatures; ++k)
      t.data[k * padded + o] = tensor.data[o * inFeatures + k];
  return {"weight_t", t};
}

/// out(..., o) = bias(o) + Σ_k W(o, k) · in(..., k), from the transposed,
/// padded weight W_t(k, o) (see packLinearParam).
LayerStage linear(const Tensor &in, const Node &node, const ParamBuffers &params,
                  const Target &target) {
  const Weights &weightT = params.at("weight_t");  // torch (k, o'): o contiguous
  int64_t inFeatures = weightT.shape[0];
  LayerStage stage;
  stage.tile = linearTile(node, target);
  stage.vars = makeVars(in.rank(), "x");
  RDom r(0, int(inFeatures), node.name + "_r");
  Var o = stage.vars.back();
  std::vector<Expr> outArgs = asExprs(stage.vars), inArgs = outArgs;
  inArgs.back() = r;
  Func acc = newFunc(node, "acc"), out = newFunc(node);
  auto bias = params.find("bias_padded");
  call(acc, outArgs) = bias != params.end() ? call(bias->second, {o}) : Expr(0.0f);
  call(acc, outArgs) += call(weightT, {r, o}) * call(in.func, inArgs);
  call(out, outArgs) = epilogue(node, call(acc, outArgs));
  stage.output = {out, in.shape};
  stage.accumulator = acc;
  stage.output.shape.back() = Expr(int(node.shape.back()));
  stage.reduction = r;
  return stage;
}

namespace {
LayerStage elementwise(const Tensor &in, const Node &node,
                  const std::function<Expr(Expr)> &op) {
  LayerStage stage;
  stage.vars = makeVars(in.rank(), "x");
  Func out = newFunc(node);
  std::vector<Expr> args = asExprs(stage.vars);
  call(out, args) = epilogue(node, op(call(in.func, args)));
  stage.output = {out, in.shape};
  return stage;
}
} // namespace

/// relu: max(x, 0). sigmoid: 1 / (1 + e^-x) for x >= 0 and e^x / (1 + e^x)
/// for x < 0: neither form overflows on its side, so |x| up to FLT_MAX
/// gives 0 or 1, never NaN.
Expr activation(lowering::NodeKind kind, Expr x) {
  if (kind == lowering::NodeKind::Relu)
    return max(x, 0.0f);
  assert(kind == lowering::NodeKind::Sigmoid && "relu or sigmoid");
  Expr e = exp(-abs(x));
  return select(x >= 0, 1.0f / (1.0f + e), e / (1.0f + e));
}

Expr epilogue(const Node &node, Expr value) {
  for (lowering::NodeKind kind : node.activations)
    value = activation(kind, value);
  return value;
}

LayerStage relu(const Tensor &in, const Node &node, const ParamBuffers &, const Target &) {
  return elementwise(in, node, [](Expr x) { return activation(lowering::NodeKind::Relu, x); });
}

LayerStage sigmoid(const Tensor &in, const Node &node, const ParamBuffers &, const Target &) {
  return elementwise(in, node, [](Expr x) { return activation(lowering::NodeKind::Sigmoid, x); });
}

/// out(pre..., m, post...) = in(pre..., unravel(m), post...), unravel over
/// the merged dims start..end (row-major).
LayerStage flatten(const Tensor &in, const Node &node, const ParamBuffers &, const Target &) {
  LayerStage stage;
  int outRank = int(node.shape.size());
  stage.vars = makeVars(outRank, "x");
  Func out = newFunc(node);
  std::vector<Expr> inArgs;
  int start = int(node.startDim), end = int(node.endDim);
  if (in.rank() == 0) {
    call(out, asExprs(stage.vars)) = in.func();
    stage.output = {out, {Expr(1)}};
    return stage;
  }
  for (int i = 0; i < start; ++i)
    inArgs.push_back(stage.vars[i]);
  std::vector<Expr> merged(end - start + 1);
  Expr m = stage.vars[start];
  for (int i = end; i >= start; --i) {
    merged[i - start] = i == start ? m : m % in.shape[i];
    m = m / in.shape[i];
  }
  inArgs.insert(inArgs.end(), merged.begin(), merged.end());
  for (int i = end + 1; i < in.rank(); ++i)
    inArgs.push_back(stage.vars[i - end + start]);
  call(out, asExprs(stage.vars)) = call(in.func, inArgs);
  stage.output.func = out;
  for (int i = 0; i < start; ++i)
    stage.output.shape.push_back(in.shape[i]);
  Expr size = 1;
  for (int i = start; i <= end; ++i)
    size = size * in.shape[i];
  stage.output.shape.push_back(size);
  for (int i = end + 1; i < in.rank(); ++i)
    stage.output.shape.push_back(in.shape[i]);
  return stage;
}

namespace {
/// Mean and biased variance of `in` over the RDom coordinates that
/// `element(keyVars, r)` maps to, per key (two passes, double accumulation:
/// exact enough for inputs with a large mean, unlike E[x²] − E[x]²).
std::pair<Func, Func> moments(const Node &node, const std::vector<Var> &keys,
                              const RDom &r, Expr count,
                              const std::function<Expr(const RDom &)> &element) {
  Func mean = newFunc(node, "mean"), var = newFunc(node, "var");
  std::vector<Expr> k = asExprs(keys);
  Func sum = newFunc(node, "sum"), sq = newFunc(node, "sumsq");
  call(sum, k) = cast<double>(0);
  call(sum, k) += cast<double>(element(r));
  call(mean, k) = call(sum, k) / cast<double>(count);
  call(sq, k) = cast<double>(0);
  Expr centered = cast<double>(element(r)) - call(mean, k);
  call(sq, k) += centered * centered;
  call(var, k) = call(sq, k) / cast<double>(count);
  return {mean, var};
}

/// `(x - mean) / sqrt(var + eps)` in float from double statistics.
Expr normalize(Expr x, Expr mean, Expr var, double eps) {
  return cast<float>((cast<double>(x) - mean) / sqrt(var + Expr(eps)));
}

/// x * weight(c) + bias(c) when the parameters exist.
Expr affine(Expr x, const ParamBuffers &params, std::vector<Expr> index) {
  if (auto w = params.find("weight"); w != params.end())
    x = x * call(w->second, index);
  if (auto b = params.find("bias"); b != params.end())
    x = x + call(b->second, index);
  return x;
}
} // namespace

/// Eval mode: y = (x − running_mean) / sqrt(running_var + eps) · w + b, per
/// channel (dim 1). Without running stats the batch's own statistics over
/// (N, *spatial) are used.
LayerStage batchNorm(const Tensor &in, const Node &node, const ParamBuffers &params, const Target &) {
  LayerStage stage;
  stage.vars = makeVars(in.rank(), "x");
  Var c = stage.vars[1];
  std::vector<Expr> args = asExprs(stage.vars);
  Expr x = call(in.func, args), mean, var;
  if (node.useBatchStats) {
    // RDom over (n, *spatial), innermost last spatial.
    Region ranges;
    for (int i = in.rank() - 1; i >= 2; --i)
      ranges.push_back({0, in.shape[i]});
    ranges.push_back({0, in.shape[0]});
    RDom r(ranges, node.name + "_r");
    Expr count = 1;
    for (int i = 0; i < in.rank(); ++i)
      if (i != 1)
        count = count * in.shape[i];
    auto [meanF, varF] = moments(node, {c}, r, count, [&](const RDom &rd) {
      std::vector<Expr> at{rd[in.rank() - 2], c};
      for (int i = 2; i < in.rank(); ++i)
        at.push_back(rd[in.rank() - 1 - i]);
      return call(in.func, at);
    });
    stage.helpers = {meanF, varF};
    mean = meanF(c);
    var = varF(c);
    stage.requirements.push_back(
        {count > 1,
         "layer '" + node.name +
             "': batch statistics need more than 1 value per channel, got",
         count});
  } else {
    mean = cast<double>(call(params.at("running_mean"), {c}));
    var = cast<double>(call(params.at("running_var"), {c}));
  }
  Func out = newFunc(node);
  call(out, args) = epilogue(node, affine(normalize(x, mean, var, node.eps), params, {c}));
  stage.output = {out, in.shape};
  return stage;
}

/// Per sample: statistics over the trailing `normalizedRank` dims.
LayerStage layerNorm(const Tensor &in, const Node &node, const ParamBuffers &params, const Target &) {
  LayerStage stage;
  int rank = in.rank(), normRank = int(node.normalizedRank), lead = rank - normRank;
  stage.vars = makeVars(rank, "x");
  std::vector<Var> keys(stage.vars.begin(), stage.vars.begin() + lead);
  Region ranges;
  Expr count = 1;
  for (int i = rank - 1; i >= lead; --i) {
    ranges.push_back({0, in.shape[i]});
    count = count * in.shape[i];
  }
  RDom r(ranges, node.name + "_r");
  auto [meanF, varF] = moments(node, keys, r, count, [&](const RDom &rd) {
    std::vector<Expr> at = asExprs(keys);
    for (int i = lead; i < rank; ++i)
      at.push_back(rd[rank - 1 - i]);
    return call(in.func, at);
  });
  std::vector<Expr> args = asExprs(stage.vars), key = asExprs(keys);
  std::vector<Expr> paramIndex(args.begin() + lead, args.end());
  Func out = newFunc(node);
  call(out, args) = epilogue(
      node, affine(normalize(call(in.func, args), call(meanF, key),
                             call(varF, key), node.eps),
                   params, paramIndex));
  stage.output = {out, in.shape};
  stage.helpers = {meanF, varF};
  return stage;
}

/// Per sample and group of C/G channels: statistics over (C/G, *spatial).
LayerStage groupNorm(const Tensor &in, const Node &node, const ParamBuffers &params, const Target &) {
  LayerStage stage;
  int rank = in.rank();
  stage.vars = makeVars(rank, "x");
  int channels = int(node.shape[1]), perGroup = channels / int(node.numGroups);
  Var n("n"), g("g");
  Region ranges;
  Expr count = perGroup;
  for (int i = rank - 1; i >= 2; --i) {
    ranges.push_back({0, in.shape[i]});
    count = count * in.shape[i];
  }
  ranges.push_back({0, perGroup});
  RDom r(ranges, node.name + "_r");
  auto [meanF, varF] = moments(node, {n, g}, r, count, [&](const RDom &rd) {
    std::vector<Expr> at{n, g * perGroup + rd[rank - 2]};
    for (int i = 2; i < rank; ++i)
      at.push_back(rd[rank - 1 - i]);
    return call(in.func, at);
  });
  std::vector<Expr> args = asExprs(stage.vars);
  Expr group = stage.vars[1] / perGroup;
  Func out = newFunc(node);
  call(out, args) = epilogue(
      node, affine(normalize(call(in.func, args), call(meanF, {stage.vars[0], group}),
                             call(varF, {stage.vars[0], group}), node.eps),
                   params, {stage.vars[1]}));
  stage.output = {out, in.shape};
  stage.helpers = {meanF, varF};
  return stage;
}

} // namespace layerc::halide
