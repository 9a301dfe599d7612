#!/usr/bin/env python3
"""bench_record.py: what recording costs, and how fast a replay is.

    python3 bench/bench_record.py [--runs N] [--python PATH]

For each program (tests/replay/programs, and bench/workloads/record_big.py
with about 10^7 allocator events), N times each and alternately: the
program under the real interpreter called directly, and the same under
`memsim record`.  Printed: the medians (min-max), the overhead (record /
direct), the trace's bytes per event, and `memsim replay` of the trace
(--format none) against the recorded run.  The targets of issue 12: at
most 3x the program's own time, at most 16 bytes an event, a replay
faster than the recorded run.
"""
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MEMSIM = os.path.join(ROOT, "build", "memsim")
PROGRAMS = [os.path.join(ROOT, "tests", "replay", "programs", p)
            for p in sorted(os.listdir(os.path.join(ROOT, "tests", "replay", "programs"))) if p.endswith(".py")]
PROGRAMS.append(os.path.join(ROOT, "bench", "workloads", "record_big.py"))
TRACE = "/tmp/memsim-bench-record.trace"


def timed(cmd):
    t = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), p.stderr))
    return wall, p.stderr


def fmt(v):
    return "%6.3f (%5.3f-%5.3f)" % (statistics.median(v), min(v), max(v))


def main():
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
    python = sys.argv[sys.argv.index("--python") + 1] if "--python" in sys.argv else sys.executable
    python = os.path.realpath(python)
    version = subprocess.run([python, "-c", "import platform; print(platform.python_version())"],
                             capture_output=True, text=True).stdout.strip()
    print(f"Python {version} ({python}), {runs} runs each, interleaved; seconds, median (min-max)")
    timed([MEMSIM, "record", "--python", python, "--out", TRACE, PROGRAMS[0]])    # builds the recorder once
    print("%-20s %10s %22s %22s %9s %8s %22s %8s" % ("program", "events", "direct", "memsim record",
                                                    "overhead", "B/event", "memsim replay", "replay/rec"))
    ratios = []
    for prog in PROGRAMS:
        direct, rec, rep = [], [], []
        events = size = 0
        for _ in range(runs):
            direct.append(timed([python, prog])[0])
            w, err = timed([MEMSIM, "record", "--python", python, "--out", TRACE, prog])
            rec.append(w)
            m = re.search(r"memsim record: (\d+) events", err)
            events = int(m.group(1))
            size = os.path.getsize(TRACE)
            rep.append(timed([MEMSIM, "replay", TRACE, "--format", "none", "--quiet",
                              "--out", "/tmp/memsim-bench-replay"])[0])
        ratio = statistics.median(rec) / statistics.median(direct)
        ratios.append(ratio)
        print("%-20s %10d %22s %22s %8.2fx %8.1f %22s %7.2fx" % (
            os.path.basename(prog)[:-3], events, fmt(direct), fmt(rec), ratio, size / events, fmt(rep),
            statistics.median(rep) / statistics.median(rec)))
    print("geometric mean of the overheads: %.2fx" % statistics.geometric_mean(ratios))
    os.unlink(TRACE)


main()
