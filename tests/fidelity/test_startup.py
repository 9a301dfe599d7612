#!/usr/bin/env python3
"""test_startup.py MEMSIM: the start-up heap against each installed CPython.

memsim.new{} starts from a measured interpreter's heap
(sim/profiles/cpython-3.X.startup.lua, written by scripts/measure_startup.py).
Under every installed interpreter this compares, at the first line of a
program, with the simulator of its version:

- the blocks pymalloc passed to malloc (over 512 bytes, or of 0):
  sys.getallocatedblocks() less the blocks in pymalloc's pools
  (sys._debugmallocstats), within 2% or 8 blocks, whichever is more: a few
  belong to the measuring program itself;
- sys.getallocatedblocks() in all, within 2% (the pools hold the measuring
  program's own code and names, about a hundred blocks).

- the one-character strs below U+0100: chr(c) for each c, the blocks it
  makes, exactly (3.9 and 3.10 make the ones start-up has not on first
  use and keep them; 3.11 on have them all).

It fails on a start-up heap without its large blocks (3.11.7 has 1,316,
3.4% of its blocks) or with another version's.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pythons  # noqa: E402

MEMSIM = sys.argv[1]

PROBE = r'''
import os, sys
n = sys.getallocatedblocks()
r, w = os.pipe()
saved = os.dup(2)
os.dup2(w, 2)
sys._debugmallocstats()
os.dup2(saved, 2)
os.close(w)
text = b""
while True:
    c = os.read(r, 65536)
    if not c:
        break
    text += c
pools = 0
for line in text.decode().splitlines():
    p = line.split()
    if len(p) == 5 and p[0].isdigit():
        pools += int(p[3])
print(n, n - pools)
'''

CHARS = r'''
import sys
getblocks = sys.getallocatedblocks
results = [0] * 256
before = getblocks()
made_now = chr(97)          # made at start-up in every version: the name bound once
results[0] = getblocks() - before
for code in range(256):
    before = getblocks()
    made_now = chr(code)
    results[code] = getblocks() - before
print(*results)
'''

CHARS_LUA = r'''
local sim = memsim.new{profile = "%s"}
local out = {}
for c = 0, 255 do
  local before = sim.sys.getallocatedblocks()
  local ch = sim:new("str", utf8.char(c))
  out[#out + 1] = sim.sys.getallocatedblocks() - before
  sim:decref(ch)
end
print(table.concat(out, " "))
'''

LUA = r'''
local sim = memsim.new{profile = "%s"}
local pools = 0
for _, c in ipairs(sim:stats().classes) do pools = pools + c.blocks end
local n = sim.sys.getallocatedblocks()
print(n, n - pools)
'''


def main():
    found = pythons.interpreters("3.%d" % sys.version_info[1], sys.executable)
    failures = checks = 0
    tmp = tempfile.TemporaryDirectory()
    probe, lua = os.path.join(tmp.name, "probe.py"), os.path.join(tmp.name, "probe.lua")
    with open(probe, "w") as f:
        f.write(PROBE)
    for minor, exe in found:
        real = [int(x) for x in subprocess.run([exe, probe], capture_output=True,
                                               text=True, check=True).stdout.split()]
        with open(lua, "w") as f:
            f.write(LUA % ("cpython-" + minor))
        out = subprocess.run([MEMSIM, "run", lua], capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit("memsim failed: %s" % out.stderr)
        sim = [int(x) for x in out.stdout.split()]
        rows = [("blocks passed to malloc", real[1], sim[1], max(8, 0.02 * real[1])),
                ("sys.getallocatedblocks()", real[0], sim[0], 0.02 * real[0])]
        with open(probe, "w") as f:
            f.write(CHARS)
        real_chars = subprocess.run([exe, probe], capture_output=True, text=True, check=True).stdout.split()
        with open(probe, "w") as f:
            f.write(PROBE)
        with open(lua, "w") as f:
            f.write(CHARS_LUA % ("cpython-" + minor))
        out = subprocess.run([MEMSIM, "run", lua], capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit("memsim failed: %s" % out.stderr)
        sim_chars = out.stdout.split()
        differ = [c for c in range(256) if real_chars[c] != sim_chars[c]]
        rows.append(("chr(c) making a block", sum(map(int, real_chars)), sum(map(int, sim_chars)), 0))
        if differ:
            print("%-4s chr(c) differs for c in %s" % (minor, differ[:20]))
            rows.append(("chr(c) alike for every c", 256, 256 - len(differ), 0))
        for name, r, s, tol in rows:
            checks += 1
            ok = abs(r - s) <= tol
            failures += not ok
            print("%-4s %-28s real %7d  memsim %7d  %s" % (minor, name, r, s, "ok" if ok else "DIFFERS"))
    print("%d of %d checks within bounds" % (checks - failures, checks))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
