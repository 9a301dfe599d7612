/*
** profile.c: the CPython versions memsim knows, read from their data
** files (sim/profiles/NAME.profile, built into the program) in this one
** place.
**
** A profile file is a list of lines `NAME VALUE`; `#` starts a comment.
** `inherit OTHER` (first) starts from another profile, and then only the
** numbers that differ are written.  Every field of ms_Profile must end up
** set: a missing or unknown name, a value out of range or a profile
** defined twice is an error, reported by ms_profile_error() and found by
** the unit tests, never a silent zero.
*/
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "profiles_data.h"

/* ====================================================================
** The fields a profile file may set
** ==================================================================== */

typedef struct Field {
  const char *key;
  size_t offset;
  char kind;            /* 'u' uint32, 'i' int32, 's' string, 'q' a decimal of ns kept in 1/256 ns */
} Field;

#define U(f) {#f, offsetof(ms_Profile, f), 'u'}
#define I(f) {#f, offsetof(ms_Profile, f), 'i'}
#define C(f) {"cost." #f, offsetof(ms_Profile, cost.f), 'u'}
#define Q(name, f) {"cost." name, offsetof(ms_Profile, cost.f), 'q'}

static const Field fields[] = {
  {"name", offsetof(ms_Profile, name), 's'}, {"python", offsetof(ms_Profile, python), 's'},
  U(alignment), U(small_threshold), U(pool_size), U(arena_size), U(pool_overhead),
  U(initial_arenas), U(gc_head), U(int_medium), U(int_base), U(int_sizeof_min_digits), I(small_int_min),
  I(small_int_max), U(float_size), U(str_ascii_base), U(str_compact_base), U(siphash), U(intern_immortal), U(latin1_utf8), U(str_call_tuple), U(percent_fstring), U(vars_call_tuple), U(latin1_lazy), U(split_bound), U(int_call_tuple), U(float_call_tuple), U(nan_hash_zero), U(keys_freelist_any), U(sort_relaxed_runs), U(sort_powersort), U(kwcall_bound_method), U(dict_estimate_pow2), U(set_reuse_dummy), U(bytes_base), U(tuple_base),
  U(list_size), U(dict_size), U(dict_keys_header), U(dict_unicode_entry), U(set_size), U(set_minsize),
  U(instance_size), U(instance_inline_values), U(instance_dict), U(generator_size), U(generator_frame), U(function_size), U(range_size), U(range_iter_size), U(float_freelist), U(list_freelist), U(list_prealloc_even), U(list_extend_prealloc),
  U(dict_freelist), U(tuple_freelist), U(tuple_nfreelists), U(tuple_popmax),
  {"gc_threshold0", offsetof(ms_Profile, gc_threshold[0]), 'u'},
  {"gc_threshold1", offsetof(ms_Profile, gc_threshold[1]), 'u'},
  {"gc_threshold2", offsetof(ms_Profile, gc_threshold[2]), 'u'},
  U(gc_incremental), I(gc_work_to_do_start), U(gc_scan_rate_divisor), U(int_freelist), U(int_pow_small_exp), U(immortal_refcnt),
  {"startup_heap", offsetof(ms_Profile, startup_heap), 's'},
  C(alloc_fast), C(alloc_carve), C(pool_init), C(arena_map), C(arena_unmap), C(free_fast),
  C(raw_malloc), C(raw_free), C(raw_mmap), C(copy_per_kib), C(object_init),
  C(refcount), C(freelist), C(gc_fixed),
  Q("gc_object_1m", gc_object_q[0]), Q("gc_object_4m", gc_object_q[1]),
  Q("gc_object_8m", gc_object_q[2]), Q("gc_object_16m", gc_object_q[3]),
  Q("gc_object_32m", gc_object_q[4]), Q("gc_object_64m", gc_object_q[5]), Q("gc_edge", gc_edge_q),
  Q("gc_startup_object", gc_startup_object_q),
  Q("dealloc_float", dealloc_q[MS_DK_FLOAT]), Q("dealloc_int", dealloc_q[MS_DK_INT]),
  Q("dealloc_list", dealloc_q[MS_DK_LIST]), Q("dealloc_tuple", dealloc_q[MS_DK_TUPLE]),
  Q("dealloc_str", dealloc_q[MS_DK_STR]), Q("dealloc_dict", dealloc_q[MS_DK_DICT]),
  Q("dealloc_object", dealloc_q[MS_DK_OBJECT]),
  Q("dealloc_other", dealloc_q[MS_DK_OTHER]), Q("dealloc_miss_4m", dealloc_miss_q[1]),
  Q("dealloc_miss_8m", dealloc_miss_q[2]), Q("dealloc_miss_16m", dealloc_miss_q[3]),
  Q("dealloc_miss_32m", dealloc_miss_q[4]), Q("dealloc_miss_64m", dealloc_miss_q[5]),
  Q("dealloc_deep", dealloc_deep_q),
};
#define NFIELDS (sizeof fields / sizeof fields[0])

