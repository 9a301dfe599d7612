# cpython-3.14: CPython 3.14.5 and later: 3.14's objects with the
# generational collector restored (3.13's: thresholds 2000, 10, 10, the
# quarter-of-the-long-lived rule for the oldest generation).
#
# No 3.14 interpreter is installed on this project's machine: the numbers
# below were read from the 3.14 sources, not measured.  Where 3.14
# differs from 3.13 in what memsim models:
#   - a free list of up to 100 compact ints (Include/internal/
#     pycore_freelist_state.h: Py_ints_MAXFREELIST; Objects/longobject.c
#     _PyLong_FromMedium pops it, _PyLong_ExactDealloc pushes it);
#   - function objects keep func_annotate (PEP 649): 8 bytes more.
# It starts from 3.13.0's measured heap, the nearest measured interpreter.

inherit              cpython-3.13
name                 cpython-3.14
python               3.14
startup_heap         cpython-3.13

int_freelist         100       # Py_ints_MAXFREELIST
function_size        152       # 3.13's 144 + func_annotate
