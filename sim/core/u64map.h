/*
** u64map.h: a hash map from nonzero 64-bit keys to 64-bit values (open
** addressing, linear probing, deletion by backward shift).  Used for the
** blocks a script mallocs, the references a script holds, and a replay's
** real-to-simulated addresses.
**
** Keys are addresses and ids: clustered, with their low bits often zero.
** A key's home slot is the top bits of key * 2^64/phi (Fibonacci
** hashing), which spreads such keys evenly.  Invariant: every key lies
** on the probe path from its home slot with no empty slot between.
*/
#ifndef MEMSIM_U64MAP_H
#define MEMSIM_U64MAP_H

#include <stdint.h>

typedef struct ms_U64Slot {
  uint64_t key;       /* 0: empty */
  uint64_t val;
} ms_U64Slot;

typedef struct ms_U64Map {
  ms_U64Slot *slots;
  uint64_t cap, n;    /* cap: a power of two, or 0 */
  unsigned shift;     /* 64 - log2(cap) */
} ms_U64Map;

/* The value of KEY, or 0 with *found = 0. */
uint64_t u64map_get(const ms_U64Map *m, uint64_t key, int *found);
void u64map_put(ms_U64Map *m, uint64_t key, uint64_t val);
/* Put KEY -> VAL; returns 1 if KEY was there, its old value in *old. */
int u64map_swap(ms_U64Map *m, uint64_t key, uint64_t val, uint64_t *old);
/* Remove KEY; returns 1 if it was there (its value in *val). */
int u64map_take(ms_U64Map *m, uint64_t key, uint64_t *val);
void u64map_free(ms_U64Map *m);

#endif
