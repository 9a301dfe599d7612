"""str() of floats: float_repr's shortest digits, exponents below 1e-4 and
from 1e16, PyOS_double_to_string's buffer made and freed around the str,
through f"{x}" (float.__format__, a bound method made and dropped around
the call) and "%s" % x.  (The call str(x) itself is left out: 3.11's first
call at a new site takes a 1-tuple that memsim does not model.)"""
V = (3.14159, 1e22, -0.0001, 0.1, 2.5e-10, 1e16, 123456.789)


def run():
    keep = []
    for i in range(200):
        x = V[i % 7] * (i + 1)
        keep.append(f"{x}")
        keep.append("%s" % x)
        keep.append(f"v={x}!")
    return keep


def sizes(keep):
    import sys
    return [sys.getsizeof(s) for s in keep[:21]]
