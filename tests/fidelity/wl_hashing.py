"""keys found by value: a set's sliding window of ints, all discarded and equal
ints added back, strs built at run time as set members and dict keys, tuple
keys, sys.intern"""
import sys

N = 6000
W = ('alpha', 'beta', 'gamma', 'delta', 'eps', 'zeta', 'eta', 'theta')


def run():
    keep = []
    s = set()
    for i in range(N):
        s.add(i)
    for i in range(N):              # a sliding window: i out, i + N in
        s.discard(i)
        s.add(i + N)
    keep.append(s)
    t = set()
    for i in range(N):
        t.add(i)
    for i in range(N):              # every key a dummy ...
        t.discard(i)
    for i in range(N):              # ... and equal ints back, new objects
        t.add(i)
    keep.append(t)
    u = set()
    for i in range(1280):           # 64 distinct strs, each made 20 times
        u.add(W[i % 8] + W[i // 8 % 8])
    for i in range(32):
        u.discard(W[i % 8] + W[i // 8 % 8])
    x = u.pop()
    keep.append(u)
    d = {}
    for i in range(1280):           # equal keys replace the value; the new key str is dropped
        d[W[i % 8] + W[i // 8 % 8]] = i
    keep.append(d)
    e = {}
    for i in range(1280):           # equal tuple keys
        e[(i % 8, i // 8 % 8)] = None
    keep.append(e)
    a = W[0] + W[1]
    b = sys.intern(a)               # a is interned: b is a
    c = W[0] + W[1]
    f = sys.intern(c)               # the interned a again; c is dropped below
    sys.intern(W[2] + W[3])         # interned and dropped: freed in 3.11 and 3.13, immortal in 3.12
    keep.append(a)
    keep.append(f)
    del c
    w = set()
    for i in range(700):            # 3.9 reuses no dummy: refilled, this set grows
        w.add(i)
    for i in range(700):
        w.discard(i)
    for i in range(700):
        w.add(i)
    keep.append(w)
    return keep


def sizes(keep):
    return [sys.getsizeof(x) for x in keep[:5]] + [keep[5] is keep[6], sys.getsizeof(keep[7])]
