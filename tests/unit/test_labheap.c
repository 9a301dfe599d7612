/*
** test_labheap.c: the allocator lab's simulated heap (sim/core/labheap.c)
** and its traces (sim/trace/labtrace.c), rule by rule, the invariant
** checker after each step; every error path once.
*/
#include <string.h>

#include "check.h"
#include "labheap.h"
#include "labtrace.h"

#define HVALID(h)                                                      \
  do {                                                                 \
    if (ms_labheap_is_valid(h) == 0) check_passed++;                   \
    else {                                                             \
      check_failed++;                                                  \
      fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, (h)->err);    \
    }                                                                  \
  } while (0)

static void brk_area(void) {
  ms_LabHeap *h = ms_labheap_new(1 << 20);
  uint64_t old, p;
  int64_t v;
  CHECK(ms_labheap_new(1000) == NULL);                 /* not a whole number of pages */
  CHECK(ms_labheap_new(MS_LAB_LIMIT_MAX + MS_LAB_PAGE) == NULL);
  CHECK_EQ(ms_labheap_sbrk(h, 0, &old), 0);
  CHECK_EQ(old, MS_LAB_BASE);
  CHECK_EQ(ms_labheap_sbrk(h, 100, &old), 0);
  CHECK_EQ(h->heap_bytes, 100);
  /* words: inside the brk area only, at multiples of 8 */
  CHECK_EQ(ms_labheap_write(h, MS_LAB_BASE + 8, -5), 0);
  CHECK_EQ(ms_labheap_read(h, MS_LAB_BASE + 8, &v), 0);
  CHECK_EQ(v, -5);
  CHECK_EQ(ms_labheap_read(h, MS_LAB_BASE + 4, &v), -1);
  CHECK(strstr(h->err, "multiple of 8") != NULL);
  CHECK_EQ(ms_labheap_read(h, MS_LAB_BASE + 96, &v), -1);   /* 96..103 runs past brk (100) */
  CHECK(strstr(h->err, "outside the heap") != NULL);
  CHECK_EQ(ms_labheap_write(h, MS_LAB_BASE - 8, 1), -1);
  CHECK_EQ(ms_labheap_read(h, UINT64_MAX - 7, &v), -1);     /* no wrap-around */
  CHECK_EQ(h->words_read, 1);
  CHECK_EQ(h->words_written, 1);
  CHECK_EQ(h->now_ns, 2 * h->cost.sbrk + 6 * h->cost.word);   /* failed accesses cost too */
  /* a block registered: sbrk may not give it back */
  CHECK_EQ(ms_labheap_check_block(h, MS_LAB_BASE + 16, 48, &(uint32_t){0}), MS_LAB_OK);
  ms_labheap_add_block(h, MS_LAB_BASE + 16, 48, 3);
  CHECK_EQ(h->live_bytes, 48);
  CHECK_EQ(ms_labheap_sbrk(h, -60, &old), -1);
  CHECK(strstr(h->err, "live block") != NULL);
  CHECK_EQ(ms_labheap_sbrk(h, -1000, &old), -1);           /* more than there is */
  CHECK_EQ(ms_labheap_sbrk(h, -30, &old), 0);              /* 70: the block ends at 64 */
  CHECK_EQ(h->brk, MS_LAB_BASE + 70);
  CHECK_EQ(h->heap_peak, 100);
  /* the space is full: sbrk says so without an error */
  CHECK_EQ(ms_labheap_sbrk(h, 2 << 20, &old), 1);
  HVALID(h);
  /* overlap, misalignment, outside */
  uint32_t other = 99;
  CHECK_EQ(ms_labheap_check_block(h, MS_LAB_BASE + 48, 8, &other), MS_LAB_OVERLAP);
  CHECK_EQ(other, 3);
  CHECK_EQ(ms_labheap_check_block(h, MS_LAB_BASE + 8, 8, &other), MS_LAB_MISALIGNED);
  CHECK_EQ(ms_labheap_check_block(h, MS_LAB_BASE + 64, 16, &other), MS_LAB_OUTSIDE);
  CHECK_EQ(ms_labheap_check_block(h, MS_LAB_BASE, 16, &other), MS_LAB_OK);   /* ends where 3 begins */
  CHECK_EQ(ms_labheap_check_block(h, MS_LAB_BASE, 17, &other), MS_LAB_OVERLAP);
  /* patterns: kept, then one byte changed */
  ms_labheap_fill(h, MS_LAB_BASE + 16, 48, 7);
  CHECK_EQ(ms_labheap_check_fill(h, MS_LAB_BASE + 16, 48, 7), -1);
  CHECK(ms_labheap_check_fill(h, MS_LAB_BASE + 16, 48, 8) >= 0);      /* another seed differs */
  CHECK_EQ(ms_labheap_write(h, MS_LAB_BASE + 40, 0), 0);
  CHECK_EQ(ms_labheap_check_fill(h, MS_LAB_BASE + 16, 48, 7), 24);
  CHECK_EQ(ms_labheap_check_zero(h, MS_LAB_BASE + 64, 0), -1);
  CHECK_EQ(ms_labheap_check_zero(h, MS_LAB_BASE + 16, 48), 0);              /* the pattern */
  /* copy: memmove, inside the heap only */
  CHECK_EQ(ms_labheap_copy(h, MS_LAB_BASE, MS_LAB_BASE + 8, 16), 0);
  CHECK_EQ(ms_labheap_copy(h, MS_LAB_BASE, MS_LAB_BASE + 60, 16), -1);
  ms_labheap_remove_block(h, MS_LAB_BASE + 16, 48);
  CHECK_EQ(h->live_bytes, 0);
  CHECK_EQ(h->live_peak, 48);
  HVALID(h);
  (void)p;
  ms_labheap_free(h);
}

