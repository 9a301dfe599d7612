/*
** gc.c: CPython 3.11's cyclic garbage collector (Modules/gcmodule.c).
**
** Tracked objects live on one of three generation lists (plus the
** permanent one of gc.freeze()).  Allocating a GC object adds 1 to
** count[0]; freeing one takes 1 off (not below 0).  When count[0] passes
** threshold[0], the oldest generation whose count passed its threshold
** is collected, except that generation 2 waits while fewer than a
** quarter of the long-lived objects are new (long_lived_pending <
** long_lived_total / 4).
**
** A collection of generation g:
**   1. count[g+1] += 1; counts 0..g = 0; younger lists merge into g's.
**   2. update_refs: gc_refs = ob_refcnt for every object in it.
**   3. subtract_refs: for every reference between two of them, -1.
**      What is left counts references from outside: roots.
**   4. move_unreachable: objects reached from a root are reachable; the
**      rest move to the unreachable list.
**   5. untrack tuples (every collection) holding only untracked things,
**      in the same pass as step 4 (the order CPython's own pass takes);
**      survivors move to generation g+1 (full collections: untrack such
**      dicts too, and reset the long-lived counters).
**   6. delete_garbage: tp_clear each unreachable object; reference
**      counting frees them.  A full collection then clears the free lists.
** Finalizers (__del__), weak references and legacy uncollectable objects
** are not modelled: every unreachable object is collectable.
*/
#include <assert.h>
#include <string.h>

#include "objimpl.h"

#define GEN(i) ((uint32_t)(ID_GEN0 + (i)))

/* ====================================================================
** Lists
** ==================================================================== */

void gclist_init(ms_Sim *s, uint32_t head) {
  O(s, head)->gc_prev = O(s, head)->gc_next = head;
}

void gclist_append(ms_Sim *s, uint32_t head, uint32_t id) {
  ms_Object *h = O(s, head), *o = O(s, id);
  uint32_t last = h->gc_prev;
  o->gc_prev = last;
  o->gc_next = head;
  O(s, last)->gc_next = id;
  h->gc_prev = id;
}

void gclist_remove(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  O(s, o->gc_prev)->gc_next = o->gc_next;
  O(s, o->gc_next)->gc_prev = o->gc_prev;
  o->gc_prev = o->gc_next = MS_NIL;
}

int gclist_empty(ms_Sim *s, uint32_t head) { return O(s, head)->gc_next == head; }

/* append FROM's objects to TO, in order; FROM becomes empty */
void gclist_merge(ms_Sim *s, uint32_t from, uint32_t to) {
  if (gclist_empty(s, from)) return;
  ms_Object *f = O(s, from), *t = O(s, to);
  uint32_t first = f->gc_next, last = f->gc_prev, tail = t->gc_prev;
  O(s, tail)->gc_next = first;
  O(s, first)->gc_prev = tail;
  O(s, last)->gc_next = to;
  t->gc_prev = last;
  gclist_init(s, from);
}

uint64_t gclist_size(ms_Sim *s, uint32_t head) {
  uint64_t n = 0;
  for (uint32_t id = O(s, head)->gc_next; id != head; id = O(s, id)->gc_next) n++;
  return n;
}

/* _PyObject_GC_TRACK: to the end of generation 0 (3.14.0: marked as not
   yet visited, the space the current scan has still to reach) */
void gc_track(ms_Sim *s, uint32_t id) {
  assert(!(O(s, id)->flags & OF_TRACKED));
  gclist_append(s, GEN(0), id);
  O(s, id)->flags |= OF_TRACKED;
  O(s, id)->gcspace = (uint8_t)(s->gc_visited_space ^ 1);
}

void gc_untrack(ms_Sim *s, uint32_t id) {
  if (!(O(s, id)->flags & OF_TRACKED)) return;
  gclist_remove(s, id);
  O(s, id)->flags &= (uint8_t)~(OF_TRACKED | OF_COLLECTING | OF_UNREACHABLE);
}

/* ====================================================================
** The collection
** ==================================================================== */

static void visit_decref(ms_Sim *s, uint32_t child, void *ud) {
  (void)ud;
  ms_Object *c = O(s, child);
  if (c->flags & OF_COLLECTING) c->gc_refs--;
}

