#!/usr/bin/env bash
# Estimates the word F1 of the shipped training recipe on text it never saw:
# two-fold cross-validation over the UD dev split. Each half of dev (even and
# odd sentences) is added to the training data (UD train and the half, each
# three times, plus the RDRsegmenter sample; as scripts/train_segmenter.sh
# does with all of dev) and the other half is scored.
#
#   scripts/segmentation_cv.sh        prints both folds' scores
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${VNFACTS_SHARED:-$root/../shared}"
build="${VNFACTS_BUILD:-$root/build}"
train="$shared/ud-vi/vi_vtb-ud-train.conllu"
dev="$shared/ud-vi/vi_vtb-ud-dev.conllu"
sample="$shared/segmentation/vlsp-sample-train-gold.txt"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Sentences are blocks separated by blank lines.
awk -v RS= -v even="$work/dev0.conllu" -v odd="$work/dev1.conllu" \
  '{ print $0 "\n" > ((NR % 2) ? even : odd) }' "$dev"
for fold in 0 1; do
  other=$((1 - fold))
  cp -r "$root/lexicons" "$work/lexicons$fold"
  "$build/segmenter_tool" train --ud "$train" "$train" "$train" "$work/dev$fold.conllu" \
    "$work/dev$fold.conllu" "$work/dev$fold.conllu" --underscored "$sample" --epochs 20 \
    --out "$work/lexicons$fold/segmenter_model.tsv" 2>/dev/null
  echo "fold $fold (trained with dev half $fold, scored on half $other):"
  "$build/segmenter_tool" evaluate --gold "$work/dev$other.conllu" --lexicons "$work/lexicons$fold" |
    grep -E '^(words|boundaries)'
done
