//===- ir_fuzzer.cpp - nn dialect text through layerc-opt's passes -------===//
//
// Bytes -> MLIR's parser (not ours to fuzz: a parse error ends the input)
// -> the nn verifiers -> the nn passes, as `layerc-opt` runs them.
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

using namespace layerc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz::QuietContext quiet;
  // MLIR's lexer reads up to a NUL after the text, as every file it is
  // given has (MemoryBuffer adds one); libFuzzer's bytes do not: copy them.
  std::string text(reinterpret_cast<const char *>(data), size);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(text, &quiet.context);
  if (!module || mlir::failed(mlir::verify(*module)))
    return 0;
  (void)fuzz::runModelPasses(*module);
  return 0;
}
