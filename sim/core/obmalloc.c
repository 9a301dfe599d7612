/*
** obmalloc.c: the memory front end, PyObject_Malloc / PyMem_Malloc as the
** objects see it.  Every request goes to the simulator's object allocator
** (pymalloc, or the raw allocator under allocator = "malloc"), and the
** bytes asked for are accounted here: what is live, its peak, and how
** much of it sits in pymalloc's blocks.
*/
#include <assert.h>

#include "simimpl.h"

static void note_peak(ms_Sim *s) {
  if (s->req_bytes > s->live_peak) s->live_peak = s->req_bytes;
}

/* does pymalloc (not the raw allocator) hold block P? */
static int in_pool(ms_Sim *s, uint64_t p) {
  return s->pym != NULL && pymalloc_pool_of(s->pym, p, NULL) != NULL;
}

uint64_t mem_alloc(ms_Sim *s, size_t n) {
  uint64_t p = s->obj.m->malloc(s->obj.self, n);
  if (p == 0) {
    sim_memory_error(s, "allocation", n);
    return 0;
  }
  if (in_pool(s, p)) s->req_small += n;
  s->req_bytes += n;
  s->allocs++;
  s->events++;
  note_peak(s);
  SERIES_TICK(s);
  return p;
}

uint64_t mem_realloc(ms_Sim *s, uint64_t p, size_t oldn, size_t n) {
  int was_small = p != 0 && in_pool(s, p);
  uint64_t q = s->obj.m->realloc(s->obj.self, p, n);
  if (q == 0) {
    sim_memory_error(s, "reallocation", n);
    return 0;
  }
  if (was_small) s->req_small -= oldn;
  if (in_pool(s, q)) s->req_small += n;
  s->req_bytes = s->req_bytes - oldn + n;
  s->events++;
  note_peak(s);
  SERIES_TICK(s);
  return q;
}

void mem_free(ms_Sim *s, uint64_t p, size_t n) {
  if (p == 0) return;
  assert(s->req_bytes >= n);
  if (in_pool(s, p)) s->req_small -= n;
  s->obj.m->free(s->obj.self, p);
  s->req_bytes -= n;
  s->frees++;
  s->events++;
  SERIES_TICK(s);
}
