/* csv_in.c — the rows of a case table in CSV (table_source.h): RFC 4180
 * records in UTF-8 (with or without a BOM) or CP932.
 *
 * The stream is read twice: once to tell UTF-8 from CP932 (a whole-file
 * decision: a CP932 file may look like UTF-8 for its first rows), then
 * record by record, each converted to UTF-8. */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "table_source.h"
#include "utf8.h"

typedef enum enc { ENC_UTF8, ENC_CP932 } enc;

typedef table_row record;

typedef struct csv_source {
    table_source base;
    char *path;
    FILE *f;
    enc encoding;
    iconv_t cd;
    unsigned rows; /* records read */
} csv_source;

#define MAX_RECORD TABLE_MAX_RECORD
#define MAX_FIELD TABLE_MAX_FIELD
#define MAX_COLUMNS TABLE_MAX_COLUMNS

/* ---- encoding --------------------------------------------------------------- */

/* Scans the whole stream: UTF-8 when every sequence is valid, else CP932
 * when every byte pair is one, else an error naming the row and byte. */
static kofu_status detect(csv_source *t, kofu_diag *diag)
{
    unsigned char buf[65536];
    /* UTF-8 as strict as the INI reader and the JSON writer: a cell they
     * would refuse must not pass here */
    utf8_stream u8 = UTF8_STREAM_START;
    bool utf8 = true, cp932 = true, trail = false;
    unsigned row = 1, bad_row = 0;
    long long at = 0, bad_at = -1;
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, t->f)) > 0) {
        for (size_t i = 0; i < n; i++, at++) {
            unsigned char c = buf[i];
            if (c == 0) {
                return diag_add(diag, KOFU_ECASE, t->path, 0, NULL, NULL,
                                "NUL バイトがあります（%lld バイト目）: 文字のファイルではありません",
                                "a NUL byte (at byte %lld): not a text file", at + 1);
            }
            if (c == '\n')
                row++;
            if (utf8 && !utf8_stream_push(&u8, c))
                utf8 = false;
            if (cp932) {
                if (trail) {
                    if (c < 0x40 || c == 0x7F || c > 0xFC)
                        cp932 = false;
                    trail = false;
                } else if ((c >= 0x81 && c <= 0x9F) || (c >= 0xE0 && c <= 0xFC)) {
                    trail = true;
                } else if (c >= 0x80 && !(c >= 0xA1 && c <= 0xDF)) {
                    cp932 = false;
                }
            }
            if (!utf8 && !cp932 && bad_at < 0) {
                bad_at = at;
                bad_row = row;
            }
        }
    }
    if (ferror(t->f))
        return diag_add(diag, KOFU_EIO, t->path, 0, NULL, NULL, "読み込めません: %s",
                        "cannot read: %s", diag_errno_text(diag, errno));
    if (!utf8_stream_complete(&u8))
        utf8 = false;
    if (trail)
        cp932 = false;
    if (!utf8 && !cp932)
        return diag_add(diag, KOFU_ECASE, t->path, bad_row, NULL, NULL,
                        "文字コードが UTF-8 でも CP932（Shift_JIS）でもありません（%lld バイト目）",
                        "the text is neither UTF-8 nor CP932 (Shift_JIS) (byte %lld)",
                        bad_at >= 0 ? bad_at + 1 : at);
    t->encoding = utf8 ? ENC_UTF8 : ENC_CP932;
    rewind(t->f);
    if (t->encoding == ENC_CP932) {
        t->cd = iconv_open("UTF-8", "CP932");
        if (t->cd == (iconv_t)-1)
            return diag_add(diag, KOFU_EIO, t->path, 0, NULL, NULL,
                            "CP932 からの変換を開始できません（iconv）",
                            "cannot start the conversion from CP932 (iconv)");
    }
    return KOFU_OK;
}

/* ---- records ----------------------------------------------------------------- */

/* Reads one RFC 4180 record (quotes, "" inside quotes, CRLF or LF) into r:
 * fields NUL-separated in buf. Returns 1, 0 at the end, -1 after an error. */
