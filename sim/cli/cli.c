/*
** cli.c: parsing the memsim command line (see cli.h).
*/
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage_error(ms_Cli *c, const char *fmt, ...) {
  if (c->action == MS_ACT_USAGE) return;          /* keep the first message */
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->err, sizeof c->err, fmt, ap);
  va_end(ap);
  c->action = MS_ACT_USAGE;
}

/* the value of "--name VALUE" or "--name=VALUE", or NULL if A is not it */
static const char *flag_value(int argc, char **argv, int *i, const char *name) {
  size_t n = strlen(name);
  if (strncmp(argv[*i], name, n) != 0) return NULL;
  if (argv[*i][n] == '=') return argv[*i] + n + 1;
  if (argv[*i][n] == '\0') {
    if (*i + 1 >= argc) return "";
    return argv[++*i];
  }
  return NULL;
}

unsigned long long ms_parse_size(const char *text) {
  char *end;
  errno = 0;
  double v = strtod(text, &end);
  if (end == text || errno || !(v > 0)) return 0;
  double mult = 1;
  if (*end == 'K' || *end == 'k') mult = 1024, end++;
  else if (*end == 'M' || *end == 'm') mult = 1024.0 * 1024, end++;
  else if (*end == 'G' || *end == 'g') mult = 1024.0 * 1024 * 1024, end++;
  if (*end == 'B' || *end == 'b') end++;
  if (*end != '\0' || v * mult > 1e15) return 0;
  return (unsigned long long)(v * mult);
}

/*
** The flags of `memsim run`.  "--sandbox=yes" must never reach an
** experiment as its option named sandbox: the sandbox would then
** silently be off.
*/
static const char *const run_flags[] = {"help", "quiet", "check", "sandbox", "out", "format",
                                        "seed", "timeout", "memory-limit", "host-memory-limit",
                                        "explain", "profile", "allocator", "answers", "jobs",
                                        "points", "point", NULL};

int ms_is_run_flag(const char *name, size_t n) {
  for (int i = 0; run_flags[i]; i++)
    if (strlen(run_flags[i]) == n && strncmp(run_flags[i], name, n) == 0) return 1;
  return 0;
}

static int is_flag_name(const char *a) { return ms_is_run_flag(a, strcspn(a, "=")); }

/*
** The flags memsim run and memsim replay share: --out, --format,
** --timeout, --profile, --allocator, --quiet.  Returns 1 when argv[*i]
** was one of them (a bad value is a usage error), 0 when not.
*/
static int shared_flag(ms_Cli *c, int argc, char **argv, int *i) {
  ms_RunOptions *o = &c->run;
  const char *a = argv[*i], *v;
  if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
    o->quiet = 1;
  } else if ((v = flag_value(argc, argv, i, "--out")) != NULL) {
    if (*v == '\0') usage_error(c, "--out needs a directory");
    o->out = v;
  } else if ((v = flag_value(argc, argv, i, "--profile")) != NULL) {
    if (*v == '\0' || strlen(v) > 64) usage_error(c, "--profile needs a profile's name (like cpython-3.12)");
    o->profile = v;
  } else if ((v = flag_value(argc, argv, i, "--allocator")) != NULL) {
    if (strcmp(v, "pymalloc") && strcmp(v, "malloc"))
      usage_error(c, "--allocator must be pymalloc or malloc, not '%s'", v);
    o->allocator = v;
  } else if ((v = flag_value(argc, argv, i, "--format")) != NULL) {
    if (strcmp(v, "png") && strcmp(v, "svg") && strcmp(v, "pdf") && strcmp(v, "none"))
      usage_error(c, "--format must be png, svg, pdf or none, not '%s'", v);
    o->format = v;
  } else if ((v = flag_value(argc, argv, i, "--timeout")) != NULL) {
    char *end;
    o->timeout = strtod(v, &end);
    if (*v == '\0' || *end != '\0' || !(o->timeout > 0) || o->timeout > 1e7)
      usage_error(c, "--timeout must be a positive number of seconds, not '%s'", v);
  } else {
    return 0;
  }
  return 1;
}

