/*
** objimpl.h: the object model's internals (Include/internal/pycore_object.h
** in CPython): what the type families' files share with object.c, the
** collector and the core's statistics.
*/
#ifndef MEMSIM_OBJIMPL_H
#define MEMSIM_OBJIMPL_H

#include "gc.h"
#include "simimpl.h"

/* ====================================================================
** Types: a type is a table of slots
** ==================================================================== */

/*
** As in CPython, an object's behaviour is its type's table: the
** constructor, what it asks the allocator for, what it drops when it
** dies and in which order, what the collector sees in it.  Code outside
** a type's file never switches on the type; it calls through the table.
** A NULL slot means "nothing to do" (no second allocation, no
** references, no tp_clear) unless the slot's comment says otherwise.
**
** Invariants, for every live object o of type t:
**   o was allocated t->tp_basicsize(p, o) bytes at o->addr (0 if static)
**   o->aux != 0  =>  t->tp_auxsize(p, o) bytes were allocated at o->aux
**   (t->tp_flags & TPF_GC) == (o came from the GC allocator)
**   t->tp_flags & TPF_ITEMS  =>  o->body is uint32_t items[o->len]
*/
typedef void (*VisitFn)(ms_Sim *s, uint32_t child, void *ud);

#define TPF_GC        0x01  /* allocated with a GC header, counted by the collector */
#define TPF_CONTAINER 0x02  /* holds references */
#define TPF_TRASHCAN  0x04  /* its deallocator uses Py_TRASHCAN_BEGIN */
#define TPF_ITEMS     0x08  /* body: uint32_t items[len]: the collector loops them inline */
#define TPF_LEN       0x10  /* len(o) is o->len */
#define TPF_UNHASHABLE 0x20 /* tp_hash is PyObject_HashNotImplemented: never a key or a member */

typedef struct ms_TypeObject {
  const char *tp_name;
  uint32_t tp_flags;                                    /* TPF_* */
  /* sim:new(type, arg): a new reference, or 0 with the error set; NULL: not made by name */
  uint32_t (*tp_new)(ms_Sim *s, int64_t arg);
  /* bytes the object itself asks for (GC header included) */
  size_t (*tp_basicsize)(const ms_Profile *p, const ms_Object *o);
  /* bytes of its second allocation at o->aux */
  size_t (*tp_auxsize)(const ms_Profile *p, const ms_Object *o);
  /* sys.getsizeof; NULL: tp_basicsize */
  int64_t (*tp_sizeof)(const ms_Profile *p, const ms_Object *o);
  /* deallocation, step by step: the next reference dropped (0: none
     left), in its deallocator's order; *pos starts at 0 */
  uint32_t (*tp_dealloc_next)(ms_Object *o, uint32_t *pos);
  /* deallocation, the end: free what is not the object itself; 1 when
     the object was parked on a free list (then it is not freed) */
  int (*tp_dealloc)(ms_Sim *s, uint32_t id);
  /* the references the collector sees; returns how many it visited */
  uint32_t (*tp_traverse)(ms_Sim *s, uint32_t id, VisitFn visit, void *ud);
  /* drop every reference (the collector breaking a cycle) */
  void (*tp_clear)(ms_Sim *s, uint32_t id);
  /* maybe untrack: during move_unreachable's scan (tuples), or after a
     full collection's (dicts) */
  void (*tp_untrack_scan)(ms_Sim *s, uint32_t id);
  void (*tp_untrack_after)(ms_Sim *s, uint32_t id);
  /* o[index] / o[key]: NULL is a TypeError */
  int (*tp_getitem)(ms_Sim *s, uint32_t c, int64_t index, uint32_t key, uint32_t *out);
  int (*tp_setitem)(ms_Sim *s, uint32_t c, int64_t index, uint32_t key, uint32_t value);
  int (*tp_delitem)(ms_Sim *s, uint32_t c, int64_t index, uint32_t key);
  /* hash(o) (never -1); NULL: the address's (_Py_HashPointer) */
  int64_t (*tp_hash)(ms_Sim *s, uint32_t id);
  /* a == b for two objects of this type, not the same one; NULL: never */
  int (*tp_equal)(ms_Sim *s, uint32_t a, uint32_t b);
  /* a < b for two objects of this type that know their values: 1 or 0;
     -1 when one of them has no value; NULL: not orderable */
  int (*tp_less)(ms_Sim *s, uint32_t a, uint32_t b);
} ms_TypeObject;

extern const ms_TypeObject *const ms_types[MS_NTYPES];
static inline const ms_TypeObject *TYPE(const ms_Object *o) { return ms_types[o->type]; }

/* the families' tables (one per file of objects/) */
extern const ms_TypeObject ms_none_type, ms_long_type, ms_float_type, ms_unicode_type,
    ms_bytes_type, ms_tuple_type, ms_list_type, ms_listiter_type, ms_dict_type, ms_set_type,
    ms_instance_type, ms_gen_type, ms_function_type, ms_range_type, ms_rangeiter_type,
    ms_cell_type, ms_method_type, ms_dictiter_type, ms_setiter_type, ms_slotted_type, ms_dictview_type,
    ms_bool_type;

