"""obj.__dict__ and vars(obj): 3.9 and 3.10 hand back the split dict the
instance has (or make one); 3.11 on make a dict of the instance's values
(the array handed over, not copied; 3.13: left inside the object),
tracked when a value may be; attributes set, replaced and deleted
through it afterwards, a new name joining the class's shared keys, and
an instance whose names outgrow them turning its dict combined.  The
last two only from 3.11: on 3.9 and 3.10 a deletion or a growth turns a
split dict combined and changes the class's shared keys for every later
instance, which memsim does not model yet (README, "Does it match")"""
import sys

SHARED_VALUES = sys.version_info >= (3, 11)


class P:
    pass


class R:
    pass


NAMES = ("a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10", "a11", "a12", "a13", "a14", "a15", "a16", "a17", "a18", "a19", "a20", "a21", "a22", "a23", "a24", "a25", "a26", "a27", "a28", "a29", "a30", "a31", "a32", "a33")


def run():
    keep = []
    ps = []
    for i in range(200):
        p = P()
        p.x = i * 1000
        p.y = [i]
        ps.append(p)
    for i in range(100):
        keep.append(ps[2 * i].__dict__)
    for i in range(100):
        p = ps[2 * i]
        p.x = i * 1000 + 7
        p.z = i * 1000
        if SHARED_VALUES:
            del p.y
    keep.append(vars(ps[1]))
    r = R()
    d = r.__dict__
    for k in range(34 if SHARED_VALUES else 3):
        setattr(r, NAMES[k], k * 1000)
    keep.append(d)
    keep.append(ps)
    keep.append(r)
    return keep


def sizes(keep):
    import sys
    return [sys.getsizeof(keep[0]), sys.getsizeof(keep[1]), sys.getsizeof(keep[100]),
            sys.getsizeof(keep[101]), len(keep[0]), len(keep[100]), len(keep[101])]
