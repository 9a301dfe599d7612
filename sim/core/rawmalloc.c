/*
** rawmalloc.c: the boundary-tag heap of rawmalloc.h.
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "rawmalloc.h"
#include "u64map.h"
#include "util.h"

#define HDR            16u          /* chunk header before the user bytes */
#define MINCHUNK       32u
#define MMAP_THRESHOLD (128u * 1024)       /* glibc's DEFAULT_MMAP_THRESHOLD_MIN */
#define MMAP_THRESHOLD_MAX (32u << 20)     /* DEFAULT_MMAP_THRESHOLD_MAX, 64-bit */
#define TOP_PAD        (128u * 1024)
#define NBINS          288
#define NWORDS         ((NBINS + 63) / 64)

enum { C_INUSE = 1, C_FREE = 2, C_MMAPPED = 3 };

typedef struct Chunk {
  uint64_t addr;       /* start of the chunk (header) */
  uint64_t size;       /* whole chunk, header included */
  uint64_t prev;       /* boundary tag: the chunk before it, 0 if first */
  uint64_t requested;  /* what the caller asked for (in use) */
  uint32_t next_free;  /* bin list (free chunks) or record free list */
  uint32_t prev_free;
  uint32_t state;      /* C_INUSE, C_FREE, C_MMAPPED; 0: record unused */
} Chunk;

typedef struct Raw {
  ms_AllocEnv env;
  Chunk *chunks;           /* records */
  uint32_t nchunks, capchunks, free_records;
  ms_U64Map map;           /* chunk address -> record id */
  uint32_t bins[NBINS];    /* first free chunk of each bin */
  uint64_t binmap[NWORDS]; /* non-empty bins */
  uint64_t top_addr;       /* the top chunk: [top_addr, brk) */
  uint64_t top_prev;       /* chunk just below the top, 0 if none */
  uint64_t mmap_threshold;  /* a chunk this large or larger is mapped */
  uint64_t trim_threshold;  /* the top is trimmed when it passes this */
  uint8_t *touched;        /* heap pages resident, one byte each */
  uint64_t captouched;
  raw_Stats st;
} Raw;

static void charge(Raw *r, uint32_t ns) { *r->env.now += ns; }

/* ====================================================================
** Records and the address hash
** ==================================================================== */

static uint32_t record_new(Raw *r) {
  if (r->free_records != MS_NIL) {
    uint32_t id = r->free_records;
    r->free_records = r->chunks[id].next_free;
    return id;
  }
  if (r->nchunks == r->capchunks) {
    r->capchunks = r->capchunks ? 2 * r->capchunks : 64;
    r->chunks = ms_xrealloc(r->chunks, r->capchunks * sizeof(Chunk));
  }
  return r->nchunks++;
}

static void record_drop(Raw *r, uint32_t id) {
  r->chunks[id].state = 0;
  r->chunks[id].next_free = r->free_records;
  r->free_records = id;
}

static void map_put(Raw *r, uint64_t key, uint32_t val) { u64map_put(&r->map, key, val); }

static uint32_t map_get(const Raw *r, uint64_t key) {
  int found;
  uint64_t v = u64map_get(&r->map, key, &found);
  return found ? (uint32_t)v : MS_NIL;
}

static void map_del(Raw *r, uint64_t key) {
  int had = u64map_take(&r->map, key, NULL);
  assert(had);
  (void)had;
}

/* ====================================================================
** Bins
** ==================================================================== */

static unsigned bin_of(uint64_t size) {
  if (size < 1024) return (unsigned)(size >> 4);
  unsigned e = 63u - (unsigned)__builtin_clzll(size);
  return 64 + (e - 10) * 4 + (unsigned)((size >> (e - 2)) & 3);
}

static void bin_insert(Raw *r, uint32_t id) {
  Chunk *c = &r->chunks[id];
  unsigned b = bin_of(c->size);
  c->state = C_FREE;
  c->prev_free = MS_NIL;
  c->next_free = r->bins[b];
  if (r->bins[b] != MS_NIL) r->chunks[r->bins[b]].prev_free = id;
  r->bins[b] = id;
  r->binmap[b >> 6] |= 1ull << (b & 63);
  r->st.free_bytes += c->size;
  r->st.nfree_chunks++;
}

