/*
** pymalloc.c: CPython 3.11's obmalloc, block for block.
**
** The simulation keeps CPython's data structures with indices in place of
** pointers: a pool's free list is link[] beside the pool, usedpools[] is a
** list of pool ids, usable_arenas a list of arena indices.  Because the
** same lists are kept in the same order, the same requests land in the
** same blocks of the same pools as in CPython.  Comments name the CPython
** function each piece follows.
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "pymalloc.h"
#include "util.h"

#define POOL_SHIFT   (s->pool_shift)        /* log2 of the profile's POOL_SIZE */
#define POOL_MASK    ((1ull << POOL_SHIFT) - 1)
#define MAP_SHIFT    30                     /* one map leaf per GiB */
#define MAP_TOP      4096u                  /* leaves: the 4 TiB below MS_MMAP_TOP */
#define MAP_BASE     ((MS_MMAP_TOP >> MAP_SHIFT) + 1 - MAP_TOP)
#define LEAF_SIZE    (1u << (MAP_SHIFT - POOL_SHIFT))

#define POOL_ID(a, k)     ((uint32_t)(a) * PYM_MAXPOOLS + (uint32_t)(k))
#define POOL_ARENA(id)    ((id) / PYM_MAXPOOLS)
#define POOL_INDEX(id)    ((id) % PYM_MAXPOOLS)

/* ====================================================================
** Small helpers
** ==================================================================== */

static pym_Pool *pool_at(pym_State *s, uint32_t id) {
  return &s->arenas[POOL_ARENA(id)].pools[POOL_INDEX(id)];
}

static uint64_t pool_addr(pym_State *s, uint32_t id) {
  return s->arenas[POOL_ARENA(id)].first_pool + ((uint64_t)POOL_INDEX(id) << POOL_SHIFT);
}

static uint32_t block_size(int32_t szidx) { return ((uint32_t)szidx + 1) << 4; }

static void charge(pym_State *s, uint32_t ns) { *s->env.now += ns; }

/*
** Pages become resident when written.  A block is written when it is
** first handed out (or linked as the fresh tail of a free list), and a
** pool's header when the pool is set up.
*/
static void touch(pym_State *s, pym_Arena *a, uint64_t addr, uint64_t len) {
  uint64_t first = (addr - a->address) >> 12, last = (addr + len - 1 - a->address) >> 12;
  for (uint64_t pg = first; pg <= last; pg++) {
    uint64_t bit = 1ull << (pg & 63);
    if (!(a->touched[pg >> 6] & bit)) {
      a->touched[pg >> 6] |= bit;
      space_rss_add(s->env.space, MS_PAGE_SIZE);
    }
  }
}

/* ====================================================================
** The address map: which pool owns an address (address_in_range)
** ==================================================================== */

static void map_set(pym_State *s, uint64_t pool_address, uint32_t value) {
  uint64_t top = (pool_address >> MAP_SHIFT) - MAP_BASE;
  assert((pool_address >> MAP_SHIFT) >= MAP_BASE && top < MAP_TOP);
  if (s->map[top] == NULL) s->map[top] = ms_xcalloc(LEAF_SIZE, sizeof(uint32_t));
  s->map[top][(pool_address >> POOL_SHIFT) & (LEAF_SIZE - 1)] = value;
}

pym_Pool *pymalloc_pool_of(pym_State *s, uint64_t p, uint32_t *arena_out) {
  uint64_t top = (p >> MAP_SHIFT) - MAP_BASE;      /* wraps for low addresses */
  if (top >= MAP_TOP || s->map[top] == NULL) return NULL;
  uint32_t a1 = s->map[top][(p >> POOL_SHIFT) & (LEAF_SIZE - 1)];
  if (a1 == 0) return NULL;
  pym_Arena *a = &s->arenas[a1 - 1];
  uint32_t k = (uint32_t)(((p & ~POOL_MASK) - a->first_pool) >> POOL_SHIFT);
  if (arena_out) *arena_out = a1 - 1;
  return &a->pools[k];
}

