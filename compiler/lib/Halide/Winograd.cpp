//===- Winograd.cpp - 3x3 stride-1 Conv2d as Winograd F(2x2, 3x3) --------===//
//
// A 3x3 conv computes each 2x2 block of outputs (a tile) from the 4x4 block
// of inputs under it with 16 multiplies per input channel instead of 36
// (Lavin & Gray, 2015):
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
// The sum over ci is 16 independent matrix products (one per position ab
// of the 4x4 transform), tiles x ci times ci x co: the blocked conv's
// register tile, with tiles along a row where the blocked conv has x.
// U is computed at compile time, in double, as [ab][co/V][ci][V] (output
// channels padded to whole channel tiles with zero filters).
//
// Funcs, outermost first in the loop nest:
//   padded (n, ci, y, x)          the input with its padding (Conv.cpp)
//   transformed (n, ab, ty, ci, tx) = Bᵀ d B, at root
//   acc / products (n, ab, ty, cb, tx, l)  Σ_ci U·V, a register tile,
//                                 copied to `products` per output tile
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

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// Σ_{i,j} coefficient(i, j) · value(i, j) over the non-zero coefficients.
template <typename Coefficient, typename Value>
Expr weightedSum(int rows, int cols, Coefficient coefficient, Value value) {
  Expr sum;
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) {
      double c = coefficient(i, j);
      if (c == 0)
        continue;
      Expr term = value(i, j);
      if (!sum.defined())
        sum = c == 1 ? term : c == -1 ? -term : float(c) * term;
      else if (c == 1)
        sum = sum + term;
      else if (c == -1)
        sum = sum - term;
      else
        sum = sum + float(c) * term;
    }
  return sum;
}

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
} // namespace

bool winogradApplies(const Node &node, const Target &target) {
  if (node.kernel.size() != 2 || node.groups != 1)
    return false;
  for (int i = 0; i < 2; ++i)
    if (node.kernel[i] != 3 || node.stride[i] != 1 || node.dilation[i] != 1)
      return false;
  int rank = int(node.shape.size());
  // Static rows and columns (the tiling is planned for them), and enough
  // channels for the products to dominate the transforms.
  int lanes = vectorWidth(target);
  return node.shape[rank - 1] > 0 && node.shape[rank - 2] > 0 &&
         node.inChannels >= 2 * lanes && node.shape[rank - 3] >= 2 * lanes;
}

RegisterTile winogradTile(const Node &node, const Target &target) {
  int lanes = vectorWidth(target);
  int budget = vectorRegisters(target) >= 32 ? 16 : 8;
  int64_t tilesPerRow = ceilDiv(node.shape.back(), 2);
  int64_t blocks = ceilDiv(node.shape[node.shape.size() - 3], lanes);
  // Tiles of a row by channel vectors: the fewest wasted tiles and
  // channels, then the most accumulators.
  RegisterTile best{lanes, 1, 1};
  double bestScore = -1;
  for (int vectors = 1; vectors <= 4 && vectors <= blocks; ++vectors) {
    int columns = int(std::min<int64_t>(budget / vectors, tilesPerRow));
    double waste = double(ceilDiv(blocks, vectors) * vectors) / blocks *
                   double(ceilDiv(tilesPerRow, columns) * columns) / tilesPerRow;
    double use = std::min(1.0, vectors * columns / (0.75 * budget));
    double score = use / waste + 0.01 * vectors;
    if (score > bestScore) {
      bestScore = score;
      best = {lanes, vectors, columns};
    }
  }
  best.winograd = true;
  return best;
}

