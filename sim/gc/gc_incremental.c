/*
** gc_incremental.c: the incremental collector of CPython 3.14.0 to 3.14.4
** (Python/gc.c of 3.14, the GIL build; Modules/gcmodule.c for what the gc
** module reports).  3.14.5 went back to the generational collector of
** gcmodule.c; the profile cpython-3.14 has that one.
**
** Glossary (the names are CPython's):
**   young          the objects tracked since the last collection call: the
**                  list GEN(0), young.count its count
**   old[0], old[1] two lists of older objects, GEN(1) and GEN(2); each
**                  object carries the bit of the one it belongs to (gcspace)
**   visited_space  which old list the current scan fills; the other one is
**                  "pending" (not yet visited in this scan)
**   heap_size      GC objects allocated and not yet freed
**   work_to_do     how many objects the collector owes: it grows with new
**                  objects and a fraction of the heap, and shrinks by what
**                  each increment examines
**   phase          MARK: the next call marks from the roots; COLLECT: the
**                  next calls collect increments
**
** The rules, each where 3.14.0 has it:
**   - Allocating a GC object: young.count += 1, heap_size += 1; past
**     young.threshold (2000), a collection call of generation 1: an
**     increment (_PyObject_GC_Link; _Py_RunGC always asks for 1).  Freeing
**     one: young.count -= 1 while above 0, heap_size -= 1 (PyObject_GC_Del).
**   - Tracking puts the object at the end of young, marked with the pending
**     space (_PyObject_GC_TRACK: not_visited = 1 ^ visited_space).
**   - An increment (gc_collect_increment):
**       work_to_do += assess_work_to_do: young.count plus a fraction of the
**       heap, heap_size / SCAN_RATE_DIVISOR / max(old[0].threshold, 2),
**       at most 1.5 times young.count; young.count = 0.
**       Tuples in young that hold nothing tracked are untracked.
**       In the MARK phase: mark_at_start moves everything reachable from the
**       roots into the visited space, subtracts what it marked from
**       work_to_do (and gc_collect_increment subtracts it once more), the
**       phase becomes COLLECT, and the call ends: nothing is freed and
**       get_stats() does not count it.
**       In the COLLECT phase: young (now marked visited) is the start of the
**       increment; while the increment holds fewer objects than work_to_do
**       and pending objects remain, the first pending object joins it with
**       everything it reaches that is not visited yet
**       (expand_region_transitively_reachable).  The increment is collected
**       like a generation (gc_collect_region); survivors join the visited
**       space.  work_to_do += heap_size / 10 / scale; work_to_do -= the
**       increment's size; get_stats()[1] counts the call.  When no pending
**       object is left the scan is complete (completed_scavenge): the two
**       spaces swap meaning, work_to_do = 0, the phase is MARK again.
**   - gc.collect(0) (gc_collect_young) collects young alone into the visited
**     space; gc.collect() (gc_collect_full) collects everything, clears the
**     free lists and completes the scan.
**   - gc.get_count() is (young.count, old[visited].count,
**     old[pending].count), old counts only moved by gc.collect(0);
**     gc.get_threshold() is (2000, 10, 0).
**
** The roots.  3.14.0 marks from the interpreter's roots (sys, builtins,
** the static types) and from every frame's stack (mark_global_roots,
** mark_stacks).  A memsim script has no frames: whatever it holds is what
** a module's globals hold, reached through sys.modules when the scan
** starts.  So mark_at_start here marks from the objects the script (or a
** start-up heap) holds, the ones with more references than tracked
** objects account for, and later increments mark nothing from stacks
** (mark_stacks finds the module's frame visited already).  Finding those
** objects takes memsim one pass over the tracked objects; only the
** marking is charged to the simulated clock, as it is CPython's work.
*/
#include <assert.h>
#include <string.h>

#include "objimpl.h"

#define YOUNG ((uint32_t)ID_GEN0)
#define OLD(i) ((uint32_t)(ID_GEN0 + 1 + (i)))

