"""layerc-export: turn a PyTorch module into a layerc model (.nn + .safetensors).

    layerc-export PKG.MODULE:FACTORY --input NAME=D0,D1,... -o DIR/MODEL

writes DIR/MODEL.nn (one statement per layer, named by the module's own paths,
e.g. `layer1.0.conv1`) and DIR/MODEL.safetensors (the state_dict tensors that
the model reads, as F32). From Python:

    export(module, {"x": torch.randn(2, 3, 224, 224)}, "out/resnet18",
           symbols={"x": {0: "N"}})

How it works: the module (in eval mode) is traced with torch.fx; torch.nn
layers stay whole (`call_module` nodes) and everything else becomes
`call_function`/`call_method` nodes. The traced graph runs once on the example
inputs (twice when there are size symbols, the second time with every
symbolic size doubled), which gives every node's shape. Nodes whose result is
not a tensor (`x.size(0)`, `x.shape[1] * 2`) are folded to constants; one that
changes with the symbols may only feed a reshape, where that dim is written
as -1. Every tensor node is then written as one .nn statement by the handler
registered for its layer class, function or method; a node without a handler
is an error naming the op and the module path that uses it. Statements that
no output depends on are dropped, and with them their weights.

Needs only torch and numpy (torchvision only for its models).
"""
import argparse
import ast
import contextlib
import dis
import importlib
import importlib.util
import inspect
import json
import math
import operator
import os
import re
import struct
import sys
import tempfile
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import torch
import torch.fx
import torch.nn as nn
import torch.nn.functional as F
from torch.fx.node import _get_qualified_name, map_aggregate

__all__ = ["export", "to_nn", "ExportError", "main"]


class ExportError(Exception):
    """A model that cannot be exported; the message is for the user."""


def unsupported(op, path, detail=None):
    """The error for an op that has no .nn equivalent."""
    where = f"'{path}'" if path else "'' (the top-level module)"
    message = f"unsupported op '{op}' at module path {where}"
    return ExportError(message + (f": {detail}" if detail else ""))


# --------------------------------------------------------------------------
# .nn values and literals

NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*\Z")
# Whole names the .nn parser reads as something else.
RESERVED = {"model", "input", "output", "true", "false", "True", "False", "None"}


@dataclass(frozen=True)
class Value:
    """A tensor value of the .nn model, by its name."""
    name: str


@dataclass(frozen=True)
class Opaque:
    """Something that exists in PyTorch but has no .nn value (a parameter
    used outside its layer, attention weights); using it is an error."""
    what: str


@dataclass(frozen=True)
class Symbolic:
    """A non-tensor value that depends on a size symbol (e.g. `x.size(0)`)."""
    node: str


@dataclass(frozen=True)
class TensorInfo:
    """What the example runs record of a tensor."""
    shape: tuple
    dtype: torch.dtype


def literal(value):
    """`value` written in .nn syntax."""
    if isinstance(value, Value):
        return value.name
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "None"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ExportError(f"cannot write the number {value} in .nn")
        return repr(value)
    if isinstance(value, str):
        if '"' in value or "\n" in value:
            raise ExportError(f"cannot write the string {value!r} in .nn")
        return f'"{value}"'
    if isinstance(value, (tuple, list)):
        items = [literal(v) for v in value]
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"  # () too
    raise ExportError(f"cannot write {value!r} ({type(value).__name__}) in .nn")


def call_text(callee, args=(), kwargs=None):
    """`callee(a, b, k=v)` in .nn syntax."""
    parts = [literal(a) for a in args]
    parts += [f"{k}={literal(v)}" for k, v in (kwargs or {}).items()]
    return f"{callee}({', '.join(parts)})"


# --------------------------------------------------------------------------
# Signatures: "input dim=None *rest" -> [(name, default)], mirroring torch.

REQUIRED = object()


def params(spec):
    """Parses a signature string: `name`, `name=default` (a Python literal) or
    `*name` (the remaining positional arguments, as a tuple)."""
    out = []
    for token in spec.split():
        name, _, default = token.partition("=")
        out.append((name, ast.literal_eval(default) if default else REQUIRED))
    return out


def bind(signature, args, kwargs, op):
    """Binds call arguments to `signature` as Python would; a dict."""
    bound, args = {}, list(args)
    for name, default in signature:
        if name.startswith("*"):
            bound[name[1:]], args = tuple(args), []
        elif args:
            bound[name] = args.pop(0)
        elif name in kwargs:
            bound[name] = kwargs[name]
        elif default is not REQUIRED:
            bound[name] = default
        else:
            raise ExportError(f"{op}: missing argument '{name}'")
    extra = set(kwargs) - {n.lstrip("*") for n, _ in signature}
    if args or extra:
        raise ExportError(f"{op}: unexpected arguments {sorted(extra) or args}")
    return bound


