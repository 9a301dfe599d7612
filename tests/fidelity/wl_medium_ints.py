"""100,000 medium ints (i + 100000), kept"""
N = 100000


def run():
    keep = [None] * N
    for i in range(N):
        keep[i] = i + 100000
    return keep


def sizes(keep):
    import sys
    return [sys.getsizeof(keep[5])]
