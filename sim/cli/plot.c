/*
** plot.c: gnuplot scripts, and gnuplot run as a child process.
*/
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "plot.h"

/* Okabe & Ito's palette: told apart with every common colour blindness */
static const char *const palette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                      "#E69F00", "#56B4E9", "#F0E442", "#000000"};
#define NCOLORS (sizeof palette / sizeof palette[0])

typedef struct Buf {
  char *s;
  size_t n, cap;
} Buf;

static void add(Buf *b, const char *fmt, ...) {
  va_list ap;
  for (;;) {
    va_start(ap, fmt);
    int k = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
    va_end(ap);
    if (k < 0) return;
    if (b->s && b->n + (size_t)k < b->cap) {
      b->n += (size_t)k;
      return;
    }
    b->cap = (b->cap + (size_t)k + 1) * 2;
    b->s = realloc(b->s, b->cap);
    if (b->s == NULL) abort();
  }
}

/*
** A string from a script (a title, a label, a column name) as a gnuplot
** literal.  Single quotes, because gnuplot runs `commands` in backquotes
** inside double-quoted strings and never inside single-quoted ones.
** Nothing inside may end the literal: a quote becomes the typographic
** apostrophe (gnuplot's doubled quote is misread at a string's start),
** and control characters (a newline would end the command and start
** another) become spaces.  Bytes of UTF-8 pass.
*/
static void add_quoted(Buf *b, const char *s) {
  add(b, "'");
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '\'') add(b, "\xe2\x80\x99");
    else if (c < 0x20 || c == 0x7f) add(b, " ");
    else add(b, "%c", c);
  }
  add(b, "'");
}

/*
** File names in a plot script are the runner's own (run names, option
** values, plot names), but they are checked here too: gnuplot reads a
** name that starts with '<' as a command to run.
*/
int ms_plot_safe_name(const char *s) {
  if (s == NULL || *s == '\0' || *s == '.' || strlen(s) > 200) return 0;
  for (; *s; s++)
    if (!(isalnum((unsigned char)*s) || strchr("_-.=+,", *s))) return 0;
  return 1;
}

static int finite_positive(double v) { return isfinite(v) && v >= 0; }

void ms_plot_output_name(const char *name, const char *format, char *out, size_t n) {
  const char *ext = format && (strcmp(format, "svg") == 0 || strcmp(format, "pdf") == 0) ? format : "png";
  snprintf(out, n, "%s.%s", name, ext);
}

