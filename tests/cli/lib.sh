# lib.sh: what the shell tests share, sourced as: . lib.sh "$@"
#   MEMSIM, SRC   the program and the source tree (the two arguments)
#   TMP           a scratch directory, removed at exit
#   ok, bad MSG   count a passed or a failed check
#   finish        print "N passed, N failed" and return the status
set -u
MEMSIM=$1
SRC=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

finish() {
  echo "$passed passed, $failed failed"
  [[ $failed -eq 0 ]]
}
