"""The .nn side: the values a model statement reads (Value, and the markers
Opaque, Symbolic, TensorInfo), valid names, and literals and calls written
in .nn syntax."""
import math
import re
from dataclasses import dataclass

import torch

from .errors import ExportError


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
