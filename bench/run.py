#!/usr/bin/python3
"""Side-by-side benchmark: layerc against PyTorch's best CPU configuration.

For each case, the same one-layer (or small) model is written in .nn and in
torch.nn. Per thread count, rounds alternate: `layerc bench --json` (which
compiles the model, times >= 1 s of calls after a warm-up, and measures
this machine's FMA peak with the same thread count), then PyTorch timed the
same way in this process, then layerc again, ... Medians over the rounds go
into a Markdown table: torch ms, layerc ms, ratio (torch / layerc: above 1
means layerc is faster), GFLOP/s and % of the FMA peak measured in the same
run, GB/s of the least traffic, page faults per call of each.

PyTorch's best here: eval mode, torch.no_grad(), torch and OpenBLAS thread
counts both set, OpenBLAS installed, and glibc told to keep freed memory
(MALLOC_MMAP_THRESHOLD_/MALLOC_TRIM_THRESHOLD_; the script re-executes
itself with them), else PyTorch page-faults on every call.

Usage: bench/run.py [--build DIR] [--threads 1,2] [--rounds 3] [--only SUBSTR]
                    [--out FILE.md] [--list]
"""
import argparse
import ctypes
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

MALLOC_ENV = {"MALLOC_MMAP_THRESHOLD_": "1000000000",
              "MALLOC_TRIM_THRESHOLD_": "1000000000"}
if any(os.environ.get(k) != v for k, v in MALLOC_ENV.items()):
    os.environ.update(MALLOC_ENV)
    os.execv(sys.executable, [sys.executable] + sys.argv)

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

from machine import cpu_name  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

try:
    _OPENBLAS = ctypes.CDLL("libopenblas.so.0")
except OSError:
    _OPENBLAS = None


def set_torch_threads(t):
    torch.set_num_threads(t)
    if _OPENBLAS is not None:
        _OPENBLAS.openblas_set_num_threads(t)


class Case:
    """A model as .nn text plus its torch twin and input shapes."""

    def __init__(self, name, nn_text, torch_module, shapes, bind=None):
        self.name = name
        self.nn_text = nn_text
        self.torch_module = torch_module  # () -> nn.Module
        self.shapes = shapes              # {input: shape}
        self.bind = bind or {}            # --shape for symbolic inputs

    def write(self, directory, stem):
        """Writes the .nn (and weights); returns the `layerc bench` arguments."""
        path = os.path.join(directory, stem + ".nn")
        with open(path, "w") as f:
            f.write(self.nn_text)
        return [path]

    def reference(self):
        """The torch module as PyTorch runs it best."""
        return self.torch_module().eval()


class NetworkCase(Case):
    """A whole torchvision network: exported by layerc-export (batch a size
    symbol) with its weights; PyTorch runs it scripted and frozen by
    torch.jit.optimize_for_inference, its best whole-model configuration."""

    def __init__(self, name, factory, shape):
        super().__init__(name, None, factory, {"x": shape}, {"x": shape})

    def write(self, directory, stem):
        sys.path.insert(0, os.path.join(ROOT, "compiler", "tools", "layerc-export"))
        import layerc_export
        module = self.torch_module().eval()
        example = torch.randn(2, *self.shapes["x"][1:])
        base = os.path.join(directory, stem)
        layerc_export.export(module, {"x": example}, base, symbols={"x": {0: "N"}})
        self.module = module
        return [base + ".nn", "--weights", base + ".safetensors"]

    def reference(self):
        with torch.no_grad():
            return torch.jit.optimize_for_inference(torch.jit.script(self.module))


def network(name, shape):
    import torchvision
    return NetworkCase(f"{name}, batch {shape[0]}, {shape[2]}x{shape[3]}",
                       getattr(torchvision.models, name), shape)


def conv_case(name, shape, cin, cout, k, torch_kwargs, nn_args, symbolic=False,
              dims=2):
    cls = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}[dims]
    decl = ["N"] + [str(d) for d in shape[1:]] if symbolic else [str(d) for d in shape]
    text = (f"model bench\ninput x: f32[{', '.join(decl)}]\n"
            f"y = Conv{dims}d({cin}, {cout}, {k}{nn_args})(x)\noutput y\n")
    bind = {"x": shape} if symbolic else {}
    return Case(name, text, lambda: cls(cin, cout, k, **torch_kwargs), {"x": shape}, bind)


def simple_case(name, shape, nn_layer, torch_module):
    text = (f"model bench\ninput x: f32[{', '.join(map(str, shape))}]\n"
            f"y = {nn_layer}(x)\noutput y\n")
    return Case(name, text, torch_module, {"x": shape})


