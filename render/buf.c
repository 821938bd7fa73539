/* buf.c — the growable byte buffer every renderer writes into (kofu_buf). */
#include <stdlib.h>
#include <string.h>

#include "kofu/kofu.h"

void kofu_buf_putn(kofu_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void kofu_buf_puts(kofu_buf *b, const char *s) { kofu_buf_putn(b, s, strlen(s)); }

void kofu_buf_putc(kofu_buf *b, char c)
{
    if (!b->failed && b->len + 2 <= b->cap) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return;
    }
    kofu_buf_putn(b, &c, 1);
}

void kofu_buf_free(kofu_buf *b)
{
    if (!b)
        return;
    free(b->data);
    *b = (kofu_buf){0};
}

void kofu_buf_put_int(kofu_buf *b, int64_t v)
{
    /* two digits at a time: a batch row holds a dozen amounts */
    static const char pairs[] = "00010203040506070809101112131415161718192021222324"
                                "25262728293031323334353637383940414243444546474849"
                                "50515253545556575859606162636465666768697071727374"
                                "75767778798081828384858687888990919293949596979899";
    char tmp[24];
    char *p = tmp + sizeof tmp;
    uint64_t u = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
    while (u >= 100) {
        unsigned d = (unsigned)(u % 100);
        u /= 100;
        p -= 2;
        memcpy(p, pairs + 2 * d, 2);
    }
    if (u >= 10) {
        p -= 2;
        memcpy(p, pairs + 2 * u, 2);
    } else {
        *--p = (char)('0' + u);
    }
    if (v < 0)
        *--p = '-';
    kofu_buf_putn(b, p, (size_t)(tmp + sizeof tmp - p));
}
