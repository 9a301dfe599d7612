/*
** pyhash.c: hash values as CPython computes them (Python/pyhash.c,
** Include/internal/pycore_pyhash.h), and the generic hash and equality
** of keys (PyObject_Hash, PyObject_RichCompareBool(.., Py_EQ)).
**
** Why memsim needs real hashes: where a key lands in a set's table
** decides whether adding it reuses a dummy slot or fills a fresh one,
** and fill decides when the table grows.  Hashing by object identity
** gave a set that churned equal ints a quarter of CPython's table.
**
**   str, bytes   SipHash over the characters as stored (1, 2 or 4 bytes
**                each, PEP 393), keyed by the hash secret; 3.9 and 3.10
**                use SipHash-2-4, 3.11 on SipHash-1-3 (the profile's
**                `siphash`).  The empty string hashes to 0.
**   int          the value modulo 2^61 - 1, sign kept (long_hash)
**   tuple        xxHash-like mix of its items' hashes (tuplehash)
**   the rest     the address rotated right by 4 bits (_Py_HashPointer):
**                instances, floats and strings made by length only,
**                whose values memsim does not know
** Every hash of -1 becomes -2: -1 is CPython's error return.
**
** The secret: PYTHONHASHSEED=0 zeroes it (hash randomisation off); a
** seed N fills it with lcg_urandom(N), the linear congruential
** generator CPython uses for a fixed seed.  memsim's `hash_seed` is
** PYTHONHASHSEED; it is 0 unless a script asks for another.
*/
#include <string.h>

#include <math.h>

#include "objimpl.h"

/* ====================================================================
** SipHash (Aumasson and Bernstein), c compression and d final rounds
** ==================================================================== */