HostTensor winogradWeights(const HostTensor &weight, const RegisterTile &tile) {
  int64_t outChannels = weight.shape[0], inChannels = weight.shape[1];
  int64_t step = int64_t(tile.lanes) * tile.vectors;
  int64_t blocks = ceilDiv(outChannels, step) * step / tile.lanes;
  HostTensor u;
  u.shape = {16, blocks, inChannels, tile.lanes};
  u.data.assign(16 * blocks * inChannels * tile.lanes, 0.0f);
  for (int64_t co = 0; co < outChannels; ++co)
    for (int64_t ci = 0; ci < inChannels; ++ci) {
      const float *g = &weight.data[(co * inChannels + ci) * 9];
      for (int a = 0; a < 4; ++a)
        for (int b = 0; b < 4; ++b) {
          double sum = 0;
          for (int r = 0; r < 3; ++r)
            for (int s = 0; s < 3; ++s)
              sum += kG[a][r] * double(g[r * 3 + s]) * kG[b][s];
          int64_t index = (((a * 4 + b) * blocks + co / tile.lanes) * inChannels + ci) *
                              tile.lanes + co % tile.lanes;
          u.data[index] = float(sum);
        }
    }
  return u;
}

LayerStage winogradConvolution(const Tensor &in, Func padded, const Node &node,
                               const ParamBuffers &params, LayerStage stage) {
  bool batched = in.rank() == 4;
  int lanes = stage.tile.lanes;
  int lo[2] = {int(node.paddingLow[0]), int(node.paddingLow[1])};
  const Weights &u = params.at("weight_winograd");
  int64_t inChannels = u.shape[2];
  std::vector<Var> &v = stage.vars;  // torch order: [n], co, y, x
  Var n = batched ? v[0] : Var("n"), co = v[batched ? 1 : 0], y = v[v.size() - 2],
      x = v.back();
  Var ab("ab"), ty("ty"), tx("tx"), ci("ci"), cb("cb"), l("l");
  auto batch = [&](std::vector<Expr> args) {
    if (batched)
      args.insert(args.begin(), n);
    return args;
  };

  // transformed(n, ab, ty, ci, tx) = (Bᵀ d B)[a][b], d the 4x4 input block
  // at rows 2ty - lo.., columns 2tx - lo...
  Func transformed = newFunc(node, "winograd_input");
  Expr a = ab / 4, b = ab % 4;
  call(transformed, batch({ab, ty, ci, tx})) = weightedSum(
      4, 4, [](int, int) { return 1.0; },
      [&](int i, int j) {
        return coefficient(kBt, a, i) * coefficient(kBt, b, j) *
               call(padded, batch({ci, 2 * ty + i - lo[0], 2 * tx + j - lo[1]}));
      });

  // acc(n, ab, ty, cb, tx, l) = Σ_ci U(ab, cb, ci, l) · transformed(n, ab, ty, ci, tx)
  Func acc = newFunc(node, "acc"), products = newFunc(node, "winograd_products");
  RDom r(0, int(inChannels), node.name + "_r");
  call(acc, batch({ab, ty, cb, tx, l})) = 0.0f;
  call(acc, batch({ab, ty, cb, tx, l})) +=
      call(u, {ab, cb, r, l}) * call(transformed, batch({ab, ty, r, tx}));
  call(products, batch({ab, ty, cb, tx, l})) = call(acc, batch({ab, ty, cb, tx, l}));

  // tiles(n, cb, y, x, l) = (Aᵀ M A)[y % 2][x % 2] of tile (y / 2, x / 2).
  Func tiles = newFunc(node, "winograd_output");
  std::vector<Expr> outputCases;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j)
      outputCases.push_back(weightedSum(
          4, 4, [&](int a, int b) { return kAt[i][a] * kAt[j][b]; },
          [&](int a, int b) {
            return call(products, batch({a * 4 + b, y / 2, cb, x / 2, l}));
          }));
  call(tiles, batch({cb, y, x, l})) = selectCase((y % 2) * 2 + x % 2, outputCases);

  Func out = newFunc(node);
  auto bias = params.find("bias");
  Expr value = call(tiles, batch({co / lanes, y, x, co % lanes}));
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
///   transformed: [n] → ci x ty (fused, parallel tasks) → ab (unrolled) → tx (vectors)
///   out: [n] x channel tiles x row pairs (fused, parallel) → tile columns:
///     products: ab → register tile (acc: ci → columns x vectors, unrolled)
///     tiles: cb → tx → 2x2 (unrolled) → l (vector)
///     out: channels (unrolled) → 2 rows → x (vectors of 8, or unrolled)
void scheduleWinogradConvolution(LayerStage &stage, const Target &target) {
  const RegisterTile &tile = stage.tile;
  Func out = stage.output.func, acc = stage.accumulator;
  Func transformed = stage.helpers[0], products = stage.helpers[1],
       tiles = stage.helpers[2];
  std::vector<Var> v = stage.vars;
  bool batched = v.size() == 4;
  Var co = v[batched ? 1 : 0], y = v[v.size() - 2], x = v.back();
  constexpr auto guard = TailStrategy::GuardWithIf;
  int lanes = tile.lanes;

  // The input transform.
  {
    std::vector<Var> a = transformed.args();  // tx, ci, ty, ab, [n]
    Var txo("txo"), txi("txi");
    transformed.compute_root()  // or per image, below
        .bound(a[3], 0, 16)
        .split(a[0], txo, txi, lanes, TailStrategy::RoundUp)
        .reorder(txi, a[3], txo, a[1], a[2])
        .vectorize(txi)
        .unroll(a[3]);
    Var rows("ci_ty");
    transformed.fuse(a[1], a[2], rows);
    parallelInTasks(transformed, rows, stage.output.shape.back());
  }

  // The output: tiles of 2 rows x 2·columns x by a channel tile. The
  // products of a channel tile are computed per row pair, or, when those of
  // the whole plane fit in L2 (256 KB), once for the plane: small planes
  // (7x7, 14x14) have many channels, and their transformed weights (16 x
  // ci x the tile's channels) would otherwise be read again for every row
  // pair (512 ch at 7x7: 2 MB per channel tile, 4 row pairs).
  int columns = tile.columns * 2, channels = lanes * tile.vectors;
  int64_t width = *as_const_int(stage.output.shape.back());
  int64_t height = *as_const_int(stage.output.shape[v.size() - 2]);
  int64_t planeBytes = 16 * ((height + 1) / 2) * ((width + 1) / 2) * channels * 4;
  bool wholePlane = planeBytes <= 256 * 1024;
  Var xo("xo"), xi("xi"), yo("yo"), yi("yi"), ct("ct"), cin("cin"), cv("cv"), cl("cl");
  out.compute_root()
      .split(co, ct, cin, channels, guard)
      .split(y, yo, yi, 2, guard)
      .split(x, xo, xi, columns, guard)
      .split(cin, cv, cl, lanes)
      .reorder(xi, yi, cl, cv, xo, yo, ct)
      .unroll(yi);
  out.vectorize(xi);
  Var tasks("tasks");
  if (wholePlane)
    out.rename(ct, tasks);
  else
    out.fuse(yo, ct, tasks);
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
    std::vector<Var> a = tiles.args();  // l, x, y, cb, [n]
    Var ttx("ttx"), tj("tj"), tty("tty"), ti("ti");
    tiles.compute_at(out, xo)
        .bound(a[0], 0, lanes)
        .align_bounds(a[1], 2)
        .align_bounds(a[2], 2)
        .bound_extent(a[1], columns)
        .bound_extent(a[2], 2)
        .bound_extent(a[3], tile.vectors)
        .split(a[1], ttx, tj, 2)
        .split(a[2], tty, ti, 2)
        .reorder(a[0], tj, ti, ttx, a[3], tty)
        .vectorize(a[0])
        .unroll(tj)
        .unroll(ti);
  }
  // The 16 products, each a register tile of columns x vectors.
  {
    std::vector<Var> a = products.args();  // l, tx, cb, ty, ab, [n]
    Var txo("ptxo"), txi("ptxi");
    products.bound(a[0], 0, lanes)
        .bound_extent(a[2], tile.vectors)
        .bound(a[4], 0, 16)
        .split(a[1], txo, txi, tile.columns, TailStrategy::ShiftInwards)
        .reorder(a[0], txi, a[2], txo, a[3], a[4])
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
  (void)target;
}

} // namespace layerc::halide
