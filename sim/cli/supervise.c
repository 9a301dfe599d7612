/*
** supervise.c: see supervise.h.
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "plot.h"
#include "sandbox.h"
#include "supervise.h"

/* ====================================================================
** Signals and clocks
** ==================================================================== */

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig) { stop_signal = sig; }

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void catch_signals(int on) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on ? on_signal : SIG_DFL;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
}

/* ====================================================================
** The manifest
** ==================================================================== */

typedef struct Manifest {
  char *text;
  size_t n, cap;
  int overflow;
} Manifest;

#define MANIFEST_MAX (16u << 20)
#define MAX_PLOTS 1000
#define MAX_PLOT_ITEMS 64

static void manifest_add(Manifest *m, const char *data, size_t n) {
  if (m->n + n + 1 > MANIFEST_MAX) {
    m->overflow = 1;
    return;
  }
  if (m->n + n + 1 > m->cap) {
    size_t cap = m->cap ? m->cap : 4096;
    while (cap < m->n + n + 1) cap *= 2;
    char *t = realloc(m->text, cap);
    if (t == NULL) {
      m->overflow = 1;
      return;
    }
    m->text = t;
    m->cap = cap;
  }
  memcpy(m->text + m->n, data, n);
  m->n += n;
  m->text[m->n] = '\0';
}

/* split LINE (modified) into at most MAX tab-separated fields, unescaped */
static int split_fields(char *line, char **f, int max) {
  int n = 0;
  char *p = line;
  while (n < max) {
    f[n++] = p;
    char *w = p;
    for (; *p && *p != '\t'; p++) {
      if (*p == '\\' && p[1]) {
        p++;
        *w++ = *p == 't' ? '\t' : *p == 'n' ? '\n' : *p;
      } else {
        *w++ = *p;
      }
    }
    int more = *p == '\t';
    *w = '\0';
    if (!more) break;
    p++;
  }
  return n;
}

static const char *or_null(const char *s) { return s && *s ? s : NULL; }

typedef struct Plans {
  ms_Plot plots[MAX_PLOTS];
  ms_PlotLine lines[MAX_PLOTS][MAX_PLOT_ITEMS];
  const char *columns[MAX_PLOTS][MAX_PLOT_ITEMS];
  const char *column_titles[MAX_PLOTS][MAX_PLOT_ITEMS];
  ms_PlotMark marks[MAX_PLOTS][MAX_PLOT_ITEMS];
  int nplots;
  const char *name;          /* the experiment's name */
  int done, plain;
  int workers;               /* W: run the sweep in this many processes (--jobs) */
} Plans;

static int valid_name(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 100 || !(s[0] == '_' || ((s[0] | 32) >= 'a' && (s[0] | 32) <= 'z'))) return 0;
  for (; *s; s++)
    if (!(*s == '_' || *s == '-' || (*s >= '0' && *s <= '9') || ((*s | 32) >= 'a' && (*s | 32) <= 'z')))
      return 0;
  return 1;
}

/* Read the child's records.  Nothing here is trusted: the plot writer
   checks names and escapes strings. */
