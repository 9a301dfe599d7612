/*
** labheap.c: the simulated heap of the allocator lab (see labheap.h).
**
** The contents live in one host array as large as the space; the host
** maps its pages only when they are first written, so an untouched
** 64 MiB space costs next to nothing.  Beside it, a byte per page says
** whether mmap gave that page, and a word per granule names the live
** block that owns it: the driver's register, which makes "does this new
** block overlap a live one?" a look at the granules it covers.
*/
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labheap.h"

/* ====================================================================
** Set-up
** ==================================================================== */

void ms_labheap_costs_default(ms_LabCosts *c) {
  c->word = 2;             /* pymalloc's 9 ns fast path touches about four words */
  c->call = 2;
  c->sbrk = 1000;
  c->mmap = 5000;          /* cost.raw_mmap */
  c->munmap = 6000;        /* cost.arena_unmap */
  c->copy_per_kib = 40;    /* cost.copy_per_kib */
}

ms_LabHeap *ms_labheap_new(uint64_t limit) {
  if (limit == 0 || limit % MS_LAB_PAGE != 0 || limit > MS_LAB_LIMIT_MAX) return NULL;
  ms_LabHeap *h = calloc(1, sizeof *h);
  if (h == NULL) return NULL;
  h->base = MS_LAB_BASE;
  h->limit = limit;
  h->brk = h->base;
  h->mmap_floor = h->base + limit;
  h->bytes = calloc((size_t)limit, 1);
  h->page_mapped = calloc((size_t)(limit / MS_LAB_PAGE), 1);
  h->owner = calloc((size_t)(limit / MS_LAB_GRANULE), sizeof *h->owner);
  if (h->bytes == NULL || h->page_mapped == NULL || h->owner == NULL) {
    ms_labheap_free(h);
    return NULL;
  }
  ms_labheap_costs_default(&h->cost);
  return h;
}

void ms_labheap_free(ms_LabHeap *h) {
  if (h == NULL) return;
  free(h->bytes);
  free(h->page_mapped);
  free(h->owner);
  free(h);
}

static int fail(ms_LabHeap *h, const char *fmt, uint64_t a, uint64_t b) {
  snprintf(h->err, sizeof h->err, fmt, a, b);
  return -1;
}

static void account(ms_LabHeap *h) {
  h->heap_bytes = (h->brk - h->base) + h->mapped_bytes;
  if (h->heap_bytes > h->heap_peak) h->heap_peak = h->heap_bytes;
}

static uint64_t page_up(uint64_t n) { return (n + MS_LAB_PAGE - 1) / MS_LAB_PAGE * MS_LAB_PAGE; }

/* ====================================================================
** Accessible memory
** ==================================================================== */

/* [p, p + n) lies in the space (no wrap-around) */
static int in_space(const ms_LabHeap *h, uint64_t p, uint64_t n) {
  return p >= h->base && n <= h->limit && p - h->base <= h->limit - n;
}

int ms_labheap_accessible(const ms_LabHeap *h, uint64_t p, uint64_t n) {
  if (!in_space(h, p, n)) return 0;
  if (n == 0) return 1;
  if (p + n <= h->brk) return 1;
  if (p < h->brk) return 0;            /* starts in the brk area, runs past brk */
  for (uint64_t a = (p - h->base) / MS_LAB_PAGE; a <= (p + n - 1 - h->base) / MS_LAB_PAGE; a++)
    if (!h->page_mapped[a]) return 0;
  return 1;
}

/* ====================================================================
** What the allocator may do
** ==================================================================== */

