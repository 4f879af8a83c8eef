//===- Backend.cpp - LayerGraph to a Halide pipeline, compiled or run ----===//
//
// Builds one Halide Pipeline for a whole model: an ImageParam per input
// (shape pinned where static, dense strides, equal symbols tied), a stage
// per node (algorithm + schedule), an output Func per model output. Then
// AOT-compiles it (object + header, or a text dump) or JIT-runs it.
//
// This file is built with -fexceptions: every Halide error is caught here
// and returned as a message.
//
//===----------------------------------------------------------------------===//
#include "Header.h"
#include "Layers.h"
#include "Workspace.h"
#include "layerc/workspace.h"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <regex>
#include <sys/resource.h>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>
#include <unistd.h>

using namespace Halide;
using namespace layerc::lowering;

namespace layerc::halide {
namespace {

/// Embeds a torch-order tensor (see Weights for the leading pad).
Weights toWeights(const HostTensor &t, const std::string &name) {
  Weights w;
  w.shape = t.shape;
  w.strides.assign(t.shape.size(), 1);
  for (int i = int(t.shape.size()) - 2; i >= 0; --i)
    w.strides[i] = w.strides[i + 1] * t.shape[i + 1];
  w.flat = Buffer<float>(int(Weights::kPad + t.data.size()), name);
  w.flat.fill(0.0f);
  std::copy(t.data.begin(), t.data.end(), w.flat.data() + Weights::kPad);
  return w;
}

/// A Halide buffer over a torch-order tensor's data (dims reversed).
Buffer<float> toBuffer(const HostTensor &t, const std::string &name) {
  std::vector<int> sizes(t.shape.rbegin(), t.shape.rend());
  Buffer<float> buffer(sizes, name);
  std::copy(t.data.begin(), t.data.end(), buffer.data());
  return buffer;
}

/// How one kind of layer becomes Halide: the layout of its parameters (null:
/// torch's), its algorithm and its schedule.
struct LayerLowering {
  LayerStage (*algorithm)(const Operands &, const Node &, const ParamBuffers &,
                          const Target &);
  void (*schedule)(LayerStage &, const Target &);
  PackedParam (*pack)(const Node &, const std::string &, const HostTensor &,
                      const Target &) = nullptr;
};

const LayerLowering &loweringOf(NodeKind kind) {
  static const std::map<NodeKind, LayerLowering> table = {
      {NodeKind::Conv, {convolution, scheduleConvolution, packConvolutionParam}},
      {NodeKind::Linear, {linear, scheduleLinear, packLinearParam}},
      {NodeKind::Relu, {relu, scheduleElementwise}},
      {NodeKind::Sigmoid, {sigmoid, scheduleElementwise}},
      {NodeKind::Activation, {activationLayer, scheduleElementwise}},
      {NodeKind::Binary, {binaryArithmetic, scheduleElementwise}},
      {NodeKind::Scalar, {scalarArithmetic, scheduleElementwise}},
      {NodeKind::Flatten, {flatten, scheduleView}},
      {NodeKind::Reshape, {reshape, scheduleView}},
      {NodeKind::Permute, {permute, scheduleView}},
      {NodeKind::Concat, {concat, scheduleElementwise}},
      {NodeKind::BatchNorm, {batchNorm, scheduleNormalization}},
      {NodeKind::LayerNorm, {layerNorm, scheduleNormalization}},
      {NodeKind::GroupNorm, {groupNorm, scheduleNormalization}},
      {NodeKind::Softmax, {softmax, scheduleReduction}},
      {NodeKind::Mean, {mean, scheduleElementwise}},
      {NodeKind::Pool, {pooling, scheduleElementwise}},
      {NodeKind::AdaptivePool, {adaptivePooling, scheduleElementwise}},
      {NodeKind::Matmul, {matmul, scheduleContractions}},
      {NodeKind::MultiheadAttention,
       {multiheadAttention, scheduleContractions, packAttentionParam}},
  };
  return table.at(kind);
}

/// Views are inlined into their consumers: one that is a model output is
/// copied into the output buffer instead.
bool isView(NodeKind kind) { return loweringOf(kind).schedule == scheduleView; }

/// The model as a Halide pipeline.
struct BuiltPipeline {
  std::vector<ImageParam> inputs;
  std::vector<Func> outputs;
  std::vector<Requirement> requirements;
  /// Per Halide Func name, the index of the node it computes.
  std::map<std::string, int> nodeOfFunc;

