/*
** util.c: host allocation helpers.
*/
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>
#include <unistd.h>

#include "util.h"

/*
** Every block is counted by its usable size, which malloc_usable_size
** tells at no cost; the count is the whole process's core memory (the
** core is single-threaded, like the command).
*/
static size_t host_bytes;

size_t ms_host_bytes(void) { return host_bytes; }

static void out_of_memory(size_t n) {
  fprintf(stderr, "memsim: MemoryError: the machine has no memory left for memsim (asked for %zu "
                  "bytes)\n", n);
  exit(1);
}

void *ms_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (p == NULL) out_of_memory(n);
  host_bytes += malloc_usable_size(p);
  return p;
}

void *ms_xcalloc(size_t count, size_t size) {
  void *p = calloc(count ? count : 1, size ? size : 1);
  if (p == NULL) out_of_memory(count * size);
  host_bytes += malloc_usable_size(p);
  return p;
}

void *ms_xrealloc(void *p, size_t n) {
  size_t old = p ? malloc_usable_size(p) : 0;
  void *q = realloc(p, n ? n : 1);
  if (q == NULL) out_of_memory(n);
  host_bytes = host_bytes - old + malloc_usable_size(q);
  return q;
}

void ms_xfree(void *p) {
  if (p == NULL) return;
  host_bytes -= malloc_usable_size(p);
  free(p);
}

char *ms_xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  return memcpy(ms_xmalloc(n), s, n);
}

void *ms_xgrow(void *p, size_t oldn, size_t n) {
  char *q = ms_xrealloc(p, n);
#ifdef MADV_POPULATE_WRITE
  if (n - oldn >= (1u << 20)) {
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t a = ((uintptr_t)q + oldn + page - 1) & ~(page - 1);
    uintptr_t b = ((uintptr_t)q + n) & ~(page - 1);
    if (b > a) (void)madvise((void *)a, b - a, MADV_POPULATE_WRITE);
  }
#endif
  return q;
}