int ms_labheap_sbrk(ms_LabHeap *h, int64_t delta, uint64_t *old) {
  h->syscalls++;
  h->now_ns += h->cost.sbrk;
  *old = h->brk;
  if (delta < 0) {
    uint64_t d = (uint64_t)(-(delta + 1)) + 1;     /* |delta| without overflow */
    if (d > h->brk - h->base)
      return fail(h, "sbrk(-%" PRIu64 "): the brk area is only %" PRIu64 " bytes", d, h->brk - h->base);
    uint64_t lo = h->brk - d;
    /* a live block in what goes is an error: the driver still holds it */
    for (uint64_t g = (lo - h->base + MS_LAB_GRANULE - 1) / MS_LAB_GRANULE;
         g < (h->brk - h->base + MS_LAB_GRANULE - 1) / MS_LAB_GRANULE; g++)
      if (h->owner[g])
        return fail(h, "sbrk(-%" PRIu64 ") would give back live block memory at 0x%" PRIx64, d,
                    h->base + g * MS_LAB_GRANULE);
    memset(h->bytes + (lo - h->base), 0, (size_t)d);   /* grown again, it reads zeros */
    h->brk = lo;
  } else {
    uint64_t d = (uint64_t)delta;
    if (d > h->mmap_floor - h->brk) return 1;     /* no room: sbrk's ENOMEM */
    h->brk += d;
  }
  account(h);
  return 0;
}

int ms_labheap_mmap(ms_LabHeap *h, uint64_t n, uint64_t *p) {
  h->syscalls++;
  h->now_ns += h->cost.mmap;
  if (n == 0) {
    snprintf(h->err, sizeof h->err, "mmap(0): a mapping needs at least one byte");
    return -1;
  }
  if (n > h->limit) return 1;
  uint64_t len = page_up(n), pages = len / MS_LAB_PAGE;
  uint64_t lowest = page_up(h->brk);              /* the first page above the brk area */
  uint64_t at = 0;
  if (h->mmap_floor - lowest >= len) {
    at = h->mmap_floor - len;                     /* below the lowest mapping, as Linux does */
  } else {
    /* the area is full down to brk: the highest run of free pages that fits */
    uint64_t run = 0;
    for (uint64_t a = (h->base + h->limit - lowest) / MS_LAB_PAGE; a-- > 0;) {
      uint64_t page = (lowest - h->base) / MS_LAB_PAGE + a;
      run = h->page_mapped[page] ? 0 : run + 1;
      if (run == pages) {
        at = h->base + page * MS_LAB_PAGE;
        break;
      }
    }
    if (at == 0) return 1;
  }
  memset(h->page_mapped + (at - h->base) / MS_LAB_PAGE, 1, (size_t)pages);
  if (at < h->mmap_floor) h->mmap_floor = at;
  h->mapped_bytes += len;
  account(h);
  *p = at;
  return 0;
}

int ms_labheap_munmap(ms_LabHeap *h, uint64_t p, uint64_t n) {
  h->syscalls++;
  h->now_ns += h->cost.munmap;
  if (p % MS_LAB_PAGE != 0)
    return fail(h, "munmap(0x%" PRIx64 ", %" PRIu64 "): the address is not a multiple of the page (4096)", p, n);
  if (n == 0) return fail(h, "munmap(0x%" PRIx64 ", %" PRIu64 "): nothing to unmap", p, n);
  uint64_t len = page_up(n);
  if (!in_space(h, p, len) || p < h->brk)
    return fail(h, "munmap(0x%" PRIx64 ", %" PRIu64 "): not memory mmap gave", p, n);
  uint64_t first = (p - h->base) / MS_LAB_PAGE, pages = len / MS_LAB_PAGE;
  for (uint64_t a = first; a < first + pages; a++)
    if (!h->page_mapped[a])
      return fail(h, "munmap(0x%" PRIx64 ", %" PRIu64 "): a page of it is not mapped", p, n);
  for (uint64_t g = (p - h->base) / MS_LAB_GRANULE; g < (p - h->base + len) / MS_LAB_GRANULE; g++)
    if (h->owner[g])
      return fail(h, "munmap(0x%" PRIx64 ", %" PRIu64 ") would unmap a live block", p, n);
  memset(h->page_mapped + first, 0, (size_t)pages);
  memset(h->bytes + (p - h->base), 0, (size_t)len);
  h->mapped_bytes -= len;
  if (p == h->mmap_floor) {                       /* the floor rises to the next mapping */
    uint64_t a = first + pages, end = h->limit / MS_LAB_PAGE;
    while (a < end && !h->page_mapped[a]) a++;
    h->mmap_floor = h->base + a * MS_LAB_PAGE;
  }
  account(h);
  return 0;
}

