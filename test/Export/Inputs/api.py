"""The Python API of layerc-export: export(module, inputs, path, symbols=...).

Usage: api.py OUT_DIR. Exports a small CNN with a symbolic batch size to
OUT_DIR/tiny.nn + .safetensors and prints the .nn; then shows that a failed
export raises ExportError and writes nothing."""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..",
                                "compiler", "tools", "layerc-export"))
from layerc_export import ExportError, export  # noqa: E402


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.fc = nn.Linear(8 * 4 * 4, 10)

    def forward(self, image):
        x = torch.relu(self.conv(image))
        return self.fc(x.view(x.size(0), -1))


out = sys.argv[1]
module = Tiny().train()
nn_path, st_path = export(module, {"image": torch.randn(2, 3, 4, 4)}, os.path.join(out, "tiny"),
                          symbols={"image": {0: "N"}})
print(open(nn_path).read(), end="")
print("training mode restored:", module.training)
try:
    export(nn.Sequential(nn.Linear(4, 4)), {"x": torch.randn(2, 4)}, os.path.join(out, "seq"))
except ExportError as e:
    print("ExportError:", e)
print("files:", sorted(os.listdir(out)))
