#!/usr/bin/python3
"""Exports a PyTorch module with layerc-export and checks the result.

    check_export.py FACTORY --input NAME=D0,D1,... [--arg K=V] [--example-size S=N]
                    [--print] [--check-only | --also-run] [--seed S]

FACTORY and the options are those of layerc-export (torchvision.models:resnet18,
examples/transformer_block.py:transformer_block). Steps:
 1. export to a temporary directory (with --print, show the .nn);
 2. read the .safetensors back (its own parser, not the writer's): F32, an
    8-byte aligned header, and exactly the tensors the .nn statements read;
 3. run the .nn in PyTorch (a small reference interpreter of the language,
    torch semantics) on random inputs and compare with the module itself:
    this checks the export independently of layerc's ops;
 4. with --check-only: `layerc check` (ops that layerc does not implement yet
    are reported as PENDING, any other error fails); otherwise `layerc compile`,
    link through the generated header (the E2E harness) and compare each
    output with PyTorch within 1e-4 · max(1, max|ref|); --also-run compares
    `layerc run` too.
Prints `ok:`/`FAIL:` lines and finally PASS; exits 1 on any failure.
"""
import argparse
import json
import operator
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "compiler", "tools", "layerc-export"))
sys.path.insert(0, os.path.join(ROOT, "test", "E2E"))
import layerc_export  # noqa: E402
import e2e  # noqa: E402  (the harness: build_dir, run, compare, write_harness)


