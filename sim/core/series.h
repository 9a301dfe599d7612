/*
** series.h: the time series a simulator samples as it runs.
**
** A row is taken every `every` events (allocations, frees, collections)
** and whenever the simulated clock passed `every_ns` since the last row,
** plus on request (ms_series_sample, with a label).  When the rows reach
** MS_SERIES_MAX, every other unlabelled row is dropped and both intervals
** double: a run of 10^8 events still keeps under MS_SERIES_MAX rows, and
** the rows stay evenly spread.  Every field of a row is a counter the
** simulator keeps anyway: taking a row costs O(1).
*/
#ifndef MEMSIM_SERIES_H
#define MEMSIM_SERIES_H

#include <stdint.h>

#define MS_SERIES_MAX 4000

typedef struct ms_Row {
  uint64_t t_ns;          /* simulated time */
  uint64_t events;        /* allocations + frees + collections so far */
  uint64_t live;          /* bytes requested by live objects and mallocs */
  uint64_t arena;         /* arenas * ARENA_SIZE */
  uint64_t mapped;        /* every byte mapped: arenas, raw heap, raw maps */
  uint64_t rss;           /* resident pages */
  uint64_t raw;           /* raw allocator: chunks in use and direct maps */
  uint64_t objects;       /* live objects */
  uint32_t gc[3];         /* collections of each generation so far */
  uint32_t pools_used;    /* pymalloc pools with blocks in use and free ones */
  uint32_t pools_full;    /* pools with every block in use */
  uint32_t pools_empty;   /* pools of the arenas with no block in use */
  int32_t label;          /* index into the labels, -1 for an automatic row */
} ms_Row;

typedef struct ms_Series {
  ms_Row *rows;
  uint32_t nrows, cap;
  uint64_t every, next_event;     /* event interval and the next row's event */
  uint64_t every_ns, next_ns;     /* time interval and the next row's time */
  char **labels;
  uint32_t nlabels;
} ms_Series;

typedef struct ms_Sim ms_Sim;

/* Start sampling S (again): rows cleared, intervals reset. */
void ms_series_start(ms_Sim *s);
/* Take a row now; LABEL may be NULL. */
void ms_series_sample(ms_Sim *s, const char *label);
const ms_Series *ms_series(const ms_Sim *s);

#endif
