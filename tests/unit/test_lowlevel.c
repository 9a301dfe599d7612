/*
** test_lowlevel.c: the address space, the raw allocator, histograms and
** the _debugmallocstats number format.
*/
#include <string.h>

#include "check.h"
#include "histogram.h"
#include "rawmalloc.h"
#include "profile.h"
#include "simimpl.h"

/* the profiles' data files: all read, each number where its file says */
static void profiles(void) {
  CHECK(ms_profile_error() == NULL);
  if (ms_profile_error()) fprintf(stderr, "%s\n", ms_profile_error());
  const char *const *names = ms_profile_names();
  int n = 0;
  while (names[n]) n++;
  CHECK(n >= 2);
  const ms_Profile *p311 = ms_profile_find("cpython-3.11"), *p313 = ms_profile_find("cpython-3.13");
  CHECK(p311 != NULL && p313 != NULL);
  if (p311 == NULL || p313 == NULL) return;
  CHECK(ms_profile_find(NULL) == p311);                  /* the default */
  CHECK(ms_profile_find("cpython-2.7") == NULL);
  CHECK(strcmp(p311->name, "cpython-3.11") == 0 && strcmp(p311->python, "3.11") == 0);
  CHECK_EQ(p311->pool_size, 16384);
  CHECK_EQ(p311->arena_size, 1 << 20);
  CHECK_EQ(p311->small_int_min, -5);
  CHECK_EQ(p311->gc_threshold[0], 700);
  CHECK_EQ(p311->gc_threshold[2], 10);
  CHECK_EQ(p311->tuple_popmax, 20);
  CHECK(p311->cost.gc_object_q[0] > 0 && p311->cost.alloc_fast > 0);
  /* 3.13 inherits 3.11 and changes two numbers */
  CHECK_EQ(p313->gc_threshold[0], 2000);
  CHECK_EQ(p313->str_ascii_base, 40);
  CHECK_EQ(p313->pool_size, p311->pool_size);
  CHECK_EQ(p313->cost.alloc_fast, p311->cost.alloc_fast);   /* the pause model is its own */
  CHECK(strcmp(p313->name, "cpython-3.13") == 0);

  /* every way a profile file can be wrong is an error naming the line */
  static const struct { const char *text, *message; } bad[] = {
    {"inherit cpython-3.11\nname x\nbogus 3\n", "line 3: unknown name 'bogus'"},
    {"inherit cpython-3.11\nname x\npool_size 16k\n", "line 3: '16k' is not a whole number"},
    {"inherit cpython-3.11\nname x\npool_size -1\n", "line 3: '-1' is out of range"},
    {"inherit cpython-3.11\nname x\nsmall_int_min -9999999999\n", "out of range"},
    {"inherit cpython-2.7\n", "line 1: inherits 'cpython-2.7', which is not defined before it"},
    {"name x\ninherit cpython-3.11\n", "line 2: inherit comes before every number"},
    {"inherit cpython-3.11\n", "'cpython-3.11' is defined twice"},
    {"inherit cpython-3.11\nname x\npool_size 16384 32768\n", "line 3: expected NAME VALUE"},
    {"name x\npython 3.0\n", "is not set"},
    {"inherit cpython-3.11\nname x\npool_size 10000\n", "do not make pools in arenas"},
    {"inherit cpython-3.11\nname x\nalignment 24\n", "do not make size classes"},
    {"inherit cpython-3.11\nname x\nsmall_int_max 1000\n", "small-int cache"},
    {"inherit cpython-3.11\nname x\ntuple_nfreelists 30\n", "tuple free lists"},
    {"inherit cpython-3.11\nname abcdefghijabcdefghijabcdefghijabcdefghij\n", "is too long"},
    {"inherit cpython-3.11\nname x\ncost.gc_edge -1\n", "line 3: '-1' is not a number of nanoseconds"},
    {"inherit cpython-3.11\nname x\ncost.gc_edge 2ns\n", "line 3: '2ns' is not a number of nanoseconds"},
    {"inherit cpython-3.11\nname x\ncost.gc_edge nan\n", "line 3: 'nan' is not a number of nanoseconds"},
    {"inherit cpython-3.11\nname x\ncost.gc_edge 1e7\n", "line 3: '1e7' is not a number of nanoseconds"},
  };
  char err[256];
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    CHECK_EQ(ms_profile_check_text(bad[i].text, err, sizeof err), -1);
    CHECK(strstr(err, bad[i].message) != NULL);
    if (strstr(err, bad[i].message) == NULL) fprintf(stderr, "  got: %s\n", err);
  }
  CHECK_EQ(ms_profile_check_text("inherit cpython-3.11\nname fine # a comment\n\n", err, sizeof err), 0);
  CHECK_EQ(ms_profile_check_text("inherit cpython-3.11\nname q\ncost.gc_edge 2.25\n", err, sizeof err), 0);

  /* the pause model's costs: decimals kept in 1/256 ns, set by name */
  ms_Costs c = p311->cost;
  CHECK_EQ(ms_cost_set(&c, "gc_edge", 2.25), 0);
  CHECK_EQ(c.gc_edge_q, 576);                          /* 2.25 * 256 */
  CHECK_EQ(ms_cost_set(&c, "gc_fixed", 700), 0);       /* a whole-ns cost */
  CHECK_EQ(c.gc_fixed, 700);
  CHECK_EQ(ms_cost_set(&c, "dealloc_miss_16m", 1.5), 0);
  CHECK_EQ(c.dealloc_miss_q[3], 384);
  CHECK_EQ(ms_cost_set(&c, "no_such_cost", 1), -1);
  CHECK_EQ(ms_cost_set(&c, "gc_edge", -1), -1);
  CHECK_EQ(ms_cost_set(&c, "gc_edge", 0.0 / 0.0), -1);
  CHECK(strcmp(ms_cost_name(0), "alloc_fast") == 0);
  int ncosts = 0;
  while (ms_cost_name(ncosts)) ncosts++;
  CHECK_EQ(ncosts, 36);                 /* dealloc_deep the last */
  CHECK(strcmp(ms_cost_name(35), "dealloc_deep") == 0);
  /* linear in the bytes between the knots (1, 4, 8, 16, 32, 64 MiB), flat outside */
  const uint32_t t[MS_COST_KNOTS] = {256, 512, 1024, 2560, 5120, 10240};
  CHECK_EQ(ms_cost_at(t, 0), 256);
  CHECK_EQ(ms_cost_at(t, 1 << 20), 256);
  CHECK_EQ(ms_cost_at(t, (1 << 20) + (3 << 19)), 384);    /* half way to 4 MiB */
  CHECK_EQ(ms_cost_at(t, 4 << 20), 512);
  CHECK_EQ(ms_cost_at(t, 6 << 20), 768);
  CHECK_EQ(ms_cost_at(t, 16 << 20), 2560);
  CHECK_EQ(ms_cost_at(t, 48 << 20), 7680);                 /* half way to 64 MiB */
  CHECK_EQ(ms_cost_at(t, 64 << 20), 10240);
  CHECK_EQ(ms_cost_at(t, UINT64_MAX), 10240);
  CHECK(ms_profile_error() == NULL);                    /* the checks leave the table alone */
}

