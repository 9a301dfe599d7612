# cpython-3.14.0: CPython 3.14.0 to 3.14.4, whose collector was incremental.
#
# No 3.14 interpreter is installed on this project's machine: this profile
# is read from CPython's sources, not measured.  The collector follows
# Python/gc.c of 3.14 (the GIL build), function by function, as
# sim/gc/gc_incremental.c says rule by rule:
#   _PyObject_GC_Link       young.count += 1, heap_size += 1; past the young
#                           threshold a collection is scheduled
#   _Py_RunGC               that collection is _PyGC_Collect(tstate, 1): an increment
#   assess_work_to_do       young.count + min(heap_size / SCAN_RATE_DIVISOR /
#                           max(old[0].threshold, 2), young.count * 3 / 2)
#   gc_collect_increment    MARK phase: mark_at_start (mark_global_roots,
#                           mark_stacks) and return; COLLECT phase: young +
#                           pending objects and what they reach
#                           (expand_region_transitively_reachable) up to
#                           work_to_do, then gc_collect_region; work_to_do +=
#                           heap_size / 10 / scale - increment size
#   completed_scavenge      the spaces swap when the pending one is empty
#   gc_collect_young, gc_collect_full   gc.collect(0) and gc.collect()
# and Modules/gcmodule.c: get_count() = (young.count, old[visited].count,
# old[pending].count), get_threshold() = (young, old[0], 0).  The initial
# state is Include/internal/pycore_runtime_init.h's: thresholds 2000, 10, 0;
# work_to_do -5000; phase MARK.  The objects are 3.14's (cpython-3.14).
# It starts from 3.13.0's measured heap, the nearest measured interpreter.

inherit              cpython-3.14
name                 cpython-3.14.0
python               3.14.0
startup_heap         cpython-3.13

gc_incremental       1         # Python/gc.c of 3.14.0: young, old[0], old[1], increments
gc_threshold0        2000      # young.threshold
gc_threshold1        10        # old[0].threshold: the scale of the heap share
gc_threshold2        0         # old[1].threshold: never used
gc_work_to_do_start  -5000     # .work_to_do = -5000 (pycore_runtime_init.h)
gc_scan_rate_divisor 10        # SCAN_RATE_DIVISOR
