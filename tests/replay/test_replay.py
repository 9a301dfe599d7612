#!/usr/bin/env python3
"""test_replay.py MEMSIM SOURCE_DIR: record real programs, replay them, verify.

For every CPython from 3.9 on that this machine has (python3 on PATH, and
each `pyenv versions` entry), each program in tests/replay/programs (the
standard library at work: ast, json, re, difflib, sorting) is recorded
with `memsim record` and replayed with `memsim replay --verify`, which
must find the real interpreter's end state exactly: every size class's
pools and blocks, the arenas, sys.getallocatedblocks().  Then the
contract's details on one interpreter: the program's exit status, its
arguments and directory, the marks, sim:replay's `to`, determinism, and
--allocator malloc.  An interpreter that is missing is said loudly.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

MEMSIM, SRC = sys.argv[1], sys.argv[2]
PROGRAMS = os.path.join(SRC, "tests", "replay", "programs")
failures, passes = [], 0


def ok():
    global passes
    passes += 1


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, flush=True)


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=600, **kw)


def interpreters():
    """(label, path) of each CPython >= 3.9 here, python3 on PATH first."""
    found, seen = [], set()
    py = shutil.which("python3")
    cands = []
    if py:
        cands.append(("python3", py))
    else:
        print("WARNING: no python3 on PATH: the default interpreter is not tested", flush=True)
    if shutil.which("pyenv"):
        vers = run(["pyenv", "versions", "--bare"]).stdout.split()
        for v in vers:
            if not re.fullmatch(r"3\.\d+\.\d+", v):
                continue
            prefix = run(["pyenv", "prefix", v]).stdout.strip()
            exe = os.path.join(prefix, "bin", "python" + v.rsplit(".", 1)[0])
            if os.access(exe, os.X_OK):
                cands.append((v, exe))
            else:
                print(f"WARNING: pyenv lists {v} but {exe} is missing: NOT TESTED", flush=True)
    else:
        print("WARNING: pyenv is not installed: only python3 on PATH is tested; "
              "CPython 3.9, 3.10, 3.12 and 3.13 are NOT TESTED", flush=True)
    for label, exe in cands:
        r = run([exe, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3], sys.executable)"])
        if r.returncode != 0:
            print(f"WARNING: {exe} does not run: NOT TESTED", flush=True)
            continue
        version, real = r.stdout.split()
        if tuple(map(int, version.split(".")[:2])) < (3, 9) or real in seen:
            continue
        seen.add(real)
        found.append((version, real))
    wanted = {"3.9", "3.10", "3.11", "3.12", "3.13"}
    have = {v.rsplit(".", 1)[0] for v, _ in found}
    for m in sorted(wanted - have):
        print(f"WARNING: no CPython {m} on this machine: its recording is NOT TESTED", flush=True)
    return found


def record(python, prog, out, *args, cwd=None):
    return run([MEMSIM, "record", "--python", python, "--out", out, prog, *args], cwd=cwd)


def lab(tmp, name, trace):
    """A recorded trace is an allocator lab trace: the reference solution replays it."""
    ref = os.path.join(SRC, "experiments", "answers", "allocator_lab", "segregated.lua")
    r = run([MEMSIM, "lab", "allocator", ref, "--trace", trace, "--heap", "256M", "--format", "none",
             "--quiet", "--out", os.path.join(tmp, "lab-" + name)])
    row = re.search(r"^" + re.escape(os.path.basename(trace)) + r" +(\d+) +[\d.]+%", r.stdout, re.M)
    if r.returncode != 0 or not row or int(row.group(1)) < 1000:
        fail(f"lab allocator on {name}.trace: exit {r.returncode}: {(r.stdout + r.stderr).strip()[-600:]}")
    else:
        print(f"ok lab allocator on {name}.trace: {row.group(1)} requests checked", flush=True)
        ok()


def verify_all(tmp, pys):
    programs = sorted(p for p in os.listdir(PROGRAMS) if p.endswith(".py"))
    for version, python in pys:
        for p in programs:
            name = f"{p[:-3]}-{version}"
            trace = os.path.join(tmp, name + ".trace")
            r = record(python, os.path.join(PROGRAMS, p), trace)
            m = re.search(r"memsim record: (\d+) events, .* \(([\d.]+) bytes an event\), Python (\S+): ", r.stderr)
            if r.returncode != 0 or not m or m.group(3) != version:
                fail(f"record {name}: exit {r.returncode}: {r.stderr.strip()[-400:]}")
                continue
            per_event = float(m.group(2))
            if per_event > 16:
                fail(f"record {name}: {per_event} bytes an event (at most 16)")
            r = run([MEMSIM, "replay", trace, "--verify", "--format", "none", "--quiet",
                     "--out", os.path.join(tmp, "r-" + name)])
            v = re.search(r"verify: (\d+)/(\d+) size classes equal, arenas (equal|differ)", r.stdout)
            if r.returncode != 0 or not v or v.group(1) != v.group(2) or v.group(3) != "equal":
                fail(f"replay --verify {name}: exit {r.returncode}: {(r.stdout + r.stderr).strip()[-600:]}")
            else:
                print(f"ok {name}: {m.group(1)} events, {per_event} B/event, {v.group(0)}", flush=True)
                ok()
            if version.startswith("3.11"):
                lab(tmp, name, trace)


def sizes(tmp, pys):
    """sys.getsizeof of a few objects whose size changed across versions, per profile"""
    lua = os.path.join(tmp, "sizes.lua")
    with open(lua, "w") as f:
        f.write("for _, p in ipairs(memsim.profiles) do\n"
                "  local sim = memsim.new{profile = p, startup = false}\n"
                "  local g = sim.sys.getsizeof\n"
                "  print(p, g(sim:new('int', 0)), g(sim:new('function')), g(sim:new('str', 10)),\n"
                "        g(sim:new('range_iterator')))\n"
                "end\n")
    r = run([MEMSIM, "run", lua])
    model = {line.split("\t")[0]: line.split("\t")[1:] for line in r.stdout.splitlines()}
    for version, python in pys:
        real = run([python, "-c", "import sys; g = sys.getsizeof; "
                    "print(g(0), g(lambda: 0), g('a' * 10), g(iter(range(10))), sep='\\t')"]).stdout.split()
        prof = "cpython-" + version.rsplit(".", 1)[0]
        if prof not in model:
            print(f"WARNING: memsim has no profile {prof}: its sizes are NOT TESTED", flush=True)
        elif model[prof] != real:
            fail(f"getsizeof under {prof}: memsim {model[prof]}, Python {version} {real} (int 0, function, str of 10, range iterator)")
        else:
            ok()


def contract(tmp, python):
    prog = os.path.join(tmp, "contract.py")
    with open(prog, "w") as f:
        f.write("import os, sys\n"
                "memsim_mark('start')\n"
                "data = [str(i) * 3 for i in range(5000)]\n"
                "memsim_mark('middle')\n"
                "del data\n"
                "print(repr(sys.argv[1:]), os.getcwd(), file=sys.stderr)\n"
                "sys.exit(int(sys.argv[1]))\n")
    work = os.path.join(tmp, "work dir")
    os.mkdir(work)
    trace = os.path.join(tmp, "contract.trace")
    r = record(python, prog, trace, "3", "two words", "--flag", cwd=work)
    if r.returncode != 3:
        fail(f"record: the program's exit status 3 came back as {r.returncode}: {r.stderr[-300:]}")
    else:
        ok()
    if "['3', 'two words', '--flag'] " + work not in r.stderr:
        fail(f"record: the program did not get its arguments and directory: {r.stderr[-300:]}")
    else:
        ok()
    # the default name: PROG.trace in the current directory
    r = run([MEMSIM, "record", "--python", python, prog, "0"], cwd=work)
    if r.returncode != 0 or not os.path.exists(os.path.join(work, "contract.trace")):
        fail(f"record: no contract.trace in the current directory: {r.stderr[-300:]}")
    else:
        ok()
    # marks, and sim:replay's `to`, in Lua
    lua = os.path.join(tmp, "marks.lua")
    with open(lua, "w") as f:
        f.write(f"""
