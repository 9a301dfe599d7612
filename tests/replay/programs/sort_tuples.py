# Build and sort a big list of tuples, then keep a tenth of it.
import random, sys
try:
    memsim_mark  # put among the builtins by memsim record
except NameError:
    def memsim_mark(name): pass
rng = random.Random(12345)
memsim_mark("build")
rows = [(rng.randrange(1000), "k%d" % rng.randrange(10**6), rng.random()) for _ in range(200000)]
memsim_mark("sort")
rows.sort()
memsim_mark("keep")
rows = rows[::10]
print(len(rows), rows[0][0], file=sys.stderr)
