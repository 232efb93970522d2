#!/usr/bin/env bash
# Runs the whole vnfacts test suite: installs what is missing and builds
# (scripts/setup.sh), then every GoogleTest suite and example corpus via CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
build_dir=${VNFACTS_BUILD_DIR:-build}
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" "$@"
