# A json round trip of a large generated document.
import json, sys
try:
    memsim_mark  # put among the builtins by memsim record
except NameError:
    def memsim_mark(name): pass
doc = {"items": [{"id": i, "name": "item-%d" % i, "tags": ["t%d" % (i % 7), "x"],
                  "price": i * 0.25, "nested": {"a": i, "b": [i, i + 1, None]}}
                 for i in range(20000)]}
memsim_mark("dump")
text = json.dumps(doc, indent=1)
memsim_mark("load")
back = json.loads(text)
assert back == doc
print(len(text), file=sys.stderr)
