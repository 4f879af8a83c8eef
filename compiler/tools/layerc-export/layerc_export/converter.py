"""The converter: writes the .nn statements of one traced module, node by
node, and keeps those that an output depends on."""
from typing import NamedTuple

import torch
import torch.fx

from .errors import ExportError, unsupported
from .functions import FUNCTIONS, INPLACE_FUNCTIONS
from .layers import REQUIRE, bind, layer_of, layer_text, module_values, params
from .nn_text import NAME_RE, RESERVED, Opaque, Symbolic, TensorInfo, Value, call_text
from .tracing import flat, holds_tensor, is_sequence, op_name


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
