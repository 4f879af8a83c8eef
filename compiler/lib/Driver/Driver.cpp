//===- Driver.cpp - the layerc command line ------------------------------===//
//
//   layerc compile MODEL.nn [--weights W] [-o OUT] [--target T] [--emit KIND]
//   layerc check   MODEL.nn [--weights W]
//   layerc run     MODEL.nn [--weights W] --input NAME=FILE.npy ... [--output NAME=FILE.npy ...]
//   layerc bench   MODEL.nn [--weights W] [--shape NAME=D0,D1,...] [--threads T] [--profile] [--json]
//
// Every command reads the model through one path (frontend → nn module →
// passes), and every user error goes through MLIR's diagnostic engine,
// printed as FILE:LINE:COL: error: MESSAGE with the source line and a caret.
// Errors about the command line itself are plain `error: MESSAGE` lines.
//
//===----------------------------------------------------------------------===//
#include "layerc/Driver/Driver.h"
#include "BenchReport.h"
#include "CheckTable.h"
#include "DiagnosticPrinter.h"
#include "layerc/Dialect/NN/NNDialect.h"
#include "layerc/Dialect/NN/Passes.h"
#include "layerc/Frontend/MLIRGen.h"
#include "layerc/Lowering/BuildGraph.h"
#include "layerc/runtime.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/FormatVariadic.h"
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <map>
#include <thread>

using namespace mlir;
using namespace layerc;

namespace {

const char *kUsage =
    "usage: layerc COMMAND MODEL.nn [options]\n"
    "\n"
    "Commands:\n"
    "  compile   compile a model to an object file and a C header\n"
    "  check     verify a model (and its weights) and print a table per layer\n"
    "  run       compile for the host, run once on .npy inputs, write .npy outputs\n"
    "  bench     compile for the host and time the model: latency, GFLOP/s, share\n"
    "            of the FMA peak, page faults, memory; per layer with --profile\n"
    "\n"
    "Run 'layerc COMMAND --help' for the options of a command.\n";

const char *kCompileHelp =
    "usage: layerc compile MODEL.nn [--weights W.safetensors] [-o OUT]\n"
    "                      [--target T] [--emit KIND]\n"
    "\n"
    "Compiles MODEL.nn with its weights embedded. With --emit object (the\n"
    "default) writes OUT.o and OUT.h; OUT defaults to the model file's name\n"
    "without .nn. Link OUT.o with liblayerc_runtime.a -lpthread -ldl -lm.\n"
    "\n"
    "Options:\n"
    "  --weights W      safetensors file with the state_dict of the model; without\n"
    "                   it, parameters are deterministic pseudo-random (a warning)\n"
    "  -o OUT           output path (for object: OUT.o and OUT.h)\n"
    "  --target T       'host' (default) or a Halide target string such as\n"
    "                   x86-64-linux-avx2 or arm-64-linux\n"
    "  --emit KIND      object (default); mlir: the nn module after the passes\n"
    "                   (BatchNorms folded, activations fused); mlir-input: the\n"
    "                   nn module as written, before them;\n"
    "                   halide: the lowered Halide loop nest; assembly; llvm.\n"
    "                   Text kinds go to OUT when -o is given, else (or with\n"
    "                   -o -) to stdout\n";

const char *kCheckHelp =
    "usage: layerc check MODEL.nn [--weights W.safetensors]\n"
    "\n"
    "Verifies the model and prints one row per layer: op, input and output\n"
    "shapes, parameter shapes and count, FLOPs (2 per multiply-add for conv and\n"
    "linear; a dynamic dim counts once, marked ×?), and for norms the dims\n"
    "their statistics run over. With --weights, also checks the weights file:\n"
    "every tensor present, of the right shape and dtype, and readable.\n"
    "The last line is the workspace a call keeps for the next one (its\n"
    "intermediate tensors; one per concurrent call), for the host with the\n"
    "default thread count (HL_NUM_THREADS, else every core), computed from the\n"
    "lowered loop nest: a whole network takes seconds.\n";

const char *kRunHelp =
    "usage: layerc run MODEL.nn [--weights W.safetensors] --input NAME=FILE.npy ...\n"
    "                  [--output NAME=FILE.npy ...]\n"
    "\n"
    "Compiles the model for the host, runs it once and writes each output as\n"
    ".npy (default: NAME.npy in the working directory). Inputs are float32\n"
    "C-order .npy files; size symbols (N, L, ...) are taken from their shapes.\n"
    "Without --weights, parameters are deterministic pseudo-random (a warning).\n";

const char *kBenchHelp =
    "usage: layerc bench MODEL.nn [--weights W.safetensors] [--shape NAME=D0,D1,...]\n"
    "                    [--threads T] [--profile] [--json]\n"
    "\n"
    "Compiles the model for the host and calls it on pseudo-random inputs:\n"
    "after a warm-up, at least one second of calls (and at least 10), each\n"
    "timed. Prints the median, p10 and p90 latency; GFLOP/s of the conv and\n"
    "linear multiply-adds and their share of this machine's FMA peak, measured\n"
    "in the same run with the same thread count (the multiply-adds of the\n"
    "direct definition: a 3x3 conv computed by Winograd does 2.25x fewer, so\n"
    "its share can pass 100%); the least memory traffic per\n"
    "call in GB/s; minor page faults per call; peak resident memory and the\n"
    "workspace kept between calls.\n"
    "\n"
    "Options:\n"
    "  --weights W      safetensors weights (default: pseudo-random, a warning)\n"
    "  --shape N=D,...  the shape of input N; needed for inputs with size\n"
    "                   symbols (--shape x=8,3,224,224 binds N=8)\n"
    "  --threads T      threads per call (default: every core)\n"
    "  --profile        also print the time of each layer (Halide's profiler)\n"
    "  --json           print one JSON object instead of text\n";

/// The parsed command line.
struct Options {
  std::string command;
  std::string model;
  std::string weights;
  std::string output;
  std::string target = "host";
  std::string emit = "object";
  std::vector<std::pair<std::string, std::string>> inputs, outputs, shapes;
  std::string threads;
  bool help = false, profile = false, json = false;
};

int usageError(const std::string &message) {
  llvm::errs() << "error: " << message << "\n";
  return 1;
}

/// Splits NAME=FILE.
bool splitBinding(const std::string &text, std::pair<std::string, std::string> &out) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    return false;
  out = {text.substr(0, eq), text.substr(eq + 1)};
  return true;
}

