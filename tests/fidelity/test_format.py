#!/usr/bin/env python3
"""test_format.py MEMSIM: format specs (format(x, spec), f"{x:spec}") against CPython.

Each case formats one value with one spec, `r = format(x, spec)`, or an
f-string with text around it, `r = f"<{x:spec}>"`, under every installed
interpreter with tracemalloc on, after gc.collect() (the free lists
emptied): the peak of traced memory above what was live before it (less
the same measurement's of `r = x`), what stays, the result's getsizeof
and its text; and the same of `r = FMT % x` (PyUnicode_Format's flags, width
and precision).  memsim does the same (sim:format_value, sim:fstring with a
{x, spec} piece, sim:op(fmt, "%", x)) under that version's profile and must agree on all four:
the bound __format__ method, PyOS_double_to_string's buffer, the
temporary str of the slow paths, the scratch int of decimal ints, the
float an int becomes for 'f', the result.  Exit status 1 on any difference.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import paired  # noqa: E402

MEMSIM = os.path.abspath(sys.argv[1])

FLOAT_SPECS = [".2f", "6.2f", "10.3f", ">10.3f", "<10.3f", "^11.1f", "+.2f", " .2f", "-.2f", "010.3f",
               "*^12.2f", "e", ".2e", "E", "g", ".3g", "G", "%", ".1%", "f", "10", ".3", ".0f", ",.2f", "_.1f",
               "12,.2f", ".10g", ".0e", "F"]
FLOATS = ["3.14159", "-2.5", "1234567.891", "0.000123", "1e16", "-0.0", "1e200", "0.5", "float('inf')",
          "float('nan')", "100.0"]
INT_SPECS = ["d", "5d", "<6", "^7", "+d", " d", ",", "_", "x", "X", "#x", "o", "#o", "b", "#b", "08b", "_x",
             "#010x", ".2f", "e", "%", "-d", ""]
INTS = ["12345", "-7", "0", "255", "1234567890123", "5"]
STR_SPECS = ["", "s", "10", ">10", "^9", "*<8", ".2", "5.3", ".10", "1"]
STRS = ["'abc'", "'héllo'", "''", "'x'", "'a longer string'"]

CASES = [(v, sp) for v in FLOATS for sp in FLOAT_SPECS]
CASES += [(v, sp) for v in INTS for sp in INT_SPECS]
CASES += [(v, sp) for v in STRS for sp in STR_SPECS]
FSTRINGS = [("3.14159", ".2f"), ("12345", ","), ("'abc'", ">6"), ("2.5", "")]
# fmt % x (PyUnicode_Format): (format, the values it takes)
PERCENT = [(f, INTS) for f in ("%d", "%5d", "[%-5d]", "%+d", "% d", "%05d", "%.3d", "%-+07d|", "%x", "%#x", "%X",
                               "%#X", "%o", "%#o", "%08x", "%#08x", "%.4x", "%s", "%10s", "%r", "%i|%%", "x=%u.")]
PERCENT += [(f, FLOATS[:6]) for f in ("%f", "%.2f", "%8.3f", "%-8.3f|", "%+.1f", "%08.2f", "% .3e", "%E", "%g",
                                       "%#.3g", "%s", "%12s", "%r", "v=%.1f!")]
PERCENT += [(f, STRS) for f in ("%s", "%10s", "[%-10s]", "%.2s", "%5.1s", "<%s>")]
# 233 (é): 3.9 and 3.10 make its one-character str on its first use (a
# block, kept: the case after sees it made)
PERCENT += [("%c", ["'x'", "65", "233", "8364"]), ("%3c", ["'x'", "233", "8364"])]

PY = r'''
import gc, sys, tracemalloc
ASCII = [chr(c) for c in range(128)]   # 3.9, 3.10: made on first use; made here, and in memsim
r = None
@FSTRINGS@
def measure(x, spec, how):
    global r
    r = None
    gc.collect()
    tracemalloc.start()
    cur = tracemalloc.get_traced_memory()[0]
    if how == 1:
        r = format(x, spec)
    elif how == 3:
        r = spec % x              # PyUnicode_Format
    elif how == 2:
        r = FSTRING[spec](x)      # the f-string as written in code: its spec a constant
    else:
        r = x                     # the measurement's own allocations
    now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak - cur, now - cur
def one(x, spec, how=1):
    if how == 2:
        FSTRING[spec](x)          # 3.9, 3.10: the function's frame made once, kept by its code
    peak0, now0 = measure(x, spec, 0)
    peak, now = measure(x, spec, how)
    print(peak - peak0, now - now0, sys.getsizeof(r), "[%s]" % r)
@CALLS@
'''

LUA = r'''
local sim = memsim.new{profile = "@PROFILE@"}
for c = 0, 127 do sim:decref(sim:new("str", string.char(c))) end   -- as the Python side: every ASCII character made
local inf, nan = math.huge, 0 / 0
local function make(v)
  if math.type(v) == "integer" then return sim:new("int", v) end
  if type(v) == "string" then return sim:new("str", v) end
  return sim:new("float", v)
end
local function one(x, spec, how)
  local a = make(x)
  local lt, gt = sim:literal("<"), sim:literal(">")
  sim.gc.collect()
  sim:reset_peak()
  local cur = sim:stats().live_bytes
  local r
  if how == 2 then r = sim:fstring("<", {a, spec}, ">")
  elseif how == 3 then r = sim:op(sim:literal(spec), "%", a)
  else r = sim:format_value(a, spec) end
  local st = sim:stats()
  print(string.format("%d %d %d [%s]", st.live_peak - cur, st.live_bytes - cur, sim.sys.getsizeof(r),
                      sim:value(r)))
  sim:decref(r); sim:decref(a); sim:decref(lt); sim:decref(gt)
end
@CALLS@
'''


def lua_value(v):
    if v == "float('inf')":
        return "inf"
    if v == "float('nan')":
        return "nan"
    if v.startswith("'"):
        return '"%s"' % v[1:-1]
    return v if "." in v or "e" in v else v


def main():
    cases = [(v, sp, 1) for v, sp in CASES] + [(v, sp, 2) for v, sp in FSTRINGS]
    cases += [(v, f, 3) for f, values in PERCENT for v in values]
    py_calls = "\n".join("one(%s, %r, %d)" % c for c in cases)
    # one function per f-string: a spec written in the code is a constant
    fdefs = "FSTRING = {%s}" % ", ".join('%r: lambda x: f"<{x:%s}>"' % (sp, sp) for _, sp in FSTRINGS)
    lua_calls = "\n".join('one(%s, "%s", %d)' % (lua_value(v), sp, how) for v, sp, how in cases)
    labels = ["format(%s, %r)" % (v, sp) if how == 1 else 'f"<{%s:%s}>"' % (v, sp) if how == 2
              else "%r %% %s" % (sp, v) for v, sp, how in cases]
    py = PY.replace("@CALLS@", py_calls).replace("@FSTRINGS@", fdefs)
    sys.exit(1 if paired.compare(MEMSIM, py, LUA.replace("@CALLS@", lua_calls), labels,
                                 "peak, kept, getsizeof, text") else 0)


if __name__ == "__main__":
    main()
