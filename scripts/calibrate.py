#!/usr/bin/env python3
"""calibrate.py: fit memsim's pause model to the pauses of real CPython.

    python3 scripts/calibrate.py [--versions 3.11,3.12] [--rounds N] [--dry-run]

For each installed interpreter (3.9 to 3.13, found as tests/fidelity
finds them) and its profile cpython-3.X:

 1. measure: bench/pauses/probe.py runs every scenario of bench/pauses/scenarios.py
    under the real interpreter, ROUNDS times (default 15), the scenarios
    interleaved, in three processes (a third of the rounds each).  A
    scenario's figure is the median of its samples; its
    spread is how far that median is known: the half-width of its 95%
    confidence interval over the median.  A scenario whose spread is past
    10% is measured again (four times at most, each in a new process with
    ROUNDS more rounds than the last: on this machine a pause near a
    cache's size is steady in one process and spread by 30% in the next);
    if it stays past 10% it
    is rejected: left out of the fit, and a held-out one fails the
    calibration.
 2. fit: the simulated pause is linear in the costs (profile.h), so
    bench/pauses/twin.lua runs each scenario in memsim once with the
    fitted costs at 0 and once per cost with that cost alone at 100 ns;
    their differences are the columns of a least-squares problem, solved
    for non-negative costs that minimise the relative error over the
    scenarios whose role is "fit".  The collector's costs come from the
    collection scenarios, the destructors' from the cascades.
 3. validate: the twin runs again with the fitted costs; every scenario
    whose role is "check" (held out: the issue's table) must be within
    25% of the real pause, or the calibration fails (exit 1) and writes
    nothing.
 4. write: the costs into sim/profiles/cpython-3.X.profile (the block
    from "# the pause model" to the end of the file) and the measured
    medians with the machine they were measured on into
    bench/pauses/cpython-3.X.tsv, which tests/cli/test_pauses.py and
    bench/bench.py compare memsim with.

--dry-run measures, fits and prints, and writes nothing.  Needs
build/memsim.
"""
import datetime
import os
import platform
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MEMSIM = os.path.join(ROOT, "build", "memsim")
sys.path.insert(0, os.path.join(ROOT, "tests", "fidelity"))
sys.path.insert(0, os.path.join(ROOT, "bench", "pauses"))
import pythons  # noqa: E402
from scenarios import CHECK_MAX, SCENARIOS, SPREAD_MAX, is_gc, measure, run_twin  # noqa: E402

GC_COSTS = ["gc_fixed", "gc_object_1m", "gc_object_4m", "gc_object_8m", "gc_object_16m", "gc_object_32m",
            "gc_object_64m", "gc_edge", "gc_startup_object"]
DEALLOC_COSTS = ["dealloc_float", "dealloc_int", "dealloc_list", "dealloc_tuple", "dealloc_str",
                 "dealloc_dict", "dealloc_object", "dealloc_miss_4m", "dealloc_miss_8m", "dealloc_miss_16m",
                 "dealloc_miss_32m", "dealloc_miss_64m", "dealloc_deep"]
# Not separable by timing a cascade from the destructors (every object of
# a type frees the same blocks): pymalloc's fast free is a handful of
# instructions, and is fixed here
FIXED = {"free_fast": 2}
UNIT = 100.0


def machine():
    model = platform.processor() or "unknown cpu"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    caches = []
    for index in (2, 3):
        try:
            size = open("/sys/devices/system/cpu/cpu0/cache/index%d/size" % index).read().strip()
            caches.append("L%d %s" % (index, size))
        except OSError:
            pass
    return "%s, %d cores, %s, Linux %s" % (model, os.cpu_count() or 1, ", ".join(caches) or "caches unknown",
                                          platform.release())


def twin(profile, vectors, names):
    try:
        return run_twin(MEMSIM, profile, vectors, names)
    except RuntimeError as e:
        sys.exit("calibrate.py: %s" % e)


def solve(a, b):
    """least squares a x = b (normal equations, Gaussian elimination)"""
    n = len(a[0])
    m = [[sum(r[i] * r[j] for r in a) for j in range(n)] + [sum(r[i] * y for r, y in zip(a, b))]
         for i in range(n)]
    for i in range(n):
        m[i][i] += 1e-12 * (1 + m[i][i])
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        if abs(m[c][c]) < 1e-300:
            continue
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c])]
    return [m[i][n] / m[i][i] if abs(m[i][i]) > 1e-300 else 0.0 for i in range(n)]


def fit(costs, rows):
    """non-negative costs minimising the relative error over ROWS: [(real, base, {cost: coefficient})]"""
    free = list(costs)
    while True:
        a = [[r[2][c] / r[0] for c in free] for r in rows]
        b = [(r[0] - r[1]) / r[0] for r in rows]
        x = dict(zip(free, solve(a, b))) if free else {}
        worst = min(free, key=lambda c: x[c]) if free else None
        if worst is None or x[worst] >= 0:
            return {c: x.get(c, 0.0) for c in costs}
        free.remove(worst)


def fmt_cost(name, v):
    """whole nanoseconds for the costs kept as such, else two decimals (1/256 ns kept)"""
    return "%d" % round(v) if name in ("gc_fixed", "free_fast") else "%.2f" % v


