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

# objects (sys.getsizeof on python 3.12.1)
str_ascii_base       40        # 3.12 dropped wstr: a str of n ASCII is 40 + n + 1
latin1_utf8          1         # getsizeof('é') is 61: the static singleton's UTF-8 ('\xc3\xa9' and a NUL) counted
intern_immortal      1         # sys.intern makes the str immortal: getrefcount 4294967295, its block kept
str_compact_base     56        # 'é'*5 is 62, '€'*5 68, '😀'*5 80 (python 3.12.1, 3.13.0)
function_size        144       # getsizeof(lambda: 0) is 160 with the GC header
range_iter_size      40        # the iterator keeps start, step, len
immortal_refcnt      4294967295 # sys.getrefcount(None), (5), (''), ('a'), of an identifier: python 3.12.1 and 3.13.0
instance_size        32        # the pre-header (dict or values, weakref) + PyObject: getsizeof is 48
