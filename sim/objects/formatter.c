/*
** formatter.c: format(value, spec) and f"{value:spec}", as CPython's
** Python/formatter_unicode.c renders ints, floats and strs.
**
** PyObject_Format(value, spec) with a spec that is not empty looks
** __format__ up on the value: a bound builtin method (a GC object of 56
** bytes), made before the call and dropped after it.  The method writes
** into a fresh _PyUnicodeWriter (no minimum length, no overallocation),
** whose buffer becomes the result:
**
**   float  PyOS_double_to_string's buffer (PyMem_Malloc), then
**            fast path (no '+' or ' ' sign, no width, no grouping): the
**            text handed to the writer whole, which makes it a str;
**            the buffer freed;
**            otherwise: a temporary str of the text, the buffer freed,
**            the result's buffer made at its full width and filled, the
**            temporary dropped.
**   int    fast path (as for floats, and not 'X'): the digits straight
**            into the writer, base 10 with long_to_decimal_string's
**            scratch int alive around the result's buffer;
**            otherwise: _PyLong_Format's str (base 10: str(i) and its
**            scratch; 2, 8, 16: with its 0b/0o/0x prefix), then the
**            result as for floats.
**          e, E, f, F, g, G, %: PyNumber_Float's new float, formatted
**            as a float, then dropped.
**   str    fast path (no width past it, no precision that cuts it):
**            the str itself; otherwise the result, made and filled.
**
** A result of one latin-1 character is the cached one (its buffer made
** and freed: unicode_result_ready).  Not modelled, and an error that says
** so: 'n' (the locale), 'c', 'z', '#' on floats and strs, '=' on strs,
** zero padding together with a thousands separator, bools and other types.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "objimpl.h"

#define FMT_MAX_WIDTH 100000

/* ====================================================================
** The format spec: [[fill]align][sign][#][0][width][,|_][.precision][type]
** ==================================================================== */

typedef struct Spec {
  char fill;          /* ' ' unless given */
  char align;         /* '<' '>' '=' '^' */
  char sign;          /* '+' '-' ' ', 0 when not given */
  int alternate;      /* '#' */
  char grouping;      /* ',' or '_', 0 */
  int64_t width;      /* -1: none */
  int64_t precision;  /* -1: none */
  char type;          /* 0: none */
} Spec;

static int is_align(char c) { return c == '<' || c == '>' || c == '=' || c == '^'; }

/* a decimal number at *POS: its digits consumed; -1 past MAX */
static int64_t spec_integer(const char *t, size_t n, size_t *pos, int64_t max, int *consumed) {
  int64_t v = 0;
  *consumed = 0;
  while (*pos < n && t[*pos] >= '0' && t[*pos] <= '9') {
    v = v * 10 + (t[(*pos)++] - '0');
    (*consumed)++;
    if (v > max) return -1;
  }
  return v;
}