static void parse_run(ms_Cli *c, int argc, char **argv) {
  ms_RunOptions *o = &c->run;
  for (int i = 2; i < argc && c->action != MS_ACT_USAGE; i++) {
    const char *a = argv[i], *v;
    if (strcmp(a, "-q") == 0) {
      o->quiet = 1;
    } else if (strcmp(a, "-h") == 0) {
      o->help = 1;
    } else if (a[0] != '-' || a[1] != '-') {
      if (o->script) usage_error(c, "unexpected argument '%s' (one script per run)", a);
      else o->script = a;
    } else if (shared_flag(c, argc, argv, &i)) {
      /* --out, --format, --timeout, --profile, --allocator, --quiet */
    } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      o->help = 1;
    } else if (strcmp(a, "--check") == 0) {
      o->check = 1;
    } else if (strcmp(a, "--sandbox") == 0) {
      o->sandbox = 1;
    } else if (strcmp(a, "--answers") == 0) {
      o->answers = 1;
    } else if (strcmp(a, "--explain") == 0) {
      o->explain = 200;
    } else if (strncmp(a, "--explain=", 10) == 0) {
      char *end;
      errno = 0;
      o->explain = strtoll(a + 10, &end, 10);
      if (a[10] == '\0' || *end != '\0' || errno || o->explain < 1 || o->explain > 10000000)
        usage_error(c, "--explain=N takes a number of lines from 1 to 10,000,000, not '%s'", a + 10);
    } else if ((v = flag_value(argc, argv, &i, "--seed")) != NULL) {
      char *end;
      errno = 0;
      o->seed = strtoll(v, &end, 10);
      if (*v == '\0' || *end != '\0' || errno) usage_error(c, "--seed must be an integer, not '%s'", v);
    } else if ((v = flag_value(argc, argv, &i, "--jobs")) != NULL) {
      char *end;
      long k = strtol(v, &end, 10);
      if (*v == '\0' || *end != '\0' || k < 1 || k > MS_MAX_JOBS)
        usage_error(c, "--jobs must be a number of processes from 1 to %d, not '%s'", MS_MAX_JOBS, v);
      o->jobs = (int)k;
    } else if (strcmp(a, "--points") == 0) {
      o->list_points = 1;
    } else if ((v = flag_value(argc, argv, &i, "--point")) != NULL) {
      char *end;
      errno = 0;
      long long k = strtoll(v, &end, 10);
      if (*v == '\0' || *end != '\0' || errno || k < 1 || k > 1000000)
        usage_error(c, "--point must be a point's number (memsim run FILE --points lists them), not '%s'", v);
      o->point = k;
    } else if ((v = flag_value(argc, argv, &i, "--memory-limit")) != NULL) {
      o->memory_limit = ms_parse_size(v);
      if (o->memory_limit < 1048576)
        usage_error(c, "--memory-limit must be a size of at least 1M (like 64M or 2G), not '%s'", v);
    } else if ((v = flag_value(argc, argv, &i, "--host-memory-limit")) != NULL) {
      o->host_memory_limit = ms_parse_size(v);
      if (o->host_memory_limit < (64ULL << 20) || o->host_memory_limit > (1ULL << 40))
        usage_error(c, "--host-memory-limit must be a size from 64M to 1T (like 512M or 4G), not '%s'", v);
    } else if (a[0] == '-' && a[1] == '-' && is_flag_name(a + 2)) {
      usage_error(c, "--%.*s is a flag of memsim run, not an experiment option: write it as in "
                     "memsim run --help", (int)strcspn(a + 2, "="), a + 2);
    } else {
      const char *eq = strchr(a + 2, '=');
      if (eq == NULL || eq == a + 2) {
        usage_error(c, "unknown flag '%s' (experiment options are written --NAME=VALUE)", a);
      } else {
        size_t n = (size_t)(eq - (a + 2));
        c->owned[o->nopts] = strndup(a + 2, n);
        c->names[o->nopts] = c->owned[o->nopts];
        c->values[o->nopts] = eq + 1;
        o->nopts++;
      }
    }
  }
  if (c->action != MS_ACT_USAGE && o->script == NULL)
    usage_error(c, "run needs a script (memsim run FILE.lua)");
  if (c->action != MS_ACT_USAGE && o->point && o->list_points)
    usage_error(c, "--points lists the points, --point K runs one: not both");
  o->names = c->names;
  o->values = c->values;
}

