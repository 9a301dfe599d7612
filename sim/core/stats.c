/*
** stats.c: every figure memsim reports, the text of
** sys._debugmallocstats(), and the invariant checker.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "objimpl.h"

/* ====================================================================
** ms_stats: one snapshot of everything
** ==================================================================== */

int64_t ms_getallocatedblocks(ms_Sim *s) {
  if (s->pym == NULL) return 0;            /* as CPython without pymalloc */
  pym_Census c;
  pymalloc_census(s->pym, &c);
  int64_t n = (int64_t)s->pym->st.raw_blocks;
  for (int i = 0; i < PYM_NCLASSES; i++) n += (int64_t)c.numblocks[i];
  return n;
}

void ms_stats(ms_Sim *s, ms_Stats *out) {
  memset(out, 0, sizeof *out);
  out->now_ns = s->now;
  out->requested = s->req_bytes;
  out->requested_small = s->req_small;
  out->startup = s->startup_bytes;
  out->live_bytes = s->req_bytes;
  out->live_peak = s->live_peak;
  if (s->pym) {
    pym_Census c;
    pymalloc_census(s->pym, &c);
    out->in_blocks = c.allocated_bytes;
    out->available = c.available_bytes;
    out->unused_pools = c.unused_pools * s->prof->pool_size;
    out->pool_headers = c.pool_header_bytes;
    out->quantization = c.quantization;
    out->alignment = c.alignment;
    out->arena_bytes = c.arena_bytes;
    const pym_Stats *st = &s->pym->st;
    out->arenas_current = st->arenas_current;
    out->arenas_total = st->arenas_allocated_total;
    out->arenas_reclaimed = st->arenas_allocated_total - st->arenas_current;
    out->arenas_highwater = st->arenas_highwater;
    for (int i = 0; i < PYM_NCLASSES; i++) {
      out->cls[i].size = (uint32_t)(i + 1) * 16;
      out->cls[i].pools = c.numpools[i];
      out->cls[i].blocks = c.numblocks[i];
      out->cls[i].avail = c.numfree[i];
      out->pools_used += c.numpools[i];
    }
    out->allocated_blocks = (uint64_t)ms_getallocatedblocks(s);
  } else {
    for (int i = 0; i < PYM_NCLASSES; i++) out->cls[i].size = (uint32_t)(i + 1) * 16;
  }
  const raw_Stats *r = rawmalloc_stats(s->raw);
  out->raw_in_use = r->in_use_bytes + r->mmapped_bytes;
  out->raw_free = r->free_bytes + r->top_size;
  out->raw_heap = r->heap_bytes;
  out->raw_mmapped = r->mmapped_bytes;
  out->mapped = s->space.mapped_bytes + r->heap_bytes;
  out->rss = s->space.rss_bytes;
  out->rss_peak = s->space.rss_peak;
  out->objects = s->nlive;
  memcpy(out->objects_by_type, s->nlive_type, sizeof s->nlive_type);
  out->freelist_objects = s->nfreelist;
  ms_gc_get_count(s, out->gc_count);
  ms_gc_get_stats(s, out->gc);
  for (int g = 0; g < 3; g++) out->gc_tracked += gclist_size(s, (uint32_t)(ID_GEN0 + g));
  out->allocs = s->allocs;
  out->reallocs = s->reallocs;
  out->frees = s->frees;
  out->deallocs = s->deallocs;
  out->alloc_latency = s->h_alloc;
  out->gc_pause = s->h_gc;
  out->dealloc_pause = s->h_dealloc;
}

/* ====================================================================
** sys._debugmallocstats()
** ==================================================================== */

typedef struct Out {
  char *buf;
  size_t len, pos;   /* pos counts every byte, written or not */
} Out;

