/* ini_read.c — a file's bytes, read once (see ini_read.h). */
#include "ini_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "inifile.h"

static kofu_status io_error(const char *path, kofu_status st, kofu_diag *diag,
                            const char *what_ja, const char *what_en, int err)
{
    return diag_add(diag, st, path, 0, NULL, NULL, "%s: %s", "%s: %s",
                    DIAG_TR(diag, what_ja, what_en), diag_errno_text(diag, err));
}

/* Reads the whole file (a regular file of about `hint` bytes) into a
 * block of *cap bytes (free()). false when
 * memory runs out; *buf = NULL (errno set) when reading fails. At most
 * INI_MAX_FILE_BYTES + 1 bytes are read: one more tells "too large" even
 * when the file grew after fstat. */
static bool read_capped(int fd, size_t hint, char **buf, size_t *len, size_t *cap)
{
    size_t want = (hint < INI_MAX_FILE_BYTES ? hint : INI_MAX_FILE_BYTES) + 1;
    size_t n = 0;
    char *p = malloc(want);
    if (!p)
        return false;
    *cap = want;
    for (;;) {
        if (n == *cap) {
            if (*cap > INI_MAX_FILE_BYTES)
                break;
            size_t ncap = *cap * 2 < INI_MAX_FILE_BYTES + 1 ? *cap * 2 : INI_MAX_FILE_BYTES + 1;
            char *q = realloc(p, ncap);
            if (!q) {
                free(p);
                return false;
            }
            p = q;
            *cap = ncap;
        }
        size_t room = *cap - n;
        ssize_t r = read(fd, p + n, room);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int err = errno;
            free(p);
            errno = err;
            *buf = NULL;
            return true;
        }
        n += (size_t)r;
        /* A regular file gives less than asked only at its end: no need
         * for one more read to see 0. */
        if (r == 0 || (size_t)r < room)
            break;
    }
    *buf = p;
    *len = n;
    return true;
}

static kofu_status check_stat(const char *path, int fd, kofu_status fail, kofu_diag *diag,
                              size_t *size)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return io_error(path, fail, diag, "ファイルを調べられません", "cannot stat the file",
                        errno);
    if (S_ISDIR(st.st_mode))
        return diag_add(diag, fail, path, 0, NULL, NULL,
                        "ディレクトリです(ファイルを指定してください)",
                        "is a directory, not a file");
    if (!S_ISREG(st.st_mode))
        return diag_add(diag, fail, path, 0, NULL, NULL, "通常のファイルではありません",
                        "not a regular file");
    if ((uintmax_t)st.st_size > INI_MAX_FILE_BYTES)
        return diag_add(diag, fail, path, 0, NULL, NULL,
                        "ファイルが大きすぎます(上限%uバイト)",
                        "file too large (the limit is %u bytes)", INI_MAX_FILE_BYTES);
    *size = (size_t)st.st_size;
    return KOFU_OK;
}

kofu_status ini_read_at(int dirfd, const char *name, const char *path, kofu_status fail_status,
                        kofu_diag *diag, ini_bytes *out)
{
    *out = (ini_bytes){0};
    /* O_NONBLOCK: a FIFO must be refused, not waited on. */
    int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return io_error(path, fail_status, diag, "ファイルを開けません", "cannot open the file",
                        errno);
    size_t size = 0;
    kofu_status st = check_stat(path, fd, fail_status, diag, &size);
    if (st == KOFU_OK) {
        if (!read_capped(fd, size, &out->data, &out->len, &out->cap))
            st = KOFU_ENOMEM;
        else if (!out->data)
            st = io_error(path, fail_status, diag, "ファイルを読めません",
                          "cannot read the file", errno);
    }
    close(fd);
    if (st != KOFU_OK)
        ini_bytes_free(out);
    return st;
}

void ini_bytes_free(ini_bytes *b)
{
    free(b->data);
    *b = (ini_bytes){0};
}

kofu_status ini_load(const char *path, kofu_status fail_status, kofu_diag *diag,
                     ini_file **out)
{
    return ini_load_at(AT_FDCWD, path, path, fail_status, diag, out);
}

kofu_status ini_load_at(int dirfd, const char *name, const char *path, kofu_status fail_status,
                        kofu_diag *diag, ini_file **out)
{
    if (!name || !path || !out)
        return KOFU_EUSAGE;
    *out = NULL;
    ini_bytes b;
    kofu_status st = ini_read_at(dirfd, name, path, fail_status, diag, &b);
    /* the parser and iniparser see these bytes and no others: the file is
     * not opened again, so a concurrent rewrite cannot mix two versions */
    if (st == KOFU_OK)
        st = ini_parse(path, b.data, b.len, fail_status, diag, out);
    ini_bytes_free(&b);
    return st;
}
