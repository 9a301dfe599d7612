"""100,000 floats kept in a preallocated list"""
N = 100000


def run():
    keep = [None] * N
    for i in range(N):
        keep[i] = i + 0.5
    return keep


def sizes(keep):
    import sys
    return [sys.getsizeof(keep[0]), sys.getsizeof(keep)]
