/* json.c — kofu_node → JSON text, the one JSON writer of the command and the
 * web server. Pretty output goes through cJSON; amounts are written as raw
 * integer literals: cJSON keeps numbers as doubles and would print 10^15 as
 * 1e+15, which is not the JSON integer the result format promises. */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kofu/kofu.h"

static size_t utf8_seq(const unsigned char *p);

static cJSON *to_cjson(const kofu_node *n)
{
    switch (kofu_node_type(n)) {
    case KOFU_NODE_INT: {
        char buf[32];
        snprintf(buf, sizeof buf, "%" PRId64, kofu_node_int(n));
        return cJSON_CreateRaw(buf);
    }
    case KOFU_NODE_DECIMAL:
    case KOFU_NODE_STRING: {
        const char *str = kofu_node_str(n);
        for (const unsigned char *p = (const unsigned char *)str; *p; p++) {
            size_t k;
            if (*p < 0x80)
                continue;
            if ((k = utf8_seq(p)) > 0) {
                p += k - 1;
                continue;
            }
            /* not UTF-8: cJSON would copy the bytes raw, the direct writer
             * escapes them */
            kofu_buf b = {0};
            kofu_json_string(&b, str);
            cJSON *raw = b.failed ? NULL : cJSON_CreateRaw(b.data);
            kofu_buf_free(&b);
            return raw;
        }
        return cJSON_CreateString(str);
    }
    case KOFU_NODE_BOOL:
        return cJSON_CreateBool(kofu_node_bool(n));
    case KOFU_NODE_NULL:
        return cJSON_CreateNull();
    case KOFU_NODE_ARRAY: {
        cJSON *a = cJSON_CreateArray();
        for (size_t i = 0; a && i < kofu_node_size(n); i++) {
            cJSON *item = to_cjson(kofu_node_at(n, i));
            if (!item) {
                cJSON_Delete(a);
                return NULL;
            }
            cJSON_AddItemToArray(a, item);
        }
        return a;
    }
    case KOFU_NODE_OBJECT:
        break;
    }
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; o && i < kofu_node_size(n); i++) {
        cJSON *item = to_cjson(kofu_node_at(n, i));
        if (!item) {
            cJSON_Delete(o);
            return NULL;
        }
        cJSON_AddItemToObject(o, kofu_node_key_at(n, i), item);
    }
    return o;
}

char *kofu_json(const kofu_node *n, bool pretty)
{
    if (!n)
        return NULL;
    if (!pretty) {
        kofu_buf b = {0};
        kofu_json_append(&b, n);
        if (b.failed || !b.data) {
            kofu_buf_free(&b);
            return NULL;
        }
        return b.data;
    }
    cJSON *j = to_cjson(n);
    if (!j)
        return NULL;
    char *s = cJSON_Print(j);
    cJSON_Delete(j);
    return s;
}

/* ---- the direct writer ----------------------------------------------------
 * Same bytes as cJSON_PrintUnformatted (cJSON 1.7): no blanks; in strings,
 * `"` and `\` escaped, \b \f \n \r \t by name, other bytes below 0x20 as
 * \u00xx (lowercase hex), everything else (UTF-8 included) as it is.
 * tests/golden/batch/jsonl-same-as-calc.sh compares the two: compact output
 * is this writer alone. */

/* Bytes that need an escape: below 0x20, `"` and `\`; 2: a byte of a
 * UTF-8 sequence, checked (valid ones are copied as they are). */
static const unsigned char needs_escape[256] = {
    [0 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, [0x80 ... 0xff] = 2,
};

/* Length of the valid UTF-8 sequence at p (2 to 4), or 0. */
static size_t utf8_seq(const unsigned char *p)
{
    unsigned c = p[0];
    size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    uint32_t cp = n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
    for (size_t k = 1; k < n; k++) {
        if ((p[k] & 0xC0) != 0x80)
            return 0; /* the NUL that ends the string stops here too */
        cp = (cp << 6) | (p[k] & 0x3F);
    }
    static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (n == 0 || cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

void kofu_json_string(kofu_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    kofu_buf_putc(b, '"');
    for (;;) {
        /* the long unescaped runs (rules, sources, Japanese text) in one copy */
        const unsigned char *p = (const unsigned char *)s;
        for (;;) {
            size_t n;
            if (!needs_escape[*p])
                p++;
            else if (needs_escape[*p] == 2 && (n = utf8_seq(p)) > 0)
                p += n;
            else
                break;
        }
        kofu_buf_putn(b, s, (size_t)((const char *)p - s));
        if (*p == '\0')
            break;
        char esc[7] = {'\\', 0};
        if (*p >= 0x80) {
            /* not UTF-8 (a file name in another encoding): U+DC00 + the
             * byte, Python's "surrogateescape" (PEP 383), so the line stays
             * valid JSON and the bytes can be recovered (docs/limits.md) */
            memcpy(esc + 1, "udc", 3);
            esc[4] = hex[*p >> 4];
            esc[5] = hex[*p & 15];
            kofu_buf_puts(b, esc);
            s = (const char *)p + 1;
            continue;
        }
        switch (*p) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[*p >> 4];
            esc[5] = hex[*p & 15];
            break;
        }
        kofu_buf_puts(b, esc);
        s = (const char *)p + 1;
    }
    kofu_buf_putc(b, '"');
}

void kofu_json_append(kofu_buf *b, const kofu_node *n)
{
    switch (kofu_node_type(n)) {
    case KOFU_NODE_INT:
        kofu_buf_put_int(b, kofu_node_int(n));
        return;
    case KOFU_NODE_DECIMAL:
    case KOFU_NODE_STRING:
        kofu_json_string(b, kofu_node_str(n));
        return;
    case KOFU_NODE_BOOL:
        kofu_buf_puts(b, kofu_node_bool(n) ? "true" : "false");
        return;
    case KOFU_NODE_NULL:
        kofu_buf_puts(b, "null");
        return;
    case KOFU_NODE_ARRAY:
        kofu_buf_putc(b, '[');
        for (size_t i = 0; i < kofu_node_size(n); i++) {
            if (i)
                kofu_buf_putc(b, ',');
            kofu_json_append(b, kofu_node_at(n, i));
        }
        kofu_buf_putc(b, ']');
        return;
    case KOFU_NODE_OBJECT:
        break;
    }
    kofu_buf_putc(b, '{');
    for (size_t i = 0; i < kofu_node_size(n); i++) {
        if (i)
            kofu_buf_putc(b, ',');
        kofu_json_string(b, kofu_node_key_at(n, i));
        kofu_buf_putc(b, ':');
        kofu_json_append(b, kofu_node_at(n, i));
    }
    kofu_buf_putc(b, '}');
}
