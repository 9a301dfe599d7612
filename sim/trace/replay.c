/*
** replay.c: a trace's requests applied to a simulator, and --verify.
**
** The map: each real address the trace gave out -> the simulated block
** of the same request, packed in one word so that a replay of millions of
** live blocks touches one table (the simulator keeps none for them):
**
**   bits  0-46  the simulated address (below 2^47, as on x86-64)
**   bits 47-48  the kind of block:
**                 OBJ  PyObject_*, PyMem_* (top level): pymalloc, which
**                      forwards 0 and > 512 bytes to the raw allocator
**                 RAW  PyMem_Raw* (top level): the raw allocator
**                 MAP  the arena allocator at top level: pages
**   bits 49-63  the size asked for, or BIG when it does not fit in 15
**               bits: then the size is in the second map
**
** A realloc keeps or moves its block as pymalloc does; when CPython kept
** a small block and memsim moved it (or the reverse) the replay counts it
** in `moved`: the two have diverged.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "traceformat.h"
#include "addrmap.h"
#include "u64map.h"
#include "util.h"

#define ADDR_BITS  47
#define ADDR_MASK  ((1ull << ADDR_BITS) - 1)
#define KIND_SHIFT 47
#define SIZE_SHIFT 49
#define BIG        0x7FFFull
enum { KIND_OBJ = 1, KIND_RAW = 2, KIND_MAP = 3 };

struct ms_Replay {
  ms_Sim *sim;
  ms_AddrMap map;          /* real address -> packed simulated block */
  ms_U64Map big;           /* real address -> size, for sizes of BIG or more */
  ms_ReplayCounts n;
};

typedef struct Block {
  uint64_t sim;
  uint64_t size;
  int kind;                /* 0: not in the map */
} Block;

ms_Replay *ms_replay_new(ms_Sim *s) {
  ms_Replay *r = ms_xcalloc(1, sizeof *r);
  r->sim = s;
  addrmap_init(&r->map);
  return r;
}

void ms_replay_free(ms_Replay *r) {
  if (r == NULL) return;
  addrmap_free(&r->map);
  u64map_free(&r->big);
  ms_xfree(r);
}

const ms_ReplayCounts *ms_replay_counts(const ms_Replay *r) { return &r->n; }

/* the block of real address A, taken out of the map */
static Block take(ms_Replay *r, uint64_t a) {
  Block b = {0, 0, 0};
  uint64_t v;
  if (!addrmap_take(&r->map, a, &v)) return b;
  b.sim = v & ADDR_MASK;
  b.kind = (int)((v >> KIND_SHIFT) & 3);
  b.size = v >> SIZE_SHIFT;
  if (b.size == BIG) u64map_take(&r->big, a, &b.size);
  return b;
}

static void put(ms_Replay *r, uint64_t real, int kind, uint64_t sim, uint64_t size) {
  uint64_t packed = size < BIG ? size : BIG, old;
  if (packed == BIG) u64map_put(&r->big, real, size);
  if (addrmap_swap(&r->map, real, packed << SIZE_SHIFT | (uint64_t)kind << KIND_SHIFT | sim, &old)) {
    r->n.unknown_frees++;                  /* given out twice: its free was lost */
    if ((old >> SIZE_SHIFT) == BIG && packed != BIG) u64map_take(&r->big, real, NULL);
  }
}

