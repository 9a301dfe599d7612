#!/usr/bin/env python3
"""test_hash.py MEMSIM: hash() of strs, bytes, ints, floats and tuples against CPython.

Under each installed interpreter and several PYTHONHASHSEED values, the
interpreter prints hash() of a list of values and sys.getsizeof of the
strs; memsim (the version's profile, hash_seed = the seed) must print the
same: SipHash-1-3 or 2-4 keyed as the seed keys it, PEP 393's kinds and
sizes, int, float and tuple hashes, and which numbers are equal keys
(1, 1.0 and True one key; 0.0 and -0.0 one).  Exit status 1 on any
difference.
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pythons  # noqa: E402

MEMSIM = os.path.abspath(sys.argv[1])
TEXTS = ["hello", "", "a", "é", "héllo", "€uro", "😀x", "the quick brown fox jumps over the lazy dog",
         "k0", "ключ", "x" * 100]
INTS = [0, 1, -1, -2, 2 ** 40, 2 ** 61 - 1, 2 ** 61, 2 ** 62, -2 ** 62, -2 ** 63, 2 ** 63 - 1, 123456789]
FLOATS = ["0.0", "-0.0", "1.0", "1.5", "-1.5", "0.1", "2.0 ** 61", "2.0 ** 62", "1e300", "1e-300",
          "3.141592653589793", "-2.5e-7", "float('inf')", "-float('inf')", "float('nan')"]
SEEDS = [0, 1, 42, 4294967295]

PY = r'''
import sys
texts = %r
ints = %r
for t in texts:
    print(hash(t), sys.getsizeof("".join(list(t)) if len(t) != 1 else t))
print(hash(b"abc"), hash(b""))
for v in ints:
    print(hash(v))
print(hash((1, 2)), hash(((1, 2), "x")), hash(()))
for v in %s:
    h = hash(v)
    print(h if v == v or h == 0 else "address")
print(len({1, 1.0, True}), len({0.0, -0.0, 0}), len({1.5, 2.5, 1.5}), len({2 ** 53 + 1, float(2 ** 53 + 1)}))
'''

LUA = r'''
local sim = memsim.new{profile = "%s", hash_seed = %d}
local texts = {%s}
local ints = {%s}
for _, t in ipairs(texts) do
  local o = sim:new("str", t)
  print(sim:hash(o) .. " " .. sim.sys.getsizeof(o))
  sim:decref(o)
end
print(sim:hash(sim:literal("abc", "bytes")) .. " " .. sim:hash(sim:literal("", "bytes")))
for _, v in ipairs(ints) do
  local o = sim:new("int", v)
  print(sim:hash(o))
  sim:decref(o)
end
local a, b = sim:new("tuple", 2), sim:new("tuple", 2)
sim:setitem(a, 0, sim:literal(1)); sim:setitem(a, 1, sim:literal(2))
sim:setitem(b, 0, a); sim:setitem(b, 1, sim:literal("x"))
print(sim:hash(a) .. " " .. sim:hash(b) .. " " .. sim:hash(sim:new("tuple", 0)))
for _, v in ipairs{%s} do
  local o = sim:new("float", v)
  local h = sim:hash(o)
  print((v == v or h == 0) and h or "address")
  sim:decref(o)
end
local function distinct(...)
  local set = sim:new("set")
  for _, o in ipairs{...} do sim:add(set, o) end
  return sim:len(set)
end
print(distinct(sim:new("int", 1), sim:new("float", 1.0), sim:literal(true)) .. " " ..
      distinct(sim:new("float", 0.0), sim:new("float", -0.0), sim:new("int", 0)) .. " " ..
      distinct(sim:new("float", 1.5), sim:new("float", 2.5), sim:new("float", 1.5)) .. " " ..
      distinct(sim:new("int", math.tointeger(2^53) + 1), sim:new("float", 2.0^53 + 1)))
'''


def interpreters():
    return pythons.interpreters("3.%d" % sys.version_info[1], sys.executable)


def lua_str(t):
    return '"' + "".join("\\%d" % b for b in t.encode()) + '"'


def lua_float(text):
    """a float of FLOATS as Lua writes it"""
    v = eval(text)
    if v != v:
        return "0.0 / 0.0"
    if v in (float("inf"), -float("inf")):
        return "1.0 / 0.0" if v > 0 else "-1.0 / 0.0"
    return repr(v) if repr(v) != "-0.0" else "-0.0"


def main():
    passed = failed = 0
    tmp = tempfile.mkdtemp()
    try:
        for minor, exe in interpreters():
            for seed in SEEDS:
                real = subprocess.run([exe, "-c", PY % (TEXTS, INTS, "[" + ", ".join(FLOATS) + "]")], capture_output=True, text=True,
                                      env=dict(os.environ, PYTHONHASHSEED=str(seed)), check=True).stdout
                path = os.path.join(tmp, "hash.lua")
                with open(path, "w") as f:
                    f.write(LUA % ("cpython-" + minor, seed, ", ".join(lua_str(t) for t in TEXTS),
                                   ", ".join("math.tointeger(%d)" % v if -2 ** 63 <= v < 2 ** 63 else "0" for v in INTS),
                                   ", ".join(lua_float(v) for v in FLOATS)))
                mine = subprocess.run([MEMSIM, "run", path], capture_output=True, text=True)
                if mine.returncode != 0:
                    print("FAIL %s seed %d: memsim: %s" % (minor, seed, mine.stderr.strip()[:300]))
                    failed += 1
                    continue
                if mine.stdout == real:
                    passed += 1
                    print("%s PYTHONHASHSEED=%d: %d hashes and sizes equal" % (minor, seed, len(real.split())))
                else:
                    failed += 1
                    for a, b in zip(real.split("\n"), mine.stdout.split("\n")):
                        if a != b:
                            print("FAIL %s seed %d: CPython %s, memsim %s" % (minor, seed, a, b))
                            break
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("test_hash: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
