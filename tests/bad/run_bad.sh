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
