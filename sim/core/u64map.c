/*
** u64map.c: see u64map.h.
*/
#include <stdlib.h>

#include "u64map.h"
#include "util.h"

static uint64_t home(const ms_U64Map *m, uint64_t key) {
  return (key * 0x9e3779b97f4a7c15ull) >> m->shift;
}

static uint64_t slot_of(const ms_U64Map *m, uint64_t key) {
  uint64_t mask = m->cap - 1, i = home(m, key);
  while (m->slots[i].key && m->slots[i].key != key) i = (i + 1) & mask;
  return i;
}

uint64_t u64map_get(const ms_U64Map *m, uint64_t key, int *found) {
  *found = 0;
  if (m->cap == 0 || key == 0) return 0;
  uint64_t i = slot_of(m, key);
  if (m->slots[i].key != key) return 0;
  *found = 1;
  return m->slots[i].val;
}

void u64map_put(ms_U64Map *m, uint64_t key, uint64_t val) {
  uint64_t old;
  u64map_swap(m, key, val, &old);
}

int u64map_swap(ms_U64Map *m, uint64_t key, uint64_t val, uint64_t *old) {
  if (2 * (m->n + 1) > m->cap) {
    uint64_t oldcap = m->cap;
    ms_U64Slot *was = m->slots;
    m->cap = oldcap ? 2 * oldcap : 64;
    m->shift = (unsigned)(64 - __builtin_ctzll(m->cap));
    m->slots = ms_xcalloc(m->cap, sizeof(ms_U64Slot));
    m->n = 0;
    for (uint64_t i = 0; i < oldcap; i++)
      if (was[i].key) u64map_put(m, was[i].key, was[i].val);
    ms_xfree(was);
  }
  uint64_t i = slot_of(m, key);
  int was = m->slots[i].key != 0;
  if (was) *old = m->slots[i].val;
  else m->n++;
  m->slots[i].key = key;
  m->slots[i].val = val;
  return was;
}

int u64map_take(ms_U64Map *m, uint64_t key, uint64_t *val) {
  if (m->cap == 0 || key == 0) return 0;
  uint64_t mask = m->cap - 1, i = slot_of(m, key);
  if (m->slots[i].key != key) return 0;
  if (val) *val = m->slots[i].val;
  m->n--;
  for (;;) {                         /* backward shift keeps probe paths whole */
    m->slots[i].key = 0;
    uint64_t j = i;
    for (;;) {
      j = (j + 1) & mask;
      if (!m->slots[j].key) return 1;
      uint64_t h = home(m, m->slots[j].key);
      if ((i <= j) ? (h <= i || h > j) : (h <= i && h > j)) break;
    }
    m->slots[i] = m->slots[j];
    i = j;
  }
}

void u64map_free(ms_U64Map *m) {
  ms_xfree(m->slots);
  m->slots = NULL;
  m->cap = m->n = 0;
}
