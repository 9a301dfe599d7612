"""50,000 small ints (i % 200): the cache, no allocation for them"""
N = 50000


def sizes(keep):
    import sys
    return [sys.getsizeof(0), sys.getsizeof(keep[1]), sys.getsizeof(keep[0])]


def run():
    keep = [None] * N
    for i in range(N):
        keep[i] = i % 200
    return keep
