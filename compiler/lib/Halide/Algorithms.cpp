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

namespace {
Func newFunc(const Node &node, const std::string &role = "") {
  return Func(lowering::cIdentifier(node.name + (role.empty() ? "" : "_" + role)));
}

/// The input seen through torch's padding mode on the spatial dims (the
/// last `rank` dims); other dims are left unbounded. No padded copy is made:
/// the boundary condition folds into the access.
Func padInput(const Tensor &in, const Node &node, int spatialRank) {
  Region bounds(in.rank());  // Halide order; undefined = unbounded
  for (int i = 0; i < spatialRank; ++i)
    bounds[i] = Range(0, in.shape[in.rank() - 1 - i]);
  const std::string &mode = node.paddingMode;
  if (mode == "reflect")
    return BoundaryConditions::mirror_interior(in.func, bounds);
  if (mode == "replicate")
    return BoundaryConditions::repeat_edge(in.func, bounds);
  if (mode == "circular")
    return BoundaryConditions::repeat_image(in.func, bounds);
  return BoundaryConditions::constant_exterior(in.func, 0.0f, bounds);
}
} // namespace

/// The checks the verifier could not make because a spatial size is only
/// known at run time: the padding mode's limit and a positive output size.
std::vector<Requirement> convSizeRequirements(const Tensor &in, const Node &node,
                                              int rank, int channelDim) {
  std::vector<Requirement> checks;
  for (int i = 0; i < rank; ++i) {
    if (node.shape[channelDim + 1 + i] >= 0)
      continue;  // static: checked at compile time
    Expr size = in.shape[channelDim + 1 + i];
    int pad = int(std::max(node.paddingLow[i], node.paddingHigh[i]));
    std::string where = "layer '" + node.name + "', spatial dim " +
                        std::to_string(i) + ": ";
    if (node.paddingMode == "reflect")
      checks.push_back({size > pad,
                        where + "reflect padding (" + std::to_string(pad) +
                            ") must be smaller than the input size, got",
                        size});
    if (node.paddingMode == "circular")
      checks.push_back({size >= pad,
                        where + "circular padding (" + std::to_string(pad) +
                            ") must not exceed the input size, got",
                        size});
    int64_t span = node.dilation[i] * (node.kernel[i] - 1) + 1 -
                   node.paddingLow[i] - node.paddingHigh[i];
    checks.push_back({size >= int(span),
                      where + "the output size is not positive for input size",
                      size});
  }
  return checks;
}

/// out(n, co, x) = bias(co)
///               + Σ_{ci < Cin/g, k} w(co, ci, k) · in(n, g(co)·Cin/g + ci, x·s + k·d − lo)
/// with g(co) = co / (Cout/g), the group of output channel co.
LayerStage convolution(const Tensor &in, const Node &node, const ParamBuffers &params) {
  int rank = int(node.kernel.size());
  bool batched = in.rank() == rank + 2;
  int channelDim = batched ? 1 : 0;
  const Weights &weight = params.at("weight");  // (co, ci, k...)
  int64_t outChannels = node.shape[channelDim];
  int64_t inPerGroup = weight.shape[1];
  int64_t outPerGroup = outChannels / node.groups;

  LayerStage stage;
  stage.vars = makeVars(int(node.shape.size()), "x");
  Func padded = padInput(in, node, rank);
  // RDom innermost first: kernel dims (last spatial innermost), then ci.
  Region ranges;
  for (int i = rank - 1; i >= 0; --i)
    ranges.push_back({0, int(node.kernel[i])});
  ranges.push_back({0, int(inPerGroup)});
  RDom r(ranges, node.name + "_r");
  auto kernelTap = [&](int spatialDim) { return r[rank - 1 - spatialDim]; };
  RVar ci = r[rank];

  Var co = stage.vars[channelDim];
  Expr inChannel = (co / int(outPerGroup)) * int(inPerGroup) + ci;
  std::vector<Expr> inArgs, wArgs{co, ci};
  if (batched)
    inArgs.push_back(stage.vars[0]);
  inArgs.push_back(inChannel);
  for (int i = 0; i < rank; ++i) {
    Var x = stage.vars[channelDim + 1 + i];
    inArgs.push_back(x * int(node.stride[i]) +
                     kernelTap(i) * int(node.dilation[i]) -
                     int(node.paddingLow[i]));
    wArgs.push_back(kernelTap(i));
  }
  Func acc = newFunc(node, "acc"), out = newFunc(node);
  std::vector<Expr> outArgs = asExprs(stage.vars);
  auto bias = params.find("bias");
  call(acc, outArgs) = bias != params.end() ? call(bias->second, {co}) : Expr(0.0f);
  call(acc, outArgs) += call(weight, wArgs) * call(padded, inArgs);
  call(out, outArgs) = call(acc, outArgs);

  stage.requirements = convSizeRequirements(in, node, rank, channelDim);
  stage.output.func = out;
  stage.accumulator = acc;
  stage.reduction = r;
  for (int64_t d : node.shape)
    stage.output.shape.push_back(Expr(int(d)));
  if (batched)
    stage.output.shape[0] = in.shape[0];
  for (int i = 0; i < rank; ++i) {
    if (node.shape[channelDim + 1 + i] >= 0)
      continue;
    // Dynamic spatial size: floor((L + lo + hi - d(k-1) - 1) / s) + 1.
    Expr span = in.shape[channelDim + 1 + i] + int(node.paddingLow[i]) +
                int(node.paddingHigh[i]) -
                int(node.dilation[i] * (node.kernel[i] - 1)) - 1;
    stage.output.shape[channelDim + 1 + i] = span / int(node.stride[i]) + 1;
  }
  return stage;
}

