/*
 * render_html.c — the printable report: one self-contained HTML document (no
 * script, no external resource; fonts from the system) holding, for each
 * case, the same headline as the text report, the calculation measure by
 * measure in collapsible <details>, and the sources cited by the trace as a
 * numbered list. Print styles lay it out on A4: the headline on the first
 * page, each case on new pages, a page header with the town and 作成日.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report.h"

static void esc(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
    }
}

/* A CSS string literal ("…" for `content:`). */
static void css_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(out, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fputc(' ', out);
        else if (*s == '<')
            fputs("\\3c ", out); /* never "</style>" inside the style element */
        else
            fputc(*s, out);
    }
    fputc('"', out);
}

/* Numbers the cases of one document, for the anchors of their sources. */
static int cases_rendered;

static const char style[] =
    "*{box-sizing:border-box}\n"
    "body{font-family:\"Noto Sans CJK JP\",\"Noto Sans JP\",\"Hiragino Sans\",\"Yu Gothic\",sans-serif;"
    "color:#111;margin:0 auto;max-width:60em;padding:1em;font-size:11pt;line-height:1.5}\n"
    "h1{font-size:16pt;margin:0 0 .2em}h2{font-size:12pt;margin:1em 0 .3em;border-bottom:1px solid #999}\n"
    ".meta,.stamp,.created{color:#444;font-size:9pt;margin:.2em 0}\n"
    "table{border-collapse:collapse;width:100%;margin:.3em 0}\n"
    "td,th{padding:.15em .5em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}\n"
    "td.amount,th.amount{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
    "table.totals td{font-size:13pt;font-weight:bold}\n"
    "tr.item td:first-child{padding-left:2em}\n"
    "td.note{color:#444;font-size:9pt}\n"
    ".notices li{margin:.1em 0}.code{font-family:monospace;color:#555}\n"
    "details{margin:.4em 0;border:1px solid #ccc;padding:.2em .6em}\n"
    "summary{font-weight:bold;cursor:pointer}\n"
    "ol.steps{font-size:9pt;padding-left:2em}ol.steps li{margin:.2em 0}\n"
    ".step{font-family:monospace}.rule{color:#333}.prov{color:#a00;font-weight:bold}\n"
    "ol.sources{font-size:9pt}\n"
    "@page{size:A4;margin:18mm 15mm 16mm 15mm;"
    "@bottom-right{content:counter(page) \" / \" counter(pages);font-size:8pt}}\n"
    "@media print{body{max-width:none;padding:0;font-size:10pt}"
    "section.case{break-before:page}section.case:first-of-type{break-before:auto}"
    ".headline{break-after:page}.created{display:none}"
    "details{border:none;padding:0}details::details-content{content-visibility:visible;display:block}"
    "summary{list-style:none}h2,summary{break-after:avoid}tr,li{break-inside:avoid}}\n";

void render_html_begin(FILE *out, const report_opts *o, const char *title, const char *created)
{
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
            o->lang == KOFU_LANG_EN ? "en" : "ja");
    fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", out);
    esc(out, title);
    fputs(CLI_TR(o->lang, " — 交付税措置・交付金の計算", " — grants computed by kofu"), out);
    fputs("</title>\n<style>\n", out);
    fputs(style, out);
    /* the page header of every printed page: the town and 作成日 */
    fputs("@page{@top-left{content:", out);
    css_string(out, title);
    fputs(";font-size:8pt}@top-right{content:", out);
    char right[128];
    snprintf(right, sizeof right, "%s %s", CLI_TR(o->lang, "作成日", "created"), created);
    css_string(out, right);
    cases_rendered = 0;
    fputs(";font-size:8pt}}\n</style>\n</head>\n<body>\n", out);
    fprintf(out, "<p class=\"created\">%s %s</p>\n", CLI_TR(o->lang, "作成日", "created"), created);
}

void render_html_end(FILE *out, const report_opts *o)
{
    (void)o;
    fputs("</body>\n</html>\n", out);
}