static inline uint64_t rotl64(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

#define SIP_ROUND(v0, v1, v2, v3)                                                 \
  do {                                                                            \
    v0 += v1; v1 = rotl64(v1, 13); v1 ^= v0; v0 = rotl64(v0, 32);                 \
    v2 += v3; v3 = rotl64(v3, 16); v3 ^= v2;                                      \
    v0 += v3; v3 = rotl64(v3, 21); v3 ^= v0;                                      \
    v2 += v1; v1 = rotl64(v1, 17); v1 ^= v2; v2 = rotl64(v2, 32);                 \
  } while (0)

static uint64_t load_le64(const unsigned char *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}

static uint64_t siphash(int c, int d, uint64_t k0, uint64_t k1, const void *src, size_t n) {
  const unsigned char *p = src;
  uint64_t v0 = k0 ^ 0x736f6d6570736575ULL, v1 = k1 ^ 0x646f72616e646f6dULL;
  uint64_t v2 = k0 ^ 0x6c7967656e657261ULL, v3 = k1 ^ 0x7465646279746573ULL;
  uint64_t last = (uint64_t)n << 56;
  size_t whole = n & ~(size_t)7;
  for (size_t i = 0; i < whole; i += 8) {
    uint64_t m = load_le64(p + i);
    v3 ^= m;
    for (int r = 0; r < c; r++) SIP_ROUND(v0, v1, v2, v3);
    v0 ^= m;
  }
  for (size_t i = whole; i < n; i++) last |= (uint64_t)p[i] << (8 * (i - whole));
  v3 ^= last;
  for (int r = 0; r < c; r++) SIP_ROUND(v0, v1, v2, v3);
  v0 ^= last;
  v2 ^= 0xff;
  for (int r = 0; r < d; r++) SIP_ROUND(v0, v1, v2, v3);
  return v0 ^ v1 ^ v2 ^ v3;
}

/* _Py_HashSecret from PYTHONHASHSEED: zero for 0, else lcg_urandom(seed) */
void hash_secret_init(ms_Sim *s, uint32_t seed) {
  unsigned char secret[16] = {0};
  uint32_t x = seed;
  if (seed != 0)
    for (int i = 0; i < 16; i++) {
      x = x * 214013u + 2531011u;
      secret[i] = (unsigned char)((x >> 16) & 0xff);
    }
  s->hash_k0 = load_le64(secret);
  s->hash_k1 = load_le64(secret + 8);
}

static int64_t not_minus_one(int64_t h) { return h == -1 ? -2 : h; }

/* _Py_HashBytes */
int64_t hash_bytes(ms_Sim *s, const void *data, size_t n) {
  if (n == 0) return 0;
  int c = s->prof->siphash == 24 ? 2 : 1, d = s->prof->siphash == 24 ? 4 : 3;
  return not_minus_one((int64_t)siphash(c, d, s->hash_k0, s->hash_k1, data, n));
}

/* _Py_HashPointer: the address, its 4 low (always zero) bits rotated away */
int64_t hash_pointer(uint64_t addr) { return not_minus_one((int64_t)((addr >> 4) | (addr << 60))); }

/* long_hash: |v| mod (2^61 - 1), sign kept (memsim's ints reach 126 bits) */
int64_t hash_int(__int128 v) {
  const unsigned __int128 modulus = ((unsigned __int128)1 << 61) - 1;
  unsigned __int128 m = v < 0 ? (unsigned __int128)0 - (unsigned __int128)v : (unsigned __int128)v;
  int64_t h = (int64_t)(m % modulus);
  return not_minus_one(v < 0 ? -h : h);
}

/* ====================================================================
** PyObject_Hash and equality
** ==================================================================== */

/* the hash of one object that is not a tuple (tuples: tuple_hash) */
static int64_t hash_leaf(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  const ms_TypeObject *t = TYPE(o);
  if (t->tp_hash) return t->tp_hash(s, id);
  return hash_pointer(o->addr ? o->addr : (uint64_t)id << 4);   /* a static object: its record */
}

/*
** tuplehash, walked with a stack of our own (a script may nest tuples
** deeper than the C stack goes): each tuple's accumulator is finished
** when its last item is hashed, and becomes a lane of its parent.
*/
#define XXPRIME_1 11400714785074694791ULL
#define XXPRIME_2 14029467366897019727ULL
#define XXPRIME_5 2870177450012600261ULL

typedef struct HashFrame {
  uint32_t id, pos;
  uint64_t acc;
} HashFrame;

static uint64_t tuple_lane(uint64_t acc, uint64_t lane) {
  acc += lane * XXPRIME_2;
  acc = rotl64(acc, 31);
  return acc * XXPRIME_1;
}

static uint64_t tuple_finish(uint64_t acc, uint32_t len) {
  acc += (uint64_t)len ^ (XXPRIME_5 ^ 3527539ULL);
  return acc == UINT64_MAX ? 1546275796ULL : acc;
}

int64_t obj_hash(ms_Sim *s, uint32_t id) {
  if (O(s, id)->type != MS_TUPLE) return hash_leaf(s, id);
  HashFrame *stack = NULL;
  size_t n = 0, cap = 0;
  uint64_t result = 0;
  uint32_t cur = id;
  for (;;) {
    if (n == cap) stack = ms_xrealloc(stack, (cap = cap ? 2 * cap : 8) * sizeof *stack);
    stack[n++] = (HashFrame){cur, 0, XXPRIME_5};
    for (;;) {                             /* run the top frame until it needs a sub-tuple */
      HashFrame *f = &stack[n - 1];
      ms_Object *t = O(s, f->id);
      const uint32_t *items = t->body;
      cur = 0;
      while (f->pos < t->len) {
        uint32_t item = items[f->pos];
        if (item != 0 && O(s, item)->type == MS_TUPLE) {
          cur = item;
          break;
        }
        f->acc = tuple_lane(f->acc, (uint64_t)(item ? hash_leaf(s, item) : 0));
        f->pos++;
      }
      if (cur) break;                      /* descend */
      uint64_t h = tuple_finish(f->acc, t->len);
      n--;
      if (n == 0) {
        result = h;
        goto done;
      }
      stack[n - 1].acc = tuple_lane(stack[n - 1].acc, h);
      stack[n - 1].pos++;
    }
  }
done:
  ms_xfree(stack);
  return (int64_t)result;
}

/*
** a == b as a dict or set compares keys: the same object, or of the same
** type with equal values (ints, strs and bytes that know theirs; tuples
** item by item); numbers across types by value, exactly, as
** float_richcompare does (1 == 1.0 == True).
*/
static int int_like(const ms_Object *o) { return o->type == MS_INT || o->type == MS_BOOL; }

/*
** A float against an int, exactly (no rounding of the int): -1, 0, 1, or
** 2 for NaN, which is unordered.
*/
static int cmp_double_int(double d, __int128 v) {
  if (isnan(d)) return 2;
  if (d >= 0x1p127) return 1;              /* past every __int128 */
  if (d < -0x1p127) return -1;
  double f = floor(d);
  __int128 fi = (__int128)f;
  if (fi < v) return -1;                   /* d < f + 1 <= v */
  if (fi > v) return 1;
  return d > f ? 1 : 0;
}

/* a number that knows its value: 1 an int (in *I), 2 a float (in *D), 0 not */
static int number_of(const ms_Object *o, __int128 *i, double *d) {
  if (int_like(o)) return long_value(o, i) ? 1 : 0;
  return float_value(o, d) ? 2 : 0;
}

/* a <=> b for two numbers, one of them a float: -1, 0, 1, 2 unordered; -3 not both numbers */
static int cmp_numbers(const ms_Object *x, const ms_Object *y) {
  __int128 ix, iy;
  double dx, dy;
  int kx = number_of(x, &ix, &dx), ky = number_of(y, &iy, &dy);
  if (kx == 0 || ky == 0) return -3;
  if (kx == 2 && ky == 2) return isnan(dx) || isnan(dy) ? 2 : dx < dy ? -1 : dx > dy;
  if (kx == 2) return cmp_double_int(dx, iy);
  int c = cmp_double_int(dy, ix);
  return c == 2 ? 2 : -c;
}

static int equal_leaf(ms_Sim *s, uint32_t a, uint32_t b) {
  if (a == b) return 1;
  if (a == 0 || b == 0) return 0;
  ms_Object *x = O(s, a), *y = O(s, b);
  if (x->type != y->type && int_like(x) && int_like(y)) return ms_long_type.tp_equal(s, a, b);   /* True == 1 */
  if (x->type == MS_FLOAT || y->type == MS_FLOAT) return cmp_numbers(x, y) == 0;
  if (x->type != y->type || TYPE(x)->tp_equal == NULL) return 0;
  return TYPE(x)->tp_equal(s, a, b);
}

int obj_equal(ms_Sim *s, uint32_t a, uint32_t b) {
  if (a == b) return 1;
  if (O(s, a)->type != MS_TUPLE || O(s, b)->type != MS_TUPLE) return equal_leaf(s, a, b);
  uint32_t *stack = NULL;                  /* pairs still to compare */
  size_t n = 0, cap = 0;
  int eq = 1;
  uint32_t x = a, y = b;
  for (;;) {
    ms_Object *tx = O(s, x), *ty = O(s, y);
    if (tx->len != ty->len) {
      eq = 0;
      break;
    }
    const uint32_t *ix = tx->body, *iy = ty->body;
    for (uint32_t i = 0; i < tx->len && eq; i++) {
      uint32_t p = ix[i], q = iy[i];
      if (p == q) continue;
      if (p && q && O(s, p)->type == MS_TUPLE && O(s, q)->type == MS_TUPLE) {
        if (n + 2 > cap) stack = ms_xrealloc(stack, (cap = cap ? 2 * cap : 16) * sizeof *stack);
        stack[n++] = p;
        stack[n++] = q;
      } else {
        eq = equal_leaf(s, p, q);
      }
    }
    if (!eq || n == 0) break;
    y = stack[--n];
    x = stack[--n];
  }
  ms_xfree(stack);
  return eq;
}

/* hash(o): a TypeError for an unhashable object (or a tuple holding one) */
int ms_hash(ms_Sim *s, uint32_t id, int64_t *h) {
  if (obj_check_hashable(s, id) < 0) return -1;
  *h = obj_hash(s, id);
  return 0;
}

/* a < b as list.sort compares: same type, values known; else the TypeError */
int obj_less(ms_Sim *s, uint32_t a, uint32_t b) {
  ms_Object *x = O(s, a), *y = O(s, b);
  if (x->type == MS_FLOAT || y->type == MS_FLOAT) {
    int c = cmp_numbers(x, y);
    if (c == -3)
      return sim_error(s, "TypeError: '<' not supported between instances of '%s' and '%s' (or a float made without a value)",
                       TYPE(x)->tp_name, TYPE(y)->tp_name);
    return c == -1;
  }
  if (x->type != y->type && int_like(x) && int_like(y)) {
    int r = ms_long_type.tp_less(s, a, b);
    return r < 0 ? sim_error(s, "TypeError: memsim compares ints that know their values") : r;
  }
  if (x->type != y->type || TYPE(x)->tp_less == NULL)
    return sim_error(s, "TypeError: '<' not supported between instances of '%s' and '%s'", TYPE(x)->tp_name,
                     TYPE(y)->tp_name);
  int r = TYPE(x)->tp_less(s, a, b);
  if (r < 0)
    return sim_error(s, "TypeError: memsim compares %ss that know their values (made from a value or "
                        "text), not ones made by size", TYPE(x)->tp_name);
  return r;
}
