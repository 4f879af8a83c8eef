//===- DiagnosticPrinter.cpp - FILE:LINE:COL messages with a caret -------===//
#include "DiagnosticPrinter.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include <optional>

using namespace mlir;
using namespace layerc::driver;

DiagnosticPrinter::DiagnosticPrinter(MLIRContext &context, llvm::raw_ostream &os)
    : context(context), os(os) {
  handler = context.getDiagEngine().registerHandler([this](Diagnostic &diag) {
    print(diag.getLocation(), diag.getSeverity(), diag.str());
    for (Diagnostic &note : diag.getNotes())
      print(note.getLocation(), note.getSeverity(), note.str());
    return success();
  });
}

DiagnosticPrinter::~DiagnosticPrinter() {
  context.getDiagEngine().eraseHandler(handler);
}

void DiagnosticPrinter::addSource(const std::string &fileName,
                                  llvm::StringRef text) {
  std::vector<std::string> &lines = sources[fileName];
  llvm::SmallVector<llvm::StringRef> split;
  text.split(split, '\n');
  for (llvm::StringRef line : split)
    lines.push_back(line.rtrim('\r').str());
}

/// The position a location shows: a file position, looking through fused
/// locations (the first position), names and call sites (the callee).
static std::optional<FileLineColLoc> positionOf(Location loc) {
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return file;
  if (auto name = dyn_cast<NameLoc>(loc))
    return positionOf(name.getChildLoc());
  if (auto callSite = dyn_cast<CallSiteLoc>(loc))
    return positionOf(callSite.getCallee());
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location part : fused.getLocations())
      if (auto position = positionOf(part))
        return position;
  return std::nullopt;
}

static const char *severityName(DiagnosticSeverity severity) {
  switch (severity) {
  case DiagnosticSeverity::Error: return "error";
  case DiagnosticSeverity::Warning: return "warning";
  case DiagnosticSeverity::Note: return "note";
  case DiagnosticSeverity::Remark: return "remark";
  }
  return "error";
}

void DiagnosticPrinter::print(Location loc, DiagnosticSeverity severity,
                              llvm::StringRef message) {
  std::optional<FileLineColLoc> position = positionOf(loc);
  if (!position) {
    os << severityName(severity) << ": " << message << "\n";
    return;
  }
  std::string file = position->getFilename().str();
  unsigned line = position->getLine(), col = position->getColumn();
  os << file << ":" << line << ":" << col << ": " << severityName(severity)
     << ": " << message << "\n";
  auto it = sources.find(file);
  if (it != sources.end() && line >= 1 && line <= it->second.size()) {
    const std::string &text = it->second[line - 1];
    os << text << "\n";
    // Columns count characters: skip UTF-8 continuation bytes; keep tabs so
    // the caret lines up.
    std::string caret;
    unsigned column = 1;
    for (size_t i = 0; i < text.size() && column < col; ++i) {
      unsigned char c = text[i];
      if ((c & 0xC0) == 0x80)
        continue;
      caret += c == '\t' ? '\t' : ' ';
      ++column;
    }
    os << caret << "^\n";
  }
  if (auto callSite = dyn_cast<CallSiteLoc>(loc))
    print(callSite.getCaller(), DiagnosticSeverity::Note, "called from");
}