/*
** CPython's radix tree allocates a bottom node per 16 GiB and a middle
** node per 2^49 bytes covering each arena's first and last byte; they are
** never freed.  Only their count is observable (_debugmallocstats).
*/
static void key_add(uint64_t **keys, uint64_t *n, uint64_t key) {
  for (uint64_t i = 0; i < *n; i++)
    if ((*keys)[i] == key) return;
  *keys = ms_xrealloc(*keys, (*n + 1) * sizeof(uint64_t));
  (*keys)[(*n)++] = key;
}

static void radix_mark(pym_State *s, uint64_t arena_base) {
  uint64_t ends[2] = {arena_base, arena_base + s->env.prof->arena_size};
  for (int i = 0; i < 2; i++) {
    key_add(&s->mid_keys, &s->st.mid_nodes, ends[i] >> 49);
    key_add(&s->bot_keys, &s->st.bot_nodes, ends[i] >> 34);
  }
}

/* ====================================================================
** Arenas (new_arena, and case 1 of insert_to_freepool)
** ==================================================================== */

/*
** new_arena(): take an unused arena record (growing the vector 16, 32,
** 64 ... as CPython does), map 1 MiB, and cut it into pools.
*/
static uint32_t new_arena(pym_State *s) {
  const ms_Profile *pr = s->env.prof;
  if (s->unused_arenas == MS_NIL) {
    uint32_t n = s->maxarenas ? s->maxarenas << 1 : pr->initial_arenas;
    s->arenas = ms_xrealloc(s->arenas, n * sizeof(pym_Arena));
    for (uint32_t i = s->maxarenas; i < n; i++) {
      memset(&s->arenas[i], 0, sizeof(pym_Arena));
      s->arenas[i].nextarena = i < n - 1 ? i + 1 : MS_NIL;
    }
    s->unused_arenas = s->maxarenas;
    s->maxarenas = n;
  }
  uint32_t ai = s->unused_arenas;
  pym_Arena *a = &s->arenas[ai];
  uint64_t address = space_mmap(s->env.space, pr->arena_size);
  if (address == 0) return MS_NIL;
  s->unused_arenas = a->nextarena;
  charge(s, pr->cost.arena_map);
  radix_mark(s, address);
  s->st.arenas_current++;
  s->st.arenas_allocated_total++;
  if (s->st.arenas_current > s->st.arenas_highwater)
    s->st.arenas_highwater = s->st.arenas_current;

  a->address = address;
  a->freepools = MS_NIL;
  a->nfreepools = pr->arena_size / pr->pool_size;
  a->first_pool = address;
  if (address & POOL_MASK) {           /* not aligned: one pool lost */
    a->nfreepools--;
    a->first_pool = (address & ~POOL_MASK) + pr->pool_size;
  }
  a->ntotalpools = a->nfreepools;
  s->st.pools_total += a->ntotalpools;
  a->pool_carve = 0;
  memset(a->touched, 0, sizeof a->touched);
  a->pools = ms_xcalloc(PYM_MAXPOOLS, sizeof(pym_Pool));
  for (uint32_t k = 0; k < a->ntotalpools; k++) {
    a->pools[k].szidx = -1;
    map_set(s, a->first_pool + ((uint64_t)k << POOL_SHIFT), ai + 1);
  }
  return ai;
}

static void release_arena(pym_State *s, uint32_t ai) {
  pym_Arena *a = &s->arenas[ai];
  s->st.pools_total -= a->ntotalpools;
  int64_t resident = 0;
  for (int i = 0; i < 4; i++) resident += __builtin_popcountll(a->touched[i]);
  space_rss_add(s->env.space, -resident * (int64_t)MS_PAGE_SIZE);
  for (uint32_t k = 0; k < a->ntotalpools; k++) {
    map_set(s, a->first_pool + ((uint64_t)k << POOL_SHIFT), 0);
    ms_xfree(a->pools[k].link);
  }
  ms_xfree(a->pools);
  space_munmap(s->env.space, a->address, s->env.prof->arena_size);
  charge(s, s->env.prof->cost.arena_unmap);
  a->pools = NULL;
  a->address = 0;
  a->nextarena = s->unused_arenas;
  s->unused_arenas = ai;
  s->st.arenas_current--;
}

