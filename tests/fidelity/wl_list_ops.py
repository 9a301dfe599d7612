"""list methods, 1,990 times: list(t), insert, append, extend, a[i:j], +, *=, *, del a[i:j], a[i:j] = l, pop(), pop(0), remove, reverse, copy, clear"""

# 1,990 rounds, not 2,000: at 2,000 the 3.9 run ends right at a 4 KiB pool's
# edge, and whether one more pool is needed depends on how the interpreter's
# own blocks sit in its partly used pools before the workload, which the
# start-up heap memsim is shaped from (pools and blocks per class) does not
# say block for block.
N = 1990
T5 = (None, None, None, None, None)
L3 = [None, None, None]


def run():
    keep = []
    for j in range(N):
        a = list(T5)
        a.insert(0, None)
        a.append(None)
        a.extend(L3)
        b = a[2:9]
        c = a + b
        c *= 2
        d = b * 3
        del c[3:20]
        c[1:2] = L3
        x = c.pop()
        y = c.pop(0)
        c.remove(None)
        d.reverse()
        e = d.copy()
        e.clear()
        keep.append(a)
        keep.append(b)
        keep.append(c)
        keep.append(d)
        keep.append(e)
    return keep


def sizes(keep):
    import sys
    return [sys.getsizeof(x) for x in keep[:5]]
