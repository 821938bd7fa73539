/*
 * ini_bridge.c — iniparser, given kofu's validated bytes (see ini_bridge.h).
 */
#define _GNU_SOURCE /* memfd_create */
#include "ini_bridge.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* ---- iniparser's error callback --------------------------------------------
 * The process-global state iniparser forces: its error callback is one
 * function pointer for the whole process (iniparser_set_error_callback), and
 * it receives no argument of ours. It is installed once; each thread points
 * the thread-local tl_sink at the result of the parse it is running, so
 * concurrent loads do not mix their errors, and a call from anyone else's
 * iniparser use (tl_sink NULL) is dropped: the library never prints. */

typedef ini_bridge_result ip_sink;


static _Thread_local ip_sink *tl_sink;

/* Reads "<path> (<digits>)" at s; returns the number or 0. */
static int line_after_path(const char *s, const char *path)
{
    size_t n = strlen(path);
    if (strncmp(s, path, n) != 0 || s[n] != ' ' || s[n + 1] != '(')
        return 0;
    long v = 0;
    const char *p = s + n + 2;
    for (; *p >= '0' && *p <= '9'; p++) {
        v = v * 10 + (*p - '0');
        if (v > 100000000)
            return 0;
    }
    return *p == ')' ? (int)v : 0;
}

static void sink_add_line(ip_sink *sk, int line)
{
    if (sk->n_lines == sk->cap_lines) {
        size_t cap = sk->cap_lines ? sk->cap_lines * 2 : 8;
        int *p = realloc(sk->lines, cap * sizeof *p);
        if (!p) {
            sk->oom = true;
            return;
        }
        sk->lines = p;
        sk->cap_lines = cap;
    }
    sk->lines[sk->n_lines++] = line;
}

static int ip_error_cb(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int ip_error_cb(const char *fmt, ...)
{
    ip_sink *sk = tl_sink;
    if (!sk)
        return 0; /* someone else's iniparser call: the library never prints */
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    static const char *const prefixes[] = {"iniparser: syntax error in ",
                                           "iniparser: input line too long in "};
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(msg, prefixes[i], n) != 0)
            continue;
        int line = line_after_path(msg + n, sk->path);
        if (line > 0) {
            sink_add_line(sk, line);
            return 0;
        }
    }
    if (strstr(msg, "memory"))
        sk->oom = true;
    if (!sk->other[0]) {
        size_t n = strcspn(msg, "\n");
        if (n >= sizeof sk->other)
            n = sizeof sk->other - 1;
        memcpy(sk->other, msg, n);
        sk->other[n] = '\0';
    }
    return 0;
}

static pthread_once_t cb_once = PTHREAD_ONCE_INIT;

static void install_cb(void) { iniparser_set_error_callback(ip_error_cb); }


/* ---- the bytes, through an in-memory file -------------------------------- */

static bool write_all(int fd, const char *p, size_t n, off_t *at)
{
    while (n > 0) {
        ssize_t w = pwrite(fd, p, n, *at);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
        *at += w;
    }
    return true;
}

/* One in-memory file per thread, emptied for each parse: creating and
 * destroying one per case file cost more than iniparser's own reading of it.
 * Closed when its thread ends (the key's destructor); the main thread's at
 * exit. Holds the fd + 1 (0: none yet). */
static pthread_key_t memfd_key;
static pthread_once_t memfd_once = PTHREAD_ONCE_INIT;

static void close_memfd(void *v) { close((int)(intptr_t)v - 1); }
static void make_memfd_key(void) { (void)pthread_key_create(&memfd_key, close_memfd); }

static int thread_memfd(void)
{
    pthread_once(&memfd_once, make_memfd_key);
    intptr_t v = (intptr_t)pthread_getspecific(memfd_key);
    if (v > 0)
        return ftruncate((int)v - 1, 0) == 0 ? (int)v - 1 : -1;
    int fd = memfd_create("kofu-ini", MFD_CLOEXEC);
    if (fd >= 0 && pthread_setspecific(memfd_key, (void *)(intptr_t)(fd + 1)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* iniparser 4.1 reads only named files: hand it the bytes through the
 * thread's in-memory file, with each comment after a [section] blanked
 * (same length, so lines and their numbers stay as they were). */
static int bytes_to_memfd(const char *buf, size_t len, const ini_span *blanks, size_t n_blanks)
{
    int fd = thread_memfd();
    if (fd < 0)
        return -1;
    size_t at = 0;
    off_t off = 0;
    bool ok = true;
    char spaces[64];
    memset(spaces, ' ', sizeof spaces);
    for (size_t i = 0; ok && i < n_blanks; i++) {
        const ini_span *b = &blanks[i];
        ok = write_all(fd, buf + at, b->begin - at, &off);
        for (size_t left = b->end - b->begin; ok && left > 0;) {
            size_t k = left < sizeof spaces ? left : sizeof spaces;
            ok = write_all(fd, spaces, k, &off);
            left -= k;
        }
        at = b->end;
    }
    if (ok)
        ok = write_all(fd, buf + at, len - at, &off);
    return ok ? fd : -1;
}

/* "/proc/self/fd/<fd>" into path (room for 48 bytes): snprintf cost as
 * much as the rest of iniparser's set-up. */
static void fd_path(char *path, int fd)
{
    static const char prefix[] = "/proc/self/fd/";
    char digits[16];
    size_t n = 0;
    unsigned v = (unsigned)fd;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    memcpy(path, prefix, sizeof prefix - 1);
    char *p = path + sizeof prefix - 1;
    while (n > 0)
        *p++ = digits[--n];
    *p = '\0';
}

void ini_bridge_run(const char *bytes, size_t len, const ini_span *blanks, size_t n_blanks,
                    ini_bridge_result *out)
{
    *out = (ini_bridge_result){0};
    pthread_once(&cb_once, install_cb);
    int fd = bytes_to_memfd(bytes, len, blanks, n_blanks);
    if (fd < 0) {
        out->sys_errno = errno ? errno : EIO;
        return;
    }
    char path[48];
    fd_path(path, fd);
    out->path = path;
    tl_sink = out;
    out->dict = iniparser_load(path);
    tl_sink = NULL;
    out->path = NULL;
}

void ini_bridge_free(ini_bridge_result *r)
{
    if (r->dict)
        iniparser_freedict(r->dict);
    free(r->lines);
    *r = (ini_bridge_result){0};
}
