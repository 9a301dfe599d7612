"""50,000 small ints (i % 200): the cache, no allocation for them"""
N = 50000


def run():
    keep = [None] * N
    for i in range(N):
        keep[i] = i % 200
    return keep
