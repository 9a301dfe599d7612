/*
** shape.c: give a fresh simulator the heap of a running interpreter.
**
** CPython has allocated thousands of objects before a script's first line:
** its pools are partly full, and new objects fill those free blocks before
** they take a new pool.  A heap shaped from a measurement (per class: used
** pools, blocks in use; the collector's counts and generations) makes the
** absolute numbers of a run look like a real one's.  The blocks are
** placed pool by pool: every pool but the last of a class is filled, then
** blocks are given back from the first pools (keeping one in each) until
** the count in use is the measured one.  Then the blocks too large for
** pymalloc, which it passed to malloc (sys.getallocatedblocks() counts
** them): by size, as measured from a recorded start.
*/
#include <stdlib.h>
#include <string.h>

#include "objimpl.h"

/* the size class of an object's request */
static int class_of(size_t n) { return (int)((n - 1) >> 4); }

/*
** The large blocks of a shape: sizes of 0 or above pymalloc's threshold,
** each once, ascending (the order they are made in), within the bounds.
*/
static int large_check(ms_Sim *s, const ms_HeapShape *h) {
  if (h->nlarge > MS_SHAPE_MAX_LARGE)
    return sim_error(s, "large blocks: more than %d sizes", MS_SHAPE_MAX_LARGE);
  uint64_t blocks = 0, bytes = 0;
  for (uint32_t k = 0; k < h->nlarge; k++) {
    uint32_t size = h->large[k].size;
    if ((size != 0 && size <= s->prof->small_threshold) || size > MS_SHAPE_MAX_LARGE_SIZE)
      return sim_error(s, "large blocks: %u bytes is not 0 nor from %u to %u", size,
                       s->prof->small_threshold + 1, MS_SHAPE_MAX_LARGE_SIZE);
    if (k > 0 && size <= h->large[k - 1].size)
      return sim_error(s, "large blocks: sizes must ascend, each once (%u after %u)", size,
                       h->large[k - 1].size);
    blocks += h->large[k].count;
    bytes += (uint64_t)h->large[k].count * size;
  }
  if (blocks > MS_SHAPE_MAX_LARGE_BLOCKS || bytes > MS_SHAPE_MAX_LARGE_BYTES)
    return sim_error(s, "large blocks: %llu blocks of %llu bytes in all is more than a heap holds",
                     (unsigned long long)blocks, (unsigned long long)bytes);
  return 0;
}

