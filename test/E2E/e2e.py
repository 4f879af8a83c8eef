#!/usr/bin/python3
"""End-to-end check of one .nn model against PyTorch.

The test file holds the model in .nn and, in `# TORCH:` comment lines, the
same model written independently with torch.nn: a class `Model` whose
state_dict keys equal the .nn parameter names and whose forward takes the
inputs in order and returns the outputs in order.

Steps: seed, build Model, write its state_dict as safetensors (F32, or the
--weights-dtype), random inputs as .npy, compute the reference; then
`layerc compile`, link a generated C program through the generated header
and the runtime library, run it, and compare every output within SPEC §5:
max|a - b| <= 1e-4 * max(1, max|ref|). With --also-run, `layerc run` is
compared too. Exits 1 on any mismatch, printing the worst error.

Usage: e2e.py TEST.nn --input NAME=D0,D1,... [--input ...] [--seed S]
              [--weights-dtype f32|f16|bf16] [--scale X] [--offset X] [--also-run]
              [--nan-every K] [--target T]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn  # noqa: F401  (used by the TORCH blocks)
import torch.nn.functional as F  # noqa: F401

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "compiler", "tools", "layerc-export"))
from layerc_export import save_safetensors  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def build_dir():
    return os.environ.get("LAYERC_BUILD", os.path.join(ROOT, "build"))


def parse_test(path):
    text = open(path).read()
    torch_src = "\n".join(line.split("# TORCH:", 1)[1][1:] if "# TORCH: " in line
                          else "" for line in text.splitlines()
                          if "# TORCH:" in line)
    model = re.search(r"^model\s+(\w+)", text, re.M).group(1)
    inputs = re.findall(r"^input\s+([\w.]+)\s*:", text, re.M)
    outputs = [o.strip() for o in
               re.search(r"^output\s+(.*)$", text, re.M).group(1).split("#")[0].split(",")
               if o.strip()]
    return model, inputs, outputs, torch_src


def c_ident(name):
    return re.sub(r"[^A-Za-z0-9]", "_", name)


def write_harness(path, model, inputs, outputs, out_shapes):
    """A C program that calls the model's buffer entry point on .npy inputs."""
    lines = ['#include "model.h"', '#include "layerc/runtime.h"',
             '#include <stdio.h>', '#include <stdlib.h>', "",
             "int main(void) {"]
    for i, name in enumerate(inputs):
        v = c_ident(name)
        lines += [f"  layerc_tensor {v}_t;",
                  f'  if (layerc_npy_read("in_{i}.npy", &{v}_t) != LAYERC_OK) {{ fprintf(stderr, "cannot read in_{i}.npy\\n"); return 2; }}',
                  f"  struct halide_buffer_t {v}_b; struct halide_dimension_t {v}_d[LAYERC_MAX_RANK];",
                  f"  layerc_tensor_buffer(&{v}_t, &{v}_b, {v}_d);"]
    for i, (name, shape) in enumerate(zip(outputs, out_shapes)):
        v = c_ident(name) + "_out"
        size = int(np.prod(shape)) if shape else 1
        lines += [f"  layerc_tensor {v}_t = {{0}};",
                  f"  {v}_t.rank = {len(shape)};"]
        lines += [f"  {v}_t.shape[{d}] = {s};" for d, s in enumerate(shape)]
        lines += [f"  {v}_t.data = malloc({max(size, 1)} * sizeof(float));",
                  f"  struct halide_buffer_t {v}_b; struct halide_dimension_t {v}_d[LAYERC_MAX_RANK];",
                  f"  layerc_tensor_buffer(&{v}_t, &{v}_b, {v}_d);"]
    args = [f"&{c_ident(n)}_b" for n in inputs] + [f"&{c_ident(n)}_out_b" for n in outputs]
    lines += [f"  int status = {model}({', '.join(args)});",
              '  if (status != 0) { fprintf(stderr, "model returned %d\\n", status); return 3; }']
    for i, name in enumerate(outputs):
        v = c_ident(name) + "_out"
        lines += [f'  if (layerc_npy_write("out_{i}.npy", &{v}_t) != LAYERC_OK) return 4;']
    lines += ["  return 0;", "}"]
    open(path, "w").write("\n".join(lines) + "\n")


def run(cmd, cwd):
    result = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    if result.returncode != 0:
        print(f"FAIL: {' '.join(cmd)} exited {result.returncode}\n{result.stdout}")
        sys.exit(1)
    return result.stdout


