/*
 * render_text.c — the report people read: in Japanese by default, amounts as
 * 19,288,000円, each measure with its amounts, the steps that produced them
 * and the source of each, then the totals and the warnings. Built from the
 * result tree and the labels of the schema, so a new measure needs no code
 * here.
 */
#include <inttypes.h>
#include <string.h>

#include "cli.h"

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

static const char *label_for(const char *measure, const char *key, kofu_lang lang, char *buf,
                             size_t cap)
{
    snprintf(buf, cap, "%s.%s", measure, key);
    const char *l = kofu_label(buf, lang);
    return l ? l : key;
}

/* Writes s right-aligned in a column of `width` display cells, the column
 * the measures' report lines use, so both kinds of output line up. */
static void print_right(FILE *out, const char *s, size_t width)
{
    for (size_t w = render_display_width(s); w < width; w++)
        fputc(' ', out);
    fputs(s, out);
}

#define VALUE_WIDTH 16

static void print_value(FILE *out, const kofu_node *v, kofu_lang lang)
{
    char buf[64];
    switch (kofu_node_type(v)) {
    case KOFU_NODE_INT:
        print_right(out, render_yen(kofu_node_int(v), lang, buf, sizeof buf), VALUE_WIDTH);
        break;
    case KOFU_NODE_BOOL:
        print_right(out, kofu_node_bool(v) ? CLI_TR(lang, "はい", "yes") : CLI_TR(lang, "いいえ", "no"),
                    VALUE_WIDTH);
        break;
    default:
        print_right(out, kofu_node_str(v), VALUE_WIDTH);
        break;
    }
}

static void print_fields(FILE *out, const char *measure, const kofu_node *obj, kofu_lang lang,
                         int indent);

static void print_list(FILE *out, const char *measure, const char *key, const kofu_node *arr,
                       kofu_lang lang, int indent)
{
    char lb[128];
    for (size_t i = 0; i < kofu_node_size(arr); i++) {
        const kofu_node *item = kofu_node_at(arr, i);
        const char *id = kofu_node_str(kofu_node_get(item, "id"));
        const char *worker = kofu_node_str(kofu_node_get(item, "worker"));
        fprintf(out, "%*s%s %s\n", indent, "", label_for(measure, key, lang, lb, sizeof lb),
                id[0] ? id : worker[0] ? worker : (kofu_node_get(item, "id") ? "(—)" : ""));
        print_fields(out, measure, item, lang, indent + 4);
    }
}

static void print_fields(FILE *out, const char *measure, const kofu_node *obj, kofu_lang lang,
                         int indent)
{
    char lb[128];
    for (size_t i = 0; i < kofu_node_size(obj); i++) {
        const char *key = kofu_node_key_at(obj, i);
        const kofu_node *v = kofu_node_at(obj, i);
        if (strcmp(key, "id") == 0 || strcmp(key, "worker") == 0)
            continue;
        if (kofu_node_type(v) == KOFU_NODE_ARRAY) {
            print_list(out, measure, key, v, lang, indent);
            continue;
        }
        if (kofu_node_type(v) == KOFU_NODE_OBJECT)
            continue;
        fprintf(out, "%*s", indent, "");
        pad_to(out, label_for(measure, key, lang, lb, sizeof lb), 36 - (size_t)indent);
        fputc(' ', out);
        print_value(out, v, lang);
        fputc('\n', out);
    }
}

/* The measure's own report lines, when it wrote any; false otherwise. */
static bool print_report(FILE *out, const kofu_node *lines, kofu_lang lang)
{
    char buf[64];
    if (!lines)
        return false;
    for (size_t i = 0; i < kofu_node_size(lines); i++) {
        const kofu_node *l = kofu_node_at(lines, i);
        int indent = 2 + 2 * (int)kofu_node_int(kofu_node_get(l, "indent"));
        const kofu_node *amount = kofu_node_get(l, "amount");
        const kofu_node *value = kofu_node_get(l, "value");
        const kofu_node *note = kofu_node_get(l, "note");
        fprintf(out, "%*s", indent, "");
        if (amount || value) {
            pad_to(out, kofu_node_str(kofu_node_get(l, "label")), 36 - (size_t)indent);
            if (amount) {
                const char *y = render_yen(kofu_node_int(amount), lang, buf, sizeof buf);
                fprintf(out, " %*s%s", 16 - (int)render_display_width(y) + (int)strlen(y), y, "");
            } else {
                fprintf(out, " %16s", kofu_node_str(value));
            }
        } else {
            fputs(kofu_node_str(kofu_node_get(l, "label")), out);
        }
        if (note)
            fprintf(out, "  %s", kofu_node_str(note));
        fputc('\n', out);
    }
    return true;
}

static bool step_of(const char *step, const char *measure)
{
    size_t n = strlen(measure);
    return strncmp(step, measure, n) == 0 && (step[n] == '.' || step[n] == '[');
}

