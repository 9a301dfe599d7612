# About 10^7 allocator events: tuples, strs and lists built, kept, then dropped.
rows = []
for i in range(1_200_000):
    rows.append((i, str(i), [i, i + 1]))
del rows
