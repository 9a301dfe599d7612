/*
** floatobject.c: float (Objects/floatobject.c), with its free list; a
** float made from a value (sim:new("float", 1.5), sim:literal(1.5), or
** arithmetic) keeps it, hashes as _Py_HashDouble and equals ints of the
** same value; one made without (sim:new("float")) equals only itself.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "objimpl.h"

#define FLOAT_VALUE 1                      /* o->cls: o->aux holds the double's bits */

int float_value(const ms_Object *o, double *v) {
  if (o->type != MS_FLOAT || o->cls != FLOAT_VALUE) return 0;
  memcpy(v, &o->aux, sizeof *v);
  return 1;
}

int ms_float_value(const ms_Sim *s, uint32_t id, double *v) { return float_value(&s->objs[id], v); }

static uint32_t set_value(ms_Sim *s, uint32_t id, const double *v) {
  if (id == 0) return 0;
  ms_Object *o = O(s, id);
  if (v) {
    memcpy(&o->aux, v, sizeof *v);
    o->cls = FLOAT_VALUE;
  } else {
    o->aux = 0;
    o->cls = 0;
  }
  return id;
}

/* PyFloat_FromDouble: the free list first */
uint32_t new_float(ms_Sim *s) {
  uint32_t id = unpark(s, s->fl_float, &s->n_float);
  return set_value(s, id ? id : new_plain(s, MS_FLOAT, 0), NULL);
}

uint32_t ms_new_float(ms_Sim *s, double v) {
  uint32_t id = unpark(s, s->fl_float, &s->n_float);
  return set_value(s, id ? id : new_plain(s, MS_FLOAT, 0), &v);
}

/* 1.5 in a function's code: a constant, never allocated; -0.0 is not 0.0 */
uint32_t ms_float_literal(ms_Sim *s, double v) {
  return code_constant(s, set_value(s, static_new(s, MS_FLOAT, 0), &v), 0);
}

/*
** _Py_HashDouble: a finite value's hash is the hash of the rational it
** is, modulo 2^61 - 1 (so 2.0 hashes as 2): the mantissa taken 28 bits
** at a time, then rotated by the exponent.  Infinities are +-314159; NaN
** is its object's address (3.9: 0).
*/
static int64_t hash_double(ms_Sim *s, uint32_t id, double v) {
  const uint64_t modulus = ((uint64_t)1 << 61) - 1;
  if (isinf(v)) return v > 0 ? 314159 : -314159;
  if (isnan(v)) return s->prof->nan_hash_zero ? 0 : hash_pointer(O(s, id)->addr ? O(s, id)->addr : (uint64_t)id << 4);
  int e, sign = 1;
  double m = frexp(v, &e);
  if (m < 0) {
    sign = -1;
    m = -m;
  }
  uint64_t x = 0;
  while (m != 0) {
    x = ((x << 28) & modulus) | x >> (61 - 28);
    m *= 268435456.0;                      /* 2^28 */
    e -= 28;
    uint64_t y = (uint64_t)m;
    m -= (double)y;
    x += y;
    if (x >= modulus) x -= modulus;
  }
  e = e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61);
  x = ((x << e) & modulus) | x >> (61 - e);
  x = sign < 0 ? (uint64_t)0 - x : x;
  if (x == UINT64_MAX) x = UINT64_MAX - 1;   /* -1 is an error in C: -2 */
  return (int64_t)x;
}

/* ====================================================================
** repr(): float_repr and PyOS_double_to_string's buffer
** ==================================================================== */

/*
** repr(v) into OUT (room for 32 characters) as float_repr writes it: the
** shortest digits that read back as v (the first precision of "%.*e" to
** round-trip: the correctly rounded digits, as _Py_dg_dtoa's mode 0
** gives them), an exponent below 1e-4 and from 1e16, ".0" on an integer.
** Returns the bytes format_float_short asks PyMem_Malloc for, its upper
** bound: 3 + the digits with their zero padding (+ 5 for an exponent).
*/
size_t float_repr(double v, char *out) {
  if (isnan(v) || isinf(v)) {
    strcpy(out, isnan(v) ? "nan" : v < 0 ? "-inf" : "inf");
    return 5;
  }
  char e[40], digits[20];
  int p, exp10;
  for (p = 1; p <= 17; p++) {
    snprintf(e, sizeof e, "%.*e", p - 1, fabs(v));
    if (strtod(e, NULL) == fabs(v)) break;
  }
  int dlen = 0;
  for (const char *c = e; *c && *c != 'e'; c++)
    if (*c != '.') digits[dlen++] = *c;
  exp10 = atoi(strchr(e, 'e') + 1);
  int decpt = exp10 + 1, use_exp = decpt <= -4 || decpt > 16, exp = 0;
  if (use_exp) {
    exp = decpt - 1;
    decpt = 1;
  }
  int vstart = decpt <= 0 ? decpt - 1 : 0;
  int vend = dlen > decpt ? dlen : use_exp ? decpt : decpt + 1;   /* ".0" on an integer */
  char *o = out;
  if (signbit(v)) *o++ = '-';
  if (decpt <= 0) {
    for (int k = 0; k < decpt - vstart; k++) *o++ = '0';
    *o++ = '.';
    for (int k = 0; k < -decpt; k++) *o++ = '0';
  }
  if (decpt > 0 && decpt <= dlen) {
    memcpy(o, digits, (size_t)decpt);
    o += decpt;
    *o++ = '.';
    memcpy(o, digits + decpt, (size_t)(dlen - decpt));
    o += dlen - decpt;
  } else {
    memcpy(o, digits, (size_t)dlen);
    o += dlen;
  }
  if (dlen < decpt) {
    for (int k = 0; k < decpt - dlen; k++) *o++ = '0';
    *o++ = '.';
    for (int k = 0; k < vend - decpt; k++) *o++ = '0';
  } else {
    for (int k = 0; k < vend - dlen; k++) *o++ = '0';
  }
  if (o[-1] == '.') o--;
  if (use_exp) o += sprintf(o, "e%+.02d", exp);
  *o = 0;
  return (size_t)(3 + (vend - vstart) + (use_exp ? 5 : 0));
}

