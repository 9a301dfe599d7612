/*
** unicodeobject.c: str (Objects/unicodeobject.c), and bytes
** (Objects/bytesobject.c), which shares its shape here: a length, an
** optional content, the empty and one-character singletons, interning,
** and code constants.
**
** A str made from text is stored as PEP 393 stores it, in the narrowest
** kind its largest character fits:
**
**   kind        characters        bytes asked for (3.11; 3.12 on: 40, 56)
**   ASCII       U+0000..U+007F    48 + n + 1          (PyASCIIObject)
**   latin-1     up to U+00FF      72 + n + 1          (PyCompactUnicodeObject)
**   UCS-2       up to U+FFFF      72 + 2 (n + 1)
**   UCS-4       the rest          72 + 4 (n + 1)
**
** and hashes as CPython hashes those bytes (pyhash.c).  A str made by
** length alone (sim:new("str", n)) has ASCII's size and no content: it
** equals only itself.
**
** Which strs are never allocated: "" and every one-character str below
** U+0100 (unicode_latin1, static from 3.11; memsim treats 3.9 and 3.10
** alike), b"" and the 256 one-byte bytes objects, and code constants
** (sim:literal): a function's constants live with its code object.
** Interned strs are kept in one table (the interpreter's interned dict,
** whose own growth memsim does not count): identifier-like constants,
** attribute names, and what sys.intern was given.  3.12 makes an
** interned str immortal; 3.11 and 3.13 free it when its count drops.
*/
#include <stdio.h>
#include <string.h>

#include "objimpl.h"

/* o->cls of a str: its kind (0: made by length, no content), and a bit for interned */
enum { STR_NOTEXT = 0, STR_ASCII = 1, STR_LATIN1 = 2, STR_UCS2 = 3, STR_UCS4 = 4 };
#define STR_KIND(o) ((o)->cls & 0x7f)
#define BYTES_TEXT 1                       /* o->cls of a bytes object with content */

typedef struct StrBody {
  int64_t hash;                            /* -1 until asked (the ob_shash cache) */
  uint32_t nbytes;                         /* len * bytes per character */
  unsigned char data[];                    /* as PEP 393 stores it, little-endian */
} StrBody;

static int has_text(const ms_Object *o) { return o->body != NULL; }

static StrBody *body_new(const unsigned char *data, uint32_t nbytes) {
  StrBody *b = ms_xmalloc(sizeof *b + nbytes + 1);
  b->hash = -1;
  b->nbytes = nbytes;
  if (data && nbytes) memcpy(b->data, data, nbytes);   /* NULL: the caller fills it */
  b->data[nbytes] = 0;
  return b;
}

/* ====================================================================
** String tables: the interned strs, the code constants
** ==================================================================== */

/*
** Open addressing on the str's hash, linear probes; a removed entry
** leaves a tombstone (MS_NIL) that later additions reuse.  Entries are
** object ids; equality is obj_equal (same type and content).
*/
typedef struct StrTable {
  uint32_t *slot;
  uint32_t used, cap;                      /* used counts tombstones too */
} StrTable;

/* one constant for both: equal and of one type (1 and 1.0 are two
   constants of the code, as are 0.0 and -0.0) */
static int same_constant(ms_Sim *s, uint32_t a, uint32_t b) {
  const ms_Object *x = O(s, a), *y = O(s, b);
  if (x->type != y->type || !obj_equal(s, a, b)) return 0;
  return x->type != MS_FLOAT || x->aux == y->aux;
}

static uint32_t *table_find(ms_Sim *s, uint32_t *slot, uint32_t cap, uint32_t id, int64_t h) {
  uint32_t m = cap - 1, i = (uint32_t)h & m;
  uint32_t *tomb = NULL;
  for (;;) {
    uint32_t e = slot[i];
    if (e == 0) return tomb ? tomb : &slot[i];
    if (e == MS_NIL) {
      if (!tomb) tomb = &slot[i];
    } else if (e == id || (obj_hash(s, e) == h && same_constant(s, e, id))) {
      return &slot[i];
    }
    i = (i + 1) & m;
  }
}

static void table_add(ms_Sim *s, uint32_t **slots, uint32_t *used, uint32_t *cap, uint32_t id) {
  if ((uint64_t)(*used + 1) * 2 > *cap) {  /* grow (and drop tombstones) at half full */
    uint32_t ncap = *cap ? *cap : 64, live = 0;
    for (uint32_t i = 0; i < *cap; i++) live += (*slots)[i] != 0 && (*slots)[i] != MS_NIL;
    while ((uint64_t)(live + 1) * 2 > ncap / 2 * 1ull) ncap *= 2;
    uint32_t *n = ms_xcalloc(ncap, sizeof *n);
    for (uint32_t i = 0; i < *cap; i++) {
      uint32_t e = (*slots)[i];
      if (e != 0 && e != MS_NIL) *table_find(s, n, ncap, e, obj_hash(s, e)) = e;
    }
    ms_xfree(*slots);
    *slots = n;
    *cap = ncap;
    *used = live;
  }
  uint32_t *p = table_find(s, *slots, *cap, id, obj_hash(s, id));
  if (*p == 0) (*used)++;
  *p = id;
}

/* the interned str equal to ID, or 0 */
static uint32_t interned_find(ms_Sim *s, uint32_t id) {
  if (s->capinterned == 0) return 0;
  uint32_t e = *table_find(s, s->interned, s->capinterned, id, obj_hash(s, id));
  return e == MS_NIL ? 0 : e;
}

static void interned_add(ms_Sim *s, uint32_t id) {
  table_add(s, &s->interned, &s->ninterned, &s->capinterned, id);
  O(s, id)->cls |= STR_INTERNED;
}

static void interned_remove(ms_Sim *s, uint32_t id) {
  uint32_t *p = table_find(s, s->interned, s->capinterned, id, obj_hash(s, id));
  if (*p == id) *p = MS_NIL;
}

/* ====================================================================
** Making strs and bytes
** ==================================================================== */

uint32_t new_string(ms_Sim *s, int type, int64_t len) {
  if (len <= 1) {
    uint32_t *slot = &s->singletons[(type == MS_BYTES ? 2 : 0) + (uint32_t)len];
    int fresh = *slot == 0;
    uint32_t id = singleton(s, slot, type);
    O(s, id)->len = (uint32_t)len;
    if (fresh && len == 0) {               /* "" and b"" have content: the empty one */
      O(s, id)->body = body_new(NULL, 0);
      O(s, id)->cls = type == MS_STR ? STR_ASCII : BYTES_TEXT;
    }
    return id;
  }
  return new_plain(s, type, (uint32_t)len);
}

/*
** UTF-8 TEXT of N bytes into code points (CP, room for N); the count, or
** -1 with *WHY set for a byte sequence that is not UTF-8 (overlong
** forms and surrogates included: Lua strings are bytes, a str is not).
*/
static int64_t utf8_decode(const unsigned char *t, size_t n, uint32_t *cp, const char **why) {
  size_t i = 0;
  int64_t k = 0;
  while (i < n) {
    uint32_t c = t[i], need, min;
    if (c < 0x80) { need = 0; min = 0; }
    else if ((c & 0xe0) == 0xc0) { need = 1; min = 0x80; c &= 0x1f; }
    else if ((c & 0xf0) == 0xe0) { need = 2; min = 0x800; c &= 0x0f; }
    else if ((c & 0xf8) == 0xf0) { need = 3; min = 0x10000; c &= 0x07; }
    else { *why = "a byte that starts no UTF-8 character"; return -1; }
    for (uint32_t j = 1; j <= need; j++) {
      if (i + j >= n || (t[i + j] & 0xc0) != 0x80) { *why = "a UTF-8 character cut short"; return -1; }
      c = (c << 6) | (t[i + j] & 0x3f);
    }
    if (c < min) { *why = "an overlong UTF-8 form"; return -1; }
    if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) { *why = "a surrogate or a code point past U+10FFFF"; return -1; }
    cp[k++] = c;
    i += need + 1;
  }
  return k;
}

/* a body in the narrowest PEP 393 kind; *KIND says which */
static StrBody *encode_kind(const uint32_t *cp, uint32_t len, uint8_t *kind) {
  uint32_t max = 0;
  for (uint32_t i = 0; i < len; i++) if (cp[i] > max) max = cp[i];
  *kind = max < 0x80 ? STR_ASCII : max < 0x100 ? STR_LATIN1 : max < 0x10000 ? STR_UCS2 : STR_UCS4;
  uint32_t width = *kind == STR_UCS4 ? 4 : *kind == STR_UCS2 ? 2 : 1;
  StrBody *b = body_new(NULL, len * width);
  for (uint32_t i = 0; i < len; i++)
    for (uint32_t w = 0; w < width; w++) b->data[(size_t)i * width + w] = (unsigned char)(cp[i] >> (8 * w));
  return b;
}

/*
** A one-character str below U+0100, or a one-byte bytes: a singleton,
** static; except under 3.9 and 3.10 (latin1_lazy), where get_latin1_char
** makes a str the first time it is needed at run time (a block) and keeps
** it.  One made before the script (the start-up heap's), or a constant of
** the code (made when the code was loaded), is counted there: static here.
*/
static uint32_t char_singleton_at(ms_Sim *s, int type, uint32_t c, int run_time) {
  uint32_t *slot = type == MS_STR ? &s->latin1[c] : &s->bytechars[c];
  if (*slot == 0) {
    unsigned char byte = (unsigned char)c;
    uint8_t cls = type == MS_BYTES ? BYTES_TEXT : c < 0x80 ? STR_ASCII : STR_LATIN1;
    if (type == MS_STR && run_time && s->prof->latin1_lazy && !s->latin1_made[c]) {
      ms_Object tmp = {.type = MS_STR, .len = 1, .cls = cls};
      uint32_t id = new_plain_like(s, &tmp);   /* PyUnicode_New(1, c); the cache's reference */
      if (id == 0) return 0;
      *slot = id;
    } else {
      *slot = static_new(s, type, 1);
    }
    O(s, *slot)->body = body_new(&byte, 1);
    O(s, *slot)->cls = cls;
  }
  O(s, *slot)->refcnt++;
  return *slot;
}

