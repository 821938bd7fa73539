/*
 * cmd_compare.c — `kofu compare`: two results side by side, the question of
 * every budget meeting ("and last year?"):
 *   kofu compare A.ini B.ini           two case files (last year's, this year's)
 *   kofu compare CASE --fy R8,R9       one case under two fiscal years
 *   kofu compare CASE --rules DIR      one case under the built-in and edited rules
 * Every amount of either result (totals, each measure, each organization,
 * project or worker, matched by id) with its 増減 (B − A) and 増減率
 * ((B − A) ÷ |A|), the ratios of the fiscal-capacity adjustment, and the
 * parameters whose values differ between the two sides; as text, CSV, JSON
 * or HTML.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "output.h"
#include "run.h"

static const char *const formats[] = {"text", "json", "csv", "html", NULL};

/* ---- one side ----------------------------------------------------------------- */

typedef struct side {
    kofu_rules *rules;
    bool own_rules;   /* B's edited rules: freed separately */
    kofu_case *c;
    kofu_result *r;
    char label[160];  /* "令和8年度", "組み込みのルール", the file */
} side;

/* The case file with the [case] fiscal_year line replaced by `fy`
 * (malloc'd, *len set); NULL when the file cannot be read. Line numbers stay
 * those of the file, so messages point at the right lines. */
static char *with_fiscal_year(const char *path, const char *fy, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    cli_buf in = {0}, out = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        cli_buf_putn(&in, chunk, n);
    bool bad = ferror(f) || in.failed;
    fclose(f);
    if (bad || !in.data) {
        cli_buf_free(&in);
        return NULL;
    }
    bool in_case = false;
    for (char *line = in.data; line && *line;) {
        char *next = strchr(line, '\n');
        size_t l = next ? (size_t)(next - line + 1) : strlen(line);
        const char *p = line + strspn(line, " \t");
        if (*p == '[')
            in_case = strncmp(p, "[case]", 6) == 0;
        if (in_case && strncmp(p, "fiscal_year", 11) == 0 && strchr(" \t=", p[11])) {
            cli_buf_puts(&out, "fiscal_year = ");
            cli_buf_puts(&out, fy);
            cli_buf_puts(&out, next && next > line && next[-1] == '\r' ? "\r\n" : next ? "\n" : "");
        } else {
            cli_buf_putn(&out, line, l);
        }
        line = next ? next + 1 : NULL;
    }
    cli_buf_free(&in);
    if (out.failed) {
        cli_buf_free(&out);
        return NULL;
    }
    *len = out.len;
    return out.data;
}

static kofu_status load_side(side *s, const char *path, const char *fy, kofu_lang lang)
{
    kofu_diag *d = NULL;
    kofu_status st = kofu_diag_new(lang, &d);
    if (st != KOFU_OK)
        return st;
    if (fy) {
        size_t len = 0;
        char *text = with_fiscal_year(path, fy, &len);
        st = text ? kofu_case_load_buffer(s->rules, path, text, len, d, &s->c)
                  : kofu_case_load_file(s->rules, path, d, &s->c);
        free(text);
    } else {
        st = kofu_case_load_file(s->rules, path, d, &s->c);
    }
    kofu_eval_options opt = {.lang = lang};
    if (st == KOFU_OK)
        st = kofu_evaluate(s->rules, s->c, &opt, d, &s->r);
    if (st != KOFU_OK) {
        cli_print_diag(d);
        if (kofu_diag_count(d) == 0)
            fprintf(stderr, "%s: %s\n", path, kofu_status_message(st, lang));
    }
    kofu_diag_free(&d);
    return st;
}

static void side_free(side *s)
{
    kofu_result_free(&s->r);
    kofu_case_free(&s->c);
    if (s->own_rules)
        kofu_rules_free(&s->rules);
}

/* ---- the rows ------------------------------------------------------------------ */

typedef struct row {
    char key[192];     /* totals.special_tax_grant, measures.rmo_formation.organizations[kita].eligible_cost */
    char label[320];   /* the full label: measure, item, amount */
    char group[160];   /* the measure's label ("" for totals and ratios) */
    char sub[200];     /* the label within the group */
    bool amount;       /* yen; else a ratio (no change computed) */
    bool has_a, has_b;
    int64_t a, b;      /* amounts */
    const char *ra, *rb; /* ratios (exact text), when !amount */
} row;

typedef struct rows {
    row *v;
    size_t n, cap;
} rows;

/* The row of key, added when new: after the last row of the same group
 * (a measure's new organization joins its measure), else at the end. */
