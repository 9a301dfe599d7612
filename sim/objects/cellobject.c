/*
** cellobject.c: cells (Objects/cellobject.c), the boxes a closure's
** variables live in, and bound methods (Objects/classobject.c).
**
** A cell is made by MAKE_CELL when its function starts; a closure is a
** function holding a tuple of cells (funcobject.c).  A bound method,
** obj.f taken as a value (a call obj.f() makes none since 3.7), holds the
** function, which lives in the class, and obj.  Both bodies are
** items[1]: the cell's content (0: empty), the method's self.
*/
#include "objimpl.h"

uint32_t ms_new_cell(ms_Sim *s, uint32_t content) { return holder_new(s, MS_CELL, 1, &content); }

static uint32_t cell_new(ms_Sim *s, int64_t arg) {
  (void)arg;
  return ms_new_cell(s, 0);
}

/* PyCellObject: the header and its reference */
static size_t cell_basicsize(const ms_Profile *p, const ms_Object *o) {
  (void)o;
  return p->gc_head + 24;
}

/* cell_set_contents / a cell's setitem: the new content in, the old out */
static int cell_setitem(ms_Sim *s, uint32_t c, int64_t index, uint32_t key, uint32_t value) {
  if (index != 0) return sim_error(s, "IndexError: a cell has one slot, 0");
  return items_setitem(s, c, index, key, value);
}

const ms_TypeObject ms_cell_type = {
  .tp_name = "cell", .tp_flags = TPF_GC | TPF_CONTAINER | TPF_ITEMS,
  .tp_new = cell_new, .tp_basicsize = cell_basicsize, .tp_dealloc_next = items_dealloc_forward,
  .tp_dealloc = items_free_body, .tp_traverse = items_traverse, .tp_clear = items_clear,
  .tp_getitem = items_getitem, .tp_setitem = cell_setitem,
};

/* ====================================================================
** Bound methods (PyMethod_New)
** ==================================================================== */

uint32_t ms_new_method(ms_Sim *s, uint32_t self) { return holder_new(s, MS_METHOD, 1, &self); }

/* PyMethodObject: im_func, im_self, im_weakreflist, vectorcall */
static size_t method_basicsize(const ms_Profile *p, const ms_Object *o) {
  (void)o;
  return p->gc_head + 48;
}

const ms_TypeObject ms_method_type = {
  .tp_name = "method", .tp_flags = TPF_GC | TPF_CONTAINER | TPF_ITEMS,
  .tp_basicsize = method_basicsize, .tp_dealloc_next = items_dealloc_forward,
  .tp_dealloc = items_free_body, .tp_traverse = items_traverse, .tp_clear = items_clear,
};
