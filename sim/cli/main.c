/*
** main.c: the memsim command (layer 5).  Parses the command line, calls
** the runner or the plot writer, and sets the exit status:
**   0 success, 1 an error in the script or a run, 2 a usage error.
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "lmemsim.h"
#include "plot.h"
#include "profile.h"
#include "record.h"
#include "supervise.h"
#include "trace.h"

static const char usage_text[] =
  "usage: memsim run FILE.lua [--NAME=VALUE ...] [--out DIR] [--format png|svg|pdf|none]\n"
  "                           [--seed N] [--quiet] [--check] [--timeout SECONDS] [--sandbox]\n"
  "                           [--memory-limit SIZE] [--host-memory-limit SIZE] [--explain[=N]]\n"
  "                           [--answers] [--jobs N] [--points | --point K]\n"
  "       memsim run FILE.lua --help      the experiment's title and options\n"
  "       memsim merge DIR ... [--out DIR] the points --point K wrote, as one result set\n"
  "       memsim list [DIR]               experiments and their titles (default: experiments)\n"
  "       memsim plot DIR [--format F]    draw the plots of a results directory again\n"
  "       memsim validate [--python PATH] [--profile NAME] [WORKLOAD ...]\n"
  "                                       compare memsim with a real interpreter, side by side\n"
  "       memsim answers [EXPERIMENT]     the teacher's answers to an experiment's handout\n"
  "       memsim record [--python PATH] [--out TRACE] PROG.py [ARGS ...]\n"
  "                                       run a real program, writing its allocations to a trace\n"
  "       memsim replay TRACE [--profile NAME] [--allocator pymalloc|malloc] [--verify]\n"
  "                           [--out DIR] [--format png|svg|pdf|none] [--quiet]\n"
  "                                       replay a trace through memsim: plots, and --verify\n"
  "       memsim lab allocator FILE.lua [--trace FILE ...] [--heap SIZE] [--out DIR]\n"
  "                                       replay traces through your own allocator, checked and scored\n"
  "       memsim quiz [TOPIC ...] [--seed N] [--count K] [--profile NAME] [-c] [--format text|md|json]\n"
  "                                       problems generated from a seed, answered by the simulator\n"
  "       memsim --help | --version       and memsim COMMAND --help for each command\n";

static const char help_text[] =
  "memsim: an educational simulator of CPython's memory management (3.11 in\n"
  "full; 3.9, 3.10, 3.12 and 3.13 as profiles checked against the real ones;\n"
  "3.14 and 3.14.0's incremental collector as profiles read from the sources).\n"
  "\n"
  "It runs Lua scripts that describe what a Python program allocates and frees,\n"
  "on a simulator of pymalloc (size classes, pools, arenas), the raw allocator,\n"
  "reference counting, free lists and the cycle collector, and plots memory,\n"
  "fragmentation and latency with gnuplot.  It also records what a real Python\n"
  "program asks of its allocators and replays it through the simulator.\n"
  "\n"
  "Examples:\n"
  "  memsim run experiments/gen_vs_list.lua\n"
  "  memsim run experiments/gen_vs_list.lua --n=1e4,1e5,1e6 --format svg\n"
  "  memsim list\n"
  "  memsim record myprogram.py && memsim replay myprogram.trace --verify\n";

static const char run_help[] =
  "usage: memsim run FILE.lua [--NAME=VALUE ...] [options]\n"
  "\n"
  "Runs a script: a plain script just runs (what it prints is the output); an\n"
  "experiment runs each of its runs on a fresh simulator for every point of\n"
  "its option sweep and writes data, plots and a summary to its results\n"
  "directory, replaced whole when the run completes.\n"
  "\n"
  "Options:\n"
  "  --NAME=VALUE   an option of the experiment; a comma list sweeps it (--n=1e3,1e4)\n"
  "  --out DIR      where results go (default results/<experiment name>)\n"
  "  --format F     png (default), svg, pdf, or none to write data and .gp files only\n"
  "  --seed N       seed of Lua's math.random and of the simulators (default 1)\n"
  "  -q, --quiet    no progress bar\n"
  "  --check        run the invariant checker after every simulator call (slow)\n"
  "  --explain[=N]  step mode: one line per allocator event (the request, its class,\n"
  "                 pool and arena; frees; pools and arenas made and returned;\n"
  "                 collections), the first N (default 200) of each simulator\n"
  "  --answers      also write answers.md: the teacher's answers with this run's\n"
  "                 figures filled in (handout.md, the students' part, is always written)\n"
  "  --timeout S    stop the run after S seconds of wall time, whatever the script does\n"
  "  --sandbox      for scripts you did not write: only Lua's safe functions and memsim;\n"
  "                 no programs, no C modules, no debug library, no file writes\n"
  "                 outside the run's own directory (README: Robustness)\n"
  "  --memory-limit SIZE       the simulated heap's limit (64M, 2G); past it: MemoryError\n"
  "  --host-memory-limit SIZE  memory memsim itself may use for the script (default 2G);\n"
  "                            past it: MemoryError\n"
  "  --jobs N       run the sweep's runs in N processes at once (default: one per\n"
  "                 core); the results are the same bytes as with --jobs 1\n"
  "  --points       list the sweep's points, numbered, and stop\n"
  "  --point K      run point K alone, into results/<name>-point-K (or --out): one\n"
  "                 task of a cluster's job array; memsim merge joins the folders\n"
  "  memsim run FILE.lua --help   the experiment's title, options and runs\n"
  "\n"
  "Exit status: 0 success, 1 an error in the script or a run, 2 a usage error.\n";

static const char merge_help[] =
  "usage: memsim merge DIR ... [--out DIR] [--format png|svg|pdf|none] [--quiet] [--timeout S]\n"
  "\n"
  "Joins the folders that `memsim run FILE.lua --point K` wrote, one per point,\n"
  "into the result set one `memsim run FILE.lua` would have written (the same\n"
  "data, plots, report and verdict).  The points name their script, options and\n"
  "seed; every point must be there once, from the same script, unchanged.\n"
  "\n"
  "  for k in $(seq \"$(memsim run exp.lua --n=1e3,1e4,1e5 --points | wc -l)\"); do\n"
  "    memsim run exp.lua --n=1e3,1e4,1e5 --point $k --out parts/$k &\n"
  "  done; wait; memsim merge parts/* --out results/exp\n";

static const char list_help[] =
  "usage: memsim list [DIR]\n"
  "\n"
  "Lists the experiments (*.lua) in DIR with their titles.  Without DIR: the\n"
  "experiments folder here, or memsim's own when there is none here.\n";

static const char plot_help[] =
  "usage: memsim plot DIR [--format png|svg|pdf]\n"
  "\n"
  "Draws every plot of a results directory again from its data and .gp files\n"
  "(after editing a .gp file, say), in each script's own format or in the one\n"
  "--format names.\n";

static const char answers_help[] =
  "usage: memsim answers [EXPERIMENT]\n"
  "\n"
  "Prints the teacher's answers to an experiment's handout; without a name,\n"
  "lists the experiments that have answers.  The answers are a template\n"
  "(experiments/answers/EXPERIMENT.md, here or memsim's own) whose {{...}}\n"
  "a run fills in: memsim run experiments/EXPERIMENT.lua --answers writes\n"
  "results/EXPERIMENT/answers.md, and memsim answers prints that copy when\n"
  "this directory has one.  The handouts students read\n"
  "(experiments/EXPERIMENT.md, filled in as results/EXPERIMENT/handout.md)\n"
  "hold no answers.\n";

static const char replay_help[] =
  "usage: memsim replay TRACE [--profile NAME] [--allocator pymalloc|malloc] [--verify]\n"
  "                           [--out DIR] [--format png|svg|pdf|none] [--quiet] [--timeout S]\n"
  "\n"
  "Replays a trace written by memsim record through a fresh simulator of the\n"
  "recorded interpreter's version (cpython-X.Y; --profile chooses another) and\n"
  "writes what an experiment writes, to --out (default results/replay): time\n"
  "series over the program's events (live bytes, arenas, mapped bytes, resident\n"
  "pages, pools by state), the byte breakdown at the peak and at the end, arena\n"
  "maps, latency histograms (the real run's collection pauses among them),\n"
  "summary.tsv/json, the plots, their .gp files and index.html.\n"
  "\n"
  "Options:\n"
  "  --profile NAME   the simulated CPython (memsim.profiles lists them)\n"
  "  --allocator A    pymalloc (default) or malloc: what the same requests would\n"
  "                   do under PYTHONMALLOC=malloc\n"
  "  --verify         compare the end state with the real interpreter's own\n"
  "                   sys._debugmallocstats() when the program ended: prints\n"
  "                   'verify: K/N size classes equal, arenas equal|differ' and\n"
  "                   each difference; exit status 0 only when all are equal\n"
  "  --out DIR, --format F, --quiet, --timeout S   as for memsim run\n"
  "\n"
  "Exit status: 0 success, 1 a bad trace or a verify difference, 2 a usage error.\n";

static const char lab_help[] =
  "usage: memsim lab allocator FILE.lua [--trace FILE ...] [--heap SIZE] [--out DIR]\n"
  "                                     [--format png|svg|pdf|none] [--quiet] [--timeout S]\n"
  "\n"
  "The allocator lab.  FILE.lua is an allocator written in Lua: a module that\n"
  "returns a table with init(heap), malloc(n), free(p), realloc(p, n) and, if it\n"
  "likes, calloc(n, size) (else calloc is its malloc and a memset).  It runs\n"
  "in a Lua state of its own over a simulated heap (heap:sbrk(n), heap:mmap(n),\n"
  "heap:munmap(p, n), heap:read(p), heap:write(p, v), heap:copy(dst, src, n)),\n"
  "one fresh heap per trace.  Every request of every trace is replayed through\n"
  "it and every block it returns is checked: aligned to 16, inside the heap,\n"
  "overlapping no live block, its payload (which the driver fills) unchanged\n"
  "until it is freed and kept across realloc.  The first wrong block of a trace\n"
  "is an error naming the request and its trace line; the exit status is then 1.\n"
  "\n"
  "Each trace is scored beside the same trace through memsim's pymalloc and its\n"
  "raw allocator: utilisation (peak live payload / peak heap) and throughput\n"
  "(requests per microsecond of simulated time: each heap word read or written,\n"
  "each byte copied, each call and system call has a cost, so the host's speed\n"
  "does not count).  Results: a table on the terminal, and in --out (default\n"
  "results/allocator_lab) the plots (utilisation and throughput per trace, the\n"
  "heap over each trace), their data and index.html.\n"
  "\n"
  "Options:\n"
  "  --trace FILE   a trace (repeat for more; default: the lab's own set in\n"
  "                 experiments/allocator_lab/traces).  Text, one request a line:\n"
  "                 'a ID SIZE', 'c ID SIZE' (calloc), 'f ID', 'r ID SIZE', '#'\n"
  "                 comments; or a trace memsim record wrote\n"
  "  --heap SIZE    the simulated heap's space (default 64M, at most 256M)\n"
  "  --out DIR, --format F, --quiet, --timeout S   as for memsim run\n"
  "\n"
  "Exit status: 0 every trace passed, 1 a wrong block, a failed call or a bad\n"
  "trace, 2 a usage error.\n";

static const char quiz_help[] =
  "usage: memsim quiz [TOPIC ...] [--seed N] [--count K] [--profile NAME] [-c | --answers]\n"
  "                   [--format text|md|json]\n"
  "       memsim quiz --list\n"
  "\n"
  "Problems about CPython's memory, generated from a seed, as OSTEP's malloc.py\n"
  "makes them: the same seed gives the same problems, byte for byte, so a\n"
  "teacher sets a new exam with a new seed.  Each problem's answer is computed\n"
  "by running the simulator, with a line that explains it; -c shows them.\n"
  "\n"
  "Options:\n"
  "  TOPIC          one or more topics (default: all; --list names them)\n"
  "  --seed N       the problems' seed (default 1)\n"
  "  --count K      problems per topic (default 2, at most 100)\n"
  "  --profile NAME the CPython the problems are about (default cpython-3.11)\n"
  "  -c, --answers  show the answers and their explanations\n"
  "  --format F     text (default), md (a handout in Markdown), json (for autograding:\n"
  "                 always with the answers)\n"
  "  --list         the topics and what each asks\n"
  "\n"
  "Exit status: 0 success, 2 a usage error (an unknown topic).\n";

static const char validate_help[] =
  "usage: memsim validate [--python PATH] [--profile NAME] [WORKLOAD ...]\n"
  "\n"
  "Runs the paired workloads of tests/fidelity under a real interpreter\n"
  "(default: python3 on PATH) and under memsim's profile of its version\n"
  "(cpython-X.Y, or --profile), and prints them side by side, figure by\n"
  "figure (needs the source tree).  memsim validate --help lists the\n"
  "workloads.\n";

static int usage(const char *msg) {
  fprintf(stderr, "memsim: %s\n%s", msg, usage_text);
  return 2;
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* memsim plot DIR: every .gp in DIR, drawn again */
static int cmd_plot(const char *dir, const char *format) {
  DIR *d = opendir(dir);
  if (d == NULL) {
    fprintf(stderr, "memsim: cannot open %s: %s\n", dir, strerror(errno));
    return 2;
  }
  struct dirent *e;
  int n = 0, failed = 0;
  char **names = NULL;
  while ((e = readdir(d)) != NULL) {
    size_t len = strlen(e->d_name);
    if (len > 3 && strcmp(e->d_name + len - 3, ".gp") == 0) {
      names = realloc(names, (size_t)(n + 1) * sizeof *names);
      names[n++] = strdup(e->d_name);
    }
  }
  closedir(d);
  for (int i = 0; i < n; i++)                     /* sorted: a stable order */
    for (int j = i + 1; j < n; j++)
      if (strcmp(names[j], names[i]) < 0) {
        char *t = names[i];
        names[i] = names[j];
        names[j] = t;
      }
  if (n == 0) fprintf(stderr, "memsim: no .gp files in %s\n", dir);
  for (int i = 0; i < n; i++) {
    char err[1024];
    int rc = ms_plot_render(dir, names[i], format, MS_PLOT_SECONDS, NULL, err, sizeof err);
    if (rc == 1) {
      fprintf(stderr, "memsim: %s\n", err);
      failed = 1;
      break;
    }
    if (rc != 0) {
      fprintf(stderr, "memsim: %s\n", err);
      failed = 1;
    } else {
      printf("drew %s/%s as %s\n", dir, names[i], format ? format : "before");
    }
  }
  for (int i = 0; i < n; i++) free(names[i]);
  free(names);
  return n == 0 ? 2 : failed;
}

