"""5,000 generator objects (not started), one local each"""


def g():
    x = 1
    yield x


def run():
    keep = []
    for j in range(5000):
        keep.append(g())
    return keep
