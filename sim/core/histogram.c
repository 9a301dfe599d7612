/*
** histogram.c: see histogram.h.
*/
#include "histogram.h"

static unsigned bucket_of(uint64_t v) {
  if (v < 16) return (unsigned)v;
  unsigned e = 63u - (unsigned)__builtin_clzll(v);
  return 16 + (e - 4) * HIST_SUB + (unsigned)((v >> (e - 4)) & (HIST_SUB - 1));
}

uint64_t hist_bucket_upper(unsigned b) {
  if (b < 16) return b;
  unsigned e = (b - 16) / HIST_SUB + 4, sub = (b - 16) % HIST_SUB;
  return ((uint64_t)(HIST_SUB + sub + 1) << (e - 4)) - 1;
}

void hist_record(ms_Histogram *h, uint64_t v) {
  h->count++;
  h->sum += v;
  if (v > h->max) h->max = v;
  h->bucket[bucket_of(v)]++;
}

uint64_t hist_percentile(const ms_Histogram *h, double q) {
  if (h->count == 0) return 0;
  uint64_t rank = (uint64_t)(q * (double)h->count + 0.5);
  if (rank < 1) rank = 1;
  if (rank > h->count) rank = h->count;
  uint64_t seen = 0;
  for (unsigned b = 0; b < HIST_BUCKETS; b++) {
    seen += h->bucket[b];
    if (seen >= rank) {
      uint64_t up = hist_bucket_upper(b);
      return up < h->max ? up : h->max;
    }
  }
  return h->max;
}