/* shared by the types whose body is items[len] (object.c) */
uint32_t items_traverse(ms_Sim *s, uint32_t id, VisitFn visit, void *ud);
uint32_t items_dealloc_backward(ms_Object *o, uint32_t *pos);   /* list, tuple */
uint32_t items_dealloc_forward(ms_Object *o, uint32_t *pos);    /* frames, iterators */
int items_getitem(ms_Sim *s, uint32_t c, int64_t index, uint32_t key, uint32_t *out);
int items_setitem(ms_Sim *s, uint32_t c, int64_t index, uint32_t key, uint32_t value);
int items_free_body(ms_Sim *s, uint32_t id);                    /* tp_dealloc: the body only */
void items_clear(ms_Sim *s, uint32_t id);                       /* tp_clear: each reference dropped */
uint32_t holder_new(ms_Sim *s, int type, uint32_t n, const uint32_t *refs);   /* GC, items[n], tracked */
void slice_clamp(int64_t size, int64_t *lo, int64_t *hi);       /* s[lo:hi]'s bounds */

/* the object model's own allocations, named for step mode (--explain) */
static inline uint64_t mem_alloc_for(ms_Sim *s, const char *what, size_t n) {
  s->explain_what = what;
  uint64_t p = mem_alloc(s, n);
  s->explain_what = NULL;
  return p;
}

static inline uint64_t mem_realloc_for(ms_Sim *s, const char *what, uint64_t p, size_t oldn, size_t n) {
  s->explain_what = what;
  uint64_t q = mem_realloc(s, p, oldn, n);
  s->explain_what = NULL;
  return q;
}

static inline void mem_free_for(ms_Sim *s, const char *what, uint64_t p, size_t n) {
  s->explain_what = what;
  mem_free(s, p, n);
  s->explain_what = NULL;
}

/* object internals (object.c) */
size_t obj_request(ms_Sim *s, const ms_Object *o);    /* object memory */
size_t obj_aux_request(ms_Sim *s, const ms_Object *o); /* second allocation */
size_t dict_keys_request(ms_Sim *s, uint32_t log2, int unicode);
void obj_release(ms_Sim *s, uint32_t id);              /* Py_DECREF, no checks */
/* Call VISIT on each reference the object holds (tp_traverse). */
uint32_t obj_traverse(ms_Sim *s, uint32_t id, VisitFn visit, void *ud);
int obj_has_clear(const ms_Object *o);
void obj_clear(ms_Sim *s, uint32_t id);                /* tp_clear */
void obj_maybe_untrack_tuple(ms_Sim *s, uint32_t id);
void obj_maybe_untrack_dict(ms_Sim *s, uint32_t id);
void freelists_clear(ms_Sim *s);
int obj_may_be_tracked(ms_Sim *s, uint32_t id);
/* 0, or a TypeError ("unhashable type: 'list'") for a key of an unhashable type */
int obj_check_hashable(ms_Sim *s, uint32_t key);


/* object.c */
uint32_t static_new(ms_Sim *s, int type, uint32_t len);
uint32_t new_plain(ms_Sim *s, int type, uint32_t len);
uint32_t new_plain_cap(ms_Sim *s, int type, uint32_t len, uint32_t cap);
uint32_t new_plain_like(ms_Sim *s, const ms_Object *tmp);   /* type, len, cap, cls as TMP's */
void record_free(ms_Sim *s, uint32_t id);
uint32_t unpark(ms_Sim *s, uint32_t *list, uint32_t *n);
int park(ms_Sim *s, uint32_t id, uint32_t **list, uint32_t *n, uint32_t max);
uint32_t singleton(ms_Sim *s, uint32_t *slot, int type);
void free_object(ms_Sim *s, uint32_t id);
int32_t *index_new(uint32_t n);
uint32_t usable_of(uint32_t log2);
int dict_take_values(ms_Sim *s, uint32_t id, ms_Class *c, uint32_t nvalues, uint64_t aux);
void dict_split_put(ms_Sim *s, uint32_t id, uint32_t key, uint32_t value);
int ms_instance_dict(ms_Sim *s, uint32_t obj, uint32_t *out);
size_t values_bytes(uint32_t n);

/* pyhash.c: hash values and key equality */
void hash_secret_init(ms_Sim *s, uint32_t seed);
int64_t hash_bytes(ms_Sim *s, const void *data, size_t n);
int64_t hash_pointer(uint64_t addr);
int long_value(const ms_Object *o, __int128 *v);
int float_value(const ms_Object *o, double *v);
size_t float_repr(double v, char *out);
/* PyOS_double_to_string's flags */
#define MS_DTSF_SIGN 1        /* Py_DTSF_SIGN: a '+' on a positive number */
#define MS_DTSF_ADD_DOT_0 2   /* Py_DTSF_ADD_DOT_0: ".0" on an integer */
#define MS_DTSF_ALT 4         /* Py_DTSF_ALT: '#', the point and zeros kept */
#define MS_FLOAT_MAX_PRECISION 120
size_t ms_double_to_string(double v, char code, int precision, int flags, char *out);
int64_t hash_int(__int128 v);
int64_t obj_hash(ms_Sim *s, uint32_t id);               /* PyObject_Hash of a hashable key */
int obj_equal(ms_Sim *s, uint32_t a, uint32_t b);       /* a is b or a == b */
int obj_less(ms_Sim *s, uint32_t a, uint32_t b);        /* a < b: 1, 0, or -1 with the TypeError */