/// out(..., o) = bias(o) + Σ_k W(o, k) · in(..., k). The weight is stored
/// transposed (k outer, o inner) so a vector of outputs reads contiguous
/// weights; see Backend.cpp.
LayerStage linear(const Tensor &in, const Node &node, const ParamBuffers &params) {
  const Weights &weightT = params.at("weight_t");  // torch (k, o): o contiguous
  int64_t inFeatures = weightT.shape[0];
  LayerStage stage;
  stage.vars = makeVars(in.rank(), "x");
  RDom r(0, int(inFeatures), node.name + "_r");
  Var o = stage.vars.back();
  std::vector<Expr> outArgs = asExprs(stage.vars), inArgs = outArgs;
  inArgs.back() = r;
  Func acc = newFunc(node, "acc"), out = newFunc(node);
  auto bias = params.find("bias");
  call(acc, outArgs) = bias != params.end() ? call(bias->second, {o}) : Expr(0.0f);
  call(acc, outArgs) += call(weightT, {r, o}) * call(in.func, inArgs);
  call(out, outArgs) = call(acc, outArgs);
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
  call(out, args) = op(call(in.func, args));
  stage.output = {out, in.shape};
  return stage;
}
} // namespace

LayerStage relu(const Tensor &in, const Node &node, const ParamBuffers &) {
  return elementwise(in, node, [](Expr x) { return max(x, 0.0f); });
}

/// 1 / (1 + e^-x) for x >= 0 and e^x / (1 + e^x) for x < 0: neither form
/// overflows on its side, so |x| up to FLT_MAX gives 0 or 1, never NaN.
LayerStage sigmoid(const Tensor &in, const Node &node, const ParamBuffers &) {
  return elementwise(in, node, [](Expr x) {
    Expr e = exp(-abs(x));
    return select(x >= 0, 1.0f / (1.0f + e), e / (1.0f + e));
  });
}

/// out(pre..., m, post...) = in(pre..., unravel(m), post...), unravel over
/// the merged dims start..end (row-major).
LayerStage flatten(const Tensor &in, const Node &node, const ParamBuffers &) {
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
LayerStage batchNorm(const Tensor &in, const Node &node, const ParamBuffers &params) {
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
  call(out, args) = affine(normalize(x, mean, var, node.eps), params, {c});
  stage.output = {out, in.shape};
  return stage;
}

/// Per sample: statistics over the trailing `normalizedRank` dims.
LayerStage layerNorm(const Tensor &in, const Node &node, const ParamBuffers &params) {
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
  call(out, args) = affine(normalize(call(in.func, args), call(meanF, key),
                                     call(varF, key), node.eps),
                           params, paramIndex);
  stage.output = {out, in.shape};
  stage.helpers = {meanF, varF};
  return stage;
}

/// Per sample and group of C/G channels: statistics over (C/G, *spatial).
LayerStage groupNorm(const Tensor &in, const Node &node, const ParamBuffers &params) {
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
  call(out, args) =
      affine(normalize(call(in.func, args), call(meanF, {stage.vars[0], group}),
                       call(varF, {stage.vars[0], group}), node.eps),
             params, {stage.vars[1]});
  stage.output = {out, in.shape};
  stage.helpers = {meanF, varF};
  return stage;
}

} // namespace layerc::halide
