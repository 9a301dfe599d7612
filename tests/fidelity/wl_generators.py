"""5,000 generator objects (not started), one local each"""

# The versions whose objects memsim does not model yet for this workload
# (compare.py reports them, and fails if one matches after all).
NOT_MODELLED = {
    "cpython-3.9": "3.9 and 3.10 generators keep a separate frame object (a second allocation), 3.11's are one object",
    "cpython-3.10": "3.9 and 3.10 generators keep a separate frame object (a second allocation), 3.11's are one object",
}


def g():
    x = 1
    yield x


def run():
    keep = []
    for j in range(5000):
        keep.append(g())
    return keep
