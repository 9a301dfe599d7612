"""dict methods, 2,000 times: d[k] = v, copy (cloned keys), pop, setdefault, popitem, update into {} (a merge), clear"""
N = 2000
K6 = tuple(range(1000, 1006))      # six int keys, made at import


def run():
    keep = []
    for j in range(N):
        d = {}
        for k in K6:
            d[k] = None
        e = d.copy()
        v = d.pop(K6[0])
        d.setdefault(K6[0], None)
        x = d.popitem()
        f = {}
        f.update(d)
        e.clear()
        keep.append(d)
        keep.append(e)
        keep.append(f)
    return keep


def sizes(keep):
    import sys
    return [sys.getsizeof(x) for x in keep[:3]]
