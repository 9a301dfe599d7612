# Parse a large standard-library source file with ast, as a linter would.
import ast, inspect, sys, typing
try:
    memsim_mark  # put among the builtins by memsim record
except NameError:
    def memsim_mark(name): pass
memsim_mark("read")
source = inspect.getsource(typing)
memsim_mark("parse")
tree = ast.parse(source)
memsim_mark("walk")
names = sorted({n.id for n in ast.walk(tree) if isinstance(n, ast.Name)})
print(len(source), len(names), file=sys.stderr)
