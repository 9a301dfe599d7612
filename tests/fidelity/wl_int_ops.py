"""int arithmetic: medium results sized exactly; x_add's block one digit
longer than its result; x_sub back to a small int; x_mul; left shifts past
a digit; i += 1 on big ints"""
BIG = 1099511627776         # 2**40: two digits
M = 1000
NBIG = -1099511627776


def run():
    keep = []
    for i in range(100):
        keep.append(i * M + M)          # medium: exact sizes
        keep.append(BIG + i)            # x_add: 3 digits allocated, 2 kept
        keep.append((BIG + i) - BIG)    # x_sub to a small int: its block made and freed
        keep.append(BIG * (i + 3))      # x_mul: 3 digits allocated
        keep.append(1 << (i % 50 + 20)) # lshift: past 30 bits, a digit more
        keep.append(NBIG - i)           # x_add of two negatives
    x = BIG
    for i in range(300):
        x += 1                          # a new int each time, the old one freed
    keep.append(x)
    return keep


def sizes(keep):
    import sys
    return [sys.getsizeof(x) for x in keep[:12]] + [sys.getsizeof(keep[-1])]
