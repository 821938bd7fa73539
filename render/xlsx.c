/* xlsx.c — results as an Excel workbook (kofu/xlsx.h), on libxlsxwriter.
 *
 * Rows are gathered into tables in memory and the worksheets written at
 * close, so the sheets come in a fixed order (概要 first, the notes last)
 * whatever order cases, claims and sweep points arrive in. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "kofu/xlsx.h"
#include "diag.h"
#include "fy.h"
#include "xlsx_dl.h" /* libxlsxwriter through its table, opened on first use */
#include "xlsx_template.h"

/* ---- tables ------------------------------------------------------------------ */

typedef enum cell_kind { CELL_EMPTY, CELL_YEN, CELL_COUNT, CELL_NUMBER, CELL_TEXT } cell_kind;

typedef struct cell {
    cell_kind kind;
    int64_t i;
    char *s; /* CELL_TEXT, and CELL_NUMBER's exact text */
} cell;

typedef struct column {
    char *key;
    char *label;
    double width;
} column;

typedef struct row {
    cell *cells;
    size_t n;
} row;

typedef struct table {
    const char *name_ja, *name_en;
    char *name;       /* a measure's sheet: its label                        */
    column *cols;
    size_t n_cols, cap_cols;
    row *rows;
    size_t n_rows, cap_rows;
} table;

enum { T_SUMMARY, T_CLAIMS, T_SWEEP, T_RULES, T_TRACE, T_SOURCES, T_NOTES, T_FIXED };
#define MAX_MEASURE_TABLES 32

struct kofu_xlsx {
    kofu_xlsx_options opt;
    char *path, *tmp;
    bool oom;
    table fixed[T_FIXED];
    table measures[MAX_MEASURE_TABLES];
    char *measure_keys[MAX_MEASURE_TABLES];
    size_t n_measures;
    size_t n_vary;      /* sweep: the varied keys of the first point        */
    const kofu_node *bib_src; /* kofu_xlsx_add_sources: the caller's node  */
    const kofu_xlsx_template *tmpl; /* kofu_xlsx_add_template: the caller's */
};

static int col_index_of(const struct table *t, const char *key);

static char *xstrdup(kofu_xlsx *x, const char *s)
{
    char *p = strdup(s ? s : "");
    if (!p)
        x->oom = true;
    return p;
}

static bool grow(kofu_xlsx *x, void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * size);
    if (!q) {
        x->oom = true;
        return false;
    }
    memset((char *)q + *cap * size, 0, (n - *cap) * size);
    *p = q;
    *cap = n;
    return true;
}

static int col_index_of(const table *t, const char *key)
{
    for (size_t i = 0; i < t->n_cols; i++)
        if (strcmp(t->cols[i].key, key) == 0)
            return (int)i;
    return -1;
}

/* The index of column `key`, added with `label` when new; -1 on OOM. */
static int col_of(kofu_xlsx *x, table *t, const char *key, const char *label, double width)
{
    for (size_t i = 0; i < t->n_cols; i++)
        if (strcmp(t->cols[i].key, key) == 0)
            return (int)i;
    if (!grow(x, (void **)&t->cols, &t->cap_cols, t->n_cols + 1, sizeof *t->cols))
        return -1;
    column *c = &t->cols[t->n_cols];
    c->key = xstrdup(x, key);
    c->label = xstrdup(x, label ? label : key);
    c->width = width;
    return (int)t->n_cols++;
}

static row *new_row(kofu_xlsx *x, table *t)
{
    if (!grow(x, (void **)&t->rows, &t->cap_rows, t->n_rows + 1, sizeof *t->rows))
        return NULL;
    return &t->rows[t->n_rows++];
}

static cell *cell_at(kofu_xlsx *x, row *r, int col)
{
    if (!r || col < 0)
        return NULL;
    size_t cap = r->n;
    if ((size_t)col >= r->n) {
        if (!grow(x, (void **)&r->cells, &cap, (size_t)col + 1, sizeof *r->cells))
            return NULL;
        r->n = cap;
    }
    return &r->cells[col];
}

static void put_text(kofu_xlsx *x, row *r, int col, const char *s)
{
    cell *c = cell_at(x, r, col);
    if (c && s && *s) {
        c->kind = CELL_TEXT;
        c->s = xstrdup(x, s);
    }
}

static void put_int(kofu_xlsx *x, row *r, int col, int64_t v, cell_kind kind)
{
    cell *c = cell_at(x, r, col);
    if (c) {
        c->kind = kind;
        c->i = v;
    }
}

/* Integers that count things rather than yen. */
static bool is_count(const char *key)
{
    return strstr(key, "months") || strstr(key, "hours") || strstr(key, "workers") ||
           strstr(key, "year") || strcmp(key, "line") == 0 || strcmp(key, "from_fy") == 0 ||
           strcmp(key, "confirmed_through") == 0;
}

/* An exact decimal: a number when it terminates, else the fraction as text. */
static void put_decimal(kofu_xlsx *x, row *r, int col, const char *s)
{
    cell *c = cell_at(x, r, col);
    if (!c || !s || !*s)
        return;
    /* a number only when the whole text is one (a table's points stay text) */
    char *end = NULL;
    strtod(s, &end);
    c->kind = end && *end == '\0' && !strchr(s, '/') && strspn(s, "-0123456789.") == strlen(s)
                  ? CELL_NUMBER
                  : CELL_TEXT;
    c->s = xstrdup(x, s);
}

static void put_node(kofu_xlsx *x, row *r, int col, const char *key, const kofu_node *n)
{
    if (!n)
        return;
    switch (kofu_node_type(n)) {
    case KOFU_NODE_INT: put_int(x, r, col, kofu_node_int(n), is_count(key) ? CELL_COUNT : CELL_YEN); break;
    case KOFU_NODE_DECIMAL: put_decimal(x, r, col, kofu_node_str(n)); break;
    case KOFU_NODE_STRING: put_text(x, r, col, kofu_node_str(n)); break;
    case KOFU_NODE_BOOL: put_text(x, r, col, kofu_node_bool(n) ? "true" : "false"); break;
    default: break;
    }
}

