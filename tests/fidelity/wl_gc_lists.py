"""the reference's GC count example: 100 lists, dropped (80 to the free list), 100 more; collector on"""
GC = True


def make():
    keep = []
    for i in range(100):
        keep.append([])
    return keep


def run():
    a = make()
    del a
    return make()
