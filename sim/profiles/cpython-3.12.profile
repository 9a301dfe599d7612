# cpython-3.12 (partial): CPython 3.12 has 3.11's allocator geometry, with
# the object sizes below (an instance is its pre-header and PyObject, 16
# bytes smaller, its values array apart as in 3.11).  Immortal objects
# (PEP 683): None, the small ints, the empty and one-character singletons
# and interned names are never freed (as in every memsim profile) and
# sim:refcount of them is the constant sys.getrefcount says.  Replayed traces (memsim
# replay) depend on the allocator alone, and verify exactly against python
# 3.12.1.

inherit              cpython-3.11
name                 cpython-3.12
python               3.12
str_call_tuple       1         # str(x): an argument 1-tuple made and dropped (tp_call) (gc count of 100 calls in a loop on python 3.12.1: +1)
split_bound          1         # str.split without maxsplit: len / len(sep) + 1 splits at most ((len - 1) / 2 + 1 for whitespace), which sizes its list (getsizeof of 'ab'.split(',') is 88 on python 3.12.1 and 3.13.0, 152 on 3.11.7; test_strmethods.py)
vars_call_tuple      0         # vars(obj): no argument tuple (blocks with the 1-tuple free list drained, python 3.12.1)

# objects (sys.getsizeof on python 3.12.1)
str_ascii_base       40        # 3.12 dropped wstr: a str of n ASCII is 40 + n + 1
latin1_utf8          1         # getsizeof('é') is 61: the static singleton's UTF-8 ('\xc3\xa9' and a NUL) counted
intern_immortal      1         # sys.intern makes the str immortal: getrefcount 4294967295, its block kept
str_compact_base     56        # 'é'*5 is 62, '€'*5 68, '😀'*5 80 (python 3.12.1, 3.13.0)
function_size        144       # getsizeof(lambda: 0) is 160 with the GC header
range_iter_size      40        # the iterator keeps start, step, len
immortal_refcnt      4294967295 # sys.getrefcount(None), (5), (''), ('a'), of an identifier: python 3.12.1 and 3.13.0
instance_size        32        # the pre-header (dict or values, weakref) + PyObject: getsizeof is 48

# the pause model (profile.h), fitted by scripts/calibrate.py to CPython 3.12.1
# on AMD EPYC, 2 cores, L2 1024K, L3 32768K, Linux 6.18.44-fc-v657, 2026-11-24 (bench/pauses/cpython-3.12.tsv)
cost.free_fast         2
cost.gc_fixed          807
cost.gc_object_1m      5.54
cost.gc_object_4m      10.21
cost.gc_object_8m      12.88
cost.gc_object_16m     18.09
cost.gc_object_32m     45.77
cost.gc_object_64m     55.21
cost.gc_edge           2.03
cost.gc_startup_object 45.31
cost.dealloc_float     3.19
cost.dealloc_int       1.95
cost.dealloc_list      15.60
cost.dealloc_tuple     11.96
cost.dealloc_str       2.03
cost.dealloc_dict      12.08
cost.dealloc_object    16.81
cost.dealloc_other     11.96
cost.dealloc_miss_4m   0.00
cost.dealloc_miss_8m   0.52
cost.dealloc_miss_16m  2.44
cost.dealloc_miss_32m  2.47
cost.dealloc_miss_64m  3.57
cost.dealloc_deep      13.99
