# cpython-3.9: CPython 3.9's allocator geometry (4 KiB pools in 256 KiB arenas) and the
# objects below where 3.9 differs from 3.11: instances with a real __dict__
# (a split dict on the class's shared keys: Objects/dictobject.c
# new_dict_with_shared_keys), generators with a frame object of their own
# kept by the code object (co_zombieframe), the pre-3.11 dict keys layout,
# sizes measured with sys.getsizeof on python 3.9.18.  The paired workloads
# and recorded traces match python 3.9.18 exactly (README, "CPython
# versions", which also says what is not modelled yet).

inherit              cpython-3.11
name                 cpython-3.9
python               3.9
set_reuse_dummy      0         # set.add never reuses a dummy: 700 ints discarded and added back grow 32,984 -> 65,752 bytes (python 3.9.18)
dict_estimate_pow2   1         # dict.fromkeys(d): dictresize(ESTIMATE_SIZE(len(d))) (4 keys: 8 slots, getsizeof 232)
kwcall_bound_method  1         # l.sort(reverse=True): LOAD_ATTR makes a builtin method (tracemalloc: 72 bytes at the call's peak)
sort_powersort       0         # list.sort: timsort's merge_collapse (powersort came in 3.11)
str_call_tuple       1         # str(x): an argument 1-tuple made and dropped (tp_call) (gc count of 100 calls in a loop on python 3.9.18: +1)
percent_fstring      0         # 'a%sb' % (x, y) is BINARY_MODULO on a new tuple (dis on python 3.9.18)
float_call_tuple     1         # float(x): an argument 1-tuple (no float_vectorcall before 3.10; tracemalloc, test_arith.py, python 3.9.18)
latin1_lazy          1         # get_latin1_char: a one-character str below U+0100 made on first use (a block) and kept; 59 exist after start-up (measure_startup.py)
int_medium           28        # a one-digit int: _PyLong_New(1), offsetof(ob_digit) + 1 digit (3.11's _PyLong_FromMedium asks sizeof(PyLongObject), 32; test_arith.py, tracemalloc)
int_pow_small_exp    0         # long_pow: z = 1, then z*z and z*a for every bit of the exponent from bit 29 (x**1 a copy, x**2 two products)
keys_freelist_any    1         # the dict keys free list keeps any table of 8 slots (free_keys_object, python 3.9.18: a float-keyed dict's first table is kept)
nan_hash_zero        1         # hash(float('nan')) == 0 (_PyHASH_NAN, python 3.9.18)
siphash              24        # sys.hash_info.algorithm: siphash24 (python 3.9.18)

# pymalloc before 3.10 (Objects/obmalloc.c at v3.9.18): 4 KiB pools in
# 256 KiB arenas, which mmap always places pool-aligned (64 pools each)
pool_size            4096      # POOL_SIZE = SYSTEM_PAGE_SIZE
arena_size           262144    # ARENA_SIZE = 256 << 10

# objects (sys.getsizeof on python 3.9.18)
int_sizeof_min_digits 0        # getsizeof(0) is 24: no digit counted for zero
function_size        120       # getsizeof(lambda: 0) is 136 with the GC header
tuple_nfreelists     19        # free_list[size] for size < PyTuple_MAXSAVESIZE (20): sizes 1 .. 19 kept
tuple_popmax         20        # and reused; a 20-tuple goes back to pymalloc
list_prealloc_even   0         # 3.9: list(x) preallocates exactly len(x) (measured: list([1]*5) has 5 slots)
list_extend_prealloc 0         # 3.9: extend() of [] goes through list_resize (measured: [].extend([1,2,3]) has 8)
dict_keys_header     40        # PyDictKeysObject before 3.11: refcnt, size, lookup function, usable, nentries
dict_unicode_entry   24        # no PyDictUnicodeEntry before 3.11: every entry keeps its hash (24 bytes)
generator_size       96        # PyGenObject: getsizeof(g()) is 112 with the GC header
generator_frame      368       # the frame apart: sizeof(PyFrameObject), + 8 a slot (getsizeof of a frame of 2 slots: 392)
instance_size        32        # PyObject + dict and weakref pointers: getsizeof is 48
instance_dict        1         # the first attribute makes a split dict: values array, then the dict

# the pause model (profile.h), fitted by scripts/calibrate.py to CPython 3.9.18
# on AMD EPYC, 2 cores, L2 1024K, L3 32768K, Linux 6.18.44-fc-v657, 2026-11-24 (bench/pauses/cpython-3.9.tsv)
cost.free_fast         2
cost.gc_fixed          803
cost.gc_object_1m      7.02
cost.gc_object_4m      13.35
cost.gc_object_8m      17.04
cost.gc_object_16m     24.98
cost.gc_object_32m     76.98
cost.gc_object_64m     89.60
cost.gc_edge           1.82
cost.gc_startup_object 41.86
cost.dealloc_float     0.00
cost.dealloc_int       0.18
cost.dealloc_list      9.15
cost.dealloc_tuple     5.67
cost.dealloc_str       2.67
cost.dealloc_dict      4.76
cost.dealloc_object    15.93
cost.dealloc_other     4.76
cost.dealloc_miss_4m   1.18
cost.dealloc_miss_8m   2.22
cost.dealloc_miss_16m  4.13
cost.dealloc_miss_32m  3.01
cost.dealloc_miss_64m  6.27
cost.dealloc_deep      6.73
