#!/usr/bin/python3
"""Compile time and peak memory of `layerc compile` on whole networks,
against the limits layerc keeps:

  resnet18      compiles in 30 s or less (on 2 cores)
  resnet50      peaks at 2 GB of memory or less (100 MB of weights)
  mobilenet_v2  reported, no limit yet

Each network (torchvision's architecture, seeded weights, batch a size
symbol) is exported by layerc-export, then compiled once; the peak resident
memory is the compiler process's own (wait4). Prints a Markdown table with
the machine; the exit status is 1 when a network is over its limit, so a
regression fails this run. It belongs with the benchmarks, not in the test
suite: times depend on the machine and its load.

Usage: bench/compile.py [--build DIR] [--only NAME] [--out FILE.md]
"""
import argparse
import os
import sys
import tempfile
import time

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "compiler", "tools", "layerc-export"))
import layerc_export  # noqa: E402
from machine import cpu_name  # noqa: E402

# name: (compile seconds limit, peak memory limit in MB); None: no limit.
LIMITS = {
    "resnet18": (30, None),
    "resnet50": (None, 2048),
    "mobilenet_v2": (None, None),
}


def export(name, directory):
    import torchvision
    torch.manual_seed(0)
    module = getattr(torchvision.models, name)().eval()
    base = os.path.join(directory, name)
    layerc_export.export(module, {"x": torch.randn(2, 3, 224, 224)}, base,
                         symbols={"x": {0: "N"}})
    return base


def compile_once(layerc, base):
    """(seconds, peak RSS in MB) of one `layerc compile`."""
    start = time.perf_counter()
    pid = os.spawnv(os.P_NOWAIT, layerc, [layerc, "compile", base + ".nn", "--weights",
                                          base + ".safetensors", "-o", base])
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        sys.exit(f"error: layerc compile {base}.nn failed (status {status})")
    return seconds, usage.ru_maxrss / 1024


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    p.add_argument("--only", action="append", default=[])
    p.add_argument("--out", default="")
    args = p.parse_args()
    layerc = os.path.join(args.build, "bin", "layerc")
    names = [n for n in LIMITS if not args.only or n in args.only]
    lines = [f"# layerc compile: time and peak memory ({time.strftime('%Y-%m-%d')})", "",
             f"Machine: {cpu_name()}, {os.cpu_count()} cores.", "",
             "| network, 224² | weights MB | compile s | limit | peak RSS MB | limit | |",
             "|---|---:|---:|---:|---:|---:|---|"]
    over = []
    with tempfile.TemporaryDirectory(prefix="layerc-compile-") as work:
        for name in names:
            base = export(name, work)
            seconds, peak = compile_once(layerc, base)
            weights = os.path.getsize(base + ".safetensors") / 1e6
            time_limit, memory_limit = LIMITS[name]
            ok = ((time_limit is None or seconds <= time_limit)
                  and (memory_limit is None or peak <= memory_limit))
            if not ok:
                over.append(name)
            lines.append(f"| {name} | {weights:.0f} | {seconds:.1f} | "
                         f"{time_limit or '-'} | {peak:.0f} | {memory_limit or '-'} | "
                         f"{'ok' if ok else 'OVER LIMIT'} |")
            print(lines[-1], flush=True)
    table = "\n".join(lines) + "\n"
    if args.out:
        with open(args.out, "w") as f:
            f.write(table)
    print(table)
    if over:
        print(f"error: over the limit: {', '.join(over)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