static row *find_row(rows *rs, const char *key, const char *group)
{
    for (size_t i = 0; i < rs->n; i++)
        if (strcmp(rs->v[i].key, key) == 0)
            return &rs->v[i];
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 64;
        row *v = realloc(rs->v, cap * sizeof *v);
        if (!v)
            return NULL;
        rs->v = v;
        rs->cap = cap;
    }
    size_t at = rs->n;
    if (group[0])
        for (size_t i = rs->n; i-- > 0;)
            if (strcmp(rs->v[i].group, group) == 0) {
                at = i + 1;
                break;
            }
    memmove(&rs->v[at + 1], &rs->v[at], (rs->n - at) * sizeof *rs->v);
    rs->n++;
    row *r = &rs->v[at];
    memset(r, 0, sizeof *r);
    snprintf(r->key, sizeof r->key, "%s", key);
    snprintf(r->group, sizeof r->group, "%s", group);
    return r;
}

static void put(rows *rs, const char *key, const char *group, const char *sub, const kofu_node *v,
                int which)
{
    kofu_node_kind k = kofu_node_type(v);
    if (k != KOFU_NODE_INT && k != KOFU_NODE_DECIMAL)
        return;
    row *r = find_row(rs, key, group);
    if (!r)
        return;
    if (!r->label[0]) {
        snprintf(r->sub, sizeof r->sub, "%s", sub);
        snprintf(r->label, sizeof r->label, "%s%s%s", group, group[0] ? " " : "", sub);
    }
    r->amount = k == KOFU_NODE_INT;
    if (which == 0) {
        r->has_a = true;
        r->a = kofu_node_int(v);
        r->ra = kofu_node_str(v);
    } else {
        r->has_b = true;
        r->b = kofu_node_int(v);
        r->rb = kofu_node_str(v);
    }
}

static void collect(rows *rs, const kofu_node *root, int which, kofu_lang lang)
{
    char key[192], label[320], lb[160];
    const kofu_node *totals = kofu_node_get(root, "totals");
    for (size_t i = 0; i < kofu_node_size(totals); i++) {
        snprintf(key, sizeof key, "totals.%s", kofu_node_key_at(totals, i));
        put(rs, key, "", report_label("totals", kofu_node_key_at(totals, i), lang, lb, sizeof lb),
            kofu_node_at(totals, i), which);
    }
    const kofu_node *fc = kofu_node_get(root, "fiscal_capacity");
    for (size_t i = 0; i < kofu_node_size(fc); i++) {
        snprintf(key, sizeof key, "fiscal_capacity.%s", kofu_node_key_at(fc, i));
        put(rs, key, "", report_label("fiscal_capacity", kofu_node_key_at(fc, i), lang, lb, sizeof lb),
            kofu_node_at(fc, i), which);
    }
    const kofu_node *ms = kofu_node_get(root, "measures");
    for (size_t m = 0; m < kofu_node_size(ms); m++) {
        const char *name = kofu_node_key_at(ms, m);
        const kofu_node *mv = kofu_node_at(ms, m);
        const char *ml = kofu_label(name, lang);
        for (size_t i = 0; i < kofu_node_size(mv); i++) {
            const char *k = kofu_node_key_at(mv, i);
            const kofu_node *v = kofu_node_at(mv, i);
            if (report_is_item_list(k, v)) {
                for (size_t j = 0; j < kofu_node_size(v); j++) {
                    const kofu_node *item = kofu_node_at(v, j);
                    const char *id = kofu_node_str(kofu_node_get(item, "id"));
                    for (size_t f = 0; f < kofu_node_size(item); f++) {
                        const char *fk = kofu_node_key_at(item, f);
                        snprintf(key, sizeof key, "measures.%s.%s[%s].%s", name, k, id, fk);
                        snprintf(label, sizeof label, "%s %s", report_item_title(item, lang),
                                 report_item_label(name, fk, lang, lb, sizeof lb));
                        put(rs, key, ml ? ml : name, label, kofu_node_at(item, f), which);
                    }
                }
                continue;
            }
            snprintf(key, sizeof key, "measures.%s.%s", name, k);
            put(rs, key, ml ? ml : name, report_label(name, k, lang, lb, sizeof lb), v, which);
        }
    }
}

/* 増減率 of a row: (b − a) / |a| as exact text ("0.0897…" is for people;
 * this is "201/2240"); false when it has none (a ratio row, a side missing,
 * a = 0). */
static bool change_ratio(const row *r, char *buf, size_t cap)
{
    if (!r->amount || !r->has_a || !r->has_b || r->a == 0)
        return false;
    kofu_fraction_text(r->b - r->a, r->a < 0 ? -r->a : r->a, buf, cap);
    return true;
}

/* ---- the parameters that differ -------------------------------------------------- */

typedef struct param_diff {
    const kofu_node *a, *b; /* entries of kofu_rules_list, either may be NULL */
} param_diff;

