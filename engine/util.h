/*
 * util.h — small helpers shared by the engine: a growable string buffer and
 * allocation wrappers. Allocation failure is reported, never ignored: the
 * x* functions return NULL like malloc, and strbuf remembers a failure so a
 * sequence of appends can be checked once at the end (sb_take returns NULL).
 */
#ifndef KOFU_ENGINE_UTIL_H
#define KOFU_ENGINE_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#if defined(__GNUC__)
#define KOFU_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define KOFU_PRINTF(a, b)
#endif

char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) KOFU_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap) KOFU_PRINTF(1, 0);

typedef struct strbuf {
    char *data;
    size_t len, cap;
    bool failed;
} strbuf;

void sb_putn(strbuf *b, const char *s, size_t n);
void sb_puts(strbuf *b, const char *s);
void sb_putc(strbuf *b, char c);
void sb_printf(strbuf *b, const char *fmt, ...) KOFU_PRINTF(2, 3);
/* Returns the NUL-terminated string (owned by the caller) and resets b;
 * NULL if any append failed. An empty buffer yields "". */
char *sb_take(strbuf *b);
void sb_free(strbuf *b);

/* ASCII-only lowercase copy (UTF-8 bytes above 0x7f are kept as they are). */
char *ascii_lower_dup(const char *s);
bool ascii_ieq(const char *a, const char *b);

#endif
