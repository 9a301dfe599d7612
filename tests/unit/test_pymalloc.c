/*
** test_pymalloc.c: pymalloc's geometry and policies, block by block.
*/
#include <string.h>

#include "check.h"
#include "simimpl.h"

#define ARENA0 (MS_MMAP_TOP - 1048576)            /* first arena mapped */
#define POOL0  ((ARENA0 & ~16383ull) + 16384)     /* its first pool */

static void geometry(void) {
  ms_Sim *s = new_sim();
  static const int per_pool[][2] = {{16, 1021}, {32, 510}, {48, 340}, {64, 255},
                                    {128, 127}, {256, 63}, {512, 31}};
  for (size_t i = 0; i < sizeof per_pool / sizeof per_pool[0]; i++)
    CHECK_EQ(s->pym->nblocks[per_pool[i][0] / 16 - 1], per_pool[i][1]);
  CHECK_EQ(ARENA0 % 16384, 4096);                 /* Linux-like: not aligned */
  uint64_t p = ms_malloc(s, 1);
  CHECK_EQ(p, POOL0 + 48);                        /* first block after the header */
  CHECK_EQ(s->pym->arenas[0].ntotalpools, 63);    /* one pool lost to alignment */
  VALID(s);
  ms_sim_free(s);
}

static void classes_and_carving(void) {
  ms_Sim *s = new_sim();
  uint64_t a = ms_malloc(s, 17), b = ms_malloc(s, 32), c = ms_malloc(s, 24);
  CHECK_EQ(a, POOL0 + 48);                        /* 17..32 bytes: class 1 */
  CHECK_EQ(b, a + 32);                            /* carved in order */
  CHECK_EQ(c, a + 64);
  uint64_t d = ms_malloc(s, 16);                  /* class 0: a new pool */
  CHECK_EQ(d, POOL0 + 16384 + 48);
  uint64_t e = ms_malloc(s, 512);                 /* class 31 */
  CHECK_EQ(e, POOL0 + 2 * 16384 + 48);
  uint64_t big = ms_malloc(s, 513), zero = ms_malloc(s, 0);
  CHECK(big < MS_HEAP_BASE + (1ull << 40));       /* raw heap, not an arena */
  CHECK(zero < MS_HEAP_BASE + (1ull << 40));
  CHECK_EQ(s->pym->st.raw_blocks, 2);
  CHECK_EQ(ms_getallocatedblocks(s), 7);
  VALID(s);
  ms_sim_free(s);
}

/* freed blocks come back last in, first out */
static void lifo(void) {
  ms_Sim *s = new_sim();
  uint64_t p[5];
  for (int i = 0; i < 5; i++) p[i] = ms_malloc(s, 32);
  ms_free(s, p[1]);
  ms_free(s, p[3]);
  CHECK_EQ(ms_malloc(s, 32), p[3]);
  CHECK_EQ(ms_malloc(s, 32), p[1]);
  CHECK_EQ(ms_malloc(s, 32), p[4] + 32);          /* then fresh carving */
  VALID(s);
  ms_sim_free(s);
}

/*
** Every block of a pool of every class, for 16 KiB and 3.9's 4 KiB pools:
** freed in an order that mixes them, the blocks come back last in, first
** out (pymalloc_free finds a block's index from its offset with a
** multiply, not a divide: each index must be the exact one).
*/
static void every_offset(void) {
  for (int v = 0; v < 2; v++) {
    ms_Config cfg;
    char err[200];
    ms_config_default(&cfg);
    cfg.profile = v == 0 ? "cpython-3.11" : "cpython-3.9";
    ms_Sim *s = ms_sim_new(&cfg, err, sizeof err);
    static uint64_t p[1024];
    for (int c = 0; c < 32; c++) {
      int n = (int)s->pym->nblocks[c];
      size_t size = 16 * (size_t)(c + 1);
      for (int i = 0; i < n; i++) p[i] = ms_malloc(s, size);
      int apart = 0;
      for (int i = 1; i < n; i++) apart += p[i] != p[0] + (uint64_t)i * size;
      CHECK_EQ(apart, 0);                                      /* one pool, carved in order */
      int top = (n - 1) % 2 == 0 ? n - 1 : n - 2;              /* the last even index */
      for (int i = 0; i < n; i += 2) ms_free(s, p[i]);         /* evens up */
      for (int i = (n - 1) % 2 ? n - 1 : n - 2; i >= 1; i -= 2) ms_free(s, p[i]);   /* odds down */
      int wrong = 0;
      for (int i = 1; i < n; i += 2) wrong += ms_malloc(s, size) != p[i];     /* last freed first */
      for (int i = top; i >= 0; i -= 2) wrong += ms_malloc(s, size) != p[i];
      CHECK_EQ(wrong, 0);
      for (int i = 0; i < n; i++) ms_free(s, p[i]);
    }
    VALID(s);
    ms_sim_free(s);
  }
}

/* a full pool leaves usedpools; when a block frees it goes to the front */
static void usedpools_order(void) {
  ms_Sim *s = new_sim();
  uint64_t first[31];
  for (int i = 0; i < 31; i++) first[i] = ms_malloc(s, 512);   /* fills pool 0 */
  uint64_t second = ms_malloc(s, 512);                        /* pool 1 */
  CHECK_EQ(second, POOL0 + 16384 + 48);
  ms_free(s, first[7]);                           /* pool 0 is used again, in front */
  CHECK_EQ(ms_malloc(s, 512), first[7]);          /* served from pool 0 */
  CHECK_EQ(ms_malloc(s, 512), second + 512);      /* pool 0 full: pool 1 */
  VALID(s);
  ms_sim_free(s);
}