static void table_free(table *t)
{
    for (size_t i = 0; i < t->n_cols; i++) {
        free(t->cols[i].key);
        free(t->cols[i].label);
    }
    free(t->cols);
    for (size_t i = 0; i < t->n_rows; i++) {
        for (size_t k = 0; k < t->rows[i].n; k++)
            free(t->rows[i].cells[k].s);
        free(t->rows[i].cells);
    }
    free(t->rows);
    free(t->name);
    *t = (table){0};
}

/* ---- labels ------------------------------------------------------------------- */

static const char *tr(const kofu_xlsx *x, const char *ja, const char *en)
{
    return x->opt.lang == KOFU_LANG_EN ? en : ja;
}

/* "<measure> <amount>" without the measure's gloss in parentheses. */
static char *amount_label(kofu_xlsx *x, const char *m, const char *a, bool with_measure)
{
    char dotted[160];
    snprintf(dotted, sizeof dotted, "%s.%s", m, a);
    const char *al = kofu_label(dotted, x->opt.lang);
    const char *ml = with_measure ? kofu_label(m, x->opt.lang) : NULL;
    if (!al)
        return xstrdup(x, a);
    if (!ml)
        return xstrdup(x, al);
    const char *gloss = strstr(ml, x->opt.lang == KOFU_LANG_EN ? " (" : "（");
    size_t n = gloss ? (size_t)(gloss - ml) : strlen(ml);
    char *s = malloc(n + strlen(al) + 2);
    if (!s) {
        x->oom = true;
        return NULL;
    }
    memcpy(s, ml, n);
    s[n] = ' ';
    strcpy(s + n + 1, al);
    return s;
}

static int amount_col(kofu_xlsx *x, table *t, const char *m, const char *a, bool with_measure)
{
    char key[160];
    snprintf(key, sizeof key, "%s.%s", m, a);
    char *label = amount_label(x, m, a, with_measure);
    int c = col_of(x, t, key, label, 16);
    free(label);
    return c;
}

/* ---- opening --------------------------------------------------------------------- */

kofu_status kofu_xlsx_open(const char *path, const kofu_xlsx_options *opt, kofu_diag *diag,
                           kofu_xlsx **out)
{
    *out = NULL;
    /* before anything is created: a missing library leaves nothing behind */
    kofu_status st = xlsx_dl_load(path, diag);
    if (st != KOFU_OK)
        return st;
    kofu_xlsx *x = calloc(1, sizeof *x);
    if (!x)
        return KOFU_ENOMEM;
    x->opt = *opt;
    x->path = strdup(path);
    const char *slash = strrchr(path, '/');
    int dlen = slash ? (int)(slash - path + 1) : 0;
    size_t cap = strlen(path) + 32;
    x->tmp = malloc(cap);
    if (!x->path || !x->tmp) {
        kofu_xlsx_discard(&x);
        return KOFU_ENOMEM;
    }
    snprintf(x->tmp, cap, "%.*s.%s.kofu-XXXXXX", dlen, path, slash ? slash + 1 : path);
    int fd = mkstemp(x->tmp);
    if (fd < 0) {
        int err = errno;
        x->tmp[0] = '\0';
        kofu_xlsx_discard(&x);
        return diag_add(diag, KOFU_EIO, path, 0, NULL, NULL, "書き込めません: %s",
                        "cannot write: %s", diag_errno_text(diag, err));
    }
    /* mkstemp makes 0600; the workbook gets the mode a new file would get */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
        /* not fatal: the workbook is only more private */
    }
    close(fd);
    static const char *const names[T_FIXED][2] = {
        {"概要", "Summary"},          {"照合", "Claims"},   {"感度分析", "Sweep"},
        {"ルールデータ", "Rules"},    {"計算過程", "Trace"}, {"根拠", "Sources"},
        {"注意", "Notes"},
    };
    for (int t = 0; t < T_FIXED; t++) {
        x->fixed[t].name_ja = names[t][0];
        x->fixed[t].name_en = names[t][1];
    }
    *out = x;
    return KOFU_OK;
}

/* ---- cases ----------------------------------------------------------------------- */

static bool provisional(const kofu_node *warnings)
{
    static const char *const codes[] = {"parameter_carried_forward", "parameter_provisional",
                                        "taper_provisional", "cap_basis_provisional"};
    for (size_t i = 0; i < kofu_node_size(warnings); i++) {
        const char *code = kofu_node_str(kofu_node_get(kofu_node_at(warnings, i), "code"));
        for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++)
            if (strcmp(code, codes[k]) == 0)
                return true;
    }
    return false;
}

/* Distinct codes, space-separated (malloc'd, "" when none). */
static char *codes_of(kofu_xlsx *x, const kofu_node *list)
{
    size_t cap = 1;
    for (size_t i = 0; i < kofu_node_size(list); i++)
        cap += strlen(kofu_node_str(kofu_node_get(kofu_node_at(list, i), "code"))) +
               strlen(kofu_node_str(kofu_node_get(kofu_node_at(list, i), "subject"))) + 4;
    char *s = calloc(1, cap);
    if (!s) {
        x->oom = true;
        return NULL;
    }
    for (size_t i = 0; i < kofu_node_size(list); i++) {
        const kofu_node *e = kofu_node_at(list, i);
        char one[256];
        const char *subject = kofu_node_str(kofu_node_get(e, "subject"));
        snprintf(one, sizeof one, *subject ? "%s(%s)" : "%s%s",
                 kofu_node_str(kofu_node_get(e, "code")), subject);
        /* whole-word search: a code already listed is not repeated */
        bool seen = false;
        for (const char *p = s; !seen && (p = strstr(p, one)) != NULL; p++)
            seen = (p == s || p[-1] == ' ') && (p[strlen(one)] == ' ' || !p[strlen(one)]);
        if (seen)
            continue;
        if (*s)
            strcat(s, " ");
        strcat(s, one);
    }
    return s;
}