/*
** memsim replay TRACE [--profile NAME] [--allocator A] [--verify] [--out DIR]
**                     [--format F] [--quiet] [--timeout S]
** becomes a run of the built-in replay experiment with --trace=TRACE.
*/
static void parse_replay(ms_Cli *c, int argc, char **argv) {
  ms_RunOptions *o = &c->run;
  o->command = "run";
  o->script = MS_BUILTIN_REPLAY;
  for (int i = 2; i < argc && c->action != MS_ACT_USAGE; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--verify") == 0) {
      c->verify = 1;
    } else if (shared_flag(c, argc, argv, &i)) {
      /* --out, --format, --timeout, --profile, --allocator, --quiet */
    } else if (a[0] != '-') {
      if (c->trace) usage_error(c, "replay takes one trace, not '%s' too", a);
      else c->trace = a;
    } else {
      usage_error(c, "unknown flag '%s' (memsim replay --help lists them)", a);
    }
  }
  if (c->action == MS_ACT_USAGE) return;
  if (c->trace == NULL) {
    usage_error(c, "replay needs a trace (memsim replay TRACE; memsim record writes one)");
    return;
  }
  c->names[0] = "trace";
  c->values[0] = c->trace;
  c->names[1] = "verify";
  c->values[1] = c->verify ? "1" : "0";
  o->nopts = 2;
  o->names = c->names;
  o->values = c->values;
}

/*
** memsim lab allocator FILE.lua [--trace FILE ...] [--heap SIZE] [--out DIR]
**                               [--format F] [--quiet] [--timeout S]
** becomes a run of the built-in lab experiment with --alloc=FILE,
** --traces=A,B,... (main.c fills in the lab's own traces when none is
** given) and --heap=MiB.
*/
static void parse_lab(ms_Cli *c, int argc, char **argv) {
  ms_RunOptions *o = &c->run;
  o->command = "run";
  o->script = MS_BUILTIN_LAB;
  if (argc < 3 || strcmp(argv[2], "allocator") != 0) {
    usage_error(c, "lab takes the lab's name: memsim lab allocator FILE.lua (the one lab there is)");
    return;
  }
  size_t joined_len = 0;
  for (int i = 3; i < argc && c->action != MS_ACT_USAGE; i++) {
    const char *a = argv[i], *v;
    if ((v = flag_value(argc, argv, &i, "--trace")) != NULL) {
      if (*v == '\0') usage_error(c, "--trace needs a trace file");
      else if (strchr(v, ',')) usage_error(c, "--trace %.200s: a trace's path may not hold a comma", v);
      else if (c->ntraces == MS_LAB_MAX_TRACES)
        usage_error(c, "at most %d traces at once", MS_LAB_MAX_TRACES);
      else {
        c->traces[c->ntraces++] = v;
        joined_len += strlen(v) + 1;
      }
    } else if ((v = flag_value(argc, argv, &i, "--heap")) != NULL) {
      unsigned long long n = ms_parse_size(v);
      if (n < (1ULL << 20) || n > (256ULL << 20) || n % (1ULL << 20) != 0)
        usage_error(c, "--heap must be a whole number of MiB from 1M to 256M (like 64M), not '%s'", v);
      else snprintf(c->heap_mib, sizeof c->heap_mib, "%llu", n >> 20);
    } else if (shared_flag(c, argc, argv, &i)) {
      /* --out, --format, --timeout, --quiet (--profile, --allocator: not used) */
    } else if (a[0] != '-') {
      if (c->lab_alloc) usage_error(c, "lab allocator takes one allocator, not '%s' too", a);
      else c->lab_alloc = a;
    } else {
      usage_error(c, "unknown flag '%s' (memsim lab --help lists them)", a);
    }
  }
  if (c->action == MS_ACT_USAGE) return;
  if (c->lab_alloc == NULL) {
    usage_error(c, "lab allocator needs your allocator: memsim lab allocator FILE.lua "
                   "(experiments/allocator_lab/starter.lua is one to start from)");
    return;
  }
  if (o->profile || o->allocator) {
    usage_error(c, "lab allocator compares with CPython 3.11's pymalloc and malloc: no --profile or --allocator");
    return;
  }
  c->joined = malloc(joined_len + 1);
  if (c->joined == NULL) {
    usage_error(c, "out of memory");
    return;
  }
  c->joined[0] = '\0';
  for (int i = 0; i < c->ntraces; i++) {
    if (i) strcat(c->joined, ",");
    strcat(c->joined, c->traces[i]);
  }
}

