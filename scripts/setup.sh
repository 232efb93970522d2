#!/usr/bin/env bash
# Installs everything vnfacts needs on a fresh Debian machine, then builds it.
# Idempotent: packages already present are not reinstalled, npm ci is skipped when
# the dictionary is already there, and the build is incremental.
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(
  build-essential cmake pkg-config ninja-build
  libicu-dev libre2-dev libboost-program-options-dev
  libsqlite3-dev libsqlitecpp-dev sqlite3
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libsimdjson-dev libxxhash-dev zlib1g-dev libzstd-dev libgumbo-dev
  libgoogle-perftools-dev
  python3 zstd
  slurmctld slurmd slurm-client munge
  clang-14 libclang-rt-14-dev
)

missing=()
for p in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js may come from another vendor's package that already bundles npm (and
# conflicts with Debian's npm), so only ask Debian for them when they are absent.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi

# The general word list (@vntk/dictionary, MIT) is installed, never committed.
if [ ! -f node_modules/@vntk/dictionary/data/Viet74K.txt ]; then
  echo "setup: installing the npm dictionary package"
  npm ci --no-audit --no-fund --loglevel=error
fi

build_dir=${VNFACTS_BUILD_DIR:-build}
generator=()
[ -f "$build_dir/CMakeCache.txt" ] || generator=(-G Ninja)
cmake -S . -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=${VNFACTS_BUILD_TYPE:-Release} >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