/* ====================================================================
** Pools on usedpools[] (insert_to_usedpool, pymalloc_pool_extend)
** ==================================================================== */

static void usedpool_push_front(pym_State *s, uint32_t id) {
  pym_Pool *p = pool_at(s, id);
  uint32_t head = s->usedpools[p->szidx];
  p->prevpool = MS_NIL;
  p->nextpool = head;
  if (head != MS_NIL) pool_at(s, head)->prevpool = id;
  s->usedpools[p->szidx] = id;
}

static void usedpool_unlink(pym_State *s, uint32_t id) {
  pym_Pool *p = pool_at(s, id);
  if (p->prevpool != MS_NIL) pool_at(s, p->prevpool)->nextpool = p->nextpool;
  else s->usedpools[p->szidx] = p->nextpool;
  if (p->nextpool != MS_NIL) pool_at(s, p->nextpool)->prevpool = p->prevpool;
}

/*
** pymalloc_pool_extend(): the free list ran dry.  Carve the next
** never-used block if there is one, else the pool is full and leaves
** usedpools.
*/
static void pool_extend(pym_State *s, uint32_t id, pym_Pool *p) {
  if (p->nextindex < s->nblocks[p->szidx]) {
    uint32_t b = p->nextindex++;
    uint32_t size = block_size(p->szidx);
    p->freeblock = b;
    p->link[b] = PYM_NIL16;
    touch(s, &s->arenas[POOL_ARENA(id)],
          pool_addr(s, id) + s->env.prof->pool_overhead + (uint64_t)b * size, size);
    charge(s, s->env.prof->cost.alloc_carve);
    return;
  }
  usedpool_unlink(s, id);
  s->st.pools_full++;
}

/* ====================================================================
** usable_arenas and nfp2lasta
** ==================================================================== */

static void usable_unlink(pym_State *s, uint32_t ai) {
  pym_Arena *a = &s->arenas[ai];
  if (a->prevarena != MS_NIL) s->arenas[a->prevarena].nextarena = a->nextarena;
  else s->usable_arenas = a->nextarena;
  if (a->nextarena != MS_NIL) s->arenas[a->nextarena].prevarena = a->prevarena;
}

