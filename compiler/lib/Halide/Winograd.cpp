//===- Winograd.cpp - stride-1 convs of kernel 3 as Winograd F(2x2, 3x3) -===//
//
// A 3x3 conv computes each 2x2 block of outputs (a tile) from the 4x4 block
// of inputs under it with 16 multiplies per input channel instead of 36
// (Lavin & Gray, 2015); a Conv1d of kernel 3, each 2 outputs from 4 inputs
// with 4 instead of 6 (F(2, 3): the same matrices, applied on one dim):
//
//   out tile = Aᵀ [ Σ_ci U(ci) ⊙ V(ci) ] A,   U = G g Gᵀ,   V = Bᵀ d B
//
// with g the 3x3 filter, d the 4x4 input block, and
//
//   Bᵀ = [1  0 -1  0]    G = [ 1    0    0 ]    Aᵀ = [1 1  1  0]
//        [0  1  1  0]        [1/2  1/2  1/2]         [0 1 -1 -1]
//        [0 -1  1  0]        [1/2 -1/2  1/2]
//        [0  1  0 -1]        [ 0    0    1 ]
//
// The sum over ci is 16 (Conv1d: 4) independent matrix products (one per
// position p of the transform), tiles x ci times ci x co: the blocked
// conv's register tile, with tiles along a row where the blocked conv has
// x. U is computed at compile time, in double, as [p][co/V][ci][V] (output
// channels padded to whole channel tiles with zero filters).
//
// Funcs, outermost first in the loop nest (Conv1d: without y and ty):
//   padded (n, ci, y, x)          the input with its padding (Conv.cpp)
//   transformed (n, p, ty, ci, tx) = Bᵀ d B, per image
//   acc / products (n, p, ty, cb, tx, l)  Σ_ci U·V, a register tile,
//                                 copied to `products` per tile column
//   tiles (n, cb, y, x, l)        Aᵀ M A, the outputs in channel vectors
//   out (n, co, y, x)             + bias, activations; stored along x
//
// Error: each output is a sum of the same products as the direct form,
// reassociated through the transforms; on unit-scale data the difference
// to PyTorch is ~1e-6 relative (SPEC tolerance 1e-4).
//
//===----------------------------------------------------------------------===//
#include "Layers.h"

using namespace Halide;
using layerc::lowering::HostTensor;
using layerc::lowering::Node;

