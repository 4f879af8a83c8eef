//===- BuildGraph.cpp - nn module + weights to a LayerGraph --------------===//
//
// The last step on the MLIR side: reads each op's attributes into a plain
// Node, binds its parameters (by `<weights>.<suffix>` name) to tensors of
// the safetensors file, and checks them against the shapes the op expects.
//
//===----------------------------------------------------------------------===//
#include "layerc/Lowering/BuildGraph.h"
#include "layerc/Dialect/NN/NNDialect.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/TypeSwitch.h"
#include <cmath>
#include <set>

using namespace mlir;
using namespace layerc;
using namespace layerc::lowering;
namespace nn = layerc::nn;

func::FuncOp layerc::lowering::getModelFunction(ModuleOp module) {
  auto funcs = module.getOps<func::FuncOp>();
  assert(!funcs.empty() && "the frontend builds one model function");
  return *funcs.begin();
}

namespace {
/// The line that owns a layer's weights: the declaration of a declared
/// layer (the callee of its call-site location), else the op's own line.
Location ownerLocation(Operation *op) {
  if (auto callSite = dyn_cast<CallSiteLoc>(op->getLoc()))
    return callSite.getCallee();
  return op->getLoc();
}

std::vector<int64_t> shapeOf(Type type) {
  auto shape = cast<RankedTensorType>(type).getShape();
  std::vector<int64_t> out;
  for (int64_t d : shape)
    out.push_back(ShapedType::isDynamic(d) ? -1 : d);
  return out;
}

/// Deterministic stand-in parameters for runs without a weights file:
/// uniform in ±1/sqrt(fan_in) like torch's default init, positive variances.
HostTensor pseudoRandom(const std::string &name, const std::vector<int64_t> &shape) {
  HostTensor t{shape, {}};
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  int64_t fanIn = shape.size() > 1 ? count / shape[0] : count;
  float bound = 1.0f / std::sqrt(float(std::max<int64_t>(fanIn, 1)));
  uint64_t state = std::hash<std::string>()(name) | 1;
  bool variance = name.size() > 12 && name.substr(name.size() - 12) == ".running_var";
  t.data.resize(count);
  for (float &v : t.data) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    float unit = float((state >> 40) & 0xffffff) / float(0x1000000); // [0, 1)
    v = variance ? 0.5f + unit : (2 * unit - 1) * bound;
  }
  return t;
}

std::string shapeString(const std::vector<int64_t> &shape) {
  return nn::formatShape(llvm::SmallVector<int64_t>(shape.begin(), shape.end()));
}

class GraphBuilder {
public:
  GraphBuilder(func::FuncOp model, const SafeTensorsFile *weights,
               LoadedTensors &loaded, bool warnUnexpected)
      : model(model), weights(weights), loaded(loaded.byName),
        failedTensors(loaded.failed), warnUnexpected(warnUnexpected) {}

  FailureOr<LayerGraph> build();

private:
  LogicalResult bindParameters(nn::LayerOp layer, Node &node);
  FailureOr<std::shared_ptr<const HostTensor>>
  loadTensor(Operation *op, const std::string &name,
             const std::vector<int64_t> &expected);
  void fillAttributes(Operation *op, Node &node);
  int indexOf(Value value) {
    if (auto arg = dyn_cast<BlockArgument>(value))
      return -int(arg.getArgNumber()) - 1;
    return nodeIndex.at(value.getDefiningOp());
  }

  func::FuncOp model;
  const SafeTensorsFile *weights;
  LayerGraph graph;
  std::map<Operation *, int> nodeIndex;
  std::map<std::string, std::shared_ptr<const HostTensor>> &loaded;
  std::set<std::string> &failedTensors;
  bool warnUnexpected;
  std::set<std::string> owners;  // weights prefixes of applied layers
};
} // namespace

