/* diag.c — the list of problems found in user input (kofu_diag). */
#include "diag.h"
#include "util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct diag_item {
    char *file;
    char *section;
    char *key;
    char *message;
    int line;
} diag_item;

struct kofu_diag {
    kofu_lang lang;
    diag_item *items;
    size_t n, cap;
};

const char *kofu_status_message(kofu_status st, kofu_lang lang)
{
    switch (st) {
#define KOFU_STATUS_MSG_(name, value, en, ja) \
    case KOFU_##name:                         \
        return lang == KOFU_LANG_EN ? (en) : (ja);
        KOFU_STATUS_MAP(KOFU_STATUS_MSG_)
#undef KOFU_STATUS_MSG_
    }
    return lang == KOFU_LANG_EN ? "unknown status" : "不明な状態";
}

const char *kofu_status_name(kofu_status st)
{
    switch (st) {
#define KOFU_STATUS_NAME_(name, value, en, ja) \
    case KOFU_##name:                          \
        return #name;
        KOFU_STATUS_MAP(KOFU_STATUS_NAME_)
#undef KOFU_STATUS_NAME_
    }
    return "UNKNOWN";
}

kofu_status kofu_diag_new(kofu_lang lang, kofu_diag **out)
{
    if (!out)
        return KOFU_EUSAGE;
    *out = calloc(1, sizeof **out);
    if (!*out)
        return KOFU_ENOMEM;
    (*out)->lang = lang;
    return KOFU_OK;
}

void kofu_diag_clear(kofu_diag *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->items[i].file);
        free(d->items[i].section);
        free(d->items[i].key);
        free(d->items[i].message);
    }
    d->n = 0;
}

void kofu_diag_free(kofu_diag **d)
{
    if (!d || !*d)
        return;
    kofu_diag_clear(*d);
    free((*d)->items);
    free(*d);
    *d = NULL;
}

/* The one place a format is chosen at run time. Both formats are checked at
 * the call sites: the compiler checks the Japanese one against the arguments
 * (KOFU_PRINTF2), and the English one must take the same conversions in the
 * same order (the tests print both). */
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat-nonliteral"
#endif
char *tr_vformat(kofu_lang lang, const char *fmt_ja, const char *fmt_en, va_list ap)
{
    return xvasprintf(lang == KOFU_LANG_EN ? fmt_en : fmt_ja, ap);
}
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

kofu_lang diag_lang(const kofu_diag *d) { return d ? d->lang : KOFU_LANG_JA; }

size_t kofu_diag_count(const kofu_diag *d) { return d ? d->n : 0; }

static const diag_item *item_at(const kofu_diag *d, size_t i)
{
    return (d && i < d->n) ? &d->items[i] : NULL;
}

const char *kofu_diag_file(const kofu_diag *d, size_t i)
{
    const diag_item *it = item_at(d, i);
    return it ? it->file : "";
}

int kofu_diag_line(const kofu_diag *d, size_t i)
{
    const diag_item *it = item_at(d, i);
    return it ? it->line : 0;
}

const char *kofu_diag_section(const kofu_diag *d, size_t i)
{
    const diag_item *it = item_at(d, i);
    return it ? it->section : "";
}

const char *kofu_diag_key(const kofu_diag *d, size_t i)
{
    const diag_item *it = item_at(d, i);
    return it ? it->key : "";
}

const char *kofu_diag_message(const kofu_diag *d, size_t i)
{
    const diag_item *it = item_at(d, i);
    return it ? it->message : "";
}

char *kofu_diag_format(const kofu_diag *d, size_t i)
{
    const diag_item *it = item_at(d, i);
    if (!it)
        return NULL;
    strbuf b = {0};
    sb_puts(&b, it->file[0] ? it->file : "-");
    sb_puts(&b, ": ");
    if (it->section[0])
        sb_printf(&b, "[%s] ", it->section);
    if (it->key[0])
        sb_printf(&b, "%s: ", it->key);
    sb_puts(&b, it->message);
    /* The contract fixes "FILE: [section] key: message"; the line goes last so
     * scripts splitting on ": " keep working. */
    char cell[32];
    if (it->line > 0)
        sb_printf(&b, d->lang == KOFU_LANG_EN ? " (line %d)" : "（%d行目）", it->line);
    else if (it->line < 0 && diag_cell_ref(it->line, cell, sizeof cell))
        sb_printf(&b, d->lang == KOFU_LANG_EN ? " (%s)" : "（%s）", cell);
    return sb_take(&b);
}

