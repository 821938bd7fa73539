/* ini_utf8.c — the byte checks of a case or rule file (see ini_utf8.h). */
#include "ini_utf8.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* For a lead byte: how many continuation bytes follow, the payload bits it
 * carries, and the smallest code point that needs this length (anything
 * below is an overlong form). False for bytes that cannot start a sequence. */
static bool utf8_lead(unsigned c, size_t *need, uint32_t *cp, uint32_t *min)
{
    static const struct {
        unsigned lo, hi, mask;
        size_t need;
        uint32_t min;
    } leads[] = {
        {0xC2, 0xDF, 0x1F, 1, 0x80},
        {0xE0, 0xEF, 0x0F, 2, 0x800},
        {0xF0, 0xF4, 0x07, 3, 0x10000},
    };
    for (size_t i = 0; i < sizeof leads / sizeof *leads; i++) {
        if (c >= leads[i].lo && c <= leads[i].hi) {
            *need = leads[i].need;
            *cp = c & leads[i].mask;
            *min = leads[i].min;
            return true;
        }
    }
    return false;
}

static bool ascii8(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
    return (w & UINT64_C(0x8080808080808080)) == 0;
}

/* Offset of the first byte that does not start a valid sequence, or n. */
size_t ini_utf8_invalid_at(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (n - i >= 8 && ascii8(s + i)) {
            i += 8; /* ASCII eight bytes at a time: most of a case file */
            continue;
        }
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t need;
        uint32_t cp, min;
        if (!utf8_lead(s[i], &need, &cp, &min) || n - i - 1 < need)
            return i;
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i; /* overlong, UTF-16 surrogate, or beyond Unicode */
        i += need + 1;
    }
    return n;
}

/* Offset of the first C0 control byte (but TAB, and the CR of CRLF, which
 * check_bytes judges) or DEL in s[0..n), or n: such a byte in a value
 * would reach a terminal or a report as it is (an escape sequence can
 * rewrite what an auditor sees). */
size_t ini_control_at(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7F)
            return i;
    }
    return n;
}

