/*
** longobject.c: int (Objects/longobject.c).  The small-int cache, and
** ints of as many 30-bit digits as their value needs.  3.14 keeps up to
** 100 freed compact ints (one digit) for reuse (_PyLong_FromMedium pops
** the free list; _PyLong_ExactDealloc pushes compact ints on it).
*/
#include <math.h>
#include <string.h>

#include "objimpl.h"

/*
** An int made from a value keeps it (o->aux, which an int never needs
** for a second allocation; o->cls = INT_VALUE): equal ints are equal
** keys and hash as CPython's do.  An int made by its digit count alone
** ({digits = k}, the result of arithmetic memsim does not compute) has
** no value here: it equals only itself and hashes by address.
*/
#define INT_VALUE 1
#define INT_WIDE 2                         /* the value needs more than 64 bits: an __int128 at o->body */

typedef __int128 i128;
typedef unsigned __int128 u128;

static int value_of(const ms_Object *o, i128 *v) {
  if (o->cls == INT_VALUE) *v = (int64_t)o->aux;
  else if (o->cls == INT_WIDE) memcpy(v, o->body, sizeof *v);
  else return 0;
  return 1;
}

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

/*
** _PyLong_New(SIZE): offsetof(ob_digit) + 4 bytes a digit, one at least;
** not the medium int's request (3.11 on: sizeof(PyLongObject), 32): a
** block for digits, as long_to_decimal_string's scratch.  No value.
*/
uint32_t long_new_digits(ms_Sim *s, uint32_t size) {
  ms_Object tmp = {.type = MS_INT, .len = size, .cap = size ? size : 1};
  return without_value(s, new_plain_like(s, &tmp));
}

/* an int's (or a bool's) value, when it knows it */
int long_value(const ms_Object *o, __int128 *v) { return value_of(o, v); }

int ms_int_value(const ms_Sim *s, uint32_t id, int64_t *v) {
  const ms_Object *o = &s->objs[id];
  if (o->type != MS_INT || o->cls != INT_VALUE) return 0;
  *v = (int64_t)o->aux;
  return 1;
}

/* ====================================================================
** Arithmetic: +, -, *, << as long_add, long_sub, long_mul, long_lshift
** ==================================================================== */

/*
** What each allocates (3.9 to 3.13 alike): two ints of one digit or
** none (|v| < 2^30) give an exactly sized result (_PyLong_FromSTwoDigits,
** a cached small int when it is one).  Otherwise:
**   x_add      a block of max(na, nb) + 1 digits, the result normalised
**              in it (getsizeof counts the digits kept, the block keeps
**              its size)
**   x_sub      a block of the larger's digits, or, for equal sizes, up to
**              the highest digit where they differ; a small result
**              (maybe_small_long) is the cached int, the block freed
**   x_mul      na + nb digits (Karatsuba from 70 digits: past memsim's
**              128-bit values, so never reached here)
**   lshift     n + shift / 30 digits, one more when shift % 30 != 0;
**              a one-digit int shifted by less than 30 bits is exact
** memsim keeps values up to 127 bits; a result past that, or an
** operand made by digit count alone, is an error.
*/
#define DIGIT_BITS 30

static u128 magnitude(i128 v) { return v < 0 ? (u128)0 - (u128)v : (u128)v; }

static uint32_t ndigits128(u128 m) {
  uint32_t n = 0;
  while (m) {
    n++;
    m >>= DIGIT_BITS;
  }
  return n;
}

static uint32_t digit_of(u128 m, uint32_t i) { return (uint32_t)((m >> (DIGIT_BITS * i)) & 0x3fffffff); }

