"""The safetensors file format: encoding {name: tensor} and writing it."""
import json
import struct

import numpy as np  # noqa: F401 (Tensor.numpy() needs it)
import torch


SAFETENSORS_DTYPES = {torch.float32: "F32", torch.float16: "F16",
                      torch.bfloat16: "BF16", torch.int64: "I64"}


def safetensors_bytes(tensors):
    """The safetensors encoding of {name: tensor} (float32, float16, bfloat16
    or int64, each kept in its dtype): a u64 little-endian header length, the
    JSON header (padded with spaces to 8 bytes), the data."""
    header, blobs, offset = {}, [], 0
    for key, t in tensors.items():
        t = t.detach().contiguous().cpu()
        data = t.reshape(-1).view(torch.uint8).numpy().tobytes()  # little-endian host
        header[key] = {"dtype": SAFETENSORS_DTYPES[t.dtype], "shape": list(t.shape),
                       "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return b"".join([struct.pack("<Q", len(text)), text] + blobs)


def save_safetensors(tensors, path):
    """Writes {name: tensor} to `path` as safetensors (see safetensors_bytes)."""
    with open(path, "wb") as f:
        f.write(safetensors_bytes(tensors))