static uint32_t char_singleton(ms_Sim *s, int type, uint32_t c) { return char_singleton_at(s, type, c, 1); }

/*
** A str (from UTF-8) or bytes with the content TEXT of N bytes, made at
** run time (as ''.join or a decode would make it): a new reference, or
** 0 with the error set.  STATIC: a code constant (no allocation).
*/
static uint32_t text_new(ms_Sim *s, int type, const char *text, size_t n, int is_static) {
  if (n > 0x7fffffff) return SIM_FAIL0(s, "%s of %zu bytes is too large", ms_type_name(type), n);
  uint8_t kind = BYTES_TEXT;
  StrBody *b;
  uint32_t len;
  if (type == MS_STR) {
    uint32_t *cp = ms_xmalloc((n ? n : 1) * sizeof *cp);
    const char *why = NULL;
    int64_t k = utf8_decode((const unsigned char *)text, n, cp, &why);
    if (k < 0) {
      ms_xfree(cp);
      return SIM_FAIL0(s, "UnicodeDecodeError: the text is not UTF-8 (%s)", why);
    }
    len = (uint32_t)k;
    if (len == 0 || (len == 1 && cp[0] < 0x100)) {
      uint32_t c = len ? cp[0] : 0;
      ms_xfree(cp);
      return len == 0 ? new_string(s, MS_STR, 0) : char_singleton_at(s, MS_STR, c, !is_static);
    }
    b = encode_kind(cp, len, &kind);
    ms_xfree(cp);
  } else {
    len = (uint32_t)n;
    if (len <= 1) return len == 0 ? new_string(s, MS_BYTES, 0) : char_singleton(s, MS_BYTES, (unsigned char)text[0]);
    b = body_new((const unsigned char *)text, len);
  }
  uint32_t id;
  if (is_static) {
    id = static_new(s, type, len);
  } else {
    ms_Object tmp = {.type = (uint8_t)type, .len = len, .cls = kind};
    id = new_plain_like(s, &tmp);
  }
  if (id == 0) {
    ms_xfree(b);
    return 0;
  }
  O(s, id)->body = b;
  O(s, id)->cls = kind;
  return id;
}

uint32_t ms_new_text(ms_Sim *s, int type, const char *text, size_t n) {
  if (type != MS_STR && type != MS_BYTES) return SIM_FAIL0(s, "text is for str and bytes, not %s", ms_type_name(type));
  return text_new(s, type, text, n, 0);
}

/* all_name_chars: what the compiler interns among string constants */
static int identifier_like(const char *t, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)t[i];
    if (!(c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return 0;
  }
  return 1;
}

/*
** A code constant ("hello", b"x" or 1000 in a function's code): never
** allocated while the function runs.  Equal constants are one object;
** identifier-like strs are interned, as the compiler interns them.  ID
** is a fresh static object (refcount 1); the result is a new reference.
*/
uint32_t code_constant(ms_Sim *s, uint32_t id, int identifier) {
  uint32_t same = 0;
  if (s->capliterals) {
    same = *table_find(s, s->literals, s->capliterals, id, obj_hash(s, id));
    if (same == MS_NIL) same = 0;
  }
  if (same == 0 && identifier) same = interned_find(s, id);
  if (same) {                              /* the constant made before */
    ms_xfree(O(s, id)->body);
    O(s, id)->body = NULL;
    record_free(s, id);
    O(s, same)->refcnt++;
    return same;
  }
  table_add(s, &s->literals, &s->nliterals, &s->capliterals, id);
  if (identifier) interned_add(s, id);
  O(s, id)->refcnt++;                      /* the code object keeps the first reference */
  return id;
}

uint32_t ms_str_literal(ms_Sim *s, int type, const char *text, size_t n) {
  if (type != MS_STR && type != MS_BYTES) return SIM_FAIL0(s, "a literal is a str or bytes, not %s", ms_type_name(type));
  uint32_t id = text_new(s, type, text, n, 1);
  if (id == 0 || O(s, id)->refcnt > 1) return id;    /* a singleton */
  return code_constant(s, id, type == MS_STR && identifier_like(text, n));
}

/* the constant str of ASCII TEXT (N bytes) made before, or 0: no record made to ask */
static uint32_t ascii_constant(ms_Sim *s, const char *text, size_t n) {
  if (s->capliterals == 0) return 0;
  int64_t h = hash_bytes(s, text, n);
  uint32_t m = s->capliterals - 1, i = (uint32_t)h & m;
  for (;;) {
    uint32_t e = s->literals[i];
    if (e == 0) return 0;
    if (e != MS_NIL) {
      const ms_Object *o = O(s, e);
      const StrBody *b = o->body;
      if (o->type == MS_STR && STR_KIND(o) == STR_ASCII && b && b->hash == h && b->nbytes == n &&
          memcmp(b->data, text, n) == 0)
        return e;
    }
    i = (i + 1) & m;
  }
}

/* an attribute name: an interned identifier constant (a borrowed reference) */
uint32_t intern_name(ms_Sim *s, const char *text) {
  size_t n = strlen(text);
  int ascii = n > 1;                       /* "" and one character: the singletons */
  for (size_t i = 0; ascii && i < n; i++) ascii = (unsigned char)text[i] < 0x80;
  uint32_t known = ascii ? ascii_constant(s, text, n) : 0;
  if (known) return known;                 /* the usual case: a name seen before */
  uint32_t id = ms_str_literal(s, MS_STR, text, n);
  if (id) O(s, id)->refcnt--;
  return id;
}

/*
** sys.intern(s): the interned str equal to S (a new reference), S itself
** when it is the first.  A str made by length has no content to intern.
*/
uint32_t ms_intern(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  if (o->type != MS_STR) return SIM_FAIL0(s, "TypeError: intern() argument must be str, not %s", ms_type_name(o->type));
  if (!has_text(o)) return SIM_FAIL0(s, "sys.intern needs a str made from text (sim:new(\"str\", \"...\")), not one made by length");
  uint32_t same = interned_find(s, id);
  if (same == 0) {
    interned_add(s, id);
    same = id;
    if (s->prof->intern_immortal && !(o->flags & OF_STATIC))
      o->refcnt++;                         /* 3.12: _Py_SetImmortal; its block stays */
  }
  ms_incref(s, same);
  return same;
}

/* ====================================================================
** Operations: +, +=, *, slicing, join, str(), f-strings
** ==================================================================== */

/*
** Each operation follows the CPython function named above it, for what
** it allocates: PyUnicode_New (and _PyBytes_FromSize) give the empty
** singleton for 0 characters and a new object otherwise; the From*
** constructors (slicing) also give the one-character singletons.  A str
** made by length has no content: what is made from one has none either
** (its length is right, its characters are not known).
*/
enum { MAKE_NEW, MAKE_FROM };

/* the I-th character of a str or bytes with content */
static uint32_t char_at(const ms_Object *o, uint32_t i) {
  const StrBody *b = o->body;
  int w = o->type == MS_BYTES ? 1 : STR_KIND(o) == STR_UCS4 ? 4 : STR_KIND(o) == STR_UCS2 ? 2 : 1;
  uint32_t c = 0;
  for (int k = w - 1; k >= 0; k--) c = (c << 8) | b->data[(size_t)i * w + (size_t)k];
  return c;
}

/* the characters of a str or bytes with content, as code points (host memory, N of them) */
static uint32_t *codepoints(const ms_Object *o) {
  uint32_t *cp = ms_xmalloc(((size_t)o->len + 1) * sizeof *cp);
  for (uint32_t i = 0; i < o->len; i++) cp[i] = char_at(o, i);
  return cp;
}

/* a new str or bytes of LEN characters CP (NULL: made by length, no content) */
static uint32_t text_make(ms_Sim *s, int type, const uint32_t *cp, uint64_t len, int mode) {
  if (len > 0x7fffffff) return SIM_FAIL0(s, "MemoryError: a %s of %llu characters", ms_type_name(type), (unsigned long long)len);
  if (len == 0) return new_string(s, type, 0);
  if (len == 1 && mode == MAKE_FROM && cp && (type == MS_BYTES || cp[0] < 0x100)) return char_singleton(s, type, cp[0]);
  if (cp == NULL) {
    ms_Object tmp = {.type = (uint8_t)type, .len = (uint32_t)len};
    return new_plain_like(s, &tmp);
  }
  uint8_t kind = BYTES_TEXT;
  StrBody *b;
  if (type == MS_STR) {
    b = encode_kind(cp, (uint32_t)len, &kind);
  } else {
    b = body_new(NULL, (uint32_t)len);
    for (uint64_t i = 0; i < len; i++) b->data[i] = (unsigned char)cp[i];
  }
  ms_Object tmp = {.type = (uint8_t)type, .len = (uint32_t)len, .cls = kind};
  uint32_t id = new_plain_like(s, &tmp);
  if (id == 0) {
    ms_xfree(b);
    return 0;
  }
  O(s, id)->body = b;
  return id;
}

static int is_text(ms_Sim *s, uint32_t id) { return O(s, id)->type == MS_STR || O(s, id)->type == MS_BYTES; }

static uint32_t same(ms_Sim *s, uint32_t id) {
  ms_incref(s, id);
  return id;
}