static int read_record(csv_source *t, record *r, kofu_diag *diag)
{
    r->len = 0;
    size_t starts_cap = 0, n = 0;
    size_t *starts = NULL;
    bool quoted = false, any = false, after_quote = false;
    unsigned row = t->rows + 1;
    int c;
    size_t field_start = 0;
#define FAIL(...)                                                                                  \
    do {                                                                                           \
        diag_add(diag, KOFU_ECASE, t->path, (int)row, NULL, NULL, __VA_ARGS__);                   \
        free(starts);                                                                              \
        return -1;                                                                                 \
    } while (0)
    for (;;) {
        c = getc(t->f);
        if (c == EOF) {
            if (quoted)
                FAIL("引用符（\"）が閉じられないままファイルが終わりました",
                     "the file ends inside a quoted field (\")");
            if (!any && n == 0) {
                free(starts);
                return ferror(t->f) ? -1 : 0;
            }
            break;
        }
        any = true;
        if (quoted) {
            if (c == '"') {
                int d = getc(t->f);
                if (d == '"') {
                    if (!table_row_putc(r, '"'))
                        FAIL("メモリ不足です", "out of memory");
                    continue;
                }
                if (d != EOF)
                    ungetc(d, t->f);
                quoted = false;
                after_quote = true;
                continue;
            }
            if (!table_row_putc(r, (char)c))
                FAIL("メモリ不足です", "out of memory");
        } else if (c == '"' && r->len == field_start && !after_quote) {
            quoted = true;
            continue;
        } else if (c == ',' || c == '\n' || c == '\r') {
            if (c == '\r') {
                int d = getc(t->f);
                if (d != '\n' && d != EOF)
                    ungetc(d, t->f);
            }
            if (n == starts_cap) {
                starts_cap = starts_cap ? starts_cap * 2 : 32;
                size_t *p = realloc(starts, starts_cap * sizeof *p);
                if (!p)
                    FAIL("メモリ不足です", "out of memory");
                starts = p;
            }
            starts[n++] = field_start;
            if (!table_row_putc(r, '\0'))
                FAIL("メモリ不足です", "out of memory");
            field_start = r->len;
            after_quote = false;
            if (c != ',')
                goto done;
            continue;
        } else if (after_quote) {
            FAIL("引用符（\"）で閉じた欄の後に文字があります",
                 "characters after the closing quote (\") of a field");
        } else if (!table_row_putc(r, (char)c)) {
            FAIL("メモリ不足です", "out of memory");
        }
        if (r->len - field_start > MAX_FIELD)
            FAIL("欄が長すぎます（%u バイトまで）", "a field is too long (at most %u bytes)", MAX_FIELD);
        if (r->len > MAX_RECORD)
            FAIL("行が長すぎます（%u バイトまで）", "a row is too long (at most %u bytes)", MAX_RECORD);
    }
    /* the last record without a line end */
    if (n == starts_cap) {
        size_t *p = realloc(starts, (starts_cap + 1) * sizeof *p);
        if (!p)
            FAIL("メモリ不足です", "out of memory");
        starts = p;
    }
    starts[n++] = field_start;
    if (!table_row_putc(r, '\0'))
        FAIL("メモリ不足です", "out of memory");
done:
    if (n > MAX_COLUMNS)
        FAIL("列が多すぎます（%u 列まで）", "too many columns (at most %u)", MAX_COLUMNS);
    if (!table_row_fields(r, starts, n))
        FAIL("メモリ不足です", "out of memory");
    free(starts);
    t->rows++;
    r->row = t->rows;
    return 1;
#undef FAIL
}

/* CP932 fields to UTF-8, in place (the record's buffer is rebuilt). */
static bool to_utf8(csv_source *t, record *r)
{
    if (t->encoding == ENC_UTF8)
        return true;
    /* a CP932 byte becomes at most 3 bytes of UTF-8 (a half-width katakana
     * takes 1 byte in CP932 and 3 in UTF-8), plus each field's NUL */
    size_t cap = r->len * 3 + r->n + 16;
    char *out = malloc(cap);
    if (!out)
        return false;
    size_t used = 0;
    for (size_t i = 0; i < r->n; i++) {
        char *in = r->fields[i], *o = out + used;
        size_t in_left = strlen(in), out_left = cap - used - 1;
        iconv(t->cd, NULL, NULL, NULL, NULL);
        if (iconv(t->cd, &in, &in_left, &o, &out_left) == (size_t)-1) {
            free(out);
            return false;
        }
        *o = '\0';
        r->fields[i] = (char *)(uintptr_t)(used); /* an offset until out is final */
        used = (size_t)(o - out) + 1;
    }
    free(r->buf);
    r->buf = out;
    r->bcap = cap;
    r->len = used;
    for (size_t i = 0; i < r->n; i++)
        r->fields[i] = out + (uintptr_t)r->fields[i];
    return true;
}

static int csv_next(table_source *s, table_row *r, kofu_diag *diag)
{
    csv_source *t = (csv_source *)s;
    int k = read_record(t, r, diag);
    if (k <= 0)
        return k;
    if (!to_utf8(t, r)) {
        diag_add(diag, KOFU_ECASE, t->path, (int)r->row, NULL, NULL,
                 "CP932 として読めない文字があります", "a character that is not CP932");
        return -1;
    }
    return 1;
}

static void csv_close(table_source *s)
{
    csv_source *t = (csv_source *)s;
    if (t->f)
        fclose(t->f);
    if (t->cd != (iconv_t)-1)
        iconv_close(t->cd);
    free(t->path);
    free(t);
}

static const table_source_ops csv_ops = {csv_next, csv_close};

table_source *csv_source_open(FILE *f, const char *path, kofu_diag *diag, kofu_status *st)
{
    csv_source *t = calloc(1, sizeof *t);
    char *name = strdup(path);
    if (!t || !name) {
        free(t);
        free(name);
        fclose(f);
        *st = KOFU_ENOMEM;
        return NULL;
    }
    *t = (csv_source){.base = {&csv_ops, name}, .path = name, .f = f, .cd = (iconv_t)-1};
    *st = detect(t, diag);
    if (*st != KOFU_OK) {
        csv_close(&t->base);
        return NULL;
    }
    return &t->base;
}