/*
** memsim validate: the fidelity comparison (tests/fidelity/compare.py)
** run for a person: python3 and memsim on the same workloads, side by side.
*/
static int cmd_validate(int argc, char **argv) {
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) {
    fprintf(stderr, "memsim: cannot find my own program: %s\n", strerror(errno));
    return 1;
  }
  self[n] = '\0';
  char script[4096];
  snprintf(script, sizeof script, "%s/tests/fidelity/compare.py", MEMSIM_SOURCE_DIR);
  if (access(script, R_OK) != 0) {
    fprintf(stderr, "memsim: %s is missing (validate needs the source tree)\n", script);
    return 1;
  }
  char **args = calloc((size_t)argc + 3, sizeof *args);
  args[0] = "python3";
  args[1] = script;
  args[2] = self;
  for (int i = 2; i < argc; i++) args[i + 1] = argv[i];
  execvp("python3", args);
  fprintf(stderr, "memsim: cannot run python3 (%s): install it with apt-get install python3\n",
          strerror(errno));
  free(args);
  return 1;
}

static int is_directory(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
** Whoever started memsim may have left signals blocked or ignored, and
** both survive exec: an ignored SIGCHLD would make the supervisor's
** children vanish unreaped, a blocked SIGALRM would silence the time
** limit.  Start from the defaults.
*/
static void reset_signals(void) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  signal(SIGCHLD, SIG_DFL);
  signal(SIGALRM, SIG_DFL);
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGHUP, SIG_DFL);
}