void inc_init(ms_Sim *s) {
  s->gc_visited_space = 0;
  s->gc_phase = GC_PHASE_MARK;
  s->gc_work_to_do = s->prof->gc_work_to_do_start;
  s->gc_heap_size = 0;
}

/* gc_list_set_space: every object of HEAD to SPACE; their number */
static uint64_t list_set_space(ms_Sim *s, uint32_t head, int space) {
  uint64_t n = 0;
  for (uint32_t id = O(s, head)->gc_next; id != head; id = O(s, id)->gc_next) {
    O(s, id)->gcspace = (uint8_t)space;
    n++;
  }
  return n;
}

static void list_move(ms_Sim *s, uint32_t id, uint32_t head) {
  gclist_remove(s, id);
  gclist_append(s, head, id);
}

/* untrack_tuples: tuples that hold nothing tracked leave the collector */
static void untrack_tuples(ms_Sim *s, uint32_t head) {
  for (uint32_t id = O(s, head)->gc_next; id != head;) {
    uint32_t next = O(s, id)->gc_next;
    const ms_TypeObject *t = TYPE(O(s, id));
    if (t->tp_untrack_scan) t->tp_untrack_scan(s, id);
    id = next;
  }
}

/* ====================================================================
** Marking
** ==================================================================== */

typedef struct Container {
  uint32_t head;       /* where the objects reached go */
  int visited;         /* the visited space */
  uint64_t size;       /* how many went */
} Container;

/* visit_add_to_container: a tracked object not visited yet is flipped to
   the visited space and put at the end of the container.  (CPython skips
   immortal objects here; no tracked object of memsim's is immortal: the
   placeholders of a start-up heap stand for the interpreter's mortal
   modules, classes and functions.) */
static void visit_add(ms_Sim *s, uint32_t child, void *ud) {
  Container *c = ud;
  ms_Object *o = O(s, child);
  if (!(o->flags & OF_TRACKED) || o->gcspace == c->visited) return;
  o->gcspace = (uint8_t)c->visited;
  list_move(s, child, c->head);
  c->size++;
}

/*
** The objects held from outside the collector's objects (the script's
** globals, the interpreter's own), not yet visited, into REACH: their
** references minus those from tracked objects are above 0.
*/
static uint64_t roots_to(ms_Sim *s, uint32_t reach) {
  static const uint32_t heads[] = {ID_GEN0, ID_GEN0 + 1, ID_GEN0 + 2, ID_PERMANENT};
  uint64_t edges = 0;                       /* memsim's own pass: not charged */
  gc_external_refs(s, heads, 4, &edges);
  s->gc_touched = s->gc_startup_seen = 0;
  gc_clear_collecting(s, heads, 4);
  /* move_to_reachable, list by list (permanent objects count as visited) */
  uint64_t n = 0;
  for (int h = 0; h < 3; h++) {
    for (uint32_t id = O(s, heads[h])->gc_next; id != heads[h];) {
      ms_Object *o = O(s, id);
      uint32_t next = o->gc_next;
      if (o->gc_refs > 0 && o->gcspace != s->gc_visited_space) {
        o->gcspace = (uint8_t)s->gc_visited_space;
        list_move(s, id, reach);
        n++;
      }
      id = next;
    }
  }
  return n;
}

/* mark_all_reachable: REACH empties into the visited space, transitively */
static uint64_t mark_all_reachable(ms_Sim *s, uint32_t reach, uint64_t *edges) {
  Container c = {reach, s->gc_visited_space, 0};
  uint32_t visited = OLD(s->gc_visited_space);
  while (!gclist_empty(s, reach)) {
    uint32_t id = O(s, reach)->gc_next;
    list_move(s, id, visited);
    *edges += obj_traverse(s, id, visit_add, &c);
  }
  return c.size;
}

/* mark_at_start: the roots and all they reach, into the visited space */
static uint64_t mark_at_start(ms_Sim *s, uint64_t *edges) {
  uint32_t reach = ID_UNREACHABLE;          /* free between collections */
  gclist_init(s, reach);
  uint64_t marked = roots_to(s, reach);
  marked += mark_all_reachable(s, reach, edges);
  s->gc_work_to_do -= (int64_t)marked;
  s->gc_phase = GC_PHASE_COLLECT;
  return marked;
}

