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

lowering::HostTensor zeroPadded(const lowering::HostTensor &tensor, int64_t length) {
  lowering::HostTensor padded{{length}, std::vector<float>(length, 0.0f)};
  std::copy(tensor.data.begin(), tensor.data.end(), padded.data.begin());
  return padded;
}

namespace {
/// Funcs made by reserveFuncNames, not yet handed out.
std::map<std::string, Func> &reservedFuncs() {
  static std::map<std::string, Func> funcs;
  return funcs;
}
} // namespace

void reserveFuncNames(const std::vector<std::string> &names) {
  reservedFuncs().clear();
  for (const std::string &name : names)
    reservedFuncs().emplace(name, Func(name));
}

Func reservedFunc(const std::string &name) {
  auto it = reservedFuncs().find(name);
  if (it == reservedFuncs().end())
    return Func(name);
  Func f = it->second;
  reservedFuncs().erase(it);
  return f;
}

Expr isNaN(Expr x) {
  return (reinterpret<uint32_t>(x) & Expr(0x7fffffffu)) > Expr(0x7f800000u);
}

std::string layerLabel(const Node &node) {
  return "layer '" + (node.writtenName.empty() ? node.name : node.writtenName) + "'";
}

Func newFunc(const Node &node, const std::string &role) {
  return reservedFunc(lowering::cIdentifier(node.name + (role.empty() ? "" : "_" + role)));
}


/// Linear's register tile: up to 4 output vectors by as many rows (the
/// second-to-last dim) as the accumulator budget allows, when that dim is
/// static (a tile is shifted inwards at the end: rows past the end would
/// read past the input).
RegisterTile linearTile(const Node &node, const Target &target) {
  int lanes = vectorWidth(target);
  int budget = accumulatorBudget(target);
  int64_t outFeatures = node.shape.back();
  int vectors = int(std::min<int64_t>(4, ceilDiv(outFeatures, lanes)));
  int rows = 1;
  if (node.shape.size() >= 2 && node.shape[node.shape.size() - 2] > 0)
    rows = int(std::min<int64_t>(budget / vectors, node.shape[node.shape.size() - 2]));
  return {lanes, vectors, rows};
}

/// The weight in panels of one output tile: torch (O, K) → (O'/T, K, T)
/// with T = lanes · vectors outputs contiguous, O' padded with zero rows up
/// to whole tiles (and the bias likewise). A tile's panel is one contiguous
/// block: the transposed (K, O) layout put its rows 4 · O bytes apart, a
/// power of two for most layers, so they all fell into the same few cache
/// sets (1024->4096 at batch 64 ran at 43% of the FMA peak).
PackedParam packLinearParam(const Node &node, const std::string &suffix,
                            const lowering::HostTensor &tensor,
                            const Target &target) {
  RegisterTile tile = linearTile(node, target);
  int64_t width = int64_t(tile.lanes) * tile.vectors;
  int64_t outFeatures = tensor.shape[0];
  int64_t padded = (outFeatures + width - 1) / width * width;
  if (suffix == "bias")
    return {"bias_padded", zeroPadded(tensor, padded)};
  int64_t inFeatures = tensor.shape[1];
  lowering::HostTensor panels{{padded / width, inFeatures, width},
                              std::vector<float>(inFeatures * padded, 0.0f)};
  for (int64_t o = 0; o < outFeatures; ++o)
    for (int64_t k = 0; k < inFeatures; ++k)
      panels.data[((o / width) * inFeatures + k) * width + o % width] =
          tensor.data[o * inFeatures + k];
  return {"weight_panels", panels};
}

/// out(..., o) = bias(o) + Σ_k W(o, k) · in(..., k). In panels of T outputs
/// (see packLinearParam), o = ob·T + j:
///   acc(ob, ..., j) = bias(ob·T + j) + Σ_k Wp(ob, k, j) · in(..., k)
///   out(..., o)     = acc(o / T, ..., o % T)
LayerStage linear(const Operands &operands, const Node &node, const ParamBuffers &params,
                  const Target &target) {
  const Tensor &in = operands[0];
  const Weights &panels = params.at("weight_panels");  // (O'/T, K, T)
  int64_t inFeatures = panels.shape[1];
  int width = int(panels.shape[2]);
  LayerStage stage;
  stage.tile = linearTile(node, target);
  stage.vars = makeVars(in.rank(), "x");
  RDom r(0, int(inFeatures), node.name + "_r");
  Var o = stage.vars.back(), ob("ob"), j("j");
  std::vector<Expr> lead(stage.vars.begin(), stage.vars.end() - 1);
  std::vector<Expr> accArgs{ob}, inArgs = lead, fromAcc{o / width};
  accArgs.insert(accArgs.end(), lead.begin(), lead.end());
  accArgs.push_back(j);
  fromAcc.insert(fromAcc.end(), lead.begin(), lead.end());
  fromAcc.push_back(o % width);
  inArgs.push_back(r);
  Func acc = newFunc(node, "acc"), out = newFunc(node);
  auto bias = params.find("bias_padded");
  call(acc, accArgs) = bias != params.end() ? call(bias->second, {ob * width + j})
                                            : Expr(0.0f);
  call(acc, accArgs) += call(panels, {ob, r, j}) * call(in.func, inArgs);
  call(out, asExprs(stage.vars)) = epilogue(node, call(acc, fromAcc));
  stage.output = {out, in.shape};
  stage.accumulator = acc;
  stage.output.shape.back() = Expr(int(node.shape.back()));
  stage.reduction = r;
  return stage;
}

