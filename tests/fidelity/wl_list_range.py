"""list(range(n)): presized from len(), rounded up to an even capacity from 3.10"""


def run():
    keep = []
    for n in (0, 1, 5, 20, 300, 1000):
        keep.append(list(range(n)))
    return keep


def sizes(keep):
    import sys
    return [sys.getsizeof(x) for x in keep]
