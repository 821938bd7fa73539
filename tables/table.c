/* table.c — case tables (kofu/table.h, docs/case-tables.md): the rows of a
 * row source (CSV or xlsx, table_source.h) become cases.
 *
 * Consecutive rows with the same case.id make one case; their cells become
 * (section, key, value, cell) entries, and the case is built from them by
 * the same validation as an INI file (case_load_entries). Only the row
 * being grouped and the one read ahead are held: memory does not grow with
 * the table's rows. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kofu/table.h"
#include "case.h"
#include "diag.h"
#include "table_source.h"

/* Rows of one case (docs/limits.md). */
#define MAX_CASE_ROWS 1000u

typedef table_row record;

typedef struct entries {
    case_entry *e;
    size_t n, cap;
    char **owned; /* the rows' strings, kept until the case is built */
    size_t n_owned, cap_owned;
} entries;

typedef struct column {
    char *section; /* "network", "cooperative.worker", "case"; NULL: the `section` column */
    char *key;
    bool blank;    /* no header: every cell must be empty */
} column;

struct kofu_table {
    const kofu_rules *rules;
    table_source *src;
    const char *path;      /* the source's name: messages, trace, where */
    column *cols;
    size_t n_cols;
    int id_col, section_col;
    record cur, next;      /* the row being grouped, the one read ahead   */
    bool have_next, eof;
    size_t cases;
    entries last;          /* the values of the case last read            */
    char where[4096 + 32];
};

/* The extensions of a case table: CSV, and the workbook forms (.xls and
 * .xlsm are taken in so that the reader can say what to do with them). */
bool kofu_table_path(const char *path)
{
    static const char *const ext[] = {".csv", ".xlsx", ".xlsm", ".xls"};
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (!dot || dot == path || strchr(dot, '/'))
        return false;
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
        if (strcasecmp(dot, ext[i]) == 0)
            return true;
    return false;
}

size_t kofu_table_cases(const kofu_table *t) { return t ? t->cases : 0; }

size_t kofu_cell_ref(int line, char *buf, size_t cap) { return diag_cell_ref(line, buf, cap); }

/* ---- rows ----------------------------------------------------------------------- */

static bool blank_record(const record *r)
{
    if (r->n_errors)
        return false;
    for (size_t i = 0; i < r->n; i++)
        if (r->fields[i][strspn(r->fields[i], " \t")] != '\0')
            return false;
    return true;
}

/* The next non-blank row; 1, 0 at the end, -1 on error. */
static int next_row(kofu_table *t, record *r, kofu_diag *diag)
{
    for (;;) {
        table_row_clear_errors(r);
        int k = t->src->ops->next(t->src, r, diag);
        if (k <= 0)
            return k;
        if (!blank_record(r))
            return 1;
    }
}

static void entries_free(entries *es);

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
                        "空の表です（1行目に section.key の見出しが必要です）",
                        "the table is empty (row 1 must hold section.key headers)");
    record *h = &t->cur;
    for (size_t i = 0; i < h->n_errors; i++)
        diag_add(diag, KOFU_ECASE, t->path, h->errors[i].line, NULL, NULL, "%s", "%s", h->errors[i].msg);
    if (h->n_errors)
        return KOFU_ECASE;
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
        st = diag_add(diag, KOFU_ECASE, t->path, (int)h->row, NULL, NULL,
                      "case.id の列がありません（1行が1ケースで、case.id がケースを分けます）",
                      "no case.id column (each row is a case, told apart by case.id)");
    return st;
}

/* The form is told by the bytes, not the name: a zip is a workbook, an OLE
 * compound file is a workbook kofu cannot read (.xls, or an xlsx with a
 * password), anything else is CSV text. */
