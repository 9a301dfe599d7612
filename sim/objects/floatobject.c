/*
** floatobject.c: float (Objects/floatobject.c), with its free list.
*/
#include "objimpl.h"

/* PyFloat_FromDouble: the free list first */
uint32_t new_float(ms_Sim *s) {
  uint32_t id = unpark(s, s->fl_float, &s->n_float);
  return id ? id : new_plain(s, MS_FLOAT, 0);
}
