# cpython-3.10: CPython 3.10's allocator geometry (3.11's 1 MiB arenas of 16 KiB pools) and the
# objects below where 3.10 differs from 3.11: instances with a real __dict__
# (a split dict on the class's shared keys: Objects/dictobject.c
# new_dict_with_shared_keys), generators with a frame object of their own
# kept by the code object (co_zombieframe), the pre-3.11 dict keys layout,
# sizes measured with sys.getsizeof on python 3.10.13.  The paired workloads
# and recorded traces match python 3.10.13 exactly (README, "CPython
# versions", which also says what is not modelled yet).

inherit              cpython-3.11
name                 cpython-3.10
python               3.10
dict_estimate_pow2   0         # dict.fromkeys(d): estimate_log2_keysize, as 3.11 (4 keys: 16 slots, getsizeof 360 with 24-byte entries)
kwcall_bound_method  1         # l.sort(reverse=True): LOAD_ATTR makes a builtin method (tracemalloc: 72 bytes at the call's peak)
sort_powersort       0         # list.sort: timsort's merge_collapse (powersort came in 3.11)
str_call_tuple       1         # str(x): an argument 1-tuple made and dropped (tp_call) (gc count of 100 calls in a loop on python 3.10.13: +1)
siphash              24        # sys.hash_info.algorithm: siphash24 (python 3.10.13)

# objects (sys.getsizeof on python 3.10.13)
int_sizeof_min_digits 0        # getsizeof(0) is 24: no digit counted for zero
function_size        128       # getsizeof(lambda: 0) is 144 with the GC header
tuple_nfreelists     19        # free_list[size] for size < PyTuple_MAXSAVESIZE (20): sizes 1 .. 19 kept
tuple_popmax         20        # and reused; a 20-tuple goes back to pymalloc
dict_keys_header     40        # PyDictKeysObject before 3.11: refcnt, size, lookup function, usable, nentries
dict_unicode_entry   24        # no PyDictUnicodeEntry before 3.11: every entry keeps its hash (24 bytes)
generator_size       88        # PyGenObject: getsizeof(g()) is 104 with the GC header
generator_frame      360       # the frame apart: sizeof(PyFrameObject), + 8 a slot (getsizeof of a frame of 2 slots: 384)
instance_size        32        # PyObject + dict and weakref pointers: getsizeof is 48
instance_dict        1         # the first attribute makes a split dict: values array, then the dict
