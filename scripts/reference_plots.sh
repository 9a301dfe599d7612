#!/usr/bin/env bash
# reference_plots.sh: run every experiment at its defaults and copy its
# images into plots/reference/<experiment>/, the pictures the README and
# the lab handouts show.  Run it after a change that alters a plot.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh" --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for exp in "$root"/experiments/*.lua; do
  name=$(basename "$exp" .lua)
  "$root/build/memsim" run "$exp" --out "$tmp/$name" --quiet >/dev/null
  mkdir -p "$root/plots/reference/$name"
  rm -f "$root/plots/reference/$name"/*.png
  cp "$tmp/$name"/*.png "$root/plots/reference/$name/"
  echo "plots/reference/$name: $(cd "$root/plots/reference/$name" && ls | tr '\n' ' ')"
done