/* ====================================================================
** Costs by name (memsim.new{cost = {...}})
** ==================================================================== */

const char *ms_cost_name(int i) {
  int k = 0;
  for (size_t f = 0; f < NFIELDS; f++)
    if (strncmp(fields[f].key, "cost.", 5) == 0 && k++ == i) return fields[f].key + 5;
  return NULL;
}

int ms_cost_set(ms_Costs *c, const char *name, double ns) {
  if (!(ns >= 0 && ns <= 1e6)) return -1;
  for (size_t f = 0; f < NFIELDS; f++) {
    if (strncmp(fields[f].key, "cost.", 5) != 0 || strcmp(fields[f].key + 5, name) != 0) continue;
    char *field = (char *)c + (fields[f].offset - offsetof(ms_Profile, cost));
    uint32_t v = fields[f].kind == 'q' ? (uint32_t)(ns * 256 + 0.5) : (uint32_t)(ns + 0.5);
    memcpy(field, &v, sizeof v);
    return 0;
  }
  return -1;
}

/* ====================================================================
** The pause model's tables
** ==================================================================== */

/*
** Linear in the bytes between two knots, flat outside them: a pause's
** cost per object, measured, rises about linearly with the bytes once
** they outgrow a cache, until they outgrow the next (bench/pauses/).
*/
const uint64_t ms_cost_knots[MS_COST_KNOTS] = {1 << 20, 4 << 20, 8 << 20, 16 << 20, 32 << 20, 64 << 20};

uint64_t ms_cost_at(const uint32_t table[MS_COST_KNOTS], uint64_t bytes) {
  if (bytes <= ms_cost_knots[0]) return table[0];
  for (int k = 0; k + 1 < MS_COST_KNOTS; k++) {
    uint64_t lo = ms_cost_knots[k], hi = ms_cost_knots[k + 1];
    if (bytes < hi) {
      int64_t a = table[k], b = table[k + 1];
      return (uint64_t)(a + (b - a) * (int64_t)(bytes - lo) / (int64_t)(hi - lo));
    }
  }
  return table[MS_COST_KNOTS - 1];
}

/* ====================================================================
** Reading
** ==================================================================== */

#define MAX_PROFILES 16

typedef struct Entry {
  ms_Profile p;
  char name[40], python[16], startup_heap[40];
} Entry;

static Entry entries[MAX_PROFILES];
static const char *names[MAX_PROFILES + 1];
static int nentries, loaded;
static char error[256];

static const Entry *find(const char *name) {
  for (int i = 0; i < nentries; i++)
    if (strcmp(entries[i].name, name) == 0) return &entries[i];
  return NULL;
}

static int fail(int which, int line, const char *fmt, const char *arg) {
  char what[160];
  snprintf(what, sizeof what, fmt, arg);
  snprintf(error, sizeof error, "profile %d, line %d: %s", which + 1, line, what);
  return -1;
}

