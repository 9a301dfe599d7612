/*
** fuzz_trace.c: random bytes as a trace.  The reader must refuse or read
** them without a crash, and whatever it reads is replayed into a
** simulator whose invariants must hold after every item.  Inputs start
** from a valid header so that the fuzzer reaches the blocks quickly; the
** seeds in tests/fuzz/trace-seeds are traces make_traces.py writes.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "labtrace.h"
#include "trace.h"

/*
** A lab trace read from the same bytes (as text, and through the reader
** when they are a recorded trace): refused with "LINE: ..." or read into
** requests whose slots are in range, every free and realloc of a block
** allocated before it.
*/
static void lab_trace_ok(const ms_LabTrace *t, const char *err, int rc) {
  if (rc != 0) {
    if (err[0] < '0' || err[0] > '9') {
      fprintf(stderr, "a lab trace error without its line: %s\n", err);
      abort();
    }
    return;
  }
  uint8_t *live = calloc(t->nslots ? t->nslots : 1, 1);
  for (uint64_t i = 0; i < t->nops; i++) {
    const ms_LabOp *o = &t->ops[i];
    int alloc = o->kind == 'a' || o->kind == 'c';
    if (o->slot >= t->nslots || alloc == (live[o->slot] != 0) || (o->kind != 'f' && o->size == 0)) {
      fprintf(stderr, "lab trace request %llu (%c, slot %u) is not consistent\n", (unsigned long long)i,
              o->kind, o->slot);
      abort();
    }
    live[o->slot] = o->kind != 'f';
  }
  free(live);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  {
    ms_LabTrace lt;
    char lerr[300];
    int rc = ms_labtrace_parse(&lt, (const char *)data, size, lerr, sizeof lerr);
    lab_trace_ok(&lt, lerr, rc);
    ms_labtrace_free(&lt);
  }
  static char path[64];
  if (path[0] == '\0') snprintf(path, sizeof path, "/tmp/fuzz-trace-%d", (int)getpid());
  FILE *f = fopen(path, "wb");
  if (f == NULL) return 0;
  fwrite(data, 1, size, f);
  fclose(f);
  char err[600];
  ms_Trace *t = ms_trace_open(path, err, sizeof err);
  if (t == NULL) return 0;
  {
    ms_LabTrace lt;
    char lerr[700];
    int rc = ms_labtrace_from_recorded(&lt, t, lerr, sizeof lerr);
    if (rc == 0) lab_trace_ok(&lt, lerr, rc);
    ms_labtrace_free(&lt);
    ms_trace_close(t);
    t = ms_trace_open(path, err, sizeof err);
    if (t == NULL) return 0;
  }
  uint64_t items;
  int ended;
  ms_trace_scan(t, &items, &ended);
  ms_Config c;
  ms_config_default(&c);
  c.memory_limit = 64u << 20;
  ms_Sim *s = ms_sim_new(&c, err, sizeof err);
  ms_Replay *r = ms_replay_new(s);
  ms_TraceEvent e;
  int k, n = 0;
  while ((k = ms_trace_next(t, &e)) == 1 && n++ < 100000) {
    if (ms_replay_apply(r, &e) < 0) break;          /* MemoryError: the limit */
    if (!ms_sim_is_valid(s)) {
      fprintf(stderr, "invariant broken after item %llu: %s\n", (unsigned long long)e.seq, ms_sim_error(s));
      abort();
    }
    if (e.kind == MS_TR_END) {
      char out[4096];
      ms_replay_verify(s, &e, out, sizeof out);
    }
  }
  if (k < 0 && strstr(ms_trace_error(t), "byte") == NULL) {
    fprintf(stderr, "an error without its byte offset: %s\n", ms_trace_error(t));
    abort();
  }
  ms_replay_free(r);
  ms_sim_free(s);
  ms_trace_close(t);
  return 0;
}