static void header(Buf *b, const ms_Plot *p, const char *format) {
  const char *fmt = format && (strcmp(format, "svg") == 0 || strcmp(format, "pdf") == 0) ? format : "png";
  add(b, "# memsim plot %s\n", p->name);
  add(b, "# Written by memsim; edit freely and draw again with: gnuplot %s.gp\n", p->name);
  add(b, "# (gnuplot -e 'fmt=\"svg\"' %s.gp draws it as SVG; memsim plot DIR --format svg, all)\n",
      p->name);
  add(b, "if (!exists(\"fmt\")) fmt = \"%s\"\n", fmt);
  add(b, "if (fmt eq \"svg\") {\n"
         "  set terminal svg size 1000,620 dynamic enhanced font \"DejaVu Sans,13\" background \"white\"\n"
         "} else {\n"
         "  if (fmt eq \"pdf\") {\n"
         "    set terminal pdfcairo size 10in,6.2in enhanced font \"DejaVu Sans,11\"\n"
         "  } else {\n"
         "    set terminal pngcairo size 1000,620 enhanced font \"DejaVu Sans,11\"\n"
         "  }\n"
         "}\n");
  add(b, "if (!exists(\"outfile\")) outfile = \"%s.\" . fmt\n", p->name);
  add(b, "set output outfile\n");
  add(b, "set datafile separator \"\\t\"\nset datafile columnheaders\n");
  add(b, "set encoding utf8\nset grid lc rgb \"#dddddd\"\nset border lc rgb \"#555555\"\n");
  add(b, "set key top left box opaque samplen 2\n");
  if (p->title) { add(b, "set title "); add_quoted(b, p->title); add(b, " noenhanced font \",14\"\n"); }
  if (p->xlabel) { add(b, "set xlabel "); add_quoted(b, p->xlabel); add(b, " noenhanced\n"); }
  if (p->ylabel) { add(b, "set ylabel "); add_quoted(b, p->ylabel); add(b, " noenhanced\n"); }
  add(b, "set xtics noenhanced\nset ytics noenhanced\n");   /* names (at_once) stay as written */
  /* tic labels are numbers: "10^{3}" needs enhanced text; a linear axis
  ** prints 1200000 as it is (gnuplot's default would write 1.2x10^{6}) */
  if (p->logx) add(b, "set logscale x\nset format x \"10^{%%L}\"\nset xtics enhanced\n");
  else add(b, "set format x \"%%g\"\n");
  if (!p->logy) add(b, "set format y \"%%g\"\n");
  else add(b, "set ytics enhanced\n");      /* 1x10^6 drawn as a power, not as text */
  if (p->logy) add(b, "set logscale y\n");
  if (p->ymax > p->ymin && isfinite(p->ymin) && isfinite(p->ymax) && (!p->logy || p->ymin > 0))
    add(b, "set yrange [%.17g:%.17g]\n", p->ymin, p->ymax);
  for (size_t i = 0; i < p->nmarks; i++) {   /* phases, from sim:sample(label) */
    if (!isfinite(p->marks[i].x)) continue;
    add(b, "set arrow from %.17g, graph 0 to %.17g, graph 1 nohead dt 2 lc rgb \"#888888\"\n",
        p->marks[i].x, p->marks[i].x);
    add(b, "set label ");
    add_quoted(b, p->marks[i].text);
    add(b, " at %.17g, graph 0.03 rotate by 90 left offset -0.6,0 font \",9\" "
           "textcolor rgb \"#555555\" noenhanced\n", p->marks[i].x);
  }
}