/* the text of one profile into E; SET marks the fields given */
static int parse(int which, const char *text, Entry *e) {
  unsigned char set[NFIELDS];
  memset(set, 0, sizeof set);
  memset(e, 0, sizeof *e);
  int line = 0, given = 0, own_startup = 0;
  for (const char *p = text; *p;) {
    const char *end = strchr(p, '\n');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    char buf[256];
    line++;
    if (n >= sizeof buf) return fail(which, line, "line too long%s", "");
    memcpy(buf, p, n);
    buf[n] = '\0';
    p += n + (end != NULL);
    char *hash = strchr(buf, '#');
    if (hash) *hash = '\0';
    char key[64], value[64], extra[8];
    int k = sscanf(buf, "%63s %63s %7s", key, value, extra);
    if (k <= 0) continue;
    if (k != 2) return fail(which, line, "expected NAME VALUE%s", "");
    if (strcmp(key, "inherit") == 0) {
      const Entry *base = find(value);
      if (given > 0) return fail(which, line, "inherit comes before every number%s", "");
      if (base == NULL) return fail(which, line, "inherits '%s', which is not defined before it", value);
      *e = *base;
      memset(set, 1, sizeof set);
      continue;
    }
    size_t f = 0;
    while (f < NFIELDS && strcmp(fields[f].key, key) != 0) f++;
    if (f == NFIELDS) return fail(which, line, "unknown name '%s'", key);
    char *field = (char *)&e->p + fields[f].offset;
    if (fields[f].kind == 's') {
      char *dst = e->name;
      size_t cap = sizeof e->name;
      if (strcmp(key, "python") == 0) {
        dst = e->python;
        cap = sizeof e->python;
      } else if (strcmp(key, "startup_heap") == 0) {
        dst = e->startup_heap;
        cap = sizeof e->startup_heap;
        own_startup = 1;
      }
      if (strlen(value) >= cap) return fail(which, line, "'%s' is too long", value);
      strcpy(dst, value);
    } else if (fields[f].kind == 'q') {
      char *stop;
      errno = 0;
      double v = strtod(value, &stop);
      if (*stop != '\0' || errno != 0 || !(v >= 0) || v > 1e6)
        return fail(which, line, "'%s' is not a number of nanoseconds from 0 to 1000000", value);
      uint32_t q = (uint32_t)(v * 256 + 0.5);
      memcpy(field, &q, sizeof q);
    } else {
      char *stop;
      errno = 0;
      long long v = strtoll(value, &stop, 10);
      if (*stop != '\0' || errno != 0) return fail(which, line, "'%s' is not a whole number", value);
      if (fields[f].kind == 'u') {
        if (v < 0 || v > UINT32_MAX) return fail(which, line, "'%s' is out of range", value);
        uint32_t u = (uint32_t)v;
        memcpy(field, &u, sizeof u);
      } else {
        if (v < INT32_MIN || v > INT32_MAX) return fail(which, line, "'%s' is out of range", value);
        int32_t i = (int32_t)v;
        memcpy(field, &i, sizeof i);
      }
    }
    set[f] = 1;
    given++;
  }
  for (size_t f = 0; f < NFIELDS; f++)
    if (!set[f] && strcmp(fields[f].key, "startup_heap") != 0)
      return fail(which, line, "'%s' is not set", fields[f].key);
  /* a profile starts from its own measured heap unless it names another */
  if (!own_startup) strcpy(e->startup_heap, e->name);
  e->p.name = e->name;
  e->p.python = e->python;
  e->p.startup_heap = e->startup_heap;
  if (find(e->name)) return fail(which, line, "'%s' is defined twice", e->name);
  return 0;
}

/* the sanity of the numbers, beyond their ranges */
static int check(int which, const ms_Profile *p) {
  if (p->alignment == 0 || (p->alignment & (p->alignment - 1)) != 0 ||
      p->small_threshold % p->alignment != 0 || p->small_threshold / p->alignment > 64)
    return fail(which, 0, "alignment and small_threshold do not make size classes%s", "");
  if (p->pool_size == 0 || (p->pool_size & (p->pool_size - 1)) != 0 ||
      p->arena_size % p->pool_size != 0 || p->pool_overhead >= p->pool_size ||
      p->pool_size < 4096 || p->arena_size > (1u << 20) || p->arena_size / p->pool_size > 64)
    return fail(which, 0, "pool_size and arena_size do not make pools in arenas "
                "(pools of 4 KiB or more, at most 64 per arena, arenas of at most 1 MiB)%s", "");
  if (p->small_int_min > 0 || p->small_int_max < 0 || p->small_int_max - p->small_int_min >= 262)
    return fail(which, 0, "the small-int cache must hold 0 and at most 262 ints%s", "");
  if (p->gc_incremental > 1 || p->gc_scan_rate_divisor == 0 || p->int_freelist > 2000)
    return fail(which, 0, "gc_incremental is 0 or 1, gc_scan_rate_divisor at least 1, int_freelist at most 2000%s", "");
  if (p->tuple_nfreelists > 20 || p->tuple_popmax > p->tuple_nfreelists + 1)
    return fail(which, 0, "tuple free lists: at most 20 sizes%s", "");
  return 0;
}

