"""set methods, 1,000 times: set(t), a | b, b & a, b - a, copy, update, discard, remove, pop, clear"""
K10 = tuple(range(1000, 1010))
K20 = K10 + tuple(range(1010, 1020))    # the same int objects: equal keys are the same keys
K5 = tuple(range(1100, 1105))
N = 1000


def run():
    keep = []
    for j in range(N):
        a = set(K10)
        b = set(K20)
        c = a | b
        d = b & a
        e = b - a
        f = a.copy()
        f.update(K5)
        f.discard(K10[0])
        f.remove(K10[1])
        x = f.pop()
        g = b.copy()
        g.clear()
        keep.append(a)
        keep.append(b)
        keep.append(c)
        keep.append(d)
        keep.append(e)
        keep.append(f)
        keep.append(g)
    return keep


def sizes(keep):
    import sys
    return [sys.getsizeof(x) for x in keep[:7]]
