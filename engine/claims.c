/* claims.c — checking a case's [claim] amounts against its result
 * (kofu_result_check_claims, used by `kofu check` and `kofu batch`).
 *
 * For each claim the auditor gets the claimed and the computed amount, their
 * difference and the trace steps behind the computed amount, so a mismatch
 * can be pinned to a rule and its source. Which steps: those of the claimed
 * amount's measure up to the last step that produces that amount (a later
 * step cannot have contributed to it), preceded by the steps of the
 * component the measure requires (the 財政力補正 enters every RMO grant). For
 * a total, the same for every measure present that contributes to it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "claims.h"
#include "node.h"
#include "registry.h"
#include "util.h"

/* "network[a].grant" / "network.grant" belongs to "network"; returns the
 * leaf ("grant") or NULL when the step is another measure's. Ids may hold
 * dots, so the leaf is what follows the closing bracket. */
const char *step_leaf(const char *step, const char *measure)
{
    size_t n = strlen(measure);
    if (strncmp(step, measure, n) != 0)
        return NULL;
    if (step[n] == '.')
        return step + n + 1;
    if (step[n] != '[')
        return NULL;
    const char *close = strstr(step + n, "].");
    return close ? close + 2 : NULL;
}

static bool has_flagged_leaf(const measure_def *md, const char *leaf, unsigned flag)
{
    for (const output_def *o = md->outputs; o && o->name; o++)
        if ((o->flags & flag) && strcmp(o->name, leaf) == 0)
            return true;
    return false;
}

/* Index just past the last step of `md` whose leaf is `amount` (or, with
 * flag != 0, any output carrying flag); the trace size when none does. */
static size_t cut_after(const kofu_node *trace, const measure_def *md, const char *amount,
                        unsigned flag)
{
    size_t cut = 0;
    for (size_t i = 0; i < kofu_node_size(trace); i++) {
        const char *leaf =
            step_leaf(kofu_node_str(kofu_node_get(kofu_node_at(trace, i), "step")), md->name);
        if (leaf && (flag ? has_flagged_leaf(md, leaf, flag) : strcmp(leaf, amount) == 0))
            cut = i + 1;
    }
    return cut ? cut : kofu_node_size(trace);
}

/* A per-section step (network[a].remaining_cost) of another output of the
 * measure than the claimed amount, which no step up to the cut names in its
 * rule: computed beside the claimed amount, not into it. Measure-level steps
 * are always kept: there an earlier output is usually an input. */
static bool sibling_output(const kofu_node *trace, size_t cut, const measure_def *md,
                           const char *step, const char *leaf, const char *amount)
{
    if (step[strlen(md->name)] != '[' || strcmp(leaf, amount) == 0 ||
        has_flagged_leaf(md, leaf, OUT_TOTAL_SPECIAL | OUT_TOTAL_NATIONAL))
        return false;
    bool output = false;
    for (const output_def *o = md->outputs; o && o->name; o++)
        output |= strcmp(o->name, leaf) == 0;
    if (!output)
        return false;
    for (size_t i = 0; i < cut; i++) {
        const char *rule = kofu_node_str(kofu_node_get(kofu_node_at(trace, i), "rule"));
        for (const char *p = strstr(rule, leaf); p; p = strstr(p + 1, leaf)) {
            char before = p > rule ? p[-1] : ' ', after = p[strlen(leaf)];
            bool word = !(before == '_' || (before >= 'a' && before <= 'z')) &&
                        !(after == '_' || (after >= 'a' && after <= 'z'));
            if (word)
                return false;
        }
    }
    return true;
}

/* Which measures a claim draws on, and up to which trace index. */
typedef struct selection {
    size_t *cut;   /* per registry index: 0 = not selected, else steps [0, cut) */
} selection;

static void select_measure(selection *sel, const kofu_node *trace, size_t m, const char *amount,
                           unsigned flag)
{
    const measure_def *md = registry_at(m);
    sel->cut[m] = cut_after(trace, md, amount, flag);
    int comp = md->requires ? registry_find(md->requires) : -1;
    if (comp >= 0)
        sel->cut[comp] = kofu_node_size(trace);
}

static kofu_node *steps_for(const kofu_node *trace, const kofu_case *c, const char *claim_key)
{
    size_t n = registry_count();
    selection sel = {calloc(n ? n : 1, sizeof *sel.cut)};
    if (!sel.cut)
        return NULL;
    const char *dot = strchr(claim_key, '.');
    const char *amount = dot ? dot + 1 : "";
    if (strncmp(claim_key, "totals.", 7) == 0) {
        unsigned flag = strcmp(amount, "special_tax_grant") == 0 ? OUT_TOTAL_SPECIAL
                                                                  : OUT_TOTAL_NATIONAL;
        for (size_t m = 0; m < n; m++) {
            const measure_def *md = registry_at(m);
            bool contributes = false;
            for (const output_def *o = md->outputs; o && o->name; o++)
                contributes |= (o->flags & flag) != 0;
            if (c->present[m] && contributes)
                select_measure(&sel, trace, m, amount, flag);
        }
    } else {
        for (size_t m = 0; dot && m < n; m++) {
            const char *name = registry_at(m)->name;
            if (strlen(name) == (size_t)(dot - claim_key) &&
                strncmp(name, claim_key, (size_t)(dot - claim_key)) == 0)
                select_measure(&sel, trace, m, amount, 0);
        }
    }
    kofu_node *steps = node_array(NULL);
    for (size_t i = 0; i < kofu_node_size(trace); i++) {
        const kofu_node *t = kofu_node_at(trace, i);
        const char *step = kofu_node_str(kofu_node_get(t, "step"));
        for (size_t m = 0; m < n; m++) {
            const char *leaf = i < sel.cut[m] ? step_leaf(step, registry_at(m)->name) : NULL;
            if (leaf && !sibling_output(trace, sel.cut[m], registry_at(m), step, leaf, amount)) {
                node_push(steps, node_clone(NULL, t));
                break;
            }
        }
    }
    free(sel.cut);
    return steps;
}