/* expand_region_transitively_reachable: from GC to the end of the
   increment, everything reached that is not visited joins it */
static uint64_t expand_region(ms_Sim *s, uint32_t increment, uint32_t gc, uint64_t *edges) {
  Container c = {increment, s->gc_visited_space, 0};
  for (uint32_t id = gc; id != increment;) {
    assert(O(s, id)->gcspace == s->gc_visited_space);
    *edges += obj_traverse(s, id, visit_add, &c);
    id = O(s, id)->gc_next;                 /* the list may have grown */
  }
  return c.size;
}

/* ====================================================================
** Collections
** ==================================================================== */

/* completed_scavenge: the pending space is empty; swap the spaces' meaning */
static void completed_scavenge(ms_Sim *s) {
  if (gclist_empty(s, ID_PERMANENT)) {
    int not_visited = s->gc_visited_space;
    s->gc_visited_space ^= 1;
    list_set_space(s, YOUNG, not_visited);
  } else {                                  /* frozen objects keep the visited bit */
    int visited = s->gc_visited_space, not_visited = visited ^ 1;
    gclist_merge(s, OLD(visited), OLD(not_visited));
    list_set_space(s, OLD(not_visited), not_visited);
  }
  s->gc_work_to_do = 0;
  s->gc_phase = GC_PHASE_MARK;
}

/* gc_collect_region: FROM's garbage freed, its survivors to the end of TO */
static uint64_t collect_region(ms_Sim *s, uint32_t from, uint32_t to, uint64_t *examined,
                               uint64_t *edges) {
  uint64_t found = 0, survivors = 0;
  *examined += gc_deduce_unreachable(s, from, ID_UNREACHABLE, edges, &found, &survivors);
  if (from != to) gclist_merge(s, from, to);
  s->now += gc_pause_cost(s, *examined, *edges);
  gc_delete_garbage(s, ID_UNREACHABLE, to);
  return found;
}

/* heap_size / SCAN_RATE_DIVISOR / max(old[0].threshold, 2) */
static int64_t heap_share(const ms_Sim *s) {
  int64_t scale = s->gc_threshold[1] < 2 ? 2 : s->gc_threshold[1];
  return s->gc_heap_size / (int64_t)s->prof->gc_scan_rate_divisor / scale;
}

/* assess_work_to_do: new objects, and a share of the heap no larger than 1.5 times them */
static int64_t assess_work_to_do(ms_Sim *s) {
  int64_t fresh = s->gc_count[0];
  int64_t most = fresh * 3 / 2;
  int64_t share = heap_share(s);
  if (share > most) share = most;
  s->gc_count[0] = 0;
  return fresh + share;
}

static uint64_t collect_increment(ms_Sim *s) {
  uint64_t t0 = s->now, examined = 0, edges = 0;
  s->gc_work_to_do += assess_work_to_do(s);
  untrack_tuples(s, YOUNG);
  if (s->gc_phase == GC_PHASE_MARK) {
    uint64_t marked = mark_at_start(s, &edges);
    s->gc_work_to_do -= (int64_t)marked;   /* a second time, as gc_collect_increment does */
    s->now += gc_pause_cost(s, marked, edges);
    gc_done(s, 1, t0, marked, 0, 0);
    return 0;
  }
  int visited = s->gc_visited_space;
  uint32_t pending = OLD(visited ^ 1), increment = ID_INCREMENT;
  gclist_init(s, increment);
  list_set_space(s, YOUNG, visited);
  gclist_merge(s, YOUNG, increment);
  int64_t size = (int64_t)gclist_size(s, increment);
  while (size < s->gc_work_to_do && !gclist_empty(s, pending)) {
    uint32_t gc = O(s, pending)->gc_next;
    list_move(s, gc, increment);
    O(s, gc)->gcspace = (uint8_t)visited;
    size += 1 + (int64_t)expand_region(s, increment, gc, &edges);
  }
  uint64_t found = collect_region(s, increment, OLD(visited), &examined, &edges);
  s->gc_work_to_do += heap_share(s) - size;
  gc_done(s, 1, t0, examined, found, 1);
  if (gclist_empty(s, pending)) completed_scavenge(s);
  return found;
}

