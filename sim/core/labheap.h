/*
** labheap.h: the simulated heap of the allocator lab (memsim lab
** allocator).  A student's allocator, written in Lua, gets this heap and
** nothing else: it grows the heap with sbrk, maps and unmaps pages, and
** reads and writes 8-byte words (its headers, footers and free-list
** links).  The lab's driver, on the other side, registers the blocks the
** allocator hands out and checks them.
**
** Glossary
**   address    a simulated address: an integer in [base, base + limit)
**   brk area   [base, brk): what sbrk has given, contiguous from base
**   mmap area  page runs handed out by mmap, from the top of the space
**              downward; never below the brk area
**   word       8 bytes at an address that is a multiple of 8
**   granule    16 bytes at a multiple of 16: the unit of the driver's
**              register of live blocks (every block starts on one)
**   block      what the allocator returned for a request: [p, p + n)
**
** Space, low to high:
**
**     base          brk              mmap_floor            base + limit
**      |  brk area   |    unmapped    |  mmap area (runs)  |
**
** Invariants (ms_labheap_is_valid checks them):
**   base <= brk <= mmap_floor <= base + limit, all but brk page-aligned
**   mapped_bytes = PAGE * (pages marked mapped); none lies below brk
**   heap_bytes = (brk - base) + mapped_bytes <= heap_peak
**   every granule owned by a live block lies in accessible memory
**   live_bytes = sum of the live blocks' sizes <= live_peak
**
** Cost model: every word the allocator reads or writes, every byte it
** copies, every call the driver makes into it and every system call
** advances now_ns (the costs below, in the spirit of the profiles'
** cost.* lines).  The driver's own writes and checks cost nothing.  The
** allocator's time is thus its memory traffic, which the host's speed
** cannot change.
*/
#ifndef MEMSIM_LABHEAP_H
#define MEMSIM_LABHEAP_H

#include <stddef.h>
#include <stdint.h>

#define MS_LAB_PAGE     4096u
#define MS_LAB_GRANULE  16u
#define MS_LAB_BASE     0x10000000ull          /* where the brk area starts */
#define MS_LAB_LIMIT_DEFAULT (64ull << 20)     /* the space: 64 MiB */
#define MS_LAB_LIMIT_MAX     (256ull << 20)

typedef struct ms_LabCosts {
  uint32_t word;           /* one word read or written (a load or store that may miss) */
  uint32_t call;           /* the driver calling malloc, free or realloc */
  uint32_t sbrk;           /* brk(): a system call */
  uint32_t mmap, munmap;   /* as the profiles' raw_mmap and arena_unmap */
  uint32_t copy_per_kib;   /* memmove, as the profiles' copy_per_kib */
} ms_LabCosts;

typedef struct ms_LabHeap {
  uint64_t base, limit;    /* the space: [base, base + limit) */
  uint64_t brk;            /* end of the brk area */
  uint64_t mmap_floor;     /* lowest address of the mmap area (base + limit: none) */
  uint8_t *bytes;          /* limit bytes: the heap's contents */
  uint8_t *page_mapped;    /* per page of the space: 1 when mmap gave it */
  uint32_t *owner;         /* per granule: slot + 1 of the live block on it, 0 none */
  uint64_t mapped_bytes;   /* in the mmap area */
  uint64_t heap_bytes, heap_peak;
  uint64_t live_bytes, live_peak;
  uint64_t now_ns;         /* the allocator's simulated time */
  uint64_t words_read, words_written, bytes_copied, syscalls;
  ms_LabCosts cost;
  char err[256];           /* the last error, for the binding to raise */
} ms_LabHeap;

/* The default costs. */
void ms_labheap_costs_default(ms_LabCosts *c);

/* A heap of LIMIT bytes (a multiple of the page, at most
   MS_LAB_LIMIT_MAX); NULL when the host has no memory for it. */
ms_LabHeap *ms_labheap_new(uint64_t limit);
void ms_labheap_free(ms_LabHeap *h);

/* ---- what the allocator may do (each returns -1 with h->err on misuse) */

/* Grow (or, negative, shrink) the brk area by DELTA bytes; *OLD gets
   the previous brk.  0; 1 when the space has no room (the allocator's
   out of memory: not an error); -1 on misuse. */
int ms_labheap_sbrk(ms_LabHeap *h, int64_t delta, uint64_t *old);
/* Map N bytes (rounded up to pages) of zeros; *P gets the address.
   0; 1 when there is no room; -1 on misuse. */
int ms_labheap_mmap(ms_LabHeap *h, uint64_t n, uint64_t *p);
int ms_labheap_munmap(ms_LabHeap *h, uint64_t p, uint64_t n);
int ms_labheap_read(ms_LabHeap *h, uint64_t addr, int64_t *v);
int ms_labheap_write(ms_LabHeap *h, uint64_t addr, int64_t v);
int ms_labheap_copy(ms_LabHeap *h, uint64_t dst, uint64_t src, uint64_t n);
/* Charge one call from the driver. */
void ms_labheap_charge_call(ms_LabHeap *h);

/* ---- the driver's side: free of charge */

typedef enum ms_LabCheck {
  MS_LAB_OK = 0,
  MS_LAB_MISALIGNED,       /* p is not a multiple of 16 */
  MS_LAB_OUTSIDE,          /* some byte of [p, p + n) is not accessible */
  MS_LAB_OVERLAP           /* a live block owns a granule of it: *other */
} ms_LabCheck;

/* [p, p + n) could be a new block: no other live block on it. */
ms_LabCheck ms_labheap_check_block(const ms_LabHeap *h, uint64_t p, uint64_t n, uint32_t *other);
/* Register (slot) or unregister a block already checked. */
void ms_labheap_add_block(ms_LabHeap *h, uint64_t p, uint64_t n, uint32_t slot);
void ms_labheap_remove_block(ms_LabHeap *h, uint64_t p, uint64_t n);
/* Write the driver's pattern SEED into [p, p + n); check the first N
   bytes against it: -1 when intact, else the offset of the first byte
   that differs. */
void ms_labheap_fill(ms_LabHeap *h, uint64_t p, uint64_t n, uint64_t seed);
int64_t ms_labheap_check_fill(const ms_LabHeap *h, uint64_t p, uint64_t n, uint64_t seed);
/* The first nonzero byte of [p, p + n), or -1 when all are zero. */
int64_t ms_labheap_check_zero(const ms_LabHeap *h, uint64_t p, uint64_t n);
/* [p, p + n) is accessible memory (brk or mmap area). */
int ms_labheap_accessible(const ms_LabHeap *h, uint64_t p, uint64_t n);

/* The invariants above; 0, or -1 with h->err. */
int ms_labheap_is_valid(ms_LabHeap *h);

#endif
