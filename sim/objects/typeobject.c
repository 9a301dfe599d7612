/*
** typeobject.c: instances of Python classes (Objects/typeobject.c and the
** managed dicts of 3.11): shared keys per class, the values array, a
** materialized __dict__, attributes.
*/
#include <string.h>

#include "objimpl.h"

/* instance values array of n slots (new_values) */
size_t values_bytes(uint32_t n) { return ((n + 2 + 7) & ~7u) + 8 * (size_t)n; }

/* 3.13's values inside the object (_PyInlineValuesSize): a prefix of n
** bytes rounded to a word, then n + 1 words */
static size_t inline_values_bytes(uint32_t n) { return ((n + 7) & ~7u) + 8 * ((size_t)n + 1); }

static ms_Class *class_find(ms_Sim *s, const char *name) {
  for (uint32_t i = 0; i < s->nclasses; i++)
    if (strcmp(s->classes[i].name, name) == 0) return &s->classes[i];
  if (s->nclasses == 255) return NULL;
  if (s->classes == NULL)                  /* all at once: a split dict points at its class */
    s->classes = ms_xcalloc(255, sizeof(ms_Class));
  ms_Class *c = &s->classes[s->nclasses++];
  c->name = ms_xstrdup(name);
  c->usable = MS_SHARED_KEYS_MAX;          /* _PyDict_NewKeysForClass */
  return c;
}

/*
** An instance: PyType_GenericAlloc (tracked), then init_inline_values:
** the class's shared keys give up one usable slot per instance (down to
** 1) and the values array has nentries + usable slots.
*/
uint32_t ms_new_instance(ms_Sim *s, const char *cls) {
  ms_Class *c = class_find(s, cls ? cls : "C");
  if (c == NULL) return SIM_FAIL0(s, "too many classes (255)");
  if (c->slotted)
    return SIM_FAIL0(s, "class '%s' has __slots__: its instances are sim:new(\"object\", \"%s\", {names})", c->name, c->name);
  if (s->prof->instance_dict) {
    /* 3.9, 3.10: PyType_GenericAlloc alone; the dict comes with the first attribute */
    uint32_t id = new_plain(s, MS_OBJECT, 0);
    if (id == 0) return 0;
    gc_track(s, id);
    ms_Object *o = O(s, id);
    o->cls = (uint8_t)(c - s->classes);
    o->body = ms_xcalloc(1, sizeof(InstBody));
    return id;
  }
  uint32_t usable = c->usable > 1 ? c->usable - 1 : c->usable;
  uint32_t n = c->nentries + usable;
  if (s->prof->instance_inline_values) {
    /*
    ** 3.13: one block, the values inside.  _PyType_AllocNoTrack sizes it
    ** from the keys as they are (nentries + usable), then
    ** _PyObject_InitInlineValues takes the usable slot: the block has
    ** room for one value more than the object may use.  o->cap: the
    ** block's slots; o->len: the values' capacity.
    */
    uint32_t id = new_plain_cap(s, MS_OBJECT, n, c->nentries + c->usable);
    if (id == 0) return 0;
    gc_track(s, id);
    c->usable = usable;
    ms_Object *o = O(s, id);
    o->cls = (uint8_t)(c - s->classes);
    o->body = ms_xcalloc(1, sizeof(InstBody) + o->cap * sizeof(uint32_t));
    return id;
  }
  uint32_t id = new_plain(s, MS_OBJECT, 0);
  if (id == 0) return 0;
  gc_track(s, id);
  uint64_t vals = mem_alloc_for(s, "instance values", values_bytes(n));
  if (vals == 0) {
    s->nlive--;
    s->nlive_type[MS_OBJECT]--;
    gc_untrack(s, id);
    free_object(s, id);
    return 0;
  }
  c->usable = usable;
  ms_Object *o = O(s, id);
  o->cls = (uint8_t)(c - s->classes);
  o->aux = vals;
  o->cap = n;
  o->body = ms_xcalloc(1, sizeof(InstBody) + n * sizeof(uint32_t));
  return id;
}

static int class_index_of(ms_Class *c, uint32_t name) {
  for (uint32_t i = 0; i < c->nentries; i++)
    if (c->names[i] == name) return (int)i;
  return -1;
}

