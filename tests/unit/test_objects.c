/*
** test_objects.c: object sizes, containers' growth, free lists,
** reference counting and deallocation cascades.
*/
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "simimpl.h"

static void sizes(void) {
  ms_Sim *s = new_sim();
  struct { int type; int64_t arg; int64_t size; } t[] = {
    {MS_INT, 1000, 28}, {MS_INT, 1ll << 40, 32}, {MS_FLOAT, 0, 24}, {MS_STR, 10, 59},
    {MS_BYTES, 100, 133}, {MS_TUPLE, 3, 64}, {MS_LIST, 0, 56}, {MS_LIST, 5, 96},
    {MS_DICT, 0, 64}, {MS_SET, 0, 216}, {MS_OBJECT, 0, 56}, {MS_GENERATOR, 1, 176},
    {MS_GENERATOR, 4, 200}, {MS_FUNCTION, 0, 152}, {MS_RANGE, 0, 48},
  };
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
    uint32_t id = ms_new(s, t[i].type, t[i].arg);
    CHECK(id != 0);
    CHECK_EQ(ms_getsizeof(s, id), t[i].size);
    VALID(s);
  }
  ms_sim_free(s);
}

static void small_ints(void) {
  ms_Sim *s = new_sim();
  ms_Stats before, after;
  ms_stats(s, &before);
  uint32_t a = ms_new_int(s, 256), b = ms_new_int(s, 256), c = ms_new_int(s, -5);
  ms_stats(s, &after);
  CHECK_EQ(a, b);                                 /* one cached object */
  CHECK(c != a);
  CHECK_EQ(after.allocs, before.allocs);          /* no allocation at all */
  CHECK_EQ(ms_decref(s, a), 0);
  CHECK_EQ(ms_decref(s, b), 0);
  uint32_t d = ms_new_int(s, 257);
  ms_stats(s, &after);
  CHECK_EQ(after.allocs, before.allocs + 1);
  CHECK_EQ(after.requested, 32);
  ms_decref(s, d);
  VALID(s);
  ms_sim_free(s);
}

/* list_resize: 0, 4, 8, 16, 24, 32, 40, 52, 64, 76, 92, ... */
static void list_growth(void) {
  ms_Sim *s = new_sim();
  static const int caps[] = {4, 4, 4, 4, 8, 8, 8, 8, 16};
  uint32_t l = ms_new(s, MS_LIST, 0), f = ms_new(s, MS_FLOAT, 0);
  CHECK_EQ(O(s, l)->cap, 0);
  ms_Stats st0, st;
  ms_stats(s, &st0);
  for (int i = 0; i < 9; i++) {
    ms_append(s, l, f);
    CHECK_EQ(O(s, l)->cap, caps[i]);
  }
  /* PyMem_Realloc(NULL, ...) makes the first item array (an allocation);
  ** the growths to 8 and 16 slots resize it (reallocations) */
  ms_stats(s, &st);
  CHECK_EQ(st.allocs - st0.allocs, 1);
  CHECK_EQ(st.reallocs - st0.reallocs, 2);
  CHECK_EQ(st.frees - st0.frees, 0);
  static const int seq[] = {24, 32, 40, 52, 64, 76, 92};
  int k = 0;
  for (int i = 9; i < 92 && k < 7; i++) {
    uint32_t before = O(s, l)->cap;
    ms_append(s, l, f);
    if (O(s, l)->cap != before) CHECK_EQ(O(s, l)->cap, seq[k++]);
  }
  CHECK_EQ(k, 7);
  VALID(s);
  /* the item array moves from a pool to malloc past 512 bytes */
  while (ms_len(s, l) < 200) ms_append(s, l, f);
  CHECK(O(s, l)->aux < MS_HEAP_BASE + (1ull << 40));
  CHECK_EQ(ms_getsizeof(s, l), 56 + 8 * (int64_t)O(s, l)->cap);
  /* deleting shrinks once under half */
  while (ms_len(s, l) > 10) ms_delitem(s, l, -1, 0);
  CHECK(O(s, l)->cap < 40);
  VALID(s);
  ms_sim_free(s);
}

