#!/usr/bin/env bash
# Trains the word segmentation model from the labelled data in ../shared.
#
#   scripts/train_segmenter.sh [--without-dev] OUT.tsv
#
# The shipped lexicons/segmenter_model.tsv is this script's output without
# options: the UD Vietnamese VTB train and dev splits (each three times, so
# the treebank's conventions outweigh the smaller-grained RDRsegmenter sample)
# and the RDRsegmenter sample, 20 epochs. --without-dev leaves the dev split
# out, so that dev can score a model that never saw it; the test suite does
# that (segmentation.ud_dev_heldout). Exits 77 when ../shared is missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${VNFACTS_SHARED:-$root/../shared}"
build="${VNFACTS_BUILD:-$root/build}"
with_dev=1
if [[ "${1:-}" == "--without-dev" ]]; then with_dev=0; shift; fi
out="${1:?usage: train_segmenter.sh [--without-dev] OUT.tsv}"
train="$shared/ud-vi/vi_vtb-ud-train.conllu"
dev="$shared/ud-vi/vi_vtb-ud-dev.conllu"
sample="$shared/segmentation/vlsp-sample-train-gold.txt"
for f in "$train" "$dev" "$sample"; do
  if [[ ! -f "$f" ]]; then
    echo "train_segmenter.sh: $f not found; skipped" >&2
    exit 77
  fi
done
ud=("$train" "$train" "$train")
if (( with_dev )); then ud+=("$dev" "$dev" "$dev"); fi
exec "$build/segmenter_tool" train --ud "${ud[@]}" --underscored "$sample" --epochs 20 --out "$out"