FailureOr<std::shared_ptr<const HostTensor>>
GraphBuilder::loadTensor(Operation *op, const std::string &name,
                         const std::vector<int64_t> &expected) {
  if (auto it = loaded.find(name); it != loaded.end())
    return it->second;  // a declared layer applied again shares its tensors
  if (failedTensors.count(name))
    return failure();   // reported at its first use already
  if (!weights)
    return loaded[name] = std::make_shared<HostTensor>(pseudoRandom(name, expected));
  auto error = [&](const std::string &message) {
    failedTensors.insert(name);
    emitError(ownerLocation(op)) << message;
    return failure();
  };
  auto it = weights->entries().find(name);
  if (it == weights->entries().end())
    return error("missing tensor '" + name + "' (expected shape " +
                 shapeString(expected) + ") in weights file '" +
                 weights->path() + "'");
  const SafeTensorEntry &entry = it->second;
  if (!SafeTensorsFile::isFloatDtype(entry.dtype))
    return error(name + ": dtype " + entry.dtype +
                 " is not supported, expected F32 (F16 and BF16 are converted)");
  if (entry.shape != expected)
    return error(name + ": expected " + shapeString(expected) + ", file has " +
                 shapeString(entry.shape));
  auto tensor = std::make_shared<HostTensor>();
  tensor->shape = expected;
  std::string message;
  if (!weights->read(entry, tensor->data, message))
    return error(name + ": " + message);
  return loaded[name] = tensor;
}

LogicalResult GraphBuilder::bindParameters(nn::LayerOp layer, Node &node) {
  SmallVector<nn::ParameterSpec> specs;
  layer.getParameters(specs);
  auto prefix = layer->getAttrOfType<StringAttr>("weights");
  for (const nn::ParameterSpec &spec : specs) {
    std::string owner = spec.owner.empty() ? prefix.str() : spec.owner;
    owners.insert(owner);
    FailureOr<std::shared_ptr<const HostTensor>> tensor =
        loadTensor(layer, owner + "." + spec.suffix,
                   std::vector<int64_t>(spec.shape.begin(), spec.shape.end()));
    if (failed(tensor))
      return failure();
    // A folded BatchNorm's tensors go under "<its prefix>.<suffix>".
    node.params[spec.owner.empty() ? spec.suffix : owner + "." + spec.suffix] = *tensor;
  }
  return success();
}

/// Folds the BatchNorm recorded on a conv or linear into its weight and
/// bias (see nn-fold-batch-norm): with s = weight / sqrt(var + eps) and
/// t = bias - mean * s per output channel c, W'[c] = W[c] * s[c] and
/// b'[c] = b[c] * s[c] + t[c]. New tensors: the originals may be shared.
static void foldBatchNorm(Operation *op, Node &node) {
  auto owner = op->getAttrOfType<StringAttr>("batch_norm");
  if (!owner)
    return;
  double eps = op->getAttrOfType<FloatAttr>("batch_norm_eps").getValueAsDouble();
  std::string bn = owner.str() + ".";
  auto param = [&](const std::string &suffix) -> const HostTensor * {
    auto it = node.params.find(bn + suffix);
    return it == node.params.end() ? nullptr : it->second.get();
  };
  const HostTensor &mean = *param("running_mean"), &var = *param("running_var");
  const HostTensor *gamma = param("weight"), *beta = param("bias");
  const HostTensor &weight = *node.params.at("weight");
  auto bias = node.params.find("bias");
  int64_t channels = int64_t(mean.data.size());
  int64_t perChannel = int64_t(weight.data.size()) / channels;
  auto folded = std::make_shared<HostTensor>(weight);
  auto foldedBias = std::make_shared<HostTensor>(HostTensor{{channels}, {}});
  foldedBias->data.resize(channels);
  for (int64_t c = 0; c < channels; ++c) {
    double scale = (gamma ? double(gamma->data[c]) : 1.0) /
                   std::sqrt(double(var.data[c]) + eps);
    double shift = (beta ? double(beta->data[c]) : 0.0) - double(mean.data[c]) * scale;
    for (int64_t i = 0; i < perChannel; ++i)
      folded->data[c * perChannel + i] =
          float(double(weight.data[c * perChannel + i]) * scale);
    double b = bias != node.params.end() ? double(bias->second->data[c]) : 0.0;
    foldedBias->data[c] = float(b * scale + shift);
  }
  for (const char *suffix : {"running_mean", "running_var", "weight", "bias"})
    node.params.erase(bn + suffix);
  node.params["weight"] = folded;
  node.params["bias"] = foldedBias;
}

