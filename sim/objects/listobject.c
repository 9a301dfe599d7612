/*
** listobject.c: list (Objects/listobject.c): PyList_New, list_resize's
** growth pattern, append and deletion, and the list iterator.
*/
#include <assert.h>
#include <string.h>

#include "objimpl.h"

/* PyList_New(n): the object, then n slots from PyMem_Calloc */
uint32_t new_list(ms_Sim *s, uint32_t n) {
  uint32_t id = unpark(s, s->fl_list, &s->n_list);
  int revived = id != 0;
  if (!revived) {
    id = new_plain(s, MS_LIST, 0);
    if (id == 0) return 0;
  }
  if (n > 0) {
    uint64_t items = mem_alloc_for(s, "list items", 8 * (size_t)n);
    if (items == 0) {                      /* undo: back where it came from */
      s->nlive--;
      s->nlive_type[MS_LIST]--;
      if (!revived || !park(s, id, &s->fl_list, &s->n_list, s->prof->list_freelist))
        free_object(s, id);
      return 0;
    }
    ms_Object *o = O(s, id);
    o->aux = items;
    o->cap = o->len = n;
    uint32_t *body = ms_xmalloc(n * sizeof(uint32_t));
    for (uint32_t i = 0; i < n; i++) body[i] = ID_NONE;
    o->body = body;
  }
  gc_track(s, id);
  return id;
}

/* list_iter / tuple_iter: a GC object with a reference to its sequence */
uint32_t ms_new_iter(ms_Sim *s, uint32_t seq) { return holder_new(s, MS_SEQITER, 1, &seq); }

/* an exhausted iterator lets go of its sequence (it_seq = NULL) */
void ms_iter_exhaust(ms_Sim *s, uint32_t it) {
  ms_Object *o = O(s, it);
  assert(o->type == MS_SEQITER || o->type == MS_DICTITER || o->type == MS_SETITER);
  uint32_t *body = o->body;
  uint32_t seq = body[0];
  body[0] = 0;
  obj_release(s, seq);
}

/*
** list_resize: over-allocate by about 1/8, rounded to 4; keep the array
** while allocated/2 <= newsize <= allocated.  The array moves through
** PyMem_Realloc, so pymalloc's in-place rule applies to it.
*/
static int list_resize(ms_Sim *s, uint32_t id, uint32_t newsize) {
  ms_Object *o = O(s, id);
  uint32_t allocated = o->cap;
  if (allocated >= newsize && newsize >= (allocated >> 1)) {
    o->len = newsize;
    return 0;
  }
  uint64_t na = ((uint64_t)newsize + (newsize >> 3) + 6) & ~(uint64_t)3;
  if ((int64_t)newsize - (int64_t)o->len > (int64_t)(na - newsize))
    na = ((uint64_t)newsize + 3) & ~(uint64_t)3;
  if (newsize == 0) na = 0;
  if (na > 0x7fffffff) return sim_error(s, "MemoryError: list of %u items", newsize);
  uint64_t items = mem_realloc_for(s, "list items", o->aux, 8 * (size_t)allocated, 8 * (size_t)na);
  if (items == 0) return -1;
  o = O(s, id);
  o->aux = items;
  o->body = ms_xrealloc(o->body, (na ? na : 1) * sizeof(uint32_t));
  o->cap = (uint32_t)na;
  o->len = newsize;
  return 0;
}

int list_index(ms_Sim *s, ms_Object *o, int64_t *i) {
  if (*i < 0) *i += o->len;
  if (*i < 0 || *i >= o->len)
    return sim_error(s, "IndexError: %s index out of range (len %u)", ms_type_name(o->type), o->len);
  return 0;
}

int ms_append(ms_Sim *s, uint32_t list, uint32_t value) {
  ms_Object *o = O(s, list);
  if (o->type != MS_LIST) return sim_error(s, "append needs a list, got %s", ms_type_name(o->type));
  uint32_t n = o->len;
  if (list_resize(s, list, n + 1) < 0) return -1;
  ms_incref(s, value);
  ((uint32_t *)O(s, list)->body)[n] = value;
  return 0;
}

/* list_ass_slice deleting one item: shift, resize, then drop it */
int list_del(ms_Sim *s, uint32_t id, int64_t index) {
  ms_Object *o = O(s, id);
  if (list_index(s, o, &index) < 0) return -1;
  uint32_t *items = o->body;
  uint32_t old = items[index], n = o->len;
  uint32_t saved_len = o->len;
  memmove(&items[index], &items[index + 1], (n - 1 - (uint32_t)index) * sizeof(uint32_t));
  if (list_resize(s, id, n - 1) < 0) {     /* undo the shift */
    o = O(s, id);
    items = o->body;
    memmove(&items[index + 1], &items[index], (n - 1 - (uint32_t)index) * sizeof(uint32_t));
    items[index] = old;
    o->len = saved_len;
    return -1;
  }
  obj_release(s, old);
  return 0;
}