/*
** The magnitude of an int made from a value, wide ones too, in BASE (2,
** 8, 10 or 16; hex digits in upper case with UPPER) into OUT (room for
** 130 bytes): its length, or -1 for an int without a value.  *NEG: the
** sign; *DIGITS: how many 30-bit digits it has (long_to_decimal_string's
** scratch is sized from them).
*/
int ms_int_digits(const ms_Sim *s, uint32_t id, int base, int upper, char *out, int *neg, uint32_t *digits) {
  i128 v;
  if (s->objs[id].type != MS_INT || !value_of(&s->objs[id], &v)) return -1;
  u128 m = magnitude(v);
  *neg = v < 0;
  *digits = ndigits128(m);
  char rev[130];
  int n = 0;
  do {
    int d = (int)(m % (unsigned)base);
    rev[n++] = (char)(d < 10 ? '0' + d : (upper ? 'A' : 'a') + d - 10);
    m /= (unsigned)base;
  } while (m);
  for (int k = 0; k < n; k++) out[k] = rev[n - 1 - k];
  out[n] = 0;
  return n;
}

/* the decimal text of an int made from a value, its sign included, into BUF (41 bytes) */
int ms_int_decimal(const ms_Sim *s, uint32_t id, char *buf, uint32_t *digits) {
  int neg;
  int n = ms_int_digits(s, id, 10, 0, buf + 1, &neg, digits);
  if (n < 0) return -1;
  if (!neg) memmove(buf, buf + 1, (size_t)n + 1);
  else buf[0] = '-';
  return n + neg;
}

static int is_medium(i128 v) { return magnitude(v) < ((u128)1 << DIGIT_BITS); }

/* an int of value V in a block of ALLOC digits (0: sized exactly, the medium path) */
static uint32_t int_result(ms_Sim *s, i128 v, uint32_t alloc) {
  if (alloc == 0 && v >= s->prof->small_int_min && v <= s->prof->small_int_max) return small_int(s, (int64_t)v);
  uint32_t n = ndigits128(magnitude(v));
  uint32_t id;
  if (alloc == 0 && n <= 1 && s->n_int > 0) {
    id = unpark(s, s->fl_int, &s->n_int);
  } else {
    ms_Object tmp = {.type = MS_INT, .len = n, .cap = alloc};
    id = new_plain_like(s, &tmp);
  }
  if (id == 0) return 0;
  if (v >= INT64_MIN && v <= INT64_MAX) return with_value(s, id, (int64_t)v);
  i128 *w = ms_xmalloc(sizeof *w);
  *w = v;
  O(s, id)->body = w;
  O(s, id)->cls = INT_WIDE;
  return id;
}

/* maybe_small_long: a small result is the cached int; the block made for it is freed */
static uint32_t maybe_small(ms_Sim *s, i128 v, uint32_t alloc) {
  if (v < s->prof->small_int_min || v > s->prof->small_int_max) return int_result(s, v, alloc);
  ms_Object tmp = {.type = MS_INT, .len = 1, .cap = alloc ? alloc : 1};
  uint32_t z = new_plain_like(s, &tmp);
  if (z == 0) return 0;
  obj_release(s, z);
  return small_int(s, (int64_t)v);
}

/*
** PyLong_FromString's result: a block of SIZE digits (_PyLong_New), the
** value V normalised in it; a small value is the cached int, the block
** freed (maybe_small_long).
*/
uint32_t long_from_digits_block(ms_Sim *s, i128 v, uint32_t size) {
  if (magnitude(v) >> 126) return SIM_FAIL0(s, "OverflowError: memsim's ints keep values below 2^126 in magnitude");
  return maybe_small(s, v, size);
}

static uint32_t bitlen(u128 m) {
  uint32_t n = 0;
  while (m) {
    n++;
    m >>= 1;
  }
  return n;
}

static int wide_enough(ms_Sim *s, u128 bound) {
  if (bound >> 126) return sim_error(s, "OverflowError: memsim's ints keep values below 2^126 in magnitude");
  return 0;
}

/* x_add's block: the larger size + 1 */
static uint32_t add_block(u128 a, u128 b) {
  uint32_t na = ndigits128(a), nb = ndigits128(b);
  return (na > nb ? na : nb) + 1;
}