/* ====================================================================
** Arithmetic: + - * / // % ** as float_add, float_sub, float_mul,
** float_div, float_floor_div, float_rem, float_pow
** ==================================================================== */

/*
** Each makes one new float (PyFloat_FromDouble: the free list first) from
** its operands' values, an int converted as PyLong_AsDouble converts it;
** / of two ints is long_true_divide, exact while both fit 53 bits.
** What memsim does not model: 3.12's reuse of an operand nothing else
** holds (BINARY_OP_ADD_FLOAT and its kin).
*/
/* float_rem: the remainder takes the divisor's sign; a zero one too */
static double float_mod(double x, double y) {
  double mod = fmod(x, y);
  if (mod != 0) {
    if ((y < 0) != (mod < 0)) mod += y;
  } else {
    mod = copysign(0.0, y);
  }
  return mod;
}

/* float_floor_div (_float_div_mod): (x - mod) / y, floored, kept exact */
static double float_floordiv(double x, double y) {
  double mod = fmod(x, y), div = (x - mod) / y;
  if (mod != 0 && (y < 0) != (mod < 0)) div -= 1.0;
  if (div == 0) return copysign(0.0, x / y);
  double floordiv = floor(div);
  if (div - floordiv > 0.5) floordiv += 1.0;
  return floordiv;
}

/*
** float_pow's answers where memsim has them: C's pow() (CPython calls it
** after its own special cases, which C99's pow() agrees with), errors
** for 0 to a negative power, a negative base to a fractional power (a
** complex number in Python) and a finite result too large.
*/
static int float_pow(ms_Sim *s, double x, double y, double *r) {
  if (x == 0 && y < 0) return sim_error(s, "ZeroDivisionError: 0.0 cannot be raised to a negative power");
  if (x < 0 && isfinite(x) && isfinite(y) && y != floor(y))
    return sim_error(s, "memsim has no complex numbers: a negative number to a fractional power is one");
  *r = pow(x, y);
  if (isinf(*r) && isfinite(x) && isfinite(y)) return sim_error(s, "OverflowError: (34, 'Numerical result out of range')");
  return 0;
}

uint32_t ms_float_binop(ms_Sim *s, uint32_t a, const char *op, uint32_t b) {
  double x, y;
  int64_t ia, ib;
  const ms_Object *oa = O(s, a), *ob = O(s, b);
  int a_float = float_value(oa, &x), b_float = float_value(ob, &y);
  if (!a_float) {
    if (!ms_int_value(s, a, &ia)) goto novalue;
    x = (double)ia;
  }
  if (!b_float) {
    if (!ms_int_value(s, b, &ib)) goto novalue;
    y = (double)ib;
  }
  if (!a_float && !b_float && (llabs(ia) > ((int64_t)1 << 53) || llabs(ib) > ((int64_t)1 << 53)))
    return SIM_FAIL0(s, "int / int past 2^53: memsim does not model long_true_divide's rounding there");
  double r = 0;
  if (strcmp(op, "//") == 0 || (op[0] == '%' && op[1] == 0)) {
    if (y == 0)
      return SIM_FAIL0(s, "ZeroDivisionError: %s", op[0] == '%' ? "float modulo" : "float floor division by zero");
    r = op[0] == '%' ? float_mod(x, y) : float_floordiv(x, y);
    return ms_new_float(s, r);
  }
  if (strcmp(op, "**") == 0) {
    if (float_pow(s, x, y, &r) < 0) return 0;
    return ms_new_float(s, r);
  }
  switch (op[0] == 0 || op[1] != 0 ? 0 : op[0]) {
  case '+': r = x + y; break;
  case '-': r = x - y; break;
  case '*': r = x * y; break;
  case '/':
    if (y == 0)
      return SIM_FAIL0(s, "ZeroDivisionError: %s", a_float || b_float ? "float division by zero" : "division by zero");
    r = x / y;
    break;
  default:
    return SIM_FAIL0(s, "TypeError: memsim has no '%s' for floats (+ - * / // %% **)", op);
  }
  return ms_new_float(s, r);
novalue:
  return SIM_FAIL0(s, "float arithmetic needs values: a float made from one (sim:new(\"float\", 1.5)) and ints made from one");
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

static int64_t float_hash(ms_Sim *s, uint32_t id) {
  double v;
  const ms_Object *o = O(s, id);
  return float_value(o, &v) ? hash_double(s, id, v) : hash_pointer(o->addr ? o->addr : (uint64_t)id << 4);
}

const ms_TypeObject ms_float_type = {
  .tp_name = "float", .tp_new = float_new, .tp_basicsize = float_basicsize,
  .tp_dealloc = float_dealloc, .tp_hash = float_hash,
};
