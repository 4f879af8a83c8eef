"""The error layerc-export reports: ExportError, and `unsupported` for an op
that has no .nn equivalent."""


class ExportError(Exception):
    """A model that cannot be exported; the message is for the user."""


def unsupported(op, path, detail=None):
    """The error for an op that has no .nn equivalent."""
    where = f"'{path}'" if path else "'' (the top-level module)"
    message = f"unsupported op '{op}' at module path {where}"
    return ExportError(message + (f": {detail}" if detail else ""))
