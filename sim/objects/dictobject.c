/*
** dictobject.c: dict (Objects/dictobject.c): keys tables sized as
** new_keys_object sizes them, their growth (calculate_log2_keysize), the
** keys free list, deletion and clearing, and _PyDict_MaybeUntrack.
*/
#include <assert.h>
#include <string.h>

#include "objimpl.h"

/* dict keys table: header + indices + entries (new_keys_object) */
size_t keys_bytes(const ms_Profile *p, uint32_t log2, int unicode) {
  size_t n = (size_t)1 << log2;
  size_t ib = log2 < 8 ? 1 : log2 < 16 ? 2 : log2 < 32 ? 4 : 8;
  size_t usable = (2 * n) / 3;
  return p->dict_keys_header + n * ib + usable * (unicode ? 16 : 24);
}

/* dk_usable of a table of 2^log2 slots (USABLE_FRACTION) */
uint32_t usable_of(uint32_t log2) { return (uint32_t)(((size_t)2 << log2) / 3); }

size_t dict_keys_request(ms_Sim *s, uint32_t log2, int unicode) {
  return keys_bytes(s->prof, log2, unicode);
}

/* free a dict's keys table: to the keys free list, or to the allocator */
void keys_free(ms_Sim *s, uint64_t addr, uint32_t log2, int unicode) {
  if (addr == 0) return;
  if (log2 == 3 && unicode && s->n_keys < s->prof->dict_freelist) {
    if (s->fl_keys == NULL) s->fl_keys = ms_xmalloc(s->prof->dict_freelist * sizeof(uint64_t));
    s->fl_keys[s->n_keys++] = addr;
    return;
  }
  mem_free_for(s, "dict keys", addr, keys_bytes(s->prof, log2, unicode));
}

void dict_body_free(DictBody *d) {
  if (d == NULL) return;
  ms_xfree(d->entries);
  ms_xfree(d->index);
  ms_xfree(d);
}

/* PyDict_New: the free list first; shares the empty keys; untracked */
uint32_t new_dict(ms_Sim *s) {
  uint32_t id = unpark(s, s->fl_dict, &s->n_dict);
  return id ? id : new_plain(s, MS_DICT, 0);
}

/* calculate_log2_keysize: bit_length(((minsize | 8) - 1) | 7) */
uint32_t log2_keysize(uint64_t minsize) {
  uint64_t v = ((minsize | 8) - 1) | 7;
  return 64u - (uint32_t)__builtin_clzll(v);
}

/* new_keys_object: the keys free list serves the smallest unicode size */
static uint64_t keys_alloc(ms_Sim *s, uint32_t log2, int unicode) {
  if (log2 == 3 && unicode && s->n_keys > 0) return s->fl_keys[--s->n_keys];
  return mem_alloc_for(s, "dict keys", keys_bytes(s->prof, log2, unicode));
}

static DictBody *dict_body_new(uint32_t log2) {
  DictBody *d = ms_xcalloc(1, sizeof *d);
  d->usable = usable_of(log2);
  d->entries = ms_xcalloc(2 * (size_t)d->usable, sizeof(uint32_t));
  d->index = index_new(1u << log2);
  return d;
}

static void dict_index_put(DictBody *d, uint32_t log2, uint32_t key, uint32_t e) {
  int found;
  uint32_t h = probe(d->index, (1u << log2) - 1, d->entries, 2, key, &found);
  assert(!found);
  d->index[h] = (int32_t)e;
}

/*
** dictresize: a new keys table of 2^log2 slots; live entries move over
** in order (deleted ones are dropped); the old table is freed after.
*/
int dict_resize(ms_Sim *s, uint32_t id, uint32_t log2, int unicode) {
  ms_Object *o = O(s, id);
  uint64_t keys = keys_alloc(s, log2, unicode);
  if (keys == 0) return -1;
  o = O(s, id);
  DictBody *old = o->body, *d = dict_body_new(log2);
  uint32_t n = 0;
  if (old)
    for (uint32_t e = 0; e < old->nentries; e++) {
      if (old->entries[2 * e] == 0) continue;
      d->entries[2 * n] = old->entries[2 * e];
      d->entries[2 * n + 1] = old->entries[2 * e + 1];
      dict_index_put(d, log2, d->entries[2 * n], n);
      n++;
    }
  d->nentries = n;
  d->usable -= n;
  keys_free(s, o->aux, o->cap, (o->flags & OF_UNICODE) != 0);
  dict_body_free(old);
  o->body = d;
  o->aux = keys;
  o->cap = log2;
  if (unicode) o->flags |= OF_UNICODE;
  else o->flags &= (uint8_t)~OF_UNICODE;
  return 0;
}

