//===- Workspace.h - the memory a model call keeps between calls -*- C++ -*-===//
//
// Private to the Halide backend.
//
//===----------------------------------------------------------------------===//
#ifndef LAYERC_HALIDE_WORKSPACE_H
#define LAYERC_HALIDE_WORKSPACE_H

#include "Halide.h"

namespace layerc::halide {

/// The bytes the runtime's block cache (runtime/src/workspace.c) holds
/// after one call of `function` in `module`, the lowered pipeline, run with
/// `threads` threads: the workspace a linked model keeps between calls.
/// -1 when an allocation's size is not known before the call (it depends
/// on a size symbol).
int64_t replayWorkspace(const Halide::Module &module, const std::string &function,
                        int threads);

} // namespace layerc::halide

#endif // LAYERC_HALIDE_WORKSPACE_H
