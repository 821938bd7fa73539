/*
 * render_text.c — the report people read, in Japanese by default. The
 * headline comes first and fits on one screen: the case, its year and
 * entity, the totals, one line per measure amount and per organization,
 * project or worker, the warnings and findings one line each, and the stamp
 * of the version and rules that made it. `--trace` adds, measure by measure,
 * the lines each measure wrote for people and every step of its calculation
 * with its rule and source. Built from the result tree and the labels of the
 * schema, so a new measure needs no code here.
 */
#include <inttypes.h>
#include <string.h>

#include "cli.h"
#include "report.h"

const char *render_grouped(int64_t v, char *buf, size_t cap)
{
    char digits[32];
    uint64_t u = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
    snprintf(digits, sizeof digits, "%" PRIu64, u);
    size_t n = strlen(digits), o = 0;
    if (v < 0 && o + 1 < cap)
        buf[o++] = '-';
    for (size_t i = 0; i < n && o + 2 < cap; i++) {
        if (i && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

const char *render_yen(int64_t v, kofu_lang lang, char *buf, size_t cap)
{
    char grouped[48];
    render_grouped(v, grouped, sizeof grouped);
    snprintf(buf, cap, "%s%s", grouped, lang == KOFU_LANG_EN ? " yen" : "円");
    return buf;
}

size_t render_display_width(const char *s)
{
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) == 0x80)
            continue;
        w += (*p >= 0xE0) ? 2 : 1;
    }
    return w;
}

static void pad_to(FILE *out, const char *s, size_t width)
{
    fputs(s, out);
    for (size_t w = render_display_width(s); w < width; w++)
        fputc(' ', out);
}

/* Writes s right-aligned in a column of `width` display cells. */
static void print_right(FILE *out, const char *s, size_t width)
{
    for (size_t w = render_display_width(s); w < width; w++)
        fputc(' ', out);
    fputs(s, out);
}

#define LABEL_WIDTH 40
#define VALUE_WIDTH 16

/* "  label                 1,234,000円" */
static void amount_line(FILE *out, int indent, const char *label, int64_t v,
                        const report_opts *o)
{
    char buf[80];
    fprintf(out, "%*s", indent, "");
    size_t w = LABEL_WIDTH > indent ? (size_t)(LABEL_WIDTH - indent) : 0;
    pad_to(out, label, w);
    fputc(' ', out);
    print_right(out, report_amount(v, o, buf, sizeof buf), VALUE_WIDTH);
    fputc('\n', out);
}

static bool fixed_member(const char *key)
{
    return strcmp(key, "measures") == 0 || strcmp(key, "totals") == 0 ||
           strcmp(key, "meta") == 0;
}

/* A component (the fiscal-capacity adjustment) in one line: its values,
 * and the flags that are set ("係数はケースで指定"). */
static void component_line(FILE *out, const char *name, const kofu_node *v, const report_opts *o)
{
    char lb[160], val[96];
    const char *l = kofu_label(name, o->lang);
    fprintf(out, "■ %s:", l ? l : name);
    const char *sep = " ";
    const char *next_sep = CLI_TR(o->lang, " ・ ", " · ");
    for (size_t i = 0; i < kofu_node_size(v); i++) {
        const char *key = kofu_node_key_at(v, i);
        const kofu_node *m = kofu_node_at(v, i);
        switch (kofu_node_type(m)) {
        case KOFU_NODE_DECIMAL:
        case KOFU_NODE_STRING:
            fprintf(out, "%s%s %s", sep, report_label(name, key, o->lang, lb, sizeof lb),
                    report_value(key, kofu_node_str(m), val, sizeof val));
            break;
        case KOFU_NODE_INT:
            fprintf(out, "%s%s %s", sep, report_label(name, key, o->lang, lb, sizeof lb),
                    report_amount(kofu_node_int(m), o, val, sizeof val));
            break;
        case KOFU_NODE_BOOL:
            if (!kofu_node_bool(m))
                continue;
            fprintf(out, "%s%s", sep, report_label(name, key, o->lang, lb, sizeof lb));
            break;
        default:
            continue;
        }
        sep = next_sep;
    }
    fputc('\n', out);
}

typedef struct text_lines {
    FILE *out;
    const report_opts *o;
} text_lines;

/* A measure's amount under its heading, an item's one step further in. */
static void text_amount(void *ctx, bool item, const char *label, int64_t amount)
{
    const text_lines *t = ctx;
    amount_line(t->out, item ? 4 : 2, label, amount, t->o);
}

