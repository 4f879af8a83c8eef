//===- NNOps.cpp - shape rules, parameters and folds of nn ops -----------===//
//
// Each op's inferOutputShape is the one place where its argument rules live
// (SPEC §1.6): the verifier, the frontend and `layerc check` all call it.
// Messages name the expected and the actual value and the input by its
// source name.
//
//===----------------------------------------------------------------------===//
#include "layerc/Dialect/NN/NNDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace layerc::nn;

#define GET_OP_CLASSES
#include "layerc/Dialect/NN/NNOps.cpp.inc"

namespace {
/// Shape of the op's (single) tensor input.
ArrayRef<int64_t> inputShape(Operation *op) {
  return cast<RankedTensorType>(op->getOperand(0).getType()).getShape();
}

/// `input 'x'` for messages.
std::string inputDesc(Operation *op) {
  return "input '" + describeValue(op->getOperand(0)) + "'";
}

/// Checks a per-spatial-dim tuple: `rank` entries, each >= minValue.
LogicalResult checkSpatialTuple(Operation *op, StringRef name,
                                ArrayRef<int64_t> values, size_t rank,
                                int64_t minValue, StringRef argument) {
  if (values.size() != rank)
    return emitLayerError(op, argument) << name << " must have " << rank
                             << " entries (one per spatial dim), got "
                             << values.size();
  for (int64_t v : values)
    if (v > kMaxTensorSize)
      return emitLayerError(op, argument) << name << " must be at most "
                                          << kMaxTensorSize << ", got " << v;
  for (int64_t v : values)
    if (v < minValue)
      return emitLayerError(op, argument)
             << name << " must be " << (minValue == 0 ? ">= 0" : "positive")
             << ", got " << v;
  return success();
}

LogicalResult checkPositive(Operation *op, StringRef name, int64_t value,
                            StringRef argument) {
  if (value <= 0)
    return emitLayerError(op, argument)
           << name << " must be positive, got " << value;
  if (value > kMaxTensorSize)
    return emitLayerError(op, argument)
           << name << " must be at most " << kMaxTensorSize << ", got " << value;
  return success();
}

LogicalResult checkDivisible(Operation *op, StringRef name, int64_t value,
                             StringRef divisorName, int64_t divisor) {
  if (value % divisor != 0)
    return emitLayerError(op, divisorName) << name << " (" << value
                             << ") must be divisible by " << divisorName << " ("
                             << divisor << ")";
  return success();
}

/// Checks that a static dim equals `expected`; a dynamic one is checked at
/// run time by the generated code.
LogicalResult checkDim(Operation *op, int64_t actual, int64_t expected,
                       StringRef what) {
  if (!ShapedType::isDynamic(actual) && actual != expected)
    return emitLayerError(op, "input") << "expects " << expected << " " << what << ", "
                             << inputDesc(op) << " has " << actual;
  return success();
}

LogicalResult checkRank(Operation *op, ArrayRef<int64_t> allowed,
                        StringRef note = "") {
  size_t rank = inputShape(op).size();
  if (llvm::is_contained(allowed, int64_t(rank)))
    return success();
  InFlightDiagnostic diag = emitLayerError(op, "input")
                            << "expects an input of rank ";
  llvm::interleave(allowed, diag, " or ");
  if (!note.empty())
    diag << " " << note;
  return diag << ", " << inputDesc(op) << " has rank " << rank;
}

LogicalResult checkMinRank(Operation *op, size_t minRank, StringRef note) {
  size_t rank = inputShape(op).size();
  if (rank >= minRank)
    return success();
  return emitLayerError(op, "input") << "expects an input of rank >= " << minRank << " "
                           << note << ", " << inputDesc(op) << " has rank "
                           << rank;
}

/// Product of dims, or kDynamic when one is dynamic.
int64_t product(ArrayRef<int64_t> dims) {
  int64_t result = 1;
  for (int64_t d : dims) {
    if (ShapedType::isDynamic(d))
      return ShapedType::kDynamic;
    result *= d;
  }
  return result;
}
/// The tensors of a BatchNorm folded into a conv or linear (see
/// nn-fold-batch-norm), read under the BatchNorm's own prefix.
void appendFoldedBatchNorm(Operation *op, int64_t channels,
                           SmallVectorImpl<ParameterSpec> &params) {
  auto owner = op->getAttrOfType<StringAttr>("batch_norm");
  if (!owner)
    return;
  auto affine = op->getAttrOfType<BoolAttr>("batch_norm_affine");
  SmallVector<std::string> suffixes{"running_mean", "running_var"};
  if (affine && affine.getValue())
    suffixes.append({"weight", "bias"});
  for (const std::string &suffix : suffixes)
    params.push_back({suffix, {channels}, owner.str()});
}
} // namespace

