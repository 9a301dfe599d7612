#!/usr/bin/env python3
"""run_hostile.py: scripts written to break memsim, and scenarios around them.

Every case in cases/*.lua says in its first lines the exit status and the
message it must give, and extra flags:
    -- expect: exit N, message: TEXT
    -- args: [--no-sandbox] [--setup-fifo] [other memsim run flags]
Each runs as `memsim run CASE --sandbox --timeout 3 --out DIR --quiet`
(unless --no-sandbox) in a fresh working directory, and must:
  - exit with that status, print that message and name the script;
  - end within the time limit plus the grace (memsim's own 2 s) plus 2 s;
  - stay under the default host memory cap (2 GiB) plus 256 MiB for the
    interpreter and the C library, measured by wait4's peak RSS of the
    whole process tree (not under AddressSanitizer, whose shadow
    memory counts too: --asan);
  - leave nothing anywhere but its --out: the working directory, a
    sentinel directory and /tmp are checked.
Then the scenarios: bad command lines, planted symbolic links, runs
killed with SIGKILL, SIGTERM and SIGINT, two runs into one --out.

    usage: run_hostile.py MEMSIM SOURCE_DIR [--asan] [CASE ...]
"""
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TIMEOUT = 3
GRACE = 2.0            # MS_GRACE_SECONDS in sim/cli/supervise.h
SLACK = 2.0
CAP = (2 << 30) + (256 << 20)

passed = failed = 0


def ok():
    global passed
    passed += 1


def bad(msg):
    global failed
    failed += 1
    print("FAIL: " + msg, file=sys.stderr)


def tmp_traces():
    return sorted(glob.glob("/tmp/memsim-hostile-*"))


def snapshot(d):
    out = {}
    for root, dirs, files in os.walk(d):
        for f in files + dirs:
            p = os.path.join(root, f)
            st = os.lstat(p)
            out[p] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return out


def run_measured(argv, cwd, timeout=60):
    """Like run, with the peak RSS of the whole tree from wait4."""
    t0 = time.monotonic()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.chdir(cwd)
        os.dup2(w, 1)
        os.dup2(w, 2)
        devnull = os.open("/dev/null", os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(r)
        try:
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    os.close(w)
    chunks = []
    deadline = t0 + timeout
    os.set_blocking(r, False)
    status = None
    while True:
        try:
            data = os.read(r, 65536)
            if data:
                chunks.append(data)
            elif status is not None:
                break
        except BlockingIOError:
            pass
        if status is None:
            wpid, st, usage = os.wait4(pid, os.WNOHANG)
            if wpid == pid:
                status, rss = st, usage.ru_maxrss * 1024
        if status is None and time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.01)
        if status is not None:
            try:
                data = os.read(r, 65536)
                while data:
                    chunks.append(data)
                    data = os.read(r, 65536)
            except BlockingIOError:
                pass
            break
    os.close(r)
    code = os.waitstatus_to_exitcode(status)
    return code, b"".join(chunks).decode(errors="replace"), time.monotonic() - t0, rss


def header(path):
    with open(path) as f:
        first, second = f.readline(), f.readline()
    m = re.match(r"-- expect: exit (\d+), message: (.*)$", first.rstrip("\n"))
    if not m:
        raise SystemExit(f"{path}: no expect line")
    args = second[len("-- args: "):].split() if second.startswith("-- args: ") else []
    return int(m.group(1)), m.group(2), args


def run_case(memsim, path, work, sentinel, asan):
    name = os.path.basename(path)[:-4]
    status, message, args = header(path)
    cwd = os.path.join(work, name)
    os.makedirs(cwd)
    sandbox = "--no-sandbox" not in args
    args = [a for a in args if a not in ("--no-sandbox", "--setup-fifo")]
    allowed = {os.path.join(cwd, "out")}
    if "--setup-fifo" in header(path)[2]:
        os.mkfifo(os.path.join(cwd, "fifo"))
        allowed.add(os.path.join(cwd, "fifo"))
    if "--format" not in args:
        args += ["--format", "none"]
    argv = [memsim, "run", path, "--timeout", str(TIMEOUT), "--out", os.path.join(cwd, "out"),
            "--quiet"] + (["--sandbox"] if sandbox else []) + args
    before = snapshot(sentinel)
    code, out, wall, rss = run_measured(argv, cwd, timeout=60)
    problems = []
    if code != status:
        problems.append(f"exit {code}, expected {status}")
    if message not in out:
        problems.append(f"no '{message}'")
    if status != 0 and os.path.basename(path) not in out:
        problems.append("the message does not name the script")
    if wall > TIMEOUT + GRACE + SLACK:
        problems.append(f"took {wall:.1f} s")
    if not asan and rss > CAP:
        problems.append(f"peak memory {rss >> 20} MiB")
    if snapshot(sentinel) != before:
        problems.append("the sentinel directory changed")
    if tmp_traces():
        problems.append(f"files outside --out: {tmp_traces()}")
        for t in tmp_traces():
            os.unlink(t)
    extra = [os.path.join(cwd, e) for e in os.listdir(cwd) if os.path.join(cwd, e) not in allowed]
    if extra:
        problems.append(f"files outside --out: {extra}")
    if problems:
        bad(f"{name}: " + "; ".join(problems) + "\n" + out)
    else:
        ok()


