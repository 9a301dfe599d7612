/*
** record.c: memsim record, a real program's allocations written to a trace.
**
**   memsim record [--python PATH] [--out TRACE] PROG.py [ARGS ...]
**
**   1. ask the interpreter (python3 on PATH, or PATH) for its version and
**      where its headers and library are (sysconfig);
**   2. build the recorder (sim/cli/recorder.c, carried inside memsim)
**      against them, once per interpreter, into a cache directory
**      ($XDG_CACHE_HOME/memsim/recorders, or ~/.cache/memsim/recorders);
**   3. run PROG.py under the recorder, in this directory with these
**      arguments, the trace going to a temporary file beside TRACE;
**   4. read the trace through, put it in place, and say what it holds.
**
** Nothing from the command line reaches a shell: every program is run
** by execvp with an argument vector.  The exit status is the program's
** (128 + N when signal N ended it), or 1 when memsim itself failed.
*/
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "record.h"
#include "trace.h"

/* the recorder's sources, embedded by CMake */
#include "recorder_c.h"
#include "traceformat_h.h"

static const char record_help[] =
  "usage: memsim record [--python PATH] [--out TRACE] PROG.py [ARGS ...]\n"
  "\n"
  "Runs PROG.py with its arguments under a real CPython (python3 on PATH, or\n"
  "--python PATH), as `python3 PROG.py ARGS` would, and writes every request\n"
  "the interpreter makes of its allocators, from its first, to TRACE (default:\n"
  "PROG.trace in this directory).  The program may call memsim_mark(\"name\")\n"
  "to put named markers in the trace.  Replay the trace with memsim replay.\n"
  "\n"
  "The first time for an interpreter, memsim builds its recorder against that\n"
  "interpreter's headers and library (a C compiler and the python3-dev headers\n"
  "are needed: ./setup.sh installs them) and keeps it in\n"
  "$XDG_CACHE_HOME/memsim/recorders (or ~/.cache/memsim/recorders).\n"
  "\n"
  "Exit status: the program's; 1 when the recording itself failed.\n";

/* what the interpreter says of itself */
typedef struct PyInfo {
  char executable[PATH_MAX];
  char version[32];
  char implementation[32];
  char sysversion[256];
  char include[PATH_MAX];
  char libdir[PATH_MAX];
  char libpl[PATH_MAX];
  char ldversion[32];
  char multiarch[64];
  char libs[512];
  int shared;
} PyInfo;

static const char probe[] =
  "import sys, sysconfig\n"
  "v = sysconfig.get_config_var\n"
  "def say(k, x): print(k + '=' + str(x or '').replace('\\n', ' '))\n"
  "say('executable', sys.executable)\n"
  "say('version', '%d.%d.%d' % sys.version_info[:3])\n"
  "say('implementation', sys.implementation.name)\n"
  "say('sysversion', sys.version)\n"
  "say('include', v('INCLUDEPY'))\n"
  "say('libdir', v('LIBDIR'))\n"
  "say('libpl', v('LIBPL'))\n"
  "say('ldversion', v('LDVERSION') or v('VERSION'))\n"
  "say('multiarch', v('MULTIARCH'))\n"
  "say('libs', ' '.join(x for x in ((v('LIBS') or ''), (v('SYSLIBS') or '')) if x))\n"
  "say('shared', v('Py_ENABLE_SHARED') or 0)\n";

/* ====================================================================
** Running programs (never through a shell)
** ==================================================================== */

