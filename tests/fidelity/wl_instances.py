"""2,000 instances of a plain class with 3 attributes (3.11 values arrays shrink as instances are made)"""
# The instances go into a list made at import: a list made inside the
# workload sometimes comes off the free list in real runs (something of the
# interpreter's own frees one there first), which would make the count of
# new 64-byte blocks vary by one.  warm() sets the attributes once before the
# snapshots: the interpreter's type attribute cache takes its entries then
# (an entry it evicts can free a cached name string, a 64-byte block, which
# memsim does not model), as in a program that has been running a while.
NUM = 2000
KEEP = []


class C:
    pass


def warm():
    o = C()
    o.a = None
    o.b = None
    o.c = None


def run():
    for j in range(NUM):
        o = C()
        o.a = None
        o.b = None
        o.c = None
        KEEP.append(o)
    return KEEP


def sizes(keep):
    import sys
    return [sys.getsizeof(keep[0])]
