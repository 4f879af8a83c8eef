//===- layerc.cpp - the layerc compiler driver ---------------------------===//
#include "layerc/Driver/Driver.h"

int main(int argc, char **argv) { return layerc::driver::run(argc, argv); }
