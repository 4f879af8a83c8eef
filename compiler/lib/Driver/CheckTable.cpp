//===- CheckTable.cpp - the per-layer table of `layerc check` ------------===//
//
// FLOPs count 2 per multiply-accumulate for Conv, Linear, matmul and the
// attention's products; 1 per element for ReLU-like activations and
// arithmetic, 4 for the other activations, 5 for softmax, 7 for the norms
// (statistics plus the affine map), one per window tap for pooling and per
// summed value for mean, 0 for shape ops. A dynamic dim counts as 1 and the
// total is marked `xN`-style with `×?` per dynamic dim.
//
//===----------------------------------------------------------------------===//
#include "CheckTable.h"
#include "layerc/Dialect/NN/NNDialect.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"
#include <set>

using namespace mlir;
using namespace layerc;
namespace nn = layerc::nn;

namespace {
ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

/// Elements of a shape with dynamic dims counted as 1, and how many were
/// dynamic.
std::pair<int64_t, int> staticCount(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  int dynamic = 0;
  for (int64_t d : shape) {
    if (ShapedType::isDynamic(d))
      ++dynamic;
    else
      n *= d;
  }
  return {n, dynamic};
}

std::string withDynamic(double n, int dynamic) {
  std::string text = llvm::formatv("{0:F0}", n).str();
  for (int i = 0; i < dynamic; ++i)
    text += "×?";
  return text;
}

/// `A×B×C` of a list of dims (`?` for dynamic ones).
std::string product(ArrayRef<int64_t> dims) {
  std::string text;
  for (auto [i, d] : llvm::enumerate(dims))
    text += (i ? "×" : "") + (ShapedType::isDynamic(d) ? std::string("?")
                                                        : std::to_string(d));
  return text.empty() ? "1" : text;
}

/// Input elements per output element (pooling, mean), dynamic dims as 1.
int64_t reductionFactor(Operation *op) {
  int64_t in = staticCount(shapeOf(op->getOperand(0))).first;
  int64_t out = staticCount(shapeOf(op->getResult(0))).first;
  return std::max<int64_t>(1, in / std::max<int64_t>(out, 1));
}

/// Work per output element (FLOPs).
int64_t flopsPerElement(Operation *op) {
  return llvm::TypeSwitch<Operation *, int64_t>(op)
      .Case([](nn::ConvOp c) {
        int64_t taps = c.getInChannels() / c.getGroups();
        for (int64_t k : c.getKernelSize())
          taps *= k;
        return 2 * taps;
      })
      .Case([](nn::LinearOp l) { return 2 * l.getInFeatures(); })
      .Case([](nn::ReluOp) { return 1; })
      .Case([](nn::SigmoidOp) { return 4; })
      .Case([](nn::FlattenOp) { return 0; })
      .Case<nn::ReshapeOp, nn::PermuteOp, nn::ConcatOp>([](Operation *) { return 0; })
      .Case<nn::BinaryOp, nn::ScalarOp>([](Operation *) { return 1; })
      .Case([](nn::ActivationOp a) {
        return llvm::is_contained({"relu6", "hardtanh", "leaky_relu"}, a.getFunction())
                   ? 1
                   : 4;
      })
      .Case([](nn::SoftmaxOp) { return 5; })
      .Case([](nn::PoolOp p) {
        int64_t taps = 1;
        for (int64_t k : p.getKernelSize())
          taps *= k;
        return taps;
      })
      .Case<nn::AdaptivePoolOp, nn::MeanOp>([](Operation *o) { return reductionFactor(o); })
      .Case([](nn::MatmulOp m) {
        ArrayRef<int64_t> a = shapeOf(m.getInput());
        return 2 * (ShapedType::isDynamic(a.back()) ? 1 : a.back());
      })
      .Case([](nn::MultiheadAttentionOp m) {
        // Per (sequence, batch) row of E outputs: the q, k, v and output
        // projections (8E²) and the two L×L products (4LE).
        ArrayRef<int64_t> in = shapeOf(m.getInput());
        int64_t length = in.size() == 2 || m.getBatchFirst() ? in[in.size() - 2] : in[0];
        length = ShapedType::isDynamic(length) ? 1 : length;
        return 8 * m.getEmbedDim() + 4 * length;
      })
      .Default([](Operation *) { return 7; });  // norms
}

/// The shapes of an op's operands: `[2, 3]` or `[2, 3], [3]`.
std::string operandShapes(Operation *op) {
  std::string text;
  for (Value operand : op->getOperands())
    text += (text.empty() ? "" : ", ") + nn::formatShape(shapeOf(operand));
  return text;
}

/// The dims a norm's statistics run over, or "".
std::string statisticsDims(Operation *op) {
  ArrayRef<int64_t> in = shapeOf(op->getOperand(0));
  return llvm::TypeSwitch<Operation *, std::string>(op)
      .Case([&](nn::BatchNormOp b) -> std::string {
        if (b.getTrackRunningStats())
          return "running stats per channel";
        SmallVector<int64_t> dims{in[0]};
        dims.append(in.begin() + 2, in.end());
        return "N×spatial = " + product(dims) + " per channel";
      })
      .Case([&](nn::LayerNormOp l) -> std::string {
        return "trailing " + product(in.take_back(l.getNormalizedShape().size())) +
               " per sample";
      })
      .Case([&](nn::GroupNormOp g) -> std::string {
        SmallVector<int64_t> dims{in[1] == ShapedType::kDynamic
                                      ? ShapedType::kDynamic
                                      : in[1] / g.getNumGroups()};
        dims.append(in.begin() + 2, in.end());
        return "C/G×spatial = " + product(dims) + " per sample and group";
      })
      .Default([](Operation *) { return ""; });
}
} // namespace