static void fiscal_year_cells(kofu_xlsx *x, table *t, row *rw, const kofu_node *root)
{
    const kofu_node *fy = kofu_node_get(root, "fiscal_year");
    int c = col_of(x, t, "fiscal_year", tr(x, "年度", "fiscal year"), 12);
    if (fy && kofu_node_type(fy) == KOFU_NODE_INT) {
        char buf[64];
        fy_format_ja((int)kofu_node_int(fy), buf, sizeof buf);
        char *paren = strstr(buf, " (");
        if (paren)
            *paren = '\0';
        put_text(x, rw, c, buf);
    }
}

/* file, case, name: the first columns of every case's rows. */
static row *case_row(kofu_xlsx *x, table *t, const char *file, const kofu_node *root,
                     const kofu_case *c)
{
    int cf = col_of(x, t, "file", tr(x, "ファイル", "file"), 28);
    int cc = col_of(x, t, "case", tr(x, "ケースID", "case"), 22);
    int cn = col_of(x, t, "name", tr(x, "名称", "name"), 16);
    row *rw = new_row(x, t);
    put_text(x, rw, cf, file);
    put_text(x, rw, cc, kofu_node_str(kofu_node_get(root, "case")));
    put_text(x, rw, cn, c ? kofu_case_name(c) : "");
    return rw;
}

static void summary_row(kofu_xlsx *x, const char *file, const kofu_node *root,
                        const kofu_case *c, const char *error)
{
    table *t = &x->fixed[T_SUMMARY];
    row *rw = case_row(x, t, file, root, c);
    fiscal_year_cells(x, t, rw, root);
    const char *entity = kofu_node_str(kofu_node_get(root, "entity"));
    if (x->opt.lang == KOFU_LANG_JA)
        entity = strcmp(entity, "municipality") == 0 ? "市町村"
                 : strcmp(entity, "prefecture") == 0 ? "道府県"
                                                       : entity;
    put_text(x, rw, col_of(x, t, "entity", tr(x, "団体区分", "entity"), 10), entity);
    put_text(x, rw, col_of(x, t, "status", tr(x, "状態", "status"), 8),
             error ? tr(x, "エラー", "error") : tr(x, "正常", "ok"));
    int ce = col_of(x, t, "error", tr(x, "エラーの内容", "error message"), 30);
    if (error) {
        put_text(x, rw, ce, error);
        return;
    }
    const kofu_node *warnings = kofu_node_get(root, "warnings");
    int cp = col_of(x, t, "provisional", tr(x, "暫定値", "provisional"), 8);
    if (provisional(warnings))
        put_text(x, rw, cp, "【暫定】");
    char *w = codes_of(x, warnings), *f = codes_of(x, kofu_node_get(root, "findings"));
    put_text(x, rw, col_of(x, t, "warnings", tr(x, "注意", "warnings"), 24), w);
    put_text(x, rw, col_of(x, t, "findings", tr(x, "指摘事項", "findings"), 24), f);
    free(w);
    free(f);
    const kofu_node *fc = kofu_node_get(root, "fiscal_capacity");
    put_node(x, rw, col_of(x, t, "fiscal_capacity.index", tr(x, "財政力指数", "fiscal capacity index"), 10),
             "index", kofu_node_get(fc, "index"));
    put_node(x, rw,
             col_of(x, t, "fiscal_capacity.coefficient", tr(x, "財政力補正係数", "fiscal capacity factor"), 10),
             "coefficient", kofu_node_get(fc, "coefficient"));
    const kofu_node *totals = kofu_node_get(root, "totals");
    static const char *const tkeys[] = {"totals.special_tax_grant", "totals.national_grant"};
    for (int i = 0; i < 2; i++)
        put_node(x, rw, col_of(x, t, tkeys[i], kofu_label(tkeys[i], x->opt.lang), 16), tkeys[i],
                 kofu_node_get(totals, tkeys[i] + 7));
    const kofu_node *measures = kofu_node_get(root, "measures");
    for (size_t i = 0; i < kofu_headline_count(); i++) {
        const char *m, *a;
        kofu_headline_at(i, &m, &a);
        int col = amount_col(x, t, m, a, true);
        put_node(x, rw, col, a, kofu_node_get(kofu_node_get(measures, m), a));
    }
    static const char *const extra[] = {"utilization", "balance", "break_even_hourly_fee"};
    for (size_t i = 0; i < 3; i++) {
        int col = amount_col(x, t, "cooperative", extra[i], true);
        put_node(x, rw, col, extra[i], kofu_node_get(kofu_node_get(measures, "cooperative"), extra[i]));
    }
    const kofu_node *meta = kofu_node_get(root, "meta");
    static const char *const mkeys[][3] = {
        {"meta.kofu_version", "kofu のバージョン", "kofu version"},
        {"meta.computed_at", "計算日時", "computed at"},
        {"meta.rules.origin", "ルールデータの種類", "rule data origin"},
        {"meta.rules.path", "ルールデータのディレクトリ", "rule data directory"},
        {"meta.rules.sha256", "ルールデータの SHA-256", "rule data SHA-256"},
    };
    for (size_t i = 0; i < sizeof mkeys / sizeof mkeys[0]; i++) {
        int col = col_of(x, t, mkeys[i][0], tr(x, mkeys[i][1], mkeys[i][2]), 20);
        put_node(x, rw, col, mkeys[i][0], kofu_node_get(meta, mkeys[i][0] + 5));
    }
}