/// Parses argv after the command; returns false after printing an error.
bool parseOptions(int argc, char **argv, Options &options) {
  std::map<std::string, std::vector<std::string>> allowed = {
      {"compile", {"--weights", "-o", "--target", "--emit"}},
      {"check", {"--weights"}},
      {"run", {"--weights", "--input", "--output"}},
      {"bench", {"--weights", "--shape", "--threads", "--profile", "--json"}},
  };
  const std::vector<std::string> &flags = allowed[options.command];
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      options.help = true;
      continue;
    }
    if (arg.size() > 1 && arg[0] == '-') {
      std::string flag = arg, value;
      size_t eq = arg.find('=');
      bool inlineValue = arg.rfind("--", 0) == 0 && eq != std::string::npos;
      if (inlineValue) {
        flag = arg.substr(0, eq);
        value = arg.substr(eq + 1);
      }
      if (std::find(flags.begin(), flags.end(), flag) == flags.end()) {
        usageError("unknown option '" + flag + "' for 'layerc " +
                   options.command + "' (see 'layerc " + options.command +
                   " --help')");
        return false;
      }
      if (flag == "--profile" || flag == "--json") {
        if (inlineValue) {
          usageError("option '" + flag + "' takes no value");
          return false;
        }
        (flag == "--profile" ? options.profile : options.json) = true;
        continue;
      }
      if (!inlineValue) {
        if (i + 1 >= argc) {
          usageError("option '" + flag + "' needs a value");
          return false;
        }
        value = argv[++i];
      }
      if (flag == "--weights") {
        options.weights = value;
      } else if (flag == "-o") {
        options.output = value;
      } else if (flag == "--target") {
        options.target = value;
      } else if (flag == "--emit") {
        options.emit = value;
      } else if (flag == "--threads") {
        options.threads = value;
      } else {
        std::pair<std::string, std::string> binding;
        bool shape = flag == "--shape";
        if (!splitBinding(value, binding)) {
          usageError("option '" + flag + "' expects " +
                     (shape ? "NAME=D0,D1,..." : "NAME=FILE.npy") + ", got '" +
                     value + "'");
          return false;
        }
        (shape ? options.shapes
               : flag == "--input" ? options.inputs : options.outputs)
            .push_back(binding);
      }
      continue;
    }
    if (!options.model.empty()) {
      usageError("unexpected argument '" + arg + "' (the model is '" +
                 options.model + "')");
      return false;
    }
    options.model = arg;
  }
  if (!options.help && options.model.empty()) {
    usageError("no model file given (see 'layerc " + options.command +
               " --help')");
    return false;
  }
  return true;
}

