#!/usr/bin/env bash
# test_experiments.sh: every experiment runs (at a small size) and its
# lesson holds in the numbers it writes.
#   usage: test_experiments.sh MEMSIM SOURCE_DIR
. "$(dirname "$0")/lib.sh" "$@"
cd "$SRC"

run() {   # run NAME [options...]: results in $TMP/NAME
  local name=$1
  shift
  if "$MEMSIM" run "experiments/$name.lua" "$@" --out "$TMP/$name" --format none --quiet --answers \
       >"$TMP/$name.out" 2>&1; then
    ok
  else
    bad "$name did not run:"; cat "$TMP/$name.out"
  fi
  # the handout and the answers, filled in: every placeholder measured
  if [[ -s $TMP/$name/handout.md && -s $TMP/$name/answers.md ]] &&
     ! grep -q "not measured" "$TMP/$name/handout.md" "$TMP/$name/answers.md" "$TMP/$name.out"; then
    ok
  else
    bad "$name: a handout figure was not measured:"
    grep -h "not measured\|{{" "$TMP/$name.out" "$TMP/$name/handout.md" "$TMP/$name/answers.md" >&2
  fi
}

# get NAME RUN COLUMN: a figure from summary.tsv
get() {
  awk -F'\t' -v run="$2" -v col="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
    NR > 1 && $c["run"] == run { print $c[col] }' "$TMP/$1/summary.tsv"
}

check() {   # check "description" EXPRESSION (evaluated by awk)
  if awk "BEGIN { exit !($2) }"; then ok
  else bad "$1 ($2)"; fi
}

run gen_vs_list --n=20000
check "generator peak far below the list's" "$(get gen_vs_list generator peak_live_bytes) * 100 < $(get gen_vs_list list peak_live_bytes)"

run size_classes --max=600 --count=10
awk -F'\t' '$1 == 512 && $4 == "pymalloc" { a = 1 } $1 == 513 && $4 == "malloc" { b = 1 } END { exit !(a && b) }' \
  "$TMP/size_classes/requests-requests.tsv" && ok || { bad "512 to pymalloc, 513 to malloc"; }

run arena_fragmentation --n=100000 --k=1000
check "spread survivors pin more arenas than packed ones" \
  "$(get arena_fragmentation spread arenas_after_drop) > $(get arena_fragmentation together arenas_after_drop)"

run object_pool --n=10000
check "the float free list spares the allocator" "$(get object_pool floats allocs) * 1000 < $(get object_pool big_ints allocs)"
check "a pool spares the allocator" "$(get object_pool pooled allocs) * 10 < $(get object_pool instances allocs)"

run refcount_cascade --n=20000 --batch=500
check "a cascade is the largest single pause" \
  "$(get refcount_cascade at_once dealloc_max_ns) > 10 * $(get refcount_cascade in_parts dealloc_max_ns)"

run gc_generations   # the defaults: where the handout reads its lesson
check "a higher threshold collects less" "$(get gc_generations threshold_2000 gc0) < $(get gc_generations default gc0)"
check "gc.disable() collects nothing" "$(get gc_generations disabled gc0) == 0"
check "freeze shortens the longest pause" \
  "$(get gc_generations freeze gc_pause_max_ns) < $(get gc_generations default gc_pause_max_ns)"

run cycles_and_leaks --n=5000
check "without the collector cycles leak" \
  "$(get cycles_and_leaks gc_off final_live_bytes) > 10 * $(get cycles_and_leaks gc_on final_live_bytes)"

run list_growth --n=500
check "appending resizes" "$(get list_growth append reallocs) > 10"
check "preallocating does not" "$(get list_growth prealloc reallocs) == 0"

run versions --n=20000
check "3.13 makes one allocation per instance fewer" \
  "$(get versions cpython_3_13 allocs) + 100000 == $(get versions cpython_3_11 allocs)"
check "3.14's int free list spares the allocator the loop's ints" \
  "$(get versions cpython_3_14 allocs) < $(get versions cpython_3_13 allocs) * 2 / 3"
check "3.14.0's incremental collector leaves more cyclic garbage outstanding" \
  "$(get versions cpython_3_14_0 garbage_mean) > $(get versions cpython_3_14 garbage_mean) * 3 / 2"
check "and has the shorter longest pause" \
  "$(get versions cpython_3_14_0 gc_pause_max_ns) < $(get versions cpython_3_14 gc_pause_max_ns)"
check "and ends with more memory live" \
  "$(get versions cpython_3_14_0 final_live_bytes) > 2 * $(get versions cpython_3_14 final_live_bytes)"
check "3.12's smaller instances and strings lower the peak" \
  "$(get versions cpython_3_12 peak_live_bytes) < $(get versions cpython_3_11 peak_live_bytes)"
check "3.13's threshold of 2000 collects the young generation less often" \
  "$(get versions cpython_3_13 gc0) * 2 < $(get versions cpython_3_11 gc0)"

# a real program recorded by python3, replayed through three allocators
if "$MEMSIM" record --out "$TMP/difflib.trace" tests/replay/programs/difflib_files.py >"$TMP/record.out" 2>&1; then
  ok
  run replay_compare --trace="$TMP/difflib.trace"
  check "PYTHONMALLOC=malloc maps no arenas" "$(get replay_compare malloc arenas_highwater) == 0"
  check "4 KiB pools in 256 KiB arenas: about four times the arenas" \
    "$(get replay_compare pools_4k arenas_highwater) >= 3 * $(get replay_compare pymalloc arenas_highwater)"
  check "the same requests: the same live bytes" \
    "$(get replay_compare malloc peak_live_bytes) == $(get replay_compare pymalloc peak_live_bytes)"
else
  bad "memsim record of difflib_files.py failed:"; cat "$TMP/record.out"
fi

# every plot script: no enhanced text, data-derived log ranges, no column names as labels
if out=$(python3 "$SRC/tests/cli/check_plots.py" "$TMP"/*/ 2>&1); then ok; else bad "plot scripts: $out"; fi

finish
