#!/usr/bin/env python3
"""check_plots.py: what every plot script memsim wrote must hold.

    check_plots.py DIR ...     (results directories; prints "N passed, N failed")

- every title, axis label, legend entry and tick label is drawn without
  gnuplot's enhanced text (an underscore would become a subscript);
- every string from a script is single-quoted and holds no quote or control
  character (gnuplot runs `commands` in double-quoted strings);
- a log axis spans the data: when a script sets a y range on a log axis,
  it is not the fixed 0.1 of gnuplot's autoscale, and a bar chart's y
  range never starts at 0 on a log axis;
- no label or legend shows a column name (a word_with_underscores ending
  in _bytes or _ns) or says "bytes (bytes)".
"""
import glob
import os
import re
import sys

passed = failed = 0


def check(cond, msg):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + msg, file=sys.stderr)


def texts(line):
    return re.findall(r"'([^']*)'", line)


for d in sys.argv[1:]:
    for gp in sorted(glob.glob(os.path.join(d, "*.gp"))):
        name = os.path.relpath(gp, os.path.dirname(d))
        lines = open(gp, encoding="utf-8").read().split("\n")
        log_y = any(l.startswith("set logscale y") for l in lines)
        for l in lines:
            if l.startswith(("set title ", "set xlabel ", "set ylabel ")):
                check(l.rstrip().endswith("noenhanced") or " noenhanced " in l, f"{name}: enhanced text: {l}")
            if " title '" in l and l.lstrip().startswith(("plot", "'")):
                for part in re.findall(r"title '[^']*'( noenhanced)?", l):
                    check(part == " noenhanced", f"{name}: a legend entry in enhanced text: {l}")
            if l.startswith("set yrange") and log_y:
                lo = re.match(r"set yrange \[([^:]*):", l).group(1)
                check(lo not in ("0", "0.1", "*"), f"{name}: a log axis from {lo}")
            for t in texts(l):
                check(not re.search(r"[\x00-\x1f]", t), f"{name}: a control character in '{t}'")
            shown = re.findall(r"title '([^']*)'", l)          # legend entries
            if l.startswith(("set title ", "set xlabel ", "set ylabel ")):
                shown = texts(l)[:1]
            for t in shown:
                check(not re.search(r"\b\w+_(bytes|ns)\b", t), f"{name}: a column name in a label: '{t}'")
                check("bytes (bytes)" not in t, f"{name}: 'bytes (bytes)'")
        check(any(l.startswith("set xtics noenhanced") for l in lines), f"{name}: tick labels in enhanced text")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