static void visit_reachable(ms_Sim *s, uint32_t child, void *young) {
  ms_Object *c = O(s, child);
  if (!(c->flags & OF_COLLECTING)) return;   /* other generation, or done */
  if (c->flags & OF_UNREACHABLE) {
    /* it had gc_refs 0 when scanned, but is reachable after all: back to
       the young list, where the scan will come to it again */
    gclist_remove(s, child);
    gclist_append(s, *(uint32_t *)young, child);
    c->flags &= (uint8_t)~OF_UNREACHABLE;
    c->gc_refs = 1;
  } else if (c->gc_refs == 0) {
    c->gc_refs = 1;
  }
}

/*
** move_unreachable: one pass over YOUNG, which may grow behind the scan.
** untrack_tuples is folded into the same pass: CPython's separate pass
** visits the reachable objects in this very order, and a tuple's check
** needs nothing that a later object of the pass could still change.
** *SURVIVORS counts the objects left tracked on YOUNG.
*/
static uint64_t move_unreachable(ms_Sim *s, uint32_t young, uint32_t unreachable,
                                 uint64_t *survivors) {
  uint64_t edges = 0;
  uint32_t id = O(s, young)->gc_next;
  while (id != young) {
    ms_Object *o = O(s, id);
    uint32_t next = o->gc_next;
    if (o->gc_refs > 0) {
      if (TYPE(o)->tp_flags & TPF_ITEMS) {   /* inline: the common case */
        const uint32_t *items = o->body;
        for (uint32_t i = 0; i < o->len; i++)
          if (items[i]) {
            visit_reachable(s, items[i], &young);
            edges++;
          }
      } else {
        edges += obj_traverse(s, id, visit_reachable, &young);
      }
      o = O(s, id);
      o->flags &= (uint8_t)~OF_COLLECTING;
      next = o->gc_next;                     /* the list may have grown */
      if (TYPE(o)->tp_untrack_scan) TYPE(o)->tp_untrack_scan(s, id);
      *survivors += (O(s, id)->flags & OF_TRACKED) != 0;
    } else {
      gclist_remove(s, id);
      gclist_append(s, unreachable, id);
      o->flags |= OF_UNREACHABLE;
    }
    id = next;
  }
  return edges;
}

/* a live object of a type untracked after a full collection (dicts)? */
static int untrack_after_needed(ms_Sim *s) {
  for (int t = 0; t < MS_NTYPES; t++)
    if (ms_types[t]->tp_untrack_after && s->nlive_type[t] > 0) return 1;
  return 0;
}

/*
** update_refs and subtract_refs over the objects of the lists HEADS: each
** one's gc_refs becomes its references from outside those objects, and it
** is marked OF_COLLECTING (gc_clear_collecting takes the mark off).
** Returns the objects; adds the references followed to *EDGES.
*/
uint64_t gc_external_refs(ms_Sim *s, const uint32_t *heads, int nheads, uint64_t *edges) {
  uint64_t n = 0, placeholders = 0, bytes = 0, followed = 0;
  for (int h = 0; h < nheads; h++)
    for (uint32_t id = O(s, heads[h])->gc_next; id != heads[h]; id = O(s, id)->gc_next) {
      ms_Object *o = O(s, id);
      o->gc_refs = o->refcnt > INT32_MAX ? INT32_MAX : (int32_t)o->refcnt;
      o->flags |= OF_COLLECTING;
      if (o->flags & OF_STATIC)
        placeholders++;                  /* a start-up object: its averages below */
      else
        bytes += TYPE(o)->tp_basicsize(s->prof, o);
      n++;
    }
  /* the common sequences inline, the rest by traverse */
  for (int h = 0; h < nheads; h++)
    for (uint32_t id = O(s, heads[h])->gc_next; id != heads[h]; id = O(s, id)->gc_next) {
      ms_Object *o = O(s, id);
      if (TYPE(o)->tp_flags & TPF_ITEMS) {
        const uint32_t *items = o->body;
        for (uint32_t i = 0; i < o->len; i++) {
          if (items[i] == 0) continue;
          ms_Object *child = O(s, items[i]);
          if (child->flags & OF_COLLECTING) child->gc_refs--;
          followed++;
        }
      } else {
        followed += obj_traverse(s, id, visit_decref, NULL);
      }
    }
  /*
  ** What the pause model charges for: a start-up object's references are
  ** followed here and again by move_unreachable; each reference read is
  ** an 8-byte slot and the 16-byte header it points to.
  */
  followed += 2 * placeholders * s->startup_edges_each;
  s->gc_touched += bytes + placeholders * s->startup_bytes_each + 24 * followed;
  s->gc_startup_seen += placeholders;
  *edges += followed;
  return n;
}

