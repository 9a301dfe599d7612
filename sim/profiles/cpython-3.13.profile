# cpython-3.13 (partial): 3.12's profile with 3.13's first collector
# threshold of 2000, instance values inside the object (one block, sized
# from the class's shared keys before the new instance takes its slot:
# Objects/typeobject.c _PyType_AllocNoTrack, Objects/dictobject.c
# _PyObject_InitInlineValues) and tuple free lists for sizes 1 to 20.
# Not modelled yet: __static_attributes__ pre-filling the
# shared keys (classes with an __init__), per-interpreter free-list limits
# (see the README's note on versions).  Replayed traces (memsim replay)
# depend on the allocator alone, and verify exactly against python 3.13.0.

inherit              cpython-3.12
name                 cpython-3.13
python               3.13
str_call_tuple       0         # str(x): no argument tuple (gc count of 100 calls in a loop on python 3.13.0: +0)
int_call_tuple       0         # int(x) is a vectorcall (long_vectorcall, 3.13): no tuple (tracemalloc, test_arith.py, python 3.13.0)
vars_call_tuple      1         # vars(obj): its argument in a 1-tuple again (blocks with the 1-tuple free list drained, python 3.13.0)
sort_relaxed_runs    1         # list.sort: a descending run may hold equal items, the run extended as it ascends after (count_run, gh-116554; test_sort.py on python 3.13.0)
intern_immortal      0         # sys.intern leaves the str mortal again (python 3.13.0)
gc_threshold0        2000      # gh-108362: the young generation is larger
tuple_popmax         21        # 3.13's freelist macros index by size - 1: sizes 1 .. 20 are reused (3.11's quirk gone)
instance_inline_values 1       # 3.13: the values live after the object (_PyObject_InitInlineValues), one block

# the pause model (profile.h), fitted by scripts/calibrate.py to CPython 3.13.0
# on AMD EPYC, 2 cores, L2 1024K, L3 32768K, Linux 6.18.44-fc-v657, 2026-11-24 (bench/pauses/cpython-3.13.tsv)
cost.free_fast         2
cost.gc_fixed          820
cost.gc_object_1m      6.02
cost.gc_object_4m      10.48
cost.gc_object_8m      13.18
cost.gc_object_16m     24.85
cost.gc_object_32m     46.20
cost.gc_object_64m     55.63
cost.gc_edge           1.79
cost.gc_startup_object 51.37
cost.dealloc_float     3.48
cost.dealloc_int       2.00
cost.dealloc_list      12.79
cost.dealloc_tuple     8.59
cost.dealloc_str       1.70
cost.dealloc_dict      10.18
cost.dealloc_object    15.59
cost.dealloc_other     8.59
cost.dealloc_miss_4m   0.00
cost.dealloc_miss_8m   0.55
cost.dealloc_miss_16m  3.00
cost.dealloc_miss_32m  2.35
cost.dealloc_miss_64m  3.94
cost.dealloc_deep      25.05
