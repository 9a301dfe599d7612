"""paired.py: a Python program and its Lua twin, line by line, under every
installed CPython (test_arith.py, test_format.py, test_strmethods.py).

The Python program prints one line per case; the Lua one, run by memsim
with the profile of the interpreter's version (@PROFILE@ in its text),
prints the same line for the same case.  Every difference is printed with
the case's label, then a count per interpreter.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pythons  # noqa: E402


def compare(memsim, py_text, lua_text, labels, what):
    """Runs both under each interpreter; returns the number of differing cases."""
    failures = 0
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        py, lua = os.path.join(tmp, "cases.py"), os.path.join(tmp, "cases.lua")
        with open(py, "w", encoding="utf-8") as f:
            f.write(py_text)
        for minor, exe in pythons.interpreters("3.%d" % sys.version_info[1], sys.executable):
            real = subprocess.run([exe, py], capture_output=True, text=True, check=True, env=env).stdout.splitlines()
            with open(lua, "w", encoding="utf-8") as f:
                f.write(lua_text.replace("@PROFILE@", "cpython-" + minor))
            out = subprocess.run([memsim, "run", lua], capture_output=True, text=True)
            if out.returncode != 0:
                sys.exit("memsim failed under %s: %s" % (minor, out.stderr))
            sim = out.stdout.splitlines()
            if len(real) != len(labels) or len(sim) != len(labels):
                sys.exit("%s: %d cases, python3 printed %d lines, memsim %d" % (minor, len(labels), len(real),
                                                                                 len(sim)))
            bad = 0
            for label, r, s in zip(labels, real, sim):
                if r != s:
                    bad += 1
                    print("%-5s %s\n      python3 %s\n      memsim  %s" % (minor, label, r, s))
            failures += bad
            print("%-5s %d of %d cases equal (%s)" % (minor, len(labels) - bad, len(labels), what))
    return failures