static const kofu_node *find_param(const kofu_node *list, const kofu_node *p)
{
    const char *m = kofu_node_str(kofu_node_get(p, "measure"));
    const char *n = kofu_node_str(kofu_node_get(p, "name"));
    for (size_t i = 0; i < kofu_node_size(list); i++) {
        const kofu_node *q = kofu_node_at(list, i);
        if (strcmp(kofu_node_str(kofu_node_get(q, "measure")), m) == 0 &&
            strcmp(kofu_node_str(kofu_node_get(q, "name")), n) == 0)
            return q;
    }
    return NULL;
}

static size_t diff_params(const kofu_node *la, const kofu_node *lb, param_diff *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < kofu_node_size(la) && n < cap; i++) {
        const kofu_node *a = kofu_node_at(la, i), *b = find_param(lb, a);
        if (!b || strcmp(kofu_node_str(kofu_node_get(a, "value")), kofu_node_str(kofu_node_get(b, "value"))) != 0)
            out[n++] = (param_diff){a, b};
    }
    for (size_t i = 0; i < kofu_node_size(lb) && n < cap; i++) {
        const kofu_node *b = kofu_node_at(lb, i);
        if (!find_param(la, b))
            out[n++] = (param_diff){NULL, b};
    }
    return n;
}

static const char *param_value(const kofu_node *p, kofu_lang lang, char *buf, size_t cap)
{
    if (!p)
        return CLI_TR(lang, "（なし）", "(none)");
    return report_value("", kofu_node_str(kofu_node_get(p, "value")), buf, cap);
}

/* ---- output ------------------------------------------------------------------------ */

typedef struct comparison {
    side a, b;
    rows rs;
    param_diff *params;
    size_t n_params;
    kofu_node *params_a, *params_b; /* the listings params point into */
    report_opts o;
} comparison;

static void signed_amount(int64_t v, const report_opts *o, char *buf, size_t cap)
{
    char t[64];
    report_amount(v, o, t, sizeof t);
    snprintf(buf, cap, "%s%s", v > 0 ? "+" : "", t);
}

/* A cell of the comparison for people: the amount or ratio of one side. */
static const char *cell(const row *r, int which, const report_opts *o, char *buf, size_t cap)
{
    bool has = which ? r->has_b : r->has_a;
    if (!has)
        return "—";
    if (r->amount)
        return report_amount(which ? r->b : r->a, o, buf, cap);
    return report_value(r->key, which ? r->rb : r->ra, buf, cap);
}

static const char *change_cell(const row *r, const report_opts *o, char *buf, size_t cap)
{
    if (!r->amount)
        return "";
    signed_amount((r->has_b ? r->b : 0) - (r->has_a ? r->a : 0), o, buf, cap);
    return buf;
}

static const char *ratio_cell(const row *r, kofu_lang lang, char *buf, size_t cap)
{
    char exact[96];
    if (!change_ratio(r, exact, sizeof exact))
        return r->amount ? "—" : ""; /* a side missing, or nothing to divide by */
    char pct[64];
    kofu_ratio_display(exact, true, pct, sizeof pct);
    bool neg = pct[0] == '-';
    snprintf(buf, cap, "%s%s", neg ? CLI_TR(lang, "△", "-") : strcmp(exact, "0") != 0 ? "+" : "",
             pct + (neg ? 1 : 0));
    return buf;
}

static void pad(FILE *out, const char *s, size_t width, bool right)
{
    size_t w = render_display_width(s);
    if (right)
        for (; w < width; w++)
            fputc(' ', out);
    fputs(s, out);
    if (!right)
        for (; w < width; w++)
            fputc(' ', out);
}

static void text_side(FILE *out, const char *tag, const side *s, kofu_lang lang)
{
    char fy[96];
    const char *name = kofu_case_name(s->c);
    fprintf(out, "  %s: %s — %s — %s（%s）\n", tag, name[0] ? name : kofu_case_id(s->c),
            report_year(kofu_case_fiscal_year(s->c), lang, fy, sizeof fy), s->label, kofu_case_file(s->c));
}

