//===- FuseActivations.cpp - activations into their producer's output ----===//
//
// See NNFuseActivations in Passes.td. Ops are visited in order, so a chain
// x -> conv -> relu -> sigmoid ends as conv {activations = ["relu",
// "sigmoid"]}.
//
//===----------------------------------------------------------------------===//
#include "layerc/Dialect/NN/Passes.h"

namespace layerc::nn {
#define GEN_PASS_DEF_NNFUSEACTIVATIONS
#include "layerc/Dialect/NN/Passes.h.inc"
} // namespace layerc::nn

using namespace mlir;
using namespace layerc::nn;

namespace {
/// The name under which `op` joins an `activations` list, or "" when it is
/// not a fusable activation (nn.activation with arguments: leaky_relu,
/// hardtanh).
StringRef fusedName(Operation *op) {
  if (isa<ReluOp, SigmoidOp>(op))
    return op->getName().stripDialect();
  if (auto activation = dyn_cast<ActivationOp>(op))
    if (llvm::is_contained(kActivations, activation.getFunction()))
      return activation.getFunction();
  return "";
}

/// Ops whose output stage applies an `activations` list.
bool takesActivations(Operation *op) {
  std::optional<RegisteredOperationName> info = op->getRegisteredInfo();
  return info && isa<LayerOp>(op) &&
         llvm::any_of(info->getAttributeNames(),
                      [](StringAttr name) { return name == "activations"; });
}

struct FuseActivationsPass
    : public layerc::nn::impl::NNFuseActivationsBase<FuseActivationsPass> {
  void runOnOperation() override {
    SmallVector<Operation *> activations;
    getOperation().walk([&](Operation *op) {
      if (!fusedName(op).empty())
        activations.push_back(op);
    });
    for (Operation *activation : activations) {
      Operation *producer = activation->getOperand(0).getDefiningOp();
      if (!producer || !takesActivations(producer) ||
          !producer->getResult(0).hasOneUse())
        continue;
      SmallVector<Attribute> list;
      if (auto existing = producer->getAttrOfType<ArrayAttr>("activations"))
        list.append(existing.begin(), existing.end());
      list.push_back(StringAttr::get(&getContext(), fusedName(activation)));
      if (auto own = activation->getAttrOfType<ArrayAttr>("activations"))
        list.append(own.begin(), own.end());
      producer->setAttr("activations", ArrayAttr::get(&getContext(), list));
      activation->getResult(0).replaceAllUsesWith(producer->getResult(0));
      activation->erase();
    }
  }
};
} // namespace
