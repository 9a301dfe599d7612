/*
** addrmap.c: see addrmap.h.
*/
#include <stdlib.h>

#include "addrmap.h"
#include "util.h"

void addrmap_init(ms_AddrMap *m) {
  *m = (ms_AddrMap){0};
  m->last_page = UINT64_MAX;
}

void addrmap_free(ms_AddrMap *m) {
  for (uint64_t i = 0; i < m->pages.cap; i++)
    if (m->pages.slots[i].key) ms_xfree((void *)(uintptr_t)m->pages.slots[i].val);
  u64map_free(&m->pages);
  u64map_free(&m->odd);
  addrmap_init(m);
}

/* the node of page P; with CREATE, made when missing */
static ms_AddrNode *node_of(ms_AddrMap *m, uint64_t p, int create) {
  if (p == m->last_page) return m->last_node;
  int found;
  uint64_t v = u64map_get(&m->pages, p + 1, &found);       /* keys are nonzero */
  ms_AddrNode *nd = (ms_AddrNode *)(uintptr_t)v;
  if (!found) {
    if (!create) return NULL;
    nd = ms_xcalloc(1, sizeof *nd);
    u64map_put(&m->pages, p + 1, (uint64_t)(uintptr_t)nd);
  }
  m->last_page = p;
  m->last_node = nd;
  return nd;
}

int addrmap_swap(ms_AddrMap *m, uint64_t a, uint64_t v, uint64_t *old) {
  if (a & 15) {
    int was = u64map_swap(&m->odd, a, v, old);
    m->n += !was;
    return was;
  }
  ms_AddrNode *nd = node_of(m, a >> 12, 1);
  uint64_t *w = &nd->w[(a >> 4) & 255];
  int was = *w != 0;
  if (was) *old = *w;
  else {
    nd->used++;
    m->n++;
  }
  *w = v;
  return was;
}

int addrmap_take(ms_AddrMap *m, uint64_t a, uint64_t *v) {
  if (a & 15) {
    int was = u64map_take(&m->odd, a, v);
    m->n -= (uint64_t)was;
    return was;
  }
  ms_AddrNode *nd = node_of(m, a >> 12, 0);
  if (nd == NULL) return 0;
  uint64_t *w = &nd->w[(a >> 4) & 255];
  if (*w == 0) return 0;
  *v = *w;
  *w = 0;
  m->n--;
  if (--nd->used == 0) {                   /* an empty page gives its node back */
    u64map_take(&m->pages, (a >> 12) + 1, NULL);
    ms_xfree(nd);
    if (m->last_node == nd) m->last_page = UINT64_MAX;
  }
  return 1;
}
