/*
** fileio.h: writing result files so that a reader never sees half of one.
**
** Every file memsim writes goes to "<path>.tmp" first and is renamed over
** <path> once complete: an interrupted run leaves complete files and
** stray .tmp files, never a truncated file under the real name.
*/
#ifndef MEMSIM_FILEIO_H
#define MEMSIM_FILEIO_H

#include <stddef.h>

/* Write LEN bytes to PATH atomically; 0 on success, else -1 with ERR. */
int ms_write_file(const char *path, const char *data, size_t len, char *err, size_t errlen);
/* Create DIR and its parents (like mkdir -p); 0 on success. */
int ms_mkdirs(const char *dir, char *err, size_t errlen);

#endif
