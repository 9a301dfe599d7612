/*
** lmemsim.h: the whole boundary between C and Lua, seen from C.
**
** Only the binding includes lua.h: lmemsim.c, and llab.c for the
** allocator lab's driver, whose functions it registers.  The command line (main.c) hands it
** parsed options; it loads the runner (runner.lua, built into the
** program) and the user's script, and returns the exit status.
*/
#ifndef MEMSIM_LMEMSIM_H
#define MEMSIM_LMEMSIM_H

#define MEMSIM_VERSION "0.1.0"

typedef struct ms_RunOptions {
  const char *command;      /* "run", "list" */
  const char *script;       /* run: the .lua file; list: the directory */
  const char *out;          /* --out DIR, or NULL for results/<name> */
  const char *format;       /* png, svg, pdf, none */
  long long seed;           /* --seed N (default 1) */
  int quiet;                /* --quiet */
  int help;                 /* run FILE --help */
  int check;                /* --check: invariant checker after every call */
  long long explain;        /* --explain[=N]: lines of step mode per simulator, 0 off */
  double timeout;           /* --timeout SECONDS of wall time, 0: none */
  int sandbox;              /* --sandbox: no os.execute, io.popen, writes outside --out */
  int answers;              /* --answers: also write answers.md, the teacher's, filled in */
  unsigned long long memory_limit; /* --memory-limit: default for memsim.new, 0 none */
  unsigned long long host_memory_limit; /* --host-memory-limit: Lua and the simulators' own memory */
  const char *profile;      /* --profile NAME for every run, or NULL: the experiment's */
  const char *allocator;    /* --allocator pymalloc|malloc, or NULL */
  const char *workdir;      /* run: where the child writes (the supervisor's work directory) */
  int manifest_fd;          /* run: the pipe to the supervisor, or -1 */
  int jobs;                 /* --jobs N: processes for a sweep's runs (0: one per core) */
  int list_points;          /* --points: list the sweep's points and stop */
  long long point;          /* --point K: run point K alone, into a part (0: all) */
  int worker_k, worker_n;   /* one of --jobs' processes: every n-th run from the k-th (n 0: not one) */
  const char *const *merge_dirs; /* memsim merge, or the end of --jobs: the parts' folders */
  int nmerge;
  const char *const *names; /* --NAME=VALUE options for the experiment */
  const char *const *values;
  int nopts;
} ms_RunOptions;

/* The script memsim replay runs: replay.lua, built into the program. */
#define MS_BUILTIN_REPLAY "memsim:replay.lua"
/* The script memsim lab allocator runs: lab.lua, built in. */
#define MS_BUILTIN_LAB "memsim:lab.lua"

/* The default of --host-memory-limit: 2 GiB. */
#define MS_HOST_MEMORY_DEFAULT (2ULL << 30)

/* Run the runner on O; returns the exit status (0, 1 script error, 2 usage). */
int ms_lua_main(const ms_RunOptions *o);

#endif
