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

#endif
