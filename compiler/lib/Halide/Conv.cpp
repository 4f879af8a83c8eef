//===- Conv.cpp - Conv1d/2d/3d: weight layout, algorithm, schedules -------===//
//
// A conv has four forms: Winograd F(2x2, 3x3) / F(2, 3) for a stride-1
// Conv2d / Conv1d of kernel 3 with enough channels (Winograd.cpp), and
// these three:
//
// * Blocked (every conv whose output channels per group are a multiple of
//   the vector width, and every ungrouped conv). Output channels are the
//   vector dim: the weights are repacked at compile time as
//   [co/V][ci][k...][V] (V = f32 lanes), so one contiguous vector load gives
//   V output channels of one tap, and each input value is broadcast into
//   `vectors` of them. A register tile of `columns` output x positions by
//   `vectors` channel vectors accumulates over the whole reduction (ci and
//   every tap) and is written to the NCHW output once.
//   Measured on Zen 4 (AVX-512, one thread, FMA peak 116 GFLOP/s), in a
//   standalone Halide 14 pipeline with this loop nest:
//     3x3 64->64 56x56     tile 8x2: 2.08 ms, 111 GFLOP/s (96%)
//     7x7/2 3->64 224x224  tile 8x2: 2.21 ms, 107 GFLOP/s (92%)
//     3x3 256->256 14x14   tile 7x2: 2.06 ms, 112 GFLOP/s (97%)
//     1x1 256->64 56x56    tile 8x2: 0.95 ms, 108 GFLOP/s (93%)
//   A tile that does not divide the channel blocks (8x3 over 4 blocks)
//   recomputes the overlap: 63 GFLOP/s.
//
// * Depthwise (one input and one output channel per group, channels a
//   multiple of V): the same blocked weights, and the input read through a
//   copy blocked the same way, [n][c/V][spatial...][V], so each tap is one
//   vector load of V channels times one weight vector. Vectors along x
//   would be mostly empty or guarded at MobileNet's widths (7, 14, 28, 56).
//
// * Direct (other grouped convs with few channels per group): the
//   definition as written, vectorized along x.
//
// Both read a padded copy of the input when the conv pads: a boundary
// condition inlined into the reduction costs 20-25% on a dense conv and
// 4-5x on a depthwise one (Halide 14 does not partition the loop).
//
// The output is stored in torch's layout, or, when every consumer is a
// conv that reads it one channel at a time (depthwise, or blocked without
// padding), in channel vectors [n][c/V][spatial...][V]: the tile's own
// layout, stored without a transpose. For a lone depthwise consumer that
// pads with zeros, the zeros it reads are written around it too, and the
// depthwise conv reads that buffer instead of making its blocked copy
// (MobileNetV2, Zen 5, one thread: 5.8 -> 4.3 ms).
//
//===----------------------------------------------------------------------===//
#include "Layers.h"

using namespace Halide;
using layerc::lowering::HostTensor;
using layerc::lowering::Node;

