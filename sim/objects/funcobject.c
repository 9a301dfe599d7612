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
  return holder_new(s, MS_FUNCTION, 1, &closure);
}

static uint32_t func_new(ms_Sim *s, int64_t arg) {
  (void)arg;
  return ms_new_function(s, 0);
}

static size_t func_basicsize(const ms_Profile *p, const ms_Object *o) {
  (void)o;
  return p->gc_head + p->function_size;
}

const ms_TypeObject ms_function_type = {
  .tp_name = "function", .tp_flags = TPF_GC | TPF_CONTAINER | TPF_ITEMS, .tp_new = func_new,
  .tp_basicsize = func_basicsize, .tp_dealloc_next = items_dealloc_forward, .tp_dealloc = items_free_body,
  .tp_traverse = items_traverse, .tp_clear = items_clear,   /* func_clear: the closure */
};
