/* csv.c — results as CSV rows (kofu/csv.h): one row per case, or one per
 * organization, project and worker; headers as labels or stable keys; the
 * bytes in UTF-8 (with or without a BOM) or CP932.
 *
 * The row is built in UTF-8 and converted once at the end, so the column
 * code knows nothing of encodings. */
#include <errno.h>
#include <stdio.h>
#include <strings.h>
#include <iconv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kofu/csv.h"
#include "diag.h"
#include "fy.h"
#include "num.h"

/* ---- options ----------------------------------------------------------------- */

bool kofu_csv_encoding_parse(const char *s, kofu_csv_encoding *out)
{
    static const struct {
        const char *name;
        kofu_csv_encoding enc;
    } names[] = {{"utf-8-bom", KOFU_CSV_UTF8_BOM}, {"utf8-bom", KOFU_CSV_UTF8_BOM},
                 {"utf-8", KOFU_CSV_UTF8},         {"utf8", KOFU_CSV_UTF8},
                 {"cp932", KOFU_CSV_CP932},        {"sjis", KOFU_CSV_CP932},
                 {"shift_jis", KOFU_CSV_CP932},    {"windows-31j", KOFU_CSV_CP932}};
    for (size_t i = 0; s && i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(s, names[i].name) == 0) {
            *out = names[i].enc;
            return true;
        }
    return false;
}

bool kofu_csv_header_parse(const char *s, kofu_csv_header *out)
{
    if (!s)
        return false;
    if (strcmp(s, "ja") == 0)
        *out = KOFU_CSV_HEADER_JA;
    else if (strcmp(s, "en") == 0)
        *out = KOFU_CSV_HEADER_EN;
    else if (strcmp(s, "keys") == 0)
        *out = KOFU_CSV_HEADER_KEYS;
    else
        return false;
    return true;
}

bool kofu_csv_rows_parse(const char *s, kofu_csv_rows *out)
{
    if (s && strcmp(s, "cases") == 0)
        *out = KOFU_CSV_ROWS_CASES;
    else if (s && strcmp(s, "items") == 0)
        *out = KOFU_CSV_ROWS_ITEMS;
    else
        return false;
    return true;
}

/* The header's language, or -1 for keys. */
static int header_lang(const kofu_csv_options *o)
{
    switch (o->header) {
    case KOFU_CSV_HEADER_JA: return KOFU_LANG_JA;
    case KOFU_CSV_HEADER_EN: return KOFU_LANG_EN;
    case KOFU_CSV_HEADER_KEYS: return -1;
    default: return (int)o->lang;
    }
}

/* ---- fields -------------------------------------------------------------------- */

void kofu_csv_field(kofu_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        kofu_buf_puts(b, s);
        return;
    }
    kofu_buf_putc(b, '"');
    for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
        kofu_buf_putn(b, s, (size_t)(q - s) + 1);
        kofu_buf_putc(b, '"');
    }
    kofu_buf_puts(b, s);
    kofu_buf_putc(b, '"');
}

#define field kofu_csv_field

static void int_field(kofu_buf *b, const kofu_node *n)
{
    if (n && kofu_node_type(n) == KOFU_NODE_INT)
        kofu_buf_put_int(b, kofu_node_int(n));
}

/* An exact decimal; a fraction for people as "0.8181…（9/11）" (a bare
 * "9/11" is a date to a spreadsheet). */
static void decimal_text(kofu_buf *b, const char *s, int lang)
{
    if (lang < 0 || !strchr(s, '/')) {
        field(b, s);
        return;
    }
    kofu_num x;
    num_init(&x);
    char *approx = num_parse_exact(s, &x) == NUM_PARSE_OK ? num_approx(&x, 4) : NULL;
    num_clear(&x);
    if (!approx) {
        field(b, s);
        return;
    }
    kofu_buf_puts(b, approx);
    kofu_buf_puts(b, lang == KOFU_LANG_EN ? " (" : "（");
    kofu_buf_puts(b, s);
    kofu_buf_puts(b, lang == KOFU_LANG_EN ? ")" : "）");
    free(approx);
}