static int parse_manifest(char *text, Plans *pl) {
  memset(pl, 0, sizeof *pl);
  ms_Plot *cur = NULL;
  for (char *line = text, *next; line && *line; line = next) {
    next = strchr(line, '\n');
    if (next) *next++ = '\0';
    char *f[16];
    int n = split_fields(line, f, 16);
    if (strcmp(f[0], "N") == 0 && n == 2 && valid_name(f[1])) {
      pl->name = f[1];
    } else if (strcmp(f[0], "D") == 0) {
      pl->done = 1;
    } else if (strcmp(f[0], "S") == 0) {
      pl->plain = 1;
    } else if (strcmp(f[0], "W") == 0 && n == 2) {
      pl->workers = atoi(f[1]);
      if (pl->workers < 2 || pl->workers > 256) return -1;
    } else if (strcmp(f[0], "P") == 0 && n == 15 && pl->nplots < MAX_PLOTS) {
      cur = &pl->plots[pl->nplots];
      memset(cur, 0, sizeof *cur);
      cur->name = f[1];
      cur->kind = f[2];
      cur->title = or_null(f[3]);
      cur->xlabel = or_null(f[4]);
      cur->ylabel = or_null(f[5]);
      cur->table = or_null(f[6]);
      cur->z = or_null(f[7]);
      cur->xdiv = strtod(f[8], NULL);
      cur->ydiv = strtod(f[9], NULL);
      cur->logx = f[10][0] == '1';
      cur->logy = f[11][0] == '1';
      cur->ymin = strtod(f[12], NULL);
      cur->ymax = strtod(f[13], NULL);
      cur->rotate_xtics = f[14][0] == '1';
      cur->lines = pl->lines[pl->nplots];
      cur->columns = pl->columns[pl->nplots];
      cur->column_titles = pl->column_titles[pl->nplots];
      cur->marks = pl->marks[pl->nplots];
      pl->nplots++;
    } else if (strcmp(f[0], "L") == 0 && n == 5 && cur && cur->nlines < MAX_PLOT_ITEMS) {
      ms_PlotLine *l = &pl->lines[pl->nplots - 1][cur->nlines++];
      l->file = f[1];
      l->x = f[2];
      l->y = f[3];
      l->title = or_null(f[4]);
    } else if (strcmp(f[0], "C") == 0 && n == 3 && cur && cur->ncolumns < MAX_PLOT_ITEMS) {
      pl->column_titles[pl->nplots - 1][cur->ncolumns] = or_null(f[2]);
      pl->columns[pl->nplots - 1][cur->ncolumns++] = f[1];
    } else if (strcmp(f[0], "M") == 0 && n == 3 && cur) {
      if (cur->nmarks < MAX_PLOT_ITEMS) {  /* more phases than that: the first ones */
        ms_PlotMark *m = &pl->marks[pl->nplots - 1][cur->nmarks++];
        m->x = strtod(f[1], NULL);
        m->text = f[2];
      }
    } else {
      return -1;
    }
  }
  return 0;
}

/* ====================================================================
** The child
** ==================================================================== */

static void run_child(ms_RunOptions *o, const char *work, int manifest_fd) {
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  catch_signals(0);
  o->workdir = work;
  o->manifest_fd = manifest_fd;
  if (o->sandbox) {
    char note[512];
    int rc = ms_sandbox_enter(work, note, sizeof note);
    if (rc < 0) {
      fprintf(stderr, "memsim: --sandbox: %s\n", note);
      _exit(1);
    }
    if (rc > 0 && !o->quiet) fprintf(stderr, "memsim: --sandbox: %s\n", note);
  }
  int status = ms_lua_main(o);
  fflush(NULL);
  /* Under seccomp no exit handler may start a thread (LeakSanitizer's
     does): leave at once. */
  if (o->sandbox) _exit(status);
  exit(status);
}

/* ====================================================================
** The parent
** ==================================================================== */

typedef struct Child {
  pid_t pid;
  int fd;
  int status;               /* from waitpid */
  int killed;               /* 0, or why: 'T' time limit, 'S' a signal to memsim, 'M' manifest */
} Child;

static void kill_group(pid_t pid) {
  kill(-pid, SIGKILL);
  kill(pid, SIGKILL);
}

