"""tuples of 1 to 25 items, 100 of each: made, dropped, made again (the size-20 free list is never reused)"""
T1 = (None,)


def batch():
    keep = []
    for k in range(2, 26):
        for j in range(100):
            keep.append(T1 * k)
    v = None
    for j in range(100):
        keep.append((v,))
    return keep


def run():
    first = batch()
    del first
    return batch()


def sizes(keep):
    import sys
    return [sys.getsizeof(keep[0]), sys.getsizeof(keep[-1])]
