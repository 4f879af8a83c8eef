#!/usr/bin/env bash
# Installs the Debian packages (if missing) and builds layerc into build/
# (or $LAYERC_BUILD). Extra arguments go to cmake, e.g. -DLAYERC_SANITIZE=ON.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${LAYERC_BUILD:-$root/build}
"$root/scripts/install-deps.sh"
cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit "$@" >/dev/null
ninja -C "$build" -j"${LAYERC_JOBS:-2}"