static void mmap_area(void) {
  ms_LabHeap *h = ms_labheap_new(64 * MS_LAB_PAGE);
  uint64_t a, b, c, old;
  CHECK_EQ(ms_labheap_mmap(h, 1, &a), 0);                 /* one page, at the top */
  CHECK_EQ(a, MS_LAB_BASE + 63 * MS_LAB_PAGE);
  CHECK_EQ(ms_labheap_mmap(h, 2 * MS_LAB_PAGE, &b), 0);   /* below it */
  CHECK_EQ(b, a - 2 * MS_LAB_PAGE);
  CHECK_EQ(h->mapped_bytes, 3 * MS_LAB_PAGE);
  int64_t v;
  CHECK_EQ(ms_labheap_write(h, a + 8, 42), 0);
  CHECK_EQ(ms_labheap_read(h, a + 8, &v), 0);
  CHECK_EQ(v, 42);
  CHECK_EQ(ms_labheap_read(h, b - 8, &v), -1);            /* the page below is not mapped */
  HVALID(h);
  /* munmap: whole mapped pages, no live block on them */
  CHECK_EQ(ms_labheap_munmap(h, a + 8, 8), -1);
  CHECK(strstr(h->err, "multiple of the page") != NULL);
  ms_labheap_add_block(h, a + 16, 32, 0);
  CHECK_EQ(ms_labheap_munmap(h, a, 1), -1);
  CHECK(strstr(h->err, "live block") != NULL);
  ms_labheap_remove_block(h, a + 16, 32);
  CHECK_EQ(ms_labheap_munmap(h, a, 1), 0);
  CHECK_EQ(ms_labheap_read(h, a + 8, &v), -1);            /* gone */
  CHECK_EQ(ms_labheap_munmap(h, a, 1), -1);               /* twice */
  CHECK_EQ(ms_labheap_munmap(h, MS_LAB_BASE, 1), -1);     /* the brk area is not mmap's */
  CHECK_EQ(ms_labheap_munmap(h, b, 2 * MS_LAB_PAGE), 0);
  CHECK_EQ(h->mmap_floor, MS_LAB_BASE + 64 * MS_LAB_PAGE); /* the floor back at the top */
  CHECK_EQ(h->mapped_bytes, 0);
  CHECK_EQ(h->heap_peak, 3 * MS_LAB_PAGE);
  HVALID(h);
  /* a remapped page reads zeros; brk and mmap meet, then a hole is reused */
  CHECK_EQ(ms_labheap_mmap(h, MS_LAB_PAGE, &a), 0);
  CHECK_EQ(ms_labheap_read(h, a + 8, &v), 0);
  CHECK_EQ(v, 0);
  CHECK_EQ(ms_labheap_sbrk(h, 60 * MS_LAB_PAGE, &old), 0);
  CHECK_EQ(ms_labheap_mmap(h, 3 * MS_LAB_PAGE, &c), 0);   /* the last 3 pages between */
  CHECK_EQ(c, MS_LAB_BASE + 60 * MS_LAB_PAGE);
  CHECK_EQ(ms_labheap_mmap(h, MS_LAB_PAGE, &c), 1);       /* no room */
  CHECK_EQ(ms_labheap_sbrk(h, 1, &old), 1);
  CHECK_EQ(ms_labheap_munmap(h, MS_LAB_BASE + 61 * MS_LAB_PAGE, MS_LAB_PAGE), 0);   /* a hole */
  CHECK_EQ(ms_labheap_mmap(h, MS_LAB_PAGE, &c), 0);
  CHECK_EQ(c, MS_LAB_BASE + 61 * MS_LAB_PAGE);
  CHECK_EQ(ms_labheap_mmap(h, 0, &c), -1);
  HVALID(h);
  ms_labheap_free(h);
}

