/*
** funcobject.c: function objects (Objects/funcobject.c).  Of what a
** function refers to, memsim keeps its closure, the tuple of cells a
** nested function reads its outer variables through (cellobject.c); its
** code, globals and defaults live elsewhere and are not modelled.  The
** body is items[1]: the closure, or 0.
*/
#include "objimpl.h"

uint32_t ms_new_function(ms_Sim *s, uint32_t closure) {
  if (closure && need_type(s, closure, MS_TUPLE, "a closure") < 0) return 0;
  uint32_t id = new_plain(s, MS_FUNCTION, 1);
  if (id == 0) return 0;
  uint32_t *body = ms_xcalloc(1, sizeof(uint32_t));
  if (closure) {
    ms_incref(s, closure);
    body[0] = closure;
  }
  O(s, id)->body = body;
  gc_track(s, id);
  return id;
}

static uint32_t func_new(ms_Sim *s, int64_t arg) {
  (void)arg;
  return ms_new_function(s, 0);
}

static size_t func_basicsize(const ms_Profile *p, const ms_Object *o) {
  (void)o;
  return p->gc_head + p->function_size;
}

/* func_clear: of the references memsim models, the closure */
static void func_clear(ms_Sim *s, uint32_t id) {
  uint32_t *items = O(s, id)->body;
  uint32_t c = items[0];
  items[0] = 0;
  obj_release(s, c);
}

const ms_TypeObject ms_function_type = {
  .tp_name = "function", .tp_flags = TPF_GC | TPF_CONTAINER | TPF_ITEMS, .tp_new = func_new,
  .tp_basicsize = func_basicsize, .tp_dealloc_next = items_dealloc_forward, .tp_dealloc = items_free_body,
  .tp_traverse = items_traverse, .tp_clear = func_clear,
};
