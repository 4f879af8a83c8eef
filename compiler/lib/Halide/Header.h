//===- Header.h - the C header of a compiled model --------------*- C++ -*-===//
#ifndef LAYERC_HALIDE_HEADER_H
#define LAYERC_HALIDE_HEADER_H

#include "layerc/Lowering/LayerGraph.h"
#include <string>

namespace layerc::halide {

/// The header `layerc compile` writes: a banner documenting every argument's
/// shape and dtype, Halide's declarations of the buffer entry point, and,
/// when every dim is static, the `<model>_run(const float *, ..., float *)`
/// convenience entry.
std::string makeHeader(const lowering::LayerGraph &graph,
                       const lowering::CompileRequest &request,
                       const std::string &halideHeader);

} // namespace layerc::halide

#endif // LAYERC_HALIDE_HEADER_H