/* Run ARGV; its standard output into OUT (at most CAP - 1 bytes). */
static int run_capture(char *const argv[], char *out, size_t cap) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    /* a compiler run with no PATH cannot find its own passes (cc1) */
    if (getenv("PATH") == NULL) setenv("PATH", "/usr/local/bin:/usr/bin:/bin", 0);
    execvp(argv[0], argv);
    fprintf(stderr, "memsim record: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  close(fds[1]);
  size_t got = 0;
  for (;;) {
    char sink[4096];
    char *at = got < cap - 1 ? out + got : sink;
    size_t room = got < cap - 1 ? cap - 1 - got : sizeof sink;
    ssize_t k = read(fds[0], at, room);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) break;
    if (at != sink) got += (size_t)k;
  }
  out[got] = '\0';
  close(fds[0]);
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Run ARGV with the terminal's signals left to it; its exit status. */
static int run_wait(char *const argv[]) {
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    execv(argv[0], argv);
    fprintf(stderr, "memsim record: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  /* Ctrl-C goes to the program (same process group); memsim waits for it */
  struct sigaction ign = {0}, old_int, old_quit;
  ign.sa_handler = SIG_IGN;
  sigaction(SIGINT, &ign, &old_int);
  sigaction(SIGQUIT, &ign, &old_quit);
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGQUIT, &old_quit, NULL);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ====================================================================
** The interpreter and its recorder
** ==================================================================== */

static int field(const char *text, const char *key, char *out, size_t n) {
  size_t k = strlen(key);
  for (const char *line = text; *line;) {
    const char *nl = strchr(line, '\n');
    size_t len = nl ? (size_t)(nl - line) : strlen(line);
    if (len > k && strncmp(line, key, k) == 0 && line[k] == '=') {
      size_t v = len - k - 1;
      if (v >= n) return -1;
      memcpy(out, line + k + 1, v);
      out[v] = '\0';
      for (size_t i = 0; i < v; i++)
        if ((unsigned char)out[i] < 0x20) return -1;
      return 0;
    }
    line += len + (nl != NULL);
  }
  out[0] = '\0';
  return 0;
}

static int ask_python(const char *python, PyInfo *pi) {
  char out[8192];
  char *argv[] = {(char *)python, "-I", "-c", (char *)probe, NULL};
  int rc = run_capture(argv, out, sizeof out);
  if (rc != 0) {
    fprintf(stderr, "memsim record: %s did not answer as a Python interpreter (exit status %d)\n",
            python, rc);
    return -1;
  }
  char shared[8];
  if (field(out, "executable", pi->executable, sizeof pi->executable) || field(out, "version", pi->version, sizeof pi->version) ||
      field(out, "implementation", pi->implementation, sizeof pi->implementation) ||
      field(out, "sysversion", pi->sysversion, sizeof pi->sysversion) ||
      field(out, "include", pi->include, sizeof pi->include) || field(out, "libdir", pi->libdir, sizeof pi->libdir) ||
      field(out, "libpl", pi->libpl, sizeof pi->libpl) || field(out, "ldversion", pi->ldversion, sizeof pi->ldversion) ||
      field(out, "multiarch", pi->multiarch, sizeof pi->multiarch) || field(out, "libs", pi->libs, sizeof pi->libs) ||
      field(out, "shared", shared, sizeof shared)) {
    fprintf(stderr, "memsim record: %s gave an answer memsim cannot use (a value too long or with control characters)\n", python);
    return -1;
  }
  pi->shared = strcmp(shared, "1") == 0;
  if (strcmp(pi->implementation, "cpython") != 0) {
    fprintf(stderr, "memsim record: %s is %s, not CPython: memsim models CPython's allocator\n", python,
            pi->implementation[0] ? pi->implementation : "not a known implementation");
    return -1;
  }
  unsigned major = 0, minor = 0;
  if (sscanf(pi->version, "%u.%u", &major, &minor) != 2 || major != 3 || minor < 9) {
    fprintf(stderr, "memsim record: %s is Python %s; memsim records 3.9 and later\n", python, pi->version);
    return -1;
  }
  if (pi->executable[0] != '/') {
    fprintf(stderr, "memsim record: %s does not know its own path (sys.executable is '%s')\n", python,
            pi->executable);
    return -1;
  }
  char header[PATH_MAX + 16];
  snprintf(header, sizeof header, "%s/Python.h", pi->include);
  if (access(header, R_OK) != 0) {
    fprintf(stderr,
            "memsim record: Python %s's headers are missing (%s: %s).\n"
            "  For the system's python3: apt-get install python3-dev (./setup.sh does it).\n"
            "  For another interpreter: install its development files.\n",
            pi->version, header, strerror(errno));
    return -1;
  }
  return 0;
}

static uint64_t fnv1a(uint64_t h, const void *p, size_t n) {
  const unsigned char *c = p;
  for (size_t i = 0; i < n; i++) h = (h ^ c[i]) * 0x100000001b3ull;
  return h;
}

static int mkdirs(const char *path) {
  char buf[PATH_MAX + 128];
  if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
    errno = ENAMETOOLONG;
    return -1;
  }
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(buf, 0700) != 0 && errno != EEXIST) return -1;
    *p = '/';
  }
  return mkdir(buf, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

static int write_file(const char *path, const unsigned char *data, size_t n) {
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return -1;
  size_t done = 0;
  while (done < n) {
    ssize_t k = write(fd, data + done, n - done);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) {
      close(fd);
      return -1;
    }
    done += (size_t)k;
  }
  return close(fd);
}