/*
** Read the manifest until the child is gone, enforcing the limits: at
** the time limit and on Ctrl-C the child first gets SIGINT (its hook
** reports the script's line and leaves), then SIGKILL after the grace.
*/
static void watch(Child *c, Manifest *m, double timeout) {
  double start = now_seconds(), kill_at = timeout > 0 ? start + timeout + MS_GRACE_SECONDS : 0;
  int open_fd = 1, reaped = 0, soft_sent = 0;
  while (!reaped) {
    double t = now_seconds();
    if (stop_signal && !c->killed) {
      if (stop_signal == SIGINT && !soft_sent) {
        kill(c->pid, SIGINT);
        soft_sent = 1;
        kill_at = t + MS_GRACE_SECONDS;
      } else if (stop_signal != SIGINT) {
        c->killed = 'S';
        kill_group(c->pid);
      }
    }
    if (kill_at > 0 && t > kill_at && !c->killed) {
      c->killed = soft_sent ? 'S' : 'T';
      kill_group(c->pid);
    }
    if (m->overflow && !c->killed) {
      c->killed = 'M';
      kill_group(c->pid);
    }
    if (open_fd) {
      struct pollfd p = {c->fd, POLLIN, 0};
      int r = poll(&p, 1, 50);
      if (r > 0) {
        char buf[65536];
        ssize_t k = read(c->fd, buf, sizeof buf);
        if (k > 0) manifest_add(m, buf, (size_t)k);
        else if (k == 0 || (errno != EINTR && errno != EAGAIN)) open_fd = 0;
      }
    } else {
      struct timespec nap = {0, 20 * 1000 * 1000};
      nanosleep(&nap, NULL);
    }
    pid_t r = waitpid(c->pid, &c->status, WNOHANG);
    if (r == c->pid) {
      reaped = 1;
    } else if (r < 0 && errno != EINTR) {  /* cannot happen with SIGCHLD at its default */
      kill_group(c->pid);
      c->killed = c->killed ? c->killed : 'S';
      reaped = 1;
    }
  }
  /* whatever the child left running in its group goes with it */
  kill(-c->pid, SIGKILL);
  while (open_fd) {                        /* what it wrote before it ended */
    char buf[65536];
    ssize_t k = read(c->fd, buf, sizeof buf);
    if (k > 0) manifest_add(m, buf, (size_t)k);
    else if (k == 0 || errno != EINTR) open_fd = 0;
  }
}

/* the exit status and message for a child that did not finish */
static int report_abnormal(const Child *c, const ms_RunOptions *o) {
  if (c->killed == 'T') {
    fprintf(stderr, "memsim: %s: time limit reached (--timeout %g s): the script was stopped; "
                    "no results were written\n", o->script, o->timeout);
  } else if (c->killed == 'S') {
    fprintf(stderr, "memsim: %s: interrupted (%s): no results were written\n", o->script,
            stop_signal == SIGINT ? "Ctrl-C" : stop_signal == SIGTERM ? "SIGTERM" : "SIGHUP");
  } else if (c->killed == 'M') {
    fprintf(stderr, "memsim: %s: the run described more than %u MiB of plots: stopped\n",
            o->script, MANIFEST_MAX >> 20);
  } else if (WIFSIGNALED(c->status)) {
    fprintf(stderr, "memsim: %s: the run was killed by signal %d (%s); no results were written\n",
            o->script, WTERMSIG(c->status), strsignal(WTERMSIG(c->status)));
  } else {
    return -1;
  }
  return 1;
}

/* a work directory holds our marker; anything else is the script's */
static int has_files(const char *dir) {
  DIR *d = opendir(dir);
  if (d == NULL) return 0;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, ".memsim-results")) n++;
  closedir(d);
  return n > 0;
}

/* write and draw every plot, by DEADLINE (0: none); returns 0, or 1
   when a plot failed or the time ran out */
static int draw(const Plans *pl, const char *work, const char *dest, const char *format,
                double deadline) {
  int failed = 0, no_gnuplot = 0;
  char err[1024];
  for (int i = 0; i < pl->nplots; i++) {
    const ms_Plot *p = &pl->plots[i];
    if (ms_plot_write(work, p, format, err, sizeof err) != 0) {
      fprintf(stderr, "memsim: %s\n", err);
      failed = 1;
      continue;
    }
    if (strcmp(format, "none") == 0 || no_gnuplot || stop_signal) continue;
    char gp[300], out[300];
    snprintf(gp, sizeof gp, "%s.gp", p->name);
    double seconds = MS_PLOT_SECONDS;
    if (deadline > 0) {                    /* --timeout bounds the drawing too */
      double left = deadline - now_seconds();
      if (left <= 0) {
        fprintf(stderr, "memsim: time limit reached (--timeout) while drawing the plots\n");
        return 1;
      }
      if (left < seconds) seconds = left;
    }
    int rc = ms_plot_render(work, gp, NULL, seconds, &stop_signal, err, sizeof err);
    if (rc == 0) {
      ms_plot_output_name(p->name, format, out, sizeof out);
      printf("  %s/%s\n", dest, out);
    } else if (rc == 1) {
      no_gnuplot = 1;
    } else {
      fprintf(stderr, "memsim: %s\n", err);
      failed = 1;
    }
  }
  if (no_gnuplot) {
    /* the message names the work directory: say the destination instead */
    fprintf(stderr, "memsim: gnuplot is not installed: install it (apt-get install gnuplot-nox), "
                    "then draw the plots with: memsim plot %s\n", dest);
  }
  fflush(stdout);
  return failed;
}