/*
** The pause model (profile.h): a collection's cost from the objects it
** examined, the references it followed and the bytes it touched.
*/
uint64_t gc_pause_cost(ms_Sim *s, uint64_t examined, uint64_t edges) {
  const ms_Costs *c = &s->prof->cost;
  uint64_t q = examined * ms_cost_at(c->gc_object_q, s->gc_touched) + edges * c->gc_edge_q +
               s->gc_startup_seen * c->gc_startup_object_q;
  s->gc_touched = s->gc_startup_seen = 0;
  return c->gc_fixed + (q >> 8);
}

void gc_clear_collecting(ms_Sim *s, const uint32_t *heads, int nheads) {
  for (int h = 0; h < nheads; h++)
    for (uint32_t id = O(s, heads[h])->gc_next; id != heads[h]; id = O(s, id)->gc_next)
      O(s, id)->flags &= (uint8_t)~OF_COLLECTING;
}

/*
** deduce_unreachable (update_refs, subtract_refs, move_unreachable): the
** objects of YOUNG that nothing outside it reaches move to UNREACHABLE;
** the rest stay, tuples among them untracked as untrack_tuples would.
** Returns the objects examined; adds the references followed to *EDGES,
** the unreachable to *FOUND and the survivors still tracked to *SURVIVORS.
*/
uint64_t gc_deduce_unreachable(ms_Sim *s, uint32_t young, uint32_t unreachable, uint64_t *edges,
                               uint64_t *found, uint64_t *survivors) {
  uint64_t nyoung = gc_external_refs(s, &young, 1, edges);
  gclist_init(s, unreachable);
  *edges += move_unreachable(s, young, unreachable, survivors);
  for (uint32_t id = O(s, unreachable)->gc_next; id != unreachable; id = O(s, id)->gc_next) {
    O(s, id)->flags &= (uint8_t)~OF_UNREACHABLE;
    (*found)++;
  }
  return nyoung;
}

/* delete_garbage: tp_clear each unreachable object; what outlives it goes to OLD */
void gc_delete_garbage(ms_Sim *s, uint32_t unreachable, uint32_t old) {
  while (!gclist_empty(s, unreachable)) {
    uint32_t id = O(s, unreachable)->gc_next;
    if (obj_has_clear(O(s, id))) {
      ms_incref(s, id);
      obj_clear(s, id);
      obj_release(s, id);
    }
    if (O(s, unreachable)->gc_next == id) {  /* still alive: it may die later */
      O(s, id)->flags &= (uint8_t)~OF_COLLECTING;
      gclist_remove(s, id);
      gclist_append(s, old, id);
    }
  }
}

/*
** The end of every collection call: the pause into the histogram, the
** statistics of generation GEN when COUNTED (3.14.0's marking step is a
** collection call that gc.get_stats() does not count), the narrator and
** the callbacks.
*/
void gc_done(ms_Sim *s, int gen, uint64_t t0, uint64_t examined, uint64_t found, int counted) {
  if (counted) {
    s->gc_stats[gen].collections++;
    s->gc_stats[gen].collected += found;
  }
  s->events++;
  SERIES_TICK(s);
  uint64_t pause = s->now - t0;
  hist_record(&s->h_gc, pause);
  explain_line(s, "gc       generation %d collected: %llu objects examined, %llu unreachable freed, "
                  "pause %llu ns of memory-management time", gen, (unsigned long long)examined,
               (unsigned long long)found, (unsigned long long)pause);
  if (s->gc_cb) s->gc_cb(s->gc_ud, gen, found, pause);
}