void GraphBuilder::fillAttributes(Operation *op, Node &node) {
  node.opName = nn::getTorchName(op);
  if (auto activations = op->getAttrOfType<ArrayAttr>("activations"))
    for (Attribute a : activations)
      node.activations.push_back(cast<StringAttr>(a).str());
  int64_t rank = op->getNumOperands()
                     ? cast<RankedTensorType>(op->getOperand(0).getType()).getRank()
                     : 0;
  auto normalize = [](int64_t d, int64_t range) { return d < 0 ? d + range : d; };
  auto toVector = [](ArrayRef<int64_t> values) {
    return std::vector<int64_t>(values.begin(), values.end());
  };
  llvm::TypeSwitch<Operation *>(op)
      .Case([&](nn::ConvOp conv) {
        node.kind = NodeKind::Conv;
        int channelDim = rank == int64_t(conv.getKernelSize().size()) + 2 ? 1 : 0;
        node.fixedInputDims = {{channelDim, conv.getInChannels()}};
        node.kernel.assign(conv.getKernelSize().begin(), conv.getKernelSize().end());
        node.stride.assign(conv.getStride().begin(), conv.getStride().end());
        node.paddingLow.assign(conv.getPaddingLow().begin(), conv.getPaddingLow().end());
        node.paddingHigh.assign(conv.getPaddingHigh().begin(), conv.getPaddingHigh().end());
        node.dilation.assign(conv.getDilation().begin(), conv.getDilation().end());
        node.groups = conv.getGroups();
        node.inChannels = conv.getInChannels();
        node.paddingMode = conv.getPaddingMode().str();
      })
      .Case([&](nn::LinearOp linear) {
        node.kind = NodeKind::Linear;
        node.fixedInputDims = {{int(rank) - 1, linear.getInFeatures()}};
      })
      .Case([&](nn::ReluOp) { node.kind = NodeKind::Relu; })
      .Case([&](nn::SigmoidOp) { node.kind = NodeKind::Sigmoid; })
      .Case([&](nn::FlattenOp flatten) {
        node.kind = NodeKind::Flatten;
        node.startDim = rank ? normalize(flatten.getStartDim(), rank) : 0;
        node.endDim = rank ? normalize(flatten.getEndDim(), rank) : 0;
      })
      .Case([&](nn::ActivationOp a) {
        node.kind = NodeKind::Activation;
        node.function = a.getFunction().str();
        node.alpha = a.getAlpha().convertToDouble();
        node.beta = a.getBeta().convertToDouble();
      })
      .Case([&](nn::BinaryOp b) {
        node.kind = NodeKind::Binary;
        node.function = b.getFunction().str();
      })
      .Case([&](nn::ScalarOp b) {
        node.kind = NodeKind::Scalar;
        node.function = b.getFunction().str();
        node.alpha = b.getScalar().convertToDouble();
        node.scalarFirst = b.getScalarFirst();
      })
      .Case([&](nn::SoftmaxOp softmax) {
        node.kind = NodeKind::Softmax;
        node.function = softmax.getLog() ? "log_softmax" : "softmax";
        node.axis = normalize(softmax.getDim(), std::max<int64_t>(rank, 1));
      })
      .Case([&](nn::PoolOp pool) {
        node.kind = NodeKind::Pool;
        node.function = pool.getFunction().str();
        node.kernel = toVector(pool.getKernelSize());
        node.stride = toVector(pool.getStride());
        node.paddingLow = node.paddingHigh = toVector(pool.getPadding());
        node.dilation = toVector(pool.getDilation());
        node.ceilMode = pool.getCeilMode();
        node.countIncludePad = pool.getCountIncludePad();
      })
      .Case([&](nn::AdaptivePoolOp pool) {
        node.kind = NodeKind::AdaptivePool;
        node.function = pool.getFunction().str();
        size_t spatial = pool.getOutputSize().size();
        node.outputSize = toVector(ArrayRef<int64_t>(node.shape).take_back(spatial));
      })
      .Case([&](nn::ReshapeOp) { node.kind = NodeKind::Reshape; })
      .Case([&](nn::PermuteOp permute) {
        node.kind = NodeKind::Permute;
        for (int64_t d : permute.getDims())
          node.dims.push_back(normalize(d, rank));
      })
      .Case([&](nn::ConcatOp concat) {
        node.kind = NodeKind::Concat;
        node.axis = normalize(concat.getDim(), rank);
      })
      .Case([&](nn::MeanOp mean) {
        node.kind = NodeKind::Mean;
        for (int64_t d : mean.getDims())
          node.dims.push_back(normalize(d, rank));
        std::sort(node.dims.begin(), node.dims.end());
        node.keepDim = mean.getKeepdim();
      })
      .Case([&](nn::MatmulOp matmul) {
        node.kind = NodeKind::Matmul;
        int64_t inner =
            cast<RankedTensorType>(matmul.getInput().getType()).getShape().back();
        node.innerSize = ShapedType::isDynamic(inner) ? 0 : inner;
      })
      .Case([&](nn::MultiheadAttentionOp attention) {
        node.kind = NodeKind::MultiheadAttention;
        node.fixedInputDims = {{int(rank) - 1, attention.getEmbedDim()}};
        node.numHeads = attention.getNumHeads();
        node.batchFirst = attention.getBatchFirst();
      })
      .Case([&](nn::LayerNormOp norm) {
        node.kind = NodeKind::LayerNorm;
        node.eps = norm.getEps().convertToDouble();
        node.normalizedRank = int64_t(norm.getNormalizedShape().size());
        for (auto [i, size] : llvm::enumerate(norm.getNormalizedShape()))
          node.fixedInputDims.push_back(
              {int(rank - node.normalizedRank + int64_t(i)), size});
      })
      .Case([&](nn::BatchNormOp norm) {
        node.kind = NodeKind::BatchNorm;
        node.fixedInputDims = {{1, norm.getNumFeatures()}};
        node.eps = norm.getEps().convertToDouble();
        node.useBatchStats = !norm.getTrackRunningStats();
      })
      .Case([&](nn::GroupNormOp norm) {
        node.kind = NodeKind::GroupNorm;
        node.fixedInputDims = {{1, norm.getNumChannels()}};
        node.eps = norm.getEps().convertToDouble();
        node.numGroups = norm.getNumGroups();
      })
      .Default([](Operation *) { llvm_unreachable("every nn op is handled"); });
}

