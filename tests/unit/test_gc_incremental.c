/*
** test_gc_incremental.c: the incremental collector of CPython 3.14.0
** (profile cpython-3.14.0, sim/gc/gc_incremental.c), rule by rule as
** Python/gc.c of 3.14.0 states them.  Each expected number is computed
** here from the rule, not read back from the simulator.
*/
#include <string.h>

#include "check.h"
#include "gc.h"
#include "simimpl.h"

#define YOUNG ((uint32_t)ID_GEN0)
#define OLD(i) ((uint32_t)(ID_GEN0 + 1 + (i)))

static ms_Sim *new_with_profile(const char *profile) {
  ms_Config c;
  char err[200];
  ms_config_default(&c);
  c.profile = profile;
  ms_Sim *s = ms_sim_new(&c, err, sizeof err);
  if (s == NULL) fprintf(stderr, "ms_sim_new: %s\n", err);
  return s;
}

static ms_Sim *new_314(void) { return new_with_profile("cpython-3.14.0"); }

/* is ID on the list HEAD? */
static int on_list(ms_Sim *s, uint32_t head, uint32_t id) {
  for (uint32_t x = O(s, head)->gc_next; x != head; x = O(s, x)->gc_next)
    if (x == id) return 1;
  return 0;
}

/* N empty lists the "script" holds (roots, like a module's globals) */
static void hold_lists(ms_Sim *s, uint32_t *keep, int n) {
  for (int i = 0; i < n; i++) keep[i] = ms_new(s, MS_LIST, 0);
}

/* a list that holds itself, dropped: cyclic garbage of one object */
static uint32_t self_cycle(ms_Sim *s) {
  uint32_t l = ms_new(s, MS_LIST, 0);
  ms_append(s, l, l);
  ms_decref(s, l);
  return l;
}

/* pycore_runtime_init.h: thresholds (2000, 10, 0), work_to_do -5000, phase MARK */
static void initial_state(void) {
  ms_Sim *s = new_314();
  int64_t t[3], c[3];
  ms_gc_get_threshold(s, t);
  CHECK_EQ(t[0], 2000);
  CHECK_EQ(t[1], 10);
  CHECK_EQ(t[2], 0);                       /* gc_get_threshold_impl says 0 */
  ms_gc_get_count(s, c);
  CHECK(c[0] == 0 && c[1] == 0 && c[2] == 0);
  CHECK_EQ(s->gc_work_to_do, -5000);
  CHECK_EQ(s->gc_phase, GC_PHASE_MARK);
  CHECK_EQ(s->gc_visited_space, 0);
  /* set_threshold(a, b, c) sets old[1]'s too; get_threshold still says 0 */
  int64_t nt[3] = {100, 5, 7};
  ms_gc_set_threshold(s, nt);
  ms_gc_get_threshold(s, t);
  CHECK(t[0] == 100 && t[1] == 5 && t[2] == 0);
  VALID(s);
  ms_sim_free(s);
}

/* _PyObject_GC_Link counts allocations, PyObject_GC_Del frees; free lists neither */
static void counting(void) {
  ms_Sim *s = new_314();
  uint32_t l[100];
  int64_t c[3];
  hold_lists(s, l, 100);
  ms_gc_get_count(s, c);
  CHECK_EQ(c[0], 100);
  CHECK_EQ(s->gc_heap_size, 100);
  /* _PyObject_GC_TRACK: young, marked with the pending space (1 ^ visited) */
  for (int i = 0; i < 100; i++) CHECK(on_list(s, YOUNG, l[i]) && O(s, l[i])->gcspace == 1);
  for (int i = 0; i < 100; i++) ms_decref(s, l[i]);   /* 80 to the list free list, 20 freed */
  ms_gc_get_count(s, c);
  CHECK_EQ(c[0], 80);
  CHECK_EQ(s->gc_heap_size, 80);
  hold_lists(s, l, 100);                   /* 80 from the free list, 20 allocated */
  ms_gc_get_count(s, c);
  CHECK_EQ(c[0], 100);
  CHECK_EQ(s->gc_heap_size, 100);
  /* the count never goes below 0; heap_size always comes down */
  s->gc_count[0] = 0;
  for (int i = 0; i < 100; i++) ms_decref(s, l[i]);
  ms_gc_get_count(s, c);
  CHECK_EQ(c[0], 0);
  CHECK_EQ(s->gc_heap_size, 80);
  VALID(s);
  ms_sim_free(s);
}

