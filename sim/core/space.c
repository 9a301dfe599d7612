/*
** space.c: simulated mmap, munmap and brk (see space.h for the model).
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "space.h"
#include "util.h"

static uint64_t page_round(uint64_t n) {
  return (n + MS_PAGE_SIZE - 1) & ~(uint64_t)(MS_PAGE_SIZE - 1);
}

void space_init(ms_Space *s) {
  memset(s, 0, sizeof *s);
  s->low = MS_MMAP_TOP;
  s->brk = MS_HEAP_BASE;
}

void space_free(ms_Space *s) {
  ms_xfree(s->holes);
  memset(s, 0, sizeof *s);
}

static void hole_remove(ms_Space *s, size_t i) {
  memmove(&s->holes[i], &s->holes[i + 1], (s->nholes - i - 1) * sizeof(ms_Hole));
  s->nholes--;
}

static void hole_insert(ms_Space *s, size_t i, uint64_t addr, uint64_t len) {
  if (s->nholes == s->capholes) {
    s->capholes = s->capholes ? 2 * s->capholes : 16;
    s->holes = ms_xrealloc(s->holes, s->capholes * sizeof(ms_Hole));
  }
  memmove(&s->holes[i + 1], &s->holes[i], (s->nholes - i) * sizeof(ms_Hole));
  s->holes[i].addr = addr;
  s->holes[i].len = len;
  s->nholes++;
}

/*
** Top-down first fit: the highest hole that can take LEN gives its top
** end; with none, the mapping goes just below the lowest one.
*/
uint64_t space_mmap(ms_Space *s, uint64_t len) {
  uint64_t addr;
  len = page_round(len);
  assert(len > 0);
  if (s->limit && s->mapped_bytes + (s->brk - MS_HEAP_BASE) + len > s->limit) return 0;
  s->nmmap++;
  s->mapped_bytes += len;
  if (s->iplan < s->nplan && len == s->plan_len) {   /* a planned placement */
    uint64_t residue = (uint64_t)s->plan[s->iplan++] * 1024;
    uint64_t at = ((s->low - len) & ~(uint64_t)16383) + residue;
    if (at + len > s->low) at -= 16384;
    if (at + len < s->low) {                 /* the gap above it is a hole */
      size_t i = 0;
      while (i < s->nholes && s->holes[i].addr < at) i++;
      hole_insert(s, i, at + len, s->low - at - len);
    }
    s->low = at;
    return at;
  }
  for (size_t i = s->nholes; i-- > 0;) {
    ms_Hole *h = &s->holes[i];
    if (h->len >= len) {
      addr = h->addr + h->len - len;
      h->len -= len;
      if (h->len == 0) hole_remove(s, i);
      return addr;
    }
  }
  s->low -= len;
  return s->low;
}

void space_plan(ms_Space *s, const uint8_t *residues_kib, uint32_t n, uint64_t len) {
  if (n > sizeof s->plan) n = sizeof s->plan;
  memcpy(s->plan, residues_kib, n);
  s->nplan = n;
  s->iplan = 0;
  s->plan_len = len;
}

void space_leave_residue(ms_Space *s, uint64_t residue) {
  s->nplan = s->iplan = 0;
  uint64_t low = (s->low & ~(uint64_t)16383) + residue;
  if (low > s->low) low -= 16384;
  if (low == s->low) return;
  size_t i = 0;
  while (i < s->nholes && s->holes[i].addr < low) i++;
  hole_insert(s, i, low, s->low - low);
  s->low = low;
}

/*
** Returning a range makes a hole, merged with the holes beside it; a hole
** that reaches the bottom of the area moves the bottom up instead.
*/
void space_munmap(ms_Space *s, uint64_t addr, uint64_t len) {
  len = page_round(len);
  assert(addr >= s->low && addr + len <= MS_MMAP_TOP);
  assert(s->mapped_bytes >= len);
  s->nmunmap++;
  s->mapped_bytes -= len;
  size_t i = 0;
  while (i < s->nholes && s->holes[i].addr < addr) i++;
  /* merge with the hole after */
  if (i < s->nholes && s->holes[i].addr == addr + len) {
    len += s->holes[i].len;
    hole_remove(s, i);
  }
  /* merge with the hole before */
  if (i > 0 && s->holes[i - 1].addr + s->holes[i - 1].len == addr) {
    s->holes[i - 1].len += len;
    addr = s->holes[i - 1].addr;
    len = s->holes[i - 1].len;
    hole_remove(s, i - 1);
    i--;
  }
  if (addr == s->low) {
    s->low += len;
    return;
  }
  hole_insert(s, i, addr, len);
}

uint64_t space_sbrk(ms_Space *s, int64_t delta) {
  uint64_t old = s->brk;
  assert(delta % (int64_t)MS_PAGE_SIZE == 0);
  assert(delta >= 0 || (uint64_t)(-delta) <= s->brk - MS_HEAP_BASE);
  if (delta > 0 && s->limit &&
      s->mapped_bytes + (s->brk - MS_HEAP_BASE) + (uint64_t)delta > s->limit)
    return 0;
  s->brk = (uint64_t)((int64_t)s->brk + delta);
  return old;
}

void space_rss_add(ms_Space *s, int64_t bytes) {
  assert(bytes >= 0 || (uint64_t)(-bytes) <= s->rss_bytes);
  s->rss_bytes = (uint64_t)((int64_t)s->rss_bytes + bytes);
  if (s->rss_bytes > s->rss_peak) s->rss_peak = s->rss_bytes;
}

/*
** Holes sorted, disjoint, not touching (else they would have merged),
** inside [low, top), and the mapped bytes equal the area minus the holes.
*/
int space_is_valid(const ms_Space *s) {
  uint64_t holes = 0;
  for (size_t i = 0; i < s->nholes; i++) {
    const ms_Hole *h = &s->holes[i];
    if (h->len == 0 || h->addr < s->low || h->addr + h->len > MS_MMAP_TOP) return 0;
    if (h->addr == s->low) return 0;
    if (i > 0 && s->holes[i - 1].addr + s->holes[i - 1].len >= h->addr) return 0;
    holes += h->len;
  }
  if (MS_MMAP_TOP - s->low - holes != s->mapped_bytes) return 0;
  if (s->brk < MS_HEAP_BASE) return 0;
  return 1;
}
