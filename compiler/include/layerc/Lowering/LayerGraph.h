//===- LayerGraph.h - the model as the Halide backend sees it ---*- C++ -*-===//
//
// The interface between the MLIR side (built with -fno-exceptions) and the
// Halide side (built with -fexceptions): plain std types only. The MLIR side
// fills it from a verified nn module plus the loaded weights; the backend
// turns it into Halide Funcs, schedules them and compiles or runs them.
//
// Shapes are in torch order (outermost first); -1 marks a dynamic dim.
//
//===----------------------------------------------------------------------===//
#ifndef LAYERC_LOWERING_LAYERGRAPH_H
#define LAYERC_LOWERING_LAYERGRAPH_H

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace layerc::lowering {

/// A dense float32 tensor in torch (row-major) order.
struct HostTensor {
  std::vector<int64_t> shape;
  std::vector<float> data;
};

enum class NodeKind {
  Conv, Linear, Relu, Sigmoid, LayerNorm, BatchNorm, GroupNorm, Flatten,
  Activation, Binary, Scalar, Softmax, Pool, AdaptivePool, Reshape, Permute,
  Concat, Mean, Matmul, MultiheadAttention,
};

/// One layer application. Each entry of `inputs` names an operand: `>= 0`
/// a node index, `< 0` model input number `-input - 1`.
struct Node {
  NodeKind kind;
  std::string name;            // as written; the backend makes it a C name
  std::string writtenName;     // as written, for messages (set by the backend)
  std::string opName;          // as the user wrote it: Conv2d, add, ...
  std::vector<int> inputs;
  std::vector<int64_t> shape;  // result shape

  /// Activation, Binary, Scalar, Softmax, Pool, AdaptivePool: which
  /// function of the family ("gelu", "add", "log_softmax", "max", ...).
  std::string function;
  double alpha = 0, beta = 0;  // Activation's arguments; Scalar: alpha
  bool scalarFirst = false;    // Scalar: function(alpha, x)
  /// Softmax, Concat: the dim; Permute: result dim i is input dim dims[i];
  /// Mean: the reduced dims; Reshape: the result shape. All normalized.
  int64_t axis = 0;
  std::vector<int64_t> dims;
  bool keepDim = false;
  // Pool (kernel, stride, dilation, paddingLow as the padding)
  bool ceilMode = false, countIncludePad = true;
  // AdaptivePool: the output size per spatial dim (resolved)
  std::vector<int64_t> outputSize;
  // Matmul: the summed dim's size
  int64_t innerSize = 0;
  // MultiheadAttention
  int64_t numHeads = 1;
  bool batchFirst = false;

  // Conv
  std::vector<int64_t> kernel, stride, paddingLow, paddingHigh, dilation;
  int64_t groups = 1, inChannels = 0;
  std::string paddingMode = "zeros";
  // Flatten
  int64_t startDim = 0, endDim = -1;  // normalized, non-negative
  // Norms
  double eps = 1e-5;
  int64_t numGroups = 1;              // GroupNorm
  int64_t normalizedRank = 0;         // LayerNorm
  bool useBatchStats = false;         // BatchNorm without running stats

  /// Sizes the layer fixes in its first operand (channels, features), as
  /// (dim, size): checked when the model is called where the model leaves
  /// them to a size symbol.
  std::vector<std::pair<int, int64_t>> fixedInputDims;

  /// Elementwise functions fused into the output stage, applied in
  /// order ("relu", "sigmoid", "gelu", ...: nn::kActivations).
  std::vector<std::string> activations;

  /// Conv, set by the backend from the layer's consumers: store the output
  /// in channel vectors, (n, c/V, spatial..., c%V) with V the target's f32
  /// lanes, because every consumer is a conv that reads it by channel. A
  /// lone depthwise consumer that pads with zeros gets its padding written
  /// around each spatial dim too (`outputHalo*`, torch order), so it reads
  /// the output as it is instead of copying it.
  bool channelVectorOutput = false;
  std::vector<int64_t> outputHaloLow = {}, outputHaloHigh = {};

  /// Parameters by suffix ("weight", "bias", ...), shared between nodes
  /// that apply the same declared layer.
  std::map<std::string, std::shared_ptr<const HostTensor>> params;
};

struct ModelInput {
  std::string name;
  std::vector<int64_t> shape;         // -1: dynamic
  std::vector<std::string> symbols;   // per dim: size symbol or ""
};

struct ModelOutput {
  std::string name;
  int node;                           // same convention as Node::input
};

struct LayerGraph {
  std::string name;                   // the model's C name
  std::vector<ModelInput> inputs;
  std::vector<Node> nodes;            // in definition order
  std::vector<ModelOutput> outputs;
};

/// True for C and C++ keywords, which cannot name a function or parameter.
bool isCKeyword(const std::string &name);

/// What a model named `name` would clash with when linked, or "": a
/// function of the C, math, thread or dl library (`free`, `ceil`: the
/// model's entry point is a global C function of its name, which would
/// replace it), or the Halide or layerc runtime (`halide_...`, `layerc_...`).
std::string linkClash(const std::string &name);

/// `name` with every character that is not a letter or digit replaced by
/// '_', and '_' appended to a C/C++ keyword: the C identifier of an input,
/// output or buffer.
std::string cIdentifier(std::string name);

/// What `layerc compile` writes.
enum class EmitKind { Object, Assembly, LLVM, Halide };

struct CompileRequest {
  std::string target = "host";        // "host" or a Halide target string
  EmitKind emit = EmitKind::Object;
  std::string outputPath;             // the file to write for this emit kind
  std::string headerPath;             // Object only: the C header
  std::string sourceName;             // the .nn file, for the header banner
};

/// Compiles the graph to `request.outputPath` (and the header). Returns an
/// empty string on success, else the error message. Nothing is left behind
/// on error.
std::string compileGraph(const LayerGraph &graph, const CompileRequest &request);

/// The bytes of intermediate tensors that a call of the compiled model
/// (host target, `threads` threads) leaves in the runtime's workspace, kept
/// for the next call: replayed from the lowered pipeline, nothing is run.
/// -1 when they depend on a size symbol. Returns "" or the error message.
std::string workspaceOfGraph(const LayerGraph &graph, int threads, int64_t &bytes);

/// Runs the graph once on the host (JIT). Every shape must be static.
/// Returns an empty string on success, else the error message.
std::string runGraph(const LayerGraph &graph,
                     const std::vector<HostTensor> &inputs,
                     std::vector<HostTensor> &outputs);

/// How `layerc bench` measures.
struct BenchRequest {
  double warmupSeconds = 0.2;
  double minSeconds = 1.0;   // timed calls run at least this long (and >= 10)
  bool profile = false;      // also time each layer (Halide's profiler)
};

struct BenchResult {
  double compileSeconds = 0;
  std::vector<double> callSeconds;   // each timed call, in order
  double minorFaultsPerCall = 0;
  int64_t peakRssBytes = 0;
  int64_t workspaceBytes = 0;        // kept between calls
  std::vector<double> layerSeconds;  // per node, per call (profile only)
  double otherSeconds = 0;           // profile: time in no node's Funcs
};

/// JIT-compiles the graph for the host, warms it up and times calls on
/// `inputs` (every shape static). Returns "" or the error message.
std::string benchGraph(const LayerGraph &graph,
                       const std::vector<HostTensor> &inputs,
                       const BenchRequest &request, BenchResult &result);

/// The Halide target that "host" means on this machine.
std::string hostTargetName();

/// Checks a target string; empty on success, else the error.
std::string validateTarget(const std::string &target);

} // namespace layerc::lowering

#endif // LAYERC_LOWERING_LAYERGRAPH_H
