#!/usr/bin/env python3
"""test_sort.py MEMSIM: list.sort's order and merge buffers against CPython.

For lists of ints and strs in several orders (random from a fixed LCG,
sorted, reversed, sawtooth runs, few distinct values), each installed
interpreter sorts the list with tracemalloc on: the peak of traced memory
during sort() above what was live before it is the largest merge buffer
timsort took (merge_getmem frees the old one before taking a larger).
memsim sorts the same list under that version's profile and must report
the same peak (sim:reset_peak, then sim:stats().live_peak) and the same
order.  Exit status 1 on any difference.
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pythons  # noqa: E402

MEMSIM = os.path.abspath(sys.argv[1])

CASES = {
    "random ints": "[(i * 2654435761) % 1000003 for i in range(N)]",
    "sorted": "list(range(N))",
    "reversed": "list(range(N, 0, -1))",
    "sawtooth": "[i % 700 for i in range(N)]",
    "few values": "[(i * 7919) % 13 for i in range(N)]",
    "random strs": "['k%d' % ((i * 2654435761) % 100003) for i in range(N)]",
    "reverse=True": "[(i * 40503) % 65521 for i in range(N)]",
    # 3.13's relaxed runs: descending with ties is one run there, many before
    "descending, ties": "[(N - i) // 3 for i in range(N)]",
    "down then up": "[abs(N // 2 - i) // 2 for i in range(N)]",
    "ties then down": "[7] * (N // 4) + [(N - i) // 5 for i in range(N - N // 4)]",
}
SIZES = (10, 300, 5000, 40000)

PY = r'''
import sys, tracemalloc
N = int(sys.argv[1])
l = %s
tracemalloc.start()
tracemalloc.reset_peak()
cur = tracemalloc.get_traced_memory()[0]
l.sort(%s)
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
print(peak - cur)
print(" ".join(map(str, (l[:5] + l[-5:]) if len(l) >= 10 else (l[:5] + l[len(l) - 5:]))))
'''

LUA = r'''
local sim = memsim.new{profile = "%s", startup = false}
local values = {%s}
local l = sim:new("list")
for _, v in ipairs(values) do
  local o = type(v) == "string" and sim:new("str", v) or sim:new("int", v)
  sim:append(l, o)
  sim:decref(o)
end
sim:reset_peak()
local cur = sim:stats().live_bytes
sim:sort(l, %s)
print(sim:stats().live_peak - cur)
local out, n = {}, sim:len(l)
for _, i in ipairs{0, 1, 2, 3, 4, n - 5, n - 4, n - 3, n - 2, n - 1} do
  local o = sim:getitem(l, i)
  out[#out + 1] = tostring(sim:value(o))
  sim:decref(o)
end
print(table.concat(out, " "))
'''


def interpreters():
    return pythons.interpreters("3.%d" % sys.version_info[1], sys.executable)


def main():
    failed = passed = 0
    tmp = tempfile.mkdtemp()
    try:
        for minor, exe in interpreters():
            for name, expr in CASES.items():
                rev = "reverse=True" if name == "reverse=True" else ""
                for n in SIZES:
                    out = subprocess.run([exe, "-c", PY % (expr, rev), str(n)], capture_output=True,
                                         text=True, env=dict(os.environ, PYTHONHASHSEED="0"), check=True).stdout.split("\n")
                    real_peak = int(out[0])
                    real_order = out[1].split()
                    values = eval(expr, {"N": n})
                    lua_values = ", ".join('"%s"' % v if isinstance(v, str) else str(v) for v in values)
                    path = os.path.join(tmp, "sort.lua")
                    with open(path, "w") as f:
                        f.write(LUA % (
                            "cpython-" + minor, lua_values, "true" if rev else "false"))
                    res = subprocess.run([MEMSIM, "run", path], capture_output=True, text=True)
                    if res.returncode != 0:
                        print("FAIL %s %s n=%d: memsim: %s" % (minor, name, n, res.stderr.strip()[:300]))
                        failed += 1
                        continue
                    lines = res.stdout.split("\n")
                    mine_peak = int(lines[0])
                    order_ok = lines[1].split() == real_order
                    verdict = mine_peak == real_peak and order_ok
                    print("%s %-13s n=%-6d merge buffer peak: CPython %7d, memsim %7d, order %s  %s" % (
                        minor, name, n, real_peak, mine_peak, "same" if order_ok else "DIFFERS",
                        "ok" if verdict else "DIFFERS"))
                    passed += verdict
                    failed += not verdict
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("test_sort: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
