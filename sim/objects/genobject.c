/*
** genobject.c: generators (Objects/genobject.c): a frame of local slots.
**
** From 3.11 the frame lives inside the generator: one object.  Before, it
** is a frame object of its own (Objects/frameobject.c), allocated first,
** and a code object keeps the frame of its last call for the next one
** (co_zombieframe): memsim keeps one such frame per frame size.
*/
#include "objimpl.h"

/* a frame object of SLOTS (locals and stack): GC header, PyFrameObject, slots */
static size_t frame_bytes(const ms_Profile *p, uint32_t slots) {
  return p->gc_head + p->generator_frame + 8 * (size_t)slots;
}

/* frame_alloc: the code's kept frame when there is one, else a new one */
static uint64_t frame_alloc(ms_Sim *s, uint32_t slots) {
  uint64_t kept;
  if (u64map_take(&s->zombies, (uint64_t)slots + 1, &kept)) {
    s->zombie_bytes -= frame_bytes(s->prof, slots);
    return kept;
  }
  uint64_t p = mem_alloc_for(s, "frame", frame_bytes(s->prof, slots));
  if (p) gc_on_alloc(s);                 /* PyObject_GC_NewVar: it counts, and may collect */
  return p;
}

/* frame_dealloc: kept by the code if it keeps none, else freed */
static void frame_release(ms_Sim *s, uint64_t p, uint32_t slots) {
  int found;
  u64map_get(&s->zombies, (uint64_t)slots + 1, &found);
  if (!found) {
    u64map_put(&s->zombies, (uint64_t)slots + 1, p);
    s->zombie_bytes += frame_bytes(s->prof, slots);
    return;
  }
  mem_free_for(s, "frame", p, frame_bytes(s->prof, slots));
  gc_on_free(s);
}

uint32_t new_generator(ms_Sim *s, uint32_t slots) {
  uint64_t frame = 0;
  if (s->prof->generator_frame && (frame = frame_alloc(s, slots)) == 0) return 0;
  uint32_t id = new_plain(s, MS_GENERATOR, slots);
  if (id == 0) {
    if (frame) frame_release(s, frame, slots);
    return 0;
  }
  O(s, id)->aux = frame;
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

/* the generator, with its frame's slots when the frame is inside it */
static size_t gen_basicsize(const ms_Profile *p, const ms_Object *o) {
  return p->gc_head + p->generator_size + (p->generator_frame ? 0 : 8 * (size_t)o->len);
}

/* the frame object apart (before 3.11) */
static size_t gen_auxsize(const ms_Profile *p, const ms_Object *o) {
  return p->generator_frame ? frame_bytes(p, o->len) : 0;
}

/* gen_dealloc: the frame (its locals already dropped), then the generator */
static int gen_dealloc(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  uint64_t frame = o->aux;
  uint32_t slots = o->len;
  o->aux = 0;
  items_free_body(s, id);
  if (frame) frame_release(s, frame, slots);
  return 0;
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
  .tp_new = gen_new, .tp_basicsize = gen_basicsize, .tp_auxsize = gen_auxsize,
  .tp_dealloc_next = items_dealloc_forward, .tp_dealloc = gen_dealloc, .tp_traverse = items_traverse,
  .tp_getitem = items_getitem, .tp_setitem = items_setitem, .tp_delitem = gen_delitem,
};
