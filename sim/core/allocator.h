/*
** allocator.h: an allocator is a table of methods over simulated addresses.
**
** Two backends implement it, each exporting one constructor:
**   pymalloc_new()  CPython's small-object allocator (pymalloc.c), which
**                   hands requests of 0 or more than 512 bytes to the raw
**                   allocator it was given;
**   rawmalloc_new() the C library's malloc as a simple heap (rawmalloc.c),
**                   used behind pymalloc and alone for PYTHONMALLOC=malloc.
**
**   +-------------------------------------------+
**   |  objects (object.c): int, list, dict ...  |
**   +-------------------------------------------+
**   |  pymalloc: size classes, pools, arenas    |  <= 512 bytes
**   +-------------------------------------------+
**   |  raw allocator: heap with boundary tags   |  0 or > 512 bytes
**   +-------------------------------------------+
**   |  address space: mmap, munmap, brk (space) |
**   +-------------------------------------------+
**
** Addresses are uint64_t; 0 is NULL.  A method that cannot get memory
** (the simulated limit) returns 0 and changes nothing.
*/
#ifndef MEMSIM_ALLOCATOR_H
#define MEMSIM_ALLOCATOR_H

#include <stddef.h>
#include <stdint.h>

#include "profile.h"
#include "space.h"

/*
** What every allocator is handed: the address space it maps from, the
** clock it charges and the costs it charges by.
*/
typedef struct ms_AllocEnv {
  ms_Space *space;
  uint64_t *now;            /* simulated nanoseconds */
  const ms_Profile *prof;
} ms_AllocEnv;

typedef struct ms_AllocatorMethods {
  const char *name;
  uint64_t (*malloc)(void *self, size_t n);
  uint64_t (*realloc)(void *self, uint64_t p, size_t n);
  void (*free)(void *self, uint64_t p);
  size_t (*usable_size)(void *self, uint64_t p);   /* size of p's block */
  int (*is_valid)(void *self);                     /* invariant checker */
  void (*destroy)(void *self);
} ms_AllocatorMethods;

typedef struct ms_Allocator {
  const ms_AllocatorMethods *m;
  void *self;
} ms_Allocator;

ms_Allocator rawmalloc_new(ms_AllocEnv env);
ms_Allocator pymalloc_new(ms_AllocEnv env, ms_Allocator raw);

#endif