  /// The Halide pipeline, with the run-time size checks added.
  Pipeline pipeline() const {
    Pipeline p(outputs);
    for (const Requirement &r : requirements) {
      if (r.actual.defined())
        p.add_requirement(r.condition, r.message, r.actual);
      else
        p.add_requirement(r.condition, r.message);
    }
    return p;
  }
};

/// Pins a buffer's layout: min 0 and dense strides in every dim, static
/// extents where known. `dims` in Halide order.
template <typename DimFn>
void constrainDense(DimFn dim, const std::vector<Expr> &torchShape) {
  int rank = int(torchShape.size());
  Expr stride = 1;
  for (int i = 0; i < rank; ++i) {
    Expr extent = torchShape[rank - 1 - i];
    dim(i).set_min(0).set_stride(stride);
    dim(i).set_extent(extent);
    stride = stride * dim(i).extent();
  }
}

/// Per model output, whether it is a copy: a Func can be one output only,
/// and an input wrapper or a view is not computed. Otherwise the node's own
/// Func is the output (its first use as one).
std::vector<bool> copiedOutputs(const LayerGraph &graph) {
  std::vector<bool> copied;
  std::set<int> used;
  for (const ModelOutput &output : graph.outputs)
    copied.push_back(output.node < 0 || !used.insert(output.node).second ||
                     isView(graph.nodes[output.node].kind));
  return copied;
}

/// The C name each model output has in the header, per the node that
/// computes it into the caller's buffer (the outputs that are not copies).
std::map<int, std::string> outputNodeNames(const LayerGraph &graph,
                                           const std::vector<bool> &copied) {
  std::map<int, std::string> names;
  for (size_t i = 0; i < graph.outputs.size(); ++i)
    if (!copied[i])
      names.emplace(graph.outputs[i].node, cIdentifier(graph.outputs[i].name));
  return names;
}

/// The first byte of a pipeline argument's memory, as an integer.
Expr hostAddress(const OutputImageParam &argument) {
  Expr buffer = Internal::Variable::make(type_of<halide_buffer_t *>(),
                                         argument.name() + ".buffer",
                                         argument.parameter());
  return reinterpret(UInt(64), Internal::Call::make(Handle(),
                                                    Internal::Call::buffer_get_host,
                                                    {buffer}, Internal::Call::Extern));
}

/// The bytes a dense float buffer of these extents spans.
Expr denseBytes(const std::vector<Expr> &extents) {
  Expr bytes = Internal::make_const(UInt(64), sizeof(float));
  for (const Expr &extent : extents)
    bytes = bytes * cast<uint64_t>(extent);
  return bytes;
}

/// A pipeline argument's memory: [start, start + bytes).
struct ArgumentMemory {
  std::string name;  // its C name in the header
  bool isOutput;
  Expr start, bytes;
};

/// Outputs must not share memory with an input or with another output: a
/// layer would overwrite what it or a later layer still reads.
std::vector<Requirement> noAliasing(const std::vector<ArgumentMemory> &args) {
  std::vector<Requirement> requirements;
  for (size_t i = 0; i < args.size(); ++i)
    for (size_t j = 0; j < args.size(); ++j) {
      const ArgumentMemory &out = args[i], &other = args[j];
      if (!out.isOutput || i == j || (other.isOutput && j < i))
        continue;
      Expr overlap = out.start < other.start + other.bytes &&
                     other.start < out.start + out.bytes;
      requirements.push_back(
          {!overlap,
           std::string(other.isOutput ? "outputs '" : "output '") + out.name +
               (other.isOutput ? "' and '" : "' overlaps input '") + other.name +
               (other.isOutput ? "' overlap" : "'") +
               " in memory: each output needs its own buffer, apart from the "
               "inputs",
           Expr()});
    }
  return requirements;
}

/// The nodes with the layout of each conv's output decided from its
/// consumers (Node::channelVectorOutput).
std::vector<Node> planLayouts(const LayerGraph &graph, const Target &target) {
  std::vector<Node> nodes = graph.nodes;
  std::vector<std::vector<const Node *>> consumers(nodes.size());
  for (const Node &node : graph.nodes)
    for (int input : node.inputs)
      if (input >= 0)
        consumers[input].push_back(&node);
  std::vector<bool> isOutput(nodes.size(), false);
  for (const ModelOutput &output : graph.outputs)
    if (output.node >= 0)
      isOutput[output.node] = true;
  for (size_t i = 0; i < nodes.size(); ++i)
    planConvolutionOutput(nodes[i], consumers[i], isOutput[i], target);
  return nodes;
}

BuiltPipeline buildPipeline(const LayerGraph &graph, const Target &target) {
  BuiltPipeline built;
  std::vector<Node> planned = planLayouts(graph, target);
  std::vector<Tensor> inputTensors, nodeTensors;
  std::map<std::string, Expr> symbolExtents;
  std::vector<ArgumentMemory> memory;

  // The Funcs that are model outputs are made first: Halide numbers a name
  // that it has seen (or a like one) before, and these names are the ones
  // users see in run-time messages ("output buffer fc ...").
  std::vector<bool> copied = copiedOutputs(graph);
  std::map<int, std::string> outputNames = outputNodeNames(graph, copied);
  std::set<std::string> inputNames;
  for (const ModelInput &input : graph.inputs)
    inputNames.insert(cIdentifier(input.name));
  std::vector<std::string> reserved;
  for (const ModelOutput &output : graph.outputs)
    if (!inputNames.count(cIdentifier(output.name)))
      reserved.push_back(cIdentifier(output.name));
  reserveFuncNames(reserved);

  for (const ModelInput &input : graph.inputs) {
    int rank = int(input.shape.size());
    ImageParam param(Float(32), rank, cIdentifier(input.name));
    std::vector<Expr> shape(rank);
    for (int i = 0; i < rank; ++i) {
      Internal::Dimension dim = param.dim(rank - 1 - i);
      dim.set_min(0);
      if (input.shape[i] >= 0) {
        shape[i] = int(input.shape[i]);
        dim.set_extent(shape[i]);
      } else if (auto it = symbolExtents.find(input.symbols[i]);
                 it != symbolExtents.end()) {
        shape[i] = it->second;  // a symbol used again: sizes must be equal
        dim.set_extent(shape[i]);
      } else {
        shape[i] = dim.extent();  // the first use of a symbol defines it
        symbolExtents[input.symbols[i]] = shape[i];
      }
    }
    Expr stride = 1;
    for (int d = 0; d < rank; ++d) {
      param.dim(d).set_stride(stride);
      stride = stride * param.dim(d).extent();
    }
    memory.push_back({param.name(), false, hostAddress(param),
                      denseBytes(shape)});
    param.set_host_alignment(alignof(float));  // see the outputs below
    Func wrapper(cIdentifier(input.name) + "_in");
    std::vector<Var> vars = makeVars(rank, "i");
    call(wrapper, asExprs(vars)) = call(param, asExprs(vars));
    built.inputs.push_back(param);
    inputTensors.push_back({wrapper, shape});
  }

  // Shared weights are embedded once per layout: the same suffix can mean
  // two packings (a shared conv's channel tile depends on the width of each
  // input it is applied to), so the packed shape is part of the key.
  using EmbeddedKey = std::tuple<const HostTensor *, std::string, std::vector<int64_t>>;
  std::map<EmbeddedKey, Weights> embedded;

  std::set<std::string> usedNames;  // C names must be unique: a.b vs a_b
  for (const auto &[index, name] : outputNames)
    usedNames.insert(name);
  for (const Node &original : planned) {
    Node node = original;
    node.writtenName = original.name;
    int nodeIndex = int(&original - planned.data());
    if (auto it = outputNames.find(nodeIndex); it != outputNames.end()) {
      node.name = it->second;  // its Func is the output, named as in the header
    } else {
      node.name = cIdentifier(node.name);
      while (!usedNames.insert(node.name).second)
        node.name += "_";
    }
    Operands operands;
    for (int input : node.inputs)
      operands.push_back(input >= 0 ? nodeTensors[input] : inputTensors[-input - 1]);
    const LayerLowering &lowering = loweringOf(node.kind);
    ParamBuffers params;
    for (const auto &[suffix, tensor] : node.params) {
      PackedParam packed = lowering.pack
                               ? lowering.pack(node, suffix, *tensor, target)
                               : PackedParam{suffix, *tensor};
      EmbeddedKey key{tensor.get(), packed.suffix, packed.tensor.shape};
      auto it = embedded.find(key);
      if (it == embedded.end())
        it = embedded
                 .emplace(key, toWeights(packed.tensor,
                                         cIdentifier(node.name + "." + packed.suffix)))
                 .first;
      params[packed.suffix] = it->second;
    }
    LayerStage stage = lowering.algorithm(operands, node, params, target);
    lowering.schedule(stage, target);
    int index = int(nodeTensors.size());
    for (const Func &f : {stage.output.func, stage.accumulator, stage.padded})
      if (f.defined())
        built.nodeOfFunc[f.name()] = index;
    for (const Func &f : stage.helpers)
      built.nodeOfFunc[f.name()] = index;
    for (const Tensor &t : stage.intermediates)
      built.nodeOfFunc[t.func.name()] = index;
    for (auto [dim, size] : node.fixedInputDims) {
      Expr actual = operands[0].shape[dim];
      if (!Internal::as_const_int(actual))
        built.requirements.push_back(
            {actual == int(size),
             layerLabel(node) + ": " + node.opName + " expects " +
                 std::to_string(size) + " in dim " + std::to_string(dim) +
                 " of its input, got",
             actual});
    }
    built.requirements.insert(built.requirements.end(),
                              stage.requirements.begin(),
                              stage.requirements.end());
    nodeTensors.push_back(stage.output);
  }

  for (size_t i = 0; i < graph.outputs.size(); ++i) {
    const ModelOutput &output = graph.outputs[i];
    const Tensor &t = output.node >= 0 ? nodeTensors[output.node]
                                       : inputTensors[-output.node - 1];
    Func f = t.func;
    if (copied[i]) {
      // Named as the output unless an input has that name (`output x`).
      std::string name = cIdentifier(output.name);
      f = inputNames.count(name) ? Func(name + "_out") : reservedFunc(name);
      std::vector<Var> vars = makeVars(t.rank(), "o");
      call(f, asExprs(vars)) = call(t.func, asExprs(vars));
      LayerStage copy;
      copy.output = {f, t.shape};
      copy.vars = vars;
      scheduleElementwise(copy, target);
    }
    constrainDense([&](int d) { return f.output_buffer().dim(d); }, t.shape);
    // Callers pass any float-aligned memory (malloc gives 16 bytes, a
    // sub-array less): promise Halide no more, or it emits aligned vector
    // loads and stores that fault.
    f.output_buffer().set_host_alignment(alignof(float));
    built.outputs.push_back(f);
    memory.push_back({cIdentifier(output.name), true, hostAddress(f.output_buffer()),
                      denseBytes(t.shape)});
  }
  std::vector<Requirement> separate = noAliasing(memory);
  built.requirements.insert(built.requirements.end(), separate.begin(),
                            separate.end());
  return built;
}

/// "host" is every feature of this CPU, AVX-512 included: the blocked
/// conv and linear schedules use its 16 lanes and 32 registers.
Target hostTarget() { return get_host_target(); }

Target resolveTarget(const std::string &name) {
  return name == "host" ? hostTarget() : Target(name);
}

/// Writes `text` to `path` atomically enough for our purpose (temp + rename).
bool writeFile(const std::string &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return bool(out);
}

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
} // namespace
} // namespace layerc::halide

