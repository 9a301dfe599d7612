"""pythons.py: the CPython interpreters installed here, for the tests that
run a check under each one (versions.py, test_hash.py, test_sort.py)."""
import os
import re
import shutil
import subprocess


def pyenv_interpreters():
    """{"3.N": (executable, "3.N.M")} for every 3.9-or-later pyenv version;
    {} when pyenv is not installed."""
    found = {}
    if not shutil.which("pyenv"):
        return found
    for v in subprocess.run(["pyenv", "versions", "--bare"], capture_output=True, text=True).stdout.split():
        m = re.fullmatch(r"3\.(\d+)\.(\d+)", v)
        if not m or int(m.group(1)) < 9 or "3." + m.group(1) in found:
            continue
        prefix = subprocess.run(["pyenv", "prefix", v], capture_output=True, text=True).stdout.strip()
        exe = os.path.join(prefix, "bin", "python3." + m.group(1))
        if os.access(exe, os.X_OK):
            found["3." + m.group(1)] = (exe, v)
    return found


def interpreters(own_minor, own_exe):
    """[("3.N", executable)] by version: this interpreter, then pyenv's others."""
    found = {own_minor: own_exe}
    for minor, (exe, _) in pyenv_interpreters().items():
        found.setdefault(minor, exe)
    return sorted(found.items(), key=lambda kv: int(kv[0].split(".")[1]))