/*
** ITEMS (N strs or bytes of TYPE) joined, SEP (0: none) between them, into
** one new object as PyUnicode_New makes it: the characters when every
** piece has them, else a length alone.  Concatenation, join and f-strings
** end here.
*/
static uint32_t text_join(ms_Sim *s, int type, uint32_t sep, const uint32_t *items, uint32_t n) {
  uint64_t len = sep && n ? (uint64_t)O(s, sep)->len * (n - 1) : 0;
  int known = !sep || has_text(O(s, sep));
  for (uint32_t i = 0; i < n; i++) {
    len += O(s, items[i])->len;
    known &= has_text(O(s, items[i]));
  }
  if (!known) return text_make(s, type, NULL, len, MAKE_NEW);
  if (len > 0x7fffffff) return SIM_FAIL0(s, "MemoryError: a %s of %llu characters", ms_type_name(type), (unsigned long long)len);
  uint32_t *cp = ms_xmalloc(((size_t)len + 1) * sizeof *cp);
  uint64_t k = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (sep && i > 0)
      for (uint32_t j = 0; j < O(s, sep)->len; j++) cp[k++] = char_at(O(s, sep), j);
    for (uint32_t j = 0; j < O(s, items[i])->len; j++) cp[k++] = char_at(O(s, items[i]), j);
  }
  uint32_t id = text_make(s, type, cp, len, MAKE_NEW);
  ms_xfree(cp);
  return id;
}

/* PyUnicode_Concat, bytes_concat: an empty side gives the other back */
uint32_t ms_str_concat(ms_Sim *s, uint32_t a, uint32_t b) {
  ms_Object *x = O(s, a), *y = O(s, b);
  if (!is_text(s, a) || x->type != y->type)
    return SIM_FAIL0(s, "TypeError: can only concatenate %s (not \"%s\") to %s", ms_type_name(x->type),
                     ms_type_name(y->type), ms_type_name(x->type));
  if (x->len == 0) return same(s, b);
  if (y->len == 0) return same(s, a);
  uint32_t pair[2] = {a, b};
  return text_join(s, x->type, 0, pair, 2);
}

/* unicode_modifiable: only this reference, never hashed, not interned */
static int modifiable(const ms_Object *o) {
  const StrBody *b = o->body;
  return o->refcnt == 1 && !(o->flags & OF_STATIC) && !(o->cls & STR_INTERNED) && (b == NULL || b->hash == -1);
}

/*
** a += b, the caller's reference to A taken (the local being rebound)
** and the result's handed back.  A str that nothing else holds and that
** was never hashed grows in place, by realloc (PyUnicode_Append's
** resize_compact: CPython's `s += t` loop is linear because of it),
** when B's characters fit A's kind; otherwise a new str, and A dropped.
** bytes have no such path: a new object each time.  A list extends.
*/
uint32_t ms_inplace_concat(ms_Sim *s, uint32_t a, uint32_t b) {
  ms_Object *x = O(s, a), *y = O(s, b);
  if (x->type == MS_LIST) return ms_list_extend(s, a, b) < 0 ? 0 : a;
  int fits = !has_text(x) || !has_text(y) || STR_KIND(y) <= STR_KIND(x);
  if (x->type == MS_STR && y->type == MS_STR && x->len > 0 && y->len > 0 && modifiable(x) && fits) {
    uint64_t len = (uint64_t)x->len + y->len;
    if (len > 0x7fffffff) return SIM_FAIL0(s, "MemoryError: a str of more than 2^31-1 characters");
    ms_Object grown = *x;                  /* resize_compact: the same kind, longer */
    grown.len = (uint32_t)len;
    StrBody *nb = NULL;
    if (has_text(x) && has_text(y)) {
      uint32_t *p = codepoints(x), *q = codepoints(y);
      p = ms_xrealloc(p, (size_t)len * sizeof *p);
      memcpy(p + x->len, q, (size_t)y->len * sizeof *q);
      uint8_t kind;
      nb = encode_kind(p, (uint32_t)len, &kind);   /* x's kind: y's characters fit it */
      ms_xfree(p);
      ms_xfree(q);
    } else {
      grown.cls = STR_NOTEXT;              /* a length without characters */
    }
    uint64_t addr = mem_realloc_for(s, "str", x->addr, obj_request(s, x), obj_request(s, &grown));
    if (addr == 0) {
      ms_xfree(nb);
      return 0;
    }
    x = O(s, a);
    ms_xfree(x->body);
    x->body = nb;
    x->addr = addr;
    x->len = grown.len;
    x->cls = grown.cls;
    return a;
  }
  uint32_t r = ms_str_concat(s, a, b);
  if (r == 0) return 0;
  obj_release(s, a);
  return r;
}

/* unicode_repeat, bytes_repeat: times 1 gives the object back; "" for no characters,
   but bytes_repeat makes a new empty bytes (b'x' * 0) */
uint32_t ms_str_repeat(ms_Sim *s, uint32_t a, int64_t n) {
  ms_Object *x = O(s, a);
  if (n < 0) n = 0;
  if (n == 1 || (x->type == MS_BYTES && x->len == 0)) return same(s, a);
  uint64_t len = (uint64_t)x->len * (uint64_t)n;
  if (n > 0 && len / (uint64_t)n != x->len) return SIM_FAIL0(s, "OverflowError: repeated %s is too long", ms_type_name(x->type));
  if (x->type == MS_STR && len == 0) return new_string(s, MS_STR, 0);
  if (x->type == MS_BYTES && len == 0) {   /* PyObject_Malloc(PyBytesObject_SIZE + 0) */
    ms_Object tmp = {.type = MS_BYTES, .len = 0, .cls = BYTES_TEXT};
    uint32_t id = new_plain_like(s, &tmp);
    if (id) O(s, id)->body = body_new(NULL, 0);
    return id;
  }
  if (len > 0x7fffffff) return SIM_FAIL0(s, "MemoryError: a %s of %llu characters", ms_type_name(x->type), (unsigned long long)len);
  if (!has_text(x)) return text_make(s, x->type, NULL, len, MAKE_NEW);
  uint32_t *p = codepoints(x), *r = ms_xmalloc((size_t)len * sizeof *r);
  for (uint64_t i = 0; i < len; i++) r[i] = p[i % x->len];
  uint32_t id = text_make(s, x->type, r, len, MAKE_NEW);
  ms_xfree(p);
  ms_xfree(r);
  return id;
}

/* s[i:j] (PyUnicode_Substring, bytes_subscript): the whole is the object itself */
uint32_t ms_str_slice(ms_Sim *s, uint32_t a, int64_t lo, int64_t hi) {
  ms_Object *x = O(s, a);
  int64_t size = x->len;
  slice_clamp(size, &lo, &hi);
  if (lo == 0 && hi == size) return same(s, a);
  if (!has_text(x)) {
    if (hi - lo == 1) return new_string(s, x->type, 1);   /* a one-character singleton */
    return text_make(s, x->type, NULL, (uint64_t)(hi - lo), MAKE_FROM);
  }
  uint32_t *p = codepoints(x);
  uint32_t id = text_make(s, x->type, p + lo, (uint64_t)(hi - lo), MAKE_FROM);
  ms_xfree(p);
  return id;
}

/* Py_UNICODE_ISSPACE: the ASCII whitespace (0x1C-0x1F too) and Unicode's */
static int is_space(uint32_t c) {
  if (c < 128) return c == ' ' || (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x1f);
  return c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
         c == 0x202f || c == 0x205f || c == 0x3000;
}

/*
** s.split(sep=None, maxsplit=-1) (stringlib/split.h): PyList_New of
** min(maxsplit + 1, 12) slots (3.12 on: no maxsplit means the most
** splits the str can hold, not all), one new str a piece (one character: the
** cached one) put in the slots, appended past 12, the size set to the
** count at the end (the slots stay); s itself as the one item when no
** separator is found; PyList_New(1) and s when s is shorter than sep.  A
** separator of a narrower kind is widened into a PyMem buffer for the
** search, freed after.
*/
uint32_t ms_str_split(ms_Sim *s, uint32_t id, uint32_t sep, int64_t maxsplit) {
  ms_Object *o = O(s, id);
  if (o->type != MS_STR) return SIM_FAIL0(s, "split: a str expected, got %s", ms_type_name(o->type));
  if (!has_text(o)) return SIM_FAIL0(s, "split needs a str with characters (made from text)");
  uint32_t *sp = NULL, seplen = 0;
  uint64_t widened = 0, widened_bytes = 0;
  if (sep) {
    ms_Object *so = O(s, sep);
    if (so->type != MS_STR) return SIM_FAIL0(s, "TypeError: must be str or None, not %s", ms_type_name(so->type));
    if (!has_text(so)) return SIM_FAIL0(s, "split needs a separator with characters (made from text)");
    if (so->len == 0) return SIM_FAIL0(s, "ValueError: empty separator");
    int k1 = STR_KIND(o) == STR_UCS4 ? 4 : STR_KIND(o) == STR_UCS2 ? 2 : 1;
    int k2 = STR_KIND(so) == STR_UCS4 ? 4 : STR_KIND(so) == STR_UCS2 ? 2 : 1;
    if (k1 < k2 || o->len < so->len) {     /* PyList_New(1), s itself */
      uint32_t l = new_list(s, 1);
      if (l == 0) return 0;
      ms_incref(s, id);
      ((uint32_t *)O(s, l)->body)[0] = id;
      return l;
    }
    if (k2 < k1) {                         /* unicode_askind: the separator widened */
      widened_bytes = (uint64_t)so->len * (uint64_t)k1;
      if ((widened = mem_alloc_for(s, "unicode_askind", widened_bytes)) == 0) return 0;
    }
    sp = codepoints(O(s, sep));
    seplen = O(s, sep)->len;
  }
  if (maxsplit < 0 && s->prof->split_bound) {   /* 3.12: all of them, as many as the str can hold */
    int64_t len1 = O(s, id)->len;
    maxsplit = sep ? len1 / seplen + 1 : (len1 - 1) / 2 + 1;
  } else if (maxsplit < 0) {
    maxsplit = INT64_MAX;
  }
  uint32_t prealloc = maxsplit >= 12 ? 12 : (uint32_t)maxsplit + 1;
  uint32_t *cp = codepoints(O(s, id)), len = O(s, id)->len, count = 0;
  uint32_t list = new_list(s, prealloc), r = 0;
  if (list == 0) goto out;
  uint64_t i = 0, j = 0;
#define SPLIT_ADD(left, right)                                                    \
  do {                                                                            \
    uint32_t sub = text_make(s, MS_STR, cp + (left), (right) - (left), MAKE_FROM); \
    if (sub == 0) goto fail;                                                      \
    if (count < 12) {                                                             \
      ((uint32_t *)O(s, list)->body)[count] = sub;                                \
    } else {                                                                      \
      int rc = ms_append(s, list, sub);                                           \
      obj_release(s, sub);                                                        \
      if (rc < 0) goto fail;                                                      \
    }                                                                             \
    count++;                                                                      \
  } while (0)
  if (sep == 0) {                          /* split_whitespace */
    while (maxsplit-- > 0) {
      while (i < len && is_space(cp[i])) i++;
      if (i == len) break;
      j = i++;
      while (i < len && !is_space(cp[i])) i++;
      if (j == 0 && i == len) {            /* no whitespace: s itself */
        ms_incref(s, id);
        ((uint32_t *)O(s, list)->body)[0] = id;
        count++;
        break;
      }
      SPLIT_ADD(j, i);
    }
    if (i < len) {                         /* maxsplit reached: the rest */
      while (i < len && is_space(cp[i])) i++;
      if (i != len) SPLIT_ADD(i, len);
    }
  } else {                                 /* split_char and split: the same pieces */
    while (maxsplit-- > 0) {
      uint64_t pos = i;
      while (pos + seplen <= len && memcmp(cp + pos, sp, seplen * sizeof *cp) != 0) pos++;
      if (pos + seplen > len) break;
      SPLIT_ADD(i, pos);
      i = pos + seplen;
      if (seplen == 1 && i >= len) break;  /* split_char stops at the end */
    }
    if (count == 0) {                      /* no separator: s itself */
      ms_incref(s, id);
      ((uint32_t *)O(s, list)->body)[0] = id;
      count++;
    } else {
      SPLIT_ADD(i, len);
    }
  }
#undef SPLIT_ADD
  if (count < 12) O(s, list)->len = count;   /* FIX_PREALLOC_SIZE */
  r = list;
  goto out;
fail:
  if (count < 12) O(s, list)->len = count;   /* the empty slots are not references */
  obj_release(s, list);
out:
  if (widened) mem_free_for(s, "unicode_askind", widened, widened_bytes);
  ms_xfree(cp);
  ms_xfree(sp);
  return r;
}

