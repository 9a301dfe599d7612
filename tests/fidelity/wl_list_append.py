"""one list grown by 100,000 appends, and 2,000 lists of 0 to 199 appends"""
N = 100000


def run():
    big = []
    for i in range(N):
        big.append(None)
    small = []
    for j in range(2000):
        l = []
        for i in range(j % 200):
            l.append(None)
        small.append(l)
    return big, small


def sizes(kept):
    import sys
    return [sys.getsizeof(kept[0]), sys.getsizeof(kept[1][150])]