/* parse_internal_render_format_spec */
static int parse_spec(ms_Sim *s, const char *t, size_t n, char default_align, Spec *sp) {
  size_t pos = 0;
  int fill_given = 0, align_given = 0, consumed;
  *sp = (Spec){.fill = ' ', .align = default_align, .width = -1, .precision = -1};
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)t[i] < 32 || (unsigned char)t[i] > 126)
      return sim_error(s, "format spec: memsim reads printable ASCII specs only");
  if (n >= 2 && is_align(t[1])) {
    sp->fill = t[0];
    sp->align = t[1];
    fill_given = align_given = 1;
    pos = 2;
  } else if (n >= 1 && is_align(t[0])) {
    sp->align = t[0];
    align_given = 1;
    pos = 1;
  }
  if (pos < n && (t[pos] == '+' || t[pos] == '-' || t[pos] == ' ')) sp->sign = t[pos++];
  if (pos < n && t[pos] == 'z') return sim_error(s, "format spec: 'z' (no negative zero) is not modelled");
  if (pos < n && t[pos] == '#') {
    sp->alternate = 1;
    pos++;
  }
  if (!fill_given && pos < n && t[pos] == '0') {       /* the old zero padding */
    sp->fill = '0';
    if (!align_given && default_align == '>') sp->align = '=';
    pos++;
  }
  sp->width = spec_integer(t, n, &pos, FMT_MAX_WIDTH, &consumed);
  if (sp->width < 0) return sim_error(s, "format spec: memsim formats widths up to %d", FMT_MAX_WIDTH);
  if (consumed == 0) sp->width = -1;
  if (pos < n && (t[pos] == ',' || t[pos] == '_')) sp->grouping = t[pos++];
  if (pos < n && (t[pos] == ',' || t[pos] == '_'))
    return sim_error(s, "ValueError: Cannot specify both ',' and '_'.");
  if (pos < n && t[pos] == '.') {
    pos++;
    sp->precision = spec_integer(t, n, &pos, MS_FLOAT_MAX_PRECISION, &consumed);
    if (sp->precision < 0) return sim_error(s, "format spec: memsim formats precisions up to %d", MS_FLOAT_MAX_PRECISION);
    if (consumed == 0) return sim_error(s, "ValueError: Format specifier missing precision");
  }
  if (n - pos > 1) return sim_error(s, "ValueError: Invalid format specifier '%.*s'", (int)n, t);
  if (n - pos == 1) sp->type = t[pos];
  if (sp->type == 'n' || sp->type == 'c')
    return sim_error(s, "format spec: type '%c' is not modelled", sp->type);
  if (sp->grouping && sp->fill == '0' && sp->align == '=')
    return sim_error(s, "format spec: zero padding with a thousands separator is not modelled");
  if (sp->grouping && sp->type && !strchr("deEfFgG%bxXo", sp->type))
    return sim_error(s, "ValueError: Cannot specify '%c' with '%c'.", sp->grouping, sp->type);
  if (sp->grouping == ',' && sp->type && strchr("bxXo", sp->type))
    return sim_error(s, "ValueError: Cannot specify ',' with '%c'.", sp->type);
  return 0;
}

/* ====================================================================
** Rendering a number: sign, prefix, grouped digits, padding
** ==================================================================== */

/*
** calc_number_widths and fill_number, for ASCII: SIGN (0 or a character),
** PREFIX (0x...), the digits DIGITS (their integer part grouped) and the
** rest REST, padded to the spec's width.  OUT has room for the width and
** twice the digits.
*/
static size_t render_number(const Spec *sp, char sign, const char *prefix, const char *digits, size_t ndigits,
                            const char *rest, char *out) {
  char body[1100];
  size_t b = 0;
  if (sp->grouping) {
    size_t every = sp->grouping == '_' && sp->type && strchr("bxXo", sp->type) ? 4 : 3;
    for (size_t i = 0; i < ndigits; i++) {
      body[b++] = digits[i];
      size_t left = ndigits - 1 - i;
      if (left > 0 && left % every == 0) body[b++] = sp->grouping;
    }
  } else {
    memcpy(body, digits, ndigits);
    b = ndigits;
  }
  size_t restlen = strlen(rest), plen = strlen(prefix);
  memcpy(body + b, rest, restlen);
  b += restlen;
  size_t len = (sign ? 1 : 0) + plen + b, pad = sp->width > 0 && (size_t)sp->width > len ? (size_t)sp->width - len : 0;
  size_t left = sp->align == '<' ? 0 : sp->align == '^' ? pad / 2 : pad, o = 0;
  if (sp->align != '=')
    for (size_t i = 0; i < left; i++) out[o++] = sp->fill;
  if (sign) out[o++] = sign;
  memcpy(out + o, prefix, plen);
  o += plen;
  if (sp->align == '=')
    for (size_t i = 0; i < pad; i++) out[o++] = sp->fill;
  memcpy(out + o, body, b);
  o += b;
  if (sp->align != '=')
    for (size_t i = 0; i < pad - left; i++) out[o++] = sp->fill;
  out[o] = 0;
  return o;
}

/* the result's buffer made at its width (the writer's first Prepare), its text written */
static int write_ascii(ms_Sim *s, UWriter *w, const char *text, size_t n) {
  if (uw_prepare(s, w, n, 127) < 0) return -1;
  for (size_t i = 0; i < n; i++) {
    uint32_t c = (unsigned char)text[i];
    uw_put(w, &c, 1);
  }
  return 0;
}

/* ====================================================================
** float: format_float_internal
** ==================================================================== */

