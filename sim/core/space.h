/*
** space.h: a simulated 64-bit address space, mmap and munmap, and RSS.
**
** Glossary
**   mapping  a range [addr, addr+len) handed out by space_mmap; len is a
**            multiple of the page size.
**   hole     a gap between mappings, below the top of the mmap area.
**   touched  a page that was written since it was mapped: it counts in
**            the resident set (RSS).
**
** Model (Linux x86-64, top-down mmap):
**   - the mmap area grows down from MS_MMAP_TOP; a request takes the
**     highest hole that fits, else goes below the lowest mapping;
**   - MS_MMAP_TOP is page aligned but 4 KiB past a 16 KiB boundary, as
**     ASLR left it on the machine where every arena lost a pool;
**   - the heap (brk) grows up from MS_HEAP_BASE, used by the raw allocator.
** Nothing here reads or writes real memory; addresses are numbers.
**
** Invariants
**   mapped_bytes  = sum of the lengths of live mappings
**   rss_bytes     = page_size * (touched pages of live mappings + heap)
**   no two mappings overlap; holes are kept sorted and coalesced.
*/
#ifndef MEMSIM_SPACE_H
#define MEMSIM_SPACE_H

#include <stddef.h>
#include <stdint.h>

#define MS_PAGE_SIZE   4096u
#define MS_MMAP_TOP    0x7f3a5c7f1000ull  /* % 16384 == 4096 */
#define MS_HEAP_BASE   0x0000555555a00000ull

typedef struct ms_Hole {
  uint64_t addr;    /* start of the gap */
  uint64_t len;     /* its length in bytes */
} ms_Hole;

typedef struct ms_Space {
  uint64_t low;            /* lowest address ever mapped (mmap area) */
  ms_Hole *holes;          /* gaps between low and MS_MMAP_TOP, sorted by addr */
  size_t nholes, capholes;
  uint64_t brk;            /* current end of the heap */
  uint64_t mapped_bytes;   /* bytes in live mappings (mmap area) */
  uint64_t rss_bytes;      /* bytes of touched pages, mappings and heap */
  uint64_t rss_peak;       /* highest rss_bytes seen */
  uint64_t nmmap, nmunmap; /* calls made */
  uint64_t limit;          /* 0, or the most bytes mapped + heap may reach */
  uint8_t plan[128];       /* residues mod 16 KiB (in KiB) for the next mappings */
  uint32_t nplan, iplan;   /* planned, and used so far (heap shaping only) */
  uint64_t plan_len;       /* only mappings of this length follow the plan */
} ms_Space;

void space_init(ms_Space *s);
void space_free(ms_Space *s);

/* Map LEN bytes (rounded up to pages); returns the address, or 0 when
** the simulated memory limit would be passed. */
uint64_t space_mmap(ms_Space *s, uint64_t len);
/*
** Make the next mappings start at given offsets past a 16 KiB boundary
** (0 or 4 KiB ...), as the kernel placed the arenas of a measured
** interpreter; then space_leave_residue(s, r) makes the mapping after
** them start r bytes past a boundary again.  Gaps become holes.
*/
void space_plan(ms_Space *s, const uint8_t *residues_kib, uint32_t n, uint64_t len);
void space_leave_residue(ms_Space *s, uint64_t residue);
/* Unmap a range previously returned by space_mmap (same length). */
void space_munmap(ms_Space *s, uint64_t addr, uint64_t len);
/* Move the heap end by DELTA bytes (a multiple of the page size); returns
** the old end, or 0 when the limit would be passed. */
uint64_t space_sbrk(ms_Space *s, int64_t delta);

/* Account for pages becoming resident (+) or released (-). */
void space_rss_add(ms_Space *s, int64_t bytes);

int space_is_valid(const ms_Space *s);

#endif