static kofu_status open_stream(const kofu_rules *rules, const char *path, FILE *f,
                               kofu_diag *diag, kofu_table **out)
{
    *out = NULL;
    unsigned char magic[8] = {0};
    size_t got = fread(magic, 1, sizeof magic, f);
    if (ferror(f) || fseek(f, 0, SEEK_SET) != 0) {
        int err = errno;
        fclose(f);
        return diag_add(diag, KOFU_EIO, path, 0, NULL, NULL, "読み込めません: %s", "cannot read: %s",
                        diag_errno_text(diag, err));
    }
    static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (got == sizeof ole && memcmp(magic, ole, sizeof ole) == 0) {
        fclose(f);
        return diag_add(diag, KOFU_ECASE, path, 0, NULL, NULL,
                        "Excel 97-2003 形式（.xls）か、パスワード付きのブックです: 読めません。"
                        "パスワードを外して「Excel ブック（*.xlsx）」か「CSV UTF-8」で保存してください",
                        "an Excel 97-2003 workbook (.xls) or a workbook with a password: it cannot be "
                        "read. Remove the password and save it as \"Excel Workbook (*.xlsx)\" or "
                        "\"CSV UTF-8\"");
    }
    kofu_table *t = calloc(1, sizeof *t);
    if (!t) {
        fclose(f);
        return KOFU_ENOMEM;
    }
    t->rules = rules;
    kofu_status st = KOFU_OK;
    bool zip = got >= 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] < 9 && magic[3] < 9;
    t->src = zip ? xlsx_source_open(f, path, NULL, diag, &st) : csv_source_open(f, path, diag, &st);
    if (t->src) {
        t->path = t->src->name;
        st = read_header(t, diag);
    }
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

kofu_status kofu_table_open(const kofu_rules *rules, const char *path, kofu_diag *diag,
                            kofu_table **out)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return diag_add(diag, KOFU_EIO, path, 0, NULL, NULL, "ファイルを開けません: %s",
                        "cannot open the file: %s", diag_errno_text(diag, errno));
    return open_stream(rules, path, f, diag, out);
}

kofu_status kofu_table_open_mem(const kofu_rules *rules, const char *name, const void *data,
                                size_t len, kofu_diag *diag, kofu_table **out)
{
    *out = NULL;
    /* a stream over the caller's bytes: both readers read a FILE */
    FILE *f = fmemopen(len ? (void *)data : (void *)"", len, "rb");
    if (!f)
        return KOFU_ENOMEM;
    return open_stream(rules, name, f, diag, out);
}

void kofu_table_close(kofu_table **tp)
{
    kofu_table *t = tp ? *tp : NULL;
    if (!t)
        return;
    if (t->src)
        t->src->ops->close(t->src);
    for (size_t i = 0; t->cols && i < t->n_cols; i++) {
        free(t->cols[i].section);
        free(t->cols[i].key);
    }
    free(t->cols);
    table_row_free(&t->cur);
    table_row_free(&t->next);
    entries_free(&t->last);
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

/* The errors of a row's unreadable cells, named by their column's key. */
static void cell_errors(const kofu_table *t, const record *r, kofu_diag *diag, bool *bad)
{
    for (size_t i = 0; i < r->n_errors; i++) {
        size_t col = (size_t)(-(long)r->errors[i].line) % DIAG_CELL_COLS;
        const column *c = col < t->n_cols ? &t->cols[col] : NULL;
        diag_add(diag, KOFU_ECASE, t->path, r->errors[i].line, c ? c->section : NULL, c ? c->key : NULL,
                 "%s", "%s", r->errors[i].msg);
        *bad = true;
    }
}

/* The entries of one row. */
static bool row_entries(kofu_table *t, const record *r, entries *es, kofu_diag *diag, bool *bad,
                        bool first_row)
{
    cell_errors(t, r, diag, bad);
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
    entries_free(&t->last);
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
    t->last = es; /* kept for kofu_table_value until the next case */
    return st;
}

size_t kofu_table_value_count(const kofu_table *t) { return t ? t->last.n : 0; }

bool kofu_table_value(const kofu_table *t, size_t i, const char **section, const char **key,
                      const char **value, int *cell)
{
    if (!t || i >= t->last.n)
        return false;
    const case_entry *e = &t->last.e[i];
    if (section)
        *section = e->section;
    if (key)
        *key = e->key;
    if (value)
        *value = e->value;
    if (cell)
        *cell = e->line;
    return true;
}