static void print_trace(FILE *out, const kofu_node *trace, const char *measure, kofu_lang lang)
{
    bool any = false;
    for (size_t i = 0; i < kofu_node_size(trace); i++) {
        const kofu_node *t = kofu_node_at(trace, i);
        const char *step = kofu_node_str(kofu_node_get(t, "step"));
        if (!step_of(step, measure))
            continue;
        if (!any)
            fputs(CLI_TR(lang, "  計算の過程:\n", "  how it was computed:\n"), out);
        any = true;
        bool prov = strcmp(kofu_node_str(kofu_node_get(t, "status")), "provisional") == 0;
        fprintf(out, "    %s = %s%s\n", step, kofu_node_str(kofu_node_get(t, "value")),
                prov ? CLI_TR(lang, "  【暫定】", "  [provisional]") : "");
        fprintf(out, "        %s %s\n", CLI_TR(lang, "計算:", "rule:  "),
                kofu_node_str(kofu_node_get(t, "rule")));
        fprintf(out, "        %s %s\n", CLI_TR(lang, "根拠:", "source:"),
                kofu_node_str(kofu_node_get(t, "source")));
    }
}

/* One line saying what made the report: the kofu version, the rule data
 * (built-in or which directory, and the first 12 hex digits of its digest:
 * enough to tell two rule sets apart at a glance) and when. */
static void print_stamp(FILE *out, const kofu_node *meta, kofu_lang lang)
{
    if (!meta)
        return;
    const kofu_node *rules = kofu_node_get(meta, "rules");
    const char *path = kofu_node_str(kofu_node_get(rules, "path"));
    bool dir = strcmp(kofu_node_str(kofu_node_get(rules, "origin")), "directory") == 0;
    const char *digest = kofu_node_str(kofu_node_get(rules, "sha256"));
    int n = (int)strnlen(digest, 12);
    const char *version = kofu_node_str(kofu_node_get(meta, "kofu_version"));
    const char *when = kofu_node_str(kofu_node_get(meta, "computed_at"));
    if (lang == KOFU_LANG_EN)
        fprintf(out, "kofu %s · rules: %s%s (sha256 %.*s) · computed %s\n", version,
                dir ? "directory " : "built-in", dir ? path : "", n, digest, when);
    else
        fprintf(out, "kofu %s・ルール: %s%s（sha256 %.*s）・計算日時: %s\n", version,
                dir ? "ディレクトリ " : "組み込み", dir ? path : "", n, digest, when);
}

static void print_header(FILE *out, const kofu_node *root, const kofu_case *c, kofu_lang lang)
{
    const char *name = c ? kofu_case_name(c) : "";
    char fy[64];
    kofu_fy_format((int)kofu_node_int(kofu_node_get(root, "fiscal_year")), lang, fy, sizeof fy);
    bool pref = strcmp(kofu_node_str(kofu_node_get(root, "entity")), "prefecture") == 0;
    if (lang == KOFU_LANG_EN)
        fprintf(out, "Case %s%s%s%s — %s — %s\n", kofu_node_str(kofu_node_get(root, "case")),
                name[0] ? " (" : "", name, name[0] ? ")" : "", fy, pref ? "prefecture" : "municipality");
    else
        fprintf(out, "ケース %s%s%s%s — %s — %s\n", kofu_node_str(kofu_node_get(root, "case")),
                name[0] ? "（" : "", name, name[0] ? "）" : "", fy, pref ? "道府県" : "市町村");
    if (c)
        fprintf(out, "%s %s\n", CLI_TR(lang, "ファイル:", "file:"), kofu_case_file(c));
    print_stamp(out, kofu_node_get(root, "meta"), lang);
}

void render_text(FILE *out, const kofu_result *r, const kofu_case *c, kofu_lang lang)
{
    const kofu_node *root = kofu_result_root(r);
    const kofu_node *report = kofu_result_report(r);
    print_header(out, root, c, lang);
    const kofu_node *trace = kofu_node_get(root, "trace");
    /* components (top-level objects other than the fixed ones) first */
    for (size_t i = 0; i < kofu_node_size(root); i++) {
        const char *key = kofu_node_key_at(root, i);
        const kofu_node *v = kofu_node_at(root, i);
        if (kofu_node_type(v) != KOFU_NODE_OBJECT || strcmp(key, "measures") == 0 ||
            strcmp(key, "totals") == 0 || strcmp(key, "meta") == 0)
            continue;
        const char *l = kofu_label(key, lang);
        fprintf(out, "\n■ %s (%s)\n", l ? l : key, key);
        if (!print_report(out, kofu_node_get(report, key), lang))
            print_fields(out, key, v, lang, 2);
        print_trace(out, trace, key, lang);
    }
    const kofu_node *measures = kofu_node_get(root, "measures");
    for (size_t i = 0; i < kofu_node_size(measures); i++) {
        const char *name = kofu_node_key_at(measures, i);
        const char *l = kofu_label(name, lang);
        fprintf(out, "\n■ %s (%s)\n", l ? l : name, name);
        if (!print_report(out, kofu_node_get(report, name), lang))
            print_fields(out, name, kofu_node_at(measures, i), lang, 2);
        print_trace(out, trace, name, lang);
    }
    fprintf(out, "\n■ %s\n", CLI_TR(lang, "合計", "totals"));
    print_fields(out, "totals", kofu_node_get(root, "totals"), lang, 2);
    const kofu_node *warnings = kofu_node_get(root, "warnings");
    if (kofu_node_size(warnings)) {
        fprintf(out, "\n■ %s\n", CLI_TR(lang, "注意", "warnings"));
        for (size_t i = 0; i < kofu_node_size(warnings); i++) {
            const kofu_node *w = kofu_node_at(warnings, i);
            fprintf(out, "  ・[%s] %s\n", kofu_node_str(kofu_node_get(w, "code")),
                    kofu_node_str(kofu_node_get(w, "message")));
        }
    }
}
