#!/usr/bin/env python3
"""measure_startup.py: measure a fresh CPython interpreter's heap and write
it as a Lua module, the shape memsim.new{startup = true} starts from.

    python3 scripts/measure_startup.py [--memsim PATH] [PYTHON] > sim/profiles/cpython-X.Y.startup.lua

PYTHON is the interpreter to measure (default: the one running this).
It runs `python3 -c` with nothing but the measurement in it: per size class
the used pools and blocks in use (from sys._debugmallocstats, read from
file descriptor 2), the arenas, gc.get_count() and the number of tracked
objects in each generation.  The numbers are taken before the measuring
code allocates anything it would count.  A second run measures what a
collection of them follows and touches: their references
(gc.get_referents) and bytes (sys.getsizeof), per tracked object.

The blocks too large for pymalloc (over 512 bytes, or of 0), which it
passes to malloc and sys.getallocatedblocks() counts, are not in those
statistics: a third run records the start with `memsim record` (build/memsim,
or --memsim PATH) and reads their sizes from the trace, as they are when
the program's first line runs.  A fourth finds the one-character strs
below U+0100 that exist after start-up (3.9 and 3.10 make the others on
first use).  The counts per class vary by a few blocks
from run to run (string hashes are randomised).
"""
import collections
import os
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

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


def varint(b, i):
    v = shift = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << shift
        shift += 7
        if not c & 0x80:
            return v, i


def large_blocks(memsim, python):
    """{size: blocks} of the mem and obj domains' live blocks pymalloc passed
    to malloc, at the mark the recorded program's first line makes
    (sim/trace/trace-format.md is the format)"""
    with tempfile.TemporaryDirectory() as tmp:
        prog, trace = os.path.join(tmp, "start.py"), os.path.join(tmp, "start.trace")
        with open(prog, "w") as f:
            f.write('memsim_mark("start")\n')
        subprocess.run([memsim, "record", "--python", python, "--out", trace, prog],
                       check=True, capture_output=True)
        with open(trace, "rb") as f:
            data = f.read()
    if data[:8] != b"MEMSIMTR":
        sys.exit("measure_startup: %s is not a memsim trace" % trace)
    pos = 16 + struct.unpack_from("<I", data, 12)[0]
    live = {}                                  # address -> size, top-level mem and obj requests
    while pos < len(data):
        length = struct.unpack_from("<I", data, pos)[0]
        p, pos, i, prev = data[pos + 12:pos + 12 + length], pos + 12 + length, 0, 0

        def addr(i):
            nonlocal prev
            d, i = varint(p, i)
            prev += (d >> 1) ^ -(d & 1)
            return prev, i
        while i < len(p):
            tag, i = p[i], i + 1
            if tag < 0x20:
                domain, op, ours = tag & 3, (tag >> 2) & 3, domain_ours(tag)
                if op in (0, 1):
                    size, i = varint(p, i)
                    a, i = addr(i)
                    if ours:
                        live[a] = size
                elif op == 2:
                    size, i = varint(p, i)
                    old, i = addr(i)
                    new, i = addr(i)
                    if ours:
                        live.pop(old, None)
                        live[new] = size
                else:
                    if domain == 3:
                        _, i = varint(p, i)
                    a, i = addr(i)
                    if ours:
                        live.pop(a, None)
            elif tag == 0xF0:                  # the mark
                n, i = varint(p, i)
                if p[i:i + n] == b"start":
                    return collections.Counter(s for s in live.values() if s == 0 or s > 512)
                i += n
            elif tag == 0xF1:
                for _ in range(4):
                    _, i = varint(p, i)
            elif tag in (0xF2, 0xF3):
                if tag == 0xF3:
                    _, i = varint(p, i)
                    _, i = varint(p, i)
                n, i = varint(p, i)
                i += n
            else:
                sys.exit("measure_startup: unknown item 0x%02x in the trace" % tag)
    sys.exit("measure_startup: the trace has no start mark")


# which one-character strs below U+0100 exist after start-up: chr(c) makes
# a block for the others (3.9 and 3.10 make them on first use; from 3.11
# they are static, and this finds them all).  No one-character name or
# constant in this code: compiling it would make them.
LATIN1 = r'''
import sys
getblocks = sys.getallocatedblocks
results = [0] * 256
for code in range(256):
    before = getblocks()
    made_now = chr(code)
    results[code] = getblocks() - before
    del made_now
print(*[code for code in range(256) if results[code] == 0])
'''


def domain_ours(tag):
    """a request of the mem or obj domain, not made inside another one"""
    return (tag & 3) in (1, 2) and not tag & 0x10


def main():
    args = sys.argv[1:]
    memsim = os.path.join(ROOT, "build", "memsim")
    if "--memsim" in args:
        k = args.index("--memsim")
        memsim = args[k + 1]
        del args[k:k + 2]
    python = args[0] if args else sys.executable
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
    made = [int(c) for c in subprocess.run([python, "-c", LATIN1], capture_output=True, text=True,
                                           check=True).stdout.split()]
    if len(made) < 250:                    # made lazily: list the ones there
        print("  -- one-character strs below U+0100 made during start-up (3.9, 3.10: the others on first use)")
        print("  latin1 = {")
        for k in range(0, len(made), 16):
            print("    " + " ".join("%d," % c for c in made[k:k + 16]))
        print("  },")
    large = large_blocks(memsim, python)
    print("  -- blocks pymalloc passed to malloc: {[bytes] = blocks}, %d in all" % sum(large.values()))
    print("  large = {")
    sizes = sorted(large)
    for k in range(0, len(sizes), 8):
        print("    " + " ".join("[%d] = %d," % (n, large[n]) for n in sizes[k:k + 8]))
    print("  },")
    print("  free_lists = {%s, tuple = {%s}}," % (
        ", ".join("%s = %d" % (k, free.get(k, 0)) for k in ("float", "list", "dict")),
        ", ".join(str(t) for t in tuples)))
    print("}")


if __name__ == "__main__":
    main()
