/*
** labtrace.c: reading the allocator lab's traces (see labtrace.h).
*/
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labtrace.h"
#include "traceformat.h"
#include "u64map.h"

/* ====================================================================
** The builder: names to slots, and the payload live
** ==================================================================== */

typedef struct Builder {
  ms_LabTrace *t;
  ms_U64Map live;          /* name (id + 1, or an address) -> slot */
  uint32_t *spare;         /* slots freed, to hand out again */
  uint32_t nspare, spare_cap;
  uint32_t *size;          /* per slot: the live block's size */
  uint32_t size_cap;
  uint64_t live_bytes;
  char *err;
  size_t errlen;
} Builder;

static int say(Builder *b, uint64_t line, const char *fmt, uint64_t v) {
  int k = snprintf(b->err, b->errlen, "%" PRIu64 ": ", line);
  if (k > 0 && (size_t)k < b->errlen) snprintf(b->err + k, b->errlen - (size_t)k, fmt, v);
  return -1;
}

static int say0(Builder *b, uint64_t line, const char *what) {
  snprintf(b->err, b->errlen, "%" PRIu64 ": %s", line, what);
  return -1;
}

static int push(Builder *b, char kind, uint32_t slot, uint32_t size, uint64_t line, uint64_t name) {
  ms_LabTrace *t = b->t;
  if (t->nops == MS_LABTRACE_MAX_OPS) return say(b, line, "more than %" PRIu64 " requests", MS_LABTRACE_MAX_OPS);
  if (t->nops == t->cap) {
    uint64_t cap = t->cap ? 2 * t->cap : 1024;
    ms_LabOp *ops = realloc(t->ops, (size_t)cap * sizeof *ops);
    if (ops == NULL) return say0(b, line, "out of memory reading the trace");
    t->ops = ops;
    t->cap = cap;
  }
  t->ops[t->nops++] = (ms_LabOp){kind, slot, size, line, name};
  return 0;
}

static int add(Builder *b, char kind, uint64_t key, uint32_t size, uint64_t line, const char *name,
               uint64_t shown) {
  int found;
  u64map_get(&b->live, key, &found);
  if (found) {
    char fmt[160];
    snprintf(fmt, sizeof fmt, "%s %%" PRIu64 " is allocated again before it was freed", name);
    return say(b, line, fmt, shown);
  }
  uint32_t slot;
  if (b->nspare > 0) {
    slot = b->spare[--b->nspare];
  } else {
    slot = b->t->nslots;
    if (slot == b->size_cap) {
      uint32_t cap = b->size_cap ? 2 * b->size_cap : 256;
      uint32_t *s = realloc(b->size, (size_t)cap * sizeof *s);
      if (s == NULL) return say0(b, line, "out of memory reading the trace");
      b->size = s;
      b->size_cap = cap;
    }
    b->t->nslots++;
  }
  u64map_put(&b->live, key, slot);
  b->size[slot] = size;
  b->live_bytes += size;
  if (b->live_bytes > b->t->live_peak) b->t->live_peak = b->live_bytes;
  b->t->allocs++;
  return push(b, kind, slot, size, line, shown);
}

static int take(Builder *b, uint64_t key, uint64_t line, const char *name, uint64_t shown, uint32_t *slot) {
  uint64_t v;
  if (!u64map_take(&b->live, key, &v)) {
    char fmt[160];
    snprintf(fmt, sizeof fmt, "%s %%" PRIu64 " is not allocated", name);
    return say(b, line, fmt, shown);
  }
  *slot = (uint32_t)v;
  return 0;
}

static int drop(Builder *b, uint64_t key, uint64_t line, const char *name, uint64_t shown) {
  uint32_t slot;
  if (take(b, key, line, name, shown, &slot) != 0) return -1;
  if (b->nspare == b->spare_cap) {
    uint32_t cap = b->spare_cap ? 2 * b->spare_cap : 256;
    uint32_t *s = realloc(b->spare, (size_t)cap * sizeof *s);
    if (s == NULL) return say0(b, line, "out of memory reading the trace");
    b->spare = s;
    b->spare_cap = cap;
  }
  b->spare[b->nspare++] = slot;
  b->live_bytes -= b->size[slot];
  b->t->frees++;
  return push(b, 'f', slot, 0, line, shown);
}

static int resize(Builder *b, uint64_t key, uint64_t newkey, uint32_t size, uint64_t line,
                  const char *name, uint64_t shown) {
  uint32_t slot;
  if (take(b, key, line, name, shown, &slot) != 0) return -1;
  int found;
  u64map_get(&b->live, newkey, &found);
  if (found) return say(b, line, "realloc returned 0x%" PRIx64 ", which is live already", newkey);
  u64map_put(&b->live, newkey, slot);
  b->live_bytes = b->live_bytes - b->size[slot] + size;
  b->size[slot] = size;
  if (b->live_bytes > b->t->live_peak) b->t->live_peak = b->live_bytes;
  b->t->reallocs++;
  return push(b, 'r', slot, size, line, shown);
}

