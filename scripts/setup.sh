#!/usr/bin/env bash
# setup.sh: install what memsim needs and build it.
#
# Debian packages: cmake, gcc, pkg-config, liblua5.4-dev, gnuplot-nox,
# python3 (for the fidelity tests) and python3-dev (the headers and library
# memsim record builds its recorder against, for the system's python3; an
# interpreter of pyenv carries its own).  Run as root, it installs the missing
# ones with apt-get; otherwise it prints the exact command to run.
# Then it builds memsim into build/ (an optimised build with debug info).
#   usage: scripts/setup.sh [--quiet] [extra packages...]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
quiet=0
extra=()
for a in "$@"; do
  case $a in
    --quiet) quiet=1 ;;
    *) extra+=("$a") ;;
  esac
done

need=()
command -v cmake >/dev/null 2>&1 || need+=(cmake)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
command -v make >/dev/null 2>&1 || need+=(make)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
pkg-config --exists lua5.4 2>/dev/null || need+=(liblua5.4-dev)
command -v gnuplot >/dev/null 2>&1 || need+=(gnuplot-nox)
command -v python3 >/dev/null 2>&1 || need+=(python3)
dpkg -s python3-dev >/dev/null 2>&1 || need+=(python3-dev)
for p in "${extra[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done

if ((${#need[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    echo "memsim setup: installing ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "memsim setup: missing packages. Run:" >&2
    echo "  sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi

build=$root/build
if [[ ! -f $build/CMakeCache.txt ]]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
if ((quiet)); then
  cmake --build "$build" -j"$(nproc)" >/dev/null
else
  cmake --build "$build" -j"$(nproc)" | grep -vE '^\[ *[0-9]+%\] (Building|Linking)|^Consolidate' || true
fi
