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
intern_immortal      0         # sys.intern leaves the str mortal again (python 3.13.0)
gc_threshold0        2000      # gh-108362: the young generation is larger
tuple_popmax         21        # 3.13's freelist macros index by size - 1: sizes 1 .. 20 are reused (3.11's quirk gone)
instance_inline_values 1       # 3.13: the values live after the object (_PyObject_InitInlineValues), one block