static void amount_row(FILE *out, const char *cls, const char *label, int64_t v,
                       const report_opts *o)
{
    char buf[80];
    fprintf(out, "<tr%s%s%s><td>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
    esc(out, label);
    fprintf(out, "</td><td class=\"amount\">%s</td></tr>\n", report_amount(v, o, buf, sizeof buf));
}

static bool fixed_member(const char *key)
{
    return strcmp(key, "measures") == 0 || strcmp(key, "totals") == 0 ||
           strcmp(key, "meta") == 0;
}

static void component(FILE *out, const char *name, const kofu_node *v, const report_opts *o)
{
    char lb[160], val[96];
    const char *l = kofu_label(name, o->lang);
    fputs("<p class=\"component\"><b>", out);
    esc(out, l ? l : name);
    fputs("</b>:", out);
    const char *sep = " ";
    for (size_t i = 0; i < kofu_node_size(v); i++) {
        const char *key = kofu_node_key_at(v, i);
        const kofu_node *m = kofu_node_at(v, i);
        kofu_node_kind k = kofu_node_type(m);
        if (k == KOFU_NODE_BOOL && !kofu_node_bool(m))
            continue;
        if (k == KOFU_NODE_OBJECT || k == KOFU_NODE_ARRAY)
            continue;
        fputs(sep, out);
        esc(out, report_label(name, key, o->lang, lb, sizeof lb));
        if (k == KOFU_NODE_INT)
            fprintf(out, " %s", report_amount(kofu_node_int(m), o, val, sizeof val));
        else if (k != KOFU_NODE_BOOL) {
            fputc(' ', out);
            esc(out, report_value(key, kofu_node_str(m), val, sizeof val));
        }
        sep = " ・ ";
    }
    fputs("</p>\n", out);
}

typedef struct html_rows {
    FILE *out;
    const report_opts *o;
} html_rows;

/* A measure's amount as a row of its table, an item's marked as such. */
static void html_amount(void *ctx, bool item, const char *label, int64_t amount)
{
    const html_rows *h = ctx;
    amount_row(h->out, item ? "item" : NULL, label, amount, h->o);
}

static void measure(FILE *out, const char *name, const kofu_node *m, const report_opts *o)
{
    const char *l = kofu_label(name, o->lang);
    const char *own = kofu_node_str(kofu_node_get(m, "name"));
    fputs("<h2>", out);
    esc(out, l ? l : name);
    if (own[0]) {
        fputs(" — ", out);
        esc(out, own);
    }
    fputs("</h2>\n<table class=\"measure\">\n", out);
    html_rows rows = {out, o};
    report_measure_amounts(name, m, o->lang, html_amount, &rows);
    fputs("</table>\n", out);
}

static void notices(FILE *out, const kofu_node *root, kofu_lang lang)
{
    const kofu_node *lists[2] = {kofu_node_get(root, "warnings"), kofu_node_get(root, "findings")};
    size_t n = kofu_node_size(lists[0]) + kofu_node_size(lists[1]);
    if (!n)
        return;
    fprintf(out, CLI_TR(lang, "<h2>注意（%zu件）</h2>\n<ul class=\"notices\">\n",
                        "<h2>Warnings and findings (%zu)</h2>\n<ul class=\"notices\">\n"),
            n);
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < kofu_node_size(lists[l]); i++) {
            const kofu_node *w = kofu_node_at(lists[l], i);
            fputs("<li>", out);
            esc(out, kofu_node_str(kofu_node_get(w, "message")));
            fputs(" <span class=\"code\">[", out);
            esc(out, kofu_node_str(kofu_node_get(w, "code")));
            fputs("]</span></li>\n", out);
        }
    fputs("</ul>\n", out);
}

/* ---- the calculation ------------------------------------------------------ */

/* The numbers of the sources cited by the trace: nums[i] is the number of
 * step i's source in the list of distinct sources, in order of first
 * citation. Returns the count of distinct sources; malloc'd *nums (NULL on
 * OOM, then no numbers are printed). */