/* x_sub's block: see above; 0 when the magnitudes are equal (PyLong_FromLong(0)) */
static uint32_t sub_block(u128 a, u128 b) {
  uint32_t na = ndigits128(a), nb = ndigits128(b);
  if (na != nb) return na > nb ? na : nb;
  int i = (int)na;
  while (--i >= 0 && digit_of(a, (uint32_t)i) == digit_of(b, (uint32_t)i)) {}
  return (uint32_t)(i + 1);
}

/*
** a // b and a % b (long_div, long_mod).  Both of one digit (or 0):
** fast_floor_div and fast_mod, one PyLong_FromLong.  A dividend smaller
** than a divisor of more digits, both not negative: long_divrem's early
** way out, 0 and A itself.  Other multi-digit cases (divrem1, x_divrem and
** l_divmod's sign corrections, which differ between versions) are not
** modelled: an error says so.
*/
static uint32_t int_divmod(ms_Sim *s, uint32_t a, i128 va, i128 vb, int mod) {
  if (vb == 0) return SIM_FAIL0(s, "ZeroDivisionError: integer division or modulo by zero");
  i128 q = va / vb, r = va % vb;
  if (r != 0 && ((r < 0) != (vb < 0))) {  /* Python's division floors */
    q -= 1;
    r += vb;
  }
  if (is_medium(va) && is_medium(vb)) return int_result(s, mod ? r : q, 0);
  if (va >= 0 && vb > 0 && ndigits128(magnitude(va)) < ndigits128(magnitude(vb))) {
    if (!mod) return small_int(s, 0);
    O(s, a)->refcnt++;                     /* long_divrem: *prem = a */
    return a;
  }
  return SIM_FAIL0(s, "memsim models // and %% of ints below 2^30 in magnitude (one digit), or of a "
                      "smaller dividend; CPython's divrem1 and x_divrem are not modelled");
}

/* MULT(x, y, z) of long_pow: the product made, then the old Z dropped */
static int pow_mult(ms_Sim *s, uint32_t x, uint32_t y, uint32_t *z) {
  uint32_t t = ms_int_binop(s, x, "*", y);
  if (t == 0) {                            /* an error: z dropped too */
    ms_decref(s, *z);
    return -1;
  }
  ms_decref(s, *z);
  *z = t;
  return 0;
}

/*
** a ** b (long_pow).  A negative exponent is float_pow's (one float).
** Otherwise the products long_pow makes, each through long_mul, the one
** before dropped: 3.9 and 3.10 start from z = 1 and, for every bit of the
** exponent from bit 29 down, square z and multiply it by a where the bit
** is set (1 * 1 is the cached 1: nothing allocated until the first set
** bit); 3.11 on multiply directly for exponents 0 to 3 (x**1 is 1 * x, a
** new int) and otherwise start from z = a at the exponent's top bit.
** |a| <= 1 gives small ints all the way.
*/
static uint32_t int_pow(ms_Sim *s, uint32_t a, i128 va, i128 vb) {
  if (vb < 0) {
    if (va == 0) return SIM_FAIL0(s, "ZeroDivisionError: 0.0 cannot be raised to a negative power");
    return ms_new_float(s, pow((double)va, (double)vb));
  }
  u128 ma = magnitude(va);
  if (ma <= 1) {
    i128 r = ma == 0 ? (vb == 0) : (va < 0 && (vb & 1)) ? -1 : 1;
    return small_int(s, (int64_t)r);
  }
  if (vb >= 126 || (i128)bitlen(ma) * vb >= 126)   /* every product within long_mul's bound */
    return SIM_FAIL0(s, "OverflowError: memsim's ints keep values below 2^126 in magnitude");
  uint32_t e = (uint32_t)vb;               /* below 63 here: |a| >= 2 */
  uint32_t z = small_int(s, 1);
  if (s->prof->int_pow_small_exp && e <= 3) {
    if (e == 1 && pow_mult(s, a, z, &z) < 0) return 0;
    if (e >= 2 && pow_mult(s, a, a, &z) < 0) return 0;
    if (e == 3 && pow_mult(s, z, a, &z) < 0) return 0;
    return z;
  }
  int top = 29;
  if (s->prof->int_pow_small_exp) {        /* z = a at the top bit */
    ms_decref(s, z);
    O(s, a)->refcnt++;
    z = a;
    top = 31 - __builtin_clz(e) - 1;
  }
  for (int bit = top; bit >= 0; bit--) {
    if (pow_mult(s, z, z, &z) < 0) return 0;
    if ((e >> bit) & 1 && pow_mult(s, z, a, &z) < 0) return 0;
  }
  return z;
}

