# cpython-3.13 (partial): 3.12's profile with 3.13's first collector
# threshold of 2000.  Not yet the full 3.13 object model (immortal
# objects, inline values): see the README's note on versions.  Replayed
# traces (memsim replay) depend on the allocator alone, and verify exactly
# against python 3.13.0.

inherit              cpython-3.12
name                 cpython-3.13
python               3.13
gc_threshold0        2000      # gh-108362: the young generation is larger
