#!/usr/bin/env python3
"""test_strmethods.py MEMSIM: str.split, strip, upper and lower against CPython.

Each case is one call, `r = s.split(...)` or `r = s.strip()` (lstrip,
rstrip), run by every installed interpreter with tracemalloc on, after
gc.collect() (the free lists emptied): the peak of traced memory above
what was live before (less the same measurement's of `r = s`), what stays,
getsizeof of the result and of each of its items, and the items.  memsim
(sim:split, sim:strip, ...) under that version's profile must agree on
all: the list of 12 slots split() makes before it knows the count, a str
a piece, the cached one-character strs, s itself when nothing splits.
Exit status 1 on any difference.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import paired  # noqa: E402

MEMSIM = os.path.abspath(sys.argv[1])

TEXTS = ["a b c", "  hello   world  ", "one", "", "   ", "x,y,,z,", "k=v; k2=v2; k3=v3",
         " ".join("w%d" % i for i in range(30)), "a b c d e f g h i j k l m n", "héllo wörld",
         "tab\tand\nnewline", "a--b--c", "ab"]
CASES = [(t, "split", None, -1) for t in TEXTS]
CASES += [(t, "split", sep, -1) for t in TEXTS for sep in (",", "--", "; ", "ö", "€")]
CASES += [(t, "split", None, n) for t in TEXTS[:4] + TEXTS[7:9] for n in (0, 1, 2, 13)]
CASES += [(t, "split", ",", n) for t in ("x,y,,z,", "a,b") for n in (0, 1, 5)]
CASES += [(t, op, None, -1) for t in TEXTS for op in ("strip", "lstrip", "rstrip")]
CASES += [(t, op, None, -1) for t in TEXTS + ["A", "x", "Straße ÿ µ", "ÀÉÎ"] for op in ("upper", "lower")]

PY = r'''
import gc, sys, tracemalloc
ASCII = [chr(c) for c in range(128)]   # 3.9, 3.10: made on first use; made here, and in memsim
r = None
def measure(s, op, sep, n):
    global r
    r = None
    gc.collect()
    tracemalloc.start()
    cur = tracemalloc.get_traced_memory()[0]
    if op == "split":
        r = s.split(sep, n)
    elif op == "strip":
        r = s.strip()
    elif op == "lstrip":
        r = s.lstrip()
    elif op == "rstrip":
        r = s.rstrip()
    elif op == "upper":
        r = s.upper()
    elif op == "lower":
        r = s.lower()
    else:
        r = s
    now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak - cur, now - cur
def one(s, op, sep, n):
    p0, n0 = measure(s, "", sep, n)
    p, k = measure(s, op, sep, n)
    items = r if isinstance(r, list) else [r]
    print(p - p0, k - n0, sys.getsizeof(r), [sys.getsizeof(x) for x in items], items)
@CALLS@
'''

LUA = r'''
local sim = memsim.new{profile = "@PROFILE@"}
for c = 0, 127 do sim:decref(sim:new("str", string.char(c))) end   -- as the Python side: every ASCII character made
local function one(text, op, sep, n)
  local s = sim:new("str", text)
  local so = sep and sim:new("str", sep) or nil
  sim.gc.collect()
  sim:reset_peak()
  local cur = sim:stats().live_bytes
  local r
  if op == "split" then r = sim:split(s, so, n) else r = sim[op](sim, s) end
  local st = sim:stats()
  local sizes, texts = {}, {}
  local items = {}
  if sim:type(r) == "list" then
    for k = 0, sim:len(r) - 1 do items[#items + 1] = sim:getitem(r, k) end
  else
    sim:incref(r)
    items[1] = r
  end
  for _, x in ipairs(items) do
    sizes[#sizes + 1] = tostring(sim.sys.getsizeof(x))
    local v = sim:value(x):gsub("\\", "\\\\"):gsub("\t", "\\t"):gsub("\n", "\\n"):gsub("'", "\\'")
    texts[#texts + 1] = "'" .. v .. "'"
    sim:decref(x)
  end
  print(string.format("%d %d %d [%s] [%s]", st.live_peak - cur, st.live_bytes - cur, sim.sys.getsizeof(r),
                      table.concat(sizes, ", "), table.concat(texts, ", ")))
  sim:decref(r); sim:decref(s)
  if so then sim:decref(so) end
end
@CALLS@
'''


def lua_str(t):
    return '"' + t.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n") + '"'


def main():
    py_calls = "\n".join("one(%r, %r, %r, %d)" % c for c in CASES)
    lua_calls = "\n".join("one(%s, %s, %s, %d)" % (lua_str(t), lua_str(op), lua_str(sep) if sep else "nil", n)
                          for t, op, sep, n in CASES)
    labels = ["%r.%s(%r, %d)" % c for c in CASES]
    sys.exit(1 if paired.compare(MEMSIM, PY.replace("@CALLS@", py_calls), LUA.replace("@CALLS@", lua_calls),
                                 labels, "peak, kept, getsizeof of the result and its items, items") else 0)


if __name__ == "__main__":
    main()
