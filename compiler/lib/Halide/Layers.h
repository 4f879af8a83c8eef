//===- Layers.h - Halide algorithms and schedules of nn layers --*- C++ -*-===//
//
// Private to the Halide backend. A layer's algorithm (what each output
// element is) and its schedule (how to compute it on a target) are separate
// functions, so the schedule can change without touching the math.
//
// Layout: a Tensor's Func takes its coordinates innermost first, i.e. the
// reverse of torch's order: torch (N, C, H, W) is Func f(w, h, c, n). The
// algorithms below are written in torch order through `call`/`define`.
//
//===----------------------------------------------------------------------===//
#ifndef LAYERC_HALIDE_LAYERS_H
#define LAYERC_HALIDE_LAYERS_H

#include "Halide.h"
#include "layerc/Lowering/LayerGraph.h"

namespace layerc::halide {

/// A value of the model: its Func and its extents in torch order.
struct Tensor {
  Halide::Func func;
  std::vector<Halide::Expr> shape;  // torch order
  /// Set where the producer stores the tensor in channel vectors (a conv
  /// with Node::channelVectorOutput): that storage, f(l, x, [y, [z]], cb,
  /// [n]), which `func` reads, and the zero border it has before and after
  /// each spatial dim (torch order).
  Halide::Func channelVectors = Halide::Func();
  std::vector<int64_t> haloLow = {}, haloHigh = {};
  int rank() const { return int(shape.size()); }
};

/// A parameter tensor embedded in the object: flat, after kWeightPad
/// leading floats. Halide 14 aligns embedded buffers to 32 bytes yet assumes
/// native-vector (64-byte, AVX-512) alignment for them; the 8-float pad
/// keeps every vector index it can prove at most 32-byte aligned, so it
/// never emits a 64-byte aligned load that would fault.
struct Weights {
  static constexpr int kPad = 8;
  Halide::Buffer<float> flat;       // kPad + elements
  std::vector<int64_t> shape;       // torch order
  std::vector<int64_t> strides;     // torch order, in elements
};

/// The parameters a node reads, by suffix ("weight", "bias", ...).
using ParamBuffers = std::map<std::string, Weights>;

/// `rank` fresh Vars, in torch order.
std::vector<Halide::Var> makeVars(int rank, const std::string &prefix = "d");
/// f(reversed(torchArgs)).
Halide::FuncRef call(const Halide::Func &f, std::vector<Halide::Expr> torchArgs);
Halide::Expr call(const Weights &w, const std::vector<Halide::Expr> &torchArgs);
/// "layer 'NAME'" with the name as the user wrote it (`blk.c`, not the
/// C name `blk_c`), for run-time messages.
std::string layerLabel(const lowering::Node &node);
/// A Func named after the node (and its role: "acc", "mean", ...).
Halide::Func newFunc(const lowering::Node &node, const std::string &role = "");
/// Halide 14 appends `$N` to a Func name it counts as seen before (which
/// happens to names never used, too: "fc" after an ImageParam "image").
/// The names users see, the model outputs', are made first, here, and
/// newFunc and reservedFunc hand them out.
void reserveFuncNames(const std::vector<std::string> &names);
/// The Func reserved under `name`, or a new one.
Halide::Func reservedFunc(const std::string &name);
/// True where float `x` is NaN, by its bits: Halide 14's is_nan() is false
/// in the lanes of a predicated (tail) vector.
Halide::Expr isNaN(Halide::Expr x);
/// `value` with the node's fused activations applied, in order.
Halide::Expr epilogue(const lowering::Node &node, Halide::Expr value);
/// The coordinate list of `vars` as Exprs.
std::vector<Halide::Expr> asExprs(const std::vector<Halide::Var> &vars);

// --- Algorithms (all of one signature; parameter-free layers ignore params) -------------------------------------------------------------
/// A node's operands, in the order of its op's operands.
using Operands = std::vector<Tensor>;

/// A condition the pipeline checks on entry.
struct Requirement {
  Halide::Expr condition;
  std::string message;  // followed by `actual`
  Halide::Expr actual;
};

/// The register tile of a conv or linear layer: `vectors` accumulator
/// vectors of `lanes` floats across channels (or outputs) times `columns`
/// output positions (conv: x; linear: rows) stay in registers while the
/// whole reduction runs. lanes == 0: the layer is in its direct form, with
/// no register tile.
struct RegisterTile {
  int lanes = 0;
  int vectors = 1;
  int columns = 1;
  /// A depthwise conv in channel vectors: its input is read through a copy
  /// in the same blocked layout as its weights (see Conv.cpp).
  bool depthwise = false;
  /// A stride-1 Conv1d/Conv2d of kernel 3 computed as Winograd F(2, 3) /
  /// F(2x2, 3x3) (see Winograd.cpp): its spatial rank, 0 for other convs.
  /// Columns then count output tiles along a row.
  int winograd = 0;
};

/// Everything a scheduled layer exposes to its schedule.
struct LayerStage {
  Tensor output;
  std::vector<Halide::Var> vars;  // torch order
  Halide::RDom reduction;         // undefined for pure layers
  /// Conv and linear accumulate here, in register tiles (the output is
  /// written once from it: the output buffer may be the caller's, of
  /// unknown alignment). Norms keep their per-key sums here.
  Halide::Func accumulator;
  std::vector<Halide::Func> helpers;  // intermediate Funcs to schedule
  /// Conv: the input with its padding written out (undefined when the
  /// conv reads its input directly).
  Halide::Func padded;
  RegisterTile tile;
  /// Checks on run-time sizes that the verifier could not make (a size
  /// symbol's value): the call fails with the message and the actual value.
  std::vector<Requirement> requirements;
  /// Matmul, attention: Funcs computed at root before the output, with
  /// their extents (torch order).
  std::vector<Tensor> intermediates;
  /// A conv stored in channel vectors with a zero border: the interior,
  /// which its first update writes from the accumulator (spatial dims,
  /// innermost first).
  Halide::RDom storeInterior = Halide::RDom();
};

LayerStage convolution(const Operands &operands, const lowering::Node &node,
                const ParamBuffers &params, const Halide::Target &target);
LayerStage linear(const Operands &operands, const lowering::Node &node,
                const ParamBuffers &params, const Halide::Target &target);
LayerStage relu(const Operands &operands, const lowering::Node &node,
                const ParamBuffers &params, const Halide::Target &target);
LayerStage sigmoid(const Operands &operands, const lowering::Node &node,
                const ParamBuffers &params, const Halide::Target &target);
LayerStage flatten(const Operands &operands, const lowering::Node &node,
                const ParamBuffers &params, const Halide::Target &target);
LayerStage batchNorm(const Operands &operands, const lowering::Node &node,
                const ParamBuffers &params, const Halide::Target &target);
LayerStage layerNorm(const Operands &operands, const lowering::Node &node,
                const ParamBuffers &params, const Halide::Target &target);
LayerStage groupNorm(const Operands &operands, const lowering::Node &node,
                const ParamBuffers &params, const Halide::Target &target);
LayerStage activationLayer(const Operands &operands, const lowering::Node &node,
                const ParamBuffers &params, const Halide::Target &target);
LayerStage binaryArithmetic(const Operands &operands, const lowering::Node &node,
                const ParamBuffers &params, const Halide::Target &target);
LayerStage scalarArithmetic(const Operands &operands, const lowering::Node &node,
                const ParamBuffers &params, const Halide::Target &target);
LayerStage softmax(const Operands &operands, const lowering::Node &node,
                const ParamBuffers &params, const Halide::Target &target);
LayerStage mean(const Operands &operands, const lowering::Node &node,
                const ParamBuffers &params, const Halide::Target &target);
LayerStage pooling(const Operands &operands, const lowering::Node &node,
                const ParamBuffers &params, const Halide::Target &target);
LayerStage adaptivePooling(const Operands &operands, const lowering::Node &node,
                const ParamBuffers &params, const Halide::Target &target);
LayerStage reshape(const Operands &operands, const lowering::Node &node,
                const ParamBuffers &params, const Halide::Target &target);
LayerStage permute(const Operands &operands, const lowering::Node &node,
                const ParamBuffers &params, const Halide::Target &target);
LayerStage concat(const Operands &operands, const lowering::Node &node,
                const ParamBuffers &params, const Halide::Target &target);
LayerStage matmul(const Operands &operands, const lowering::Node &node,
                const ParamBuffers &params, const Halide::Target &target);
LayerStage multiheadAttention(const Operands &operands, const lowering::Node &node,
                const ParamBuffers &params, const Halide::Target &target);

/// An elementwise function of nn::kActivationFunctions (or relu, sigmoid)
/// with its arguments (leaky_relu's slope, hardtanh's bounds).
Halide::Expr activation(const std::string &function, Halide::Expr x, double alpha,
                        double beta);
/// NumPy broadcasting: the result extents of `operands` at `rank` (a
/// run-time requirement where two sizes that are not 1 may differ), and
/// where an operand is read for result coordinates `vars`.
std::vector<Halide::Expr> broadcastShape(const std::vector<const Tensor *> &operands,
                                         int rank, const lowering::Node &node,
                                         std::vector<Requirement> &requirements);
std::vector<Halide::Expr> broadcastIndex(const Tensor &operand,
                                         const std::vector<Halide::Var> &vars,
                                         const std::vector<Halide::Expr> &shape);

/// A parameter as a layer's algorithm reads it: the torch tensor itself, or
/// a copy repacked for the target under another suffix (Linear's
/// "weight_t", Conv's "weight_blocked").
struct PackedParam {
  std::string suffix;
  lowering::HostTensor tensor;
};
/// A 1-d tensor (a bias) extended with zeros to `length` elements.
lowering::HostTensor zeroPadded(const lowering::HostTensor &tensor, int64_t length);
PackedParam packConvolutionParam(const lowering::Node &node,
                                 const std::string &suffix,
                                 const lowering::HostTensor &tensor,
                                 const Halide::Target &target);
PackedParam packLinearParam(const lowering::Node &node, const std::string &suffix,
                            const lowering::HostTensor &tensor,
                            const Halide::Target &target);
PackedParam packAttentionParam(const lowering::Node &node, const std::string &suffix,
                               const lowering::HostTensor &tensor,
                               const Halide::Target &target);

/// f32 lanes of one vector register: 16 with AVX-512, 8 with AVX2, 4 with
/// SSE/NEON.
int vectorWidth(const Halide::Target &target);
/// Vector registers of the target: 32 with AVX-512 and on arm64, else 16.
int vectorRegisters(const Halide::Target &target);
/// Vector accumulators a register tile may hold: 16 with 32 registers
/// (more spill: 28-32 ran 2x slower), 8 with 16, which leaves room for the
/// weight vectors and the broadcast input.
int accumulatorBudget(const Halide::Target &target);
/// a / b rounded up, for positive sizes.
inline int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
/// What a conv's register tile must fit: `blocks` channel vectors of
/// `lanes` by a row of `width` positions (-1 when dynamic), in `budget`
/// accumulators.
struct TileRequest {
  int lanes, budget;
  int64_t blocks, width;
  /// The channel tile must divide `blocks` (grouped convs, which must not
  /// read past their group).
  bool exactBlocks = false;
  /// The columns must divide the row (a tile written by an update
  /// definition cannot be shifted inwards at the row's end).
  bool exactColumns = false;
  /// Multiply-adds per accumulator (input channels x taps), against which
  /// the tile's transposed store into the output is weighed; 0 when the
  /// tile is stored as channel vectors.
  int64_t reductionSteps = 0;
  /// Winograd's products: their transformed weights stream from L2, so a
  /// weight vector load is weighed as 3 broadcasts of the input.
  bool weightsFromL2 = false;
};
/// The register tile of a conv's blocked or Winograd form: up to 4 channel
/// vectors by `columns` positions, the fewest wasted channels and positions
/// first, then the most multiply-adds per load.
RegisterTile chooseRegisterTile(const TileRequest &request);
/// Sets Node::channelVectorOutput (and the zero border) of `conv` when
/// every one of `consumers` is a conv that reads its input by channel and
/// the output is not a model output (Conv.cpp).
void planConvolutionOutput(lowering::Node &conv,
                           const std::vector<const lowering::Node *> &consumers,
                           bool isModelOutput, const Halide::Target &target);
/// Fuses the loops of `vars` (Halide order: innermost first) into one and
/// returns it.
Halide::Var fuseAll(Halide::Stage stage, const std::vector<Halide::Var> &vars);
/// Vectorizes the innermost dim of a pure Func and runs the others in
/// parallel tasks of about 16K elements: fused into one loop when
/// `staticSizes`, else the second dim alone. `vars` in torch order; each
/// iteration of the outer loops covers `rowElements`.
void vectorizeAndParallelize(Halide::Func f, const std::vector<Halide::Var> &vars,
                             bool staticSizes, Halide::Expr rowElements,
                             const Halide::Target &target);
/// True when every extent is a constant.
bool isStatic(const std::vector<Halide::Expr> &shape);
/// Runs `loop` in parallel, in tasks of about 16K elements of work, each
/// iteration doing `elementsPerIteration`; returns the loop inside a task.
Halide::Var parallelInTasks(Halide::Stage stage, Halide::Var loop,
                     Halide::Expr elementsPerIteration);

/// Winograd F(2, 3) and F(2x2, 3x3) for stride-1 Conv1d / Conv2d of kernel 3
/// (Winograd.cpp).
bool winogradApplies(const lowering::Node &node, const Halide::Target &target);
RegisterTile winogradTile(const lowering::Node &node, const Halide::Target &target);
/// U = G g Gᵀ (Conv1d: G g) as [4 or 16][Co'/V][Ci][V], Co' padded to
/// whole channel tiles.
lowering::HostTensor winogradWeights(const lowering::HostTensor &weight,
                                     const RegisterTile &tile);
/// The conv of `stage` (its vars, tile, output shape and requirements set)
/// from `padded`, the input with its padding.
LayerStage winogradConvolution(const Tensor &in, Halide::Func padded,
                               const lowering::Node &node, const ParamBuffers &params,
                               LayerStage stage);
void scheduleWinogradConvolution(LayerStage &stage, const Halide::Target &target);

// --- Schedules --------------------------------------------------------------
void scheduleConvolution(LayerStage &stage, const Halide::Target &target);
void scheduleLinear(LayerStage &stage, const Halide::Target &target);
void scheduleElementwise(LayerStage &stage, const Halide::Target &target);
void scheduleNormalization(LayerStage &stage, const Halide::Target &target);
/// Views (flatten, reshape, permute): inlined into their consumers.
void scheduleView(LayerStage &stage, const Halide::Target &target);
void scheduleReduction(LayerStage &stage, const Halide::Target &target);
void scheduleContractions(LayerStage &stage, const Halide::Target &target);
/// The update of f(vars) += ... (vars in torch order, extents `shape`):
/// vectors along the innermost dim, the reduction inside them, the other
/// dims in parallel tasks.
void scheduleContraction(Halide::Func f, const std::vector<Halide::Var> &vars,
                         const std::vector<Halide::Expr> &shape,
                         const Halide::Target &target);

} // namespace layerc::halide

#endif // LAYERC_HALIDE_LAYERS_H
