/*
** test_trace.c: the trace reader on every kind of item and on every
** damaged prefix and byte of a trace, and the replay's rules: which
** domain goes where, reallocs, unknown frees, arena placement, mapped
** pages, and --verify's comparison.
*/
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addrmap.h"
#include "check.h"
#include "trace.h"
#include "traceformat.h"

/* ====================================================================
** A writer for the tests: items into one block, blocks into a file
** ==================================================================== */

typedef struct W {
  uint8_t buf[1 << 16];
  size_t len;
  uint8_t pay[TRF_BLOCK_MAX];
  size_t plen;
  uint32_t items;
  uint64_t prev;
  uint32_t crc[256];
} W;

static void w_init(W *w, int version, const char *text) {
  memset(w, 0, sizeof *w);
  trf_crc_table(w->crc);
  memcpy(w->buf, TRF_MAGIC, 8);
  w->buf[8] = (uint8_t)version;
  trf_put_u32(w->buf + 12, (uint32_t)strlen(text));
  memcpy(w->buf + 16, text, strlen(text));
  w->len = 16 + strlen(text);
}

static void w_addr(W *w, uint64_t a) {
  uint8_t *p = trf_put_varint(w->pay + w->plen, trf_zigzag((int64_t)(a - w->prev)));
  w->plen = (size_t)(p - w->pay);
  w->prev = a;
}

static void w_num(W *w, uint64_t v) { w->plen = (size_t)(trf_put_varint(w->pay + w->plen, v) - w->pay); }

static void w_event(W *w, int domain, int op, int nested, uint64_t size, uint64_t old, uint64_t addr) {
  w->pay[w->plen++] = (uint8_t)(TRF_TAG(domain, op) | (nested ? TRF_NESTED : 0));
  if (op != TRF_FREE) w_num(w, size);
  if (op == TRF_REALLOC) w_addr(w, old);
  w_addr(w, addr);
  w->items++;
}

static void w_text(W *w, uint8_t tag, const uint64_t *nums, int n, const char *text) {
  w->pay[w->plen++] = tag;
  for (int i = 0; i < n; i++) w_num(w, nums[i]);
  if (text) {
    w_num(w, strlen(text));
    memcpy(w->pay + w->plen, text, strlen(text));
    w->plen += strlen(text);
  }
  w->items++;
}

static void w_flush(W *w) {
  trf_put_u32(w->buf + w->len, (uint32_t)w->plen);
  trf_put_u32(w->buf + w->len + 4, w->items);
  trf_put_u32(w->buf + w->len + 8, trf_crc32(w->crc, w->pay, w->plen));
  memcpy(w->buf + w->len + 12, w->pay, w->plen);
  w->len += 12 + w->plen;
  w->plen = 0;
  w->items = 0;
  w->prev = 0;
}

static char path[] = "/tmp/memsim-test-trace-XXXXXX";

static void save(const uint8_t *p, size_t n) {
  FILE *f = fopen(path, "wb");
  fwrite(p, 1, n, f);
  fclose(f);
}

/* read the whole trace: 0 at its end, -1 on an error (message in ERR) */
static int read_all(uint64_t *items, char *err, size_t n) {
  ms_Trace *t = ms_trace_open(path, err, n);
  if (t == NULL) return -2;
  ms_TraceEvent e;
  int k;
  *items = 0;
  while ((k = ms_trace_next(t, &e)) == 1) (*items)++;
  if (k < 0) snprintf(err, n, "%s", ms_trace_error(t));
  ms_trace_close(t);
  return k;
}

#define HEADER "recorder=1\npython_version=3.11.7\npage_size=4096\n"

/* ====================================================================
** The reader
** ==================================================================== */

