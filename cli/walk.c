/* walk.c — the inputs of `kofu batch` and `kofu check`: each PATH argument is
 * a case file (whatever its name) or a directory searched recursively for
 * *.ini, one sorted directory listing held per level of depth, so memory
 * does not grow with the number of cases. */
#define _GNU_SOURCE /* vasprintf */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "run.h"

struct dir_frame {
    char *path;     /* the directory, as it will prefix its entries */
    char **names;   /* its entries, sorted byte-wise                */
    size_t n, next;
    size_t found;   /* *.ini entries yielded from it and below      */
    bool top;       /* a directory given on the command line        */
};

typedef walk_item item;

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
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

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* Reads and sorts a directory; false with errno set on failure. */
static bool list_dir(const char *path, char ***names, size_t *n)
{
    DIR *d = opendir(path);
    if (!d)
        return false;
    size_t cap = 0;
    *names = NULL;
    *n = 0;
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            char **p = realloc(*names, cap * sizeof *p);
            if (!p)
                goto fail;
            *names = p;
        }
        (*names)[*n] = strdup(e->d_name);
        if (!(*names)[*n])
            goto fail;
        (*n)++;
        errno = 0;
    }
    if (errno)
        goto fail;
    closedir(d);
    qsort(*names, *n, sizeof **names, by_bytes);
    return true;
fail:;
    int err = errno ? errno : ENOMEM;
    closedir(d);
    free_names(*names, *n);
    *names = NULL;
    *n = 0;
    errno = err;
    return false;
}

static bool push_dir(walker *w, char *path, bool top, item *err_out, kofu_lang lang)
{
    char **names;
    size_t n;
    if (!list_dir(path, &names, &n)) {
        err_out->path = path;
        err_out->error = msgf("%s: %s: %s", path,
                              CLI_TR(lang, "ディレクトリを読めません", "cannot read the directory"),
                              strerror(errno));
        return false;
    }
    if (w->depth == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 8;
        dir_frame *s = realloc(w->stack, cap * sizeof *s);
        if (!s) {
            free_names(names, n);
            err_out->path = path;
            err_out->error = NULL;
            return false;
        }
        w->stack = s;
        w->cap = cap;
    }
    w->stack[w->depth++] = (dir_frame){.path = path, .names = names, .n = n, .top = top};
    return true;
}

static bool is_real_dir(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The next input in order; false at the end. Directories given on the
 * command line are walked depth-first in byte order; below them, a
 * directory is entered unless its own name ends in .ini (then it is an
 * input, which the loader reports as a directory); symbolic links to
 * directories are not followed (no loops). A directory given on the command
 * line that holds no *.ini at all yields an error item. */
bool walk_next(walker *w, item *it, kofu_lang lang)
{
    *it = (item){0};
    for (;;) {
        if (w->depth > 0) {
            dir_frame *f = &w->stack[w->depth - 1];
            if (f->next == f->n) {
                bool empty_top = f->top && f->found == 0;
                char *path = f->path;
                free_names(f->names, f->n);
                size_t found = f->found;
                w->depth--;
                if (w->depth > 0)
                    w->stack[w->depth - 1].found += found;
                if (empty_top) {
                    it->path = path;
                    it->error = msgf("%s: %s", path,
                                     CLI_TR(lang, "*.ini ファイルがありません",
                                            "no *.ini file in this directory"));
                    return true;
                }
                free(path);
                continue;
            }
            char *child = join_path(f->path, f->names[f->next++]);
            if (!child)
                return true; /* no path: an out-of-memory error row */
            bool ini = ends_with_ini(child);
            if (!ini && is_real_dir(child)) {
                if (!push_dir(w, child, false, it, lang))
                    return true;
                continue;
            }
            if (!ini) {
                w->skipped++;
                free(child);
                continue;
            }
            f->found++;
            it->path = child;
            return true;
        }
        if (w->next_arg >= w->n_args)
            return false;
        const char *arg = w->args[w->next_arg++];
        char *path = strdup(arg);
        if (!path)
            return true;
        struct stat st;
        if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
            if (!push_dir(w, path, true, it, lang))
                return true;
            continue;
        }
        it->path = path; /* a file argument is a case whatever its name */
        return true;
    }
}

void walker_free(walker *w)
{
    for (size_t i = 0; i < w->depth; i++) {
        free(w->stack[i].path);
        free_names(w->stack[i].names, w->stack[i].n);
    }
    free(w->stack);
}

void walker_init(walker *w, char **args, int n_args)
{
    *w = (walker){.args = args, .n_args = n_args};
}

bool walk_is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
