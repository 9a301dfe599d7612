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
percent_fstring      0         # 'a%sb' % (x, y) is BINARY_MODULO on a new tuple (dis on python 3.10.13)
latin1_lazy          1         # get_latin1_char: a one-character str below U+0100 made on first use (a block) and kept; 59 exist after start-up (measure_startup.py)
int_medium           28        # a one-digit int: _PyLong_New(1), offsetof(ob_digit) + 1 digit (3.11's _PyLong_FromMedium asks sizeof(PyLongObject), 32; test_arith.py, tracemalloc)
int_pow_small_exp    0         # long_pow: z = 1, then z*z and z*a for every bit of the exponent from bit 29 (x**1 a copy, x**2 two products)
keys_freelist_any    1         # the dict keys free list keeps any table of 8 slots (free_keys_object, python 3.10.13: a float-keyed dict's first table is kept)
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

# the pause model (profile.h), fitted by scripts/calibrate.py to CPython 3.10.13
# on AMD EPYC, 2 cores, L2 1024K, L3 32768K, Linux 6.18.44-fc-v657, 2026-11-24 (bench/pauses/cpython-3.10.tsv)
cost.free_fast         2
cost.gc_fixed          755
cost.gc_object_1m      6.48
cost.gc_object_4m      10.60
cost.gc_object_8m      14.65
cost.gc_object_16m     23.49
cost.gc_object_32m     39.28
cost.gc_object_64m     53.95
cost.gc_edge           2.07
cost.gc_startup_object 43.96
cost.dealloc_float     0.37
cost.dealloc_int       0.47
cost.dealloc_list      8.70
cost.dealloc_tuple     6.57
cost.dealloc_str       0.80
cost.dealloc_dict      7.08
cost.dealloc_object    12.44
cost.dealloc_other     6.57
cost.dealloc_miss_4m   0.14
cost.dealloc_miss_8m   0.24
cost.dealloc_miss_16m  4.04
cost.dealloc_miss_32m  2.15
cost.dealloc_miss_64m  5.24
cost.dealloc_deep      7.82