static int64_t collect(ms_Sim *s, int gen) {
  uint64_t t0 = s->now;
  if (gen + 1 < 3) s->gc_count[gen + 1]++;
  for (int i = 0; i <= gen; i++) s->gc_count[i] = 0;
  for (int i = 0; i < gen; i++) gclist_merge(s, GEN(i), GEN(gen));
  uint32_t young = GEN(gen), old = gen < 2 ? GEN(gen + 1) : young;

  uint64_t edges = 0, m = 0, survivors = 0;
  uint64_t nyoung = gc_deduce_unreachable(s, young, ID_UNREACHABLE, &edges, &m, &survivors);
  if (young != old) {
    if (gen == 1) s->long_lived_pending += survivors;
    gclist_merge(s, young, old);
  } else {
    if (untrack_after_needed(s)) {           /* untrack_dicts (no dicts: no pass) */
      for (uint32_t id = O(s, young)->gc_next; id != young;) {
        uint32_t next = O(s, id)->gc_next;
        const ms_TypeObject *t = TYPE(O(s, id));
        if (t->tp_untrack_after && (O(s, id)->flags & OF_TRACKED)) {
          t->tp_untrack_after(s, id);
          survivors -= !(O(s, id)->flags & OF_TRACKED);
        }
        id = next;
      }
    }
    s->long_lived_pending = 0;
    s->long_lived_total = survivors;
  }
  s->now += gc_pause_cost(s, nyoung, edges);
  gc_delete_garbage(s, ID_UNREACHABLE, old);
  if (gen == 2) freelists_clear(s);
  gc_done(s, gen, t0, nyoung, m, 1);
  return (int64_t)m;
}

/*
** A collection the real interpreter made, told by a replayed trace: it
** counts in gc.get_stats() and its measured pause in the pause histogram
** (the replay has the requests, not the objects, so memsim cannot collect).
*/
void ms_gc_note(ms_Sim *s, int gen, uint64_t collected, uint64_t uncollectable, uint64_t pause_ns) {
  if (gen < 0 || gen > 2) return;
  s->gc_stats[gen].collections++;
  s->gc_stats[gen].collected += collected;
  s->gc_stats[gen].uncollectable += uncollectable;
  s->events++;
  SERIES_TICK(s);
  hist_record(&s->h_gc, pause_ns);
  if (s->gc_cb) s->gc_cb(s->gc_ud, gen, collected, pause_ns);
}

/* gc_collect_generations: the oldest generation over its threshold */
static void collect_generations(ms_Sim *s) {
  for (int i = 2; i >= 0; i--) {
    if (s->gc_count[i] > s->gc_threshold[i]) {
      if (i == 2 && s->long_lived_pending < s->long_lived_total / 4) continue;
      collect(s, i);
      break;
    }
  }
}

void gc_on_alloc(ms_Sim *s) {
  if (s->prof->gc_incremental) {
    inc_on_alloc(s);
    return;
  }
  s->gc_count[0]++;
  if (s->gc_count[0] > s->gc_threshold[0] && s->gc_enabled && s->gc_threshold[0] &&
      !s->gc_collecting) {
    s->gc_collecting = 1;
    collect_generations(s);
    s->gc_collecting = 0;
  }
}

void gc_on_free(ms_Sim *s) {
  if (s->gc_count[0] > 0) s->gc_count[0]--;
  if (s->prof->gc_incremental) s->gc_heap_size--;
}

/* ====================================================================
** The gc module: one interface, the profile's collector behind it
** ==================================================================== */

int64_t ms_gc_collect(ms_Sim *s, int generation) {
  assert(generation >= 0 && generation <= 2);
  if (s->gc_collecting) return sim_error(s, "gc.collect() called during a collection");
  s->gc_collecting = 1;
  int64_t n = s->prof->gc_incremental ? inc_collect(s, generation) : collect(s, generation);
  s->gc_collecting = 0;
  return n;
}

/* 3.14.0's gc.get_count(): young, then the old space being filled, then the other */
void ms_gc_get_count(const ms_Sim *s, int64_t count[3]) {
  memcpy(count, s->gc_count, sizeof s->gc_count);
  if (s->prof->gc_incremental) {
    count[1] = s->gc_count[1 + s->gc_visited_space];
    count[2] = s->gc_count[2 - s->gc_visited_space];
  }
}

void ms_gc_get_stats(const ms_Sim *s, ms_GenStats st[3]) { memcpy(st, s->gc_stats, sizeof s->gc_stats); }

/* 3.14.0's gc.get_threshold() says 0 for the third: old[1]'s is never used */
void ms_gc_get_threshold(const ms_Sim *s, int64_t t[3]) {
  memcpy(t, s->gc_threshold, sizeof s->gc_threshold);
  if (s->prof->gc_incremental) t[2] = 0;
}

