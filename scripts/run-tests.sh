#!/usr/bin/env bash
# Installs, builds and runs every test suite (lit: Frontend, Dialect,
# Lowering, Driver, E2E, Toolchain, ...). A compiler warning fails the
# build. With --sanitizers, also builds the compiler with ASan+UBSan into
# build-asan/ and runs the whole suite again on it, then builds everything
# with Clang and the libFuzzer targets into build-fuzz/ and runs them
# briefly (test/Fuzz). Ends with one line `N passed, M failed` (totals of
# all runs).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sanitizers=0
for arg in "$@"; do
  case "$arg" in
    --sanitizers) sanitizers=1 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "error: unknown argument '$arg'" >&2; exit 1 ;;
  esac
done

passed=0 failed=0 skipped=0 status=0
# lit's summary lines look like "  Passed: 42 (95.45%)".
count() {
  local n
  n=$(grep -E "^ *$1 *: *[0-9]+" "$2" | head -1 | sed -E 's/[^0-9]*([0-9]+).*/\1/')
  echo "${n:-0}"
}

# run_suite BUILD_DIR LIT_DIR [CMAKE_ARGS...]: build into BUILD_DIR and run
# lit on BUILD_DIR/LIT_DIR (test: every suite).
run_suite() {
  local build=$1 tests=$2; shift 2
  if ! LAYERC_BUILD=$build "$root/scripts/build.sh" "$@"; then
    failed=$((failed + 1)); status=1
    return
  fi
  local log
  log=$(mktemp)
  /usr/lib/llvm-22/bin/lit -sv "$build/$tests" 2>&1 | tee "$log"
  local lit_status=${PIPESTATUS[0]}
  local p f
  p=$(( $(count Passed "$log") + $(count "Expectedly Failed" "$log") ))
  f=$(( $(count Failed "$log") + $(count "Unexpectedly Passed" "$log") ))
  if [ "$lit_status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  [ "$lit_status" -eq 0 ] || status=1
  passed=$((passed + p)); failed=$((failed + f))
  skipped=$((skipped + $(count Unsupported "$log")))
  rm -f "$log"
}

# Every build treats a compiler warning as an error.
run_suite "${LAYERC_BUILD:-$root/build}" test -DLAYERC_WERROR=ON
if [ "$sanitizers" -eq 1 ]; then
  echo "== the same suite on the compiler built with ASan+UBSan =="
  run_suite "$root/build-asan" test -DLAYERC_SANITIZE=ON -DLAYERC_WERROR=ON
  echo "== everything built by Clang (warnings are errors), and the fuzz targets run =="
  run_suite "$root/build-fuzz" test/Fuzz -DCMAKE_C_COMPILER=clang \
    -DCMAKE_CXX_COMPILER=clang++ -DLAYERC_FUZZ=ON -DLAYERC_WERROR=ON
fi
summary="${passed} passed, ${failed} failed"
[ "$skipped" -eq 0 ] || summary="$summary, ${skipped} skipped"
echo "$summary"
exit "$status"