//===----------------------------------------------------------------------===//
// ConvOp
//===----------------------------------------------------------------------===//

LogicalResult ConvOp::inferOutputShape(SmallVectorImpl<int64_t> &shape) {
  Operation *op = getOperation();
  size_t rank = getKernelSize().size();
  if (rank < 1 || rank > 3)
    return emitLayerError(op, "kernel_size")
           << "kernel_size must have 1 to 3 entries, got "
                         << rank;
  if (failed(checkSpatialTuple(op, "kernel_size", getKernelSize(), rank, 1,
                               "kernel_size")) ||
      failed(checkSpatialTuple(op, "stride", getStride(), rank, 1, "stride")) ||
      failed(checkSpatialTuple(op, "padding_low", getPaddingLow(), rank, 0,
                               "padding")) ||
      failed(checkSpatialTuple(op, "padding_high", getPaddingHigh(), rank, 0,
                               "padding")) ||
      failed(checkSpatialTuple(op, "dilation", getDilation(), rank, 1,
                               "dilation")) ||
      failed(checkPositive(op, "in_channels", getInChannels(), "in_channels")) ||
      failed(checkPositive(op, "out_channels", getOutChannels(),
                           "out_channels")) ||
      failed(checkPositive(op, "groups", getGroups(), "groups")) ||
      failed(checkDivisible(op, "in_channels", getInChannels(), "groups",
                            getGroups())) ||
      failed(checkDivisible(op, "out_channels", getOutChannels(), "groups",
                            getGroups())))
    return failure();
  StringRef mode = getPaddingMode();
  if (!llvm::is_contained({"zeros", "reflect", "replicate", "circular"}, mode))
    return emitLayerError(op, "padding_mode")
           << "padding_mode must be 'zeros', 'reflect', "
                            "'replicate' or 'circular', got '"
                         << mode << "'";
  if (failed(checkRank(op, {int64_t(rank) + 1, int64_t(rank) + 2},
                       "(unbatched or batched)")))
    return failure();
  ArrayRef<int64_t> in = inputShape(op);
  bool batched = in.size() == rank + 2;
  size_t channelDim = batched ? 1 : 0;
  if (failed(checkDim(op, in[channelDim], getInChannels(), "input channels")))
    return failure();

  shape.clear();
  if (batched)
    shape.push_back(in[0]);
  shape.push_back(getOutChannels());
  for (size_t i = 0; i < rank; ++i) {
    int64_t size = in[channelDim + 1 + i];
    if (ShapedType::isDynamic(size)) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    int64_t lo = getPaddingLow()[i], hi = getPaddingHigh()[i];
    if (mode == "reflect" && std::max(lo, hi) >= size)
      return emitLayerError(op, "padding") << "reflect padding (" << std::max(lo, hi)
                           << ") must be smaller than the input size (" << size
                           << ") of spatial dim " << i;
    if (mode == "circular" && std::max(lo, hi) > size)
      return emitLayerError(op, "padding") << "circular padding (" << std::max(lo, hi)
                           << ") must not exceed the input size (" << size
                           << ") of spatial dim " << i;
    int64_t k = getKernelSize()[i], d = getDilation()[i], s = getStride()[i];
    int64_t span = size + lo + hi - d * (k - 1) - 1;
    if (span < 0)
      return emitLayerError(getOperation()) << "output size of spatial dim " << i
                           << " is not positive: input size " << size
                           << " + padding " << lo + hi
                           << " is smaller than the dilated kernel "
                           << d * (k - 1) + 1;
    shape.push_back(span / s + 1);
  }
  return success();
}

