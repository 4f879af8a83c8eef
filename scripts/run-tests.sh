#!/usr/bin/env bash
# Installs, builds and runs every test suite (lit: Frontend, Dialect,
# Lowering, Driver, E2E). Ends with one line `N passed, M failed`.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${LAYERC_BUILD:-$root/build}
"$root/scripts/build.sh" || { echo "0 passed, 1 failed"; exit 1; }
log=$(mktemp)
/usr/lib/llvm-22/bin/lit -sv "$build/test" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# lit's summary lines look like "  Passed: 42 (95.45%)".
count() {
  local n
  n=$(grep -E "^ *$1: *[0-9]+" "$log" | head -1 | sed -E 's/[^0-9]*([0-9]+).*/\1/')
  echo "${n:-0}"
}
passed=$(( $(count Passed) + $(count "Expectedly Failed") ))
failed=$(( $(count Failed) + $(count "Unexpectedly Passed") ))
unsupported=$(count Unsupported)
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
summary="${passed} passed, ${failed} failed"
[ "$unsupported" -eq 0 ] || summary="$summary, ${unsupported} skipped"
echo "$summary"
exit "$status"