/// Everything the commands share: the context with its diagnostic printer,
/// the source, the built module.
class Session {
public:
  Session() : printer(context, llvm::errs()) {
    context.loadDialect<nn::NNDialect, func::FuncDialect>();
    context.printOpOnDiagnostic(false);  // users see their line, not the IR
  }

  /// Reads and builds the model and runs the passes; false after an error.
  bool load(const std::string &path) {
    auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
    if (!buffer) {
      usageError("cannot read model file '" + path + "': " +
                 buffer.getError().message());
      return false;
    }
    llvm::StringRef source = (*buffer)->getBuffer();
    printer.addSource(path, source);
    module = frontend::parseAndBuild(context, source, path);
    if (!module)
      return false;
    PassManager pm(&context);
    pm.addPass(createCanonicalizerPass());
    return succeeded(pm.run(*module));
  }

  /// Specializes the model to concrete sizes of its size symbols.
  bool bindSizes(const std::map<std::string, int64_t> &sizes) {
    std::string bindings;
    for (const auto &[symbol, size] : sizes)
      bindings += (bindings.empty() ? "" : ",") + symbol + "=" + std::to_string(size);
    PassManager pm(&context);
    nn::NNInferShapesOptions options;
    options.bind = bindings;
    pm.addNestedPass<func::FuncOp>(nn::createNNInferShapes(options));
    return succeeded(pm.run(*module));
  }

  /// Opens the weights file (when given); false after an error.
  bool openWeights(const std::string &path) {
    if (path.empty()) {
      emitWarning(model().getLoc())
          << "no --weights given: parameters are deterministic pseudo-random "
             "values";
      return true;
    }
    std::string error;
    weights = SafeTensorsFile::open(path, error);
    if (!weights)
      usageError(error);
    return bool(weights);
  }

  /// Fuses layers for the backend: BatchNorms folded into convs and
  /// linears, activations into their producers. `--emit mlir` shows the
  /// result.
  bool fuse() {
    PassManager pm(&context);
    pm.addNestedPass<func::FuncOp>(nn::createNNFoldBatchNorm());
    pm.addNestedPass<func::FuncOp>(nn::createNNFuseActivations());
    return succeeded(pm.run(*module));
  }

  /// Opens the weights (or warns that there are none) and checks them
  /// against the model as written, so that errors point at the layer that
  /// owns the tensor. With `fuseLayers`, then fuses and returns the graph
  /// the backend compiles (the tensors are read once).
  FailureOr<lowering::LayerGraph> bindWeights(const std::string &path,
                                              bool fuseLayers = true) {
    if (!openWeights(path))
      return failure();
    FailureOr<lowering::LayerGraph> graph =
        lowering::buildLayerGraph(model(), weights.get(), loaded);
    if (failed(graph) || !fuseLayers)
      return graph;
    if (!fuse())
      return failure();
    return lowering::buildLayerGraph(model(), weights.get(), loaded,
                                     /*warnUnexpected=*/false);
  }

  func::FuncOp model() { return lowering::getModelFunction(*module); }

  MLIRContext context;
  driver::DiagnosticPrinter printer;
  OwningOpRef<ModuleOp> module;
  std::unique_ptr<SafeTensorsFile> weights;
  lowering::LoadedTensors loaded;
};

/// An error message when `path` cannot be created (its folder is missing or
/// read-only), else "". Checked before any work so that nothing is written.
std::string unwritable(const std::string &path) {
  llvm::StringRef parent = llvm::sys::path::parent_path(path);
  std::string folder = parent.empty() ? "." : parent.str();
  if (!llvm::sys::fs::is_directory(folder))
    return "cannot write '" + path + "': folder '" + folder + "' does not exist";
  if (llvm::sys::fs::access(folder, llvm::sys::fs::AccessMode::Write))
    return "cannot write '" + path + "': folder '" + folder + "' is not writable";
  return "";
}

