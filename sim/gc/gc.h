/*
** gc.h: the collector's internals (Include/internal/pycore_gc.h): the
** generation lists and the hooks objects call when they are made,
** tracked, untracked and freed.
*/
#ifndef MEMSIM_GC_H
#define MEMSIM_GC_H

#include "simimpl.h"

/* generation lists (gc.c) */
void gclist_init(ms_Sim *s, uint32_t head);
void gclist_append(ms_Sim *s, uint32_t head, uint32_t id);
void gclist_remove(ms_Sim *s, uint32_t id);
uint64_t gclist_size(ms_Sim *s, uint32_t head);
void gc_track(ms_Sim *s, uint32_t id);
void gc_untrack(ms_Sim *s, uint32_t id);
/* _PyObject_GC_Link and PyObject_GC_Del's count update */
void gc_on_alloc(ms_Sim *s);
void gc_on_free(ms_Sim *s);

/* the parts both collectors share (gcmodule.c) */
int gclist_empty(ms_Sim *s, uint32_t head);
void gclist_merge(ms_Sim *s, uint32_t from, uint32_t to);
uint64_t gc_external_refs(ms_Sim *s, const uint32_t *heads, int nheads, uint64_t *edges);
/* the simulated cost of a collection's work (the pause model, profile.h);
   the bytes touched are those gc_external_refs counted since the last call */
uint64_t gc_pause_cost(ms_Sim *s, uint64_t examined, uint64_t edges);
void gc_clear_collecting(ms_Sim *s, const uint32_t *heads, int nheads);
uint64_t gc_deduce_unreachable(ms_Sim *s, uint32_t young, uint32_t unreachable, uint64_t *edges,
                               uint64_t *found, uint64_t *survivors);
void gc_delete_garbage(ms_Sim *s, uint32_t unreachable, uint32_t old);
void gc_done(ms_Sim *s, int gen, uint64_t t0, uint64_t examined, uint64_t found, int counted);

/* 3.14.0's incremental collector (gc_incremental.c), for profiles with gc_incremental 1 */
#define GC_PHASE_MARK 0
#define GC_PHASE_COLLECT 1
void inc_init(ms_Sim *s);
void inc_on_alloc(ms_Sim *s);
int64_t inc_collect(ms_Sim *s, int generation);
void inc_freeze(ms_Sim *s);
int inc_is_valid(ms_Sim *s);

#endif
