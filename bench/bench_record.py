#!/usr/bin/env python3
"""bench_record.py: what recording costs, and how fast a replay is.

    python3 bench/bench_record.py [--runs N] [--python PATH] [--scaling]

For each program (tests/replay/programs, and bench/workloads/record_big.py
with about 10^7 allocator events), N times each and alternately: the
program under the real interpreter called directly, and the same under
`memsim record`.  Printed: the medians (min-max), the overhead (record /
direct), the trace's bytes per event, and `memsim replay` of the trace
(--format none) against the recorded run.  The targets of issue 12: at
most 3x the program's own time, at most 16 bytes an event, a replay
faster than the recorded run.

Then (--scaling: only this) the scaling of a replay (issue 16): record_big.py
recorded with 100,000 rows a round and 1, 10 and 72 rounds (about 1.4 *
10^6, 1.4 * 10^7 and 10^8 events; the live heap stays the same), each
trace replayed 3 times (--format none); printed: events, the trace's size,
the replay's median wall time and nanoseconds an event, and its peak RSS.
Linear is a flat ns/event column.
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
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import timed as wall_rss  # noqa: E402  (wall time and peak RSS of a whole command)


def timed(cmd):
    t = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), p.stderr))
    return wall, p.stderr


def fmt(v):
    return "%6.3f (%5.3f-%5.3f)" % (statistics.median(v), min(v), max(v))


def scaling(python):
    big = os.path.join(ROOT, "bench", "workloads", "record_big.py")
    print("replay scaling: record_big.py, 100,000 rows a round, replayed 3 times each (median)")
    print("%8s %12s %10s %12s %10s %12s" % ("rounds", "events", "trace MiB", "replay s", "ns/event",
                                              "RSS MiB"))
    for rounds in (1, 10, 72):
        p = subprocess.run([MEMSIM, "record", "--python", python, "--out", TRACE, big, "100000", str(rounds)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        m = re.search(r"memsim record: (\d+) events", p.stderr)
        if p.returncode != 0 or not m:
            sys.exit("failed to record: %s" % p.stderr)
        events = int(m.group(1))
        walls, rss = [], 0
        for _ in range(3):
            w, r = wall_rss([MEMSIM, "replay", TRACE, "--format", "none", "--quiet",
                             "--out", "/tmp/memsim-bench-replay"])
            walls.append(w)
            rss = max(rss, r)
        w = statistics.median(walls)
        print("%8d %12d %10.1f %12.3f %10.1f %12.1f" % (rounds, events, os.path.getsize(TRACE) / 2**20, w,
                                                         w * 1e9 / events, rss / 2**20))
    os.unlink(TRACE)


def main():
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
    python = sys.argv[sys.argv.index("--python") + 1] if "--python" in sys.argv else sys.executable
    python = os.path.realpath(python)
    version = subprocess.run([python, "-c", "import platform; print(platform.python_version())"],
                             capture_output=True, text=True).stdout.strip()
    if "--scaling" in sys.argv:
        print(f"Python {version} ({python})")
        scaling(python)
        return
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
    print()
    scaling(python)


if __name__ == "__main__":
    main()
