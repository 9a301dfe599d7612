#!/usr/bin/env python3
"""test_mmap_threshold.py MEMSIM: glibc's dynamic mmap threshold, paired.

The same sequence of large bytes objects made and freed runs under
python3 (PYTHONMALLOC unset: pymalloc sends them to glibc's malloc) and
under memsim; after each step the change in bytes held in mmapped chunks
must be the same: glibc's mallinfo2().hblkhd read through ctypes, and
memsim's raw_mmapped.  Freeing a mapped chunk larger than the threshold
(and at most 32 MiB) raises the threshold to its size, so that the next
blocks below it come from the heap; larger than 32 MiB, it does not.
"""
import ctypes
import json
import os
import subprocess
import sys
import tempfile

MEMSIM = sys.argv[1]
STEPS = [("new", "a", 2 * 1024 * 1024), ("del", "a"), ("new", "b", 200_000),
         ("new", "c", 3 * 1024 * 1024), ("del", "b"), ("del", "c"), ("new", "d", 2_500_000),
         ("new", "e", 40 << 20), ("del", "e"), ("new", "f", 20 << 20), ("del", "f"),
         ("new", "g", 10 << 20), ("new", "h", 140_000), ("del", "d"), ("del", "g"), ("del", "h")]

PYTHON = r'''
import ctypes, json, sys
class MI2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd",
                                               "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]
libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = MI2
steps = json.loads(sys.argv[1])
held, out = {}, []
base = libc.mallinfo2().hblkhd
for s in steps:
    if s[0] == "new":
        held[s[1]] = bytes(s[2])
    else:
        del held[s[1]]
    out.append(libc.mallinfo2().hblkhd - base)
print(json.dumps(out))
'''

LUA = r'''
local steps = %s
local sim = memsim.new{startup = false}
local held, out = {}, {}
local base = sim:stats().bytes.raw_mmapped
for _, s in ipairs(steps) do
  if s[1] == "new" then held[s[2]] = sim:new("bytes", s[3]) else sim:decref(held[s[2]]) end
  out[#out + 1] = tostring(sim:stats().bytes.raw_mmapped - base)
end
print("[" .. table.concat(out, ", ") .. "]")
'''


def lua_list(steps):
    items = []
    for s in steps:
        items.append("{" + ", ".join(json.dumps(x) for x in s) + "}")
    return "{" + ", ".join(items) + "}"


def main():
    real = subprocess.run([sys.executable, "-c", PYTHON, json.dumps(STEPS)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONMALLOC": "pymalloc"})
    if real.returncode != 0:
        print("FAIL: python3:", real.stderr[-400:])
        return 1
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(LUA % lua_list(STEPS))
    try:
        sim = subprocess.run([MEMSIM, "run", f.name], capture_output=True, text=True)
    finally:
        os.unlink(f.name)
    if sim.returncode != 0:
        print("FAIL: memsim:", sim.stderr[-400:])
        return 1
    want, got = json.loads(real.stdout), json.loads(sim.stdout)
    failed = 0
    for i, (s, w, g) in enumerate(zip(STEPS, want, got)):
        what = f"{s[0]} {s[1]}" + (f" ({s[2]:,} bytes)" if s[0] == "new" else "")
        mark = "ok  " if w == g else "FAIL"
        failed += w != g
        print(f"{mark} step {i + 1:2} {what:28} mmapped: python3 {w:>11,}  memsim {g:>11,}")
    print(f"test_mmap_threshold: {len(STEPS) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
