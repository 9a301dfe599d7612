/*
** genobject.c: generators (Objects/genobject.c): a frame of local slots.
*/
#include "objimpl.h"

uint32_t new_generator(ms_Sim *s, uint32_t slots) {
  uint32_t id = new_plain(s, MS_GENERATOR, slots);
  if (id == 0) return 0;
  O(s, id)->body = ms_xcalloc(slots ? slots : 1, sizeof(uint32_t));
  gc_track(s, id);
  return id;
}

/* ====================================================================
** The type
** ==================================================================== */

static uint32_t gen_new(ms_Sim *s, int64_t slots) {
  return new_generator(s, slots > 0 ? (uint32_t)slots : 1);
}

/* the generator and its frame: the fixed part and one word per slot */
static size_t gen_basicsize(const ms_Profile *p, const ms_Object *o) {
  return p->gc_head + p->generator_size + 8 * (size_t)o->len;
}

/* a frame slot cleared: del local */
static int gen_delitem(ms_Sim *s, uint32_t c, int64_t index, uint32_t key) {
  (void)key;
  ms_Object *o = O(s, c);
  if (list_index(s, o, &index) < 0) return -1;
  uint32_t *items = o->body, old = items[index];
  items[index] = 0;
  obj_release(s, old);
  return 0;
}

/* the frame's locals are dropped first to last */
const ms_TypeObject ms_gen_type = {
  .tp_name = "generator", .tp_flags = TPF_GC | TPF_CONTAINER | TPF_ITEMS,
  .tp_new = gen_new, .tp_basicsize = gen_basicsize, .tp_dealloc_next = items_dealloc_forward,
  .tp_dealloc = items_free_body, .tp_traverse = items_traverse,
  .tp_getitem = items_getitem, .tp_setitem = items_setitem, .tp_delitem = gen_delitem,
};