/* ====================================================================
** --jobs: the sweep's runs in several processes
** ==================================================================== */

/* a child running O, its records on a pipe; 0 with C filled, or -1 */
static int spawn(ms_RunOptions *o, const char *work, Child *c) {
  int fds[2];
  memset(c, 0, sizeof *c);
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  fflush(NULL);
  c->pid = fork();
  if (c->pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (c->pid == 0) {
    close(fds[0]);
    run_child(o, work, fds[1]);
  }
  close(fds[1]);
  setpgid(c->pid, c->pid);
  c->fd = fds[0];
  return 0;
}

static double remaining(double deadline) {
  if (deadline <= 0) return 0;
  double left = deadline - now_seconds();
  return left > 0.001 ? left : 0.001;
}

/* the parts the workers wrote: not results, removed before the folder is installed */
static void remove_parts(const char *work) {
  DIR *d = opendir(work);
  if (d == NULL) return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (strncmp(e->d_name, "part-worker-", 12) == 0) unlinkat(dirfd(d), e->d_name, 0);
  closedir(d);
}

/*
** The first child found a sweep of several runs and asked for N
** processes: N workers each run every N-th run into a part in the work
** directory, then one more child merges the parts into the results, its
** records in M (the runs are deterministic: the merge is byte for byte
** what one process writes).  Returns the merging child, or -1 when a
** worker failed (said), with *STATUS.
*/
static int run_jobs(ms_RunOptions *o, const char *work, int n, double deadline, Child *merger, Manifest *m,
                    int *status) {
  Child workers[256];
  int started = 0, failed = 0;
  if (!o->quiet)
    fprintf(stderr, "memsim: %s: the sweep's runs in %d processes (--jobs 1: one after another)\n", o->script, n);
  for (int k = 0; k < n; k++) {
    ms_RunOptions w = *o;
    w.worker_k = k;
    w.worker_n = n;
    w.jobs = 1;
    if (spawn(&w, work, &workers[k]) != 0) {
      fprintf(stderr, "memsim: cannot start a process for --jobs: %s\n", strerror(errno));
      failed = 1;
      break;
    }
    started++;
  }
  for (int k = 0; k < started; k++) {
    Manifest ignored = {0};
    if (failed || stop_signal) kill_group(workers[k].pid);
    watch(&workers[k], &ignored, deadline > 0 ? remaining(deadline) : 0);
    close(workers[k].fd);
    free(ignored.text);
    if (failed) continue;
    int s = report_abnormal(&workers[k], o);
    if (s >= 0) {
      *status = s;
      failed = 1;
    } else if (WEXITSTATUS(workers[k].status) != 0) {
      *status = WEXITSTATUS(workers[k].status);
      failed = 1;
    }
  }
  if (failed) return -1;
  ms_RunOptions mo = *o;
  const char *dirs[1] = {work};
  mo.merge_dirs = dirs;
  mo.nmerge = 1;
  mo.jobs = 1;
  mo.worker_n = 0;
  if (spawn(&mo, work, merger) != 0) {
    fprintf(stderr, "memsim: cannot start the merge of --jobs: %s\n", strerror(errno));
    *status = 1;
    return -1;
  }
  watch(merger, m, deadline > 0 ? remaining(deadline) : 0);
  close(merger->fd);
  remove_parts(work);
  return 0;
}

int ms_run_supervised(ms_RunOptions *o) {
  char parent[4096], work[4200] = "", err[1024];
  int status;
  /* where the work directory goes: beside the destination */
  if (o->out) {
    if (ms_check_destination(o->out, err, sizeof err) != 0) {
      fprintf(stderr, "memsim: %s\n", err);
      return 2;
    }
    ms_dirname(o->out, parent, sizeof parent);
  } else {
    snprintf(parent, sizeof parent, "results");
  }
  struct stat st;
  int parent_existed = stat(parent, &st) == 0;
  if (!o->help && ms_make_workdir(parent, work, sizeof work, err, sizeof err) != 0) {
    fprintf(stderr, "memsim: %s\n", err);
    return 2;
  }
  if (o->jobs <= 0) {                       /* one process per core */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    o->jobs = cores < 1 ? 1 : cores > 256 ? 256 : (int)cores;
  }
  if (o->explain) o->jobs = 1;              /* step mode's lines would interleave */
  stop_signal = 0;
  catch_signals(1);
  double deadline = o->timeout > 0 ? now_seconds() + o->timeout : 0;
  Child c;
  if (spawn(o, work[0] ? work : NULL, &c) != 0) {
    fprintf(stderr, "memsim: cannot start the run: %s\n", strerror(errno));
    if (work[0]) ms_remove_tree(work);
    catch_signals(0);
    return 1;
  }
  Manifest m = {0};
  watch(&c, &m, o->timeout);
  close(c.fd);

  Plans *pl = calloc(1, sizeof *pl);
  status = report_abnormal(&c, o);
  if (status < 0 && WEXITSTATUS(c.status) == 3 && pl && m.text && parse_manifest(m.text, pl) == 0 &&
      pl->workers > 0 && work[0]) {
    /* the first child asked for workers: the run is theirs and the merger's */
    int n = pl->workers;
    free(m.text);
    memset(&m, 0, sizeof m);
    if (run_jobs(o, work, n, deadline, &c, &m, &status) != 0) {
      fprintf(stderr, "memsim: %s: no results were written\n", o->script);
      if (status == 0) status = 1;
      if (work[0]) ms_remove_tree(work);
      if (!parent_existed) rmdir(parent);
      free(pl);
      free(m.text);
      catch_signals(0);
      return status;
    }
    status = report_abnormal(&c, o);
  }
  if (status < 0) {
    status = WEXITSTATUS(c.status);
    if (pl == NULL || (m.text && parse_manifest(m.text, pl) != 0)) {
      fprintf(stderr, "memsim: %s: the run's plot records are malformed; no results were written\n",
              o->script);
      status = 1;
    } else if (pl->done && pl->name && work[0]) {
      char dest[4200];
      if (o->out) snprintf(dest, sizeof dest, "%s", o->out);
      else snprintf(dest, sizeof dest, "%s/%s", parent, pl->name);
      if (ms_check_destination(dest, err, sizeof err) != 0) {
        fprintf(stderr, "memsim: %s\n", err);
        status = 2;
      } else {
        double draw_by = deadline > 0 ? deadline + MS_GRACE_SECONDS : 0;
        if (draw(pl, work, dest, o->format ? o->format : "png", draw_by) && status == 0) status = 1;
        if (stop_signal) {
          fprintf(stderr, "memsim: %s: interrupted while drawing: no results were written\n", o->script);
          status = 1;
        } else if (ms_install_dir(work, dest, err, sizeof err) != 0) {
          fprintf(stderr, "memsim: %s\n", err);
          status = 1;
        } else {
          work[0] = '\0';                  /* installed: nothing to remove */
          char index[4300];
          snprintf(index, sizeof index, "%s/index.html", dest);
          if (access(index, F_OK) == 0) printf("report: %s\n", index);   /* a --point part has none */
        }
      }
    } else if (pl->plain && o->out && work[0]) {
      if (!has_files(work)) {             /* the script wrote nothing in memsim.outdir */
        fprintf(stderr, "memsim: %s is a plain script: it wrote nothing, so %s was left as it was "
                        "(an experiment, return experiment{...}, writes data and plots there)\n",
                o->script, o->out);
      } else if (ms_install_dir(work, o->out, err, sizeof err) != 0) {
        fprintf(stderr, "memsim: %s\n", err);
        status = 1;
      } else {
        work[0] = '\0';
      }
    }
  }
  if (work[0]) ms_remove_tree(work);
  if (!parent_existed) rmdir(parent);       /* only if we made it and it stayed empty */
  free(pl);
  free(m.text);
  catch_signals(0);
  return status;
}