static table *measure_table(kofu_xlsx *x, const char *m)
{
    for (size_t i = 0; i < x->n_measures; i++)
        if (strcmp(x->measure_keys[i], m) == 0)
            return &x->measures[i];
    if (x->n_measures == MAX_MEASURE_TABLES)
        return NULL;
    table *t = &x->measures[x->n_measures];
    x->measure_keys[x->n_measures++] = xstrdup(x, m);
    const char *label = kofu_label(m, x->opt.lang);
    /* a sheet name holds at most 31 characters and none of []:*?/\ */
    char name[128];
    snprintf(name, sizeof name, "%s", label ? label : m);
    char *gloss = strstr(name, x->opt.lang == KOFU_LANG_EN ? " (" : "（");
    if (gloss)
        *gloss = '\0';
    for (char *p = name; *p; p++)
        if (strchr("[]:*?/\\", *p))
            *p = ' ';
    t->name = xstrdup(x, name);
    return t;
}

static const char *item_kind(const kofu_xlsx *x, const char *key)
{
    if (strcmp(key, "organizations") == 0)
        return tr(x, "組織", "organization");
    if (strcmp(key, "projects") == 0)
        return tr(x, "事業", "project");
    if (strcmp(key, "workers") == 0)
        return tr(x, "職員", "worker");
    return NULL;
}

/* The scalar members of obj into rw, a column per key. */
static void scalar_cells(kofu_xlsx *x, table *t, row *rw, const char *m, const kofu_node *obj)
{
    for (size_t k = 0; k < kofu_node_size(obj); k++) {
        const char *key = kofu_node_key_at(obj, k);
        const kofu_node *v = kofu_node_at(obj, k);
        kofu_node_kind kind = kofu_node_type(v);
        if (kind == KOFU_NODE_OBJECT || kind == KOFU_NODE_ARRAY || strcmp(key, "id") == 0 ||
            strcmp(key, "name") == 0)
            continue;
        put_node(x, rw, amount_col(x, t, m, key, false), key, v);
    }
}

static void measure_rows(kofu_xlsx *x, const char *file, const kofu_node *root,
                         const kofu_case *c)
{
    const kofu_node *measures = kofu_node_get(root, "measures");
    for (size_t i = 0; i < kofu_node_size(measures); i++) {
        const char *m = kofu_node_key_at(measures, i);
        const kofu_node *mn = kofu_node_at(measures, i);
        table *t = measure_table(x, m);
        if (!t)
            continue;
        row *rw = case_row(x, t, file, root, c);
        int ck = col_of(x, t, "item", tr(x, "区分", "item"), 10);
        int ci = col_of(x, t, "id", "ID", 12);
        int cn = col_of(x, t, "item_name", tr(x, "組織・事業・職員の名称", "item name"), 18);
        put_text(x, rw, ck, tr(x, "合計", "total"));
        scalar_cells(x, t, rw, m, mn);
        for (size_t k = 0; k < kofu_node_size(mn); k++) {
            const char *kind = item_kind(x, kofu_node_key_at(mn, k));
            const kofu_node *list = kofu_node_at(mn, k);
            for (size_t j = 0; kind && j < kofu_node_size(list); j++) {
                const kofu_node *it = kofu_node_at(list, j);
                row *ir = case_row(x, t, file, root, c);
                put_text(x, ir, ck, kind);
                put_text(x, ir, ci, kofu_node_str(kofu_node_get(it, "id")));
                put_text(x, ir, cn, kofu_node_str(kofu_node_get(it, "name")));
                scalar_cells(x, t, ir, m, it);
            }
        }
    }
}

/* Counts the steps citing each source: by source_id when the step has one
 * (rule data and formulas), else by its citation text. */
static void source_row(kofu_xlsx *x, const kofu_node *step)
{
    table *t = &x->fixed[T_SOURCES];
    const char *source = kofu_node_str(kofu_node_get(step, "source"));
    const char *id = kofu_node_str(kofu_node_get(step, "source_id"));
    if (!*id)
        return; /* a value read from the case file cites the file and line */
    int ci = col_of(x, t, "source_id", tr(x, "出典ID", "source id"), 22);
    int cs = col_of(x, t, "citation", tr(x, "根拠（出典）", "citation"), 90);
    int cn = col_of(x, t, "steps", tr(x, "引用した計算過程の数", "steps citing it"), 12);
    for (size_t i = 0; i < t->n_rows; i++) {
        row *r = &t->rows[i];
        if ((size_t)ci < r->n && r->cells[ci].s && strcmp(r->cells[ci].s, id) == 0) {
            r->cells[cn].i++;
            return;
        }
    }
    row *rw = new_row(x, t);
    put_text(x, rw, ci, id);
    put_text(x, rw, cs, source);
    put_int(x, rw, cn, 1, CELL_COUNT);
}

kofu_status kofu_xlsx_add_sources(kofu_xlsx *x, const kofu_node *bibliography)
{
    x->bib_src = bibliography;
    return KOFU_OK;
}

/* The 根拠 sheet from the bibliography: every entry, with the number of
 * trace steps that cite it (the citations counted while cases came in). */
