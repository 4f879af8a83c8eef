#!/usr/bin/env bash
# Installs the Debian 12 packages layerc needs to build and test (run as root).
# Idempotent: packages already present are left as they are.
set -euo pipefail
PKGS=(libhalide14-0-dev libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools
      ninja-build cmake g++ python3-torch python3-numpy
      # torchvision models for the layerc-export tests and examples
      python3-torchvision
      # PyTorch's BLAS for bench/run.py (else torch takes the reference BLAS)
      libopenblas0-pthread
      # clang with libFuzzer and its sanitizers: the sanitizer build and
      # the fuzz targets (scripts/fuzz.sh)
      clang libclang-rt-14-dev
      # cross builds for 64-bit Arm Linux, run under qemu by the tests
      gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update
$SUDO apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends "${missing[@]}"
