/*
** rangeobject.c: range and its iterator (Objects/rangeobject.c): objects
** of a fixed size.  sim:new("range", n) is range(n): its length is o->len
** (list(range(n)) reads it); its start, stop and step ints are not
** modelled (small ones are cached; the stop is its caller's).
*/
#include "objimpl.h"

static uint32_t range_new(ms_Sim *s, int64_t arg) {
  return new_plain(s, MS_RANGE, (uint32_t)arg);
}

static uint32_t rangeiter_new(ms_Sim *s, int64_t arg) {
  (void)arg;
  return new_plain(s, MS_ITERATOR, 0);
}

static size_t range_basicsize(const ms_Profile *p, const ms_Object *o) {
  (void)o;
  return p->range_size;
}

static size_t rangeiter_basicsize(const ms_Profile *p, const ms_Object *o) {
  (void)o;
  return p->range_iter_size;
}

const ms_TypeObject ms_range_type = {
  .tp_name = "range", .tp_flags = TPF_LEN, .tp_new = range_new, .tp_basicsize = range_basicsize,
};

const ms_TypeObject ms_rangeiter_type = {
  .tp_name = "range_iterator", .tp_new = rangeiter_new, .tp_basicsize = rangeiter_basicsize,
};
