/* csv_in.c — case tables in CSV (kofu/table.h, docs/case-tables.md).
 *
 * The file is read twice, as a stream: once to tell UTF-8 from CP932, then
 * record by record. Consecutive rows with the same case.id make one case;
 * their cells become (section, key, value, cell) entries, and the case is
 * built from them by the same validation as an INI file (case_load_entries). */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kofu/table.h"
#include "case.h"
#include "diag.h"

/* Limits (docs/limits.md): a record, a field, the columns, the rows of one
 * case. Rows of the file are unbounded: memory does not grow with them. */
#define MAX_RECORD (1u << 20)
#define MAX_FIELD (64u * 1024u)
#define MAX_COLUMNS 1000u
#define MAX_CASE_ROWS 1000u

typedef enum enc { ENC_UTF8, ENC_CP932 } enc;

typedef struct column {
    char *section; /* "network", "cooperative.worker", "case"; NULL: the `section` column */
    char *key;
    bool blank;    /* no header: every cell must be empty */
} column;

typedef struct record {
    char **fields;
    size_t n, cap;
    char *buf;     /* the record's bytes, fields point into it */
    size_t len, bcap;
    unsigned row;  /* 1-based, the header is row 1 */
} record;

struct kofu_table {
    const kofu_rules *rules;
    char *path;
    FILE *f;
    enc encoding;
    iconv_t cd;
    column *cols;
    size_t n_cols;
    int id_col, section_col;
    record cur, next;      /* the row being grouped, the one read ahead   */
    bool have_next, eof;
    unsigned rows;         /* records read                                */
    size_t cases;
    char where[4096 + 32];
};

bool kofu_table_path(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    return n > 4 && strcasecmp(path + n - 4, ".csv") == 0;
}

size_t kofu_table_cases(const kofu_table *t) { return t ? t->cases : 0; }

size_t kofu_cell_ref(int line, char *buf, size_t cap) { return diag_cell_ref(line, buf, cap); }

/* ---- encoding --------------------------------------------------------------- */

/* Bytes of a UTF-8 sequence starting with c (0: not a lead byte). */
static int utf8_len(unsigned char c)
{
    return c < 0x80 ? 1 : c >= 0xC2 && c < 0xE0 ? 2 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xF0 && c < 0xF5 ? 4 : 0;
}

/* Scans the whole stream: UTF-8 when every sequence is valid, else CP932
 * when every byte pair is one, else an error naming the row and byte. */
static kofu_status detect(kofu_table *t, kofu_diag *diag)
{
    unsigned char buf[65536];
    int need = 0;            /* continuation bytes still expected (UTF-8) */
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
            if (utf8) {
                if (need > 0) {
                    if ((c & 0xC0) != 0x80)
                        utf8 = false;
                    need--;
                } else {
                    int k = utf8_len(c);
                    if (k == 0)
                        utf8 = false;
                    need = k - 1;
                }
            }
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
    if (need > 0)
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

static bool rec_put(record *r, char c)
{
    if (r->len + 2 > r->bcap) {
        size_t cap = r->bcap ? r->bcap * 2 : 1024;
        char *p = realloc(r->buf, cap);
        if (!p)
            return false;
        r->buf = p;
        r->bcap = cap;
    }
    r->buf[r->len++] = c;
    return true;
}

static void rec_free(record *r)
{
    free(r->fields);
    free(r->buf);
    *r = (record){0};
}

/* Reads one RFC 4180 record (quotes, "" inside quotes, CRLF or LF) into r:
 * fields NUL-separated in buf. Returns 1, 0 at the end, -1 after an error. */
static int read_record(kofu_table *t, record *r, kofu_diag *diag)
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
                    if (!rec_put(r, '"'))
                        FAIL("メモリ不足です", "out of memory");
                    continue;
                }
                if (d != EOF)
                    ungetc(d, t->f);
                quoted = false;
                after_quote = true;
                continue;
            }
            if (!rec_put(r, (char)c))
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
            if (!rec_put(r, '\0'))
                FAIL("メモリ不足です", "out of memory");
            field_start = r->len;
            after_quote = false;
            if (c != ',')
                goto done;
            continue;
        } else if (after_quote) {
            FAIL("引用符（\"）で閉じた欄の後に文字があります",
                 "characters after the closing quote (\") of a field");
        } else if (!rec_put(r, (char)c)) {
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
    if (!rec_put(r, '\0'))
        FAIL("メモリ不足です", "out of memory");
done:
    if (n > MAX_COLUMNS)
        FAIL("列が多すぎます（%u 列まで）", "too many columns (at most %u)", MAX_COLUMNS);
    if (n > r->cap) {
        char **p = realloc(r->fields, n * sizeof *p);
        if (!p)
            FAIL("メモリ不足です", "out of memory");
        r->fields = p;
        r->cap = n;
    }
    for (size_t i = 0; i < n; i++)
        r->fields[i] = r->buf + starts[i];
    r->n = n;
    free(starts);
    t->rows++;
    r->row = t->rows;
    return 1;
#undef FAIL
}

