#!/usr/bin/env bash
# run_bad.sh: the corpus of bad inputs.  Each tests/bad/*.lua says in its
# first lines the exit status and the message it must produce (and the
# command-line flags to run it with); CLI_CASES below are bad command lines.
# Every case must give exactly that status and message, within 60 seconds,
# and never a crash (a signal) or a half-written result file.
#   usage: run_bad.sh MEMSIM SOURCE_DIR
# MEMSIM_WRAP, when set, is put before every memsim command (for example
# "valgrind -q --error-exitcode=97": a memory error then fails the case).
. "$(dirname "$0")/../cli/lib.sh" "$@"

check() {   # check NAME STATUS MESSAGE -- command...
  local name=$1 status=$2 msg=$3
  shift 4
  local out rc
  # shellcheck disable=SC2086
  out=$(cd "$TMP" && timeout 60 ${MEMSIM_WRAP:-} "$@" 2>&1)
  rc=$?
  if ((rc >= 124)); then
    bad "$name: exit $rc (timeout or signal): $out"
  elif [[ $rc -ne $status ]]; then
    bad "$name: exit $rc, expected $status: $out"
  elif ! grep -qF -- "$msg" <<<"$out"; then
    bad "$name: no '$msg' in: $out"
  else
    ok
  fi
}

for f in "$SRC"/tests/bad/*.lua; do
  name=$(basename "$f" .lua)
  status=$(sed -n '1s/^-- expect: exit \([0-9]*\), message: .*/\1/p' "$f")
  msg=$(sed -n '1s/^-- expect: exit [0-9]*, message: //p' "$f")
  args=$(sed -n '2s/^-- args: //p' "$f")
  # shellcheck disable=SC2086
  check "$name" "$status" "$msg" -- "$MEMSIM" run "$f" --out "$TMP/out-$name" --quiet $args
done

# bad command lines
mkdir -p "$TMP/ro" && chmod 555 "$TMP/ro"
touch "$TMP/file"
ok_script=$SRC/experiments/list_growth.lua
check cli_no_command 2 "no command given" -- "$MEMSIM"
check cli_unknown_command 2 "unknown command 'jump'" -- "$MEMSIM" jump
check cli_unknown_flag 2 "unknown flag '--fast'" -- "$MEMSIM" run "$ok_script" --fast
check cli_missing_file 2 "cannot open missing.lua" -- "$MEMSIM" run missing.lua
check cli_directory 2 "is a directory, not a script" -- "$MEMSIM" run "$SRC/experiments"
check cli_two_scripts 2 "unexpected argument" -- "$MEMSIM" run "$ok_script" other.lua
check cli_bad_format 2 "--format must be png, svg, pdf or none" -- "$MEMSIM" run "$ok_script" --format=jpeg
check cli_bad_seed 2 "--seed must be an integer" -- "$MEMSIM" run "$ok_script" --seed=1.5
check cli_empty_out 2 "--out needs a directory" -- "$MEMSIM" run "$ok_script" --out=
check cli_bad_timeout 2 "--timeout must be a positive number" -- "$MEMSIM" run "$ok_script" --timeout=-1
check cli_bad_limit 2 "--memory-limit must be a size" -- "$MEMSIM" run "$ok_script" --memory-limit=lots
check cli_out_is_file 2 "is not a directory" -- "$MEMSIM" run "$ok_script" --out "$TMP/file" --format none
if [[ $(id -u) -ne 0 ]]; then
  check cli_out_readonly 2 "cannot" -- "$MEMSIM" run "$ok_script" --out "$TMP/ro/x" --format none
fi
check cli_list_not_dir 2 "is not a directory" -- "$MEMSIM" list "$TMP/file"
check cli_plot_nothing 2 "no .gp files" -- "$MEMSIM" plot "$TMP"
check cli_plot_missing 2 "cannot open" -- "$MEMSIM" plot "$TMP/nowhere"

# bad traces and bad record/replay command lines (traces made byte by byte
# from sim/trace/trace-format.md by make_traces.py)
T=$TMP/traces
mkdir -p "$T"
python3 "$SRC/tests/bad/traces/make_traces.py" "$T"
rp() { echo "$MEMSIM" replay "$T/$1" --format none --quiet --out "$TMP/replay-$1"; }
# shellcheck disable=SC2046
{
check replay_good 0 "verify: 1/1 size classes equal, arenas equal" -- $(rp good.trace) --verify
check replay_differs 1 "class  1 ( 32 B): pools 2, blocks 1, avail 509 in CPython; 1, 1, 509 in memsim" -- $(rp differs.trace) --verify
check replay_not_trace 1 "not a memsim trace (it does not start with MEMSIMTR" -- $(rp not_a_trace.trace)
check replay_missing 1 "No such file or directory" -- $(rp missing.trace)
check replay_newer 1 "trace format version 9 is newer than this memsim reads (1)" -- $(rp newer.trace)
check replay_truncated 1 "truncated trace: the block at byte 103 needs 473 bytes, the file has 466" -- $(rp truncated.trace)
check replay_corrupt 1 "corrupt trace: the block at byte 103 fails its checksum" -- $(rp corrupt.trace)
check replay_bad_tag 1 "unknown tag 0x7e" -- $(rp bad_tag.trace)
check replay_no_end 1 "without the end record" -- $(rp no_end.trace)
check replay_no_profile 2 "memsim has no profile cpython-2.7; choose one with --profile" -- $(rp no_profile.trace)
check replay_bad_profile 2 "--profile must be one of" -- $(rp good.trace) --profile cpython-2.7
check replay_bad_allocator 2 "--allocator must be pymalloc or malloc" -- $(rp good.trace) --allocator=jemalloc
}
mkfifo "$T/fifo.trace"
check replay_fifo 1 "not a regular file" -- $(rp fifo.trace)
check replay_no_trace 2 "replay needs a trace" -- "$MEMSIM" replay --verify
check replay_two_traces 2 "replay takes one trace" -- "$MEMSIM" replay a.trace b.trace
check replay_unknown_flag 2 "unknown flag '--fast'" -- "$MEMSIM" replay a.trace --fast
for f in "$TMP"/replay-*; do                # a refused trace leaves no results behind
  case $f in *good.trace|*differs.trace) ;; *) [[ -e $f ]] && bad "results written for a bad trace: $f" ;; esac
done
check record_no_program 2 "which program?" -- "$MEMSIM" record
check record_missing_program 2 "nowhere.py: No such file or directory" -- "$MEMSIM" record nowhere.py
check record_unknown_flag 2 "unknown flag '--fast'" -- "$MEMSIM" record --fast prog.py
check record_python_empty 2 "--python needs a value" -- "$MEMSIM" record --python= prog.py
check record_not_python 1 "did not answer as a Python interpreter" -- "$MEMSIM" record --python /bin/false "$T/good.trace"
check record_out_is_dir 2 "exists and is not a file" -- "$MEMSIM" record --python python3 --out "$TMP" "$T/good.trace"

# SIGINT in the middle of a run: a clear message, only complete files
( cd "$TMP" && exec "$MEMSIM" run "$SRC/experiments/gc_generations.lua" --n=5000000 --out "$TMP/int" --format none --quiet ) \
  >"$TMP/int.log" 2>&1 &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"
rc=$?
if [[ $rc -ne 0 ]] && grep -q "interrupted" "$TMP/int.log" && ! ls "$TMP/int" 2>/dev/null | grep -q '\.tmp$'; then
  ok
else
  bad "sigint: exit $rc: $(cat "$TMP/int.log")"
fi

finish