static void round_trip(void) {
  W *w = malloc(sizeof *w);
  w_init(w, 1, HEADER);
  uint64_t big = 0x7ffffffffff0ull;
  w_event(w, TRF_OBJ, TRF_MALLOC, 0, 24, 0, big);
  w_event(w, TRF_MEM, TRF_CALLOC, 0, 1ull << 40, 0, 0x10);              /* a large delta down */
  w_event(w, TRF_RAW, TRF_REALLOC, 1, 700, 0x10, big - 4096);
  w_event(w, TRF_ARENA, TRF_FREE, 1, 1 << 20, 0, 0x7f0000000000ull);
  w_text(w, TRF_TAG_MARK, NULL, 0, "phase one");
  uint64_t gc[4] = {2, 123, 4, 987654321};
  w_text(w, TRF_TAG_GC, gc, 4, NULL);
  w_flush(w);                                                           /* a second block */
  w_text(w, TRF_TAG_INFO, NULL, 0, "hash_seed=0");
  uint64_t end[2] = {41, 5000};
  w_text(w, TRF_TAG_END, end, 2, "stats");
  w_flush(w);
  save(w->buf, w->len);

  char err[300];
  ms_Trace *t = ms_trace_open(path, err, sizeof err);
  CHECK(t != NULL);
  if (t == NULL) return;
  CHECK(strcmp(ms_trace_header(t, "python_version"), "3.11.7") == 0);
  CHECK(ms_trace_header(t, "python") == NULL);
  char prof[32];
  CHECK(ms_trace_profile_name(t, prof, sizeof prof) == 0 && strcmp(prof, "cpython-3.11") == 0);
  ms_TraceEvent e;
  CHECK(ms_trace_next(t, &e) == 1 && e.kind == MS_TR_ALLOC && e.domain == TRF_OBJ && e.op == TRF_MALLOC &&
        !e.nested && e.size == 24 && e.addr == big && e.seq == 0);
  CHECK(ms_trace_next(t, &e) == 1 && e.domain == TRF_MEM && e.op == TRF_CALLOC && e.size == 1ull << 40 &&
        e.addr == 0x10);
  CHECK(ms_trace_next(t, &e) == 1 && e.domain == TRF_RAW && e.op == TRF_REALLOC && e.nested &&
        e.old == 0x10 && e.addr == big - 4096 && e.size == 700);
  CHECK(ms_trace_next(t, &e) == 1 && e.domain == TRF_ARENA && e.op == TRF_FREE && e.addr == 0x7f0000000000ull);
  CHECK(ms_trace_next(t, &e) == 1 && e.kind == MS_TR_MARK && e.textlen == 9 && memcmp(e.text, "phase one", 9) == 0);
  CHECK(ms_trace_next(t, &e) == 1 && e.kind == MS_TR_GC && e.generation == 2 && e.collected == 123 &&
        e.uncollectable == 4 && e.duration_ns == 987654321 && e.seq == 5);
  /* the info record is skipped; the end record is item 7 */
  CHECK(ms_trace_next(t, &e) == 1 && e.kind == MS_TR_END && e.allocated_blocks == 40 && e.program_ns == 5000 &&
        e.textlen == 5 && e.seq == 7);
  CHECK(ms_trace_next(t, &e) == 0);
  CHECK(ms_trace_next(t, &e) == 0);
  ms_trace_close(t);

  /* the scan counts items from block headers and sees the end record */
  t = ms_trace_open(path, err, sizeof err);
  uint64_t items;
  int ended;
  CHECK(t && ms_trace_scan(t, &items, &ended) == 0 && items == 8 && ended == 1);
  CHECK(t && ms_trace_next(t, &e) == 1 && e.seq == 0 && e.addr == big);   /* and rewinds */
  ms_trace_close(t);

  /*
  ** Every prefix of the file is an error naming a byte, never a crash;
  ** every flipped payload byte fails the checksum (or, in a block
  ** header, its lengths); the text of the header is not checked.
  */
  size_t textend = 16 + strlen(HEADER);
  int prefixes_ok = 1, flips_ok = 1;
  for (size_t n = 0; n < w->len; n++) {
    save(w->buf, n);
    int k = read_all(&items, err, sizeof err);
    if (!(k == -2 || (k == -1 && strstr(err, "byte") != NULL))) {
      prefixes_ok = 0;
      fprintf(stderr, "prefix %zu: %d %s\n", n, k, err);
    }
  }
  CHECK(prefixes_ok);
  for (size_t n = textend; n < w->len; n++) {
    for (int bit = 0; bit < 8; bit += 3) {
      w->buf[n] ^= (uint8_t)(1 << bit);
      save(w->buf, w->len);
      int k = read_all(&items, err, sizeof err);
      w->buf[n] ^= (uint8_t)(1 << bit);
      if (k != -1) {
        flips_ok = 0;
        fprintf(stderr, "flip at %zu bit %d: %d\n", n, bit, k);
      }
    }
  }
  CHECK(flips_ok);
  free(w);
}