# --------------------------------------------------------------------
# Scenarios

EXP = """return experiment {
  name = "%s", title = "A slow experiment",
  options = { n = {%d, "objects"}, mode = {"plain", "a string"} },
  runs = { a = function(sim, opt)
    local l = sim:new("list")
    for i = 1, opt.n do local f = sim:new("float"); sim:append(l, f); sim:decref(f) end
    sim:decref(l)
  end },
  plots = { {name = "live", kind = "series", y = "live_bytes"} },
}
"""


def expect(label, memsim_args, cwd, status, message, memsim):
    code, out, _, _ = run_measured([memsim] + memsim_args, cwd)
    if code == status and message in out:
        ok()
    else:
        bad(f"{label}: exit {code} (expected {status}), '{message}' expected in:\n{out}")
    return out


def scenarios(memsim, work, sentinel):
    d = os.path.join(work, "scenarios")
    os.makedirs(d)
    exp = os.path.join(d, "exp.lua")
    with open(exp, "w") as f:
        f.write(EXP % ("exp", 1000))
    slow = os.path.join(d, "slow.lua")
    with open(slow, "w") as f:
        f.write(EXP % ("slow", 300000000))
    plain = os.path.join(d, "plain.lua")
    with open(plain, "w") as f:
        f.write("print('plain')\n")

    # option values and flags from the command line
    out = os.path.join(d, "inj")
    expect("option value with backquotes", ["run", exp, "--mode=a,`touch /tmp/memsim-hostile-cli`,c/d",
           "--out", out, "--quiet", "--format", "png", "--sandbox"], d, 0, "wrote", memsim)
    names = sorted(os.listdir(out)) if os.path.isdir(out) else []
    if tmp_traces() or any("/" in n or "`" in n for n in names) or "a-mode=c_d-3.tsv" not in names:
        bad(f"option values reached file names or a shell: {names} {tmp_traces()}")
    else:
        ok()
    expect("--sandbox=true", ["run", exp, "--sandbox=true"], d, 2, "--sandbox is a flag of memsim run", memsim)
    expect("--seed=x as an option", ["run", exp, "--seed=1,2"], d, 2, "--seed must be an integer", memsim)
    expect("options to a plain script", ["run", plain, "--n=3"], d, 2,
           "is a plain script (it returns no experiment), so it takes no options", memsim)
    vals = ",".join(str(i) for i in range(1, 1001))
    three = os.path.join(d, "three.lua")
    with open(three, "w") as f:
        f.write("return experiment{name = 'three', options = {a = {1, ''}, b = {1, ''}, c = {1, ''}},"
                " runs = {r = function() end}}\n")
    expect("a sweep of 10^9 points", ["run", three, f"--a={vals}", f"--b={vals}", f"--c={vals}"], d, 2,
           "the sweep has more than 10000 points", memsim)
    expect("--out near PATH_MAX", ["run", exp, "--out", "x/" * 2100, "--quiet"], d, 2, "File name too long", memsim)

    # scripts that are not regular files; list skips them
    fifo = os.path.join(d, "fifo.lua")
    os.mkfifo(fifo)
    expect("a FIFO as the script", ["run", fifo, "--timeout", "3"], d, 2,
           "is not a regular file (a FIFO, a device or a socket cannot be a script)", memsim)
    os.makedirs(os.path.join(d, "dir.lua"))
    t0 = time.monotonic()
    expect("list with a FIFO and a directory named .lua", ["list", d], d, 0, "exp.lua", memsim)
    if time.monotonic() - t0 > 10:
        bad("list took too long")

    # planted links: never followed
    canary = os.path.join(sentinel, "canary")
    res = os.path.join(d, "res")
    expect("first run", ["run", exp, "--out", res, "--quiet", "--format", "none"], d, 0, "wrote", memsim)
    for planted in ("summary.tsv", "live.gp"):
        os.unlink(os.path.join(res, planted))
        os.symlink(canary, os.path.join(res, planted))
    before = open(canary).read()
    expect("a run over planted links", ["run", exp, "--out", res, "--quiet", "--format", "none"], d, 0,
           "wrote", memsim)
    if open(canary).read() != before or os.path.islink(os.path.join(res, "summary.tsv")):
        bad("a planted link was followed")
    else:
        ok()
    link = os.path.join(d, "linkout")
    os.symlink(sentinel, link)
    expect("--out is a link", ["run", exp, "--out", link], d, 2, "is a symbolic link", memsim)
    foreign = os.path.join(d, "foreign")
    os.makedirs(foreign)
    open(os.path.join(foreign, "thesis.tex"), "w").write("precious\n")
    expect("--out holds other files", ["run", exp, "--out", foreign], d, 2, "holds files memsim did not write", memsim)
    if not os.path.exists(os.path.join(foreign, "thesis.tex")):
        bad("a directory of someone else's files was replaced")

    # another experiment into the same --out: only its files
    expect("a second experiment into one --out", ["run", plain.replace("plain", "exp"), "--out", res,
           "--quiet", "--format", "none", "--n=10"], d, 0, "wrote", memsim)
    with open(os.path.join(d, "other.lua"), "w") as f:
        f.write("return experiment{name = 'other', runs = {z = function(sim) sim:new('float') end}}\n")
    expect("other experiment", ["run", os.path.join(d, "other.lua"), "--out", res, "--quiet", "--format", "none"],
           d, 0, "wrote", memsim)
    if os.path.exists(os.path.join(res, "a.tsv")) or not os.path.exists(os.path.join(res, "z.tsv")):
        bad(f"two runs' files mixed in one --out: {sorted(os.listdir(res))}")
    else:
        ok()

    # killed runs: the previous results stay whole, no work directory stays
    keep = os.path.join(d, "keep")
    expect("results to keep", ["run", exp, "--out", keep, "--quiet", "--format", "none"], d, 0, "wrote", memsim)
    good = snapshot(keep)
    for sig, message in ((signal.SIGKILL, None), (signal.SIGTERM, "interrupted (SIGTERM)"),
                         (signal.SIGINT, "interrupted (Ctrl-C)")):
        p = subprocess.Popen([memsim, "run", slow, "--out", keep, "--quiet", "--format", "none"], cwd=d,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        time.sleep(1.0)
        p.send_signal(sig)
        out, _ = p.communicate(timeout=30)
        out = out.decode(errors="replace")
        time.sleep(0.3)                 # the child follows its parent (PR_SET_PDEATHSIG)
        if sig == signal.SIGKILL:
            subprocess.run([memsim, "run", plain, "--out", os.path.join(d, "k2"), "--quiet"], cwd=d,
                           stdout=subprocess.DEVNULL)       # cleans stale work directories
        left = [e for e in os.listdir(d) if e.startswith(".memsim-tmp-")]
        name = signal.Signals(sig).name
        if snapshot(keep) != good:
            bad(f"{name}: the previous results changed")
        elif left:
            bad(f"{name}: work directories left: {left}")
        elif message and (p.returncode != 1 or message not in out or "slow.lua" not in out):
            bad(f"{name}: exit {p.returncode}, expected 1 and '{message}': {out}")
        else:
            ok()

    # two runs at once into one --out: one complete set, never a mixture
    both = os.path.join(d, "both")
    ps = [subprocess.Popen([memsim, "run", exp, "--out", both, "--quiet", "--format", "none", f"--n={n}"],
                           cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for n in (200000, 300000)]
    codes = [p.wait(timeout=120) for p in ps]
    try:
        summary = open(os.path.join(both, "summary.tsv")).read().splitlines()
        n = summary[1].split("\t")[summary[0].split("\t").index("n")]
        series = open(os.path.join(both, "a.tsv")).read().splitlines()
        objects = int(series[-1].split("\t")[7]) if series else -1
        consistent = n in ("200000", "300000") and codes == [0, 0] and objects == 0
    except (OSError, IndexError, ValueError) as e:
        consistent, n = False, str(e)
    if consistent:
        ok()
    else:
        bad(f"two concurrent runs: exits {codes}, summary n = {n}")


def main():
    args = [a for a in sys.argv[1:] if a != "--asan"]
    asan = "--asan" in sys.argv
    memsim, src = os.path.abspath(args[0]), os.path.abspath(args[1])
    only = set(args[2:])
    work = tempfile.mkdtemp(prefix="memsim-corpus.")
    sentinel = os.path.join(work, "sentinel")
    os.makedirs(sentinel)
    with open(os.path.join(sentinel, "canary"), "w") as f:
        f.write("untouched\n")
    for t in tmp_traces():
        os.unlink(t)
    try:
        cases = sorted(glob.glob(os.path.join(src, "tests/hostile/cases/*.lua")))
        for path in cases:
            if not only or os.path.basename(path)[:-4] in only:
                run_case(memsim, path, work, sentinel, asan)
        if not only:
            scenarios(memsim, work, sentinel)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