/*
** s.upper(), s.lower(): an ASCII str through ascii_upper_or_lower, always a
** new str (one character too); another through case_operation, a
** PyMem buffer of 12 bytes a character (up to three code points each)
** around the new str.  "" is the empty one.  memsim maps ASCII and
** Latin-1 (ß upper is SS, ÿ upper is Ÿ, µ upper is Μ); other characters
** are an error.
*/
uint32_t ms_str_case(ms_Sim *s, uint32_t id, int upper) {
  ms_Object *o = O(s, id);
  if (o->type != MS_STR) return SIM_FAIL0(s, "%s: a str expected, got %s", upper ? "upper" : "lower", ms_type_name(o->type));
  if (!has_text(o)) return SIM_FAIL0(s, "%s needs a str with characters (made from text)", upper ? "upper" : "lower");
  uint32_t len = o->len;
  if (len == 0) return new_string(s, MS_STR, 0);
  int ascii = STR_KIND(o) == STR_ASCII;
  uint32_t *cp = codepoints(o), *out = ms_xmalloc(3 * (size_t)len * sizeof *out), n = 0;
  for (uint32_t i = 0; i < len; i++) {
    uint32_t c = cp[i];
    if (c >= 0x100) {
      ms_xfree(cp);
      ms_xfree(out);
      return SIM_FAIL0(s, "%s: memsim maps ASCII and Latin-1 characters, not U+%04X", upper ? "upper" : "lower", c);
    }
    if (upper) {
      if (c == 0xdf) { out[n++] = 'S'; c = 'S'; }
      else if (c == 0xff) c = 0x178;
      else if (c == 0xb5) c = 0x39c;
      else if ((c >= 'a' && c <= 'z') || (c >= 0xe0 && c <= 0xfe && c != 0xf7)) c -= 0x20;
    } else if ((c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7)) {
      c += 0x20;
    }
    out[n++] = c;
  }
  uint64_t tmp = 0, tmp_bytes = 12 * (uint64_t)len;
  if (!ascii && (tmp = mem_alloc_for(s, "case_operation", tmp_bytes)) == 0) {
    ms_xfree(cp);
    ms_xfree(out);
    return 0;
  }
  uint32_t r = text_make(s, MS_STR, out, n, MAKE_NEW);
  if (tmp) mem_free_for(s, "case_operation", tmp, tmp_bytes);
  ms_xfree(cp);
  ms_xfree(out);
  return r;
}

/* s.strip(), s.lstrip(), s.rstrip() (do_strip, whitespace): PyUnicode_Substring of the rest */
uint32_t ms_str_strip(ms_Sim *s, uint32_t id, int left, int right) {
  ms_Object *o = O(s, id);
  if (o->type != MS_STR) return SIM_FAIL0(s, "strip: a str expected, got %s", ms_type_name(o->type));
  if (!has_text(o)) return SIM_FAIL0(s, "strip needs a str with characters (made from text)");
  uint32_t *cp = codepoints(o);
  int64_t i = 0, j = o->len;
  if (left) while (i < j && is_space(cp[i])) i++;
  if (right) while (j > i && is_space(cp[j - 1])) j--;
  ms_xfree(cp);
  return ms_str_slice(s, id, i, j);
}

/*
** sep.join(seq) (_PyUnicode_JoinArray, bytes join): seq a list or tuple
** of strs (bytes); no item gives "", one str item is given back, more
** make one new object.
*/
uint32_t ms_str_join(ms_Sim *s, uint32_t sep, uint32_t seq) {
  ms_Object *o = O(s, seq), *so = O(s, sep);
  if (!is_text(s, sep)) return SIM_FAIL0(s, "TypeError: join needs a str or bytes separator, not %s", ms_type_name(so->type));
  if (o->type != MS_LIST && o->type != MS_TUPLE)
    return SIM_FAIL0(s, "TypeError: join takes a list or a tuple here, not %s", ms_type_name(o->type));
  uint32_t n = o->len;
  const uint32_t *items = o->body;
  for (uint32_t i = 0; i < n; i++)
    if (items[i] == 0 || O(s, items[i])->type != so->type)
      return SIM_FAIL0(s, "TypeError: sequence item %u: expected %s instance, %s found", i, ms_type_name(so->type),
                       items[i] ? ms_type_name(O(s, items[i])->type) : "an empty slot");
  if (n == 0) return new_string(s, so->type, 0);
  if (n == 1) return same(s, items[0]);
  return text_join(s, so->type, sep, items, n);
}

/*
** long_to_decimal_string's scratch: an int of 1 + d + d / 99 digits for
** an int of d digits (its upper bound on the base-10^9 digits), made
** before the text and dropped after it.  Never seen by the program, but
** an allocation in the middle of every str(int), f"{i}" and "%d" % i.
*/
uint32_t scratch_of_digits(ms_Sim *s, uint32_t d) { return long_new_digits(s, 1 + d + d / 99); }

static uint32_t decimal_scratch(ms_Sim *s, int64_t v) {
  uint64_t m = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
  uint32_t d = 0;
  for (; m; m >>= 30) d++;
  return scratch_of_digits(s, d);
}

/*
** str(o): a str is itself; an int that knows its value is written in
** decimal into a new str, one digit long included (long_to_decimal_string
** never hands out a singleton), its scratch int alive meanwhile.
*/
uint32_t ms_str_of(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  if (o->type == MS_STR) return same(s, id);
  char buf[48];
  uint32_t digits;
  int n = ms_int_decimal(s, id, buf, &digits);
  if (n >= 0) {
    uint32_t cp[48];
    for (int i = 0; i < n; i++) cp[i] = (unsigned char)buf[i];
    uint32_t scratch = scratch_of_digits(s, digits);
    if (scratch == 0) return 0;
    uint32_t r = text_make(s, MS_STR, cp, (uint64_t)n, MAKE_NEW);   /* MAKE_NEW: one digit is a new str too */
    obj_release(s, scratch);
    return r;
  }
  double d;
  if (float_value(o, &d)) {                /* float_repr: PyOS_double_to_string's buffer around the str */
    char text[40];
    uint32_t cp[40];
    size_t bufsize = float_repr(d, text), len = strlen(text);
    uint64_t block = mem_alloc_for(s, "float repr buffer", bufsize);
    if (block == 0) return 0;
    for (size_t i = 0; i < len; i++) cp[i] = (unsigned char)text[i];
    uint32_t r = text_make(s, MS_STR, cp, (uint64_t)len, MAKE_FROM);
    mem_free_for(s, "float repr buffer", block, bufsize);
    return r;
  }
  return SIM_FAIL0(s, "str() of %s: memsim knows the text of strs, and of ints and floats made from a value, only",
                   ms_type_name(o->type));
}

/* the builtin call str(o): before vectorcall reached str (3.9, 3.10) and
   while 3.12's call is unspecialised, its argument comes in a 1-tuple */
uint32_t ms_str_call(ms_Sim *s, uint32_t id) {
  uint32_t args = 0;
  if (s->prof->str_call_tuple && (args = args_tuple(s, id)) == 0) return 0;
  uint32_t r = ms_str_of(s, id);
  if (args) obj_release(s, args);
  return r;
}

/*
** FORMAT_VALUE (3.13: FORMAT_SIMPLE) of O, no format spec: PyObject_Format
** gives a str itself and str() of an int; for a float it calls
** float.__format__(""), found as a bound method (a GC object of 56 bytes
** made and dropped around the call), which is str() again.
*/
uint32_t format_value(ms_Sim *s, uint32_t o) {
  if (O(s, o)->type != MS_FLOAT) return ms_str_of(s, o);
  uint64_t meth = bound_method_new(s);
  if (meth == 0) return 0;
  uint32_t r = ms_str_of(s, o);
  bound_method_drop(s, meth);
  return r;
}