/*
** allocate_from_new_pool(): no used pool has room.  Take a pool from the
** arena at the head of usable_arenas (a new arena if there is none):
** its cached empty pools first, else carve a fresh one.
*/
static uint64_t allocate_from_new_pool(pym_State *s, uint32_t szidx) {
  const ms_Profile *pr = s->env.prof;
  if (s->usable_arenas == MS_NIL) {
    uint32_t ai = new_arena(s);
    if (ai == MS_NIL) return 0;
    s->usable_arenas = ai;
    s->arenas[ai].nextarena = s->arenas[ai].prevarena = MS_NIL;
    s->nfp2lasta[s->arenas[ai].nfreepools] = ai;
  }
  uint32_t ai = s->usable_arenas;
  pym_Arena *a = &s->arenas[ai];
  /* the head is the last of its size: none is left with that size */
  if (s->nfp2lasta[a->nfreepools] == ai) s->nfp2lasta[a->nfreepools] = MS_NIL;
  /* if it keeps free pools, it is now the smallest */
  if (a->nfreepools > 1) s->nfp2lasta[a->nfreepools - 1] = ai;

  uint32_t id;
  if (a->freepools != MS_NIL) {          /* a cached empty pool */
    id = a->freepools;
    a->freepools = pool_at(s, id)->nextpool;
  } else {                               /* carve a new pool */
    id = POOL_ID(ai, a->pool_carve++);
    assert(a->pool_carve <= a->ntotalpools);
  }
  if (--a->nfreepools == 0) {            /* arena completely allocated */
    s->usable_arenas = a->nextarena;
    if (s->usable_arenas != MS_NIL) s->arenas[s->usable_arenas].prevarena = MS_NIL;
  }

  pym_Pool *p = pool_at(s, id);
  uint64_t base = pool_addr(s, id);
  p->count = 1;
  s->st.pools_in_use++;
  if (p->szidx == (int32_t)szidx) {
    /* the pool last held this class: header and free list are intact */
    uint32_t b = p->freeblock;
    p->freeblock = p->link[b];
    usedpool_push_front(s, id);
    charge(s, pr->cost.pool_init / 4);
    return base + pr->pool_overhead + (uint64_t)b * block_size((int32_t)szidx);
  }
  /* set the pool up for its new class: block 0 out, block 1 free */
  uint32_t size = block_size((int32_t)szidx);
  p->szidx = (int32_t)szidx;
  if (p->link == NULL) p->link = ms_xmalloc(s->nblocks[0] * sizeof(uint16_t));
  p->nextindex = 2;
  p->freeblock = 1;
  p->link[1] = PYM_NIL16;
  usedpool_push_front(s, id);
  touch(s, a, base, pr->pool_overhead + 2 * (uint64_t)size);
  s->st.pools_initialised++;
  charge(s, pr->cost.pool_init);
  return base + pr->pool_overhead;
}

/*
** insert_to_freepool(): the pool's last block came back.  Move the pool
** to its arena's free pools, then manage the arena, the four cases of
** obmalloc.c.
*/
static void insert_to_freepool(pym_State *s, uint32_t id, uint32_t ai) {
  pym_Pool *p = pool_at(s, id);
  pym_Arena *a = &s->arenas[ai];
  usedpool_unlink(s, id);
  s->st.pools_in_use--;
  p->nextpool = a->freepools;
  a->freepools = id;

  uint32_t nf = a->nfreepools;
  uint32_t lastnf = s->nfp2lasta[nf];
  /* if a is the rightmost arena with nf free pools, its left neighbour
     (when it has nf too) becomes the rightmost */
  if (lastnf == ai) {
    uint32_t prev = a->prevarena;
    s->nfp2lasta[nf] = (prev != MS_NIL && s->arenas[prev].nfreepools == nf) ? prev : MS_NIL;
  }
  a->nfreepools = ++nf;

  /* Case 1: wholly free and not the last usable arena: give it back. */
  if (nf == a->ntotalpools && a->nextarena != MS_NIL) {
    usable_unlink(s, ai);
    release_arena(s, ai);
    return;
  }
  /* Case 2: its first free pool: it joins usable_arenas at the head. */
  if (nf == 1) {
    a->nextarena = s->usable_arenas;
    a->prevarena = MS_NIL;
    if (s->usable_arenas != MS_NIL) s->arenas[s->usable_arenas].prevarena = ai;
    s->usable_arenas = ai;
    if (s->nfp2lasta[1] == MS_NIL) s->nfp2lasta[1] = ai;
    return;
  }
  if (s->nfp2lasta[nf] == MS_NIL) s->nfp2lasta[nf] = ai;
  /* Case 4: it was the rightmost of its old count: still in order. */
  if (ai == lastnf) return;
  /* Case 3: slide it right, to just after lastnf. */
  assert(lastnf != MS_NIL && a->nextarena != MS_NIL);
  usable_unlink(s, ai);
  pym_Arena *l = &s->arenas[lastnf];
  a->prevarena = lastnf;
  a->nextarena = l->nextarena;
  if (a->nextarena != MS_NIL) s->arenas[a->nextarena].prevarena = ai;
  l->nextarena = ai;
}

