# re over a large text: find every word and count them.
import collections, re, sys
try:
    memsim_mark  # put among the builtins by memsim record
except NameError:
    def memsim_mark(name): pass
words = ["memory", "arena", "pool", "block", "python", "object", "free", "list"]
text = " ".join(words[(i * 7 + i // 3) % len(words)] + str(i % 100) for i in range(150000))
memsim_mark("scan")
counts = collections.Counter(re.findall(r"[a-z]+\d*", text))
pairs = re.sub(r"(\w+) (\w+)", r"\2 \1", text[:200000])
print(len(counts), len(pairs), file=sys.stderr)
