/*
** bulk.c: loops a script would otherwise make one call at a time, done in
** C.  Each does exactly the calls of the loop in its comment, in order,
** so its results are those of the loop; only the Lua overhead is gone.
*/
#include "objimpl.h"

/* every 65,536 steps: has the run been stopped? */
static int stopped(ms_Sim *s, int64_t i) {
  return (i & 0xffff) == 0 && s->stop && *s->stop;
}

/*
**   for i in range(start, stop):      # FOR_ITER: x = int(i)
**       <local> = x                   # STORE_FAST: the old value dropped
**       lst.append(x)                 # LIST_APPEND
** *LOCAL holds the caller's reference to the current value (0 for none).
*/
int ms_bulk_append_range(ms_Sim *s, uint32_t list, int64_t start, int64_t stop, uint32_t *local) {
  if (O(s, list)->type != MS_LIST) return sim_error(s, "append_range needs a list");
  if (stop > start && (uint64_t)stop - (uint64_t)start > (uint64_t)MS_MAX_COUNT)
    return sim_error(s, "append_range: more than %lld items", MS_MAX_COUNT);
  for (int64_t i = start; i < stop; i++) {
    if (stopped(s, i - start)) return sim_error(s, "stopped");
    uint32_t x = ms_new_int(s, i);
    if (x == 0) return -1;
    if (*local) obj_release(s, *local);
    *local = x;
    if (ms_append(s, list, x) < 0) return -1;
  }
  return 0;
}

/*
**   for i in range(start, stop):      # FOR_ITER: x = int(i)
**       frame[slot] = x               # STORE_FAST: the old value dropped
**       yield x                       # the consumer drops its reference
*/
int ms_bulk_slot_range(ms_Sim *s, uint32_t frame, uint32_t slot, int64_t start, int64_t stop) {
  ms_Object *o = O(s, frame);
  if (o->type != MS_GENERATOR || slot >= o->len)
    return sim_error(s, "slot_range needs a generator and one of its slots");
  if (stop > start && (uint64_t)stop - (uint64_t)start > (uint64_t)MS_MAX_COUNT)
    return sim_error(s, "slot_range: more than %lld steps", MS_MAX_COUNT);
  for (int64_t i = start; i < stop; i++) {
    if (stopped(s, i - start)) return sim_error(s, "stopped");
    uint32_t x = ms_new_int(s, i);
    if (x == 0) return -1;
    uint32_t *items = O(s, frame)->body;
    uint32_t old = items[slot];
    items[slot] = x;                       /* the new reference is the frame's */
    obj_release(s, old);
  }
  return 0;
}