void ConvOp::getParameters(SmallVectorImpl<ParameterSpec> &params) {
  ParameterSpec weight{"weight",
                       {getOutChannels(), getInChannels() / getGroups()}};
  weight.shape.append(getKernelSize().begin(), getKernelSize().end());
  params.push_back(weight);
  if (getBias())
    params.push_back({"bias", {getOutChannels()}});
  appendFoldedBatchNorm(getOperation(), getOutChannels(), params);
}

//===----------------------------------------------------------------------===//
// LinearOp
//===----------------------------------------------------------------------===//

LogicalResult LinearOp::inferOutputShape(SmallVectorImpl<int64_t> &shape) {
  Operation *op = getOperation();
  if (failed(checkPositive(op, "in_features", getInFeatures(), "in_features")) ||
      failed(checkPositive(op, "out_features", getOutFeatures(),
                           "out_features")) ||
      failed(checkMinRank(op, 1, "(features last)")))
    return failure();
  ArrayRef<int64_t> in = inputShape(op);
  if (failed(checkDim(op, in.back(), getInFeatures(), "input features")))
    return failure();
  shape.assign(in.begin(), in.end());
  shape.back() = getOutFeatures();
  return success();
}

void LinearOp::getParameters(SmallVectorImpl<ParameterSpec> &params) {
  params.push_back({"weight", {getOutFeatures(), getInFeatures()}});
  if (getBias())
    params.push_back({"bias", {getOutFeatures()}});
  appendFoldedBatchNorm(getOperation(), getOutFeatures(), params);
}

//===----------------------------------------------------------------------===//
// LayerNormOp
//===----------------------------------------------------------------------===//

LogicalResult LayerNormOp::inferOutputShape(SmallVectorImpl<int64_t> &shape) {
  Operation *op = getOperation();
  ArrayRef<int64_t> normalized = getNormalizedShape();
  if (normalized.empty())
    return emitLayerError(op, "normalized_shape")
           << "normalized_shape must not be empty";
  for (int64_t d : normalized)
    if (failed(checkPositive(op, "every normalized_shape entry", d,
                             "normalized_shape")))
      return failure();
  if (failed(checkMinRank(op, normalized.size(),
                          "(the length of normalized_shape)")))
    return failure();
  ArrayRef<int64_t> in = inputShape(op);
  ArrayRef<int64_t> trailing = in.take_back(normalized.size());
  for (auto [actual, expected] : llvm::zip(trailing, normalized))
    if (!ShapedType::isDynamic(actual) && actual != expected)
      return emitLayerError(op, "normalized_shape")
             << "normalized_shape " << formatShape(normalized)
                           << " does not match the trailing dims "
                           << formatShape(trailing) << " of " << inputDesc(op);
  shape.assign(in.begin(), in.end());
  return success();
}

void LayerNormOp::getParameters(SmallVectorImpl<ParameterSpec> &params) {
  SmallVector<int64_t> shape(getNormalizedShape());
  if (getElementwiseAffine()) {
    params.push_back({"weight", shape});
    if (getBias())
      params.push_back({"bias", shape});
  }
}

//===----------------------------------------------------------------------===//
// BatchNormOp
//===----------------------------------------------------------------------===//

LogicalResult BatchNormOp::inferOutputShape(SmallVectorImpl<int64_t> &shape) {
  Operation *op = getOperation();
  int64_t dim = getDim();
  if (dim < 1 || dim > 3)
    return emitLayerError(getOperation()) << "dim must be 1, 2 or 3 (BatchNorm1d/2d/3d), got "
                         << dim;
  SmallVector<int64_t> ranks =
      dim == 1 ? SmallVector<int64_t>{2, 3} : SmallVector<int64_t>{dim + 2};
  if (failed(checkPositive(op, "num_features", getNumFeatures(),
                           "num_features")) ||
      failed(checkRank(op, ranks)))
    return failure();
  ArrayRef<int64_t> in = inputShape(op);
  if (failed(checkDim(op, in[1], getNumFeatures(), "channels (num_features)")))
    return failure();
  if (!getTrackRunningStats()) {
    SmallVector<int64_t> perChannel{in[0]};
    perChannel.append(in.begin() + 2, in.end());
    if (product(perChannel) == 1)
      return emitLayerError(getOperation(), "input")
             << "batch statistics need more than 1 value per channel, "
             << inputDesc(op) << " of shape " << formatShape(in) << " has 1";
  }
  shape.assign(in.begin(), in.end());
  return success();
}

