/*
** trace.c: the trace reader, a stream of blocks checked byte by byte.
**
** Nothing in a trace is trusted: lengths are checked against the block
** and the file, varints against their ten bytes, tags against the table
** in traceformat.h, and each block against its CRC-32 before a byte of
** it is decoded.  Errors name the byte offset in the file.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace.h"
#include "traceformat.h"
#include "util.h"

struct ms_Trace {
  FILE *f;
  uint64_t size;             /* the file's size */
  uint64_t offset;           /* bytes consumed */
  uint16_t version;
  char *header;              /* NUL-terminated header text */
  uint8_t *block;            /* current payload */
  uint32_t len, pos;         /* payload bytes, bytes decoded */
  uint32_t items_left;       /* items still to decode in the block */
  uint64_t block_offset;     /* file offset of the block's header */
  uint64_t prev;             /* address base */
  uint64_t seq;
  int ended;                 /* the end record was read */
  uint32_t crc[256];
  char err[320];
};

static int fail(ms_Trace *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(t->err, sizeof t->err, fmt, ap);
  va_end(ap);
  return -1;
}

/* ====================================================================
** Opening: the header
** ==================================================================== */

ms_Trace *ms_trace_open(const char *path, char *err, size_t errlen) {
  /* never blocks: a FIFO would wait for a writer in open(2) itself */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return NULL;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    snprintf(err, errlen, "%s: not a regular file", path);
    close(fd);
    return NULL;
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  FILE *f = fdopen(fd, "rb");
  if (f == NULL) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    close(fd);
    return NULL;
  }
  uint8_t h[TRF_HEADER_FIXED];
  size_t got = fread(h, 1, sizeof h, f);
  if (got < 8 || memcmp(h, TRF_MAGIC, 8) != 0) {
    snprintf(err, errlen, "%s: not a memsim trace (it does not start with %s; memsim record writes traces)",
             path, TRF_MAGIC);
    fclose(f);
    return NULL;
  }
  if (got < sizeof h) {
    snprintf(err, errlen, "%s: truncated trace: the header ends at byte %zu of %d", path, got,
             TRF_HEADER_FIXED);
    fclose(f);
    return NULL;
  }
  uint16_t version = (uint16_t)(h[8] | h[9] << 8);
  uint32_t textlen = trf_get_u32(h + 12);
  if (version > TRF_VERSION) {
    snprintf(err, errlen, "%s: trace format version %u is newer than this memsim reads (%d): "
             "replay it with a newer memsim", path, version, TRF_VERSION);
    fclose(f);
    return NULL;
  }
  if (version == 0 || textlen > TRF_TEXT_MAX) {
    snprintf(err, errlen, "%s: corrupt trace header at byte 8 (version %u, text of %u bytes)", path,
             version, textlen);
    fclose(f);
    return NULL;
  }
  ms_Trace *t = ms_xcalloc(1, sizeof *t);
  t->f = f;
  t->size = (uint64_t)st.st_size;
  t->version = version;
  t->header = ms_xmalloc(textlen + 1);
  if (fread(t->header, 1, textlen, f) != textlen) {
    snprintf(err, errlen, "%s: truncated trace: the header text at byte 16 needs %u bytes", path, textlen);
    ms_trace_close(t);
    return NULL;
  }
  t->header[textlen] = '\0';
  if (strlen(t->header) != textlen) {
    snprintf(err, errlen, "%s: corrupt trace header: a NUL byte in its text at byte %zu", path,
             16 + strlen(t->header));
    ms_trace_close(t);
    return NULL;
  }
  t->offset = TRF_HEADER_FIXED + textlen;
  t->block = ms_xmalloc(TRF_BLOCK_MAX);
  trf_crc_table(t->crc);
  return t;
}

void ms_trace_close(ms_Trace *t) {
  if (t == NULL) return;
  if (t->f) fclose(t->f);
  ms_xfree(t->header);
  ms_xfree(t->block);
  ms_xfree(t);
}

const char *ms_trace_header_text(const ms_Trace *t) { return t->header; }
const char *ms_trace_error(const ms_Trace *t) { return t->err; }
uint64_t ms_trace_offset(const ms_Trace *t) { return t->offset; }
uint64_t ms_trace_size(const ms_Trace *t) { return t->size; }

