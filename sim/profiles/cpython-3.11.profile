# cpython-3.11: CPython 3.11, 64-bit Linux, default build.
#
# One number a line: NAME VALUE, with a comment saying where it comes
# from.  Every size here was read from the 3.11 sources (Objects/*.c,
# Include/cpython/*.h) and checked with sys.getsizeof and
# sys._debugmallocstats on python 3.11.7 (tests/fidelity/).  The costs at
# the end are what scripts/calibrate.py measured on this project's machine;
# it rewrites them.

name                 cpython-3.11
python               3.11

# pymalloc geometry (Objects/obmalloc.c)
alignment            16        # ALIGNMENT
small_threshold      512       # SMALL_REQUEST_THRESHOLD
pool_size            16384     # POOL_SIZE: 16 KiB (POOL_BITS 14)
arena_size           1048576   # ARENA_SIZE: 1 MiB (ARENA_BITS 20)
pool_overhead        48        # POOL_OVERHEAD: sizeof(struct pool_header), aligned
initial_arenas       16        # INITIAL_ARENA_OBJECTS

# object layout, in bytes (what each object asks its allocator for)
gc_head              16        # sizeof(PyGC_Head)
int_medium           32        # a one-digit int: offsetof(ob_digit) + 1 digit, rounded
int_base             24        # offsetof(PyLongObject, ob_digit); 4 bytes a digit
int_sizeof_min_digits 1        # int___sizeof__: Py_MAX(Py_ABS(Py_SIZE(self)), 1) digits: getsizeof(0) is 28
small_int_min        -5        # _PY_NSMALLNEGINTS
small_int_max        256       # _PY_NSMALLPOSINTS - 1
float_size           24        # sizeof(PyFloatObject)
str_ascii_base       48        # sizeof(PyASCIIObject): a str of n ASCII is 48 + n + 1
str_compact_base     72        # sizeof(PyCompactUnicodeObject): 'é'*n is 72 + n + 1, '€'*n 72 + 2(n + 1), '😀'*n 72 + 4(n + 1)
set_reuse_dummy      1         # set_add_entry's freeslot: 700 ints discarded and added back, getsizeof stays 32,984
dict_estimate_pow2   0         # dict.fromkeys(d): estimate_log2_keysize(len(d)) (4 keys: 16 slots, getsizeof 352)
kwcall_bound_method  0         # l.sort(reverse=True): LOAD_METHOD, no bound method (tracemalloc peak of the call: +0)
sort_powersort       1         # list.sort: powersort's merge policy (bpo-34561, 3.11)
str_call_tuple       0         # str(x) is a vectorcall: no argument tuple (gc count of 100 calls: +0)
percent_fstring      1         # 'a%sb' % (x, y) with only %s, %r, %a units is compiled as f'a{x!s}b{y!s}': no tuple, no format (dis on python 3.11.7, 3.12.1, 3.13.0: FORMAT_VALUE, BUILD_STRING)
latin1_lazy          0         # one-character strs below U+0100 are static (_Py_SINGLETON)
split_bound          0         # str.split's list: min(maxsplit + 1, 12) slots
int_call_tuple       1         # int(x): an argument 1-tuple made and dropped, int having no vectorcall (tracemalloc, test_arith.py, python 3.11.7)
float_call_tuple     0         # float(x) is a vectorcall (float_vectorcall): no tuple
vars_call_tuple      1         # vars(obj): its argument in a 1-tuple, builtin_vars being METH_VARARGS (blocks with the 1-tuple free list drained, python 3.11.7)
nan_hash_zero        0         # hash(float('nan')) is the object's address (_Py_HashDouble(inst, v), 3.10 on)
keys_freelist_any    0         # the dict keys free list keeps str-keyed tables of 8 slots only (free_keys_object: DK_IS_UNICODE)
sort_relaxed_runs    0         # list.sort: a descending run is strictly descending
latin1_utf8          0         # getsizeof('é') is 74: 72 + 1 + 1
intern_immortal      0         # sys.intern: the str stays mortal (3.11, 3.13)
siphash              13        # sys.hash_info.algorithm: siphash13 (3.11 on)
bytes_base           32        # offsetof(PyBytesObject, ob_sval): 32 + n + 1
tuple_base           24        # sizeof(PyTupleObject) - one item: 24 + 8n, plus gc_head
list_size            40        # sizeof(PyListObject)
dict_size            48        # sizeof(PyDictObject)
dict_keys_header     32        # sizeof(PyDictKeysObject)
dict_unicode_entry   16        # PyDictUnicodeEntry: key, value (no hash) in a str-keys table
set_size             200       # sizeof(PySetObject), the small table of 8 inside
set_minsize          8         # PySet_MINSIZE
instance_size        40        # class C: pass: 16 of the pre-header (dict, weakref) + 24
instance_inline_values 0       # the values array is a second allocation (new_values)
instance_dict        0         # 3.11: no dict until one is asked for (values array instead)
generator_size       152       # a generator with its frame, before the local slots
generator_frame      0         # 3.11: the frame lives inside the generator (no frame object)
function_size        136       # sizeof(PyFunctionObject)
range_size           48        # sizeof(rangeobject): start, stop, step, length
range_iter_size      48        # sizeof(_PyRangeIterObject): index, start, step, len

