/* report.c — how the reports for people show amounts, years, ratios and the
 * items of a result (see report.h). */
#include "report.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

const char *report_unit_name(const report_opts *o)
{
    if (o->unit == 1000)
        return CLI_TR(o->lang, "千円", " thousand yen");
    return CLI_TR(o->lang, "円", " yen");
}

const char *report_amount_bare(int64_t v, const report_opts *o, char *buf, size_t cap)
{
    uint64_t mag = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
    uint64_t unit = o->unit > 1 ? (uint64_t)o->unit : 1;
    char grouped[48], frac[8] = "";
    render_grouped((int64_t)(mag / unit), grouped, sizeof grouped);
    if (unit == 1000 && mag % 1000) {
        /* exact: 3,500,500 yen is 3,500.5 thousand, never 3,501 */
        snprintf(frac, sizeof frac, ".%03u", (unsigned)(mag % 1000));
        for (size_t n = strlen(frac); n > 1 && frac[n - 1] == '0'; n--)
            frac[n - 1] = '\0';
    }
    const char *sign = v >= 0 ? "" : o->lang == KOFU_LANG_EN ? "-" : "△";
    snprintf(buf, cap, "%s%s%s", sign, grouped, frac);
    return buf;
}

const char *report_amount(int64_t v, const report_opts *o, char *buf, size_t cap)
{
    char bare[64];
    snprintf(buf, cap, "%s%s", report_amount_bare(v, o, bare, sizeof bare), report_unit_name(o));
    return buf;
}

const char *report_year(int fy, kofu_lang lang, char *buf, size_t cap)
{
    if (lang == KOFU_LANG_EN) {
        kofu_fy_format(fy, lang, buf, cap);
        return buf;
    }
    /* kofu_fy_format: "令和7年度 (FY2025)"; the report writes the Western
     * year the way a Japanese document does */
    char ja[64];
    kofu_fy_format(fy, lang, ja, sizeof ja);
    char *paren = strstr(ja, " (");
    if (paren)
        *paren = '\0';
    snprintf(buf, cap, "%s（%d年度）", ja, fy);
    return buf;
}

