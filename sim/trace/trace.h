/*
** trace.h: reading a recorded trace and replaying it into a simulator.
**
** A trace (traceformat.h, sim/trace/trace-format.md) is what a real CPython
** asked of its allocators, as memsim record wrote it.  The reader is a
** stream: it holds one block (at most 64 KiB) at a time, so a trace of
** any length replays in constant memory.  Every byte is checked: a
** truncated or corrupt trace is an error naming the byte offset.
**
** The replay applies each top-level request to a simulator the way
** CPython's allocator front end would see it:
**   obj, mem   PyObject_Malloc / PyMem_Malloc: ms_malloc, ms_realloc,
**              ms_free (pymalloc, which forwards 0 and > 512 bytes to the
**              raw allocator, itself)
**   raw        PyMem_RawMalloc: the simulated C library's malloc
**   arena      top level (3.11+: the frame stack's chunks): a mapping
** Nested requests are the allocator's own and are not applied; the
** addresses of nested arena mappings tell the simulator where the kernel
** put each arena (its offset from a pool boundary decides whether the
** arena holds 64 pools or 63).  Real addresses map to simulated ones.
*/
#ifndef MEMSIM_TRACE_H
#define MEMSIM_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "sim.h"

typedef struct ms_Trace ms_Trace;

typedef enum ms_TraceKind {
  MS_TR_ALLOC,     /* an allocator event: domain, op, nested, size, addr, old */
  MS_TR_MARK,      /* memsim_mark(text) */
  MS_TR_GC,        /* a collection: generation, collected, uncollectable, duration_ns */
  MS_TR_END        /* the end: allocated_blocks, program_ns, text = debugmallocstats */
} ms_TraceKind;

typedef struct ms_TraceEvent {
  uint64_t seq;            /* position in the trace, from 0 */
  uint64_t offset;         /* byte offset of its block */
  ms_TraceKind kind;
  int domain, op, nested;  /* TRF_RAW .., TRF_MALLOC .. */
  uint64_t size, addr, old;
  uint64_t generation, collected, uncollectable, duration_ns;
  int64_t allocated_blocks;  /* -1: not known */
  uint64_t program_ns;
  const char *text;        /* mark name, stats text (valid until the next call) */
  size_t textlen;
} ms_TraceEvent;

/* Open PATH; NULL with a message in ERR (unreadable, not a trace, too new). */
ms_Trace *ms_trace_open(const char *path, char *err, size_t errlen);
void ms_trace_close(ms_Trace *t);

/* The header's value for KEY ("python_version", ...), or NULL. */
const char *ms_trace_header(const ms_Trace *t, const char *key);
/* The header text as written: "key=value" lines. */
const char *ms_trace_header_text(const ms_Trace *t);

/*
** The next item: 1 with *E filled, 0 at the end of the trace (after the
** end record), -1 on a truncated or corrupt trace (ms_trace_error says
** what and where).
*/
int ms_trace_next(ms_Trace *t, ms_TraceEvent *e);
const char *ms_trace_error(const ms_Trace *t);
/* Bytes read so far and the file's size, for progress. */
uint64_t ms_trace_offset(const ms_Trace *t);
uint64_t ms_trace_size(const ms_Trace *t);

/* Items counted from the block headers, and whether the trace ends with
** its end record; only right after ms_trace_open (0, or -1). */
int ms_trace_scan(ms_Trace *t, uint64_t *items, int *ended);

/* "cpython-3.11" for a trace of 3.11.7, in OUT; 0, or -1 when unknown. */
int ms_trace_profile_name(const ms_Trace *t, char *out, size_t n);

/* ====================================================================
** Replay
** ==================================================================== */

typedef struct ms_Replay ms_Replay;

typedef struct ms_ReplayCounts {
  uint64_t items;          /* trace items read */
  uint64_t applied;        /* top-level requests applied */
  uint64_t nested;         /* nested ones seen (not applied) */
  uint64_t unknown_frees;  /* frees of addresses the trace never gave out */
  uint64_t moved;          /* reallocs where memsim and CPython disagree on moving */
  uint64_t marks, collections;
} ms_ReplayCounts;

ms_Replay *ms_replay_new(ms_Sim *s);
void ms_replay_free(ms_Replay *r);
/* Apply one item; 0, or -1 with the simulator's error (MemoryError). */
int ms_replay_apply(ms_Replay *r, const ms_TraceEvent *e);
const ms_ReplayCounts *ms_replay_counts(const ms_Replay *r);

/*
** --verify: the simulator's state against the end record's statistics
** (sys._debugmallocstats() and sys.getallocatedblocks() of the real run).
** Writes one line "verify: K/N size classes equal, arenas equal|differ"
** and then each difference on its own line, into OUT.  Returns 1 when
** everything is equal, 0 when not, -1 when E is not an end record.  An
** end record with no statistics' text is a run without pymalloc
** (PYTHONMALLOC=malloc): no pools and no arenas.
*/
int ms_replay_verify(ms_Sim *s, const ms_TraceEvent *end, char *out, size_t n);

#endif