/*
** make_dict_from_instance_attributes, then the insertion that needed it:
** the dict object, a combined table sized from used * 3, the values
** array freed.
*/
static int materialize_dict(ms_Sim *s, uint32_t obj) {
  if (s->prof->instance_dict) {            /* 3.9, 3.10: a split dict on the class's keys */
    uint32_t sd = new_split_dict(s);
    if (sd == 0) return -1;
    ((InstBody *)O(s, obj)->body)->dict = sd;
    return 0;
  }
  uint32_t d = new_dict(s);
  if (d == 0) return -1;
  ms_Object *o = O(s, obj);
  ms_Class *c = &s->classes[o->cls];
  InstBody *b = o->body;
  uint32_t used = 0;
  for (uint32_t i = 0; i < o->cap; i++) used += b->vals[i] != 0;
  if (dict_resize(s, d, log2_keysize(3 * (uint64_t)used), 1) < 0) {
    obj_release(s, d);
    return -1;
  }
  o = O(s, obj);
  b = o->body;
  for (uint32_t i = 0; i < o->cap && i < c->nentries; i++) {
    uint32_t v = b->vals[i];
    if (v == 0) continue;
    dict_set(s, d, c->names[i], v);        /* fits: no allocation */
    obj_release(s, v);                     /* the dict holds it now */
    b->vals[i] = 0;
  }
  mem_free_for(s, "instance values", o->aux, values_bytes(o->cap));
  o->aux = 0;
  b->dict = d;
  return 0;
}

/*
** obj.__dict__ and vars(obj) (PyObject_GenericGetDict): the dict the
** instance has; else 3.9 and 3.10 make the split dict the first
** attribute would, and 3.11 on make one of the instance's values
** (make_dict_from_instance_attributes): a dict object (the free list
** first) on the class's shared keys whose values are the instance's own
** array, handed over, not copied (3.13: the values stay inside the
** object).  It is tracked when a value may be.  The result is a new
** reference.
*/
int ms_instance_dict(ms_Sim *s, uint32_t obj, uint32_t *out) {
  ms_Object *o = O(s, obj);
  if (o->type == MS_SLOTTED)
    return sim_error(s, "AttributeError: '%s' object has no attribute '__dict__' (it has __slots__)",
                     s->classes[o->cls].name);
  if (o->type != MS_OBJECT)
    return sim_error(s, "AttributeError: '%s' object has no attribute '__dict__' here", ms_type_name(o->type));
  InstBody *b = o->body;
  if (b->dict == 0) {
    if (s->prof->instance_dict) {
      if (materialize_dict(s, obj) < 0) return -1;
    } else {
      uint32_t d = new_dict(s);
      if (d == 0) return -1;
      o = O(s, obj);
      b = o->body;
      ms_Class *c = &s->classes[o->cls];
      int inline_values = s->prof->instance_inline_values != 0;
      uint32_t n = inline_values ? o->len : o->cap, track = 0;
      if (dict_take_values(s, d, c, inline_values ? 0 : n, o->aux) < 0) {
        obj_release(s, d);
        return -1;
      }
      for (uint32_t i = 0; i < n && i < c->nentries; i++) {
        uint32_t v = b->vals[i];
        if (v == 0) continue;
        dict_split_put(s, d, c->names[i], v);   /* the instance's reference, moved */
        b->vals[i] = 0;
        track |= obj_may_be_tracked(s, v);
      }
      o = O(s, obj);
      o->aux = 0;
      if (track) gc_track(s, d);
      ((InstBody *)o->body)->dict = d;
    }
    b = O(s, obj)->body;
  }
  ms_incref(s, b->dict);
  *out = b->dict;
  return 0;
}

/* vars(obj): builtin_vars is METH_VARARGS (bltinmodule.c), so its
   argument comes in a 1-tuple, made before and dropped after (not in
   3.12.1, measured: the profile's vars_call_tuple) */
int ms_vars(ms_Sim *s, uint32_t obj, uint32_t *out) {
  uint32_t args = 0;
  if (s->prof->vars_call_tuple && (args = args_tuple(s, obj)) == 0) return -1;
  int rc = ms_instance_dict(s, obj, out);
  if (args) obj_release(s, args);
  return rc;
}

/* ====================================================================
** Instances of classes with __slots__: no __dict__, a slot per name
** ==================================================================== */

/*
** The object is its header and one word per slot (the slots' member
** descriptors index it); GC-tracked, never a dict.  The class's first
** instance fixes its slots' names; a name not among them is the
** AttributeError CPython gives.
*/
uint32_t ms_new_slotted(ms_Sim *s, const char *cls, const char *const *names, uint32_t n) {
  if (n > MS_SHARED_KEYS_MAX) return SIM_FAIL0(s, "__slots__: at most %d names here", MS_SHARED_KEYS_MAX);
  ms_Class *c = class_find(s, cls ? cls : "C");
  if (c == NULL) return SIM_FAIL0(s, "too many classes (255)");
  uint32_t nm[MS_SHARED_KEYS_MAX];
  for (uint32_t i = 0; i < n; i++) nm[i] = intern_name(s, names[i]);
  if (!c->slotted && c->nentries == 0 && c->usable == MS_SHARED_KEYS_MAX) {   /* the class's first use */
    c->slotted = 1;
    c->nslots = (uint8_t)n;
    for (uint32_t i = 0; i < n; i++) c->names[i] = nm[i];
  } else if (!c->slotted) {
    return SIM_FAIL0(s, "class '%s' was made without __slots__", c->name);
  } else {
    int same = c->nslots == n;
    for (uint32_t i = 0; same && i < n; i++) same = c->names[i] == nm[i];
    if (!same) return SIM_FAIL0(s, "class '%s' has other __slots__ (its first instance fixed them)", c->name);
  }
  uint32_t id = holder_new(s, MS_SLOTTED, n, NULL);
  if (id) O(s, id)->cls = (uint8_t)(c - s->classes);
  return id;
}

