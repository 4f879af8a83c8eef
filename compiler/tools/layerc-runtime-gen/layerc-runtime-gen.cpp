//===- layerc-runtime-gen.cpp - write the Halide runtime object ----------===//
//
// Usage: layerc-runtime-gen TARGET OUT.o
// Every layerc model is compiled without the Halide runtime; applications
// link this one object (inside liblayerc_runtime.a) instead, so several
// models share one runtime without duplicate symbols.
//
//===----------------------------------------------------------------------===//
#include "Halide.h"
#include <cstdio>

int main(int argc, char **argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: layerc-runtime-gen TARGET OUT.o\n");
    return 1;
  }
  try {
    std::string name = argv[1];
    Halide::Target target =
        name == "host" ? Halide::get_host_target() : Halide::Target(name);
    Halide::compile_standalone_runtime(argv[2], target);
  } catch (const Halide::Error &e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