static size_t number_sources(const kofu_node *trace, size_t **nums)
{
    size_t n = kofu_node_size(trace), distinct = 0;
    *nums = n ? calloc(n, sizeof **nums) : NULL;
    if (!*nums)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = kofu_node_str(kofu_node_get(kofu_node_at(trace, i), "source"));
        for (size_t j = 0; j < i && !(*nums)[i]; j++)
            if (strcmp(kofu_node_str(kofu_node_get(kofu_node_at(trace, j), "source")), s) == 0)
                (*nums)[i] = (*nums)[j];
        if (!(*nums)[i])
            (*nums)[i] = ++distinct;
    }
    return distinct;
}

static bool step_of(const char *step, const char *measure)
{
    size_t n = strlen(measure);
    return strncmp(step, measure, n) == 0 && (step[n] == '.' || step[n] == '[');
}

static void report_lines(FILE *out, const kofu_node *lines, const report_opts *o)
{
    char buf[96];
    if (!kofu_node_size(lines))
        return;
    fputs("<table class=\"report\">\n", out);
    for (size_t i = 0; i < kofu_node_size(lines); i++) {
        const kofu_node *l = kofu_node_at(lines, i);
        const char *label = kofu_node_str(kofu_node_get(l, "label"));
        const kofu_node *amount = kofu_node_get(l, "amount");
        const kofu_node *value = kofu_node_get(l, "value");
        const kofu_node *note = kofu_node_get(l, "note");
        fprintf(out, "<tr><td style=\"padding-left:%dem\">", 1 + (int)kofu_node_int(kofu_node_get(l, "indent")));
        esc(out, label);
        fputs("</td><td class=\"amount\">", out);
        if (amount)
            esc(out, report_amount(kofu_node_int(amount), o, buf, sizeof buf));
        else if (value) {
            bool percent = strstr(label, "稼働率") || strstr(label, "utilization");
            esc(out, report_value(percent ? "utilization" : "", kofu_node_str(value), buf, sizeof buf));
        }
        fputs("</td><td class=\"note\">", out);
        if (note)
            esc(out, kofu_node_str(note));
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n", out);
}

static void calculation(FILE *out, const char *name, const kofu_result *r, const size_t *nums,
                        int case_no, const report_opts *o)
{
    const kofu_node *trace = kofu_node_get(kofu_result_root(r), "trace");
    const char *l = kofu_label(name, o->lang);
    char val[128];
    fputs("<details>\n<summary>", out);
    fputs(CLI_TR(o->lang, "計算の過程: ", "The calculation: "), out);
    esc(out, l ? l : name);
    fputs("</summary>\n", out);
    report_lines(out, kofu_node_get(kofu_result_report(r), name), o);
    fputs("<ol class=\"steps\">\n", out);
    for (size_t i = 0; i < kofu_node_size(trace); i++) {
        const kofu_node *t = kofu_node_at(trace, i);
        const char *step = kofu_node_str(kofu_node_get(t, "step"));
        if (!step_of(step, name))
            continue;
        fputs("<li><span class=\"step\">", out);
        esc(out, step);
        fputs(" = ", out);
        esc(out, report_value(step, kofu_node_str(kofu_node_get(t, "value")), val, sizeof val));
        fputs("</span>", out);
        if (strcmp(kofu_node_str(kofu_node_get(t, "status")), "provisional") == 0)
            fputs(CLI_TR(o->lang, " <span class=\"prov\">【暫定】</span>", " <span class=\"prov\">[provisional]</span>"), out);
        fputs("<br><span class=\"rule\">", out);
        fputs(CLI_TR(o->lang, "計算: ", "rule: "), out);
        esc(out, kofu_node_str(kofu_node_get(t, "rule")));
        fputs("</span>", out);
        if (nums)
            fprintf(out, " <a href=\"#src-%d-%zu\">[%zu]</a>", case_no, nums[i], nums[i]);
        fputs("</li>\n", out);
    }
    fputs("</ol>\n</details>\n", out);
}

static void sources(FILE *out, const kofu_result *r, const size_t *nums, int case_no,
                    const report_opts *o)
{
    const kofu_node *trace = kofu_node_get(kofu_result_root(r), "trace");
    fputs(CLI_TR(o->lang, "<h2>根拠</h2>\n<ol class=\"sources\">\n", "<h2>Sources</h2>\n<ol class=\"sources\">\n"),
          out);
    size_t n = 0;
    for (size_t i = 0; nums && i < kofu_node_size(trace); i++) {
        if (nums[i] <= n)
            continue;
        fprintf(out, "<li id=\"src-%d-%zu\">", case_no, ++n);
        esc(out, kofu_node_str(kofu_node_get(kofu_node_at(trace, i), "source")));
        fputs("</li>\n", out);
    }
    fputs("</ol>\n", out);
}

void render_html_case(FILE *out, const kofu_result *r, const kofu_case *c, const report_opts *o)
{
    const kofu_node *root = kofu_result_root(r);
    const char *id = kofu_node_str(kofu_node_get(root, "case"));
    const char *name = c ? kofu_case_name(c) : "";
    char buf[160], lb[160];
    int case_no = ++cases_rendered;
    /* a named page per case: its own town in the page header, and a page
     * break wherever the name changes */
    fprintf(out, "<style>@page case-%d{@top-left{content:", case_no);
    css_string(out, name[0] ? name : id);
    fprintf(out, ";font-size:8pt}}section.case-%d{page:case-%d}</style>\n", case_no, case_no);
    fprintf(out, "<section class=\"case case-%d\">\n<div class=\"headline\">\n<h1>", case_no);
    esc(out, name[0] ? name : id);
    fprintf(out, " — %s — %s</h1>\n",
            report_year((int)kofu_node_int(kofu_node_get(root, "fiscal_year")), o->lang, buf, sizeof buf),
            report_entity(kofu_node_str(kofu_node_get(root, "entity")), o->lang));
    fprintf(out, "<p class=\"meta\">%s ", CLI_TR(o->lang, "ケース", "case"));
    esc(out, id);
    if (c) {
        fprintf(out, " ・ %s ", CLI_TR(o->lang, "ファイル", "file"));
        esc(out, kofu_case_file(c));
    }
    fputs("</p>\n<table class=\"totals\">\n", out);
    const kofu_node *totals = kofu_node_get(root, "totals");
    for (size_t i = 0; i < kofu_node_size(totals); i++)
        if (kofu_node_type(kofu_node_at(totals, i)) == KOFU_NODE_INT)
            amount_row(out, NULL, report_label("totals", kofu_node_key_at(totals, i), o->lang, lb, sizeof lb),
                       kofu_node_int(kofu_node_at(totals, i)), o);
    fputs("</table>\n", out);
    for (size_t i = 0; i < kofu_node_size(root); i++) {
        const char *key = kofu_node_key_at(root, i);
        const kofu_node *v = kofu_node_at(root, i);
        if (kofu_node_type(v) == KOFU_NODE_OBJECT && !fixed_member(key))
            component(out, key, v, o);
    }
    const kofu_node *measures = kofu_node_get(root, "measures");
    for (size_t i = 0; i < kofu_node_size(measures); i++)
        measure(out, kofu_node_key_at(measures, i), kofu_node_at(measures, i), o);
    notices(out, root, o->lang);
    char stamp[1024];
    if (report_stamp(root, o->lang, stamp, sizeof stamp)) {
        fputs("<p class=\"stamp\">", out);
        esc(out, stamp);
        fputs("</p>\n", out);
    }
    fputs("</div>\n", out);
    if (kofu_node_size(kofu_node_get(root, "trace"))) {
        size_t *nums = NULL;
        number_sources(kofu_node_get(root, "trace"), &nums);
        fputs(CLI_TR(o->lang, "<h2>計算の過程</h2>\n", "<h2>The calculation</h2>\n"), out);
        for (size_t i = 0; i < kofu_node_size(root); i++) {
            const char *key = kofu_node_key_at(root, i);
            if (kofu_node_type(kofu_node_at(root, i)) == KOFU_NODE_OBJECT && !fixed_member(key))
                calculation(out, key, r, nums, case_no, o);
        }
        for (size_t i = 0; i < kofu_node_size(measures); i++)
            calculation(out, kofu_node_key_at(measures, i), r, nums, case_no, o);
        sources(out, r, nums, case_no, o);
        free(nums);
    }
    fputs("</section>\n", out);
}