/* An amount (INT) or exact decimal, as the node holds it; empty otherwise. */
static void value_field(kofu_buf *b, const kofu_node *n, int lang)
{
    if (!n)
        return;
    if (kofu_node_type(n) == KOFU_NODE_INT)
        kofu_buf_put_int(b, kofu_node_int(n));
    else if (kofu_node_type(n) == KOFU_NODE_DECIMAL)
        decimal_text(b, kofu_node_str(n), lang);
    else if (kofu_node_type(n) == KOFU_NODE_STRING)
        field(b, kofu_node_str(n));
    else if (kofu_node_type(n) == KOFU_NODE_BOOL)
        kofu_buf_puts(b, kofu_node_bool(n) ? "true" : "false");
}

static bool code_seen(const kofu_node *list, size_t upto, const char *code, const char *subject)
{
    for (size_t i = 0; i < upto; i++) {
        const kofu_node *e = kofu_node_at(list, i);
        if (strcmp(kofu_node_str(kofu_node_get(e, "code")), code) == 0 &&
            strcmp(kofu_node_str(kofu_node_get(e, "subject")), subject) == 0)
            return true;
    }
    return false;
}

/* The distinct codes of an array of {code, subject?}, space-separated; a
 * subject in parentheses: "single_employer_over_80(takahashi)". */
static void codes_field(kofu_buf *b, const kofu_node *list)
{
    kofu_buf tmp = {0};
    for (size_t i = 0; i < kofu_node_size(list); i++) {
        const kofu_node *e = kofu_node_at(list, i);
        if (code_seen(list, i, kofu_node_str(kofu_node_get(e, "code")),
                      kofu_node_str(kofu_node_get(e, "subject"))))
            continue;
        if (tmp.len)
            kofu_buf_putc(&tmp, ' ');
        kofu_buf_puts(&tmp, kofu_node_str(kofu_node_get(e, "code")));
        const char *subject = kofu_node_str(kofu_node_get(e, "subject"));
        if (*subject) {
            kofu_buf_putc(&tmp, '(');
            kofu_buf_puts(&tmp, subject);
            kofu_buf_putc(&tmp, ')');
        }
    }
    if (tmp.failed)
        b->failed = true;
    else if (tmp.data)
        field(b, tmp.data);
    kofu_buf_free(&tmp);
}

/* A provisional or carried-forward rule value entered an amount. */
static bool is_provisional(const kofu_node *warnings)
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

/* ---- columns ------------------------------------------------------------------- */

typedef struct label {
    const char *key, *ja, *en;
} label;

/* Columns every row starts with (cases and items). */
static const label lead_cols[] = {
    {"file", "ファイル", "file"},
    {"case", "ケースID", "case"},
    {"name", "名称", "name"},
    {"fiscal_year", "年度（西暦）", "fiscal year"},
    {"fiscal_year_ja", "年度", "fiscal year (era)"},
    {"entity", "団体区分", "entity"},
    {"status", "状態", "status"},
    {"error", "エラー", "error"},
};

static const label case_cols[] = {
    {"provisional", "暫定値", "provisional"},
    {"warnings", "注意", "warnings"},
    {"findings", "指摘事項", "findings"},
    {"claims", "請求額の件数", "claims"},
    {"claims_mismatched", "請求額の不一致", "claims mismatched"},
    {"fiscal_capacity.index", "財政力指数", "fiscal capacity index"},
    {"fiscal_capacity.coefficient", "財政力補正係数", "fiscal capacity factor"},
};

/* Founders' figures, after the headlines unless a measure lists them there. */
static const char *const extra_amounts[][2] = {
    {"cooperative", "utilization"},
    {"cooperative", "balance"},
    {"cooperative", "break_even_hourly_fee"},
};