# --------------------------------------------------------------------------
# Layers: the .nn signature of each layer, with torch's defaults. Required
# arguments are written positionally, the rest as keywords when they differ
# from the default.

LAYERS = {
    **{f"Conv{d}d": "in_channels out_channels kernel_size stride=1 padding=0 dilation=1 "
                    "groups=1 bias=True padding_mode='zeros'" for d in (1, 2, 3)},
    **{f"BatchNorm{d}d": "num_features eps=1e-05 momentum=0.1 affine=True "
                         "track_running_stats=True" for d in (1, 2, 3)},
    **{f"MaxPool{d}d": "kernel_size stride=None padding=0 dilation=1 ceil_mode=False"
       for d in (1, 2, 3)},
    **{f"AvgPool{d}d": "kernel_size stride=None padding=0 ceil_mode=False "
                       "count_include_pad=True" for d in (1, 2, 3)},
    **{f"AdaptiveAvgPool{d}d": "output_size" for d in (1, 2, 3)},
    "AdaptiveMaxPool2d": "output_size",
    "Linear": "in_features out_features bias=True",
    "LayerNorm": "normalized_shape eps=1e-05 elementwise_affine=True bias=True",
    "GroupNorm": "num_groups num_channels eps=1e-05 affine=True",
    "LeakyReLU": "negative_slope=0.01",
    "Hardtanh": "min_val=-1.0 max_val=1.0",
    "GELU": "approximate='none'",
    "Softmax": "dim=None",
    "LogSoftmax": "dim=None",
    "Flatten": "start_dim=1 end_dim=-1",
    "MultiheadAttention": "embed_dim num_heads bias=True batch_first=False",
    **{name: "" for name in ("ReLU", "ReLU6", "Sigmoid", "Hardsigmoid", "Tanh", "SiLU",
                             "Hardswish", "Identity")},
    **{name: "p=0.5" for name in ("Dropout", "Dropout1d", "Dropout2d", "Dropout3d")},
}
LAYERS = {name: params(spec) for name, spec in LAYERS.items()}

# Arguments given per spatial dim: a tuple of equal sizes is written as one int.
SPATIAL = {"kernel_size", "stride", "padding", "dilation", "output_size"}


def compact(name, value):
    """A layer argument in its shortest equivalent form."""
    if isinstance(value, list):
        value = tuple(value)
    if isinstance(value, tuple) and value and (
            (name in SPATIAL and None not in value and len(set(value)) == 1)
            or (name == "normalized_shape" and len(value) == 1)):
        return value[0]
    return value


def layer_text(layer, values):
    """`Layer(args)` for the .nn layer `layer` and torch argument `values`."""
    values = {k: compact(k, v) for k, v in values.items()}
    args, kwargs = [], {}
    for name, default in LAYERS[layer]:
        value = values[name]
        if default is REQUIRED:
            args.append(value)
        elif name == "stride" and value in (None, (), values["kernel_size"]):
            continue  # pooling: stride defaults to kernel_size
        elif value != default or type(value) is not type(default):
            kwargs[name] = value
    return call_text(layer, args, kwargs)


# --------------------------------------------------------------------------
# torch.nn modules. `module_values` reads the constructor arguments back from
# the attributes torch keeps; REQUIRE lists attributes .nn has no room for.

def module_values(layer, m):
    """The torch constructor arguments of module `m` for .nn layer `layer`."""
    values = {name: getattr(m, name, None) for name, _ in LAYERS[layer]}
    if "bias" in values:
        if layer == "MultiheadAttention":
            values["bias"] = m.in_proj_bias is not None
        elif layer == "LayerNorm":  # torch < 2.1 has no `bias` argument
            values["bias"] = m.bias is not None or not m.elementwise_affine
        else:
            values["bias"] = m.bias is not None
    return values


def is_none(v):
    return v is None


def is_not_none(v):
    return v is not None


# Conditions on torch arguments (or module attributes) that .nn has no room
# for; they apply to a layer and to its functional form.
REQUIRE = {
    **{f"MaxPool{d}d": {"return_indices": operator.not_} for d in (1, 2, 3)},
    **{f"AvgPool{d}d": {"divisor_override": is_none} for d in (1, 2, 3)},
    "AdaptiveMaxPool2d": {"return_indices": operator.not_},
    "Softmax": {"dim": is_not_none},  # torch's implicit dim is deprecated
    "LogSoftmax": {"dim": is_not_none},
    "MultiheadAttention": {"add_zero_attn": operator.not_, "bias_k": is_none,
                           "bias_v": is_none, "_qkv_same_embed_dim": bool},
}