/*
** -a (long_neg): a one-digit int through PyLong_FromLong (the small ints
** cached), a longer one copied (_PyLong_Copy: its own digits) with the
** sign flipped.  abs(a) (long_abs): a itself when not negative.
*/
uint32_t ms_int_neg(ms_Sim *s, uint32_t a) {
  i128 v;
  if (!value_of(O(s, a), &v))
    return SIM_FAIL0(s, "memsim does arithmetic on ints made from a value; this one was made by digit count");
  return int_result(s, -v, 0);
}

uint32_t ms_int_abs(ms_Sim *s, uint32_t a) {
  i128 v;
  if (!value_of(O(s, a), &v))
    return SIM_FAIL0(s, "memsim does arithmetic on ints made from a value; this one was made by digit count");
  if (v < 0) return int_result(s, -v, 0);
  O(s, a)->refcnt++;                       /* long_long: the same int */
  return a;
}

/* PyLong_FromDouble(D): D's integer part, sized exactly (the small ints cached) */
uint32_t ms_int_from_double(ms_Sim *s, double d) {
  if (isnan(d)) return SIM_FAIL0(s, "ValueError: cannot convert float NaN to integer");
  if (isinf(d)) return SIM_FAIL0(s, "OverflowError: cannot convert float infinity to integer");
  d = trunc(d);
  if (fabs(d) >= 0x1p126) return SIM_FAIL0(s, "OverflowError: memsim's ints keep values below 2^126 in magnitude");
  return int_result(s, (i128)d, 0);
}

/* an int's value as a double (PyLong_AsDouble, correctly rounded); 0 without one */
int long_as_double(const ms_Object *o, double *d) {
  i128 v;
  if (!value_of(o, &v)) return 0;
  *d = (double)v;
  return 1;
}

uint32_t ms_int_binop(ms_Sim *s, uint32_t a, const char *op, uint32_t b) {
  ms_Object *x = O(s, a), *y = O(s, b);
  i128 va, vb;
  if (x->type != MS_INT || y->type != MS_INT)
    return SIM_FAIL0(s, "TypeError: unsupported operand type(s) for %s: '%s' and '%s'", op, ms_type_name(x->type),
                     ms_type_name(y->type));
  if (!value_of(x, &va) || !value_of(y, &vb))
    return SIM_FAIL0(s, "memsim does arithmetic on ints made from a value; this one was made by digit count");
  u128 ma = magnitude(va), mb = magnitude(vb);
  if (strcmp(op, "+") == 0 || strcmp(op, "-") == 0) {
    if (wide_enough(s, ma) < 0 || wide_enough(s, mb) < 0) return 0;
    int sub = op[0] == '-';
    i128 r = sub ? va - vb : va + vb;
    if (is_medium(va) && is_medium(vb)) return int_result(s, r, 0);
    int same_sign = (va < 0) == (vb < 0);
    if (same_sign != sub) return int_result(s, r, add_block(ma, mb));   /* x_add */
    uint32_t block = sub_block(ma, mb);                                  /* x_sub */
    return block == 0 ? small_int(s, 0) : maybe_small(s, r, block);
  }
  if (strcmp(op, "*") == 0) {
    if (bitlen(ma) + bitlen(mb) >= 126) return SIM_FAIL0(s, "OverflowError: memsim's ints keep values below 2^126 in magnitude");
    i128 r = va * vb;
    if (is_medium(va) && is_medium(vb)) return int_result(s, r, 0);
    if (ma == 0 || mb == 0) return small_int(s, 0);                      /* k_mul: asize == 0 */
    return int_result(s, r, ndigits128(ma) + ndigits128(mb));            /* x_mul */
  }
  if (strcmp(op, "<<") == 0) {
    if (vb < 0) return SIM_FAIL0(s, "ValueError: negative shift count");
    if (va == 0) return small_int(s, 0);
    if ((i128)bitlen(ma) + vb >= 126) return SIM_FAIL0(s, "OverflowError: memsim's ints keep values below 2^126 in magnitude");
    i128 r = va < 0 ? -(i128)(ma << vb) : (i128)(ma << vb);
    uint32_t wordshift = (uint32_t)(vb / DIGIT_BITS), remshift = (uint32_t)(vb % DIGIT_BITS);
    if (wordshift == 0 && is_medium(va)) return int_result(s, r, 0);
    return maybe_small(s, r, ndigits128(ma) + wordshift + (remshift != 0));
  }
  if (strcmp(op, "//") == 0 || strcmp(op, "%") == 0) return int_divmod(s, a, va, vb, op[0] == '%');
  if (strcmp(op, "**") == 0) return int_pow(s, a, va, vb);
  return SIM_FAIL0(s, "unknown operator '%s' (+, -, *, //, %%, **, <<)", op);
}

