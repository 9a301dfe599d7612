#!/usr/bin/env python3
"""check_handouts.py: no handout or answer states a figure of its own.

    check_handouts.py EXPERIMENTS_DIR      (prints "N passed, N failed")

Every figure a handout (EXPERIMENTS_DIR/NAME.md) or its answers
(EXPERIMENTS_DIR/answers/NAME.md) states about a run must be a placeholder
the run fills in ({{run.field | format}}, see sim/lua/runner.lua,
"Handouts").  What may stand bare in the prose:
  - CPython's own constants, listed once below with what each is;
  - version numbers (3.9, 3.14.0), list numbering, ordinals (99th), the
    digits of names (gen0, x86-64, SipHash-1-3), the numbers that name a
    size class or a generation ("class 30", "generations 0, 1 and 2"), and
    powers written as such (10^6);
  - anything in `code`, in an indented code block, or in a link's target.
A number outside these is reported with its file and line.
"""
import os
import re
import sys

# CPython's constants a handout may name (value as written -> what it is)
CONSTANTS = {
    "512": "SMALL_REQUEST_THRESHOLD: the largest request pymalloc serves",
    "16 KiB": "POOL_SIZE (3.10 on)",
    "4 KiB": "POOL_SIZE (3.9)",
    "1 MiB": "ARENA_SIZE (3.10 on)",
    "256 KiB": "ARENA_SIZE (3.9)",
    "16": "ALIGNMENT: block sizes are multiples of 16 (64-bit)",
    "8": "bytes per pointer / item slot (64-bit)",
    "32": "size classes (512 / 16); also glibc malloc's smallest chunk",
    "48": "pool header bytes (POOL_OVERHEAD)",
    "24": "a float's size (sizeof(PyFloatObject))",
    "700": "generation 0 threshold (3.9 to 3.12)",
    "2,000": "generation 0 threshold (3.13)",
    "10": "generation 1 and 2 thresholds",
    "25%": "the long-lived ratio a full collection waits for",
    "256": "the largest cached small int",
    "-5": "the smallest cached small int",
    "80": "free list length of floats, tuples per size, lists, dicts (PyList_MAXFREELIST...)",
    "20": "tuple free-list sizes (lengths 1 to 20 cached)",
    "100": "3.14's free list of one-digit ints",
    "30": "bits per int digit (PyLong_SHIFT)",
    "50": "the trashcan's depth (_PyTrash_UNWIND_LEVEL)",
    "64": "pools per 1 MiB arena when the mapping is pool-aligned",
    "63": "pools per 1 MiB arena when it is not (one lost to alignment)",
}

NUMBER = re.compile(r"(?<![\w.])-?\d+(?:,\d{3})*(?:\.\d+)?(?:\s?(?:KiB|MiB|GiB|%))?")
ALLOWED_CONTEXT = [
    re.compile(r"\b3\.\d+(?:\.\d+)?\b"),          # versions
    re.compile(r"\b[A-Za-z_]+\w*\d\w*"),           # names holding digits
    re.compile(r"\b10\^\d+"),                      # powers of ten
    # the names of size classes and generations ("class 1", "generations 0 and 1")
    re.compile(r"\b(?:[Cc]lass(?:es)?|[Gg]enerations?)[\s-]+\d+(?:\s*(?:,|and|to|or)\s*\d+)*"),
    re.compile(r"\b\d+(?:st|nd|rd|th)\b"),          # ordinals: the 99th percentile
]


def strip(line):
    line = re.sub(r"\{\{.*?\}\}", " ", line)        # placeholders
    line = re.sub(r"`[^`]*`", " ", line)            # code spans
    line = re.sub(r"\]\([^)]*\)", "]", line)        # link and image targets
    for pat in ALLOWED_CONTEXT:
        line = pat.sub(" ", line)
    line = re.sub(r"^\s*\d+\.\s", " ", line)        # list numbering
    return line


def check_file(path):
    problems = []
    in_code = False
    prev_blank = True
    with open(path, encoding="utf-8") as f:
        text = f.read()
    # a placeholder may span lines: keep the line count, drop its text
    text = re.sub(r"\{\{.*?\}\}", lambda m: "{{}}" + "\n" * m.group(0).count("\n"), text, flags=re.S)
    for n, line in enumerate(text.split("\n"), 1):
        if line.startswith("    ") and (in_code or prev_blank):
            in_code = True
            continue
        in_code = False
        prev_blank = line.strip() == ""
        for m in NUMBER.finditer(strip(line)):
            tok = m.group(0).strip()
            if tok in CONSTANTS:
                continue
            problems.append("%s:%d: bare figure '%s' (a run's figure is a {{placeholder}}; "
                            "a CPython constant goes in check_handouts.py's list)" % (path, n, tok))
    return problems


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    d = sys.argv[1]
    files = sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".md"))
    files += sorted(os.path.join(d, "answers", f) for f in os.listdir(os.path.join(d, "answers"))
                    if f.endswith(".md"))
    passed = failed = 0
    for path in files:
        problems = check_file(path)
        for p in problems:
            print("FAIL: " + p, file=sys.stderr)
        if problems:
            failed += 1
        else:
            passed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