def layer_of(module):
    """The .nn layer name for a torch.nn module, or None (by class, MRO order:
    ReLU6 before its base Hardtanh)."""
    for cls in type(module).__mro__:
        if cls.__name__ in LAYERS and cls.__module__.startswith("torch.nn"):
            return cls.__name__
    return None


# --------------------------------------------------------------------------
# Functions and methods. Each handler gets the converter, the node and the
# bound arguments (nodes replaced by their Value or constant) and returns
# the node's Value.

FUNCTIONS = {}  # target (a callable, or a method name) -> (signature, handler)


def register(targets, spec, handler):
    for target in targets:
        FUNCTIONS[target] = (params(spec), handler)


def elementwise(fn, *options):
    """An .nn elementwise function; `options` are torch keyword arguments
    that .nn takes too (written when not the torch default)."""
    def handle(cx, node, a):
        defaults = dict(FUNCTIONS[node.target][0])
        kwargs = {k: a[k] for k in options if a[k] != defaults[k]}
        return cx.function(node, fn, [cx.value(a["input"])], kwargs)
    return handle


def functional_layer(layer, rank=None):
    """A torch.nn.functional op written as its parameter-free .nn layer."""
    def handle(cx, node, a):
        name = layer if rank is None else f"{layer}{rank}d"
        return cx.layer(node, name, a, a["input"])
    return handle


def binary(fn):
    def handle(cx, node, a):
        if a.get("alpha", 1) != 1 or a.get("rounding_mode") is not None:
            cx.fail(node, "only alpha=1 and rounding_mode=None are supported")
        return cx.function(node, fn, [cx.operand(a["input"]), cx.operand(a["other"])])
    return handle


def identity(cx, node, a):
    """Ops that do not change values at inference (eval-mode dropout,
    contiguous, clone)."""
    if a.get("training"):
        cx.fail(node, "dropout with training=True")
    return cx.value(a["input"])


def softmax(fn):
    def handle(cx, node, a):
        if a["dim"] is None or a.get("dtype") is not None:
            cx.fail(node, "needs an explicit dim and no dtype")
        return cx.function(node, fn, [cx.value(a["input"]), a["dim"]])
    return handle


def flatten(cx, node, a):
    kwargs = {"start_dim": a["start_dim"]}  # always written: torch.flatten's default
    if a["end_dim"] != -1:                   # (0) differs from nn.Flatten's (1)
        kwargs["end_dim"] = a["end_dim"]
    return cx.function(node, "flatten", [cx.value(a["input"])], kwargs)


def reshape(cx, node, a):
    """view/reshape/squeeze/unsqueeze: the traced output shape, with the one
    dim that depends on a size symbol written as -1."""
    return cx.function(node, "reshape", [cx.value(a["input"]), cx.shape_with_symbol(node)])


reshape.accepts_symbolic = True


def transpose(cx, node, a):
    return cx.function(node, "transpose", [cx.value(a["input"]), a["dim0"], a["dim1"]])


def permute(cx, node, a):
    dims = a["dims"]
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        dims = dims[0]  # x.permute((0, 2, 1)) as well as x.permute(0, 2, 1)
    return cx.function(node, "permute", [cx.value(a["input"]), tuple(dims)])


def t(cx, node, a):
    x = cx.value(a["input"])
    if len(cx.info(node.args[0]).shape) < 2:
        return x
    return cx.function(node, "transpose", [x, 0, 1])


def cat(cx, node, a):
    tensors = tuple(cx.value(v) for v in a["tensors"])
    return cx.function(node, "cat", [tensors], {"dim": a["dim"]} if a["dim"] else {})


def mean(cx, node, a):
    if a["dtype"] is not None:
        cx.fail(node, "dtype is not supported")
    dim = a["dim"]
    if dim is None:  # the mean of all elements
        dim = tuple(range(len(cx.info(node.args[0]).shape)))
    dim = tuple(dim) if isinstance(dim, list) else dim
    kwargs = {"keepdim": True} if a["keepdim"] else {}
    return cx.function(node, "mean", [cx.value(a["input"]), dim], kwargs)


def matmul(cx, node, a):
    return cx.function(node, "matmul", [cx.value(a["input"]), cx.value(a["other"])])


def neg(cx, node, a):
    return cx.function(node, "mul", [cx.value(a["input"]), -1])


def getitem(cx, node, a):
    """Indexing a tuple (a MultiheadAttention result); tensor indexing and
    slicing have no .nn op."""
    seq = a["input"]
    if is_sequence(seq) and isinstance(a["index"], int):
        return seq[a["index"]]
    cx.fail(node, "tensor indexing and slicing")


