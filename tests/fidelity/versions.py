#!/usr/bin/env python3
"""versions.py MEMSIM: the paired workloads under every other installed CPython.

    python3 tests/fidelity/versions.py build/memsim

The fidelity test runs compare.py under python3; this runs `memsim validate`
under each
interpreter `pyenv versions` lists from 3.9 on (except python3's own),
each against memsim's profile of its version.  An interpreter that is not
installed is said loudly; one whose run differs fails the test.
"""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pythons  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
MEMSIM = sys.argv[1]


def main():
    own = os.path.realpath(sys.executable)
    if not shutil.which("pyenv"):
        print("WARNING: pyenv is not installed: CPython 3.9, 3.10, 3.12 and 3.13 are NOT TESTED")
        return 0
    found = {}
    for minor, (exe, version) in pythons.pyenv_interpreters().items():
        if os.path.realpath(exe) != own:
            # 3.14.0 to 3.14.4 had the incremental collector: profile cpython-3.14.0
            patch = int(version.split(".")[2])
            found[minor] = (exe, "cpython-3.14.0" if minor == "3.14" and patch <= 4 else "cpython-" + minor)
    for minor in ("3.9", "3.10", "3.12", "3.13"):
        if minor not in found:
            print("WARNING: no CPython %s on this machine: its profile is NOT TESTED" % minor, flush=True)
    if "3.14" not in found:
        print("WARNING: no CPython 3.14 on this machine: profiles cpython-3.14 and cpython-3.14.0 are "
              "NOT TESTED against a real interpreter (read from the sources; "
              "tests/unit/test_gc_incremental.c checks the collector rule by rule)", flush=True)
    failed = []
    for minor, (exe, profile) in sorted(found.items(), key=lambda kv: int(kv[0].split(".")[1])):
        r = subprocess.run([MEMSIM, "validate", "--python", exe, "--profile", profile])
        if r.returncode != 0:
            failed.append(minor)
    print("versions: %d interpreters, %s" % (len(found), "all match" if not failed
                                              else "differences under " + ", ".join(failed)))
    return 1 if failed else 0


sys.exit(main())
