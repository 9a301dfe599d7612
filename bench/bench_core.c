/*
** bench_core.c: how fast the core simulates, through its C API.
** Not a test: it prints figures.  Each figure is the best of 5 rounds.
**   alloc+free pairs   PyObject_Malloc + PyObject_Free of 32-byte blocks
**                      (and with the sizes kept by the caller, as a replay)
**   incref+decref      on a live object
**   object churn       float created and dropped (free list and pymalloc)
**   full collection    gc.collect() over 10^6 tracked one-item lists
*/
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sim.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static ms_Sim *fresh(void) {
  char err[128];
  ms_Sim *s = ms_sim_new(NULL, err, sizeof err);
  if (s == NULL) {
    fprintf(stderr, "%s\n", err);
    exit(1);
  }
  return s;
}

/*
** SIZED: the sizes kept by the caller (ms_block_alloc / ms_block_free, the
** path a replay takes); else ms_malloc / ms_free, which keep each block's
** size in a map, as PyObject_Free finds it without being told.
*/
static double pairs_per_second(int sized) {
  enum { N = 10000000, LIVE = 1000 };
  ms_Sim *s = fresh();
  uint64_t keep[LIVE];
  for (int i = 0; i < LIVE; i++) keep[i] = ms_malloc(s, 24);  /* a used pool */
  double best = 0;
  for (int round = 0; round < 5; round++) {
    double t = now();
    if (sized)
      for (int i = 0; i < N; i++) ms_block_free(s, 0, ms_block_alloc(s, 0, 24), 24);
    else
      for (int i = 0; i < N; i++) ms_free(s, ms_malloc(s, 24));
    double r = N / (now() - t);
    if (r > best) best = r;
  }
  for (int i = 0; i < LIVE; i++) ms_free(s, keep[i]);
  ms_sim_free(s);
  return best;
}

static double refcount_per_second(void) {
  enum { N = 50000000 };
  ms_Sim *s = fresh();
  uint32_t f = ms_new(s, MS_FLOAT, 0);
  double best = 0;
  for (int round = 0; round < 5; round++) {
    double t = now();
    for (int i = 0; i < N; i++) {
      ms_incref(s, f);
      ms_decref(s, f);
    }
    double r = N / (now() - t);
    if (r > best) best = r;
  }
  ms_sim_free(s);
  return best;
}

static double churn_per_second(void) {
  enum { N = 5000000 };
  ms_Sim *s = fresh();
  double best = 0;
  for (int round = 0; round < 5; round++) {
    double t = now();
    for (int i = 0; i < N; i++) ms_decref(s, ms_new_int(s, 100000 + i));
    double r = N / (now() - t);
    if (r > best) best = r;
  }
  ms_sim_free(s);
  return best;
}

static double collection_ns_per_object(uint64_t *pause) {
  enum { N = 1000000 };
  ms_Config c;
  char err[128];
  ms_config_default(&c);
  c.gc_enabled = 0;
  ms_Sim *s = ms_sim_new(&c, err, sizeof err);
  uint32_t outer = ms_new(s, MS_LIST, 0);
  for (int i = 0; i < N; i++) {
    uint32_t inner = ms_new(s, MS_LIST, 0), x = ms_new_int(s, 7);
    ms_append(s, inner, x);
    ms_append(s, outer, inner);
    ms_decref(s, inner);
    ms_decref(s, x);
  }
  double best = 1e30;
  for (int round = 0; round < 5; round++) {
    uint64_t t0 = ms_sim_now(s);
    double t = now();
    ms_gc_collect(s, 2);
    double r = (now() - t) * 1e9 / N;
    *pause = ms_sim_now(s) - t0;
    if (r < best) best = r;
  }
  ms_decref(s, outer);
  ms_sim_free(s);
  return best;
}

int main(void) {
  printf("memsim core benchmark (best of 5 rounds, one core)\n");
  printf("  alloc+free pairs       %8.1f million/s   (issue 16: >= 60)\n", pairs_per_second(0) / 1e6);
  printf("    sizes kept by caller %8.1f million/s   (a replay's path)\n", pairs_per_second(1) / 1e6);
  printf("  incref+decref          %8.1f million/s   (target >= 100)\n", refcount_per_second() / 1e6);
  printf("  int created+dropped    %8.1f million/s\n", churn_per_second() / 1e6);
  uint64_t pause;
  double ns = collection_ns_per_object(&pause);
  printf("  full collection        %8.1f ns per tracked object, 10^6 objects (issue 16: <= 20)\n", ns);
  printf("                         simulated pause %.1f ms\n", pause / 1e6);
  return 0;
}
