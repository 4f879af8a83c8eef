"""The command line: `layerc-export PKG.MODULE:FACTORY --input NAME=D0,D1,...
-o DIR/MODEL`."""
import argparse
import ast
import importlib
import importlib.util
import os
import re
import sys

import torch
import torch.nn as nn

from .api import export
from .errors import ExportError
from .nn_text import RESERVED


def load_factory(spec, kwargs):
    """`PKG.MODULE:FACTORY` (or `path/file.py:FACTORY`) -> an nn.Module: the
    attribute itself if it is a module, else the result of calling it."""
    module_name, sep, attr = spec.partition(":")
    if not sep or not attr:
        raise ExportError(f"expected PKG.MODULE:FACTORY, got '{spec}'")
    try:
        if module_name.endswith(".py"):
            loader = importlib.util.spec_from_file_location(
                os.path.splitext(os.path.basename(module_name))[0], module_name)
            if loader is None or not os.path.exists(module_name):
                raise ExportError(f"no such file: {module_name}")
            py = importlib.util.module_from_spec(loader)
            loader.loader.exec_module(py)
        else:
            py = importlib.import_module(module_name)
    except ExportError:
        raise
    except Exception as e:  # ImportError, or an error while running the module
        raise ExportError(f"cannot import '{module_name}': {type(e).__name__}: {e}") from e
    target = py
    for part in attr.split("."):
        if not hasattr(target, part):
            raise ExportError(f"'{module_name}' has no attribute '{attr}'")
        target = getattr(target, part)
    if isinstance(target, nn.Module):
        return target
    try:
        module = target(**kwargs)
    except Exception as e:
        raise ExportError(f"{spec}() failed: {type(e).__name__}: {e}") from e
    if not isinstance(module, nn.Module):
        raise ExportError(f"{spec}() returned {type(module).__name__}, not a torch.nn.Module")
    return module


def parse_input(text, example_sizes):
    """`NAME=D0,D1,...` -> (name, example tensor, {dim: symbol})."""
    name, sep, dims = text.partition("=")
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or name in RESERVED:
        raise ExportError(f"expected --input NAME=D0,D1,..., got '{text}'")
    shape, symbols = [], {}
    for i, d in enumerate(x.strip() for x in dims.split(",") if x.strip()):
        if re.fullmatch(r"\d+", d):
            shape.append(int(d))
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", d) and d not in RESERVED:
            symbols[i] = d
            shape.append(example_sizes.get(d, 2))
        else:
            raise ExportError(f"input '{name}': dim '{d}' is neither an integer nor a symbol")
    return name, torch.randn(shape), symbols


def parse_assignment(text, what):
    key, sep, value = text.partition("=")
    if not sep:
        raise ExportError(f"expected {what} NAME=VALUE, got '{text}'")
    try:
        return key, ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return key, value  # a plain string


class ArgumentParser(argparse.ArgumentParser):
    """Command-line errors as `error: MESSAGE` with exit status 1, as layerc's."""

    def error(self, message):
        print(f"error: {message} (see 'layerc-export --help')", file=sys.stderr)
        sys.exit(1)


def main(argv=None):
    p = ArgumentParser(
        prog="layerc-export",
        description="Export a PyTorch module to a layerc model: MODEL.nn + MODEL.safetensors.",
        epilog="example: layerc-export torchvision.models:resnet18 --input x=N,3,224,224 "
               "-o out/resnet18")
    p.add_argument("factory", metavar="PKG.MODULE:FACTORY",
                   help="a callable returning an nn.Module (or a module object); the module "
                        "part may also be a path to a .py file")
    p.add_argument("--input", action="append", default=[], metavar="NAME=D0,D1,...",
                   help="an input of forward(), in order; a dim that is not an integer is a "
                        "size symbol (e.g. N), chosen at run time")
    p.add_argument("-o", "--output", metavar="DIR/MODEL",
                   help="output path without extension (default: FACTORY in the working "
                        "directory)")
    p.add_argument("--arg", action="append", default=[], metavar="NAME=VALUE",
                   help="a keyword argument for FACTORY (a Python literal)")
    p.add_argument("--example-size", action="append", default=[], metavar="SYMBOL=SIZE",
                   help="the size a symbol has while tracing (default 2)")
    a = p.parse_args(argv)
    try:
        if not a.input:
            raise ExportError("at least one --input NAME=D0,D1,... is needed")
        sizes = dict(parse_assignment(s, "--example-size") for s in a.example_size)
        if any(not isinstance(v, int) or v < 1 for v in sizes.values()):
            raise ExportError("--example-size takes SYMBOL=positive integer")
        inputs, symbols = {}, {}
        for text in a.input:
            name, example, dims = parse_input(text, sizes)
            if name in inputs:
                raise ExportError(f"input '{name}' is given twice")
            inputs[name], symbols[name] = example, dims
        sys.path.insert(0, os.getcwd())  # like `python -m`: modules of the working directory
        module = load_factory(a.factory, dict(parse_assignment(s, "--arg") for s in a.arg))
        out = a.output or a.factory.rpartition(":")[2].rpartition(".")[2]
        nn_path, st_path = export(module, inputs, out, symbols, source=a.factory)
    except ExportError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"wrote {nn_path} and {st_path}")
    return 0
