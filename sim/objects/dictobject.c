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
  return p->dict_keys_header + n * ib + usable * (unicode ? p->dict_unicode_entry : 24);
}

/* dk_usable of a table of 2^log2 slots (USABLE_FRACTION) */
uint32_t usable_of(uint32_t log2) { return (uint32_t)(((size_t)2 << log2) / 3); }

size_t dict_keys_request(ms_Sim *s, uint32_t log2, int unicode) {
  return keys_bytes(s->prof, log2, unicode);
}

/* free a dict's keys table: to the keys free list, or to the allocator */
void keys_free(ms_Sim *s, uint64_t addr, uint32_t log2, int unicode) {
  if (addr == 0) return;
  if (log2 == 3 && (unicode || s->prof->keys_freelist_any) && s->n_keys < s->prof->dict_freelist) {
    if (s->fl_keys == NULL) s->fl_keys = ms_xmalloc(s->prof->dict_freelist * sizeof(uint64_t));
    s->fl_keys[s->n_keys++] = addr;
    return;
  }
  mem_free_for(s, "dict keys", addr, keys_bytes(s->prof, log2, unicode));
}

/*
** A dict's table, freed: a combined keys table (to the keys free list or
** the allocator), or a split dict's values array (its keys are its
** class's: not this dict's to free).
*/
static void table_free(ms_Sim *s, uint64_t aux, uint32_t log2, uint8_t flags, uint32_t nvalues) {
  if (aux == 0) return;
  if ((flags & OF_SPLIT) && nvalues) mem_free_for(s, "instance values", aux, values_bytes(nvalues));
  else if (flags & OF_SPLIT) mem_free_for(s, "dict values", aux, 8 * (size_t)usable_of(log2));
  else keys_free(s, aux, log2, (flags & OF_UNICODE) != 0);
}

static uint32_t body_nvalues(const ms_Object *o) {
  const DictBody *d = o->body;
  return d ? d->nvalues : 0;
}

/*
** new_dict_with_shared_keys (3.9, 3.10): the values array (one slot per
** usable entry of the class's keys, 8 of them), then the dict object.
*/
uint32_t new_split_dict(ms_Sim *s) {
  uint64_t values = mem_alloc_for(s, "dict values", 8 * (size_t)usable_of(3));
  if (values == 0) return 0;
  uint32_t id = new_dict(s);
  if (id == 0) {
    mem_free_for(s, "dict values", values, 8 * (size_t)usable_of(3));
    return 0;
  }
  ms_Object *o = O(s, id);
  DictBody *d = ms_xcalloc(1, sizeof *d);
  d->usable = usable_of(3);
  d->entries = ms_xcalloc(2 * (size_t)d->usable, sizeof(uint32_t));
  d->hashes = ms_xcalloc(d->usable, sizeof(int64_t));
  d->index = index_new(1u << 3);
  dict_body_free(o->body);
  o->body = d;
  o->aux = values;
  o->cap = 3;
  o->flags |= OF_SPLIT | OF_UNICODE;
  return id;
}

void dict_body_free(DictBody *d) {
  if (d == NULL) return;
  ms_xfree(d->entries);
  ms_xfree(d->hashes);
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
  if (log2 == 3 && (unicode || s->prof->keys_freelist_any) && s->n_keys > 0) return s->fl_keys[--s->n_keys];
  return mem_alloc_for(s, "dict keys", keys_bytes(s->prof, log2, unicode));
}

static DictBody *dict_body_new(uint32_t log2) {
  DictBody *d = ms_xcalloc(1, sizeof *d);
  d->usable = usable_of(log2);
  d->entries = ms_xcalloc(2 * (size_t)d->usable, sizeof(uint32_t));
  d->hashes = ms_xcalloc(d->usable, sizeof(int64_t));
  d->index = index_new(1u << log2);
  return d;
}

/*
** The index table is probed as lookdict probes it: slot hash & mask,
** then i = 5i + 1 + perturb with perturb (the hash, unsigned) shifted
** right 5 bits before each step.  An index is an entry number, -1
** (DKIX_EMPTY) or -2 (DKIX_DUMMY, a deleted entry's slot).
*/
#define PERTURB_SHIFT 5

