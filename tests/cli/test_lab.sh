#!/bin/bash
# test_lab.sh MEMSIM SOURCE_DIR: the allocator lab (memsim lab allocator).
# The starter and the reference solution pass every trace with the scores
# the teacher's notes state; each kind of wrong allocator is caught with
# its message and exit status 1; bad traces and bad command lines are
# clear errors; the same run twice gives the same files.
set -u
MEMSIM=$1
SRC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
LAB="$SRC/tests/cli/lab"
TR="$SRC/experiments/allocator_lab/traces"

# expect STATUS PATTERN -- ARGS: the exit status, and PATTERN in stdout+stderr
expect() {
  local want=$1 pattern=$2
  shift 3
  "$MEMSIM" "$@" >out.txt 2>err.txt
  local rc=$?
  if [ "$rc" != "$want" ]; then
    bad "memsim $*: exit $rc, wanted $want"; sed 's/^/    /' err.txt | head -5
  elif ! cat out.txt err.txt | grep -qF -- "$pattern"; then
    bad "memsim $*: no '$pattern' in:"; cat out.txt err.txt | sed 's/^/    /' | head -8
  else
    ok
  fi
}

# the score tables of the teacher's notes are what the runs print
table_of() {   # NAME: the code block after <!-- scores: NAME -->
  awk -v n="<!-- scores: $1 -->" '$0 == n {f = 1; next} f && /^```/ {if (c++) exit; next} f && c == 1' \
    "$SRC/experiments/answers/allocator_lab/README.md"
}
for who in starter segregated; do
  file="$SRC/experiments/allocator_lab/starter.lua"
  [ "$who" = segregated ] && file="$SRC/experiments/answers/allocator_lab/segregated.lua"
  "$MEMSIM" lab allocator "$file" --out "lab-$who" --format none -q >out.txt 2>err.txt
  rc=$?
  [ $rc = 0 ] && ok || { bad "$who: exit $rc"; cat err.txt; }
  grep -v "^allocator_lab:\|^wrote \|^report:" out.txt >got.txt
  table_of "$who" >want.txt
  if [ -s want.txt ] && diff -u want.txt got.txt >diff.txt; then ok; else bad "$who's scores differ from the notes:"; cat diff.txt; fi
  for f in utilisation-lab.tsv throughput-lab.tsv heap1-lab.tsv heap6-lab.tsv summary.tsv index.html; do
    [ -s "lab-$who/$f" ] && ok || bad "$who: no $f"
  done
done

# the same run twice: the same data
"$MEMSIM" lab allocator "$LAB/bump.lua" --trace "$TR/random_sizes.rep" --out d1 --format none -q >/dev/null 2>&1
"$MEMSIM" lab allocator "$LAB/bump.lua" --trace "$TR/random_sizes.rep" --out d2 --format none -q >/dev/null 2>&1
for f in utilisation-lab.tsv throughput-lab.tsv heap1-lab.tsv summary.tsv; do
  cmp -s "d1/$f" "d2/$f" && ok || bad "two runs differ in $f"
done

# wrong allocators: each caught, with what is wrong and where
expect 1 "random_sizes.rep:4: a 1 103: malloc(103) returned 0x10000010, which overlaps block 0 (0x10000000, 41 bytes, from line 3)" -- \
  lab allocator "$LAB/overlap.lua" --trace "$TR/random_sizes.rep" --out o --format none -q
expect 1 "random_sizes.rep:3: a 0 41: malloc(41) returned 0x10000008: not aligned to 16 bytes" -- \
  lab allocator "$LAB/misaligned.lua" --trace "$TR/random_sizes.rep" --out o --format none -q
expect 1 "realloc_growth.rep:13: r 0 32: realloc(0x10000000, 32) returned 0x10000100 but lost the payload" -- \
  lab allocator "$LAB/lost_payload.lua" --trace "$TR/realloc_growth.rep" --out o --format none -q
expect 1 "changed at byte 16 while it was live: the allocator wrote over a block it had handed out" -- \
  lab allocator "$LAB/scribbler.lua" --trace "$TR/random_sizes.rep" --out o --format none -q
expect 1 "without returning (an endless loop?)" -- \
  lab allocator "$LAB/endless.lua" --trace "$TR/random_sizes.rep" --out o --format none -q
expect 1 "not in Lua tables" -- \
  lab allocator "$LAB/lua_tables.lua" --trace "$TR/random_sizes.rep" --out o --format none -q
expect 1 "its Lua data passed its limit beside its code" -- \
  lab allocator "$LAB/big_init.lua" --trace "$TR/random_sizes.rep" --out o --format none -q