/* dicts: 64 bytes empty, 184 with 1-5 str keys, 272 with 6-10 */
static void dict_growth(void) {
  ms_Sim *s = new_sim();
  uint32_t d = ms_new(s, MS_DICT, 0), v = ms_new_int(s, 1);
  CHECK_EQ(ms_getsizeof(s, d), 64);
  CHECK(!ms_gc_is_tracked(s, d));
  uint32_t keys[12];
  for (int i = 0; i < 12; i++) keys[i] = ms_new(s, MS_STR, 5);
  for (int i = 0; i < 12; i++) {
    ms_setitem(s, d, 0, keys[i], v);
    CHECK_EQ(ms_getsizeof(s, d), i < 5 ? 184 : i < 10 ? 272 : 64 + 32 + 32 + 21 * 16);
  }
  CHECK(!ms_gc_is_tracked(s, d));                 /* only untracked contents */
  /* deletions do not shrink; a resize from few live keys uses used*3 */
  for (int i = 0; i < 11; i++) ms_delitem(s, d, 0, keys[i]);
  CHECK_EQ(ms_len(s, d), 1);
  VALID(s);
  /* non-str keys switch the table to the general kind: 24-byte entries */
  uint32_t g = ms_new(s, MS_DICT, 0);
  for (int i = 0; i < 6; i++) {
    uint32_t k = ms_new_int(s, 1000 + i);
    ms_setitem(s, g, 0, k, v);
    ms_decref(s, k);
  }
  CHECK_EQ(ms_getsizeof(s, g), 352);
  uint32_t l = ms_new(s, MS_LIST, 0);
  ms_setitem(s, g, 0, keys[0], l);                /* a tracked value */
  CHECK(ms_gc_is_tracked(s, g));
  uint32_t out;
  CHECK_EQ(ms_getitem(s, g, 0, keys[0], &out), 0);
  CHECK_EQ(out, l);
  ms_decref(s, out);
  CHECK_EQ(ms_getitem(s, g, 0, keys[5], &out), -1);
  CHECK(strstr(ms_sim_error(s), "KeyError") != NULL);
  VALID(s);
  ms_sim_free(s);
}

static void sets(void) {
  ms_Sim *s = new_sim();
  uint32_t e = ms_new(s, MS_SET, 0);
  uint32_t k[5];
  for (int i = 0; i < 5; i++) {
    k[i] = ms_new_int(s, 1000 + i);
    ms_set_add(s, e, k[i]);
  }
  CHECK_EQ(ms_getsizeof(s, e), 728);              /* 5 items: a 32-slot table */
  ms_set_add(s, e, k[0]);                         /* already there */
  CHECK_EQ(ms_len(s, e), 5);
  ms_delitem(s, e, 0, k[1]);
  CHECK_EQ(ms_len(s, e), 4);
  VALID(s);
  ms_sim_free(s);
}

/* float 100, list 80, dict 80; tuples 2000 per size, size 20 never reused */
static void free_lists(void) {
  ms_Sim *s = new_sim();
  uint32_t f[150];
  for (int i = 0; i < 150; i++) f[i] = ms_new(s, MS_FLOAT, 0);
  uint64_t addr149 = ms_obj_address(s, f[149]);
  for (int i = 0; i < 150; i++) ms_decref(s, f[i]);
  CHECK_EQ(s->n_float, 100);
  ms_Stats st;
  ms_stats(s, &st);
  CHECK_EQ(st.freelist_objects, 100);
  CHECK_EQ(st.objects, 0);
  uint32_t g = ms_new(s, MS_FLOAT, 0);           /* LIFO: the last one parked */
  CHECK_EQ(ms_obj_address(s, g), ms_obj_address(s, f[99]));
  CHECK(!ms_obj_alive(s, f[149], 0));
  (void)addr149;
  ms_decref(s, g);

  uint32_t t[10];
  for (int i = 0; i < 10; i++) t[i] = ms_new(s, MS_TUPLE, 20);
  for (int i = 0; i < 10; i++) ms_decref(s, t[i]);
  CHECK_EQ(s->n_tuple[19], 10);                   /* pushed ... */
  uint32_t u = ms_new(s, MS_TUPLE, 20);
  CHECK_EQ(s->n_tuple[19], 10);                   /* ... never popped */
  ms_decref(s, u);
  CHECK_EQ(s->n_tuple[19], 11);
  uint32_t v = ms_new(s, MS_TUPLE, 19);
  ms_decref(s, v);
  uint32_t w = ms_new(s, MS_TUPLE, 19);           /* 19 is reused */
  CHECK_EQ(ms_obj_address(s, w), ms_obj_address(s, v));
  ms_decref(s, w);

  char buf[8192];
  ms_debugmallocstats(s, buf, sizeof buf);
  CHECK(strstr(buf, "         100 free PyFloatObjects * 24 bytes each =                2,400\n"));
  CHECK(strstr(buf, "11 free 20-sized PyTupleObjects * 184 bytes each =") != NULL);
  ms_gc_collect(s, 2);                            /* full collection clears them */
  CHECK_EQ(s->n_float, 0);
  CHECK_EQ(s->n_tuple[19], 0);
  ms_stats(s, &st);
  CHECK_EQ(st.requested, 0);
  VALID(s);
  ms_sim_free(s);
}