static void bin_remove(Raw *r, uint32_t id) {
  Chunk *c = &r->chunks[id];
  unsigned b = bin_of(c->size);
  if (c->prev_free != MS_NIL) r->chunks[c->prev_free].next_free = c->next_free;
  else r->bins[b] = c->next_free;
  if (c->next_free != MS_NIL) r->chunks[c->next_free].prev_free = c->prev_free;
  if (r->bins[b] == MS_NIL) r->binmap[b >> 6] &= ~(1ull << (b & 63));
  r->st.free_bytes -= c->size;
  r->st.nfree_chunks--;
}

/* first fit from the smallest bin that can hold SIZE */
static uint32_t bin_take(Raw *r, uint64_t size) {
  unsigned b = bin_of(size);
  for (uint32_t id = r->bins[b]; id != MS_NIL; id = r->chunks[id].next_free)
    if (r->chunks[id].size >= size) {
      bin_remove(r, id);
      return id;
    }
  for (unsigned w = (b + 1) >> 6; w < NWORDS; w++) {
    uint64_t bits = r->binmap[w];
    if (w == (b + 1) >> 6) bits &= ~0ull << ((b + 1) & 63);
    if (bits) {
      uint32_t id = r->bins[w * 64 + (unsigned)__builtin_ctzll(bits)];
      bin_remove(r, id);
      return id;
    }
  }
  return MS_NIL;
}

/* ====================================================================
** Resident pages of the heap
** ==================================================================== */

static void heap_touch(Raw *r, uint64_t addr, uint64_t len) {
  uint64_t first = (addr - MS_HEAP_BASE) >> 12, last = (addr + len - 1 - MS_HEAP_BASE) >> 12;
  if (last >= r->captouched) {
    uint64_t cap = r->captouched ? r->captouched : 1024;
    while (cap <= last) cap *= 2;
    r->touched = ms_xrealloc(r->touched, cap);
    memset(r->touched + r->captouched, 0, cap - r->captouched);
    r->captouched = cap;
  }
  for (uint64_t pg = first; pg <= last; pg++)
    if (!r->touched[pg]) {
      r->touched[pg] = 1;
      space_rss_add(r->env.space, MS_PAGE_SIZE);
    }
}

static void heap_untouch_above(Raw *r, uint64_t brk) {
  for (uint64_t pg = (brk - MS_HEAP_BASE) >> 12; pg < r->captouched; pg++)
    if (r->touched[pg]) {
      r->touched[pg] = 0;
      space_rss_add(r->env.space, -(int64_t)MS_PAGE_SIZE);
    }
}

/* the chunk that starts at ADDR gets PREV as its boundary tag */
static void set_prev_of(Raw *r, uint64_t addr, uint64_t prev) {
  if (addr == r->top_addr) {
    r->top_prev = prev;
    return;
  }
  uint32_t id = map_get(r, addr);
  assert(id != MS_NIL);
  r->chunks[id].prev = prev;
}

/* ====================================================================
** The methods
** ==================================================================== */

static uint64_t chunk_size(size_t n) {
  uint64_t c = ((uint64_t)n + 8 + 15) & ~(uint64_t)15;
  return c < MINCHUNK ? MINCHUNK : c;
}

static uint64_t raw_mmap(Raw *r, size_t n) {
  uint64_t len = ((uint64_t)n + HDR + MS_PAGE_SIZE - 1) & ~(uint64_t)(MS_PAGE_SIZE - 1);
  uint64_t addr = space_mmap(r->env.space, len);
  if (addr == 0) return 0;
  uint32_t id = record_new(r);
  r->chunks[id] = (Chunk){addr, len, 0, n, MS_NIL, MS_NIL, C_MMAPPED};
  map_put(r, addr, id);
  space_rss_add(r->env.space, (int64_t)len);
  r->st.mmapped_bytes += len;
  r->st.nmmapped++;
  r->st.requested_bytes += n;
  charge(r, r->env.prof->cost.raw_mmap);
  return addr + HDR;
}