/* find_empty_slot: the first empty or dummy slot on HASH's path */
static uint32_t empty_slot(const DictBody *d, uint32_t log2, int64_t hash) {
  uint64_t mask = ((uint64_t)1 << log2) - 1, perturb = (uint64_t)hash, i = perturb & mask;
  while (d->index[i] >= 0) {
    perturb >>= PERTURB_SHIFT;
    i = (i * 5 + perturb + 1) & mask;
  }
  return (uint32_t)i;
}

/* lookdict: KEY's entry (same object, or equal with the same hash), or -1 */
static int dict_find(ms_Sim *s, const DictBody *d, uint32_t log2, uint32_t key, int64_t hash, uint32_t *slot) {
  uint64_t mask = ((uint64_t)1 << log2) - 1, perturb = (uint64_t)hash, i = perturb & mask;
  for (;;) {
    int32_t ix = d->index[i];
    if (ix == -1) break;
    if (ix >= 0) {
      uint32_t k = d->entries[2 * ix];
      if (k == key || (d->hashes[ix] == hash && obj_equal(s, k, key))) {
        if (slot) *slot = (uint32_t)i;
        return ix;
      }
    }
    perturb >>= PERTURB_SHIFT;
    i = (i * 5 + perturb + 1) & mask;
  }
  if (slot) *slot = (uint32_t)i;
  return -1;
}

/* the live entries of OLD (NULL: none) in order, in a new body of 2^LOG2 slots (build_indices) */
static DictBody *body_rebuilt(const DictBody *old, uint32_t log2) {
  DictBody *d = dict_body_new(log2);
  for (uint32_t e = 0; old && e < old->nentries; e++) {
    if (old->entries[2 * e] == 0) continue;
    uint32_t n = d->nentries++;
    d->entries[2 * n] = old->entries[2 * e];
    d->entries[2 * n + 1] = old->entries[2 * e + 1];
    d->hashes[n] = old->hashes[e];
    d->index[empty_slot(d, log2, d->hashes[n])] = (int32_t)n;
    d->usable--;
  }
  return d;
}

/* a new entry at the end, in the first free slot of its hash's path; KEY's reference taken */
static void entry_append(ms_Sim *s, ms_Object *o, uint32_t key, uint32_t value) {
  DictBody *d = o->body;
  int64_t hash = obj_hash(s, key);
  d->index[empty_slot(d, o->cap, hash)] = (int32_t)d->nentries;
  d->hashes[d->nentries] = hash;
  d->entries[2 * d->nentries] = key;
  d->entries[2 * d->nentries + 1] = value;
  d->nentries++;
  d->usable--;
  o->len++;
  ms_incref(s, key);
}

/*
** 3.11 on: dict ID becomes an instance's __dict__ made from its values
** (make_dict_from_instance_attributes): split, on class C's shared keys,
** with the instance's values array of NVALUES slots at AUX (NVALUES 0:
** 3.13's values inside the object, not the dict's to free).  memsim's
** own index of it has room for every name a class may share.
*/
#define SPLIT_LOG2 6                       /* 64 slots, 42 entries >= MS_SHARED_KEYS_MAX */

int dict_take_values(ms_Sim *s, uint32_t id, ms_Class *c, uint32_t nvalues, uint64_t aux) {
  ms_Object *o = O(s, id);
  assert(o->type == MS_DICT && o->cap == 0 && o->aux == 0);
  DictBody *d = dict_body_new(SPLIT_LOG2);
  d->shared = c;
  d->nvalues = nvalues;
  dict_body_free(o->body);
  o->body = d;
  o->aux = aux;
  o->cap = SPLIT_LOG2;
  o->len = 0;
  o->flags |= OF_SPLIT | OF_UNICODE;
  return 0;
}

/* an entry of such a dict: KEY (a reference taken) and VALUE (the caller's reference, moved in) */
void dict_split_put(ms_Sim *s, uint32_t id, uint32_t key, uint32_t value) {
  ms_Object *o = O(s, id);
  DictBody *d = o->body;
  if (d->usable == 0) {                    /* memsim's own table full of deleted entries: compact it */
    DictBody *n = body_rebuilt(d, o->cap);
    n->shared = d->shared;
    n->nvalues = d->nvalues;
    dict_body_free(d);
    o->body = n;
  }
  entry_append(s, o, key, value);
}

