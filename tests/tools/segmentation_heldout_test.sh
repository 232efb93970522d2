#!/usr/bin/env bash
# The shipped segmenter model is trained on the UD dev split too, so scoring it
# on dev says little. This test trains the same recipe without dev
# (scripts/train_segmenter.sh --without-dev) and scores that model on dev:
# word F1 must reach the floor. Skipped (77) without ../shared.
#   segmentation_heldout_test.sh BUILD_DIR MIN_F1
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$1"
floor="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$root/lexicons" "$work/lexicons"
status=0
VNFACTS_BUILD="$build" "$root/scripts/train_segmenter.sh" --without-dev \
  "$work/lexicons/segmenter_model.tsv" 2>"$work/train.log" || status=$?
if (( status == 77 )); then cat "$work/train.log" >&2; exit 77; fi
if (( status != 0 )); then cat "$work/train.log" >&2; exit "$status"; fi
exec "$build/segmenter_tool" evaluate --gold "$root/../shared/ud-vi/vi_vtb-ud-dev.conllu" \
  --lexicons "$work/lexicons" --min-f1 "$floor"