static const label meta_cols[] = {
    {"meta.kofu_version", "kofu のバージョン", "kofu version"},
    {"meta.computed_at", "計算日時", "computed at"},
    {"meta.rules.origin", "ルールデータの種類", "rule data origin"},
    {"meta.rules.path", "ルールデータのディレクトリ", "rule data directory"},
    {"meta.rules.sha256", "ルールデータの SHA-256", "rule data SHA-256"},
};

static const label item_cols[] = {
    {"measure", "措置", "measure"},
    {"item", "区分", "item"},
    {"id", "ID", "id"},
    {"item_name", "組織・事業・職員の名称", "item name"},
};

/* The amounts an item may carry, in this order; anything else goes to
 * `other` as key=value. */
static const char *const item_amounts[] = {
    "eligible_cost", "expenses", "cap", "grant", "remaining_cost", "personnel_cost",
    "personnel_cap", "eligible_personnel", "months", "hours_scheduled", "hours_dispatched",
};

static const label item_kinds[] = {
    {"organizations", "組織", "organization"},
    {"projects", "事業", "project"},
    {"workers", "職員", "worker"},
};

static const char *pick(const label *l, int lang)
{
    return lang < 0 ? l->key : lang == KOFU_LANG_EN ? l->en : l->ja;
}

static void label_cols(kofu_buf *b, const label *cols, size_t n, int lang, bool *first)
{
    for (size_t i = 0; i < n; i++) {
        if (!*first)
            kofu_buf_putc(b, ',');
        *first = false;
        field(b, pick(&cols[i], lang));
    }
}

/* "measure.amount" as a key, or "<measure label> <amount label>". */
static void amount_col(kofu_buf *b, const char *m, const char *a, int lang)
{
    kofu_buf_putc(b, ',');
    if (lang >= 0) {
        char dotted[128];
        snprintf(dotted, sizeof dotted, "%s.%s", m, a);
        const char *ml = kofu_label(m, (kofu_lang)lang);
        const char *al = kofu_label(dotted, (kofu_lang)lang);
        if (ml && al) {
            kofu_buf tmp = {0};
            /* "特定地域づくり事業協同組合（…交付金）" → the name before the gloss */
            const char *gloss = strstr(ml, lang == KOFU_LANG_EN ? " (" : "（");
            kofu_buf_putn(&tmp, ml, gloss ? (size_t)(gloss - ml) : strlen(ml));
            kofu_buf_putc(&tmp, ' ');
            kofu_buf_puts(&tmp, al);
            if (tmp.data)
                field(b, tmp.data);
            b->failed |= tmp.failed;
            kofu_buf_free(&tmp);
            return;
        }
    }
    field(b, m);
    kofu_buf_putc(b, '.');
    field(b, a);
}

static bool is_headline(const char *m, const char *a)
{
    for (size_t i = 0; i < kofu_headline_count(); i++) {
        const char *hm, *ha;
        kofu_headline_at(i, &hm, &ha);
        if (strcmp(hm, m) == 0 && strcmp(ha, a) == 0)
            return true;
    }
    return false;
}

#define N_EXTRA (sizeof extra_amounts / sizeof extra_amounts[0])

/* Which founders' figures have a column of their own (no measure lists them
 * among its headlines): fixed by the registry, so found once rather than by
 * a walk of the headlines for each figure of each row. */
static bool extra_own[N_EXTRA];
static pthread_once_t extra_once = PTHREAD_ONCE_INIT;

static void find_extra_columns(void)
{
    for (size_t i = 0; i < N_EXTRA; i++)
        extra_own[i] = !is_headline(extra_amounts[i][0], extra_amounts[i][1]);
}

static bool extra_column(size_t i)
{
    pthread_once(&extra_once, find_extra_columns);
    return extra_own[i];
}

