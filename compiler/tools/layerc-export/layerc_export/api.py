"""The Python API: to_nn (a module -> .nn text and weights) and export
(writes MODEL.nn and MODEL.safetensors)."""
import os
import re
import tempfile

import torch
import torch.nn as nn

from .converter import Converter
from .errors import ExportError
from .nn_text import RESERVED
from .safetensors import safetensors_bytes
from .tracing import example_runs, trace


def model_name(path):
    """A C identifier from the file stem of `path`."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", os.path.basename(path)) or "model"
    return "_" + name if name[0].isdigit() else name


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
