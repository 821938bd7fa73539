/* walk.c — the inputs of `kofu batch` and `kofu check` (run.h): each PATH
 * argument is a case file (whatever its name) or a directory searched
 * recursively for *.ini, one sorted directory listing held per level of
 * depth, so memory does not grow with the number of cases.
 *
 * Order and rules: arguments in the order given; a directory is walked
 * depth-first in byte order of the names; below it, a directory is entered
 * unless its own name ends in .ini (then it is an input, which the loader
 * reports as a directory); symbolic links to directories are not followed
 * (no loops). Nothing is dropped: an entry that cannot be examined, a
 * directory that cannot be opened or read, and a directory argument with no
 * *.ini at all each give an error item naming the path and the reason; only
 * an entry that vanished between the listing and its examination is
 * skipped. Directories are opened relative to their parent (openat), so
 * depth is not limited by PATH_MAX: an item whose path is PATH_MAX or longer
 * comes with a descriptor of its directory to open it from. */
#define _GNU_SOURCE /* vasprintf */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run.h"

typedef struct entry {
    char *name;
    unsigned char type; /* d_type: DT_UNKNOWN when the file system does not say */
} entry;

struct dir_frame {
    int fd;        /* the directory, for openat and fstatat of its entries */
    dev_t dev;
    char *path;    /* as it prefixes its entries                           */
    entry *entries; /* sorted byte-wise                                    */
    size_t n, next;
    size_t found;  /* *.ini items yielded from it and below                */
    bool top;      /* a directory given on the command line                */
};

typedef dir_frame frame;

/* The walk must tell the --output file when it meets it (one stat more per
 * input, only then). */
static bool want_ids(const walker *w) { return w->output && w->output->existed; }

static char *msgf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *msgf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}

/* An error item: path and "path: what: reason". */
static bool fail_item(walker *w, walk_item *it, char *path, const char *ja, const char *en,
                      int err)
{
    it->path = path;
    it->error = msgf("%s: %s: %s", path, CLI_TR(w->lang, ja, en), cli_errno_text(err, w->lang));
    return true;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

/* *.ini in any letter case: offices save CASE.INI as often as case.ini. */
static bool ends_with_ini(const char *s)
{
    size_t n = strlen(s);
    return n > 4 && strcasecmp(s + n - 4, ".ini") == 0;
}

static char *join_path(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    bool slash = n > 0 && dir[n - 1] == '/';
    size_t cap = n + strlen(name) + 2;
    char *p = malloc(cap);
    if (p)
        snprintf(p, cap, "%s%s%s", dir, slash ? "" : "/", name);
    return p;
}

static void free_entries(entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(e[i].name);
    free(e);
}

/* Lists the directory open at fd (which stays open); false with errno set. */
static bool list_dir(int fd, entry **out, size_t *n)
{
    int dfd = fcntl(fd, F_DUPFD_CLOEXEC, 0); /* closedir closes its own */
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        int err = errno;
        if (dfd >= 0)
            close(dfd);
        errno = err;
        return false;
    }
    entry *es = NULL;
    size_t cap = 0;
    *n = 0;
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            entry *p = realloc(es, cap * sizeof *p);
            if (!p)
                goto fail;
            es = p;
        }
        es[*n] = (entry){.name = strdup(de->d_name), .type = de->d_type};
        if (!es[*n].name)
            goto fail;
        (*n)++;
        errno = 0;
    }
    if (errno)
        goto fail;
    closedir(d);
    qsort(es, *n, sizeof *es, by_name);
    *out = es;
    return true;
fail:;
    int err = errno ? errno : ENOMEM;
    closedir(d);
    free_entries(es, *n);
    *n = 0;
    errno = err;
    return false;
}

/* Enters the directory `path` (fd open on it; taken over). On failure fills
 * an error item and returns false. */
static bool push_dir(walker *w, int fd, char *path, bool top, walk_item *it)
{
    struct stat st;
    entry *es = NULL;
    size_t n = 0;
    if (fstat(fd, &st) != 0 || !list_dir(fd, &es, &n)) {
        int err = errno;
        close(fd);
        return !fail_item(w, it, path, "ディレクトリを読めません", "cannot read the directory", err);
    }
    if (w->depth == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 8;
        frame *s = realloc(w->stack, cap * sizeof *s);
        if (!s) {
            close(fd);
            free_entries(es, n);
            return !fail_item(w, it, path, "ディレクトリを読めません", "cannot read the directory",
                              ENOMEM);
        }
        w->stack = s;
        w->cap = cap;
    }
    w->stack[w->depth++] =
        (frame){.fd = fd, .dev = st.st_dev, .path = path, .entries = es, .n = n, .top = top};
    return true;
}

void walker_init(walker *w, char **args, int n_args, const cli_output *output, kofu_lang lang)
{
    *w = (walker){.args = args, .n_args = n_args, .output = output, .lang = lang};
}

