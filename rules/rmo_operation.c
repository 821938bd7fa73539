/*
 * rmo_operation.c — 地域運営組織の運営支援・住民共助 (docs/measures/rmo_operation.md).
 *
 * Operating support and mutual-aid activities are funded by the 普通交付税;
 * what the municipality spends above the 普通交付税算定額 for them gets a
 * 特別交付税:
 *   expenses          = [rmo_operation] expenses + Σ [rmo_operation.<org>] expenses
 *   excess_cost       = max(0, expenses − ordinary_grant)
 *   special_tax_grant = half_up_1000(excess_cost × measure_rate × f)   (shared_rmo.c)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "shared_rmo.h"

/* [rmo_operation]: the municipality-wide ordinary grant, and expenses not
 * split by organization; [rmo_operation.<org>]: one organization's expenses. */
static const key_def keys[] = {
    {"expenses", KEY_AMOUNT, 0, NULL, NULL, "運営支援・住民共助の経費（合計）",
     "operating support and mutual-aid expenses (total)"},
    {"ordinary_grant", KEY_AMOUNT, KEY_REQUIRED, NULL, NULL, "普通交付税算定額（同じ経費の分）",
     "ordinary tax grant computed for those items"},
    {NULL, 0, 0, NULL, NULL, NULL, NULL},
};

static const key_def org_keys[] = {
    {"expenses", KEY_AMOUNT, KEY_REQUIRED, NULL, NULL, "運営支援・住民共助の経費（組織分）",
     "operating support and mutual-aid expenses (this organization)"},
    {"name", KEY_TEXT, 0, NULL, NULL, "名称（報告に表示）", "name (shown in reports)"},
    {NULL, 0, 0, NULL, NULL, NULL, NULL},
};

static const section_def sections[] = {
    {"rmo_operation", SEC_PLAIN, keys, "地域運営組織の運営支援・住民共助",
     "RMO operation and mutual-aid support"},
    {"rmo_operation", SEC_SUFFIXED, org_keys, "地域運営組織（運営支援・住民共助）",
     "regional management organization (operation)"},
    {NULL, 0, NULL, NULL, NULL},
};

static const param_decl params[] = {
    {NULL, 0, 0, NULL, NULL},
};

static const output_def outputs[] = {
    {"excess_cost", OUT_CLAIMABLE, "普通交付税算定額を上回る経費", "cost above the ordinary tax grant"},
    {"special_tax_grant", OUT_CLAIMABLE | OUT_HEADLINE | OUT_TOTAL_SPECIAL, "特別交付税",
     "special tax grant"},
    {"organizations", 0, "組織", "organizations"},
    {NULL, 0, NULL, NULL},
};

/* Citations of the bibliography (rules/sources.params). */
#define SOURCE "soumu_rmo_r7 地方財政措置（概要） 運営支援・住民共助（普通交付税算定額を上回る経費）"
static const char *const citations[] = {RMO_CITE_RATE, RMO_CITE_ROUND, NULL};

/* [rmo_operation] must be there for its ordinary_grant, and someone must
 * give expenses. */
static void validate(case_check *chk)
{
    const case_section *plain = NULL, *first = NULL;
    bool any_expenses = false;
    for (size_t i = 0; i < check_count(chk); i++) {
        const case_section *s = check_section(chk, i);
        if (!sec_id(s)[0])
            plain = s;
        first = first ? first : s;
        any_expenses = any_expenses || sec_has(s, "expenses");
    }
    if (first && !plain)
        check_error(chk, first, NULL,
                    "[rmo_operation] セクションがありません（普通交付税算定額 ordinary_grant は町全体の額として "
                    "[rmo_operation] に書きます）",
                    "no [rmo_operation] section (the ordinary_grant, a municipality-wide figure, goes "
                    "in [rmo_operation])");
    else if (plain && !any_expenses)
        check_error(chk, plain, "expenses",
                    "経費がありません（[rmo_operation] か組織ごとの [rmo_operation.<ID>] に expenses を書いてください）",
                    "no expenses given (write expenses in [rmo_operation] or in one [rmo_operation.<id>] "
                    "per organization)");
}

/* The expenses of every section, each traced and reported; their sum.
 * terms: room for every section's expenses and the municipality-wide ones. */
