/* utf8.c — well-formed UTF-8 (see utf8.h). */
#include "utf8.h"

#include <stdint.h>
#include <string.h>

const utf8_lead utf8_leads[256] = {
    [0x00 ... 0x7f] = {1, 0, 0},       [0xc2 ... 0xdf] = {2, 0x80, 0xbf},
    [0xe0] = {3, 0xa0, 0xbf},          [0xe1 ... 0xec] = {3, 0x80, 0xbf},
    [0xed] = {3, 0x80, 0x9f},          [0xee ... 0xef] = {3, 0x80, 0xbf},
    [0xf0] = {4, 0x90, 0xbf},          [0xf1 ... 0xf3] = {4, 0x80, 0xbf},
    [0xf4] = {4, 0x80, 0x8f},
};

static bool continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
    if (avail == 0)
        return 0;
    const utf8_lead *l = &utf8_leads[s[0]];
    if (l->len == 0 || l->len > avail)
        return 0;
    if (l->len == 1)
        return 1;
    if (s[1] < l->lo || s[1] > l->hi)
        return 0;
    for (size_t k = 2; k < l->len; k++)
        if (!continuation(s[k]))
            return 0;
    return l->len;
}

static bool ascii8(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
    return (w & UINT64_C(0x8080808080808080)) == 0;
}

size_t utf8_invalid_at(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (n - i >= 8 && ascii8(s + i)) {
            i += 8; /* ASCII eight bytes at a time: most of a case file */
            continue;
        }
        size_t k = utf8_seq_len(s + i, n - i);
        if (k == 0)
            return i;
        i += k;
    }
    return n;
}

bool utf8_stream_push(utf8_stream *st, unsigned char c)
{
    if (st->need > 0) {
        if (c < st->lo || c > st->hi)
            return false;
        st->need--;
        st->lo = 0x80;
        st->hi = 0xBF;
        return true;
    }
    const utf8_lead *l = &utf8_leads[c];
    if (l->len == 0)
        return false;
    if (l->len > 1) {
        st->need = (unsigned char)(l->len - 1);
        st->lo = l->lo;
        st->hi = l->hi;
    }
    return true;
}

bool utf8_stream_complete(const utf8_stream *st) { return st->need == 0; }