/* the profile TEXT inherits from, in OUT ("" when none) */
static void base_of(const char *text, char *out, size_t n) {
  out[0] = '\0';
  const char *p = strstr(text, "\ninherit");
  if (p == NULL && strncmp(text, "inherit", 7) == 0) p = text - 1;
  if (p == NULL) return;
  p += 8;
  while (*p == ' ' || *p == '\t') p++;
  size_t k = 0;
  while (p[k] && p[k] != ' ' && p[k] != '\t' && p[k] != '\n' && p[k] != '#' && k + 1 < n) k++;
  memcpy(out, p, k);
  out[k] = '\0';
}

/* "cpython-3.9" before "cpython-3.10": numbers compare as numbers */
static int natural_cmp(const void *a, const void *b) {
  const char *x = *(const char *const *)a, *y = *(const char *const *)b;
  while (*x && *y) {
    if (isdigit((unsigned char)*x) && isdigit((unsigned char)*y)) {
      char *ex, *ey;
      unsigned long nx = strtoul(x, &ex, 10), ny = strtoul(y, &ey, 10);
      if (nx != ny) return nx < ny ? -1 : 1;
      x = ex;
      y = ey;
    } else {
      if (*x != *y) return (unsigned char)*x - (unsigned char)*y;
      x++;
      y++;
    }
  }
  return (unsigned char)*x - (unsigned char)*y;
}

/*
** Each profile after the one it inherits from, whatever their files'
** order: passes over the texts until none is left or a pass makes no
** progress (a missing base, or a cycle: parse then says which).
*/
static void load(void) {
  if (loaded) return;
  loaded = 1;
  int total = 0;
  while (profile_texts[total] && total < MAX_PROFILES) total++;
  unsigned char done[MAX_PROFILES] = {0};
  int left = total, broken = 0;
  while (left > 0 && !broken) {
    int progress = 0;
    for (int i = 0; i < total && !broken; i++) {
      char base[64];
      if (done[i]) continue;
      base_of(profile_texts[i], base, sizeof base);
      if (base[0] && find(base) == NULL) continue;     /* its base is not loaded yet */
      Entry e;
      if (parse(i, profile_texts[i], &e) != 0 || check(i, &e.p) != 0) {
        broken = 1;
        break;
      }
      entries[nentries] = e;
      entries[nentries].p.name = entries[nentries].name;
      entries[nentries].p.python = entries[nentries].python;
      entries[nentries].p.startup_heap = entries[nentries].startup_heap;
      nentries++;
      done[i] = 1;
      left--;
      progress = 1;
    }
    if (!progress && !broken) {          /* parse the first stuck one for its message */
      for (int i = 0; i < total; i++)
        if (!done[i]) {
          Entry e;
          parse(i, profile_texts[i], &e);
          break;
        }
      broken = 1;
    }
  }
  if (broken) nentries = 0;              /* a broken table serves nothing */
  for (int i = 0; i < nentries; i++) names[i] = entries[i].name;
  qsort(names, (size_t)nentries, sizeof names[0], natural_cmp);
  names[nentries] = NULL;
}

/* ====================================================================
** The way in
** ==================================================================== */

const ms_Profile *ms_profile_find(const char *name) {
  load();
  const Entry *e = find(name ? name : MS_PROFILE_DEFAULT);
  return e ? &e->p : NULL;
}

const char *const *ms_profile_names(void) {
  load();
  return names;
}

const char *ms_profile_error(void) {
  load();
  return error[0] ? error : NULL;
}

int ms_profile_check_text(const char *text, char *err, size_t errlen) {
  load();
  Entry e;
  char saved[sizeof error];
  memcpy(saved, error, sizeof error);
  int rc = parse(0, text, &e);
  if (rc == 0) rc = check(0, &e.p);
  snprintf(err, errlen, "%s", rc ? error : "");
  memcpy(error, saved, sizeof error);
  return rc;
}