void layerc::driver::printCheckTable(func::FuncOp model, llvm::raw_ostream &os) {
  std::vector<std::array<std::string, 8>> rows;
  rows.push_back({"layer", "op", "input", "output", "parameters", "params",
                  "FLOPs", "statistics over"});
  int64_t totalParams = 0;
  double totalFlops = 0;
  std::set<std::string> countedTensors;
  int dynamicFlops = 0;
  for (Operation &op : model.getBody().front().without_terminator()) {
    auto layer = cast<nn::LayerOp>(op);
    SmallVector<nn::ParameterSpec> params;
    layer.getParameters(params);
    std::string paramText;
    int64_t paramCount = 0;
    auto prefix = op.getAttrOfType<StringAttr>("weights");
    for (const nn::ParameterSpec &p : params) {
      paramText += (paramText.empty() ? "" : " ") + p.suffix +
                   nn::formatShape(p.shape);
      int64_t count = staticCount(p.shape).first;
      paramCount += count;
      // A declared layer applied twice owns its tensors once.
      if (countedTensors.insert(prefix.str() + "." + p.suffix).second)
        totalParams += count;
    }
    auto [outCount, outDynamic] = staticCount(shapeOf(op.getResult(0)));
    double flops = double(outCount) * double(flopsPerElement(&op));
    totalFlops += flops;
    dynamicFlops = std::max(dynamicFlops, outDynamic);
    rows.push_back({layer.getNodeName().str(), nn::getTorchName(&op),
                    operandShapes(&op),
                    nn::formatShape(shapeOf(op.getResult(0))),
                    paramText.empty() ? "-" : paramText,
                    std::to_string(paramCount), withDynamic(flops, outDynamic),
                    statisticsDims(&op)});
  }
  std::array<size_t, 8> widths{};
  for (const auto &row : rows)
    for (size_t i = 0; i < row.size(); ++i)
      widths[i] = std::max(widths[i], llvm::StringRef(row[i]).size() -
                                          llvm::StringRef(row[i]).count("×"));
  os << "model " << model.getName() << "\n";
  for (const auto &row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size())
        line += std::string(widths[i] + 2 - (row[i].size() -
                                             llvm::StringRef(row[i]).count("×")),
                            ' ');
    }
    os << llvm::StringRef(line).rtrim() << "\n";
  }
  os << "total: " << totalParams << " parameters, "
     << withDynamic(totalFlops, dynamicFlops) << " FLOPs\n";
}
