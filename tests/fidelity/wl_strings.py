"""30,000 ASCII strings of lengths 2 to 301 ('x' * n)"""
N = 30000
X = "x"


def run():
    keep = [None] * N
    for i in range(N):
        keep[i] = X * (2 + i % 300)
    return keep


def sizes(keep):
    import sys
    return [sys.getsizeof(keep[0]), sys.getsizeof(keep[299])]
