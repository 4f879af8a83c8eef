//===- Elementwise.cpp - activations and arithmetic, in Halide -----------===//
//
// Every elementwise function of the language (the activations, which the
// fusion pass may also move into a producer's output stage) and the
// arithmetic of two tensors with NumPy broadcasting, or of a tensor and a
// number.
//
//===----------------------------------------------------------------------===//
#include "Layers.h"
#include <cmath>

using namespace Halide;
using layerc::lowering::Node;

namespace layerc::halide {
namespace {
/// erf for float, vectorizable: the rational approximation of Eigen
/// (generic_fast_erf_float), within a few ulp; ±1 beyond |x| = 4.
Expr erfOf(Expr x) {
  x = clamp(x, -4.0f, 4.0f);
  Expr x2 = x * x;
  const float alpha[] = {-2.72614225801306e-10f, 2.77068142495902e-08f,
                         -2.10102402082508e-06f, -5.69250639462346e-05f,
                         -7.34990630326855e-04f, -2.95459980854025e-03f,
                         -1.60960333262415e-02f};
  const float beta[] = {-1.45660718464996e-05f, -2.13374055278905e-04f,
                        -1.68282697438203e-03f, -7.37332916720468e-03f,
                        -1.42647390514189e-02f};
  Expr p = alpha[0];
  for (int i = 1; i < 7; ++i)
    p = p * x2 + alpha[i];
  Expr q = beta[0];
  for (int i = 1; i < 5; ++i)
    q = q * x2 + beta[i];
  return x * p / q;
}

/// 1 / (1 + e^-x) for x >= 0 and e^x / (1 + e^x) for x < 0: neither form
/// overflows on its side, so |x| up to FLT_MAX gives 0 or 1. NaN stays NaN
/// (Halide's exp does not return NaN for it).
Expr sigmoidOf(Expr x) {
  Expr e = exp(-abs(x));
  return select(isNaN(x), x, x >= 0, 1.0f / (1.0f + e), e / (1.0f + e));
}

/// x clamped to [lo, hi], NaN staying NaN as in torch. Strict: Halide's
/// fast math assumes there is no NaN (its clamp returns a bound for it).
Expr clampKeepingNaN(Expr x, float lo, float hi) {
  return strict_float(select(x < lo, lo, x > hi, hi, x));
}

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

Expr arithmetic(const std::string &function, Expr a, Expr b) {
  if (function == "add")
    return a + b;
  if (function == "sub")
    return a - b;
  if (function == "mul")
    return a * b;
  assert(function == "div" && "add, sub, mul or div");
  return a / b;
}
} // namespace

/// As torch computes them: relu6 = hardtanh(x, 0, 6); hardsigmoid =
/// relu6(x + 3) / 6; hardswish = x · relu6(x + 3) / 6; silu = x ·
/// sigmoid(x); gelu = x/2 · (1 + erf(x/√2)); gelu_tanh = x/2 · (1 +
/// tanh(√(2/π) · (x + 0.044715 x³))).
Expr activation(const std::string &function, Expr x, double alpha, double beta) {
  if (function == "relu")
    return strict_float(select(x < 0.0f, 0.0f, x));  // NaN stays NaN
  if (function == "sigmoid")
    return sigmoidOf(x);
  if (function == "relu6")
    return clampKeepingNaN(x, 0.0f, 6.0f);
  if (function == "hardtanh")
    return clampKeepingNaN(x, float(alpha), float(beta));
  if (function == "leaky_relu")
    return select(x > 0, x, x * float(alpha));
  if (function == "hardsigmoid")
    return clampKeepingNaN(x + 3.0f, 0.0f, 6.0f) / 6.0f;
  if (function == "hardswish")
    return x * clampKeepingNaN(x + 3.0f, 0.0f, 6.0f) / 6.0f;
  if (function == "tanh")
    return tanh(x);
  if (function == "silu")
    return x * sigmoidOf(x);
  if (function == "gelu")
    return 0.5f * x * (1.0f + erfOf(x * float(M_SQRT1_2)));
  assert(function == "gelu_tanh" && "an activation of nn::kActivationFunctions");
  float k = float(std::sqrt(2.0 / M_PI));
  return 0.5f * x * (1.0f + tanh(k * (x + 0.044715f * x * x * x)));
}

Expr epilogue(const Node &node, Expr value) {
  for (const std::string &function : node.activations)
    value = activation(function, value, 0, 0);
  return value;
}

LayerStage relu(const Operands &operands, const Node &node, const ParamBuffers &,
                const Target &) {
  return elementwise(operands[0], node,
                     [](Expr x) { return activation("relu", x, 0, 0); });
}

LayerStage sigmoid(const Operands &operands, const Node &node, const ParamBuffers &,
                   const Target &) {
  return elementwise(operands[0], node,
                     [](Expr x) { return activation("sigmoid", x, 0, 0); });
}

LayerStage activationLayer(const Operands &operands, const Node &node,
                           const ParamBuffers &, const Target &) {
  return elementwise(operands[0], node, [&](Expr x) {
    return activation(node.function, x, node.alpha, node.beta);
  });
}

LayerStage scalarArithmetic(const Operands &operands, const Node &node,
                            const ParamBuffers &, const Target &) {
  Expr scalar = float(node.alpha);
  return elementwise(operands[0], node, [&](Expr x) {
    return node.scalarFirst ? arithmetic(node.function, scalar, x)
                            : arithmetic(node.function, x, scalar);
  });
}

/// The coordinates at which `operand` is read for output coordinates
/// `vars` of the broadcast `shape`: trailing dims aligned, a dim of size 1
/// read at 0.
std::vector<Expr> broadcastIndex(const Tensor &operand, const std::vector<Var> &vars,
                                 const std::vector<Expr> &shape) {
  int offset = int(vars.size()) - operand.rank();
  std::vector<Expr> index;
  for (int i = 0; i < operand.rank(); ++i) {
    bool stretched = Internal::is_const_one(operand.shape[i]) &&
                     !Internal::is_const_one(shape[offset + i]);
    index.push_back(stretched ? Expr(0) : Expr(vars[offset + i]));
  }
  return index;
}

/// The broadcast shape of `operands` (rank `rank`). Two sizes that are not
/// 1 must be equal: a run-time check where one is dynamic (a static size is
/// preferred for the result).
std::vector<Expr> broadcastShape(const std::vector<const Tensor *> &operands,
                                 int rank, const Node &node,
                                 std::vector<Requirement> &requirements) {
  std::vector<Expr> shape(rank);
  for (const Tensor *t : operands)
    for (int i = 0; i < t->rank(); ++i) {
      Expr size = t->shape[i];
      Expr &slot = shape[rank - t->rank() + i];
      if (!slot.defined() || Internal::is_const_one(slot)) {
        slot = size;
      } else if (!Internal::is_const_one(size) && !Internal::can_prove(slot == size)) {
        // The static size of the two, if one is, is the expected one.
        const int64_t *sizeKnown = Internal::as_const_int(size);
        const int64_t *known = sizeKnown ? sizeKnown : Internal::as_const_int(slot);
        std::string expected = known ? std::to_string(*known) : "equal";
        requirements.push_back({slot == size,
                                layerLabel(node) + ": " + node.opName +
                                    " needs dim " + std::to_string(i - t->rank()) +
                                    " of its operands to be " + expected + ", got",
                                sizeKnown ? slot : size});
        if (sizeKnown)
          slot = size;
      }
    }
  for (Expr &size : shape)
    if (!size.defined())
      size = 1;
  return shape;
}

/// out(i...) = a(i... of a) ∘ b(i... of b): trailing dims aligned, a dim of
/// size 1 read at 0 (NumPy broadcasting).
LayerStage binaryArithmetic(const Operands &operands, const Node &node,
                            const ParamBuffers &, const Target &) {
  LayerStage stage;
  int rank = int(node.shape.size());
  stage.vars = makeVars(rank, "x");
  std::vector<Expr> shape =
      broadcastShape({&operands[0], &operands[1]}, rank, node, stage.requirements);
  Func out = newFunc(node);
  Expr a = call(operands[0].func, broadcastIndex(operands[0], stage.vars, shape));
  Expr b = call(operands[1].func, broadcastIndex(operands[1], stage.vars, shape));
  call(out, asExprs(stage.vars)) = epilogue(node, arithmetic(node.function, a, b));
  stage.output = {out, shape};
  return stage;
}

} // namespace layerc::halide
