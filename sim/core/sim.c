/*
** sim.c: creating and destroying simulators, errors, and the
** PyObject_Malloc-level API that allocator labs use directly.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "objimpl.h"

/* ====================================================================
** Errors
** ==================================================================== */

int sim_error(ms_Sim *s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(s->err, sizeof s->err, fmt, ap);
  va_end(ap);
  s->err_memory = 0;
  return -1;
}

int sim_memory_error(ms_Sim *s, const char *what, size_t n) {
  snprintf(s->err, sizeof s->err,
           "MemoryError: %s of %zu bytes passes the memory limit (%llu bytes)", what, n,
           (unsigned long long)s->space.limit);
  s->err_memory = 1;
  return -1;
}

const char *ms_sim_error(const ms_Sim *s) { return s->err; }
int ms_sim_is_memory_error(const ms_Sim *s) { return s->err_memory; }
const ms_Profile *ms_sim_profile(const ms_Sim *s) { return s->prof; }
uint64_t ms_sim_now(const ms_Sim *s) { return s->now; }

uint64_t ms_sim_mapped_bytes(const ms_Sim *s) {
  return s->space.mapped_bytes + rawmalloc_stats(s->raw)->heap_bytes;
}
uint64_t ms_sim_events(const ms_Sim *s) { return s->events; }

/* ====================================================================
** Life cycle
** ==================================================================== */

void ms_config_default(ms_Config *c) {
  memset(c, 0, sizeof *c);
  c->profile = "cpython-3.11";
  c->allocator = "pymalloc";
  c->gc_enabled = 1;
  c->seed = 1;
}

ms_Sim *ms_sim_new(const ms_Config *cfg, char *err, size_t errlen) {
  ms_Config def;
  if (cfg == NULL) {
    ms_config_default(&def);
    cfg = &def;
  }
  const ms_Profile *prof = ms_profile_find(cfg->profile);
  if (prof == NULL && ms_profile_error()) {
    snprintf(err, errlen, "the built-in profiles are broken: %s", ms_profile_error());
    return NULL;
  }
  if (prof == NULL) {
    snprintf(err, errlen, "unknown profile '%s'", cfg->profile);
    return NULL;
  }
  const char *alloc = cfg->allocator ? cfg->allocator : "pymalloc";
  if (strcmp(alloc, "pymalloc") != 0 && strcmp(alloc, "malloc") != 0) {
    snprintf(err, errlen, "unknown allocator '%s' (pymalloc or malloc)", alloc);
    return NULL;
  }
  ms_Sim *s = ms_xcalloc(1, sizeof *s);
  s->prof = prof;
  if (cfg->costs) {                      /* memsim.new{cost = {...}}: a copy with other costs */
    s->own_prof = *prof;
    s->own_prof.cost = *cfg->costs;
    s->prof = &s->own_prof;
  }
  s->cfg = *cfg;
  s->cfg.costs = NULL;
  for (int t = 0; t < MS_NTYPES; t++) {
    int k = t == MS_FLOAT ? MS_DK_FLOAT : t == MS_INT ? MS_DK_INT : t == MS_LIST ? MS_DK_LIST
          : t == MS_TUPLE ? MS_DK_TUPLE : t == MS_STR ? MS_DK_STR : t == MS_DICT ? MS_DK_DICT
          : t == MS_OBJECT ? MS_DK_OBJECT : MS_DK_OTHER;
    s->dealloc_cost_q[t] = s->prof->cost.dealloc_q[k];
  }
  space_init(&s->space);
  s->space.limit = cfg->memory_limit;
  ms_AllocEnv env = {&s->space, &s->now, s->prof};
  s->raw = rawmalloc_new(env);
  if (strcmp(alloc, "pymalloc") == 0) {
    s->obj = pymalloc_new(env, s->raw);
    s->pym = pymalloc_state(s->obj);
  } else {
    s->obj = s->raw;
  }
  s->free_ids = MS_NIL;
  s->series.next_event = s->series.next_ns = UINT64_MAX;   /* not sampling */
  /* reserved records: NULL, None, the generation heads, scratch lists */
  for (uint32_t i = 0; i < ID_FIRST; i++) {
    if (s->nobjs == s->capobjs) {
      s->capobjs = 1024;
      s->objs = ms_xrealloc(s->objs, s->capobjs * sizeof(ms_Object));
    }
    ms_Object *o = &s->objs[s->nobjs++];
    memset(o, 0, sizeof *o);
    o->flags = OF_STATIC;
    o->refcnt = 1;
    o->serial = ++s->next_serial;
    o->gc_prev = o->gc_next = MS_NIL;
  }
  for (uint32_t h = ID_GEN0; h < ID_FIRST; h++) gclist_init(s, h);
  s->gc_enabled = cfg->gc_enabled;
  for (int i = 0; i < 3; i++) s->gc_threshold[i] = prof->gc_threshold[i];
  inc_init(s);
  hash_secret_init(s, cfg->hash_seed);
  return s;
}

