/*
** floatobject.c: float (Objects/floatobject.c), with its free list.
*/
#include "objimpl.h"

/* PyFloat_FromDouble: the free list first */
uint32_t new_float(ms_Sim *s) {
  uint32_t id = unpark(s, s->fl_float, &s->n_float);
  return id ? id : new_plain(s, MS_FLOAT, 0);
}

/* ====================================================================
** The type
** ==================================================================== */

static uint32_t float_new(ms_Sim *s, int64_t arg) {
  (void)arg;
  return new_float(s);
}

static size_t float_basicsize(const ms_Profile *p, const ms_Object *o) {
  (void)o;
  return p->float_size;
}

/* float_dealloc: to the free list while it has room */
static int float_dealloc(ms_Sim *s, uint32_t id) {
  return park(s, id, &s->fl_float, &s->n_float, s->prof->float_freelist);
}

const ms_TypeObject ms_float_type = {
  .tp_name = "float", .tp_new = float_new, .tp_basicsize = float_basicsize,
  .tp_dealloc = float_dealloc,
};
