/*
** series.c: see series.h.
*/
#include <stdlib.h>
#include <string.h>

#include "series.h"
#include "simimpl.h"

/* keep every other row, and every labelled one unless ALL is set */
static void thin(ms_Series *se, int all) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < se->nrows; i++)
    if ((!all && se->rows[i].label >= 0) || i % 2 == 0) se->rows[n++] = se->rows[i];
  se->nrows = n;
}

/* drop the labels no row names any more, renumbering the rows'; KEEP
   (a label about to be used, or -1) stays: its new index is returned */
static int32_t compact_labels(ms_Series *se, int32_t keep) {
  int32_t *map = ms_xmalloc((se->nlabels ? se->nlabels : 1) * sizeof(int32_t));
  for (uint32_t i = 0; i < se->nlabels; i++) map[i] = -1;
  for (uint32_t i = 0; i < se->nrows; i++)
    if (se->rows[i].label >= 0) map[se->rows[i].label] = 0;
  if (keep >= 0) map[keep] = 0;
  uint32_t n = 0;
  for (uint32_t i = 0; i < se->nlabels; i++) {
    if (map[i] < 0) {
      ms_xfree(se->labels[i]);
    } else {
      map[i] = (int32_t)n;
      se->labels[n++] = se->labels[i];
    }
  }
  for (uint32_t i = 0; i < se->nrows; i++)
    if (se->rows[i].label >= 0) se->rows[i].label = map[se->rows[i].label];
  se->nlabels = n;
  int32_t kept = keep >= 0 ? map[keep] : -1;
  ms_xfree(map);
  return kept;
}

static void take(ms_Sim *s, int32_t label) {
  ms_Series *se = &s->series;
  if (se->nrows == MS_SERIES_MAX) {       /* thin out: keep every other */
    thin(se, 0);
    if (se->nrows == MS_SERIES_MAX) thin(se, 1);   /* labelled rows alone fill it */
    label = compact_labels(se, label);
    se->every *= 2;
    se->every_ns *= 2;
  }
  if (se->nrows == se->cap) {
    se->cap = se->cap ? 2 * se->cap : 256;
    if (se->cap > MS_SERIES_MAX) se->cap = MS_SERIES_MAX;
    se->rows = ms_xrealloc(se->rows, se->cap * sizeof(ms_Row));
  }
  ms_Row *r = &se->rows[se->nrows++];
  r->t_ns = s->now;
  r->events = s->events;
  r->live = s->req_bytes;
  r->arena = s->pym ? s->pym->st.arenas_current * s->prof->arena_size : 0;
  r->raw = rawmalloc_stats(s->raw)->in_use_bytes + rawmalloc_stats(s->raw)->mmapped_bytes;
  r->mapped = s->space.mapped_bytes + (s->space.brk - MS_HEAP_BASE);
  r->rss = s->space.rss_bytes;
  r->objects = s->nlive;
  for (int g = 0; g < 3; g++) r->gc[g] = (uint32_t)s->gc_stats[g].collections;
  if (s->pym) {
    const pym_Stats *st = &s->pym->st;
    r->pools_used = (uint32_t)(st->pools_in_use - st->pools_full);
    r->pools_full = (uint32_t)st->pools_full;
    r->pools_empty = (uint32_t)(st->pools_total - st->pools_in_use);
  } else {
    r->pools_used = r->pools_full = r->pools_empty = 0;
  }
  r->label = label;
  se->next_event = s->events + se->every;
  se->next_ns = s->now + se->every_ns;
}

void series_tick(ms_Sim *s) {
  if (s->series.every && (s->events >= s->series.next_event || s->now >= s->series.next_ns))
    take(s, -1);
}

void ms_series_start(ms_Sim *s) {
  ms_Series *se = &s->series;
  for (uint32_t i = 0; i < se->nlabels; i++) ms_xfree(se->labels[i]);
  ms_xfree(se->labels);
  ms_xfree(se->rows);
  memset(se, 0, sizeof *se);
  se->every = 1;
  se->every_ns = 1000;
  take(s, -1);
}

void ms_series_sample(ms_Sim *s, const char *label) {
  ms_Series *se = &s->series;
  int32_t li = -1;
  if (label) {
    /* a loop that samples with one label keeps one copy of it */
    if (se->nlabels > 0 && strcmp(se->labels[se->nlabels - 1], label) == 0) {
      li = (int32_t)se->nlabels - 1;
    } else {
      se->labels = ms_xrealloc(se->labels, (se->nlabels + 1) * sizeof(char *));
      se->labels[se->nlabels] = ms_xstrdup(label);
      li = (int32_t)se->nlabels++;
    }
  }
  if (se->every == 0) {                   /* sampling was never started */
    se->every = 1;
    se->every_ns = 1000;
  }
  take(s, li);
}

const ms_Series *ms_series(const ms_Sim *s) { return &s->series; }

void series_free(ms_Sim *s) {
  ms_Series *se = &s->series;
  for (uint32_t i = 0; i < se->nlabels; i++) ms_xfree(se->labels[i]);
  ms_xfree(se->labels);
  ms_xfree(se->rows);
}
