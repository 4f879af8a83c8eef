#!/usr/bin/python3
"""A PyTorch network, exported by layerc-export, compiled by layerc, linked into
a C app and run next to PyTorch.

    examples/networks/run.py resnet18 [--size 224] [--batch 1] [--threads T]

Steps, in a work directory (default build/networks/MODEL):
  1. the network with seeded weights (torchvision's architecture: its
     pretrained weights cannot be downloaded here), and a seeded input;
  2. layerc-export: MODEL.nn + MODEL.safetensors, the batch a size symbol N;
  3. layerc compile: MODEL.o + MODEL.h;
  4. cc: app.c + MODEL.o + the layerc runtime -> app;
  5. the app on the input (its output and its median time per call) and
     PyTorch on the same input (torch.jit.optimize_for_inference, the same
     threads), side by side; the outputs must agree within 1e-4 of the
     largest (exit status 1 otherwise).

Models: resnet18, resnet50, mobilenet_v2 (torchvision), transformer_block
(examples/transformer_block.py; --size is the sequence length).
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "compiler", "tools", "layerc-export"))
sys.path.insert(0, os.path.dirname(HERE))
import layerc_export  # noqa: E402


def network(name):
    """(module, input shape for a batch and size) of a model name."""
    if name == "transformer_block":
        import transformer_block
        return transformer_block.transformer_block(), lambda n, s: (n, s, 64)
    import torchvision
    factory = getattr(torchvision.models, name, None)
    if factory is None or name not in ("resnet18", "resnet50", "mobilenet_v2"):
        sys.exit(f"error: unknown model '{name}' (resnet18, resnet50, mobilenet_v2, "
                 "transformer_block)")
    return factory(), lambda n, s: (n, 3, s, s)


def seeded(module):
    """Non-trivial BatchNorm statistics (the weights are seeded by main())."""
    with torch.no_grad():
        for name, t in module.state_dict().items():
            if not t.is_floating_point():
                continue
            if name.endswith("running_var"):
                t.copy_(torch.rand_like(t) * 0.5 + 0.5)
            elif name.endswith("running_mean"):
                t.copy_(torch.randn_like(t) * 0.1)
    return module.eval()


def run(cmd, cwd):
    result = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        sys.exit(f"error: {' '.join(cmd)} exited {result.returncode}\n{result.stdout}")
    return result.stdout


def torch_time(module, x, threads):
    torch.set_num_threads(threads)
    with torch.no_grad():
        fast = torch.jit.optimize_for_inference(torch.jit.script(module))
        warm = time.perf_counter() + 0.5  # the JIT optimizes in its first calls
        while time.perf_counter() < warm:
            fast(x)
        times = []
        end = time.perf_counter() + 1.0
        while time.perf_counter() < end or len(times) < 5:
            start = time.perf_counter()
            fast(x)
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def summary(values):
    """The top 5 classes of a classifier's first row, or the first values."""
    row = values.reshape(values.shape[0], -1)[0]
    if values.ndim == 2 and row.size >= 10:
        top = np.argsort(-row)[:5]
        return "top-5 " + "  ".join(f"{i}:{row[i]:+.4f}" for i in top)
    return "first " + "  ".join(f"{v:+.4f}" for v in row[:5])


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("model")
    p.add_argument("--size", type=int, default=224, help="image side (sequence length)")
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--build", default=os.environ.get("LAYERC_BUILD",
                                                     os.path.join(ROOT, "build")))
    p.add_argument("--work", default="")
    a = p.parse_args()
    torch.manual_seed(0)  # the same weights every run
    module, shape = network(a.model)
    module = seeded(module)
    work = a.work or os.path.join(a.build, "networks", a.model)
    os.makedirs(work, exist_ok=True)

    print(f"[1/5] {a.model}: seeded weights, input {list(shape(a.batch, a.size))}")
    torch.manual_seed(1)
    x = torch.randn(*shape(a.batch, a.size))
    np.save(os.path.join(work, "input.npy"), x.numpy())
    print("[2/5] layerc-export")
    layerc_export.export(module, {"x": torch.randn(*shape(2, a.size))},
                         os.path.join(work, a.model), symbols={"x": {0: "N"}})
    print("[3/5] layerc compile")
    start = time.perf_counter()
    run([os.path.join(a.build, "bin", "layerc"), "compile", a.model + ".nn",
         "--weights", a.model + ".safetensors", "-o", a.model], work)
    compile_s = time.perf_counter() - start
    print(f"      {compile_s:.1f} s")
    print("[4/5] cc app.c")
    run([os.environ.get("CC", "cc"), "-O2", f"-DMODEL={a.model}", "-I.",
         "-I", os.path.join(ROOT, "runtime", "include"),
         "-I", os.path.join(a.build, "runtime", "include"),
         os.path.join(HERE, "app.c"), a.model + ".o",
         os.path.join(a.build, "lib", "liblayerc_runtime.a"),
         "-lpthread", "-ldl", "-lm", "-o", "app"], work)
    print("[5/5] run, next to PyTorch")
    with torch.no_grad():
        ref = module(x).numpy()
    env = dict(os.environ, HL_NUM_THREADS=str(a.threads))
    app = subprocess.run(["./app", "input.npy", "output.npy", ",".join(map(str, ref.shape))],
                         cwd=work, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    if app.returncode != 0:
        sys.exit(f"error: app exited {app.returncode}\n{app.stdout}")
    got = np.load(os.path.join(work, "output.npy"))
    layerc_ms = float(app.stdout.split("layerc: ")[1].split(" ms")[0])
    torch_ms = torch_time(module, x, a.threads)
    err = float(np.abs(got.astype(np.float64) - ref).max())
    tol = 1e-4 * max(1.0, float(np.abs(ref).max()))
    print(f"  layerc   {summary(got)}   {layerc_ms:8.2f} ms")
    print(f"  PyTorch  {summary(ref)}   {torch_ms:8.2f} ms  "
          f"(optimize_for_inference, {a.threads} thread{'s' if a.threads > 1 else ''})")
    ok = got.shape == ref.shape and err <= tol
    print(f"{'ok' if ok else 'FAIL'}: max |layerc - PyTorch| = {err:.3g} "
          f"(tolerance {tol:.3g}); PyTorch time / layerc time = {torch_ms / layerc_ms:.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
