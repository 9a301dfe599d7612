/*
** obmalloc.c: the memory front end, PyObject_Malloc / PyMem_Malloc as the
** objects see it.  Every request goes to the simulator's object allocator
** (pymalloc, or the raw allocator under allocator = "malloc"), and the
** bytes asked for are accounted here: what is live, its peak, and how
** much of it sits in pymalloc's blocks.
*/
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>

#include "simimpl.h"

static void note_peak(ms_Sim *s) {
  if (s->req_bytes > s->live_peak) s->live_peak = s->req_bytes;
}

/* ====================================================================
** Step mode: the allocator's events told one line each
** ==================================================================== */

void ms_sim_explain(ms_Sim *s, ms_ExplainFn fn, void *ud, uint64_t max) {
  s->explain = fn;
  s->explain_ud = ud;
  s->explain_left = s->explain_max = max;
}

void explain_line(ms_Sim *s, const char *fmt, ...) {
  if (s->explain == NULL) return;
  char line[400];
  if (s->explain_left == 0) {
    snprintf(line, sizeof line, "... (explain stopped after %llu lines: --explain=N shows N)",
             (unsigned long long)s->explain_max);
    s->explain(s->explain_ud, line);
    s->explain = NULL;
    return;
  }
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  s->explain_left--;
  s->explain(s->explain_ud, line);
}

/*
** "class 1 (32 B blocks), pool 0x...: 5 of 510 in use, arena 1: 3 of 63 pools"
** for block P now, or, with FREEING, as it will be once P is freed: told
** before the free, because a free that empties the last pool of an arena
** returns the arena and its pool headers with it.  Returns the arena
** index, and in *EMPTIES whether the free empties the pool; MS_NIL for a
** block of the raw allocator.
*/
static uint32_t where(ms_Sim *s, uint64_t p, int freeing, char *out, size_t n, int *empties) {
  uint32_t a;
  pym_Pool *pool = s->pym ? pymalloc_pool_of(s->pym, p, &a) : NULL;
  *empties = 0;
  if (pool == NULL) {
    snprintf(out, n, "the raw allocator (malloc: over %u B, or allocator = \"malloc\")",
             s->prof->small_threshold);
    return MS_NIL;
  }
  const pym_Arena *ar = &s->pym->arenas[a];
  uint64_t base = ar->first_pool + (uint64_t)(pool - ar->pools) * s->prof->pool_size;
  uint32_t count = pool->count - (freeing ? 1 : 0);
  *empties = freeing && count == 0;
  snprintf(out, n, "class %d (%u B blocks), pool 0x%llx: %u of %u blocks in use, arena %u: %u of %u pools",
           pool->szidx, (unsigned)((pool->szidx + 1) * s->prof->alignment), (unsigned long long)base,
           count, s->pym->nblocks[pool->szidx], a, ar->ntotalpools - ar->nfreepools - *empties,
           ar->ntotalpools);
  return a;
}

/* what a call changed in pymalloc's pools and arenas */
typedef struct Before {
  uint64_t arenas, total, pools;
} Before;

static Before before(ms_Sim *s) {
  Before b = {0, 0, 0};
  if (s->pym) {
    b.arenas = s->pym->st.arenas_current;
    b.total = s->pym->st.arenas_allocated_total;
    b.pools = s->pym->st.pools_initialised;
  }
  return b;
}

static void changes(ms_Sim *s, Before b) {
  if (s->pym == NULL) return;
  if (s->pym->st.arenas_allocated_total > b.total)
    explain_line(s, "         + a new 1 MiB arena mapped (arenas: %llu)",
                 (unsigned long long)s->pym->st.arenas_current);
  else if (s->pym->st.arenas_current < b.arenas)
    explain_line(s, "         - an empty arena returned to the system (munmap; arenas: %llu)",
                 (unsigned long long)s->pym->st.arenas_current);
  if (s->pym->st.pools_initialised > b.pools) explain_line(s, "         + a pool taken for the class");
}

/* does pymalloc (not the raw allocator) hold block P? */
static int in_pool(ms_Sim *s, uint64_t p) {
  return s->pym != NULL && pymalloc_pool_of(s->pym, p, NULL) != NULL;
}

uint64_t mem_alloc(ms_Sim *s, size_t n) {
  Before b = s->explain ? before(s) : (Before){0, 0, 0};   /* step mode only */
  uint64_t p = s->obj.m->malloc(s->obj.self, n);
  if (p == 0) {
    sim_memory_error(s, "allocation", n);
    return 0;
  }
  if (s->explain) {
    char w[256];
    int empties;
    where(s, p, 0, w, sizeof w, &empties);
    explain_line(s, "alloc    %zu B%s%s%s -> 0x%llx in %s", n, s->explain_what ? " (" : "",
                 s->explain_what ? s->explain_what : "", s->explain_what ? ")" : "",
                 (unsigned long long)p, w);
    changes(s, b);
  }
  /* pymalloc serves every request of 1 to 512 bytes from a pool (a failure
     returned above); 0 bytes and more go to malloc */
  if (s->pym && n - 1 < s->prof->small_threshold) s->req_small += n;
  s->req_bytes += n;
  s->allocs++;
  s->events++;
  note_peak(s);
  SERIES_TICK(s);
  return p;
}

uint64_t mem_realloc(ms_Sim *s, uint64_t p, size_t oldn, size_t n) {
  int was_small = p != 0 && in_pool(s, p);
  Before b = s->explain ? before(s) : (Before){0, 0, 0};   /* step mode only */
  uint64_t q = s->obj.m->realloc(s->obj.self, p, n);
  if (q == 0) {
    sim_memory_error(s, "reallocation", n);
    return 0;
  }
  if (s->explain) {
    char w[256];
    int empties;
    where(s, q, 0, w, sizeof w, &empties);
    const char *what = s->explain_what ? s->explain_what : "block";
    if (p == 0)
      explain_line(s, "alloc    %zu B (%s) -> 0x%llx in %s", n, what, (unsigned long long)q, w);
    else
      explain_line(s, "realloc  0x%llx (%s) from %zu to %zu B -> %s0x%llx in %s", (unsigned long long)p,
                   what, oldn, n, q == p ? "in place at " : "moved to ", (unsigned long long)q, w);
    changes(s, b);
  }
  if (p != 0) s->reallocs++;              /* a resize; from NULL it is a malloc */
  else s->allocs++;
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
  Before b = {0, 0, 0};
  char w[256];
  int empties = 0;
  uint32_t arena = MS_NIL;
  if (s->explain) {                        /* step mode: told before the free (see where) */
    b = before(s);
    arena = where(s, p, 1, w, sizeof w, &empties);
  }
  s->obj.m->free(s->obj.self, p);
  if (s->pym && s->pym->freed_from_pool) s->req_small -= n;   /* not by size: see mem_realloc */
  if (s->explain) {
    explain_line(s, "free     0x%llx (%zu B%s%s) back to %s", (unsigned long long)p, n,
                 s->explain_what ? ", " : "", s->explain_what ? s->explain_what : "", w);
    if (empties) explain_line(s, "         - the pool is empty: back to arena %u's free pools", arena);
    changes(s, b);
  }
  s->req_bytes -= n;
  s->frees++;
  s->events++;
  SERIES_TICK(s);
}
