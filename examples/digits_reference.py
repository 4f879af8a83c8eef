#!/usr/bin/python3
"""The PyTorch twin of digits.nn: writes its (seeded, untrained) weights as
safetensors, one input image as .npy, and PyTorch's output for that input.

Usage: digits_reference.py OUT_DIR
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "compiler", "tools", "layerc-export"))
from layerc_export import save_safetensors  # noqa: E402


class Digits(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.conv3 = nn.Conv2d(32, 32, 3, stride=2, padding=1, groups=4)
        self.fc1 = nn.Linear(32 * 7 * 7, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, image):
        x = torch.relu(self.conv1(image))
        x = torch.relu(self.conv2(x))
        x = torch.relu(self.conv3(x))
        x = torch.relu(self.fc1(torch.flatten(x, 1)))
        return self.fc2(x)


def main():
    out = sys.argv[1]
    torch.manual_seed(7)
    model = Digits().eval()
    # A "digit": a bright stroke on a dark background.
    image = torch.zeros(1, 1, 28, 28)
    image[0, 0, 4:24, 12:16] = 1.0
    with torch.no_grad():
        logits = model(image)
    save_safetensors(model.state_dict(), os.path.join(out, "digits.safetensors"))
    np.save(os.path.join(out, "image.npy"), image.numpy())
    np.save(os.path.join(out, "torch_logits.npy"), logits.numpy())
    print("torch: ", " ".join(f"{v:+.5f}" for v in logits[0].tolist()))


if __name__ == "__main__":
    main()