int dict_lookup(ms_Sim *s, ms_Object *o, uint32_t key, uint32_t *slot) {
  (void)s;
  DictBody *d = o->body;
  if (d == NULL || o->cap == 0) return -1;
  int found;
  uint32_t h = probe(d->index, (1u << o->cap) - 1, d->entries, 2, key, &found);
  if (slot) *slot = h;
  return found ? d->index[h] : -1;
}

/* insertdict (and insert_to_emptydict) */
int dict_set(ms_Sim *s, uint32_t id, uint32_t key, uint32_t value) {
  ms_Object *o = O(s, id);
  int key_str = O(s, key)->type == MS_STR;
  if (o->cap == 0) {                       /* insert_to_emptydict */
    if (dict_resize(s, id, 3, key_str) < 0) return -1;
  } else if ((o->flags & OF_UNICODE) && !key_str) {
    if (dict_resize(s, id, log2_keysize(3 * (uint64_t)O(s, id)->len), 0) < 0) return -1;
  }
  o = O(s, id);
  int e = dict_lookup(s, o, key, NULL);
  /* MAINTAIN_TRACKING */
  if (!(o->flags & OF_TRACKED) && (obj_may_be_tracked(s, key) || obj_may_be_tracked(s, value)))
    gc_track(s, id);
  if (e >= 0) {                            /* replace the value */
    DictBody *d = o->body;
    uint32_t old = d->entries[2 * e + 1];
    ms_incref(s, value);
    d->entries[2 * e + 1] = value;
    obj_release(s, old);
    return 0;
  }
  if (((DictBody *)o->body)->usable == 0) {
    if (dict_resize(s, id, log2_keysize(3 * (uint64_t)o->len), (o->flags & OF_UNICODE) != 0) < 0)
      return -1;
    o = O(s, id);
  }
  DictBody *d = o->body;
  uint32_t slot;
  dict_lookup(s, o, key, &slot);
  d->index[slot] = (int32_t)d->nentries;
  d->entries[2 * d->nentries] = key;
  d->entries[2 * d->nentries + 1] = value;
  d->nentries++;
  d->usable--;
  o->len++;
  ms_incref(s, key);
  ms_incref(s, value);
  return 0;
}

/* delitem_common: the entry becomes a dummy; key, then value, dropped */
int dict_del(ms_Sim *s, uint32_t id, uint32_t key) {
  ms_Object *o = O(s, id);
  uint32_t slot;
  int e = dict_lookup(s, o, key, &slot);
  if (e < 0) return sim_error(s, "KeyError: key not in dict");
  DictBody *d = o->body;
  uint32_t k = d->entries[2 * e], v = d->entries[2 * e + 1];
  d->entries[2 * e] = d->entries[2 * e + 1] = 0;
  d->index[slot] = -2;
  o->len--;
  obj_release(s, k);
  obj_release(s, v);
  return 0;
}

/* PyDict_Clear: the empty keys again; entries dropped, table freed */
void dict_clear(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  if (o->cap == 0) return;
  DictBody *d = o->body;
  uint64_t keys = o->aux;
  uint32_t log2 = o->cap;
  int unicode = (o->flags & OF_UNICODE) != 0;
  o->body = NULL;
  o->aux = 0;
  o->cap = 0;
  o->len = 0;
  o->flags &= (uint8_t)~OF_UNICODE;
  for (uint32_t i = 0; i < 2 * d->nentries; i++) obj_release(s, d->entries[i]);
  keys_free(s, keys, log2, unicode);
  dict_body_free(d);
}