namespace layerc::halide {
namespace {

constexpr double kBt[4][4] = {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
constexpr double kG[4][3] = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
constexpr double kAt[2][4] = {{1, 1, 1, 0}, {0, 1, -1, -1}};

/// matrix[row][column] for a row known when the loop over it is unrolled:
/// the simplifier then folds the select to the constant, and the products
/// by 0 and ±1 away.
template <int Rows, int Cols>
Expr coefficient(const double (&matrix)[Rows][Cols], Expr row, int column) {
  Expr result = float(matrix[Rows - 1][column]);
  for (int k = Rows - 2; k >= 0; --k)
    result = select(row == k, float(matrix[k][column]), result);
  return result;
}

/// select(index == 0, cases[0], index == 1, cases[1], ...): a Func dim
/// that enumerates a transform's positions. Unrolled, each copy keeps its
/// one case.
Expr selectCase(Expr index, const std::vector<Expr> &cases) {
  Expr result = cases.back();
  for (int k = int(cases.size()) - 2; k >= 0; --k)
    result = select(index == k, cases[k], result);
  return result;
}

/// 4^rank transform positions; position p's digit for spatial dim d
/// (outermost first) is (p / 4^(rank-1-d)) % 4.
int positions(int rank) { return rank == 1 ? 4 : 16; }
int digit(int p, int d, int rank) { return rank == 1 ? p : d == 0 ? p / 4 : p % 4; }
Expr digit(Expr p, int d, int rank) { return rank == 1 ? p : d == 0 ? p / 4 : p % 4; }

/// Calls fn(offsets) for every tuple of `rank` offsets in [0, extent).
template <typename Fn>
void forEachOffset(int rank, int extent, Fn fn) {
  for (int i = 0; i < (rank == 2 ? extent : 1); ++i)
    for (int j = 0; j < extent; ++j)
      fn(rank == 2 ? std::vector<int>{i, j} : std::vector<int>{j});
}
} // namespace

bool winogradApplies(const Node &node, const Target &target) {
  int rank = int(node.kernel.size());
  if (rank > 2 || node.groups != 1)
    return false;
  for (int d = 0; d < rank; ++d)
    if (node.kernel[d] != 3 || node.stride[d] != 1 || node.dilation[d] != 1 ||
        node.shape[node.shape.size() - 1 - d] <= 0)
      return false;
  // Static spatial sizes (the tiling is planned for them), and enough
  // channels for the products to dominate the transforms. The transformed
  // filters are 16/9 the size of the filters: past 8 MB (512x512 channels,
  // ResNet's last stage, on 7x7 planes where Winograd gains least: 1.8
  // against 2.3 ms) the memory is not worth it. With them, ResNet-18's app
  // took 89 MB instead of 56.
  int lanes = vectorWidth(target);
  int64_t outChannels = node.shape[node.shape.size() - 1 - rank];
  int64_t transformedBytes = outChannels * node.inChannels * positions(rank) * 4;
  return node.inChannels >= 2 * lanes && outChannels >= 2 * lanes &&
         transformedBytes <= 8 * 1024 * 1024;
}

RegisterTile winogradTile(const Node &node, const Target &target) {
  int rank = int(node.kernel.size());
  int lanes = vectorWidth(target);
  // Tiles of a row by channel vectors.
  TileRequest request{lanes, accumulatorBudget(target),
                      ceilDiv(node.shape[node.shape.size() - 1 - rank], lanes),
                      ceilDiv(node.shape.back(), 2)};
  request.weightsFromL2 = true;
  RegisterTile best = chooseRegisterTile(request);
  best.winograd = rank;
  return best;
}


HostTensor winogradWeights(const HostTensor &weight, const RegisterTile &tile) {
  int rank = int(weight.shape.size()) - 2;
  int64_t outChannels = weight.shape[0], inChannels = weight.shape[1];
  int64_t step = int64_t(tile.lanes) * tile.vectors;
  int64_t blocks = ceilDiv(outChannels, step) * step / tile.lanes;
  int count = positions(rank), taps = rank == 1 ? 3 : 9;
  HostTensor u;
  u.shape = {count, blocks, inChannels, tile.lanes};
  u.data.assign(count * blocks * inChannels * tile.lanes, 0.0f);
  for (int64_t co = 0; co < outChannels; ++co)
    for (int64_t ci = 0; ci < inChannels; ++ci) {
      const float *g = &weight.data[(co * inChannels + ci) * taps];
      for (int p = 0; p < count; ++p) {
        double sum = 0;
        forEachOffset(rank, 3, [&](const std::vector<int> &k) {
          double c = 1;
          int tap = 0;
          for (int d = 0; d < rank; ++d) {
            c *= kG[digit(p, d, rank)][k[d]];
            tap = tap * 3 + k[d];
          }
          sum += c * double(g[tap]);
        });
        int64_t index = ((p * blocks + co / tile.lanes) * inChannels + ci) * tile.lanes +
                        co % tile.lanes;
        u.data[index] = float(sum);
      }
    }
  return u;
}

LayerStage winogradConvolution(const Tensor &in, Func padded, const Node &node,
                               const ParamBuffers &params, LayerStage stage) {
  int rank = int(node.kernel.size());
  bool batched = in.rank() == rank + 2;
  int lanes = stage.tile.lanes;
  const Weights &u = params.at("weight_winograd");
  int64_t inChannels = u.shape[2];
  std::vector<Var> &v = stage.vars;  // torch order: [n], co, [y], x
  Var n = batched ? v[0] : Var("n"), co = v[batched ? 1 : 0];
  std::vector<Var> spatial(v.end() - rank, v.end());  // [y], x
  Var p("ab"), ci("ci"), cb("cb"), l("l");
  std::vector<Var> tile{Var("tx")};  // [ty], tx
  if (rank == 2)
    tile.insert(tile.begin(), Var("ty"));
  // Torch-order argument lists: [n], then `middle`, the tile rows [ty],
  // `inner`, then tx and `last`.
  auto args = [&](std::vector<Expr> middle, std::vector<Expr> rows, std::vector<Expr> inner,
                  Expr column, std::vector<Expr> last) {
    std::vector<Expr> all;
    if (batched)
      all.push_back(n);
    for (auto *part : {&middle, &rows, &inner})
      all.insert(all.end(), part->begin(), part->end());
    all.push_back(column);
    all.insert(all.end(), last.begin(), last.end());
    return all;
  };
  std::vector<Expr> tileRows(tile.begin(), tile.end() - 1);

  // transformed(n, p, [ty], ci, tx) = (Bᵀ d B)[p], d the 4(x4) input block
  // at 2t - lo.
  Func transformed = newFunc(node, "winograd_input");
  Expr inputSum;
  forEachOffset(rank, 4, [&](const std::vector<int> &k) {
    std::vector<Expr> at;
    if (batched)
      at.push_back(n);
    at.push_back(ci);
    Expr c = 1.0f;
    for (int d = 0; d < rank; ++d) {
      at.push_back(2 * tile[d] + k[d] - int(node.paddingLow[d]));
      c = c * coefficient(kBt, digit(Expr(p), d, rank), k[d]);
    }
    Expr term = c * call(padded, at);
    inputSum = inputSum.defined() ? inputSum + term : term;
  });
  call(transformed, args({p}, tileRows, {ci}, tile.back(), {})) = inputSum;

  // acc(n, p, [ty], cb, tx, l) = Σ_ci U(p, cb, ci, l) · transformed(n, p, [ty], ci, tx)
  Func acc = newFunc(node, "acc"), products = newFunc(node, "winograd_products");
  RDom r(0, int(inChannels), node.name + "_r");
  std::vector<Expr> accArgs = args({p}, tileRows, {cb}, tile.back(), {l});
  call(acc, accArgs) = 0.0f;
  call(acc, accArgs) += call(u, {p, cb, r, l}) *
                        call(transformed, args({p}, tileRows, {r}, tile.back(), {}));
  call(products, accArgs) = call(acc, accArgs);

  // tiles(n, cb, [y], x, l) = (Aᵀ M A)[s % 2] of tile s / 2.
  Func tiles = newFunc(node, "winograd_output");
  std::vector<Expr> outputCases, halves;
  for (const Var &s : spatial)
    halves.push_back(s / 2);
  forEachOffset(rank, 2, [&](const std::vector<int> &o) {
    Expr sum;
    for (int q = 0; q < positions(rank); ++q) {
      double c = 1;
      for (int d = 0; d < rank; ++d)
        c *= kAt[o[d]][digit(q, d, rank)];
      if (c == 0)
        continue;
      Expr m = call(products, args({q}, std::vector<Expr>(halves.begin(), halves.end() - 1),
                                   {cb}, halves.back(), {l}));
      Expr term = c == 1 ? m : -m;
      sum = sum.defined() ? sum + term : term;
    }
    outputCases.push_back(sum);
  });
  Expr which = rank == 2 ? (spatial[0] % 2) * 2 + spatial[1] % 2 : spatial[0] % 2;
  std::vector<Expr> spatialExprs(spatial.begin(), spatial.end());
  call(tiles, args({cb}, std::vector<Expr>(spatialExprs.begin(), spatialExprs.end() - 1), {},
                   spatialExprs.back(), {l})) = selectCase(which, outputCases);

  Func out = newFunc(node);
  auto bias = params.find("bias");
  Expr value = call(tiles, args({co / lanes},
                                std::vector<Expr>(spatialExprs.begin(), spatialExprs.end() - 1),
                                {}, spatialExprs.back(), {co % lanes}));
  if (bias != params.end())
    value = value + call(bias->second, {co});
  call(out, asExprs(v)) = epilogue(node, value);

  stage.output.func = out;
  stage.accumulator = acc;
  stage.reduction = r;
  stage.padded = padded;
  stage.helpers = {transformed, products, tiles};
  return stage;
}

/// Loop nests (outermost first):
///   transformed: [n] → ci x [ty] (fused, parallel tasks) → positions
///     (unrolled) → tx (vectors)
///   out: [n] → channel tiles x row pairs (Conv1d: chunks of tile
///     columns) (fused, parallel) → tile columns:
///     products: positions → register tile (acc: ci → columns x vectors)
///     tiles: cb → tx → 2(x2) (unrolled) → l (vector)
///     out: channels → [2 rows] → x (one vector)
void scheduleWinogradConvolution(LayerStage &stage, const Target &) {
  const RegisterTile &tile = stage.tile;
  int rank = tile.winograd, count = positions(rank), lanes = tile.lanes;
  Func out = stage.output.func, acc = stage.accumulator;
  Func transformed = stage.helpers[0], products = stage.helpers[1],
       tiles = stage.helpers[2];
  std::vector<Var> v = stage.vars;
  bool batched = int(v.size()) == rank + 2;
  Var co = v[batched ? 1 : 0], x = v.back();
  constexpr auto guard = TailStrategy::GuardWithIf;

  // The input transform.
  {
    std::vector<Var> a = transformed.args();  // tx, ci, [ty], p, [n]
    Var position = a[rank + 1], txo("txo"), txi("txi");
    transformed.compute_root()  // or per image, below
        .bound(position, 0, count)
        .split(a[0], txo, txi, lanes, TailStrategy::RoundUp)
        .reorder(txi, position, txo, a[1])
        .vectorize(txi)
        .unroll(position);
    Var rows = a[1];
    if (rank == 2) {
      rows = Var("ci_ty");
      transformed.fuse(a[1], a[2], rows);
    }
    parallelInTasks(transformed, rows, stage.output.shape.back());
  }

  // The output: tiles of 2 rows (Conv2d) x 2·columns x by a channel tile.
  // The products of a channel tile are computed per row pair (Conv1d: per
  // tile column), or, when those of the whole plane fit in L2 (256 KB),
  // once for the plane: small planes (7x7, 14x14) have many channels, and
  // their transformed weights (16 x ci x the tile's channels) would
  // otherwise be read again for every row pair (512 ch at 7x7: 2 MB per
  // channel tile, 4 row pairs).
  int columns = tile.columns * 2, channels = lanes * tile.vectors;
  int64_t planeTiles = 1;
  for (int d = 0; d < rank; ++d)
    planeTiles *= (*as_const_int(stage.output.shape[v.size() - 1 - d]) + 1) / 2;
  bool wholePlane = count * planeTiles * channels * 4 <= 256 * 1024;
  Var xo("xo"), xi("xi"), yo("yo"), yi("yi"), ct("ct"), cin("cin"), cv("cv"), cl("cl");
  out.compute_root()
      .split(co, ct, cin, channels, guard)
      .split(x, xo, xi, columns, guard)
      .split(cin, cv, cl, lanes);
  if (rank == 2)
    out.split(v[v.size() - 2], yo, yi, 2, guard).reorder(xi, yi, cl, cv, xo, yo, ct).unroll(yi);
  else
    out.reorder(xi, cl, cv, xo, ct);
  out.vectorize(xi);
  Var tasks("tasks");
  if (wholePlane) {
    out.rename(ct, tasks);
  } else if (rank == 2) {
    out.fuse(yo, ct, tasks);
  } else {
    Var chunk("chunk");  // a long row: chunks of 16 tile columns
    out.split(xo, chunk, xo, 16, guard).fuse(chunk, ct, tasks);
  }
  out.parallel(tasks);
  // One image at a time: its padded and transformed input (3.4 MB each at
  // 64x56x56) stay in cache; for the whole of a batch of 8 they did not,
  // and the 56x56 layers ran at 2.0 ms per image instead of 1.4.
  if (batched) {
    stage.padded.compute_at(out, v[0]);
    transformed.compute_at(out, v[0]);
  }

  // Aᵀ M A per tile column, channels as vectors.
  {
    std::vector<Var> a = tiles.args();  // l, x, [y], cb, [n]
    Var ttx("ttx"), tj("tj"), tty("tty"), ti("ti");
    tiles.compute_at(out, xo)
        .bound(a[0], 0, lanes)
        .align_bounds(a[1], 2)
        .bound_extent(a[1], columns)
        .bound_extent(a[rank + 1], tile.vectors)
        .split(a[1], ttx, tj, 2);
    if (rank == 2)
      tiles.align_bounds(a[2], 2)
          .bound_extent(a[2], 2)
          .split(a[2], tty, ti, 2)
          .reorder(a[0], tj, ti, ttx, a[3], tty)
          .unroll(ti);
    else
      tiles.reorder(a[0], tj, ttx, a[2]);
    tiles.vectorize(a[0]).unroll(tj);
  }
  // The products, each a register tile of columns x vectors.
  {
    std::vector<Var> a = products.args();  // l, tx, cb, [ty], p, [n]
    Var position = a[rank + 2], txo("ptxo"), txi("ptxi");
    products.bound(a[0], 0, lanes)
        .bound_extent(a[2], tile.vectors)
        .bound(position, 0, count)
        .split(a[1], txo, txi, tile.columns, TailStrategy::ShiftInwards)
        .reorder(a[0], txi, a[2], txo, position)
        .vectorize(a[0])
        .unroll(txi)
        .unroll(a[2]);
    if (wholePlane)
      products.compute_at(out, tasks);
    else
      products.compute_at(out, xo).bound_extent(a[1], tile.columns);
    std::vector<Var> b = acc.args();
    acc.compute_at(products, txo)
        .bound_extent(b[1], tile.columns)
        .vectorize(b[0])
        .unroll(b[1])
        .unroll(b[2]);
    acc.update()
        .reorder(b[0], b[1], b[2], stage.reduction.x)
        .vectorize(b[0])
        .unroll(b[1])
        .unroll(b[2]);
  }
}

} // namespace layerc::halide