static void header_row(const kofu_csv_options *o, kofu_buf *b)
{
    int lang = header_lang(o);
    bool first = true;
    label_cols(b, lead_cols, sizeof lead_cols / sizeof lead_cols[0], lang, &first);
    if (o->rows == KOFU_CSV_ROWS_ITEMS) {
        label_cols(b, item_cols, sizeof item_cols / sizeof item_cols[0], lang, &first);
        for (size_t i = 0; i < sizeof item_amounts / sizeof item_amounts[0]; i++) {
            kofu_buf_putc(b, ',');
            const char *l = NULL;
            if (lang >= 0) {
                /* the label any measure gives this output */
                static const char *const owners[] = {"network", "rmo_formation", "rmo_operation",
                                                     "cooperative", "cooperative.worker"};
                char dotted[128];
                for (size_t k = 0; !l && k < sizeof owners / sizeof owners[0]; k++) {
                    snprintf(dotted, sizeof dotted, "%s.%s", owners[k], item_amounts[i]);
                    l = kofu_label(dotted, (kofu_lang)lang);
                }
            }
            field(b, l ? l : item_amounts[i]);
        }
        kofu_buf_putc(b, ',');
        field(b, lang < 0 ? "other" : lang == KOFU_LANG_EN ? "other amounts" : "その他の金額");
    } else {
        label_cols(b, case_cols, sizeof case_cols / sizeof case_cols[0], lang, &first);
        static const label totals[] = {
            {"totals.special_tax_grant", NULL, NULL},
            {"totals.national_grant", NULL, NULL},
        };
        for (size_t i = 0; i < 2; i++) {
            kofu_buf_putc(b, ',');
            const char *l = lang >= 0 ? kofu_label(totals[i].key, (kofu_lang)lang) : NULL;
            field(b, l ? l : totals[i].key);
        }
        for (size_t i = 0; i < kofu_headline_count(); i++) {
            const char *m, *a;
            kofu_headline_at(i, &m, &a);
            amount_col(b, m, a, lang);
        }
        for (size_t i = 0; i < N_EXTRA; i++)
            if (extra_column(i))
                amount_col(b, extra_amounts[i][0], extra_amounts[i][1], lang);
        label_cols(b, meta_cols, sizeof meta_cols / sizeof meta_cols[0], lang, &first);
    }
    kofu_buf_puts(b, "\r\n");
}

kofu_status kofu_csv_begin(const kofu_csv_options *opt, kofu_buf *out, kofu_diag *diag)
{
    size_t from = out->len;
    if (opt->encoding == KOFU_CSV_UTF8_BOM)
        kofu_buf_puts(out, "\xEF\xBB\xBF");
    size_t body = out->len;
    header_row(opt, out);
    if (out->failed)
        return KOFU_ENOMEM;
    (void)from;
    return kofu_csv_encode(opt->encoding, out, body, "", diag);
}

/* ---- rows ---------------------------------------------------------------------- */

size_t kofu_claims_mismatched(const kofu_result *r, const kofu_case *c, size_t *n_claims)
{
    kofu_node *claims = NULL;
    size_t bad = 0, n = 0;
    if (r && c && kofu_result_check_claims(r, c, &claims) == KOFU_OK) {
        n = kofu_node_size(claims);
        for (size_t i = 0; i < n; i++) {
            const kofu_node *d = kofu_node_get(kofu_node_at(claims, i), "difference");
            bad += !d || kofu_node_int(d) != 0;
        }
    }
    kofu_node_free(&claims);
    if (n_claims)
        *n_claims = n;
    return bad;
}

static void era_field(kofu_buf *b, const kofu_node *fy)
{
    if (!fy || kofu_node_type(fy) != KOFU_NODE_INT)
        return;
    char buf[64];
    fy_format_ja((int)kofu_node_int(fy), buf, sizeof buf);
    char *paren = strstr(buf, " (");
    if (paren)
        *paren = '\0';
    kofu_buf_puts(b, buf);
}

static void entity_field(kofu_buf *b, const char *entity, int lang)
{
    if (lang == KOFU_LANG_JA && strcmp(entity, "municipality") == 0)
        entity = "市町村";
    else if (lang == KOFU_LANG_JA && strcmp(entity, "prefecture") == 0)
        entity = "道府県";
    field(b, entity);
}