class ConvBnRelu(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(64, 64, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.conv2 = nn.Conv2d(64, 64, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(64)

    def forward(self, x):
        return torch.relu(self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x))))))


CONV_BN_RELU = """model bench
input x: f32[1, 64, 56, 56]
conv1 = Conv2d(64, 64, 3, padding=1, bias=false)(x)
bn1 = BatchNorm2d(64)(conv1)
act1 = ReLU()(bn1)
conv2 = Conv2d(64, 64, 3, padding=1, bias=false)(act1)
bn2 = BatchNorm2d(64)(conv2)
act2 = ReLU()(bn2)
output act2
"""

CASES = [
    conv_case("conv 3x3 64->64, 56x56", (1, 64, 56, 56), 64, 64, 3,
              {"padding": 1}, ", padding=1"),
    conv_case("conv 7x7/2 3->64, 224x224", (1, 3, 224, 224), 3, 64, 7,
              {"stride": 2, "padding": 3}, ", stride=2, padding=3"),
    conv_case("conv 3x3 256->256, 14x14", (1, 256, 14, 14), 256, 256, 3,
              {"padding": 1}, ", padding=1"),
    conv_case("conv 1x1 256->64, 56x56", (1, 256, 56, 56), 256, 64, 1, {}, ""),
    conv_case("depthwise 3x3, 32 ch, 112x112", (1, 32, 112, 112), 32, 32, 3,
              {"padding": 1, "groups": 32}, ", padding=1, groups=32"),
    conv_case("grouped 3x3 g4 128->128, 28x28", (1, 128, 28, 28), 128, 128, 3,
              {"padding": 1, "groups": 4}, ", padding=1, groups=4"),
    conv_case("dilated 3x3 d2 64->64, 56x56", (1, 64, 56, 56), 64, 64, 3,
              {"padding": 2, "dilation": 2}, ", padding=2, dilation=2"),
    conv_case("conv 3x3 reflect 64->64, 56x56", (1, 64, 56, 56), 64, 64, 3,
              {"padding": 1, "padding_mode": "reflect"},
              ', padding=1, padding_mode="reflect"'),
    conv_case("conv 3x3 circular 64->64, 56x56", (1, 64, 56, 56), 64, 64, 3,
              {"padding": 1, "padding_mode": "circular"},
              ', padding=1, padding_mode="circular"'),
    conv_case("Conv1d k3 64->64, 4096", (1, 64, 4096), 64, 64, 3,
              {"padding": 1}, ", padding=1", dims=1),
    conv_case("Conv3d 3x3x3 16->32, 16x56x56", (1, 16, 16, 56, 56), 16, 32, 3,
              {"padding": 1}, ", padding=1", dims=3),
    simple_case("Linear 1024->4096, batch 1", (1, 1024), "Linear(1024, 4096)",
                lambda: nn.Linear(1024, 4096)),
    simple_case("Linear 1024->4096, batch 64", (64, 1024), "Linear(1024, 4096)",
                lambda: nn.Linear(1024, 4096)),
    simple_case("Linear 768->3072, 1x128x768", (1, 128, 768), "Linear(768, 3072)",
                lambda: nn.Linear(768, 3072)),
    simple_case("LayerNorm [768], 1x128x768", (1, 128, 768), "LayerNorm(768)",
                lambda: nn.LayerNorm(768)),
    simple_case("BatchNorm2d 256, 56x56", (1, 256, 56, 56), "BatchNorm2d(256)",
                lambda: nn.BatchNorm2d(256)),
    simple_case("GroupNorm(32, 256), 56x56", (1, 256, 56, 56), "GroupNorm(32, 256)",
                lambda: nn.GroupNorm(32, 256)),
    simple_case("Sigmoid, 1x64x112x112", (1, 64, 112, 112), "Sigmoid()",
                lambda: nn.Sigmoid()),
    simple_case("ReLU, 1x64x112x112", (1, 64, 112, 112), "ReLU()", lambda: nn.ReLU()),
    Case("conv+BN+ReLU x2, 64 ch, 56x56", CONV_BN_RELU, ConvBnRelu,
         {"x": (1, 64, 56, 56)}),
    conv_case("symbolic batch conv 3x3 64->64, N=1", (1, 64, 56, 56), 64, 64, 3,
              {"padding": 1}, ", padding=1", symbolic=True),
    conv_case("symbolic batch conv 3x3 64->64, N=8", (8, 64, 56, 56), 64, 64, 3,
              {"padding": 1}, ", padding=1", symbolic=True),
    network("resnet18", (1, 3, 224, 224)),
    network("resnet18", (8, 3, 224, 224)),
    network("mobilenet_v2", (1, 3, 224, 224)),
]