/* ====================================================================
** The list methods: each allocates and frees what CPython's does
** ==================================================================== */

/* the items of a list or tuple (PySequence_Fast of one: no copy) */
static int seq_items(ms_Sim *s, uint32_t seq, const char *what, uint32_t **items, uint32_t *n) {
  ms_Object *q = O(s, seq);
  if (q->type != MS_LIST && q->type != MS_TUPLE)
    return sim_error(s, "TypeError: %s takes a list or a tuple here, not %s", what, ms_type_name(q->type));
  *items = q->body;
  *n = q->len;
  for (uint32_t i = 0; i < *n; i++)        /* a tuple from sim:new, not filled yet */
    if ((*items)[i] == 0)
      return sim_error(s, "TypeError: %s: item %u of the tuple is not set (fill it with setitem first)",
                       what, i);
  return 0;
}

/*
** list_preallocate_exact: an empty list (no item array) gets exactly N
** slots, rounded up to an even count from 3.10 (16-byte granularity).
*/
static int list_prealloc(ms_Sim *s, uint32_t id, uint32_t n) {
  ms_Object *o = O(s, id);
  assert(o->aux == 0 && n > 0);
  uint32_t size = s->prof->list_prealloc_even ? (n + 1) & ~1u : n;
  uint64_t items = mem_alloc_for(s, "list items", 8 * (size_t)size);
  if (items == 0) return -1;
  o = O(s, id);
  o->aux = items;
  o->cap = size;
  ms_xfree(o->body);
  o->body = ms_xcalloc(size, sizeof(uint32_t));
  return 0;
}

/* list_new_prealloc: PyList_New(0), then an item array of exactly N */
static uint32_t list_new_prealloc(ms_Sim *s, uint32_t n) {
  uint32_t id = new_list(s, 0);
  if (id == 0 || n == 0) return id;
  uint64_t items = mem_alloc_for(s, "list items", 8 * (size_t)n);
  if (items == 0) {
    obj_release(s, id);
    return 0;
  }
  ms_Object *o = O(s, id);
  o->aux = items;
  o->cap = n;
  o->body = ms_xcalloc(n, sizeof(uint32_t));
  return id;
}

/* list.insert: ins1 (resize first, then shift; the index clamped) */
int ms_list_insert(ms_Sim *s, uint32_t id, int64_t where, uint32_t value) {
  if (need_type(s, id, MS_LIST, "insert") < 0) return -1;
  uint32_t n = O(s, id)->len;
  if (n >= MS_MAX_COUNT) return sim_error(s, "MemoryError: list too long");
  if (list_resize(s, id, n + 1) < 0) return -1;
  if (where < 0) {
    where += n;
    if (where < 0) where = 0;
  }
  if (where > n) where = n;
  uint32_t *items = O(s, id)->body;
  memmove(&items[where + 1], &items[where], (n - (uint32_t)where) * sizeof(uint32_t));
  ms_incref(s, value);
  items[where] = value;
  return 0;
}