expect 1 "outside.lua:5: heap:read(0x1000): outside the heap" -- \
  lab allocator "$LAB/outside.lua" --trace "$TR/random_sizes.rep" --out o --format none -q
expect 1 "the allocator failed on 1 of 1 traces (random_sizes.rep)" -- \
  lab allocator "$LAB/overlap.lua" --trace "$TR/random_sizes.rep" --out o --format none -q
# calloc: the allocator's own must zero the block; without one, malloc and the driver's memset
printf 'c 0 16\nf 0\nc 1 16\nf 1\n' >c.rep
expect 1 "c.rep:3: c 1 16: calloc(1, 16) returned 0x10000000, whose byte 0 is not zero" -- \
  lab allocator "$LAB/dirty_calloc.lua" --trace c.rep --out o --format none -q
expect 0 "c.rep" -- lab allocator "$LAB/bump.lua" --trace c.rep --out o --format none -q
# the sandbox of the allocator's state: no io, os, require, load
cat >escape.lua <<'LUA'
local A = {}
function A.init(h) assert(io == nil and os == nil and require == nil and load == nil and debug == nil,
                          "a library that must not be there") end
function A.malloc(n) return os.execute("true") end
function A.free(p) end
function A.realloc(p, n) end
return A
LUA
expect 1 "escape.lua:4: attempt to index a nil value (global 'os')" -- \
  lab allocator escape.lua --trace "$TR/random_sizes.rep" --out o --format none -q
# a module table whose metatable raises on every look-up: read raw, never a crash
printf 'a 0 16\nr 0 32\n' >tt.rep
expect 1 "tt.rep:2: r 0 32: the allocator has no function realloc" -- \
  lab allocator "$LAB/tricky_table.lua" --trace tt.rep --out o --format none -q
printf 'return 42\n' >notatable.lua
expect 1 "must return a table" -- lab allocator notatable.lua --trace "$TR/random_sizes.rep" --out o --format none -q
printf 'local A = {\n' >syntax.lua
expect 1 "syntax.lua:2:" -- lab allocator syntax.lua --trace "$TR/random_sizes.rep" --out o --format none -q

# bad traces: the file and line
printf 'a 1 16\nf 2\n' >t1.rep
expect 1 "t1.rep:2: block 2 is not allocated" -- lab allocator "$LAB/bump.lua" --trace t1.rep --out o --format none -q
printf 'a 1 16\na 1 32\n' >t2.rep
expect 1 "t2.rep:2: block 1 is allocated again before it was freed" -- lab allocator "$LAB/bump.lua" --trace t2.rep --out o --format none -q
printf '# fine\nx 1 16\n' >t3.rep
expect 1 "t3.rep:2: expected 'a ID SIZE', 'c ID SIZE', 'f ID' or 'r ID SIZE'" -- lab allocator "$LAB/bump.lua" --trace t3.rep --out o --format none -q
printf 'a 1 999999999999\n' >t4.rep
expect 1 "t4.rep:1: the size must be a number of bytes" -- lab allocator "$LAB/bump.lua" --trace t4.rep --out o --format none -q
printf 'a 1 16 junk\n' >t5.rep
expect 1 "t5.rep:1: unexpected text after the request" -- lab allocator "$LAB/bump.lua" --trace t5.rep --out o --format none -q
mkfifo fifo.rep
expect 1 "fifo.rep: not a regular file" -- lab allocator "$LAB/bump.lua" --trace fifo.rep --out o --format none -q
expect 1 "nothere.lua" -- lab allocator nothere.lua --out o --format none -q
# out of the heap's space: nil from malloc is said as such
printf 'a 1 3000000\na 2 3000000\n' >big.rep
expect 1 "returned nil: out of memory (the heap's space is 4 MiB)" -- \
  lab allocator "$LAB/bump.lua" --trace big.rep --heap 4M --out o --format none -q

# usage errors: exit 2
expect 2 "lab takes the lab's name" -- lab
expect 2 "needs your allocator" -- lab allocator
expect 2 "may not hold a comma" -- lab allocator "$LAB/bump.lua" --trace a,b.rep
expect 2 "--heap must be a whole number of MiB" -- lab allocator "$LAB/bump.lua" --heap 3.5M
expect 2 "no --profile" -- lab allocator "$LAB/bump.lua" --profile cpython-3.9
expect 0 "usage: memsim lab allocator" -- lab --help

echo "test_lab: $pass passed, $fail failed"
[ "$fail" = 0 ]