static void refusals(void) {
  W *w = malloc(sizeof *w);
  char err[300];
  uint64_t items;
  save((const uint8_t *)"#!/bin/sh\n", 10);
  CHECK(read_all(&items, err, sizeof err) == -2 && strstr(err, "not a memsim trace") != NULL);
  w_init(w, 2, HEADER);
  save(w->buf, w->len);
  CHECK(read_all(&items, err, sizeof err) == -2 && strstr(err, "version 2 is newer") != NULL);
  w_init(w, 1, HEADER);
  save(w->buf, w->len);                                         /* no block, no end */
  CHECK(read_all(&items, err, sizeof err) == -1 && strstr(err, "without the end record") != NULL);

  /* well-framed blocks with bad items: each named */
  struct {
    const uint8_t bytes[12];
    size_t n;
    const char *msg;
  } bad[] = {
    {{0x7e}, 1, "unknown tag 0x7e"},
    {{TRF_TAG(TRF_OBJ, TRF_MALLOC), 0x80}, 2, "runs past the end of the block"},
    {{TRF_TAG(TRF_OBJ, TRF_MALLOC), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, 11,
     "longer than 64 bits"},
    {{TRF_TAG(TRF_ARENA, TRF_CALLOC), 1, 2}, 3, "an arena can only be allocated or freed"},
    {{TRF_TAG(TRF_OBJ, TRF_FREE), 0}, 2, "an event at address 0"},
    {{TRF_TAG_GC, 3, 0, 0, 0}, 5, "generation above 2"},
    {{TRF_TAG_MARK, 9, 'a'}, 3, "a text runs past the end of the block"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    w_init(w, 1, HEADER);
    memcpy(w->pay, bad[i].bytes, bad[i].n);
    w->plen = bad[i].n;
    w->items = 1;
    w_flush(w);
    save(w->buf, w->len);
    int k = read_all(&items, err, sizeof err);
    CHECK(k == -1 && strstr(err, bad[i].msg) != NULL && strstr(err, "byte") != NULL);
    if (!(k == -1 && strstr(err, bad[i].msg))) fprintf(stderr, "case %zu: %d %s\n", i, k, err);
  }
  /* an item after the end record, and a block after it */
  w_init(w, 1, HEADER);
  uint64_t end[2] = {0, 0};
  w_text(w, TRF_TAG_END, end, 2, "");
  w_text(w, TRF_TAG_MARK, NULL, 0, "late");
  w_flush(w);
  save(w->buf, w->len);
  CHECK(read_all(&items, err, sizeof err) == -1 && strstr(err, "items after the end record") != NULL);
  w_init(w, 1, HEADER);
  w_text(w, TRF_TAG_END, end, 2, "");
  w_flush(w);
  w_text(w, TRF_TAG_MARK, NULL, 0, "late");
  w_flush(w);
  save(w->buf, w->len);
  CHECK(read_all(&items, err, sizeof err) == -1 && strstr(err, "after the end record") != NULL);
  free(w);
}

/* ====================================================================
** The replay
** ==================================================================== */

static ms_TraceEvent ev(int domain, int op, int nested, uint64_t size, uint64_t old, uint64_t addr) {
  ms_TraceEvent e;
  memset(&e, 0, sizeof e);
  e.kind = MS_TR_ALLOC;
  e.domain = domain;
  e.op = op;
  e.nested = nested;
  e.size = size;
  e.old = old;
  e.addr = addr;
  return e;
}

static void replay_rules(void) {
  ms_Sim *s = new_sim();
  ms_Replay *r = ms_replay_new(s);
  ms_Stats *st = malloc(sizeof *st);
  const uint64_t A = 0x7f0000100000ull;
  ms_TraceEvent e;

  /* the first arena where the kernel put a real one: 16 KiB aligned, 64 pools */
  e = ev(TRF_ARENA, TRF_MALLOC, 1, 1 << 20, 0, A);
  CHECK_EQ(ms_replay_apply(r, &e), 0);
  e = ev(TRF_OBJ, TRF_MALLOC, 0, 30, 0, A + 0x30);
  CHECK_EQ(ms_replay_apply(r, &e), 0);
  ms_stats(s, st);
  CHECK_EQ(st->arenas_current, 1);
  CHECK_EQ(st->alignment, 0);                 /* no pool lost */
  CHECK_EQ(st->cls[1].blocks, 1);
  /* realloc that stays in its class: in place; one that grows: moved */
  e = ev(TRF_OBJ, TRF_REALLOC, 0, 32, A + 0x30, A + 0x30);
  CHECK_EQ(ms_replay_apply(r, &e), 0);
  CHECK_EQ(ms_replay_counts(r)->moved, 0);
  e = ev(TRF_MEM, TRF_REALLOC, 0, 100, A + 0x30, A + 0x4030);
  CHECK_EQ(ms_replay_apply(r, &e), 0);
  ms_stats(s, st);
  CHECK_EQ(st->cls[1].blocks, 0);
  CHECK_EQ(st->cls[6].blocks, 1);
  CHECK_EQ(ms_replay_counts(r)->moved, 0);
  /* the raw domain goes to the raw allocator, whatever the size */
  e = ev(TRF_RAW, TRF_MALLOC, 0, 64, 0, 0x555555600010ull);
  CHECK_EQ(ms_replay_apply(r, &e), 0);
  ms_stats(s, st);
  CHECK(st->raw_in_use > 0);
  CHECK_EQ(st->cls[3].blocks, 0);
  /* nested requests are not applied */
  e = ev(TRF_RAW, TRF_MALLOC, 1, 4096, 0, 0x555555700010ull);
  CHECK_EQ(ms_replay_apply(r, &e), 0);
  CHECK_EQ(ms_replay_counts(r)->nested, 2);
  /* a free of an address the trace never gave out is counted, not fatal */
  e = ev(TRF_OBJ, TRF_FREE, 0, 0, 0, 0x1234560);
  CHECK_EQ(ms_replay_apply(r, &e), 0);
  CHECK_EQ(ms_replay_counts(r)->unknown_frees, 1);
  /* top-level arena requests are pages (3.11's frame stack), not arenas */
  uint64_t mapped0;
  ms_stats(s, st);
  mapped0 = st->mapped;
  e = ev(TRF_ARENA, TRF_MALLOC, 0, 16384, 0, 0x7e0000000000ull);
  CHECK_EQ(ms_replay_apply(r, &e), 0);
  ms_stats(s, st);
  CHECK_EQ(st->mapped, mapped0 + 16384);
  CHECK_EQ(st->arenas_current, 1);
  e = ev(TRF_ARENA, TRF_FREE, 0, 16384, 0, 0x7e0000000000ull);
  CHECK_EQ(ms_replay_apply(r, &e), 0);
  ms_stats(s, st);
  CHECK_EQ(st->mapped, mapped0);
  /* a second arena placed 4 KiB past a pool boundary: it loses a pool */
  int fills_ok = 1;
  for (int i = 0; i < 63 * 31 + 1; i++) {           /* fill 63 pools of 512-byte blocks */
    if (i == 63 * 31) {                             /* the next one needs a second arena */
      e = ev(TRF_ARENA, TRF_MALLOC, 1, 1 << 20, 0, 0x7d0000001000ull);
      fills_ok &= ms_replay_apply(r, &e) == 0;
    }
    e = ev(TRF_OBJ, TRF_MALLOC, 0, 512, 0, 0x7c0000000000ull + (uint64_t)i * 512);
    fills_ok &= ms_replay_apply(r, &e) == 0;
  }
  CHECK(fills_ok);
  ms_stats(s, st);
  CHECK_EQ(st->arenas_current, 2);
  CHECK_EQ(st->alignment, 16384);                   /* the second arena's lost pool */
  VALID(s);

  /* --verify: the real statistics against the simulator's */
  char text[2048], out[4096];
  snprintf(text, sizeof text,
           "class   size   num pools   blocks in use  avail blocks\n"
           "-----   ----   ---------   -------------  ------------\n"
           "    6    112           1               1           144\n"
           "   31    512          %llu            %llu            %llu\n"
           "# arenas allocated total           =                    2\n"
           "# arenas reclaimed                 =                    0\n"
           "# arenas highwater mark            =                    2\n"
           "# arenas allocated current         =                    2\n",
           (unsigned long long)st->cls[31].pools, (unsigned long long)st->cls[31].blocks,
           (unsigned long long)st->cls[31].avail);
  ms_TraceEvent end;
  memset(&end, 0, sizeof end);
  end.kind = MS_TR_END;
  end.text = text;
  end.textlen = strlen(text);
  end.allocated_blocks = (int64_t)st->allocated_blocks;
  CHECK_EQ(ms_replay_verify(s, &end, out, sizeof out), 1);
  CHECK(strncmp(out, "verify: 2/2 size classes equal, arenas equal\n", 46) == 0);
  strstr(text, " 144\n")[3] = '2';                 /* avail 144 -> 142 */
  end.allocated_blocks = 7;
  CHECK_EQ(ms_replay_verify(s, &end, out, sizeof out), 0);
  CHECK(strstr(out, "verify: 1/2 size classes equal, arenas equal") != NULL);
  CHECK(strstr(out, "class  6 (112 B): pools 1, blocks 1, avail 142 in CPython; 1, 1, 144 in memsim") != NULL);
  CHECK(strstr(out, "sys.getallocatedblocks(): 7 in CPython") != NULL);
  end.textlen = 0;                                  /* pymalloc was off: no pools, no arenas */
  CHECK_EQ(ms_replay_verify(s, &end, out, sizeof out), 0);
  CHECK(strstr(out, "size classes equal, arenas differ") != NULL && strncmp(out, "verify: 0/", 10) == 0);
  end.kind = MS_TR_MARK;
  CHECK_EQ(ms_replay_verify(s, &end, out, sizeof out), -1);

  ms_replay_free(r);
  ms_sim_free(s);
  free(st);
}

/* the page-table map: neighbours share a node, odd addresses a hash, empty nodes go */
static void addr_map(void) {
  ms_AddrMap m;
  addrmap_init(&m);
  uint64_t old = 0, v = 0;
  uint64_t base = 0x7f0000004000ull;
  int ok = 1;
  for (uint64_t i = 0; i < 1000; i++) ok &= addrmap_swap(&m, base + 16 * i, i + 1, &old) == 0;
  CHECK(ok);
  CHECK_EQ(m.n, 1000);
  CHECK_EQ(m.pages.n, 4);                               /* 1000 granules: 4 pages */
  CHECK(addrmap_swap(&m, base + 16, 77, &old) == 1 && old == 2);
  CHECK(addrmap_swap(&m, base + 3, 5, &old) == 0);      /* not aligned */
  CHECK(addrmap_take(&m, base + 3, &v) == 1 && v == 5);
  CHECK(addrmap_take(&m, base + 3, &v) == 0);
  CHECK(addrmap_take(&m, 0x100000, &v) == 0);           /* a page never seen */
  ok = 1;
  for (uint64_t i = 0; i < 1000; i++) ok &= addrmap_take(&m, base + 16 * i, &v) == 1;
  CHECK(ok);
  CHECK_EQ(m.n, 0);
  CHECK_EQ(m.pages.n, 0);                               /* every node given back */
  CHECK(addrmap_swap(&m, base, 9, &old) == 0);          /* and made again */
  addrmap_free(&m);
  CHECK_EQ(m.n, 0);
}

int main(void) {
  int fd = mkstemp(path);
  if (fd < 0) return 2;
  close(fd);
  round_trip();
  refusals();
  replay_rules();
  addr_map();
  unlink(path);
  CHECK_DONE();
}