static void render_compare_text(FILE *out, const comparison *k)
{
    const report_opts *o = &k->o;
    kofu_lang lang = o->lang;
    char a[96], b[96], d[96], p[96];
    fputs(CLI_TR(lang, "比較（A → B）\n", "comparison (A → B)\n"), out);
    text_side(out, "A", &k->a, lang);
    text_side(out, "B", &k->b, lang);
    size_t lw = 8;
    for (size_t i = 0; i < k->rs.n; i++) {
        size_t w = render_display_width(k->rs.v[i].sub) + (k->rs.v[i].group[0] ? 2 : 0);
        lw = w > lw ? w : lw;
    }
    lw = lw > 48 ? 48 : lw;
    fputc('\n', out);
    pad(out, CLI_TR(lang, "項目", "item"), lw, false);
    pad(out, "A", 18, true);
    pad(out, "B", 18, true);
    pad(out, CLI_TR(lang, "増減", "change"), 18, true);
    pad(out, CLI_TR(lang, "増減率", "change %"), 12, true);
    fputc('\n', out);
    const char *group = "";
    for (size_t i = 0; i < k->rs.n; i++) {
        const row *r = &k->rs.v[i];
        if (strcmp(r->group, group) != 0 && r->group[0])
            fprintf(out, "■ %s\n", r->group);
        group = r->group;
        if (group[0])
            fputs("  ", out);
        pad(out, r->sub, lw - (group[0] ? 2 : 0), false);
        pad(out, cell(r, 0, o, a, sizeof a), 18, true);
        pad(out, cell(r, 1, o, b, sizeof b), 18, true);
        pad(out, change_cell(r, o, d, sizeof d), 18, true);
        pad(out, ratio_cell(r, lang, p, sizeof p), 12, true);
        fputc('\n', out);
    }
    fprintf(out, CLI_TR(lang, "\n■ 値の異なるパラメータ（%zu件）\n", "\n■ parameters whose values differ (%zu)\n"),
            k->n_params);
    if (!k->n_params)
        fputs(CLI_TR(lang, "  （なし: 同じルールの値で計算しています）\n",
                     "  (none: both sides use the same rule values)\n"),
              out);
    for (size_t i = 0; i < k->n_params; i++) {
        const kofu_node *any = k->params[i].a ? k->params[i].a : k->params[i].b;
        fprintf(out, "  %s.%s（%s）: %s → %s\n", kofu_node_str(kofu_node_get(any, "measure")),
                kofu_node_str(kofu_node_get(any, "name")), kofu_node_str(kofu_node_get(any, "label")),
                param_value(k->params[i].a, lang, a, sizeof a), param_value(k->params[i].b, lang, b, sizeof b));
    }
    char stamp[1024];
    if (report_stamp(kofu_result_root(k->b.r), lang, stamp, sizeof stamp))
        fprintf(out, "\n%s\n", stamp);
}

static void csv_field(FILE *out, const char *s)
{
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    if (quote)
        fputc('"', out);
}

static void render_compare_csv(FILE *out, const comparison *k)
{
    kofu_lang lang = k->o.lang;
    char buf[96];
    fputs("\xEF\xBB\xBF", out); /* Excel opens UTF-8 with a BOM by double-click */
    fputs(CLI_TR(lang, "項目キー,項目,A,B,増減,増減率\r\n", "key,item,a,b,change,change_ratio\r\n"), out);
    for (size_t i = 0; i < k->rs.n; i++) {
        const row *r = &k->rs.v[i];
        csv_field(out, r->key);
        fputc(',', out);
        csv_field(out, r->label);
        for (int w = 0; w < 2; w++) {
            fputc(',', out);
            if (!(w ? r->has_b : r->has_a))
                continue;
            if (r->amount)
                fprintf(out, "%" PRId64, w ? r->b : r->a);
            else
                csv_field(out, w ? r->rb : r->ra);
        }
        fputc(',', out);
        if (r->amount)
            fprintf(out, "%" PRId64, (r->has_b ? r->b : 0) - (r->has_a ? r->a : 0));
        fputc(',', out);
        char pct[64];
        if (change_ratio(r, buf, sizeof buf)) /* for people: the exact fraction is in JSON */
            csv_field(out, kofu_ratio_display(buf, true, pct, sizeof pct) ? pct : "");
        fputs("\r\n", out);
    }
    for (size_t i = 0; i < k->n_params; i++) {
        const kofu_node *any = k->params[i].a ? k->params[i].a : k->params[i].b;
        snprintf(buf, sizeof buf, "rules.%s.%s", kofu_node_str(kofu_node_get(any, "measure")),
                 kofu_node_str(kofu_node_get(any, "name")));
        csv_field(out, buf);
        fputc(',', out);
        csv_field(out, kofu_node_str(kofu_node_get(any, "label")));
        fputc(',', out);
        csv_field(out, k->params[i].a ? kofu_node_str(kofu_node_get(k->params[i].a, "value")) : "");
        fputc(',', out);
        csv_field(out, k->params[i].b ? kofu_node_str(kofu_node_get(k->params[i].b, "value")) : "");
        fputs(",,\r\n", out);
    }
}

static void json_side(cli_buf *b, const side *s)
{
    const kofu_node *root = kofu_result_root(s->r);
    cli_buf_puts(b, "{\"file\": ");
    render_json_string(b, kofu_case_file(s->c));
    cli_buf_puts(b, ", \"case\": ");
    render_json_string(b, kofu_case_id(s->c));
    cli_buf_puts(b, ", \"name\": ");
    render_json_string(b, kofu_case_name(s->c));
    cli_buf_puts(b, ", \"fiscal_year\": ");
    cli_buf_put_int(b, kofu_case_fiscal_year(s->c));
    cli_buf_puts(b, ", \"label\": ");
    render_json_string(b, s->label);
    const kofu_node *meta = kofu_node_get(root, "meta");
    if (meta) {
        char *m = render_json(meta, false);
        if (m) {
            cli_buf_puts(b, ", \"meta\": ");
            cli_buf_puts(b, m);
            free(m);
        }
    }
    cli_buf_puts(b, "}");
}