static int apply_alloc(ms_Replay *r, const ms_TraceEvent *e) {
  ms_Sim *s = r->sim;
  int raw = e->domain == TRF_RAW;
  uint64_t q;
  Block b;
  if (e->domain == TRF_ARENA) {            /* top level: pages for the frame stack */
    if (e->op == TRF_MALLOC) {
      if ((q = ms_map(s, (size_t)e->size)) == 0) return -1;
      put(r, e->addr, KIND_MAP, q, e->size);
      return 0;
    }
    b = take(r, e->addr);
    if (b.kind != KIND_MAP) {
      r->n.unknown_frees++;
      return 0;
    }
    return ms_unmap(s, b.sim, (size_t)b.size);
  }
  switch (e->op) {
    case TRF_MALLOC:
    case TRF_CALLOC:
      if ((q = ms_block_alloc(s, raw, (size_t)e->size)) == 0) return -1;
      put(r, e->addr, raw ? KIND_RAW : KIND_OBJ, q, e->size);
      return 0;
    case TRF_REALLOC:
      b = e->old ? take(r, e->old) : (Block){0, 0, 0};
      if (e->old && b.kind == 0) r->n.unknown_frees++;   /* a block from before the recording */
      if (b.kind == KIND_MAP) b.kind = 0;                  /* not a malloc block: treat as new */
      if (b.kind != 0) raw = b.kind == KIND_RAW;
      q = ms_block_realloc(s, raw, b.kind ? b.sim : 0, (size_t)b.size, (size_t)e->size);
      if (q == 0) return -1;
      if (b.kind == KIND_OBJ && e->size <= 512 && b.size <= 512 && (q == b.sim) != (e->addr == e->old))
        r->n.moved++;
      put(r, e->addr, raw ? KIND_RAW : KIND_OBJ, q, e->size);
      return 0;
    default:                               /* TRF_FREE */
      b = take(r, e->addr);
      if (b.kind == 0 || b.kind == KIND_MAP) {
        r->n.unknown_frees++;
        return 0;
      }
      ms_block_free(s, b.kind == KIND_RAW, b.sim, (size_t)b.size);
      return 0;
  }
}

int ms_replay_apply(ms_Replay *r, const ms_TraceEvent *e) {
  r->n.items++;
  switch (e->kind) {
    case MS_TR_ALLOC:
      if (e->nested) {
        r->n.nested++;
        if (e->domain == TRF_ARENA && e->op == TRF_MALLOC) ms_sim_place_next_arena(r->sim, e->addr);
        return 0;
      }
      r->n.applied++;
      return apply_alloc(r, e);
    case MS_TR_MARK: r->n.marks++; return 0;
    case MS_TR_GC:
      r->n.collections++;
      ms_gc_note(r->sim, (int)e->generation, e->collected, e->uncollectable, e->duration_ns);
      return 0;
    default: return 0;
  }
}

/* ====================================================================
** --verify: the end state against sys._debugmallocstats()
** ==================================================================== */

typedef struct Real {
  uint64_t pools[32], blocks[32], avail[32];
  uint64_t arenas_total, arenas_reclaimed, arenas_highwater, arenas_current;
  int have_arenas;
} Real;

/* "# arenas allocated total           =                1,234" -> 1234 */
static int arena_line(const char *line, const char *name, uint64_t *out) {
  size_t k = strlen(name);
  if (strncmp(line, name, k) != 0) return 0;
  const char *eq = strchr(line + k, '=');
  if (eq == NULL) return 0;
  uint64_t v = 0;
  for (const char *p = eq + 1; *p && *p != '\n'; p++) {
    if (*p >= '0' && *p <= '9') v = v * 10 + (uint64_t)(*p - '0');
    else if (*p != ',' && *p != ' ') return 0;
  }
  *out = v;
  return 1;
}

static void parse_real(const char *text, size_t len, Real *r) {
  memset(r, 0, sizeof *r);
  char line[256];
  int found = 0;
  for (size_t i = 0; i < len;) {
    size_t j = i;
    while (j < len && text[j] != '\n') j++;
    size_t n = j - i < sizeof line - 1 ? j - i : sizeof line - 1;
    memcpy(line, text + i, n);
    line[n] = '\0';
    i = j + 1;
    unsigned cls, size;
    unsigned long long p, b, f;
    char extra;
    if (sscanf(line, " %u %u %llu %llu %llu %c", &cls, &size, &p, &b, &f, &extra) == 5 && cls < 32) {
      r->pools[cls] = p;
      r->blocks[cls] = b;
      r->avail[cls] = f;
    }
    found += arena_line(line, "# arenas allocated total", &r->arenas_total);
    found += arena_line(line, "# arenas reclaimed", &r->arenas_reclaimed);
    found += arena_line(line, "# arenas highwater mark", &r->arenas_highwater);
    found += arena_line(line, "# arenas allocated current", &r->arenas_current);
  }
  r->have_arenas = found == 4;
}

