/*
** unicodeobject.c: str (Objects/unicodeobject.c), and bytes, which share
** its shape here: a length, the empty and one-character singletons, and
** interned names for attributes.
*/
#include <string.h>

#include "objimpl.h"

uint32_t new_string(ms_Sim *s, int type, int64_t len) {
  if (len <= 1) {
    uint32_t *slot = &s->singletons[(type == MS_BYTES ? 2 : 0) + (uint32_t)len];
    uint32_t id = singleton(s, slot, type);
    O(s, id)->len = (uint32_t)len;
    return id;
  }
  return new_plain(s, type, (uint32_t)len);
}

uint32_t intern_name(ms_Sim *s, const char *text) {
  for (uint32_t i = 0; i < s->nnames; i++)
    if (strcmp(s->names[i].text, text) == 0) return s->names[i].id;
  if (s->nnames == s->capnames) {
    s->capnames = s->capnames ? 2 * s->capnames : 16;
    s->names = ms_xrealloc(s->names, s->capnames * sizeof(ms_Name));
  }
  uint32_t id = static_new(s, MS_STR, (uint32_t)strlen(text));
  s->names[s->nnames].text = ms_xstrdup(text);
  s->names[s->nnames].id = id;
  s->nnames++;
  return id;
}

/* ====================================================================
** The types: str and bytes
** ==================================================================== */

static uint32_t unicode_new(ms_Sim *s, int64_t len) { return new_string(s, MS_STR, len); }
static uint32_t bytes_new(ms_Sim *s, int64_t len) { return new_string(s, MS_BYTES, len); }

/* a compact ASCII str: the header, the characters and a NUL */
static size_t unicode_basicsize(const ms_Profile *p, const ms_Object *o) {
  return p->str_ascii_base + o->len + 1;
}

static size_t bytes_basicsize(const ms_Profile *p, const ms_Object *o) {
  return p->bytes_base + o->len + 1;
}

const ms_TypeObject ms_unicode_type = {
  .tp_name = "str", .tp_flags = TPF_LEN, .tp_new = unicode_new, .tp_basicsize = unicode_basicsize,
};

const ms_TypeObject ms_bytes_type = {
  .tp_name = "bytes", .tp_flags = TPF_LEN, .tp_new = bytes_new, .tp_basicsize = bytes_basicsize,
};