const char *ms_trace_header(const ms_Trace *t, const char *key) {
  static __thread char value[256];
  size_t k = strlen(key);
  for (const char *line = t->header; *line;) {
    const char *nl = strchr(line, '\n');
    size_t n = nl ? (size_t)(nl - line) : strlen(line);
    if (n > k && strncmp(line, key, k) == 0 && line[k] == '=') {
      size_t v = n - k - 1;
      if (v >= sizeof value) v = sizeof value - 1;
      memcpy(value, line + k + 1, v);
      value[v] = '\0';
      return value;
    }
    line += n + (nl != NULL);
  }
  return NULL;
}

int ms_trace_profile_name(const ms_Trace *t, char *out, size_t n) {
  const char *v = ms_trace_header(t, "python_version");
  unsigned major, minor;
  if (v == NULL || sscanf(v, "%u.%u", &major, &minor) != 2 || major > 99 || minor > 999) return -1;
  snprintf(out, n, "cpython-%u.%u", major, minor);
  return 0;
}

/* ====================================================================
** Blocks and items
** ==================================================================== */

static int read_block(ms_Trace *t) {
  uint8_t h[TRF_BLOCK_HEADER];
  size_t got = fread(h, 1, sizeof h, t->f);
  if (got == 0 && feof(t->f)) {
    if (!t->ended)
      return fail(t, "truncated trace: it ends at byte %llu without the end record "
                  "(the program did not exit normally, or the file was cut)",
                  (unsigned long long)t->offset);
    return 0;
  }
  if (got < sizeof h)
    return fail(t, "truncated trace: the block at byte %llu has %zu of its %d header bytes",
                (unsigned long long)t->offset, got, TRF_BLOCK_HEADER);
  uint32_t len = trf_get_u32(h), items = trf_get_u32(h + 4), crc = trf_get_u32(h + 8);
  if (len == 0 || len > TRF_BLOCK_MAX || items == 0 || items > len)
    return fail(t, "corrupt trace: the block at byte %llu claims %u bytes and %u items",
                (unsigned long long)t->offset, len, items);
  if (t->ended)
    return fail(t, "corrupt trace: a block at byte %llu after the end record",
                (unsigned long long)t->offset);
  got = fread(t->block, 1, len, t->f);
  if (got < len)
    return fail(t, "truncated trace: the block at byte %llu needs %u bytes, the file has %zu",
                (unsigned long long)t->offset, len, got);
  if (trf_crc32(t->crc, t->block, len) != crc)
    return fail(t, "corrupt trace: the block at byte %llu fails its checksum",
                (unsigned long long)t->offset);
  t->block_offset = t->offset;
  t->offset += TRF_BLOCK_HEADER + len;
  t->len = len;
  t->pos = 0;
  t->items_left = items;
  t->prev = 0;
  return 1;
}

static int bad_item(ms_Trace *t, const char *what) {
  return fail(t, "corrupt trace: item %llu in the block at byte %llu (payload byte %u): %s",
              (unsigned long long)t->seq, (unsigned long long)t->block_offset, t->pos, what);
}

/* a varint from the block; -1 when it runs past the end or past 64 bits */
static int get_varint(ms_Trace *t, uint64_t *v) {
  uint64_t r = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (t->pos >= t->len) return bad_item(t, "a number runs past the end of the block");
    uint8_t c = t->block[t->pos++];
    if (shift == 63 && c > 1) break;
    r |= (uint64_t)(c & 0x7F) << shift;
    if (c < 0x80) {
      *v = r;
      return 0;
    }
  }
  return bad_item(t, "a number longer than 64 bits");
}

static int get_addr(ms_Trace *t, uint64_t *a) {
  uint64_t z;
  if (get_varint(t, &z) < 0) return -1;
  t->prev += (uint64_t)trf_unzigzag(z);
  *a = t->prev;
  return 0;
}

static int get_text(ms_Trace *t, ms_TraceEvent *e) {
  uint64_t n;
  if (get_varint(t, &n) < 0) return -1;
  if (n > t->len - t->pos) return bad_item(t, "a text runs past the end of the block");
  e->text = (const char *)t->block + t->pos;
  e->textlen = (size_t)n;
  t->pos += (uint32_t)n;
  return 0;
}