/* ====================================================================
** The type
** ==================================================================== */

static uint32_t long_new(ms_Sim *s, int64_t v) { return ms_new_int(s, v); }

/* one digit or none: the medium-int request; more: offsetof(ob_digit) + 4
   each; o->cap, when set, the digits _PyLong_New allocated (x_add's one
   more than the result keeps) */
static size_t long_basicsize(const ms_Profile *p, const ms_Object *o) {
  if (o->cap) return p->int_base + 4 * (size_t)o->cap;
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
  if (O(s, id)->cls == INT_WIDE) {
    ms_xfree(O(s, id)->body);
    O(s, id)->body = NULL;
    O(s, id)->cls = 0;
  }
  if (O(s, id)->len != 1 || s->prof->int_freelist == 0) return 0;
  return park(s, id, &s->fl_int, &s->n_int, s->prof->int_freelist);
}

static int64_t long_hash(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  i128 v;
  return value_of(o, &v) ? hash_int(v) : hash_pointer(o->addr);
}

static int long_equal(ms_Sim *s, uint32_t a, uint32_t b) {
  i128 x, y;
  return value_of(O(s, a), &x) && value_of(O(s, b), &y) && x == y;
}

static int long_less(ms_Sim *s, uint32_t a, uint32_t b) {
  i128 x, y;
  if (!value_of(O(s, a), &x) || !value_of(O(s, b), &y)) return -1;
  return x < y;
}

const ms_TypeObject ms_long_type = {
  .tp_name = "int", .tp_new = long_new, .tp_basicsize = long_basicsize, .tp_sizeof = long_sizeof,
  .tp_dealloc = long_dealloc, .tp_hash = long_hash, .tp_equal = long_equal, .tp_less = long_less,
};

/* ====================================================================
** bool: True and False, static ints of one digit and none
** ==================================================================== */

uint32_t ms_bool(ms_Sim *s, int value) {
  uint32_t *slot = &s->bools[value != 0];
  if (*slot == 0) *slot = with_value(s, static_new(s, MS_BOOL, value != 0), value != 0);
  O(s, *slot)->refcnt++;
  return *slot;
}

uint32_t ms_bool_id(const ms_Sim *s, int value) { return s->bools[value != 0]; }

static size_t bool_basicsize(const ms_Profile *p, const ms_Object *o) {
  (void)p;
  (void)o;
  return 0;                                /* static: never allocated */
}

const ms_TypeObject ms_bool_type = {
  .tp_name = "bool", .tp_basicsize = bool_basicsize, .tp_sizeof = long_sizeof,
  .tp_hash = long_hash, .tp_equal = long_equal, .tp_less = long_less,
};