# free lists (Objects/*object.c)
float_freelist       100       # PyFloat_MAXFREELIST
list_freelist        80        # PyList_MAXFREELIST
list_prealloc_even   1         # list_preallocate_exact: size = (size + 1) & ~1 (list(x), extend of [])
list_extend_prealloc 1         # list_extend: an empty list (ob_item NULL) is preallocated exactly
dict_freelist        80        # PyDict_MAXFREELIST (the keys free list too)
tuple_freelist       2000      # PyTuple_MAXFREELIST, per size
tuple_nfreelists     20        # PyTuple_NFREELISTS: sizes 1 .. 20 are kept
tuple_popmax         20        # tuple_alloc takes sizes 1 .. 19 only (size < PyTuple_NFREELISTS)
int_freelist         0         # no free list of ints before 3.14
int_pow_small_exp    1         # long_pow: x**2 and x**3 multiply directly, larger powers start from z = a (3.11 on)
immortal_refcnt      0         # no immortal objects before 3.12: None's count moves

# the cycle collector (Modules/gcmodule.c)
gc_threshold0        700
gc_threshold1        10
gc_threshold2        10
gc_incremental       0         # the generational collector
gc_work_to_do_start  0         # (the incremental collector's; unused here)
gc_scan_rate_divisor 10        # (the incremental collector's; unused here)

# simulated costs, in nanoseconds
cost.alloc_carve     4
cost.pool_init       120
cost.arena_map       4000
cost.arena_unmap     6000
cost.raw_malloc      45
cost.raw_free        35
cost.raw_mmap        5000
cost.copy_per_kib    40
cost.refcount        1
cost.freelist        3
cost.alloc_fast      9
cost.object_init     3

# the pause model (profile.h), fitted by scripts/calibrate.py to CPython 3.11.7
# on AMD EPYC, 2 cores, L2 1024K, L3 32768K, Linux 6.18.44-fc-v657, 2026-11-24 (bench/pauses/cpython-3.11.tsv)
cost.free_fast         2
cost.gc_fixed          736
cost.gc_object_1m      6.24
cost.gc_object_4m      9.75
cost.gc_object_8m      11.27
cost.gc_object_16m     19.64
cost.gc_object_32m     53.43
cost.gc_object_64m     56.91
cost.gc_edge           1.90
cost.gc_startup_object 35.35
cost.dealloc_float     0.11
cost.dealloc_int       0.11
cost.dealloc_list      8.50
cost.dealloc_tuple     5.57
cost.dealloc_str       0.60
cost.dealloc_dict      6.42
cost.dealloc_object    11.43
cost.dealloc_other     5.57
cost.dealloc_miss_4m   0.42
cost.dealloc_miss_8m   1.16
cost.dealloc_miss_16m  3.84
cost.dealloc_miss_32m  2.52
cost.dealloc_miss_64m  4.45
cost.dealloc_deep      13.07