/* The amounts a total sums: every output of a measure present that is
 * flagged into it, in registry order. *n_out terms are written to out
 * (room for `cap`), each with its step (the last trace step of that name)
 * pushed onto `terms`. */
static size_t total_terms(const kofu_node *root, const kofu_case *c, const char *amount,
                          claim_term *out, size_t cap, char keys[][96], kofu_node *terms)
{
    unsigned flag = strcmp(amount, "special_tax_grant") == 0 ? OUT_TOTAL_SPECIAL : OUT_TOTAL_NATIONAL;
    const kofu_node *trace = kofu_node_get(root, "trace");
    const kofu_node *measures = kofu_node_get(root, "measures");
    size_t n = 0;
    for (size_t m = 0; m < registry_count(); m++) {
        const measure_def *md = registry_at(m);
        for (const output_def *o = md->outputs; c->present[m] && o && o->name && n < cap; o++) {
            if (!(o->flags & flag))
                continue;
            snprintf(keys[n], 96, "%s.%s", md->name, o->name);
            out[n].key = keys[n];
            out[n].value = kofu_node_int(kofu_node_get(node_key(measures, md->name), o->name));
            kofu_node *t = node_object(NULL);
            node_set_static(t, "key", node_string(NULL, keys[n]));
            node_set_static(t, "amount", node_int(NULL, out[n].value));
            const kofu_node *last = NULL;
            for (size_t i = 0; i < kofu_node_size(trace); i++)
                if (strcmp(kofu_node_str(kofu_node_get(kofu_node_at(trace, i), "step")), keys[n]) == 0)
                    last = kofu_node_at(trace, i);
            if (last)
                node_set_static(t, "step", node_clone(NULL, last));
            node_push(terms, t);
            n++;
        }
    }
    return n;
}

/* The diagnosis and, for a total, the amounts it sums. */
static void explain(kofu_node *o, const kofu_node *root, const kofu_case *c, const char *key,
                    int64_t claimed, const kofu_node *v, const kofu_node *steps, kofu_lang lang)
{
    claim_term terms[16];
    char keys[16][96];
    size_t n = 0;
    if (strncmp(key, "totals.", 7) == 0) {
        kofu_node *arr = node_array(NULL);
        n = total_terms(root, c, key + 7, terms, 16, keys, arr);
        node_set_static(o, "terms", arr);
    }
    if (!v || kofu_node_type(v) != KOFU_NODE_INT || kofu_node_int(v) == claimed)
        return;
    const char *code = NULL;
    char *text = diagnose_claim(key, claimed, kofu_node_int(v), steps, terms, n, lang, &code);
    if (code) {
        node_set_static(o, "diagnosis", node_string_static(NULL, code));
        node_set_static(o, "explanation", node_string(NULL, text ? text : ""));
    }
    free(text);
}

kofu_status kofu_result_check_claims(const kofu_result *r, const kofu_case *c, kofu_node **out)
{
    if (!r || !c || !out)
        return KOFU_EUSAGE;
    *out = NULL;
    kofu_node *arr = node_array(NULL);
    const kofu_node *root = kofu_result_root(r);
    const kofu_node *trace = kofu_node_get(root, "trace");
    for (size_t i = 0; arr && i < c->n_claims; i++) {
        const case_claim *cl = &c->claims[i];
        char *path = strncmp(cl->key, "totals.", 7) == 0 ? xstrdup(cl->key)
                                                           : xasprintf("measures.%s", cl->key);
        const kofu_node *v = path ? kofu_node_get(root, path) : NULL;
        free(path);
        int64_t claimed = 0;
        num_to_int64(&cl->amount, &claimed);
        kofu_node *o = node_object(NULL);
        node_set_static(o, "key", node_string(NULL, cl->key));
        node_set_static(o, "line", node_int(NULL, cl->line));
        node_set_static(o, "claimed", node_int(NULL, claimed));
        /* An amount the case cannot determine (cooperative.balance without
         * usage_fee_income) has no computed value: a claim on it never matches. */
        if (v && kofu_node_type(v) == KOFU_NODE_INT) {
            node_set_static(o, "computed", node_int(NULL, kofu_node_int(v)));
            node_set_static(o, "difference", node_int(NULL, claimed - kofu_node_int(v)));
        }
        kofu_node *steps = steps_for(trace, c, cl->key);
        node_set_static(o, "steps", steps);
        explain(o, root, c, cl->key, claimed, v, steps, eval_result_lang(r));
        node_push(arr, o);
    }
    if (!arr || node_failed(arr)) {
        kofu_node_free(&arr);
        return KOFU_ENOMEM;
    }
    *out = arr;
    return KOFU_OK;
}
