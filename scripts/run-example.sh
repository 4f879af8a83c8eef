#!/usr/bin/env bash
# The main job, end to end: install, build, then torchvision's ResNet-18 (with
# seeded weights) exported by layerc-export, compiled by layerc, linked into
# the C app of examples/networks and run on an input tensor, its output and
# time printed next to PyTorch's. Other models: pass their name
# (resnet50, mobilenet_v2, transformer_block) and options of
# examples/networks/run.py, e.g. `scripts/run-example.sh mobilenet_v2 --batch 8`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh"
if [ $# -eq 0 ]; then
  set -- resnet18
fi
exec /usr/bin/python3 "$root/examples/networks/run.py" "$@"
