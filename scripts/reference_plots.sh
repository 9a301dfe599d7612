#!/usr/bin/env bash
# reference_plots.sh: run every experiment at its defaults and copy its
# images into plots/reference/<experiment>/, the pictures the README and
# the lab handouts show.  Run it after a change that alters a plot.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh" --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# replay_compare replays a real program: json_roundtrip.py recorded by python3
"$root/build/memsim" record --out "$tmp/json_roundtrip.trace" "$root/tests/replay/programs/json_roundtrip.py" 2>/dev/null
for exp in "$root"/experiments/*.lua; do
  name=$(basename "$exp" .lua)
  opts=()
  [[ $name == replay_compare ]] && opts=(--trace="$tmp/json_roundtrip.trace")
  "$root/build/memsim" run "$exp" "${opts[@]}" --out "$tmp/$name" --quiet >/dev/null
  mkdir -p "$root/plots/reference/$name"
  rm -f "$root/plots/reference/$name"/*.png
  cp "$tmp/$name"/*.png "$root/plots/reference/$name/"
  echo "plots/reference/$name: $(cd "$root/plots/reference/$name" && ls | tr '\n' ' ')"
done
# memsim replay of the same trace: the README's picture of a real program
"$root/build/memsim" replay "$tmp/json_roundtrip.trace" --out "$tmp/replay" --quiet >/dev/null
mkdir -p "$root/plots/reference/replay"
rm -f "$root/plots/reference/replay"/*.png
cp "$tmp/replay"/*.png "$root/plots/reference/replay/"
echo "plots/reference/replay: $(cd "$root/plots/reference/replay" && ls | tr '\n' ' ')"
# the allocator lab, as a student first sees it: the starter on the lab's traces
"$root/build/memsim" lab allocator "$root/experiments/allocator_lab/starter.lua" --out "$tmp/allocator_lab" --quiet >/dev/null
mkdir -p "$root/plots/reference/allocator_lab"
rm -f "$root/plots/reference/allocator_lab"/*.png
cp "$tmp/allocator_lab"/*.png "$root/plots/reference/allocator_lab/"
echo "plots/reference/allocator_lab: $(cd "$root/plots/reference/allocator_lab" && ls | tr '\n' ' ')"