/* dropping the last reference frees everything below it, children first */
static void cascade(void) {
  ms_Sim *s = new_sim_with("pymalloc", 0);
  uint32_t outer = ms_new(s, MS_LIST, 0);
  for (int i = 0; i < 1000; i++) {
    uint32_t inner = ms_new(s, MS_LIST, 0), x = ms_new_int(s, 5000 + i);
    ms_append(s, inner, x);
    ms_append(s, outer, inner);
    ms_decref(s, x);
    ms_decref(s, inner);
  }
  VALID(s);
  ms_Stats st;
  ms_stats(s, &st);
  CHECK_EQ(st.objects, 2001);
  ms_decref(s, outer);
  ms_stats(s, &st);
  CHECK_EQ(st.objects, 0);
  CHECK_EQ(st.dealloc_pause.count, 1);            /* one pause, for all of it */
  CHECK_EQ(s->n_list, 80);
  VALID(s);
  ms_sim_free(s);
}

/* a chain far deeper than the trashcan's 50 levels */
static void deep_chain(void) {
  ms_Sim *s = new_sim_with("pymalloc", 0);
  uint32_t head = ms_new(s, MS_LIST, 0);
  uint32_t cur = head;
  for (int i = 0; i < 100000; i++) {
    uint32_t next = ms_new(s, MS_LIST, 0);
    ms_append(s, cur, next);
    ms_decref(s, next);
    cur = next;
  }
  ms_decref(s, head);
  ms_Stats st;
  ms_stats(s, &st);
  CHECK_EQ(st.objects, 0);
  CHECK_EQ(s->trash_nesting, 0);
  VALID(s);
  /* instances linked by attributes, the same */
  head = ms_new_instance(s, "Node");
  cur = head;
  for (int i = 0; i < 10000; i++) {
    uint32_t next = ms_new_instance(s, "Node");
    ms_setattr(s, cur, "next", next);
    ms_decref(s, next);
    cur = next;
  }
  ms_decref(s, head);
  ms_stats(s, &st);
  CHECK_EQ(st.objects, 0);
  VALID(s);
  ms_sim_free(s);
}

/* 3.11 instances: each new instance takes one usable slot off the class's
   shared keys, down to 1; values arrays shrink to nentries + 1 */
static void instances(void) {
  ms_Sim *s = new_sim();
  ms_Stats a, b;
  ms_stats(s, &a);
  uint32_t o1 = ms_new_instance(s, "D");
  ms_stats(s, &b);
  CHECK_EQ(b.requested - a.requested, 56 + 264);  /* 29 slots */
  uint32_t o2 = ms_new_instance(s, "D");
  ms_stats(s, &a);
  CHECK_EQ(a.requested - b.requested, 56 + 256);  /* 28 slots */
  uint32_t v = ms_new(s, MS_FLOAT, 0);
  CHECK_EQ(ms_setattr(s, o1, "x", v), 0);
  uint32_t out;
  CHECK_EQ(ms_getattr(s, o1, "x", &out), 0);
  CHECK_EQ(out, v);
  ms_decref(s, out);
  CHECK_EQ(ms_getattr(s, o2, "x", &out), -1);
  CHECK_EQ(ms_delattr(s, o1, "x"), 0);
  CHECK_EQ(ms_delattr(s, o1, "x"), -1);
  /* a class whose shared keys are used up: the instance gets a dict */
  uint32_t k[40];
  for (int i = 0; i < 40; i++) k[i] = ms_new_instance(s, "K");
  CHECK_EQ(s->classes[1].usable, 1);           /* class K */
  (void)k;
  uint32_t z = ms_new_instance(s, "K");
  CHECK_EQ(ms_setattr(s, z, "a", v), 0);          /* takes the last slot */
  CHECK_EQ(ms_setattr(s, z, "b", v), 0);          /* no room: a real dict */
  CHECK(((InstBody *)O(s, z)->body)->dict != 0);
  CHECK_EQ(O(s, z)->aux, 0);
  VALID(s);
  ms_sim_free(s);
}

