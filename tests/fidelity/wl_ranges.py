"""one range and 2,000 iterators over it, kept: a range iterator is 48 bytes in 3.11 (index, start, step, len)"""


def run():
    r = range(1000)
    keep = [r]
    for i in range(2000):
        keep.append(iter(r))
    return keep


def sizes(keep):
    import sys
    return [sys.getsizeof(keep[0]), sys.getsizeof(keep[1])]
