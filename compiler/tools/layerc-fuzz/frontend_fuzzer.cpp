//===- frontend_fuzzer.cpp - .nn bytes through the frontend --------------===//
//
// Bytes -> lexer and parser -> MLIRGen -> verifier -> the passes of `layerc`
// (shape inference, folding, fusion) -> the `check` table. No lowering.
//
//===----------------------------------------------------------------------===//
#include "../../lib/Driver/CheckTable.h"
#include "FuzzSupport.h"
#include "layerc/Frontend/MLIRGen.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"

using namespace layerc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz::QuietContext quiet;
  llvm::StringRef source(reinterpret_cast<const char *>(data), size);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      frontend::parseAndBuild(quiet.context, source, "fuzz.nn");
  if (!module || mlir::failed(mlir::verify(*module)))
    return 0;
  for (auto model : module->getOps<mlir::func::FuncOp>()) {
    std::string table;
    llvm::raw_string_ostream os(table);
    driver::printCheckTable(model, os);
  }
  if (mlir::failed(fuzz::runModelPasses(*module)))
    return 0;
  return 0;
}