/* the text of an ASCII str made from text into OUT (CAP bytes with the NUL): its length, or -1 */
int str_ascii_text(ms_Sim *s, uint32_t id, char *out, size_t cap) {
  const ms_Object *o = O(s, id);
  if (o->type != MS_STR || !has_text(o) || STR_KIND(o) != STR_ASCII || o->len + 1 > cap) return -1;
  uint32_t *cp = codepoints(o);
  for (uint32_t i = 0; i < o->len; i++) out[i] = (char)cp[i];
  out[o->len] = 0;
  ms_xfree(cp);
  return (int)o->len;
}

/* the characters of a str made from text (host memory, the caller frees), or NULL */
uint32_t *str_codepoints(ms_Sim *s, uint32_t id) {
  const ms_Object *o = O(s, id);
  return o->type == MS_STR && has_text(o) ? codepoints(o) : NULL;
}

/*
** f"..." with N pieces, each a constant part (TEXT, 0 objects) or an
** object (FORMAT_VALUE: str(o), or format(o, spec) with a spec):
** BUILD_STRING joins them into one new
** str and drops the formatted pieces, the last first.  One formatted
** piece alone is the result.
*/
uint32_t ms_fstring(ms_Sim *s, uint32_t n, const uint32_t *objs, const char *const *texts, const size_t *lens,
                    const char *const *specs, const size_t *speclens) {
  uint32_t *pieces = ms_xcalloc(n ? n : 1, sizeof *pieces);
  uint32_t r = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (objs[i]) {
      pieces[i] = specs && specs[i] ? ms_format(s, objs[i], specs[i], speclens[i]) : format_value(s, objs[i]);
      if (pieces[i] == 0) goto out;
    } else {
      pieces[i] = ms_str_literal(s, MS_STR, texts[i], lens[i]);
      if (pieces[i] == 0) goto out;
    }
  }
  if (n == 1) {
    r = pieces[0];
    pieces[0] = 0;
    goto out;
  }
  r = text_join(s, MS_STR, 0, pieces, n);
out:
  for (uint32_t i = n; i-- > 0;) {
    if (pieces[i] == 0) continue;
    if (O(s, pieces[i])->flags & OF_STATIC) O(s, pieces[i])->refcnt--;   /* a constant's reference */
    else obj_release(s, pieces[i]);
  }
  ms_xfree(pieces);
  return r;
}

/* ====================================================================
** str % args: PyUnicode_Format and the _PyUnicodeWriter behind it
** ==================================================================== */

/*
** The writer builds its result in a str object, the buffer, made on the
** first write and grown as it goes:
**
**   first write    PyUnicode_New(max(pos + n (+ a quarter when
**                  overallocating), min_length)): min_length is the
**                  format's length + 100, so a short result is first a
**                  str of 100-odd characters
**   no room        resize_compact (realloc) to pos + n (+ a quarter)
**   wider char     a new buffer of the wider kind, the old one dropped
**   the end        resize_compact to the characters written: a block
**                  that shrinks by more than a quarter moves (pymalloc)
**
** It overallocates until the format's last piece.  A str written whole
** into no buffer while not overallocating becomes the buffer itself,
** read-only ("%s" % s is s).  A result of one latin-1 character is the
** singleton.
*/

static uint32_t kind_maxchar(int kind) {
  return kind == STR_UCS4 ? 0x10ffff : kind == STR_UCS2 ? 0xffff : kind == STR_LATIN1 ? 0xff : 0x7f;
}

static uint8_t maxchar_kind(uint32_t c) {
  return c < 0x80 ? STR_ASCII : c < 0x100 ? STR_LATIN1 : c < 0x10000 ? STR_UCS2 : STR_UCS4;
}

/* PyUnicode_New(n, maxchar): the characters come later */
static uint32_t uw_buffer_new(ms_Sim *s, uint64_t n, uint32_t maxchar) {
  if (n > 0x7fffffff) return SIM_FAIL0(s, "MemoryError: a str of %llu characters", (unsigned long long)n);
  ms_Object tmp = {.type = MS_STR, .len = (uint32_t)n, .cls = maxchar_kind(maxchar)};
  return new_plain_like(s, &tmp);
}

/* resize_compact: the buffer's block reallocated for N characters */
static int uw_resize(ms_Sim *s, uint32_t id, uint64_t n) {
  ms_Object *x = O(s, id), grown = *x;
  grown.len = (uint32_t)n;
  uint64_t addr = mem_realloc_for(s, "str", x->addr, obj_request(s, x), obj_request(s, &grown));
  if (addr == 0) return -1;
  O(s, id)->addr = addr;
  O(s, id)->len = (uint32_t)n;
  return 0;
}

/* _PyUnicodeWriter_PrepareInternal: room for N more characters up to MAXCHAR */
static int uw_prepare_internal(ms_Sim *s, UWriter *w, uint64_t n, uint32_t maxchar) {
  uint64_t newlen = w->pos + n;
  if (maxchar < 127) maxchar = 127;                  /* min_char: ASCII at least */
  if (w->buf == 0 || newlen > w->size) {
    if (newlen > 0x7fffffff) return sim_error(s, "MemoryError: a str of more than 2^31-1 characters");
    if (w->overallocate) newlen += newlen / 4;      /* OVERALLOCATE_FACTOR */
    if (newlen < w->min_length) newlen = w->min_length;
  }
  if (w->buf == 0) {
    if ((w->buf = uw_buffer_new(s, newlen, maxchar)) == 0) return -1;
  } else if (newlen > w->size) {
    if (maxchar > w->maxchar || w->readonly) {       /* resize and widen: a new buffer */
      uint32_t nb = uw_buffer_new(s, newlen, maxchar > w->maxchar ? maxchar : w->maxchar);
      if (nb == 0) return -1;
      obj_release(s, w->buf);
      w->buf = nb;
      w->readonly = 0;
    } else if (uw_resize(s, w->buf, newlen) < 0) {
      return -1;
    }
  } else if (maxchar > w->maxchar) {                 /* widen: the same length */
    uint32_t nb = uw_buffer_new(s, w->size, maxchar);
    if (nb == 0) return -1;
    obj_release(s, w->buf);
    w->buf = nb;
  }
  w->maxchar = kind_maxchar(STR_KIND(O(s, w->buf)));
  w->size = O(s, w->buf)->len;
  return 0;
}

/* _PyUnicodeWriter_Prepare: the macro's test first */
int uw_prepare(ms_Sim *s, UWriter *w, uint64_t n, uint32_t maxchar) {
  if (maxchar <= w->maxchar && w->buf && n <= w->size - w->pos) return 0;
  if (n == 0) return 0;
  return uw_prepare_internal(s, w, n, maxchar);
}

/* the characters written, kept on the host side (CP NULL: N unknown ones) */
void uw_put(UWriter *w, const uint32_t *cp, uint64_t n) {
  if (w->pos + n > w->cpcap) {
    w->cpcap = (w->pos + n) * 2;
    w->cp = ms_xrealloc(w->cp, w->cpcap * sizeof *w->cp);
  }
  for (uint64_t i = 0; i < n; i++) w->cp[w->pos + i] = cp ? cp[i] : '?';
  if (cp == NULL) w->unknown = 1;
  w->pos += n;
}

/* _PyUnicodeWriter_WriteStr */
int uw_write_str(ms_Sim *s, UWriter *w, uint32_t str) {
  ms_Object *o = O(s, str);
  uint64_t n = o->len;
  if (n == 0) return 0;
  uint32_t maxchar = kind_maxchar(has_text(o) ? STR_KIND(o) : STR_ASCII);
  if (w->buf == 0 || maxchar > w->maxchar || n > w->size - w->pos) {
    if (w->buf == 0 && !w->overallocate) {           /* the str itself, read-only */
      ms_incref(s, str);
      w->buf = str;
      w->readonly = 1;
      w->maxchar = maxchar;
      w->size = n;
      uint32_t *cp = has_text(o) ? codepoints(o) : NULL;
      uw_put(w, cp, n);
      ms_xfree(cp);
      return 0;
    }
    if (uw_prepare_internal(s, w, n, maxchar) < 0) return -1;
  }
  o = O(s, str);
  uint32_t *cp = has_text(o) ? codepoints(o) : NULL;
  uw_put(w, cp, n);
  ms_xfree(cp);
  return 0;
}

/* _PyUnicodeWriter_WriteASCIIString: into a writer with no buffer that
   does not overallocate, the text becomes a str of its own, read-only */
int uw_write_ascii(ms_Sim *s, UWriter *w, const char *text, size_t n) {
  if (n == 0) return 0;
  if (w->buf == 0 && !w->overallocate) {
    uint32_t str = str_from_ascii(s, text, n);
    if (str == 0) return -1;
    w->buf = str;
    w->readonly = 1;
    w->maxchar = 127;
    w->size = n;
  } else if (uw_prepare(s, w, n, 127) < 0) {
    return -1;
  }
  for (size_t i = 0; i < n; i++) {
    uint32_t c = (unsigned char)text[i];
    uw_put(w, &c, 1);
  }
  return 0;
}

/* _PyUnicodeWriter_WriteSubstring: FMT's characters LO to HI */
static int uw_write_sub(ms_Sim *s, UWriter *w, uint32_t fmt, const uint32_t *fcp, uint64_t lo, uint64_t hi) {
  if (hi == 0) return 0;
  if (lo == 0 && hi == O(s, fmt)->len) return uw_write_str(s, w, fmt);
  uint32_t maxchar = w->maxchar;
  if (kind_maxchar(STR_KIND(O(s, fmt))) > w->maxchar) {
    maxchar = 0;                                      /* _PyUnicode_FindMaxChar */
    for (uint64_t i = lo; i < hi; i++) if (fcp[i] > maxchar) maxchar = fcp[i];
  }
  if (uw_prepare(s, w, hi - lo, maxchar) < 0) return -1;
  uw_put(w, fcp + lo, hi - lo);
  return 0;
}

