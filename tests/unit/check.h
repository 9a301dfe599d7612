/*
** check.h: the few macros the core's unit tests need.
**
** CHECK(cond) and CHECK_EQ(a, b) record a failure with file and line and
** go on; VALID(s) runs the invariant checker.  Each test program ends
** with CHECK_DONE(), which prints "N passed, N failed" and returns the
** exit status ctest reads.
*/
#ifndef MEMSIM_TEST_CHECK_H
#define MEMSIM_TEST_CHECK_H

#include <inttypes.h>
#include <stdio.h>

#include "sim.h"

static int check_passed, check_failed;

#define CHECK(cond)                                                    \
  do {                                                                 \
    if (cond) check_passed++;                                          \
    else {                                                             \
      check_failed++;                                                  \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                  \
  } while (0)

#define CHECK_EQ(a, b)                                                 \
  do {                                                                 \
    long long check_a_ = (long long)(a), check_b_ = (long long)(b);    \
    if (check_a_ == check_b_) check_passed++;                          \
    else {                                                             \
      check_failed++;                                                  \
      fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", __FILE__, __LINE__, \
              #a, #b, check_a_, check_b_);                             \
    }                                                                  \
  } while (0)

#define VALID(s)                                                       \
  do {                                                                 \
    if (ms_sim_is_valid(s)) check_passed++;                            \
    else {                                                             \
      check_failed++;                                                  \
      fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, ms_sim_error(s)); \
    }                                                                  \
  } while (0)

#define CHECK_DONE()                                                   \
  do {                                                                 \
    printf("%d passed, %d failed\n", check_passed, check_failed);      \
    return check_failed ? 1 : 0;                                       \
  } while (0)

/* A fresh simulator with the defaults (pymalloc, 3.11, GC on). */
static inline ms_Sim *new_sim(void) {
  char err[200];
  ms_Sim *s = ms_sim_new(NULL, err, sizeof err);
  if (s == NULL) fprintf(stderr, "ms_sim_new: %s\n", err);
  return s;
}

static inline ms_Sim *new_sim_with(const char *allocator, int gc) {
  ms_Config c;
  char err[200];
  ms_config_default(&c);
  c.allocator = allocator;
  c.gc_enabled = gc;
  return ms_sim_new(&c, err, sizeof err);
}

#endif
