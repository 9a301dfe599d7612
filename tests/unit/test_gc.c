/*
** test_gc.c: the cycle collector: counts, thresholds, the algorithm,
** untracking, freeze.
*/
#include <string.h>

#include "check.h"
#include "simimpl.h"

/* The reference's measured example, without the interpreter's own
   allocations: 100 lists count 100; deleting them takes 20 off (80 go to
   the free list); 100 more come 80 from the free list, 20 new. */
static void count_semantics(void) {
  ms_Sim *s = new_sim();
  int64_t c[3];
  uint32_t l[100];
  for (int i = 0; i < 100; i++) l[i] = ms_new(s, MS_LIST, 0);
  ms_gc_get_count(s, c);
  CHECK_EQ(c[0], 100);
  for (int i = 0; i < 100; i++) ms_decref(s, l[i]);
  ms_gc_get_count(s, c);
  CHECK_EQ(c[0], 80);
  for (int i = 0; i < 100; i++) l[i] = ms_new(s, MS_LIST, 0);
  ms_gc_get_count(s, c);
  CHECK_EQ(c[0], 100);
  /* non-GC types do not count */
  uint32_t f = ms_new(s, MS_FLOAT, 0), i1 = ms_new_int(s, 99999);
  ms_gc_get_count(s, c);
  CHECK_EQ(c[0], 100);
  ms_decref(s, f);
  ms_decref(s, i1);
  /* an untracked-at-birth dict still counts */
  uint32_t d = ms_new(s, MS_DICT, 0);
  ms_gc_get_count(s, c);
  CHECK_EQ(c[0], 101);
  CHECK(!ms_gc_is_tracked(s, d));
  VALID(s);
  ms_sim_free(s);
}

static void cycles(void) {
  ms_Sim *s = new_sim();
  /* o.next = o */
  uint32_t o = ms_new_instance(s, "C");
  ms_setattr(s, o, "next", o);
  ms_decref(s, o);
  ms_Stats st;
  ms_stats(s, &st);
  CHECK_EQ(st.objects, 1);                         /* kept alive by itself */
  /* l.append(l) */
  uint32_t l = ms_new(s, MS_LIST, 0);
  ms_append(s, l, l);
  ms_decref(s, l);
  /* a ring of 10 dicts, reachable from a root list */
  uint32_t root = ms_new(s, MS_LIST, 0), key = ms_new(s, MS_STR, 4);
  uint32_t first = ms_new(s, MS_DICT, 0), prev = first;
  for (int i = 0; i < 9; i++) {
    uint32_t d = ms_new(s, MS_DICT, 0);
    ms_setitem(s, prev, 0, key, d);
    ms_decref(s, d);
    prev = d;
  }
  ms_setitem(s, prev, 0, key, first);
  ms_append(s, root, first);
  ms_decref(s, first);
  VALID(s);
  CHECK_EQ(ms_gc_collect(s, 2), 2);                /* o and l, not the ring */
  ms_stats(s, &st);
  CHECK_EQ(st.objects, 1 + 1 + 10);               /* root, key, ring */
  CHECK_EQ(st.gc[2].collections, 1);
  CHECK_EQ(st.gc[2].collected, 2);
  ms_decref(s, root);                              /* now the ring is garbage */
  CHECK_EQ(ms_gc_collect(s, 0), 0);               /* the ring is in generation 2 now */
  CHECK_EQ(ms_gc_collect(s, 2), 10);
  ms_stats(s, &st);
  CHECK_EQ(st.objects, 1);
  VALID(s);
  ms_sim_free(s);
}

/* an object reachable only through a cycle member found later on the
   list must be moved back (the visit_reachable case) */
static void reachable_after_all(void) {
  ms_Sim *s = new_sim();
  uint32_t a = ms_new(s, MS_LIST, 0), b = ms_new(s, MS_LIST, 0), c = ms_new(s, MS_LIST, 0);
  ms_append(s, b, a);                             /* a is reached from b */
  ms_append(s, a, c);                             /* c from a */
  ms_append(s, c, a);                             /* cycle a <-> c */
  ms_decref(s, a);
  ms_decref(s, c);                                /* b is the only root */
  CHECK_EQ(ms_gc_collect(s, 0), 0);
  CHECK(ms_obj_alive(s, a, ms_obj_serial(s, a)));
  ms_decref(s, b);
  CHECK_EQ(ms_gc_collect(s, 2), 2);
  VALID(s);
  ms_sim_free(s);
}

static void untracking(void) {
  ms_Sim *s = new_sim();
  uint32_t t = ms_new(s, MS_TUPLE, 2), x = ms_new_int(s, 1000), y = ms_new(s, MS_FLOAT, 0);
  ms_setitem(s, t, 0, 0, x);
  ms_setitem(s, t, 1, 0, y);
  CHECK(ms_gc_is_tracked(s, t));
  ms_gc_collect(s, 0);
  CHECK(!ms_gc_is_tracked(s, t));                  /* only untracked contents */
  uint32_t t2 = ms_new(s, MS_TUPLE, 1), l = ms_new(s, MS_LIST, 0);
  ms_setitem(s, t2, 0, 0, l);
  ms_gc_collect(s, 0);
  CHECK(ms_gc_is_tracked(s, t2));                  /* holds a list */
  /* dicts: untracked only by full collections */
  uint32_t d = ms_new(s, MS_DICT, 0), k = ms_new(s, MS_STR, 3), e = ms_new(s, MS_LIST, 0);
  ms_setitem(s, d, 0, k, e);
  CHECK(ms_gc_is_tracked(s, d));
  ms_setitem(s, d, 0, k, x);                       /* the list is gone */
  ms_gc_collect(s, 1);
  CHECK(ms_gc_is_tracked(s, d));
  ms_gc_collect(s, 2);
  CHECK(!ms_gc_is_tracked(s, d));
  VALID(s);
  ms_sim_free(s);
}

