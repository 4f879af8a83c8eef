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

The modules, in the order of that work: errors (ExportError), nn_text (.nn
values, names and literals), layers (the .nn layers and the torch.nn modules
they come from), tracing (torch.fx and the example runs), functions (the
handlers of functions and methods), converter (nodes -> statements),
safetensors (the weights file), api (to_nn, export) and cli (main).

Needs only torch and numpy (torchvision only for its models).
"""
from .api import export, model_name, to_nn
from .cli import load_factory, main, parse_assignment, parse_input
from .errors import ExportError
from .safetensors import save_safetensors

# The API, then what the tools, tests and benchmarks use.
__all__ = ["export", "to_nn", "ExportError", "main", "save_safetensors", "model_name",
           "load_factory", "parse_input", "parse_assignment"]