/* _PyUnicode_FromASCII: a new str of those characters ("" and one are singletons) */
uint32_t str_from_ascii(ms_Sim *s, const char *text, size_t n) {
  uint32_t *cp = ms_xmalloc((n ? n : 1) * sizeof *cp);
  for (size_t i = 0; i < n; i++) cp[i] = (unsigned char)text[i];
  uint32_t r = text_make(s, MS_STR, cp, n, MAKE_FROM);
  ms_xfree(cp);
  return r;
}

/* _PyUnicodeWriter_Dealloc: a writer given up */
void uw_dealloc(ms_Sim *s, UWriter *w) {
  if (w->buf) obj_release(s, w->buf);
  w->buf = 0;
  ms_xfree(w->cp);
  w->cp = NULL;
}

/* _PyUnicodeWriter_Finish */
uint32_t uw_finish(ms_Sim *s, UWriter *w) {
  uint32_t str = w->buf;
  w->buf = 0;
  if (w->pos == 0) {
    if (str) obj_release(s, str);
    return new_string(s, MS_STR, 0);
  }
  if (w->readonly) return str;
  if (O(s, str)->len != w->pos && uw_resize(s, str, w->pos) < 0) {
    obj_release(s, str);
    return 0;
  }
  ms_Object *o = O(s, str);
  if (w->unknown) {
    if (STR_KIND(o) != STR_ASCII) {
      obj_release(s, str);
      return SIM_FAIL0(s, "a str made by length has no characters to write among non-ASCII ones");
    }
    o->cls = STR_NOTEXT;                               /* its length only */
    return str;
  }
  uint8_t kind;
  o->body = encode_kind(w->cp, (uint32_t)w->pos, &kind);
  if (w->pos == 1 && STR_KIND(o) <= STR_LATIN1) {     /* unicode_result_ready */
    uint32_t c = w->cp[0];
    obj_release(s, str);
    return char_singleton(s, MS_STR, c);
  }
  return str;
}

/* an int's digits in BASE into the writer (_PyLong_FormatWriter; ALT: its
   0x or 0o): long_to_decimal_string's scratch around it for base 10,
   long_format_binary's none for 8 and 16 */
static int uw_write_int(ms_Sim *s, UWriter *w, int64_t v, int base, int alt) {
  char text[72];
  int n = base == 10 ? snprintf(text, sizeof text, "%lld", (long long)v)
        : snprintf(text, sizeof text, base == 16 ? "%s%s%llx" : "%s%s%llo", v < 0 ? "-" : "",
                   alt ? (base == 16 ? "0x" : "0o") : "", (unsigned long long)(v < 0 ? 0 - (uint64_t)v : (uint64_t)v));
  uint32_t scratch = 0, cp[72];
  if (base == 10 && (scratch = decimal_scratch(s, v)) == 0) return -1;
  int rc = uw_prepare(s, w, (uint64_t)n, base == 10 ? '9' : 'x');
  if (rc == 0) {
    for (int i = 0; i < n; i++) cp[i] = (unsigned char)text[i];
    uw_put(w, cp, (uint64_t)n);
  }
  if (scratch) obj_release(s, scratch);
  return rc;
}

/*
** One conversion of PyUnicode_Format: unicode_format_arg_parse's flags,
** width and precision, then unicode_format_arg_format and _output.
** Straight into the writer (the fast paths): an int for %s %r %a %d %i
** %u %x %o without width, precision or a sign flag (not %X); a float for
** %e %f %g (and upper case) likewise; %c without width.  Otherwise the
** argument's str is made first (str(), or _PyUnicode_FormatLong: str(i),
** or the hex or octal text and a copy without its 0x, a bytes object
** for a precision's zeros; PyOS_double_to_string's text), then written
** padded, and dropped.
*/
enum { F_LJUST = 1, F_SIGN = 2, F_BLANK = 4, F_ALT = 8, F_ZERO = 16 };

typedef struct FmtArg {
  uint32_t ch;
  int flags;
  int64_t width, prec;     /* -1: none */
  int sign;                /* a numeric conversion: the sign handled by the output */
} FmtArg;

#define FMT_MAX_WIDTH 100000

/* _PyUnicode_FormatLong: the text of int V for %d %i %u %o %x %X made a str */
static uint32_t format_long(ms_Sim *s, uint32_t v, const FmtArg *a) {
  int base = a->ch == 'o' ? 8 : a->ch == 'x' || a->ch == 'X' ? 16 : 10, neg;
  char mag[140];
  uint32_t digits;
  if (ms_int_digits(s, v, base, a->ch == 'X', mag, &neg, &digits) < 0)
    return SIM_FAIL0(s, "%% formatting: memsim formats ints made from a value");
  char *text = ms_xmalloc((size_t)(a->prec > 0 ? a->prec : 0) + 160), *buf = text;
  /* PyNumber_ToBase: str(v) for 10; long_format_binary's text, with its
     prefix, for 8 and 16 (%X's made upper case in place below: the same str) */
  snprintf(text, 160, "%s%s%s", neg ? "-" : "", base == 16 ? (a->ch == 'X' ? "0X" : "0x") : base == 8 ? "0o" : "",
           mag);
  uint32_t result = base == 10 ? ms_str_of(s, v) : str_from_ascii(s, text, strlen(text));
  if (result == 0) {
    ms_xfree(text);
    return 0;
  }
  int len = (int)strlen(text), numnondigits = (base == 10 ? 0 : 2) + neg, numdigits = len - numnondigits;
  int copied = 0;
  if (!(a->flags & F_ALT) && base != 10) { /* the base marker removed */
    numnondigits -= 2;
    buf += 2;
    len -= 2;
    if (neg) buf[0] = '-';
    copied = 1;
  }
  if (a->prec > numdigits) {               /* zeros to the precision: a bytes object */
    uint32_t r1 = new_string(s, MS_BYTES, numnondigits + a->prec);
    if (r1 == 0) {
      obj_release(s, result);
      ms_xfree(text);
      return 0;
    }
    char *b1 = ms_xmalloc((size_t)(numnondigits + a->prec) + 1);
    int o = 0;
    for (int i = 0; i < numnondigits; i++) b1[o++] = buf[i];
    for (int64_t i = 0; i < a->prec - numdigits; i++) b1[o++] = '0';
    for (int i = 0; i < numdigits; i++) b1[o++] = buf[numnondigits + i];
    b1[o] = 0;
    obj_release(s, result);
    result = r1;
    memcpy(text, b1, (size_t)o + 1);
    ms_xfree(b1);
    buf = text;
    len = o;
    copied = 1;
  }
  if (a->ch == 'X')
    for (int i = 0; i < len; i++) if (buf[i] >= 'a' && buf[i] <= 'x') buf[i] = (char)(buf[i] - 'a' + 'A');
  if (copied) {                            /* _PyUnicode_FromASCII of the text, the first one dropped */
    uint32_t u = str_from_ascii(s, buf, (size_t)len);
    obj_release(s, result);
    result = u;
  }
  ms_xfree(text);
  return result;
}

/* unicode_format_arg_format: 1 written into the writer, 0 with *OUT made, -1 */
static int arg_format(ms_Sim *s, UWriter *w, FmtArg *a, uint32_t v, uint32_t *out) {
  ms_Object *vo = O(s, v);
  int64_t iv;
  double d;
  int is_int = vo->type == MS_INT, known = is_int && ms_int_value(s, v, &iv);
  switch (a->ch) {
  case 's': case 'r': case 'a':
    if (is_int && a->width < 0 && a->prec < 0) {
      if (!known) return sim_error(s, "%% formatting: memsim formats ints made from a value (up to 64 bits)");
      return uw_write_int(s, w, iv, 10, 0) < 0 ? -1 : 1;
    }
    if (vo->type == MS_STR && a->ch == 's') {
      ms_incref(s, v);
      *out = v;
      return 0;
    }
    if (vo->type == MS_STR) return sim_error(s, "%% formatting: %%%c of a str (its repr) is not modelled", (int)a->ch);
    if (!is_int && !(vo->type == MS_FLOAT && float_value(vo, &d)))
      return sim_error(s, "TypeError: %%%c of %s: memsim formats strs, and ints and floats made from a value",
                       (int)a->ch, ms_type_name(vo->type));
    *out = ms_str_of(s, v);                /* PyObject_Str, PyObject_Repr: the same for numbers */
    return *out ? 0 : -1;
  case 'i': case 'd': case 'u': case 'o': case 'x': case 'X':
    if (!is_int)
      return sim_error(s, "%% formatting: %%%c of %s is not modelled (memsim formats ints with it)", (int)a->ch,
                       ms_type_name(vo->type));
    if (a->width < 0 && a->prec < 0 && !(a->flags & (F_SIGN | F_BLANK)) && a->ch != 'X') {
      if (!known) return sim_error(s, "%% formatting: memsim formats ints made from a value (up to 64 bits)");
      int base = a->ch == 'x' ? 16 : a->ch == 'o' ? 8 : 10;
      return uw_write_int(s, w, iv, base, base != 10 && (a->flags & F_ALT)) < 0 ? -1 : 1;
    }
    if (a->prec > 1000) return sim_error(s, "%% formatting: memsim gives ints a precision up to 1000");
    a->sign = 1;
    *out = format_long(s, v, a);
    return *out ? 0 : -1;
  case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': {
    if (known) d = (double)iv;
    else if (!(vo->type == MS_FLOAT && float_value(vo, &d)))
      return sim_error(s, "TypeError: %%%c of %s: memsim formats floats and ints made from a value", (int)a->ch,
                       ms_type_name(vo->type));
    if (a->prec > MS_FLOAT_MAX_PRECISION)
      return sim_error(s, "%% formatting: memsim formats floats with a precision up to %d", MS_FLOAT_MAX_PRECISION);
    char text[512];
    size_t bufsize = ms_double_to_string(d, (char)a->ch, a->prec < 0 ? 6 : (int)a->prec,
                                         (a->flags & F_ALT) ? MS_DTSF_ALT : 0, text);
    uint64_t buf = mem_alloc_for(s, "PyOS_double_to_string", bufsize);
    if (buf == 0) return -1;
    int rc = 0;
    if (a->width < 0 && a->prec < 0 && !(a->flags & (F_SIGN | F_BLANK))) {
      rc = uw_write_ascii(s, w, text, strlen(text)) < 0 ? -1 : 1;
    } else {
      a->sign = 1;
      *out = str_from_ascii(s, text, strlen(text));
      rc = *out ? 0 : -1;
    }
    mem_free_for(s, "PyOS_double_to_string", buf, bufsize);
    return rc;
  }
  case 'c': {
    uint32_t c;
    if (vo->type == MS_STR && vo->len == 1 && has_text(vo)) c = char_at(vo, 0);
    else if (known && iv >= 0 && iv <= 0x10ffff) c = (uint32_t)iv;
    else return sim_error(s, "TypeError: %%c requires an int in range(0x110000) or a one-character str");
    if (a->width < 0 && a->prec < 0) {
      if (uw_prepare(s, w, 1, c) < 0) return -1;
      uw_put(w, &c, 1);
      return 1;
    }
    *out = text_make(s, MS_STR, &c, 1, MAKE_FROM);   /* PyUnicode_FromOrdinal */
    return *out ? 0 : -1;
  }
  default:
    return sim_error(s, "%% formatting: memsim models the conversions s r a d i u o x X e E f F g G c and %%%%, "
                        "not '%c'", (int)(a->ch < 128 && a->ch >= 32 ? a->ch : '?'));
  }
}