FailureOr<LayerGraph> GraphBuilder::build() {
  graph.name = model.getName().str();
  Block &body = model.getBody().front();
  for (BlockArgument arg : body.getArguments()) {
    ModelInput input;
    input.name = nn::describeValue(arg);
    input.shape = shapeOf(arg.getType());
    auto symbols = model.getArgAttrOfType<ArrayAttr>(arg.getArgNumber(),
                                                     nn::kInputSymbolsAttr);
    for (size_t i = 0; i < input.shape.size(); ++i)
      input.symbols.push_back(symbols ? cast<StringAttr>(symbols[i]).str() : "");
    graph.inputs.push_back(std::move(input));
  }
  bool ok = true;
  for (Operation &op : body.without_terminator()) {
    auto layer = dyn_cast<nn::LayerOp>(op);
    assert(layer && "a model body holds nn layer ops only");
    Node node;
    node.name = layer.getNodeName().str();
    for (Value operand : op.getOperands())
      node.inputs.push_back(indexOf(operand));
    node.shape = shapeOf(op.getResult(0).getType());
    fillAttributes(&op, node);
    if (succeeded(bindParameters(layer, node)))
      foldBatchNorm(&op, node);
    else
      ok = false;
    nodeIndex[&op] = int(graph.nodes.size());
    graph.nodes.push_back(std::move(node));
  }
  if (!ok)
    return failure();
  auto names = model->getAttrOfType<ArrayAttr>(nn::kOutputNamesAttr);
  for (auto [i, value] : llvm::enumerate(body.getTerminator()->getOperands()))
    graph.outputs.push_back(
        {names ? cast<StringAttr>(names[i]).str() : "out" + std::to_string(i),
         indexOf(value)});
  if (weights && warnUnexpected) {
    for (const auto &[name, entry] : weights->entries()) {
      if (loaded.count(name))
        continue;
      size_t dot = name.rfind('.');
      // num_batches_tracked of a BatchNorm is training state: ignored.
      if (dot != std::string::npos && name.substr(dot) == ".num_batches_tracked" &&
          owners.count(name.substr(0, dot)))
        continue;
      emitWarning(model.getLoc())
          << "unexpected tensor '" << name << "' in weights file '"
          << weights->path() << "' is ignored";
    }
  }
  return graph;
}

FailureOr<LayerGraph> layerc::lowering::buildLayerGraph(func::FuncOp model,
                                                        const SafeTensorsFile *weights,
                                                        LoadedTensors &loaded,
                                                        bool warnUnexpected) {
  return GraphBuilder(model, weights, loaded, warnUnexpected).build();
}
