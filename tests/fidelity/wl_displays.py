"""displays as the interpreter builds them: [a, b, c] (exact), {a, b, c}
(added one by one), {k: v, ...} (presized past five pairs, str keys a
unicode table), dict.fromkeys of a tuple, a set and a dict, and True and
False as keys equal to 1 and 0"""


def run():
    keep = []
    for i in range(100):
        a, b, c = i * 1000, i * 1000 + 1, i * 1000 + 2
        keep.append([a, b, c])
        keep.append({a, b, c})
        keep.append({a: b, b: c, c: a, 0: 1, 1: 2, 2: 3, 3: 4})
        keep.append({'xy'[i % 2] + 'z': a, 'y': b})
    t = tuple(range(1000, 1020))
    keep.append(dict.fromkeys(t))
    keep.append(dict.fromkeys(set(t), 0))
    keep.append(dict.fromkeys(keep[2]))
    d = {True: 'yes', False: 'no'}
    d[1] = 'one'
    d[0] = 'zero'
    keep.append(d)
    return keep


def sizes(keep):
    import sys
    return [sys.getsizeof(x) for x in keep[:4]] + [sys.getsizeof(x) for x in keep[-4:]] + [len(keep[-1])]
