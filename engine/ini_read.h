/*
 * ini_read.h — reading a case or rule-data file: once, whole, and only when
 * it is a regular file.
 *
 * The file is opened without blocking (a FIFO, a device or a link to
 * /dev/stdin is refused, never waited on), checked with fstat (a directory
 * or any non-regular file is an error naming it; a file above
 * INI_MAX_FILE_BYTES is refused from its size), and read into one buffer.
 * Everything after that — validation and iniparser — works on that buffer.
 */
#ifndef KOFU_ENGINE_INI_READ_H
#define KOFU_ENGINE_INI_READ_H

#include <stddef.h>

#include "kofu/kofu.h"

typedef struct ini_bytes {
    char *data; /* free with ini_bytes_free */
    size_t len, cap;
} ini_bytes;

/* Reads `name` relative to dirfd (AT_FDCWD: the working directory); `path`
 * names it in messages. On failure returns fail_status (or KOFU_ENOMEM) with
 * the reason in diag, and *out empty. */
kofu_status ini_read_at(int dirfd, const char *name, const char *path, kofu_status fail_status,
                        kofu_diag *diag, ini_bytes *out);
void ini_bytes_free(ini_bytes *b);

#endif