static void errors(void) {
  ms_Sim *s = new_sim();
  uint32_t f = ms_new(s, MS_FLOAT, 0), l = ms_new(s, MS_LIST, 2);
  CHECK_EQ(ms_setitem(s, f, 0, 0, l), -1);
  CHECK(strstr(ms_sim_error(s), "does not support item assignment") != NULL);
  CHECK_EQ(ms_setitem(s, l, 5, 0, f), -1);
  CHECK(strstr(ms_sim_error(s), "IndexError") != NULL);
  CHECK_EQ(ms_setitem(s, l, -1, 0, f), 0);
  CHECK_EQ(ms_obj_refcnt(s, f), 2);
  CHECK_EQ(ms_decref(s, f), 0);
  CHECK_EQ(ms_decref(s, l), 0);                  /* frees l, then f */
  CHECK(!ms_obj_alive(s, f, ms_obj_serial(s, f)) || ms_obj_serial(s, f) == 0);
  CHECK_EQ(ms_new(s, MS_STR, -1), 0);
  VALID(s);
  ms_sim_free(s);
}

static void memory_limit(void) {
  ms_Config c;
  char err[200];
  ms_config_default(&c);
  c.memory_limit = 4 << 20;
  ms_Sim *s = ms_sim_new(&c, err, sizeof err);
  uint32_t l = ms_new(s, MS_LIST, 0);
  int failed = 0;
  for (int i = 0; i < 1000000 && !failed; i++) {
    uint32_t x = ms_new_int(s, 100000 + i);
    if (x == 0) failed = 1;
    else {
      if (ms_append(s, l, x) < 0) failed = 1;
      ms_decref(s, x);
    }
  }
  CHECK(failed);
  CHECK(ms_sim_is_memory_error(s));
  CHECK(strstr(ms_sim_error(s), "MemoryError") != NULL);
  VALID(s);                                       /* consistent after the error */
  ms_decref(s, l);
  VALID(s);
  ms_sim_free(s);
}

/* a simulator of another profile */
static ms_Sim *sim_of(const char *profile) {
  ms_Config c;
  char err[200];
  ms_config_default(&c);
  c.profile = profile;
  ms_Sim *s = ms_sim_new(&c, err, sizeof err);
  if (s == NULL) fprintf(stderr, "%s: %s\n", profile, err);
  return s;
}

/*
** 3.13's inline values: one block per instance, sized from the shared
** keys before the instance takes its slot (measured on 3.13.0: the first
** instances of a fresh class take 328, 320, 312 ... bytes, down to 96 with
** three attributes); 3.11's object and values array for comparison.
*/
static void inline_values(void) {
  ms_Sim *s = sim_of("cpython-3.13");
  CHECK(s != NULL);
  if (s == NULL) return;
  uint32_t none = ms_new(s, MS_NONE, 0);
  ms_Stats *st = malloc(sizeof *st), *st0 = malloc(sizeof *st0);
  static const int expect[6] = {20, 19, 19, 18, 18, 17};   /* size classes, one instance each */
  int ok = 1;
  for (int i = 0; i < 6; i++) {
    ms_stats(s, st0);
    uint32_t o = ms_new_instance(s, "C");
    ms_stats(s, st);
    ok &= st->cls[expect[i]].blocks == st0->cls[expect[i]].blocks + 1;
    ok &= ms_setattr(s, o, "a", none) == 0 && ms_setattr(s, o, "b", none) == 0 &&
          ms_setattr(s, o, "c", none) == 0;
    ok &= ms_getsizeof(s, o) == 48;
  }
  CHECK(ok);
  for (int i = 0; i < 40; i++) ms_new_instance(s, "C");      /* the keys' usable slots run out */
  ms_stats(s, st0);
  uint32_t o = ms_new_instance(s, "C");
  ms_stats(s, st);
  CHECK_EQ(st->cls[5].blocks, st0->cls[5].blocks + 1);      /* 3 entries + 1 usable: 96 bytes */
  CHECK_EQ(st->allocs, st0->allocs + 1);                     /* one block, no values array */
  CHECK(ms_setattr(s, o, "a", none) == 0);
  VALID(s);
  ms_decref(s, o);
  VALID(s);
  ms_sim_free(s);

  s = sim_of("cpython-3.11");
  none = ms_new(s, MS_NONE, 0);
  ms_stats(s, st0);
  o = ms_new_instance(s, "C");
  ms_stats(s, st);
  CHECK_EQ(st->allocs, st0->allocs + 2);                     /* the object and its values */
  CHECK_EQ(ms_getsizeof(s, o), 56);
  ms_sim_free(s);
  free(st);
  free(st0);
}

int main(void) {
  sizes();
  inline_values();
  small_ints();
  list_growth();
  dict_growth();
  sets();
  free_lists();
  cascade();
  deep_chain();
  instances();
  errors();
  memory_limit();
  CHECK_DONE();
}
