/*
** setobject.c: set (Objects/setobject.c): its table of (key, hash)
** entries, probed as CPython probes it, the small table inside the
** object, growth, dummies, and the methods.
**
** The table is CPython's, slot for slot: o->cap entries (8 inside the
** object, PySet_MINSIZE; a block of 16 bytes an entry once it outgrows
** them).  An entry is unused (key 0), a dummy left by a discard (key
** SET_DUMMY, hash -1), or active.  Where a key lands is what decides the
** memory: adding it fills an unused slot (fill + 1, and past 3/5 of the
** table a resize) or reuses the last dummy on its probe path (no fill).
**
** Probing (set_lookkey, set_add_entry): from slot hash & mask, the 9
** slots after it too (LINEAR_PROBES, when they do not wrap), then
** i = 5i + 1 + perturb, perturb being the hash shifted right 5 more bits
** each time.  A search ends at the first unused slot.  3.9's
** set_add_entry never reuses a dummy: an equal int added back after its
** discard takes a fresh slot (a 700-int set discarded and refilled grows
** from 32,984 to 65,752 bytes under 3.9.18, and stays under 3.10 on).
**
** Invariants: fill = active + dummy entries < cap; o->len = active
** entries; cap is a power of 2 >= 8; cap > 8 <=> o->aux is a table block.
*/
#include <string.h>

#include "objimpl.h"

#define LINEAR_PROBES 9
#define PERTURB_SHIFT 5
#define SET_DUMMY MS_NIL

static SetEntry *entries_new(uint32_t n) { return ms_xcalloc(n, sizeof(SetEntry)); }

uint32_t new_set(ms_Sim *s) {
  uint32_t id = new_plain(s, MS_SET, 0);
  if (id == 0) return 0;
  ms_Object *o = O(s, id);
  SetBody *b = ms_xcalloc(1, sizeof *b);
  o->cap = s->prof->set_minsize;
  b->table = entries_new(o->cap);
  o->body = b;
  gc_track(s, id);
  return id;
}

/* ====================================================================
** Probing
** ==================================================================== */

