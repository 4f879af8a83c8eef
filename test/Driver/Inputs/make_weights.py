"""Writes a .safetensors file for the Driver tests (no torch needed).

usage: make_weights.py OUT [NAME=D0,D1,...[:DTYPE] ...] [options]

Each NAME=SHAPE adds a tensor (DTYPE F32 unless given: F32, F16, BF16, I64)
whose elements are 0.5, 1.5, 2.5, ... A scalar is NAME= (empty shape).
Options that damage the file on purpose:
  --truncate=N     drop the last N bytes of the file (data past the end)
  --not-json       the header is text that is not JSON
  --header-len=N   the 8-byte length field says N, whatever the header is
  --bytes=N        write only the first N bytes of the file
"""
import json
import struct
import sys

WIDTH = {"F32": 4, "F16": 2, "BF16": 2, "I64": 8}


def encode(dtype, count):
    values = [i + 0.5 for i in range(count)]
    if dtype == "F32":
        return struct.pack("<%df" % count, *values)
    if dtype == "F16":
        return struct.pack("<%de" % count, *values)
    if dtype == "BF16":  # the high half of each float32
        return b"".join(struct.pack("<f", v)[2:] for v in values)
    if dtype == "I64":
        return struct.pack("<%dq" % count, *range(count))
    raise SystemExit("make_weights.py: unknown dtype " + dtype)


def main(argv):
    if not argv:
        raise SystemExit(__doc__)
    out, header, blobs, offset = argv[0], {}, [], 0
    options = {}
    for arg in argv[1:]:
        if arg.startswith("--"):
            key, _, value = arg[2:].partition("=")
            options[key] = value
            continue
        name, _, spec = arg.partition("=")
        spec, _, dtype = spec.partition(":")
        dtype = dtype or "F32"
        shape = [int(d) for d in spec.split(",") if d]
        count = 1
        for d in shape:
            count *= d
        data = encode(dtype, count)
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = b"this is not JSON" if "not-json" in options else \
        json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    length = int(options.get("header-len", len(text)))
    content = struct.pack("<Q", length) + text + b"".join(blobs)
    if "truncate" in options:
        content = content[:len(content) - int(options["truncate"])]
    if "bytes" in options:
        content = content[:int(options["bytes"])]
    with open(out, "wb") as f:
        f.write(content)


if __name__ == "__main__":
    main(sys.argv[1:])