/*
** The first collection call marks; the second collects an increment; the
** scan then completes and the spaces swap.
*/
static void mark_then_increment(void) {
  ms_Sim *s = new_314();
  static uint32_t keep[4000];
  /* a root list with 10 lists in it, 5 pieces of cyclic garbage, then
     held lists up to a young count of 2000 */
  uint32_t root = ms_new(s, MS_LIST, 0);
  uint32_t kids[10];
  for (int i = 0; i < 10; i++) {
    kids[i] = ms_new(s, MS_LIST, 0);
    ms_append(s, root, kids[i]);
    ms_decref(s, kids[i]);
  }
  uint32_t junk[5];
  for (int i = 0; i < 5; i++) junk[i] = self_cycle(s);
  int held = 2000 - 16;
  hold_lists(s, keep, held);
  int64_t c[3];
  ms_gc_get_count(s, c);
  CHECK_EQ(c[0], 2000);
  ms_Stats st;
  ms_stats(s, &st);
  CHECK_EQ(st.gc[1].collections, 0);
  CHECK_EQ(s->h_gc.count, 0);

  /* the 2001st allocation: _Py_RunGC, generation 1, in the MARK phase */
  keep[held] = ms_new(s, MS_LIST, 0);
  CHECK_EQ(s->h_gc.count, 1);              /* a collection call, with its pause */
  ms_stats(s, &st);
  CHECK_EQ(st.gc[1].collections, 0);       /* that add_stats does not count */
  CHECK_EQ(s->gc_phase, GC_PHASE_COLLECT);
  /* mark_at_start moved the root, its 10 lists and the held lists (not
     the new one: it was linked, not yet tracked) to the visited space */
  int64_t marked = 1 + 10 + held;
  CHECK(on_list(s, OLD(0), root) && O(s, root)->gcspace == 0);
  for (int i = 0; i < 10; i++) CHECK(on_list(s, OLD(0), kids[i]));
  for (int i = 0; i < 5; i++) CHECK(on_list(s, YOUNG, junk[i]) && O(s, junk[i])->gcspace == 1);
  CHECK_EQ(gclist_size(s, OLD(0)), marked);
  /* work_to_do = -5000 + assess_work_to_do - marked (mark_at_start) - marked (again) */
  int64_t heap = 2001, fresh = 2001;
  int64_t share = heap / 10 / 10;
  if (share > fresh * 3 / 2) share = fresh * 3 / 2;
  int64_t work = -5000 + fresh + share - 2 * marked;
  CHECK_EQ(s->gc_work_to_do, work);
  ms_gc_get_count(s, c);
  CHECK_EQ(c[0], 0);                       /* assess_work_to_do zeroed it */

  /* 2000 more held lists, then the trigger: an increment (COLLECT) */
  hold_lists(s, keep + held + 1, 2000);
  keep[held + 2001] = ms_new(s, MS_LIST, 0);
  ms_stats(s, &st);
  CHECK_EQ(st.gc[1].collections, 1);
  CHECK_EQ(st.gc[1].collected, 5);         /* young's garbage */
  for (int i = 0; i < 5; i++) CHECK(O(s, junk[i])->serial == 0 || !(O(s, junk[i])->flags & OF_TRACKED));
  /* the increment was young alone (no pending objects: work_to_do < young) */
  fresh = 2001;
  heap = 2001 + 2001 - 5;                  /* minus the garbage freed during the increment */
  int64_t before = 2001 + 2001;            /* the heap when assess_work_to_do ran */
  share = before / 10 / 10;
  if (share > fresh * 3 / 2) share = fresh * 3 / 2;
  int64_t increment = 5 + 1 + 2000;        /* young: the garbage, the list linked at the mark, the 2000 */
  work = work + fresh + share;
  work += heap / 10 / 10;
  work -= increment;
  /* no pending objects were left: completed_scavenge swapped the spaces */
  CHECK_EQ(s->gc_visited_space, 1);
  CHECK_EQ(s->gc_phase, GC_PHASE_MARK);
  CHECK_EQ(s->gc_work_to_do, 0);
  (void)work;
  /* everything old now carries space 0: pending for the next scan */
  CHECK_EQ(gclist_size(s, OLD(0)), marked + increment - 5);
  CHECK_EQ(gclist_size(s, OLD(1)), 0);
  VALID(s);
  ms_sim_free(s);
}

