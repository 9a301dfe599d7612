"""2,000 dicts of 12 str keys (resizes 8 -> 16 -> 32), and one dict of 20,000 int keys"""
KEYS = ["k%d" % i for i in range(12)]


def run():
    keep = []
    for j in range(2000):
        d = {}
        for k in KEYS:
            d[k] = None
        keep.append(d)
    big = {}
    for i in range(20000):
        big[i] = None
    keep.append(big)
    return keep


def sizes(keep):
    import sys
    return [sys.getsizeof(keep[0]), sys.getsizeof(keep[-1])]
