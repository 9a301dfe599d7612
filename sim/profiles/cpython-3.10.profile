# cpython-3.10 (partial): CPython 3.10 has 3.11's allocator geometry (1 MiB
# arenas of 16 KiB pools, the radix tree), with the object sizes below;
# every other object is still laid out as in 3.11 (3.10's separate frames
# and instance dicts are not modelled yet: see the README's note on
# versions).  Replayed traces (memsim replay) depend on the allocator
# alone, and verify exactly against python 3.10.13.

inherit              cpython-3.11
name                 cpython-3.10
python               3.10

# objects (sys.getsizeof on python 3.10.13)
int_sizeof_min_digits 0        # getsizeof(0) is 24: no digit counted for zero
function_size        128       # getsizeof(lambda: 0) is 144 with the GC header
tuple_nfreelists     19        # free_list[size] for size < PyTuple_MAXSAVESIZE (20): sizes 1 .. 19 kept
tuple_popmax         20        # and reused; a 20-tuple goes back to pymalloc
dict_keys_header     40        # PyDictKeysObject before 3.11: refcnt, size, lookup function, usable, nentries
dict_unicode_entry   24        # no PyDictUnicodeEntry before 3.11: every entry keeps its hash (24 bytes)
generator_size       88        # PyGenObject: getsizeof(g()) is 104 with the GC header
generator_frame      360       # the frame apart: sizeof(PyFrameObject), + 8 a slot (getsizeof of a frame of 2 slots: 384)