static void render_compare_json(FILE *out, const comparison *k)
{
    cli_buf b = {0};
    char buf[96];
    cli_buf_puts(&b, "{\n\"format\": \"kofu-compare/1\",\n\"a\": ");
    json_side(&b, &k->a);
    cli_buf_puts(&b, ",\n\"b\": ");
    json_side(&b, &k->b);
    cli_buf_puts(&b, ",\n\"rows\": [");
    for (size_t i = 0; i < k->rs.n; i++) {
        const row *r = &k->rs.v[i];
        cli_buf_puts(&b, i ? ",\n  {\"key\": " : "\n  {\"key\": ");
        render_json_string(&b, r->key);
        cli_buf_puts(&b, ", \"label\": ");
        render_json_string(&b, r->label);
        for (int w = 0; w < 2; w++) {
            if (!(w ? r->has_b : r->has_a))
                continue;
            cli_buf_puts(&b, w ? ", \"b\": " : ", \"a\": ");
            if (r->amount)
                cli_buf_put_int(&b, w ? r->b : r->a);
            else
                render_json_string(&b, w ? r->rb : r->ra);
        }
        if (r->amount) {
            cli_buf_puts(&b, ", \"change\": ");
            cli_buf_put_int(&b, (r->has_b ? r->b : 0) - (r->has_a ? r->a : 0));
        }
        if (change_ratio(r, buf, sizeof buf)) {
            cli_buf_puts(&b, ", \"change_ratio\": ");
            render_json_string(&b, buf);
        }
        cli_buf_puts(&b, "}");
    }
    cli_buf_puts(&b, "\n],\n\"parameters\": [");
    for (size_t i = 0; i < k->n_params; i++) {
        const kofu_node *any = k->params[i].a ? k->params[i].a : k->params[i].b;
        cli_buf_puts(&b, i ? ",\n  {\"measure\": " : "\n  {\"measure\": ");
        render_json_string(&b, kofu_node_str(kofu_node_get(any, "measure")));
        cli_buf_puts(&b, ", \"name\": ");
        render_json_string(&b, kofu_node_str(kofu_node_get(any, "name")));
        cli_buf_puts(&b, ", \"label\": ");
        render_json_string(&b, kofu_node_str(kofu_node_get(any, "label")));
        if (k->params[i].a) {
            cli_buf_puts(&b, ", \"a\": ");
            render_json_string(&b, kofu_node_str(kofu_node_get(k->params[i].a, "value")));
        }
        if (k->params[i].b) {
            cli_buf_puts(&b, ", \"b\": ");
            render_json_string(&b, kofu_node_str(kofu_node_get(k->params[i].b, "value")));
        }
        cli_buf_puts(&b, "}");
    }
    cli_buf_puts(&b, "\n]\n}\n");
    if (b.failed)
        cli_error("%s", kofu_status_message(KOFU_ENOMEM, k->o.lang));
    else
        fwrite(b.data, 1, b.len, out);
    cli_buf_free(&b);
}

static void html_esc(FILE *out, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
}

static void html_side(FILE *out, const char *tag, const side *s, kofu_lang lang)
{
    char fy[96];
    const char *name = kofu_case_name(s->c);
    fprintf(out, "<p class=\"meta\">%s: ", tag);
    html_esc(out, name[0] ? name : kofu_case_id(s->c));
    fprintf(out, " — %s — ", report_year(kofu_case_fiscal_year(s->c), lang, fy, sizeof fy));
    html_esc(out, s->label);
    fputs("（", out);
    html_esc(out, kofu_case_file(s->c));
    fputs("）</p>\n", out);
}

