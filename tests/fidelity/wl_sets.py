"""2,000 sets of 5 small ints (table 8 -> 32 slots), and one set of 20,000 ints"""


def run():
    keep = []
    for j in range(2000):
        s = set()
        for k in range(5):
            s.add(k)
        keep.append(s)
    big = set()
    for i in range(20000):
        big.add(i)
    keep.append(big)
    return keep


def sizes(keep):
    import sys
    return [sys.getsizeof(keep[0]), sys.getsizeof(keep[-1])]
