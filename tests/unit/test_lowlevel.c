/*
** test_lowlevel.c: the address space, the raw allocator, histograms and
** the _debugmallocstats number format.
*/
#include <string.h>

#include "check.h"
#include "histogram.h"
#include "rawmalloc.h"
#include "simimpl.h"

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
  space();
  raw();
  histogram();
  number_format();
  CHECK_DONE();
}