static int format_float(ms_Sim *s, UWriter *w, double val, Spec sp) {
  int flags = 0, add_pct = 0;
  int64_t default_precision = 6;
  char type = sp.type;
  if (sp.alternate) return sim_error(s, "format spec: '#' on a float is not modelled");
  if (type && !strchr("eEfFgG%", type))
    return sim_error(s, "ValueError: Unknown format code '%c' for object of type 'float'", type);
  if (type == 0) {                         /* like repr, or 'g' with ".0" kept */
    flags |= MS_DTSF_ADD_DOT_0;
    type = 'r';
    default_precision = 0;
  }
  if (type == '%') {
    type = 'f';
    val *= 100;
    add_pct = 1;
  }
  int64_t precision = sp.precision;
  if (precision < 0) precision = default_precision;
  else if (type == 'r') type = 'g';
  char text[512];
  size_t bufsize = ms_double_to_string(val, type, (int)precision, flags, text);
  uint64_t buf = mem_alloc_for(s, "PyOS_double_to_string", bufsize);
  if (buf == 0) return -1;
  size_t n = strlen(text);
  if (add_pct) text[n++] = '%', text[n] = 0;
  if (sp.sign != '+' && sp.sign != ' ' && sp.width < 0 && !sp.grouping) {   /* the fast path */
    int rc = uw_write_ascii(s, w, text, n);   /* a fresh writer: the text becomes a str */
    mem_free_for(s, "PyOS_double_to_string", buf, bufsize);
    return rc;
  }
  uint32_t tmp = str_from_ascii(s, text, n);
  mem_free_for(s, "PyOS_double_to_string", buf, bufsize);
  if (tmp == 0) return -1;
  const char *t = text;
  char sign = 0;
  if (*t == '-') sign = *t++;
  else if (sp.sign == '+' || sp.sign == ' ') sign = sp.sign;
  size_t ndigits = strspn(t, "0123456789");   /* the integer part, grouped */
  char out[FMT_MAX_WIDTH + 1100];
  size_t len = render_number(&sp, sign, "", t, ndigits, t + ndigits, out);
  int rc = write_ascii(s, w, out, len);
  obj_release(s, tmp);
  return rc;
}

/* ====================================================================
** int: format_long_internal
** ==================================================================== */

static int format_int(ms_Sim *s, UWriter *w, uint32_t id, Spec sp) {
  char type = sp.type ? sp.type : 'd';
  if (strchr("eEfFgG%", type)) {           /* PyNumber_Float, then a float's formatting */
    int64_t v;
    if (!ms_int_value(s, id, &v)) return sim_error(s, "format: memsim converts ints of up to 64 bits to float");
    uint32_t f = ms_new_float(s, (double)v);
    if (f == 0) return -1;
    int rc = format_float(s, w, (double)v, sp);
    obj_release(s, f);
    return rc;
  }
  if (!strchr("dxXob", type))
    return sim_error(s, "ValueError: Unknown format code '%c' for object of type 'int'", type);
  if (sp.precision >= 0) return sim_error(s, "ValueError: Precision not allowed in integer format specifier");
  int base = type == 'd' ? 10 : type == 'b' ? 2 : type == 'o' ? 8 : 16;
  char mag[140];                           /* the magnitude's digits in BASE */
  uint32_t digits;
  int neg, n = ms_int_digits(s, id, base, type == 'X', mag, &neg, &digits);
  if (n < 0) return sim_error(s, "format: memsim formats ints made from a value");
  size_t m = (size_t)n;
  char prefix[3] = {0};
  if (sp.alternate && base != 10) {
    prefix[0] = '0';
    prefix[1] = type == 'X' ? 'X' : type;
  }
  if (sp.sign != '+' && sp.sign != ' ' && sp.width < 0 && type != 'X' && !sp.grouping) {   /* the fast path */
    char out[160];
    size_t len = render_number(&sp, neg ? '-' : 0, prefix, mag, m, "", out);
    uint32_t scratch = 0;
    if (base == 10 && (scratch = scratch_of_digits(s, digits)) == 0) return -1;
    int rc = write_ascii(s, w, out, len);
    if (scratch) obj_release(s, scratch);
    return rc;
  }
  uint32_t tmp;                            /* _PyLong_Format */
  if (base == 10) {
    tmp = ms_str_of(s, id);
  } else {
    char t[160];
    snprintf(t, sizeof t, "%s0%c%s", neg ? "-" : "", base == 16 ? 'x' : base == 8 ? 'o' : 'b', mag);
    tmp = str_from_ascii(s, t, strlen(t));
  }
  if (tmp == 0) return -1;
  char out[FMT_MAX_WIDTH + 300];
  char sign = neg ? '-' : (sp.sign == '+' || sp.sign == ' ') ? sp.sign : 0;
  size_t len = render_number(&sp, sign, prefix, mag, m, "", out);
  int rc = write_ascii(s, w, out, len);
  obj_release(s, tmp);
  return rc;
}

