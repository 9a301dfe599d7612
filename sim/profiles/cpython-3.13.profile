# cpython-3.13 (partial): CPython 3.11's profile with the two numbers of
# 3.13 that the gc_generations experiment compares: the first collector
# threshold of 2000 and the str header without wstr (3.12).  Not yet the
# full 3.13 object model (immortal objects, inline values): see the
# README's note on versions.

inherit              cpython-3.11
name                 cpython-3.13
python               3.13
str_ascii_base       40        # 3.12 dropped wstr: a str of n ASCII is 40 + n + 1
gc_threshold0        2000      # gh-108362: the young generation is larger
range_iter_size      40        # 3.12: the iterator keeps start, step, len (measured on 3.13.0)
