/*
** llab.h: the allocator lab's driver, registered into the memsim table
** (memsim.lab_trace, memsim.lab_run, memsim.lab_compare; see llab.c).
*/
#ifndef MEMSIM_LLAB_H
#define MEMSIM_LLAB_H

#include "lua.h"

/* Set the lab's functions into the table on the top of L's stack. */
void ms_lab_register(lua_State *L);

#endif
