#!/usr/bin/env bash
# test.sh: set memsim up and run every test.
#
#   1. the optimised build: unit, Lua API, CLI and fidelity tests (ctest);
#   2. the same tests built with AddressSanitizer + UndefinedBehaviorSanitizer,
#      with assertions on;
#   3. the core's unit tests, the Lua API tests and the bad-input corpus
#      under valgrind memcheck;
#   4. the libFuzzer harnesses, 60 s each, when clang is installed (the
#      log says so when it is not; scripts/fuzz.sh installs it).
# Each stage prints ctest's summary; the script fails if any stage fails.
#   usage: scripts/test.sh [--fast]      (--fast: stage 1 only)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fast=0
[[ ${1:-} == --fast ]] && fast=1
jobs=$(nproc)

"$root/scripts/setup.sh" --quiet valgrind chromium

echo "== tests (optimised build)"
ctest --test-dir "$root/build" --output-on-failure -j"$jobs"
((fast)) && exit 0

echo "== tests (AddressSanitizer + UndefinedBehaviorSanitizer, assertions on)"
asan=$root/build-asan
if [[ ! -f $asan/CMakeCache.txt ]]; then
  cmake -S "$root" -B "$asan" -DCMAKE_BUILD_TYPE=Debug -DMEMSIM_SANITIZE=ON >/dev/null
fi
cmake --build "$asan" -j"$jobs" >/dev/null
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$asan" --output-on-failure -j"$jobs"

echo "== tests under valgrind (memcheck)"
vg=(valgrind -q --error-exitcode=97 --leak-check=full --errors-for-leak-kinds=definite)
failed=0
for t in "$root"/build/tests/test_*; do
  if "${vg[@]}" "$t" >/tmp/memsim-vg.log 2>&1; then
    echo "valgrind $(basename "$t"): $(tail -n 1 /tmp/memsim-vg.log)"
  else
    cat /tmp/memsim-vg.log; failed=1
  fi
done
if "${vg[@]}" "$root/build/memsim" run "$root/tests/lua/test_api.lua" >/tmp/memsim-vg.log 2>&1; then
  echo "valgrind memsim run test_api.lua: $(tail -n 1 /tmp/memsim-vg.log)"
else
  cat /tmp/memsim-vg.log; failed=1
fi
echo "valgrind: the bad-input corpus"
if MEMSIM_WRAP="valgrind -q --error-exitcode=97 --leak-check=full --errors-for-leak-kinds=definite" \
   bash "$root/tests/bad/run_bad.sh" "$root/build/memsim" "$root" >/tmp/memsim-vg.log 2>&1; then
  echo "valgrind run_bad.sh: $(tail -n 1 /tmp/memsim-vg.log)"
else
  cat /tmp/memsim-vg.log; failed=1
fi
((failed == 0)) || { echo "valgrind found errors"; exit 1; }
echo "valgrind: clean"

echo "== fuzzing (libFuzzer: the Lua API, the command line, --sandbox)"
if command -v clang >/dev/null 2>&1 && compgen -G "/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null; then
  "$root/scripts/fuzz.sh" "${MEMSIM_FUZZ_SECONDS:-60}"
else
  echo "NOTE: clang with libFuzzer is not installed: the fuzzers did not run (scripts/fuzz.sh installs it and runs them)"
fi
