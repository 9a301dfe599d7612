/*
** fileio.c: see fileio.h.
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

#include "fileio.h"

/* ====================================================================
** One file
** ==================================================================== */

int ms_write_file(const char *path, const char *data, size_t len, char *err, size_t errlen) {
  char tmp[4096];
  if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp) {
    snprintf(err, errlen, "%.200s...: path too long", path);
    return -1;
  }
  int fd = mkstemp(tmp);                 /* O_CREAT | O_EXCL: never through a link */
  if (fd < 0) {
    snprintf(err, errlen, "cannot write %.300s: %s", path, strerror(errno));
    return -1;
  }
  fchmod(fd, 0644);
  size_t done = 0;
  while (done < len) {
    ssize_t k = write(fd, data + done, len - done);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) break;
    done += (size_t)k;
  }
  int bad = done != len;
  if (close(fd) != 0) bad = 1;
  if (bad || rename(tmp, path) != 0) {   /* rename replaces a link, never follows it */
    snprintf(err, errlen, "cannot write %.300s: %s", path, strerror(errno ? errno : EIO));
    unlink(tmp);
    return -1;
  }
  return 0;
}

int ms_mkdirs(const char *dir, char *err, size_t errlen) {
  char buf[4096];
  size_t n = strlen(dir);
  if (n == 0 || n >= sizeof buf) {
    snprintf(err, errlen, "bad directory name '%.200s'", dir);
    return -1;
  }
  memcpy(buf, dir, n + 1);
  for (size_t i = 1; i <= n; i++) {
    if (buf[i] != '/' && buf[i] != '\0') continue;
    char c = buf[i];
    buf[i] = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
      snprintf(err, errlen, "cannot create directory %.300s: %s", buf, strerror(errno));
      return -1;
    }
    buf[i] = c;
  }
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    snprintf(err, errlen, "%.300s is not a directory", dir);
    return -1;
  }
  if (access(dir, W_OK) != 0) {
    snprintf(err, errlen, "cannot write in %.300s: %s", dir, strerror(errno));
    return -1;
  }
  return 0;
}

void ms_dirname(const char *path, char *out, size_t outlen) {
  const char *slash = strrchr(path, '/');
  if (slash == NULL) {
    snprintf(out, outlen, ".");
  } else if (slash == path) {
    snprintf(out, outlen, "/");
  } else {
    snprintf(out, outlen, "%.*s", (int)(slash - path), path);
  }
}

/* ====================================================================
** Trees
** ==================================================================== */

/* Remove what is inside the directory open as FD; DEPTH bounds recursion. */
static int remove_inside(int fd, int depth) {
  if (depth > 64) return -1;
  DIR *d = fdopendir(fd);
  if (d == NULL) {
    close(fd);
    return -1;
  }
  int rc = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (unlinkat(dirfd(d), e->d_name, 0) == 0) continue;
    if (errno != EISDIR && errno != EPERM) {
      rc = -1;
      continue;
    }
    int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sub < 0 || remove_inside(sub, depth + 1) != 0 ||
        unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR) != 0)
      rc = -1;
  }
  closedir(d);
  return rc;
}

int ms_remove_tree(const char *dir) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? 0 : -1;
  if (remove_inside(fd, 0) != 0) return -1;
  return rmdir(dir);
}

/* ====================================================================
** Work directories and their installation
** ==================================================================== */

/* remove work directories whose process is gone (killed with SIGKILL) */
static void clean_stale(const char *parent) {
  DIR *d = opendir(parent);
  if (d == NULL) return;
  size_t np = strlen(MS_WORKDIR_PREFIX);
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strncmp(e->d_name, MS_WORKDIR_PREFIX, np) != 0) continue;
    char *end;
    long pid = strtol(e->d_name + np, &end, 10);
    if (pid <= 0 || *end != '-') continue;
    if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue;   /* still running */
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", parent, e->d_name) < (int)sizeof path)
      ms_remove_tree(path);
  }
  closedir(d);
}

int ms_make_workdir(const char *parent, char *out, size_t outlen, char *err, size_t errlen) {
  if (ms_mkdirs(parent, err, errlen) != 0) return -1;
  clean_stale(parent);
  if (snprintf(out, outlen, "%s/%s%ld-XXXXXX", parent, MS_WORKDIR_PREFIX, (long)getpid()) >=
      (int)outlen) {
    snprintf(err, errlen, "%.200s...: path too long", parent);
    return -1;
  }
  /* another memsim in this directory may remove PARENT between our mkdirs
     and mkdtemp (it removes the results directory it made when it stays
     empty): make it again, a few times */
  size_t len = strlen(out);
  int tries = 0;
  while (mkdtemp(out) == NULL) {
    if (errno != ENOENT || ++tries == 5 || ms_mkdirs(parent, err, errlen) != 0) {
      snprintf(err, errlen, "cannot create a work directory in %.300s: %s", parent, strerror(errno));
      return -1;
    }
    memcpy(out + len - 6, "XXXXXX", 6);     /* mkdtemp's template again */
  }
  mode_t mask = umask(0);                /* mkdtemp's 0700, widened as mkdir would */
  umask(mask);
  chmod(out, 0777 & ~mask);
  char marker[4200];
  snprintf(marker, sizeof marker, "%s/.memsim-results", out);
  return ms_write_file(marker, "memsim results\n", 15, err, errlen);
}

int ms_check_destination(const char *dest, char *err, size_t errlen) {
  struct stat st;
  if (lstat(dest, &st) != 0) {
    if (errno == ENOENT) return 0;
    snprintf(err, errlen, "cannot use %.300s: %s", dest, strerror(errno));
    return -1;
  }
  if (S_ISLNK(st.st_mode)) {
    snprintf(err, errlen, "%.300s is a symbolic link: give the directory itself as --out", dest);
    return -1;
  }
  if (!S_ISDIR(st.st_mode)) {
    snprintf(err, errlen, "%.300s is not a directory", dest);
    return -1;
  }
  DIR *d = opendir(dest);
  if (d == NULL) {
    snprintf(err, errlen, "cannot open %.300s: %s", dest, strerror(errno));
    return -1;
  }
  int entries = 0, ours = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    entries++;
    if (strcmp(e->d_name, "summary.json") == 0 || strcmp(e->d_name, ".memsim-results") == 0) ours = 1;
  }
  closedir(d);
  if (entries > 0 && !ours) {
    snprintf(err, errlen, "%.300s holds files memsim did not write: results replace their directory "
                          "whole, so give --out a new or empty directory", dest);
    return -1;
  }
  return 0;
}

int ms_install_dir(const char *work, const char *dest, char *err, size_t errlen) {
  if (rename(work, dest) == 0) return 0;  /* DEST absent or an empty directory */
  if (errno != EEXIST && errno != ENOTEMPTY) {
    snprintf(err, errlen, "cannot move the results to %.300s: %s", dest, strerror(errno));
    return -1;
  }
  if (renameat2(AT_FDCWD, work, AT_FDCWD, dest, RENAME_EXCHANGE) == 0) {
    ms_remove_tree(work);                /* WORK now names the old results */
    return 0;
  }
  /* a file system without RENAME_EXCHANGE: two renames, a short window */
  char old[4200];
  snprintf(old, sizeof old, "%s.old", work);
  if (rename(dest, old) != 0 || rename(work, dest) != 0) {
    snprintf(err, errlen, "cannot move the results to %.300s: %s", dest, strerror(errno));
    return -1;
  }
  ms_remove_tree(old);
  return 0;
}