static void bibliography_table(kofu_xlsx *x)
{
    const kofu_node *bib = x->bib_src;
    if (!bib || kofu_node_size(bib) == 0)
        return;
    table counted = x->fixed[T_SOURCES];
    table *t = &x->fixed[T_SOURCES];
    *t = (table){.name_ja = counted.name_ja, .name_en = counted.name_en};
    static const char *const keys[][4] = {
        {"id", "出典ID", "source id", "22"},       {"kind", "種類", "kind", "10"},
        {"citation", "根拠（出典）", "citation", "70"}, {"issuer", "発出者", "issuer", "24"},
        {"date", "日付", "date", "14"},             {"number", "番号", "number", "16"},
        {"as_of", "時点", "as of", "12"},           {"url", "URL", "URL", "40"},
    };
    int ccount = -1;
    for (size_t i = 0; i < kofu_node_size(bib); i++) {
        const kofu_node *e = kofu_node_at(bib, i);
        row *rw = new_row(x, t);
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            put_text(x, rw, col_of(x, t, keys[k][0], tr(x, keys[k][1], keys[k][2]), atof(keys[k][3])),
                     kofu_node_str(kofu_node_get(e, keys[k][0])));
        ccount = col_of(x, t, "steps", tr(x, "引用した計算過程の数", "steps citing it"), 12);
        const char *id = kofu_node_str(kofu_node_get(e, "id"));
        int ci = col_index_of(&counted, "source_id"), cn = col_index_of(&counted, "steps");
        for (size_t r = 0; ci >= 0 && cn >= 0 && r < counted.n_rows; r++) {
            const row *cr = &counted.rows[r];
            if ((size_t)ci < cr->n && cr->cells[ci].s && strcmp(cr->cells[ci].s, id) == 0)
                put_int(x, rw, ccount, cr->cells[cn].i, CELL_COUNT);
        }
    }
    table_free(&counted);
}

/* A column of a sheet that lists the items of a result (trace steps,
 * warnings, findings): the item's member `key` as text (as a decimal when
 * `decimal`), or `text` itself when given. */
typedef struct item_col {
    const char *key, *ja, *en;
    int width;
    bool decimal;
    const char *text;
} item_col;

/* One item's row: its file and case, then cols[0..n). */
static void item_row(kofu_xlsx *x, table *t, const char *file, const kofu_node *root,
                     const kofu_node *item, const item_col *cols, size_t n)
{
    int cf = col_of(x, t, "file", tr(x, "ファイル", "file"), 24);
    int cc = col_of(x, t, "case", tr(x, "ケースID", "case"), 18);
    int ci[16];
    for (size_t k = 0; k < n && k < sizeof ci / sizeof ci[0]; k++)
        ci[k] = col_of(x, t, cols[k].key, tr(x, cols[k].ja, cols[k].en), cols[k].width);
    row *rw = new_row(x, t);
    put_text(x, rw, cf, file);
    put_text(x, rw, cc, kofu_node_str(kofu_node_get(root, "case")));
    for (size_t k = 0; k < n && k < sizeof ci / sizeof ci[0]; k++) {
        const char *v = cols[k].text ? cols[k].text : kofu_node_str(kofu_node_get(item, cols[k].key));
        if (cols[k].decimal)
            put_decimal(x, rw, ci[k], v);
        else
            put_text(x, rw, ci[k], v);
    }
}

static void trace_rows(kofu_xlsx *x, const char *file, const kofu_node *root)
{
    /* a trace value is exact text: an integer is a number cell, the rest as decimals */
    static const item_col cols[] = {
        {"step", "計算の段階", "step", 36, false, NULL},
        {"value", "値", "value", 16, true, NULL},
        {"rule", "規則・計算式", "rule", 60, false, NULL},
        {"source", "根拠（出典）", "source", 60, false, NULL},
        {"source_id", "出典ID", "source id", 14, false, NULL},
        {"locator", "箇所", "locator", 14, false, NULL},
        {"status", "確認状況", "status", 12, false, NULL},
    };
    const kofu_node *trace = kofu_node_get(root, "trace");
    for (size_t i = 0; i < kofu_node_size(trace); i++) {
        const kofu_node *s = kofu_node_at(trace, i);
        item_row(x, &x->fixed[T_TRACE], file, root, s, cols, sizeof cols / sizeof cols[0]);
        source_row(x, s);
    }
}

static void note_rows(kofu_xlsx *x, const char *file, const kofu_node *root, const char *key,
                      const char *kind)
{
    const item_col cols[] = {
        {"kind", "種類", "kind", 8, false, kind},
        {"code", "コード", "code", 26, false, NULL},
        {"measure", "措置", "measure", 14, false, NULL},
        {"subject", "対象", "subject", 12, false, NULL},
        {"message", "内容", "message", 90, false, NULL},
    };
    const kofu_node *list = kofu_node_get(root, key);
    for (size_t i = 0; i < kofu_node_size(list); i++)
        item_row(x, &x->fixed[T_NOTES], file, root, kofu_node_at(list, i), cols,
                 sizeof cols / sizeof cols[0]);
}

kofu_status kofu_xlsx_add_case(kofu_xlsx *x, const char *file, const kofu_result *r,
                               const kofu_case *c, const char *error)
{
    if (!error && !r)
        error = "";
    const kofu_node *root = error ? NULL : kofu_result_root(r);
    summary_row(x, file, root, c, error);
    if (root) {
        measure_rows(x, file, root, c);
        trace_rows(x, file, root);
        note_rows(x, file, root, "warnings", tr(x, "注意", "warning"));
        note_rows(x, file, root, "findings", tr(x, "指摘", "finding"));
    }
    return x->oom ? KOFU_ENOMEM : KOFU_OK;
}

/* ---- check, rules, sweep ------------------------------------------------------------ */

