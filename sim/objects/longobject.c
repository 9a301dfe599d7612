/*
** longobject.c: int (Objects/longobject.c).  The small-int cache, and
** ints of as many 30-bit digits as their value needs.  3.14 keeps up to
** 100 freed compact ints (one digit) for reuse (_PyLong_FromMedium pops
** the free list; _PyLong_ExactDealloc pushes compact ints on it).
*/
#include "objimpl.h"

/*
** An int made from a value keeps it (o->aux, which an int never needs
** for a second allocation; o->cls = INT_VALUE): equal ints are equal
** keys and hash as CPython's do.  An int made by its digit count alone
** ({digits = k}, the result of arithmetic memsim does not compute) has
** no value here: it equals only itself and hashes by address.
*/
#define INT_VALUE 1

static uint32_t with_value(ms_Sim *s, uint32_t id, int64_t v) {
  if (id == 0) return 0;
  O(s, id)->aux = (uint64_t)v;
  O(s, id)->cls = INT_VALUE;
  return id;
}

static uint32_t small_int(ms_Sim *s, int64_t v) {
  uint32_t *slot = &s->small_ints[v - s->prof->small_int_min];
  if (*slot == 0) *slot = with_value(s, static_new(s, MS_INT, v == 0 ? 0 : 1), v);
  O(s, *slot)->refcnt++;
  return *slot;
}

/* digits of |v| in base 2^30 */
static uint32_t ndigits_of(int64_t v) {
  uint64_t m = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
  uint32_t n = 0;
  while (m) {
    n++;
    m >>= 30;
  }
  return n;
}

uint32_t ms_new_int(ms_Sim *s, int64_t v) {
  if (v >= s->prof->small_int_min && v <= s->prof->small_int_max) return small_int(s, v);
  uint32_t n = ndigits_of(v);
  if (n == 1 && s->n_int > 0) return with_value(s, unpark(s, s->fl_int, &s->n_int), v);
  return with_value(s, new_plain(s, MS_INT, n), v);
}

/* 1000 in a function's code: a constant, never allocated (co_consts) */
uint32_t ms_int_literal(ms_Sim *s, int64_t v) {
  if (v >= s->prof->small_int_min && v <= s->prof->small_int_max) return small_int(s, v);
  return code_constant(s, with_value(s, static_new(s, MS_INT, ndigits_of(v)), v), 0);
}

static uint32_t without_value(ms_Sim *s, uint32_t id) {
  if (id == 0) return 0;
  O(s, id)->aux = 0;
  O(s, id)->cls = 0;
  return id;
}

uint32_t ms_new_bigint(ms_Sim *s, uint32_t ndigits) {
  if (ndigits == 0) return small_int(s, 0);
  if (ndigits == 1 && s->n_int > 0) return without_value(s, unpark(s, s->fl_int, &s->n_int));
  return without_value(s, new_plain(s, MS_INT, ndigits));
}

int ms_int_value(const ms_Sim *s, uint32_t id, int64_t *v) {
  const ms_Object *o = &s->objs[id];
  if (o->type != MS_INT || o->cls != INT_VALUE) return 0;
  *v = (int64_t)o->aux;
  return 1;
}

/* ====================================================================
** The type
** ==================================================================== */

static uint32_t long_new(ms_Sim *s, int64_t v) { return ms_new_int(s, v); }

/* one digit or none: the medium-int request; more: offsetof(ob_digit) + 4 each */
static size_t long_basicsize(const ms_Profile *p, const ms_Object *o) {
  return o->len <= 1 ? p->int_medium : p->int_base + 4 * (size_t)o->len;
}

/* int___sizeof__: the digits the value has, not the ones allocated; 3.11
   counts one digit at least (0 has none), 3.10 did not */
static int64_t long_sizeof(const ms_Profile *p, const ms_Object *o) {
  uint32_t digits = o->len > p->int_sizeof_min_digits ? o->len : p->int_sizeof_min_digits;
  return p->int_base + 4 * (int64_t)digits;
}

/* long_dealloc: a compact int to the free list while it has room (3.14) */
static int long_dealloc(ms_Sim *s, uint32_t id) {
  if (O(s, id)->len != 1 || s->prof->int_freelist == 0) return 0;
  return park(s, id, &s->fl_int, &s->n_int, s->prof->int_freelist);
}

static int64_t long_hash(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  return o->cls == INT_VALUE ? hash_int((int64_t)o->aux) : hash_pointer(o->addr);
}

static int long_equal(ms_Sim *s, uint32_t a, uint32_t b) {
  ms_Object *x = O(s, a), *y = O(s, b);
  return x->cls == INT_VALUE && y->cls == INT_VALUE && x->aux == y->aux;
}

const ms_TypeObject ms_long_type = {
  .tp_name = "int", .tp_new = long_new, .tp_basicsize = long_basicsize, .tp_sizeof = long_sizeof,
  .tp_dealloc = long_dealloc, .tp_hash = long_hash, .tp_equal = long_equal,
};