static const kofu_num *all_expenses(kofu_eval *ev, const case_section **plain, kofu_node *orgs,
                                    ev_term *terms)
{
    size_t n = ev_count(ev, "rmo_operation"), n_orgs = 0;
    for (size_t i = 0; i < n; i++) {
        const case_section *s = ev_section(ev, "rmo_operation", i);
        const char *id = sec_id(s);
        if (!id[0]) {
            *plain = s;
            continue;
        }
        const kofu_num *v = ev_case_value(ev, s, id, "expenses", NULL, NULL);
        ev_report(ev, 1, ev_section_title(s), v, "[%s] expenses", sec_name(s));
        terms[n_orgs++] = EV_TS(v, id, "expenses");
        kofu_node *o = node_object(ev_nodes(ev));
        node_set_static(o, "id", node_string(ev_nodes(ev), id));
        ev_put_name(ev, o, s);
        ev_put_amount(ev, o, "expenses", v);
        node_push(orgs, o);
    }
    const kofu_num *own = *plain ? rmo_case_amount(ev, *plain, NULL, "expenses",
                                                   EV_TR(ev, keys[0].label_ja, keys[0].label_en),
                                                   n_orgs ? 1 : 0)
                                 : NULL;
    terms[n_orgs] = EV_T(own, "expenses");
    if (!n_orgs)
        return own;
    const kofu_num *sum = ev_sum(ev, NULL, "expenses_total", terms, n_orgs + 1, NULL);
    ev_report(ev, 0, EV_TR(ev, "運営支援・住民共助の経費（合計）", "operating support and mutual-aid expenses (total)"),
              sum, EV_TR(ev, "%zu組織%s", "%zu organization(s)%s"), n_orgs,
              own ? EV_TR(ev, "と町全体の分", " and the municipality-wide part") : "");
    return sum;
}

static kofu_status evaluate(kofu_eval *ev)
{
    const case_section *s = NULL;
    kofu_node *orgs = node_array(ev_nodes(ev));
    size_t n = ev_count(ev, "rmo_operation");
    if (n > 1)
        ev_report(ev, 0, EV_TR(ev, "運営支援・住民共助の経費（組織ごと）", "expenses, by organization"), NULL, NULL);
    ev_term *terms = calloc(n + 1, sizeof *terms);
    if (!terms)
        return KOFU_ENOMEM;
    const kofu_num *expenses = all_expenses(ev, &s, orgs, terms);
    free(terms);
    if (!s || !expenses)
        return KOFU_ECASE; /* validate() has said why */
    const kofu_num *ordinary =
        rmo_case_amount(ev, s, NULL, "ordinary_grant", EV_TR(ev, keys[1].label_ja, keys[1].label_en), 0);
    const kofu_num *over = ev_sub(ev, NULL, "expenses_over_ordinary",
                                  EV_T(expenses, n > 1 ? "expenses_total" : "expenses"),
                                  EV_T(ordinary, "ordinary_grant"), NULL);
    bool below = num_sign(over) < 0;
    const kofu_num *excess = ev_max(ev, NULL, "excess_cost", EV_T(ev_int(ev, 0), "0"),
                                    EV_T(over, "expenses_over_ordinary"), NULL);
    char a[64], b[64];
    if (ev_tracing(ev))
        ev_report(ev, 0, EV_TR(ev, "普通交付税算定額を上回る経費", "cost above the ordinary tax grant"),
                  excess,
                  below ? EV_TR(ev, "経費が普通交付税算定額を下回るため 0（%s − %s は負）",
                                "0: expenses are below the ordinary tax grant (%s − %s is negative)")
                        : "max(0, %s − %s)",
                  rmo_yen(ev, expenses, a, sizeof a), rmo_yen(ev, ordinary, b, sizeof b));
    const kofu_num *grant = rmo_special_tax_grant(ev, excess, "excess_cost");
    kofu_node *out = ev_out(ev);
    ev_put_amount(ev, out, "excess_cost", excess);
    ev_put_amount(ev, out, "special_tax_grant", grant);
    if (n > 1)
        node_set_static(out, "organizations", orgs);
    return KOFU_OK;
}

const measure_def measure_rmo_operation = {
    .name = "rmo_operation",
    .label_ja = "地域運営組織の運営支援・住民共助",
    .label_en = "RMO operation and mutual-aid support",
    .requires = "fiscal_capacity",
    .source = SOURCE,
    .citations = citations,
    .sections = sections,
    .params = params,
    .outputs = outputs,
    .validate = validate,
    .evaluate = evaluate,
};