/*
** list_ass_slice: a[lo:hi] = v (v a list or tuple), or del a[lo:hi]
** (v 0).  The items replaced go to a recycle array (on the C stack up
** to 8, else PyMem_Malloc) and are dropped last to first once the list
** is whole again; emptied, the list is cleared (its array freed).
*/
int ms_list_setslice(ms_Sim *s, uint32_t id, int64_t lo, int64_t hi, uint32_t v) {
  if (need_type(s, id, MS_LIST, v ? "slice assignment" : "del of a slice") < 0) return -1;
  uint32_t copy = 0;
  if (v == id) {                           /* a[i:j] = a: from a copy */
    copy = ms_list_slice(s, id, 0, O(s, id)->len);
    if (copy == 0) return -1;
    v = copy;
  }
  uint32_t *vitems = NULL, n = 0;
  if (v && seq_items(s, v, "slice assignment", &vitems, &n) < 0) {
    if (copy) obj_release(s, copy);
    return -1;
  }
  uint32_t size = O(s, id)->len;
  if (lo < 0) lo = 0;
  else if (lo > size) lo = size;
  if (hi < lo) hi = lo;
  else if (hi > size) hi = size;
  uint32_t norig = (uint32_t)(hi - lo);
  int64_t d = (int64_t)n - norig;
  int rc = 0;
  if ((int64_t)size + d == 0) {
    ms_list_clear(s, id);
    if (copy) obj_release(s, copy);
    return 0;
  }
  uint32_t *recycle = NULL;
  uint64_t recycle_block = 0;
  if (norig > 0) {
    if (norig > 8) {                       /* more than recycle_on_stack holds */
      recycle_block = mem_alloc_for(s, "slice recycle array", 8 * (size_t)norig);
      if (recycle_block == 0) {
        if (copy) obj_release(s, copy);
        return -1;
      }
    }
    recycle = ms_xmalloc(norig * sizeof(uint32_t));
    memcpy(recycle, (uint32_t *)O(s, id)->body + lo, norig * sizeof(uint32_t));
  }
  if (d < 0) {                             /* delete -d items */
    uint32_t *items = O(s, id)->body;
    memmove(&items[hi + d], &items[hi], (size - (uint32_t)hi) * sizeof(uint32_t));
    if (list_resize(s, id, (uint32_t)(size + d)) < 0) {
      items = O(s, id)->body;
      memmove(&items[hi], &items[hi + d], (size - (uint32_t)hi) * sizeof(uint32_t));
      memcpy(&items[lo], recycle, norig * sizeof(uint32_t));
      O(s, id)->len = size;
      rc = -1;
    }
  } else if (d > 0) {                      /* insert d items */
    if (list_resize(s, id, (uint32_t)(size + d)) < 0) {
      rc = -1;
    } else {
      uint32_t *items = O(s, id)->body;
      memmove(&items[hi + d], &items[hi], (size - (uint32_t)hi) * sizeof(uint32_t));
    }
  }
  if (rc == 0) {
    if (v) vitems = O(s, v)->body;         /* the resize may have moved a's own array */
    uint32_t *items = O(s, id)->body;
    for (uint32_t k = 0; k < n; k++) {
      ms_incref(s, vitems[k]);
      items[lo + k] = vitems[k];
    }
    for (uint32_t k = norig; k-- > 0;) obj_release(s, recycle[k]);
  }
  if (recycle_block) mem_free_for(s, "slice recycle array", recycle_block, 8 * (size_t)norig);
  ms_xfree(recycle);
  if (copy) obj_release(s, copy);
  return rc;
}

/* list.pop([i]): the last item by a resize, any other by list_ass_slice */
int ms_list_pop(ms_Sim *s, uint32_t id, int64_t index, int has_index, uint32_t *out) {
  if (need_type(s, id, MS_LIST, "pop") < 0) return -1;
  ms_Object *o = O(s, id);
  if (o->len == 0) return sim_error(s, "IndexError: pop from empty list");
  if (!has_index) index = -1;
  if (index < 0) index += o->len;
  if (index < 0 || index >= o->len) return sim_error(s, "IndexError: pop index out of range");
  uint32_t v = ((uint32_t *)o->body)[index];
  if (index == o->len - 1) {
    if (list_resize(s, id, o->len - 1) < 0) return -1;
    *out = v;                              /* the list's reference, handed over */
    return 0;
  }
  ms_incref(s, v);
  if (ms_list_setslice(s, id, index, index + 1, 0) < 0) {
    obj_release(s, v);
    return -1;
  }
  *out = v;
  return 0;
}

/* list.remove(x): the first item that is x or equals it, deleted as del a[i] is */
int ms_list_remove(ms_Sim *s, uint32_t id, uint32_t value) {
  if (need_type(s, id, MS_LIST, "remove") < 0) return -1;
  for (uint32_t i = 0; i < O(s, id)->len; i++) {
    uint32_t item = ((uint32_t *)O(s, id)->body)[i];
    if (item == value || (item && obj_equal(s, item, value))) return ms_list_setslice(s, id, i, (int64_t)i + 1, 0);
  }
  return sim_error(s, "ValueError: list.remove(x): x not in list");
}

/* list.clear: emptied first, items dropped last to first, array freed */
int ms_list_clear(ms_Sim *s, uint32_t id) {
  if (need_type(s, id, MS_LIST, "clear") < 0) return -1;
  if (O(s, id)->aux == 0) return 0;
  ms_list_type.tp_clear(s, id);
  return 0;
}