static uint64_t m_malloc(void *self, size_t n) {
  Raw *r = self;
  r->st.mallocs++;
  charge(r, r->env.prof->cost.raw_malloc);
  if (n == 0) n = 1;                         /* malloc(0) is malloc(1) */
  uint64_t size = chunk_size(n);
  if (size >= r->mmap_threshold) return raw_mmap(r, n);
  uint32_t id = bin_take(r, size);
  if (id != MS_NIL) {
    Chunk *c = &r->chunks[id];
    if (c->size - size >= MINCHUNK) {        /* split off the remainder */
      uint64_t rest_addr = c->addr + size, rest_size = c->size - size;
      c->size = size;
      uint32_t rid = record_new(r);
      c = &r->chunks[id];
      r->chunks[rid] = (Chunk){rest_addr, rest_size, c->addr, 0, MS_NIL, MS_NIL, C_FREE};
      map_put(r, rest_addr, rid);
      set_prev_of(r, rest_addr + rest_size, rest_addr);
      bin_insert(r, rid);
    }
  } else {                                   /* from the top chunk */
    uint64_t top_size = r->env.space->brk - r->top_addr;
    if (top_size < size + MINCHUNK) {
      uint64_t grow = size + MINCHUNK - top_size + TOP_PAD;
      grow = (grow + MS_PAGE_SIZE - 1) & ~(uint64_t)(MS_PAGE_SIZE - 1);
      if (space_sbrk(r->env.space, (int64_t)grow) == 0) return 0;
    }
    id = record_new(r);
    r->chunks[id] = (Chunk){r->top_addr, size, r->top_prev, 0, MS_NIL, MS_NIL, C_INUSE};
    map_put(r, r->top_addr, id);
    r->top_prev = r->top_addr;
    r->top_addr += size;
  }
  Chunk *c = &r->chunks[id];
  c->state = C_INUSE;
  c->requested = n;
  r->st.in_use_bytes += c->size;
  r->st.requested_bytes += n;
  r->st.nchunks++;
  heap_touch(r, c->addr, c->size);
  return c->addr + HDR;
}

/* give the top back to the system when it has grown past the pad */
static void maybe_trim(Raw *r) {
  uint64_t top_size = r->env.space->brk - r->top_addr;
  if (top_size < TOP_PAD + MS_PAGE_SIZE + MINCHUNK || top_size < r->trim_threshold) return;
  uint64_t extra = (top_size - TOP_PAD - MINCHUNK) & ~(uint64_t)(MS_PAGE_SIZE - 1);
  space_sbrk(r->env.space, -(int64_t)extra);
  heap_untouch_above(r, r->env.space->brk);
}

/* free(P); DYNAMIC: a mapped chunk may raise the mmap threshold (free()
   does, realloc's release of the old chunk does not: glibc unmaps it
   directly) */
static void raw_free(Raw *r, uint64_t p, int dynamic) {
  if (p == 0) return;
  uint32_t id = map_get(r, p - HDR);
  assert(id != MS_NIL && r->chunks[id].state != C_FREE);
  r->st.frees++;
  charge(r, r->env.prof->cost.raw_free);
  Chunk *c = &r->chunks[id];
  r->st.requested_bytes -= c->requested;
  if (c->state == C_MMAPPED) {
    /* glibc's dynamic threshold: blocks of this size come from the heap from now on */
    if (dynamic && c->size > r->mmap_threshold && c->size <= MMAP_THRESHOLD_MAX) {
      r->mmap_threshold = c->size;
      r->trim_threshold = 2 * c->size;
    }
    space_munmap(r->env.space, c->addr, c->size);
    space_rss_add(r->env.space, -(int64_t)c->size);
    r->st.mmapped_bytes -= c->size;
    r->st.nmmapped--;
    map_del(r, c->addr);
    record_drop(r, id);
    charge(r, r->env.prof->cost.raw_mmap);
    return;
  }
  r->st.in_use_bytes -= c->size;
  r->st.nchunks--;
  /* merge with a free chunk before */
  if (c->prev) {
    uint32_t pid = map_get(r, c->prev);
    if (r->chunks[pid].state == C_FREE) {
      bin_remove(r, pid);
      r->chunks[pid].size += c->size;
      map_del(r, c->addr);
      record_drop(r, id);
      id = pid;
      c = &r->chunks[id];
    }
  }
  uint64_t next = c->addr + c->size;
  if (next == r->top_addr) {                 /* into the top */
    r->top_addr = c->addr;
    r->top_prev = c->prev;
    map_del(r, c->addr);
    record_drop(r, id);
    maybe_trim(r);
    return;
  }
  uint32_t nid = map_get(r, next);
  assert(nid != MS_NIL);
  if (r->chunks[nid].state == C_FREE) {      /* merge with a free chunk after */
    bin_remove(r, nid);
    c->size += r->chunks[nid].size;
    map_del(r, next);
    record_drop(r, nid);
  }
  set_prev_of(r, c->addr + c->size, c->addr);
  bin_insert(r, id);
}