static void render_compare_html(FILE *out, const comparison *k, const char *created)
{
    const report_opts *o = &k->o;
    kofu_lang lang = o->lang;
    char a[96], b[96], d[96], p[96], title[256];
    const char *name = kofu_case_name(k->b.c);
    snprintf(title, sizeof title, "%s %s", name[0] ? name : kofu_case_id(k->b.c),
             CLI_TR(lang, "比較", "comparison"));
    render_html_begin(out, o, title, created);
    fputs("<section class=\"case\">\n<h1>", out);
    html_esc(out, title);
    fputs("</h1>\n", out);
    html_side(out, "A", &k->a, lang);
    html_side(out, "B", &k->b, lang);
    fprintf(out, "<table class=\"compare\">\n<tr><th>%s</th><th class=\"amount\">A</th><th class=\"amount\">B</th>"
                 "<th class=\"amount\">%s</th><th class=\"amount\">%s</th></tr>\n",
            CLI_TR(lang, "項目", "item"), CLI_TR(lang, "増減", "change"), CLI_TR(lang, "増減率", "change %"));
    for (size_t i = 0; i < k->rs.n; i++) {
        const row *r = &k->rs.v[i];
        fputs("<tr><td>", out);
        html_esc(out, r->label);
        fputs("</td><td class=\"amount\">", out);
        html_esc(out, cell(r, 0, o, a, sizeof a));
        fputs("</td><td class=\"amount\">", out);
        html_esc(out, cell(r, 1, o, b, sizeof b));
        fputs("</td><td class=\"amount\">", out);
        html_esc(out, change_cell(r, o, d, sizeof d));
        fputs("</td><td class=\"amount\">", out);
        html_esc(out, ratio_cell(r, lang, p, sizeof p));
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n", out);
    fprintf(out, CLI_TR(lang, "<h2>値の異なるパラメータ（%zu件）</h2>\n", "<h2>Parameters whose values differ (%zu)</h2>\n"),
            k->n_params);
    fputs("<ul>\n", out);
    if (!k->n_params)
        fputs(CLI_TR(lang, "<li>なし: 同じルールの値で計算しています</li>\n",
                     "<li>none: both sides use the same rule values</li>\n"),
              out);
    for (size_t i = 0; i < k->n_params; i++) {
        const kofu_node *any = k->params[i].a ? k->params[i].a : k->params[i].b;
        fputs("<li>", out);
        html_esc(out, kofu_node_str(kofu_node_get(any, "label")));
        fputs(" <span class=\"code\">", out);
        html_esc(out, kofu_node_str(kofu_node_get(any, "measure")));
        fputc('.', out);
        html_esc(out, kofu_node_str(kofu_node_get(any, "name")));
        fputs("</span>: ", out);
        html_esc(out, param_value(k->params[i].a, lang, a, sizeof a));
        fputs(" → ", out);
        html_esc(out, param_value(k->params[i].b, lang, b, sizeof b));
        fputs("</li>\n", out);
    }
    fputs("</ul>\n", out);
    char stamp[1024];
    if (report_stamp(kofu_result_root(k->b.r), lang, stamp, sizeof stamp)) {
        fputs("<p class=\"stamp\">", out);
        html_esc(out, stamp);
        fputs("</p>\n", out);
    }
    fputs("</section>\n", out);
    render_html_end(out, o);
}

/* ---- the command ---------------------------------------------------------------------- */

typedef struct compare_args {
    const char *fy[2];   /* --fy A,B */
    const char *output;
    const char *edited;  /* --rules DIR: B's rules */
    int64_t unit;
    char *fy_text;       /* malloc'd copy that fy[] points into */
} compare_args;

static int parse_args(int argc, char **argv, cli_common *co, compare_args *ca, char **paths,
                      int *n_paths)
{
    int rc = EXIT_OK;
    *n_paths = 0;
    ca->unit = 1;
    /* $KOFU_RULES applies to both sides; only --rules asks for a comparison */
    const char *env_rules = co->rules_dir;
    co->rules_dir = NULL;
    for (int i = 1; i < argc && rc == EXIT_OK; i++) {
        const char *v = NULL;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            cli_help_command("compare", co->lang, stdout);
            return -1;
        }
        if (cli_common_option(co, "compare", formats, argc, argv, &i, &rc))
            continue;
        if (run_opt_value("--fy", argc, argv, &i, &v)) {
            const char *comma = v ? strchr(v, ',') : NULL;
            int y;
            free(ca->fy_text);
            ca->fy_text = v ? strdup(v) : NULL;
            if (!comma || !ca->fy_text)
                return cli_usage_error("compare", co->lang, "%s",
                                       CLI_TR(co->lang, "--fy には二つの年度をコンマで区切って書きます（例: --fy R8,R9）",
                                              "--fy needs two fiscal years separated by a comma (e.g. --fy R8,R9)"));
            ca->fy_text[comma - v] = '\0';
            ca->fy[0] = ca->fy_text;
            ca->fy[1] = ca->fy_text + (comma - v) + 1;
            for (int k = 0; k < 2; k++)
                if (!kofu_fy_parse(ca->fy[k], &y))
                    return cli_usage_error("compare", co->lang,
                                           CLI_TR(co->lang, "年度として読めません: '%s'（例: R8, 令和8年度, 2026）",
                                                  "not a fiscal year: '%s' (e.g. R8, 令和8年度, 2026)"),
                                           ca->fy[k]);
        } else if (run_opt_value("--output", argc, argv, &i, &v)) {
            if (!v || !*v)
                return cli_usage_error("compare", co->lang, "%s",
                                       CLI_TR(co->lang, "--output にはファイル名が必要です", "--output needs a file name"));
            ca->output = v;
        } else if (run_opt_value("--unit", argc, argv, &i, &v)) {
            if (v && (strcmp(v, "千円") == 0 || strcmp(v, "1000") == 0))
                ca->unit = 1000;
            else if (v && (strcmp(v, "円") == 0 || strcmp(v, "1") == 0))
                ca->unit = 1;
            else
                return cli_usage_error("compare", co->lang, "%s",
                                       CLI_TR(co->lang, "--unit は 円 か 千円 です", "--unit must be 円 or 千円"));
        } else if (argv[i][0] == '\0') {
            rc = cli_empty_path_error("compare", co->lang);
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            rc = cli_usage_error("compare", co->lang,
                                 CLI_TR(co->lang, "不明なオプションです: '%s'", "unknown option: '%s'"), argv[i]);
        } else if (*n_paths < 2) {
            paths[(*n_paths)++] = argv[i];
        } else {
            rc = cli_usage_error("compare", co->lang, "%s",
                                 CLI_TR(co->lang, "ケースファイルは二つまでです", "at most two case files"));
        }
    }
    if (rc != EXIT_OK)
        return rc;
    ca->edited = co->rules_dir;
    co->rules_dir = ca->edited ? NULL : env_rules;
    bool two = *n_paths == 2, fy = ca->fy[0] != NULL, rules = ca->edited != NULL;
    if (*n_paths == 0 || (two && (fy || rules)) || (!two && fy == rules))
        return cli_usage_error("compare", co->lang, "%s",
                               CLI_TR(co->lang,
                                      "比べ方は三つのうち一つです: kofu compare A.ini B.ini / kofu compare CASE --fy R8,R9 / "
                                      "kofu compare CASE --rules DIR",
                                      "compare one of three ways: kofu compare A.ini B.ini / kofu compare CASE --fy R8,R9 / "
                                      "kofu compare CASE --rules DIR"));
    return EXIT_OK;
}

