#!/usr/bin/env bash
# Runs the whole vnfacts test suite:
#   1. set-up and the release build (scripts/setup.sh), then every test via CTest;
#   2. the same suite built with clang-14 under AddressSanitizer + UBSan;
#   3. every libFuzzer target for a short time (VNFACTS_FUZZ_SECONDS, default 10).
# VNFACTS_QUICK=1 runs step 1 only (for a fast edit-test loop).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
build_dir=${VNFACTS_BUILD_DIR:-build}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Totals over every CTest run, printed last as "N passed, N failed".
summary() {
  awk '/tests passed, [0-9]+ tests? failed out of/ {
         for (i = 1; i <= NF; i++) if ($i == "of") total += $(i + 1);
         for (i = 1; i <= NF; i++) if ($i == "failed") { failed += $(i - 2) }
       }
       /^fuzz.sh: [a-z_]+ for / { total += 1 }
       /^fuzz.sh: [a-z_]+ FAILED/ { failed += 1 }
       END { printf "%d passed, %d failed\n", total - failed, failed }' "$log"
}
echo "== release build: CTest"
set +e
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" "$@" 2>&1 | tee -a "$log"
rc=${PIPESTATUS[0]}
set -e
if [ "${VNFACTS_QUICK:-0}" = 1 ] || [ $rc -ne 0 ]; then summary; exit $rc; fi

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build: CTest"
asan_dir=${VNFACTS_FUZZ_BUILD_DIR:-build-fuzz}
if [ ! -f "$asan_dir/CMakeCache.txt" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$asan_dir" -G Ninja -DCMAKE_BUILD_TYPE=None \
    -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" \
    -DVNFACTS_SANITIZE=ON -DVNFACTS_FUZZ=ON -DVNFACTS_BUILD_BENCHMARKS=OFF >/dev/null
fi
cmake --build "$asan_dir" -j "$(nproc)"
# The Slurm test runs once, in the release build; benchmarks-sized inputs are
# slow under ASan, and the suite stays the same otherwise.
set +e
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$asan_dir" --output-on-failure -j "$(nproc)" -E '^slurm\.|Heavy_' "$@" 2>&1 | tee -a "$log"
rc=${PIPESTATUS[0]}
set -e
if [ $rc -ne 0 ]; then summary; exit $rc; fi

echo "== fuzzing each target for ${VNFACTS_FUZZ_SECONDS:-10}s"
set +e
VNFACTS_FUZZ_BUILD_DIR=$asan_dir scripts/fuzz.sh "${VNFACTS_FUZZ_SECONDS:-10}" 2>&1 | tee -a "$log"
rc=${PIPESTATUS[0]}
set -e
summary
exit $rc
