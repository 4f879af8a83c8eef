//===- DiagnosticPrinter.h - FILE:LINE:COL messages with a caret -*- C++ -*-===//
#ifndef LAYERC_DRIVER_DIAGNOSTICPRINTER_H
#define LAYERC_DRIVER_DIAGNOSTICPRINTER_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"
#include <map>
#include <string>
#include <vector>

namespace layerc::driver {

/// The one printer of user diagnostics: every error, warning and note goes
/// out as `FILE:LINE:COL: error: MESSAGE`, then the source line, then a caret
/// under the column (columns count characters, so lines with UTF-8 text keep
/// their caret). A location without a position prints `error: MESSAGE`.
/// Call sites (a declared layer applied later) add `note: called from`.
class DiagnosticPrinter {
public:
  DiagnosticPrinter(mlir::MLIRContext &context, llvm::raw_ostream &os);
  ~DiagnosticPrinter();

  /// Makes `text` the source shown for locations in `fileName`.
  void addSource(const std::string &fileName, llvm::StringRef text);

private:
  void print(mlir::Location loc, mlir::DiagnosticSeverity severity,
             llvm::StringRef message);

  mlir::MLIRContext &context;
  llvm::raw_ostream &os;
  mlir::DiagnosticEngine::HandlerID handler;
  std::map<std::string, std::vector<std::string>> sources;  // file -> lines
};

} // namespace layerc::driver

#endif // LAYERC_DRIVER_DIAGNOSTICPRINTER_H
