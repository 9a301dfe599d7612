"""20 instances of a plain class with 3 attributes (3.11 values arrays shrink as instances are made)"""
# The instances go into a list made at import: a list made inside the
# workload sometimes comes off the free list in real runs (something of the
# interpreter's own frees one there first), which would make the count of
# new 64-byte blocks vary by one.  Twenty instances keep the class's
# shared keys above 3 usable slots: past that, real runs sometimes made one
# 56-byte values array fewer (seen in about 1 run in 5, not yet explained).
NUM = 20
KEEP = []


class C:
    pass


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