kofu_status kofu_xlsx_add_claims(kofu_xlsx *x, const char *file, const kofu_case *c,
                                 const kofu_node *claims)
{
    table *t = &x->fixed[T_CLAIMS];
    for (size_t i = 0; i < kofu_node_size(claims); i++) {
        const kofu_node *cl = kofu_node_at(claims, i);
        int cf = col_of(x, t, "file", tr(x, "ファイル", "file"), 24);
        int cc = col_of(x, t, "case", tr(x, "ケースID", "case"), 18);
        int ck = col_of(x, t, "key", tr(x, "請求項目", "key"), 30);
        int cl_ = col_of(x, t, "line", tr(x, "行", "line"), 6);
        int ca = col_of(x, t, "claimed", tr(x, "請求額", "claimed"), 16);
        int cm = col_of(x, t, "computed", tr(x, "計算額", "computed"), 16);
        int cd = col_of(x, t, "difference", tr(x, "差額", "difference"), 16);
        int cs = col_of(x, t, "status", tr(x, "結果", "status"), 10);
        int cg = col_of(x, t, "diagnosis", tr(x, "差の見立て", "diagnosis"), 16);
        row *rw = new_row(x, t);
        put_text(x, rw, cf, file);
        put_text(x, rw, cc, c ? kofu_case_id(c) : "");
        put_text(x, rw, ck, kofu_node_str(kofu_node_get(cl, "key")));
        put_node(x, rw, cl_, "line", kofu_node_get(cl, "line"));
        put_node(x, rw, ca, "claimed", kofu_node_get(cl, "claimed"));
        put_node(x, rw, cm, "computed", kofu_node_get(cl, "computed"));
        const kofu_node *d = kofu_node_get(cl, "difference");
        put_node(x, rw, cd, "difference", d);
        put_text(x, rw, cs,
                 d && kofu_node_int(d) == 0 ? tr(x, "一致", "match") : tr(x, "不一致", "mismatch"));
        put_node(x, rw, cg, "diagnosis", kofu_node_get(cl, "diagnosis"));
    }
    return x->oom ? KOFU_ENOMEM : KOFU_OK;
}

static const char *rules_label(const kofu_xlsx *x, const char *key)
{
    static const char *const labels[][3] = {
        {"measure", "措置", "measure"},
        {"name", "パラメータ", "parameter"},
        {"label", "名称", "label"},
        {"from_fy", "適用開始年度", "from fiscal year"},
        {"value", "値", "value"},
        {"unit", "単位", "unit"},
        {"status", "状態", "status"},
        {"confirmed_through", "確認済みの最終年度", "confirmed through"},
        {"source", "根拠（出典）", "source"},
        {"source_id", "出典ID", "source id"},
        {"locator", "箇所", "locator"},
        {"confirmed_by", "確認した出典", "confirmed by"},
        {"confirmed_by_kind", "確認した出典の種類", "kind of that source"},
        {"file", "ファイル", "file"},
    };
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i][0], key) == 0)
            return tr(x, labels[i][1], labels[i][2]);
    return key;
}

kofu_status kofu_xlsx_add_rules(kofu_xlsx *x, const kofu_node *list)
{
    table *t = &x->fixed[T_RULES];
    for (size_t i = 0; i < kofu_node_size(list); i++) {
        const kofu_node *p = kofu_node_at(list, i);
        row *rw = new_row(x, t);
        for (size_t k = 0; k < kofu_node_size(p); k++) {
            const char *key = kofu_node_key_at(p, k);
            const kofu_node *v = kofu_node_at(p, k);
            int col = col_of(x, t, key, rules_label(x, key), strcmp(key, "source") == 0 ? 60 : 14);
            if (strcmp(key, "value") == 0 && kofu_node_type(v) == KOFU_NODE_STRING)
                put_decimal(x, rw, col, kofu_node_str(v)); /* values are exact text */
            else
                put_node(x, rw, col, key, v);
        }
    }
    return x->oom ? KOFU_ENOMEM : KOFU_OK;
}

/* Who pays what, then the break-even fee: the sweep chart's series. */
static const char *const payer_keys[] = {"required_usage_fees", "national_grant",
                                         "municipal_net_burden", "special_tax_grant"};

kofu_status kofu_xlsx_add_sweep_point(kofu_xlsx *x, size_t n, const char *const *keys,
                                      const char *const *values, const kofu_result *r,
                                      const char *error)
{
    table *t = &x->fixed[T_SWEEP];
    if (t->n_rows == 0)
        x->n_vary = n;
    row *rw = new_row(x, t);
    for (size_t v = 0; v < n && v < x->n_vary; v++) {
        char key[160];
        snprintf(key, sizeof key, "vary:%s", keys[v]);
        const char *label = kofu_label(keys[v], x->opt.lang);
        int col = col_of(x, t, key, label ? label : keys[v], 16);
        put_text(x, rw, col, values[v]);
    }
    int cs = col_of(x, t, "status", tr(x, "状態", "status"), 8);
    int ce = col_of(x, t, "error", tr(x, "エラーの内容", "error message"), 20);
    int cw = col_of(x, t, "warnings", tr(x, "注意", "warnings"), 20);
    const kofu_node *root = error || !r ? NULL : kofu_result_root(r);
    put_text(x, rw, cs, root ? tr(x, "正常", "ok") : tr(x, "エラー", "error"));
    put_text(x, rw, ce, error);
    /* columns for the measures the case has: a column is made when a point
     * first fills it (an invalid point fills none), so a cooperative's sweep
     * shows no empty RMO columns, and an RMO case's no chart of payers */
    const kofu_node *coop = kofu_node_get(root, "measures.cooperative");
    for (size_t i = 0; coop && i < sizeof payer_keys / sizeof payer_keys[0]; i++)
        put_node(x, rw, amount_col(x, t, "cooperative", payer_keys[i], false), payer_keys[i],
                 kofu_node_get(coop, payer_keys[i]));
    if (coop)
        put_node(x, rw, amount_col(x, t, "cooperative", "break_even_hourly_fee", false),
                 "break_even_hourly_fee", kofu_node_get(coop, "break_even_hourly_fee"));
    for (size_t i = 0; i < kofu_sweep_column_count(); i++) {
        const char *m, *a;
        kofu_sweep_column_at(i, &m, &a);
        const kofu_node *mn = kofu_node_get(kofu_node_get(root, "measures"), m);
        if (mn)
            put_node(x, rw, amount_col(x, t, m, a, true), a, kofu_node_get(mn, a));
    }
    const kofu_node *totals = kofu_node_get(root, "totals");
    static const char *const tkeys[] = {"totals.special_tax_grant", "totals.national_grant"};
    for (int i = 0; i < 2; i++)
        put_node(x, rw, col_of(x, t, tkeys[i], kofu_label(tkeys[i], x->opt.lang), 16), tkeys[i],
                 kofu_node_get(totals, tkeys[i] + 7));
    if (root) {
        char *w = codes_of(x, kofu_node_get(root, "warnings"));
        put_text(x, rw, cw, w);
        free(w);
    }
    return x->oom ? KOFU_ENOMEM : KOFU_OK;
}