/*
** memsim merge DIR ... [--out DIR] [--format F] [--quiet] [--timeout S]:
** the parts that memsim run --point K wrote, made into one result set.
*/
static void parse_merge(ms_Cli *c, int argc, char **argv) {
  ms_RunOptions *o = &c->run;
  o->command = "run";
  int n = 0;
  for (int i = 2; i < argc && c->action != MS_ACT_USAGE; i++) {
    const char *a = argv[i], *v;
    if ((v = flag_value(argc, argv, &i, "--out")) != NULL) {
      if (*v == '\0') usage_error(c, "--out needs a directory");
      o->out = v;
    } else if (shared_flag(c, argc, argv, &i)) {
      if (o->profile || o->allocator) usage_error(c, "merge takes the parts' own --profile and --allocator");
    } else if (a[0] == '-') {
      usage_error(c, "unknown flag '%s' (memsim merge --help lists them)", a);
    } else {
      c->names[n++] = a;
    }
  }
  if (c->action == MS_ACT_USAGE) return;
  if (n == 0) {
    usage_error(c, "merge needs the folders memsim run --point K wrote (memsim merge DIR ...)");
    return;
  }
  o->merge_dirs = c->names;
  o->nmerge = n;
  o->script = c->names[0];                 /* for messages, until the parts name their script */
}

/*
** memsim quiz [TOPIC ...] [--seed N] [--count K] [--profile NAME]
**             [-c | --answers] [--format text|md|json] | --list
** The runner's quiz command gets the topics and --count, --format and
** --list as names and values; --seed, --profile and -c as its own.
*/
static void parse_quiz(ms_Cli *c, int argc, char **argv) {
  ms_RunOptions *o = &c->run;
  o->command = "quiz";
  for (int i = 2; i < argc && c->action != MS_ACT_USAGE; i++) {
    const char *a = argv[i], *v;
    if (strcmp(a, "-c") == 0 || strcmp(a, "--answers") == 0) {
      o->answers = 1;
    } else if (strcmp(a, "--list") == 0) {
      c->names[o->nopts] = "list";
      c->values[o->nopts++] = "1";
    } else if ((v = flag_value(argc, argv, &i, "--seed")) != NULL) {
      char *end;
      errno = 0;
      o->seed = strtoll(v, &end, 10);
      if (*v == '\0' || *end != '\0' || errno || o->seed < 0)
        usage_error(c, "--seed must be a whole number of zero or more, not '%s'", v);
    } else if ((v = flag_value(argc, argv, &i, "--count")) != NULL) {
      char *end;
      long k = strtol(v, &end, 10);
      if (*v == '\0' || *end != '\0' || k < 1 || k > 100)
        usage_error(c, "--count must be a number of problems from 1 to 100, not '%s'", v);
      c->names[o->nopts] = "count";
      c->values[o->nopts++] = v;
    } else if ((v = flag_value(argc, argv, &i, "--format")) != NULL) {
      if (strcmp(v, "text") && strcmp(v, "md") && strcmp(v, "json"))
        usage_error(c, "--format must be text, md or json, not '%s'", v);
      c->names[o->nopts] = "format";
      c->values[o->nopts++] = v;
    } else if ((v = flag_value(argc, argv, &i, "--profile")) != NULL) {
      if (*v == '\0' || strlen(v) > 64) usage_error(c, "--profile needs a profile's name (like cpython-3.12)");
      o->profile = v;
    } else if (a[0] == '-') {
      usage_error(c, "unknown flag '%s' (memsim quiz --help lists them)", a);
    } else {
      for (const char *p = a; *p; p++)
        if (!(*p == '_' || (*p >= 'a' && *p <= 'z'))) {
          usage_error(c, "'%.60s' is not a topic (memsim quiz --list lists them)", a);
          break;
        }
      c->names[o->nopts] = "topic";
      c->values[o->nopts++] = a;
    }
  }
  o->names = c->names;
  o->values = c->values;
}