/* an empty pool is cached in its arena and reused without re-initialising
   when the class is the same */
static void pool_reuse(void) {
  ms_Sim *s = new_sim();
  uint64_t a = ms_malloc(s, 64), b = ms_malloc(s, 64);
  ms_free(s, a);
  ms_free(s, b);                                  /* pool empty: LIFO list b, a */
  CHECK_EQ(s->pym->arenas[0].nfreepools, 63);
  CHECK_EQ(ms_malloc(s, 64), b);                  /* same class: free list kept */
  ms_free(s, b);
  CHECK_EQ(ms_malloc(s, 100), POOL0 + 48);        /* other class: re-initialised */
  CHECK_EQ(s->pym->st.pools_initialised, 2);
  VALID(s);
  ms_sim_free(s);
}

/* the realloc rule: in place when it fits and shrinks by less than 1/4 */
static void realloc_rule(void) {
  ms_Sim *s = new_sim();
  uint64_t p = ms_malloc(s, 100);                 /* 112-byte block */
  CHECK_EQ(ms_realloc(s, p, 112), p);
  CHECK_EQ(ms_realloc(s, p, 85), p);              /* 4*85 = 340 > 336 */
  uint64_t q = ms_realloc(s, p, 84);              /* 336 is not > 336: moves */
  CHECK(q != p);
  uint64_t r = ms_realloc(s, q, 200);             /* grows: moves */
  CHECK(r != q);
  uint64_t t = ms_realloc(s, r, 600);             /* to the raw allocator */
  CHECK_EQ(s->pym->st.raw_blocks, 1);
  ms_free(s, t);
  CHECK_EQ(s->pym->st.raw_blocks, 0);
  VALID(s);
  ms_sim_free(s);
}

/* arenas: allocation from the fullest, release of wholly free ones but
   the last, the list sorted by free pools */
static void arenas(void) {
  ms_Sim *s = new_sim();
  enum { PER_ARENA = 63 * 31, N = 4 * PER_ARENA };
  static uint64_t p[N];
  for (int i = 0; i < N; i++) {
    p[i] = ms_malloc(s, 512);
    if (i % 997 == 0) VALID(s);
  }
  CHECK_EQ(s->pym->st.arenas_current, 4);
  CHECK_EQ(s->pym->usable_arenas, MS_NIL);        /* all full */
  /* free the whole of arena 1 and half of arena 2 */
  for (int i = PER_ARENA; i < 2 * PER_ARENA; i++) ms_free(s, p[i]);
  CHECK_EQ(s->pym->st.arenas_current, 4);         /* kept: the only usable one */
  for (int i = 2 * PER_ARENA; i < 2 * PER_ARENA + PER_ARENA / 2; i++) ms_free(s, p[i]);
  VALID(s);
  /* arena 1 became wholly free while it was the only usable arena, and an
     arena is only released by the free that empties it: it stays */
  CHECK_EQ(s->pym->st.arenas_current, 4);
  CHECK_EQ(s->pym->arenas[1].nfreepools, 63);
  /* new requests fill the fullest arena first */
  uint64_t q = ms_malloc(s, 512);
  CHECK(q >= s->pym->arenas[2].address && q < s->pym->arenas[2].address + 1048576);
  ms_free(s, q);
  for (int i = 0; i < N; i++)
    if (i < PER_ARENA || i >= 2 * PER_ARENA + PER_ARENA / 2) ms_free(s, p[i]);
  CHECK_EQ(s->pym->st.arenas_current, 1);         /* one wholly free arena kept */
  VALID(s);
  ms_sim_free(s);
}

/* the census identity of _debugmallocstats holds at every step */
static void identity(void) {
  ms_Sim *s = new_sim();
  uint64_t p[3000];
  uint32_t x = 12345;
  for (int i = 0; i < 3000; i++) {
    x = x * 1103515245u + 12345u;
    p[i] = ms_malloc(s, 1 + (x >> 8) % 700);
    if (i % 3 == 2) {
      ms_free(s, p[i - 1]);
      p[i - 1] = 0;
    }
    if (i % 50 == 0) VALID(s);
  }
  for (int i = 2999; i >= 0; i--) {
    ms_free(s, p[i]);
    if (i % 50 == 0) VALID(s);
  }
  ms_Stats st;
  ms_stats(s, &st);
  CHECK_EQ(st.in_blocks, 0);
  CHECK_EQ(st.requested, 0);
  CHECK_EQ(st.arenas_current, 1);
  ms_sim_free(s);
}

static void bad_free(void) {
  ms_Sim *s = new_sim();
  uint64_t p = ms_malloc(s, 10);
  CHECK_EQ(ms_free(s, p + 16), -1);
  CHECK(strstr(ms_sim_error(s), "not a live block") != NULL);
  CHECK_EQ(ms_free(s, p), 0);
  CHECK_EQ(ms_free(s, p), -1);                    /* double free is caught */
  VALID(s);
  ms_sim_free(s);
}

int main(void) {
  geometry();
  classes_and_carving();
  lifo();
  every_offset();
  usedpools_order();
  pool_reuse();
  realloc_rule();
  arenas();
  identity();
  bad_free();
  CHECK_DONE();
}