INPUT = "input inplace=False"
register([torch.relu, torch.relu_, F.relu, F.relu_, "relu", "relu_"], INPUT, elementwise("relu"))
register([F.relu6], INPUT, elementwise("relu6"))
register([F.silu], INPUT, elementwise("silu"))
register([F.hardswish], INPUT, elementwise("hardswish"))
register([torch.sigmoid, torch.sigmoid_, F.sigmoid, "sigmoid", "sigmoid_"], "input",
         elementwise("sigmoid"))
register([torch.tanh, torch.tanh_, F.tanh, "tanh", "tanh_"], "input", elementwise("tanh"))
register([F.gelu], "input approximate='none'", elementwise("gelu", "approximate"))
register([F.leaky_relu, F.leaky_relu_], "input negative_slope=0.01 inplace=False",
         elementwise("leaky_relu", "negative_slope"))
register([F.hardsigmoid], INPUT, functional_layer("Hardsigmoid"))
register([F.hardtanh, F.hardtanh_], "input min_val=-1.0 max_val=1.0 inplace=False",
         functional_layer("Hardtanh"))

for fn, ops in {"add": [operator.add, operator.iadd, torch.add, "add", "add_"],
                "sub": [operator.sub, operator.isub, torch.sub, "sub", "sub_"]}.items():
    register(ops, "input other alpha=1", binary(fn))
register([operator.mul, operator.imul, torch.mul, "mul", "mul_"], "input other", binary("mul"))
register([operator.truediv, operator.itruediv, torch.div, "div", "div_"],
         "input other rounding_mode=None", binary("div"))
register([operator.neg, torch.neg, "neg"], "input", neg)

register([F.softmax], "input dim=None _stacklevel=3 dtype=None", softmax("softmax"))
register([torch.softmax, "softmax"], "input dim dtype=None", softmax("softmax"))
register([F.log_softmax], "input dim=None _stacklevel=3 dtype=None", softmax("log_softmax"))
register([torch.log_softmax, "log_softmax"], "input dim dtype=None", softmax("log_softmax"))

register([torch.flatten, "flatten"], "input start_dim=0 end_dim=-1", flatten)
register([torch.reshape, "view", "reshape", torch.squeeze, "squeeze", torch.unsqueeze,
          "unsqueeze"], "input *shape", reshape)
register(["view_as", "reshape_as"], "input other", reshape)
register([torch.transpose, "transpose", torch.swapaxes, "swapaxes", torch.swapdims,
          "swapdims"], "input dim0 dim1", transpose)
register([torch.permute], "input dims", permute)
register(["permute"], "input *dims", permute)
register([torch.t, "t"], "input", t)
register([torch.cat, torch.concat], "tensors dim=0", cat)
register([torch.mean, "mean"], "input dim=None keepdim=False dtype=None", mean)
register([torch.matmul, operator.matmul, "matmul", torch.mm, "mm", torch.bmm, "bmm"],
         "input other", matmul)
register([operator.getitem], "input index", getitem)

register(["contiguous", "clone", torch.clone], "input *rest", identity)
register([F.dropout, F.dropout1d, F.dropout2d, F.dropout3d],
         "input p=0.5 training=True inplace=False", identity)

for d in (1, 2, 3):
    register([getattr(F, f"adaptive_avg_pool{d}d")], "input output_size",
             functional_layer("AdaptiveAvgPool", d))
    register([getattr(F, f"max_pool{d}d")], "input kernel_size stride=None padding=0 "
             "dilation=1 ceil_mode=False return_indices=False", functional_layer("MaxPool", d))
    register([getattr(F, f"avg_pool{d}d")], "input kernel_size stride=None padding=0 "
             "ceil_mode=False count_include_pad=True" + (" divisor_override=None" * (d > 1)),
             functional_layer("AvgPool", d))
register([F.adaptive_max_pool2d], "input output_size return_indices=False",
         functional_layer("AdaptiveMaxPool2d"))

# In-place ops write their first operand: later uses of it see the result.
INPLACE_FUNCTIONS = {operator.iadd, operator.isub, operator.imul, operator.itruediv,
                     torch.relu_, torch.sigmoid_, torch.tanh_, F.relu_, F.leaky_relu_,
                     F.hardtanh_}


# --------------------------------------------------------------------------
# Tracing and the example runs

def unpack_proxy(self):
    """Proxy.__iter__ as in torch >= 2.0, for `out, _ = self.attn(x, x, x)` and
    `n, c, h, w = x.shape`: torch 1.x finds the unpacking instruction by an
    index that the inline caches of Python >= 3.11 shift; this finds it by its
    byte offset."""
    frame = inspect.currentframe().f_back
    for inst in dis.get_instructions(frame.f_code):
        if inst.offset == frame.f_lasti and inst.opname == "UNPACK_SEQUENCE":
            return (self[i] for i in range(inst.argval))
    raise torch.fx.proxy.TraceError("Proxy object cannot be iterated")