/* unicode_format_arg_output: STR signed, prefixed and padded into the writer */
static int arg_output(ms_Sim *s, UWriter *w, FmtArg *a, uint32_t str) {
  uint32_t fill = a->sign && (a->flags & F_ZERO) ? '0' : ' ';
  uint64_t len = O(s, str)->len;
  if ((a->width < 0 || (uint64_t)a->width <= len) && (a->prec < 0 || (uint64_t)a->prec >= len) &&
      !(a->flags & (F_SIGN | F_BLANK)))
    return uw_write_str(s, w, str);
  uint32_t *cp = str_codepoints(s, str);
  if (cp == NULL) return sim_error(s, "%% formatting with a width or precision needs the str's characters (a str made from text)");
  if ((a->ch == 's' || a->ch == 'r' || a->ch == 'a') && a->prec >= 0 && len > (uint64_t)a->prec) len = (uint64_t)a->prec;
  uint64_t pindex = 0;
  uint32_t signchar = 0;
  if (a->sign) {
    if (len > 0 && (cp[0] == '-' || cp[0] == '+')) {
      signchar = cp[0];
      len--;
      pindex++;
    } else if (a->flags & F_SIGN) {
      signchar = '+';
    } else if (a->flags & F_BLANK) {
      signchar = ' ';
    } else {
      a->sign = 0;
    }
  }
  int64_t width = a->width < (int64_t)len ? (int64_t)len : a->width;
  uint32_t maxchar = 127;
  for (uint64_t i = 0; i < pindex + len; i++) if (cp[i] > maxchar) maxchar = cp[i];
  uint64_t buflen = (uint64_t)width + (a->sign && (int64_t)len == width);
  uint32_t *o = ms_xmalloc((buflen + 4) * sizeof *o);
  uint64_t n = 0;
  int prefix = (a->flags & F_ALT) && (a->ch == 'x' || a->ch == 'X' || a->ch == 'o');
  int rc = uw_prepare(s, w, buflen, maxchar);
  if (rc == 0) {
    if (a->sign) {
      if (fill != ' ') o[n++] = signchar;
      if (width > (int64_t)len) width--;
    }
    if (prefix) {
      if (fill != ' ') {
        o[n++] = cp[pindex];
        o[n++] = cp[pindex + 1];
        pindex += 2;
      }
      width -= 2;
      if (width < 0) width = 0;
      len -= 2;
    }
    if (width > (int64_t)len && !(a->flags & F_LJUST)) {
      for (int64_t i = 0; i < width - (int64_t)len; i++) o[n++] = fill;
      width = (int64_t)len;
    }
    if (fill == ' ') {
      if (a->sign) o[n++] = signchar;
      if (prefix) {
        o[n++] = cp[pindex];
        o[n++] = cp[pindex + 1];
        pindex += 2;
      }
    }
    for (uint64_t i = 0; i < len; i++) o[n++] = cp[pindex + i];
    for (int64_t i = (int64_t)len; i < width; i++) o[n++] = ' ';
    uw_put(w, o, n);
  }
  ms_xfree(o);
  ms_xfree(cp);
  return rc;
}

/* a decimal number of the format at *POS (bounded), or -1 */
static int64_t fmt_number(const uint32_t *fcp, uint64_t flen, uint64_t *pos) {
  int64_t v = 0;
  while (*pos < flen && fcp[*pos] >= '0' && fcp[*pos] <= '9') {
    v = v * 10 + (fcp[(*pos)++] - '0');
    if (v > FMT_MAX_WIDTH) return -1;
  }
  return v;
}

/*
** FMT % ARGS (PyUnicode_Format): FMT a str with characters; ARGS a tuple
** of the values or one value.  Each conversion as above: flags - + space
** # 0, a width and a precision (not '*'), %s %r %a (strs; ints and floats
** made from a value; %r of a str is not modelled), %d %i %u %o %x %X (ints),
** %e %E %f %F %g %G (floats and ints), %c and %%.  %(name)s is not modelled.
*/
uint32_t ms_str_format(ms_Sim *s, uint32_t fmt, uint32_t args) {
  ms_Object *f = O(s, fmt);
  if (f->type != MS_STR) return SIM_FAIL0(s, "TypeError: %% formatting here is for str, not %s", ms_type_name(f->type));
  if (!has_text(f)) return SIM_FAIL0(s, "%% formatting needs a format with characters (sim:literal(\"...\")), not a str made by length");
  int tuple = O(s, args)->type == MS_TUPLE;
  if (O(s, args)->type == MS_DICT)
    return SIM_FAIL0(s, "%% formatting with a mapping (%%(name)s) is not modelled");
  int64_t arglen = tuple ? (int64_t)O(s, args)->len : -1, argidx = tuple ? 0 : -2;
  uint64_t flen = f->len;
  uint32_t *fcp = codepoints(f);
  UWriter w = {.min_length = flen + 100, .overallocate = 1};
  uint64_t pos = 0;
  uint32_t r = 0;
  while (pos < flen) {
    if (fcp[pos] != '%') {                           /* a run of characters */
      uint64_t start = pos;
      while (pos < flen && fcp[pos] != '%') pos++;
      if (pos >= flen) w.overallocate = 0;           /* the format's last piece */
      if (uw_write_sub(s, &w, fmt, fcp, start, pos) < 0) goto fail;
      continue;
    }
    pos++;                                           /* past the '%' */
    if (pos < flen && fcp[pos] == '%') {
      pos++;
      uint32_t pc = '%';
      if (uw_prepare(s, &w, 1, '%') < 0) goto fail;
      uw_put(&w, &pc, 1);
      continue;
    }
    FmtArg a = {.width = -1, .prec = -1};
    if (pos < flen && fcp[pos] == '(') {
      sim_error(s, "%% formatting with a mapping (%%(name)s) is not modelled");
      goto fail;
    }
    for (; pos < flen; pos++) {                      /* flags */
      uint32_t c = fcp[pos];
      int fl = c == '-' ? F_LJUST : c == '+' ? F_SIGN : c == ' ' ? F_BLANK : c == '#' ? F_ALT : c == '0' ? F_ZERO : 0;
      if (!fl) break;
      a.flags |= fl;
    }
    if (pos < flen && fcp[pos] == '*') {
      sim_error(s, "%% formatting: a width or precision from the arguments ('*') is not modelled");
      goto fail;
    }
    if (pos < flen && fcp[pos] >= '0' && fcp[pos] <= '9' && (a.width = fmt_number(fcp, flen, &pos)) < 0) {
      sim_error(s, "%% formatting: memsim formats widths up to %d", FMT_MAX_WIDTH);
      goto fail;
    }
    if (pos < flen && fcp[pos] == '.') {
      pos++;
      if (pos < flen && fcp[pos] == '*') {
        sim_error(s, "%% formatting: a width or precision from the arguments ('*') is not modelled");
        goto fail;
      }
      if ((a.prec = fmt_number(fcp, flen, &pos)) < 0) {
        sim_error(s, "%% formatting: memsim formats precisions up to %d", FMT_MAX_WIDTH);
        goto fail;
      }
    }
    if (pos < flen && (fcp[pos] == 'h' || fcp[pos] == 'l' || fcp[pos] == 'L')) pos++;
    if (pos >= flen) {
      sim_error(s, "ValueError: incomplete format");
      goto fail;
    }
    a.ch = fcp[pos++];
    if (pos >= flen) w.overallocate = 0;             /* unicode_format_arg_format: the last piece */
    uint32_t v;                                      /* unicode_format_getnextarg */
    if (argidx < arglen) {
      v = tuple ? ((uint32_t *)O(s, args)->body)[argidx] : args;
      argidx++;
    } else {
      sim_error(s, "TypeError: not enough arguments for format string (got %lld)", (long long)(arglen < 0 ? 1 : arglen));
      goto fail;
    }
    uint32_t str = 0;
    int rc = arg_format(s, &w, &a, v, &str);
    if (rc == 0) {
      rc = arg_output(s, &w, &a, str);
      obj_release(s, str);
    }
    if (rc < 0) goto fail;
  }
  if (argidx < arglen) {
    sim_error(s, "TypeError: not all arguments converted during string formatting");
    goto fail;
  }
  r = uw_finish(s, &w);
  ms_xfree(w.cp);
  ms_xfree(fcp);
  return r;
fail:
  uw_dealloc(s, &w);
  ms_xfree(fcp);
  return 0;
}