namespace layerc::halide {
namespace {
/// The blocked conv stores its tile into NCHW this many x positions at a
/// time when its columns are a multiple of it, else one value at a time.
constexpr int kStoreColumns = 8;
} // namespace

RegisterTile chooseRegisterTile(const TileRequest &request) {
  const auto &[lanes, budget, blocks, width, exactBlocks, exactColumns,
               reductionSteps, weightsFromL2] = request;
  RegisterTile best{lanes, 1, 1};
  double bestScore = -1;
  for (int vectors = 1; vectors <= 4 && vectors <= blocks; ++vectors) {
    if (exactBlocks && blocks % vectors != 0)
      continue;
    // The most columns the accumulators allow, or fewer that divide the
    // row: 384->64 1x1 on 14x14 ran 0.042 ms as 2 x 7 against 0.050 ms
    // as 1 x 14 and 4 x 4 (Zen 5).
    int most = budget / vectors;
    if (width > 0)
      most = int(std::min<int64_t>(most, width));
    // Work done for nothing: padded channel blocks, and positions computed
    // twice where the tile does not divide the row.
    double channelWaste = double(ceilDiv(blocks, vectors) * vectors) / blocks;
    for (int columns = most; columns >= 1; --columns) {
      if (exactColumns && width > 0 && width % columns != 0)
        continue;
      double columnWaste =
          width > 0 ? double(ceilDiv(width, columns) * columns) / width : 1.0;
      // 12 or more accumulators hide the FMA latency fully.
      double use = std::min(1.0, vectors * columns / (0.75 * budget));
      double score = use / (channelWaste * columnWaste);
      if (weightsFromL2) {
        // Multiply-adds per load, a weight vector from L2 counted as 3
        // broadcasts (Zen 5, Winograd Conv1d 64->64 on 4096: 0.40 ms as
        // 2 x 8, 0.47 as 1 x 16, 0.51 as 4 x 4; Conv2d 64->64 on 56x56:
        // 0.67 ms as 2 x 7, 0.70 as 2 x 8, 0.76 as 4 x 4).
        score *= vectors * columns / double(3 * vectors + columns);
      } else {
        // More channel vectors: each broadcast input feeds more of them.
        score += 0.01 * vectors;
      }
      // The tile's transposed store into NCHW: vectors along x when the
      // columns allow, else one scalar per output, which weighs
      // on a short reduction (Zen 5: 16->96 1x1 at 112x112 ran 0.266 ms
      // as 2 x 8 against 0.336 ms as 3 x 4; 24->144 at 56x56 0.124 ms as
      // 3 x 4 against 0.130 ms as 2 x 8, which pads a channel vector).
      double storeCost = columns % kStoreColumns == 0 ? 2.0 : 4.0;
      if (reductionSteps > 0)
        score /= 1.0 + storeCost / double(reductionSteps);
      if (score > bestScore) {
        bestScore = score;
        best = {lanes, vectors, columns};
      }
    }
  }
  return best;
}

namespace {

/// True when the conv writes a zero border around its channel vectors.
bool hasOutputBorder(const Node &node) {
  for (const std::vector<int64_t> *halo : {&node.outputHaloLow, &node.outputHaloHigh})
    for (int64_t extent : *halo)
      if (extent != 0)
        return true;
  return false;
}

/// The blocked form's register tile for this conv on this target, or a
/// tile with lanes == 0 for the direct form.
RegisterTile convTile(const Node &node, const Target &target) {
  if (winogradApplies(node, target))
    return winogradTile(node, target);
  int lanes = vectorWidth(target);
  int channelDim = int(node.shape.size()) - int(node.kernel.size()) - 1;
  int64_t outChannels = node.shape[channelDim];
  int64_t outPerGroup = outChannels / node.groups;
  int budget = accumulatorBudget(target);
  int64_t width = node.shape.back();  // -1 when dynamic
  bool depthwise = node.groups == outChannels && node.inChannels == outChannels;
  if (depthwise && outChannels % lanes == 0) {
    // One channel vector by the widest run of x that divides the row
    // (any run that does, for an output written with a border).
    int columns = budget;
    int fewest = hasOutputBorder(node) ? 1 : budget / 2;
    for (int c = budget; width > 0 && c >= fewest; --c)
      if (width % c == 0) {
        columns = c;
        break;
      }
    if (width > 0)
      columns = int(std::min<int64_t>(columns, width));
    return {lanes, 1, columns, true};
  }
  if (node.groups != 1 && outPerGroup % lanes != 0)
    return {};
  int64_t reductionSteps = node.inChannels / node.groups;
  for (int64_t k : node.kernel)
    reductionSteps *= k;
  // Stored as channel vectors, the tile costs no transposed store.
  TileRequest request{lanes, budget, ceilDiv(outChannels, lanes), width};
  request.exactBlocks = node.groups != 1;
  request.exactColumns = hasOutputBorder(node);
  request.reductionSteps = node.channelVectorOutput ? 0 : reductionSteps;
  return chooseRegisterTile(request);
}

/// Output channels of the blocked weights: padded up to whole channel tiles.
int64_t paddedChannels(const Node &node, const RegisterTile &tile) {
  int channelDim = int(node.shape.size()) - int(node.kernel.size()) - 1;
  int64_t step = int64_t(tile.lanes) * tile.vectors;
  return ceilDiv(node.shape[channelDim], step) * step;
}

/// The input seen through torch's padding mode on the spatial dims (the
/// last `spatialRank` dims); other dims are left unbounded.
Func padInput(const Tensor &in, const Node &node, int spatialRank) {
  Region bounds(in.rank());  // Halide order; undefined = unbounded
  for (int i = 0; i < spatialRank; ++i)
    bounds[i] = Range(0, in.shape[in.rank() - 1 - i]);
  const std::string &mode = node.paddingMode;
  Func f;
  if (mode == "reflect")
    f = BoundaryConditions::mirror_interior(in.func, bounds);
  else if (mode == "replicate")
    f = BoundaryConditions::repeat_edge(in.func, bounds);
  else if (mode == "circular")
    f = BoundaryConditions::repeat_image(in.func, bounds);
  else
    f = BoundaryConditions::constant_exterior(in.func, 0.0f, bounds);
  Func padded(lowering::cIdentifier(node.name + "_padded"));
  padded(_) = f(_);
  return padded;
}

/// A depthwise conv's input, padded, in channel vectors:
/// (n, c/V, spatial..., c%V) = padded (n, c, spatial...).
Func blockedInput(Func padded, int rank, int spatialRank, const Node &node, int lanes) {
  Func blocked(lowering::cIdentifier(node.name + "_blocked_input"));
  std::vector<Var> vars = makeVars(rank + 1, "b");
  int channelDim = rank - spatialRank - 1;
  Var l = vars.back();
  std::vector<Expr> from(vars.begin(), vars.end() - 1);
  from[channelDim] = vars[channelDim] * lanes + l;
  call(blocked, asExprs(vars)) = call(padded, from);
  return blocked;
}

/// True when the conv pads, or when a tile may reach past a dynamic
/// width: it then reads its input through a padded copy.
bool readsPaddedCopy(const Node &node) {
  for (size_t i = 0; i < node.kernel.size(); ++i)
    if (node.paddingLow[i] > 0 || node.paddingHigh[i] > 0)
      return true;
  return node.shape.back() < 0;
}

/// True when the conv reads its input one channel at a time, so that the
/// input may be stored in channel vectors: a depthwise conv (which copies
/// its input into them otherwise), or a blocked one that reads its input
/// directly (each value broadcast into the tile).
bool readsInputByChannel(const Node &node, const Target &target) {
  RegisterTile tile = convTile(node, target);
  return tile.lanes > 0 && !tile.winograd &&
         (tile.depthwise || !readsPaddedCopy(node));
}

/// The last `rank` extents of `shape` (a conv's spatial dims, torch
/// order), or an empty list when one is dynamic.
std::vector<int64_t> staticSpatialSizes(const std::vector<int64_t> &shape, int rank) {
  std::vector<int64_t> sizes(shape.end() - rank, shape.end());
  for (int64_t size : sizes)
    if (size < 0)
      return {};
  return sizes;
}

/// The positions a conv reads outside its input of spatial sizes
/// `inSizes`, before and after each spatial dim: its padding before, and
/// after as far as its last window reaches.
std::pair<std::vector<int64_t>, std::vector<int64_t>>
readBorder(const Node &node, const std::vector<int64_t> &inSizes) {
  int rank = int(node.kernel.size());
  std::vector<int64_t> low(rank), high(rank);
  for (int i = 0; i < rank; ++i) {
    int64_t out = node.shape[node.shape.size() - rank + i];
    int64_t last = (out - 1) * node.stride[i] +
                   (node.kernel[i] - 1) * node.dilation[i] - node.paddingLow[i];
    low[i] = node.paddingLow[i];
    high[i] = std::max<int64_t>(0, last - (inSizes[i] - 1));
  }
  return {low, high};
}

/// True when a depthwise conv reads its input's channel vectors as they
/// are: their border holds exactly the zeros the conv pads with.
bool readsChannelVectors(const Tensor &in, const Node &node) {
  if (!in.channelVectors.defined())
    return false;
  int rank = int(node.kernel.size());
  std::vector<int64_t> inSizes;
  for (int i = 0; i < rank; ++i) {
    const int64_t *size = Internal::as_const_int(in.shape[in.rank() - rank + i]);
    if (!size)
      return false;
    inSizes.push_back(*size);
  }
  auto [low, high] = readBorder(node, inSizes);
  bool pads = std::any_of(low.begin(), low.end(), [](int64_t e) { return e > 0; }) ||
              std::any_of(high.begin(), high.end(), [](int64_t e) { return e > 0; });
  return (!pads || node.paddingMode == "zeros") && low == in.haloLow &&
         high == in.haloHigh;
}

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
    std::string where = layerLabel(node) + ", spatial dim " +
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

/// The output extents in torch order: static ones from the node, the batch
/// and dynamic spatial sizes from the input,
/// floor((L + lo + hi - d(k-1) - 1) / s) + 1.
std::vector<Expr> convOutputShape(const Tensor &in, const Node &node,
                                  int channelDim) {
  std::vector<Expr> shape;
  for (int64_t d : node.shape)
    shape.push_back(Expr(int(d)));
  if (channelDim == 1)
    shape[0] = in.shape[0];
  for (size_t i = 0; i < node.kernel.size(); ++i) {
    if (node.shape[channelDim + 1 + i] >= 0)
      continue;
    Expr span = in.shape[channelDim + 1 + i] + int(node.paddingLow[i]) +
                int(node.paddingHigh[i]) -
                int(node.dilation[i] * (node.kernel[i] - 1)) - 1;
    shape[channelDim + 1 + i] = span / int(node.stride[i]) + 1;
  }
  return shape;
}
} // namespace

/// Blocked weights: torch (Co, Ci/g, k...) → (Co'/V, Ci/g, k..., V), Co'
/// padded with zero filters up to whole channel tiles; the bias padded
/// likewise. Direct-form convs keep torch's layout.
PackedParam packConvolutionParam(const Node &node, const std::string &suffix,
                                 const HostTensor &tensor, const Target &target) {
  RegisterTile tile = convTile(node, target);
  if (tile.lanes == 0 || (suffix != "weight" && suffix != "bias"))
    return {suffix, tensor};
  if (tile.winograd)
    return suffix == "weight" ? PackedParam{"weight_winograd", winogradWeights(tensor, tile)}
                              : PackedParam{suffix, tensor};
  int64_t lanes = tile.lanes, channels = paddedChannels(node, tile);
  if (suffix == "bias")
    return {"bias_blocked", zeroPadded(tensor, channels)};
  int64_t outChannels = tensor.shape[0];
  int64_t filter = int64_t(tensor.data.size()) / outChannels;  // Ci/g * taps
  HostTensor blocked;
  blocked.shape = tensor.shape;
  blocked.shape[0] = channels / lanes;
  blocked.shape.push_back(lanes);
  blocked.data.assign(channels * filter, 0.0f);
  for (int64_t co = 0; co < outChannels; ++co)
    for (int64_t f = 0; f < filter; ++f)
      blocked.data[((co / lanes) * filter + f) * lanes + co % lanes] =
          tensor.data[co * filter + f];
  return {"weight_blocked", blocked};
}

void planConvolutionOutput(Node &conv, const std::vector<const Node *> &consumers,
                           bool isModelOutput, const Target &target) {
  if (conv.kind != lowering::NodeKind::Conv || isModelOutput || consumers.empty())
    return;
  RegisterTile tile = convTile(conv, target);
  if (tile.lanes == 0 || tile.winograd)
    return;
  for (const Node *consumer : consumers)
    if (consumer->kind != lowering::NodeKind::Conv ||
        !readsInputByChannel(*consumer, target))
      return;
  int rank = int(conv.kernel.size());
  conv.channelVectorOutput = true;
  conv.outputHaloLow.assign(rank, 0);
  conv.outputHaloHigh.assign(rank, 0);
  // A lone depthwise consumer that pads with zeros: write its padding too.
  const Node &consumer = *consumers.front();
  std::vector<int64_t> sizes = staticSpatialSizes(conv.shape, rank);
  if (consumers.size() == 1 && convTile(consumer, target).depthwise &&
      consumer.paddingMode == "zeros" && !sizes.empty())
    std::tie(conv.outputHaloLow, conv.outputHaloHigh) = readBorder(consumer, sizes);
}

namespace {
/// The conv's output stored in channel vectors (Node::channelVectorOutput):
/// store(n, cb, spatial..., l) = epilogue(acc(n, cb, spatial..., l)), at
/// `accArgs`; with a border, written by updates: the interior from the
/// accumulator (over stage.storeInterior), then a zero slab before and
/// after each spatial dim.
Func channelVectorStore(const Node &node, Func acc, const std::vector<Expr> &accArgs,
                        int channelDim, LayerStage &stage) {
  Func store = newFunc(node, "vectors");
  int rank = int(node.kernel.size());
  if (!hasOutputBorder(node)) {
    call(store, accArgs) = epilogue(node, call(acc, accArgs));
    return store;
  }
  call(store, accArgs) = undef<float>();
  auto size = [&](int i) { return int(node.shape[channelDim + 1 + i]); };
  // `range(i)`: the positions of spatial dim i a definition writes.
  auto writeOver = [&](const std::string &name, auto range) {
    Region ranges;  // innermost first
    for (int i = rank - 1; i >= 0; --i)
      ranges.push_back(range(i));
    RDom r(ranges, node.name + "_" + name);
    std::vector<Expr> at = accArgs;
    for (int i = 0; i < rank; ++i)
      at[channelDim + 1 + i] = r[rank - 1 - i];
    return std::make_pair(r, at);
  };
  auto [interior, inside] = writeOver("interior", [&](int i) { return Range(0, size(i)); });
  call(store, inside) = epilogue(node, call(acc, inside));
  stage.storeInterior = interior;
  // The border of dim d spans the interior of the dims before it and the
  // whole extent, border included, of the dims after it.
  for (int d = 0; d < rank; ++d)
    for (bool after : {false, true}) {
      int extent = int(after ? node.outputHaloHigh[d] : node.outputHaloLow[d]);
      if (extent == 0)
        continue;
      auto [border, at] = writeOver("border", [&](int i) {
        if (i == d)
          return after ? Range(size(i), extent) : Range(-extent, extent);
        if (i < d)
          return Range(0, size(i));
        int low = int(node.outputHaloLow[i]), high = int(node.outputHaloHigh[i]);
        return Range(-low, size(i) + low + high);
      });
      call(store, at) = 0.0f;
    }
  return store;
}
} // namespace

/// out(n, co, x) = bias(co)
///               + Σ_{ci < Cin/g, k} w(co, ci, k) · in(n, g(co)·Cin/g + ci, x·s + k·d − lo)
/// with g(co) = co / (Cout/g), the group of output channel co.
///
/// Blocked form, co = cb·V + l:
///   acc(n, cb, x, l) = bias(cb·V + l) + Σ_{ci, k} wb(cb, ci, k, l) · in(n, g(cb·V)·Cin/g + ci, ...)
///   out(n, co, x)    = acc(n, co / V, x, co % V)
/// (g(cb·V + l) = g(cb·V) because a group's channels are whole vectors).
LayerStage convolution(const Operands &operands, const Node &node,
                       const ParamBuffers &params, const Target &target) {
  const Tensor &in = operands[0];
  int rank = int(node.kernel.size());
  bool batched = in.rank() == rank + 2;
  int channelDim = batched ? 1 : 0;
  LayerStage stage;
  stage.tile = convTile(node, target);
  stage.vars = makeVars(int(node.shape.size()), "x");
  stage.requirements = convSizeRequirements(in, node, rank, channelDim);
  stage.output.shape = convOutputShape(in, node, channelDim);
  if (stage.tile.winograd)
    return winogradConvolution(in, padInput(in, node, rank), node, params, stage);
  bool blocked = stage.tile.lanes > 0;
  const Weights &weight = params.at(blocked ? "weight_blocked" : "weight");
  int64_t outChannels = node.shape[channelDim];
  int64_t inPerGroup = weight.shape[1];
  int64_t outPerGroup = outChannels / node.groups;

  Func source = in.func;
  if (stage.tile.depthwise && readsChannelVectors(in, node)) {
    source = in.channelVectors;
  } else if (stage.tile.depthwise) {
    stage.padded = blockedInput(padInput(in, node, rank), in.rank(), rank, node,
                                stage.tile.lanes);
    source = stage.padded;
  } else if (readsPaddedCopy(node)) {
    stage.padded = padInput(in, node, rank);
    source = stage.padded;
  }
  // RDom innermost first: kernel dims (last spatial innermost), then ci.
  Region ranges;
  for (int i = rank - 1; i >= 0; --i)
    ranges.push_back({0, int(node.kernel[i])});
  ranges.push_back({0, int(inPerGroup)});
  RDom r(ranges, node.name + "_r");
  RVar ci = r[rank];

  Var co = stage.vars[channelDim], cb("cb"), l("l");
  Expr channel = blocked ? cb * stage.tile.lanes + l : Expr(co);
  // One group: 0, also for the zero channels that pad the last channel tile
  // (cb * V past the channels would otherwise read past the input).
  Expr group = node.groups == 1
                   ? Expr(0)
                   : (blocked ? cb * stage.tile.lanes : Expr(co)) / int(outPerGroup);
  std::vector<Expr> inArgs, wArgs{blocked ? Expr(cb) : Expr(co), ci};
  std::vector<Expr> accArgs;
  if (batched) {
    inArgs.push_back(stage.vars[0]);
    accArgs.push_back(stage.vars[0]);
  }
  accArgs.push_back(blocked ? Expr(cb) : Expr(co));
  // The depthwise input copy is blocked like the weights: (n, cb, ..., l).
  inArgs.push_back(stage.tile.depthwise ? Expr(cb) : group * int(inPerGroup) + ci);
  for (int i = 0; i < rank; ++i) {
    Var x = stage.vars[channelDim + 1 + i];
    RVar tap = r[rank - 1 - i];
    inArgs.push_back(x * int(node.stride[i]) + tap * int(node.dilation[i]) -
                     int(node.paddingLow[i]));
    wArgs.push_back(tap);
    accArgs.push_back(x);
  }
  if (blocked) {
    wArgs.push_back(l);
    accArgs.push_back(l);
  }
  if (stage.tile.depthwise)
    inArgs.push_back(l);

  Func acc = newFunc(node, "acc"), out = newFunc(node);
  auto bias = params.find(blocked ? "bias_blocked" : "bias");
  call(acc, accArgs) = bias != params.end() ? call(bias->second, {channel}) : Expr(0.0f);
  call(acc, accArgs) += call(weight, wArgs) * call(source, inArgs);
  std::vector<Expr> outArgs = asExprs(stage.vars), fromAcc = accArgs;
  if (blocked) {
    fromAcc[channelDim] = co / stage.tile.lanes;
    fromAcc.back() = co % stage.tile.lanes;
  }
  if (node.channelVectorOutput) {
    Func store = channelVectorStore(node, acc, accArgs, channelDim, stage);
    call(out, outArgs) = call(store, fromAcc);
    stage.output.channelVectors = store;
    stage.output.haloLow = node.outputHaloLow;
    stage.output.haloHigh = node.outputHaloHigh;
    stage.helpers.push_back(store);
  } else {
    call(out, outArgs) = epilogue(node, call(acc, fromAcc));
  }

  stage.output.func = out;
  stage.accumulator = acc;
  stage.reduction = r;
  return stage;
}

namespace {
/// What both conv schedules start from: the output and accumulator Funcs,
/// the output's vars (torch order), and which of them are channels and x.
struct ConvLoops {
  Func out, acc;
  std::vector<Var> v;
  int rank, spatial;
  bool batched;
  Var co, x;

