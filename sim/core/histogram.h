/*
** histogram.h: log-linear histograms of simulated latencies.
**
** A value v (nanoseconds) falls in bucket
**     v < 16                : v itself                 (exact)
**     otherwise, e = floor(log2 v) >= 4: 16 linear sub-buckets of width
**                 2^(e-4) between 2^e and 2^(e+1)
** so every bucket is within 1/16 (6.25%) of its values; percentiles are
** reported as the upper bound of the bucket that holds them (never
** below the true value), max exactly.
*/
#ifndef MEMSIM_HISTOGRAM_H
#define MEMSIM_HISTOGRAM_H

#include <stdint.h>

#define HIST_SUB     16
#define HIST_BUCKETS (16 + 60 * HIST_SUB)

typedef struct ms_Histogram {
  uint64_t count;      /* values recorded */
  uint64_t sum;        /* their sum */
  uint64_t max;        /* the largest */
  uint64_t bucket[HIST_BUCKETS];
} ms_Histogram;

void hist_record(ms_Histogram *h, uint64_t v);
/* The value below which a fraction Q (0..1) of the values lie. */
uint64_t hist_percentile(const ms_Histogram *h, double q);
uint64_t hist_bucket_upper(unsigned b);

#endif