/*
** list.extend(x) and a += x, for a list or tuple x (list_extend's fast
** path): an empty list without an array is preallocated exactly (3.10+),
** else resized to m + n.
*/
int ms_list_extend(ms_Sim *s, uint32_t id, uint32_t seq) {
  if (need_type(s, id, MS_LIST, "extend") < 0) return -1;
  uint32_t *src = NULL, n = 0;
  if (seq_items(s, seq, "extend", &src, &n) < 0) return -1;
  if (n == 0) return 0;
  uint32_t m = O(s, id)->len;
  if ((uint64_t)m + n > MS_MAX_COUNT) return sim_error(s, "MemoryError: list too long");
  if (O(s, id)->aux == 0 && s->prof->list_extend_prealloc) {
    if (list_prealloc(s, id, n) < 0) return -1;
    O(s, id)->len = n;
  } else if (list_resize(s, id, m + n) < 0) {
    return -1;
  }
  src = O(s, seq)->body;                   /* a.extend(a): read after the resize */
  uint32_t *dest = (uint32_t *)O(s, id)->body + m;
  for (uint32_t i = 0; i < n; i++) {
    ms_incref(s, src[i]);
    dest[i] = src[i];
  }
  return 0;
}

/* a[lo:hi] and list.copy(): list_slice, an exact array (none when empty) */
uint32_t ms_list_slice(ms_Sim *s, uint32_t id, int64_t lo, int64_t hi) {
  if (need_type(s, id, MS_LIST, "slice") < 0) return 0;
  slice_clamp(O(s, id)->len, &lo, &hi);
  uint32_t len = (uint32_t)(hi - lo);
  uint32_t np = list_new_prealloc(s, len);
  if (np == 0) return 0;
  uint32_t *src = (uint32_t *)O(s, id)->body + lo, *dest = O(s, np)->body;
  for (uint32_t i = 0; i < len; i++) {
    ms_incref(s, src[i]);
    dest[i] = src[i];
  }
  O(s, np)->len = len;
  return np;
}

/* a + b: list_concat, an exact array */
uint32_t ms_list_concat(ms_Sim *s, uint32_t a, uint32_t b) {
  if (need_type(s, a, MS_LIST, "list +") < 0 || need_type(s, b, MS_LIST, "list +") < 0) return 0;
  uint64_t size = (uint64_t)O(s, a)->len + O(s, b)->len;
  if (size > MS_MAX_COUNT) return SIM_FAIL0(s, "MemoryError: list too long");
  uint32_t np = list_new_prealloc(s, (uint32_t)size);
  if (np == 0) return 0;
  uint32_t *dest = O(s, np)->body;
  for (int side = 0; side < 2; side++) {
    uint32_t src_id = side ? b : a, n = O(s, src_id)->len;
    uint32_t *src = O(s, src_id)->body;
    for (uint32_t i = 0; i < n; i++) {
      ms_incref(s, src[i]);
      *dest++ = src[i];
    }
  }
  O(s, np)->len = (uint32_t)size;
  return np;
}

/* a * n: list_repeat, an exact array (an empty list when n <= 0) */
uint32_t ms_list_repeat(ms_Sim *s, uint32_t a, int64_t times) {
  if (need_type(s, a, MS_LIST, "list *") < 0) return 0;
  uint64_t len = O(s, a)->len;
  if (times <= 0 || len == 0) return new_list(s, 0);
  if ((uint64_t)times > MS_MAX_COUNT / len) return SIM_FAIL0(s, "MemoryError: list too long");
  uint32_t size = (uint32_t)(len * (uint64_t)times);
  uint32_t np = list_new_prealloc(s, size);
  if (np == 0) return 0;
  uint32_t *src = O(s, a)->body, *dest = O(s, np)->body;
  for (uint32_t k = 0; k < size; k++) {
    ms_incref(s, src[k % len]);
    dest[k] = src[k % len];
  }
  O(s, np)->len = size;
  return np;
}

/* a *= n: list_inplace_repeat, a resize to len * n (cleared when n < 1) */
int ms_list_irepeat(ms_Sim *s, uint32_t id, int64_t times) {
  if (need_type(s, id, MS_LIST, "list *=") < 0) return -1;
  uint64_t len = O(s, id)->len;
  if (len == 0 || times == 1) return 0;
  if (times < 1) return ms_list_clear(s, id);
  if ((uint64_t)times > MS_MAX_COUNT / len) return sim_error(s, "MemoryError: list too long");
  uint32_t size = (uint32_t)(len * (uint64_t)times);
  if (list_resize(s, id, size) < 0) return -1;
  uint32_t *items = O(s, id)->body;
  for (uint32_t k = (uint32_t)len; k < size; k++) {
    items[k] = items[k % len];
    ms_incref(s, items[k]);
  }
  return 0;
}