using namespace layerc::halide;

std::string layerc::lowering::hostTargetName() { return hostTarget().to_string(); }

std::string layerc::lowering::validateTarget(const std::string &target) {
  if (target == "host" || Target::validate_target_string(target))
    return "";
  return "unknown target '" + target +
         "' (expected 'host' or a Halide target such as x86-64-linux-avx2 or "
         "arm-64-linux)";
}

std::string layerc::lowering::compileGraph(const LayerGraph &graph,
                                           const CompileRequest &request) {
  std::string tmpOut = request.outputPath + ".tmp" + std::to_string(getpid());
  std::string tmpHalideHeader = tmpOut + ".h";
  try {
    // No bounds queries: Halide reads a buffer whose host is NULL as one,
    // and would return 0 having done nothing. In layerc's API that is a
    // misuse, and the call fails with a message.
    Target target = resolveTarget(request.target).with_feature(Target::NoBoundsQuery);
    BuiltPipeline built = buildPipeline(graph, target);
    Pipeline pipeline = built.pipeline();
    std::vector<Argument> args(built.inputs.begin(), built.inputs.end());
    switch (request.emit) {
    case EmitKind::Object: {
      target = target.with_feature(Target::NoRuntime);
      pipeline.compile_to({{OutputFileType::object, tmpOut},
                           {OutputFileType::c_header, tmpHalideHeader}},
                          args, graph.name, target);
      std::string header = makeHeader(graph, request, readFile(tmpHalideHeader));
      std::remove(tmpHalideHeader.c_str());
      std::string tmpHeader = request.headerPath + ".tmp" + std::to_string(getpid());
      if (!writeFile(tmpHeader, header) ||
          std::rename(tmpHeader.c_str(), request.headerPath.c_str()) != 0) {
        std::remove(tmpHeader.c_str());
        std::remove(tmpOut.c_str());
        return "cannot write '" + request.headerPath + "'";
      }
      break;
    }
    case EmitKind::Assembly:
      pipeline.compile_to_assembly(tmpOut, args, graph.name, target);
      break;
    case EmitKind::LLVM:
      pipeline.compile_to_llvm_assembly(tmpOut, args, graph.name, target);
      break;
    case EmitKind::Halide:
      pipeline.compile_to_lowered_stmt(tmpOut, args, StmtOutputFormat::Text,
                                       target);
      break;
    }
    if (std::rename(tmpOut.c_str(), request.outputPath.c_str()) != 0) {
      std::remove(tmpOut.c_str());
      if (request.emit == EmitKind::Object)
        std::remove(request.headerPath.c_str());
      return "cannot write '" + request.outputPath + "'";
    }
    return "";
  } catch (const Halide::Error &e) {
    std::remove(tmpOut.c_str());
    std::remove(tmpHalideHeader.c_str());
    return std::string("code generation failed: ") + e.what();
  }
}

