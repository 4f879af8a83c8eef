//===- MLIRGen.h - .nn syntax tree to the nn dialect ------------*- C++ -*-===//
//
// Resolves names, binds arguments to torch signatures and builds one
// `func.func @<model>` of nn ops, each with the FileLineColLoc of its
// statement. Errors go to the context's diagnostic engine.
//
//===----------------------------------------------------------------------===//
#ifndef LAYERC_FRONTEND_MLIRGEN_H
#define LAYERC_FRONTEND_MLIRGEN_H

#include "layerc/Frontend/AST.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace layerc::frontend {

/// The MLIR location of a source position.
mlir::Location toMLIRLocation(mlir::MLIRContext &context, const Location &loc);

/// Builds the module, or returns null after reporting the first error.
mlir::OwningOpRef<mlir::ModuleOp> buildModule(mlir::MLIRContext &context,
                                              const Module &module);

/// Parses `source` (named `fileName` in messages) and builds the module;
/// null after an error.
mlir::OwningOpRef<mlir::ModuleOp> parseAndBuild(mlir::MLIRContext &context,
                                                llvm::StringRef source,
                                                llvm::StringRef fileName);

} // namespace layerc::frontend

#endif // LAYERC_FRONTEND_MLIRGEN_H
