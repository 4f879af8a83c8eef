#!/usr/bin/env bash
# Runs one of layerc's libFuzzer targets for a while:
#
#   scripts/fuzz.sh [--no-build] TARGET [SECONDS]     (default 60 seconds)
#
# TARGET: frontend (.nn sources), ir (nn dialect text through layerc-opt's
# passes), safetensors (weights files), npy (the runtime's .npy reader).
# Builds the fuzzers first (clang, ASan+UBSan, in build-fuzz/ or
# $LAYERC_BUILD, as `run-tests.sh --sanitizers` does; --no-build uses it as
# it is, as the lit tests in test/Fuzz do). Starts from the
# seeds of the test suite plus every input found before, which are kept in
# BUILD/fuzz/TARGET/corpus. A crash stops the run and is written to
# BUILD/fuzz/TARGET/crash-*: fix it, then add the file to
# test/Fuzz/Inputs/TARGET/, where the lit suite runs it on every build.
# Prints libFuzzer's last status line (runs, coverage: cov = edges).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
usage="usage: scripts/fuzz.sh [--no-build] frontend|ir|safetensors|npy [SECONDS]"
build_first=1
if [ "${1:-}" = --no-build ]; then build_first=0; shift; fi
case "${1:-}" in
  frontend|ir|safetensors|npy) target=$1 ;;
  -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
  *) echo "$usage" >&2; exit 1 ;;
esac
seconds=${2:-60}
case "$seconds" in ''|*[!0-9]*) echo "$usage" >&2; exit 1 ;; esac
build=${LAYERC_BUILD:-$root/build-fuzz}
if [ $build_first -eq 1 ]; then
  LAYERC_BUILD=$build "$root/scripts/build.sh" -DCMAKE_C_COMPILER=clang \
    -DCMAKE_CXX_COMPILER=clang++ -DLAYERC_FUZZ=ON >/dev/null
fi
work=$build/fuzz/$target
mkdir -p "$work/corpus" "$work/seeds"
/usr/bin/python3 "$root/test/Fuzz/make_seeds.py" "$target" "$work/seeds"
dict=()
[ "$target" != frontend ] || dict=(-dict="$root/compiler/tools/layerc-fuzz/nn.dict")
regressions=()
[ ! -d "$root/test/Fuzz/Inputs/$target" ] || regressions=("$root/test/Fuzz/Inputs/$target")
log=$work/last-run.log
cd "$work"
set +e
"$build/bin/layerc-fuzz-$target" -max_total_time="$seconds" -rss_limit_mb=4096 \
  -timeout=30 -print_final_stats=1 -artifact_prefix="$work/" "${dict[@]}" \
  corpus seeds "${regressions[@]}" >"$log" 2>&1
status=$?
set -e
grep -E "^#[0-9]+" "$log" | tail -1
grep -E "^(stat::|Done)" "$log" || true
if [ $status -ne 0 ]; then
  echo "fuzz: $target failed (exit $status); see $log" >&2
  grep -E "ERROR|SUMMARY|artifact" "$log" >&2 || true
fi
exit $status
