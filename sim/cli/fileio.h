/*
** fileio.h: the files memsim writes, so that no reader sees half of one
** and no planted link sends a write elsewhere.
**
** Results are made in a fresh work directory beside their destination
** (".memsim-tmp-PID-XXXXXX", created with mkdtemp: mode 0700, a name
** nobody could guess) and moved into place whole by rename(2) when the
** run is complete.  Inside it every file is created with O_EXCL and
** O_NOFOLLOW under a temporary name and renamed over its real name, so a
** symbolic link planted under either name is replaced, never followed.
*/
#ifndef MEMSIM_FILEIO_H
#define MEMSIM_FILEIO_H

#include <stddef.h>

/* Write LEN bytes to PATH atomically; 0 on success, else -1 with ERR. */
int ms_write_file(const char *path, const char *data, size_t len, char *err, size_t errlen);
/* Create DIR and its parents (like mkdir -p); 0 on success. */
int ms_mkdirs(const char *dir, char *err, size_t errlen);

/* Remove DIR and everything below it, following no link; 0 on success. */
int ms_remove_tree(const char *dir);

/* The work directory prefix, and whether NAME is one of ours. */
#define MS_WORKDIR_PREFIX ".memsim-tmp-"

/*
** A fresh work directory in PARENT: PARENT/.memsim-tmp-PID-XXXXXX, its
** path in OUT.  Work directories of processes that no longer exist
** (runs killed with SIGKILL) are removed first.  0 on success.
*/
int ms_make_workdir(const char *parent, char *out, size_t outlen, char *err, size_t errlen);

/*
** DEST may be replaced by a run's results: it does not exist, is an
** empty directory, or is a directory memsim wrote (it holds
** summary.json or .memsim-results).  0 if so, else -1 with ERR.
*/
int ms_check_destination(const char *dest, char *err, size_t errlen);

/*
** Move the complete work directory WORK to DEST in one step: DEST's old
** contents are swapped out atomically (renameat2 RENAME_EXCHANGE) and
** removed; a reader sees the old results or the new, never a mixture.
*/
int ms_install_dir(const char *work, const char *dest, char *err, size_t errlen);

/* The directory part of PATH ("." when there is none), in OUT. */
void ms_dirname(const char *path, char *out, size_t outlen);

#endif
