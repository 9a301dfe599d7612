/*
** test_scenarios.c: the measured numbers of the reference
** (shared/reference/cpython-3.11.md), reproduced from an empty heap.
*/
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "simimpl.h"

/* 100,000 floats: 24-byte requests in 32-byte blocks, 510 per pool */
static void floats(void) {
  ms_Sim *s = new_sim();
  static uint32_t f[100000];
  for (int i = 0; i < 100000; i++) f[i] = ms_new(s, MS_FLOAT, 0);
  ms_Stats st;
  ms_stats(s, &st);
  CHECK_EQ(st.cls[1].pools, 197);
  CHECK_EQ(st.cls[1].blocks, 100000);
  CHECK_EQ(st.cls[1].avail, 197 * 510 - 100000);
  CHECK_EQ(st.arenas_current, 4);                 /* 197 pools / 63 per arena */
  VALID(s);
  for (int i = 0; i < 100000; i++) ms_decref(s, f[i]);
  ms_stats(s, &st);
  CHECK_EQ(st.freelist_objects, 100);             /* the float free list keeps 100 */
  CHECK_EQ(st.cls[1].blocks, 100);
  ms_sim_free(s);
}

/*
** 10^6 medium ints (32 bytes each): 1961 pools in 32 arenas of 63 pools.
** Dropping them (last first, as del L does) returns all arenas but one;
** keeping every 10,000th pins the arenas they sit in.
*/
static void medium_ints(void) {
  enum { N = 1000000 };
  ms_Sim *s = new_sim();
  uint32_t *x = malloc(N * sizeof *x);
  ms_Stats st;
  for (int i = 0; i < N; i++) x[i] = ms_new_int(s, 1000000 + i);
  ms_stats(s, &st);
  CHECK_EQ(st.cls[1].pools, 1961);
  CHECK_EQ(st.arenas_current, 32);
  CHECK_EQ(st.alignment, 32 * 16384);             /* every arena lost a pool */
  VALID(s);
  for (int i = N - 1; i >= 0; i--) ms_decref(s, x[i]);
  ms_stats(s, &st);
  CHECK_EQ(st.arenas_current, 1);
  CHECK_EQ(st.arenas_reclaimed, 31);
  CHECK_EQ(st.arenas_total, 32);
  VALID(s);

  /* rebuild; keep = L[::10000]; del L */
  for (int i = 0; i < N; i++) x[i] = ms_new_int(s, 1000000 + i);
  ms_stats(s, &st);
  uint64_t total_before = st.arenas_total;
  for (int i = N - 1; i >= 0; i--)
    if (i % 10000 != 0) ms_decref(s, x[i]);
  /* which arenas hold a kept int: count them from the addresses */
  uint64_t seen[64];
  int nseen = 0;
  for (int i = 0; i < N; i += 10000) {
    uint32_t ai;
    CHECK(pymalloc_pool_of(s->pym, ms_obj_address(s, x[i]), &ai) != NULL);
    int dup = 0;
    for (int k = 0; k < nseen; k++) dup |= seen[k] == ai;
    if (!dup) seen[nseen++] = ai;
  }
  ms_stats(s, &st);
  printf("100 kept ints pin %d arenas; %llu arenas mapped (CPython from its startup heap: 30 pinned)\n",
         nseen, (unsigned long long)st.arenas_current);
  CHECK_EQ(nseen, 31);                             /* one every 32,130 ints */
  CHECK_EQ(st.arenas_current, nseen + 1);          /* + the one free arena kept */
  CHECK_EQ(st.arenas_total, total_before);
  VALID(s);
  for (int i = 0; i < N; i += 10000) ms_decref(s, x[i]);
  ms_stats(s, &st);
  CHECK_EQ(st.arenas_current, 1);
  VALID(s);
  free(x);
  ms_sim_free(s);
}

/* the same workload with PYTHONMALLOC=malloc: no arenas, all in the heap */
static void malloc_allocator(void) {
  ms_Sim *s = new_sim_with("malloc", 1);
  uint32_t f[1000];
  for (int i = 0; i < 1000; i++) f[i] = ms_new(s, MS_FLOAT, 0);
  ms_Stats st;
  ms_stats(s, &st);
  CHECK_EQ(st.arenas_current, 0);
  CHECK_EQ(st.allocated_blocks, 0);               /* as sys.getallocatedblocks() */
  CHECK_EQ(st.raw_in_use, 1000 * 32);             /* 24 + 8 rounded to 16: 32 */
  for (int i = 0; i < 1000; i++) ms_decref(s, f[i]);
  VALID(s);
  char buf[4096];
  ms_debugmallocstats(s, buf, sizeof buf);
  CHECK(strstr(buf, "Small block threshold") == NULL);
  CHECK(strstr(buf, "100 free PyFloatObjects") != NULL);
  ms_sim_free(s);
}

int main(void) {
  floats();
  medium_ints();
  malloc_allocator();
  CHECK_DONE();
}