static void space(void) {
  ms_Space sp;
  space_init(&sp);
  uint64_t a = space_mmap(&sp, 1 << 20), b = space_mmap(&sp, 1 << 20), c = space_mmap(&sp, 5000);
  CHECK_EQ(a, MS_MMAP_TOP - (1 << 20));           /* top down */
  CHECK_EQ(b, a - (1 << 20));
  CHECK_EQ(c, b - 8192);                          /* rounded to pages */
  space_munmap(&sp, a, 1 << 20);                  /* a hole at the top */
  CHECK(space_is_valid(&sp));
  CHECK_EQ(space_mmap(&sp, 4096), MS_MMAP_TOP - 4096);   /* highest fit */
  space_munmap(&sp, c, 8192);                     /* the bottom moves up */
  CHECK_EQ(sp.low, b);
  CHECK(space_is_valid(&sp));
  sp.limit = sp.mapped_bytes + 4096;
  CHECK_EQ(space_mmap(&sp, 8192), 0);             /* past the limit */
  space_free(&sp);
}

static void raw(void) {
  ms_Sim *s = new_sim_with("malloc", 0);
  const raw_Stats *st = rawmalloc_stats(s->raw);
  uint64_t a = ms_malloc(s, 100), b = ms_malloc(s, 100), c = ms_malloc(s, 100);
  CHECK_EQ(b - a, 112);                           /* 100 + 8 -> 112-byte chunks */
  CHECK_EQ(c - b, 112);
  ms_free(s, a);
  ms_free(s, b);                                  /* coalesced with a */
  CHECK_EQ(st->nfree_chunks, 1);
  CHECK_EQ(st->free_bytes, 224);
  CHECK_EQ(ms_malloc(s, 40), a);                  /* first fit, split */
  CHECK_EQ(st->free_bytes, 224 - 48);
  uint64_t big = ms_malloc(s, 200000);            /* mapped directly */
  CHECK_EQ(st->nmmapped, 1);
  CHECK(big > MS_HEAP_BASE + (1ull << 40));
  ms_free(s, big);
  CHECK_EQ(st->nmmapped, 0);
  VALID(s);
  /* a big heap block freed at the top is trimmed back */
  uint64_t blocks[40];
  for (int i = 0; i < 40; i++) blocks[i] = ms_malloc(s, 100000);
  uint64_t heap = rawmalloc_stats(s->raw)->heap_bytes;
  for (int i = 39; i >= 0; i--) ms_free(s, blocks[i]);
  CHECK(rawmalloc_stats(s->raw)->heap_bytes < heap / 4);
  VALID(s);
  ms_sim_free(s);
}