/* the cache directory for recorders, in OUT */
static int cache_dir(char *out, size_t n) {
  const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
  int k;
  if (xdg && xdg[0] == '/') k = snprintf(out, n, "%s/memsim/recorders", xdg);
  else if (home && home[0] == '/') k = snprintf(out, n, "%s/.cache/memsim/recorders", home);
  else k = snprintf(out, n, "/tmp/memsim-recorders-%ld", (long)getuid());
  return k < 0 || (size_t)k >= n ? -1 : 0;
}

/* Split the interpreter's LIBS into linker flags (-l, -L, -pthread only). */
static int add_libs(char **argv, int argc, char *libs) {
  for (char *tok = strtok(libs, " \t"); tok && argc < 60; tok = strtok(NULL, " \t"))
    if (strncmp(tok, "-l", 2) == 0 || strncmp(tok, "-L", 2) == 0 || strcmp(tok, "-pthread") == 0)
      argv[argc++] = tok;
  return argc;
}

/* The recorder for PI, built if the cache has none; its path in OUT. */
static int find_recorder(PyInfo *pi, char *out, size_t n) {
  char dir[PATH_MAX - 256];
  if (cache_dir(dir, sizeof dir) != 0) {
    fprintf(stderr, "memsim record: the cache directory's path is too long\n");
    return -1;
  }
  uint64_t h = 0xcbf29ce484222325ull;
  h = fnv1a(h, recorder_c, sizeof recorder_c);
  h = fnv1a(h, traceformat_h, sizeof traceformat_h);
  h = fnv1a(h, pi->executable, strlen(pi->executable));
  h = fnv1a(h, pi->sysversion, strlen(pi->sysversion));
  h = fnv1a(h, pi->include, strlen(pi->include));
  h = fnv1a(h, pi->libdir, strlen(pi->libdir));
  char sub[PATH_MAX];
  int k = snprintf(sub, sizeof sub, "%s/python%s-%016llx", dir, pi->version, (unsigned long long)h);
  if (k < 0 || (size_t)k + 20 >= sizeof sub || (size_t)k + 20 >= n) {
    fprintf(stderr, "memsim record: the cache directory's path is too long\n");
    return -1;
  }
  if (snprintf(out, n, "%s/memsim-recorder", sub) >= (int)n) {
    fprintf(stderr, "memsim record: the cache directory's path is too long\n");
    return -1;
  }
  if (access(out, X_OK) == 0) return 0;

  if (mkdirs(sub) != 0) {
    fprintf(stderr, "memsim record: cannot make %s: %s\n", sub, strerror(errno));
    return -1;
  }
  char build[PATH_MAX + 128];
  snprintf(build, sizeof build, "%s/build-XXXXXX", sub);
  if (mkdtemp(build) == NULL) {
    fprintf(stderr, "memsim record: cannot make a build directory in %s: %s\n", sub, strerror(errno));
    return -1;
  }
  char src[PATH_MAX + 160], hdr[PATH_MAX + 160], exe[PATH_MAX + 160];
  snprintf(src, sizeof src, "%s/recorder.c", build);
  snprintf(hdr, sizeof hdr, "%s/traceformat.h", build);
  snprintf(exe, sizeof exe, "%s/memsim-recorder", build);
  int rc = -1;
  if (write_file(src, recorder_c, sizeof recorder_c) != 0 ||
      write_file(hdr, traceformat_h, sizeof traceformat_h) != 0) {
    fprintf(stderr, "memsim record: cannot write the recorder's sources in %s: %s\n", build, strerror(errno));
    goto cleanup;
  }
  fprintf(stderr, "memsim record: building the recorder for Python %s (once; kept in %s)\n",
          pi->version, sub);
  char incflag[PATH_MAX + 8], buildinc[PATH_MAX + 160], lpl[PATH_MAX + 8], ldir[PATH_MAX + 8],
      rpath[PATH_MAX + 16], march[96], lpy[64];
  snprintf(incflag, sizeof incflag, "-I%s", pi->include);
  snprintf(buildinc, sizeof buildinc, "-I%s", build);
  snprintf(lpl, sizeof lpl, "-L%s", pi->libpl);
  snprintf(ldir, sizeof ldir, "-L%s", pi->libdir);
  snprintf(rpath, sizeof rpath, "-Wl,-rpath,%s", pi->libdir);
  snprintf(march, sizeof march, "-L/usr/lib/%s", pi->multiarch);
  snprintf(lpy, sizeof lpy, "-lpython%s", pi->ldversion);
  char *argv[80];
  int argc = 0;
  argv[argc++] = "cc";
  argv[argc++] = "-O2";
  argv[argc++] = "-o";
  argv[argc++] = exe;
  argv[argc++] = src;
  argv[argc++] = buildinc;
  argv[argc++] = incflag;
  if (pi->libpl[0]) argv[argc++] = lpl;
  if (pi->libdir[0]) argv[argc++] = ldir;
  if (pi->multiarch[0]) argv[argc++] = march;
  if (pi->shared && pi->libdir[0]) argv[argc++] = rpath;
  argv[argc++] = lpy;
  argc = add_libs(argv, argc, pi->libs);
  argv[argc++] = "-lm";
  argv[argc++] = "-lpthread";
  argv[argc++] = "-ldl";
  argv[argc++] = "-Xlinker";
  argv[argc++] = "-export-dynamic";
  argv[argc] = NULL;
  char sink[16];
  int cc = run_capture(argv, sink, sizeof sink);
  if (cc != 0) {
    fprintf(stderr, "memsim record: building the recorder for Python %s failed (cc exit status %d).\n"
                    "  It needs a C compiler and the interpreter's headers and library:\n"
                    "  apt-get install build-essential python3-dev (./setup.sh does it).\n",
            pi->version, cc);
    goto cleanup;
  }
  if (rename(exe, out) != 0) {
    fprintf(stderr, "memsim record: cannot put the recorder in place (%s): %s\n", out, strerror(errno));
    goto cleanup;
  }
  rc = 0;
cleanup:
  unlink(src);
  unlink(hdr);
  unlink(exe);
  rmdir(build);
  return rc;
}