#define APPEND(...)                                                         \
  do {                                                                      \
    if (used < n) used += (size_t)snprintf(out + used, n - used, __VA_ARGS__); \
  } while (0)

int ms_replay_verify(ms_Sim *s, const ms_TraceEvent *end, char *out, size_t n) {
  size_t used = 0;
  out[0] = '\0';
  if (end == NULL || end->kind != MS_TR_END) {
    snprintf(out, n, "verify: the trace has no end record to compare with\n");
    return -1;
  }
  Real real;
  parse_real(end->text, end->textlen, &real);
  if (end->textlen == 0) real.have_arenas = 1;   /* pymalloc was off (PYTHONMALLOC=malloc): no pools, no arenas */
  ms_Stats *st = ms_xmalloc(sizeof *st);
  ms_stats(s, st);
  int classes = 0, equal = 0;
  char diffs[8192];
  size_t dused = 0;
  diffs[0] = '\0';
  for (int c = 0; c < 32; c++) {
    if (real.pools[c] == 0 && st->cls[c].pools == 0) continue;
    classes++;
    if (real.pools[c] == st->cls[c].pools && real.blocks[c] == st->cls[c].blocks &&
        real.avail[c] == st->cls[c].avail) {
      equal++;
      continue;
    }
    if (dused < sizeof diffs)
      dused += (size_t)snprintf(diffs + dused, sizeof diffs - dused,
                                "  class %2d (%3u B): pools %llu, blocks %llu, avail %llu in CPython; "
                                "%llu, %llu, %llu in memsim\n", c, st->cls[c].size,
                                (unsigned long long)real.pools[c], (unsigned long long)real.blocks[c],
                                (unsigned long long)real.avail[c],
                                (unsigned long long)st->cls[c].pools,
                                (unsigned long long)st->cls[c].blocks,
                                (unsigned long long)st->cls[c].avail);
  }
  int arenas_equal = real.have_arenas && real.arenas_total == st->arenas_total &&
                     real.arenas_reclaimed == st->arenas_reclaimed &&
                     real.arenas_highwater == st->arenas_highwater &&
                     real.arenas_current == st->arenas_current;
  int blocks_equal = end->allocated_blocks < 0 ||
                     (uint64_t)end->allocated_blocks == st->allocated_blocks;
  APPEND("verify: %d/%d size classes equal, arenas %s\n", equal, classes,
         arenas_equal ? "equal" : "differ");
  if (dused > 0) APPEND("%s", diffs);
  if (!arenas_equal) {
    if (!real.have_arenas)
      APPEND("  arenas: the real run's statistics have no arena lines\n");
    else
      APPEND("  arenas (allocated total, reclaimed, highwater, current): %llu, %llu, %llu, %llu in "
             "CPython; %llu, %llu, %llu, %llu in memsim\n",
             (unsigned long long)real.arenas_total, (unsigned long long)real.arenas_reclaimed,
             (unsigned long long)real.arenas_highwater, (unsigned long long)real.arenas_current,
             (unsigned long long)st->arenas_total, (unsigned long long)st->arenas_reclaimed,
             (unsigned long long)st->arenas_highwater, (unsigned long long)st->arenas_current);
  }
  if (!blocks_equal)
    APPEND("  sys.getallocatedblocks(): %lld in CPython, %llu in memsim\n",
           (long long)end->allocated_blocks, (unsigned long long)st->allocated_blocks);
  ms_xfree(st);
  return equal == classes && arenas_equal && blocks_equal;
}
