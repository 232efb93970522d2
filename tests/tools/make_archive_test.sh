#!/usr/bin/env bash
# The benchmark archive generator (scripts/make_archive.py): each source makes
# an archive the reader reads as its MANIFEST says (ReadsGeneratedArchive),
# and the default archive is as dense in facts as press text, which the
# throughput figures rest on: 2 to 5 facts per KB of article text (the seed
# articles hold 2.9, UD and VLSP news sentences 2.5), where the extractor test
# articles (--articles corpus/articles) hold more than 8. The archive of real
# news sentences (--sentences) is made only where ../shared exists.
#   make_archive_test.sh VNFACTS_BINARY READER_TESTS_BINARY
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
vnfacts="$1"
reader_tests="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Facts per KB of stored article text in the database made from archive $1.
density() {
  # Exit 1: the archive's planted bad files were reported; anything else fails.
  local status=0
  "$vnfacts" run --quiet --db "$work/$1.db" "$work/$1" 2>/dev/null || status=$?
  if (( status > 1 )); then echo "make_archive_test: vnfacts run on $1 exited $status" >&2; exit 1; fi
  python3 - "$work/$1.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
facts = db.execute("SELECT count(*) FROM facts").fetchone()[0]
text = db.execute("SELECT sum(length(CAST(text AS BLOB))) FROM articles").fetchone()[0]
print("%.2f" % (1000.0 * facts / text))
PY
}

check() {  # name, then make_archive.py options
  local name="$1"
  shift
  python3 "$root/scripts/make_archive.py" --mb 1 --out "$work/$name" "$@" >/dev/null
  VNFACTS_READER_ARCHIVE="$work/$name" "$reader_tests" \
    --gtest_filter='ArticleReaderTest.ReadsGeneratedArchive' >"$work/$name.log" 2>&1 ||
    { cat "$work/$name.log"; echo "make_archive_test: $name: the reader disagrees with MANIFEST"
      exit 1; }
}

check news
check dense --articles "$root/corpus/articles"
news=$(density news)
dense=$(density dense)
echo "facts per KB: news archive $news, dense archive $dense"
python3 -c "import sys; n, d = float(sys.argv[1]), float(sys.argv[2]); \
sys.exit(0 if 2 <= n <= 5 and d > 8 else 1)" "$news" "$dense" ||
  { echo "make_archive_test: the news archive should hold 2-5 facts per KB, the dense over 8"
    exit 1; }
shared="$root/../shared"
if [[ -f "$shared/ud-vi/vi_vtb-ud-dev.conllu" ]]; then
  check sentences --sentences "$shared/ud-vi/vi_vtb-ud-dev.conllu" \
    "$shared/segmentation/vlsp-sample-train-gold.txt"
  echo "facts per KB: real news sentences $(density sentences)"
else
  echo "make_archive_test: ../shared/ud-vi not found; no archive of real news sentences checked"
fi