def time_torch(case, module, inputs, threads, seconds=1.0):
    set_torch_threads(threads)
    with torch.no_grad():
        for _ in range(3):
            module(*inputs)
        times = []
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        end = time.perf_counter() + seconds
        while time.perf_counter() < end or len(times) < 10:
            t0 = time.perf_counter()
            module(*inputs)
            times.append(time.perf_counter() - t0)
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
    return statistics.median(times), faults / len(times)


def run_layerc(layerc, model_args, case, threads):
    cmd = [layerc, "bench"] + model_args + ["--json", "--threads", str(threads)]
    for name, shape in case.bind.items():
        cmd += ["--shape", f"{name}={','.join(map(str, shape))}"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    p.add_argument("--threads", default="1,2")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--only", action="append", default=[])
    p.add_argument("--out", default="")
    p.add_argument("--list", action="store_true")
    args = p.parse_args()
    cases = [c for c in CASES if not args.only or any(s in c.name for s in args.only)]
    if args.list:
        print("\n".join(c.name for c in cases))
        return 0
    layerc = os.path.join(args.build, "bin", "layerc")
    threads = [int(t) for t in args.threads.split(",")]
    torch.manual_seed(0)
    work = tempfile.mkdtemp(prefix="layerc-bench-")
    rows = []
    for i, case in enumerate(cases):
        model_args = case.write(work, f"case{i}")
        module = case.reference()
        inputs = [torch.randn(*s) for s in case.shapes.values()]
        for t in threads:
            torch_ms, torch_faults, lc = [], [], []
            for _ in range(args.rounds):
                lc.append(run_layerc(layerc, model_args, case, t))
                ms, faults = time_torch(case, module, inputs, t)
                torch_ms.append(ms * 1e3)
                torch_faults.append(faults)
            med = lambda key: statistics.median(r[key] for r in lc)  # noqa: E731
            row = {
                "case": case.name, "threads": t,
                "torch_ms": statistics.median(torch_ms),
                "layerc_ms": med("median_ms"),
                "gflops": med("gflops_per_s"), "peak": med("fma_peak_gflops_per_s"),
                "gbytes": med("gbytes_per_s"), "flops": lc[0]["flops"],
                "faults": med("page_faults_per_call"),
                "torch_faults": statistics.median(torch_faults),
            }
            row["ratio"] = row["torch_ms"] / row["layerc_ms"]
            row["peak_pct"] = 100 * row["gflops"] / row["peak"] if row["flops"] else None
            rows.append(row)
            print(f"{case.name:40s} T{t}: torch {row['torch_ms']:8.3f} ms  layerc "
                  f"{row['layerc_ms']:8.3f} ms  ratio {row['ratio']:5.2f}  "
                  + (f"{row['peak_pct']:5.1f}% of {row['peak']:.0f} GFLOP/s" if row["flops"]
                     else f"{row['gbytes']:6.1f} GB/s"), flush=True)
    table = render(rows, threads)
    if args.out:
        with open(args.out, "w") as f:
            f.write(table)
    print(table)
    return 0


def render(rows, threads):
    lines = [f"# layerc vs PyTorch, side by side ({time.strftime('%Y-%m-%d')})", "",
             f"Machine: {cpu_name()}, {os.cpu_count()} cores. PyTorch {torch.__version__}"
             f" (OpenBLAS {'loaded' if _OPENBLAS else 'missing'}), float32, eval, no_grad,"
             " tuned malloc, torch and OpenBLAS threads set. Each figure is the median"
             " over rounds that alternate layerc and PyTorch; each round times >= 1 s of"
             " calls after a warm-up. Ratio = torch ms / layerc ms (> 1: layerc faster)."
             " % peak: GFLOP/s of the conv/linear multiply-adds over the FMA peak that"
             " `layerc bench` measured in the same round with the same thread count."
             " GB/s: the least traffic of a call (inputs, weights, outputs once).", ""]
    for t in threads:
        peak = statistics.median(r["peak"] for r in rows if r["threads"] == t)
        lines += [f"## {t} thread{'s' if t > 1 else ''} (FMA peak measured: {peak:.0f} GFLOP/s)", "",
                  "| case | torch ms | layerc ms | ratio | GFLOP/s | % peak | GB/s | faults/call layerc | faults/call torch |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in rows:
            if r["threads"] != t:
                continue
            lines.append(
                f"| {r['case']} | {r['torch_ms']:.3f} | {r['layerc_ms']:.3f} | {r['ratio']:.2f} | "
                + (f"{r['gflops']:.1f} | {r['peak_pct']:.0f}% | " if r["flops"] else "- | - | ")
                + f"{r['gbytes']:.1f} | {r['faults']:.1f} | {r['torch_faults']:.1f} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
