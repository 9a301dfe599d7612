#!/usr/bin/env python3
"""test_quiz.py MEMSIM: memsim quiz, every topic at several seeds.

Every answer is checked against an independent computation: for the
problems Python can answer, the problem's own check program runs under a
real interpreter of the profile's version (python3 for 3.11, pyenv's for
the others that are installed) and must print the same figures; for the
others (size classes, pools and arenas, free lists) the figures are
computed here from CPython's rules.  Then the command's contract: the same
seed gives the same bytes, -c shows the answers, the formats, the errors.
"""
import json
import math
import os
import shutil
import subprocess
import sys

MEMSIM = sys.argv[1]
SEEDS = range(1, 6)
passed = failed = 0


def ok():
    global passed
    passed += 1


def fail(msg):
    global failed
    failed += 1
    print("FAIL:", msg, flush=True)


def memsim(*args):
    return subprocess.run([MEMSIM, "quiz", *args], capture_output=True, text=True, timeout=300)


def interpreters():
    """(profile, python) for 3.11 (python3) and every other installed CPython."""
    found = [("cpython-3.11", shutil.which("python3"))]
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    for minor in ("3.9", "3.10", "3.12", "3.13"):
        versions = os.path.join(root, "versions")
        names = sorted(v for v in os.listdir(versions) if v.startswith(minor + ".")) if os.path.isdir(versions) else []
        if names:
            found.append(("cpython-" + minor, os.path.join(versions, names[-1], "bin", "python3")))
        else:
            print(f"WARNING: no CPython {minor}: its quiz answers are not checked against it", flush=True)
    return found


POOL = {"cpython-3.9": 4096}
FREELIST = {"float": 100, "list": 80, "dict": 80}