/* ---- writing ------------------------------------------------------------------------ */

typedef struct formats {
    lxw_format *head, *yen, *count, *number, *text;
} formats;

static void write_cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const cell *cl,
                       const formats *f)
{
    switch (cl->kind) {
    case CELL_YEN: worksheet_write_number(ws, r, c, (double)cl->i, f->yen); break;
    case CELL_COUNT: worksheet_write_number(ws, r, c, (double)cl->i, f->count); break;
    case CELL_NUMBER: worksheet_write_number(ws, r, c, strtod(cl->s, NULL), f->number); break;
    case CELL_TEXT: worksheet_write_string(ws, r, c, cl->s, f->text); break;
    default: break;
    }
}

static lxw_worksheet *write_table(lxw_workbook *wb, const table *t, const char *name,
                                  const formats *f)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    if (!ws)
        return NULL;
    for (size_t c = 0; c < t->n_cols; c++) {
        worksheet_write_string(ws, 0, (lxw_col_t)c, t->cols[c].label, f->head);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, t->cols[c].width, NULL);
    }
    for (size_t r = 0; r < t->n_rows; r++)
        for (size_t c = 0; c < t->rows[r].n; c++)
            write_cell(ws, (lxw_row_t)(r + 1), (lxw_col_t)c, &t->rows[r].cells[c], f);
    worksheet_freeze_panes(ws, 1, 0);
    if (t->n_cols)
        worksheet_autofilter(ws, 0, 0, (lxw_row_t)t->n_rows, (lxw_col_t)(t->n_cols - 1));
    return ws;
}

static int col_index(const table *t, const char *key)
{
    for (size_t i = 0; i < t->n_cols; i++)
        if (strcmp(t->cols[i].key, key) == 0)
            return (int)i;
    return -1;
}

/* The sweep's chart: who pays what, stacked, against the varied value, and
 * the break-even fee (yen per hour) as a line on a secondary axis. */
static void sweep_chart(kofu_xlsx *x, lxw_workbook *wb, lxw_worksheet *ws, const table *t,
                        const char *sheet)
{
    /* who pays what is the cooperative's budget: without its columns, no chart */
    if (t->n_rows == 0 || x->n_vary == 0 || col_index(t, "cooperative.required_usage_fees") < 0)
        return;
    lxw_chart *chart = workbook_add_chart(wb, LXW_CHART_COLUMN_STACKED);
    if (!chart)
        return;
    lxw_row_t last = (lxw_row_t)t->n_rows;
    const char *series_ja[] = {"利用料金", "国", "市町村（実質負担）", "特別交付税"};
    const char *series_en[] = {"usage fees", "national grant", "municipality (net)",
                               "special tax grant"};
    for (size_t i = 0; i < sizeof payer_keys / sizeof payer_keys[0]; i++) {
        char key[96];
        snprintf(key, sizeof key, "cooperative.%s", payer_keys[i]);
        int c = col_index(t, key);
        if (c < 0)
            continue;
        lxw_chart_series *s = chart_add_series(chart, NULL, NULL);
        chart_series_set_categories(s, sheet, 1, 0, last, 0);
        chart_series_set_values(s, sheet, 1, (lxw_col_t)c, last, (lxw_col_t)c);
        chart_series_set_name(s, tr(x, series_ja[i], series_en[i]));
    }
    int be = col_index(t, "cooperative.break_even_hourly_fee");
    if (be >= 0) {
        /* libxlsxwriter 1.1 has no secondary axis: the line is written as
         * the last column series and moved onto one at close (xlsx_y2.c). */
        lxw_chart_series *s = chart_add_series(chart, NULL, NULL);
        chart_series_set_categories(s, sheet, 1, 0, last, 0);
        chart_series_set_values(s, sheet, 1, (lxw_col_t)be, last, (lxw_col_t)be);
        chart_series_set_name(s, tr(x, "損益分岐の派遣料金（1時間あたり、右軸）",
                                    "break-even hourly fee (right axis)"));
    }
    chart_title_set_name(chart, tr(x, "だれが何を負担するか", "Who pays what"));
    chart_axis_set_name(chart->x_axis, t->cols[0].label);
    chart_axis_set_name(chart->y_axis, tr(x, "円", "yen"));
    chart_axis_set_num_format(chart->y_axis, x->opt.thousands ? "#,##0,\"千円\"" : "#,##0");
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    lxw_chart_options o = {.x_scale = 2.0, .y_scale = 1.6};
    worksheet_insert_chart_opt(ws, 1, (lxw_col_t)(t->n_cols + 1), chart, &o);
}

static const char *sheet_name(const kofu_xlsx *x, const table *t)
{
    return t->name ? t->name : tr(x, t->name_ja, t->name_en);
}

/* The measures' sheets in the order of the measures (the registry's). */
static void write_measure_tables(kofu_xlsx *x, lxw_workbook *wb, const formats *f)
{
    bool done[MAX_MEASURE_TABLES] = {false};
    for (size_t i = 0; i <= kofu_headline_count(); i++) {
        const char *m = NULL, *a;
        if (i < kofu_headline_count())
            kofu_headline_at(i, &m, &a);
        for (size_t k = 0; k < x->n_measures; k++) {
            if (done[k] || (m && strcmp(x->measure_keys[k], m) != 0))
                continue;
            write_table(wb, &x->measures[k], sheet_name(x, &x->measures[k]), f);
            done[k] = true;
        }
    }
}