/* set_lookkey: the entry holding KEY, or the unused one that ends its search */
static uint32_t set_lookkey(ms_Sim *s, const SetEntry *table, uint32_t mask, uint32_t key, int64_t hash) {
  uint64_t perturb = (uint64_t)hash, i = perturb & mask;
  for (;;) {
    uint64_t probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
    for (uint64_t j = i;; j++) {
      const SetEntry *e = &table[j];
      if (e->key == 0) return (uint32_t)j;
      if (e->hash == hash && e->key != SET_DUMMY && (e->key == key || obj_equal(s, e->key, key)))
        return (uint32_t)j;
      if (probes-- == 0) break;
    }
    perturb >>= PERTURB_SHIFT;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

/* set_insert_clean: a key known absent, into a table without dummies */
static void set_insert_clean(SetEntry *table, uint32_t mask, uint32_t key, int64_t hash) {
  uint64_t perturb = (uint64_t)hash, i = perturb & mask;
  for (;;) {
    if (table[i].key == 0) break;
    if (i + LINEAR_PROBES <= mask) {
      uint64_t j;
      for (j = i + 1; j <= i + LINEAR_PROBES && table[j].key != 0; j++) {}
      if (j <= i + LINEAR_PROBES) {
        i = j;
        break;
      }
    }
    perturb >>= PERTURB_SHIFT;
    i = (i * 5 + 1 + perturb) & mask;
  }
  table[i].key = key;
  table[i].hash = hash;
}

/*
** set_table_resize: the smallest power of 2 above MINUSED, from 8; the
** active entries re-inserted in table order, dummies dropped.  A new
** table block is taken before the old one is freed.
*/
static int set_resize(ms_Sim *s, uint32_t id, uint64_t minused) {
  const ms_Profile *p = s->prof;
  uint64_t newsize = p->set_minsize;
  while (newsize <= minused) newsize <<= 1;
  if (newsize > 0x40000000) return sim_error(s, "MemoryError: set too large");
  ms_Object *o = O(s, id);
  SetBody *b = o->body;
  if (newsize == p->set_minsize && o->cap == p->set_minsize && b->fill == o->len) return 0;
  uint64_t block = 0;
  if (newsize > p->set_minsize) {
    block = mem_alloc_for(s, "set table", 16 * (size_t)newsize);
    if (block == 0) return -1;
    o = O(s, id);
    b = o->body;
  }
  SetEntry *old = b->table, *table = entries_new((uint32_t)newsize);
  for (uint32_t i = 0; i < o->cap; i++)
    if (old[i].key != 0 && old[i].key != SET_DUMMY)
      set_insert_clean(table, (uint32_t)newsize - 1, old[i].key, old[i].hash);
  if (o->cap > p->set_minsize) mem_free_for(s, "set table", o->aux, 16 * (size_t)o->cap);
  ms_xfree(old);
  b->table = table;
  b->fill = o->len;
  o->aux = block;
  o->cap = (uint32_t)newsize;
  return 0;
}

/* set_add_entry: a new reference to KEY kept unless an equal key is there */
static int set_add_entry(ms_Sim *s, uint32_t id, uint32_t key, int64_t hash) {
  ms_Object *o = O(s, id);
  SetBody *b = o->body;
  uint32_t mask = o->cap - 1, freeslot = MS_NIL;
  uint64_t perturb = (uint64_t)hash, i = perturb & mask;
  SetEntry *e;
  for (;;) {
    uint64_t probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
    for (uint64_t j = i;; j++) {
      e = &b->table[j];
      if (e->key == 0) goto found_unused_or_dummy;
      if (e->hash == hash && e->key != SET_DUMMY) {
        if (e->key == key || obj_equal(s, e->key, key)) return 0;   /* found_active */
      } else if (e->hash == -1 && e->key == SET_DUMMY) {
        freeslot = (uint32_t)j;            /* the last dummy on the path */
      }
      if (probes-- == 0) break;
    }
    perturb >>= PERTURB_SHIFT;
    i = (i * 5 + 1 + perturb) & mask;
  }
found_unused_or_dummy:
  ms_incref(s, key);
  o->len++;
  if (freeslot != MS_NIL && s->prof->set_reuse_dummy) {   /* 3.9 never reuses one */
    b->table[freeslot] = (SetEntry){key, hash};
    return 0;
  }
  *e = (SetEntry){key, hash};
  b->fill++;
  if ((uint64_t)b->fill * 5 < (uint64_t)mask * 3) return 0;
  uint64_t used = o->len;
  return set_resize(s, id, used > 50000 ? used * 2 : used * 4);
}

int ms_set_add(ms_Sim *s, uint32_t id, uint32_t key) {
  ms_Object *o = O(s, id);
  if (o->type != MS_SET) return sim_error(s, "add needs a set, got %s", ms_type_name(o->type));
  if (obj_check_hashable(s, key) < 0) return -1;
  return set_add_entry(s, id, key, obj_hash(s, key));
}

/* set_discard_entry: 1 when KEY was there (its entry now a dummy), 0 when not */
static int set_discard_entry(ms_Sim *s, uint32_t id, uint32_t key, int64_t hash) {
  ms_Object *o = O(s, id);
  SetBody *b = o->body;
  SetEntry *e = &b->table[set_lookkey(s, b->table, o->cap - 1, key, hash)];
  if (e->key == 0) return 0;
  uint32_t old = e->key;
  e->key = SET_DUMMY;
  e->hash = -1;
  o->len--;
  obj_release(s, old);
  return 1;
}

int set_discard(ms_Sim *s, uint32_t id, uint32_t key) {
  if (obj_check_hashable(s, key) < 0) return -1;
  if (!set_discard_entry(s, id, key, obj_hash(s, key))) return sim_error(s, "KeyError: key not in set");
  return 0;
}

static int set_contains_entry(ms_Sim *s, uint32_t id, uint32_t key, int64_t hash) {
  ms_Object *o = O(s, id);
  const SetBody *b = o->body;
  return b->table[set_lookkey(s, b->table, o->cap - 1, key, hash)].key != 0;
}

/* set_clear_internal: back to the small table; keys dropped in table order, then the block */
void set_clear(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  SetBody *b = o->body;
  SetEntry *table = b->table;
  uint64_t block = o->aux;
  uint32_t cap = o->cap;
  o->len = 0;
  o->aux = 0;
  o->cap = s->prof->set_minsize;
  b->fill = 0;
  b->table = entries_new(o->cap);
  for (uint32_t i = 0; i < cap; i++)
    if (table[i].key != 0 && table[i].key != SET_DUMMY) obj_release(s, table[i].key);
  if (cap > s->prof->set_minsize) mem_free_for(s, "set table", block, 16 * (size_t)cap);
  ms_xfree(table);
}

/* ====================================================================
** The set methods: each allocates and frees what CPython's does
** ==================================================================== */

/* the active entries of a set in table order (a host copy: set_next) */
static SetEntry *set_entries(ms_Sim *s, uint32_t id, uint32_t *n) {
  ms_Object *o = O(s, id);
  const SetBody *b = o->body;
  SetEntry *k = ms_xmalloc((o->len ? o->len : 1) * sizeof *k);
  *n = 0;
  for (uint32_t i = 0; i < o->cap; i++)
    if (b->table[i].key != 0 && b->table[i].key != SET_DUMMY) k[(*n)++] = b->table[i];
  return k;
}

/*
** set_merge: one resize up front when the keys to come would fill the
** table past 3/5; into an empty table of the same size without dummies
** the entries are copied slot for slot; into an empty one, inserted
** clean; otherwise added one by one.
*/
static int set_merge(ms_Sim *s, uint32_t id, uint32_t other) {
  ms_Object *ob = O(s, other);
  if (other == id || ob->len == 0) return 0;
  ms_Object *o = O(s, id);
  if (((uint64_t)((SetBody *)o->body)->fill + ob->len) * 5 >= (uint64_t)(o->cap - 1) * 3)
    if (set_resize(s, id, ((uint64_t)o->len + ob->len) * 2) < 0) return -1;
  o = O(s, id);
  ob = O(s, other);
  SetBody *b = o->body, *ot = ob->body;
  if (b->fill == 0 && o->cap == ob->cap && ot->fill == ob->len) {
    for (uint32_t i = 0; i < ob->cap; i++)
      if (ot->table[i].key != 0) {
        b->table[i] = ot->table[i];
        ms_incref(s, ot->table[i].key);
      }
    b->fill = ot->fill;
    o->len = ob->len;
    return 0;
  }
  if (b->fill == 0) {
    for (uint32_t i = 0; i < ob->cap; i++)
      if (ot->table[i].key != 0 && ot->table[i].key != SET_DUMMY) {
        set_insert_clean(b->table, o->cap - 1, ot->table[i].key, ot->table[i].hash);
        ms_incref(s, ot->table[i].key);
      }
    b->fill = ob->len;
    o->len = ob->len;
    return 0;
  }
  uint32_t n;
  SetEntry *keys = set_entries(s, other, &n);
  int rc = 0;
  for (uint32_t i = 0; i < n && rc == 0; i++) rc = set_add_entry(s, id, keys[i].key, keys[i].hash);
  ms_xfree(keys);
  return rc;
}

/*
** set_update_internal: a set is merged; a list or tuple is iterated (an
** iterator object made and dropped) and each item added.
*/
static int set_update_internal(ms_Sim *s, uint32_t id, uint32_t other) {
  int t = O(s, other)->type;
  if (t == MS_SET) return set_merge(s, id, other);
  if (t != MS_LIST && t != MS_TUPLE)
    return sim_error(s, "TypeError: update takes a set, a list or a tuple here, not %s", ms_type_name(t));
  uint32_t it = ms_new_iter(s, other);
  if (it == 0) return -1;
  int rc = 0;
  for (uint32_t i = 0; rc == 0 && i < O(s, other)->len; i++) {
    uint32_t k = ((uint32_t *)O(s, other)->body)[i];
    if (k == 0) {
      rc = sim_error(s, "TypeError: update: item %u of the tuple is not set (fill it with setitem first)", i);
      break;
    }
    rc = ms_set_add(s, id, k);
  }
  ms_iter_exhaust(s, it);
  obj_release(s, it);
  return rc;
}

/* s.update(x): a METH_VARARGS method, so its argument comes in a 1-tuple */
int ms_set_update(ms_Sim *s, uint32_t id, uint32_t other) {
  if (need_type(s, id, MS_SET, "update") < 0) return -1;
  uint32_t args = args_tuple(s, other);
  if (args == 0) return -1;
  int rc = set_update_internal(s, id, other);
  obj_release(s, args);
  return rc;
}

/* set(x), s.copy(): make_new_set, then set_update_internal */
uint32_t ms_set_from(ms_Sim *s, uint32_t other) {
  uint32_t id = new_set(s);
  if (id == 0) return 0;
  if (other && set_update_internal(s, id, other) < 0) {
    obj_release(s, id);
    return 0;
  }
  return id;
}

/* a | b: set_copy(a), then update with b */
uint32_t ms_set_union(ms_Sim *s, uint32_t a, uint32_t b) {
  if (need_type(s, a, MS_SET, "|") < 0 || need_type(s, b, MS_SET, "|") < 0) return 0;
  uint32_t r = ms_set_from(s, a);
  if (r && a != b && set_merge(s, r, b) < 0) {
    obj_release(s, r);
    return 0;
  }
  return r;
}

/* set_intersection: a new set; the smaller set's keys (table order) that the larger one holds */
static uint32_t set_intersection(ms_Sim *s, uint32_t a, uint32_t b) {
  if (a == b) return ms_set_from(s, a);
  uint32_t r = new_set(s);
  if (r == 0) return 0;
  if (O(s, b)->len > O(s, a)->len) {
    uint32_t t = a;
    a = b;
    b = t;
  }
  uint32_t n;
  SetEntry *keys = set_entries(s, b, &n);
  int rc = 0;
  for (uint32_t i = 0; i < n && rc == 0; i++)
    if (set_contains_entry(s, a, keys[i].key, keys[i].hash)) rc = set_add_entry(s, r, keys[i].key, keys[i].hash);
  ms_xfree(keys);
  if (rc < 0) {
    obj_release(s, r);
    return 0;
  }
  return r;
}

uint32_t ms_set_intersection(ms_Sim *s, uint32_t a, uint32_t b) {
  if (need_type(s, a, MS_SET, "&") < 0 || need_type(s, b, MS_SET, "&") < 0) return 0;
  return set_intersection(s, a, b);
}

/*
** set_difference_update_internal for a set B: when B is more than 8
** times the size of ID, their intersection is discarded instead; then,
** when more than a quarter of the table is dummies, a resize.
*/
static int set_difference_update(ms_Sim *s, uint32_t id, uint32_t b) {
  if (id == b) {
    set_clear(s, id);
    return 0;
  }
  uint32_t other = b;
  if ((O(s, b)->len >> 3) > O(s, id)->len) {
    other = set_intersection(s, id, b);
    if (other == 0) return -1;
  }
  uint32_t n;
  SetEntry *keys = set_entries(s, other, &n);
  for (uint32_t i = 0; i < n; i++) set_discard_entry(s, id, keys[i].key, keys[i].hash);
  ms_xfree(keys);
  if (other != b) obj_release(s, other);
  ms_Object *o = O(s, id);
  if ((uint64_t)(((SetBody *)o->body)->fill - o->len) <= (uint64_t)(o->cap - 1) / 4) return 0;
  uint64_t used = o->len;
  return set_resize(s, id, used > 50000 ? used * 2 : used * 4);
}

/*
** a - b: when a is more than four times b, a copy of a with b's keys
** discarded (set_copy_and_difference); else a new set of a's keys, in
** table order, that b does not hold.
*/
uint32_t ms_set_difference(ms_Sim *s, uint32_t a, uint32_t b) {
  if (need_type(s, a, MS_SET, "-") < 0 || need_type(s, b, MS_SET, "-") < 0) return 0;
  uint32_t r;
  int rc = 0;
  if ((O(s, a)->len >> 2) > O(s, b)->len) {
    r = ms_set_from(s, a);
    if (r == 0) return 0;
    rc = set_difference_update(s, r, b);
  } else {
    r = new_set(s);
    if (r == 0) return 0;
    uint32_t n;
    SetEntry *keys = set_entries(s, a, &n);
    for (uint32_t i = 0; i < n && rc == 0; i++)
      if (!set_contains_entry(s, b, keys[i].key, keys[i].hash)) rc = set_add_entry(s, r, keys[i].key, keys[i].hash);
    ms_xfree(keys);
  }
  if (rc < 0) {
    obj_release(s, r);
    return 0;
  }
  return r;
}

/* s.pop(): the first active entry from the finger on, replaced by a dummy */
int ms_set_pop(ms_Sim *s, uint32_t id, uint32_t *out) {
  if (need_type(s, id, MS_SET, "pop") < 0) return -1;
  ms_Object *o = O(s, id);
  if (o->len == 0) return sim_error(s, "KeyError: 'pop from an empty set'");
  SetBody *b = o->body;
  uint32_t i = b->finger & (o->cap - 1);
  while (b->table[i].key == 0 || b->table[i].key == SET_DUMMY) i = (i + 1) & (o->cap - 1);
  *out = b->table[i].key;                  /* the set's reference goes to the caller */
  b->table[i] = (SetEntry){SET_DUMMY, -1};
  o->len--;
  b->finger = i + 1;
  return 0;
}

/* s.discard(x) (no error when x is not there) and s.remove(x) */
int ms_set_discard(ms_Sim *s, uint32_t id, uint32_t key, int must_exist) {
  if (need_type(s, id, MS_SET, must_exist ? "remove" : "discard") < 0 || obj_check_hashable(s, key) < 0)
    return -1;
  if (!set_discard_entry(s, id, key, obj_hash(s, key)) && must_exist)
    return sim_error(s, "KeyError: key not in set");
  return 0;
}

int ms_set_clear(ms_Sim *s, uint32_t id) {
  if (need_type(s, id, MS_SET, "clear") < 0) return -1;
  set_clear(s, id);
  return 0;
}

/* 1 when the set's table and counts keep the invariants above */
int set_is_valid(const ms_Sim *s, uint32_t id) {
  const ms_Object *o = &s->objs[id];
  const SetBody *b = o->body;
  uint32_t active = 0, dummies = 0;
  if (o->cap < s->prof->set_minsize || (o->cap & (o->cap - 1)) != 0) return 0;
  if ((o->cap > s->prof->set_minsize) != (o->aux != 0)) return 0;
  for (uint32_t i = 0; i < o->cap; i++) {
    if (b->table[i].key == SET_DUMMY) dummies += b->table[i].hash == -1;
    else if (b->table[i].key != 0) active++;
  }
  return active == o->len && active + dummies == b->fill && b->fill < o->cap;
}

/* ====================================================================
** The type
** ==================================================================== */

static uint32_t set_new(ms_Sim *s, int64_t arg) {
  (void)arg;
  return new_set(s);
}

/* PySetObject with its small table of PySet_MINSIZE entries inside */
static size_t set_basicsize(const ms_Profile *p, const ms_Object *o) {
  (void)o;
  return p->gc_head + p->set_size;
}

static size_t set_auxsize(const ms_Profile *p, const ms_Object *o) {
  (void)p;
  return 16 * (size_t)o->cap;
}

/* set_sizeof: the object, and a table of its own once it outgrew the small one */
static int64_t set_sizeof(const ms_Profile *p, const ms_Object *o) {
  return (int64_t)set_basicsize(p, o) + (o->cap > p->set_minsize ? 16 * (int64_t)o->cap : 0);
}

/* set_dealloc: the keys in table order */
static uint32_t set_dealloc_next(ms_Object *o, uint32_t *pos) {
  SetBody *b = o->body;
  while (*pos < o->cap) {
    uint32_t c = b->table[(*pos)++].key;
    if (c != 0 && c != SET_DUMMY) return c;
  }
  return 0;
}

/* set_dealloc: a table of its own is freed; the small one is the object's */
static int set_dealloc(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  SetBody *b = o->body;
  if (o->cap > s->prof->set_minsize) mem_free_for(s, "set table", o->aux, 16 * (size_t)o->cap);
  ms_xfree(b->table);
  ms_xfree(b);
  o->body = NULL;
  return 0;
}

static uint32_t set_traverse(ms_Sim *s, uint32_t id, VisitFn visit, void *ud) {
  ms_Object *o = O(s, id);
  SetBody *b = o->body;
  uint32_t edges = 0;
  for (uint32_t i = 0; i < o->cap; i++)
    if (b->table[i].key != 0 && b->table[i].key != SET_DUMMY) {
      visit(s, b->table[i].key, ud);
      edges++;
    }
  return edges;
}

static int set_delitem(ms_Sim *s, uint32_t c, int64_t index, uint32_t key) {
  (void)index;
  return set_discard(s, c, key);
}

const ms_TypeObject ms_set_type = {
  .tp_name = "set", .tp_flags = TPF_GC | TPF_CONTAINER | TPF_TRASHCAN | TPF_LEN | TPF_UNHASHABLE,
  .tp_new = set_new, .tp_basicsize = set_basicsize, .tp_auxsize = set_auxsize,
  .tp_sizeof = set_sizeof, .tp_dealloc_next = set_dealloc_next, .tp_dealloc = set_dealloc,
  .tp_traverse = set_traverse, .tp_clear = set_clear, .tp_delitem = set_delitem,
};

/* ====================================================================
** The set iterator (set_iter)
** ==================================================================== */

uint32_t ms_new_setiter(ms_Sim *s, uint32_t set) {
  if (need_type(s, set, MS_SET, "a set iterator") < 0) return 0;
  return holder_new(s, MS_SETITER, 1, &set);
}

/* setiterobject: set, used, pos, len */
static size_t setiter_basicsize(const ms_Profile *p, const ms_Object *o) {
  (void)o;
  return p->gc_head + 48;
}

const ms_TypeObject ms_setiter_type = {
  .tp_name = "set_iterator", .tp_flags = TPF_GC | TPF_CONTAINER | TPF_ITEMS,
  .tp_basicsize = setiter_basicsize, .tp_dealloc_next = items_dealloc_forward,
  .tp_dealloc = items_free_body, .tp_traverse = items_traverse,
};