/* gc_collect_young: gc.collect(0) */
static uint64_t collect_young(ms_Sim *s) {
  uint64_t t0 = s->now, examined = 0, edges = 0;
  int visited = s->gc_visited_space;
  untrack_tuples(s, YOUNG);
  list_set_space(s, YOUNG, visited);
  uint64_t found = collect_region(s, YOUNG, OLD(visited), &examined, &edges);
  s->gc_count[0] = 0;
  s->gc_count[1 + visited]++;
  gc_done(s, 0, t0, examined, found, 1);
  return found;
}

/* gc_collect_full: gc.collect() */
static uint64_t collect_full(ms_Sim *s) {
  uint64_t t0 = s->now, examined = 0, edges = 0;
  int visited = s->gc_visited_space;
  uint32_t pending = OLD(visited ^ 1);
  untrack_tuples(s, YOUNG);
  gclist_merge(s, YOUNG, pending);
  list_set_space(s, pending, visited);
  s->gc_count[0] = 0;
  gclist_merge(s, pending, OLD(visited));
  uint64_t found = collect_region(s, OLD(visited), OLD(visited), &examined, &edges);
  for (int i = 0; i < 3; i++) s->gc_count[i] = 0;
  completed_scavenge(s);
  freelists_clear(s);
  gc_done(s, 2, t0, examined, found, 1);
  return found;
}

int64_t inc_collect(ms_Sim *s, int generation) {
  switch (generation) {
    case 0: return (int64_t)collect_young(s);
    case 1: return (int64_t)collect_increment(s);
    default: return (int64_t)collect_full(s);
  }
}

/* _PyObject_GC_Link's count, and _Py_RunGC's increment past the threshold */
void inc_on_alloc(ms_Sim *s) {
  s->gc_count[0]++;
  s->gc_heap_size++;
  if (s->gc_count[0] > s->gc_threshold[0] && s->gc_enabled && s->gc_threshold[0] &&
      !s->gc_collecting) {
    s->gc_collecting = 1;
    collect_increment(s);
    s->gc_collecting = 0;
  }
}

/* _PyGC_Freeze: young and both old spaces, marked visited, to the permanent list */
void inc_freeze(ms_Sim *s) {
  int visited = s->gc_visited_space;
  list_set_space(s, YOUNG, visited);
  gclist_merge(s, YOUNG, ID_PERMANENT);
  s->gc_count[0] = 0;
  list_set_space(s, OLD(visited ^ 1), visited);
  for (int i = 0; i < 2; i++) {
    gclist_merge(s, OLD(i), ID_PERMANENT);
    s->gc_count[1 + i] = 0;
  }
}

/*
** validate_spaces: young objects carry the pending space, each old list's
** objects its own, frozen ones the visited space.
*/
int inc_is_valid(ms_Sim *s) {
  int visited = s->gc_visited_space;
  for (uint32_t id = O(s, YOUNG)->gc_next; id != YOUNG; id = O(s, id)->gc_next)
    if (O(s, id)->gcspace != (visited ^ 1)) return 0;
  for (int i = 0; i < 2; i++)
    for (uint32_t id = O(s, OLD(i))->gc_next; id != OLD(i); id = O(s, id)->gc_next)
      if (O(s, id)->gcspace != i) return 0;
  for (uint32_t id = O(s, ID_PERMANENT)->gc_next; id != ID_PERMANENT; id = O(s, id)->gc_next)
    if (O(s, id)->gcspace != visited) return 0;
  return s->gc_phase == GC_PHASE_MARK || s->gc_phase == GC_PHASE_COLLECT;
}