static void pop(walker *w)
{
    frame *f = &w->stack[--w->depth];
    close(f->fd);
    free_entries(f->entries, f->n);
    free(f->path);
    if (w->depth > 0)
        w->stack[w->depth - 1].found += f->found;
}

/* The next entry of the innermost directory: true with *it filled (an
 * input or an error), false when the entry is to be skipped or entered. */
static bool next_entry(walker *w, frame *f, walk_item *it)
{
    const entry *e = &f->entries[f->next++];
    char *path = join_path(f->path, e->name);
    if (!path)
        return true; /* no path: an out-of-memory error row */
    bool ini = ends_with_ini(e->name);
    unsigned char type = e->type;
    struct stat st;
    bool stated = false;
    /* The file system did not say what it is, or it is a link (whose target
     * decides, for an input): ask, without following for the walk's sake. */
    if (type == DT_UNKNOWN || (ini && (type == DT_LNK || want_ids(w)))) {
        int flags = ini ? 0 : AT_SYMLINK_NOFOLLOW;
        if (fstatat(f->fd, e->name, &st, flags) != 0) {
            int err = errno;
            if (err == ENOENT && !ini) {
                free(path); /* vanished since the listing */
                return false;
            }
            if (err != ENOENT || type == DT_UNKNOWN)
                return fail_item(w, it, path, "調べられません", "cannot examine", err);
            /* a dangling link named *.ini: the loader names the problem */
        } else {
            stated = true;
            if (type == DT_UNKNOWN)
                type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : DT_REG;
        }
    }
    if (!ini && type == DT_DIR) {
        int fd = openat(f->fd, e->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
            int err = errno;
            if (err == ENOENT) {
                free(path);
                return false;
            }
            return fail_item(w, it, path, "ディレクトリを開けません", "cannot open the directory",
                             err);
        }
        if (push_dir(w, fd, path, false, it))
            return false;
        return true; /* the error item push_dir filled */
    }
    if (!ini) {
        w->skipped += type != DT_DIR;
        free(path);
        return false;
    }
    f->found++;
    it->path = path;
    if (stated && want_ids(w) && cli_output_is(w->output, st.st_dev, st.st_ino)) {
        w->hit = path;
        it->path = NULL;
        return true;
    }
    if (strlen(path) >= PATH_MAX) {
        it->dir = fcntl(f->fd, F_DUPFD_CLOEXEC, 0);
        it->name = path + strlen(path) - strlen(e->name);
        if (it->dir < 0) {
            int err = errno;
            it->path = NULL;
            return fail_item(w, it, path, "ファイルを開けません", "cannot open the file", err);
        }
        it->has_dir = true;
    }
    return true;
}

static bool next_arg(walker *w, walk_item *it)
{
    const char *arg = w->args[w->next_arg++];
    char *path = strdup(arg);
    if (!path)
        return true;
    struct stat st;
    if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
        int fd = open(arg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            return fail_item(w, it, path, "ディレクトリを開けません", "cannot open the directory",
                             errno);
        return !push_dir(w, fd, path, true, it);
    }
    /* a file argument is a case whatever its name; the loader reports a
     * missing or unreadable one */
    it->path = path;
    if (want_ids(w) && stat(arg, &st) == 0 && cli_output_is(w->output, st.st_dev, st.st_ino)) {
        w->hit = path;
        it->path = NULL;
    }
    return true;
}

bool walk_next(walker *w, walk_item *it)
{
    *it = (walk_item){0};
    while (!w->hit) {
        if (w->depth > 0) {
            frame *f = &w->stack[w->depth - 1];
            if (f->next < f->n) {
                if (next_entry(w, f, it))
                    break;
                continue;
            }
            if (f->top && f->found == 0) {
                it->path = f->path;
                f->path = NULL;
                it->error = msgf("%s: %s", it->path,
                                 CLI_TR(w->lang, "*.ini ファイルがありません",
                                        "no *.ini file in this directory"));
                pop(w);
                return true;
            }
            pop(w);
            continue;
        }
        if (w->next_arg >= w->n_args)
            return false;
        if (next_arg(w, it))
            break;
    }
    return !w->hit; /* the --output file: the walk ends there */
}

void walk_item_free(walk_item *it)
{
    free(it->path);
    free(it->error);
    if (it->has_dir)
        close(it->dir);
    *it = (walk_item){0};
}

kofu_status walk_item_load(const walk_item *it, const kofu_rules *rules, kofu_diag *d,
                           kofu_case **c)
{
    return it->has_dir ? kofu_case_load_at(rules, it->dir, it->name, it->path, d, c)
                       : kofu_case_load_file(rules, it->path, d, c);
}

void walker_free(walker *w)
{
    while (w->depth > 0)
        pop(w);
    free(w->stack);
    free(w->hit);
    w->stack = NULL;
    w->hit = NULL;
}

bool walk_is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