static void m_free(void *self, uint64_t p) { raw_free(self, p, 1); }

static size_t m_usable_size(void *self, uint64_t p) {
  Raw *r = self;
  uint32_t id = map_get(r, p - HDR);
  assert(id != MS_NIL);
  return (size_t)(r->chunks[id].size - (r->chunks[id].state == C_MMAPPED ? HDR : 8));
}

/*
** realloc: shrinking or growing within the chunk stays in place (the
** request is updated); otherwise malloc, copy and free.
*/
static uint64_t m_realloc(void *self, uint64_t p, size_t n) {
  Raw *r = self;
  if (p == 0) return m_malloc(self, n);
  r->st.reallocs++;
  uint32_t id = map_get(r, p - HDR);
  assert(id != MS_NIL);
  Chunk *c = &r->chunks[id];
  if (n == 0) n = 1;
  if (c->state == C_INUSE && chunk_size(n) < r->mmap_threshold && chunk_size(n) <= c->size &&
      c->size - chunk_size(n) < MINCHUNK) {
    r->st.requested_bytes = r->st.requested_bytes - c->requested + n;
    c->requested = n;
    return p;
  }
  uint64_t old = c->requested;
  uint64_t q = m_malloc(self, n);
  if (q == 0) return 0;
  *r->env.now += ((old < n ? old : n) * r->env.prof->cost.copy_per_kib) >> 10;
  raw_free(r, p, 0);
  return q;
}

static int m_is_valid(void *self) {
  Raw *r = self;
  uint64_t in_use = 0, freeb = 0, mm = 0, n_in = 0, n_free = 0;
  for (uint32_t id = 0; id < r->nchunks; id++) {
    Chunk *c = &r->chunks[id];
    if (c->state == 0) continue;
    if (map_get(r, c->addr) != id) return 0;
    if (c->state == C_MMAPPED) { mm += c->size; continue; }
    if (c->state == C_INUSE) { in_use += c->size; n_in++; }
    else {
      freeb += c->size;
      n_free++;
      uint64_t next = c->addr + c->size;    /* no two free chunks touch */
      if (next != r->top_addr && r->chunks[map_get(r, next)].state == C_FREE) return 0;
    }
    if (c->prev && map_get(r, c->prev) == MS_NIL) return 0;
  }
  uint64_t heap = r->env.space->brk - MS_HEAP_BASE;
  r->st.heap_bytes = heap;
  r->st.top_size = r->env.space->brk - r->top_addr;
  return in_use == r->st.in_use_bytes && freeb == r->st.free_bytes &&
         mm == r->st.mmapped_bytes && n_in == r->st.nchunks &&
         n_free == r->st.nfree_chunks &&
         heap == in_use + freeb + r->st.top_size;
}

static void m_destroy(void *self) {
  Raw *r = self;
  ms_xfree(r->chunks);
  u64map_free(&r->map);
  ms_xfree(r->touched);
  ms_xfree(r);
}

static const ms_AllocatorMethods raw_methods = {
  .name = "malloc",
  .malloc = m_malloc,
  .realloc = m_realloc,
  .free = m_free,
  .usable_size = m_usable_size,
  .is_valid = m_is_valid,
  .destroy = m_destroy,
};

ms_Allocator rawmalloc_new(ms_AllocEnv env) {
  Raw *r = ms_xcalloc(1, sizeof *r);
  r->env = env;
  r->free_records = MS_NIL;
  for (int b = 0; b < NBINS; b++) r->bins[b] = MS_NIL;
  r->top_addr = env.space->brk;
  r->mmap_threshold = MMAP_THRESHOLD;
  r->trim_threshold = MMAP_THRESHOLD;
  return (ms_Allocator){&raw_methods, r};
}

const raw_Stats *rawmalloc_stats(ms_Allocator a) {
  if (a.m != &raw_methods) return NULL;
  Raw *r = a.self;
  r->st.heap_bytes = r->env.space->brk - MS_HEAP_BASE;
  r->st.top_size = r->env.space->brk - r->top_addr;
  return &r->st;
}
