/*
** fuzz_sandbox.c: libFuzzer harness for --sandbox.  Each input is a Lua
** script; the real memsim program runs it as
**     memsim run case.lua --sandbox --timeout 2 --out out --format none
** in a fresh directory, and the harness aborts (a finding) when anything
** appeared outside `out`: in that directory, in /tmp, or in the
** directory that holds the script.  Seeds: tests/hostile/cases and
** tests/fuzz/sandbox.dict.  Built with -DMEMSIM_FUZZ=ON and clang; the
** program's path is compiled in (MEMSIM_BIN).
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_NAMES 4096

typedef struct Listing {
  char *names[MAX_NAMES];
  int n;
} Listing;

static void list_dir(const char *dir, Listing *l) {
  l->n = 0;
  DIR *d = opendir(dir);
  if (d == NULL) return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL && l->n < MAX_NAMES) l->names[l->n++] = strdup(e->d_name);
  closedir(d);
}

static void free_listing(Listing *l) {
  for (int i = 0; i < l->n; i++) free(l->names[i]);
  l->n = 0;
}

/* a name in AFTER that is not in BEFORE (other than ALLOWED), or NULL */
static const char *new_name(const Listing *before, const Listing *after, const char *const *allowed) {
  for (int i = 0; i < after->n; i++) {
    int seen = 0;
    for (int j = 0; j < before->n && !seen; j++) seen = strcmp(after->names[i], before->names[j]) == 0;
    for (int k = 0; allowed[k] && !seen; k++) seen = strcmp(after->names[i], allowed[k]) == 0;
    if (!seen) return after->names[i];
  }
  return NULL;
}

static char root[256];

/* libFuzzer's own SIGALRM (its -timeout) interrupts waitpid: wait on */
static int wait_for(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) abort();
  return status;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  snprintf(root, sizeof root, "/tmp/memsim-fuzz-sandbox-XXXXXX");
  if (mkdtemp(root) == NULL) abort();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 8192) return 0;
  char dir[512], script[600], out[600];
  snprintf(dir, sizeof dir, "%s/case", root);
  snprintf(script, sizeof script, "%s/case.lua", root);
  snprintf(out, sizeof out, "%s/out", dir);
  /* a fresh directory for the run */
  pid_t rm = fork();
  if (rm == 0) {
    execlp("rm", "rm", "-rf", dir, (char *)NULL);
    _exit(127);
  }
  wait_for(rm);
  mkdir(dir, 0755);
  FILE *f = fopen(script, "wb");
  if (f == NULL) abort();
  fwrite(data, 1, size, f);
  fclose(f);

  Listing tmp0, dir0, root0, tmp1, dir1, root1;
  list_dir("/tmp", &tmp0);
  list_dir(dir, &dir0);
  list_dir(root, &root0);
  pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir) != 0) _exit(126);
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    if (getenv("FUZZ_SANDBOX_LOG") == NULL) dup2(null, 2);
    execl(MEMSIM_BIN, "memsim", "run", script, "--sandbox", "--timeout", "2", "--out", out,
          "--format", "none", "--quiet", (char *)NULL);
    _exit(127);
  }
  int status = wait_for(pid);
  list_dir("/tmp", &tmp1);
  list_dir(dir, &dir1);
  list_dir(root, &root1);
  static const char *const none[] = {NULL}, *const in_dir[] = {"out", NULL};
  const char *a = new_name(&tmp0, &tmp1, none), *b = new_name(&dir0, &dir1, in_dir),
             *c = new_name(&root0, &root1, none);
  if (a || b || c) {
    fprintf(stderr, "fuzz_sandbox: a file appeared outside --out: %s\n", a ? a : b ? b : c);
    abort();
  }
  if (WIFSIGNALED(status)) {
    fprintf(stderr, "fuzz_sandbox: memsim was killed by signal %d\n", WTERMSIG(status));
    abort();
  }
  free_listing(&tmp0);
  free_listing(&tmp1);
  free_listing(&dir0);
  free_listing(&dir1);
  free_listing(&root0);
  free_listing(&root1);
  return 0;
}