def calibrate(minor, python, version, rounds, dry):
    profile = "cpython-%s" % minor
    print("%s: CPython %s (%s)" % (profile, version, python), flush=True)
    names = [n for n, _ in SCENARIOS]
    role = dict(SCENARIOS)
    real = measure(python, names, rounds)
    steady = {n for n in names if real[n][1] <= SPREAD_MAX}
    for n in names:
        if n not in steady:
            print("  rejected: %s spread %.0f%% after every try" % (n, 100 * real[n][1]))
    zero = dict(FIXED, **{c: 0 for c in GC_COSTS + DEALLOC_COSTS})
    vectors = [("zero", zero)] + [(c, dict(zero, **{c: UNIT})) for c in GC_COSTS + DEALLOC_COSTS]
    # the collector's costs move only collections, the destructors' only cascades
    gc_names = [n for n in names if is_gc(n)]
    dealloc_names = [n for n in names if not is_gc(n)]
    sim = twin(profile, [vectors[0]] + [v for v in vectors if v[0] in GC_COSTS], gc_names)
    for v, got in twin(profile, [vectors[0]] + [v for v in vectors if v[0] in DEALLOC_COSTS],
                       dealloc_names).items():
        sim.setdefault(v, {}).update(got)
    fitted = dict(FIXED)
    for costs, pick in ((GC_COSTS, is_gc), (DEALLOC_COSTS, lambda n: not is_gc(n))):
        rows = [(real[n][0], sim["zero"][n], {c: (sim[c][n] - sim["zero"][n]) / UNIT for c in costs})
                for n in names if pick(n) and role[n] == "fit" and n in steady]
        fitted.update(fit(costs, rows))
    # a type without a measured destructor: the middle of the measured ones
    fitted["dealloc_other"] = statistics.median(fitted[c] for c in DEALLOC_COSTS[:7])
    final = {c: float(fmt_cost(c, v)) for c, v in fitted.items()}
    result = twin(profile, [("fitted", final)], names)["fitted"]
    print("  %-22s %-5s %12s %7s %12s %6s" % ("scenario", "role", "real ns", "spread", "memsim ns", "ratio"))
    failed = []
    for n in names:
        ratio = result[n] / real[n][0]
        bad = role[n] == "check" and (n not in steady or abs(ratio - 1) > CHECK_MAX)
        if bad:
            failed.append(n)
        print("  %-22s %-5s %12.0f %6.1f%% %12.0f %6.2f%s" % (n, role[n], real[n][0], 100 * real[n][1],
                                                            result[n], ratio, "  <- off" if bad else ""))
    print("  costs: " + ", ".join("%s %s" % (c, fmt_cost(c, final[c])) for c in sorted(final)))
    if failed:
        print("  FAILED: %d held-out pauses off by more than %d%% or unsteady: %s"
              % (len(failed), 100 * CHECK_MAX, ", ".join(failed)))
        return False
    if dry:
        return True
    where = machine()
    day = datetime.date.today().isoformat()
    path = os.path.join(ROOT, "sim", "profiles", profile + ".profile")
    text = open(path).read()
    cut = text.find("# the pause model")
    if cut < 0:
        cut = len(text)
    block = ["# the pause model (profile.h), fitted by scripts/calibrate.py to CPython %s" % version,
             "# on %s, %s (bench/pauses/%s.tsv)" % (where, day, profile)]
    for c in ["free_fast"] + GC_COSTS + DEALLOC_COSTS[:7] + ["dealloc_other"] + DEALLOC_COSTS[7:]:
        block.append("%-22s %s" % ("cost." + c, fmt_cost(c, final[c])))
    with open(path, "w") as f:
        f.write(text[:cut].rstrip("\n") + "\n\n" + "\n".join(block) + "\n")
    tsv = os.path.join(ROOT, "bench", "pauses", profile + ".tsv")
    os.makedirs(os.path.dirname(tsv), exist_ok=True)
    with open(tsv, "w") as f:
        f.write("# pauses of CPython %s measured by scripts/calibrate.py, %s\n" % (version, day))
        f.write("# machine: %s\n" % where)
        f.write("# %d interleaved rounds (more for a scenario measured again); the median, and the\n"
                "# half-width of its 95%% confidence interval; a sample of a scenario of at most 200,000\n"
                "# objects is the median of 5 runs (bench/pauses/probe.py)\n" % rounds)
        f.write("scenario\trole\treal_ns\tspread_pct\tsteady\trounds\n")
        for n in names:
            f.write("%s\t%s\t%.0f\t%.1f\t%d\t%d\n" % (n, role[n], real[n][0], 100 * real[n][1], n in steady,
                                                 len(real[n][2])))
    print("  wrote %s and %s" % (os.path.relpath(path, ROOT), os.path.relpath(tsv, ROOT)))
    return True


def main():
    args = sys.argv[1:]
    if "-h" in args or "--help" in args:
        print(__doc__)
        return 0
    rounds, want, dry = 15, None, "--dry-run" in args
    if "--rounds" in args:
        rounds = int(args[args.index("--rounds") + 1])
    if "--versions" in args:
        want = args[args.index("--versions") + 1].split(",")
    if not os.access(MEMSIM, os.X_OK):
        sys.exit("calibrate.py: build memsim first (cmake --build build)")
    found = dict(pythons.interpreters("3.%d" % sys.version_info[1], sys.executable))
    versions = {m: v for m, (_, v) in pythons.pyenv_interpreters().items()}
    ok = True
    for minor, exe in sorted(found.items(), key=lambda kv: int(kv[0].split(".")[1])):
        if want and minor not in want:
            continue
        version = versions.get(minor) or subprocess.run(
            [exe, "-c", "import platform; print(platform.python_version())"], capture_output=True,
            text=True).stdout.strip()
        ok = calibrate(minor, os.path.realpath(exe), version, rounds, dry) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