kofu_status xlsx_add_secondary_axis(const char *path, int chart_no, const char *axis_title);

kofu_status kofu_xlsx_add_template(kofu_xlsx *x, const kofu_xlsx_template *t)
{
    if (x->tmpl || !t)
        return KOFU_EUSAGE;
    x->tmpl = t;
    return KOFU_OK;
}

static kofu_status write_workbook(kofu_xlsx *x)
{
    lxw_workbook_options wo = {.constant_memory = LXW_FALSE};
    lxw_workbook *wb = workbook_new_opt(x->tmp, &wo);
    if (!wb)
        return KOFU_EIO;
    lxw_doc_properties props = {
        .title = (char *)(x->tmpl ? tr(x, "kofu のケース表（記入用）", "kofu case table to fill in")
                                  : tr(x, "kofu の計算結果", "kofu results")),
        .author = "kofu",
        .created = (time_t)x->opt.created,
    };
    workbook_set_properties(wb, &props);
    formats f;
    f.head = workbook_add_format(wb);
    format_set_bold(f.head);
    format_set_text_wrap(f.head);
    format_set_bg_color(f.head, 0xDDEBF7);
    f.yen = workbook_add_format(wb);
    format_set_num_format(f.yen, x->opt.thousands ? "#,##0,\"千円\"" : "#,##0\"円\"");
    f.count = workbook_add_format(wb);
    format_set_num_format(f.count, "#,##0");
    f.number = workbook_add_format(wb);
    format_set_num_format(f.number, "General");
    f.text = NULL;
    if (x->tmpl)
        xlsx_template_sheet(wb, x->tmpl, x->opt.lang);
    int chart_no = 0, series_no = -1;
    static const int order[] = {T_SUMMARY, -1, T_CLAIMS, T_SWEEP, T_RULES, T_TRACE, T_SOURCES, T_NOTES};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        if (order[k] < 0) {
            write_measure_tables(x, wb, &f);
            continue;
        }
        const table *t = &x->fixed[order[k]];
        if (t->n_rows == 0)
            continue;
        const char *name = sheet_name(x, t);
        lxw_worksheet *ws = write_table(wb, t, name, &f);
        if (ws && order[k] == T_SWEEP) {
            sweep_chart(x, wb, ws, t, name);
            chart_no = 1;
            int be = col_index(t, "cooperative.break_even_hourly_fee");
            series_no = be >= 0 ? 4 : -1;
        }
    }
    lxw_error err = workbook_close(wb);
    if (err != LXW_NO_ERROR)
        return KOFU_EIO;
    if (chart_no && series_no >= 0)
        return xlsx_add_secondary_axis(x->tmp, chart_no,
                                       tr(x, "損益分岐の派遣料金（円／時間）", "break-even fee (yen per hour)"));
    return KOFU_OK;
}

static void free_tables(kofu_xlsx *x)
{
    for (int t = 0; t < T_FIXED; t++)
        table_free(&x->fixed[t]);
    for (size_t m = 0; m < x->n_measures; m++) {
        table_free(&x->measures[m]);
        free(x->measure_keys[m]);
    }
    x->n_measures = 0;
}

void kofu_xlsx_discard(kofu_xlsx **xp)
{
    kofu_xlsx *x = xp ? *xp : NULL;
    if (!x)
        return;
    if (x->tmp && x->tmp[0])
        unlink(x->tmp);
    free_tables(x);
    free(x->tmp);
    free(x->path);
    free(x);
    *xp = NULL;
}

/* A device, a FIFO or a socket is written in place, as a shell's `>` would,
 * never replaced by the workbook: renaming over /dev/null as root would turn
 * the device into a regular file, and /dev/full would never report that it
 * is full. The workbook is complete in the temporary file; its bytes are
 * copied. Returns 0, or the errno of the failure. */
static int copy_into(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return errno;
    int out = open(to, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (out < 0) {
        int err = errno;
        close(in);
        return err;
    }
    char buf[65536];
    int err = 0;
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            err = n < 0 ? errno : 0;
            break;
        }
        for (ssize_t done = 0; done < n && !err;) {
            ssize_t w = write(out, buf + done, (size_t)(n - done));
            if (w < 0 && errno != EINTR)
                err = errno;
            else if (w > 0)
                done += w;
        }
        if (err)
            break;
    }
    close(in);
    if (close(out) != 0 && !err)
        err = errno;
    return err;
}

/* Where the finished workbook goes: renamed over a new path or a regular
 * file, copied into anything else (a directory is refused). */
static int put_in_place(kofu_xlsx *x)
{
    struct stat st;
    if (stat(x->path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode))
            return EISDIR;
        int err = copy_into(x->tmp, x->path);
        unlink(x->tmp);
        x->tmp[0] = '\0';
        return err;
    }
    return rename(x->tmp, x->path) == 0 ? 0 : errno;
}

kofu_status kofu_xlsx_close(kofu_xlsx **xp, kofu_diag *diag)
{
    kofu_xlsx *x = *xp;
    bibliography_table(x);
    kofu_status st = x->oom ? KOFU_ENOMEM : write_workbook(x);
    int put_err = st == KOFU_OK ? put_in_place(x) : 0;
    if (st == KOFU_OK && put_err != 0) {
        int err = put_err;
        st = diag_add(diag, KOFU_EIO, x->path, 0, NULL, NULL, "書き込めません: %s",
                      "cannot write: %s", diag_errno_text(diag, err));
    } else if (st == KOFU_OK) {
        x->tmp[0] = '\0';
    } else if (st == KOFU_EIO) {
        diag_add(diag, KOFU_EIO, x->path, 0, NULL, NULL, "ブックを書き込めません",
                 "cannot write the workbook");
    }
    kofu_xlsx_discard(xp);
    return st;
}