static void put(Out *o, const char *fmt, ...) {
  char line[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  for (int i = 0; i < n; i++, o->pos++)
    if (o->pos + 1 < o->len) o->buf[o->pos] = line[i];
}

/* printone(): the label padded to 35 columns, '=', the value with comma
   grouping right-aligned in 21 columns */
static uint64_t printone(Out *o, const char *msg, uint64_t value) {
  char digits[40];
  int k = 0, n = 0;
  uint64_t v = value;
  do {
    if (n == 3) {
      digits[k++] = ',';
      n = 0;
    }
    digits[k++] = (char)('0' + v % 10);
    v /= 10;
    n++;
  } while (v);
  char num[40];
  for (int i = 0; i < k; i++) num[i] = digits[k - 1 - i];
  num[k] = '\0';
  put(o, "%-35s=%21s\n", msg, num);
  return value;
}

static void allocator_stats(Out *o, const char *what, uint64_t n, uint64_t each) {
  char msg[128], padded[160];
  snprintf(msg, sizeof msg, "%llu free %ss * %llu bytes each", (unsigned long long)n, what,
           (unsigned long long)each);
  snprintf(padded, sizeof padded, "%48s ", msg);
  printone(o, padded, n * each);
}

size_t ms_debugmallocstats(ms_Sim *s, char *buf, size_t len) {
  Out o = {buf, len, 0};
  const ms_Profile *p = s->prof;
  if (s->pym) {
    pym_Census c;
    pymalloc_census(s->pym, &c);
    const pym_Stats *st = &s->pym->st;
    char label[80];
    put(&o, "Small block threshold = %u, in %u size classes.\n\n", p->small_threshold,
        PYM_NCLASSES);
    put(&o, "class   size   num pools   blocks in use  avail blocks\n"
            "-----   ----   ---------   -------------  ------------\n");
    for (int i = 0; i < PYM_NCLASSES; i++) {
      if (c.numpools[i] == 0) continue;
      put(&o, "%5u %6u %11llu %15llu %13llu\n", (unsigned)i, (unsigned)(i + 1) * 16,
          (unsigned long long)c.numpools[i], (unsigned long long)c.numblocks[i],
          (unsigned long long)c.numfree[i]);
    }
    put(&o, "\n");
    printone(&o, "# arenas allocated total", st->arenas_allocated_total);
    printone(&o, "# arenas reclaimed", st->arenas_allocated_total - st->arenas_current);
    printone(&o, "# arenas highwater mark", st->arenas_highwater);
    printone(&o, "# arenas allocated current", st->arenas_current);
    snprintf(label, sizeof label, "%llu arenas * %u bytes/arena",
             (unsigned long long)st->arenas_current, p->arena_size);
    printone(&o, label, st->arenas_current * p->arena_size);
    put(&o, "\n");
    uint64_t total = printone(&o, "# bytes in allocated blocks", c.allocated_bytes);
    total += printone(&o, "# bytes in available blocks", c.available_bytes);
    snprintf(label, sizeof label, "%llu unused pools * %u bytes",
             (unsigned long long)c.unused_pools, p->pool_size);
    total += printone(&o, label, c.unused_pools * p->pool_size);
    total += printone(&o, "# bytes lost to pool headers", c.pool_header_bytes);
    total += printone(&o, "# bytes lost to quantization", c.quantization);
    total += printone(&o, "# bytes lost to arena alignment", c.alignment);
    printone(&o, "Total", total);
    /* the radix tree behind address_in_range (64-bit, 3 levels) */
    put(&o, "\narena map counts\n");
    printone(&o, "# arena map mid nodes", st->mid_nodes);
    printone(&o, "# arena map bot nodes", st->bot_nodes);
    put(&o, "\n");
    total = printone(&o, "# bytes lost to arena map root", 262144);
    total += printone(&o, "# bytes lost to arena map mid", 262144 * st->mid_nodes);
    total += printone(&o, "# bytes lost to arena map bot", 131072 * st->bot_nodes);
    printone(&o, "Total", total);
    put(&o, "\n");
  }
  /* _PyObject_DebugTypeStats: dict, float, list, tuple free lists */
  allocator_stats(&o, "PyDictObject", s->n_dict, p->dict_size);
  allocator_stats(&o, "PyFloatObject", s->n_float, p->float_size);
  allocator_stats(&o, "PyListObject", s->n_list, p->list_size);
  for (uint32_t k = 0; k < p->tuple_nfreelists; k++) {
    char what[64];
    snprintf(what, sizeof what, "%u-sized PyTupleObject", k + 1);
    allocator_stats(&o, what, s->n_tuple[k], p->tuple_base + 8 * (k + 1));
  }
  if (len > 0) buf[o.pos < len ? o.pos : len - 1] = '\0';
  return o.pos;
}

/* ====================================================================
** The invariant checker
** ==================================================================== */

static int broken(ms_Sim *s, const char *what) {
  sim_error(s, "invariant broken: %s", what);
  return 0;
}

int ms_sim_is_valid(ms_Sim *s) {
  if (!space_is_valid(&s->space)) return broken(s, "address space");
  if (!s->obj.m->is_valid(s->obj.self)) return broken(s, "allocator");
  if (s->pym == NULL && !s->raw.m->is_valid(s->raw.self)) return broken(s, "raw allocator");
  if (s->nframes != 0 || s->ntrash != 0) return broken(s, "deallocation left unfinished");

  /* objects: counts, and requested bytes = what objects and mallocs hold */
  uint64_t live = 0, parked = 0, tracked = 0, bytes = 0, by_type[MS_NTYPES] = {0};
  for (uint32_t id = ID_FIRST; id < s->nobjs; id++) {
    ms_Object *o = O(s, id);
    if (o->serial == 0 && !(o->flags & OF_FREELIST)) continue;   /* free record */
    if (o->flags & OF_TRACKED) tracked++;
    if (o->flags & OF_STATIC) continue;
    if (o->flags & OF_DYING && !(o->flags & OF_FREELIST)) return broken(s, "dying object left");
    if (o->flags & OF_FREELIST) parked++;
    else {
      live++;
      by_type[o->type]++;
      if (o->refcnt <= 0) return broken(s, "live object with refcount <= 0");
    }
    if (o->flags & OF_TRACKED) {
      if (!ms_type_is_gc(o->type) || (o->flags & OF_FREELIST))
        return broken(s, "tracked object that cannot be");
    }
    bytes += obj_request(s, o) + obj_aux_request(s, o);
    if (o->type == MS_LIST && o->len > o->cap) return broken(s, "list size > allocated");
    if (o->type == MS_SET && !(o->flags & OF_FREELIST) && !set_is_valid(s, id)) return broken(s, "set table");
  }
  bytes += s->n_keys * dict_keys_request(s, 3, 1);   /* parked keys tables */
  bytes += s->untracked_bytes;                        /* a replay's blocks */
  bytes += s->zombie_bytes;                           /* frames kept by code objects (3.9, 3.10) */
  for (uint64_t i = 0; i < s->blocks.cap; i++)
    if (s->blocks.slots[i].key) bytes += s->blocks.slots[i].val;
  if (live != s->nlive) return broken(s, "live object count");
  if (parked != s->nfreelist) return broken(s, "free-list object count");
  if (memcmp(by_type, s->nlive_type, sizeof by_type) != 0) return broken(s, "per-type counts");
  if (bytes != s->req_bytes) return broken(s, "requested bytes do not add up");

  /* the generation lists hold exactly the tracked objects, linked both ways */
  uint64_t on_lists = 0;
  for (uint32_t h = ID_GEN0; h <= ID_PERMANENT; h++) {
    uint32_t prev = h;
    for (uint32_t id = O(s, h)->gc_next; id != h; id = O(s, id)->gc_next) {
      if (O(s, id)->gc_prev != prev || !(O(s, id)->flags & OF_TRACKED))
        return broken(s, "generation list links");
      if (O(s, id)->flags & (OF_COLLECTING | OF_UNREACHABLE)) return broken(s, "collector flags left");
      prev = id;
      if (++on_lists > tracked) return broken(s, "generation lists hold untracked objects");
    }
  }
  if (on_lists != tracked) return broken(s, "tracked objects missing from the lists");
  for (int g = 0; g < 3; g++)
    if (s->gc_count[g] < 0) return broken(s, "negative GC count");
  if (s->prof->gc_incremental && !inc_is_valid(s)) return broken(s, "old-space bits (validate_spaces)");
  return 1;
}

/* ====================================================================
** The arena map: every pool of every arena and how full it is
** ==================================================================== */

size_t ms_arena_map_tsv(ms_Sim *s, char *buf, size_t len) {
  Out o = {buf, len, 0};
  put(&o, "arena\tpool\tfullness\tclass\n");
  if (s->pym) {
    /* arenas in address order, highest first (the order Linux maps them) */
    uint32_t n = 0;
    for (uint32_t ai = 0; ai < s->pym->maxarenas; ai++)
      if (s->pym->arenas[ai].address) n++;
    uint32_t *order = ms_xmalloc((n ? n : 1) * sizeof(uint32_t));
    n = 0;
    for (uint32_t ai = 0; ai < s->pym->maxarenas; ai++)
      if (s->pym->arenas[ai].address) order[n++] = ai;
    for (uint32_t i = 0; i < n; i++)
      for (uint32_t j = i + 1; j < n; j++)
        if (s->pym->arenas[order[j]].address > s->pym->arenas[order[i]].address) {
          uint32_t t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
    for (uint32_t i = 0; i < n; i++) {
      pym_Arena *a = &s->pym->arenas[order[i]];
      for (uint32_t k = 0; k < a->ntotalpools; k++) {
        pym_Pool *p = &a->pools[k];
        int used = k < a->pool_carve && p->count > 0;
        put(&o, "%u\t%u\t%.4f\t%d\n", i, k,
            used ? (double)p->count / s->pym->nblocks[p->szidx] : 0.0, used ? p->szidx : -1);
      }
    }
    ms_xfree(order);
  }
  if (len > 0) buf[o.pos < len ? o.pos : len - 1] = '\0';
  return o.pos;
}

void ms_sim_reset_peak(ms_Sim *s) { s->live_peak = s->req_bytes; }
