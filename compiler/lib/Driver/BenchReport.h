//===- BenchReport.h - what `layerc bench` prints ---------------*- C++ -*-===//
#ifndef LAYERC_DRIVER_BENCHREPORT_H
#define LAYERC_DRIVER_BENCHREPORT_H

#include "MachinePeak.h"
#include "layerc/Lowering/LayerGraph.h"
#include "llvm/Support/raw_ostream.h"

namespace layerc::driver {

struct BenchReport {
  const lowering::LayerGraph *graph = nullptr;  // static shapes
  std::string target;                           // the Halide host target
  int threads = 1;
  FmaPeak peak;
  lowering::BenchResult result;
};

/// Multiply-add FLOPs of a node (2 per multiply-accumulate of Conv and
/// Linear; 0 for the other layers, whose cost is memory traffic).
double macFlops(const lowering::Node &node);

/// The report as text (latency, throughput, memory; with a profile, a
/// table per layer) or as one JSON object.
void printBenchReport(const BenchReport &report, bool json, llvm::raw_ostream &os);

} // namespace layerc::driver

#endif // LAYERC_DRIVER_BENCHREPORT_H
