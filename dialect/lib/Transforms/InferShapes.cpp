//===- InferShapes.cpp - bind size symbols, re-infer result types --------===//
//
// A model's inputs may have symbolic dims (`f32[N, 3, 32, 32]`). This pass
// binds symbols to sizes (`bind="N=2"`), rewrites the input types and then
// recomputes each op's result type from its own shape rule, in order, so the
// whole function becomes static where the bindings reach.
//
//===----------------------------------------------------------------------===//
#include "layerc/Dialect/NN/Passes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringMap.h"

namespace layerc::nn {
#define GEN_PASS_DEF_NNINFERSHAPES
#include "layerc/Dialect/NN/Passes.h.inc"
} // namespace layerc::nn

using namespace mlir;
using namespace layerc::nn;

LogicalResult layerc::nn::reinferResultTypes(func::FuncOp func) {
  WalkResult walk = func.walk([](LayerOp layer) {
    SmallVector<int64_t> shape;
    if (failed(inferResultShape(layer, shape)))
      return WalkResult::interrupt();
    Value result = layer->getResult(0);
    auto type = cast<RankedTensorType>(result.getType());
    result.setType(RankedTensorType::get(shape, type.getElementType()));
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  Operation *terminator = func.getBody().front().getTerminator();
  func.setType(FunctionType::get(func.getContext(),
                                 func.getBody().front().getArgumentTypes(),
                                 terminator->getOperandTypes()));
  return success();
}

namespace {
/// Parses `N=2,L=16` into a map; reports a malformed entry.
FailureOr<llvm::StringMap<int64_t>> parseBindings(StringRef text,
                                                  Location loc) {
  llvm::StringMap<int64_t> bindings;
  SmallVector<StringRef> entries;
  text.split(entries, ',', -1, /*KeepEmpty=*/false);
  for (StringRef entry : entries) {
    auto [symbol, value] = entry.split('=');
    int64_t size;
    if (symbol.trim().empty() || value.trim().getAsInteger(10, size) ||
        size <= 0)
      return emitError(loc) << "bad size binding '" << entry
                            << "', expected SYMBOL=POSITIVE_INTEGER";
    bindings[symbol.trim()] = size;
  }
  return bindings;
}

struct InferShapesPass
    : public layerc::nn::impl::NNInferShapesBase<InferShapesPass> {
  using NNInferShapesBase::NNInferShapesBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    auto bindings = parseBindings(bind, func.getLoc());
    if (failed(bindings))
      return signalPassFailure();
    Block &body = func.getBody().front();
    for (BlockArgument arg : body.getArguments()) {
      auto symbols =
          func.getArgAttrOfType<ArrayAttr>(arg.getArgNumber(), kInputSymbolsAttr);
      auto type = dyn_cast<RankedTensorType>(arg.getType());
      if (!symbols || !type)
        continue;
      SmallVector<int64_t> shape(type.getShape());
      if (symbols.size() != shape.size()) {
        emitError(arg.getLoc()) << kInputSymbolsAttr << " of argument "
                                << arg.getArgNumber() << " has "
                                << symbols.size() << " entries, expected "
                                << shape.size();
        return signalPassFailure();
      }
      for (auto [dim, symbol] : llvm::zip(shape, symbols)) {
        auto name = dyn_cast<StringAttr>(symbol);
        if (!name) {
          emitError(arg.getLoc()) << kInputSymbolsAttr << " of argument "
                                  << arg.getArgNumber()
                                  << " must hold strings, got " << symbol;
          return signalPassFailure();
        }
        auto it = bindings->find(name.getValue());
        if (it != bindings->end() && ShapedType::isDynamic(dim))
          dim = it->second;  // static dims stay as they are
      }
      arg.setType(RankedTensorType::get(shape, type.getElementType()));
    }
    if (failed(reinferResultTypes(func)))
      signalPassFailure();
  }
};
} // namespace