static void measure_headline(FILE *out, const kofu_result *r, const char *name, const kofu_node *m,
                             const report_opts *o)
{
    const char *l = kofu_label(name, o->lang);
    const char *own = kofu_node_str(kofu_node_get(m, "name"));
    fprintf(out, "■ %s%s%s%s\n", l ? l : name, own[0] ? " — " : "", own,
            kofu_result_provisional(r, name) ? CLI_TR(o->lang, "  【暫定】", "  [provisional]") : "");
    text_lines t = {out, o};
    report_measure_amounts(name, m, o->lang, text_amount, &t);
}

/* Warnings and findings, one line each. */
static void notices(FILE *out, const kofu_node *root, kofu_lang lang)
{
    const kofu_node *lists[2] = {kofu_node_get(root, "warnings"), kofu_node_get(root, "findings")};
    size_t n = kofu_node_size(lists[0]) + kofu_node_size(lists[1]);
    if (!n)
        return;
    fprintf(out, CLI_TR(lang, "\n■ 注意（%zu件）\n", "\n■ warnings and findings (%zu)\n"), n);
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < kofu_node_size(lists[l]); i++) {
            const kofu_node *w = kofu_node_at(lists[l], i);
            fprintf(out, "  ・[%s] ", kofu_node_str(kofu_node_get(w, "code")));
            for (const char *p = kofu_node_str(kofu_node_get(w, "message")); *p; p++)
                fputc(*p == '\n' ? ' ' : *p, out);
            fputc('\n', out);
        }
}

static void print_header(FILE *out, const kofu_node *root, const kofu_case *c, kofu_lang lang)
{
    const char *id = kofu_node_str(kofu_node_get(root, "case"));
    const char *name = c ? kofu_case_name(c) : "";
    char fy[96];
    report_year((int)kofu_node_int(kofu_node_get(root, "fiscal_year")), lang, fy, sizeof fy);
    fprintf(out, "%s — %s — %s\n", name[0] ? name : id, fy,
            report_entity(kofu_node_str(kofu_node_get(root, "entity")), lang));
    fprintf(out, "%s %s", CLI_TR(lang, "ケース", "case"), id);
    if (c) {
        fprintf(out, "%s%s ", CLI_TR(lang, " ・ ", " · "), CLI_TR(lang, "ファイル", "file"));
        cli_fputs_safe(kofu_case_file(c), out); /* a file name may hold an escape sequence */
    }
    fputc('\n', out);
}

/* ---- --trace: the full calculation ---------------------------------------- */

/* The measure's own report lines, when it wrote any; false otherwise. */
static bool print_report(FILE *out, const kofu_node *lines, const report_opts *o)
{
    char buf[96];
    if (!lines)
        return false;
    for (size_t i = 0; i < kofu_node_size(lines); i++) {
        const kofu_node *l = kofu_node_at(lines, i);
        int indent = 2 + 2 * (int)kofu_node_int(kofu_node_get(l, "indent"));
        const char *label = kofu_node_str(kofu_node_get(l, "label"));
        const kofu_node *amount = kofu_node_get(l, "amount");
        const kofu_node *value = kofu_node_get(l, "value");
        const kofu_node *note = kofu_node_get(l, "note");
        fprintf(out, "%*s", indent, "");
        if (amount || value) {
            pad_to(out, label, 36 - (size_t)indent);
            fputc(' ', out);
            bool percent = strstr(label, "稼働率") || strstr(label, "utilization");
            print_right(out,
                        amount ? report_amount(kofu_node_int(amount), o, buf, sizeof buf)
                               : report_value(percent ? "utilization" : "", kofu_node_str(value),
                                              buf, sizeof buf),
                        VALUE_WIDTH);
        } else {
            fputs(label, out);
        }
        if (note)
            fprintf(out, "  %s", kofu_node_str(note));
        fputc('\n', out);
    }
    return true;
}

/* Scalar members of a result object, for a measure that wrote no report. */
static void print_fields(FILE *out, const char *measure, const kofu_node *obj,
                         const report_opts *o, int indent)
{
    char lb[160], buf[96];
    for (size_t i = 0; i < kofu_node_size(obj); i++) {
        const char *key = kofu_node_key_at(obj, i);
        const kofu_node *v = kofu_node_at(obj, i);
        const char *text;
        switch (kofu_node_type(v)) {
        case KOFU_NODE_INT: text = report_amount(kofu_node_int(v), o, buf, sizeof buf); break;
        case KOFU_NODE_BOOL:
            text = kofu_node_bool(v) ? CLI_TR(o->lang, "はい", "yes") : CLI_TR(o->lang, "いいえ", "no");
            break;
        case KOFU_NODE_DECIMAL:
        case KOFU_NODE_STRING: text = report_value(key, kofu_node_str(v), buf, sizeof buf); break;
        default: continue;
        }
        fprintf(out, "%*s", indent, "");
        pad_to(out, report_label(measure, key, o->lang, lb, sizeof lb), 36 - (size_t)indent);
        fputc(' ', out);
        print_right(out, text, VALUE_WIDTH);
        fputc('\n', out);
    }
}

