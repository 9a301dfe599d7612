"""20 instances of a plain class with 3 attributes (3.11 values arrays shrink as instances are made)"""


NUM = 20


class C:
    pass


def run():
    keep = []
    for j in range(NUM):
        o = C()
        o.a = None
        o.b = None
        o.c = None
        keep.append(o)
    return keep


def sizes(keep):
    import sys
    return [sys.getsizeof(keep[0])]