void BatchNormOp::getParameters(SmallVectorImpl<ParameterSpec> &params) {
  if (getAffine()) {
    params.push_back({"weight", {getNumFeatures()}});
    params.push_back({"bias", {getNumFeatures()}});
  }
  if (getTrackRunningStats()) {
    params.push_back({"running_mean", {getNumFeatures()}});
    params.push_back({"running_var", {getNumFeatures()}});
  }
}

//===----------------------------------------------------------------------===//
// GroupNormOp
//===----------------------------------------------------------------------===//

LogicalResult GroupNormOp::inferOutputShape(SmallVectorImpl<int64_t> &shape) {
  Operation *op = getOperation();
  if (failed(checkPositive(op, "num_groups", getNumGroups(), "num_groups")) ||
      failed(checkPositive(op, "num_channels", getNumChannels(),
                           "num_channels")) ||
      failed(checkDivisible(op, "num_channels", getNumChannels(), "num_groups",
                            getNumGroups())) ||
      failed(checkMinRank(op, 2, "(N, C, *)")))
    return failure();
  ArrayRef<int64_t> in = inputShape(op);
  if (failed(checkDim(op, in[1], getNumChannels(), "channels (num_channels)")))
    return failure();
  shape.assign(in.begin(), in.end());
  return success();
}

void GroupNormOp::getParameters(SmallVectorImpl<ParameterSpec> &params) {
  if (getAffine()) {
    params.push_back({"weight", {getNumChannels()}});
    params.push_back({"bias", {getNumChannels()}});
  }
}

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

LogicalResult ReluOp::inferOutputShape(SmallVectorImpl<int64_t> &shape) {
  ArrayRef<int64_t> in = inputShape(getOperation());
  shape.assign(in.begin(), in.end());
  return success();
}

/// relu(relu(x)) = relu(x).
OpFoldResult ReluOp::fold(FoldAdaptor) {
  auto inner = getInput().getDefiningOp<ReluOp>();
  if (inner && !getActivations() && !inner.getActivations())
    return getInput();
  return {};
}

LogicalResult SigmoidOp::inferOutputShape(SmallVectorImpl<int64_t> &shape) {
  ArrayRef<int64_t> in = inputShape(getOperation());
  shape.assign(in.begin(), in.end());
  return success();
}

//===----------------------------------------------------------------------===//
// FlattenOp
//===----------------------------------------------------------------------===//

LogicalResult FlattenOp::inferOutputShape(SmallVectorImpl<int64_t> &shape) {
  ArrayRef<int64_t> in = inputShape(getOperation());
  int64_t rank = in.size();
  // A scalar accepts dims -1 and 0, as in torch, and becomes a 1-element
  // vector.
  int64_t range = std::max<int64_t>(rank, 1);
  auto normalize = [&](int64_t dim) { return dim < 0 ? dim + range : dim; };
  int64_t start = normalize(getStartDim()), end = normalize(getEndDim());
  for (auto [name, given, dim] : {std::tuple{"start_dim", getStartDim(), start},
                                  std::tuple{"end_dim", getEndDim(), end}})
    if (dim < 0 || dim >= range)
      return emitLayerError(getOperation(), name) << name << " (" << given
                           << ") is out of range for " << inputDesc(getOperation())
                           << " of rank " << rank;
  if (rank == 0) {
    shape.assign({1});
    return success();
  }
  if (start > end)
    return emitLayerError(getOperation(), "start_dim")
           << "start_dim (" << getStartDim()
                         << ") must not come after end_dim (" << getEndDim()
                         << ")";
  shape.assign(in.begin(), in.begin() + start);
  shape.push_back(product(in.slice(start, end - start + 1)));
  shape.append(in.begin() + end + 1, in.end());
  return success();
}

/// Flattening a single dim changes nothing.
OpFoldResult FlattenOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// SPEC §1.5 ops
//===----------------------------------------------------------------------===//