int ms_trace_next(ms_Trace *t, ms_TraceEvent *e) {
  if (t->err[0]) return -1;
again:
  if (t->items_left == 0) {
    if (t->pos != t->len) return bad_item(t, "bytes left over after the block's last item");
    int r = read_block(t);
    if (r <= 0) return r;
  }
  if (t->pos >= t->len) return bad_item(t, "the block ends before its items do");
  memset(e, 0, sizeof *e);
  e->seq = t->seq;
  e->offset = t->block_offset;
  e->allocated_blocks = -1;
  uint8_t tag = t->block[t->pos++];
  int r = 0;
  if (tag < 0x20) {
    e->kind = MS_TR_ALLOC;
    e->domain = tag & 3;
    e->op = (tag >> 2) & 3;
    e->nested = (tag & TRF_NESTED) != 0;
    if (e->op != TRF_FREE) r |= get_varint(t, &e->size);
    if (e->op == TRF_REALLOC) r |= get_addr(t, &e->old);
    if (r == 0) r |= get_addr(t, &e->addr);
    if (r == 0 && e->domain == TRF_ARENA && (e->op == TRF_CALLOC || e->op == TRF_REALLOC))
      return bad_item(t, "an arena can only be allocated or freed");
    if (r == 0 && e->addr == 0) return bad_item(t, "an event at address 0");
  } else if (tag == TRF_TAG_MARK) {
    e->kind = MS_TR_MARK;
    r = get_text(t, e);
  } else if (tag == TRF_TAG_GC) {
    e->kind = MS_TR_GC;
    r = get_varint(t, &e->generation);
    if (r == 0) r = get_varint(t, &e->collected);
    if (r == 0) r = get_varint(t, &e->uncollectable);
    if (r == 0) r = get_varint(t, &e->duration_ns);
    if (r == 0 && e->generation > 2) return bad_item(t, "a collection of generation above 2");
  } else if (tag == TRF_TAG_INFO) {
    r = get_text(t, e);                       /* facts for people: skipped */
    e->kind = MS_TR_MARK;
    e->text = NULL;
    e->textlen = 0;
    if (r == 0) {
      t->seq++;
      t->items_left--;
      goto again;
    }
  } else if (tag == TRF_TAG_END) {
    uint64_t blocks;
    e->kind = MS_TR_END;
    r = get_varint(t, &blocks);
    if (r == 0) r = get_varint(t, &e->program_ns);
    if (r == 0) r = get_text(t, e);
    e->allocated_blocks = blocks == 0 || blocks > INT64_MAX ? -1 : (int64_t)(blocks - 1);
    if (r == 0) t->ended = 1;
  } else {
    char what[64];
    snprintf(what, sizeof what, "unknown tag 0x%02x", tag);
    return bad_item(t, what);
  }
  if (r < 0) return -1;
  t->seq++;
  t->items_left--;
  if (e->kind == MS_TR_END && (t->items_left != 0 || t->pos != t->len))
    return bad_item(t, "items after the end record");
  return 1;
}

/*
** The items of a freshly opened trace, counted from the block headers
** alone (the payloads are skipped, not checked: the replay checks them),
** and whether the last block ends with the end record.  The trace is
** left where it was, at its first block.
*/
int ms_trace_scan(ms_Trace *t, uint64_t *items, int *ended) {
  *items = 0;
  *ended = 0;
  if (t->seq != 0 || t->items_left != 0) return fail(t, "ms_trace_scan: the trace was read already");
  uint64_t start = t->offset, last = 0, at = start;
  uint8_t h[TRF_BLOCK_HEADER];
  for (;;) {
    if (fseek(t->f, (long)at, SEEK_SET) != 0) break;
    size_t got = fread(h, 1, sizeof h, t->f);
    if (got == 0) break;
    uint32_t len = trf_get_u32(h), n = trf_get_u32(h + 4);
    if (got < sizeof h || len == 0 || len > TRF_BLOCK_MAX || n == 0 || at + sizeof h + len > t->size)
      break;                               /* the replay will say what is wrong here */
    *items += n;
    last = at;
    at += sizeof h + len;
  }
  if (last != 0 && fseek(t->f, (long)last, SEEK_SET) == 0) {
    t->offset = last;
    ms_TraceEvent e;
    int k;
    while ((k = ms_trace_next(t, &e)) == 1)
      if (e.kind == MS_TR_END) *ended = 1;
  }
  /* back to the first block, as opened */
  t->err[0] = '\0';
  t->offset = start;
  t->seq = 0;
  t->items_left = 0;
  t->len = t->pos = 0;
  t->ended = 0;
  return fseek(t->f, (long)start, SEEK_SET) == 0 ? 0 : fail(t, "cannot seek in the trace");
}
