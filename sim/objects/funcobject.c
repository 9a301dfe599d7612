/*
** funcobject.c: function objects (Objects/funcobject.c).  memsim keeps
** no references in them, only their size; the collector still counts
** them and has a tp_clear to call.
*/
#include "objimpl.h"

static uint32_t func_new(ms_Sim *s, int64_t arg) {
  (void)arg;
  uint32_t id = new_plain(s, MS_FUNCTION, 0);
  if (id) gc_track(s, id);
  return id;
}

static size_t func_basicsize(const ms_Profile *p, const ms_Object *o) {
  (void)o;
  return p->gc_head + p->function_size;
}

/* func_clear: the references memsim does not model */
static void func_clear(ms_Sim *s, uint32_t id) {
  (void)s;
  (void)id;
}

const ms_TypeObject ms_function_type = {
  .tp_name = "function", .tp_flags = TPF_GC, .tp_new = func_new, .tp_basicsize = func_basicsize,
  .tp_clear = func_clear,
};