/* ====================================================================
** str: format_string_internal
** ==================================================================== */

static int format_str(ms_Sim *s, UWriter *w, uint32_t id, Spec sp) {
  if (sp.type && sp.type != 's')
    return sim_error(s, "ValueError: Unknown format code '%c' for object of type 'str'", sp.type);
  if (sp.sign) return sim_error(s, "ValueError: Sign not allowed in string format specifier");
  if (sp.alternate) return sim_error(s, "ValueError: Alternate form (#) not allowed in string format specifier");
  if (sp.align == '=') return sim_error(s, "ValueError: '=' alignment not allowed in string format specifier");
  if (sp.grouping) return sim_error(s, "ValueError: Cannot specify '%c' with 's'.", sp.grouping);
  uint64_t len = ms_len(s, id);
  if ((sp.width < 0 || (uint64_t)sp.width <= len) && (sp.precision < 0 || (uint64_t)sp.precision >= len))
    return uw_write_str(s, w, id);         /* the fast path: the str itself */
  uint32_t *cp = str_codepoints(s, id);
  if (cp == NULL) return sim_error(s, "format: padding a str needs its characters (a str made from text)");
  if (sp.precision >= 0 && len > (uint64_t)sp.precision) len = (uint64_t)sp.precision;
  uint64_t pad = sp.width > 0 && (uint64_t)sp.width > len ? (uint64_t)sp.width - len : 0;
  uint64_t left = sp.align == '>' ? pad : sp.align == '^' ? pad / 2 : 0;
  uint32_t maxchar = 127, fill = (unsigned char)sp.fill;
  for (uint64_t i = 0; i < len; i++) if (cp[i] > maxchar) maxchar = cp[i];
  int rc = uw_prepare(s, w, len + pad, maxchar);
  if (rc == 0) {
    for (uint64_t i = 0; i < left; i++) uw_put(w, &fill, 1);
    uw_put(w, cp, len);
    for (uint64_t i = left; i < pad; i++) uw_put(w, &fill, 1);
  }
  ms_xfree(cp);
  return rc;
}

/* ====================================================================
** PyObject_Format
** ==================================================================== */

/* the bound __format__ (a builtin method: 56 bytes and the GC head) */
uint64_t bound_method_new(ms_Sim *s) {
  uint64_t m = mem_alloc_for(s, "builtin method", s->prof->gc_head + 56);
  if (m) gc_on_alloc(s);
  return m;
}

void bound_method_drop(ms_Sim *s, uint64_t m) {
  mem_free_for(s, "builtin method", m, s->prof->gc_head + 56);
  gc_on_free(s);
}

uint32_t ms_format(ms_Sim *s, uint32_t id, const char *spec, size_t n) {
  if (n == 0) return format_value(s, id);  /* PyObject_Format's own ways, or __format__("") */
  ms_Object *o = O(s, id);
  double d = 0;
  int kind = o->type == MS_FLOAT && float_value(o, &d) ? 1
           : o->type == MS_INT ? 2 : o->type == MS_STR ? 3 : 0;
  if (kind == 0)
    return SIM_FAIL0(s, "format: memsim formats ints and floats made from a value, and strs, with a spec; not %s",
                     o->type == MS_FLOAT ? "a float made without one" : ms_type_name(o->type));
  uint64_t meth = bound_method_new(s);
  if (meth == 0) return 0;
  Spec sp;
  UWriter w = {0};
  uint32_t r = 0;
  if (parse_spec(s, spec, n, kind == 3 ? '<' : '>', &sp) == 0) {
    int rc = kind == 1 ? format_float(s, &w, d, sp) : kind == 2 ? format_int(s, &w, id, sp) : format_str(s, &w, id, sp);
    if (rc == 0) r = uw_finish(s, &w);
  }
  uw_dealloc(s, &w);
  bound_method_drop(s, meth);
  return r;
}