/* the help of one command (memsim COMMAND --help), or the whole */
static int help(const char *command) {
  if (command == NULL) {
    printf("%s\n%s", help_text, usage_text);
    return 0;
  }
  if (strcmp(command, "run") == 0) fputs(run_help, stdout);
  else if (strcmp(command, "list") == 0) fputs(list_help, stdout);
  else if (strcmp(command, "merge") == 0) fputs(merge_help, stdout);
  else if (strcmp(command, "plot") == 0) fputs(plot_help, stdout);
  else if (strcmp(command, "validate") == 0) fputs(validate_help, stdout);
  else if (strcmp(command, "answers") == 0) fputs(answers_help, stdout);
  else if (strcmp(command, "record") == 0) fputs(ms_record_help(), stdout);
  else if (strcmp(command, "replay") == 0) fputs(replay_help, stdout);
  else if (strcmp(command, "lab") == 0) fputs(lab_help, stdout);
  else if (strcmp(command, "quiz") == 0) fputs(quiz_help, stdout);
  else return usage("help takes a command: run, list, plot, validate, answers, record, replay, lab or quiz");
  return 0;
}

/* memsim list without a directory: experiments/ here, or memsim's own */
static const char *default_experiments(void) {
  static char own[4096];
  if (is_directory("experiments")) return "experiments";
  snprintf(own, sizeof own, "%s/experiments", MEMSIM_SOURCE_DIR);
  return own;
}