/// Tells the user what is happening when a step runs longer than a few
/// seconds (a whole network takes tens of seconds to compile): one line on
/// stderr after 3 s (LAYERC_NOTE_AFTER_S, for the tests), and the total
/// time at the end.
class SlowStepNote {
public:
  explicit SlowStepNote(std::string what)
      : start(std::chrono::steady_clock::now()), watcher([this, what] {
          std::unique_lock<std::mutex> lock(mutex);
          const char *after = std::getenv("LAYERC_NOTE_AFTER_S");
          auto wait = std::chrono::milliseconds(after ? int(1000 * std::atof(after)) : 3000);
          if (!done.wait_for(lock, wait, [this] { return finished; })) {
            llvm::errs() << "layerc: " << what << "...\n";
            printed = true;
          }
        }) {}
  ~SlowStepNote() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      finished = true;
    }
    done.notify_one();
    watcher.join();
    if (printed)
      llvm::errs() << llvm::formatv(
          "layerc: done in {0:F1} s\n",
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }

private:
  std::chrono::steady_clock::time_point start;
  std::mutex mutex;
  std::condition_variable done;
  bool finished = false, printed = false;
  std::thread watcher;
};

/// The threads a call runs on by default: HL_NUM_THREADS, else every core
/// (as the runtime decides).
int defaultThreads() {
  int threads = 0;
  if (const char *env = std::getenv("HL_NUM_THREADS"))
    threads = std::atoi(env);
  return threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency()));
}

/// The line of `check` that gives the workspace a call keeps between calls
/// (computed from the lowered pipeline, for the host). False after an
/// error.
bool printWorkspace(Session &session) {
  if (!session.fuse())
    return false;
  FailureOr<lowering::LayerGraph> graph = lowering::buildLayerGraph(
      session.model(), session.weights.get(), session.loaded,
      /*warnUnexpected=*/false);
  if (failed(graph))
    return false;
  std::vector<std::string> symbols;
  for (const lowering::ModelInput &input : graph->inputs)
    for (const std::string &symbol : input.symbols)
      if (!symbol.empty() && llvm::find(symbols, symbol) == symbols.end())
        symbols.push_back(symbol);
  if (!symbols.empty()) {
    llvm::outs() << "workspace: depends on the size symbols ("
                 << llvm::join(symbols, ", ") << ")\n";
    return true;
  }
  int threads = defaultThreads();
  int64_t bytes = 0;
  std::string error;
  {
    SlowStepNote note("lowering '" + graph->name + "' to size its workspace");
    error = lowering::workspaceOfGraph(*graph, threads, bytes);
  }
  if (!error.empty()) {
    emitError(session.model().getLoc()) << error;
    return false;
  }
  if (bytes < 0)
    llvm::outs() << "workspace: depends on the input sizes\n";
  else
    llvm::outs() << llvm::formatv("workspace: {0} bytes ({1:F1} MB) kept between "
                                  "calls, with {2} thread{3}\n",
                                  bytes, bytes / 1e6, threads, threads == 1 ? "" : "s");
  return true;
}

int runCheck(const Options &options) {
  Session session;
  if (!session.load(options.model))
    return 1;
  if (!options.weights.empty() &&
      failed(session.bindWeights(options.weights, /*fuseLayers=*/false)))
    return 1;
  driver::printCheckTable(session.model(), llvm::outs());
  return printWorkspace(session) ? 0 : 1;
}

std::string defaultOutputBase(const std::string &model) {
  llvm::SmallString<128> base(llvm::sys::path::filename(model));
  llvm::sys::path::replace_extension(base, "");
  return base.str().str();
}