/* file … error: the columns every row starts with. */
static void lead(kofu_buf *b, const char *file, const kofu_node *root, const kofu_case *c,
                 const char *error, int lang)
{
    field(b, file);
    kofu_buf_putc(b, ',');
    field(b, kofu_node_str(kofu_node_get(root, "case")));
    kofu_buf_putc(b, ',');
    const char *name = c ? kofu_case_name(c) : kofu_node_str(kofu_node_get(root, "name"));
    field(b, name ? name : "");
    kofu_buf_putc(b, ',');
    int_field(b, kofu_node_get(root, "fiscal_year"));
    kofu_buf_putc(b, ',');
    era_field(b, kofu_node_get(root, "fiscal_year"));
    kofu_buf_putc(b, ',');
    entity_field(b, kofu_node_str(kofu_node_get(root, "entity")), lang);
    kofu_buf_putc(b, ',');
    if (lang == KOFU_LANG_JA)
        kofu_buf_puts(b, error ? "エラー" : "正常");
    else
        kofu_buf_puts(b, error ? "error" : "ok");
    kofu_buf_putc(b, ',');
    field(b, error ? error : "");
}

static void meta_fields(kofu_buf *b, const kofu_node *root)
{
    const kofu_node *meta = kofu_node_get(root, "meta");
    for (size_t i = 0; i < sizeof meta_cols / sizeof meta_cols[0]; i++) {
        kofu_buf_putc(b, ',');
        const kofu_node *n = kofu_node_get(meta, meta_cols[i].key + 5);
        if (n && kofu_node_type(n) == KOFU_NODE_STRING)
            field(b, kofu_node_str(n));
        else
            value_field(b, n, -1);
    }
}

static size_t case_row(const kofu_csv_options *o, kofu_buf *b, const char *file,
                       const kofu_result *r, const kofu_case *c, const char *error)
{
    int lang = header_lang(o);
    const kofu_node *root = error ? NULL : kofu_result_root(r);
    lead(b, file, root, c, error, lang);
    kofu_buf_putc(b, ',');
    const kofu_node *warnings = kofu_node_get(root, "warnings");
    if (is_provisional(warnings))
        kofu_buf_puts(b, "【暫定】");
    kofu_buf_putc(b, ',');
    codes_field(b, warnings);
    kofu_buf_putc(b, ',');
    codes_field(b, kofu_node_get(root, "findings"));
    kofu_buf_putc(b, ',');
    size_t n_claims = 0, bad = root ? kofu_claims_mismatched(r, c, &n_claims) : 0;
    if (n_claims) {
        kofu_buf_put_int(b, (int64_t)n_claims);
        kofu_buf_putc(b, ',');
        kofu_buf_put_int(b, (int64_t)bad);
    } else {
        kofu_buf_putc(b, ',');
    }
    const kofu_node *fc = kofu_node_get(root, "fiscal_capacity");
    kofu_buf_putc(b, ',');
    value_field(b, kofu_node_get(fc, "index"), lang);
    kofu_buf_putc(b, ',');
    value_field(b, kofu_node_get(fc, "coefficient"), lang);
    kofu_buf_putc(b, ',');
    const kofu_node *totals = kofu_node_get(root, "totals");
    int_field(b, kofu_node_get(totals, "special_tax_grant"));
    kofu_buf_putc(b, ',');
    int_field(b, kofu_node_get(totals, "national_grant"));
    const kofu_node *measures = kofu_node_get(root, "measures");
    size_t n_headlines = kofu_headline_count(); /* a walk of the registry */
    const char *last_m = NULL;
    const kofu_node *mnode = NULL;
    for (size_t i = 0; i < n_headlines; i++) {
        const char *m, *a;
        kofu_headline_at(i, &m, &a);
        /* a measure's headlines are listed together: find it once */
        if (m != last_m) {
            mnode = kofu_node_get(measures, m);
            last_m = m;
        }
        kofu_buf_putc(b, ',');
        int_field(b, kofu_node_get(mnode, a));
    }
    for (size_t i = 0; i < N_EXTRA; i++)
        if (extra_column(i)) {
            kofu_buf_putc(b, ',');
            value_field(b, kofu_node_get(kofu_node_get(measures, extra_amounts[i][0]),
                                         extra_amounts[i][1]),
                        lang);
        }
    meta_fields(b, root);
    kofu_buf_puts(b, "\r\n");
    return bad;
}