static int parse(const char *text, ms_LabTrace *t, char *err) {
  return ms_labtrace_parse(t, text, strlen(text), err, 200);
}

static void traces(void) {
  ms_LabTrace t;
  char err[200];
  CHECK_EQ(parse("# a comment\n\na 5 24\r\na 7 0\nr 5 100 # grows\nf 7\nc 7 16\nf 5\nf 7\n", &t, err), 0);
  CHECK_EQ(t.ops[4].kind, 'c');
  CHECK_EQ(t.nops, 7);
  CHECK_EQ(t.allocs, 3);
  CHECK_EQ(t.frees, 3);
  CHECK_EQ(t.reallocs, 1);
  CHECK_EQ(t.nslots, 2);                  /* block 7's slot used again */
  CHECK_EQ(t.live_peak, 116);             /* 100 + 16 at the end; a request of 0 counts as 1 */
  CHECK_EQ(t.ops[1].size, 1);
  CHECK_EQ(t.ops[2].line, 5);
  CHECK_EQ(t.ops[2].name, 5);
  CHECK_EQ(t.ops[0].slot, t.ops[2].slot);
  ms_labtrace_free(&t);
  static const struct { const char *text, *err; } bad[] = {
    {"a 1 16\nf 2\n", "2: block 2 is not allocated"},
    {"a 1 16\na 1 8\n", "2: block 1 is allocated again before it was freed"},
    {"r 1 16\n", "1: block 1 is not allocated"},
    {"q 1\n", "1: expected 'a ID SIZE', 'c ID SIZE', 'f ID' or 'r ID SIZE'"},
    {"c 1 8\nc 1 8\n", "2: block 1 is allocated again"},
    {"ab 1 2\n", "1: expected"},
    {"a x 2\n", "1: the block's ID must be"},
    {"a 2147483648 2\n", "1: the block's ID must be"},
    {"a 1\n", "1: the size must be"},
    {"a 1 268435457\n", "1: the size must be"},
    {"a 1 99999999999\n", "1: the size must be"},
    {"f 1 2\n", "1: unexpected text"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int rc = parse(bad[i].text, &t, err);
    CHECK_EQ(rc, -1);
    if (rc == -1 && strncmp(err, bad[i].err, strlen(bad[i].err)) != 0) {
      check_failed++;
      fprintf(stderr, "trace %zu: '%s', wanted '%s'\n", i, err, bad[i].err);
    }
    CHECK(t.ops == NULL);
  }
  CHECK_EQ(parse("", &t, err), 0);
  CHECK_EQ(t.nops, 0);
  ms_labtrace_free(&t);
}

int main(void) {
  brk_area();
  mmap_area();
  traces();
  CHECK_DONE();
}