static bool step_of(const char *step, const char *measure)
{
    size_t n = strlen(measure);
    return strncmp(step, measure, n) == 0 && (step[n] == '.' || step[n] == '[');
}

static void print_steps(FILE *out, const kofu_node *trace, const char *measure, kofu_lang lang)
{
    bool any = false;
    char val[128];
    for (size_t i = 0; i < kofu_node_size(trace); i++) {
        const kofu_node *t = kofu_node_at(trace, i);
        const char *step = kofu_node_str(kofu_node_get(t, "step"));
        if (!step_of(step, measure))
            continue;
        if (!any)
            fputs(CLI_TR(lang, "  計算の過程:\n", "  how it was computed:\n"), out);
        any = true;
        bool prov = strcmp(kofu_node_str(kofu_node_get(t, "status")), "provisional") == 0;
        fprintf(out, "    %s = %s%s\n", step,
                report_value(step, kofu_node_str(kofu_node_get(t, "value")), val, sizeof val),
                prov ? CLI_TR(lang, "  【暫定】", "  [provisional]") : "");
        fprintf(out, "        %s %s\n", CLI_TR(lang, "計算:", "rule:  "),
                kofu_node_str(kofu_node_get(t, "rule")));
        fprintf(out, "        %s %s\n", CLI_TR(lang, "根拠:", "source:"),
                kofu_node_str(kofu_node_get(t, "source")));
    }
}

static void print_calculation(FILE *out, const char *name, const kofu_node *v,
                              const kofu_node *root, const kofu_result *r, const report_opts *o)
{
    const char *l = kofu_label(name, o->lang);
    fprintf(out, "\n■ %s (%s)\n", l ? l : name, name);
    if (!print_report(out, kofu_node_get(kofu_result_report(r), name), o))
        print_fields(out, name, v, o, 2);
    print_steps(out, kofu_node_get(root, "trace"), name, o->lang);
}

static void print_trace(FILE *out, const kofu_result *r, const report_opts *o)
{
    const kofu_node *root = kofu_result_root(r);
    fputs(CLI_TR(o->lang, "\n━━ 計算の過程（措置ごと） ━━\n", "\n━━ the calculation, measure by measure ━━\n"),
          out);
    for (size_t i = 0; i < kofu_node_size(root); i++) {
        const char *key = kofu_node_key_at(root, i);
        const kofu_node *v = kofu_node_at(root, i);
        if (kofu_node_type(v) == KOFU_NODE_OBJECT && !fixed_member(key))
            print_calculation(out, key, v, root, r, o);
    }
    const kofu_node *measures = kofu_node_get(root, "measures");
    for (size_t i = 0; i < kofu_node_size(measures); i++)
        print_calculation(out, kofu_node_key_at(measures, i), kofu_node_at(measures, i), root, r, o);
}

void render_text(FILE *out, const kofu_result *r, const kofu_case *c, const report_opts *o)
{
    const kofu_node *root = kofu_result_root(r);
    char lb[160];
    print_header(out, root, c, o->lang);
    fprintf(out, "\n■ %s\n", CLI_TR(o->lang, "合計", "totals"));
    const kofu_node *totals = kofu_node_get(root, "totals");
    for (size_t i = 0; i < kofu_node_size(totals); i++)
        if (kofu_node_type(kofu_node_at(totals, i)) == KOFU_NODE_INT)
            amount_line(out, 2, report_label("totals", kofu_node_key_at(totals, i), o->lang, lb, sizeof lb),
                        kofu_node_int(kofu_node_at(totals, i)), o);
    fputc('\n', out);
    for (size_t i = 0; i < kofu_node_size(root); i++) {
        const char *key = kofu_node_key_at(root, i);
        const kofu_node *v = kofu_node_at(root, i);
        if (kofu_node_type(v) == KOFU_NODE_OBJECT && !fixed_member(key))
            component_line(out, key, v, o);
    }
    const kofu_node *measures = kofu_node_get(root, "measures");
    for (size_t i = 0; i < kofu_node_size(measures); i++)
        measure_headline(out, r, kofu_node_key_at(measures, i), kofu_node_at(measures, i), o);
    notices(out, root, o->lang);
    if (o->trace)
        print_trace(out, r, o);
    char stamp[1024];
    if (report_stamp(root, o->lang, stamp, sizeof stamp))
        fprintf(out, "\n%s\n", stamp);
}