int ms_shape_heap(ms_Sim *s, const ms_HeapShape *h) {
  for (int g = 0; g < 3; g++)
    if (h->gc_objects[g] > MS_SHAPE_MAX_OBJECTS || h->gc_count[g] < 0 ||
        h->gc_count[g] > MS_SHAPE_MAX_COUNT)
      return sim_error(s, "generation %d: counts beyond what a heap holds", g);
  if (h->long_lived_total > MS_SHAPE_MAX_OBJECTS || h->long_lived_pending > MS_SHAPE_MAX_OBJECTS)
    return sim_error(s, "long-lived counts beyond what a heap holds");
  if (s->allocs != 0 || s->nlive != 0) return sim_error(s, "a heap can only be shaped when it is new");
  const ms_Profile *pr = s->prof;
  if (large_check(s, h) != 0) return -1;
  /* objects on free lists hold blocks that the counts include: they are
     made as objects below, so the plain blocks are fewer */
  uint64_t parked[32] = {0};
  parked[class_of(pr->float_size)] += h->free_floats;
  parked[class_of(pr->gc_head + pr->list_size)] += h->free_lists;
  parked[class_of(pr->gc_head + pr->dict_size)] += h->free_dicts;
  for (int k = 0; k < 20; k++)
    parked[class_of(pr->gc_head + pr->tuple_base + 8 * (size_t)(k + 1))] += h->free_tuples[k];
  if (s->pym) {
    /* the aligned arenas first, then the rest as Linux placed them */
    uint8_t plan[64];
    for (uint32_t i = 0; i < 64; i++) plan[i] = i < h->arenas_aligned ? 0 : 4;
    space_plan(&s->space, plan, 64, pr->arena_size);
    for (int c = 0; c < 32; c++) {
      uint64_t p = h->pools[c], b = h->blocks[c], per = s->pym->nblocks[c];
      if (p > 0 && b > parked[c] && b - parked[c] >= p) b -= parked[c];
      if (p == 0) continue;
      if (p > MS_SHAPE_MAX_POOLS)
        return sim_error(s, "class %d: %llu pools is more than %d", c, (unsigned long long)p,
                         MS_SHAPE_MAX_POOLS);
      if (b < p || b > p * per)
        return sim_error(s, "class %d: %llu blocks cannot fill %llu pools", c,
                         (unsigned long long)b, (unsigned long long)p);
      uint64_t n = (p - 1) * per + 1, size = (uint64_t)(c + 1) * 16;
      if (n < b) n = b;                    /* then every pool but the last is full */
      uint64_t *blocks = ms_xmalloc(n * sizeof(uint64_t));
      for (uint64_t i = 0; i < n; i++) {
        blocks[i] = s->obj.m->malloc(s->obj.self, size);
        if (blocks[i] == 0) {
          ms_xfree(blocks);
          return sim_memory_error(s, "startup heap", size);
        }
      }
      /* give back blocks from the first pools, keeping one in each */
      uint64_t extra = n - b;
      for (uint64_t i = 0; i < n && extra > 0; i++) {
        if (i % per == 0) continue;
        s->obj.m->free(s->obj.self, blocks[i]);
        extra--;
      }
      s->startup_bytes += b * size;
      ms_xfree(blocks);
    }
  }
  /* later arenas: not aligned, as Linux places them below the others;
     unless a measurement says how many of the next ones were aligned */
  space_leave_residue(&s->space, 4096);
  if (h->new_arenas > 0) {
    uint8_t next[128];
    uint32_t n = h->new_arenas < 128 ? h->new_arenas : 128;
    for (uint32_t i = 0; i < n; i++) next[i] = i < h->new_arenas_aligned ? 0 : 4;
    space_plan(&s->space, next, n, pr->arena_size);
  }
  memcpy(s->latin1_made, h->latin1, sizeof s->latin1_made);
  /* the large blocks: pymalloc passes them to malloc, which counts them;
     made once the arenas are placed (one may be mapped below them) */
  for (uint32_t k = 0; s->pym && k < h->nlarge; k++)
    for (uint32_t i = 0; i < h->large[k].count; i++) {
      if (s->obj.m->malloc(s->obj.self, h->large[k].size) == 0)
        return sim_memory_error(s, "startup heap", h->large[k].size);
      s->startup_bytes += h->large[k].size;
    }
  /* the collector: placeholder objects held by the interpreter */
  int enabled = s->gc_enabled;
  s->gc_enabled = 0;
  for (int g = 0; g < 3; g++) {
    for (uint64_t i = 0; i < h->gc_objects[g]; i++) {
      uint32_t id = ms_new(s, MS_LIST, 0);
      if (id == 0) {
        s->gc_enabled = enabled;
        return -1;
      }
      ms_Object *o = O(s, id);
      /* memory-less and immortal: the blocks are counted above */
      mem_free(s, o->addr, obj_request(s, o));
      o->addr = 0;
      o->flags |= OF_STATIC;
      s->nlive--;
      s->nlive_type[MS_LIST]--;
      gclist_remove(s, id);
      /* 3.14.0: the older objects wait in the pending old space for the scan */
      uint32_t head = (uint32_t)(ID_GEN0 + g);
      if (pr->gc_incremental && g > 0) {
        head = (uint32_t)(ID_GEN0 + 1 + (s->gc_visited_space ^ 1));
        O(s, id)->gcspace = (uint8_t)(s->gc_visited_space ^ 1);
      }
      gclist_append(s, head, id);
    }
  }
  /* the free lists: objects made and dropped */
  uint32_t *tmp = ms_xmalloc(2000 * sizeof(uint32_t));
  struct Parked { int type; int64_t arg; uint32_t n; } fl[23] = {
    {MS_FLOAT, 0, h->free_floats}, {MS_LIST, 0, h->free_lists}, {MS_DICT, 0, h->free_dicts}};
  for (int k = 0; k < 20; k++) fl[3 + k] = (struct Parked){MS_TUPLE, k + 1, h->free_tuples[k]};
  for (int i = 0; i < 23; i++) {
    uint32_t n = fl[i].n < 2000 ? fl[i].n : 2000;
    for (uint32_t j = 0; j < n; j++) tmp[j] = ms_new(s, fl[i].type, fl[i].arg);
    for (uint32_t j = 0; j < n; j++) if (tmp[j]) ms_decref(s, tmp[j]);
  }
  ms_xfree(tmp);
  s->gc_enabled = enabled;
  for (int g = 0; g < 3; g++) s->gc_count[g] = h->gc_count[g];
  if (pr->gc_incremental) {              /* young's count; the old ones count gc.collect(0) calls */
    s->gc_count[1] = s->gc_count[2] = 0;
    s->gc_heap_size = (int64_t)(h->gc_objects[0] + h->gc_objects[1] + h->gc_objects[2]);
  }
  s->long_lived_total = h->long_lived_total;
  s->long_lived_pending = h->long_lived_pending;
  s->startup_edges_each = h->gc_edges_each;
  s->startup_bytes_each = h->gc_bytes_each;
  /* the shaping itself is not part of the run */
  s->allocs = s->frees = s->reallocs = s->events = 0;
  s->now = 0;
  s->live_peak = s->req_bytes;
  memset(&s->h_alloc, 0, sizeof s->h_alloc);
  memset(&s->h_gc, 0, sizeof s->h_gc);
  memset(&s->gc_stats, 0, sizeof s->gc_stats);
  return 0;
}