/*
** Copy a regular file of at most 4 MiB to stdout.  Opened without
** blocking and checked with fstat on what was opened: a FIFO named like
** an answers file must not hang the command.  0, or -1 and errno.
*/
static int print_file(const char *path) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  struct stat st;
  if (fd < 0) return -1;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (off_t)(4 << 20)) {
    close(fd);
    errno = EINVAL;
    return -1;
  }
  char buf[8192];
  ssize_t k;
  while ((k = read(fd, buf, sizeof buf)) > 0 || (k < 0 && errno == EINTR))
    if (k > 0) fwrite(buf, 1, (size_t)k, stdout);
  close(fd);
  return 0;
}

/*
** memsim answers [NAME]: the teacher's answers, or the list of them.  The
** answers are a template: when this directory has a run's filled copy
** (results/NAME/answers.md, from memsim run ... --answers), that is shown;
** otherwise the template, and how to fill it in.
*/
static int cmd_answers(const char *name) {
  char dir[4200];
  snprintf(dir, sizeof dir, "%s/answers", default_experiments());
  if (name == NULL) {
    DIR *d = opendir(dir);
    if (d == NULL) {
      fprintf(stderr, "memsim: no answers in %s: %s\n", dir, strerror(errno));
      return 1;
    }
    struct dirent *e;
    int n = 0, cap = 0;
    char **names = NULL;
    while ((e = readdir(d)) != NULL) {
      size_t len = strlen(e->d_name);
      if (len > 3 && len < 200 && strcmp(e->d_name + len - 3, ".md") == 0) {
        if (n == cap) {
          char **grown = realloc(names, (size_t)(cap = cap ? 2 * cap : 16) * sizeof *names);
          if (grown == NULL) break;
          names = grown;
        }
        if ((names[n] = strndup(e->d_name, len - 3)) != NULL) n++;
      }
    }
    closedir(d);
    if (n > 0) qsort(names, (size_t)n, sizeof *names, compare_names);
    printf("answers for: ");
    for (int i = 0; i < n; i++) {
      printf("%s%s", i ? ", " : "", names[i]);
      free(names[i]);
    }
    printf("\n(memsim answers NAME prints one)\n");
    free(names);
    return 0;
  }
  char path[4400];
  snprintf(path, sizeof path, "results/%s/answers.md", name);
  if (print_file(path) == 0) {
    fflush(stdout);
    fprintf(stderr, "memsim: these are the answers with the figures of the run in results/%s/\n"
                    "  (memsim answers shows them when that run was made with --answers)\n", name);
    return 0;
  }
  snprintf(path, sizeof path, "%s/%s.md", dir, name);
  int rc = print_file(path);
  if (rc != 0 && errno == ENOENT) {             /* a lab's notes: answers/NAME/README.md */
    char notes[4400];
    snprintf(notes, sizeof notes, "%s/%s/README.md", dir, name);
    if (print_file(notes) == 0) {
      fflush(stdout);
      fprintf(stderr, "memsim: the teacher's notes for %s (%s)\n", name, notes);
      return 0;
    }
    errno = ENOENT;
  }
  if (rc != 0) {
    fprintf(stderr, "memsim: no answers for '%s' (%s: %s; memsim answers lists them)\n", name, path,
            errno == EINVAL ? "not a regular file of at most 4 MiB" : strerror(errno));
    return 2;
  }
  fflush(stdout);
  fprintf(stderr, "memsim: the {{...}} are the run's figures: memsim run experiments/%s.lua --answers\n"
                  "  writes these answers filled in to results/%s/answers.md\n", name, name);
  return 0;
}

