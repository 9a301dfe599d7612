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
** PyOS_double_to_string: the text of a float and the buffer behind it
** ==================================================================== */

/*
** _Py_dg_dtoa's digits of A (finite, not negative) into DIGITS (room for
** 440), trailing zeros stripped, and *DECPT, where the decimal point goes
** (0.DIGITS times 10^DECPT).  Mode 0: the shortest that reads back (the
** first precision of "%.*e" that does); mode 2: NDIGITS significant ones;
** mode 3: NDIGITS after the point, none at all when that rounds to zero
** (*DECPT = -NDIGITS then).  glibc's printf rounds as dtoa does: the exact
** binary value, half to even.
*/
static int dtoa_digits(double a, int mode, int ndigits, char *digits, int *decpt) {
  char t[480];
  int n = 0;
  if (a == 0) {
    strcpy(digits, "0");
    *decpt = 1;
    return 1;
  }
  if (mode == 3) {
    snprintf(t, sizeof t, "%.*f", ndigits, a);
    int intlen = (int)(strchr(t, '.') ? strchr(t, '.') - t : (long)strlen(t)), first = -1, k = 0;
    for (const char *c = t; *c; c++) {
      if (*c == '.') continue;
      if (first < 0 && *c != '0') first = k;
      if (first >= 0) digits[n++] = *c;
      k++;
    }
    if (first < 0) {                       /* rounds to zero: no digits */
      digits[0] = 0;
      *decpt = -ndigits;
      return 0;
    }
    *decpt = intlen - first;
  } else {
    int p = mode == 2 ? ndigits : 1;
    for (;; p++) {
      snprintf(t, sizeof t, "%.*e", p - 1, a);
      if (mode == 2 || strtod(t, NULL) == a || p == 17) break;
    }
    for (const char *c = t; *c && *c != 'e'; c++)
      if (*c != '.') digits[n++] = *c;
    *decpt = atoi(strchr(t, 'e') + 1) + 1;
  }
  while (n > 1 && digits[n - 1] == '0') n--;
  digits[n] = 0;
  return n;
}