/*
** insertdict on such a dict, for a key it does not hold: a name of the
** shared keys takes its slot of the values; a new name joins the shared
** keys while they have room (every instance of the class sees it); 0
** when they are full: the dict must become combined (insertion_resize).
*/
static int split_insert(ms_Sim *s, uint32_t id, uint32_t key, uint32_t value) {
  ms_Class *c = (ms_Class *)((DictBody *)O(s, id)->body)->shared;
  int ix = -1;
  for (uint32_t i = 0; i < c->nentries && ix < 0; i++)
    if (c->names[i] == key || obj_equal(s, c->names[i], key)) ix = (int)i;
  if (ix < 0) {
    if (c->usable == 0 || c->nentries >= MS_SHARED_KEYS_MAX) return 0;
    if (!(O(s, key)->flags & OF_STATIC)) ms_incref(s, key);   /* the shared keys hold it from now on */
    c->names[c->nentries++] = key;
    c->usable--;
  }
  ms_incref(s, value);
  dict_split_put(s, id, key, value);
  return 1;
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
  DictBody *old = o->body, *d = body_rebuilt(old, log2);
  table_free(s, o->aux, o->cap, o->flags, old ? old->nvalues : 0);
  o->flags &= (uint8_t)~OF_SPLIT;          /* a resized split dict is combined */
  dict_body_free(old);
  o->body = d;
  o->aux = keys;
  o->cap = log2;
  if (unicode) o->flags |= OF_UNICODE;
  else o->flags &= (uint8_t)~OF_UNICODE;
  return 0;
}

int dict_lookup(ms_Sim *s, ms_Object *o, uint32_t key, uint32_t *slot) {
  DictBody *d = o->body;
  if (d == NULL || o->cap == 0) return -1;
  return dict_find(s, d, o->cap, key, obj_hash(s, key), slot);
}

/* insertdict (and insert_to_emptydict) */
int dict_set(ms_Sim *s, uint32_t id, uint32_t key, uint32_t value) {
  if (obj_check_hashable(s, key) < 0) return -1;
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
  if ((o->flags & OF_SPLIT) && ((DictBody *)o->body)->shared) {
    if (split_insert(s, id, key, value)) return 0;
    if (dict_resize(s, id, log2_keysize(3 * (uint64_t)o->len), 1) < 0) return -1;   /* insertion_resize */
    o = O(s, id);
  } else if (((DictBody *)o->body)->usable == 0) {
    if (dict_resize(s, id, log2_keysize(3 * (uint64_t)o->len), (o->flags & OF_UNICODE) != 0) < 0)
      return -1;
    o = O(s, id);
  }
  entry_append(s, o, key, value);
  ms_incref(s, value);
  return 0;
}

