#!/usr/bin/env python3
"""test_pauses.py: memsim's simulated pauses against the real ones measured
on this project's machine (bench/pauses/cpython-3.X.tsv, written by
scripts/calibrate.py).

    python3 tests/fidelity/test_pauses.py build/memsim

Nothing is timed here: memsim's pauses are simulated, so they are the
same on every machine, and the real ones are the committed measurements.
For every profile with measurements, each held-out scenario (the pauses
of issue 16's table) must come within 25% of the real median; a change
to the object model or the collector that moves a pause off the real
one fails here.  The fitted scenarios are printed, not checked.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "..", "bench", "pauses"))
from scenarios import CHECK_MAX, SCENARIOS, read_measured, run_twin  # noqa: E402


def main():
    memsim = os.path.abspath(sys.argv[1])
    failed = checked = 0
    profiles = sorted((f[:-4] for f in os.listdir(os.path.join(HERE, "..", "..", "bench", "pauses"))
                      if f.startswith("cpython-") and f.endswith(".tsv")),
                      key=lambda p: [int(x) for x in p.split("-")[1].split(".")])
    if not profiles:
        print("FAIL: no measurements in bench/pauses/")
        return 1
    for profile in profiles:
        head, real = read_measured(profile)
        names = [n for n, _ in SCENARIOS if n in real]
        sim = run_twin(memsim, profile, [("profile", {})], names)["profile"]
        print("%s (%s)" % (profile, head[0] if head else "?"))
        for n in names:
            role, ns, steady = real[n]
            ratio = sim[n] / ns
            bad = role == "check" and abs(ratio - 1) > CHECK_MAX
            if role == "check":
                checked += 1
                failed += bad
            print("  %-5s %-22s real %12.0f  memsim %12.0f  ratio %5.2f%s%s" % (
                role, n, ns, sim[n], ratio, "" if steady else "  (unsteady)", "  FAIL" if bad else ""))
    print("%d held-out pauses checked, %d off by more than %d%%" % (checked, failed, 100 * CHECK_MAX))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