int runCompile(const Options &options) {
  static const std::map<std::string, lowering::EmitKind> emits = {
      {"object", lowering::EmitKind::Object},
      {"assembly", lowering::EmitKind::Assembly},
      {"llvm", lowering::EmitKind::LLVM},
      {"halide", lowering::EmitKind::Halide}};
  bool emitMlir = options.emit == "mlir" || options.emit == "mlir-input";
  if (!emitMlir && !emits.count(options.emit))
    return usageError("unknown --emit kind '" + options.emit +
                      "' (expected object, mlir, mlir-input, halide, assembly or llvm)");
  if (std::string error = lowering::validateTarget(options.target); !error.empty())
    return usageError(error);
  // `-o -`: stdout, as without -o; an object and its header need a path.
  bool dashOutput = options.output == "-";
  if (dashOutput && options.emit == "object")
    return usageError("'-o -' writes text (--emit mlir, halide, assembly or "
                      "llvm) to stdout; an object needs a file name");
  std::string output = dashOutput ? "" : options.output;
  Session session;
  if (!session.load(options.model))
    return 1;
  if (!output.empty())
    if (std::string error = unwritable(output); !error.empty())
      return usageError(error);
  std::string base = output.empty() ? defaultOutputBase(options.model) : output;
  if (options.emit == "object")
    if (std::string error = unwritable(base); !error.empty())
      return usageError(error);
  if (emitMlir) {
    if (options.emit == "mlir" && !session.fuse())
      return 1;
    std::error_code ec;
    if (output.empty()) {
      session.module->print(llvm::outs());
      return 0;
    }
    llvm::raw_fd_ostream out(output, ec);
    if (ec)
      return usageError("cannot write '" + output + "': " + ec.message());
    session.module->print(out);
    return 0;
  }
  FailureOr<lowering::LayerGraph> graph = session.bindWeights(options.weights);
  if (failed(graph))
    return 1;

  lowering::CompileRequest request;
  request.target = options.target;
  request.emit = emits.at(options.emit);
  request.sourceName = options.model;
  bool toStdout = false;
  if (request.emit == lowering::EmitKind::Object) {
    // `-o out` and `-o out.o` both give out.o and out.h.
    if (llvm::StringRef(base).ends_with(".o"))
      base = base.substr(0, base.size() - 2);
    request.outputPath = base + ".o";
    request.headerPath = base + ".h";
  } else if (output.empty()) {
    toStdout = true;
    llvm::SmallString<128> tmp;
    llvm::sys::fs::createTemporaryFile("layerc", "txt", tmp);
    request.outputPath = tmp.str().str();
  } else {
    request.outputPath = output;
  }
  std::string error;
  {
    SlowStepNote note("compiling '" + graph->name + "' (" +
                      std::to_string(graph->nodes.size()) + " layers) for " +
                      (options.target == "host" ? lowering::hostTargetName()
                                                : options.target));
    error = lowering::compileGraph(*graph, request);
  }
  if (!error.empty()) {
    emitError(session.model().getLoc()) << error;
    return 1;
  }
  if (toStdout) {
    auto text = llvm::MemoryBuffer::getFile(request.outputPath);
    if (text)
      llvm::outs() << (*text)->getBuffer();
    llvm::sys::fs::remove(request.outputPath);
  }
  return 0;
}

/// Reads a .npy input into a host tensor; "" or the error.
std::string readNpy(const std::string &file, lowering::HostTensor &host) {
  layerc_tensor tensor;
  if (layerc_status status = layerc_npy_read(file.c_str(), &tensor);
      status != LAYERC_OK)
    return "cannot read input '" + file + "': " + layerc_status_string(status);
  host.shape.assign(tensor.shape, tensor.shape + tensor.rank);
  host.data.assign(tensor.data, tensor.data + layerc_tensor_size(&tensor));
  layerc_tensor_free(&tensor);
  return "";
}

/// An input's shape as declared: `[N, 3, 32, 32]`, symbols by name.
std::string declaredShape(func::FuncOp model, BlockArgument arg) {
  auto type = cast<RankedTensorType>(arg.getType());
  auto symbols =
      model.getArgAttrOfType<ArrayAttr>(arg.getArgNumber(), nn::kInputSymbolsAttr);
  std::string text = "[";
  for (int64_t i = 0; i < type.getRank(); ++i) {
    text += i ? ", " : "";
    text += type.isDynamicDim(i) && symbols ? cast<StringAttr>(symbols[i]).str()
                                            : std::to_string(type.getDimSize(i));
  }
  return text + "]";
}

