/*
** util.c: host allocation helpers.
*/
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/*
** Growth of the large arrays (the object records).  Faulting the new
** pages in with one madvise(MADV_POPULATE_WRITE) was tried: 1-2% faster
** on the headline and on 10^6 lists, and a whole doubled array resident
** at once (1104 MiB instead of 691 at 10^7 objects).  Pages are left to
** fault in as they are used.
*/
void *ms_xgrow(void *p, size_t oldn, size_t n) {
  (void)oldn;
  return ms_xrealloc(p, n);
}