  explicit ConvLoops(const LayerStage &stage)
      : out(stage.output.func), acc(stage.accumulator), v(stage.vars),
        rank(int(v.size())), spatial(stage.reduction.dimensions() - 1),
        batched(rank == spatial + 2), co(v[batched ? 1 : 0]), x(v.back()) {}
};

/// Direct form. Output loop nest (outermost first):
///   [n] x co/4 (fused, parallel) → spatial rows → x/V → co%4 (unrolled)
///   → x%V (vector)
/// with the accumulator computed per x/V step: a 4 x V register tile,
/// reduced over ci → taps.
void scheduleDirectConvolution(LayerStage &stage, const Target &target) {
  constexpr int kChannelTile = 4;
  auto [out, acc, v, rank, spatial, batched, co, x] = ConvLoops(stage);
  int lanes = vectorWidth(target);
  constexpr auto guard = TailStrategy::GuardWithIf;

  Var xo("xo"), xi("xi"), coo("coo"), coi("coi");
  out.compute_root()
      .split(x, xo, xi, lanes, guard)
      .split(co, coo, coi, kChannelTile, guard);
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
      .split(co, cv, cl, kChannelTile, guard)
      .vectorize(xl)
      .unroll(cl);
  Halide::Stage update = acc.update();
  update.split(x, xv, xl, lanes, guard)
      .split(co, cv, cl, kChannelTile, guard);
  std::vector<VarOrRVar> inner{xl, cl};
  for (int i = 0; i < stage.reduction.dimensions(); ++i)
    inner.push_back(stage.reduction[i]);
  update.reorder(inner).vectorize(xl).unroll(cl);
}

/// A Var, or an RVar where `like` is one (splitting an RVar gives RVars).
VarOrRVar loopLike(const VarOrRVar &like, const std::string &name) {
  return like.is_rvar ? VarOrRVar(RVar(name)) : VarOrRVar(Var(name));
}

/// Blocked form. Output loop nest (outermost first):
///   [n], channel tiles, spatial rows (fused, parallel) → x tiles →
///   the tile: channels (unrolled) → x (vectors of 8 when the tile allows)
/// The accumulator acc(l, x, [rows], cb, [n]) is computed per x tile: its
/// pure dims l (vector), x and cb (unrolled) are all constant-sized, so
/// LLVM keeps the whole tile in registers; the reduction runs over ci,
/// then the taps, inside the tile, each weight vector loaded once per
/// tile column row and each input value broadcast.
/// Stored in channel vectors, the tile is written as they are, one vector
/// per column and channel vector; with a border, by the update that
/// writes the interior, whose tiles must divide the row (no shifting
/// inwards in an update).
void scheduleBlockedConvolution(LayerStage &stage, const Target &) {
  const RegisterTile &tile = stage.tile;
  auto [out, acc, v, rank, spatial, batched, co, x] = ConvLoops(stage);
  // A tile that overhangs a static row is shifted inwards (recomputing a
  // few columns); with a dynamic width it is guarded, and the input is a
  // padded copy that can be read past the edge.
  bool staticWidth = stage.output.shape.back().as<Internal::IntImm>() != nullptr;
  TailStrategy xTail =
      staticWidth ? TailStrategy::ShiftInwards : TailStrategy::GuardWithIf;
  constexpr auto guard = TailStrategy::GuardWithIf;

  Func store = out;
  Halide::Stage loops = out;
  VarOrRVar xo = Var("xo"), xi = Var("xi");
  Var ct("ct"), cv("cv");
  std::vector<VarOrRVar> order, outer;
  Func vectors = stage.output.channelVectors;
  if (!vectors.defined()) {
    Var cin("cin"), cl("cl");
    out.compute_root()
        .split(co, ct, cin, tile.lanes * tile.vectors, guard)
        .split(x, xo.var, xi.var, tile.columns, xTail)
        .split(cin, cv, cl, tile.lanes);
    order = {xi, cl, cv, xo};
    out.unroll(cl).unroll(cv);
    // The store: kStoreColumns-wide vectors along x read the
    // channel-vectorized tile.
    if (tile.columns % kStoreColumns == 0)
      out.vectorize(xi.var, kStoreColumns);
    else
      out.unroll(xi.var);
    for (int i = rank - 2; i > (batched ? 1 : 0); --i)
      outer.push_back(v[i]);
  } else {
    // vectors(l, x, [y, [z]], cb, [n])
    std::vector<Var> args = vectors.args();
    Var l = args[0], cb = args[1 + spatial];
    vectors.compute_root().bound(l, 0, tile.lanes);
    std::vector<VarOrRVar> dims(args.begin() + 1, args.begin() + 1 + spatial);
    store = vectors;
    loops = vectors;
    if (stage.storeInterior.defined()) {
      loops = vectors.update(0);
      for (int i = 0; i < spatial; ++i)
        dims[i] = stage.storeInterior[i];
      xTail = guard;  // the columns divide the row (convTile)
      xo = RVar("xo");
      xi = RVar("xi");
      for (int u = 1; u < int(vectors.num_update_definitions()); ++u)
        vectors.update(u).vectorize(l);
    }
    loops.split(cb, ct, cv, tile.vectors, guard)
        .split(dims[0], xo, xi, tile.columns, xTail);
    order = {l, xi, cv, xo};
    loops.vectorize(l).unroll(xi).unroll(cv);
    outer.assign(dims.begin() + 1, dims.end());
  }
  if (spatial == 1) {
    // Conv1d has no rows to spread over the threads: chunks of x tiles.
    VarOrRVar chunk = loopLike(xo, "chunk");
    loops.split(xo, chunk, xo, 16, guard);
    outer.insert(outer.begin(), chunk);
  }
  outer.push_back(ct);
  if (batched)
    outer.push_back(v[0]);
  order.insert(order.end(), outer.begin(), outer.end());
  loops.reorder(order);
  VarOrRVar rows = outer.front();
  for (size_t i = 1; i < outer.size(); ++i)
    loops.fuse(rows, outer[i], rows);
  loops.parallel(rows);

  Var l = acc.args().front(), ax = acc.args()[1];
  Var cb = acc.args()[batched ? acc.args().size() - 2 : acc.args().size() - 1];
  (xo.is_rvar ? acc.compute_at(store, xo.rvar) : acc.compute_at(store, xo.var))
      .bound(l, 0, tile.lanes)
      .bound_extent(ax, tile.columns)
      .bound_extent(cb, tile.vectors)
      .vectorize(l)
      .unroll(ax)
      .unroll(cb);
  std::vector<VarOrRVar> inner{l, ax, cb};
  for (int i = 0; i < stage.reduction.dimensions(); ++i)
    inner.push_back(stage.reduction[i]);
  Halide::Stage update = acc.update();
  update.reorder(inner).vectorize(l).unroll(ax).unroll(cb);
  // Short kernel rows: unroll the taps along x too.
  if (stage.reduction[0].extent().as<Internal::IntImm>() &&
      stage.reduction[0].extent().as<Internal::IntImm>()->value <= 3)
    update.unroll(stage.reduction[0]);
}
/// The depthwise conv's blocked input copy: V x positions (unrolled) of a
/// vector of V channels at a time, rows in parallel. (Measured, depthwise
/// 3x3/2 of 96 channels at 112x112, Zen 4: 0.39 ms against 0.83 ms with
/// the channel vectors outermost; reading a V x V block of the input with
/// dense loads first was slower, 0.68 ms.)
void scheduleBlockedInput(LayerStage &stage, const Target &target) {
  Func blocked = stage.padded;
  std::vector<Var> args = blocked.args();  // l, x, [y, [z]], cb, [n]
  int lanes = stage.tile.lanes;
  Var l = args[0], x = args[1], xo("xo"), xi("xi");
  blocked.compute_root()
      .split(x, xo, xi, lanes, TailStrategy::GuardWithIf)
      .reorder(l, xi, xo)
      .vectorize(l)
      .unroll(xi);
  std::vector<Var> outer(args.begin() + 2, args.end());
  outer.insert(outer.begin(), xo);
  std::vector<Var> rows(args.begin() + 2, args.end());
  Var loop = isStatic(stage.output.shape) ? fuseAll(blocked, rows) : rows.back();
  parallelInTasks(blocked, loop, Expr(64) * lanes);
  (void)target;
}
} // namespace

void scheduleConvolution(LayerStage &stage, const Target &target) {
  if (stage.tile.depthwise && stage.padded.defined()) {
    scheduleBlockedInput(stage, target);
  } else if (stage.padded.defined()) {
    // Its rows in parallel tasks, by their length (about the output's, 64
    // floats at least): a Conv1d's one long row per channel made a single
    // task of 64 rows of 4098 floats, copied by one thread.
    std::vector<Var> dims = stage.padded.args();
    stage.padded.compute_root();
    Expr rowLength = max(64, stage.output.shape.back());
    vectorizeAndParallelize(stage.padded, std::vector<Var>(dims.rbegin(), dims.rend()),
                            isStatic(stage.output.shape), rowLength, target);
  }
  if (stage.tile.winograd)
    scheduleWinogradConvolution(stage, target);
  else if (stage.tile.lanes > 0)
    scheduleBlockedConvolution(stage, target);
  else
    scheduleDirectConvolution(stage, target);
}

} // namespace layerc::halide
