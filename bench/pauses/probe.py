"""probe.py: real CPython's pauses, for memsim's pause model.

    python3.X bench/pauses/probe.py ROUNDS NAME[,NAME...]

Runs under the interpreter being measured (3.9 or later, nothing
imported beyond the standard library).  Each NAME is a scenario,
KIND_N (bench/pauses/twin.lua does the same in memsim):
  gc0_N       gc.collect(0) right after N new one-item lists
  gc1_N       gc.collect(1): N - 700 lists in generation 1, 700 new
  full_N      gc.collect() with N one-item lists alive
  fullwide_N  the same with N eight-item lists
  gc0wide_N   gc.collect(0) right after N new eight-item lists
  auto0_N     the median automatic generation-0 collection, and
  auto1_N     generation-1 collection, while N lists are built
  dealloc_T_N `del L` of a list of N objects of type T (float, int,
              list, tuple, str, dict, object: an instance with one
              attribute): the deallocation cascade
  chain_N     `del head` of N instances linked by .next (one deep
              cascade, the trashcan at work)
Collections are timed as gc.callbacks sees them (perf_counter_ns at
start and stop), cascades by perf_counter_ns around the del.  The rounds
interleave the scenarios (a slow moment of the machine touches all of
them alike); a round's sample of a scenario of at most 200,000 objects
is the median of five runs.  Prints {NAME: [sample ns, ...]} as JSON.
"""
import gc
import json
import statistics
import sys
import time

ns = time.perf_counter_ns
pauses = []
started = [0]


def callback(phase, info):
    if phase == "start":
        started[0] = ns()
    else:
        pauses.append((info["generation"], ns() - started[0]))


def lists(n):
    return [[i] for i in range(n)]


def wide(n):
    return [[i, i, i, i, i, i, i, i] for i in range(n)]


class Node:
    pass


def node(i):
    o = Node()
    o.x = i
    return o


def chain(n):
    first = prev = Node()
    for _ in range(n - 1):
        nxt = Node()
        prev.next = nxt
        prev = nxt
    return first


MAKE = {
    "float": lambda n: [i + 0.5 for i in range(n)],
    "int": lambda n: [i + 1000 for i in range(n)],
    "list": lists,
    "tuple": lambda n: [(i,) for i in range(n)],
    "str": lambda n: [str(i) for i in range(n)],
    "dict": lambda n: [{} for i in range(n)],
    "object": lambda n: [node(i) for i in range(n)],
}


def explicit(gen, n, make):
    gc.collect()
    gc.disable()
    L = make(n)
    del pauses[:]
    gc.collect(gen)
    p = pauses[-1][1]
    del L
    gc.enable()
    return p


def gen1(n):
    gc.collect()
    gc.disable()
    A = lists(n - 700)
    gc.collect(0)
    B = lists(700)
    del pauses[:]
    gc.collect(1)
    p = pauses[-1][1]
    del A, B
    gc.enable()
    return p


def auto(n):
    gc.collect()
    del pauses[:]
    L = lists(n)
    seen = list(pauses)
    del L
    by = {0: [], 1: []}
    for g, p in seen:
        if g in by:
            by[g].append(p)
    return [statistics.median(by[g]) if by[g] else 0 for g in (0, 1)]


def cascade(build, n):
    """gc.collect(); gc.disable(); x = build(n); del x: the deallocation's time"""
    gc.collect()
    gc.disable()
    x = build(n)
    t = ns()
    del x
    dt = ns() - t
    gc.enable()
    return dt


def run(name):
    kind, n = name.rsplit("_", 1)
    n = int(n)
    if kind == "gc0":
        return explicit(0, n, lists)
    if kind == "full":
        return explicit(2, n, lists)
    if kind == "fullwide":
        return explicit(2, n, wide)
    if kind == "gc0wide":
        return explicit(0, n, wide)
    if kind == "gc1":
        return gen1(n)
    if kind in ("auto0", "auto1"):
        return auto(n)[kind == "auto1"]
    if kind == "chain":
        return cascade(chain, n)
    if kind.startswith("dealloc_") and kind[8:] in MAKE:
        return cascade(MAKE[kind[8:]], n)
    raise SystemExit("probe.py: unknown scenario %r" % name)


def main():
    rounds = int(sys.argv[1])
    names = sys.argv[2].split(",")
    gc.callbacks.append(callback)
    out = {name: [] for name in names}
    for _ in range(rounds):
        for name in names:
            n = int(name.rsplit("_", 1)[1])
            inner = 5 if n <= 200000 else 1
            out[name].append(statistics.median(run(name) for _ in range(inner)))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