/* CP932 fields to UTF-8, in place (the record's buffer is rebuilt). */
static bool to_utf8(kofu_table *t, record *r)
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

static bool blank_record(const record *r)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->fields[i][strspn(r->fields[i], " \t")] != '\0')
            return false;
    return true;
}

/* The next non-blank record, converted; 1, 0 at the end, -1 on error. */
static int next_row(kofu_table *t, record *r, kofu_diag *diag)
{
    for (;;) {
        int k = read_record(t, r, diag);
        if (k <= 0)
            return k;
        if (!to_utf8(t, r)) {
            diag_add(diag, KOFU_ECASE, t->path, (int)r->row, NULL, NULL,
                     "CP932 として読めない文字があります", "a character that is not CP932");
            return -1;
        }
        if (!blank_record(r))
            return 1;
    }
}

/* ---- the header ----------------------------------------------------------------- */

/* "network.eligible_cost（交付対象経費）" → "network.eligible_cost": a label
 * beside the key, as kofu template writes it, is dropped. */
static char *header_key(const char *cell)
{
    const char *s = cell;
    if ((unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
        s += 3;
    s += strspn(s, " \t");
    size_t n = strcspn(s, " \t(");
    const char *fw = strstr(s, "（");
    if (fw && (size_t)(fw - s) < n)
        n = (size_t)(fw - s);
    return strndup(s, n);
}

static kofu_status read_header(kofu_table *t, kofu_diag *diag)
{
    int k = next_row(t, &t->cur, diag);
    if (k < 0)
        return KOFU_ECASE;
    if (k == 0)
        return diag_add(diag, KOFU_ECASE, t->path, 0, NULL, NULL,
                        "空のファイルです（1行目に section.key の見出しが必要です）",
                        "the file is empty (row 1 must hold section.key headers)");
    record *h = &t->cur;
    t->cols = calloc(h->n, sizeof *t->cols);
    if (!t->cols)
        return KOFU_ENOMEM;
    t->n_cols = h->n;
    t->id_col = t->section_col = -1;
    kofu_status st = KOFU_OK;
    for (size_t i = 0; i < h->n; i++) {
        char *key = header_key(h->fields[i]);
        if (!key)
            return KOFU_ENOMEM;
        column *c = &t->cols[i];
        /* [claim] keys are measure.amount: the section is "claim", not "claim.<measure>" */
        char *dot = strncasecmp(key, "claim.", 6) == 0 ? key + 5 : strrchr(key, '.');
        if (!*key) {
            c->blank = true;
        } else if (strcasecmp(key, "section") == 0) {
            if (t->section_col >= 0)
                st = diag_add(diag, KOFU_ECASE, t->path, DIAG_CELL(h->row, i), NULL, NULL,
                              "section の列が2つあります", "a second section column");
            t->section_col = (int)i;
        } else if (!dot || dot == key || !dot[1]) {
            st = diag_add(diag, KOFU_ECASE, t->path, DIAG_CELL(h->row, i), NULL, NULL,
                          "見出しは section.key の形です（例: network.eligible_cost）: '%s'",
                          "a header is section.key (e.g. network.eligible_cost): '%s'", key);
        } else {
            c->section = strndup(key, (size_t)(dot - key));
            c->key = strdup(dot + 1);
            if (!c->section || !c->key) {
                free(key);
                return KOFU_ENOMEM;
            }
            for (size_t j = 0; j < i; j++)
                if (t->cols[j].section && strcasecmp(t->cols[j].section, c->section) == 0 &&
                    strcasecmp(t->cols[j].key, c->key) == 0)
                    st = diag_add(diag, KOFU_ECASE, t->path, DIAG_CELL(h->row, i), NULL, NULL,
                                  "見出し %s が2回あります", "the header %s appears twice", key);
            if (strcasecmp(c->section, "case") == 0 && strcasecmp(c->key, "id") == 0)
                t->id_col = (int)i;
        }
        free(key);
    }
    if (st == KOFU_OK && t->id_col < 0)
        st = diag_add(diag, KOFU_ECASE, t->path, 1, NULL, NULL,
                      "case.id の列がありません（1行が1ケースで、case.id がケースを分けます）",
                      "no case.id column (each row is a case, told apart by case.id)");
    return st;
}

kofu_status kofu_table_open(const kofu_rules *rules, const char *path, kofu_diag *diag,
                            kofu_table **out)
{
    *out = NULL;
    kofu_table *t = calloc(1, sizeof *t);
    if (!t)
        return KOFU_ENOMEM;
    t->rules = rules;
    t->cd = (iconv_t)-1;
    t->path = strdup(path);
    t->f = t->path ? fopen(path, "rb") : NULL;
    if (!t->f) {
        int err = errno;
        kofu_table_close(&t);
        return diag_add(diag, KOFU_EIO, path, 0, NULL, NULL, "ファイルを開けません: %s",
                        "cannot open the file: %s", diag_errno_text(diag, err));
    }
    kofu_status st = detect(t, diag);
    if (st == KOFU_OK)
        st = read_header(t, diag);
    if (st == KOFU_OK) {
        int k = next_row(t, &t->next, diag);
        t->have_next = k > 0;
        t->eof = k == 0;
        if (k < 0)
            st = KOFU_ECASE;
    }
    if (st != KOFU_OK) {
        kofu_table_close(&t);
        return st;
    }
    *out = t;
    return KOFU_OK;
}

void kofu_table_close(kofu_table **tp)
{
    kofu_table *t = tp ? *tp : NULL;
    if (!t)
        return;
    if (t->f)
        fclose(t->f);
    if (t->cd != (iconv_t)-1)
        iconv_close(t->cd);
    for (size_t i = 0; t->cols && i < t->n_cols; i++) {
        free(t->cols[i].section);
        free(t->cols[i].key);
    }
    free(t->cols);
    rec_free(&t->cur);
    rec_free(&t->next);
    free(t->path);
    free(t);
    *tp = NULL;
}

/* ---- cases ------------------------------------------------------------------------ */

static const char *cell(const record *r, int i)
{
    return i >= 0 && (size_t)i < r->n ? r->fields[i] : "";
}

static const char *trimmed(const char *s, size_t *n)
{
    s += strspn(s, " \t");
    size_t k = strlen(s);
    while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t'))
        k--;
    *n = k;
    return s;
}

/* The section a row's column goes to: its own, or the row's `section` when
 * the column belongs to it ("network" for "network.kita",
 * "cooperative.worker" for "cooperative.worker.sato", or the same name). */
static bool column_fits(const char *col_section, const char *row_section)
{
    size_t n = strlen(col_section);
    if (strcasecmp(col_section, row_section) == 0)
        return true;
    return strncasecmp(col_section, row_section, n) == 0 && row_section[n] == '.' &&
           !strchr(row_section + n + 1, '.');
}

typedef struct entries {
    case_entry *e;
    size_t n, cap;
    char **owned; /* the rows' strings, kept until the case is built */
    size_t n_owned, cap_owned;
} entries;

static char *keep(entries *es, const char *s, size_t n)
{
    if (es->n_owned == es->cap_owned) {
        size_t cap = es->cap_owned ? es->cap_owned * 2 : 64;
        char **p = realloc(es->owned, cap * sizeof *p);
        if (!p)
            return NULL;
        es->owned = p;
        es->cap_owned = cap;
    }
    char *c = strndup(s, n);
    if (c)
        es->owned[es->n_owned++] = c;
    return c;
}

static bool add_entry(entries *es, case_entry e)
{
    if (es->n == es->cap) {
        size_t cap = es->cap ? es->cap * 2 : 64;
        case_entry *p = realloc(es->e, cap * sizeof *p);
        if (!p)
            return false;
        es->e = p;
        es->cap = cap;
    }
    es->e[es->n++] = e;
    return true;
}

static void entries_free(entries *es)
{
    for (size_t i = 0; i < es->n_owned; i++)
        free(es->owned[i]);
    free(es->owned);
    free(es->e);
    *es = (entries){0};
}

/* The entries of one row. */
static bool row_entries(kofu_table *t, const record *r, entries *es, kofu_diag *diag, bool *bad,
                        bool first_row)
{
    size_t sn;
    const char *sec_raw = trimmed(cell(r, t->section_col), &sn);
    char *row_section = sn ? keep(es, sec_raw, sn) : NULL;
    if (sn && !row_section)
        return false;
    int sec_line = DIAG_CELL(r->row, t->section_col >= 0 && sn ? t->section_col : t->id_col);
    for (size_t i = 0; i < t->n_cols; i++) {
        const column *c = &t->cols[i];
        size_t vn;
        const char *v = trimmed(cell(r, (int)i), &vn);
        if ((int)i == t->section_col || vn == 0)
            continue;
        if (c->blank) {
            diag_add(diag, KOFU_ECASE, t->path, DIAG_CELL(r->row, i), NULL, NULL,
                     "見出しのない列に値があります", "a value in a column without a header");
            *bad = true;
            continue;
        }
        bool is_case = strcasecmp(c->section, "case") == 0;
        const char *section = c->section;
        if (is_case && !first_row) {
            /* a repeated case.* cell must say what the first row said */
            bool same = false;
            for (size_t k = 0; k < es->n; k++)
                if (strcasecmp(es->e[k].section, "case") == 0 && strcasecmp(es->e[k].key, c->key) == 0) {
                    same = strlen(es->e[k].value) == vn && strncmp(es->e[k].value, v, vn) == 0;
                    if (!same) {
                        char first[32] = "";
                        diag_cell_ref(es->e[k].line, first, sizeof first);
                        diag_add(diag, KOFU_ECASE, t->path, DIAG_CELL(r->row, i), "case", c->key,
                                 "同じケースの前の行（%s）と違う値です", "differs from the case's earlier row (%s)",
                                 first);
                        *bad = true;
                    }
                    break;
                }
            if (same || *bad)
                continue;
        } else if (!is_case && row_section) {
            if (!column_fits(c->section, row_section)) {
                diag_add(diag, KOFU_ECASE, t->path, DIAG_CELL(r->row, i), row_section, c->key,
                         "この行は [%s] の行です。列 %s.%s の値は置けません（別の行に書いてください）",
                         "this row is the row of [%s]: the column %s.%s cannot hold a value here "
                         "(put it on a row of its own)",
                         row_section, c->section, c->key);
                *bad = true;
                continue;
            }
            section = row_section;
        }
        char *value = keep(es, v, vn);
        if (!value || !add_entry(es, (case_entry){section, c->key, value, DIAG_CELL(r->row, i),
                                                  is_case      ? DIAG_CELL(r->row, t->id_col)
                                                  : row_section ? sec_line
                                                                : DIAG_CELL(r->row, i)}))
            return false;
    }
    return true;
}

static bool same_case(const kofu_table *t, const record *a, const record *b)
{
    size_t na, nb;
    const char *x = trimmed(cell(a, t->id_col), &na), *y = trimmed(cell(b, t->id_col), &nb);
    return na == nb && strncmp(x, y, na) == 0;
}

kofu_status kofu_table_next(kofu_table *t, kofu_diag *diag, kofu_case **c, const char **where)
{
    *c = NULL;
    if (!t->have_next)
        return t->eof ? KOFU_OK : KOFU_EIO;
    /* the row read ahead starts the case */
    record tmp = t->cur;
    t->cur = t->next;
    t->next = tmp;
    unsigned first = t->cur.row;
    snprintf(t->where, sizeof t->where, "%s:%u", t->path, first);
    if (where)
        *where = t->where;
    t->cases++;
    entries es = {0};
    bool bad = false, ok = true;
    size_t idn;
    trimmed(cell(&t->cur, t->id_col), &idn);
    if (idn == 0) {
        diag_add(diag, KOFU_ECASE, t->path, DIAG_CELL(first, t->id_col), "case", "id",
                 "case.id がありません（どの行にもケースの ID が必要です）",
                 "no case.id (every row needs the case's id)");
        bad = true;
    }
    ok = row_entries(t, &t->cur, &es, diag, &bad, true);
    unsigned n_rows = 1;
    /* rows that repeat the id add to the case */
    for (;;) {
        int k = next_row(t, &t->next, diag);
        if (k < 0) {
            t->have_next = false;
            entries_free(&es);
            return KOFU_EIO;
        }
        if (k == 0) {
            t->have_next = false;
            t->eof = true;
            break;
        }
        if (idn == 0 || !same_case(t, &t->cur, &t->next)) {
            t->have_next = true;
            break;
        }
        if (++n_rows > MAX_CASE_ROWS) {
            diag_add(diag, KOFU_ECASE, t->path, DIAG_CELL(t->next.row, t->id_col), NULL, NULL,
                     "1ケースの行が多すぎます（%u 行まで）", "too many rows for one case (at most %u)",
                     MAX_CASE_ROWS);
            bad = true;
            continue;
        }
        if (ok)
            ok = row_entries(t, &t->next, &es, diag, &bad, false);
    }
    kofu_status st = !ok ? KOFU_ENOMEM : bad ? KOFU_ECASE : KOFU_OK;
    if (st == KOFU_OK)
        st = case_load_entries(t->rules, t->path, es.e, es.n, diag, c);
    entries_free(&es);
    return st;
}
