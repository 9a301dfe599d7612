# cpython-3.12 (partial): CPython 3.12 has 3.11's allocator geometry, with
# the object sizes below; immortal objects and the instance pre-header
# are not modelled yet (see the README's note on versions).  Replayed
# traces (memsim replay) depend on the allocator alone, and verify exactly
# against python 3.12.1.

inherit              cpython-3.11
name                 cpython-3.12
python               3.12

# objects (sys.getsizeof on python 3.12.1)
str_ascii_base       40        # 3.12 dropped wstr: a str of n ASCII is 40 + n + 1
function_size        144       # getsizeof(lambda: 0) is 160 with the GC header
range_iter_size      40        # the iterator keeps start, step, len
