/*
** profile.c: the CPython versions memsim knows, as tables of numbers.
*/
#include <string.h>

#include "profile.h"

/* measured costs (scripts/calibrate.py writes this file) */
#include "costs_cpython311.h"

/*
** CPython 3.11, 64-bit Linux, default build.  Every size here was read
** from the 3.11 sources and checked with sys.getsizeof and
** sys._debugmallocstats on python3.11.7 (tests/fidelity/).
*/
static const ms_Profile cpython311 = {
  .name = "cpython-3.11",
  .python = "3.11",
  .alignment = 16,
  .small_threshold = 512,
  .pool_size = 16384,
  .arena_size = 1048576,
  .pool_overhead = 48,
  .initial_arenas = 16,
  .gc_head = 16,
  .int_medium = 32,
  .int_base = 24,
  .small_int_min = -5,
  .small_int_max = 256,
  .float_size = 24,
  .str_ascii_base = 48,
  .bytes_base = 32,
  .tuple_base = 24,
  .list_size = 40,
  .dict_size = 48,
  .dict_keys_header = 32,
  .set_size = 200,
  .set_minsize = 8,
  .instance_size = 40,
  .generator_size = 152,
  .function_size = 136,
  .float_freelist = 100,
  .list_freelist = 80,
  .dict_freelist = 80,
  .tuple_freelist = 2000,
  .tuple_nfreelists = 20,
  .tuple_popmax = 20,
  .gc_threshold = {700, 10, 10},
  .cost = {
    .alloc_fast = MS_COST_ALLOC_FAST,
    .alloc_carve = 4,
    .pool_init = 120,
    .arena_map = 4000,
    .arena_unmap = 6000,
    .free_fast = MS_COST_FREE_FAST,
    .raw_malloc = 45,
    .raw_free = 35,
    .raw_mmap = 5000,
    .copy_per_kib = 40,
    .object_init = MS_COST_OBJECT_INIT,
    .object_dealloc = MS_COST_OBJECT_DEALLOC,
    .refcount = 1,
    .freelist = 3,
    .gc_fixed = 2000,
    .gc_per_object = MS_COST_GC_PER_OBJECT,
    .gc_per_edge = MS_COST_GC_PER_EDGE,
  },
};

/*
** CPython 3.13: the same allocator; the first GC threshold became 2000.
** Offered for comparisons of thresholds (experiments/gc_generations.lua).
*/
static ms_Profile cpython313;
static int cpython313_ready;

static const ms_Profile *profile_313(void) {
  if (!cpython313_ready) {
    cpython313 = cpython311;
    cpython313.name = "cpython-3.13";
    cpython313.python = "3.13";
    cpython313.str_ascii_base = 40;   /* 3.12 dropped wstr: 41 + n */
    cpython313.gc_threshold[0] = 2000;
    cpython313_ready = 1;
  }
  return &cpython313;
}

static const char *const names[] = {"cpython-3.11", "cpython-3.13", NULL};

const ms_Profile *ms_profile_find(const char *name) {
  if (name == NULL || strcmp(name, "cpython-3.11") == 0) return &cpython311;
  if (strcmp(name, "cpython-3.13") == 0) return profile_313();
  return NULL;
}

const char *const *ms_profile_names(void) { return names; }