/* list.reverse: in place, nothing allocated */
int ms_list_reverse(ms_Sim *s, uint32_t id) {
  if (need_type(s, id, MS_LIST, "reverse") < 0) return -1;
  ms_Object *o = O(s, id);
  uint32_t *items = o->body;
  for (uint32_t i = 0, j = o->len; i + 1 < j; i++, j--) {
    uint32_t t = items[i];
    items[i] = items[j - 1];
    items[j - 1] = t;
  }
  return 0;
}

/* ====================================================================
** list.sort(): timsort (Objects/listobject.c, Objects/listsort.txt)
** ==================================================================== */

/*
** What sorting allocates is the merge buffer: a merge of runs A and B
** (after the elements already in place are trimmed off, the binary
** searches of merge_at) copies the smaller of them aside, and
** merge_getmem takes a block of 8 bytes a pointer for it when it needs
** more than the 256 the MergeState holds inside (freeing the previous
** block first, never realloc).  Which merges happen, and their sizes,
** follow from the data: runs (count_run: ascending, or strictly
** descending and reversed; from 3.13 a descending run may hold equal
** items), short runs extended to minrun by binary
** insertion, and the merge policy: powersort's from 3.11 (found_new_run,
** powerloop), the classic stack rules before (merge_collapse).  memsim
** runs that algorithm on the items' values, so the order is CPython's
** (stable) and so are the buffers, 3.13's runs too (count_run_relaxed).
*/
#define MERGESTATE_TEMP_SIZE 256
#define MAX_MERGE_PENDING 85

typedef struct SortState {
  ms_Sim *s;
  uint32_t *a;                 /* the items, sorted in place */
  uint32_t *tmp;               /* host scratch of n */
  uint32_t n;
  uint64_t block;              /* the merge buffer (PyMem_Malloc), 0: the one inside */
  uint32_t alloced;            /* pointers it holds */
  int failed;                  /* a comparison raised */
  int powersort;
  uint32_t npending;
  struct { uint32_t base, len; int power; } pending[MAX_MERGE_PENDING];
} SortState;

static int less(SortState *st, uint32_t x, uint32_t y) {
  if (st->failed) return 0;
  int r = obj_less(st->s, x, y);
  if (r < 0) {
    st->failed = 1;
    return 0;
  }
  return r;
}

/* merge_getmem: room for NEED pointers */
static int merge_getmem(SortState *st, uint32_t need) {
  if (need <= st->alloced) return 0;
  if (st->block) mem_free_for(st->s, "sort merge buffer", st->block, 8 * (size_t)st->alloced);
  st->block = mem_alloc_for(st->s, "sort merge buffer", 8 * (size_t)need);
  if (st->block == 0) return -1;
  st->alloced = need;
  return 0;
}