def compare(name, got, ref, what):
    """SPEC §5's tolerance where torch's output is a number; NaN (torch's
    output for a NaN input) exactly where torch has it."""
    if got.shape != ref.shape:
        print(f"FAIL: {what} output '{name}' has shape {got.shape}, torch {ref.shape}")
        return False
    same_nan = np.array_equal(np.isnan(got), np.isnan(ref))
    numbers = ~np.isnan(ref)
    got_n, ref_n = got[numbers], ref[numbers]
    tol = 1e-4 * max(1.0, float(np.abs(ref_n).max()) if ref_n.size else 1.0)
    err = (float(np.abs(got_n.astype(np.float64) - ref_n.astype(np.float64)).max())
           if ref_n.size else 0.0)
    ok = same_nan and err <= tol and np.isfinite(got_n).all() == np.isfinite(ref_n).all()
    print(f"{'ok' if ok else 'FAIL'}: {what} output '{name}' shape {list(ref.shape)} "
          f"max_abs_err={err:.3g} tol={tol:.3g}"
          + ("" if same_nan else f" NaN count {int(np.isnan(got).sum())}, "
             f"torch {int(np.isnan(ref).sum())}"))
    return ok


def main():
    p = argparse.ArgumentParser()
    p.add_argument("test")
    p.add_argument("--input", action="append", default=[])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--weights-dtype", default="f32", choices=["f32", "f16", "bf16"])
    p.add_argument("--scale", type=float, default=1.0, help="input std")
    p.add_argument("--offset", type=float, default=0.0, help="input mean")
    p.add_argument("--also-run", action="store_true")
    p.add_argument("--nan-every", type=int, default=0,
                   help="make every K-th input element NaN")
    p.add_argument("--target", default=None, help="layerc compile --target")
    a = p.parse_args()

    model_name, input_names, output_names, torch_src = parse_test(a.test)
    torch.manual_seed(a.seed)
    scope = {"torch": torch, "nn": torch.nn, "F": torch.nn.functional}
    exec(torch_src, scope)
    module = scope["Model"]().eval()
    # Non-trivial running statistics and affine parameters for norms.
    with torch.no_grad():
        for name, t in module.state_dict().items():
            if name.endswith("running_var"):
                t.copy_(torch.rand_like(t) + 0.5)
            elif name.endswith("running_mean"):
                t.copy_(torch.randn_like(t) * 0.5)
    dtype = {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16}[a.weights_dtype]
    if dtype != torch.float32:  # the reference uses the rounded weights too
        with torch.no_grad():
            for t in module.state_dict().values():
                if t.is_floating_point():
                    t.copy_(t.to(dtype).to(torch.float32))

    shapes = dict(s.split("=", 1) for s in a.input)
    inputs = []
    for name in input_names:
        shape = [int(d) for d in shapes[name].split(",")] if shapes[name] else []
        inputs.append(torch.randn(*shape) * a.scale + a.offset)
        if a.nan_every:
            inputs[-1].view(-1)[::a.nan_every] = float("nan")
    with torch.no_grad():
        refs = module(*inputs)
    refs = list(refs) if isinstance(refs, (tuple, list)) else [refs]
    refs = [r.detach().numpy().astype(np.float32) for r in refs]

    work = tempfile.mkdtemp(prefix="layerc-e2e-")
    try:
        state = {k: (v.to(dtype) if v.is_floating_point() else v)
                 for k, v in module.state_dict().items()}
        save_safetensors(state, os.path.join(work, "w.safetensors"))
        for i, t in enumerate(inputs):
            np.save(os.path.join(work, f"in_{i}.npy"), t.numpy().astype(np.float32))
        layerc = os.path.join(build_dir(), "bin", "layerc")
        target = ["--target", a.target] if a.target else []
        run([layerc, "compile", os.path.abspath(a.test), "--weights", "w.safetensors",
             "-o", "model"] + target, work)
        write_harness(os.path.join(work, "main.c"), model_name, input_names, output_names,
                      [list(r.shape) for r in refs])
        run([os.environ.get("LAYERC_CC", "cc"), "-O1", "-std=c99", "-o", "main", "main.c", "model.o",
             "-I", os.path.join(ROOT, "runtime", "include"),
             "-I", os.path.join(build_dir(), "runtime", "include"),
             os.path.join(build_dir(), "lib", "liblayerc_runtime.a"),
             "-lpthread", "-ldl", "-lm"], work)
        run(["./main"], work)
        ok = True
        for i, (name, ref) in enumerate(zip(output_names, refs)):
            ok = compare(name, np.load(os.path.join(work, f"out_{i}.npy")), ref, "C API") and ok
        if a.also_run:
            cmd = [layerc, "run", os.path.abspath(a.test), "--weights", "w.safetensors"]
            cmd += [f"--input={n}=in_{i}.npy" for i, n in enumerate(input_names)]
            cmd += [f"--output={n}=run_{i}.npy" for i, n in enumerate(output_names)]
            run(cmd, work)
            for i, (name, ref) in enumerate(zip(output_names, refs)):
                ok = compare(name, np.load(os.path.join(work, f"run_{i}.npy")), ref,
                             "layerc run") and ok
        if not ok:
            sys.exit(1)
        print("PASS")
    finally:
        if not os.environ.get("LAYERC_KEEP"):
            shutil.rmtree(work, ignore_errors=True)
        else:
            print("kept", work)


if __name__ == "__main__":
    main()
