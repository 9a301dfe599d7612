#!/usr/bin/env bash
# fuzz.sh: build the libFuzzer harnesses with clang and run each for a
# bounded time.
#   scripts/fuzz.sh [SECONDS]        (default 60 per harness)
# fuzz_api drives random sequences of Lua API calls with the invariant
# checker after each; fuzz_cli feeds random command lines to the parser;
# fuzz_sandbox runs random scripts (seeded with tests/hostile/cases) through
# the real program under --sandbox and fails on any file made outside --out;
# fuzz_trace reads random traces (seeded with make_traces.py's) and replays
# them with the invariant checker after every item.
# Corpora live in build-fuzz/corpus-*; a crash is written to
# tests/fuzz/crashes/ (build-fuzz/fuzz_NAME FILE replays it).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
secs=${1:-60}
"$root/scripts/setup.sh" --quiet clang libclang-rt-14-dev
command -v clang >/dev/null || { echo "fuzz.sh: clang is needed (apt-get install clang)"; exit 1; }
build=$root/build-fuzz
CC=clang cmake -S "$root" -B "$build" -DMEMSIM_FUZZ=ON -DMEMSIM_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" -j"$(nproc)" --target fuzz_api fuzz_cli fuzz_sandbox fuzz_trace memsim >/dev/null
mkdir -p "$root/tests/fuzz/crashes"
status=0
mkdir -p "$build/trace-seeds"
python3 "$root/tests/bad/traces/make_traces.py" "$build/trace-seeds"
for f in fuzz_api fuzz_cli fuzz_sandbox fuzz_trace; do
  mkdir -p "$build/corpus-$f"
  seeds=()
  extra=()
  if [[ $f == fuzz_sandbox ]]; then
    seeds=("$root/tests/hostile/cases")
    extra=(-dict="$root/tests/fuzz/sandbox.dict" -timeout=20)
  elif [[ $f == fuzz_trace ]]; then
    seeds=("$build/trace-seeds")
  fi
  echo "== $f for $secs s"
  if ! ASAN_OPTIONS=detect_leaks=0 "$build/$f" "$build/corpus-$f" "${seeds[@]}" -max_total_time="$secs" \
       -print_final_stats=1 "${extra[@]}" \
       -artifact_prefix="$root/tests/fuzz/crashes/$f-" >"$build/$f.log" 2>&1; then
    echo "$f found a crash: see $build/$f.log and tests/fuzz/crashes/"
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::average_exec_per_sec" "$build/$f.log" || true
done
exit $status