local path = {trace!r}
local info = memsim.trace_info(path, true)
assert(info.marks[1] == "start" and info.marks[2] == "middle" and #info.marks == 2,
       "marks: " .. table.concat(info.marks, ","))
local a = memsim.new{{startup = false, profile = info.profile}}
local part = a:replay(path, {{to = "middle"}})
assert(part.items < info.items and part.marks == 2 and not part.ended, "to: " .. part.items)
local rest = a:replay(path, {{from = "middle"}})
assert(part.items + rest.items == info.items, "from + to: " .. part.items .. " + " .. rest.items)
assert(rest.verify_ok == true, rest.verify)
local b = memsim.new{{startup = false, profile = info.profile}}
local whole = b:replay(path)
assert(whole.verify_ok == true and whole.items == info.items, whole.verify)
print("lua ok")
""".replace("{trace!r}", repr(trace)))
    r = run([MEMSIM, "run", lua])
    if r.returncode != 0 or "lua ok" not in r.stdout:
        fail(f"Lua replay: {(r.stdout + r.stderr)[-500:]}")
    else:
        ok()
    # determinism: the same trace gives byte-identical data
    outs = []
    for k in range(2):
        d = os.path.join(tmp, f"det{k}")
        r = run([MEMSIM, "replay", trace, "--format", "none", "--quiet", "--out", d])
        with open(os.path.join(d, "summary.tsv")) as f1, open(os.path.join(d, "replay.tsv")) as f2:
            outs.append(f1.read() + f2.read())
    if outs[0] != outs[1]:
        fail("replay is not deterministic: summary.tsv or replay.tsv differ")
    else:
        ok()
    # a program run with PYTHONMALLOC=malloc replays on malloc, and verifies: no pools, no arenas
    pm = os.path.join(tmp, "pm.trace")
    r = run([MEMSIM, "record", "--python", python, "--out", pm, os.path.join(PROGRAMS, "difflib_files.py")],
            env=dict(os.environ, PYTHONMALLOC="malloc"))
    r2 = run([MEMSIM, "replay", pm, "--verify", "--format", "none", "--quiet", "--out", os.path.join(tmp, "pm")])
    if r.returncode != 0 or r2.returncode != 0 or "verify: 0/0 size classes equal, arenas equal" not in r2.stdout \
            or "PYTHONMALLOC=malloc: replaying on malloc" not in r2.stderr:
        fail(f"PYTHONMALLOC=malloc: {(r.stderr + r2.stdout + r2.stderr)[-500:]}")
    else:
        ok()
    # the same requests under PYTHONMALLOC=malloc's allocator: no arenas at all
    d = os.path.join(tmp, "malloc")
    r = run([MEMSIM, "replay", trace, "--allocator", "malloc", "--format", "none", "--quiet", "--out", d])
    summary = open(os.path.join(d, "summary.tsv")).read() if r.returncode == 0 else ""
    cols = summary.splitlines()
    if r.returncode != 0 or len(cols) < 2:
        fail(f"replay --allocator malloc: exit {r.returncode}: {(r.stdout + r.stderr)[-300:]}")
    else:
        row = dict(zip(cols[0].split("\t"), cols[1].split("\t")))
        if row.get("arenas_highwater") != "0":
            fail(f"replay --allocator malloc: {row.get('arenas_highwater')} arenas")
        else:
            ok()


def main():
    tmp = tempfile.mkdtemp(prefix="memsim-replay-")
    try:
        pys = interpreters()
        if not pys:
            fail("no CPython 3.9 or later on this machine: nothing recorded")
        verify_all(tmp, pys)
        sizes(tmp, pys)
        default = next((p for v, p in pys if v.startswith("3.11")), pys[0][1] if pys else None)
        if default:
            contract(tmp, default)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{passes} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


main()