std::string layerc::lowering::workspaceOfGraph(const LayerGraph &graph, int threads,
                                               int64_t &bytes) {
  try {
    Target target = hostTarget().with_feature(Target::NoBoundsQuery);
    BuiltPipeline built = buildPipeline(graph, target);
    std::vector<Argument> args(built.inputs.begin(), built.inputs.end());
    Module module = built.pipeline().compile_to_module(args, graph.name, target);
    bytes = replayWorkspace(module, graph.name, threads);
    return "";
  } catch (const Halide::Error &e) {
    return std::string("code generation failed: ") + e.what();
  }
}

namespace {
/// A JIT-compiled model with its input and output buffers bound: what
/// `run` calls once and `bench` many times. Intermediates come from the
/// workspace allocator, as in a linked application.
struct JitModel {
  BuiltPipeline built;
  Pipeline pipeline;
  Target target;
  std::vector<Buffer<float>> inputs;
  std::vector<Buffer<>> outputs;

  JitModel(const LayerGraph &graph, const std::vector<HostTensor> &hostInputs,
           Target jitTarget)
      : built(buildPipeline(graph, jitTarget)), pipeline(built.pipeline()),
        target(jitTarget) {
    for (size_t i = 0; i < hostInputs.size(); ++i) {
      inputs.push_back(toBuffer(hostInputs[i], cIdentifier(graph.inputs[i].name)));
      built.inputs[i].set(inputs.back());
    }
    for (const ModelOutput &out : graph.outputs) {
      std::vector<int64_t> shape = out.node >= 0
                                       ? graph.nodes[out.node].shape
                                       : graph.inputs[-out.node - 1].shape;
      outputs.push_back(Buffer<float>(std::vector<int>(shape.rbegin(), shape.rend())));
    }
    pipeline.jit_handlers().custom_malloc = [](JITUserContext *, size_t size) {
      return layerc_workspace_alloc(size);
    };
    pipeline.jit_handlers().custom_free = [](JITUserContext *, void *data) {
      layerc_workspace_free(data);
    };
    pipeline.compile_jit(target);
  }

