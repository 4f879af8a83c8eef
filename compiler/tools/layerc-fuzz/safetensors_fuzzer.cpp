//===- safetensors_fuzzer.cpp - weights files against a fixed model -------===//
//
// Bytes -> the safetensors reader -> binding to the parameters of a small
// model (shape and dtype checks, F16/BF16 conversion), then BatchNorm
// folding on the fused model, as `layerc compile --weights` does.
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"
#include "layerc/Frontend/MLIRGen.h"
#include "layerc/Lowering/BuildGraph.h"

using namespace layerc;

/// One of each kind of parameter: conv and linear weights and biases, a
/// BatchNorm's running statistics (folded into the conv), norm affines.
/// make_seeds.py writes weights for it under the same names.
static const char *const kModel = R"(model fuzzed
input x: f32[1, 3, 8, 8]
conv = Conv2d(3, 4, 3, padding=1)(x)
bn = BatchNorm2d(4)(conv)
act = ReLU()(bn)
gn = GroupNorm(2, 4)(act)
flat = Flatten()(gn)
ln = LayerNorm(256)(flat)
fc = Linear(256, 5)(ln)
output fc
)";

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string error;
  std::unique_ptr<SafeTensorsFile> weights = SafeTensorsFile::parse(
      llvm::MemoryBuffer::getMemBuffer(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz.safetensors", /*RequiresNullTerminator=*/false),
      "fuzz.safetensors", error);
  if (!weights)
    return 0;
  fuzz::QuietContext quiet;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      frontend::parseAndBuild(quiet.context, kModel, "fuzzed.nn");
  if (!module)
    __builtin_trap();  // the fixed model is valid
  lowering::LoadedTensors loaded;
  if (mlir::failed(lowering::buildLayerGraph(
          lowering::getModelFunction(*module), weights.get(), loaded)))
    return 0;
  if (mlir::failed(fuzz::runModelPasses(*module)))
    __builtin_trap();
  (void)lowering::buildLayerGraph(lowering::getModelFunction(*module),
                                  weights.get(), loaded,
                                  /*warnUnexpected=*/false);
  return 0;
}
