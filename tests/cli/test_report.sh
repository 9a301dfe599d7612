#!/usr/bin/env bash
# test_report.sh: every experiment's report (index.html), opened in headless
# Chromium: every image loads, nothing logs an error, no script and no link
# off the machine, every local link exists.  Screenshots are kept in
# SHOTS (default: the build's report-shots/) for a person to look at.
#   usage: test_report.sh MEMSIM SOURCE_DIR [SHOTS]
. "$(dirname "$0")/lib.sh" "$@"
shots=${3:-$PWD/report-shots}
cd "$SRC"
# small sizes: the report is what is checked, not the numbers
small_options() {
  case $1 in
    arena_fragmentation) echo "--n=30000" ;;
    gc_generations) echo "--n=20000 --setup=10000" ;;
    cycles_and_leaks) echo "--n=5000" ;;
    gen_vs_list) echo "--n=10000" ;;
    replay_compare) echo "--trace=$TMP/difflib.trace" ;;
    versions) echo "--n=5000" ;;
    object_pool|refcount_cascade) echo "--n=10000" ;;
  esac
}
"$MEMSIM" record --out "$TMP/difflib.trace" tests/replay/programs/difflib_files.py >"$TMP/record.log" 2>&1 ||
  { bad "memsim record failed"; cat "$TMP/record.log"; }
reports=()
for f in experiments/*.lua; do
  name=$(basename "$f" .lua)
  if "$MEMSIM" run "$f" --out "$TMP/$name" --quiet $(small_options "$name") >"$TMP/$name.log" 2>&1 &&
     grep -q "report: $TMP/$name/index.html" "$TMP/$name.log"; then
    ok
    reports+=("$TMP/$name/index.html")
  else
    bad "$name: no report"; cat "$TMP/$name.log"
  fi
done
if out=$(python3 "$SRC/tests/cli/check_report.py" "$shots" "${reports[@]}" 2>&1); then
  ok
  echo "screenshots of the reports: $shots"
else
  bad "$out"
fi
finish