static void thresholds_and_freeze(void) {
  ms_Sim *s = new_sim();
  uint32_t keep = ms_new(s, MS_LIST, 0);
  for (int i = 0; i < 699; i++) {
    uint32_t l = ms_new(s, MS_LIST, 0);
    ms_append(s, keep, l);
    ms_decref(s, l);
  }
  ms_Stats st;
  ms_stats(s, &st);
  CHECK_EQ(st.gc[0].collections, 0);               /* count 700 is not > 700 */
  uint32_t l = ms_new(s, MS_LIST, 0);
  ms_stats(s, &st);
  CHECK_EQ(st.gc[0].collections, 1);               /* inside the 701st allocation */
  CHECK_EQ(st.gc_count[0], 0);
  CHECK_EQ(st.gc_count[1], 1);
  CHECK_EQ(st.gc_pause.count, 1);
  CHECK(st.gc_pause.max > 0);
  int64_t t[3] = {0, 10, 10};
  ms_gc_set_threshold(s, t);                       /* 0 disables automatic collection */
  for (int i = 0; i < 2000; i++) ms_decref(s, ms_new(s, MS_LIST, 0));
  ms_gc_get_threshold(s, t);
  CHECK_EQ(t[0], 0);
  ms_stats(s, &st);
  CHECK_EQ(st.gc[0].collections, 1);
  ms_gc_freeze(s);
  CHECK_EQ(ms_gc_get_freeze_count(s), 701);
  int64_t c[3];
  ms_gc_get_count(s, c);
  CHECK_EQ(c[0], 0);
  CHECK_EQ(c[1], 0);                               /* gc_freeze_impl: every count to 0 */
  CHECK_EQ(ms_gc_collect(s, 2), 0);
  ms_gc_unfreeze(s);
  CHECK_EQ(ms_gc_get_freeze_count(s), 0);
  ms_gc_enable(s, 0);
  CHECK(!ms_gc_isenabled(s));
  ms_decref(s, l);
  VALID(s);
  ms_sim_free(s);
}

/*
** Building N long-lived one-item lists (L = [[i] for i in ...]): the
** rules of the reference, computed here on counts alone, must give the
** same collections as the simulator running real objects through the
** real algorithm.
*/
typedef struct Model {
  long long count[3], threshold[3], size[3], pending, total, collections[3];
} Model;

static void model_alloc(Model *m) {
  m->count[0]++;
  m->size[0]++;                                    /* tracked at once, survives */
  if (m->count[0] <= m->threshold[0]) return;
  for (int g = 2; g >= 0; g--) {
    if (m->count[g] <= m->threshold[g]) continue;
    if (g == 2 && m->pending < m->total / 4) continue;
    if (g < 2) m->count[g + 1]++;
    long long young = 0;
    for (int i = 0; i <= g; i++) {
      m->count[i] = 0;
      young += m->size[i];
      m->size[i] = 0;
    }
    m->size[g < 2 ? g + 1 : 2] += young;
    if (g == 1) m->pending += young;
    if (g == 2) {
      m->pending = 0;
      m->total = young;
    }
    m->collections[g]++;
    break;
  }
}

static void long_lived(void) {
  enum { N = 1000000 };
  ms_Sim *s = new_sim();
  Model m = {.threshold = {700, 10, 10}};
  uint32_t outer = ms_new(s, MS_LIST, 0);
  model_alloc(&m);
  for (int i = 0; i < N; i++) {
    uint32_t x = ms_new_int(s, i % 200), inner = ms_new(s, MS_LIST, 0);
    model_alloc(&m);
    ms_append(s, inner, x);
    ms_append(s, outer, inner);
    ms_decref(s, inner);
    ms_decref(s, x);
    if (i % 100000 == 0) VALID(s);
  }
  ms_Stats st;
  ms_stats(s, &st);
  printf("long-lived lists: memsim %llu/%llu/%llu, rules %lld/%lld/%lld "
         "(CPython 3.11 from its startup heap: 1300/118/8)\n",
         (unsigned long long)st.gc[0].collections, (unsigned long long)st.gc[1].collections,
         (unsigned long long)st.gc[2].collections, m.collections[0], m.collections[1],
         m.collections[2]);
  for (int g = 0; g < 3; g++) CHECK_EQ(st.gc[g].collections, m.collections[g]);
  /* the startup heap's objects shift the phase a little, not the shape */
  CHECK(st.gc[0].collections >= 1300 && st.gc[0].collections <= 1430);
  CHECK(st.gc[2].collections >= 6 && st.gc[2].collections <= 10);
  VALID(s);
  ms_sim_free(s);
}

int main(void) {
  count_semantics();
  cycles();
  reachable_after_all();
  untracking();
  thresholds_and_freeze();
  long_lived();
  CHECK_DONE();
}