@contextlib.contextmanager
def unpackable_proxies():
    """Uses `unpack_proxy` while tracing, where torch needs it."""
    if int(torch.__version__.split(".")[0]) >= 2 or sys.version_info < (3, 11):
        yield
        return
    original = torch.fx.Proxy.__iter__
    torch.fx.Proxy.__iter__ = unpack_proxy
    try:
        yield
    finally:
        torch.fx.Proxy.__iter__ = original


class Tracer(torch.fx.Tracer):
    """torch.fx's tracer (torch.nn modules stay whole), recording in each
    node's meta the path of the module whose forward created it."""

    def __init__(self):
        super().__init__()
        self.scope = []

    def call_module(self, m, forward, args, kwargs):
        self.scope.append(self.path_of_module(m))
        try:
            return super().call_module(m, forward, args, kwargs)
        finally:
            self.scope.pop()

    def create_node(self, *args, **kwargs):
        node = super().create_node(*args, **kwargs)
        node.meta["layerc_path"] = self.scope[-1] if self.scope else ""
        return node


class Recorder(torch.fx.Interpreter):
    """Runs the graph and keeps what each node produced: shapes of tensors,
    plain values of everything else."""

    def run(self, *args):
        self.results = {}
        with torch.no_grad():
            super().run(*args)
        return self.results

    def run_node(self, node):
        result = super().run_node(node)
        self.results[node] = map_aggregate(result, lambda v: TensorInfo(
            tuple(v.shape), v.dtype) if isinstance(v, torch.Tensor) else v)
        return result


def holds_tensor(value):
    if isinstance(value, TensorInfo):
        return True
    if isinstance(value, (tuple, list)):
        return any(holds_tensor(v) for v in value)
    if isinstance(value, dict):
        return any(holds_tensor(v) for v in value.values())
    return False


def op_name(node):
    """The op of a node as a PyTorch user writes it."""
    if node.op == "call_function":
        return _get_qualified_name(node.target).replace("_operator.", "operator.")
    if node.op == "call_method":
        return f"Tensor.{node.target}"
    return node.op


# --------------------------------------------------------------------------
# The converter

class Statement(NamedTuple):
    name: str
    text: str      # the whole line
    uses: tuple    # names of the values and declared layers it reads
    params: tuple  # state_dict keys it reads


