/*
** traceformat.h: the bytes of a memsim trace (format version 1), shared
** by the recorder (sim/cli/recorder.c, built against a real CPython) and
** the reader (sim/trace/trace.c).  sim/trace/trace-format.md tells it in prose.
**
**   file    = header block* ;
**   header  = "MEMSIMTR" u16:version u16:0 u32:textlen text ;
**             text: "key=value\n" lines (interpreter version, build, ...)
**   block   = u32:payload_len u32:items u32:crc32(payload) payload ;
**   payload = item* ;     an item never crosses a block
**
** Integers in headers are little-endian.  In a payload an item starts
** with a tag byte:
**
**   tag < 0x20: an allocator event
**     bits 0-1  domain: 0 raw (PyMem_Raw*), 1 mem (PyMem_*),
**               2 obj (PyObject_*), 3 arena (the arena allocator)
**     bits 2-3  op: 0 malloc, 1 calloc, 2 realloc, 3 free
**     bit  4    nested: made by the allocator while serving another
**               request (pymalloc asking malloc for a large block, or
**               mapping an arena); a replay lets its own allocator make
**               these and only uses arena addresses from them
**     then      malloc, calloc: size, addr;  realloc: size, old, new;
**               free: addr;  arena malloc, free: size, addr
**   tag 0xF0  mark:  len, bytes        (memsim_mark("phase"))
**   tag 0xF1  gc:    generation, collected, uncollectable, duration_ns
**   tag 0xF2  info:  len, "key=value"  (facts known only after start-up)
**   tag 0xF3  end:   allocated_blocks + 1 (0: unknown), program_ns,
**                    len, the text of sys._debugmallocstats() taken
**                    at the same moment
**
** Sizes and counts are unsigned LEB128 varints.  An address is the
** zigzag varint of (addr - prev), prev being the last address written in
** the same block (0 at the start of each block), so blocks decode alone.
** A failed request (NULL) and free(NULL) are not recorded.  Items are
** numbered from 0 in file order: that number is an item's sequence.
*/
#ifndef MEMSIM_TRACEFORMAT_H
#define MEMSIM_TRACEFORMAT_H

#include <stddef.h>
#include <stdint.h>

#define TRF_MAGIC          "MEMSIMTR"
#define TRF_VERSION        1
#define TRF_HEADER_FIXED   16          /* magic, version, 0, textlen */
#define TRF_BLOCK_HEADER   12          /* payload_len, items, crc32 */
#define TRF_BLOCK_MAX      65536       /* largest payload */
#define TRF_TEXT_MAX       65536       /* largest header text */
#define TRF_MARK_MAX       200         /* longest mark name kept */

enum { TRF_RAW = 0, TRF_MEM = 1, TRF_OBJ = 2, TRF_ARENA = 3 };
enum { TRF_MALLOC = 0, TRF_CALLOC = 1, TRF_REALLOC = 2, TRF_FREE = 3 };
#define TRF_NESTED     0x10
#define TRF_TAG(domain, op)  ((uint8_t)((domain) | ((op) << 2)))
#define TRF_TAG_MARK   0xF0
#define TRF_TAG_GC     0xF1
#define TRF_TAG_INFO   0xF2
#define TRF_TAG_END    0xF3

/* ---- varints -------------------------------------------------------- */

static inline uint8_t *trf_put_varint(uint8_t *p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = (uint8_t)(v | 0x80);
    v >>= 7;
  }
  *p++ = (uint8_t)v;
  return p;
}

static inline uint64_t trf_zigzag(int64_t v) {
  return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t trf_unzigzag(uint64_t v) {
  return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static inline void trf_put_u32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

static inline uint32_t trf_get_u32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ---- CRC-32 (IEEE 802.3, reflected) -------------------------------- */

static inline void trf_crc_table(uint32_t t[256]) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
}

static inline uint32_t trf_crc32(const uint32_t t[256], const uint8_t *p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  while (n--) c = t[(c ^ *p++) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

#endif