namespace {
ArrayRef<int64_t> shapeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

/// `dim` counted from the end when negative; fails unless in [0, rank).
FailureOr<int64_t> normalizeDim(Operation *op, StringRef argument, int64_t dim,
                                int64_t rank, StringRef what) {
  int64_t normalized = dim < 0 ? dim + rank : dim;
  if (normalized < 0 || normalized >= rank)
    return emitLayerError(op, argument)
           << what << " (" << dim << ") is out of range for " << inputDesc(op)
           << " of rank " << rank << " (expected " << -rank << " to "
           << rank - 1 << ")";
  return normalized;
}

/// NumPy broadcasting of two shapes (trailing dims aligned). A dynamic dim
/// against a static one (not 1) takes the static size; against 1 it stays
/// dynamic.
LogicalResult broadcastShapes(Operation *op, ArrayRef<int64_t> a,
                              ArrayRef<int64_t> b, StringRef aName,
                              StringRef bName, SmallVectorImpl<int64_t> &shape) {
  size_t rank = std::max(a.size(), b.size());
  shape.assign(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t x = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t y = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    bool dynX = ShapedType::isDynamic(x), dynY = ShapedType::isDynamic(y);
    if (!dynX && !dynY && x != y && x != 1 && y != 1)
      return emitLayerError(op) << "cannot broadcast " << aName << " of shape "
                                << formatShape(a) << " with " << bName
                                << " of shape " << formatShape(b) << ": dim "
                                << int64_t(i) - int64_t(rank) << " is " << x
                                << " vs " << y;
    if (dynX && dynY)
      shape[i] = ShapedType::kDynamic;
    else if (dynX)
      shape[i] = y == 1 ? ShapedType::kDynamic : y;
    else if (dynY)
      shape[i] = x == 1 ? ShapedType::kDynamic : x;
    else
      shape[i] = std::max(x, y);
  }
  return success();
}

LogicalResult checkFunction(Operation *op, StringRef function,
                            ArrayRef<StringRef> allowed) {
  if (llvm::is_contained(allowed, function))
    return success();
  InFlightDiagnostic diag = emitLayerError(op) << "unknown function '"
                                               << function << "' (expected ";
  llvm::interleave(allowed, diag, ", ");
  return diag << ")";
}

/// Output size of a pooling window along one dim, as torch computes it
/// (division rounding down, also for a negative span); < 1 when no window
/// fits.
int64_t pooledSize(int64_t size, int64_t k, int64_t s, int64_t p, int64_t d,
                   bool ceilMode) {
  int64_t span = size + 2 * p - d * (k - 1) - 1 + (ceilMode ? s - 1 : 0);
  int64_t out = (span >= 0 ? span / s : -((-span + s - 1) / s)) + 1;
  if (ceilMode && (out - 1) * s >= size + p)
    --out;  // the last window would start in the right padding
  return out;
}

/// Rank of a pooling op's input: (C, *spatial) or (N, C, *spatial).
LogicalResult checkPoolRank(Operation *op, size_t spatialRank) {
  return checkRank(op, {int64_t(spatialRank) + 1, int64_t(spatialRank) + 2},
                   "(unbatched or batched)");
}
} // namespace

LogicalResult ActivationOp::inferOutputShape(SmallVectorImpl<int64_t> &shape) {
  SmallVector<StringRef> functions(std::begin(kActivationFunctions),
                                   std::end(kActivationFunctions));
  if (failed(checkFunction(getOperation(), getFunction(), functions)))
    return failure();
  if (getFunction() == "hardtanh" && getAlpha().convertToDouble() >= getBeta().convertToDouble())
    return emitLayerError(getOperation(), "max_val")
           << "max_val (" << formatNumber(getBeta().convertToDouble())
           << ") must be greater than min_val ("
           << formatNumber(getAlpha().convertToDouble()) << ")";
  ArrayRef<int64_t> in = inputShape(getOperation());
  shape.assign(in.begin(), in.end());
  return success();
}

static constexpr StringRef kArithmetic[] = {"add", "sub", "mul", "div"};