namespace {
/// Per key, the mean as a float pair (hi + lo: the double mean to 48 bits)
/// and scale = 1/sqrt(var + eps), from one pass over the values that
/// `element(r)` maps to: their sum and sum of squares, accumulated in
/// double. var = E[x²] − E[x]² in double keeps a relative precision of about
/// 1e-16 · mean²/var, ~1e-12 for float inputs of mean 100 and variance 1,
/// so one pass is as exact as two and reads the input once.
/// `stage.accumulator` is the sums (a Tuple), `stage.helpers` the per-key
/// results.
struct Normalization {
  Func meanHi, meanLo, scale;
  /// (x − mean) · scale in float without cancellation: x − hi is exact
  /// where it matters (x near the mean), then the small lo. Strict, or
  /// Halide's fast math may reassociate it to x − (hi + lo) = x − hi
  /// (a 5e-5 error at mean 100, variance 5e-3).
  Expr operator()(Expr x, const std::vector<Expr> &key) const {
    return strict_float((x - call(meanHi, key)) - call(meanLo, key)) * call(scale, key);
  }
};
Normalization moments(LayerStage &stage, const Node &node,
                      const std::vector<Var> &keys, const RDom &r, Expr count,
                      const std::function<Expr(const RDom &)> &element) {
  std::vector<Expr> k = asExprs(keys);
  Func sums = newFunc(node, "sums");
  call(sums, k) = Tuple(cast<double>(0), cast<double>(0));
  Expr v = cast<double>(element(r));
  call(sums, k) = Tuple(call(sums, k)[0] + v, call(sums, k)[1] + v * v);
  Expr mean = call(sums, k)[0] / cast<double>(count);
  Expr var = max(call(sums, k)[1] / cast<double>(count) - mean * mean, Expr(0.0));
  Normalization norm{newFunc(node, "mean_hi"), newFunc(node, "mean_lo"),
                     newFunc(node, "scale")};
  call(norm.meanHi, k) = cast<float>(mean);
  call(norm.meanLo, k) = cast<float>(mean - cast<double>(call(norm.meanHi, k)));
  call(norm.scale, k) = cast<float>(Expr(1.0) / sqrt(var + Expr(node.eps)));
  stage.accumulator = sums;
  stage.reduction = r;
  stage.helpers = {norm.meanHi, norm.meanLo, norm.scale};
  return norm;
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
LayerStage batchNorm(const Operands &operands, const Node &node, const ParamBuffers &params, const Target &) {
  const Tensor &in = operands[0];
  LayerStage stage;
  stage.vars = makeVars(in.rank(), "x");
  Var c = stage.vars[1];
  std::vector<Expr> args = asExprs(stage.vars);
  Expr normalized;
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
    Normalization norm = moments(stage, node, {c}, r, count, [&](const RDom &rd) {
      std::vector<Expr> at{rd[in.rank() - 2], c};
      for (int i = 2; i < in.rank(); ++i)
        at.push_back(rd[in.rank() - 1 - i]);
      return call(in.func, at);
    });
    normalized = norm(call(in.func, args), {c});
    stage.requirements.push_back(
        {count > 1,
         layerLabel(node) +
             ": batch statistics need more than 1 value per channel, got",
         count});
  } else {
    // 1/sqrt(var + eps) per channel, once (in double, then float).
    Func scale = newFunc(node, "scale");
    Expr var = cast<double>(call(params.at("running_var"), {c}));
    scale(c) = cast<float>(Expr(1.0) / sqrt(var + Expr(node.eps)));
    stage.helpers = {scale};
    normalized = (call(in.func, args) - call(params.at("running_mean"), {c})) * scale(c);
  }
  Func out = newFunc(node);
  call(out, args) = epilogue(node, affine(normalized, params, {c}));
  stage.output = {out, in.shape};
  return stage;
}

/// Per sample: statistics over the trailing `normalizedRank` dims.
LayerStage layerNorm(const Operands &operands, const Node &node, const ParamBuffers &params, const Target &) {
  const Tensor &in = operands[0];
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
  Normalization norm = moments(stage, node, keys, r, count, [&](const RDom &rd) {
    std::vector<Expr> at = asExprs(keys);
    for (int i = lead; i < rank; ++i)
      at.push_back(rd[rank - 1 - i]);
    return call(in.func, at);
  });
  std::vector<Expr> args = asExprs(stage.vars), key = asExprs(keys);
  std::vector<Expr> paramIndex(args.begin() + lead, args.end());
  Func out = newFunc(node);
  call(out, args) = epilogue(node, affine(norm(call(in.func, args), key), params, paramIndex));
  stage.output = {out, in.shape};
  return stage;
}

/// Per sample and group of C/G channels: statistics over (C/G, *spatial).
LayerStage groupNorm(const Operands &operands, const Node &node, const ParamBuffers &params, const Target &) {
  const Tensor &in = operands[0];
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
  Normalization norm = moments(stage, node, {n, g}, r, count, [&](const RDom &rd) {
    std::vector<Expr> at{n, g * perGroup + rd[rank - 2]};
    for (int i = 2; i < rank; ++i)
      at.push_back(rd[rank - 1 - i]);
    return call(in.func, at);
  });
  std::vector<Expr> args = asExprs(stage.vars);
  std::vector<Expr> key{stage.vars[0], stage.vars[1] / perGroup};
  Func out = newFunc(node);
  call(out, args) = epilogue(node, affine(norm(call(in.func, args), key), params, {stage.vars[1]}));
  stage.output = {out, in.shape};
  return stage;
}

} // namespace layerc::halide