/*
** The f-string 3.11's compiler makes of 'FMT' % (a tuple display of N
** items) (Python/ast_opt.c, optimize_format): TEXT's runs between units
** (%% read as %) and one piece per unit, when every unit is %s, %r or %a
** (flags, a width and a precision of up to two digits allowed) and there
** are as many as items.  1: PIECES and *NPIECES are it (TEXTS[i] the
** constant runs, OBJ[i] 1 + the item of a unit, 0 for a run); 0: the
** expression stays a % of a tuple; -1: a unit memsim does not model.
*/
static int fstring_form(const char *text, size_t len, uint32_t n, char *runs, const char **texts, size_t *lens,
                        uint32_t *item, uint32_t *npieces) {
  size_t pos = 0, k = 0;
  uint32_t cnt = 0, np = 0;
  for (;;) {
    size_t start = k;                                /* parse_literal: a run, %% as % */
    while (pos < len && (text[pos] != '%' || (pos + 1 < len && text[pos + 1] == '%'))) {
      runs[k++] = text[pos];
      pos += text[pos] == '%' ? 2 : 1;
    }
    if (k > start) {
      texts[np] = runs + start;
      lens[np] = k - start;
      item[np++] = 0;
    }
    if (pos >= len) break;
    if (cnt >= n) return 0;                          /* more units than items */
    pos++;                                           /* simple_format_arg_parse */
    int plain = 1, digits;
    while (pos < len && strchr("-+ #0", text[pos])) pos++, plain = 0;
    for (digits = 0; pos < len && text[pos] >= '0' && text[pos] <= '9'; pos++, plain = 0)
      if (++digits >= 3) return 0;
    if (pos < len && text[pos] == '.') {
      plain = 0;
      for (pos++, digits = 0; pos < len && text[pos] >= '0' && text[pos] <= '9'; pos++)
        if (++digits >= 3) return 0;
    }
    if (pos >= len) return 0;
    char spec = text[pos++];
    if (spec != 's' && spec != 'r' && spec != 'a') return 0;
    if (spec != 's' || !plain) return -1;            /* repr(), ascii(), a format spec */
    texts[np] = NULL;
    lens[np] = 0;
    item[np++] = ++cnt;
  }
  if (cnt < n) return 0;                             /* more items than units */
  *npieces = np;
  return 1;
}

/*
** 'FMT' % (V1, ..., VN) as written in code: FMT a constant (TEXT, LEN
** bytes of UTF-8), the values in a tuple display.  3.11 on compiles the
** simple ones to an f-string (fstring_form): each value str()'d, the
** pieces joined.  Otherwise BUILD_TUPLE makes the tuple, BINARY_OP %
** formats (ms_str_format) and drops it.
*/
uint32_t ms_str_format_code(ms_Sim *s, const char *text, size_t len, uint32_t n, const uint32_t *vals) {
  if (len > 0x7fffffff) return SIM_FAIL0(s, "a format of %zu bytes is too large", len);
  if (s->prof->percent_fstring && n > 0) {
    uint32_t cap = 2 * n + 1;
    char *runs = ms_xmalloc(len + 1);
    const char **texts = ms_xcalloc(cap, sizeof *texts);
    size_t *lens = ms_xcalloc(cap, sizeof *lens);
    uint32_t *item = ms_xcalloc(cap, sizeof *item), *objs = ms_xcalloc(cap, sizeof *objs), np = 0;
    int form = fstring_form(text, len, n, runs, texts, lens, item, &np);
    uint32_t r = 0;
    if (form < 0) {
      sim_error(s, "'%%r', '%%a' and a width or precision in a %% format: 3.11's compiler makes them an "
                   "f-string with a conversion or a format spec, which memsim does not model");
    } else if (form > 0) {
      for (uint32_t i = 0; i < np; i++) objs[i] = item[i] ? vals[item[i] - 1] : 0;
      r = ms_fstring(s, np, objs, texts, lens, NULL, NULL);
    }
    ms_xfree(runs);
    ms_xfree(texts);
    ms_xfree(lens);
    ms_xfree(item);
    ms_xfree(objs);
    if (form != 0) return r;
  }
  uint32_t fmt = ms_str_literal(s, MS_STR, text, len);
  if (fmt == 0) return 0;
  uint32_t t = new_tuple(s, n);                      /* BUILD_TUPLE */
  uint32_t r = 0;
  if (t) {
    for (uint32_t i = 0; i < n; i++) {
      ms_incref(s, vals[i]);
      ((uint32_t *)O(s, t)->body)[i] = vals[i];
    }
    r = ms_str_format(s, fmt, t);
    obj_release(s, t);
  }
  if (O(s, fmt)->flags & OF_STATIC) O(s, fmt)->refcnt--;   /* the constant's reference */
  else obj_release(s, fmt);
  return r;
}

/* the content of a str as UTF-8 (or a bytes object's bytes) in BUF (CAP
   bytes, 4 a character is enough), its length, or -1 when it has none */
int64_t ms_text_of(const ms_Sim *s, uint32_t id, char *buf, size_t cap) {
  const ms_Object *o = &s->objs[id];
  if ((o->type != MS_STR && o->type != MS_BYTES) || !has_text(o)) return -1;
  size_t k = 0;
  for (uint32_t i = 0; i < o->len; i++) {
    uint32_t c = char_at(o, i);
    if (k + 4 > cap) return -1;
    if (o->type == MS_BYTES || c < 0x80) {
      buf[k++] = (char)c;
    } else if (c < 0x800) {
      buf[k++] = (char)(0xc0 | (c >> 6));
      buf[k++] = (char)(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
      buf[k++] = (char)(0xe0 | (c >> 12));
      buf[k++] = (char)(0x80 | ((c >> 6) & 0x3f));
      buf[k++] = (char)(0x80 | (c & 0x3f));
    } else {
      buf[k++] = (char)(0xf0 | (c >> 18));
      buf[k++] = (char)(0x80 | ((c >> 12) & 0x3f));
      buf[k++] = (char)(0x80 | ((c >> 6) & 0x3f));
      buf[k++] = (char)(0x80 | (c & 0x3f));
    }
  }
  return (int64_t)k;
}

/* ====================================================================
** The types: str and bytes
** ==================================================================== */

static uint32_t unicode_new(ms_Sim *s, int64_t len) { return new_string(s, MS_STR, len); }
static uint32_t bytes_new(ms_Sim *s, int64_t len) { return new_string(s, MS_BYTES, len); }

/* PyUnicode_New: a compact ASCII str, or a compact one of its kind; a NUL after */
static size_t unicode_basicsize(const ms_Profile *p, const ms_Object *o) {
  switch (STR_KIND(o)) {
  case STR_LATIN1: return p->str_compact_base + o->len + 1;
  case STR_UCS2: return p->str_compact_base + 2 * ((size_t)o->len + 1);
  case STR_UCS4: return p->str_compact_base + 4 * ((size_t)o->len + 1);
  default: return p->str_ascii_base + o->len + 1;
  }
}

/* unicode___sizeof__: 3.12's static latin-1 singletons carry their UTF-8 (2 bytes and a NUL) */
static int64_t unicode_sizeof(const ms_Profile *p, const ms_Object *o) {
  int64_t n = (int64_t)unicode_basicsize(p, o);
  if (p->latin1_utf8 && (o->flags & OF_STATIC) && o->len == 1 && STR_KIND(o) == STR_LATIN1) n += 3;
  return n;
}

static size_t bytes_basicsize(const ms_Profile *p, const ms_Object *o) {
  return p->bytes_base + o->len + 1;
}

/* unicode_hash, bytes_hash: the characters as stored, cached */
static int64_t text_hash(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  StrBody *b = o->body;
  if (b == NULL) return hash_pointer(o->addr ? o->addr : (uint64_t)id << 4);
  if (b->hash == -1) b->hash = hash_bytes(s, b->data, b->nbytes);
  return b->hash;
}

/* unicode_eq: same kind, same length, same bytes */
static int text_equal(ms_Sim *s, uint32_t a, uint32_t b) {
  ms_Object *x = O(s, a), *y = O(s, b);
  if (!has_text(x) || !has_text(y) || x->len != y->len || STR_KIND(x) != STR_KIND(y)) return 0;
  const StrBody *p = x->body, *q = y->body;
  if (p->hash != -1 && q->hash != -1 && p->hash != q->hash) return 0;
  return p->nbytes == q->nbytes && memcmp(p->data, q->data, p->nbytes) == 0;
}

/* unicode_compare, bytes_richcompare: character by character, then the shorter first */
static int text_less(ms_Sim *s, uint32_t a, uint32_t b) {
  ms_Object *x = O(s, a), *y = O(s, b);
  if (!has_text(x) || !has_text(y)) return -1;
  uint32_t n = x->len < y->len ? x->len : y->len;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t p = char_at(x, i), q = char_at(y, i);
    if (p != q) return p < q;
  }
  return x->len < y->len;
}

/* unicode_dealloc: out of the interned table (3.11, 3.13), the content with it */
static int text_dealloc(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  if (o->cls & STR_INTERNED) interned_remove(s, id);
  ms_xfree(o->body);
  o->body = NULL;
  return 0;
}

const ms_TypeObject ms_unicode_type = {
  .tp_name = "str", .tp_flags = TPF_LEN, .tp_new = unicode_new, .tp_basicsize = unicode_basicsize,
  .tp_sizeof = unicode_sizeof,
  .tp_dealloc = text_dealloc, .tp_hash = text_hash, .tp_equal = text_equal, .tp_less = text_less,
};

const ms_TypeObject ms_bytes_type = {
  .tp_name = "bytes", .tp_flags = TPF_LEN, .tp_new = bytes_new, .tp_basicsize = bytes_basicsize,
  .tp_dealloc = text_dealloc, .tp_hash = text_hash, .tp_equal = text_equal, .tp_less = text_less,
};
