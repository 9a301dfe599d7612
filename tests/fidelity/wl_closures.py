"""cells and closures, bound methods taken as values, __slots__ instances,
dict iterators (of the dict and of its views) and set iterators"""


class P:
    __slots__ = ('x', 'y')


class C:
    def m(self):
        pass


def make(v):
    def get():
        return v
    return get


def run():
    keep = []
    for i in range(200):
        keep.append(make(i))            # a cell, the closure tuple, the function
    for i in range(200):
        p = P()
        p.x = i
        p.y = keep
        keep.append(p)
    c = C()
    for i in range(200):
        keep.append(c.m)                # a bound method each time
    d = {1: 2, 3: 4}
    s = {1, 2}
    for i in range(100):
        keep.append(iter(d))
        keep.append(iter(d.items()))    # the view made and dropped; the result tuple kept
        keep.append(iter(d.values()))
        keep.append(iter(s))
    return keep


def sizes(keep):
    import sys
    f = keep[0]
    return [sys.getsizeof(f), sys.getsizeof(f.__closure__[0]), sys.getsizeof(keep[200]),
            sys.getsizeof(keep[400]), sys.getsizeof(keep[600]), sys.getsizeof(keep[601]),
            sys.getsizeof(keep[603])]
