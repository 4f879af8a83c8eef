//===- FoldBatchNorm.cpp - eval-mode BatchNorm into conv/linear weights ---===//
//
// See NNFoldBatchNorm in Passes.td for the algebra and the conditions. The
// pass only rewrites the IR: the producer records which BatchNorm it
// absorbed, and the weights loader (compiler/lib/Lowering/BuildGraph.cpp)
// computes W' and b' from both tensors sets.
//
//===----------------------------------------------------------------------===//
#include "layerc/Dialect/NN/Passes.h"

namespace layerc::nn {
#define GEN_PASS_DEF_NNFOLDBATCHNORM
#include "layerc/Dialect/NN/Passes.h.inc"
} // namespace layerc::nn

using namespace mlir;
using namespace layerc::nn;

namespace {
/// True when `producer` can absorb a per-channel affine map over dim 1 of
/// its result.
bool canAbsorb(Operation *producer) {
  if (!producer || producer->hasAttr("batch_norm") ||
      producer->hasAttr("activations") || !producer->getResult(0).hasOneUse())
    return false;
  auto type = cast<RankedTensorType>(producer->getResult(0).getType());
  if (auto conv = dyn_cast<ConvOp>(producer))
    return type.getRank() == int64_t(conv.getKernelSize().size()) + 2;
  return isa<LinearOp>(producer) && type.getRank() == 2;
}

struct FoldBatchNormPass
    : public layerc::nn::impl::NNFoldBatchNormBase<FoldBatchNormPass> {
  void runOnOperation() override {
    SmallVector<BatchNormOp> norms;
    getOperation().walk([&](BatchNormOp norm) { norms.push_back(norm); });
    for (BatchNormOp norm : norms) {
      Operation *producer = norm.getInput().getDefiningOp();
      if (!norm.getTrackRunningStats() || norm->hasAttr("activations") ||
          !canAbsorb(producer))
        continue;
      Builder b(&getContext());
      producer->setAttr("batch_norm", norm.getWeightsAttr());
      producer->setAttr("batch_norm_eps", norm.getEpsAttr());
      producer->setAttr("batch_norm_affine", b.getBoolAttr(norm.getAffine()));
      norm.getResult().replaceAllUsesWith(producer->getResult(0));
      norm.erase();
    }
  }
};
} // namespace