  void call() { pipeline.realize(Realization(outputs), target); }
};

double seconds() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

long minorFaults() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

/// Sums the per-Func times of Halide profiler reports ("  name:  1.23ms
/// (45%) ...") into per-node seconds.
void addProfileReport(const std::string &report, const BuiltPipeline &built,
                      std::vector<double> &nodeSeconds, double &otherSeconds) {
  static const std::regex line(R"(^\s+([A-Za-z_][A-Za-z0-9_$.]*):\s+([0-9.]+)ms)");
  std::istringstream in(report);
  for (std::string text; std::getline(in, text);) {
    std::smatch m;
    if (!std::regex_search(text, m, line))
      continue;
    double s = std::stod(m[2]) * 1e-3;
    auto it = built.nodeOfFunc.find(m[1]);
    if (it != built.nodeOfFunc.end())
      nodeSeconds[it->second] += s;
    else
      otherSeconds += s;
  }
}
} // namespace

std::string layerc::lowering::benchGraph(const LayerGraph &graph,
                                         const std::vector<HostTensor> &inputs,
                                         const BenchRequest &request,
                                         BenchResult &result) {
  try {
    double start = seconds();
    JitModel model(graph, inputs, hostTarget().with_feature(Target::JIT));
    result.compileSeconds = seconds() - start;
    // Warm-up: the thread pool, the workspace, the caches.
    for (double until = seconds() + request.warmupSeconds; seconds() < until;)
      model.call();
    long faults = minorFaults();
    result.callSeconds.clear();
    double end = seconds() + request.minSeconds;
    while (seconds() < end || result.callSeconds.size() < 10) {
      double t0 = seconds();
      model.call();
      result.callSeconds.push_back(seconds() - t0);
    }
    result.minorFaultsPerCall =
        double(minorFaults() - faults) / double(result.callSeconds.size());
    rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    result.peakRssBytes = int64_t(usage.ru_maxrss) * 1024;
    result.workspaceBytes = int64_t(layerc_workspace_cached_bytes());

    result.layerSeconds.clear();
    if (request.profile) {
      // The profiler samples which Func runs; its report comes after every
      // call (and is reset), so add the reports up over many calls.
      JitModel profiled(graph, inputs,
                        hostTarget().with_feature(Target::JIT).with_feature(Target::Profile));
      // The print handler is a plain function pointer: it reaches this
      // call's text through a static.
      static std::string *reports;
      std::string text;
      reports = &text;
      profiled.pipeline.jit_handlers().custom_print = [](JITUserContext *,
                                                         const char *s) {
        *reports += s;
      };
      std::vector<double> nodeSeconds(graph.nodes.size(), 0.0);
      double other = 0;
      int calls = 0;
      for (double until = seconds() + request.minSeconds;
           seconds() < until || calls < 10; ++calls) {
        text.clear();
        profiled.call();
        addProfileReport(text, profiled.built, nodeSeconds, other);
      }
      for (double &s : nodeSeconds)
        s /= calls;
      result.layerSeconds = nodeSeconds;
      result.otherSeconds = other / calls;
    }
    return "";
  } catch (const Halide::Error &e) {
    return std::string("execution failed: ") + e.what();
  }
}

std::string layerc::lowering::runGraph(const LayerGraph &graph,
                                       const std::vector<HostTensor> &inputs,
                                       std::vector<HostTensor> &outputs) {
  try {
    JitModel model(graph, inputs, hostTarget().with_feature(Target::JIT));
    model.call();
    outputs.clear();
    for (size_t i = 0; i < model.outputs.size(); ++i) {
      Buffer<float> b = model.outputs[i];
      std::vector<int64_t> shape(b.dimensions());
      for (int d = 0; d < b.dimensions(); ++d)
        shape[b.dimensions() - 1 - d] = b.dim(d).extent();
      outputs.push_back({shape, std::vector<float>(b.data(), b.data() + b.number_of_elements())});
    }
    return "";
  } catch (const Halide::Error &e) {
    return std::string("execution failed: ") + e.what();
  }
}
