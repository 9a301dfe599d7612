/*
** objimpl.h: the object model's internals (Include/internal/pycore_object.h
** in CPython): what the type families' files share with object.c, the
** collector and the core's statistics.
*/
#ifndef MEMSIM_OBJIMPL_H
#define MEMSIM_OBJIMPL_H

#include "gc.h"
#include "simimpl.h"

/* object internals (object.c) */
size_t obj_request(ms_Sim *s, const ms_Object *o);    /* object memory */
size_t obj_aux_request(ms_Sim *s, const ms_Object *o); /* second allocation */
size_t dict_keys_request(ms_Sim *s, uint32_t log2, int unicode);
void obj_release(ms_Sim *s, uint32_t id);              /* Py_DECREF, no checks */
/* Call VISIT on each reference the object holds (tp_traverse). */
typedef void (*VisitFn)(ms_Sim *s, uint32_t child, void *ud);
uint32_t obj_traverse(ms_Sim *s, uint32_t id, VisitFn visit, void *ud);
int obj_has_clear(const ms_Object *o);
void obj_clear(ms_Sim *s, uint32_t id);                /* tp_clear */
void obj_maybe_untrack_tuple(ms_Sim *s, uint32_t id);
void obj_maybe_untrack_dict(ms_Sim *s, uint32_t id);
void freelists_clear(ms_Sim *s);
int obj_may_be_tracked(ms_Sim *s, uint32_t id);


/* object.c */
uint32_t static_new(ms_Sim *s, int type, uint32_t len);
uint32_t new_plain(ms_Sim *s, int type, uint32_t len);
uint32_t unpark(ms_Sim *s, uint32_t *list, uint32_t *n);
int park(ms_Sim *s, uint32_t id, uint32_t **list, uint32_t *n, uint32_t max);
uint32_t singleton(ms_Sim *s, uint32_t *slot, int type);
void free_object(ms_Sim *s, uint32_t id);
uint32_t probe(const int32_t *index, uint32_t m, const uint32_t *keys,
                      uint32_t stride, uint32_t key, int *found);
int32_t *index_new(uint32_t n);
uint32_t usable_of(uint32_t log2);
size_t values_bytes(uint32_t n);

/* floatobject.c */
uint32_t new_float(ms_Sim *s);

/* unicodeobject.c */
uint32_t new_string(ms_Sim *s, int type, int64_t len);
uint32_t intern_name(ms_Sim *s, const char *text);

/* tupleobject.c */
uint32_t new_tuple(ms_Sim *s, uint32_t n);

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
void set_clear(ms_Sim *s, uint32_t id);

/* genobject.c */
uint32_t new_generator(ms_Sim *s, uint32_t slots);

#endif