static void histogram(void) {
  ms_Histogram h;
  memset(&h, 0, sizeof h);
  for (uint64_t v = 1; v <= 1000; v++) hist_record(&h, v);
  CHECK_EQ(h.count, 1000);
  CHECK_EQ(h.max, 1000);
  uint64_t p50 = hist_percentile(&h, 0.5), p99 = hist_percentile(&h, 0.99);
  CHECK(p50 >= 500 && p50 <= 500 + 500 / 16 + 1);
  CHECK(p99 >= 990 && p99 <= 1000);
  CHECK_EQ(hist_percentile(&h, 1.0), 1000);
  for (unsigned b = 16; b < 100; b++) CHECK(hist_bucket_upper(b) > hist_bucket_upper(b - 1));
}

/* printone()'s format, against lines real CPython printed */
static void number_format(void) {
  ms_Sim *s = new_sim();
  for (int i = 0; i < 3; i++) ms_malloc(s, 16);
  char buf[8192];
  size_t n = ms_debugmallocstats(s, buf, sizeof buf);
  CHECK(n == strlen(buf));
  CHECK(strstr(buf, "Small block threshold = 512, in 32 size classes.\n\n"
                    "class   size   num pools   blocks in use  avail blocks\n"
                    "-----   ----   ---------   -------------  ------------\n"
                    "    0     16           1               3          1018\n\n") != NULL);
  CHECK(strstr(buf, "1 arenas * 1048576 bytes/arena     =            1,048,576\n") != NULL);
  CHECK(strstr(buf, "# bytes lost to arena map root     =              262,144\n") != NULL);
  CHECK(strstr(buf, "62 unused pools * 16384 bytes      =            1,015,808\n") != NULL);
  CHECK(strstr(buf, "   0 free 1-sized PyTupleObjects * 32 bytes each =                    0\n") != NULL);
  char small[64];
  size_t m = ms_debugmallocstats(s, small, sizeof small);
  CHECK_EQ(m, n);                                 /* the full length, text cut */
  CHECK_EQ(strlen(small), sizeof small - 1);
  ms_sim_free(s);
}

int main(void) {
  profiles();
  space();
  raw();
  histogram();
  number_format();
  CHECK_DONE();
}
