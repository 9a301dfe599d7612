#!/usr/bin/env bash
# test_cli.sh: the memsim command as a person uses it: exit statuses,
# help, sweeps, --out, --format, a missing gnuplot, determinism, and the
# headline experiment's numbers against CPython's.
#   usage: test_cli.sh MEMSIM SOURCE_DIR
. "$(dirname "$0")/lib.sh" "$@"

# expect STATUS PATTERN -- command...: the exit status, and PATTERN in its output
expect() {
  local status=$1 pattern=$2
  shift 3
  local out
  out=$("$@" 2>&1)
  local got=$?
  if [[ $got -ne $status ]]; then bad "$* -> exit $got, expected $status: $out"; return; fi
  if [[ -n $pattern ]] && ! grep -qF -- "$pattern" <<<"$out"; then
    bad "$* -> output lacks '$pattern': $out"; return
  fi
  ok
}

cd "$SRC"
expect 0 "usage: memsim run" -- "$MEMSIM" --help
expect 0 "memsim 0.1.0" -- "$MEMSIM" --version
expect 2 "no command given" -- "$MEMSIM"
expect 2 "unknown command 'fly'" -- "$MEMSIM" fly
expect 2 "run needs a script" -- "$MEMSIM" run
expect 2 "cannot open nope.lua" -- "$MEMSIM" run nope.lua
expect 2 "is a directory" -- "$MEMSIM" run experiments
expect 2 "unknown flag '--bogus'" -- "$MEMSIM" run experiments/gen_vs_list.lua --bogus
expect 2 "--format must be png, svg, pdf or none" -- "$MEMSIM" run experiments/gen_vs_list.lua --format gif
expect 2 "--seed must be an integer" -- "$MEMSIM" run experiments/gen_vs_list.lua --seed x
expect 2 "unknown option --m for experiment 'gen_vs_list' (it takes --n)" -- \
  "$MEMSIM" run experiments/gen_vs_list.lua --m=3 --out "$TMP/x"
expect 2 "--n=abc: not a number" -- "$MEMSIM" run experiments/gen_vs_list.lua --n=abc --out "$TMP/x"
# a trusted script that rewrites the registry gets an error, not a crash
printf 'local r = debug.getregistry()\nfor k in pairs(r) do if type(k) == "userdata" then r[k] = 5 end end\nlocal sim = memsim.new{}\nsim:new("float")\n' >"$TMP/registry.lua"
expect 1 "the registry was changed" -- "$MEMSIM" run "$TMP/registry.lua"
expect 0 "--n=INTEGER" -- "$MEMSIM" run experiments/gen_vs_list.lua --help
expect 0 "--n=INTEGER" -- "$MEMSIM" run experiments/gen_vs_list.lua --help --sandbox
expect 0 "(default 100000; >= 0)" -- "$MEMSIM" run experiments/gen_vs_list.lua -h