kofu_status (diag_add)(kofu_diag *d, kofu_status st, const char *file, int line,
                     const char *section, const char *key,
                     const char *fmt_ja, const char *fmt_en, ...)
{
    va_list ap;
    va_start(ap, fmt_en);
    kofu_status r = diag_vadd(d, st, file, line, section, key, fmt_ja, fmt_en, ap);
    va_end(ap);
    return r;
}

/* Length of the valid UTF-8 sequence at p (at least one byte left), or 0. */
static size_t utf8_seq(const unsigned char *p)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    unsigned lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    unsigned hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    for (size_t i = 1; i < n; i++) {
        unsigned b = p[i];
        if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF))
            return 0;
    }
    return n;
}

/* A copy in valid UTF-8: a section or key name taken from a malformed line
 * may hold any bytes, and every renderer (JSON above all) needs text. Each
 * byte that starts no valid sequence is written as \xNN. malloc'd. */
static char *xstrdup_utf8(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n * 4 + 1), *o = out;
    if (!out)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t k = utf8_seq(p);
        if (k) {
            memcpy(o, p, k);
            o += k;
            p += k;
        } else {
            o += sprintf(o, "\\x%02X", *p++);
        }
    }
    *o = '\0';
    return out;
}

kofu_status diag_vadd(kofu_diag *d, kofu_status st, const char *file, int line,
                      const char *section, const char *key,
                      const char *fmt_ja, const char *fmt_en, va_list ap)
{
    if (!d)
        return st;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        diag_item *items = realloc(d->items, cap * sizeof *items);
        if (!items)
            return KOFU_ENOMEM;
        d->items = items;
        d->cap = cap;
    }
    char *msg = tr_vformat(d->lang, fmt_ja, fmt_en, ap);
    diag_item *it = &d->items[d->n];
    it->file = xstrdup(file ? file : "");
    it->section = xstrdup_utf8(section ? section : "");
    it->key = xstrdup_utf8(key ? key : "");
    it->message = msg ? xstrdup_utf8(msg) : NULL;
    free(msg);
    it->line = line;
    if (!it->file || !it->section || !it->key || !it->message) {
        free(it->file);
        free(it->section);
        free(it->key);
        free(it->message);
        return KOFU_ENOMEM;
    }
    d->n++;
    return st;
}

const char *diag_errno_text(const kofu_diag *d, int err)
{
    bool en = diag_lang(d) == KOFU_LANG_EN;
    switch (err) {
    case ENOENT: return en ? "no such file or directory" : "ファイルもディレクトリもありません";
    case EACCES: return en ? "permission denied" : "読み取りの権限がありません";
    case EPERM: return en ? "operation not permitted" : "操作が許可されていません";
    case EISDIR: return en ? "is a directory" : "ディレクトリです";
    case ENOTDIR: return en ? "a part of the path is not a directory" : "パスの途中がディレクトリではありません";
    case ELOOP: return en ? "too many symbolic links" : "シンボリックリンクが多すぎます";
    case ENAMETOOLONG: return en ? "file name too long" : "ファイル名が長すぎます";
    case EMFILE:
    case ENFILE: return en ? "too many open files" : "開いているファイルが多すぎます";
    case ENOSPC: return en ? "no space left on the device" : "書き込み先に空きがありません";
    case EIO: return en ? "input/output error" : "入出力エラー";
    default: return strerror(err);
    }
}

size_t diag_cell_ref(int line, char *buf, size_t cap)
{
    if (line >= 0 || cap < 16)
        return 0;
    unsigned v = (unsigned)-(long)line;
    unsigned row = v / DIAG_CELL_COLS, col = v % DIAG_CELL_COLS;
    char letters[4];
    int n = 0;
    for (unsigned c = col + 1; c > 0 && n < 3; c = (c - 1) / 26)
        letters[n++] = (char)('A' + (c - 1) % 26);
    size_t k = 0;
    while (n > 0)
        buf[k++] = letters[--n];
    return k + (size_t)snprintf(buf + k, cap - k, "%u", row);
}