class Converter:
    """Writes the statements of one traced module."""

    def __init__(self, gm, runs):
        self.gm = gm
        self.runs = runs             # one or two {node: recorded result}
        self.statements = []
        self.env = {}                # node -> Value | Opaque | Symbolic | constant
        self.taken = set(RESERVED)   # value names in use (or not usable)
        self.declared = set()        # shared layers already declared
        self.weights = {}            # state_dict key -> tensor
        self.applications = {}       # module path -> number of calls
        for node in gm.graph.nodes:
            if node.op == "call_module":
                self.applications[node.target] = self.applications.get(node.target, 0) + 1
        self.reserved = set(self.applications)  # kept for the modules' own statements

    # -- helpers for handlers

    def info(self, node):
        """The recorded result of a node in the first example run."""
        return self.runs[0][node]

    def path(self, node):
        return node.meta.get("layerc_path", "")

    def fail(self, node, detail=None):
        op = type(self.gm.get_submodule(node.target)).__name__ \
            if node.op == "call_module" else op_name(node)
        raise unsupported(op, node.target if node.op == "call_module" else self.path(node),
                          detail)

    def value(self, v):
        """`v` as a tensor operand; anything else is an error of the current node."""
        if isinstance(v, Value):
            return v
        if isinstance(v, Opaque):
            self.fail(self.node, f"uses {v.what}")
        self.fail(self.node, f"expects a tensor, got {v!r}")

    def operand(self, v):
        """A tensor or a number (the binary functions)."""
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return v
        return self.value(v)

    def shape_with_symbol(self, node):
        shapes = [run[node].shape for run in self.runs]
        shape = tuple(d if all(s[i] == d for s in shapes) else -1
                      for i, d in enumerate(shapes[0]))
        if shape.count(-1) > 1:
            self.fail(node, f"the result {shape} has more than one size that depends on a "
                            "size symbol; .nn reshape allows one -1")
        return shape

    def unique(self, base):
        name, k = base, 0
        while name in self.taken or name in self.reserved:
            k += 1
            name = f"{base}_{k}"
        self.taken.add(name)
        return name

    def fixed(self, name, what="module path"):
        """A name that must be exactly `name` (an input, a parameter prefix)."""
        if not NAME_RE.match(name) or name in RESERVED:
            raise ExportError(
                f"{what} '{name}' is not a valid .nn name (a name starts with a letter or "
                "'_' and is not model/input/output/true/false/None)" +
                ("; wrap the module so that its parameters have such a prefix"
                 if what == "module path" else ""))
        if name in self.taken:
            raise ExportError(f"the name '{name}' is both an input and a module path")
        self.taken.add(name)
        return name

    def add(self, name, rhs, uses=(), params=()):
        uses = tuple(u.name if isinstance(u, Value) else u for u in uses)
        self.statements.append(Statement(name, f"{name} = {rhs}", uses, tuple(params)))
        return Value(name)

    def function(self, node, fn, args, kwargs=None):
        """A function statement, named after the op in its module's scope:
        `layer1.0.add`."""
        scope = self.path(node)
        name = self.unique(f"{scope}.{fn}" if scope else fn)
        uses = [a for a in args if isinstance(a, Value)]
        uses += [v for a in args if is_sequence(a) for v in a if isinstance(v, Value)]
        return self.add(name, call_text(fn, args, kwargs), uses)

    def check_arguments(self, node, layer, values):
        """Fails on the arguments REQUIRE rules out."""
        for name, allowed in REQUIRE.get(layer, {}).items():
            if name in values and not allowed(values[name]):
                value = values[name]
                shown = "a tensor" if isinstance(value, torch.Tensor) else repr(value)
                self.fail(node, f"{name.strip('_')}={shown} is not supported")

    def layer(self, node, layer, values, operand):
        """A parameter-free layer created and applied (a functional pooling op)."""
        self.check_arguments(node, layer, values)
        x = self.value(operand)
        scope = self.path(node)
        base = node.target.__name__
        name = self.unique(f"{scope}.{base}" if scope else base)
        return self.add(name, f"{layer_text(layer, values)}({x.name})", [x])

    # -- nodes

    def convert(self, input_names):
        placeholders = [n for n in self.gm.graph.nodes if n.op == "placeholder"]
        for node, name in zip(placeholders, input_names):
            self.env[node] = Value(self.fixed(name, "input name"))
        outputs = None
        for node in self.gm.graph.nodes:
            self.node = node
            if node.op == "output":
                outputs = self.outputs(node)
            elif node.op == "get_attr":
                self.env[node] = Opaque(f"parameter '{node.target}' outside its layer")
            elif node.op != "placeholder":
                self.env[node] = self.convert_node(node)
        return self.prune(outputs)

    def convert_node(self, node):
        results = [run[node] for run in self.runs]
        if not holds_tensor(results[0]):  # a size, a shape, a flag: fold it
            return results[0] if all(r == results[0] for r in results) else Symbolic(node.name)
        if isinstance(results[0], TensorInfo) and results[0].dtype != torch.float32:
            self.fail(node, f"it produces a {results[0].dtype} tensor; .nn values are f32")
        if node.op == "call_module":
            return self.convert_module(node)
        if node.target not in FUNCTIONS:
            self.fail(node)
        signature, handler = FUNCTIONS[node.target]
        args = torch.fx.node.map_arg(node.args, self.env.get)
        kwargs = torch.fx.node.map_arg(node.kwargs, self.env.get)
        try:
            a = bind(signature, args, kwargs, op_name(node))
        except ExportError as e:
            self.fail(node, str(e))
        if not getattr(handler, "accepts_symbolic", False) and any(
                isinstance(v, Symbolic) for v in flat(list(a.values()))):
            self.fail(node, "an argument depends on a size symbol "
                            "(only reshape and view may use such sizes)")
        result = handler(self, node, a)
        if isinstance(result, Value) and self.is_inplace(node, a):
            self.alias(node.args[0], result)
        return result

    def is_inplace(self, node, a):
        return (a.get("inplace") is True or node.target in INPLACE_FUNCTIONS or
                (node.op == "call_method" and node.target.endswith("_")))

    def alias(self, arg, result):
        """After an in-place op on `arg`, later uses of `arg` read `result`."""
        if isinstance(arg, torch.fx.Node):
            self.env[arg] = result

    def convert_module(self, node):
        path, m = node.target, self.gm.get_submodule(node.target)
        self.reserved.discard(path)  # its first application may take the name now
        layer = layer_of(m)
        if layer is None:
            self.fail(node)
        self.check_arguments(node, layer, {a: getattr(m, a) for a in REQUIRE.get(layer, {})
                                           if hasattr(m, a)})
        args = torch.fx.node.map_arg(node.args, self.env.get)
        kwargs = torch.fx.node.map_arg(node.kwargs, self.env.get)
        if layer == "MultiheadAttention":
            x = self.self_attention(node, args, kwargs)
        else:
            x = self.value(bind(params("input"), args, kwargs, layer)["input"])
        text = layer_text(layer, module_values(layer, m))
        state = {f"{path}.{k}": v for k, v in m.state_dict().items() if v.is_floating_point()}
        self.weights.update(state)
        if not state:  # parameter-free: create and apply at each use
            result = self.add(self.unique(path), f"{text}({x.name})", [x])
        elif self.applications[path] == 1:
            result = self.add(self.fixed(path), f"{text}({x.name})", [x], state)
        else:  # shared weights: declare once, then apply by name
            if path not in self.declared:
                self.add(self.fixed(path), text, (), state)
                self.declared.add(path)
            result = self.add(self.unique(path), f"{path}({x.name})", [x, path])
        if getattr(m, "inplace", False):
            self.alias(node.args[0], result)
        if layer == "MultiheadAttention":  # (output, weights); .nn has the output
            return (result, Opaque("the attention weights of MultiheadAttention"))
        return result

    def self_attention(self, node, args, kwargs):
        a = bind(params("query key value key_padding_mask=None need_weights=True "
                        "attn_mask=None average_attn_weights=True is_causal=False"),
                 args, kwargs, "MultiheadAttention")
        if not (a["query"] == a["key"] == a["value"]):
            self.fail(node, "only self-attention (query, key and value the same tensor)")
        for mask in ("key_padding_mask", "attn_mask"):
            if a[mask] is not None:
                self.fail(node, f"{mask} is not supported")
        if a["is_causal"]:
            self.fail(node, "is_causal is not supported")
        return self.value(a["query"])

    def outputs(self, node):
        results = []
        for v in flat([torch.fx.node.map_arg(node.args[0], self.env.get)]):
            if not isinstance(v, Value):
                what = v.what if isinstance(v, Opaque) else repr(v)
                raise ExportError(f"the module returns {what}; .nn outputs are tensors")
            if v in results:  # .nn names each output once: a copy for the repeat
                v = self.add(self.unique(v.name), f"Identity()({v.name})", [v])
            results.append(v)
        return results

    def prune(self, outputs):
        """Keeps the statements some output depends on; returns them."""
        needed = {v.name for v in outputs}
        kept = []
        for stmt in reversed(self.statements):
            if stmt.name in needed:
                kept.append(stmt)
                needed.update(stmt.uses)
        return kept[::-1], outputs