# every command answers --help; usage errors are exit 2, never a traceback
expect 0 "usage: memsim run FILE.lua" -- "$MEMSIM" run --help
expect 0 "usage: memsim list [DIR]" -- "$MEMSIM" list --help
expect 0 "usage: memsim plot DIR [--format png|svg|pdf]" -- "$MEMSIM" plot --help
expect 0 "usage: memsim validate [--python PATH] [--profile NAME] [WORKLOAD ...]" -- "$MEMSIM" validate --help
expect 0 "usage: memsim plot DIR" -- "$MEMSIM" help plot
expect 2 "unknown workload 'nope'" -- "$MEMSIM" validate nope
expect 2 "unknown flag '--pyton'" -- "$MEMSIM" validate --pyton x
expect 2 "cannot run the interpreter $TMP/none" -- "$MEMSIM" validate --python "$TMP/none" wl_floats
expect 2 "--format must be png, svg or pdf" -- "$MEMSIM" plot "$TMP" --format gif
# options are checked against their declared kind and range
expect 2 "--n=-5: must be at least 0" -- "$MEMSIM" run experiments/gen_vs_list.lua --n=-5 --out "$TMP/x"
expect 2 "--n=1.5: must be a whole number" -- "$MEMSIM" run experiments/gen_vs_list.lua --n=1.5 --out "$TMP/x"
expect 2 "--max=100000: must be at most 65536" -- "$MEMSIM" run experiments/size_classes.lua --max=100000 --out "$TMP/x"
# step mode: one line per allocator event, bounded
printf 'local sim = memsim.new{startup = false}\nlocal l = sim:new("list")\nfor i = 1, 600 do local f = sim:new("float"); sim:append(l, f); sim:decref(f) end\nsim:decref(l)\n' >"$TMP/steps.lua"
expect 0 "alloc    56 B (list) -> 0x" -- "$MEMSIM" run "$TMP/steps.lua" --explain
expect 0 "in class 1 (32 B blocks), pool 0x" -- "$MEMSIM" run "$TMP/steps.lua" --explain=5
expect 0 "+ a new 1 MiB arena mapped (arenas: 1)" -- "$MEMSIM" run "$TMP/steps.lua" --explain=5
expect 0 "... (explain stopped after 5 lines" -- "$MEMSIM" run "$TMP/steps.lua" --explain=5
n=$("$MEMSIM" run "$TMP/steps.lua" --explain=5 | wc -l)
[[ $n -eq 6 ]] && ok || bad "--explain=5 printed $n lines, not 5 and the note"
expect 0 "realloc  0x" -- "$MEMSIM" run "$TMP/steps.lua" --explain=2000
expect 2 "--explain=N takes a number of lines" -- "$MEMSIM" run "$TMP/steps.lua" --explain=0
# a free that returns its arena is still told as pymalloc's (the pool, before the arena goes)
printf 'local sim = memsim.new{startup = false}\nlocal l = sim:new("list")\nfor i = 1, 70000 do local x = sim:new("int", 1000 + i); sim:append(l, x); sim:decref(x) end\nsim:explain(true, 1000000)\nsim:decref(l)\n' >"$TMP/arena.lua"
out=$("$MEMSIM" run "$TMP/arena.lua" | grep -B2 "an empty arena returned" | head -1)
[[ $out == *"(32 B, int) back to class 1 (32 B blocks)"*": 0 of 510 blocks in use, arena 1: 0 of 63 pools" ]] && ok ||
  bad "the free that returns an arena is told wrong: $out"
printf 'local sim = memsim.new{startup = false}\nsim:explain(true, 10)\nlocal t = sim:new("tuple", 2)\nsim:decref(t)\nsim.gc.collect()\n' >"$TMP/steps2.lua"
expect 0 "gc       generation 2 collected" -- "$MEMSIM" run "$TMP/steps2.lua"
expect 0 "alloc    56 B (tuple)" -- "$MEMSIM" run "$TMP/steps2.lua"
expect 0 "the pool is empty: back to arena 0's free pools" -- "$MEMSIM" run "$TMP/steps2.lua"
expect 0 "lines must be 0 to 10,000,000" -- bash -c "printf 'local s = memsim.new{}\nprint(pcall(s.explain, s, -1))\n' > '$TMP/steps3.lua'; '$MEMSIM' run '$TMP/steps3.lua'"

