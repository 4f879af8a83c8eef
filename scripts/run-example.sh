#!/usr/bin/env bash
# The main job, end to end: install, build, compile examples/digits.nn with
# weights exported from its PyTorch twin, link it into the C app of
# examples/app, run it, and print its output next to PyTorch's.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${LAYERC_BUILD:-$root/build}
"$root/scripts/build.sh"
work=$build/example
mkdir -p "$work"
cd "$work"
/usr/bin/python3 "$root/examples/digits_reference.py" "$work"
"$build/bin/layerc" compile "$root/examples/digits.nn" \
  --weights digits.safetensors -o digits
cc -O2 -I. -I"$root/runtime/include" -I"$build/runtime/include" \
  "$root/examples/app/main.c" digits.o "$build/lib/liblayerc_runtime.a" \
  -lpthread -ldl -lm -o digits_app
./digits_app image.npy
