//===- BenchReport.cpp - what `layerc bench` prints -----------------------===//
//
// Latency as median, p10 and p90 of the timed calls; compute as GFLOP/s of
// the conv and linear multiply-adds and their share of the FMA peak
// measured in the same run; memory as the least traffic a call needs
// (inputs, parameters and outputs once) per second, minor page faults per
// call, peak resident memory and the workspace kept between calls.
//
//===----------------------------------------------------------------------===//
#include "BenchReport.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include <algorithm>
#include <set>

using namespace layerc;
using namespace layerc::driver;
using lowering::Node;

namespace {

int64_t elements(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

double quantile(std::vector<double> sorted, double q) {
  std::sort(sorted.begin(), sorted.end());
  return sorted[size_t(q * double(sorted.size() - 1) + 0.5)];
}

/// Bytes every call must move at least: inputs, parameters, outputs.
double minimumBytes(const lowering::LayerGraph &graph) {
  double bytes = 0;
  for (const lowering::ModelInput &in : graph.inputs)
    bytes += 4.0 * double(elements(in.shape));
  for (const lowering::ModelOutput &out : graph.outputs)
    bytes += 4.0 * double(elements(out.node >= 0 ? graph.nodes[out.node].shape
                                                : graph.inputs[-out.node - 1].shape));
  std::set<const lowering::HostTensor *> seen;  // shared weights once
  for (const Node &node : graph.nodes)
    for (const auto &[suffix, tensor] : node.params)
      if (seen.insert(tensor.get()).second)
        bytes += 4.0 * double(tensor->data.size());
  return bytes;
}

std::string megabytes(double bytes) { return llvm::formatv("{0:F1} MB", bytes / 1e6).str(); }
} // namespace

double layerc::driver::macFlops(const Node &node) {
  double outputs = double(elements(node.shape));
  switch (node.kind) {
  case lowering::NodeKind::Conv:
  case lowering::NodeKind::Linear: {
    // weight: (out, in / groups, kernel...) or (out, in)
    const lowering::HostTensor &weight = *node.params.at("weight");
    return 2.0 * outputs * double(weight.data.size() / weight.shape[0]);
  }
  case lowering::NodeKind::Matmul:
    return 2.0 * outputs * double(node.innerSize);
  case lowering::NodeKind::MultiheadAttention: {
    // Per row of E outputs: the four projections (8E²) and the two L×L
    // products (4LE).
    int64_t rank = int64_t(node.shape.size()), embed = node.shape.back();
    int64_t length = rank == 2 || node.batchFirst ? node.shape[rank - 2] : node.shape[0];
    return outputs * double(8 * embed + 4 * length);
  }
  default:
    return 0;
  }
}

void layerc::driver::printBenchReport(const BenchReport &report, bool json,
                                      llvm::raw_ostream &os) {
  const lowering::LayerGraph &graph = *report.graph;
  const lowering::BenchResult &r = report.result;
  double median = quantile(r.callSeconds, 0.5);
  double p10 = quantile(r.callSeconds, 0.1), p90 = quantile(r.callSeconds, 0.9);
  double flops = 0;
  for (const Node &node : graph.nodes)
    flops += macFlops(node);
  double bytes = minimumBytes(graph);
  double gflops = flops / median * 1e-9;
  double peakShare = report.peak.gflops > 0 ? 100.0 * gflops / report.peak.gflops : 0;
  double total = 0;
  for (double s : r.callSeconds)
    total += s;

  if (json) {
    llvm::json::Object o{
        {"model", graph.name},
        {"target", report.target},
        {"threads", report.threads},
        {"calls", int64_t(r.callSeconds.size())},
        {"compile_s", r.compileSeconds},
        {"median_ms", median * 1e3},
        {"p10_ms", p10 * 1e3},
        {"p90_ms", p90 * 1e3},
        {"flops", flops},
        {"gflops_per_s", gflops},
        {"fma_peak_gflops_per_s", report.peak.gflops},
        {"fma_peak_vector", report.peak.vector},
        {"peak_percent", peakShare},
        {"min_bytes", bytes},
        {"gbytes_per_s", bytes / median * 1e-9},
        {"page_faults_per_call", r.minorFaultsPerCall},
        {"peak_rss_bytes", r.peakRssBytes},
        {"workspace_bytes", r.workspaceBytes},
    };
    if (!r.layerSeconds.empty()) {
      llvm::json::Array layers;
      for (size_t i = 0; i < graph.nodes.size(); ++i) {
        double s = r.layerSeconds[i], f = macFlops(graph.nodes[i]);
        layers.push_back(llvm::json::Object{
            {"layer", graph.nodes[i].name},
            {"op", graph.nodes[i].opName},
            {"ms", s * 1e3},
            {"gflops_per_s", s > 0 ? f / s * 1e-9 : 0.0}});
      }
      o["layers"] = std::move(layers);
      o["other_ms"] = r.otherSeconds * 1e3;
    }
    os << llvm::formatv("{0:2}", llvm::json::Value(std::move(o))) << "\n";
    return;
  }

  os << llvm::formatv("model {0}: {1} thread{2}, target {3}\n", graph.name,
                      report.threads, report.threads == 1 ? "" : "s",
                      report.target);
  os << llvm::formatv("latency      median {0:F3} ms   p10 {1:F3} ms   p90 {2:F3} ms"
                      "   ({3} calls in {4:F2} s, compiled in {5:F2} s)\n",
                      median * 1e3, p10 * 1e3, p90 * 1e3, r.callSeconds.size(),
                      total, r.compileSeconds);
  os << llvm::formatv("compute      {0:F3} GFLOP of conv/linear multiply-adds: "
                      "{1:F1} GFLOP/s = {2:F0}% of the FMA peak\n",
                      flops * 1e-9, gflops, peakShare);
  os << llvm::formatv("FMA peak     {0:F1} GFLOP/s ({1}, {2} thread{3}, measured "
                      "in this run)\n",
                      report.peak.gflops, report.peak.vector, report.threads,
                      report.threads == 1 ? "" : "s");
  os << llvm::formatv("memory       {0} moved at least per call: {1:F1} GB/s\n",
                      megabytes(bytes), bytes / median * 1e-9);
  os << llvm::formatv("page faults  {0:F2} minor faults per call\n",
                      r.minorFaultsPerCall);
  os << llvm::formatv("peak RSS     {0}   workspace kept between calls {1}\n",
                      megabytes(double(r.peakRssBytes)),
                      megabytes(double(r.workspaceBytes)));
  if (r.layerSeconds.empty())
    return;
  double profiled = r.otherSeconds;
  for (double s : r.layerSeconds)
    profiled += s;
  os << "\nper layer (Halide profiler, mean per call):\n";
  // Columns as wide as the longest layer name and op (ResNet-50's
  // `layer4.2.downsample.0`, `AdaptiveAvgPool2d`).
  size_t nameWidth = 24, opWidth = 10;
  for (const Node &node : graph.nodes) {
    nameWidth = std::max(nameWidth, node.name.size());
    opWidth = std::max(opWidth, node.opName.size());
  }
  auto pad = [](const std::string &text, size_t width) {
    return text + std::string(width > text.size() ? width - text.size() : 0, ' ');
  };
  os << "  " << pad("layer", nameWidth) << " " << pad("op", opWidth)
     << llvm::formatv(" {0,10} {1,7} {2,10} {3,7}\n", "ms", "share", "GFLOP/s",
                      "% peak");
  auto row = [&](const std::string &name, const std::string &op, double s,
                 double f) {
    double rate = s > 0 ? f / s * 1e-9 : 0;
    std::string rateText = f > 0 ? llvm::formatv("{0:F1}", rate).str() : "-";
    std::string peakText =
        f > 0 && report.peak.gflops > 0
            ? llvm::formatv("{0:F0}%", 100 * rate / report.peak.gflops).str()
            : "-";
    os << "  " << pad(name, nameWidth) << " " << pad(op, opWidth)
       << llvm::formatv(" {0,10:F3} {1,6:F1}% {2,10} {3,7}\n", s * 1e3,
                        profiled > 0 ? 100 * s / profiled : 0.0, rateText, peakText);
  };
  for (size_t i = 0; i < graph.nodes.size(); ++i)
    row(graph.nodes[i].name, graph.nodes[i].opName, r.layerSeconds[i],
        macFlops(graph.nodes[i]));
  row("(runtime)", "", r.otherSeconds, 0);
}