LogicalResult BinaryOp::inferOutputShape(SmallVectorImpl<int64_t> &shape) {
  Operation *op = getOperation();
  if (failed(checkFunction(op, getFunction(), kArithmetic)))
    return failure();
  return broadcastShapes(op, shapeOf(getInput()), shapeOf(getOther()),
                         "'" + describeValue(getInput()) + "'",
                         "'" + describeValue(getOther()) + "'", shape);
}

LogicalResult ScalarOp::inferOutputShape(SmallVectorImpl<int64_t> &shape) {
  if (failed(checkFunction(getOperation(), getFunction(), kArithmetic)))
    return failure();
  ArrayRef<int64_t> in = inputShape(getOperation());
  shape.assign(in.begin(), in.end());
  return success();
}

LogicalResult SoftmaxOp::inferOutputShape(SmallVectorImpl<int64_t> &shape) {
  ArrayRef<int64_t> in = inputShape(getOperation());
  // A scalar has one dim for softmax's purposes (dims -1 and 0), as in torch.
  if (failed(normalizeDim(getOperation(), "dim", getDim(),
                          std::max<int64_t>(in.size(), 1), "dim")))
    return failure();
  shape.assign(in.begin(), in.end());
  return success();
}

LogicalResult PoolOp::inferOutputShape(SmallVectorImpl<int64_t> &shape) {
  Operation *op = getOperation();
  size_t rank = getKernelSize().size();
  if (rank < 1 || rank > 3)
    return emitLayerError(op, "kernel_size")
           << "kernel_size must have 1 to 3 entries, got " << rank;
  if (failed(checkFunction(op, getFunction(), {"max", "avg"})) ||
      failed(checkSpatialTuple(op, "kernel_size", getKernelSize(), rank, 1,
                               "kernel_size")) ||
      failed(checkSpatialTuple(op, "stride", getStride(), rank, 1, "stride")) ||
      failed(checkSpatialTuple(op, "padding", getPadding(), rank, 0, "padding")) ||
      failed(checkSpatialTuple(op, "dilation", getDilation(), rank, 1,
                               "dilation")))
    return failure();
  bool isMax = getFunction() == "max";
  if (!isMax && llvm::any_of(getDilation(), [](int64_t d) { return d != 1; }))
    return emitLayerError(op, "dilation") << "dilation must be 1 for average pooling";
  for (size_t i = 0; i < rank; ++i) {
    int64_t effective = getDilation()[i] * (getKernelSize()[i] - 1) + 1;
    if (effective > kMaxTensorSize)
      return emitLayerError(op, "dilation")
             << "the dilated window (" << effective << ") of spatial dim " << i
             << " exceeds " << kMaxTensorSize;
    int64_t limit = getKernelSize()[i] / 2;  // torch's limit, dilated or not
    if (getPadding()[i] > limit)
      return emitLayerError(op, "padding")
             << "padding (" << getPadding()[i]
             << ") must be at most half the kernel size (" << limit
             << ") in spatial dim " << i;
  }
  if (failed(checkPoolRank(op, rank)))
    return failure();
  ArrayRef<int64_t> in = inputShape(op);
  size_t first = in.size() - rank;
  shape.assign(in.begin(), in.begin() + first);
  for (size_t i = 0; i < rank; ++i) {
    int64_t size = in[first + i];
    if (ShapedType::isDynamic(size)) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    int64_t out = pooledSize(size, getKernelSize()[i], getStride()[i],
                             getPadding()[i], getDilation()[i], getCeilMode());
    if (out <= 0)
      return emitLayerError(op, "kernel_size")
             << "window of spatial dim " << i << " (kernel "
             << getKernelSize()[i] << ", dilation " << getDilation()[i]
             << ") is larger than the padded input (" << size << " + 2·"
             << getPadding()[i] << ") of " << inputDesc(op) << " of shape "
             << formatShape(in);
    shape.push_back(out);
  }
  return success();
}