void ms_sim_free(ms_Sim *s) {
  if (s == NULL) return;
  for (uint32_t id = 0; id < s->nobjs; id++) {
    ms_Object *o = &s->objs[id];
    if (o->serial == 0 && !(o->flags & OF_FREELIST)) continue;
    if (o->type == MS_DICT && o->body) {
      DictBody *d = o->body;
      ms_xfree(d->entries);
      ms_xfree(d->hashes);
      ms_xfree(d->index);
    } else if (o->type == MS_SET && o->body) {
      SetBody *b = o->body;
      ms_xfree(b->table);
    }
    ms_xfree(o->body);
  }
  ms_xfree(s->objs);
  ms_xfree(s->fl_float);
  ms_xfree(s->fl_int);
  ms_xfree(s->fl_list);
  ms_xfree(s->fl_dict);
  ms_xfree(s->fl_keys);
  for (int k = 0; k < 20; k++) ms_xfree(s->fl_tuple[k]);
  for (uint32_t i = 0; i < s->nclasses; i++) ms_xfree(s->classes[i].name);
  ms_xfree(s->classes);
  ms_xfree(s->interned);
  ms_xfree(s->literals);
  u64map_free(&s->blocks);
  u64map_free(&s->zombies);
  ms_xfree(s->frames);
  ms_xfree(s->trash);
  series_free(s);
  if (s->pym) s->obj.m->destroy(s->obj.self);
  s->raw.m->destroy(s->raw.self);
  space_free(&s->space);
  ms_xfree(s);
}

/* ====================================================================
** PyObject_Malloc / Realloc / Free for scripts
** ==================================================================== */

static void blk_put(ms_Sim *s, uint64_t p, uint64_t n) { u64map_put(&s->blocks, p, n); }

/* remove P; returns its size, or UINT64_MAX when P is not a live block */
static uint64_t blk_take(ms_Sim *s, uint64_t p) {
  uint64_t n;
  return u64map_take(&s->blocks, p, &n) ? n : UINT64_MAX;
}

uint64_t ms_malloc(ms_Sim *s, size_t n) {
  uint64_t t0 = s->now;
  uint64_t p = mem_alloc(s, n);
  if (p == 0) return 0;
  blk_put(s, p, n);
  hist_record(&s->h_alloc, s->now - t0);
  return p;
}

uint64_t ms_realloc(ms_Sim *s, uint64_t p, size_t n) {
  if (p == 0) return ms_malloc(s, n);
  uint64_t old = blk_take(s, p);
  if (old == UINT64_MAX) {
    sim_error(s, "realloc of 0x%llx: not a live block from malloc", (unsigned long long)p);
    return 0;
  }
  uint64_t q = mem_realloc(s, p, old, n);
  blk_put(s, q ? q : p, q ? n : old);
  return q;
}

int ms_free(ms_Sim *s, uint64_t p) {
  if (p == 0) return 0;
  uint64_t n = blk_take(s, p);
  if (n == UINT64_MAX)
    return sim_error(s, "free of 0x%llx: not a live block from malloc", (unsigned long long)p);
  mem_free(s, p, n);
  return 0;
}

/* ---- blocks whose sizes the caller keeps, for replay ---- */

static void raw_account(ms_Sim *s, int64_t delta) {
  s->req_bytes = (uint64_t)((int64_t)s->req_bytes + delta);
  if (s->req_bytes > s->live_peak) s->live_peak = s->req_bytes;
  s->events++;
  SERIES_TICK(s);
}

uint64_t ms_block_alloc(ms_Sim *s, int raw, size_t n) {
  uint64_t t0 = s->now, p;
  if (raw) {
    p = s->raw.m->malloc(s->raw.self, n);
    if (p == 0) {
      sim_memory_error(s, "allocation", n);
      return 0;
    }
    s->allocs++;
    raw_account(s, (int64_t)n);
  } else {
    p = mem_alloc(s, n);
    if (p == 0) return 0;
  }
  s->untracked_bytes += n;
  hist_record(&s->h_alloc, s->now - t0);
  return p;
}

uint64_t ms_block_realloc(ms_Sim *s, int raw, uint64_t p, size_t oldn, size_t n) {
  if (p == 0) return ms_block_alloc(s, raw, n);
  uint64_t q;
  if (raw) {
    q = s->raw.m->realloc(s->raw.self, p, n);
    if (q == 0) {
      sim_memory_error(s, "reallocation", n);
      return 0;
    }
    s->reallocs++;
    raw_account(s, (int64_t)n - (int64_t)oldn);
  } else {
    q = mem_realloc(s, p, oldn, n);
    if (q == 0) return 0;
  }
  s->untracked_bytes = s->untracked_bytes - oldn + n;
  return q;
}

void ms_block_free(ms_Sim *s, int raw, uint64_t p, size_t n) {
  if (p == 0) return;
  if (raw) {
    s->raw.m->free(s->raw.self, p);
    s->frees++;
    raw_account(s, -(int64_t)n);
  } else {
    mem_free(s, p, n);
  }
  s->untracked_bytes -= n;
}

uint64_t ms_map(ms_Sim *s, size_t n) {
  uint64_t p = space_mmap(&s->space, n);
  if (p == 0) {
    sim_memory_error(s, "mapping", n);
    return 0;
  }
  space_rss_add(&s->space, (int64_t)((n + MS_PAGE_SIZE - 1) / MS_PAGE_SIZE * MS_PAGE_SIZE));
  return p;
}

int ms_unmap(ms_Sim *s, uint64_t p, size_t n) {
  space_rss_add(&s->space, -(int64_t)((n + MS_PAGE_SIZE - 1) / MS_PAGE_SIZE * MS_PAGE_SIZE));
  space_munmap(&s->space, p, n);
  return 0;
}

void ms_sim_place_next_arena(ms_Sim *s, uint64_t addr) {
  uint8_t residue_kib = (uint8_t)((addr % s->prof->pool_size) / 1024);
  space_plan(&s->space, &residue_kib, 1, s->prof->arena_size);
}

void ms_sim_set_stop(ms_Sim *s, const volatile int *flag) { s->stop = flag; }