/*
** work_to_do across an increment that takes pending objects: the loop
** takes the first pending object and all it reaches while the increment
** is smaller than work_to_do.
*/
static void increment_takes_pending(void) {
  ms_Sim *s = new_314();
  /* a pending old space by hand: 50 chains of 3 lists, a chain's head held */
  uint32_t heads[50];
  for (int i = 0; i < 50; i++) {
    heads[i] = ms_new(s, MS_LIST, 0);
    uint32_t a = ms_new(s, MS_LIST, 0), b = ms_new(s, MS_LIST, 0);
    ms_append(s, heads[i], a);
    ms_append(s, a, b);
    ms_decref(s, a);
    ms_decref(s, b);
  }
  /* gc.collect(0) moves young into the visited space (0); completing a
     scan by hand makes it pending */
  ms_gc_collect(s, 0);
  int64_t c[3];
  ms_gc_get_count(s, c);
  CHECK(c[0] == 0 && c[1] == 1 && c[2] == 0);   /* old[visited].count += 1 */
  CHECK_EQ(gclist_size(s, OLD(0)), 150);
  s->gc_visited_space = 1;                  /* as completed_scavenge leaves it */
  s->gc_phase = GC_PHASE_COLLECT;
  s->gc_work_to_do = 10;
  VALID(s);
  /* one increment: young is empty, work_to_do = 10 + 0 + 0 (heap 150 / 100 = 1, capped at 0) */
  ms_gc_collect(s, 1);
  /* the loop: 0 < 10 takes chain 1 (3), 3 < 10 chain 2, 6 < 10 chain 3, 9 < 10 chain 4: 12 */
  CHECK_EQ(gclist_size(s, OLD(1)), 12);
  CHECK_EQ(gclist_size(s, OLD(0)), 150 - 12);
  CHECK_EQ(s->gc_work_to_do, 10 + 150 / 10 / 10 - 12);
  ms_Stats st;
  ms_stats(s, &st);
  CHECK_EQ(st.gc[1].collections, 1);
  CHECK_EQ(st.gc[1].collected, 0);
  VALID(s);
  ms_sim_free(s);
}

/* garbage that reached the old space waits for the scan to come to it */
static void old_garbage_waits(void) {
  ms_Sim *s = new_314();
  /* a cycle held by the script across gc.collect(0): it is old, visited */
  uint32_t a = ms_new(s, MS_LIST, 0), b = ms_new(s, MS_LIST, 0);
  ms_append(s, a, b);
  ms_append(s, b, a);
  uint32_t big[1000];
  hold_lists(s, big, 1000);
  ms_gc_collect(s, 0);
  CHECK(on_list(s, OLD(0), a) && on_list(s, OLD(0), b));
  ms_decref(s, a);
  ms_decref(s, b);                          /* garbage now, in the visited space */
  CHECK_EQ(ms_gc_garbage(s), 2);
  /* an increment in the COLLECT phase takes young and pending objects only */
  s->gc_phase = GC_PHASE_COLLECT;
  uint32_t more[100];
  hold_lists(s, more, 100);
  ms_gc_collect(s, 1);
  CHECK_EQ(ms_gc_garbage(s), 2);            /* still there */
  /* the pending space was empty: the scan completed and the spaces swapped */
  CHECK_EQ(s->gc_visited_space, 1);
  CHECK_EQ(s->gc_phase, GC_PHASE_MARK);
  /* the next call marks from the roots (the held lists), not the cycle */
  ms_gc_collect(s, 1);
  CHECK(on_list(s, OLD(0), a) && O(s, a)->gcspace == 0);
  CHECK_EQ(s->gc_phase, GC_PHASE_COLLECT);
  /* and an increment with work to do reaches it and frees it */
  s->gc_work_to_do = 5000;
  ms_gc_collect(s, 1);
  CHECK_EQ(ms_gc_garbage(s), 0);
  ms_Stats st;
  ms_stats(s, &st);
  CHECK_EQ(st.gc[1].collected, 2);
  VALID(s);
  ms_sim_free(s);
}

