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
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
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

/// A Linear weight (O, K) stored transposed, (K, O) with o contiguous: a
/// vector of outputs reads one contiguous run of weights.
HostTensor transposed(const HostTensor &w) {
  int64_t outF = w.shape[0], inF = w.shape[1];
  HostTensor t{{inF, outF}, std::vector<float>(w.data.size())};
  for (int64_t o = 0; o < outF; ++o)
    for (int64_t k = 0; k < inF; ++k)
      t.data[k * outF + o] = w.data[o * inF + k];
  return t;
}

/// A Halide buffer over a torch-order tensor's data (dims reversed).
Buffer<float> toBuffer(const HostTensor &t, const std::string &name) {
  std::vector<int> sizes(t.shape.rbegin(), t.shape.rend());
  Buffer<float> buffer(sizes, name);
  std::copy(t.data.begin(), t.data.end(), buffer.data());
  return buffer;
}

/// How one kind of layer becomes Halide: its algorithm and its schedule.
struct LayerLowering {
  LayerStage (*algorithm)(const Tensor &, const Node &, const ParamBuffers &);
  void (*schedule)(LayerStage &, const Target &);
};

const LayerLowering &loweringOf(NodeKind kind) {
  static const std::map<NodeKind, LayerLowering> table = {
      {NodeKind::Conv, {convolution, scheduleConvolution}},
      {NodeKind::Linear, {linear, scheduleLinear}},
      {NodeKind::Relu, {relu, scheduleElementwise}},
      {NodeKind::Sigmoid, {sigmoid, scheduleElementwise}},
      {NodeKind::Flatten, {flatten, scheduleElementwise}},
      {NodeKind::BatchNorm, {batchNorm, scheduleNormalization}},
      {NodeKind::LayerNorm, {layerNorm, scheduleNormalization}},
      {NodeKind::GroupNorm, {groupNorm, scheduleNormalization}},
  };
  return table.at(kind);
}

/// The model as a Halide pipeline.
struct BuiltPipeline {
  std::vector<ImageParam> inputs;
  std::vector<Func> outputs;
  std::vector<Requirement> requirements;

  /// The Halide pipeline, with the run-time size checks added.
  Pipeline pipeline() const {
    Pipeline p(outputs);
    for (const Requirement &r : requirements)
      p.add_requirement(r.condition, r.message, r.actual);
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

BuiltPipeline buildPipeline(const LayerGraph &graph, const Target &target) {
  BuiltPipeline built;
  std::vector<Tensor> inputTensors, nodeTensors;
  std::map<std::string, Expr> symbolExtents;

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
    param.set_host_alignment(alignof(float));  // see the outputs below
    Func wrapper(cIdentifier(input.name) + "_in");
    std::vector<Var> vars = makeVars(rank, "i");
    call(wrapper, asExprs(vars)) = call(param, asExprs(vars));
    built.inputs.push_back(param);
    inputTensors.push_back({wrapper, shape});
  }

  std::map<const HostTensor *, Weights> embedded;  // shared weights once
  auto weightsOf = [&](const std::shared_ptr<const HostTensor> &t,
                       const std::string &name, bool transpose) {
    auto it = embedded.find(t.get());
    if (it != embedded.end())
      return it->second;
    Weights w = toWeights(transpose ? transposed(*t) : *t, cIdentifier(name));
    embedded.emplace(t.get(), w);
    return w;
  };

  std::set<std::string> usedNames;  // C names must be unique: a.b vs a_b
  for (const Node &original : graph.nodes) {
    Node node = original;
    node.name = cIdentifier(node.name);
    while (!usedNames.insert(node.name).second)
      node.name += "_";
    const Tensor &in = node.input >= 0 ? nodeTensors[node.input]
                                       : inputTensors[-node.input - 1];
    ParamBuffers params;
    for (const auto &[suffix, tensor] : node.params) {
      bool transpose = node.kind == NodeKind::Linear && suffix == "weight";
      params[transpose ? "weight_t" : suffix] =
          weightsOf(tensor, node.name + "." + suffix, transpose);
    }
    const LayerLowering &lowering = loweringOf(node.kind);
    LayerStage stage = lowering.algorithm(in, node, params);
    lowering.schedule(stage, target);
    built.requirements.insert(built.requirements.end(),
                              stage.requirements.begin(),
                              stage.requirements.end());
    nodeTensors.push_back(stage.output);
  }

  std::map<int, int> outputUse;
  for (const ModelOutput &output : graph.outputs) {
    const Tensor &t = output.node >= 0 ? nodeTensors[output.node]
                                       : inputTensors[-output.node - 1];
    Func f = t.func;
    // A Func can be one output only, and an input wrapper is not computed:
    // copy in those cases.
    if (output.node < 0 || outputUse[output.node]++ > 0) {
      f = Func(cIdentifier(output.name) + "_out");
      std::vector<Var> vars = makeVars(t.rank(), "o");
      call(f, asExprs(vars)) = call(t.func, asExprs(vars));
      LayerStage copy{{f, t.shape}, vars, RDom(), {}};
      scheduleElementwise(copy, target);
    }
    constrainDense([&](int d) { return f.output_buffer().dim(d); }, t.shape);
    // Callers pass any float-aligned memory (malloc gives 16 bytes, a
    // sub-array less): promise Halide no more, or it emits aligned vector
    // loads and stores that fault.
    f.output_buffer().set_host_alignment(alignof(float));
    built.outputs.push_back(f);
  }
  return built;
}

/// "host" is the host without AVX-512: the current schedules run slower
/// with 16 lanes than with 8 (64->64 3x3 conv on 56x56, one thread:
/// 14.5 ms with AVX-512, 6.0 ms with AVX2). An explicit AVX-512 target
/// compiles correctly (see Weights in Layers.h).
Target hostTarget() {
  Target host = get_host_target();
  for (Target::Feature f : {Target::AVX512, Target::AVX512_KNL,
                            Target::AVX512_Skylake, Target::AVX512_Cannonlake,
                            Target::AVX512_SapphireRapids})
    host = host.without_feature(f);
  return host;
}

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
    Target target = resolveTarget(request.target);
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

std::string layerc::lowering::runGraph(const LayerGraph &graph,
                                       const std::vector<HostTensor> &inputs,
                                       std::vector<HostTensor> &outputs) {
  try {
    Target target = hostTarget().with_feature(Target::JIT);
    BuiltPipeline built = buildPipeline(graph, target);
    std::vector<Buffer<float>> inputBuffers;
    for (size_t i = 0; i < inputs.size(); ++i) {
      inputBuffers.push_back(toBuffer(inputs[i], cIdentifier(graph.inputs[i].name)));
      built.inputs[i].set(inputBuffers.back());
    }
    std::vector<Buffer<>> results;
    outputs.clear();
    for (size_t i = 0; i < built.outputs.size(); ++i) {
      const ModelOutput &out = graph.outputs[i];
      std::vector<int64_t> shape =
          out.node >= 0 ? graph.nodes[out.node].shape
                        : graph.inputs[-out.node - 1].shape;
      std::vector<int> sizes(shape.rbegin(), shape.rend());
      results.push_back(Buffer<float>(sizes));
      outputs.push_back({shape, {}});
    }
    Pipeline pipeline = built.pipeline();
    pipeline.realize(Realization(results), target);
    for (size_t i = 0; i < results.size(); ++i) {
      Buffer<float> b = results[i];
      outputs[i].data.assign(b.data(), b.data() + b.number_of_elements());
    }
    return "";
  } catch (const Halide::Error &e) {
    return std::string("execution failed: ") + e.what();
  }
}