# the handouts students read hold no answers; the teacher's are apart
expect 0 "answers for: arena_fragmentation" -- "$MEMSIM" answers
expect 0 "# Answers: Lab: list comprehension" -- "$MEMSIM" answers gen_vs_list
expect 2 "answers takes an experiment's name" -- "$MEMSIM" answers ../../etc/passwd
expect 2 "no answers for 'nope'" -- "$MEMSIM" answers nope
expect 0 "usage: memsim answers" -- "$MEMSIM" answers --help
if grep -l "Answers" experiments/*.md; then bad "a student handout holds answers"; else ok; fi
for f in experiments/*.lua; do
  [[ -s experiments/answers/$(basename "$f" .lua).md ]] && ok || bad "no answers for $f"
done
# handouts are templates the run fills in: every format, a sweep's point, a
# snapshot's stats, and each placeholder it cannot fill named with its line
"$MEMSIM" run tests/cli/templates/tmpl.lua --out "$TMP/tmpl" --format none -q --answers \
  >"$TMP/tmpl.out" 2>"$TMP/tmpl.err" && ok || bad "the template fixture did not run: $(cat "$TMP/tmpl.err")"
cat >"$TMP/tmpl.want" <<'MD'
# Templates

int 1,234,567; bytes 1.2 MiB; pct 50.0%; x 2.00x; printf 2469140; option 10;
point 20; snapshot 1; absent type 0; a placeholder over two lines 1,234,566.

missing [not measured: a.nope]; run [not measured: b.x]; format [not
measured: a.x | frob]; zero [not measured: a.x / 0]; syntax [not measured:
a.x +]; point [not measured: a[n=30].x].
MD
diff "$TMP/tmpl.want" "$TMP/tmpl/handout.md" >&2 && ok || bad "handout.md of the template fixture differs"
[[ $(cat "$TMP/tmpl/answers.md") == "answer 1,234,560" ]] && ok || bad "answers.md: $(cat "$TMP/tmpl/answers.md")"
for want in "tmpl.md:10: {{a.nope}}: run 'a' has no figure 'nope'" "tmpl.md:10: {{b.x}}: no run 'b' at that point" \
            "tmpl.md:10: {{a.x | frob}}: unknown format 'frob'" "tmpl.md:10: {{a.x / 0}}: division by zero" \
            "tmpl.md:11: {{a.x +}}: a number, a name or ( expected at the end" \
            "tmpl.md:11: {{a[n=30].x}}: no run 'a' at that point"; do
  grep -qF -- "$want" "$TMP/tmpl.err" && ok || bad "no warning '$want': $(cat "$TMP/tmpl.err")"
done
grep -qF "int 1,234,567; bytes 1.2 MiB" "$TMP/tmpl/index.html" && ok || bad "the report lacks the filled handout"
# the handout checker finds a bare figure, and lets a placeholder, code and constants be
mkdir -p "$TMP/hx/answers"
printf 'The run took 42 ms, {{a.x | ms}} of it in `gc 7`; pools are 16 KiB.\n' >"$TMP/hx/lab.md"
printf '1. Class 3 of generation 2: %s.\n' '{{a.y}}' >"$TMP/hx/answers/lab.md"
expect 1 "lab.md:1: bare figure '42'" -- python3 tests/cli/check_handouts.py "$TMP/hx"
expect 1 "1 passed, 1 failed" -- python3 tests/cli/check_handouts.py "$TMP/hx"
# memsim answers: the run's filled copy when this directory has one, else the template
mkdir -p "$TMP/here/results/gen_vs_list"
echo "answers of a run" >"$TMP/here/results/gen_vs_list/answers.md"
expect 0 "answers of a run" -- bash -c "cd '$TMP/here' && '$MEMSIM' answers gen_vs_list"
expect 0 "--answers" -- "$MEMSIM" answers gen_vs_list
mkfifo "$TMP/here/results/gen_vs_list/answers.md.fifo"
rm "$TMP/here/results/gen_vs_list/answers.md"
mv "$TMP/here/results/gen_vs_list/answers.md.fifo" "$TMP/here/results/gen_vs_list/answers.md"
expect 0 "# Answers: Lab: list comprehension" -- bash -c "cd '$TMP/here' && timeout 10 '$MEMSIM' answers gen_vs_list"
# list works from any directory: memsim's own experiments
expect 0 "gen_vs_list.lua" -- bash -c "cd '$TMP' && '$MEMSIM' list"
# a results directory drawn again in another format; -q is --quiet
expect 0 "wrote" -- "$MEMSIM" run experiments/list_growth.lua -q --out "$TMP/redraw" --format none
expect 0 "as svg" -- "$MEMSIM" plot "$TMP/redraw" --format svg
if [[ -s $TMP/redraw/capacity.svg && ! -e $TMP/redraw/capacity.png ]]; then ok; else bad "plot --format svg drew no capacity.svg"; fi
if head -1 "$TMP/redraw/summary.tsv" | grep -q "_suffix"; then bad "summary.tsv has an internal _suffix column"; else ok; fi
expect 0 "gen_vs_list.lua" -- "$MEMSIM" list experiments
expect 2 "not a directory" -- "$MEMSIM" list nowhere
expect 2 "plot takes one directory" -- "$MEMSIM" plot

# a plain script prints; a script error is exit 1 with file and line
printf 'local sim = memsim.new{}\nprint(sim.sys.getsizeof(sim:new("float")))\n' >"$TMP/plain.lua"
expect 0 "24" -- "$MEMSIM" run "$TMP/plain.lua"
expect 0 "is a plain script: it wrote nothing" -- "$MEMSIM" run "$TMP/plain.lua" --out "$TMP/plainout"
if [[ -e $TMP/plainout ]]; then bad "a plain script's --out was created empty"; else ok; fi
printf 'local sim = memsim.new{}\nlocal f = sim:new("float")\nsim:decref(f)\nsim:decref(f)\n' >"$TMP/freed.lua"
expect 1 "freed.lua:4: bad argument #1 to 'decref' (object" -- "$MEMSIM" run "$TMP/freed.lua"
printf 'x = = 1\n' >"$TMP/syntax.lua"
expect 1 "syntax.lua:1:" -- "$MEMSIM" run "$TMP/syntax.lua"

# an experiment with a failing run: the others' data stay, exit 1
cat >"$TMP/half.lua" <<'LUA'
return experiment {
  name = "half", title = "One run fails",
  runs = {
    good = function(sim) local f = sim:new("float"); sim:decref(f) end,
    broken = function(sim) sim:new("nothing") end,
  },
  plots = {{name = "live", kind = "series", y = "live_bytes"}},
}
LUA
expect 1 "run 'broken' failed" -- "$MEMSIM" run "$TMP/half.lua" --out "$TMP/half" --format none
[[ -s $TMP/half/good.tsv && ! -e $TMP/half/broken.tsv ]] && ok || bad "half: good.tsv kept, no broken.tsv"
grep -q "^broken	failed" "$TMP/half/summary.tsv" && ok || bad "half: summary marks the failed run"

# sweeps, --out, --format none, --quiet
expect 0 "wrote" -- "$MEMSIM" run experiments/gen_vs_list.lua --n=100,1000 --out "$TMP/sweep" --format none --quiet
for f in list-n=100.tsv list-n=1000.tsv generator-n=100.tsv summary.tsv summary.json live.gp peak_vs_n.gp; do
  [[ -s $TMP/sweep/$f ]] && ok || bad "sweep: $f missing"
done
[[ $(grep -c . "$TMP/sweep/sweep-peak_vs_n-list.tsv") -eq 3 ]] && ok || bad "sweep table has 2 points"
ls "$TMP/sweep" | grep -q '\.png$' && bad "--format none drew images" || ok
ls "$TMP/sweep" | grep -q '\.tmp$' && bad "temporary files left" || ok

# determinism: same script, options, seed -> byte-identical data
"$MEMSIM" run experiments/gen_vs_list.lua --n=20000 --out "$TMP/d1" --format none --quiet >/dev/null
"$MEMSIM" run experiments/gen_vs_list.lua --n=20000 --out "$TMP/d2" --format none --quiet >/dev/null
if diff -r "$TMP/d1" "$TMP/d2" >/dev/null; then ok; else bad "two runs differ"; fi

# without gnuplot: data and .gp written, the way to install it said
if command -v gnuplot >/dev/null; then
  expect 0 "apt-get install gnuplot-nox" -- env PATH=/nonexistent "$MEMSIM" run experiments/gen_vs_list.lua \
    --n=1000 --out "$TMP/nognu" --quiet
  [[ -s $TMP/nognu/live.gp && ! -e $TMP/nognu/live.png ]] && ok || bad "no gnuplot: .gp yes, .png no"
  expect 0 "drew $TMP/nognu/live.gp" -- "$MEMSIM" plot "$TMP/nognu"
  [[ -s $TMP/nognu/live.png ]] && ok || bad "memsim plot drew live.png"
  expect 0 "" -- "$MEMSIM" run experiments/gen_vs_list.lua --n=1000 --out "$TMP/svg" --format svg --quiet
  [[ -s $TMP/svg/live.svg ]] && ok || bad "--format svg"
fi

# the headline numbers against CPython's own, measured here with tracemalloc
# (n = 10^6): the list version's peak within 0.1%, the generator's under 1 KiB
"$MEMSIM" run experiments/gen_vs_list.lua --n=1000000 --out "$TMP/head" --format none --quiet >/dev/null
peak() { awk -F'\t' -v run="$1" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
  NR > 1 && $c["run"] == run { print $c["peak_live_bytes"] }' "$TMP/head/summary.tsv"; }
lp=$(peak list)
gp=$(peak generator)
traced() {   # tracemalloc's peak for one of the two expressions
  python3 -c "import tracemalloc; n = 10**6; tracemalloc.start(); sum($1); print(tracemalloc.get_traced_memory()[1])"
}
if [[ $(python3 -c 'import sys; print(sys.version_info[:2] == (3, 11))') == True ]]; then
  cl=$(traced "[i for i in range(n)]")
  cg=$(traced "i for i in range(n)")
  awk -v p="$lp" -v c="$cl" 'BEGIN { d = p - c; if (d < 0) d = -d; exit !(d < c / 1000) }' && ok ||
    bad "list peak $lp is not within 0.1% of CPython's $cl"
  echo "headline: list peak $lp bytes (CPython 3.11 tracemalloc: $cl), generator peak $gp bytes (CPython: $cg)"
else
  echo "NOTE: python3 is not 3.11: the headline was not compared with CPython's tracemalloc"
fi
[[ ${gp:-99999} -lt 1024 ]] && ok || bad "generator peak $gp is not under 1 KiB"
# the README quotes these figures: they must be the ones the run printed
python3 - "$lp" "$gp" "${cl:-}" <<'PY' && ok || bad "the README's headline figures are not the run's"
import sys
lp, gp, cl = sys.argv[1:4]
readme = " ".join(open("README.md", encoding="utf-8").read().split())
want = ["list version peaks at {:,} bytes".format(int(lp)), "generator version peaks at {} bytes".format(gp)]
if cl:
    want.append("tracemalloc says {:,}".format(int(cl)))
missing = [w for w in want if w not in readme]
if missing:
    print("README lacks: " + "; ".join(missing), file=sys.stderr)
sys.exit(1 if missing else 0)
PY

# --jobs: the same bytes as one process; --points, --point K and memsim merge:
# the same result set as one run, every misuse a clear error
SW=(experiments/size_classes.lua --max=64,128,256 --format none -q)
"$MEMSIM" run "${SW[@]}" --jobs 1 --out "$TMP/j1" >/dev/null 2>&1
"$MEMSIM" run "${SW[@]}" --jobs 3 --out "$TMP/j3" >/dev/null 2>&1
[[ -s $TMP/j1/summary.tsv ]] && diff -r "$TMP/j1" "$TMP/j3" >/dev/null && ok || bad "--jobs 3 differs from --jobs 1"
npoints=$("$MEMSIM" run "${SW[@]}" --points | wc -l)
[[ $npoints -ge 3 ]] && ok || bad "--points listed $npoints points"
for k in $(seq "$npoints"); do
  "$MEMSIM" run "${SW[@]}" --point "$k" --out "$TMP/parts/$k" >/dev/null 2>&1 || bad "--point $k failed"
done
expect 0 "" -- "$MEMSIM" merge "$TMP"/parts/* --out "$TMP/merged" --format none -q
diff -r "$TMP/j1" "$TMP/merged" >/dev/null && ok || bad "memsim merge differs from one run"
expect 2 "is missing: memsim run" -- "$MEMSIM" merge "$TMP/parts/1" --out "$TMP/m2"
expect 2 "is in both" -- "$MEMSIM" merge "$TMP/parts/1" "$TMP/parts/1" --out "$TMP/m3"
expect 2 "holds no part" -- "$MEMSIM" merge "$TMP/j1" --out "$TMP/m4"
expect 2 "merge needs the folders" -- "$MEMSIM" merge
expect 0 "usage: memsim merge DIR" -- "$MEMSIM" merge --help
expect 2 "--point 99: the sweep has" -- "$MEMSIM" run "${SW[@]}" --point 99 --out "$TMP/p99"
expect 2 "--points lists the points, --point K runs one" -- "$MEMSIM" run "${SW[@]}" --points --point 1
expect 2 "--jobs must be a number of processes" -- "$MEMSIM" run "${SW[@]}" --jobs 0
cp -r "$TMP/parts/2" "$TMP/bad2"
printf 's9999:short' >"$TMP/bad2/part-point-2.memsim-part"
expect 2 "is not a part memsim wrote" -- "$MEMSIM" merge "$TMP/parts/1" "$TMP/bad2" "$TMP"/parts/[3-9] --out "$TMP/m5"
cp experiments/size_classes.lua "$TMP/sc.lua"
"$MEMSIM" run "$TMP/sc.lua" --max=64,128 --point 1 --out "$TMP/sp1" -q >/dev/null 2>&1
"$MEMSIM" run "$TMP/sc.lua" --max=64,128 --point 2 --out "$TMP/sp2" -q >/dev/null 2>&1
echo "-- changed" >>"$TMP/sc.lua"
expect 2 "has changed since its parts were written" -- "$MEMSIM" merge "$TMP/sp1" "$TMP/sp2" --out "$TMP/m6"
expect 2 "keeps state from run to run" -- "$MEMSIM" run sim/lua/replay.lua --point 1 --out "$TMP/m7"

# a part is input like any other: truncated or scrambled, merge says so (exit 2), never a crash
python3 - "$TMP/parts/2/part-point-2.memsim-part" "$TMP/mut" <<'PY'
import os, random, sys
src, out = sys.argv[1], sys.argv[2]
data = open(src, "rb").read()
rnd = random.Random(7)
for k in range(40):
    d = bytearray(data)
    if k % 3 == 0:
        d = d[:rnd.randrange(len(d))]
    else:
        for _ in range(1 + k % 5):
            d[rnd.randrange(len(d))] = rnd.randrange(256)
    os.makedirs("%s/%d" % (out, k), exist_ok=True)
    open("%s/%d/part-point-2.memsim-part" % (out, k), "wb").write(bytes(d))
PY
mutfail=0
for k in $(seq 0 39); do
  out=$("$MEMSIM" merge "$TMP"/parts/1 "$TMP/mut/$k" "$TMP"/parts/[3-9] --out "$TMP/mm$k" --format none -q 2>&1)
  st=$?
  if [[ $st -ne 0 && $st -ne 2 ]] || grep -q "internal error\|Segmentation\|Aborted" <<<"$out"; then
    mutfail=1; bad "a scrambled part ($k): exit $st: $out"; break
  fi
done
[[ $mutfail -eq 0 ]] && ok

# the default heap is a real interpreter's: 100,000 pairs of instances in
# cycles collect as often per generation as CPython 3.11 does (the empty
# heap differs: the 25% long-lived rule sees none of the start-up objects)
cat >"$TMP/pairs.lua" <<'LUA'
local py = require "python"
local sim = memsim.new{}
local s0 = sim.gc.get_stats()
for i = 1, 100000 do sim:decref(py.ring(sim, 2)) end
local s1 = sim.gc.get_stats()
print(string.format("%d/%d/%d", s1[1].collections - s0[1].collections,
                    s1[2].collections - s0[2].collections, s1[3].collections - s0[3].collections))
LUA
if [[ $(python3 -c 'import sys; print(sys.version_info[:2] == (3, 11))') == True ]]; then
  real=$(PYTHONHASHSEED=0 python3 -c '
import gc
class C: pass
s0 = [g["collections"] for g in gc.get_stats()]
for i in range(100000):
    a = C(); b = C(); a.next = b; b.next = a
s1 = [g["collections"] for g in gc.get_stats()]
print("/".join(str(x - y) for x, y in zip(s1, s0)))')
  mine=$(cd "$SRC" && "$MEMSIM" run "$TMP/pairs.lua")
  [[ -n $real && $mine == "$real" ]] && ok || bad "pairs in cycles: memsim $mine collections, CPython $real"
  echo "pairs in cycles, collections per generation: memsim $mine, CPython $real"
fi

finish