/* the first position in a[lo, hi) whose item is greater than KEY (gallop_right) */
static uint32_t bisect_right(SortState *st, uint32_t key, uint32_t lo, uint32_t hi) {
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (less(st, key, st->a[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/* the first position in a[lo, hi) whose item is not less than KEY (gallop_left) */
static uint32_t bisect_left(SortState *st, uint32_t key, uint32_t lo, uint32_t hi) {
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (less(st, st->a[mid], key)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* binarysort: a[lo, hi) sorted, a[lo, start) being so already */
static void binarysort(SortState *st, uint32_t lo, uint32_t hi, uint32_t start) {
  for (uint32_t i = start > lo ? start : lo + 1; i < hi; i++) {
    uint32_t pivot = st->a[i], at = bisect_right(st, pivot, lo, i);
    memmove(&st->a[at + 1], &st->a[at], (size_t)(i - at) * sizeof(uint32_t));
    st->a[at] = pivot;
  }
}

static void reverse_items(uint32_t *a, uint32_t n) {
  for (uint32_t i = 0, j = n; i + 1 < j; i++, j--) {
    uint32_t t = a[i];
    a[i] = a[j - 1];
    a[j - 1] = t;
  }
}

/* count_run: the run starting at LO; *DESC when strictly descending */
static uint32_t count_run(SortState *st, uint32_t lo, uint32_t hi, int *desc) {
  *desc = 0;
  if (lo + 1 >= hi) return 1;
  uint32_t n = 2, i = lo + 2;
  if (less(st, st->a[lo + 1], st->a[lo])) {
    *desc = 1;
    for (; i < hi && less(st, st->a[i], st->a[i - 1]); i++) n++;
  } else {
    for (; i < hi && !less(st, st->a[i], st->a[i - 1]); i++) n++;
  }
  return n;
}

/*
** 3.13's count_run: a descending run may hold equal items (it is
** "non-increasing"); each stretch of equal ones is reversed as it ends,
** so that reversing the whole run keeps them in their order, and the run,
** made ascending, goes on while the items keep not decreasing.  A run that
** starts ascending is one, unless all of it is equal and then decreases.
** The run comes back ascending.
*/
static uint32_t count_run_relaxed(SortState *st, uint32_t lo, uint32_t hi) {
  uint32_t *a = &st->a[lo], nrem = hi - lo, n, neq = 0;
  for (n = 1; n < nrem; n++)
    if (less(st, a[n], a[n - 1])) break;
  if (n == nrem) return n;
  if (n > 1) {                             /* a[n] is smaller: descending only if a[0 .. n) are equal */
    if (less(st, a[0], a[n - 1])) return n;
    reverse_items(a, n);
  }
  for (n++; n < nrem; n++) {
    if (less(st, a[n], a[n - 1])) {
      if (neq) {                           /* the equal stretch before a[n] ends */
        neq++;
        reverse_items(&a[n - neq], neq);
        neq = 0;
      }
    } else if (less(st, a[n - 1], a[n])) {
      break;                               /* the descending run is over */
    } else {
      neq++;
    }
  }
  if (neq) {
    neq++;
    reverse_items(&a[n - neq], neq);
  }
  reverse_items(a, n);                     /* ascending now */
  for (; n < nrem; n++)                    /* and maybe longer: [3, 2, 3, 4, 1] gives 4 */
    if (less(st, a[n], a[n - 1])) break;
  return n;
}

static uint32_t compute_minrun(uint32_t n) {
  uint32_t r = 0;
  while (n >= 64) {
    r |= n & 1;
    n >>= 1;
  }
  return n + r;
}

/* merge_at: pending runs I and I + 1 into one */
static int merge_at(SortState *st, uint32_t i) {
  uint32_t sa = st->pending[i].base, na = st->pending[i].len;
  uint32_t sb = st->pending[i + 1].base, nb = st->pending[i + 1].len;
  st->pending[i].len = na + nb;
  if (i + 3 == st->npending) st->pending[i + 1] = st->pending[i + 2];
  st->npending--;
  uint32_t k = bisect_right(st, st->a[sb], sa, sa + na) - sa;   /* already in place at A's start */
  sa += k;
  na -= k;
  if (na == 0 || st->failed) return 0;
  nb = bisect_left(st, st->a[sa + na - 1], sb, sb + nb) - sb;   /* already in place at B's end */
  if (nb == 0 || st->failed) return 0;
  if (merge_getmem(st, na <= nb ? na : nb) < 0) return -1;   /* merge_lo copies A, merge_hi B */
  uint32_t x = sa, y = sb, o = 0;                /* a stable merge, on the host */
  while (x < sa + na && y < sb + nb) st->tmp[o++] = less(st, st->a[y], st->a[x]) ? st->a[y++] : st->a[x++];
  while (x < sa + na) st->tmp[o++] = st->a[x++];
  while (y < sb + nb) st->tmp[o++] = st->a[y++];
  memcpy(&st->a[sa], st->tmp, (size_t)o * sizeof(uint32_t));
  return 0;
}

/* powerloop: the power of the boundary between runs (s1, n1) and (s1 + n1, n2) */
static int powerloop(uint64_t s1, uint64_t n1, uint64_t n2, uint64_t n) {
  int result = 0;
  uint64_t a = 2 * s1 + n1, b = a + n1 + n2;
  for (;;) {
    ++result;
    if (a >= n) {
      a -= n;
      b -= n;
    } else if (b >= n) {
      break;
    }
    a <<= 1;
    b <<= 1;
  }
  return result;
}

/* 3.11 on: found_new_run, before the run of N2 is pushed */
static int found_new_run(SortState *st, uint32_t n2) {
  if (st->npending == 0) return 0;
  uint32_t top = st->npending - 1;
  int power = powerloop(st->pending[top].base, st->pending[top].len, n2, st->n);
  while (st->npending > 1 && st->pending[st->npending - 2].power > power)
    if (merge_at(st, st->npending - 2) < 0) return -1;
  st->pending[st->npending - 1].power = power;
  return 0;
}

/* before 3.11: merge_collapse, after the push */
static int merge_collapse(SortState *st) {
  while (st->npending > 1) {
    uint32_t n = st->npending - 2;
    if ((n > 0 && st->pending[n - 1].len <= st->pending[n].len + st->pending[n + 1].len) ||
        (n > 1 && st->pending[n - 2].len <= st->pending[n - 1].len + st->pending[n].len)) {
      if (st->pending[n - 1].len < st->pending[n + 1].len) --n;
      if (merge_at(st, n) < 0) return -1;
    } else if (st->pending[n].len <= st->pending[n + 1].len) {
      if (merge_at(st, n) < 0) return -1;
    } else {
      break;
    }
  }
  return 0;
}

static int list_sort(ms_Sim *s, uint32_t id, int reverse);

/*
** l.sort(reverse=True): 3.9 and 3.10 compile a call with keywords to
** LOAD_ATTR, which makes the bound builtin method (a GC object of 56
** bytes) before the call and drops it after; from 3.11 LOAD_METHOD
** serves keyword calls too.
*/
int ms_list_sort(ms_Sim *s, uint32_t id, int reverse) {
  if (need_type(s, id, MS_LIST, "sort") < 0) return -1;
  if (!(reverse && s->prof->kwcall_bound_method)) return list_sort(s, id, reverse);
  uint64_t meth = mem_alloc_for(s, "builtin method", s->prof->gc_head + 56);
  if (meth == 0) return -1;
  gc_on_alloc(s);
  int rc = list_sort(s, id, reverse);
  mem_free_for(s, "builtin method", meth, s->prof->gc_head + 56);
  gc_on_free(s);
  return rc;
}

static int list_sort(ms_Sim *s, uint32_t id, int reverse) {
  ms_Object *o = O(s, id);
  SortState st = {.s = s, .n = o->len, .alloced = MERGESTATE_TEMP_SIZE, .powersort = s->prof->sort_powersort};
  if (st.n < 2) return 0;
  st.a = ms_xmalloc((size_t)st.n * sizeof(uint32_t));
  st.tmp = ms_xmalloc((size_t)st.n * sizeof(uint32_t));
  memcpy(st.a, o->body, (size_t)st.n * sizeof(uint32_t));
  if (reverse) reverse_items(st.a, st.n);   /* reversed, sorted forward, reversed: stable */
  uint32_t lo = 0, remaining = st.n, minrun = compute_minrun(st.n);
  int rc = 0;
  while (remaining && !st.failed && rc == 0) {
    int desc = 0;
    uint32_t n = s->prof->sort_relaxed_runs ? count_run_relaxed(&st, lo, lo + remaining)
                                            : count_run(&st, lo, lo + remaining, &desc);
    if (desc) reverse_items(&st.a[lo], n);
    if (n < minrun) {
      uint32_t force = remaining <= minrun ? remaining : minrun;
      binarysort(&st, lo, lo + force, lo + n);
      n = force;
    }
    if (st.powersort && found_new_run(&st, n) < 0) rc = -1;
    st.pending[st.npending].base = lo;
    st.pending[st.npending].len = n;
    st.npending++;
    if (!st.powersort && rc == 0 && merge_collapse(&st) < 0) rc = -1;
    lo += n;
    remaining -= n;
  }
  while (rc == 0 && !st.failed && st.npending > 1) {   /* merge_force_collapse */
    uint32_t n = st.npending - 2;
    if (n > 0 && st.pending[n - 1].len < st.pending[n + 1].len) --n;
    if (merge_at(&st, n) < 0) rc = -1;
  }
  if (st.block) mem_free_for(s, "sort merge buffer", st.block, 8 * (size_t)st.alloced);   /* merge_freemem */
  if (rc == 0 && !st.failed) {
    if (reverse) reverse_items(st.a, st.n);
    memcpy(O(s, id)->body, st.a, (size_t)st.n * sizeof(uint32_t));
  }
  ms_xfree(st.a);
  ms_xfree(st.tmp);
  return rc == 0 && !st.failed ? 0 : -1;
}

/* sorted(seq): list(seq), then its sort */
uint32_t ms_sorted(ms_Sim *s, uint32_t seq, int reverse) {
  uint32_t l = ms_list_from(s, seq);
  if (l && ms_list_sort(s, l, reverse) < 0) {
    obj_release(s, l);
    return 0;
  }
  return l;
}

/*
** list(x) for a list or tuple x: PyList_New(0), then list___init__:
** x has a length, so the array is preallocated (exactly, or rounded to
** even from 3.10), then extended by the fast path.
*/
/*
** list(range(n)): list___init__ presizes from len() (list_preallocate_exact),
** list_extend takes the range's iterator, its length hint fits, each
** item is a new int from range_iterator's next (the cached ones below
** 257), and the iterator goes at the end.
*/
static uint32_t list_from_range(ms_Sim *s, uint32_t r) {
  uint32_t n = O(s, r)->len;
  uint32_t id = new_list(s, 0);
  if (id == 0 || n == 0) return id;
  if (list_prealloc(s, id, n) < 0) {
    obj_release(s, id);
    return 0;
  }
  uint32_t it = ms_new(s, MS_ITERATOR, 0);
  if (it == 0) {
    obj_release(s, id);
    return 0;
  }
  for (uint32_t i = 0; i < n; i++) {       /* room for every item: PyList_SET_ITEM */
    uint32_t v = ms_new_int(s, i);
    if (v == 0) {
      obj_release(s, it);
      obj_release(s, id);
      return 0;
    }
    ms_Object *o = O(s, id);
    ((uint32_t *)o->body)[o->len++] = v;
  }
  obj_release(s, it);
  return id;
}

uint32_t ms_list_from(ms_Sim *s, uint32_t seq) {
  if (O(s, seq)->type == MS_RANGE) return list_from_range(s, seq);
  uint32_t *src = NULL, n = 0;
  if (seq_items(s, seq, "list()", &src, &n) < 0) return 0;
  uint32_t id = new_list(s, 0);
  if (id == 0 || n == 0) return id;
  if (list_prealloc(s, id, n) < 0 || ms_list_extend(s, id, seq) < 0) {
    obj_release(s, id);
    return 0;
  }
  return id;
}

/* ====================================================================
** The types: list and its iterator
** ==================================================================== */

static uint32_t list_new(ms_Sim *s, int64_t n) { return new_list(s, (uint32_t)n); }

static size_t list_basicsize(const ms_Profile *p, const ms_Object *o) {
  (void)o;
  return p->gc_head + p->list_size;
}

static size_t list_auxsize(const ms_Profile *p, const ms_Object *o) {
  (void)p;
  return 8 * (size_t)o->cap;
}

/* list___sizeof__: the object and the allocated slots */
static int64_t list_sizeof(const ms_Profile *p, const ms_Object *o) {
  return (int64_t)list_basicsize(p, o) + 8 * (int64_t)o->cap;
}

/* list_dealloc: the item array, then the free list or the allocator */
static int list_dealloc(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  mem_free_for(s, "list items", o->aux, obj_aux_request(s, o));
  ms_xfree(o->body);
  o->body = NULL;
  o->aux = 0;
  o->len = o->cap = 0;
  return park(s, id, &s->fl_list, &s->n_list, s->prof->list_freelist);
}

/* list_clear (the collector's tp_clear): items dropped last to first */
static void list_clear(ms_Sim *s, uint32_t id) {
  ms_Object *o = O(s, id);
  uint32_t *items = o->body, n = o->len;
  uint64_t aux = o->aux;
  size_t bytes = 8 * (size_t)o->cap;
  o->body = NULL;
  o->aux = 0;
  o->len = o->cap = 0;
  while (n-- > 0) obj_release(s, items[n]);
  mem_free_for(s, "list items", aux, bytes);
  ms_xfree(items);
}

static int list_delitem(ms_Sim *s, uint32_t c, int64_t index, uint32_t key) {
  (void)key;
  return list_del(s, c, index);
}

const ms_TypeObject ms_list_type = {
  .tp_name = "list", .tp_flags = TPF_GC | TPF_CONTAINER | TPF_TRASHCAN | TPF_ITEMS | TPF_LEN | TPF_UNHASHABLE,
  .tp_new = list_new, .tp_basicsize = list_basicsize, .tp_auxsize = list_auxsize,
  .tp_sizeof = list_sizeof, .tp_dealloc_next = items_dealloc_backward, .tp_dealloc = list_dealloc,
  .tp_traverse = items_traverse, .tp_clear = list_clear,
  .tp_getitem = items_getitem, .tp_setitem = items_setitem, .tp_delitem = list_delitem,
};

static size_t listiter_basicsize(const ms_Profile *p, const ms_Object *o) {
  (void)o;
  return p->gc_head + 32;
}

/* made by ms_new_iter from its sequence, never by name */
const ms_TypeObject ms_listiter_type = {
  .tp_name = "list_iterator", .tp_flags = TPF_GC | TPF_CONTAINER | TPF_ITEMS,
  .tp_basicsize = listiter_basicsize, .tp_dealloc_next = items_dealloc_forward,
  .tp_dealloc = items_free_body, .tp_traverse = items_traverse,
};