static void creation_date(kofu_lang lang, char *buf, size_t cap)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    time_t t = e && *e ? (time_t)strtoll(e, NULL, 10) : time(NULL);
    t += 9 * 3600; /* JST */
    struct tm tm;
    gmtime_r(&t, &tm);
    if (lang == KOFU_LANG_EN)
        strftime(buf, cap, "%Y-%m-%d", &tm);
    else
        snprintf(buf, cap, "%d年%d月%d日", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static int compare(comparison *k, cli_common *co, const compare_args *ca, char **paths, int n_paths)
{
    int rc = EXIT_OK;
    const char *edited = ca->edited; /* A: the built-in rules, or those of $KOFU_RULES */
    k->a.rules = cli_load_rules(co, &rc);
    if (!k->a.rules)
        return rc;
    k->b.rules = k->a.rules;
    if (edited) {
        co->rules_dir = edited;
        k->b.rules = cli_load_rules(co, &rc);
        if (!k->b.rules)
            return rc;
        k->b.own_rules = true;
    }
    const char *pa = paths[0], *pb = n_paths == 2 ? paths[1] : paths[0];
    if (ca->fy[0]) {
        for (int w = 0; w < 2; w++)
            snprintf(w ? k->b.label : k->a.label, sizeof k->a.label,
                     CLI_TR(co->lang, "年度を %s として計算", "computed as fiscal year %s"), ca->fy[w]);
    } else if (edited) {
        snprintf(k->a.label, sizeof k->a.label, "%s", CLI_TR(co->lang, "組み込みのルール", "built-in rules"));
        snprintf(k->b.label, sizeof k->b.label, "%s %s", CLI_TR(co->lang, "編集したルール", "edited rules in"), edited);
    } else {
        snprintf(k->a.label, sizeof k->a.label, "%s", CLI_TR(co->lang, "ケースA", "case A"));
        snprintf(k->b.label, sizeof k->b.label, "%s", CLI_TR(co->lang, "ケースB", "case B"));
    }
    kofu_status sa = load_side(&k->a, pa, ca->fy[0], co->lang);
    kofu_status sb = load_side(&k->b, pb, ca->fy[1], co->lang);
    if (sa != KOFU_OK || sb != KOFU_OK)
        return cli_exit_for(sa != KOFU_OK ? sa : sb);
    collect(&k->rs, kofu_result_root(k->a.r), 0, co->lang);
    collect(&k->rs, kofu_result_root(k->b.r), 1, co->lang);
    kofu_node *la = NULL, *lb = NULL;
    if (kofu_rules_list(k->a.rules, kofu_case_fiscal_year(k->a.c), co->lang, &la) == KOFU_OK &&
        kofu_rules_list(k->b.rules, kofu_case_fiscal_year(k->b.c), co->lang, &lb) == KOFU_OK) {
        size_t cap = kofu_node_size(la) + kofu_node_size(lb);
        k->params = cap ? calloc(cap, sizeof *k->params) : NULL;
        if (k->params)
            k->n_params = diff_params(la, lb, k->params, cap);
    }
    /* the listings outlive the rows that point into them: freed at the end */
    k->params_a = la;
    k->params_b = lb;
    return EXIT_OK;
}

static int run(int argc, char **argv)
{
    cli_common co;
    cli_common_init(&co, FMT_TEXT);
    compare_args ca = {0};
    char *paths[2] = {NULL, NULL};
    int n_paths = 0;
    int rc = parse_args(argc, argv, &co, &ca, paths, &n_paths);
    if (rc != EXIT_OK) {
        free(ca.fy_text);
        return rc < 0 ? EXIT_OK : rc;
    }
    comparison k = {.o = {.lang = co.lang, .unit = ca.unit}};
    rc = compare(&k, &co, &ca, paths, n_paths);
    cli_output sink = {0};
    FILE *out = stdout;
    if (rc == EXIT_OK && ca.output) {
        rc = cli_output_open(&sink, "compare", ca.output, co.lang);
        if (rc == EXIT_OK && (rc = cli_output_check_inputs(&sink, paths, n_paths)) != EXIT_OK)
            cli_output_close(&sink, false);
        if (rc == EXIT_OK)
            out = sink.fp;
        else
            ca.output = NULL;
    }
    if (rc == EXIT_OK) {
        char created[64];
        switch (co.format) {
        case FMT_JSON: render_compare_json(out, &k); break;
        case FMT_CSV: render_compare_csv(out, &k); break;
        case FMT_HTML:
            creation_date(co.lang, created, sizeof created);
            render_compare_html(out, &k, created);
            break;
        default: render_compare_text(out, &k); break;
        }
    }
    if (ca.output) {
        /* the file is replaced only by a complete comparison */
        int orc = cli_output_close(&sink, rc == EXIT_OK && !ferror(out));
        rc = orc != EXIT_OK ? orc : rc;
    }
    kofu_node_free(&k.params_a);
    kofu_node_free(&k.params_b);
    free(k.params);
    free(k.rs.v);
    side_free(&k.b); /* B's rules are freed there only when they are its own */
    side_free(&k.a);
    kofu_rules_free(&k.a.rules);
    free(ca.fy_text);
    return rc;
}

const cli_command cmd_compare = {
    "compare",
    run,
    "二つの計算結果を並べて増減を示します（前年度との比較など）",
    "shows two results side by side with their changes (last year against this year)",
    "使い方: kofu compare A.ini B.ini [オプション]          二つのケースファイル（前年度と今年度など）\n"
    "        kofu compare CASE --fy R8,R9 [オプション]       一つのケースを二つの年度のルールで\n"
    "        kofu compare CASE --rules DIR [オプション]      組み込みのルールと編集したルールで\n\n"
    "合計、措置ごと、組織・事業・職員ごと（IDで対応）のすべての金額を A と B で並べ、増減（B − A）と\n"
    "増減率（(B − A) ÷ |A|）を示します。財政力補正の値と、A と B で値の異なるルールのパラメータも示します。\n\n"
    "  --format text|csv|json|html   表示形式（既定 text。JSON の増減率は正確な分数）\n"
    "  --output FILE                 FILE に書く（html は --output と使います）\n"
    "  --unit 千円                   金額を千円単位で表示する\n"
    "  --lang ja|en                  表示言語\n\n"
    "終了コード: 0 成功, 2 使い方の誤り, 3 ケースファイルが不正, 4 ルールデータが不正, 5 入出力エラー\n"
    "例: kofu compare 令和8年度.ini 令和9年度.ini\n"
    "    kofu compare examples/rmo-town-r9.ini --fy R8,R9\n",
    "usage: kofu compare A.ini B.ini [options]          two case files (last year's and this year's)\n"
    "       kofu compare CASE --fy R8,R9 [options]       one case under the rules of two fiscal years\n"
    "       kofu compare CASE --rules DIR [options]      one case under the built-in and edited rules\n\n"
    "Shows every amount — the totals, each measure, each organization, project and worker (matched by\n"
    "id) — for A and B, with the change (B − A) and the change ratio ((B − A) ÷ |A|); also the values of\n"
    "the fiscal-capacity adjustment and the rule parameters whose values differ between A and B.\n\n"
    "  --format text|csv|json|html   output format (default text; JSON change ratios are exact)\n"
    "  --output FILE                 write to FILE (use it for html)\n"
    "  --unit 千円                   show amounts in thousands of yen\n"
    "  --lang ja|en                  language\n\n"
    "exit codes: 0 success, 2 usage error, 3 invalid case file, 4 invalid rule data, 5 I/O error\n"
    "example: kofu compare r8.ini r9.ini\n"
    "         kofu compare examples/rmo-town-r9.ini --fy R8,R9\n",
};