void ms_cli_parse(ms_Cli *c, int argc, char **argv) {
  memset(c, 0, sizeof *c);
  c->run.seed = 1;
  c->run.format = "png";
  c->run.host_memory_limit = MS_HOST_MEMORY_DEFAULT;
  c->run.manifest_fd = -1;
  c->action = MS_ACT_RUN;
  if (argc < 2) {
    usage_error(c, "no command given");
    return;
  }
  const char *cmd = argv[1];
  int asks_help = argc == 3 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0);
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    c->action = MS_ACT_HELP;
    if (argc == 3) c->help_of = argv[2];      /* memsim help run */
  } else if (strcmp(cmd, "--version") == 0) {
    c->action = MS_ACT_VERSION;
  } else if (asks_help && (strcmp(cmd, "run") == 0 || strcmp(cmd, "list") == 0 ||
                           strcmp(cmd, "plot") == 0 || strcmp(cmd, "validate") == 0 ||
                           strcmp(cmd, "answers") == 0 || strcmp(cmd, "replay") == 0 ||
                           strcmp(cmd, "record") == 0 || strcmp(cmd, "lab") == 0 ||
                           strcmp(cmd, "quiz") == 0 || strcmp(cmd, "merge") == 0)) {
    c->action = MS_ACT_HELP;                  /* memsim run --help */
    c->help_of = cmd;
  } else if (strcmp(cmd, "plot") == 0) {
    c->action = MS_ACT_PLOT;
    for (int i = 2; i < argc && c->action == MS_ACT_PLOT; i++) {
      const char *v;
      if ((v = flag_value(argc, argv, &i, "--format")) != NULL) {
        if (strcmp(v, "png") && strcmp(v, "svg") && strcmp(v, "pdf"))
          usage_error(c, "--format must be png, svg or pdf, not '%s'", v);
        c->format = v;
      } else if (argv[i][0] == '-') {
        usage_error(c, "unknown flag '%s' (memsim plot DIR [--format png|svg|pdf])", argv[i]);
      } else if (c->dir) {
        usage_error(c, "plot takes one directory");
      } else {
        c->dir = argv[i];
      }
    }
    if (c->action == MS_ACT_PLOT && c->dir == NULL) usage_error(c, "plot takes one directory");
  } else if (strcmp(cmd, "record") == 0) {
    c->action = MS_ACT_RECORD;
  } else if (strcmp(cmd, "lab") == 0) {
    c->action = MS_ACT_LAB;
    parse_lab(c, argc, argv);
  } else if (strcmp(cmd, "quiz") == 0) {
    c->action = MS_ACT_QUIZ;
    c->names = calloc((size_t)argc, sizeof *c->names);
    c->values = calloc((size_t)argc, sizeof *c->values);
    if (c->names == NULL || c->values == NULL) {
      usage_error(c, "out of memory");
      return;
    }
    parse_quiz(c, argc, argv);
  } else if (strcmp(cmd, "merge") == 0) {
    c->action = MS_ACT_MERGE;
    c->names = calloc((size_t)argc, sizeof *c->names);
    if (c->names == NULL) {
      usage_error(c, "out of memory");
      return;
    }
    parse_merge(c, argc, argv);
  } else if (strcmp(cmd, "replay") == 0) {
    c->action = MS_ACT_REPLAY;
    c->names = calloc(2, sizeof *c->names);
    c->values = calloc(2, sizeof *c->values);
    if (c->names == NULL || c->values == NULL) {
      usage_error(c, "out of memory");
      return;
    }
    parse_replay(c, argc, argv);
  } else if (strcmp(cmd, "validate") == 0) {
    c->action = MS_ACT_VALIDATE;
    c->first_extra = 2;
  } else if (strcmp(cmd, "answers") == 0) {
    if (argc > 3) {
      usage_error(c, "answers takes one experiment's name");
    } else {
      c->action = MS_ACT_ANSWERS;
      c->experiment = argc == 3 ? argv[2] : NULL;
      /* a name, never a path: letters, digits, _ and - */
      for (const char *p = c->experiment; p && *p; p++)
        if (!(*p == '_' || *p == '-' || (*p >= '0' && *p <= '9') || ((*p | 32) >= 'a' && (*p | 32) <= 'z'))) {
          usage_error(c, "answers takes an experiment's name (like gen_vs_list), not '%.60s'",
                      c->experiment);
          break;
        }
    }
  } else if (strcmp(cmd, "list") == 0) {
    if (argc > 3) usage_error(c, "list takes at most one directory");
    else {
      c->action = MS_ACT_LIST;
      c->run.command = "list";
      c->run.script = argc == 3 ? argv[2] : NULL;     /* NULL: experiments/, here or memsim's */
    }
  } else if (strcmp(cmd, "run") == 0) {
    c->run.command = "run";
    c->names = calloc((size_t)argc, sizeof *c->names);
    c->values = calloc((size_t)argc, sizeof *c->values);
    c->owned = calloc((size_t)argc, sizeof *c->owned);
    if (c->names == NULL || c->values == NULL || c->owned == NULL) {
      usage_error(c, "out of memory");
      return;
    }
    parse_run(c, argc, argv);
  } else {
    usage_error(c, "unknown command '%s'", cmd);
  }
}

void ms_cli_free(ms_Cli *c) {
  for (int i = 0; c->owned && i < c->run.nopts; i++) free(c->owned[i]);
  free(c->owned);
  free(c->joined);
  c->joined = NULL;
  free(c->names);
  free(c->values);
  c->owned = NULL;
  c->names = c->values = NULL;
}