/* a word access by the allocator: charged, then checked; 0 or -1 with err */
static int word_access(ms_LabHeap *h, const char *op, uint64_t addr) {
  h->now_ns += h->cost.word;
  if (addr % 8 != 0) {
    snprintf(h->err, sizeof h->err, "%s(0x%" PRIx64 "): a word's address is a multiple of 8", op, addr);
    return -1;
  }
  if (!ms_labheap_accessible(h, addr, 8)) {
    snprintf(h->err, sizeof h->err, "%s(0x%" PRIx64 "): outside the heap (not in the brk area, "
             "not mmapped)", op, addr);
    return -1;
  }
  return 0;
}

int ms_labheap_read(ms_LabHeap *h, uint64_t addr, int64_t *v) {
  if (word_access(h, "read", addr) != 0) return -1;
  memcpy(v, h->bytes + (addr - h->base), 8);
  h->words_read++;
  return 0;
}

int ms_labheap_write(ms_LabHeap *h, uint64_t addr, int64_t v) {
  if (word_access(h, "write", addr) != 0) return -1;
  memcpy(h->bytes + (addr - h->base), &v, 8);
  h->words_written++;
  return 0;
}

int ms_labheap_copy(ms_LabHeap *h, uint64_t dst, uint64_t src, uint64_t n) {
  h->now_ns += (n * h->cost.copy_per_kib + 1023) / 1024;
  if (!ms_labheap_accessible(h, src, n))
    return fail(h, "copy: the source 0x%" PRIx64 " (%" PRIu64 " bytes) is outside the heap", src, n);
  if (!ms_labheap_accessible(h, dst, n))
    return fail(h, "copy: the destination 0x%" PRIx64 " (%" PRIu64 " bytes) is outside the heap", dst, n);
  memmove(h->bytes + (dst - h->base), h->bytes + (src - h->base), (size_t)n);
  h->bytes_copied += n;
  return 0;
}

void ms_labheap_charge_call(ms_LabHeap *h) { h->now_ns += h->cost.call; }

/* ====================================================================
** The driver's register of live blocks, and its patterns
** ==================================================================== */

ms_LabCheck ms_labheap_check_block(const ms_LabHeap *h, uint64_t p, uint64_t n, uint32_t *other) {
  if (p % MS_LAB_GRANULE != 0) return MS_LAB_MISALIGNED;
  if (n == 0) n = 1;
  if (!ms_labheap_accessible(h, p, n)) return MS_LAB_OUTSIDE;
  for (uint64_t g = (p - h->base) / MS_LAB_GRANULE; g <= (p + n - 1 - h->base) / MS_LAB_GRANULE; g++)
    if (h->owner[g]) {
      *other = h->owner[g] - 1;
      return MS_LAB_OVERLAP;
    }
  return MS_LAB_OK;
}

void ms_labheap_add_block(ms_LabHeap *h, uint64_t p, uint64_t n, uint32_t slot) {
  uint64_t m = n ? n : 1;
  for (uint64_t g = (p - h->base) / MS_LAB_GRANULE; g <= (p + m - 1 - h->base) / MS_LAB_GRANULE; g++)
    h->owner[g] = slot + 1;
  h->live_bytes += n;
  if (h->live_bytes > h->live_peak) h->live_peak = h->live_bytes;
}

