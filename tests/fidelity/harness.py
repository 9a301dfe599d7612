"""harness.py: measure what a workload does to CPython's heap.

    python3 harness.py WORKLOAD          (WORKLOAD: a module wl_<name>.py here)

prints one JSON object: the heap before (per size class pools and blocks,
free lists, gc counts and generation sizes) and after, getallocatedblocks
and gc.get_stats() before and after, and the sizes the workload reports.

Before the first snapshot the harness collects (gc.collect() empties the
free lists and the young generations) so that every run starts alike.  The
harness's own allocations between the snapshots are measured by the
workload "null" (which does nothing) and subtracted by compare.py.
"""
import gc
import importlib
import json
import os
import sys


PIPE = None
# Every one-character ASCII str, made first: 3.9 and 3.10 make each on its
# first use and keep it, and which ones a process has made depends on every
# line it compiled (compare.py tells memsim they all exist; the workloads'
# texts are ASCII where it matters; tests/fidelity/test_startup.py checks
# the first use itself).  All 256 of U+0000..U+00FF would move 3.10's
# wl_free_all into one more arena, here and not in memsim's packed heap.
LATIN1 = [chr(c) for c in range(128)]


def capture():
    """The text of sys._debugmallocstats(), read from file descriptor 2.

    The pipe and the saved descriptor are made once, before the first
    snapshot: the snapshots themselves then allocate nothing pymalloc
    serves (os.pipe() would leave a 2-tuple on the free list)."""
    r, w, saved = PIPE
    os.dup2(w, 2)
    sys._debugmallocstats()
    os.dup2(saved, 2)
    return os.read(r, 1 << 20)


def parse(text):
    """Per class {size: [pools, blocks]}, arenas, free lists."""
    out = {"classes": {}, "free": {"tuple": [0] * 20}}
    for line in text.decode().splitlines():
        p = line.split()
        if len(p) == 5 and p[0].isdigit():
            out["classes"][int(p[0])] = [int(p[2]), int(p[3])]
        elif line.startswith("# arenas allocated total"):
            out["arenas_total"] = int(line.split("=")[1].replace(",", ""))
        elif line.startswith("# arenas allocated current"):
            out["arenas_current"] = int(line.split("=")[1].replace(",", ""))
        elif line.startswith("# bytes lost to arena alignment"):
            out["alignment"] = int(line.split("=")[1].replace(",", ""))
        elif "unused pools *" in line:
            out["unused_pools"] = int(p[0])
        elif line.startswith("# arenas reclaimed"):
            out["arenas_reclaimed"] = int(line.split("=")[1].replace(",", ""))
        elif "free PyFloatObjects" in line:
            out["free"]["float"] = int(p[0])
        elif "free PyListObjects" in line:
            out["free"]["list"] = int(p[0])
        elif "free PyDictObjects" in line:
            out["free"]["dict"] = int(p[0])
        elif "-sized PyTupleObjects" in line:
            out["free"]["tuple"][int(p[2].split("-")[0]) - 1] = int(p[0])
    return out


class _Stop(Exception):
    pass


def _stop(frame, event, arg):
    raise _Stop


def zombie_frames(module):
    """Before 3.11 a code object keeps the frame of its last call (its
    co_zombieframe) for the next one: a function's first call allocates a
    frame that stays.  Each function of the workload is called once here,
    stopped by a trace function before its first line, so that its frame
    exists before the snapshots and the workload's own calls reuse it, as
    in a running program (the null workload's run() too)."""
    import types
    for f in list(vars(module).values()):
        if isinstance(f, types.FunctionType) and f.__module__ == module.__name__:
            args = [None] * f.__code__.co_argcount
            sys.settrace(_stop)
            try:
                f(*args)
            except _Stop:
                pass
            finally:
                sys.settrace(None)


def main(name):
    global PIPE
    r, w = os.pipe()
    PIPE = (r, w, os.dup(2))
    wl = importlib.import_module(name)
    if sys.version_info < (3, 11):
        zombie_frames(wl)
    if hasattr(wl, "warm"):
        wl.warm()        # before the snapshots: caches filled as in a running program
    if getattr(wl, "GC", False):
        gc.enable()
    else:
        gc.disable()
    gc.collect()
    gens = [len(gc.get_objects(g)) for g in range(3)]
    gc.collect()
    # The type attribute cache holds names it may evict in the middle of a
    # workload, freeing a name string that nothing else holds (a 48- or
    # 64-byte block, in some runs and not others: the slot a name takes
    # depends on addresses).  Emptied here, it only holds the workload's
    # own names between the snapshots, which their code keeps alive.
    sys._clear_type_cache()
    stats0 = gc.get_stats()
    b0 = sys.getallocatedblocks()
    count0 = gc.get_count()
    before = capture()
    kept = wl.run()
    after = capture()
    b1 = sys.getallocatedblocks()   # before gc.get_count(), whose ints may be new
    count1 = gc.get_count()
    stats1 = gc.get_stats()
    sizes = wl.sizes(kept) if hasattr(wl, "sizes") else []
    result = {
        "before": parse(before), "after": parse(after),
        "count_before": list(count0), "count_after": list(count1),
        "blocks_before": b0, "blocks_after": b1,
        "collections": [stats1[g]["collections"] - stats0[g]["collections"] for g in range(3)],
        "collected": [stats1[g]["collected"] - stats0[g]["collected"] for g in range(3)],
        "gens": gens, "sizes": sizes, "python": sys.version.split()[0],
        "malloc": os.environ.get("PYTHONMALLOC", "pymalloc"),
    }
    del kept
    print(json.dumps(result))


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main(sys.argv[1])