/// Checks one input's shape (from `source`: 'x.npy', --shape x=...)
/// against the model and records the sizes of its symbols (N=2,...) in
/// `sizes`; "" or the error.
std::string bindInputShape(func::FuncOp model, BlockArgument arg,
                           const std::string &source,
                           const std::vector<int64_t> &shape,
                           std::map<std::string, int64_t> &sizes) {
  std::string name = nn::describeValue(arg);
  auto type = cast<RankedTensorType>(arg.getType());
  if (int64_t(shape.size()) != type.getRank() ||
      llvm::any_of(llvm::seq<int64_t>(0, type.getRank()), [&](int64_t i) {
        return !type.isDynamicDim(i) && shape[i] != type.getDimSize(i);
      }))
    return "input '" + name + "' expects " + declaredShape(model, arg) + ", " +
           source + " has shape " + nn::formatShape(shape);
  auto symbols =
      model.getArgAttrOfType<ArrayAttr>(arg.getArgNumber(), nn::kInputSymbolsAttr);
  for (int64_t i = 0; i < type.getRank(); ++i) {
    if (!type.isDynamicDim(i))
      continue;
    std::string symbol = cast<StringAttr>(symbols[i]).str();
    auto [pos, inserted] = sizes.emplace(symbol, shape[i]);
    if (!inserted && pos->second != shape[i])
      return "size symbol " + symbol + " is " + std::to_string(pos->second) +
             " in one input and " + std::to_string(shape[i]) + " in input '" +
             name + "'";
  }
  return "";
}

/// Writes every output as .npy (NAME.npy unless renamed); on a failure
/// removes the ones written. "" or the error.
std::string writeOutputs(const lowering::LayerGraph &graph,
                         const std::vector<lowering::HostTensor> &outputs,
                         const std::map<std::string, std::string> &renamed) {
  std::vector<std::string> written;
  for (size_t i = 0; i < outputs.size(); ++i) {
    const std::string &name = graph.outputs[i].name;
    auto it = renamed.find(name);
    std::string path = it != renamed.end() ? it->second : name + ".npy";
    layerc_tensor tensor{};
    tensor.data = const_cast<float *>(outputs[i].data.data());
    tensor.rank = int(outputs[i].shape.size());
    std::copy(outputs[i].shape.begin(), outputs[i].shape.end(), tensor.shape);
    if (layerc_npy_write(path.c_str(), &tensor) != LAYERC_OK) {
      for (const std::string &done : written)
        llvm::sys::fs::remove(done);
      llvm::sys::fs::remove(path);
      return "cannot write output '" + path + "'";
    }
    written.push_back(path);
  }
  return "";
}

int runModel(const Options &options) {
  Session session;
  if (!session.load(options.model))
    return 1;
  func::FuncOp model = session.model();

  // Read every input and bind the size symbols from their shapes.
  std::map<std::string, std::string> inputFiles;
  for (const auto &[name, file] : options.inputs)
    if (!inputFiles.emplace(name, file).second)
      return usageError("input '" + name + "' is given twice");
  std::vector<lowering::HostTensor> inputs;
  std::map<std::string, int64_t> sizes;
  for (BlockArgument arg : model.getBody().front().getArguments()) {
    std::string name = nn::describeValue(arg);
    auto it = inputFiles.find(name);
    if (it == inputFiles.end())
      return usageError("missing --input " + name + "=FILE.npy");
    lowering::HostTensor host;
    if (std::string error = readNpy(it->second, host); !error.empty())
      return usageError(error);
    if (std::string error =
            bindInputShape(model, arg, "'" + it->second + "'", host.shape, sizes);
        !error.empty())
      return usageError(error);
    inputFiles.erase(it);
    inputs.push_back(std::move(host));
  }
  if (!inputFiles.empty())
    return usageError("the model has no input named '" +
                      inputFiles.begin()->first + "'");
  if (!session.bindSizes(sizes))
    return 1;

  std::map<std::string, std::string> renamed(options.outputs.begin(),
                                             options.outputs.end());
  for (const auto &[name, file] : renamed)
    if (std::string error = unwritable(file); !error.empty())
      return usageError(error);
  FailureOr<lowering::LayerGraph> graph = session.bindWeights(options.weights);
  if (failed(graph))
    return 1;
  for (const auto &binding : renamed) {
    const std::string &name = binding.first;
    if (llvm::none_of(graph->outputs, [&](const lowering::ModelOutput &out) {
          return out.name == name;
        }))
      return usageError("the model has no output named '" + name + "'");
  }
  std::vector<lowering::HostTensor> outputs;
  if (std::string error = lowering::runGraph(*graph, inputs, outputs);
      !error.empty()) {
    emitError(model.getLoc()) << error;
    return 1;
  }
  if (std::string error = writeOutputs(*graph, outputs, renamed); !error.empty())
    return usageError(error);
  return 0;
}
/// Parses D0,D1,... (positive sizes); false on anything else.
bool parseDims(const std::string &text, std::vector<int64_t> &dims) {
  dims.clear();
  llvm::SmallVector<llvm::StringRef> parts;
  llvm::StringRef(text).split(parts, ',');
  for (llvm::StringRef part : parts) {
    int64_t d;
    if (part.trim().getAsInteger(10, d) || d < 1 || d > INT32_MAX)
      return false;
    dims.push_back(d);
  }
  return !dims.empty();
}

