/* rules_diff.c — which parameters of rules read from a directory differ from
 * the built-in data, for the rules_edited warning (see params.h). */
#include <stdlib.h>
#include <string.h>

#include "fy.h"
#include "params.h"
#include "util.h"

/* The value as written in rule data: "16000000", or "linear {0:0, 0.8:1}". */
static char *value_text(const param_def *p, const param_value *v)
{
    if (p->kind != PARAM_TABLE)
        return num_to_string(&v->value);
    return xasprintf("%s {%s}%s%s", v->interp == INTERP_STEP ? "step" : "linear", v->points_text,
                     v->rounded ? " " : "", v->rounded ? num_rounding_name(v->rounding) : "");
}

static const param_value *value_from(const param_def *p, int fy)
{
    for (size_t i = 0; p && i < p->n_values; i++)
        if (p->values[i].from_fy == fy)
            return &p->values[i];
    return NULL;
}

/* Appends "（R3〜）: 15000000 → 16000000" for each fiscal year whose value
 * differs, in both languages; true when any did. */
static bool diff_param(const param_def *now, const param_def *was, strbuf *ja, strbuf *en)
{
    bool any = false;
    int years[64];
    size_t n = 0;
    const param_def *both[2] = {was, now};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; both[k] && i < both[k]->n_values && n < 64; i++) {
            size_t j = 0;
            while (j < n && years[j] != both[k]->values[i].from_fy)
                j++;
            if (j == n)
                years[n++] = both[k]->values[i].from_fy;
        }
    for (size_t i = 0; i < n; i++) {
        const param_value *a = value_from(was, years[i]), *b = value_from(now, years[i]);
        char *at = a ? value_text(was, a) : xstrdup("—");
        char *bt = b ? value_text(now, b) : xstrdup("—");
        if (at && bt && strcmp(at, bt) != 0) {
            char era[32];
            fy_format_era(years[i], era, sizeof era);
            /* a value changed under the built-in citation cites a source
             * that does not say so */
            bool same_cite = a && b && strcmp(a->cite_text[0], b->cite_text[0]) == 0;
            sb_printf(ja, "%s（%s〜）: %s → %s%s", any ? "、" : "", era, at, bt,
                      same_cite ? "（出典の記載は組み込みのまま）" : "");
            sb_printf(en, "%s (%s on): %s → %s%s", any ? "," : "", era, at, bt,
                      same_cite ? " (its citation is still the built-in one)" : "");
            any = true;
        }
        free(at);
        free(bt);
    }
    return any;
}

kofu_status rules_find_edits(kofu_rules *r)
{
    kofu_rules *builtin = NULL;
    kofu_status st = kofu_rules_load_builtin(NULL, &builtin);
    if (st != KOFU_OK)
        return st;
    for (size_t m = 0; m < r->n_measures && st == KOFU_OK; m++) {
        const measure_rules *mr = &r->measures[m], *bm = &builtin->measures[m];
        for (size_t i = 0; i < mr->n_params && st == KOFU_OK; i++) {
            const param_def *p = &mr->params[i];
            strbuf ja = {0}, en = {0};
            if (!diff_param(p, rules_param(bm, p->name), &ja, &en)) {
                sb_free(&ja);
                sb_free(&en);
                continue;
            }
            param_edit *e = realloc(r->edits, (r->n_edits + 1) * sizeof *e);
            char *tj = sb_take(&ja), *te = sb_take(&en);
            if (!e || !tj || !te) {
                free(tj);
                free(te);
                if (e)
                    r->edits = e;
                st = KOFU_ENOMEM;
                break;
            }
            r->edits = e;
            e[r->n_edits].measure = mr->measure->name;
            e[r->n_edits].text[0] = xasprintf("%s.%s%s", mr->measure->name, p->name, tj);
            e[r->n_edits].text[1] = xasprintf("%s.%s%s", mr->measure->name, p->name, te);
            r->n_edits++;
            free(tj);
            free(te);
            if (!e[r->n_edits - 1].text[0] || !e[r->n_edits - 1].text[1])
                st = KOFU_ENOMEM;
        }
    }
    kofu_rules_free(&builtin);
    return st;
}
