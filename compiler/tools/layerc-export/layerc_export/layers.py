"""The .nn layers: their signatures with torch's defaults (LAYERS), argument
binding, the `Layer(args)` text, and reading the arguments back from a
torch.nn module (module_values, layer_of, REQUIRE)."""
import ast
import operator

from .errors import ExportError
from .nn_text import call_text


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