/* ====================================================================
** The methods: PyObject_Malloc, PyObject_Realloc, PyObject_Free
** ==================================================================== */

/* pymalloc_alloc(); 0 when the request is not pymalloc's to serve */
static uint64_t pymalloc_alloc(pym_State *s, size_t n) {
  if (n == 0 || n > s->env.prof->small_threshold) return 0;
  uint32_t szidx = (uint32_t)(n - 1) >> 4;
  uint32_t id = s->usedpools[szidx];
  charge(s, s->env.prof->cost.alloc_fast);
  if (id != MS_NIL) {
    pym_Pool *p = pool_at(s, id);
    uint32_t b = p->freeblock;
    p->count++;
    p->freeblock = p->link[b];
    if (p->freeblock == PYM_NIL16) pool_extend(s, id, p);
    return pool_addr(s, id) + s->env.prof->pool_overhead + (uint64_t)b * ((szidx + 1) << 4);
  }
  return allocate_from_new_pool(s, szidx);
}

static uint64_t m_malloc(void *self, size_t n) {
  pym_State *s = self;
  s->st.mallocs++;
  uint64_t p = pymalloc_alloc(s, n);
  if (p) return p;
  if (n != 0 && n <= s->env.prof->small_threshold) return 0;   /* limit */
  p = s->raw.m->malloc(s->raw.self, n);
  if (p) s->st.raw_blocks++;
  return p;
}

/* pymalloc_free(); 0 when P is not pymalloc's */
static int pymalloc_free(pym_State *s, uint64_t p) {
  uint32_t ai;
  pym_Pool *pool = pymalloc_pool_of(s, p, &ai);
  if (pool == NULL) return 0;
  uint32_t k = (uint32_t)((p & ~POOL_MASK) - s->arenas[ai].first_pool) >> POOL_SHIFT;
  uint32_t id = POOL_ID(ai, k);
  uint64_t off = (p & POOL_MASK) - s->env.prof->pool_overhead;
  /* off / size, as off / 16 times the class's inverse: exact for the
     offsets of a pool (under 2^16 bytes; the low-level tests check them all) */
  uint32_t b = (uint32_t)(((off >> 4) * s->inverse[pool->szidx]) >> 32);
  assert(pool->count > 0 && off % block_size(pool->szidx) == 0 && b == off / block_size(pool->szidx) &&
         b < pool->nextindex);
  charge(s, s->env.prof->cost.free_fast);
  uint32_t lastfree = pool->freeblock;
  pool->link[b] = (uint16_t)lastfree;
  pool->freeblock = b;
  pool->count--;
  if (lastfree == PYM_NIL16) {     /* it was full: back on usedpools */
    usedpool_push_front(s, id);
    s->st.pools_full--;
    return 1;
  }
  if (pool->count != 0) return 1;  /* still in use: stays where it is */
  insert_to_freepool(s, id, ai);   /* empty */
  return 1;
}

static void m_free(void *self, uint64_t p) {
  pym_State *s = self;
  if (p == 0) return;
  s->st.frees++;
  s->freed_from_pool = pymalloc_free(s, p);
  if (s->freed_from_pool) return;
  assert(s->st.raw_blocks > 0);
  s->st.raw_blocks--;
  s->raw.m->free(s->raw.self, p);
}

static size_t m_usable_size(void *self, uint64_t p) {
  pym_State *s = self;
  pym_Pool *pool = pymalloc_pool_of(s, p, NULL);
  if (pool) return block_size(pool->szidx);
  return s->raw.m->usable_size(s->raw.self, p);
}