int ms_plot_write(const char *dir, const ms_Plot *p, const char *format, char *err, size_t errlen) {
  if (!ms_plot_safe_name(p->name) || p->kind == NULL) {
    snprintf(err, errlen, "plot names must be 1 to 200 letters, digits or _-.=+, (got '%.60s')",
             p->name ? p->name : "");
    return -1;
  }
  if (!finite_positive(p->xdiv) || !finite_positive(p->ydiv)) {
    snprintf(err, errlen, "plot '%s': the axis units must be finite numbers", p->name);
    return -1;
  }
  if (p->table && !ms_plot_safe_name(p->table)) {
    snprintf(err, errlen, "plot '%s': bad table file name '%.60s'", p->name, p->table);
    return -1;
  }
  for (size_t i = 0; i < p->nlines; i++)
    if (!ms_plot_safe_name(p->lines[i].file)) {
      snprintf(err, errlen, "plot '%s': bad data file name '%.60s'", p->name,
               p->lines[i].file ? p->lines[i].file : "");
      return -1;
    }
  Buf b = {0};
  double xdiv = p->xdiv > 0 ? p->xdiv : 1, ydiv = p->ydiv > 0 ? p->ydiv : 1;
  header(&b, p, format);
  int bars = strcmp(p->kind, "bars") == 0, stacked = strcmp(p->kind, "stacked") == 0;
  if (strcmp(p->kind, "heatmap") == 0) {
    if (p->nlines == 0 || p->z == NULL) {
      snprintf(err, errlen, "plot '%s': a heatmap needs a file, x, y and z", p->name);
      free(b.s);
      return -1;
    }
    const ms_PlotLine *l = &p->lines[0];
    /* an empty pool is pale grey; a pool in use runs cividis-like from
       dark blue (one block) to yellow (full), readable by all and apart
       from empty at a glance, on a projector too */
    add(&b, "set palette defined (0 \"#E8E8E8\", 0.19 \"#E8E8E8\", 0.2 \"#00204D\", "
            "0.5 \"#4F5F7A\", 0.75 \"#A69D75\", 1 \"#FFEA46\")\n");
    add(&b, "set cbrange [0:1]\nset cbtics (\"empty\" 0, \"1 block\" 0.2, \"half\" 0.6, \"full\" 1)\n");
    add(&b, "set cblabel \"pool: blocks in use\"\n");
    add(&b, "set key off\nset yrange [*:*] reverse\nset xrange [-1:64]\nset tics out\n");
    add(&b, "set ytics 1\nset format y \"%%.0f\"\n");   /* arenas are whole: no -0.5 */
    add(&b, "fill(f) = f > 0 ? 0.2 + 0.8 * f : 0\n");
    add(&b, "plot '%s' using (column(", l->file);
    add_quoted(&b, l->x);
    add(&b, ")):(column(");
    add_quoted(&b, l->y);
    add(&b, ")):(0.45):(0.45):(fill(column(");
    add_quoted(&b, p->z);
    add(&b, "))) with boxxyerror fill solid 1.0 noborder lc palette\n");
  } else if (bars || stacked) {
    if (p->table == NULL || p->ncolumns == 0) {
      snprintf(err, errlen, "plot '%s': a %s plot needs a table and columns", p->name, p->kind);
      free(b.s);
      return -1;
    }
    add(&b, "set style data histograms\n");
    add(&b, stacked ? "set style histogram rowstacked\nset boxwidth 0.6\n"
                    : "set style histogram clustered gap 1\n");
    add(&b, "set style fill solid 0.9 border rgb \"#333333\"\n");
    if (!p->logy && !(p->ymax > p->ymin)) add(&b, "set yrange [0:*]\n");   /* bars stand on 0 */
    add(&b, "set key outside right top vertical\nset xtics nomirror\n");
    if (p->rotate_xtics) add(&b, "set xtics rotate by -30 left\n");
    add(&b, "plot ");
    for (size_t i = 0; i < p->ncolumns; i++) {
      if (i) add(&b, ", \\\n     ");
      add(&b, "'%s' using (column(", i ? "" : p->table);
      add_quoted(&b, p->columns[i]);
      add(&b, ")/%.17g)%s title ", ydiv, i ? "" : ":xtic(1)");
      add_quoted(&b, p->column_titles && p->column_titles[i] ? p->column_titles[i] : p->columns[i]);
      add(&b, " noenhanced lc rgb \"%s\"", palette[i % NCOLORS]);
    }
    add(&b, "\n");
  } else {
    if (p->nlines == 0) {
      snprintf(err, errlen, "plot '%s': no lines to draw", p->name);
      free(b.s);
      return -1;
    }
    int points = strcmp(p->kind, "points") == 0;
    add(&b, "plot ");
    for (size_t i = 0; i < p->nlines; i++) {
      const ms_PlotLine *l = &p->lines[i];
      if (i) add(&b, ", \\\n     ");
      add(&b, "'%s' using (column(", l->file);
      add_quoted(&b, l->x);
      add(&b, ")/%.17g):(column(", xdiv);
      add_quoted(&b, l->y);
      add(&b, ")/%.17g) with %s lw 2 lc rgb \"%s\"%s title ", ydiv, points ? "linespoints" : "lines",
          palette[i % NCOLORS], points ? " pt 7 ps 1.2" : "");
      add_quoted(&b, l->title ? l->title : l->y);
      add(&b, " noenhanced");
    }
    add(&b, "\n");
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.gp", dir, p->name);
  int rc = ms_write_file(path, b.s, b.n, err, errlen);
  free(b.s);
  return rc;
}

/*
** The format a plot script draws in when nobody says: its line
** 'if (!exists("fmt")) fmt = "png"'.  Scripts of memsim before 0.2 named
** the output file instead ('outfile = "live.png"'): its ending is the
** format.
*/
static int script_format(const char *path, char *fmt, size_t n) {
  FILE *f = fopen(path, "r");
  if (f == NULL) return -1;
  char line[1024];
  int found = -1;
  while (found < 0 && fgets(line, sizeof line, f)) {
    static const char fmt_line[] = "if (!exists(\"fmt\")) fmt = \"",
                      old_line[] = "if (!exists(\"outfile\")) outfile = \"";
    const char *q = NULL;
    if (strncmp(line, fmt_line, sizeof fmt_line - 1) == 0) q = line + sizeof fmt_line - 1;
    else if (strncmp(line, old_line, sizeof old_line - 1) == 0) q = strrchr(line, '.');
    if (q == NULL) continue;
    if (*q == '.') q++;
    size_t k = strcspn(q, "\"");
    if (k > 0 && k < n) {
      memcpy(fmt, q, k);
      fmt[k] = '\0';
      found = 0;
    }
  }
  fclose(f);
  return found;
}

/*
** gnuplot runs in its own process group, with no input and a time limit:
** a plot script that loops (a title can no longer make one, but a person
** may edit a .gp file) is killed with everything it started.
*/
static int wait_child(pid_t pid, double seconds, volatile sig_atomic_t *stop, int *status) {
  struct timespec t0, now, nap = {0, 5 * 1000 * 1000};
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (;;) {
    pid_t r = waitpid(pid, status, WNOHANG);
    if (r == pid) return 0;
    if (r < 0 && errno != EINTR) return -1;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double spent = (double)(now.tv_sec - t0.tv_sec) + (now.tv_nsec - t0.tv_nsec) / 1e9;
    if ((seconds > 0 && spent > seconds) || (stop && *stop)) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      while (waitpid(pid, status, 0) < 0 && errno == EINTR) {}
      return 1;
    }
    nanosleep(&nap, NULL);
  }
}