/* the slot of NAME, or -1 with the AttributeError */
static int slot_of(ms_Sim *s, uint32_t obj, const char *name) {
  ms_Class *c = &s->classes[O(s, obj)->cls];
  uint32_t nm = intern_name(s, name);
  for (uint32_t i = 0; i < c->nslots; i++)
    if (c->names[i] == nm) return (int)i;
  return sim_error(s, "AttributeError: '%s' object has no attribute '%s' (its __slots__ are its only attributes)",
                   c->name, name);
}

static int slot_set(ms_Sim *s, uint32_t obj, const char *name, uint32_t value) {
  int i = slot_of(s, obj, name);
  if (i < 0) return -1;
  uint32_t *slots = O(s, obj)->body, old = slots[i];
  if (value) ms_incref(s, value);
  slots[i] = value;
  obj_release(s, old);
  return 0;
}

static int slot_get(ms_Sim *s, uint32_t obj, const char *name, uint32_t *out) {
  int i = slot_of(s, obj, name);
  if (i < 0) return -1;
  uint32_t v = ((uint32_t *)O(s, obj)->body)[i];
  if (v == 0) return sim_error(s, "AttributeError: '%s' object has no attribute '%s' (a slot never set)",
                               s->classes[O(s, obj)->cls].name, name);
  ms_incref(s, v);
  *out = v;
  return 0;
}

int ms_setattr(ms_Sim *s, uint32_t obj, const char *name, uint32_t value) {
  if (strcmp(name, "__dict__") == 0) return sim_error(s, "obj.__dict__ = d: memsim does not model replacing an instance's dict");
  ms_Object *o = O(s, obj);
  if (o->type == MS_SLOTTED) return slot_set(s, obj, name, value);
  if (o->type != MS_OBJECT)
    return sim_error(s, "AttributeError: '%s' object has no settable attributes", ms_type_name(o->type));
  uint32_t nm = intern_name(s, name);
  o = O(s, obj);
  InstBody *b = o->body;
  if (b->dict == 0) {
    ms_Class *c = &s->classes[o->cls];
    int ix = class_index_of(c, nm);
    if (ix < 0 && c->usable > 0 && c->nentries < MS_SHARED_KEYS_MAX) {
      ix = (int)c->nentries;               /* insert_into_dictkeys */
      c->names[c->nentries++] = nm;
      c->usable--;
    }
    uint32_t capacity = s->prof->instance_inline_values ? o->len : o->cap;
    if (ix >= 0 && (uint32_t)ix < capacity) {
      uint32_t old = b->vals[ix];
      ms_incref(s, value);
      b->vals[ix] = value;
      obj_release(s, old);
      return 0;
    }
    if (materialize_dict(s, obj) < 0) return -1;
    b = O(s, obj)->body;
  }
  return dict_set(s, b->dict, nm, value);
}

int ms_getattr(ms_Sim *s, uint32_t obj, const char *name, uint32_t *out) {
  if (strcmp(name, "__dict__") == 0) return ms_instance_dict(s, obj, out);
  ms_Object *o = O(s, obj);
  if (o->type == MS_SLOTTED) return slot_get(s, obj, name, out);
  if (o->type != MS_OBJECT)
    return sim_error(s, "AttributeError: '%s' object has no attribute '%s'", ms_type_name(o->type), name);
  uint32_t nm = intern_name(s, name);
  o = O(s, obj);
  InstBody *b = o->body;
  if (b->dict) {
    if (ms_getitem(s, b->dict, 0, nm, out) < 0)
      return sim_error(s, "AttributeError: object has no attribute '%s'", name);
    return 0;
  }
  int ix = class_index_of(&s->classes[o->cls], nm);
  if (ix < 0 || (uint32_t)ix >= o->cap || b->vals[ix] == 0)
    return sim_error(s, "AttributeError: object has no attribute '%s'", name);
  ms_incref(s, b->vals[ix]);
  *out = b->vals[ix];
  return 0;
}