def is_sequence(v):
    """A tuple or list of the traced program (torch.Size included)."""
    return isinstance(v, (tuple, list))


def flat(values):
    """The leaves of nested tuples/lists/dicts."""
    out = []
    for v in values:
        if isinstance(v, dict):
            out += flat(list(v.values()))
        elif is_sequence(v):
            out += flat(list(v))
        else:
            out.append(v)
    return out


# --------------------------------------------------------------------------
# Public API

def model_name(path):
    """A C identifier from the file stem of `path`."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", os.path.basename(path)) or "model"
    return "_" + name if name[0].isdigit() else name


def trace(module, num_inputs):
    """Traces `module` (torch.fx); parameters of forward() past the given
    inputs keep their default values."""
    signature = inspect.signature(module.forward)
    positional = [p for p in signature.parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    rest = positional[num_inputs:]
    if num_inputs > len(positional) or any(p.default is p.empty for p in rest):
        raise ExportError(f"{type(module).__name__}.forward() takes the inputs "
                          f"({', '.join(p.name for p in positional)}), {num_inputs} given")
    concrete = {p.name: p.default for p in rest}
    tracer = Tracer()
    try:
        with unpackable_proxies():
            graph = tracer.trace(module, concrete_args=concrete or None)
    except Exception as e:
        raise ExportError(f"torch.fx cannot trace {type(module).__name__}: "
                          f"{type(e).__name__}: {e}") from e
    return torch.fx.GraphModule(tracer.root, graph, type(module).__name__)


def example_runs(gm, inputs, symbols):
    """The recorded results of one run on `inputs`, and with symbols a second
    run with every symbolic size doubled (to tell which sizes depend on them)."""
    sizes = {}
    for name, dims in symbols.items():
        for dim, symbol in dims.items():
            size = inputs[name].shape[dim]
            if sizes.setdefault(symbol, size) != size:
                raise ExportError(f"size symbol '{symbol}' has example sizes "
                                  f"{sizes[symbol]} and {size}")
    examples = [list(inputs.values())]
    if symbols:
        examples.append([
            torch.randn([d * 2 if i in symbols.get(name, {}) else d
                         for i, d in enumerate(x.shape)]).to(x.dtype)
            for name, x in inputs.items()])
    runs = []
    for example in examples:
        try:
            runs.append(Recorder(gm).run(*example))
        except Exception as e:
            shapes = ", ".join(str(list(x.shape)) for x in example)
            message = str(e).strip().split("\n\n")[0]  # without fx's node dump
            raise ExportError(f"running the traced module on inputs of shape {shapes} "
                              f"failed: {type(e).__name__}: {message}") from e
    return runs


def normalize_symbols(inputs, symbols):
    """{input: {dim: "SYMBOL"}} with dims made non-negative, checked."""
    out = {}
    for name, dims in (symbols or {}).items():
        if name not in inputs:
            raise ExportError(f"symbols name '{name}', which is not an input")
        rank = inputs[name].dim()
        out[name] = {}
        for dim, symbol in dims.items():
            if not -rank <= dim < rank:
                raise ExportError(f"input '{name}' has rank {rank}, no dim {dim}")
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", symbol) or symbol in RESERVED:
                raise ExportError(f"'{symbol}' is not a valid size symbol")
            out[name][dim % rank] = symbol
    return out


def to_nn(module, inputs, name, symbols=None, source=None):
    """Converts `module` without writing files. Returns (nn_text, tensors):
    the .nn text and the {state_dict key: float32 tensor} it reads.
    Arguments as for `export`; `name` is the model name, `source` an
    optional description for the header comment."""
    if not isinstance(module, nn.Module):
        raise ExportError(f"expected a torch.nn.Module, got {type(module).__name__}")
    for key, x in inputs.items():
        if not isinstance(x, torch.Tensor) or x.dtype != torch.float32:
            raise ExportError(f"input '{key}' must be a float32 tensor")
    symbols = normalize_symbols(inputs, symbols)
    was_training = module.training
    module.eval()
    try:
        gm = trace(module, len(inputs))
        converter = Converter(gm, example_runs(gm, inputs, symbols))
        statements, outputs = converter.convert(list(inputs))
    finally:
        module.train(was_training)

    lines = [f"# Exported by layerc-export from {source or type(module).__qualname__}",
             f"model {name}", ""]
    for key, x in inputs.items():
        dims = [symbols.get(key, {}).get(i, d) for i, d in enumerate(x.shape)]
        lines.append(f"input {key}: f32[{', '.join(map(str, dims))}]")
    lines += [""] + [s.text for s in statements]
    lines += ["", f"output {', '.join(v.name for v in outputs)}"]
    keys = [k for s in statements for k in s.params]
    tensors = {k: converter.weights[k].detach().to(torch.float32).contiguous() for k in keys}
    return "\n".join(lines) + "\n", tensors


SAFETENSORS_DTYPES = {torch.float32: "F32", torch.float16: "F16",
                      torch.bfloat16: "BF16", torch.int64: "I64"}


def safetensors_bytes(tensors):
    """The safetensors encoding of {name: tensor} (float32, float16, bfloat16
    or int64, each kept in its dtype): a u64 little-endian header length, the
    JSON header (padded with spaces to 8 bytes), the data."""
    header, blobs, offset = {}, [], 0
    for key, t in tensors.items():
        t = t.detach().contiguous().cpu()
        data = t.reshape(-1).view(torch.uint8).numpy().tobytes()  # little-endian host
        header[key] = {"dtype": SAFETENSORS_DTYPES[t.dtype], "shape": list(t.shape),
                       "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return b"".join([struct.pack("<Q", len(text)), text] + blobs)


def save_safetensors(tensors, path):
    """Writes {name: tensor} to `path` as safetensors (see safetensors_bytes)."""
    with open(path, "wb") as f:
        f.write(safetensors_bytes(tensors))


def export(module, inputs, path, symbols=None, source=None):
    """Writes PATH.nn and PATH.safetensors for `module`.

    module:  a torch.nn.Module (put in eval mode while tracing, then restored).
    inputs:  {name: example float32 tensor}, in the order of forward()'s
             parameters; the names become the .nn input names.
    path:    DIR/MODEL (a trailing `.nn` is dropped); MODEL names the model.
    symbols: sizes that are chosen at run time, per input and dim:
             {"x": {0: "N"}} writes `input x: f32[N, ...]`. One symbol in
             several places means equal sizes.
    Returns (nn_path, safetensors_path). Raises ExportError, writing nothing.
    """
    path = str(path)
    if path.endswith(".nn"):
        path = path[:-3]
    text, tensors = to_nn(module, inputs, model_name(path), symbols, source)
    blob = safetensors_bytes(tensors)
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    outputs = [(path + ".nn", text.encode()), (path + ".safetensors", blob)]
    temporaries = []
    try:
        for final, data in outputs:
            fd, tmp = tempfile.mkstemp(dir=directory, prefix=".layerc-export-")
            temporaries.append(tmp)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
        for (final, _), tmp in zip(outputs, temporaries):
            os.chmod(tmp, 0o644)
            os.replace(tmp, final)
    finally:
        for tmp in temporaries:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return outputs[0][0], outputs[1][0]


# --------------------------------------------------------------------------
# Command line

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


if __name__ == "__main__":
    sys.exit(main())
