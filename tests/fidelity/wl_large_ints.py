"""20,000 large ints ((1 << 62) + i): x_add allocates one digit more than it keeps"""
N = 20000
BIG = 1 << 62


def run():
    keep = [None] * N
    for i in range(N):
        keep[i] = BIG + i
    return keep
