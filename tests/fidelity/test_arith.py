#!/usr/bin/env python3
"""test_arith.py MEMSIM: // % ** - abs() int() float() round() against CPython.

Each case is one expression, `r = x OP y` (or -x, abs(x), int(x),
float(x) of numbers and of strs, round(x), round(x, y)), run by every installed
interpreter with tracemalloc on, after gc.collect() (which empties the
free lists, so that a float result is a new block): the peak of traced
memory above what was live before it (less the same measurement's of
`r = x`, the measuring code's own) (long_pow's products are made and
dropped one after another: 3.9 and 3.10 make more of them than 3.11 on),
what stays (the result), the result's getsizeof and its repr.  memsim
computes the same under that version's profile (sim:reset_peak, then
sim:stats().live_peak and live_bytes) and must agree on all four.  Exit
status 1 on any difference.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import paired  # noqa: E402

MEMSIM = os.path.abspath(sys.argv[1])

# (x, op, y): Python literals, the same in Lua
CASES = [(b, "**", e) for b in ("12345", "-7", "3", "1000003") for e in range(0, 7)]
CASES += [("2147483653", "**", e) for e in range(0, 4)]               # two digits
CASES += [("12345", "**", "-2"), ("-1", "**", "61"), ("0", "**", "0")]
CASES += [(x, op, y) for x, y in (("12345", "7"), ("-12345", "7"), ("12345", "-7"), ("-12345", "-7"),
                                  ("300", "1000"), ("0", "5"), ("5", "1099511627776"),
                                  ("1073741823", "2"))
          for op in ("//", "%")]
CASES += [(x, op, y) for x, y in (("7.5", "2"), ("-7.5", "2.5"), ("7", "0.5"), ("1e300", "1e-300"))
          for op in ("//", "%", "**") if not (op == "**" and (x == "1e300" or x[0] == "-"))]
CASES += [("2", "**", "0.5"), ("2.5", "**", "-3"), ("-2.0", "**", "3")]
# unary and conversions: -x, abs(x), int(x), float(x), round(x), round(x, n) (y: n, or unused)
NUMS = ["12345", "5", "-3", "-12345", "1099511627776", "-1099511627776", "2.5", "-2.5", "3.7", "1e12", "1e20",
        "0.0", "-0.4"]
CASES += [(x, op, "0") for op in ("neg", "abs", "int", "float", "round") for x in NUMS]
# int(s), float(s) of strs
CASES += [(x, "int", "0") for x in ("'7'", "'42'", "'12345'", "'-300'", "'1073741824'", "'999999999'",
                                  "'1000000000'", "'123456789012'", "'  56 '", "'1_000'", "'-0'")]
CASES += [(x, "float", "0") for x in ("'3.5'", "'1e10'", "'-0.25'", "' 2 '", "'inf'", "'-Infinity'", "'1_0.5'")]
CASES += [(x, "roundn", n) for x in ("3.14159", "2.675", "1e12", "-0.125", "123.456", "2.5") for n in ("0", "1", "2", "5")]

PY = r'''
import gc, sys, tracemalloc
ASCII = [chr(c) for c in range(128)]   # 3.9, 3.10: made on first use; made here, and in memsim
WARM = int("10"), float("1.5")   # 3.9, 3.10: the first int(str) in a process makes a 30-byte temporary once
r = None
def measure(x, op, y):
    global r
    r = None
    gc.collect()
    tracemalloc.start()
    cur = tracemalloc.get_traced_memory()[0]
    if op == "**":
        r = x ** y
    elif op == "//":
        r = x // y
    elif op == "%":
        r = x % y
    elif op == "neg":
        r = -x
    elif op == "abs":
        r = abs(x)
    elif op == "int":
        r = int(x)
    elif op == "float":
        r = float(x)
    elif op == "round":
        r = round(x)
    elif op == "roundn":
        r = round(x, y)
    else:
        r = x                     # the measurement's own allocations
    now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak - cur, now - cur
def one(x, op, y):
    peak0, now0 = measure(x, "", y)
    peak, now = measure(x, op, y)
    print(peak - peak0, now - now0, sys.getsizeof(r), repr(r))
@CALLS@
'''

LUA = r'''
local sim = memsim.new{profile = "@PROFILE@"}
for c = 0, 127 do sim:decref(sim:new("str", string.char(c))) end   -- as the Python side: every ASCII character made
local function make(v)
  if type(v) == "string" then return sim:new("str", v) end
  if math.type(v) == "integer" then return sim:new("int", v) end
  return sim:new("float", v)
end
local function one(x, op, y)
  local a, b = make(x), make(y)
  sim.gc.collect()
  sim:reset_peak()
  local cur = sim:stats().live_bytes
  local r
  if op == "neg" then r = sim:neg(a)
  elseif op == "abs" or op == "int" or op == "float" or op == "round" then r = sim[op](sim, a)
  elseif op == "roundn" then r = sim:round(a, y)
  else r = sim:op(a, op, b) end
  local st = sim:stats()
  local text = sim:str(r)                  -- str() of an int or a float is its repr
  print(string.format("%d %d %d %s", st.live_peak - cur, st.live_bytes - cur, sim.sys.getsizeof(r),
                      sim:value(text)))
  sim:decref(text); sim:decref(r); sim:decref(a); sim:decref(b)
end
@CALLS@
'''


def main():
    py_calls = "\n".join("one(%s, %r, %s)" % c for c in CASES)
    lua_calls = "\n".join('one(%s, "%s", %s)' % c for c in CASES)
    labels = ["%s %s %s" % c for c in CASES]
    sys.exit(1 if paired.compare(MEMSIM, PY.replace("@CALLS@", py_calls), LUA.replace("@CALLS@", lua_calls),
                                 labels, "peak, kept, getsizeof, repr") else 0)


if __name__ == "__main__":
    main()
