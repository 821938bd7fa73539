/* fields.c — the request fields an answer repeats (a sweep's keys, ranges and
 * columns): checked for length and characters before use, with a 400 naming
 * the field. The JSON writer would escape anything, but a client should get
 * back what it sent or a refusal saying which field is wrong, never control
 * characters, bytes that are not UTF-8, or a megabyte of its own text. */
#include <stdio.h>
#include <string.h>

#include "fields.h"

#define TR(lang, ja, en) ((lang) == KOFU_LANG_EN ? (en) : (ja))

/* Length of the UTF-8 sequence at p (shortest form, no surrogate, at most
 * U+10FFFF), 0 when it is none. */
static size_t utf8_seq(const unsigned char *p)
{
    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        return (p[1] & 0xc0) == 0x80 ? 2 : 0;
    if (p[0] >= 0xe0 && p[0] <= 0xef) {
        unsigned lo = p[0] == 0xe0 ? 0xa0 : 0x80, hi = p[0] == 0xed ? 0x9f : 0xbf;
        return p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80 ? 3 : 0;
    }
    if (p[0] >= 0xf0 && p[0] <= 0xf4) {
        unsigned lo = p[0] == 0xf0 ? 0x90 : 0x80, hi = p[0] == 0xf4 ? 0x8f : 0xbf;
        return p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80 && (p[3] & 0xc0) == 0x80 ? 4 : 0;
    }
    return 0;
}

bool field_ok(const char *s, field_kind kind, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        if (kind == FIELD_NAME) {
            if (*p <= 0x20 || *p >= 0x7f)
                return false;
            p++;
            continue;
        }
        size_t k = utf8_seq(p);
        /* C0 controls and DEL; C1 controls (U+0080–U+009F) are C2 80–9F */
        if (k == 0 || *p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] < 0xa0))
            return false;
        p += k;
    }
    return true;
}

bool field_check(const api_ctx *ctx, api_response *resp, kofu_lang lang, const char *field,
                 const char *s, field_kind kind, size_t max)
{
    if (field_ok(s, kind, max))
        return true;
    char msg[300];
    if (kind == FIELD_NAME)
        snprintf(msg, sizeof msg,
                 TR(lang, "%s: 空白のない ASCII の名前（%zu 文字まで）を書いてください",
                    "%s: write a name of ASCII characters without blanks (at most %zu)"),
                 field, max);
    else
        snprintf(msg, sizeof msg,
                 TR(lang, "%s: 制御文字のない UTF-8 の文字列（%zu バイトまで）を書いてください",
                    "%s: write UTF-8 text without control characters (at most %zu bytes)"),
                 field, max);
    api_error(ctx, resp, 400, "bad_request", lang, msg);
    return false;
}

bool field_json_no_nul(const api_ctx *ctx, api_response *resp, kofu_lang lang, const char *body,
                       size_t len)
{
    /* outside strings a backslash is a syntax error cJSON reports anyway, so
     * the whole body is scanned; each escape is skipped whole ("\\u0000" is
     * a backslash and text, not U+0000) */
    for (size_t i = 0; i + 1 < len; i++) {
        if (body[i] != '\\')
            continue;
        if (body[i + 1] == 'u' && i + 6 <= len && memcmp(body + i + 2, "0000", 4) == 0) {
            char msg[200];
            snprintf(msg, sizeof msg,
                     TR(lang, "JSON の文字列に \\u0000（U+0000）は書けません（%zu バイト目）",
                        "a JSON string cannot hold \\u0000 (U+0000) (byte %zu)"),
                     i + 1);
            api_error(ctx, resp, 400, "bad_request", lang, msg);
            return false;
        }
        i++;
    }
    return true;
}