/* gc.collect(): everything, counts to 0, the scan completed, free lists cleared */
static void full_collection(void) {
  ms_Sim *s = new_314();
  uint32_t keep[300];
  hold_lists(s, keep, 300);
  for (int i = 0; i < 7; i++) self_cycle(s);
  ms_gc_collect(s, 0);                      /* young's 7 freed, 300 to visited */
  for (int i = 0; i < 4; i++) self_cycle(s);
  uint32_t tmp[10];
  hold_lists(s, tmp, 10);
  for (int i = 0; i < 10; i++) ms_decref(s, tmp[i]);   /* to the free list */
  CHECK(s->n_list > 0);
  CHECK_EQ(ms_gc_garbage(s), 4);
  int space = s->gc_visited_space;
  int64_t found = ms_gc_collect(s, 2);
  CHECK_EQ(found, 4);
  int64_t c[3];
  ms_gc_get_count(s, c);
  CHECK(c[0] == 0 && c[1] == 0 && c[2] == 0);
  CHECK_EQ(s->gc_visited_space, space ^ 1);  /* completed_scavenge flipped it */
  CHECK_EQ(s->gc_phase, GC_PHASE_MARK);
  CHECK_EQ(s->n_list, 0);
  ms_Stats st;
  ms_stats(s, &st);
  CHECK_EQ(st.gc[2].collections, 1);
  CHECK_EQ(st.gc[0].collections, 1);
  VALID(s);
  ms_sim_free(s);
}

/* gc.freeze(): all to the permanent list, marked visited; the scan then
   completes without a swap (visited objects move to pending instead) */
static void freeze(void) {
  ms_Sim *s = new_314();
  uint32_t keep[50];
  hold_lists(s, keep, 50);
  ms_gc_collect(s, 0);
  uint32_t young[20];
  hold_lists(s, young, 20);
  ms_gc_freeze(s);
  CHECK_EQ(ms_gc_get_freeze_count(s), 70);
  int visited = s->gc_visited_space;
  for (uint32_t x = O(s, ID_PERMANENT)->gc_next; x != ID_PERMANENT; x = O(s, x)->gc_next)
    CHECK(O(s, x)->gcspace == visited);
  int64_t c[3];
  ms_gc_get_count(s, c);
  CHECK(c[0] == 0 && c[1] == 0 && c[2] == 0);
  uint32_t later[5];
  hold_lists(s, later, 5);
  s->gc_phase = GC_PHASE_COLLECT;
  ms_gc_collect(s, 1);                      /* pending empty: completed_scavenge */
  CHECK_EQ(s->gc_visited_space, visited);   /* permanent not empty: no swap */
  CHECK_EQ(gclist_size(s, OLD(visited ^ 1)), 5);
  ms_gc_unfreeze(s);
  CHECK_EQ(gclist_size(s, OLD(visited)), 70);
  VALID(s);
  ms_sim_free(s);
}

/*
** The lesson of 3.14.0: objects that live a while and then become cyclic
** garbage wait in the old spaces for a scan of the whole heap, so more of
** them are outstanding than under the generational collector of 3.14.
*/
static void garbage_piles_up(void) {
  const char *profiles[2] = {"cpython-3.14", "cpython-3.14.0"};
  uint64_t mean[2];
  for (int p = 0; p < 2; p++) {
    ms_Sim *s = new_with_profile(profiles[p]);
    uint32_t keep = ms_new(s, MS_LIST, 0);
    for (int i = 0; i < 50000; i++) {
      uint32_t x = ms_new(s, MS_LIST, 0);
      ms_append(s, keep, x);
      ms_decref(s, x);
    }
    enum { W = 2000 };
    static uint32_t window[W];
    uint64_t sum = 0, n = 0;
    for (int i = 0; i < 100000; i++) {
      uint32_t a = ms_new(s, MS_LIST, 0), b = ms_new(s, MS_LIST, 0);
      ms_append(s, a, b);
      ms_append(s, b, a);
      ms_decref(s, b);
      if (i >= W) ms_decref(s, window[i % W]);
      window[i % W] = a;
      if (i % 997 == 0) {
        sum += ms_gc_garbage(s);
        n++;
      }
    }
    mean[p] = sum / n;
    VALID(s);
    ms_sim_free(s);
  }
  printf("outstanding cyclic garbage, mean objects: 3.14 %llu, 3.14.0 %llu\n",
         (unsigned long long)mean[0], (unsigned long long)mean[1]);
  CHECK(mean[1] > 2 * mean[0]);
}

int main(void) {
  initial_state();
  counting();
  mark_then_increment();
  increment_takes_pending();
  old_garbage_waits();
  full_collection();
  freeze();
  garbage_piles_up();
  CHECK_DONE();
}