int ms_plot_render(const char *dir, const char *gpname, const char *format, double seconds,
                   volatile sig_atomic_t *stop, char *err, size_t errlen) {
  char gppath[4096], fmt[16], stem[300], out[400], tmp[420], arg[600];
  snprintf(gppath, sizeof gppath, "%s/%s", dir, gpname);
  size_t len = strlen(gpname);
  if (len < 4 || len - 3 >= sizeof stem || strcmp(gpname + len - 3, ".gp") != 0 ||
      script_format(gppath, fmt, sizeof fmt) != 0) {
    snprintf(err, errlen, "%s: not a memsim plot script (no format line)", gpname);
    return -1;
  }
  if (format) snprintf(fmt, sizeof fmt, "%s", format);
  memcpy(stem, gpname, len - 3);
  stem[len - 3] = '\0';
  snprintf(out, sizeof out, "%s.%s", stem, fmt);
  if (!ms_plot_safe_name(out) || (strcmp(fmt, "png") && strcmp(fmt, "svg") && strcmp(fmt, "pdf"))) {
    snprintf(err, errlen, "%s: cannot draw it as '%s'", gpname, fmt);
    return -1;
  }
  snprintf(tmp, sizeof tmp, "%s.tmp", out);
  snprintf(arg, sizeof arg, "fmt=\"%s\"; outfile=\"%s\"", fmt, tmp);
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    snprintf(err, errlen, "cannot start gnuplot: %s", strerror(errno));
    return -1;
  }
  if (pid == 0) {
    setpgid(0, 0);
    int null = open("/dev/null", O_RDONLY);
    if (null >= 0) dup2(null, 0);
    if (chdir(dir) != 0) _exit(126);
    char *argv[] = {"gnuplot", "-e", arg, (char *)gpname, NULL};
    execvp("gnuplot", argv);
    _exit(127);
  }
  setpgid(pid, pid);
  int status = 0;
  int rc = wait_child(pid, seconds, stop, &status);
  char tmppath[4096], outpath[4096];
  snprintf(tmppath, sizeof tmppath, "%s/%s", dir, tmp);
  snprintf(outpath, sizeof outpath, "%s/%s", dir, out);
  if (rc != 0) {
    unlink(tmppath);
    if (rc < 0) snprintf(err, errlen, "waiting for gnuplot: %s", strerror(errno));
    else if (stop && *stop) snprintf(err, errlen, "gnuplot stopped on %s: interrupted", gpname);
    else snprintf(err, errlen, "gnuplot took longer than %.0f s on %s and was stopped", seconds, gpname);
    return -1;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    snprintf(err, errlen, "gnuplot is not installed: install it (apt-get install gnuplot-nox), "
                          "then draw the plots with: memsim plot %s", dir);
    return 1;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    unlink(tmppath);
    snprintf(err, errlen, "gnuplot failed on %s (exit status %d)", gpname,
             WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return -1;
  }
  if (rename(tmppath, outpath) != 0) {
    snprintf(err, errlen, "cannot write %s: %s", outpath, strerror(errno));
    return -1;
  }
  return 0;
}