int ms_delattr(ms_Sim *s, uint32_t obj, const char *name) {
  if (strcmp(name, "__dict__") == 0) return sim_error(s, "del obj.__dict__: memsim does not model it");
  ms_Object *o = O(s, obj);
  if (o->type == MS_SLOTTED) {
    uint32_t v;
    if (slot_get(s, obj, name, &v) < 0) return -1;
    obj_release(s, v);
    return slot_set(s, obj, name, 0);
  }
  if (o->type != MS_OBJECT)
    return sim_error(s, "AttributeError: '%s' object has no attribute '%s'", ms_type_name(o->type), name);
  uint32_t nm = intern_name(s, name);
  o = O(s, obj);
  InstBody *b = o->body;
  if (b->dict) {
    if (dict_lookup(s, O(s, b->dict), nm, NULL) < 0)
      return sim_error(s, "AttributeError: object has no attribute '%s'", name);
    return dict_del(s, b->dict, nm);
  }
  int ix = class_index_of(&s->classes[o->cls], nm);
  if (ix < 0 || (uint32_t)ix >= o->cap || b->vals[ix] == 0)
    return sim_error(s, "AttributeError: object has no attribute '%s'", name);
  uint32_t old = b->vals[ix];
  b->vals[ix] = 0;
  obj_release(s, old);
  return 0;
}

/* ====================================================================
** The type of instances
** ==================================================================== */

static uint32_t instance_new(ms_Sim *s, int64_t arg) {
  (void)arg;
  return ms_new_instance(s, "C");
}

/* class C: pass, the pre-header included (and 3.13's inline values) */
static size_t instance_basicsize(const ms_Profile *p, const ms_Object *o) {
  return p->gc_head + p->instance_size + (p->instance_inline_values ? inline_values_bytes(o->cap) : 0);
}

/* sys.getsizeof: the basic size, inline values never counted */
static int64_t instance_sizeof(const ms_Profile *p, const ms_Object *o) {
  (void)o;
  return (int64_t)(p->gc_head + p->instance_size);
}

static size_t instance_auxsize(const ms_Profile *p, const ms_Object *o) {
  (void)p;
  return values_bytes(o->cap);
}

/* subtype_dealloc: the values in order, or the materialized __dict__ */
static uint32_t instance_dealloc_next(ms_Object *o, uint32_t *pos) {
  InstBody *b = o->body;
  if (b->dict) return (*pos)++ == 0 ? b->dict : 0;
  while (*pos < o->cap) {
    uint32_t c = b->vals[(*pos)++];
    if (c) return c;
  }
  return 0;
}

/* subtype_dealloc: the values array, then the object */
static int instance_dealloc(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  mem_free_for(s, "instance values", o->aux, obj_aux_request(s, o));
  ms_xfree(o->body);
  o->body = NULL;
  return 0;
}

static uint32_t instance_traverse(ms_Sim *s, uint32_t id, VisitFn visit, void *ud) {
  ms_Object *o = O(s, id);
  InstBody *b = o->body;
  uint32_t edges = 0;
  if (b->dict) {
    visit(s, b->dict, ud);
    return 1;
  }
  for (uint32_t i = 0; i < o->cap; i++)
    if (b->vals[i]) {
      visit(s, b->vals[i], ud);
      edges++;
    }
  return edges;
}

/* subtype_clear: the __dict__, or each value in turn (a release may
   run code that changes the object: the body is read anew each time) */
static void instance_clear(ms_Sim *s, uint32_t id) {
  InstBody *b = O(s, id)->body;
  if (b->dict) {
    uint32_t d = b->dict;
    b->dict = 0;
    obj_release(s, d);
    return;
  }
  for (uint32_t i = 0; i < O(s, id)->cap; i++) {
    b = O(s, id)->body;
    uint32_t v = b->vals[i];
    b->vals[i] = 0;
    obj_release(s, v);
  }
}

const ms_TypeObject ms_instance_type = {
  .tp_name = "object", .tp_flags = TPF_GC | TPF_CONTAINER | TPF_TRASHCAN,
  .tp_new = instance_new, .tp_basicsize = instance_basicsize, .tp_auxsize = instance_auxsize,
  .tp_sizeof = instance_sizeof,
  .tp_dealloc_next = instance_dealloc_next, .tp_dealloc = instance_dealloc,
  .tp_traverse = instance_traverse, .tp_clear = instance_clear,
};

/* ====================================================================
** The type of instances with __slots__
** ==================================================================== */

/* the object header (16), the pre-header's GC part, a word per slot */
static size_t slotted_basicsize(const ms_Profile *p, const ms_Object *o) {
  return p->gc_head + 16 + 8 * (size_t)o->len;
}

const ms_TypeObject ms_slotted_type = {
  .tp_name = "slots_object", .tp_flags = TPF_GC | TPF_CONTAINER | TPF_TRASHCAN | TPF_ITEMS,
  .tp_basicsize = slotted_basicsize, .tp_dealloc_next = items_dealloc_forward,
  .tp_dealloc = items_free_body, .tp_traverse = items_traverse, .tp_clear = items_clear,   /* clear_slots */
};