static const label *item_kind(const char *key)
{
    for (size_t i = 0; i < sizeof item_kinds / sizeof item_kinds[0]; i++)
        if (strcmp(item_kinds[i].key, key) == 0)
            return &item_kinds[i];
    return NULL;
}

static bool is_item_amount(const char *key)
{
    for (size_t i = 0; i < sizeof item_amounts / sizeof item_amounts[0]; i++)
        if (strcmp(item_amounts[i], key) == 0)
            return true;
    return false;
}

static void item_row(kofu_buf *b, const char *file, const kofu_node *root, const kofu_case *c,
                     const char *measure, const label *kind, const kofu_node *item, int lang)
{
    lead(b, file, root, c, NULL, lang);
    kofu_buf_putc(b, ',');
    field(b, measure);
    kofu_buf_putc(b, ',');
    field(b, lang < 0 ? kind->en : pick(kind, lang));
    kofu_buf_putc(b, ',');
    field(b, kofu_node_str(kofu_node_get(item, "id")));
    kofu_buf_putc(b, ',');
    field(b, kofu_node_str(kofu_node_get(item, "name")));
    for (size_t i = 0; i < sizeof item_amounts / sizeof item_amounts[0]; i++) {
        kofu_buf_putc(b, ',');
        value_field(b, kofu_node_get(item, item_amounts[i]), lang);
    }
    kofu_buf_putc(b, ',');
    kofu_buf other = {0};
    for (size_t i = 0; i < kofu_node_size(item); i++) {
        const char *k = kofu_node_key_at(item, i);
        if (strcmp(k, "id") == 0 || strcmp(k, "name") == 0 || is_item_amount(k))
            continue;
        if (other.len)
            kofu_buf_putc(&other, ' ');
        kofu_buf_puts(&other, k);
        kofu_buf_putc(&other, '=');
        value_field(&other, kofu_node_at(item, i), -1);
    }
    if (other.data)
        field(b, other.data);
    b->failed |= other.failed;
    kofu_buf_free(&other);
    kofu_buf_puts(b, "\r\n");
}

static void item_rows(const kofu_csv_options *o, kofu_buf *b, const char *file,
                      const kofu_result *r, const kofu_case *c, const char *error)
{
    int lang = header_lang(o);
    const kofu_node *root = error ? NULL : kofu_result_root(r);
    size_t rows = 0;
    const kofu_node *measures = kofu_node_get(root, "measures");
    for (size_t m = 0; m < kofu_node_size(measures); m++) {
        const kofu_node *mn = kofu_node_at(measures, m);
        for (size_t k = 0; k < kofu_node_size(mn); k++) {
            const label *kind = item_kind(kofu_node_key_at(mn, k));
            const kofu_node *list = kofu_node_at(mn, k);
            if (!kind || kofu_node_type(list) != KOFU_NODE_ARRAY)
                continue;
            for (size_t i = 0; i < kofu_node_size(list); i++, rows++)
                item_row(b, file, root, c, kofu_node_key_at(measures, m), kind,
                         kofu_node_at(list, i), lang);
        }
    }
    if (rows == 0) {
        lead(b, file, root, c, error, lang);
        for (size_t i = 0; i < sizeof item_cols / sizeof item_cols[0] +
                                   sizeof item_amounts / sizeof item_amounts[0] + 1;
             i++)
            kofu_buf_putc(b, ',');
        kofu_buf_puts(b, "\r\n");
    }
}