/// Deterministic pseudo-random values in [-1, 1).
void fillPseudoRandom(lowering::HostTensor &t, uint32_t seed) {
  int64_t n = 1;
  for (int64_t d : t.shape)
    n *= d;
  t.data.resize(n);
  for (float &v : t.data) {
    seed = seed * 1664525u + 1013904223u;
    v = float(seed >> 8) / float(1 << 23) - 1.0f;
  }
}

int runBench(const Options &options) {
  int threads = int(std::max(1u, std::thread::hardware_concurrency()));
  if (!options.threads.empty() &&
      (llvm::StringRef(options.threads).getAsInteger(10, threads) || threads < 1 ||
       threads > 1024))
    return usageError("--threads expects a positive number, got '" +
                      options.threads + "'");
  Session session;
  if (!session.load(options.model))
    return 1;
  func::FuncOp model = session.model();

  std::map<std::string, std::string> shapeArgs;
  for (const auto &[name, dims] : options.shapes)
    if (!shapeArgs.emplace(name, dims).second)
      return usageError("--shape " + name + " is given twice");
  std::vector<lowering::HostTensor> inputs;
  std::map<std::string, int64_t> sizes;
  for (BlockArgument arg : model.getBody().front().getArguments()) {
    std::string name = nn::describeValue(arg);
    auto type = cast<RankedTensorType>(arg.getType());
    lowering::HostTensor host;
    auto it = shapeArgs.find(name);
    if (it != shapeArgs.end()) {
      if (!parseDims(it->second, host.shape))
        return usageError("--shape " + name + " expects positive sizes D0,D1,..., got '" +
                          it->second + "'");
      if (std::string error = bindInputShape(model, arg, "--shape " + name,
                                             host.shape, sizes);
          !error.empty())
        return usageError(error);
      shapeArgs.erase(it);
    } else if (type.hasStaticShape()) {
      host.shape.assign(type.getShape().begin(), type.getShape().end());
    } else {
      return usageError("input '" + name + "' has size symbols " +
                        declaredShape(model, arg) + ": give --shape " + name +
                        "=D0,D1,...");
    }
    fillPseudoRandom(host, uint32_t(inputs.size() + 1));
    inputs.push_back(std::move(host));
  }
  if (!shapeArgs.empty())
    return usageError("the model has no input named '" + shapeArgs.begin()->first + "'");
  if (!session.bindSizes(sizes))
    return 1;
  FailureOr<lowering::LayerGraph> graph = session.bindWeights(options.weights);
  if (failed(graph))
    return 1;

  // The Halide runtime sizes its thread pool from this on first use.
  setenv("HL_NUM_THREADS", std::to_string(threads).c_str(), 1);
  driver::BenchReport report;
  report.graph = &*graph;
  report.threads = threads;
  report.target = lowering::hostTargetName();
  report.peak = driver::measureFmaPeak(threads);
  lowering::BenchRequest request;
  request.profile = options.profile;
  if (std::string error = lowering::benchGraph(*graph, inputs, request, report.result);
      !error.empty()) {
    emitError(model.getLoc()) << error;
    return 1;
  }
  driver::printBenchReport(report, options.json, llvm::outs());
  return 0;
}
} // namespace

int layerc::driver::run(int argc, char **argv) {
  if (argc < 2) {
    llvm::errs() << kUsage;
    return 1;
  }
  std::string command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    llvm::outs() << kUsage;
    return 0;
  }
  static const std::map<std::string, const char *> helps = {
      {"compile", kCompileHelp}, {"check", kCheckHelp}, {"run", kRunHelp},
      {"bench", kBenchHelp}};
  if (!helps.count(command)) {
    llvm::errs() << "error: unknown command '" << command << "'\n\n" << kUsage;
    return 1;
  }
  Options options;
  options.command = command;
  if (!parseOptions(argc, argv, options))
    return 1;
  if (options.help) {
    llvm::outs() << helps.at(command);
    return 0;
  }
  if (command == "check")
    return runCheck(options);
  if (command == "compile")
    return runCompile(options);
  if (command == "bench")
    return runBench(options);
  return runModel(options);
}
