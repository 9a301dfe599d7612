/*
** supervise.h: `memsim run`, with the script in a child process.
**
**   memsim (parent, trusted)                 child (runs the script)
**   -------------------------                -----------------------
**   makes the work directory  ------fork---> own process group, dies with
**   beside the destination                   the parent; under --sandbox:
**                                            Landlock + seccomp (sandbox.h)
**   reads the manifest pipe   <--records---  the runner: data files into
**   (plot specs as data)                     the work directory
**   kills the whole group at --timeout,
**   Ctrl-C, SIGTERM, SIGHUP
**   writes every .gp from the specs (each
**   string escaped), runs gnuplot with a
**   time limit
**   moves the work directory over the
**   destination in one rename
**
** Why a child: a limit the script's own process enforces can be caught
** (pcall), lifted (debug.sethook) or never reached (a long C loop, a
** blocking open).  The parent's limits are none of these.  Why the .gp
** files are the parent's: a sandboxed script may write files in its work
** directory, so nothing there is ever run as gnuplot commands; the specs
** come over a pipe and are only data.
**
** The manifest: one record a line, fields separated by tabs, with \\, \t
** and \n escaped (see MS_REC_* in supervise.c).
*/
#ifndef MEMSIM_SUPERVISE_H
#define MEMSIM_SUPERVISE_H

#include "lmemsim.h"

/* Seconds a child has, after a soft stop (the time limit, Ctrl-C), to say
   where the script was before it is killed. */
#define MS_GRACE_SECONDS 2.0

/* Run O as `memsim run` does; returns the exit status. */
int ms_run_supervised(ms_RunOptions *o);

#endif