/* ====================================================================
** memsim record
** ==================================================================== */

static void human_bytes(uint64_t n, char *out, size_t len) {
  if (n >= 1u << 20) snprintf(out, len, "%.1f MiB", (double)n / (1 << 20));
  else if (n >= 10u << 10) snprintf(out, len, "%.1f KiB", (double)n / 1024);
  else snprintf(out, len, "%llu bytes", (unsigned long long)n);
}

/* "PROG.trace" in this directory for PROG.py (any directory, any suffix .py) */
static void default_out(const char *prog, char *out, size_t n) {
  const char *base = strrchr(prog, '/');
  base = base ? base + 1 : prog;
  size_t len = strlen(base);
  if (len > 3 && strcmp(base + len - 3, ".py") == 0) len -= 3;
  if (len == 0) snprintf(out, n, "program.trace");
  else snprintf(out, n, "%.*s.trace", (int)(len < 200 ? len : 200), base);
}

int ms_cmd_record(int argc, char **argv) {
  const char *python = "python3", *out = NULL;
  int i = 2;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fputs(record_help, stdout);
      return 0;
    }
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    }
    if (a[0] != '-') break;                        /* the program: the rest is its own */
    const char *v = NULL;
    int is_python = strncmp(a, "--python", 8) == 0 && (a[8] == '\0' || a[8] == '=');
    int is_out = strncmp(a, "--out", 5) == 0 && (a[5] == '\0' || a[5] == '=');
    if (is_python || is_out) {
      size_t k = is_python ? 8 : 5;
      if (a[k] == '=') v = a + k + 1;
      else if (i + 1 < argc) v = argv[++i];
      if (v == NULL || v[0] == '\0') {
        fprintf(stderr, "memsim record: %s needs a value\n%s", is_python ? "--python" : "--out", record_help);
        return 2;
      }
      if (is_python) python = v;
      else out = v;
      continue;
    }
    fprintf(stderr, "memsim record: unknown flag '%s' (flags come before PROG.py)\n\n%s", a, record_help);
    return 2;
  }
  if (i >= argc) {
    fprintf(stderr, "memsim record: which program? (memsim record PROG.py [ARGS ...])\n\n%s", record_help);
    return 2;
  }
  const char *prog = argv[i];
  struct stat st;
  if (stat(prog, &st) != 0 || !S_ISREG(st.st_mode)) {
    fprintf(stderr, "memsim record: %s: %s\n", prog, stat(prog, &st) != 0 ? strerror(errno) : "not a regular file");
    return 2;
  }

  char outbuf[PATH_MAX];
  if (out == NULL) {
    default_out(prog, outbuf, sizeof outbuf);
    out = outbuf;
  }
  struct stat ost;
  if (stat(out, &ost) == 0 && !S_ISREG(ost.st_mode)) {
    fprintf(stderr, "memsim record: %s exists and is not a file: not replaced\n", out);
    return 2;
  }

  PyInfo pi;
  memset(&pi, 0, sizeof pi);
  if (ask_python(python, &pi) != 0) return 1;
  char recorder[PATH_MAX];
  if (find_recorder(&pi, recorder, sizeof recorder) != 0) return 1;
  char tmp[PATH_MAX + 16];
  if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", out) >= (int)sizeof tmp) {
    fprintf(stderr, "memsim record: --out is too long\n");
    return 2;
  }
  int fd = mkstemp(tmp);
  if (fd < 0) {
    fprintf(stderr, "memsim record: cannot write beside %s: %s\n", out, strerror(errno));
    return 1;
  }
  mode_t mask = umask(0);                   /* a trace is an ordinary file: 0666 & ~umask */
  umask(mask);
  if (fchmod(fd, 0666 & ~mask) != 0) {
    fprintf(stderr, "memsim record: cannot set the trace's mode: %s\n", strerror(errno));
  }
  char fdstr[16];
  snprintf(fdstr, sizeof fdstr, "%d", fd);
  int nargs = argc - i;
  char **rargv = calloc((size_t)nargs + 4, sizeof *rargv);
  if (rargv == NULL) {
    close(fd);
    unlink(tmp);
    return 1;
  }
  rargv[0] = recorder;
  rargv[1] = fdstr;
  rargv[2] = pi.executable;
  for (int k = 0; k < nargs; k++) rargv[3 + k] = argv[i + k];
  int status = run_wait(rargv);
  free(rargv);
  close(fd);
  if (status < 0) {
    fprintf(stderr, "memsim record: cannot start the recorder: %s\n", strerror(errno));
    unlink(tmp);
    return 1;
  }

  /* read it through: the count, and whether it is whole */
  char err[600];
  ms_Trace *t = ms_trace_open(tmp, err, sizeof err);
  if (t == NULL) {
    fprintf(stderr, "memsim record: the recorder wrote no trace (%s); the program's exit status was %d\n",
            err, status);
    unlink(tmp);
    return status ? status : 1;
  }
  ms_TraceEvent e;
  uint64_t items = 0;
  int k;
  while ((k = ms_trace_next(t, &e)) == 1) items++;
  uint64_t size = ms_trace_size(t);
  char whole[400] = "";
  if (k < 0) snprintf(whole, sizeof whole, "%s", ms_trace_error(t));
  ms_trace_close(t);
  if (rename(tmp, out) != 0) {
    fprintf(stderr, "memsim record: cannot put the trace in place (%s): %s\n", out, strerror(errno));
    unlink(tmp);
    return 1;
  }
  char hs[32];
  human_bytes(size, hs, sizeof hs);
  fprintf(stderr, "memsim record: %llu events, %s (%.1f bytes an event), Python %s: %s\n",
          (unsigned long long)items, hs, items ? (double)size / (double)items : 0.0, pi.version, out);
  if (whole[0])
    fprintf(stderr, "memsim record: the trace is incomplete, memsim replay will refuse it: %s\n", whole);
  if (status != 0) fprintf(stderr, "memsim record: the program's exit status was %d\n", status);
  return status;
}

const char *ms_record_help(void) { return record_help; }
