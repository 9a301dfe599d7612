/*
** u64map.c: see u64map.h.
*/
#include <stdlib.h>

#include "u64map.h"
#include "util.h"

static uint64_t mix(uint64_t k) {
  k ^= k >> 31;
  k *= 0x9e3779b97f4a7c15ull;
  return k ^ (k >> 29);
}

static uint64_t slot_of(const ms_U64Map *m, uint64_t key) {
  uint64_t mask = m->cap - 1, i = mix(key) & mask;
  while (m->keys[i] && m->keys[i] != key) i = (i + 1) & mask;
  return i;
}

uint64_t u64map_get(const ms_U64Map *m, uint64_t key, int *found) {
  *found = 0;
  if (m->cap == 0 || key == 0) return 0;
  uint64_t i = slot_of(m, key);
  if (m->keys[i] != key) return 0;
  *found = 1;
  return m->vals[i];
}

void u64map_put(ms_U64Map *m, uint64_t key, uint64_t val) {
  if (2 * (m->n + 1) > m->cap) {
    uint64_t oldcap = m->cap, *ok = m->keys, *ov = m->vals;
    m->cap = oldcap ? 2 * oldcap : 64;
    m->keys = ms_xcalloc(m->cap, sizeof(uint64_t));
    m->vals = ms_xmalloc(m->cap * sizeof(uint64_t));
    m->n = 0;
    for (uint64_t i = 0; i < oldcap; i++)
      if (ok[i]) u64map_put(m, ok[i], ov[i]);
    ms_xfree(ok);
    ms_xfree(ov);
  }
  uint64_t i = slot_of(m, key);
  if (!m->keys[i]) m->n++;
  m->keys[i] = key;
  m->vals[i] = val;
}

int u64map_take(ms_U64Map *m, uint64_t key, uint64_t *val) {
  if (m->cap == 0 || key == 0) return 0;
  uint64_t mask = m->cap - 1, i = slot_of(m, key);
  if (m->keys[i] != key) return 0;
  if (val) *val = m->vals[i];
  m->n--;
  for (;;) {                         /* backward shift keeps chains whole */
    m->keys[i] = 0;
    uint64_t j = i;
    for (;;) {
      j = (j + 1) & mask;
      if (!m->keys[j]) return 1;
      uint64_t h = mix(m->keys[j]) & mask;
      if ((i <= j) ? (h <= i || h > j) : (h <= i && h > j)) break;
    }
    m->keys[i] = m->keys[j];
    m->vals[i] = m->vals[j];
    i = j;
  }
}

void u64map_free(ms_U64Map *m) {
  ms_xfree(m->keys);
  ms_xfree(m->vals);
  m->keys = m->vals = NULL;
  m->cap = m->n = 0;
}
