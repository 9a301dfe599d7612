/*
** sandbox.h: the operating system's half of --sandbox.
**
** The script runs in a child process (supervise.h).  Under --sandbox that
** child, before it loads a line of the script, gives up for good:
**   - new privileges (PR_SET_NO_NEW_PRIVS), core dumps;
**   - with Landlock (Linux 5.13 and later): writing, creating, removing
**     or linking files anywhere but beneath its work directory, running
**     any program, TCP, and (Landlock ABI 6) signalling processes or
**     reaching abstract sockets outside itself;
**   - with seccomp: execve, fork and clone, ptrace, sockets, io_uring,
**     namespaces, mounts, BPF, kernel keys and modules, and signals to
**     any process but itself;
**   - file sizes past MS_SANDBOX_FILE_LIMIT.
** The Lua sandbox (runner.lua) is the first wall; this is the second, so
** that a hole in the first is still no way out.
*/
#ifndef MEMSIM_SANDBOX_H
#define MEMSIM_SANDBOX_H

#include <stddef.h>

#define MS_SANDBOX_FILE_LIMIT (1ULL << 30)

/*
** Confine this process; WORKDIR (when not NULL) stays writable.  Returns 0 when every
** layer is in place, 1 when Landlock is missing from the kernel (NOTE
** says so; seccomp still holds), -1 on failure with NOTE.
*/
int ms_sandbox_enter(const char *workdir, char *note, size_t notelen);

#endif
