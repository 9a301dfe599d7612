#!/usr/bin/env python3
"""measure_startup.py: measure a fresh CPython interpreter's heap and write
it as a Lua module, the shape memsim.new{startup = true} starts from.

    python3 scripts/measure_startup.py [PYTHON] > sim/profiles/cpython-X.Y.startup.lua

PYTHON is the interpreter to measure (default: the one running this).
It runs `python3 -c` with nothing but the measurement in it: per size class
the used pools and blocks in use (from sys._debugmallocstats, read from
file descriptor 2), the arenas, gc.get_count() and the number of tracked
objects in each generation.  The numbers are taken before the measuring
code allocates anything it would count.  A second run measures what a
collection of them follows and touches: their references
(gc.get_referents) and bytes (sys.getsizeof), per tracked object.
"""
import subprocess
import sys

PROBE = r'''
import gc, os, sys
count = gc.get_count()
r, w = os.pipe()
saved = os.dup(2)
os.dup2(w, 2)
sys._debugmallocstats()
os.dup2(saved, 2)
os.close(w)
chunks = []
while True:
    c = os.read(r, 1 << 16)
    if not c:
        break
    chunks.append(c)
text = b"".join(chunks).decode()
objs = [len(gc.get_objects(g)) for g in range(3)]
print(repr((count, objs, text)))
'''

# what a collection of the tracked objects follows and touches (memsim's
# pause model): a second run, so that the first measures a heap this code
# has not grown
REFS = r'''
import gc, sys
tracked = [o for g in range(3) for o in gc.get_objects(g)]
print(sum(len(gc.get_referents(o)) for o in tracked) // len(tracked),
      sum(sys.getsizeof(o) for o in tracked) // len(tracked))
'''


def main():
    python = sys.argv[1] if len(sys.argv) > 1 else sys.executable
    out = subprocess.run([python, "-c", PROBE + "\nprint(repr(tuple(sys.version_info[:3])))"],
                         capture_output=True, text=True, check=True)
    first, second = out.stdout.strip().splitlines()
    count, objs, text = eval(first)
    v = eval(second)
    refs = subprocess.run([python, "-c", REFS], capture_output=True, text=True, check=True)
    edges_each, bytes_each = (int(x) for x in refs.stdout.split())
    rows = {}
    arenas = None
    free, tuples = {}, [0] * 20
    for line in text.splitlines():
        p = line.split()
        if len(p) == 5 and p[0].isdigit():
            rows[int(p[0])] = (int(p[2]), int(p[3]))
        if line.startswith("# arenas allocated current"):
            arenas = int(line.split("=")[1].replace(",", ""))
        # the objects parked on free lists (they are among the blocks in use)
        if len(p) > 3 and p[0].isdigit() and p[1] == "free":
            if p[2] == "PyFloatObjects":
                free["float"] = int(p[0])
            elif p[2] == "PyListObjects":
                free["list"] = int(p[0])
            elif p[2] == "PyDictObjects":
                free["dict"] = int(p[0])
            elif p[2].endswith("-sized") and p[3] == "PyTupleObjects":
                k = int(p[2].split("-")[0])
                if 1 <= k <= 20:
                    tuples[k - 1] = int(p[0])
    print("-- The heap of a fresh CPython %d.%d.%d interpreter (python3 -c), measured by" % (v[0], v[1], v[2]))
    print("-- scripts/measure_startup.py; memsim.new{startup = true} starts from it.")
    print("return {")
    print("  python = \"%d.%d.%d\"," % (v[0], v[1], v[2]))
    print("  arenas = %d," % arenas)
    print("  classes = {  -- [class] = {used pools, blocks in use}")
    for c in sorted(rows):
        print("    [%d] = {%d, %d}," % (c, rows[c][0], rows[c][1]))
    print("  },")
    print("  gc_count = {%d, %d, %d}," % count)
    print("  gc_objects = {%d, %d, %d}," % tuple(objs))
    print("  gc_edges_each = %d,  -- references a tracked object holds, on average" % edges_each)
    print("  gc_bytes_each = %d,  -- and its bytes (sys.getsizeof)" % bytes_each)
    print("  free_lists = {%s, tuple = {%s}}," % (
        ", ".join("%s = %d" % (k, free.get(k, 0)) for k in ("float", "list", "dict")),
        ", ".join(str(t) for t in tuples)))
    print("}")


if __name__ == "__main__":
    main()
