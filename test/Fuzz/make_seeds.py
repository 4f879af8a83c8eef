"""Writes the seed corpus of one fuzz target into a folder, from the test
suite: `make_seeds.py TARGET OUT_DIR`, TARGET one of frontend, ir,
safetensors, npy.

  frontend     every .nn file of test/ and examples/
  ir           every nn-dialect case of test/Dialect (split at `// -----`)
  safetensors  weights for the safetensors fuzzer's fixed model in F32, F16
               and BF16, with metadata, and cut short
  npy          float32 arrays of rank 0 to 4, empty ones, a version 2 header
"""
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def frontend(out):
    for folder in ("test", "examples"):
        for i, path in enumerate(sorted((ROOT / folder).rglob("*.nn"))):
            (out / f"{folder}-{i}-{path.name}").write_bytes(path.read_bytes())


def ir(out):
    for path in sorted((ROOT / "test" / "Dialect").glob("*.mlir")):
        for i, case in enumerate(path.read_text().split("// -----")):
            (out / f"{path.stem}-{i}.mlir").write_text(case)


def safetensors(out):
    import torch
    sys.path.insert(0, str(ROOT / "compiler" / "tools" / "layerc-export"))
    from layerc_export import save_safetensors

    torch.manual_seed(0)
    # The fixed model of compiler/tools/layerc-fuzz/safetensors_fuzzer.cpp.
    model = torch.nn.ModuleDict({
        "conv": torch.nn.Conv2d(3, 4, 3, padding=1),
        "bn": torch.nn.BatchNorm2d(4),
        "gn": torch.nn.GroupNorm(2, 4),
        "ln": torch.nn.LayerNorm(256),
        "fc": torch.nn.Linear(256, 5),
    })
    state = {k: v for k, v in model.state_dict().items()}
    for dtype, name in ((torch.float32, "f32"), (torch.float16, "f16"),
                        (torch.bfloat16, "bf16")):
        tensors = {k: (v.to(dtype) if v.is_floating_point() else v)
                   for k, v in state.items()}
        save_safetensors(tensors, out / f"model-{name}.safetensors")
    data = (out / "model-f32.safetensors").read_bytes()
    (out / "truncated.safetensors").write_bytes(data[:len(data) // 2])
    partial = {k: v for k, v in state.items() if not k.startswith("fc.")}
    save_safetensors(partial, out / "missing-fc.safetensors")


def npy(out):
    import numpy as np
    arrays = {
        "scalar": np.float32(1.5),
        "vector": np.arange(7, dtype=np.float32),
        "matrix": np.ones((3, 4), np.float32),
        "rank4": np.zeros((1, 2, 3, 4), np.float32),
        "empty": np.zeros((0, 3), np.float32),
    }
    for name, value in arrays.items():
        np.save(out / f"{name}.npy", np.asarray(value))
    with open(out / "version2.npy", "wb") as f:
        np.lib.format.write_array(f, np.ones(5, np.float32), version=(2, 0))


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("frontend", "ir", "safetensors", "npy"):
        sys.exit(__doc__)
    out = pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    globals()[sys.argv[1]](out)


if __name__ == "__main__":
    main()
