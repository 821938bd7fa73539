/* rules_files.c — the files of a rule-data directory: reading them like case
 * files, refusing the ones that name nothing, and exporting without writing
 * through a link or over an edited copy (see rules_files.h). */
#include "rules_files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "ini_read.h"
#include "inifile.h"
#include "rules_embedded.h"
#include "suggest.h"
#include "util.h"

kofu_status rules_file_read(const char *path, kofu_diag *diag, char **text, size_t *len)
{
    *text = NULL;
    *len = 0;
    ini_bytes b;
    kofu_status st = ini_read_at(AT_FDCWD, path, path, KOFU_ERULES, diag, &b);
    if (st != KOFU_OK)
        return st;
    *text = xstrndup(b.data, b.len);
    *len = b.len;
    ini_bytes_free(&b);
    return *text ? KOFU_OK : KOFU_ENOMEM;
}

/* ---- names ------------------------------------------------------------- */

/* The files a rule-data directory may hold: every file built into the
 * library (the measures' <name>.params, and the files of rule data that are
 * no measure's, such as the bibliography), so the list follows the build and
 * is written nowhere else. NULL-terminated; the strings are the table's. */
static const char **known_names(void)
{
    size_t n = 0;
    while (rules_embedded[n].file)
        n++;
    const char **names = calloc(n + 1, sizeof *names);
    for (size_t i = 0; names && i < n; i++)
        names[i] = rules_embedded[i].file;
    return names;
}

static bool is_known(const char *const *names, const char *name)
{
    for (size_t i = 0; names[i]; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

kofu_status rules_dir_check_names(const char *dir, kofu_diag *diag)
{
    const char **names = known_names();
    if (!names)
        return KOFU_ENOMEM;
    DIR *d = opendir(dir);
    if (!d) {
        int err = errno;
        free(names);
        return diag_add(diag, KOFU_ERULES, dir, 0, NULL, NULL,
                        "ルールデータのディレクトリを読めません: %s",
                        "cannot read the rule data directory: %s", diag_errno_text(diag, err));
    }
    kofu_status st = KOFU_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        /* hidden files (an editor's swap file, .git) are not rule data */
        if (e->d_name[0] == '.' || is_known(names, e->d_name))
            continue;
        const char *near = suggest_nearest(e->d_name, names);
        char *path = xasprintf("%s/%s", dir, e->d_name);
        char *hint = !near ? NULL
                     : diag_lang(diag) == KOFU_LANG_EN ? xasprintf("; did you mean %s?", near)
                                                       : xasprintf("（%s の誤りでは？）", near);
        diag_add(diag, KOFU_ERULES, path ? path : e->d_name, 0, NULL, NULL,
                 "どの措置のルールデータでもないファイルです%s",
                 "this file is not the rule data of any measure%s", hint ? hint : "");
        free(hint);
        free(path);
        st = KOFU_ERULES;
    }
    closedir(d);
    free(names);
    return st;
}

/* ---- export -------------------------------------------------------------- */

static kofu_status dir_error(kofu_diag *diag, kofu_status st, const char *path, const char *ja,
                             const char *en, int err)
{
    return diag_add(diag, st, path, 0, NULL, NULL, "%s: %s", "%s: %s", DIAG_TR(diag, ja, en),
                    diag_errno_text(diag, err));
}

/* True when the directory open at fd holds anything. */
static bool dir_has_entries(int fd, int *err)
{
    int dfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        *err = errno;
        if (dfd >= 0)
            close(dfd);
        return true;
    }
    bool any = false;
    struct dirent *e;
    while (!any && (e = readdir(d)) != NULL)
        any = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return any;
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return false;
        }
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Writes one file as a new temporary (O_CREAT|O_EXCL|O_NOFOLLOW: nothing
 * that already exists is opened, a planted link least of all) and renames
 * it into place, which replaces a link or a FIFO of that name instead of
 * writing through it. Returns 0 or the errno. */
static int write_one(int dfd, const char *name, const char *bytes, size_t len)
{
    char tmp[96];
    int fd = -1;
    for (unsigned attempt = 0; fd < 0 && attempt < 100; attempt++) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        snprintf(tmp, sizeof tmp, ".kofu-export-%ld-%lx-%u", (long)getpid(),
                 (unsigned long)ts.tv_nsec, attempt);
        fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            return errno;
    }
    if (fd < 0)
        return EEXIST;
    int err = 0;
    if (!write_all(fd, bytes, len) || fsync(fd) != 0)
        err = errno;
    if (close(fd) != 0 && !err)
        err = errno;
    if (!err && renameat(dfd, tmp, dfd, name) != 0)
        err = errno;
    if (err)
        unlinkat(dfd, tmp, 0);
    return err;
}

kofu_status kofu_rules_export_opts(const char *dir, unsigned flags, kofu_diag *diag)
{
    if (!dir || !*dir)
        return KOFU_EUSAGE;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return dir_error(diag, KOFU_EIO, dir, "ディレクトリを作れません", "cannot create the directory",
                         errno);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return dir_error(diag, KOFU_EIO, dir, "ディレクトリを開けません", "cannot open the directory",
                         errno);
    int err = 0;
    if (!(flags & KOFU_EXPORT_FORCE) && dir_has_entries(dfd, &err)) {
        close(dfd);
        if (err)
            return dir_error(diag, KOFU_EIO, dir, "ディレクトリを読めません",
                             "cannot read the directory", err);
        return diag_add(diag, KOFU_EUSAGE, dir, 0, NULL, NULL,
                        "空のディレクトリではありません（編集したルールデータを上書きしないよう、"
                        "書き出しを中止しました。上書きするには --force を付けてください）",
                        "the directory is not empty (stopped so as not to overwrite edited rule "
                        "data; add --force to overwrite)");
    }
    kofu_status st = KOFU_OK;
    for (const rules_embedded_file *f = rules_embedded; st == KOFU_OK && f->file; f++) {
        err = write_one(dfd, f->file, f->bytes, f->len);
        if (err) {
            char *path = xasprintf("%s/%s", dir, f->file);
            st = dir_error(diag, KOFU_EIO, path ? path : f->file, "書き込めません", "cannot write",
                           err);
            free(path);
        }
    }
    close(dfd);
    return st;
}

kofu_status kofu_rules_export(const char *dir, kofu_diag *diag)
{
    return kofu_rules_export_opts(dir, 0, diag);
}
