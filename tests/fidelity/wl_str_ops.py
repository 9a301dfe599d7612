"""str and bytes operations: s += t in loops (in place while nothing else
holds s), +, *, slices, join, str(int), f-strings, bytes + and *"""
W = ('alpha', 'beta', 'gamma', 'délta', '€', '😀')


def run():
    keep = []
    s = ''
    for i in range(300):
        s += W[i % 3]               # ASCII, growing in place
    keep.append(s)
    u = W[3] + W[0]                 # latin-1
    for i in range(200):
        u += W[1]                   # ASCII fits latin-1: in place
    keep.append(u)
    v = W[0] + W[1]
    for i in range(50):
        v += W[4]                   # '€' does not fit ASCII: a new UCS-2 str, then in place
    keep.append(v)
    for i in range(100):
        keep.append(W[i % 4] + W[(i + 1) % 4])
        keep.append(W[i % 6] * (i % 5))
        keep.append(str(i * 7))
        keep.append(f"{i}:{W[i % 6]}!")
    big = "-".join(keep[3:50])
    keep.append(big)
    keep.append(big[5:40])
    keep.append(big[3:4])
    keep.append(big[:])
    b = b'ab'
    keep.append(b * 3)
    keep.append(b * 0)
    keep.append(b + b'cd')
    return keep


def sizes(keep):
    import sys
    return [sys.getsizeof(x) for x in keep[:7]] + [sys.getsizeof(keep[-7]), sys.getsizeof(keep[-6])]
