"""30,000 bytes objects of lengths 2 to 601 (b'x' * n)"""
N = 30000
X = b"x"


def run():
    keep = [None] * N
    for i in range(N):
        keep[i] = X * (2 + i % 600)
    return keep


def sizes(keep):
    import sys
    return [sys.getsizeof(keep[0]), sys.getsizeof(keep[599])]