void ms_gc_set_threshold(ms_Sim *s, const int64_t t[3]) { memcpy(s->gc_threshold, t, sizeof s->gc_threshold); }
void ms_gc_enable(ms_Sim *s, int on) { s->gc_enabled = on != 0; }
int ms_gc_isenabled(const ms_Sim *s) { return s->gc_enabled; }

/* gc_freeze_impl: every generation into the permanent one, each count to 0 */
void ms_gc_freeze(ms_Sim *s) {
  if (s->prof->gc_incremental) {
    inc_freeze(s);
    return;
  }
  for (int i = 0; i < 3; i++) {
    gclist_merge(s, GEN(i), ID_PERMANENT);
    s->gc_count[i] = 0;
  }
}

/* gc.unfreeze(): back into the oldest generation (3.14.0: the visited space) */
void ms_gc_unfreeze(ms_Sim *s) {
  gclist_merge(s, ID_PERMANENT, s->prof->gc_incremental ? GEN(1 + s->gc_visited_space) : GEN(2));
}

int64_t ms_gc_get_freeze_count(const ms_Sim *s) {
  return (int64_t)gclist_size((ms_Sim *)s, ID_PERMANENT);
}

/*
** Outstanding cyclic garbage: the tracked objects (frozen ones aside) that
** a full collection would find unreachable now, found without collecting:
** gc_refs as update_refs and subtract_refs make them over every
** generation, then a mark from the objects left with references from
** outside.  Host work only; the simulated clock does not move.
*/
static void visit_mark(ms_Sim *s, uint32_t child, void *ud) {
  ms_Object *c = O(s, child);
  if (!(c->flags & OF_COLLECTING) || c->gc_refs == INT32_MIN) return;
  c->gc_refs = INT32_MIN;                    /* reached */
  uint32_t **top = ud;
  *(*top)++ = child;
}

uint64_t ms_gc_garbage(ms_Sim *s) {
  static const uint32_t gens[] = {GEN(0), GEN(1), GEN(2)};
  uint64_t edges = 0;
  uint64_t n = gc_external_refs(s, gens, 3, &edges);
  s->gc_touched = s->gc_startup_seen = 0;    /* a question, not a collection: no pause */
  uint32_t *stack = ms_xmalloc((n ? n : 1) * sizeof(uint32_t)), *top = stack;
  for (int g = 0; g < 3; g++)
    for (uint32_t id = O(s, GEN(g))->gc_next; id != GEN(g); id = O(s, id)->gc_next)
      if (O(s, id)->gc_refs > 0) {
        O(s, id)->gc_refs = INT32_MIN;
        *top++ = id;
      }
  while (top > stack) obj_traverse(s, *--top, visit_mark, &top);   /* each pushed once: n at most */
  ms_xfree(stack);
  uint64_t garbage = 0;
  for (int g = 0; g < 3; g++)
    for (uint32_t id = O(s, GEN(g))->gc_next; id != GEN(g); id = O(s, id)->gc_next)
      garbage += O(s, id)->gc_refs != INT32_MIN;
  gc_clear_collecting(s, gens, 3);
  return garbage;
}

int ms_gc_is_tracked(const ms_Sim *s, uint32_t id) {
  return (s->objs[id].flags & OF_TRACKED) != 0;
}

void ms_sim_on_gc(ms_Sim *s, ms_GcCallback cb, void *ud) {
  s->gc_cb = cb;
  s->gc_ud = ud;
}

/*
** gc.get_objects([generation]): a new list, tracked, then every object
** of the generation (or of all three, youngest first) appended in list
** order, the result list itself skipped (append_objects).  The permanent
** generation of gc.freeze() is not among them.
*/
uint32_t ms_gc_get_objects(ms_Sim *s, int generation) {
  if (generation < -1 || generation > 2)
    return SIM_FAIL0(s, "ValueError: generation parameter must be less than the number of available generations (3)");
  uint32_t list = ms_new(s, MS_LIST, 0);
  if (list == 0) return 0;
  for (int g = generation < 0 ? 0 : generation; g <= (generation < 0 ? 2 : generation); g++) {
    uint32_t head = GEN(g);
    for (uint32_t id = O(s, head)->gc_next; id != head; id = O(s, id)->gc_next) {
      if (id == list) continue;
      if (ms_append(s, list, id) < 0) {
        obj_release(s, list);
        return 0;
      }
    }
  }
  return list;
}