/* _PyDict_MaybeUntrack */
void obj_maybe_untrack_dict(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  DictBody *d = o->body;
  if (!(o->flags & OF_TRACKED)) return;
  if (d)
    for (uint32_t e = 0; e < d->nentries; e++) {
      if (d->entries[2 * e] == 0) continue;
      if (obj_may_be_tracked(s, d->entries[2 * e + 1])) return;
      if (!(o->flags & OF_UNICODE) && obj_may_be_tracked(s, d->entries[2 * e])) return;
    }
  gc_untrack(s, id);
}

/* ====================================================================
** The type
** ==================================================================== */

static uint32_t dict_new(ms_Sim *s, int64_t arg) {
  (void)arg;
  return new_dict(s);
}

static size_t dict_basicsize(const ms_Profile *p, const ms_Object *o) {
  (void)o;
  return p->gc_head + p->dict_size;
}

static size_t dict_auxsize(const ms_Profile *p, const ms_Object *o) {
  return keys_bytes(p, o->cap, (o->flags & OF_UNICODE) != 0);
}

/* dict_sizeof: the object and its keys table (shared empty keys: none) */
static int64_t dict_sizeof(const ms_Profile *p, const ms_Object *o) {
  return (int64_t)(dict_basicsize(p, o) + (o->aux ? dict_auxsize(p, o) : 0));
}

/* free_keys_object: key, value of each entry in order */
static uint32_t dict_dealloc_next(ms_Object *o, uint32_t *pos) {
  DictBody *d = o->body;
  if (d == NULL) return 0;
  while (*pos < 2 * d->nentries) {
    uint32_t c = d->entries[(*pos)++];
    if (c) return c;
  }
  return 0;
}

/* dict_dealloc: the keys table (to its free list or freed), then the
   object to the dict free list */
static int dict_dealloc(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  keys_free(s, o->aux, o->cap, (o->flags & OF_UNICODE) != 0);
  dict_body_free(o->body);
  o->body = NULL;
  o->aux = 0;
  o->cap = 0;
  o->len = 0;
  o->flags &= (uint8_t)~OF_UNICODE;
  return park(s, id, &s->fl_dict, &s->n_dict, s->prof->dict_freelist);
}

/* dict_traverse: values, and keys unless the table is unicode-only */
static uint32_t dict_traverse(ms_Sim *s, uint32_t id, VisitFn visit, void *ud) {
  ms_Object *o = O(s, id);
  DictBody *d = o->body;
  uint32_t edges = 0;
  if (d == NULL) return 0;
  int unicode = (o->flags & OF_UNICODE) != 0;
  for (uint32_t e = 0; e < d->nentries; e++) {
    if (d->entries[2 * e] == 0) continue;
    visit(s, d->entries[2 * e + 1], ud);
    edges++;
    if (!unicode) {
      visit(s, d->entries[2 * e], ud);
      edges++;
    }
  }
  return edges;
}

static int dict_getitem(ms_Sim *s, uint32_t c, int64_t index, uint32_t key, uint32_t *out) {
  (void)index;
  ms_Object *o = O(s, c);
  int e = dict_lookup(s, o, key, NULL);
  if (e < 0) return sim_error(s, "KeyError: key not in dict");
  *out = ((DictBody *)o->body)->entries[2 * e + 1];
  return 0;
}

static int dict_setitem(ms_Sim *s, uint32_t c, int64_t index, uint32_t key, uint32_t value) {
  (void)index;
  return dict_set(s, c, key, value);
}

static int dict_delitem(ms_Sim *s, uint32_t c, int64_t index, uint32_t key) {
  (void)index;
  return dict_del(s, c, key);
}

const ms_TypeObject ms_dict_type = {
  .tp_name = "dict", .tp_flags = TPF_GC | TPF_CONTAINER | TPF_TRASHCAN | TPF_LEN,
  .tp_new = dict_new, .tp_basicsize = dict_basicsize, .tp_auxsize = dict_auxsize,
  .tp_sizeof = dict_sizeof, .tp_dealloc_next = dict_dealloc_next, .tp_dealloc = dict_dealloc,
  .tp_traverse = dict_traverse, .tp_clear = dict_clear, .tp_untrack_after = obj_maybe_untrack_dict,
  .tp_getitem = dict_getitem, .tp_setitem = dict_setitem, .tp_delitem = dict_delitem,
};
