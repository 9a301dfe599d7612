/*
** addrmap.h: real addresses -> packed words, for a replay.
**
** A replay looks up millions of live blocks, and their addresses are not
** random: pymalloc hands out the blocks of a pool one after another, and a
** program frees them in much the same order.  So the map is a page table
** rather than a hash: a 4 KiB page of real addresses is one node of 256
** words, one per 16-byte granule (every allocator CPython uses returns
** 16-byte-aligned blocks), found through a hash of page numbers with the
** last page looked up kept at hand.  Neighbouring blocks share a node and
** its cache lines.  An address that is not 16-byte aligned goes to a plain
** hash map.  Empty nodes are freed.
**
** Invariants: node->used = nonzero words in node->w;
**             a page is in `pages` <=> its node has used > 0.
*/
#ifndef MEMSIM_ADDRMAP_H
#define MEMSIM_ADDRMAP_H

#include <stdint.h>

#include "u64map.h"

typedef struct ms_AddrNode {
  uint64_t w[256];
  uint32_t used;
} ms_AddrNode;

typedef struct ms_AddrMap {
  ms_U64Map pages;        /* page number -> ms_AddrNode * */
  ms_U64Map odd;          /* addresses not 16-byte aligned */
  uint64_t last_page;     /* the page of last_node, or UINT64_MAX */
  ms_AddrNode *last_node;
  uint64_t n;             /* words held */
} ms_AddrMap;

void addrmap_init(ms_AddrMap *m);
void addrmap_free(ms_AddrMap *m);
/* Put A -> V (V nonzero); returns 1 if A was there, its old word in *old. */
int addrmap_swap(ms_AddrMap *m, uint64_t a, uint64_t v, uint64_t *old);
/* Remove A; returns 1 if it was there, its word in *v. */
int addrmap_take(ms_AddrMap *m, uint64_t a, uint64_t *v);

#endif