kofu_status kofu_csv_case(const kofu_csv_options *opt, kofu_buf *out, const char *file,
                          const kofu_result *r, const kofu_case *c, const char *error,
                          size_t *mismatched, kofu_diag *diag)
{
    size_t from = out->len, bad = 0;
    if (!error && !r)
        error = "";
    if (opt->rows == KOFU_CSV_ROWS_ITEMS) {
        item_rows(opt, out, file, r, c, error);
        bad = error ? 0 : kofu_claims_mismatched(r, c, NULL);
    } else {
        bad = case_row(opt, out, file, r, c, error);
    }
    if (mismatched)
        *mismatched = bad;
    if (out->failed)
        return KOFU_ENOMEM;
    return kofu_csv_encode(opt->encoding, out, from, file, diag);
}

/* ---- sweeps --------------------------------------------------------------------- */

/* A varied input: "vary:KEY" as a key; for people "変えた値: " and its label
 * (or the key), apart from an output of the same name (cooperative.utilization
 * is both). */
static void vary_heading(kofu_buf *b, const char *key, int lang)
{
    if (lang < 0) {
        kofu_buf_puts(b, "vary:");
        field(b, key);
        return;
    }
    const char *l = kofu_label(key, (kofu_lang)lang);
    kofu_buf tmp = {0};
    kofu_buf_puts(&tmp, lang == KOFU_LANG_EN ? "varied: " : "変えた値: ");
    kofu_buf_puts(&tmp, l ? l : key);
    if (tmp.data)
        field(b, tmp.data);
    b->failed |= tmp.failed;
    kofu_buf_free(&tmp);
}

kofu_status kofu_csv_sweep_begin(const kofu_csv_options *opt, const kofu_csv_sweep *sw,
                                 kofu_buf *out, kofu_diag *diag)
{
    int lang = header_lang(opt);
    if (opt->encoding == KOFU_CSV_UTF8_BOM)
        kofu_buf_puts(out, "\xEF\xBB\xBF");
    size_t body = out->len;
    for (size_t v = 0; v < sw->n_vary; v++) {
        vary_heading(out, sw->vary[v], lang);
        kofu_buf_putc(out, ',');
    }
    /* status and error as every row of calc begins; warnings as its column */
    field(out, pick(&lead_cols[6], lang));
    kofu_buf_putc(out, ',');
    field(out, pick(&lead_cols[7], lang));
    kofu_buf_putc(out, ',');
    field(out, pick(&case_cols[1], lang));
    char **headings = lang >= 0 ? calloc(sw->n_columns ? sw->n_columns : 1, sizeof *headings) : NULL;
    if (lang >= 0 && !headings)
        out->failed = true;
    if (headings)
        kofu_amount_headings(sw->columns, sw->n_columns, (kofu_lang)lang, headings);
    for (size_t k = 0; k < sw->n_columns; k++) {
        kofu_buf_putc(out, ',');
        field(out, headings && headings[k] ? headings[k] : sw->columns[k]);
        if (headings)
            free(headings[k]);
    }
    free(headings);
    kofu_buf_puts(out, "\r\n");
    if (out->failed)
        return KOFU_ENOMEM;
    return kofu_csv_encode(opt->encoding, out, body, "", diag);
}

/* An amount of the sweep: measures.<name>, else <name> at the top (a
 * component such as fiscal_capacity, or totals). */
static const kofu_node *sweep_amount(const kofu_node *root, const char *name)
{
    char path[300];
    snprintf(path, sizeof path, "measures.%s", name);
    const kofu_node *n = strncmp(name, "totals.", 7) == 0 ? NULL : kofu_node_get(root, path);
    return n ? n : kofu_node_get(root, name);
}

