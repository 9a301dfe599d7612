/*
** pymalloc.h: CPython 3.11's small-object allocator (Objects/obmalloc.c).
**
** Glossary
**   block      the unit handed out: a multiple of 16 bytes, 16 .. 512.
**   size class (n-1) >> 4 for a request of n bytes: 32 classes, 0 .. 31.
**   pool       16 KiB holding blocks of one class after a 48-byte header.
**   arena      1 MiB from mmap, cut into pools; on Linux it is not 16 KiB
**              aligned, so the partial pool at each end is lost.
**
**   class  block  blocks/pool  lost to quantization
**       0     16         1021       0
**       1     32          510      16
**       2     48          340      16
**       3     64          255      16
**     ...    ...          ...     ...   (16336 / size, 16336 % size)
**      15    256           63     208
**      31    512           31      464
**
** A pool is in exactly one of three states:
**   used   some blocks in use and some free: it is on usedpools[class];
**   full   every block in use: on no list;
**   empty  no block in use: on its arena's freepools list, or not carved
**          yet (beyond the arena's pool_address).
** An arena with free pools is on usable_arenas, sorted by nfreepools
** ascending; nfp2lasta[k] is the last arena on it with k free pools.
**
** Invariants (pymalloc_is_valid checks them all)
**   pool:  count + free blocks = nblocks(class) for used and full pools;
**          its free list has (blocks carved - count) entries;
**   arena: nfreepools = pools on freepools + pools not carved;
**          the arena is on usable_arenas  <=>  0 < nfreepools;
**   counts: pools_total = sum of ntotalpools; pools_in_use = used + full
**          pools; pools_full = pools with no free block (the series plot
**          them: empty = pools_total - pools_in_use);
**   whole: allocated + available + unused pools * POOL_SIZE + headers
**          + quantization + alignment = arenas * ARENA_SIZE.
*/
#ifndef MEMSIM_PYMALLOC_H
#define MEMSIM_PYMALLOC_H

#include <stdint.h>

#include "allocator.h"

#define PYM_NCLASSES   32
#define PYM_MAXPOOLS   64      /* pools per arena when aligned */
#define PYM_NIL16      0xFFFFu

/* A pool's header, kept beside the simulated memory. */
typedef struct pym_Pool {
  uint32_t count;        /* ref.count: blocks in use */
  int32_t szidx;         /* size class, or -1 before first use */
  uint32_t freeblock;    /* first block of the free list, PYM_NIL16 if none */
  uint32_t nextindex;    /* next never-used block (nextoffset) */
  uint32_t nextpool;     /* pool id: next on usedpools or freepools */
  uint32_t prevpool;     /* pool id: previous on usedpools */
  uint16_t *link;        /* link[i]: block after i on the free list */
} pym_Pool;

typedef struct pym_Arena {
  uint64_t address;      /* base of the 1 MiB mapping; 0: record unused */
  uint64_t first_pool;   /* address of pool 0 (16 KiB aligned) */
  uint32_t pool_carve;   /* pool_address as an index: next pool to carve */
  uint32_t nfreepools;   /* free pools: cached + never carved */
  uint32_t ntotalpools;  /* 64, or 63 when the arena is not aligned */
  uint32_t freepools;    /* pool id of the first cached empty pool */
  uint32_t nextarena;    /* arena index on usable_arenas or unused list */
  uint32_t prevarena;    /* arena index on usable_arenas */
  uint64_t touched[4];   /* bitmap of its 256 pages that are resident */
  pym_Pool *pools;       /* ntotalpools headers */
} pym_Arena;

typedef struct pym_Stats {
  uint64_t arenas_allocated_total;  /* ntimes_arena_allocated */
  uint64_t arenas_current;          /* narenas_currently_allocated */
  uint64_t arenas_highwater;        /* narenas_highwater */
  uint64_t raw_blocks;              /* raw_allocated_blocks */
  uint64_t mid_nodes, bot_nodes;    /* radix tree nodes (arena map) */
  uint64_t pools_initialised;       /* pools set up for a new class */
  uint64_t pools_total;             /* pools of the live arenas (ntotalpools) */
  uint64_t pools_in_use;            /* used + full pools */
  uint64_t pools_full;              /* pools with every block in use */
  uint64_t mallocs, frees, reallocs, reallocs_in_place;
} pym_Stats;

typedef struct pym_State {
  ms_AllocEnv env;
  ms_Allocator raw;                 /* for 0 and > 512 bytes */
  uint32_t pool_shift;              /* log2(pool_size): 14, or 12 before 3.10 */
  uint32_t nblocks[PYM_NCLASSES];   /* blocks per pool of each class */
  uint64_t inverse[PYM_NCLASSES];   /* ceil(2^32 / (class + 1)): a block's index without a divide */
  uint32_t usedpools[PYM_NCLASSES]; /* pool id at the front, or MS_NIL */
  pym_Arena *arenas;                /* the arena records (vector) */
  uint32_t maxarenas;               /* records in the vector */
  uint32_t unused_arenas;           /* first unused record, or MS_NIL */
  uint32_t usable_arenas;           /* first arena with free pools */
  uint32_t nfp2lasta[PYM_MAXPOOLS + 1];
  uint32_t **map;                   /* address >> 30 -> pool granules */
  uint64_t *mid_keys, *bot_keys;    /* radix nodes CPython would create */
  int freed_from_pool;              /* the last free was of a pool's block (not malloc's):
                                       what the front end's accounting asks, without a
                                       second look-up of the address */
  pym_Stats st;
} pym_State;

/* The state behind an allocator made by pymalloc_new, or NULL. */
pym_State *pymalloc_state(ms_Allocator a);

/* The pool holding address P, or NULL when pymalloc does not own P. */
pym_Pool *pymalloc_pool_of(pym_State *s, uint64_t p, uint32_t *arena_out);

/*
** The figures sys._debugmallocstats() prints for the pymalloc part,
** gathered by walking every arena as CPython does.
*/
typedef struct pym_Census {
  uint64_t numpools[PYM_NCLASSES];  /* used + full pools */
  uint64_t numblocks[PYM_NCLASSES]; /* blocks in use */
  uint64_t numfree[PYM_NCLASSES];   /* free blocks in those pools */
  uint64_t unused_pools;            /* sum of nfreepools */
  uint64_t allocated_bytes, available_bytes;
  uint64_t pool_header_bytes, quantization, alignment;
  uint64_t arena_bytes;             /* arenas * ARENA_SIZE */
} pym_Census;

void pymalloc_census(pym_State *s, pym_Census *c);

#endif
