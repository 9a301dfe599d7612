/*
** util.h: small helpers shared by every module of the core.
*/
#ifndef MEMSIM_UTIL_H
#define MEMSIM_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* The "no such thing" value of 32-bit indices (pool ids, object ids). */
#define MS_NIL UINT32_MAX

/*
** Host allocation that cannot fail: on exhaustion of the real machine the
** process prints a message and exits.  The simulated heap never uses these
** to model anything; they hold the simulator's own bookkeeping.
*/
void *ms_xmalloc(size_t n);
/* Free what the functions here allocated (it is counted). */
void ms_xfree(void *p);
/* Host bytes held by the core now (malloc's usable sizes): the binding
   holds them against --host-memory-limit. */
size_t ms_host_bytes(void);
void *ms_xcalloc(size_t count, size_t size);
void *ms_xrealloc(void *p, size_t n);
char *ms_xstrdup(const char *s);

/* Grow a large array from OLDN to N bytes (see util.c for why it is a
   plain realloc). */
void *ms_xgrow(void *p, size_t oldn, size_t n);

#endif