/* unicodeobject.c: _PyUnicodeWriter, the str a formatting builds as it goes
   (see there); the format spec's side is formatter.c */
typedef struct UWriter {
  uint32_t buf;            /* the buffer, 0 before the first write */
  int readonly;            /* buf is a str written whole: not ours */
  uint64_t size, pos, min_length;
  uint32_t maxchar;        /* of buf's kind: 0x7f, 0xff, 0xffff, 0x10ffff */
  int overallocate;
  int unknown;             /* a str made by length was written */
  uint32_t *cp;            /* the characters written (host memory) */
  uint64_t cpcap;
} UWriter;
int uw_prepare(ms_Sim *s, UWriter *w, uint64_t n, uint32_t maxchar);
void uw_put(UWriter *w, const uint32_t *cp, uint64_t n);
int uw_write_str(ms_Sim *s, UWriter *w, uint32_t str);
int uw_write_ascii(ms_Sim *s, UWriter *w, const char *text, size_t n);
uint32_t uw_finish(ms_Sim *s, UWriter *w);               /* the str; the host copy of W kept */
void uw_dealloc(ms_Sim *s, UWriter *w);
uint32_t str_from_ascii(ms_Sim *s, const char *text, size_t n);
uint32_t scratch_of_digits(ms_Sim *s, uint32_t ndigits); /* long_to_decimal_string's scratch int */
uint32_t long_new_digits(ms_Sim *s, uint32_t size);      /* _PyLong_New: a block of SIZE digits */
uint32_t long_from_digits_block(ms_Sim *s, __int128 v, uint32_t size);
/* an int's magnitude in base 2, 8, 10 or 16 (130 bytes), its sign and 30-bit digits; -1 without a value */
int ms_int_digits(const ms_Sim *s, uint32_t id, int base, int upper, char *out, int *neg, uint32_t *digits);
int str_ascii_text(ms_Sim *s, uint32_t id, char *out, size_t cap);   /* an ASCII str's text, or -1 */
uint32_t format_value(ms_Sim *s, uint32_t o);           /* FORMAT_VALUE without a spec */
uint32_t *str_codepoints(ms_Sim *s, uint32_t id);

/* formatter.c: PyObject_Format's bound __format__, made and dropped around the call */
uint64_t bound_method_new(ms_Sim *s);
int long_as_double(const ms_Object *o, double *d);     /* longobject.c */
void bound_method_drop(ms_Sim *s, uint64_t m);

/* floatobject.c */
uint32_t new_float(ms_Sim *s);

/* unicodeobject.c */
#define STR_INTERNED 0x80                  /* o->cls of a str: in the interned table */
uint32_t new_string(ms_Sim *s, int type, int64_t len);
uint32_t intern_name(ms_Sim *s, const char *text);
/* a fresh static object as a code constant: the equal one made before, or it */
uint32_t code_constant(ms_Sim *s, uint32_t id, int identifier);

/* tupleobject.c */
uint32_t new_tuple(ms_Sim *s, uint32_t n);
uint32_t new_split_dict(ms_Sim *s);
/* the 1-tuple a METH_VARARGS method's argument comes in (a new reference) */
uint32_t args_tuple(ms_Sim *s, uint32_t arg);
/* 0 when ID is of TYPE; else -1 with "TypeError: WHAT needs a <type>" */
int need_type(ms_Sim *s, uint32_t id, int type, const char *what);

/* listobject.c */
uint32_t new_list(ms_Sim *s, uint32_t n);
int list_index(ms_Sim *s, ms_Object *o, int64_t *i);
int list_del(ms_Sim *s, uint32_t id, int64_t index);

/* dictobject.c */
uint32_t log2_keysize(uint64_t minsize);
int dict_resize(ms_Sim *s, uint32_t id, uint32_t log2, int unicode);
size_t keys_bytes(const ms_Profile *p, uint32_t log2, int unicode);
void keys_free(ms_Sim *s, uint64_t addr, uint32_t log2, int unicode);
void dict_body_free(DictBody *d);
uint32_t new_dict(ms_Sim *s);
int dict_set(ms_Sim *s, uint32_t id, uint32_t key, uint32_t value);
int dict_lookup(ms_Sim *s, ms_Object *o, uint32_t key, uint32_t *slot);
int dict_del(ms_Sim *s, uint32_t id, uint32_t key);
void dict_clear(ms_Sim *s, uint32_t id);

/* setobject.c */
uint32_t new_set(ms_Sim *s);
int set_discard(ms_Sim *s, uint32_t id, uint32_t key);
int set_is_valid(const ms_Sim *s, uint32_t id);         /* the table keeps its invariants */
void set_clear(ms_Sim *s, uint32_t id);

/* genobject.c */
uint32_t new_generator(ms_Sim *s, uint32_t slots);

#endif
