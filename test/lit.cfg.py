# lit configuration of the layerc tests.
import os
import subprocess
import shutil
import lit.formats
from lit.llvm import llvm_config

config.name = "layerc"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".nn", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.layerc_obj_root, "test")
config.environment["FILECHECK_OPTS"] = "-enable-var-scope"
config.environment["LAYERC_BUILD"] = config.layerc_obj_root
config.environment["LAYERC_CC"] = config.c_compiler
# For the sanitizer build: Halide's own allocations held until exit are not
# leaks of ours; report UBSan findings as failures.
config.environment["LSAN_OPTIONS"] = "suppressions=" + os.path.join(
    config.layerc_src_root, "test", "lsan.supp") + ":print_suppressions=0"
config.environment["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
if config.layerc_sanitize:
    # Whole networks take minutes to compile under the sanitizers: such
    # tests say `UNSUPPORTED: sanitizers` and run in the normal build only.
    config.available_features.add("sanitizers")
    # Halide compiles on a large stack made with makecontext, which ASan
    # warns about on every run; compile on the thread's own stack instead.
    config.environment["HL_COMPILER_STACK_SIZE"] = "0"
if config.layerc_fuzz:
    # The libFuzzer targets are built (compiler/tools/layerc-fuzz).
    config.available_features.add("fuzzers")
config.substitutions.append(("%cc", config.c_compiler))

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.layerc_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

# Debian's torch and numpy live under the system interpreter.
config.substitutions.append(("%python", "/usr/bin/python3"))
config.substitutions.append(("%e2e", "/usr/bin/python3 " +
                             os.path.join(config.layerc_src_root, "test", "E2E", "e2e.py")))
config.substitutions.append(("%runtime_include",
                             os.path.join(config.layerc_src_root, "runtime", "include")))
config.substitutions.append(("%runtime_build_include",
                             os.path.join(config.layerc_obj_root, "runtime", "include")))
config.substitutions.append(("%runtime_lib",
                             os.path.join(config.layerc_lib_dir, "liblayerc_runtime.a")))
# The runtime as sources plus the Halide runtime object, for tests that
# build it with a sanitizer (the library itself is never sanitized).
config.substitutions.append(("%runtime_sources", " ".join(
    os.path.join(config.layerc_src_root, "runtime", "src", f)
    for f in ("npy.c", "workspace.c", "halide_glue.c"))))
# (layerc_runtime_library() in compiler/cmake/LayercRuntime.cmake writes it.)
config.substitutions.append(("%halide_runtime_object", os.path.join(
    config.layerc_obj_root, "runtime", "layerc_runtime.dir", "halide_runtime.o")))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))
# The CMake package tests (CMake/) configure projects against this build.
config.substitutions.append(("%cmake", config.cmake_command))
config.substitutions.append(("%layerc_build_dir", config.layerc_obj_root))
config.substitutions.append(("%layerc_src_root", config.layerc_src_root))

# Host features that some tests need.
if shutil.which("ninja"):
    config.available_features.add("ninja")
# Cross builds for 64-bit Arm Linux, run under qemu (CMake/cross_arm64.test).
if shutil.which("aarch64-linux-gnu-gcc") and shutil.which("qemu-aarch64"):
    config.available_features.add("aarch64-cross")
try:
    if " avx512f " in open("/proc/cpuinfo").read().replace("\n", " "):
        config.available_features.add("avx512")
except OSError:
    pass

# Python modules some suites need, under Debian's interpreter: say when one
# is missing instead of silently skipping.
for feature, modules, what in (
        ("torch", "torch, numpy", "the E2E tests"),
        ("torchvision", "torchvision", "the tests of torchvision's models")):
    try:
        subprocess.run(["/usr/bin/python3", "-c", "import " + modules], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        config.available_features.add(feature)
    except Exception:
        lit_config.warning(f"{modules} not importable by /usr/bin/python3: "
                           f"{what} will be reported UNSUPPORTED")
