#!/usr/bin/env python3
"""bench.py: memsim against python3 on the same workloads, side by side.

    python3 bench/bench.py [--runs N] [--only TEXT] [--pauses]

Each workload runs N times (default 5) as a whole process, memsim and
python3 alternately; printed: median, min and max wall time, peak RSS, and
the ratio memsim / python3 of the medians (--only: the workloads whose
name holds TEXT, and nothing else).  Then the core's own figures
(build/bench/bench_core), memory per live object (10^7 objects), and the
scaling run (bench/scaling.lua), whose plot memsim itself draws.

Last, the pauses (--pauses: only them): for every installed interpreter
whose profile has a fitted pause model (bench/pauses/cpython-3.X.tsv),
the held-out pauses of bench/pauses/scenarios.py measured again now, as
scripts/calibrate.py measures them, and simulated by memsim, and their
ratio; within 0.75-1.25 is the target.
"""
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MEMSIM = os.path.join(ROOT, "build", "memsim")
W = os.path.join(ROOT, "bench", "workloads")
sys.path.insert(0, os.path.join(ROOT, "bench", "pauses"))
sys.path.insert(0, os.path.join(ROOT, "tests", "fidelity"))
import pythons  # noqa: E402
from scenarios import CHECK_MAX, SCENARIOS, TITLES, measure, read_measured, run_twin  # noqa: E402

PAIRS = [
    ("gen_vs_list n=10^6 (both runs)",
     [MEMSIM, "run", os.path.join(ROOT, "experiments", "gen_vs_list.lua"), "--n=1000000",
      "--format", "none", "--quiet", "--out", "/tmp/memsim-bench-gvl"],
     [sys.executable, os.path.join(W, "gen_vs_list.py")]),
    ("10^6 floats in a list", [MEMSIM, "run", os.path.join(W, "floats.lua")],
     [sys.executable, os.path.join(W, "floats.py")]),
    ("10^6 one-item lists, GC on", [MEMSIM, "run", os.path.join(W, "lists.lua")],
     [sys.executable, os.path.join(W, "lists.py")]),
    ("dict 300k ints, half deleted", [MEMSIM, "run", os.path.join(W, "dict_deletes.lua")],
     [sys.executable, os.path.join(W, "dict_deletes.py")]),
    ("200k instance cycles, GC on", [MEMSIM, "run", os.path.join(W, "cycles.lua")],
     [sys.executable, os.path.join(W, "cycles.py")]),
]


def timed(cmd):
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    if status != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), p.stderr.read().decode()))
    return wall, ru.ru_maxrss * 1024


def fmt(vals):
    return "%6.3f (%5.3f-%5.3f)" % (statistics.median(vals), min(vals), max(vals))


def pauses():
    """the held-out pauses, real (measured now) against memsim's"""
    roles = dict(SCENARIOS)
    names = [n for n, role in SCENARIOS if role in ("check", "show")]
    found = pythons.interpreters("3.%d" % sys.version_info[1], sys.executable)
    print("pauses: real CPython measured now as scripts/calibrate.py measures (every scenario, 15")
    print("interleaved rounds in 3 processes, medians) and memsim (simulated)")
    for minor, exe in found:
        profile = "cpython-" + minor
        if read_measured(profile) is None:
            print("  %s: no fitted pause model (scripts/calibrate.py)" % profile)
            continue
        # all of them, in the calibration's order: a pause near a cache's size
        # depends on what the heap went through before it
        real = {k: v[0] for k, v in measure(exe, [n for n, _ in SCENARIOS], 15).items()}
        sim = run_twin(MEMSIM, profile, [("profile", {})], names)["profile"]
        print("  %s (%s)" % (profile, os.path.realpath(exe)))
        print("    %-46s %12s %12s %6s" % ("pause", "real us", "memsim us", "ratio"))
        for n in names:
            r = sim[n] / real[n]
            note = "" if abs(r - 1) <= CHECK_MAX else "  (outside 25%)"
            if roles[n] == "show":
                note = "  (shown, not a target)"
            print("    %-46s %12.1f %12.1f %6.2f%s" % (TITLES[n], real[n] / 1e3, sim[n] / 1e3, r, note))


def main():
    if "-h" in sys.argv or "--help" in sys.argv:
        print(__doc__)
        return
    if "--pauses" in sys.argv:
        pauses()
        return
    runs = 5
    if "--runs" in sys.argv:
        runs = int(sys.argv[sys.argv.index("--runs") + 1])
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    env_path = os.path.join(ROOT, "scripts")
    os.environ["MEMSIM_SCRIPTS"] = env_path
    print("workload                          memsim s (min-max)     python3 s (min-max)    ratio   RSS memsim  RSS python3")
    for name, m, p in PAIRS:
        if only is not None and only not in name:
            continue
        mt, pt, mr, pr = [], [], [], []
        for _ in range(runs):
            w, r = timed(m)
            mt.append(w); mr.append(r)
            w, r = timed(p)
            pt.append(w); pr.append(r)
        print("%-33s %s   %s   %5.2f   %7.1f MiB  %7.1f MiB" % (
            name, fmt(mt), fmt(pt), statistics.median(mt) / statistics.median(pt),
            max(mr) / 2**20, max(pr) / 2**20))
    if only is not None:
        return
    print()
    core = subprocess.run([os.path.join(ROOT, "build", "bench", "bench_core")], capture_output=True,
                          text=True, check=True)
    print(core.stdout)
    # memory per live object: 10^7 ints alive at once
    script = ("local sim = memsim.new{}\nlocal l = sim:new('list')\n"
              "local last = sim:append_range(l, 1000, 1000 + 10000000)\n"
              "local f = io.open('/proc/self/status'); local s = f:read('a'); f:close()\n"
              "print(s:match('VmHWM:%s*(%d+)'))\n")
    path = "/tmp/memsim-bench-mem.lua"
    with open(path, "w") as f:
        f.write(script)
    out = subprocess.run([MEMSIM, "run", path], capture_output=True, text=True, check=True)
    hwm = int(out.stdout.split()[-1]) * 1024
    print("10^7 live objects: peak RSS %.0f MiB, %.1f bytes of host memory per simulated object (issue 16: <= 40)"
          % (hwm / 2**20, hwm / 1e7))
    # 10^8 events keep more than the default 2 GiB of host memory live: ask for more
    out = subprocess.run([MEMSIM, "run", os.path.join(ROOT, "bench", "scaling.lua"), "--out",
                          os.path.join(ROOT, "results", "scaling"), "--quiet",
                          "--host-memory-limit", "16G"],
                         capture_output=True, text=True, check=True)
    print("\nscaling (bench/scaling.lua):")
    for line in open(os.path.join(ROOT, "results", "scaling", "sweep-per_event-churn.tsv")):
        cells = line.rstrip("\n").split("\t")
        if cells[0] == "run":
            header = cells
            continue
        row = dict(zip(header, cells))
        print("  churn  %12s events  %8.3f s  %6.1f ns/event" % (row["events"], float(row["wall_s"]),
                                                                float(row["ns_per_event"])))
    print("plots: results/scaling/wall.png, results/scaling/per_event.png")
    print()
    pauses()


if __name__ == "__main__":
    main()