/*
** pymalloc_realloc(): a block that stays the same or shrinks by no more
** than a quarter is kept in place; otherwise allocate, copy, free.
*/
static uint64_t m_realloc(void *self, uint64_t p, size_t n) {
  pym_State *s = self;
  if (p == 0) return m_malloc(self, n);
  s->st.reallocs++;
  pym_Pool *pool = pymalloc_pool_of(s, p, NULL);
  if (pool == NULL) return s->raw.m->realloc(s->raw.self, p, n);
  size_t size = block_size(pool->szidx);
  if (n <= size) {
    if (4 * n > 3 * size) {
      s->st.reallocs_in_place++;
      return p;
    }
    size = n;
  }
  uint64_t q = m_malloc(self, n);
  if (q == 0) return 0;
  *s->env.now += (size * s->env.prof->cost.copy_per_kib) >> 10;
  m_free(self, p);
  return q;
}

/* ====================================================================
** Census (what _PyObject_DebugMallocStats gathers) and the checker
** ==================================================================== */

void pymalloc_census(pym_State *s, pym_Census *c) {
  const ms_Profile *pr = s->env.prof;
  memset(c, 0, sizeof *c);
  for (uint32_t ai = 0; ai < s->maxarenas; ai++) {
    pym_Arena *a = &s->arenas[ai];
    if (a->address == 0) continue;
    c->arena_bytes += pr->arena_size;
    c->unused_pools += a->nfreepools;
    if (a->address & POOL_MASK) c->alignment += pr->pool_size;
    for (uint32_t k = 0; k < a->pool_carve; k++) {
      pym_Pool *p = &a->pools[k];
      if (p->count == 0) continue;
      c->numpools[p->szidx]++;
      c->numblocks[p->szidx] += p->count;
      c->numfree[p->szidx] += s->nblocks[p->szidx] - p->count;
    }
  }
  for (int i = 0; i < PYM_NCLASSES; i++) {
    uint64_t size = block_size(i);
    c->allocated_bytes += c->numblocks[i] * size;
    c->available_bytes += c->numfree[i] * size;
    c->pool_header_bytes += c->numpools[i] * pr->pool_overhead;
    c->quantization += c->numpools[i] * ((pr->pool_size - pr->pool_overhead) % size);
  }
}

static int pool_is_valid(pym_State *s, pym_Pool *p) {
  if (p->count == 0) return 1;
  uint32_t nb = s->nblocks[p->szidx], nfree = 0;
  if (p->count > nb || p->nextindex > nb || p->count > p->nextindex) return 0;
  for (uint32_t b = p->freeblock; b != PYM_NIL16; b = p->link[b]) {
    if (b >= p->nextindex || ++nfree > nb) return 0;
  }
  /* the free list holds every carved block not in use */
  return p->count + nfree == p->nextindex;
}