/* delitem_common: the entry becomes a dummy; key, then value, dropped */
int dict_del(ms_Sim *s, uint32_t id, uint32_t key) {
  if (obj_check_hashable(s, key) < 0) return -1;
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
  uint32_t log2 = o->cap, nvalues = d ? d->nvalues : 0;
  uint8_t flags = o->flags;
  o->body = NULL;
  o->aux = 0;
  o->cap = 0;
  o->len = 0;
  o->flags &= (uint8_t)~(OF_UNICODE | OF_SPLIT);
  for (uint32_t i = 0; i < 2 * d->nentries; i++) obj_release(s, d->entries[i]);
  table_free(s, keys, log2, flags, nvalues);
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
** The dict methods: each allocates and frees what CPython 3.11's does
** ==================================================================== */

/* dict.clear(): PyDict_Clear */
int ms_dict_clear(ms_Sim *s, uint32_t id) {
  if (need_type(s, id, MS_DICT, "clear") < 0) return -1;
  dict_clear(s, id);
  return 0;
}

/*
** dict.pop(key[, default]): _PyDict_Pop, the entry deleted as `del d[k]`
** deletes it (no resize: a dict never shrinks by deletion), the value
** handed to the caller.  DFLT 0: a missing key is a KeyError.
*/
int ms_dict_pop(ms_Sim *s, uint32_t id, uint32_t key, uint32_t dflt, uint32_t *out) {
  if (need_type(s, id, MS_DICT, "pop") < 0 || obj_check_hashable(s, key) < 0) return -1;
  ms_Object *o = O(s, id);
  int e = o->len ? dict_lookup(s, o, key, NULL) : -1;
  if (e < 0) {
    if (dflt == 0) return sim_error(s, "KeyError: key not in dict");
    ms_incref(s, dflt);
    *out = dflt;
    return 0;
  }
  uint32_t v = ((DictBody *)o->body)->entries[2 * e + 1];
  ms_incref(s, v);
  dict_del(s, id, key);
  *out = v;
  return 0;
}

/*
** dict.popitem(): the result tuple is allocated first (even for an empty
** dict), the last live entry's key and value move into it, and the
** entries end there (dk_nentries = i).
*/
int ms_dict_popitem(ms_Sim *s, uint32_t id, uint32_t *out) {
  if (need_type(s, id, MS_DICT, "popitem") < 0) return -1;
  uint32_t t = new_tuple(s, 2);
  if (t == 0) return -1;
  ms_Object *o = O(s, id);
  if (o->len == 0) {
    obj_release(s, t);
    return sim_error(s, "KeyError: 'popitem(): dictionary is empty'");
  }
  DictBody *d = o->body;
  uint32_t i = d->nentries;
  while (i > 0 && d->entries[2 * (i - 1)] == 0) i--;
  i--;
  uint32_t k = d->entries[2 * i], v = d->entries[2 * i + 1], slot;
  dict_lookup(s, o, k, &slot);
  d->index[slot] = -2;                     /* DKIX_DUMMY */
  d->entries[2 * i] = d->entries[2 * i + 1] = 0;
  d->nentries = i;
  o->len--;
  uint32_t *items = O(s, t)->body;         /* the tuple takes the dict's references */
  items[0] = k;
  items[1] = v;
  *out = t;
  return 0;
}

/* dict.setdefault(key, default): the value there, or default inserted */
int ms_dict_setdefault(ms_Sim *s, uint32_t id, uint32_t key, uint32_t dflt, uint32_t *out) {
  if (need_type(s, id, MS_DICT, "setdefault") < 0 || obj_check_hashable(s, key) < 0) return -1;
  ms_Object *o = O(s, id);
  int e = o->len ? dict_lookup(s, o, key, NULL) : -1;
  if (e >= 0) {
    *out = ((DictBody *)o->body)->entries[2 * e + 1];
    ms_incref(s, *out);
    return 0;
  }
  if (dict_set(s, id, key, dflt) < 0) return -1;
  ms_incref(s, dflt);
  *out = dflt;
  return 0;
}

/*
** clone_combined_dict_keys: a copy of SRC's keys table in a block of
** PyObject_Malloc (never the keys free list; KEYS when the caller took it
** already), every key and value increfed, given to the empty dict TARGET.
*/
static int clone_keys_into(ms_Sim *s, uint32_t target, uint32_t src, uint64_t keys) {
  ms_Object *o = O(s, src);
  int unicode = (o->flags & OF_UNICODE) != 0;
  uint32_t log2 = o->cap;
  if (keys == 0) keys = mem_alloc_for(s, "dict keys", keys_bytes(s->prof, log2, unicode));
  if (keys == 0) return -1;
  o = O(s, src);
  DictBody *from = o->body, *d = ms_xcalloc(1, sizeof *d);
  d->usable = from->usable;
  d->nentries = from->nentries;
  d->entries = ms_xmalloc(2 * (size_t)usable_of(log2) * sizeof(uint32_t));
  memcpy(d->entries, from->entries, 2 * (size_t)usable_of(log2) * sizeof(uint32_t));
  d->hashes = ms_xmalloc((size_t)usable_of(log2) * sizeof(int64_t));
  memcpy(d->hashes, from->hashes, (size_t)usable_of(log2) * sizeof(int64_t));
  d->index = index_new(1u << log2);
  memcpy(d->index, from->index, ((size_t)1 << log2) * sizeof(int32_t));
  for (uint32_t i = 0; i < 2 * d->nentries; i++)
    if (d->entries[i]) ms_incref(s, d->entries[i]);
  ms_Object *t = O(s, target);
  assert(t->cap == 0);
  dict_body_free(t->body);
  t->body = d;
  t->aux = keys;
  t->cap = log2;
  t->len = o->len;
  if (unicode) t->flags |= OF_UNICODE;
  return 0;
}

/* estimate_log2_keysize(n): room for n entries at 2/3 */
static uint32_t estimate_log2(uint64_t n) { return log2_keysize((n * 3 + 1) / 2); }

/*
** dict_merge(a, b, override = 1) for a dict b: a clean, combined b into
** an empty a is cloned; else one resize up front when a's table is too
** small, then b's entries inserted in order.
*/
static int dict_merge(ms_Sim *s, uint32_t a, uint32_t b) {
  ms_Object *ob = O(s, b);
  if (a == b || ob->len == 0) return 0;
  DictBody *bd = ob->body;
  if (O(s, a)->len == 0 && ob->len == bd->nentries && !(ob->flags & OF_SPLIT) &&
      (ob->cap == 3 || usable_of(ob->cap - 1) < ob->len)) {
    if (O(s, a)->cap != 0) dict_clear(s, a);         /* dictkeys_decref of a's empty table */
    if (clone_keys_into(s, a, b, 0) < 0) return -1;
    if ((O(s, b)->flags & OF_TRACKED) && !(O(s, a)->flags & OF_TRACKED)) gc_track(s, a);
    return 0;
  }
  ms_Object *oa = O(s, a);
  uint32_t usable = oa->cap ? usable_of(oa->cap) : 0;
  if (usable < ob->len) {
    if (dict_resize(s, a, estimate_log2((uint64_t)oa->len + ob->len), (ob->flags & OF_UNICODE) != 0) < 0)
      return -1;
  }
  for (uint32_t e = 0;; e++) {
    DictBody *src = O(s, b)->body;
    if (src == NULL || e >= src->nentries) break;
    uint32_t k = src->entries[2 * e], v = src->entries[2 * e + 1];
    if (k == 0) continue;
    if (dict_set(s, a, k, v) < 0) return -1;
  }
  return 0;
}

/*
** dict.update(other) for a dict other: dict_merge.  dict.update is a
** METH_VARARGS method: its argument comes in a 1-tuple, made for the call
** and dropped after it (to the tuple free list).
*/
int ms_dict_update(ms_Sim *s, uint32_t id, uint32_t other) {
  if (need_type(s, id, MS_DICT, "update") < 0 || need_type(s, other, MS_DICT, "update") < 0) return -1;
  uint32_t args = args_tuple(s, other);
  if (args == 0) return -1;
  int rc = dict_merge(s, id, other);
  obj_release(s, args);
  return rc;
}

/*
** dict.copy(): PyDict_Copy.  Empty: a new dict.  Combined with at most a
** third of its entries deleted: the keys table cloned, then the dict
** object (free list first), tracked as the original.  Otherwise a new
** dict and dict_merge.
*/
uint32_t ms_dict_copy(ms_Sim *s, uint32_t id) {
  if (need_type(s, id, MS_DICT, "copy") < 0) return 0;
  ms_Object *o = O(s, id);
  if (o->len == 0) return new_dict(s);
  DictBody *d = o->body;
  if (!(o->flags & OF_SPLIT) && o->len >= (d->nentries * 2) / 3) {   /* fast copy: the keys first, then the object */
    int unicode = (o->flags & OF_UNICODE) != 0;
    uint64_t keys = mem_alloc_for(s, "dict keys", keys_bytes(s->prof, o->cap, unicode));
    if (keys == 0) return 0;
    uint32_t c = new_dict(s);
    if (c == 0) {
      mem_free_for(s, "dict keys", keys, keys_bytes(s->prof, O(s, id)->cap, unicode));
      return 0;
    }
    clone_keys_into(s, c, id, keys);
    if (O(s, id)->flags & OF_TRACKED) gc_track(s, c);
    return c;
  }
  uint32_t c = new_dict(s);
  if (c == 0) return 0;
  if (dict_merge(s, c, id) < 0) {
    obj_release(s, c);
    return 0;
  }
  return c;
}

/* ====================================================================
** Displays, dict(), dict.fromkeys
** ==================================================================== */

/*
** {k1: v1, ..., kn: vn} (BUILD_MAP, BUILD_CONST_KEY_MAP): a dict presized
** for n (dict_new_presized: up to 5 the empty dict; else the keys table
** for n, of kind unicode when every key is a str, made before the dict
** object; at most 2^17 slots), then each pair inserted in order.
*/
uint32_t ms_dict_display(ms_Sim *s, const uint32_t *kv, uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    if (obj_check_hashable(s, kv[2 * i]) < 0) return 0;
  uint32_t id;
  if (n <= usable_of(3)) {
    id = new_dict(s);
  } else {
    int unicode = 1;
    for (uint32_t i = 0; i < n; i++) unicode &= O(s, kv[2 * i])->type == MS_STR;
    uint32_t log2 = n > usable_of(17) ? 17 : estimate_log2(n);
    uint64_t keys = keys_alloc(s, log2, unicode);
    if (keys == 0) return 0;
    id = new_dict(s);
    if (id == 0) {
      keys_free(s, keys, log2, unicode);
      return 0;
    }
    ms_Object *o = O(s, id);
    dict_body_free(o->body);
    o->body = dict_body_new(log2);
    o->aux = keys;
    o->cap = log2;
    if (unicode) o->flags |= OF_UNICODE;
  }
  for (uint32_t i = 0; i < n; i++)
    if (dict_set(s, id, kv[2 * i], kv[2 * i + 1]) < 0) {
      obj_release(s, id);
      return 0;
    }
  return id;
}

/* dict() called: dict_new's tp_alloc, never the free list (a {} would be) */
static uint32_t dict_called(ms_Sim *s) { return new_plain(s, MS_DICT, 0); }

/*
** dict.fromkeys(seq, value): dict() called, then, from a dict or a set,
** one resize for its size and the keys inserted in its order; from
** anything else, an iterator over it and PyDict_SetItem key by key.
*/
uint32_t ms_dict_fromkeys(ms_Sim *s, uint32_t seq, uint32_t value) {
  int t = O(s, seq)->type;
  if (t != MS_LIST && t != MS_TUPLE && t != MS_DICT && t != MS_SET && t != MS_RANGE)
    return SIM_FAIL0(s, "TypeError: fromkeys takes a list, tuple, dict, set or range here, not %s", ms_type_name(t));
  uint32_t d = dict_called(s);
  if (d == 0) return 0;
  int rc = 0;
  if (t == MS_DICT || t == MS_SET) {
    uint32_t n = O(s, seq)->len;
    int unicode = t == MS_DICT && (O(s, seq)->flags & OF_UNICODE) != 0;
    /* 3.9: dictresize(ESTIMATE_SIZE(n)), the first power of 2 from 8 up
       to it; 3.10 on: estimate_log2_keysize(n) */
    uint32_t log2 = estimate_log2(n);
    if (s->prof->dict_estimate_pow2) {
      uint64_t want = ((uint64_t)n * 3 + 1) >> 1;
      for (log2 = 3; ((uint64_t)1 << log2) < want; log2++) {}
    }
    if (n > 0 && dict_resize(s, d, log2, unicode) < 0) rc = -1;
    uint32_t *keys = ms_xmalloc(((size_t)n + 1) * sizeof(uint32_t)), k = 0;
    if (t == MS_DICT) {
      DictBody *b = O(s, seq)->body;
      for (uint32_t e = 0; b && e < b->nentries; e++)
        if (b->entries[2 * e]) keys[k++] = b->entries[2 * e];
    } else {
      SetBody *b = O(s, seq)->body;
      for (uint32_t e = 0; e < O(s, seq)->cap; e++)
        if (b->table[e].key != 0 && b->table[e].key != MS_NIL) keys[k++] = b->table[e].key;
    }
    for (uint32_t i = 0; i < k && rc == 0; i++) rc = dict_set(s, d, keys[i], value);
    ms_xfree(keys);
  } else if (t == MS_RANGE) {
    uint32_t it = ms_new(s, MS_ITERATOR, 0);
    if (it == 0) rc = -1;
    for (uint32_t i = 0; rc == 0 && i < O(s, seq)->len; i++) {
      uint32_t key = ms_new_int(s, i);
      if (key == 0) { rc = -1; break; }
      rc = dict_set(s, d, key, value);
      obj_release(s, key);
    }
    if (it) obj_release(s, it);
  } else {
    uint32_t it = ms_new_iter(s, seq);
    if (it == 0) rc = -1;
    for (uint32_t i = 0; rc == 0 && i < O(s, seq)->len; i++) {
      uint32_t key = ((uint32_t *)O(s, seq)->body)[i];
      if (key == 0) rc = sim_error(s, "TypeError: fromkeys: item %u of the tuple is not set", i);
      else rc = dict_set(s, d, key, value);
    }
    if (it) {
      ms_iter_exhaust(s, it);
      obj_release(s, it);
    }
  }
  if (rc < 0) {
    obj_release(s, d);
    return 0;
  }
  return d;
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
  const DictBody *d = o->body;
  if ((o->flags & OF_SPLIT) && d && d->shared) return d->nvalues ? values_bytes(d->nvalues) : 0;
  if (o->flags & OF_SPLIT) return 8 * (size_t)usable_of(o->cap);
  return keys_bytes(p, o->cap, (o->flags & OF_UNICODE) != 0);
}

/* dict_sizeof: the object and its keys table (shared empty keys: none);
   3.11 on, an instance's split dict counts a word for each slot its
   class's shared keys have now (shared_keys_usable_size), its keys none */
static int64_t dict_sizeof(const ms_Profile *p, const ms_Object *o) {
  const DictBody *d = o->body;
  if ((o->flags & OF_SPLIT) && d && d->shared)
    return (int64_t)(dict_basicsize(p, o) + 8 * ((size_t)d->shared->nentries + d->shared->usable));
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
  table_free(s, o->aux, o->cap, o->flags, body_nvalues(o));
  dict_body_free(o->body);
  o->body = NULL;
  o->aux = 0;
  o->cap = 0;
  o->len = 0;
  o->flags &= (uint8_t)~(OF_UNICODE | OF_SPLIT);
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
  if (obj_check_hashable(s, key) < 0) return -1;
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
  .tp_name = "dict", .tp_flags = TPF_GC | TPF_CONTAINER | TPF_TRASHCAN | TPF_LEN | TPF_UNHASHABLE,
  .tp_new = dict_new, .tp_basicsize = dict_basicsize, .tp_auxsize = dict_auxsize,
  .tp_sizeof = dict_sizeof, .tp_dealloc_next = dict_dealloc_next, .tp_dealloc = dict_dealloc,
  .tp_traverse = dict_traverse, .tp_clear = dict_clear, .tp_untrack_after = obj_maybe_untrack_dict,
  .tp_getitem = dict_getitem, .tp_setitem = dict_setitem, .tp_delitem = dict_delitem,
};

/* ====================================================================
** Dict iterators (dictiter_new): keys, values or items
** ==================================================================== */

/*
** The iterator (a GC object), then, for items, the result tuple it
** reuses while nothing else holds it: PyTuple_Pack(2, None, None).
** Body: items[2], the dict (dropped when exhausted) and that tuple.
** o->cls: 0 keys, 1 values, 2 items.
*/
uint32_t ms_new_dictiter(ms_Sim *s, uint32_t dict, int kind, int view) {
  if (need_type(s, dict, MS_DICT, "a dict iterator") < 0) return 0;
  uint32_t v = 0;
  if (view && (v = holder_new(s, MS_DICTVIEW, 1, &dict)) == 0) return 0;   /* _PyDictView_New */
  /* dictiter_new: the iterator, then its result tuple; tracked after both */
  uint32_t id = new_plain(s, MS_DICTITER, 2);
  if (id == 0) {
    if (v) obj_release(s, v);
    return 0;
  }
  uint32_t *body = ms_xcalloc(2, sizeof(uint32_t));
  O(s, id)->body = body;
  O(s, id)->cls = (uint8_t)kind;
  ms_incref(s, dict);
  body[0] = dict;
  if (kind == 2) {
    uint32_t t = new_tuple(s, 2);
    if (t == 0) {
      obj_release(s, id);
      return 0;
    }
    uint32_t none = ID_NONE;
    uint32_t *items = O(s, t)->body;
    items[0] = items[1] = none;
    O(s, none)->refcnt += 2;
    ((uint32_t *)O(s, id)->body)[1] = t;
  }
  gc_track(s, id);
  if (v) obj_release(s, v);                /* GET_ITER pops the view */
  return id;
}

/* dictiterobject: dict, used, pos, result, len */
static size_t dictiter_basicsize(const ms_Profile *p, const ms_Object *o) {
  (void)o;
  return p->gc_head + 56;
}

/* _PyDictViewObject: the header and its dict */
static size_t dictview_basicsize(const ms_Profile *p, const ms_Object *o) {
  (void)o;
  return p->gc_head + 24;
}

const ms_TypeObject ms_dictview_type = {
  .tp_name = "dict_view", .tp_flags = TPF_GC | TPF_CONTAINER | TPF_ITEMS,
  .tp_basicsize = dictview_basicsize, .tp_dealloc_next = items_dealloc_forward,
  .tp_dealloc = items_free_body, .tp_traverse = items_traverse,
};

const ms_TypeObject ms_dictiter_type = {
  .tp_name = "dict_iterator", .tp_flags = TPF_GC | TPF_CONTAINER | TPF_ITEMS,
  .tp_basicsize = dictiter_basicsize, .tp_dealloc_next = items_dealloc_forward,
  .tp_dealloc = items_free_body, .tp_traverse = items_traverse,
};