/*
** memsim replay: the trace is opened here first, so that a file that is
** not a trace, or a version with no profile, is said before anything runs;
** then the built-in replay experiment runs like any other.
*/
static int cmd_replay(ms_Cli *cli) {
  char err[600], profile[64];
  ms_Trace *t = ms_trace_open(cli->trace, err, sizeof err);
  if (t == NULL) {
    fprintf(stderr, "memsim replay: %s\n", err);
    return 1;
  }
  int known = ms_trace_profile_name(t, profile, sizeof profile) == 0;
  const char *version = ms_trace_header(t, "python_version");
  char recorded[64];
  snprintf(recorded, sizeof recorded, "%s", version ? version : "an unknown version");
  const char *pm = ms_trace_header(t, "pythonmalloc");
  int ran_on_malloc = pm != NULL && strncmp(pm, "malloc", 6) == 0;   /* malloc, malloc_debug */
  ms_trace_close(t);
  if (cli->run.allocator == NULL && ran_on_malloc) {
    cli->run.allocator = "malloc";            /* as the program ran: PYTHONMALLOC=malloc */
    fprintf(stderr, "memsim replay: the program ran with PYTHONMALLOC=%s: replaying on malloc "
                    "(--allocator pymalloc replays on pymalloc)\n", pm);
  }
  if (cli->run.profile == NULL) {
    if (!known || ms_profile_find(profile) == NULL) {
      fprintf(stderr, "memsim replay: %s was recorded by Python %s, and memsim has no profile %s; "
                      "choose one with --profile (", cli->trace, recorded, known ? profile : "for it");
      const char *const *names = ms_profile_names();
      for (int i = 0; names[i]; i++) fprintf(stderr, "%s%s", i ? ", " : "", names[i]);
      fprintf(stderr, ")\n");
      return 2;
    }
    static char chosen[64];
    snprintf(chosen, sizeof chosen, "%s", profile);
    cli->run.profile = chosen;
  }
  return ms_run_supervised(&cli->run);
}