LogicalResult AdaptivePoolOp::inferOutputShape(SmallVectorImpl<int64_t> &shape) {
  Operation *op = getOperation();
  size_t rank = getOutputSize().size();
  if (rank < 1 || rank > 3)
    return emitLayerError(op, "output_size")
           << "output_size must have 1 to 3 entries, got " << rank;
  if (failed(checkFunction(op, getFunction(), {"max", "avg"})))
    return failure();
  for (int64_t size : getOutputSize())
    if (size != -1 && failed(checkPositive(op, "every output_size entry", size,
                                           "output_size")))
      return failure();
  if (failed(checkPoolRank(op, rank)))
    return failure();
  ArrayRef<int64_t> in = inputShape(op);
  size_t first = in.size() - rank;
  shape.assign(in.begin(), in.end());
  for (size_t i = 0; i < rank; ++i)
    if (getOutputSize()[i] != -1)
      shape[first + i] = getOutputSize()[i];
  return success();
}

LogicalResult ReshapeOp::inferOutputShape(SmallVectorImpl<int64_t> &shape) {
  Operation *op = getOperation();
  ArrayRef<int64_t> in = inputShape(op);
  int64_t inferred = -1, known = 1;
  for (auto [i, size] : llvm::enumerate(getShape())) {
    if (size == -1) {
      if (inferred >= 0)
        return emitLayerError(op, "shape") << "shape " << formatShape(getShape())
                                           << " has more than one -1";
      inferred = int64_t(i);
    } else if (failed(checkPositive(op, "every shape entry other than -1", size,
                                    "shape"))) {
      return failure();
    } else if (__builtin_mul_overflow(known, size, &known) ||
               known > kMaxTensorSize) {
      return emitLayerError(op, "shape") << "shape " << formatShape(getShape())
                                         << " has more than " << kMaxTensorSize
                                         << " elements";
    }
  }
  int64_t count = product(in);
  shape.assign(getShape().begin(), getShape().end());
  if (ShapedType::isDynamic(count)) {
    if (inferred < 0)
      return emitLayerError(op, "shape")
             << "shape " << formatShape(getShape())
             << " needs a -1 entry for the dynamic size of " << inputDesc(op)
             << " of shape " << formatShape(in);
    shape[inferred] = ShapedType::kDynamic;
    return success();
  }
  if (inferred >= 0 ? count % known != 0 : count != known)
    return emitLayerError(op, "shape")
           << inputDesc(op) << " of shape " << formatShape(in) << " (" << count
           << " elements) cannot take the shape " << formatShape(getShape());
  if (inferred >= 0)
    shape[inferred] = count / known;
  return success();
}

LogicalResult PermuteOp::inferOutputShape(SmallVectorImpl<int64_t> &shape) {
  Operation *op = getOperation();
  ArrayRef<int64_t> in = inputShape(op);
  if (getDims().size() != in.size())
    return emitLayerError(op, "dims") << "dims " << formatShape(getDims())
                                      << " must have one entry per dim of "
                                      << inputDesc(op) << " of rank " << in.size();
  SmallVector<bool> seen(in.size(), false);
  shape.clear();
  for (int64_t dim : getDims()) {
    FailureOr<int64_t> d = normalizeDim(op, "dims", dim, in.size(), "dim");
    if (failed(d))
      return failure();
    if (seen[*d])
      return emitLayerError(op, "dims") << "dims " << formatShape(getDims())
                                        << " repeat dim " << *d;
    seen[*d] = true;
    shape.push_back(in[*d]);
  }
  return success();
}

LogicalResult ConcatOp::inferOutputShape(SmallVectorImpl<int64_t> &shape) {
  Operation *op = getOperation();
  if (getInputs().empty())
    return emitLayerError(op) << "needs at least one tensor";
  ArrayRef<int64_t> first = shapeOf(getInputs()[0]);
  FailureOr<int64_t> dim = normalizeDim(op, "dim", getDim(), first.size(), "dim");
  if (failed(dim))
    return failure();
  shape.assign(first.begin(), first.end());
  for (Value input : getInputs().drop_front()) {
    ArrayRef<int64_t> next = shapeOf(input);
    auto mismatch = [&]() {
      return emitLayerError(op)
             << "tensors must match except in dim " << *dim << ": '"
             << describeValue(getInputs()[0]) << "' has shape "
             << formatShape(first) << ", '" << describeValue(input)
             << "' has shape " << formatShape(next);
    };
    if (next.size() != first.size())
      return mismatch();
    for (size_t i = 0; i < first.size(); ++i) {
      if (int64_t(i) == *dim) {
        shape[i] = ShapedType::isDynamic(shape[i]) || ShapedType::isDynamic(next[i])
                       ? ShapedType::kDynamic
                       : shape[i] + next[i];
        continue;
      }
      if (!ShapedType::isDynamic(first[i]) && !ShapedType::isDynamic(next[i]) &&
          first[i] != next[i])
        return mismatch();
      if (ShapedType::isDynamic(shape[i]))
        shape[i] = next[i];
    }
  }
  return success();
}