static int m_is_valid(void *self) {
  pym_State *s = self;
  const ms_Profile *pr = s->env.prof;
  uint64_t current = 0;
  /* every used pool is on its class's list, with room, of that class */
  uint64_t on_used = 0;
  for (int c = 0; c < PYM_NCLASSES; c++) {
    uint32_t prev = MS_NIL;
    for (uint32_t id = s->usedpools[c]; id != MS_NIL; id = pool_at(s, id)->nextpool) {
      pym_Pool *p = pool_at(s, id);
      if (p->szidx != c || p->count == 0 || p->freeblock == PYM_NIL16) return 0;
      if (p->prevpool != prev) return 0;
      prev = id;
      if (++on_used > (uint64_t)s->maxarenas * PYM_MAXPOOLS) return 0;
    }
  }
  uint64_t used_pools = 0, full_pools = 0, total_pools = 0;
  for (uint32_t ai = 0; ai < s->maxarenas; ai++) {
    pym_Arena *a = &s->arenas[ai];
    if (a->address == 0) continue;
    current++;
    uint32_t cached = 0;
    for (uint32_t id = a->freepools; id != MS_NIL; id = pool_at(s, id)->nextpool) {
      if (POOL_ARENA(id) != ai || pool_at(s, id)->count != 0) return 0;
      if (++cached > a->ntotalpools) return 0;
    }
    if (a->nfreepools != cached + (a->ntotalpools - a->pool_carve)) return 0;
    for (uint32_t k = 0; k < a->pool_carve; k++) {
      pym_Pool *p = &a->pools[k];
      if (!pool_is_valid(s, p)) return 0;
      if (p->count > 0 && p->freeblock != PYM_NIL16) used_pools++;
      if (p->count > 0 && p->freeblock == PYM_NIL16) full_pools++;
    }
    total_pools += a->ntotalpools;
  }
  if (used_pools != on_used || current != s->st.arenas_current) return 0;
  if (full_pools != s->st.pools_full || used_pools + full_pools != s->st.pools_in_use ||
      total_pools != s->st.pools_total)
    return 0;
  /* usable_arenas: sorted by nfreepools, each with free pools, and
     nfp2lasta[k] the last with k */
  uint32_t prev = MS_NIL, last[PYM_MAXPOOLS + 1];
  for (int k = 0; k <= PYM_MAXPOOLS; k++) last[k] = MS_NIL;
  for (uint32_t ai = s->usable_arenas; ai != MS_NIL; ai = s->arenas[ai].nextarena) {
    pym_Arena *a = &s->arenas[ai];
    if (a->address == 0 || a->nfreepools == 0 || a->prevarena != prev) return 0;
    if (prev != MS_NIL && s->arenas[prev].nfreepools > a->nfreepools) return 0;
    last[a->nfreepools] = ai;
    prev = ai;
  }
  for (int k = 1; k <= PYM_MAXPOOLS; k++)
    if (last[k] != s->nfp2lasta[k]) return 0;
  /* the _debugmallocstats identity */
  pym_Census c;
  pymalloc_census(s, &c);
  if (c.allocated_bytes + c.available_bytes + c.unused_pools * pr->pool_size +
          c.pool_header_bytes + c.quantization + c.alignment != c.arena_bytes)
    return 0;
  return s->raw.m->is_valid(s->raw.self);
}

static void m_destroy(void *self) {
  pym_State *s = self;
  for (uint32_t ai = 0; ai < s->maxarenas; ai++) {
    pym_Arena *a = &s->arenas[ai];
    if (a->pools == NULL) continue;
    for (uint32_t k = 0; k < PYM_MAXPOOLS; k++) ms_xfree(a->pools[k].link);
    ms_xfree(a->pools);
  }
  for (uint32_t i = 0; i < MAP_TOP; i++) ms_xfree(s->map[i]);
  ms_xfree(s->map);
  ms_xfree(s->arenas);
  ms_xfree(s->mid_keys);
  ms_xfree(s->bot_keys);
  ms_xfree(s);
}

static const ms_AllocatorMethods pymalloc_methods = {
  .name = "pymalloc",
  .malloc = m_malloc,
  .realloc = m_realloc,
  .free = m_free,
  .usable_size = m_usable_size,
  .is_valid = m_is_valid,
  .destroy = m_destroy,
};

ms_Allocator pymalloc_new(ms_AllocEnv env, ms_Allocator raw) {
  pym_State *s = ms_xcalloc(1, sizeof *s);
  s->env = env;
  s->pool_shift = (uint32_t)__builtin_ctz(env.prof->pool_size);
  s->raw = raw;
  for (int c = 0; c < PYM_NCLASSES; c++) {
    s->nblocks[c] = (env.prof->pool_size - env.prof->pool_overhead) / block_size(c);
    s->inverse[c] = (((uint64_t)1 << 32) + (uint64_t)c) / ((uint64_t)c + 1);
    s->usedpools[c] = MS_NIL;
  }
  s->unused_arenas = MS_NIL;
  s->usable_arenas = MS_NIL;
  for (int k = 0; k <= PYM_MAXPOOLS; k++) s->nfp2lasta[k] = MS_NIL;
  s->map = ms_xcalloc(MAP_TOP, sizeof(uint32_t *));
  return (ms_Allocator){&pymalloc_methods, s};
}

pym_State *pymalloc_state(ms_Allocator a) {
  return a.m == &pymalloc_methods ? a.self : NULL;
}