/*
** memsim lab allocator: the allocator must be a readable file; without
** --trace, the lab's own traces (experiments/allocator_lab/traces here,
** or memsim's own), in name order.  Then the built-in lab experiment runs
** like any other.
*/
static int cmd_lab(ms_Cli *cli) {
  struct stat st;
  if (stat(cli->lab_alloc, &st) != 0 || !S_ISREG(st.st_mode)) {
    fprintf(stderr, "memsim lab: %s: %s\n", cli->lab_alloc,
            errno && stat(cli->lab_alloc, &st) != 0 ? strerror(errno) : "not a regular file");
    return 1;
  }
  if (cli->ntraces == 0) {
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/allocator_lab/traces", default_experiments());
    DIR *d = opendir(dir);
    if (d == NULL) {
      fprintf(stderr, "memsim lab: no traces given and %s: %s\n", dir, strerror(errno));
      return 1;
    }
    char *names[MS_LAB_MAX_TRACES];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < MS_LAB_MAX_TRACES) {
      size_t len = strlen(e->d_name);
      if (len > 4 && len < 200 && strcmp(e->d_name + len - 4, ".rep") == 0 && !strchr(e->d_name, ','))
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    if (n > 0) qsort(names, (size_t)n, sizeof *names, compare_names);
    size_t total = 1;
    for (int i = 0; i < n; i++) total += strlen(dir) + strlen(names[i]) + 2;
    free(cli->joined);
    cli->joined = calloc(total, 1);
    for (int i = 0; i < n; i++) {
      if (cli->joined) {
        if (i) strcat(cli->joined, ",");
        strcat(cli->joined, dir);
        strcat(cli->joined, "/");
        strcat(cli->joined, names[i]);
      }
      free(names[i]);
    }
    if (cli->joined == NULL || n == 0) {
      fprintf(stderr, "memsim lab: no traces (*.rep) in %s\n", dir);
      return 1;
    }
  }
  static const char *names[3], *values[3];
  names[0] = "alloc";
  values[0] = cli->lab_alloc;
  names[1] = "traces";
  values[1] = cli->joined;
  names[2] = "heap";
  values[2] = cli->heap_mib[0] ? cli->heap_mib : "64";
  cli->run.names = names;
  cli->run.values = values;
  cli->run.nopts = 3;
  return ms_run_supervised(&cli->run);
}

