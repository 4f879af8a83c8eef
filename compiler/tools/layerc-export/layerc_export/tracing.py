"""Tracing and the example runs: the torch.fx tracer (torch.nn layers kept
whole, each node tagged with its module path), the run that records every
node's result, and helpers on the traced values."""
import contextlib
import dis
import inspect
import sys

import torch
import torch.fx
from torch.fx.node import _get_qualified_name, map_aggregate

from .errors import ExportError
from .nn_text import TensorInfo


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