def read_safetensors(path):
    """{name: float32 array} from a .safetensors file, checking the layout."""
    blob = open(path, "rb").read()
    (size,) = struct.unpack("<Q", blob[:8])
    assert size % 8 == 0, f"header size {size} is not a multiple of 8"
    header = json.loads(blob[8:8 + size])
    header.pop("__metadata__", None)
    data, tensors = blob[8 + size:], {}
    for name, entry in header.items():
        assert entry["dtype"] == "F32", f"{name}: dtype {entry['dtype']}"
        begin, end = entry["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype="<f4")
        tensors[name] = array.reshape(entry["shape"])
    return tensors


# --------------------------------------------------------------------------
# A reference interpreter of .nn, with torch semantics

NAME = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*"
TOKEN = re.compile(rf"(\"[^\"]*\"|'[^']*'|[0-9][0-9.]*(?:[eE][+-]?[0-9]+)?)|({NAME})(\s*=(?!=))?")

FUNCTIONS = {
    "relu": torch.relu, "relu6": F.relu6, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
    "gelu": F.gelu, "silu": F.silu, "hardswish": F.hardswish, "leaky_relu": F.leaky_relu,
    "add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": operator.truediv,
    "softmax": torch.softmax, "log_softmax": torch.log_softmax,
    "flatten": lambda x, start_dim=0, end_dim=-1: torch.flatten(x, start_dim, end_dim),
    "reshape": torch.reshape, "transpose": torch.transpose, "permute": torch.permute,
    "cat": lambda tensors, dim=0: torch.cat(tensors, dim), "mean": torch.mean,
    "matmul": torch.matmul,
}


class Reference:
    """Runs a .nn model with torch.nn layers and the weights of a file."""

    def __init__(self, text, weights):
        self.text, self.weights = text, weights
        self.used = set()

    def arguments(self, text, values):
        """Python arguments from .nn argument text: names of values become
        the values, true/false/None the Python constants."""
        def sub(m):
            literal, name, keyword = m.groups()
            if literal or keyword:
                return m.group(0)
            if name in ("true", "True", "false", "False"):
                return name.capitalize()
            return "None" if name == "None" else f"_v[{name!r}]"
        return eval(f"_args({TOKEN.sub(sub, text)})",
                    {"_v": values, "_args": lambda *a, **k: (a, k)})

    def make_layer(self, name, callee, args, kwargs):
        layer = getattr(nn, callee)(*args, **kwargs).eval()
        prefix = name + "."
        state = {k[len(prefix):]: torch.from_numpy(v.copy())
                 for k, v in self.weights.items() if k.startswith(prefix)}
        missing, unexpected = layer.load_state_dict(state, strict=False)
        missing = [k for k in missing if not k.endswith("num_batches_tracked")]
        assert not missing and not unexpected, f"{name}: missing {missing}, unexpected {unexpected}"
        self.used.update(prefix + k for k in state)
        if callee == "MultiheadAttention":
            return lambda x: layer(x, x, x, need_weights=False)[0]
        return layer

    def run(self, inputs):
        values, outputs = {}, None
        for line in self.text.splitlines():
            line = line.split("#")[0].strip()
            if not line or line.startswith("model "):
                continue
            if line.startswith("input "):
                name = line[6:].split(":")[0].strip()
                values[name] = inputs[name]
            elif line.startswith("output "):
                outputs = [n.strip() for n in line[7:].split(",") if n.strip()]
            else:
                m = re.fullmatch(rf"({NAME}) = ({NAME})\((.*?)\)(?:\((.*)\))?", line)
                assert m, f"cannot read: {line}"
                name, callee, args, operand = m.groups()
                if callee in FUNCTIONS:
                    a, k = self.arguments(args, values)
                    values[name] = FUNCTIONS[callee](*a, **k)
                elif callee in values and callable(values[callee]):  # a declared layer
                    values[name] = values[callee](values[args])
                else:
                    a, k = self.arguments(args, values)
                    layer = self.make_layer(name, callee, a, k)
                    values[name] = layer(values[operand]) if operand is not None else layer
        return [values[n] for n in outputs]


# --------------------------------------------------------------------------

def layerc(*args):
    return os.path.join(e2e.build_dir(), "bin", "layerc"), *args


def main():
    p = argparse.ArgumentParser()
    p.add_argument("factory")
    p.add_argument("--input", action="append", default=[])
    p.add_argument("--arg", action="append", default=[])
    p.add_argument("--example-size", action="append", default=[])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--print", action="store_true", help="print the .nn")
    p.add_argument("--check-only", action="store_true",
                   help="`layerc check` instead of compiling and running")
    p.add_argument("--also-run", action="store_true", help="compare `layerc run` too")
    a = p.parse_args()

    torch.manual_seed(a.seed)
    sizes = dict(layerc_export.parse_assignment(s, "--example-size") for s in a.example_size)
    inputs, symbols = {}, {}
    for text in a.input:
        name, example, dims = layerc_export.parse_input(text, sizes)
        inputs[name], symbols[name] = example, dims
    sys.path.insert(0, os.getcwd())
    module = layerc_export.load_factory(
        a.factory, dict(layerc_export.parse_assignment(s, "--arg") for s in a.arg)).eval()
    # Non-trivial running statistics, as a trained network has.
    with torch.no_grad():
        for key, t in module.state_dict().items():
            if key.endswith("running_var"):
                t.copy_(torch.rand_like(t) + 0.5)
            elif key.endswith("running_mean"):
                t.copy_(torch.randn_like(t) * 0.5)

    work = tempfile.mkdtemp(prefix="layerc-export-check-")
    ok = True
    try:
        stem = layerc_export.model_name(a.factory.rpartition(":")[2])
        nn_path, st_path = layerc_export.export(module, inputs, os.path.join(work, stem),
                                                symbols, source=a.factory)
        text = open(nn_path).read()
        if a.print:
            print(text, end="")
        weights = read_safetensors(st_path)
        print(f"ok: {len(weights)} tensors in {os.path.basename(st_path)}")

        with torch.no_grad():
            refs = module(*inputs.values())
            refs = list(refs) if isinstance(refs, (tuple, list)) else [refs]
            reference = Reference(text, weights)
            got = reference.run(inputs)
        unused = sorted(set(weights) - reference.used)
        if unused:
            print(f"FAIL: tensors that no statement reads: {unused[:5]}")
            ok = False
        refs = [r.numpy() for r in refs]
        for i, (g, r) in enumerate(zip(got, refs)):
            ok = e2e.compare(f"#{i}", g.numpy(), r, "the .nn run in torch") and ok

        if a.check_only:
            result = subprocess.run(layerc("check", nn_path, "--weights", st_path),
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            first = (result.stdout.strip().splitlines() or [""])[0]
            if result.returncode == 0:
                print("ok: layerc check")
            elif re.search(r"unknown layer or function|is not supported yet", first):
                print(f"PENDING: layerc check: {first}")
            else:
                print(f"FAIL: layerc check:\n{result.stdout}")
                ok = False
        else:
            e2e.run(list(layerc("compile", nn_path, "--weights", st_path, "-o", "model")), work)
            model = re.search(r"^model\s+(\w+)", text, re.M).group(1)
            names = list(inputs)
            outputs = re.search(r"^output\s+(.*)$", text, re.M).group(1).split(", ")
            for i, x in enumerate(inputs.values()):
                np.save(os.path.join(work, f"in_{i}.npy"), x.numpy())
            e2e.write_harness(os.path.join(work, "main.c"), model, names, outputs,
                              [list(r.shape) for r in refs])
            e2e.run([os.environ.get("LAYERC_CC", "cc"), "-O1", "-std=c99", "-o", "main",
                     "main.c", "model.o", "-I", os.path.join(ROOT, "runtime", "include"),
                     "-I", os.path.join(e2e.build_dir(), "runtime", "include"),
                     os.path.join(e2e.build_dir(), "lib", "liblayerc_runtime.a"),
                     "-lpthread", "-ldl", "-lm"], work)
            e2e.run(["./main"], work)
            for i, (name, r) in enumerate(zip(outputs, refs)):
                got = np.load(os.path.join(work, f"out_{i}.npy"))
                ok = e2e.compare(name, got, r, "C API") and ok
            if a.also_run:
                cmd = list(layerc("run", nn_path, "--weights", st_path))
                cmd += [f"--input={n}=in_{i}.npy" for i, n in enumerate(names)]
                cmd += [f"--output={n}=run_{i}.npy" for i, n in enumerate(outputs)]
                e2e.run(cmd, work)
                for i, (name, r) in enumerate(zip(outputs, refs)):
                    got = np.load(os.path.join(work, f"run_{i}.npy"))
                    ok = e2e.compare(name, got, r, "layerc run") and ok
    except layerc_export.ExportError as e:
        print(f"FAIL: export: {e}")
        ok = False
    finally:
        if os.environ.get("LAYERC_KEEP"):
            print("kept", work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    if not ok:
        sys.exit(1)
    print("PASS")


if __name__ == "__main__":
    main()
