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
/// The coordinate list of `vars` as Exprs.
std::vector<Halide::Expr> asExprs(const std::vector<Halide::Var> &vars);

// --- Algorithms (all of one signature; parameter-free layers ignore params) -------------------------------------------------------------
/// A condition the pipeline checks on entry.
struct Requirement {
  Halide::Expr condition;
  std::string message;  // followed by `actual`
  Halide::Expr actual;
};

/// Everything a scheduled layer exposes to its schedule.
struct LayerStage {
  Tensor output;
  std::vector<Halide::Var> vars;  // torch order
  Halide::RDom reduction;         // undefined for pure layers
  /// Reducing layers accumulate here (same coordinates as the output) and
  /// the output copies it: the output buffer is the caller's, of unknown
  /// alignment, and is written once.
  Halide::Func accumulator;
  std::vector<Halide::Func> helpers;  // intermediate Funcs to schedule
  /// Checks on run-time sizes that the verifier could not make (a size
  /// symbol's value): the call fails with the message and the actual value.
  std::vector<Requirement> requirements;
};

LayerStage convolution(const Tensor &in, const lowering::Node &node,
                  const ParamBuffers &params);
LayerStage linear(const Tensor &in, const lowering::Node &node,
             const ParamBuffers &params);
LayerStage relu(const Tensor &in, const lowering::Node &node,
                const ParamBuffers &params);
LayerStage sigmoid(const Tensor &in, const lowering::Node &node,
                   const ParamBuffers &params);
LayerStage flatten(const Tensor &in, const lowering::Node &node,
                   const ParamBuffers &params);
LayerStage batchNorm(const Tensor &in, const lowering::Node &node,
                const ParamBuffers &params);
LayerStage layerNorm(const Tensor &in, const lowering::Node &node,
                const ParamBuffers &params);
LayerStage groupNorm(const Tensor &in, const lowering::Node &node,
                const ParamBuffers &params);

// --- Schedules --------------------------------------------------------------
void scheduleConvolution(LayerStage &stage, const Halide::Target &target);
void scheduleLinear(LayerStage &stage, const Halide::Target &target);
void scheduleElementwise(LayerStage &stage, const Halide::Target &target);
void scheduleNormalization(LayerStage &stage, const Halide::Target &target);

} // namespace layerc::halide

#endif // LAYERC_HALIDE_LAYERS_H
