"""floats made from values: arithmetic (a new float for each result, the
free list first), int / int, floats as dict keys and set members that
equal ints (1 and 1.0 are one key), and a temporary float added to.
3.12 on reuse a temporary float nothing else holds for the result
(BINARY_OP_ADD_FLOAT and its kin), which memsim does not model: there the
list is made without the temporary."""
import sys

REUSE = sys.version_info >= (3, 12)


def run():
    keep = []
    prices = {}
    total = 0.0
    for i in range(300):
        x = i * 0.5
        total = total + x
        prices[x] = i
    for i in range(100):
        prices[i] = -1.5
    s = set()
    for i in range(200):
        s.add(i / 4)
    for i in range(50):
        s.add(i)
    y = []
    for i in range(100):
        if REUSE:
            y.append(i * 0.5)
        else:
            y.append(i * 0.5 + 1.0)
    keep.append(total)
    keep.append(prices)
    keep.append(s)
    keep.append(y)
    return keep


def sizes(keep):
    import sys
    return [sys.getsizeof(x) for x in keep] + [len(keep[1]), len(keep[2])]
