"""scenarios.py: the pause scenarios, and memsim's run of them.

Shared by scripts/calibrate.py (which measures and fits them),
tests/fidelity/test_pauses.py (which checks memsim against the committed
measurements) and bench/bench.py (which measures the real pauses again
and prints the table).  probe.py runs a scenario under CPython, twin.lua
under memsim; a scenario is named KIND_N (probe.py lists the kinds).
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PROBE = os.path.join(HERE, "probe.py")
TWIN = os.path.join(HERE, "twin.lua")

# (name, role): "fit" scenarios determine the costs, "check" ones are held
# out and must come within 25% (the pauses of issue 16's table), "show"
# ones are held out and only shown: what the model does not capture (none
# now: the linked list, shown until its destructors deep in the stack got
# a cost of their own, dealloc_deep, is checked)
SCENARIOS = [
    ("gc0_300", "fit"), ("gc0_2000", "fit"), ("gc0_5000", "fit"), ("gc0_700", "check"),
    ("auto0_200000", "check"), ("auto1_200000", "check"), ("gc1_7700", "check"),
    ("full_0", "fit"), ("full_10000", "fit"), ("full_30000", "fit"), ("full_300000", "fit"), ("full_2000000", "fit"),
    ("full_150000", "fit"), ("fullwide_20000", "fit"), ("gc0wide_2000", "fit"),
    ("full_100000", "check"), ("full_1000000", "check"),
] + [("dealloc_%s_%d" % (t, n), "fit") for t in ("float", "int", "list", "tuple", "str", "dict", "object")
     for n in (30000, 300000)] + [
    ("dealloc_int_100000", "fit"), ("dealloc_tuple_100000", "fit"), ("dealloc_str_100000", "fit"),
    ("dealloc_dict_100000", "fit"), ("dealloc_float_1000000", "fit"), ("dealloc_int_1000000", "fit"),
    ("dealloc_list_1000000", "fit"),
    ("chain_30000", "fit"), ("chain_300000", "fit"),
    ("dealloc_float_100000", "check"), ("dealloc_list_100000", "check"), ("chain_100000", "check"),
]
CHECK_MAX = 0.25
SPREAD_MAX = 0.10     # a median known to 10% (its 95% confidence interval's half-width)
TRIES = 5             # measurements of an unsteady scenario, each with more rounds
PROCESSES = 3         # the rounds of a measurement are split over this many interpreters

# what each held-out scenario is, in words (the tables)
TITLES = {
    "gc0_700": "gen-0, 700 new one-item lists (explicit)",
    "auto0_200000": "gen-0, automatic, while 200k lists are built",
    "auto1_200000": "gen-1, automatic, while 200k lists are built",
    "gc1_7700": "gen-1, 7,700 objects (explicit)",
    "full_100000": "full, 10^5 one-item lists",
    "full_1000000": "full, 10^6 one-item lists",
    "dealloc_float_100000": "dealloc cascade, 10^5 floats",
    "dealloc_list_100000": "dealloc cascade, 10^5 one-item lists",
    "chain_100000": "dealloc cascade, a 10^5-node linked list",
}


def kind_of(name):
    return name.rsplit("_", 1)[0]


def size_of(name):
    return int(name.rsplit("_", 1)[1])


def is_gc(name):
    """a collection's pause (else a deallocation cascade's)"""
    return not (kind_of(name).startswith("dealloc_") or kind_of(name) == "chain")


def run_twin(memsim, profile, vectors, names):
    """{vector name: {scenario: simulated pause ns}}: each scenario under
    PROFILE once per (name, {cost: ns}) of VECTORS ({} for the profile's own)"""
    def lua(costs):
        return "{" + ", ".join("%s = %r" % (k, float(x)) for k, x in sorted(costs.items())) + "}"
    head = ["PROFILE = %s" % json.dumps(profile),
            "SCENARIOS = {" + ", ".join('{"%s", "%s", %d}' % (n, kind_of(n), size_of(n)) for n in names) + "}",
            "VECTORS = {" + ", ".join('{"%s", %s}' % (k, lua(c)) for k, c in vectors) + "}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write("\n".join(head) + "\n" + open(TWIN).read())
        path = f.name
    try:
        env = dict(os.environ, MEMSIM_SCRIPTS=os.path.join(ROOT, "scripts"))
        out = subprocess.run([memsim, "run", path], capture_output=True, text=True, env=env)
    finally:
        os.unlink(path)
    if out.returncode != 0:
        raise RuntimeError("the twin failed under memsim:\n%s%s" % (out.stdout, out.stderr))
    res = {}
    for line in out.stdout.splitlines():
        v, name, p = line.split("\t")
        res.setdefault(v, {})[name] = float(p)
    return res


def read_measured(profile):
    """(header lines, {scenario: (role, real ns, steady)}) of bench/pauses/PROFILE.tsv, or None"""
    path = os.path.join(HERE, profile + ".tsv")
    if not os.path.exists(path):
        return None
    head, rows = [], {}
    for line in open(path):
        if line.startswith("#"):
            head.append(line[1:].strip())
            continue
        cells = line.rstrip("\n").split("\t")
        if cells[0] == "scenario":
            continue
        rows[cells[0]] = (cells[1], float(cells[2]), cells[4] == "1")
    return head, rows


def spread(samples):
    """the half-width of the 95% confidence interval of the median (ranks
    n/2 -+ 0.98 sqrt(n), by order statistics), over the median"""
    s = sorted(samples)
    n = len(s)
    half = 0.98 * n ** 0.5
    lo, hi = max(0, int(n / 2 - half)), min(n - 1, int(n / 2 + half + 0.999))
    m = statistics.median(s)
    return (s[hi] - s[lo]) / 2 / m if m else 0.0


def probe_env():
    return {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"), "PYTHONHASHSEED": "0",
            "LC_ALL": "C.UTF-8"}


def measure(python, names, rounds):
    """{name: (median ns, spread, samples)}; a steady spread or the last try's."""
    best = {}
    todo = list(names)
    for attempt in range(TRIES):
        if not todo:
            break
        # the rounds split over PROCESSES interpreters (a process's heap can
        # sit well or badly in the caches for all its rounds), and each try
        # has more rounds than the last: the interval narrows as their root
        n = rounds * (attempt + 1)
        print("  measuring %d scenarios, %d rounds in %d processes%s" % (
            len(todo), n, PROCESSES, " (again)" if attempt else ""), flush=True)
        got = {name: [] for name in todo}
        for k in range(PROCESSES):
            share = n // PROCESSES + (k < n % PROCESSES)
            out = subprocess.run([python, PROBE, str(share), ",".join(todo)], capture_output=True, text=True,
                                 env=probe_env())
            if out.returncode != 0:
                sys.exit("the probe failed under %s:\n%s" % (python, out.stderr))
            for name, samples in json.loads(out.stdout).items():
                got[name].extend(samples)
        for name in todo:
            m = (statistics.median(got[name]), spread(got[name]), got[name])
            if name not in best or m[1] < best[name][1]:
                best[name] = m
        todo = [n for n in todo if best[n][1] > SPREAD_MAX]
    return best
