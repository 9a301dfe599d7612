/*
** main.c: the memsim command (layer 5).  Parses the command line, calls
** the runner or the plot writer, and sets the exit status:
**   0 success, 1 an error in the script or a run, 2 a usage error.
*/
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lmemsim.h"
#include "plot.h"

static const char usage_text[] =
  "usage: memsim run FILE.lua [--NAME=VALUE ...] [--out DIR] [--format png|svg|pdf|none]\n"
  "                           [--seed N] [--quiet] [--check] [--timeout SECONDS] [--sandbox]\n"
  "       memsim run FILE.lua --help      the experiment's title and options\n"
  "       memsim list [DIR]               experiments and their titles (default: experiments)\n"
  "       memsim plot DIR                 draw the plots of a results directory again\n"
  "       memsim validate [WORKLOAD ...]  compare memsim with this machine's python3, side by side\n"
  "       memsim --help | --version\n";

static const char help_text[] =
  "memsim: an educational simulator of CPython 3.11's memory management.\n"
  "\n"
  "It runs Lua scripts that describe what a Python program allocates and frees,\n"
  "on a simulator of pymalloc (size classes, 16 KiB pools, 1 MiB arenas), the raw\n"
  "allocator, reference counting, free lists and the cycle collector, and plots\n"
  "memory, fragmentation and latency with gnuplot.\n"
  "\n"
  "Options of run:\n"
  "  --NAME=VALUE   an option of the experiment; a comma list sweeps it (--n=1e3,1e4)\n"
  "  --out DIR      where results go (default results/<experiment name>)\n"
  "  --format F     png (default), svg, pdf, or none to write data and .gp files only\n"
  "  --seed N       seed of Lua's math.random and of the simulators (default 1)\n"
  "  --quiet        no progress bar\n"
  "  --check        run the invariant checker after every simulator call (slow)\n"
  "  --timeout S    stop a script that runs longer than S seconds of wall time\n"
  "  --sandbox      no os.execute, io.popen, C modules or file writes outside --out\n"
  "\n"
  "Examples:\n"
  "  memsim run experiments/gen_vs_list.lua\n"
  "  memsim run experiments/gen_vs_list.lua --n=1e4,1e5,1e6 --format svg\n"
  "  memsim list experiments\n";

static int usage(const char *fmt, const char *arg) {
  fprintf(stderr, "memsim: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n%s", usage_text);
  return 2;
}

/* memsim plot DIR: every .gp in DIR, drawn again */
static int cmd_plot(const char *dir) {
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
    int rc = ms_plot_render(dir, names[i], err, sizeof err);
    if (rc == 1) {
      fprintf(stderr, "memsim: %s\n", err);
      failed = 1;
      break;
    }
    if (rc != 0) {
      fprintf(stderr, "memsim: %s\n", err);
      failed = 1;
    } else {
      printf("drew %s/%s\n", dir, names[i]);
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

/* the value of "--name VALUE" or "--name=VALUE" */
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

int main(int argc, char **argv) {
  if (argc < 2) return usage("no command given", "");
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    printf("%s\n%s", help_text, usage_text);
    return 0;
  }
  if (strcmp(cmd, "--version") == 0) {
    printf("memsim %s (models CPython 3.11)\n", MEMSIM_VERSION);
    return 0;
  }
  ms_RunOptions o;
  memset(&o, 0, sizeof o);
  o.seed = 1;
  o.format = "png";
  if (strcmp(cmd, "plot") == 0) {
    if (argc != 3) return usage("plot takes one directory", "");
    return cmd_plot(argv[2]);
  }
  if (strcmp(cmd, "validate") == 0) return cmd_validate(argc, argv);
  if (strcmp(cmd, "list") == 0) {
    if (argc > 3) return usage("list takes at most one directory", "");
    o.command = "list";
    o.script = argc == 3 ? argv[2] : "experiments";
    if (!is_directory(o.script)) return usage("%s is not a directory", o.script);
    return ms_lua_main(&o);
  }
  if (strcmp(cmd, "run") != 0) return usage("unknown command '%s'", cmd);
  o.command = "run";
  const char **names = calloc((size_t)argc, sizeof *names);
  const char **values = calloc((size_t)argc, sizeof *values);
  char **owned = calloc((size_t)argc, sizeof *owned);
  int status = -1;
  for (int i = 2; i < argc && status < 0; i++) {
    const char *a = argv[i], *v;
    if (a[0] != '-' || a[1] != '-') {
      if (o.script) status = usage("unexpected argument '%s' (one script per run)", a);
      else o.script = a;
    } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      o.help = 1;
    } else if (strcmp(a, "--quiet") == 0) {
      o.quiet = 1;
    } else if (strcmp(a, "--check") == 0) {
      o.check = 1;
    } else if (strcmp(a, "--sandbox") == 0) {
      o.sandbox = 1;
    } else if ((v = flag_value(argc, argv, &i, "--out")) != NULL) {
      if (*v == '\0') status = usage("--out needs a directory", "");
      o.out = v;
    } else if ((v = flag_value(argc, argv, &i, "--format")) != NULL) {
      if (strcmp(v, "png") && strcmp(v, "svg") && strcmp(v, "pdf") && strcmp(v, "none"))
        status = usage("--format must be png, svg, pdf or none, not '%s'", v);
      o.format = v;
    } else if ((v = flag_value(argc, argv, &i, "--seed")) != NULL) {
      char *end;
      errno = 0;
      o.seed = strtoll(v, &end, 10);
      if (*v == '\0' || *end != '\0' || errno) status = usage("--seed must be an integer, not '%s'", v);
    } else if ((v = flag_value(argc, argv, &i, "--timeout")) != NULL) {
      char *end;
      o.timeout = strtod(v, &end);
      if (*v == '\0' || *end != '\0' || !(o.timeout > 0))
        status = usage("--timeout must be a positive number of seconds, not '%s'", v);
    } else {
      const char *eq = strchr(a + 2, '=');
      if (eq == NULL || eq == a + 2) {
        status = usage("unknown flag '%s' (experiment options are written --NAME=VALUE)", a);
      } else {
        size_t n = (size_t)(eq - (a + 2));
        owned[o.nopts] = strndup(a + 2, n);
        names[o.nopts] = owned[o.nopts];
        values[o.nopts] = eq + 1;
        o.nopts++;
      }
    }
  }
  if (status < 0 && o.script == NULL) status = usage("run needs a script (memsim run FILE.lua)", "");
  if (status < 0) {
    o.names = names;
    o.values = values;
    status = ms_lua_main(&o);
  }
  for (int i = 0; i < o.nopts; i++) free(owned[i]);
  free(owned);
  free(names);
  free(values);
  return status;
}
