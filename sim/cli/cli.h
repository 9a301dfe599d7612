/*
** cli.h: the command line, parsed into what to do.  Kept apart from
** main() so that the parser can be tested and fuzzed on its own.
*/
#ifndef MEMSIM_CLI_H
#define MEMSIM_CLI_H

#include <stddef.h>

#include "lmemsim.h"

typedef enum ms_Action {
  MS_ACT_USAGE,      /* a usage error: err says what */
  MS_ACT_HELP,
  MS_ACT_VERSION,
  MS_ACT_RUN,
  MS_ACT_LIST,
  MS_ACT_PLOT,
  MS_ACT_VALIDATE,
  MS_ACT_ANSWERS,
  MS_ACT_RECORD,     /* memsim record: record.c parses its own arguments */
  MS_ACT_REPLAY,     /* memsim replay: run holds the built-in replay experiment */
  MS_ACT_LAB,        /* memsim lab allocator: run holds the built-in lab experiment */
  MS_ACT_QUIZ,       /* memsim quiz: run.command is "quiz", the quiz's options below */
  MS_ACT_MERGE       /* memsim merge DIR...: run holds the parts' folders */
} ms_Action;

typedef struct ms_Cli {
  ms_Action action;
  ms_RunOptions run;        /* run and list */
  const char *dir;          /* plot: the directory */
  const char *format;       /* plot: --format, or NULL for each script's own */
  const char *help_of;      /* MS_ACT_HELP: the subcommand asked about, or NULL */
  const char *experiment;   /* answers: the experiment's name, or NULL to list them */
  const char *trace;        /* replay: the trace */
  int verify;               /* replay --verify */
  int first_extra;          /* validate: argv index of the workload names */
  const char *lab_alloc;    /* lab: the allocator module */
  const char *traces[16];   /* lab: --trace FILE, in order */
  int ntraces;
  char *joined;             /* lab: the traces as one comma list (owned) */
  char heap_mib[24];        /* lab: --heap in MiB, or "" */
  char err[512];            /* MS_ACT_USAGE: the message */
  const char **names, **values;
  char **owned;
} ms_Cli;

/* The most processes memsim run --jobs starts. */
#define MS_MAX_JOBS 256

/* The most traces memsim lab allocator replays at once. */
#define MS_LAB_MAX_TRACES 16

/* Parse ARGV; never fails otherwise than with MS_ACT_USAGE. */
void ms_cli_parse(ms_Cli *cli, int argc, char **argv);
void ms_cli_free(ms_Cli *cli);

/* NAME (N bytes) is a flag of memsim run (sandbox, seed, out, ...). */
int ms_is_run_flag(const char *name, size_t n);

/* "64M", "1G", "1048576": bytes, or 0 when the text is not a size. */
unsigned long long ms_parse_size(const char *text);

#endif