def arenas_left(count, keep, per_pool, per_arena):
    """Arenas mapped after freeing, in order, every block but one in KEEP:
    obmalloc's insert_to_freepool over usable_arenas, a list kept in order
    of free pools (ties: the arena that moved goes first), where a wholly
    free arena is given back unless it is the last in the list."""
    pools = -(-count // per_pool)
    narenas = -(-pools // per_arena)
    nfree = [per_arena - min(per_arena, pools - a * per_arena) for a in range(narenas)]
    usable = [a for a in range(narenas) if nfree[a] > 0]
    live = [min(per_pool, count - q * per_pool) for q in range(pools)]
    released = 0
    for j in range(count):
        if j % keep == 0:
            continue
        q = j // per_pool
        live[q] -= 1
        if live[q]:
            continue
        a = q // per_arena
        nfree[a] += 1
        nf = nfree[a]
        if nf == per_arena and usable[-1] != a:
            usable.remove(a)
            released += 1
        elif nf == 1:
            usable.insert(0, a)
        else:
            usable.remove(a)
            i = next((i for i, b in enumerate(usable) if nfree[b] >= nf), len(usable))
            usable.insert(i, a)
    return narenas - released


def by_rules(profile, p):
    """The figures of the problems Python cannot print, from CPython's rules."""
    v = p["values"]
    pool = POOL.get(profile, 16384)
    arena = 256 * 1024 if profile == "cpython-3.9" else 1 << 20
    if p["topic"] == "size_classes":
        block = -(-v["request"] // 16) * 16
        return {"block": block, "per_pool": (pool - 48) // block, "unused": block - v["request"]}
    if p["topic"] == "pools_arenas":
        block = -(-v["size"] // 16) * 16
        per_pool = (pool - 48) // block
        # 3.9's pools are pages, so a page-aligned arena holds them all; from
        # 3.10 a 16 KiB pool starts on a 16 KiB boundary and one is lost
        per_arena = arena // pool - (0 if profile == "cpython-3.9" else 1)
        pools = -(-v["count"] // per_pool)
        want = {"per_pool": per_pool, "pools": pools, "arenas": -(-pools // per_arena)}
        if "keep_every" in v:
            want["arenas_left"] = arenas_left(v["count"], v["keep_every"], per_pool, per_arena)
        return want
    if p["topic"] == "free_lists":
        n, limit = v["count"], FREELIST[v["kind"]]
        return {"calls": n + max(0, n - limit), "parked": min(n, limit)}
    return None


def check_problem(profile, python, p):
    want = by_rules(profile, p)
    where = f"{profile} problem {p['number']} ({p['topic']})"
    if want is None:
        if not p["check"]:
            fail(f"{where}: neither a rule nor a check program")
            return
        r = subprocess.run([python, "-c", p["check"]], capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            fail(f"{where}: the check program failed: {r.stderr[-400:]}")
            return
        want = json.loads(r.stdout)
    for k, x in want.items():
        if p["values"].get(k) != x:
            fail(f"{where}: {k} is {p['values'].get(k)!r} in memsim, {x!r} by "
                 f"{'CPython ' + python if p['check'] and by_rules(profile, p) is None else 'the rules'}\n"
                 f"{p['snippet'] or p['question']}")
            return
    ok()


def answers():
    names = [line.split()[0] for line in memsim("--list").stdout.splitlines()]
    if len(names) < 8:
        fail(f"--list names {len(names)} topics: {names}")
    for profile, python in interpreters():
        checked = 0
        for seed in SEEDS:
            r = memsim("--seed", str(seed), "--format", "json", "--profile", profile)
            if r.returncode != 0:
                fail(f"quiz --seed {seed} --profile {profile}: exit {r.returncode}: {r.stderr[-300:]}")
                continue
            doc = json.loads(r.stdout)
            seen = {p["topic"] for p in doc["problems"]}
            if seen != set(names):
                fail(f"seed {seed}: topics {sorted(seen)}, wanted {sorted(names)}")
            for p in doc["problems"]:
                check_problem(profile, python, p)
                checked += 1
        print(f"{profile}: {checked} problems checked against {python} and CPython's rules", flush=True)


def contract():
    a, b = memsim("--seed", "7", "-c"), memsim("--seed", "7", "-c")
    if a.returncode == 0 and a.stdout == b.stdout and "Answer:" in a.stdout:
        ok()
    else:
        fail("the same seed twice gave different text, or no answers with -c")
    c = memsim("--seed", "8", "-c")
    if c.stdout != a.stdout:
        ok()
    else:
        fail("seeds 7 and 8 gave the same problems")
    q = memsim("--seed", "7")
    if "Answer:" not in q.stdout and "memsim quiz --seed 7 -c" in q.stdout:
        ok()
    else:
        fail("without -c: answers shown, or no hint how to see them")
    j1, j2 = memsim("--seed", "3", "--format", "json"), memsim("--seed", "3", "--format", "json")
    if j1.stdout == j2.stdout and json.loads(j1.stdout)["seed"] == 3:
        ok()
    else:
        fail("--format json is not the same twice")
    md = memsim("--seed", "3", "--format", "md", "-c", "list_growth", "--count", "3")
    if md.stdout.startswith("# memsim quiz") and md.stdout.count("## ") == 3 and "**Answer:**" in md.stdout:
        ok()
    else:
        fail(f"--format md: {md.stdout[:300]}")
    for args, message in ((["nosuch"], "is not a topic"), (["--count", "0"], "--count must be"),
                          (["--count", "x"], "--count must be"), (["--format", "xml"], "--format must be"),
                          (["--profile", "cpython-2.7"], "--profile must be one of"),
                          (["--seed", "-1"], "--seed must be"), (["--bogus"], "unknown flag")):
        r = memsim(*args)
        if r.returncode == 2 and message in r.stderr:
            ok()
        else:
            fail(f"quiz {' '.join(args)}: exit {r.returncode}, stderr {r.stderr[-200:]!r}")
    h = subprocess.run([MEMSIM, "quiz", "--help"], capture_output=True, text=True)
    if h.returncode == 0 and "usage: memsim quiz" in h.stdout:
        ok()
    else:
        fail("quiz --help")


answers()
contract()
print(f"test_quiz: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