static void builder_end(Builder *b) {
  u64map_free(&b->live);
  free(b->spare);
  free(b->size);
}

void ms_labtrace_free(ms_LabTrace *t) {
  free(t->ops);
  memset(t, 0, sizeof *t);
}

/* ====================================================================
** The text format
** ==================================================================== */

/* a decimal number of at most 10 digits at *P, skipping blanks first */
static int number(const char **p, const char *end, uint64_t *v) {
  while (*p < end && (**p == ' ' || **p == '\t')) (*p)++;
  const char *q = *p;
  uint64_t x = 0;
  while (*p < end && **p >= '0' && **p <= '9' && *p - q < 11) x = x * 10 + (uint64_t)(*(*p)++ - '0');
  if (*p == q || *p - q > 10) return -1;
  *v = x;
  return 0;
}

int ms_labtrace_parse(ms_LabTrace *t, const char *text, size_t n, char *err, size_t errlen) {
  memset(t, 0, sizeof *t);
  Builder b = {.t = t, .err = err, .errlen = errlen};
  const char *p = text, *end = text + n;
  uint64_t line = 0;
  int rc = 0;
  while (p < end && rc == 0) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (eol == NULL) eol = end;
    line++;
    const char *q = p, *stop = eol;
    if (stop > q && stop[-1] == '\r') stop--;
    while (q < stop && (*q == ' ' || *q == '\t')) q++;
    if (q < stop && *q != '#') {
      char op = *q++;
      uint64_t id = 0, size = 0;
      if ((op != 'a' && op != 'c' && op != 'f' && op != 'r') || (q < stop && *q != ' ' && *q != '\t')) {
        rc = say0(&b, line, "expected 'a ID SIZE', 'c ID SIZE', 'f ID' or 'r ID SIZE'");
      } else if (number(&q, stop, &id) != 0 || id > 0x7fffffff) {
        rc = say0(&b, line, "the block's ID must be a number from 0 to 2147483647");
      } else if (op != 'f' && (number(&q, stop, &size) != 0 || size > MS_LABTRACE_MAX_SIZE)) {
        rc = say(&b, line, "the size must be a number of bytes from 0 to %" PRIu64, MS_LABTRACE_MAX_SIZE);
      } else {
        while (q < stop && (*q == ' ' || *q == '\t')) q++;
        if (q < stop && *q != '#') {
          rc = say0(&b, line, "unexpected text after the request");
        } else if (op == 'a' || op == 'c') {
          rc = add(&b, op, id + 1, size ? (uint32_t)size : 1, line, "block", id);
        } else if (op == 'f') {
          rc = drop(&b, id + 1, line, "block", id);
        } else {
          rc = resize(&b, id + 1, id + 1, size ? (uint32_t)size : 1, line, "block", id);
        }
      }
    }
    p = eol + 1;
  }
  builder_end(&b);
  if (rc != 0) ms_labtrace_free(t);
  return rc;
}

/* ====================================================================
** A recorded trace: the top-level requests, addresses for ids
** ==================================================================== */

int ms_labtrace_from_recorded(ms_LabTrace *t, ms_Trace *tr, char *err, size_t errlen) {
  memset(t, 0, sizeof *t);
  t->recorded = 1;
  Builder b = {.t = t, .err = err, .errlen = errlen};
  ms_TraceEvent e;
  int k, rc = 0;
  while (rc == 0 && (k = ms_trace_next(tr, &e)) > 0) {
    if (e.kind != MS_TR_ALLOC || e.nested || e.domain == TRF_ARENA) continue;
    uint64_t item = e.seq + 1;
    if (e.size > MS_LABTRACE_MAX_SIZE) {
      rc = say0(&b, item, "a request of more than 256 MiB");
      break;
    }
    uint32_t size = e.size ? (uint32_t)e.size : 1;
    switch (e.op) {
      case TRF_MALLOC:
      case TRF_CALLOC:
        if (e.addr != 0) rc = add(&b, e.op == TRF_CALLOC ? 'c' : 'a', e.addr, size, item, "address", e.addr);
        break;
      case TRF_REALLOC:
        if (e.addr == 0) break;                   /* failed: nothing changed */
        {
          int found = 0;
          if (e.old != 0) u64map_get(&b.live, e.old, &found);
          /* from NULL, or a block from before the recording: a new block */
          if (!found) rc = add(&b, 'a', e.addr, size, item, "address", e.addr);
          else rc = resize(&b, e.old, e.addr, size, item, "address", e.old);
        }
        break;
      case TRF_FREE: {
        int found;
        /* free(NULL), or a block from before the recording: nothing to replay */
        if (e.addr != 0 && (u64map_get(&b.live, e.addr, &found), found))
          rc = drop(&b, e.addr, item, "address", e.addr);
        break;
      }
      default:
        break;
    }
  }
  if (rc == 0 && k < 0) {
    snprintf(err, errlen, "%s", ms_trace_error(tr));
    rc = -1;
  }
  builder_end(&b);
  if (rc != 0) ms_labtrace_free(t);
  return rc;
}
