/*
** labtrace.h: the request traces of the allocator lab.
**
** A lab trace is a list of requests, as the CS:APP malloc lab's driver
** replays them, in a text format (one request a line):
**
**     a ID SIZE     allocate SIZE bytes for block ID
**     c ID SIZE     the same, zeroed: calloc(1, SIZE)
**     f ID          free block ID
**     r ID SIZE     resize block ID to SIZE bytes (realloc)
**     # ...         a comment; blank lines are skipped
**
** ID is a number from 0 to 2^31 - 1 naming a block while it is live (it
** may be used again once freed); SIZE is 0 to 256 MiB (a request of 0 is
** replayed as 1, as CPython's allocators do).  A trace memsim record
** wrote is one too: its top-level requests in every domain, addresses
** standing for ids.
**
** Each block gets a slot, a small number reused once the block is freed,
** so that a replay's per-block tables are as large as the most blocks
** live at once (nslots), not as the largest id.
*/
#ifndef MEMSIM_LABTRACE_H
#define MEMSIM_LABTRACE_H

#include <stddef.h>
#include <stdint.h>

#include "trace.h"

#define MS_LABTRACE_MAX_OPS  (16u << 20)
#define MS_LABTRACE_MAX_SIZE (256u << 20)

typedef struct ms_LabOp {
  char kind;               /* 'a' (malloc), 'c' (calloc), 'f' or 'r' */
  uint32_t slot;           /* the block's slot */
  uint32_t size;           /* a, r: the bytes asked for (at least 1) */
  uint64_t line;           /* the text line, or the recorded trace's item number (from 1) */
  uint64_t name;           /* the block's ID in the text, or its address in the recording */
} ms_LabOp;

typedef struct ms_LabTrace {
  ms_LabOp *ops;
  uint64_t nops, cap;
  uint32_t nslots;         /* the most blocks live at once */
  uint64_t allocs, frees, reallocs;    /* allocs: malloc and calloc */
  uint64_t live_peak;      /* the most payload bytes live at once */
  int recorded;            /* from memsim record: lines are item numbers, names addresses */
} ms_LabTrace;

/* Parse the text format.  0, or -1 with "LINE: what is wrong" in ERR. */
int ms_labtrace_parse(ms_LabTrace *t, const char *text, size_t n, char *err, size_t errlen);
/* Read the requests of a recorded trace.  0, or -1 with ERR. */
int ms_labtrace_from_recorded(ms_LabTrace *t, ms_Trace *tr, char *err, size_t errlen);
void ms_labtrace_free(ms_LabTrace *t);

#endif
