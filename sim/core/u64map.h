/*
** u64map.h: a hash map from nonzero 64-bit keys to 64-bit values (open
** addressing, linear probing, deletion by backward shift).  Used for the
** blocks a script mallocs and for the references a script holds.
*/
#ifndef MEMSIM_U64MAP_H
#define MEMSIM_U64MAP_H

#include <stdint.h>

typedef struct ms_U64Map {
  uint64_t *keys;     /* 0: empty slot */
  uint64_t *vals;
  uint64_t cap, n;    /* cap: a power of two, or 0 */
} ms_U64Map;

/* The value of KEY, or 0 with *found = 0. */
uint64_t u64map_get(const ms_U64Map *m, uint64_t key, int *found);
void u64map_put(ms_U64Map *m, uint64_t key, uint64_t val);
/* Remove KEY; returns 1 if it was there (its value in *val). */
int u64map_take(ms_U64Map *m, uint64_t key, uint64_t *val);
void u64map_free(ms_U64Map *m);

#endif