LogicalResult MeanOp::inferOutputShape(SmallVectorImpl<int64_t> &shape) {
  Operation *op = getOperation();
  ArrayRef<int64_t> in = inputShape(op);
  SmallVector<bool> reduced(in.size(), false);
  if (getDims().empty())
    return emitLayerError(op, "dim") << "needs at least one dim";
  for (int64_t dim : getDims()) {
    FailureOr<int64_t> d = normalizeDim(op, "dim", dim, in.size(), "dim");
    if (failed(d))
      return failure();
    if (reduced[*d])
      return emitLayerError(op, "dim") << "dim " << *d << " appears twice";
    reduced[*d] = true;
  }
  shape.clear();
  for (size_t i = 0; i < in.size(); ++i)
    if (!reduced[i])
      shape.push_back(in[i]);
    else if (getKeepdim())
      shape.push_back(1);
  return success();
}

LogicalResult MatmulOp::inferOutputShape(SmallVectorImpl<int64_t> &shape) {
  Operation *op = getOperation();
  ArrayRef<int64_t> a = shapeOf(getInput()), b = shapeOf(getOther());
  std::string aName = "'" + describeValue(getInput()) + "'",
              bName = "'" + describeValue(getOther()) + "'";
  if (a.empty() || b.empty())
    return emitLayerError(op) << "needs operands of rank >= 1, " << aName
                              << " has rank " << a.size() << " and " << bName
                              << " rank " << b.size();
  int64_t inner = a.back(), otherInner = b.size() == 1 ? b[0] : b[b.size() - 2];
  if (!ShapedType::isDynamic(inner) && !ShapedType::isDynamic(otherInner) &&
      inner != otherInner)
    return emitLayerError(op) << "inner dims differ: " << aName << " of shape "
                              << formatShape(a) << " has " << inner << ", "
                              << bName << " of shape " << formatShape(b)
                              << " has " << otherInner;
  ArrayRef<int64_t> aBatch = a.size() > 2 ? a.drop_back(2) : ArrayRef<int64_t>();
  ArrayRef<int64_t> bBatch = b.size() > 2 ? b.drop_back(2) : ArrayRef<int64_t>();
  if (failed(broadcastShapes(op, aBatch, bBatch, aName, bName, shape)))
    return failure();
  if (a.size() >= 2)
    shape.push_back(a[a.size() - 2]);
  if (b.size() >= 2)
    shape.push_back(b.back());
  return success();
}

LogicalResult MultiheadAttentionOp::inferOutputShape(SmallVectorImpl<int64_t> &shape) {
  Operation *op = getOperation();
  if (failed(checkPositive(op, "embed_dim", getEmbedDim(), "embed_dim")) ||
      failed(checkPositive(op, "num_heads", getNumHeads(), "num_heads")) ||
      failed(checkDivisible(op, "embed_dim", getEmbedDim(), "num_heads",
                            getNumHeads())) ||
      failed(checkRank(op, {2, 3}, "(unbatched (L, E) or batched)")))
    return failure();
  ArrayRef<int64_t> in = inputShape(op);
  if (failed(checkDim(op, in.back(), getEmbedDim(), "features (embed_dim)")))
    return failure();
  shape.assign(in.begin(), in.end());
  return success();
}

void MultiheadAttentionOp::getParameters(SmallVectorImpl<ParameterSpec> &params) {
  int64_t e = getEmbedDim();
  params.push_back({"in_proj_weight", {3 * e, e}});
  if (getBias())
    params.push_back({"in_proj_bias", {3 * e}});
  params.push_back({"out_proj.weight", {e, e}});
  if (getBias())
    params.push_back({"out_proj.bias", {e}});
}
