/* util.c — see util.h. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xstrndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* true when fmt's only conversions are %s and %% (most messages, step
 * names and warnings): those are joined without vsnprintf, which parses the
 * format and copies byte by byte twice (a long bilingual warning cost
 * thousands of instructions). */
static bool only_strings(const char *fmt)
{
    for (const char *p = strchr(fmt, '%'); p; p = strchr(p + 2, '%'))
        if (p[1] != 's' && p[1] != '%')
            return false;
    return true;
}

/* Appends the pieces of fmt to out (NULL: only counts); glibc's "(null)"
 * for a NULL %s, as vsnprintf would print it. */
static size_t join_strings(char *out, const char *fmt, va_list ap)
{
    size_t n = 0;
    for (;;) {
        const char *pct = strchr(fmt, '%');
        size_t lit = pct ? (size_t)(pct - fmt) : strlen(fmt);
        if (out)
            memcpy(out + n, fmt, lit);
        n += lit;
        if (!pct)
            return n;
        const char *arg = "%";
        if (pct[1] == 's') {
            arg = va_arg(ap, const char *);
            if (!arg)
                arg = "(null)";
        }
        size_t al = strlen(arg);
        if (out)
            memcpy(out + n, arg, al);
        n += al;
        fmt = pct + 2;
    }
}

char *xvasprintf(const char *fmt, va_list ap)
{
    if (only_strings(fmt)) {
        va_list ap2;
        va_copy(ap2, ap);
        size_t n = join_strings(NULL, fmt, ap2);
        va_end(ap2);
        char *p = malloc(n + 1);
        if (!p)
            return NULL;
        join_strings(p, fmt, ap);
        p[n] = '\0';
        return p;
    }
    /* most texts fit a line: formatted once, into the stack, then copied */
    char line[256];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(line, sizeof line, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *p = malloc((size_t)n + 1);
    if (!p)
        return NULL;
    if ((size_t)n < sizeof line)
        memcpy(p, line, (size_t)n + 1);
    else
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = xvasprintf(fmt, ap);
    va_end(ap);
    return p;
}

static bool sb_reserve(strbuf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void sb_putn(strbuf *b, const char *s, size_t n)
{
    if (!sb_reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void sb_puts(strbuf *b, const char *s) { sb_putn(b, s, strlen(s)); }

void sb_putc(strbuf *b, char c) { sb_putn(b, &c, 1); }

void sb_printf(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (only_strings(fmt)) {
        /* joined in place: no string of its own to allocate, copy and free
         * (a warning's text is built from a dozen such pieces) */
        va_list ap2;
        va_copy(ap2, ap);
        size_t n = join_strings(NULL, fmt, ap2);
        va_end(ap2);
        if (sb_reserve(b, n)) {
            join_strings(b->data + b->len, fmt, ap);
            b->len += n;
            b->data[b->len] = '\0';
        }
        va_end(ap);
        return;
    }
    /* formatted in place; a second time only when it did not fit */
    va_list ap2;
    va_copy(ap2, ap);
    int n = sb_reserve(b, 64) ? vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap2) : -1;
    va_end(ap2);
    if (n >= 0 && (size_t)n >= b->cap - b->len && sb_reserve(b, (size_t)n))
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    if (n < 0 || b->failed) {
        if (b->data && !b->failed)
            b->data[b->len] = '\0';
        b->failed = true;
        return;
    }
    b->len += (size_t)n;
}

char *sb_take(strbuf *b)
{
    if (b->failed) {
        sb_free(b);
        return NULL;
    }
    char *p = b->data ? b->data : xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void sb_free(strbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

char *ascii_lower_dup(const char *s)
{
    char *p = xstrdup(s);
    if (!p)
        return NULL;
    for (char *q = p; *q; q++)
        if (*q >= 'A' && *q <= 'Z')
            *q = (char)(*q - 'A' + 'a');
    return p;
}

bool ascii_ieq(const char *a, const char *b)
{
    for (;; a++, b++) {
        char ca = (*a >= 'A' && *a <= 'Z') ? (char)(*a - 'A' + 'a') : *a;
        char cb = (*b >= 'A' && *b <= 'Z') ? (char)(*b - 'A' + 'a') : *b;
        if (ca != cb)
            return false;
        if (!ca)
            return true;
    }
}
