#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 (AddressSanitizer + UBSan) and runs
# each for SECONDS (default 60) from a seed corpus made of the sample articles
# and the saved regression inputs. A crash is copied to
# tests/fuzz/regressions/<target>/ (so the regular suite replays it) and the
# script fails.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
build=${VNFACTS_FUZZ_BUILD_DIR:-build-fuzz}
command -v clang++-14 >/dev/null || { echo "fuzz.sh: clang++-14 missing (run scripts/setup.sh)"; exit 2; }
if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=None \
    -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" \
    -DVNFACTS_SANITIZE=ON -DVNFACTS_FUZZ=ON -DVNFACTS_BUILD_BENCHMARKS=OFF >/dev/null
fi
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(normalizer text_pipeline document_extractor date_extractor quantity_extractor
           official_extractor search_query legacy_encoding jsonl_reader html_reader figure_check
           sentence_boundaries)
fi
cmake --build "$build" -j "$(nproc)" --target "${targets[@]/#/fuzz_}"

failed=0
for t in "${targets[@]}"; do
  corpus="$build/fuzz-corpus/$t"
  artifacts="$build/fuzz-artifacts/$t"
  mkdir -p "$corpus" "$artifacts"
  if [ "$t" = search_query ]; then
    printf 'nguyen van phong' >"$corpus/seed1"; printf 'Đảng ủy "quy định" 124*' >"$corpus/seed2"
  elif [ "$t" = jsonl_reader ] || [ "$t" = html_reader ] || [ "$t" = legacy_encoding ]; then
    for f in tests/fixtures/inputs/*; do
      [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 65536 ] && cp "$f" "$corpus/"
    done
  elif [ "$t" = figure_check ]; then
    # Whole articles, since breakdowns and their totals span sentences, and
    # pairs joined by a form feed for the checks across articles.
    prev=""
    for f in corpus/articles/*.txt; do
      cp "$f" "$corpus/"
      [ -n "$prev" ] && { cat "$prev"; printf '\f'; cat "$f"; } >"$corpus/pair-$(basename "$f")"
      prev=$f
    done
  else
    # Sample articles cut into paragraphs keep inputs small and varied.
    for f in corpus/articles/*.txt; do
      split -l 3 -d "$f" "$corpus/$(basename "$f" .txt)-" 2>/dev/null || true
    done
  fi
  [ -d "tests/fuzz/regressions/$t" ] && cp tests/fuzz/regressions/"$t"/* "$corpus"/ 2>/dev/null || true
  echo "fuzz.sh: $t for ${seconds}s"
  set +e
  "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -artifact_prefix="$artifacts/" -print_final_stats=1 "$corpus" \
    >"$build/fuzz-$t.log" 2>&1
  rc=$?
  set -e
  grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$build/fuzz-$t.log" | tr '\n' ' '; echo
  if [ $rc -ne 0 ]; then
    failed=1
    echo "fuzz.sh: $t FAILED (exit $rc); see $build/fuzz-$t.log"
    mkdir -p "tests/fuzz/regressions/$t"
    for a in "$artifacts"/*; do
      [ -f "$a" ] && cp "$a" "tests/fuzz/regressions/$t/" && echo "  saved $(basename "$a") to tests/fuzz/regressions/$t/"
    done
  fi
done
exit $failed
