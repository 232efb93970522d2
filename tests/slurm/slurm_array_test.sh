#!/usr/bin/env bash
# Integration test: a real single-node Slurm on this machine runs
# scripts/slurm/vnfacts-array.sbatch over the sample corpus (3 shards plus the
# dependent merge job); the merged database must equal a single-process run.
# Exits 77 (skipped) with a message when Slurm cannot start here.
set -euo pipefail
cli=${1:?path to the vnfacts binary}
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/vnfacts-slurm-test.XXXXXX)
cluster="$work/cluster"
cleanup() { "$repo/scripts/slurm/local-cluster.sh" stop "$cluster" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

set +e
env_line=$("$repo/scripts/slurm/local-cluster.sh" start "$cluster")
rc=$?
set -e
if [ $rc -eq 77 ]; then echo "SKIPPED: Slurm cannot start on this machine"; exit 77; fi
[ $rc -eq 0 ] || { echo "local cluster failed ($rc)"; exit 1; }
eval "$env_line"

corpus="$repo/corpus/articles"
"$cli" run --quiet --db "$work/single.db" "$corpus"
"$repo/scripts/slurm/vnfacts-array.sbatch" --shards 3 --out "$work/out" --bin "$cli" "$corpus"

for _ in $(seq 1 240); do
  if [ -f "$work/out/merge.log" ] && [ -z "$(squeue -h 2>/dev/null)" ]; then break; fi
  sleep 0.5
done
if [ -n "$(squeue -h 2>/dev/null)" ]; then echo "FAIL: jobs still queued after 120 s"; squeue; exit 1; fi
cat "$work/out/merge.log"

dump() {
  "$cli" export --db "$1"
  for t in articles facts people positions documents document_mentions quantities dates terms; do
    echo "$t=$(sqlite3 "$1" "SELECT count(*) FROM $t")"
  done
  # The shards have no search index (--no-search-index); the merge builds it.
  for q in "dân vận" "tinh uy" "nghi quyet" "2018"; do
    "$cli" search --db "$1" --limit 100000 --format jsonl "$q"
  done
}
if [ "$(sqlite3 "$work/out/shard-0.db" "SELECT count(*) FROM sqlite_master WHERE name = 'search_index'")" != 0 ]; then
  echo "FAIL: a shard database has a search index, though the array runs --no-search-index"; exit 1
fi
if diff <(dump "$work/single.db") <(dump "$work/out/merged.db") >"$work/diff.txt"; then
  echo "1 passed, 0 failed: merged Slurm shards equal the single-process run ($(sqlite3 "$work/single.db" 'SELECT count(*) FROM articles') articles)"
else
  echo "FAIL: merged database differs from the single-process run:"; head -20 "$work/diff.txt"
  echo "0 passed, 1 failed"
  exit 1
fi
