"""Functions and methods: the FUNCTIONS registry, from a torch function,
operator or Tensor method name to its signature and handler. Each handler
gets the converter, the node and the bound arguments (nodes replaced by their
Value or constant) and returns the node's Value."""
import operator

import torch
import torch.nn.functional as F

from .layers import params
from .tracing import is_sequence


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
