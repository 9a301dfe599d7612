/*
** rawmalloc.h: a model of the C library's malloc, behind pymalloc.
**
** CPython sends requests of 0 bytes and of more than 512 bytes to
** malloc, and with PYTHONMALLOC=malloc all of them.  memsim models a
** classic boundary-tag heap, simple enough to read in one sitting and
** shaped like glibc's where it shows:
**
**   chunk      [addr, addr + size): a 16-byte header, then the user's
**              bytes.  size = max(32, round16(n + 8)); user = addr + 16.
**   heap       chunks side by side from MS_HEAP_BASE up to the top chunk,
**              which ends at brk.  The heap grows by sbrk in steps of at
**              least 128 KiB and is trimmed when the top passes 128 KiB
**              above that pad.
**   bins       free chunks, segregated by size; allocation takes the first
**              that fits from the smallest bin that can hold the request
**              and splits off a remainder of 32 bytes or more.
**   coalesce   a freed chunk merges with free neighbours on both sides
**              (the boundary tag gives the previous one); next to the top
**              it merges into the top.
**   mmapped    a request whose chunk is at least the mmap threshold
**              (128 KiB at first) is mapped directly (rounded to pages)
**              and unmapped on free.
**   dynamic    as glibc's free() does: freeing a mapped chunk larger than
**   threshold  the threshold (and at most 32 MiB) raises the threshold to
**              its size and the trim threshold to twice that, so that a
**              program that frees large blocks gets its next ones of that
**              size from the heap (no mmap, no page faults again).
** Not modelled: glibc's tcache, fastbins and arenas per thread.
**
** Invariants
**   heap_bytes = in_use_bytes + free_bytes + top_size   (brk - base)
**   no two free chunks are adjacent; the last heap chunk is never free.
*/
#ifndef MEMSIM_RAWMALLOC_H
#define MEMSIM_RAWMALLOC_H

#include <stdint.h>

#include "allocator.h"

typedef struct raw_Stats {
  uint64_t in_use_bytes;    /* heap chunks in use (their whole size) */
  uint64_t requested_bytes; /* what callers asked for, live */
  uint64_t free_bytes;      /* free chunks in bins */
  uint64_t top_size;        /* the top chunk */
  uint64_t heap_bytes;      /* brk - base */
  uint64_t mmapped_bytes;   /* live direct mappings */
  uint64_t nchunks;         /* live heap chunks in use */
  uint64_t nfree_chunks;    /* chunks in bins */
  uint64_t nmmapped;        /* live direct mappings */
  uint64_t mallocs, frees, reallocs;
} raw_Stats;

/* The statistics of an allocator made by rawmalloc_new (NULL if not). */
const raw_Stats *rawmalloc_stats(ms_Allocator a);

#endif