void ms_labheap_remove_block(ms_LabHeap *h, uint64_t p, uint64_t n) {
  uint64_t m = n ? n : 1;
  for (uint64_t g = (p - h->base) / MS_LAB_GRANULE; g <= (p + m - 1 - h->base) / MS_LAB_GRANULE; g++)
    h->owner[g] = 0;
  h->live_bytes -= n;
}

/* byte i of pattern SEED: never the same for two neighbouring seeds */
static uint8_t pattern(uint64_t seed, uint64_t i) {
  uint64_t x = (seed + 1) * 0x9E3779B97F4A7C15ull + (i >> 3) * 0xBF58476D1CE4E5B9ull;
  x ^= x >> 31;
  return (uint8_t)(x >> ((i & 7) * 8));
}

void ms_labheap_fill(ms_LabHeap *h, uint64_t p, uint64_t n, uint64_t seed) {
  uint8_t *b = h->bytes + (p - h->base);
  for (uint64_t i = 0; i < n; i++) b[i] = pattern(seed, i);
}

int64_t ms_labheap_check_fill(const ms_LabHeap *h, uint64_t p, uint64_t n, uint64_t seed) {
  if (!ms_labheap_accessible(h, p, n)) return 0;
  const uint8_t *b = h->bytes + (p - h->base);
  for (uint64_t i = 0; i < n; i++)
    if (b[i] != pattern(seed, i)) return (int64_t)i;
  return -1;
}

int64_t ms_labheap_check_zero(const ms_LabHeap *h, uint64_t p, uint64_t n) {
  if (!ms_labheap_accessible(h, p, n)) return 0;
  const uint8_t *b = h->bytes + (p - h->base);
  for (uint64_t i = 0; i < n; i++)
    if (b[i] != 0) return (int64_t)i;
  return -1;
}

/* ====================================================================
** The invariants
** ==================================================================== */

int ms_labheap_is_valid(ms_LabHeap *h) {
  if (!(h->base <= h->brk && h->brk <= h->mmap_floor && h->mmap_floor <= h->base + h->limit))
    return fail(h, "order broken: brk 0x%" PRIx64 ", mmap floor 0x%" PRIx64, h->brk, h->mmap_floor);
  if ((h->mmap_floor - h->base) % MS_LAB_PAGE != 0)
    return fail(h, "mmap floor 0x%" PRIx64 " not page-aligned (brk 0x%" PRIx64 ")", h->mmap_floor, h->brk);
  uint64_t mapped = 0;
  for (uint64_t a = 0; a < h->limit / MS_LAB_PAGE; a++)
    if (h->page_mapped[a]) {
      uint64_t addr = h->base + a * MS_LAB_PAGE;
      if (addr < h->mmap_floor || addr < h->brk)
        return fail(h, "page 0x%" PRIx64 " mapped below the floor 0x%" PRIx64, addr, h->mmap_floor);
      mapped += MS_LAB_PAGE;
    }
  if (mapped != h->mapped_bytes)
    return fail(h, "mapped_bytes %" PRIu64 " but %" PRIu64 " bytes of pages are mapped", h->mapped_bytes, mapped);
  if (h->heap_bytes != (h->brk - h->base) + h->mapped_bytes || h->heap_bytes > h->heap_peak)
    return fail(h, "heap_bytes %" PRIu64 " disagrees (peak %" PRIu64 ")", h->heap_bytes, h->heap_peak);
  if (h->live_bytes > h->live_peak)
    return fail(h, "live_bytes %" PRIu64 " above its peak %" PRIu64, h->live_bytes, h->live_peak);
  for (uint64_t g = 0; g < h->limit / MS_LAB_GRANULE; g++)
    if (h->owner[g] && !ms_labheap_accessible(h, h->base + g * MS_LAB_GRANULE, 1))
      return fail(h, "live block %" PRIu64 " owns inaccessible granule 0x%" PRIx64,
                  (uint64_t)h->owner[g] - 1, h->base + g * MS_LAB_GRANULE);
  return 0;
}
