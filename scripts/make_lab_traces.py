#!/usr/bin/env python3
"""Write the allocator lab's traces (experiments/allocator_lab/traces/*.rep).

Each trace is a pattern an allocator meets, in the lab's text format
(`a ID SIZE`, `f ID`, `r ID SIZE`, `#` comments; see memsim lab --help).
The traces are checked in; this script is how they were made, and makes
them again byte for byte (fixed seeds):

    python3 scripts/make_lab_traces.py experiments/allocator_lab/traces
"""
import os
import random
import sys


class Trace:
    def __init__(self, title):
        self.lines = ["# " + line for line in title.strip().splitlines()]
        self.live = {}
        self.next_id = 0

    def alloc(self, size):
        i = self.next_id
        self.next_id += 1
        self.live[i] = size
        self.lines.append(f"a {i} {size}")
        return i

    def free(self, i):
        del self.live[i]
        self.lines.append(f"f {i}")

    def realloc(self, i, size):
        self.live[i] = size
        self.lines.append(f"r {i} {size}")

    def free_all(self):
        for i in sorted(self.live):
            self.lines.append(f"f {i}")
        self.live.clear()

    def write(self, path):
        with open(path, "w") as f:
            f.write("\n".join(self.lines) + "\n")


def binary_tree():
    t = Trace("""binary_tree: build binary trees of 48-byte nodes with a 24-byte payload
object each, then free each tree from the leaves up, three times with
different depths: blocks of two sizes freed in the reverse of their order.""")
    for depth in (10, 11, 9):
        def build(d):
            node = t.alloc(48)
            obj = t.alloc(24)
            kids = [build(d - 1), build(d - 1)] if d > 0 else []
            return (node, obj, kids)

        def free(n):
            node, obj, kids = n
            for k in kids:
                free(k)
            t.free(obj)
            t.free(node)

        free(build(depth))
    return t


def realloc_growth():
    t = Trace("""realloc_growth: eight lists growing by appends, as CPython's list_resize
grows their item arrays (new = n + n/8 + 6, rounded to 4, times 8 bytes),
with a small object made for each item between the resizes, so that a
block that grows cannot always grow where it is.""")
    rng = random.Random(2)
    lists = []
    for _ in range(8):
        lists.append([t.alloc(32), 0, 0])          # id, size (items), capacity
    items = []
    for _ in range(6000):
        l = rng.choice(lists)
        n = l[1] + 1
        if n > l[2]:
            cap = (n + (n >> 3) + 6) & ~3
            t.realloc(l[0], cap * 8)
            l[2] = cap
        l[1] = n
        items.append(t.alloc(rng.choice((24, 32, 48))))
    for i in items[::2]:
        t.free(i)
    t.free_all()
    return t


def random_sizes():
    t = Trace("""random_sizes: 6,000 requests of random sizes from 8 bytes to 8 KiB (log-
uniform, so most are small), each block freed after a random while.""")
    rng = random.Random(3)
    live = []
    for _ in range(6000):
        if live and rng.random() < 0.45:
            t.free(live.pop(rng.randrange(len(live))))
        else:
            live.append(t.alloc(int(2 ** rng.uniform(3, 13))))
    t.free_all()
    return t


def coalescing():
    t = Trace("""coalescing: 2,000 blocks of 64 bytes; every other one freed, then the
rest; then 1,000 blocks of 160 bytes, which fit the freed space only if
neighbouring free blocks were merged; and the same again, larger.""")
    for small, big in ((64, 160), (128, 300)):
        ids = [t.alloc(small) for _ in range(2000)]
        for i in ids[::2]:
            t.free(i)
        for i in ids[1::2]:
            t.free(i)
        big_ids = [t.alloc(big) for _ in range(1000)]
        for i in big_ids:
            t.free(i)
    return t


def python_objects():
    t = Trace("""python_objects: what a Python program asks of pymalloc: floats (24 bytes),
one- and two-item tuples (48, 56), small lists (56 and their arrays),
short strings (50 to 80), small dicts (64, and 200 to 360 for their keys),
most of them short-lived, a quarter kept for the rest of the run.""")
    rng = random.Random(5)
    kinds = [(24, 30), (48, 12), (56, 12), (56, 8), (32, 8), (rng.randint(50, 80), 15), (64, 8), (232, 4), (360, 3)]
    sizes, weights = zip(*kinds)
    young, kept = [], []
    for _ in range(20000):
        if young and rng.random() < 0.45:
            t.free(young.pop(rng.randrange(max(0, len(young) - 8), len(young))))
        else:
            b = t.alloc(rng.choices(sizes, weights)[0] if rng.random() < 0.95 else rng.randint(50, 80))
            (kept if rng.random() < 0.25 else young).append(b)
    t.free_all()
    return t


def large_and_small():
    t = Trace("""large_and_small: small objects around a few large buffers (64 KiB to
1 MiB, as bytes objects and big lists are), made, grown and dropped: the
large ones are where mmap pays and where a heap can be left with a hole.""")
    rng = random.Random(7)
    small, large = [], []
    for step in range(3000):
        r = rng.random()
        if r < 0.02:
            large.append(t.alloc(rng.choice((65536, 131072, 262144, 1 << 20))))
        elif r < 0.03 and large:
            t.free(large.pop(rng.randrange(len(large))))
        elif r < 0.04 and large:
            i = rng.choice(large)
            t.realloc(i, min(t.live[i] * 2, 2 << 20))
        elif r < 0.5 and small:
            t.free(small.pop(rng.randrange(len(small))))
        else:
            small.append(t.alloc(rng.randint(16, 512)))
    t.free_all()
    return t


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "experiments/allocator_lab/traces"
    os.makedirs(out, exist_ok=True)
    for make in (binary_tree, realloc_growth, random_sizes, coalescing, python_objects, large_and_small):
        t = make()
        t.write(os.path.join(out, make.__name__ + ".rep"))
        print(f"{make.__name__}.rep: {sum(1 for l in t.lines if not l.startswith('#'))} requests")


if __name__ == "__main__":
    main()
