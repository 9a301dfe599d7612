# Allocator events in bulk: tuples, strs and lists built, kept, then dropped.
#   record_big.py [ROWS [ROUNDS]]
# The default, 1,200,000 rows in one round, makes about 1.7 * 10^7 events
# under 3.11; ROUNDS repeats the build and drop, so that the events grow
# and the live heap does not (bench_record.py's scaling run).
import sys

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_200_000
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 1
for _ in range(ROUNDS):
    rows = []
    for i in range(ROWS):
        rows.append((i, str(i), [i, i + 1]))
    del rows