/*
** PyOS_double_to_string(V, CODE, PRECISION, FLAGS) into OUT (room for
** 480 characters; PRECISION at most MS_FLOAT_MAX_PRECISION): CODE 'e',
** 'f', 'g' or 'r' (repr), upper case for E, F, G.  Returns the bytes
** format_float_short asks PyMem_Malloc for, its upper bound on the text:
** 3 (sign, point, NUL) + the digits with their zero padding (+ 5 for an
** exponent); 5 for inf and nan.
*/
size_t ms_double_to_string(double v, char code, int precision, int flags, char *out) {
  int upper = code == 'E' || code == 'F' || code == 'G';
  char c = upper ? (char)(code - 'A' + 'a') : code;
  int mode = c == 'e' ? 2 : c == 'f' ? 3 : c == 'g' ? 2 : 0;
  if (c == 'e') precision++;
  if (c == 'g' && precision == 0) precision = 1;
  if (c == 'r') precision = 0;
  char *o = out;
  if (isnan(v) || isinf(v)) {
    if (!isnan(v) && v < 0) *o++ = '-';
    else if (flags & MS_DTSF_SIGN) *o++ = '+';
    strcpy(o, isnan(v) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf"));
    return 5;
  }
  char digits[480];
  int decpt, dlen = dtoa_digits(fabs(v), mode, precision, digits, &decpt);
  int add_dot_0 = (flags & MS_DTSF_ADD_DOT_0) != 0, alt = (flags & MS_DTSF_ALT) != 0;
  int use_exp = 0, exp = 0, vend = dlen;
  switch (c) {
  case 'e': use_exp = 1; vend = precision; break;
  case 'f': vend = decpt + precision; break;
  case 'g':
    if (decpt <= -4 || decpt > (add_dot_0 ? precision - 1 : precision)) use_exp = 1;
    if (alt) vend = precision;
    break;
  default:                                 /* 'r': an exponent below 1e-4 and from 1e16 */
    if (decpt <= -4 || decpt > 16) use_exp = 1;
    break;
  }
  if (use_exp) {
    exp = decpt - 1;
    decpt = 1;
  }
  int vstart = decpt <= 0 ? decpt - 1 : 0;
  if (!use_exp && add_dot_0) vend = vend > decpt ? vend : decpt + 1;
  else vend = vend > decpt ? vend : decpt;
  if (signbit(v)) *o++ = '-';
  else if (flags & MS_DTSF_SIGN) *o++ = '+';
  if (decpt <= 0) {                        /* zeros on the left, the point among them */
    for (int k = 0; k < decpt - vstart; k++) *o++ = '0';
    *o++ = '.';
    for (int k = 0; k < -decpt; k++) *o++ = '0';
  }
  if (decpt > 0 && decpt <= dlen) {        /* the digits, the point among them */
    memcpy(o, digits, (size_t)decpt);
    o += decpt;
    *o++ = '.';
    memcpy(o, digits + decpt, (size_t)(dlen - decpt));
    o += dlen - decpt;
  } else {
    memcpy(o, digits, (size_t)dlen);
    o += dlen;
  }
  if (dlen < decpt) {                      /* zeros on the right, the point among them */
    for (int k = 0; k < decpt - dlen; k++) *o++ = '0';
    *o++ = '.';
    for (int k = 0; k < vend - decpt; k++) *o++ = '0';
  } else {
    for (int k = 0; k < vend - dlen; k++) *o++ = '0';
  }
  if (o[-1] == '.' && !alt) o--;
  if (use_exp) o += sprintf(o, "%c%+.02d", upper ? 'E' : 'e', exp);
  *o = 0;
  return (size_t)(3 + (vend - vstart) + (use_exp ? 5 : 0));
}

/* repr(v): float_repr, 'r' with ".0" on an integer */
size_t float_repr(double v, char *out) { return ms_double_to_string(v, 'r', 0, MS_DTSF_ADD_DOT_0, out); }

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
** -x, abs(x), int(x), float(x), round(x[, n])
** ==================================================================== */

/* the value of an int or a float made from one; 0 (an error set) otherwise */
static int number_value(ms_Sim *s, uint32_t id, double *d, int *is_float) {
  const ms_Object *o = O(s, id);
  *is_float = o->type == MS_FLOAT;
  if (*is_float ? float_value(o, d) : (o->type == MS_INT || o->type == MS_BOOL) && long_as_double(o, d)) return 1;
  sim_error(s, "TypeError: memsim converts and rounds ints and floats made from a value, not %s",
            o->type == MS_FLOAT ? "a float made without one" : ms_type_name(o->type));
  return 0;
}

/*
** -x (long_neg, float_neg) and abs(x) (long_abs, float_abs; the builtin is
** METH_O: no tuple): a float is always a new one; an int not negative is
** itself under abs().
*/
uint32_t ms_number_unary(ms_Sim *s, uint32_t id, const char *op) {
  int neg = strcmp(op, "-") == 0;
  if (!neg && strcmp(op, "abs") != 0) return SIM_FAIL0(s, "unknown unary operation '%s' (-, abs)", op);
  int t = O(s, id)->type;
  if (t == MS_INT || t == MS_BOOL) return neg ? ms_int_neg(s, id) : ms_int_abs(s, id);
  double d;
  if (t != MS_FLOAT || !float_value(O(s, id), &d))
    return SIM_FAIL0(s, "TypeError: bad operand type for %s: %s (memsim: ints and floats made from a value)",
                     neg ? "unary -" : "abs()", t == MS_FLOAT ? "a float without a value" : ms_type_name(t));
  return ms_new_float(s, neg ? -d : fabs(d));
}

/*
** int(x) and float(x) of a number: the type called, with an argument
** 1-tuple where the type has no vectorcall (int before 3.13, float before
** 3.10: int_call_tuple, float_call_tuple), made first and dropped last.
** int(an int) and float(a float) are the object itself; int(a float) is
** PyLong_FromDouble of its integer part, float(an int) a new float.
*/
/*
** int(s) and float(s) of a str: the text read as Python reads it (ASCII
** here: spaces around, a sign, '_' between digits).  int: PyLong_FromString's
** block of _PyLong_New(digits * log(10) / log(2^30) + 1), the value
** normalised in it, a small one the cached int (the block freed).  float:
** the str itself handed to the parser (no copy for ASCII; one without the
** underscores, when it has some), a new float.
*/
static uint32_t number_from_str(ms_Sim *s, int to_int, uint32_t id) {
  char text[128], clean[128];
  int n = str_ascii_text(s, id, text, sizeof text);
  if (n < 0) return SIM_FAIL0(s, "%s(str): memsim reads ASCII strs of up to 120 characters made from text",
                              to_int ? "int" : "float");
  int a = 0, b = n, k = 0, digits = 0;
  /* Py_ISSPACE, ASCII's: an ASCII str reaches PyLong_FromString as it is, so
     0x1C-0x1F, which str.split takes for whitespace, are not stripped here */
  while (a < b && (text[a] == ' ' || (text[a] >= 9 && text[a] <= 13))) a++;
  while (b > a && (text[b - 1] == ' ' || (text[b - 1] >= 9 && text[b - 1] <= 13))) b--;
  for (int i = a; i < b; i++) {
    char c = text[i];
    if (c == '_') {                        /* one, between two digits */
      if (i == a || i + 1 == b || !(text[i - 1] >= '0' && text[i - 1] <= '9') ||
          !(text[i + 1] >= '0' && text[i + 1] <= '9'))
        goto invalid;
      continue;
    }
    if (c >= '0' && c <= '9') digits++;
    else if (to_int && !((c == '+' || c == '-') && i == a)) goto invalid;
    else if (!to_int && (c == 'x' || c == 'X' || c == 'p' || c == 'P')) goto invalid;   /* no hex floats */
    clean[k++] = c;
  }
  clean[k] = 0;
  if (to_int) {
    if (digits == 0 || digits > 37) {
      if (digits > 37) return SIM_FAIL0(s, "OverflowError: memsim's ints keep values below 2^126 in magnitude");
      goto invalid;
    }
    __int128 v = 0;
    int neg = clean[0] == '-';
    for (const char *c = clean + (clean[0] == '-' || clean[0] == '+'); *c; c++) v = v * 10 + (*c - '0');
    if (neg) v = -v;
    uint32_t size_z = (uint32_t)((double)digits * (log(10.0) / log(1073741824.0))) + 1;
    return long_from_digits_block(s, v, size_z);
  }
  char *end;
  double d = strtod(clean, &end);
  if (k == 0 || *end != 0) goto invalid;
  if (strchr(text, '_') == NULL) return ms_new_float(s, d);
  /* _Py_string_to_number_with_underscores: the text without them in a PyMem copy */
  uint64_t dup = mem_alloc_for(s, "underscores", (size_t)n + 1);
  if (dup == 0) return 0;
  uint32_t r = ms_new_float(s, d);
  mem_free_for(s, "underscores", dup, (size_t)n + 1);
  return r;
invalid:
  return SIM_FAIL0(s, "ValueError: %s: '%.*s'", to_int ? "invalid literal for int() with base 10"
                                                        : "could not convert string to float", n, text);
}

uint32_t ms_number_call(ms_Sim *s, const char *type, uint32_t id) {
  int to_int = strcmp(type, "int") == 0;
  if (!to_int && strcmp(type, "float") != 0) return SIM_FAIL0(s, "unknown conversion '%s' (int, float)", type);
  if (O(s, id)->type == MS_STR) {
    uint32_t args = 0;
    if ((to_int ? s->prof->int_call_tuple : s->prof->float_call_tuple) && (args = args_tuple(s, id)) == 0) return 0;
    uint32_t r = number_from_str(s, to_int, id);
    if (args) obj_release(s, args);
    return r;
  }
  double d;
  int is_float;
  if (!number_value(s, id, &d, &is_float)) return 0;
  uint32_t args = 0;
  if ((to_int ? s->prof->int_call_tuple : s->prof->float_call_tuple) && (args = args_tuple(s, id)) == 0) return 0;
  uint32_t r;
  if (to_int && !is_float && O(s, id)->type == MS_INT) {
    ms_incref(s, id);
    r = id;
  } else if (!to_int && is_float) {
    ms_incref(s, id);
    r = id;
  } else {
    r = to_int ? ms_int_from_double(s, d) : ms_new_float(s, d);
  }
  if (args) obj_release(s, args);
  return r;
}

/*
** round(x) and round(x, n) (builtin_round): __round__ looked up as a bound
** method (made before the call, dropped after).  A float: round half to
** even, an int (PyLong_FromDouble); with n, a new float of x rounded to n
** decimals (double_round: the correctly rounded decimal text read back).
** An int without n: itself.  Not modelled: an int with n, n < 0 or past 80.
*/
uint32_t ms_number_round(ms_Sim *s, uint32_t id, int has_n, int64_t n) {
  double d;
  int is_float;
  if (!number_value(s, id, &d, &is_float)) return 0;
  if (!is_float && has_n) return SIM_FAIL0(s, "round(int, n) is not modelled (its ways differ between versions)");
  if (has_n && (n < 0 || n > 80)) return SIM_FAIL0(s, "round(x, n): memsim rounds to 0 to 80 decimals");
  if (is_float && !has_n && !isfinite(d))
    return SIM_FAIL0(s, isnan(d) ? "ValueError: cannot convert float NaN to integer"
                                 : "OverflowError: cannot convert float infinity to integer");
  uint64_t meth = bound_method_new(s);
  if (meth == 0) return 0;
  uint32_t r;
  if (!is_float) {
    ms_incref(s, id);
    r = id;
  } else if (!has_n) {
    double rounded = round(d);
    if (fabs(d - rounded) == 0.5) rounded = 2.0 * round(d / 2.0);   /* halfway: to even */
    r = ms_int_from_double(s, rounded);
  } else if (!isfinite(d)) {
    r = ms_new_float(s, d);
  } else {
    char text[480];
    snprintf(text, sizeof text, "%.*f", (int)n, d);
    r = ms_new_float(s, strtod(text, NULL));
  }
  bound_method_drop(s, meth);
  return r;
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
