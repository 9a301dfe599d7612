"""2,000 dicts of 12 str keys (resizes 8 -> 16 -> 32), and one dict of 20,000 int keys"""

# The versions whose objects memsim does not model yet for this workload
# (compare.py reports them, and fails if one matches after all).
NOT_MODELLED = {
    "cpython-3.9": "3.9 and 3.10 dicts keep 24-byte entries with hashes in a different table layout: getsizeof of a 12-key dict is 640, memsim's (3.11 layout) 464",
    "cpython-3.10": "3.9 and 3.10 dicts keep 24-byte entries with hashes in a different table layout: getsizeof of a 12-key dict is 640, memsim's (3.11 layout) 464",
}
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
