# difflib on two versions of a file: a standard-library module and an edited copy.
import difflib, inspect, sys, textwrap
try:
    memsim_mark  # put among the builtins by memsim record
except NameError:
    def memsim_mark(name): pass
old = inspect.getsource(textwrap).splitlines(keepends=True)
new = [l.replace("width", "columns") if i % 5 == 0 else l for i, l in enumerate(old)]
del new[100:140]
memsim_mark("diff")
diff = list(difflib.unified_diff(old, new, "a/textwrap.py", "b/textwrap.py"))
ratio = difflib.SequenceMatcher(None, old[:400], new[:400]).ratio()
print(len(diff), round(ratio, 3), file=sys.stderr)
