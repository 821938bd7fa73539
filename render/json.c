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
#include "utf8.h"


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
        const unsigned char *end = (const unsigned char *)str + kofu_node_str_len(n);
        for (const unsigned char *p = (const unsigned char *)str; p < end; p++) {
            size_t k;
            if (*p < 0x80)
                continue;
            if ((k = utf8_seq_len(p, (size_t)(end - p))) > 0) {
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

/* ASCII copied as it is: not below 0x20, not `"` or `\\`. Bytes from 0x80
 * are copied when they form well-formed UTF-8 (utf8.h), else escaped. */
static const bool plain_ascii[256] = {
    [0x20 ... 0x21] = true, [0x23 ... 0x5b] = true, [0x5d ... 0x7f] = true,
};

/* Eight bytes of printable ASCII other than `"` and `\\`? (SWAR: a byte below
 * 0x20, or equal to one of the two, borrows into its top bit.) */
static bool ascii8_clean(const unsigned char *p)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t v;
    memcpy(&v, p, 8);
    if (v & high)
        return false;
    uint64_t hit = (v - 0x20 * ones) | ((v ^ ('"' * ones)) - ones) | ((v ^ ('\\' * ones)) - ones);
    return (hit & high) == 0;
}

/* The common three-byte sequences: a lead E1..EC, EE or EF (kana and
 * kanji among them), whose second byte may be any continuation (the leads of
 * utf8_leads whose range is the whole 80..BF). */
static const unsigned char plain_lead3[256] = {[0xe1 ... 0xec] = 1, [0xee ... 0xef] = 1};

static bool kanji(const unsigned char *p)
{
    uint16_t tail;
    memcpy(&tail, p + 1, 2);
    return plain_lead3[p[0]] && (tail & 0xC0C0) == 0x8080;
}

/* Two such sequences in a row; p[0..7] readable. Bytes 0 and 3 lead
 * (1110xxxx), the others continue (10xxxxxx); a lead's low nibble is neither
 * 0 (E0) nor D (ED): bit k of 0xDFFE says nibble k is fine. */
static bool kanji2(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    if ((v & 0x0000C0C0F0C0C0F0u) != 0x00008080E08080E0u)
        return false;
    return (0xDFFEu >> (p[0] & 0x0F)) & (0xDFFEu >> (p[3] & 0x0F)) & 1u;
}

/* Length of the run of s (n bytes) that is copied as it is: printable ASCII
 * other than `"` and `\\`, and well-formed UTF-8. Most strings are one run;
 * the JSON Lines trace is mostly such strings, hence the fast paths. */
static size_t clean_run(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            while (i + 8 <= n && ascii8_clean(s + i))
                i += 8;
            while (plain_ascii[s[i]])
                i++;
        }
        while (i + 8 <= n && kanji2(s + i))
            i += 6;
        while (i + 3 <= n && kanji(s + i))
            i += 3;
        if (i >= n)
            break;
        if (plain_ascii[s[i]])
            continue;
        if (s[i] < 0x80)
            break;
        size_t k = utf8_seq_len(s + i, n - i);
        if (k == 0)
            break;
        i += k;
    }
    return i;
}

/* One byte of structure: the common case without a call (a trace step has
 * a dozen of them). */
static inline void put1(kofu_buf *b, char c)
{
    if (b->len + 2 <= b->cap && !b->failed) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
    } else {
        kofu_buf_putc(b, c);
    }
}

void kofu_json_string(kofu_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    put1(b, '"');
    const char *end = s + strlen(s); /* once: a string of escapes must stay linear */
    for (;;) {
        /* the long unescaped runs (rules, sources, Japanese text) in one copy */
        size_t run = clean_run((const unsigned char *)s, (size_t)(end - s));
        const unsigned char *p = (const unsigned char *)s + run;
        kofu_buf_putn(b, s, run);
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
    put1(b, '"');
}

/* Strings already written whole by this call, by address: keys are the
 * same few literals in every object, and a result's trace points many steps
 * at one copy of each citation (the evaluator shares them). A string seen
 * clean once is copied as it is after that. Nothing in the tree changes while
 * it is written, so an address keeps its bytes. */
#define SEEN_SLOTS 256
typedef struct seen_string {
    const char *s;
    size_t len;
} seen_string;

typedef struct writer {
    kofu_buf *b;
    seen_string *seen; /* SEEN_SLOTS of them; NULL: a lone value, nothing to remember */
} writer;

/* s (n bytes, nothing to escape) between quotes: one check for room. */
static void put_quoted(kofu_buf *b, const char *s, size_t n)
{
    if (!b->failed && b->len + n + 3 <= b->cap) {
        char *d = b->data + b->len;
        d[0] = '"';
        memcpy(d + 1, s, n);
        d[n + 1] = '"';
        d[n + 2] = '\0';
        b->len += n + 2;
        return;
    }
    put1(b, '"');
    kofu_buf_putn(b, s, n);
    put1(b, '"');
}

/* s has n bytes (its NUL after them). */
static void write_string(writer *w, const char *s, size_t n)
{
    seen_string *slot = w->seen ? &w->seen[((uintptr_t)s >> 3) % SEEN_SLOTS] : NULL;
    if (slot && slot->s == s) {
        put_quoted(w->b, s, slot->len);
        return;
    }
    if (clean_run((const unsigned char *)s, n) == n) {
        if (slot)
            *slot = (seen_string){s, n};
        put_quoted(w->b, s, n);
        return;
    }
    kofu_json_string(w->b, s);
}

/* Keys come only inside objects, so with the memo. */
static void write_key(writer *w, const char *key)
{
    seen_string *slot = &w->seen[((uintptr_t)key >> 3) % SEEN_SLOTS];
    if (slot->s == key)
        put_quoted(w->b, key, slot->len);
    else
        write_string(w, key, strlen(key));
    put1(w->b, ':');
}

static void write_node(writer *w, const kofu_node *n)
{
    kofu_buf *b = w->b;
    switch (kofu_node_type(n)) {
    case KOFU_NODE_INT:
        kofu_buf_put_int(b, kofu_node_int(n));
        return;
    case KOFU_NODE_DECIMAL:
    case KOFU_NODE_STRING:
        write_string(w, kofu_node_str(n), kofu_node_str_len(n));
        return;
    case KOFU_NODE_BOOL:
        kofu_buf_puts(b, kofu_node_bool(n) ? "true" : "false");
        return;
    case KOFU_NODE_NULL:
        kofu_buf_puts(b, "null");
        return;
    case KOFU_NODE_ARRAY:
        put1(b, '[');
        for (size_t i = 0; i < kofu_node_size(n); i++) {
            if (i)
                put1(b, ',');
            write_node(w, kofu_node_at(n, i));
        }
        put1(b, ']');
        return;
    case KOFU_NODE_OBJECT:
        break;
    }
    put1(b, '{');
    for (size_t i = 0; i < kofu_node_size(n); i++) {
        if (i)
            put1(b, ',');
        write_key(w, kofu_node_key_at(n, i));
        write_node(w, kofu_node_at(n, i));
    }
    put1(b, '}');
}

void kofu_json_append(kofu_buf *b, const kofu_node *n)
{
    /* the server writes sweep cells one number at a time: clearing the memo
     * (4 KiB) for each would cost more than the number */
    seen_string seen[SEEN_SLOTS];
    writer w = {.b = b};
    kofu_node_kind kind = kofu_node_type(n);
    if (kind == KOFU_NODE_ARRAY || kind == KOFU_NODE_OBJECT) {
        memset(seen, 0, sizeof seen);
        w.seen = seen;
    }
    write_node(&w, n);
}