const char *report_entity(const char *entity, kofu_lang lang)
{
    bool pref = entity && strcmp(entity, "prefecture") == 0;
    if (lang == KOFU_LANG_EN)
        return pref ? "prefecture" : "municipality";
    return pref ? "道府県" : "市町村";
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

const char *report_value(const char *key, const char *exact, char *buf, size_t cap)
{
    if (all_digits(exact) && strlen(exact) < 19) {
        int64_t v = 0;
        sscanf(exact, "%" SCNd64, &v);
        return render_grouped(v, buf, cap);
    }
    bool percent = key && strstr(key, "utilization") != NULL;
    kofu_ratio_display(exact, percent, buf, cap);
    return buf;
}

bool report_is_item_list(const char *key, const kofu_node *v)
{
    if (kofu_node_type(v) != KOFU_NODE_ARRAY || strcmp(key, "violations") == 0)
        return false;
    const kofu_node *first = kofu_node_at(v, 0);
    return first && kofu_node_type(first) == KOFU_NODE_OBJECT && kofu_node_get(first, "id");
}

const char *report_item_title(const kofu_node *item, kofu_lang lang)
{
    const char *name = kofu_node_str(kofu_node_get(item, "name"));
    if (name[0])
        return name;
    const char *id = kofu_node_str(kofu_node_get(item, "id"));
    return id[0] ? id : CLI_TR(lang, "（無名）", "(unnamed)");
}

const kofu_node *report_item_amount(const kofu_node *item, const char **key)
{
    static const char *const preferred[] = {"grant", "special_tax_grant", "eligible_cost",
                                            "expenses", "eligible_personnel", "personnel_cost"};
    for (size_t i = 0; i < sizeof preferred / sizeof preferred[0]; i++) {
        const kofu_node *v = kofu_node_get(item, preferred[i]);
        if (v && kofu_node_type(v) == KOFU_NODE_INT) {
            *key = preferred[i];
            return v;
        }
    }
    for (size_t i = 0; i < kofu_node_size(item); i++)
        if (kofu_node_type(kofu_node_at(item, i)) == KOFU_NODE_INT) {
            *key = kofu_node_key_at(item, i);
            return kofu_node_at(item, i);
        }
    return NULL;
}

const char *report_item_label(const char *measure, const char *key, kofu_lang lang, char *buf,
                              size_t cap)
{
    /* the short word a line per organization needs: its heading says the rest */
    static const struct { const char *key, *ja, *en; } shorts[] = {
        {"eligible_cost", "対象経費", "eligible cost"},
        {"expenses", "経費", "expenses"},
        {"grant", "交付金額", "grant"},
        {"personnel_cost", "人件費", "personnel cost"},
    };
    for (size_t i = 0; i < sizeof shorts / sizeof shorts[0]; i++)
        if (strcmp(key, shorts[i].key) == 0) {
            snprintf(buf, cap, "%s", CLI_TR(lang, shorts[i].ja, shorts[i].en));
            return buf;
        }
    return report_label(measure, key, lang, buf, cap);
}

const char *report_label(const char *measure, const char *key, kofu_lang lang, char *buf,
                         size_t cap)
{
    char dotted[160];
    snprintf(dotted, sizeof dotted, "%s.%s", measure, key);
    const char *l = kofu_label(dotted, lang);
    snprintf(buf, cap, "%s", l ? l : key);
    return buf;
}

bool report_stamp(const kofu_node *root, kofu_lang lang, char *buf, size_t cap)
{
    /* the version, the rule data (built-in or which directory, and the first
     * 12 hex digits of its digest: enough to tell two rule sets apart at a
     * glance) and when */
    const kofu_node *meta = kofu_node_get(root, "meta");
    buf[0] = '\0';
    if (!meta)
        return false;
    const kofu_node *rules = kofu_node_get(meta, "rules");
    const char *path = kofu_node_str(kofu_node_get(rules, "path"));
    bool dir = strcmp(kofu_node_str(kofu_node_get(rules, "origin")), "directory") == 0;
    const char *digest = kofu_node_str(kofu_node_get(rules, "sha256"));
    int n = (int)strnlen(digest, 12);
    const char *version = kofu_node_str(kofu_node_get(meta, "kofu_version"));
    const char *when = kofu_node_str(kofu_node_get(meta, "computed_at"));
    if (lang == KOFU_LANG_EN)
        snprintf(buf, cap, "kofu %s · rules: %s%s (sha256 %.*s) · computed %s", version,
                 dir ? "directory " : "built-in", dir ? path : "", n, digest, when);
    else
        snprintf(buf, cap, "kofu %s・ルール: %s%s（sha256 %.*s）・計算日時: %s", version,
                 dir ? "ディレクトリ " : "組み込み", dir ? path : "", n, digest, when);
    return true;
}

void report_measure_amounts(const char *name, const kofu_node *m, kofu_lang lang,
                            report_amount_line line, void *ctx)
{
    char lb[160], title[320];
    for (size_t h = 0; h < kofu_headline_count(); h++) {
        const char *measure, *amount;
        kofu_headline_at(h, &measure, &amount);
        const kofu_node *v = strcmp(measure, name) == 0 ? kofu_node_get(m, amount) : NULL;
        if (v && kofu_node_type(v) == KOFU_NODE_INT)
            line(ctx, false, report_label(name, amount, lang, lb, sizeof lb), kofu_node_int(v));
    }
    for (size_t i = 0; i < kofu_node_size(m); i++) {
        const kofu_node *list = kofu_node_at(m, i);
        if (!report_is_item_list(kofu_node_key_at(m, i), list))
            continue;
        for (size_t k = 0; k < kofu_node_size(list); k++) {
            const kofu_node *item = kofu_node_at(list, k);
            if (kofu_node_size(list) == 1 && !kofu_node_str(kofu_node_get(item, "id"))[0] &&
                !kofu_node_str(kofu_node_get(item, "name"))[0])
                continue; /* the measure's own line already says it */
            const char *key = NULL;
            const kofu_node *v = report_item_amount(item, &key);
            if (!v)
                continue;
            snprintf(title, sizeof title, CLI_TR(lang, "%s（%s）", "%s (%s)"),
                     report_item_title(item, lang), report_item_label(name, key, lang, lb, sizeof lb));
            line(ctx, true, title, kofu_node_int(v));
        }
    }
}