int main(int argc, char **argv) {
  reset_signals();
  ms_Cli cli;
  ms_cli_parse(&cli, argc, argv);
  int status;
  switch (cli.action) {
    case MS_ACT_USAGE: status = usage(cli.err); break;
    case MS_ACT_HELP: status = help(cli.help_of); break;
    case MS_ACT_VERSION: printf("memsim %s (models CPython 3.11; 3.9 to 3.14 as profiles)\n", MEMSIM_VERSION); status = 0; break;
    case MS_ACT_PLOT: status = cmd_plot(cli.dir, cli.format); break;
    case MS_ACT_VALIDATE: status = cmd_validate(argc, argv); break;
    case MS_ACT_RECORD: status = ms_cmd_record(argc, argv); break;
    case MS_ACT_REPLAY: status = cmd_replay(&cli); break;
    case MS_ACT_ANSWERS: status = cmd_answers(cli.experiment); break;
    case MS_ACT_LAB: status = cmd_lab(&cli); break;
    case MS_ACT_QUIZ: status = ms_lua_main(&cli.run); break;
    case MS_ACT_LIST:
      if (cli.run.script == NULL) cli.run.script = default_experiments();
      if (!is_directory(cli.run.script)) {
        char msg[600];
        snprintf(msg, sizeof msg, "%s is not a directory", cli.run.script);
        status = usage(msg);
      } else {
        status = ms_lua_main(&cli.run);
      }
      break;
    default: status = ms_run_supervised(&cli.run); break;
  }
  ms_cli_free(&cli);
  return status;
}