kofu_status kofu_csv_sweep_point(const kofu_csv_options *opt, const kofu_csv_sweep *sw,
                                 kofu_buf *out, const char *const *values, const kofu_result *r,
                                 const char *error, kofu_diag *diag)
{
    int lang = header_lang(opt);
    size_t from = out->len;
    if (!error && !r)
        error = "";
    const kofu_node *root = error ? NULL : kofu_result_root(r);
    for (size_t v = 0; v < sw->n_vary; v++) {
        field(out, values[v]);
        kofu_buf_putc(out, ',');
    }
    if (lang == KOFU_LANG_JA)
        kofu_buf_puts(out, error ? "エラー" : "正常");
    else
        kofu_buf_puts(out, error ? "error" : "ok");
    kofu_buf_putc(out, ',');
    field(out, error ? error : "");
    kofu_buf_putc(out, ',');
    codes_field(out, kofu_node_get(root, "warnings"));
    for (size_t k = 0; k < sw->n_columns; k++) {
        kofu_buf_putc(out, ',');
        if (root)
            value_field(out, sweep_amount(root, sw->columns[k]), lang);
    }
    kofu_buf_puts(out, "\r\n");
    if (out->failed)
        return KOFU_ENOMEM;
    return kofu_csv_encode(opt->encoding, out, from, "", diag);
}

/* ---- encodings ------------------------------------------------------------------ */

/* The code point of the UTF-8 sequence at s (n bytes left) and its length. */
static unsigned utf8_at(const unsigned char *s, size_t n, size_t *len)
{
    unsigned c = s[0];
    size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (k > n)
        k = n;
    unsigned cp = k == 1 ? c : k == 2 ? (c & 0x1F) : k == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t i = 1; i < k; i++)
        cp = (cp << 6) | (s[i] & 0x3F);
    *len = k;
    return cp;
}

kofu_status kofu_csv_encode(kofu_csv_encoding enc, kofu_buf *out, size_t from, const char *file,
                            kofu_diag *diag)
{
    if (enc != KOFU_CSV_CP932 || out->len == from)
        return out->failed ? KOFU_ENOMEM : KOFU_OK;
    if (out->failed)
        return KOFU_ENOMEM;
    iconv_t cd = iconv_open("CP932", "UTF-8");
    if (cd == (iconv_t)-1)
        return diag_add(diag, KOFU_EIO, file, 0, NULL, NULL,
                        "CP932 への変換を開始できません（iconv）",
                        "cannot start the conversion to CP932 (iconv)");
    size_t n = out->len - from;
    /* CP932 never takes more bytes than UTF-8 for the same text */
    char *dst = malloc(n + 1);
    if (!dst) {
        iconv_close(cd);
        out->len = from;
        return KOFU_ENOMEM;
    }
    char *in = out->data + from, *o = dst;
    size_t in_left = n, out_left = n + 1;
    size_t rc = iconv(cd, &in, &in_left, &o, &out_left);
    int err = errno;
    iconv_close(cd);
    if (rc == (size_t)-1) {
        size_t len = 0;
        unsigned cp = in_left ? utf8_at((const unsigned char *)in, in_left, &len) : 0;
        char ch[8] = "";
        if (len && len < sizeof ch)
            memcpy(ch, in, len), ch[len] = '\0';
        free(dst);
        out->len = from;
        out->data[from] = '\0';
        if (err == EILSEQ || err == EINVAL)
            return diag_add(diag, KOFU_EIO, file, 0, NULL, NULL,
                            "文字「%s」（U+%04X）は CP932 で表せません。UTF-8 で出力してください",
                            "the character '%s' (U+%04X) cannot be written in CP932; write UTF-8 instead",
                            ch, cp);
        return diag_add(diag, KOFU_EIO, file, 0, NULL, NULL, "CP932 に変換できません",
                        "cannot convert to CP932");
    }
    size_t m = (size_t)(o - dst);
    memcpy(out->data + from, dst, m);
    out->len = from + m;
    out->data[out->len] = '\0';
    free(dst);
    return KOFU_OK;
}
