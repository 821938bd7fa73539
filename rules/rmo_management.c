/*
 * rmo_management.c — 地域運営組織の経営力強化支援 (docs/measures/rmo_management.md), a 特別交付税
 * open to prefectures (with the 道府県 factor) and municipalities.
 *   eligible_cost     = training + survey + equipment + market_development + other,
 *                       over [rmo_management] and every [rmo_management.<org>]
 *   special_tax_grant = half_up_1000(eligible_cost × measure_rate × f)   (shared_rmo.c)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "shared_rmo.h"

static const key_def keys[] = {
    {"training", KEY_AMOUNT, 0, NULL, NULL, "研修に要する経費", "training"},
    {"survey", KEY_AMOUNT, 0, NULL, NULL, "調査に要する経費", "surveys"},
    {"equipment", KEY_AMOUNT, 0, NULL, NULL, "設備導入に要する経費", "equipment"},
    {"market_development", KEY_AMOUNT, 0, NULL, NULL, "販路開拓に要する経費", "market development"},
    {"other", KEY_AMOUNT, 0, NULL, NULL, "その他の経営力強化に要する経費", "other management-strengthening costs"},
    {"name", KEY_TEXT, 0, NULL, NULL, "名称（報告に表示）", "name (shown in reports)"},
    {NULL, 0, 0, NULL, NULL, NULL, NULL},
};

static const section_def sections[] = {
    {"rmo_management", SEC_PLAIN | SEC_SUFFIXED, keys, "地域運営組織の経営力強化支援",
     "RMO management-strengthening support"},
    {NULL, 0, NULL, NULL, NULL},
};

static const param_decl params[] = {
    {NULL, 0, 0, NULL, NULL},
};

static const output_def outputs[] = {
    {"eligible_cost", OUT_CLAIMABLE, "対象経費", "eligible cost"},
    {"special_tax_grant", OUT_CLAIMABLE | OUT_HEADLINE | OUT_TOTAL_SPECIAL, "特別交付税",
     "special tax grant"},
    {"organizations", 0, "組織", "organizations"},
    {NULL, 0, NULL, NULL},
};

/* Citations of the bibliography (rules/sources.params). */
#define SOURCE "tokko_shorei 第五条 表第七十四号（市町村）、第四条 表第八十二号（道府県）"
static const char *const citations[] = {RMO_CITE_RATE, RMO_CITE_ROUND, NULL};

static void validate(case_check *chk)
{
    for (size_t i = 0; i < check_count(chk); i++) {
        const case_section *s = check_section(chk, i);
        bool any = false;
        for (const key_def *k = keys; k->name; k++)
            any = any || (k->type == KEY_AMOUNT && sec_has(s, k->name));
        if (!any)
            check_error(chk, s, NULL,
                        "経費がありません（training, survey, equipment, market_development, other の"
                        "いずれかを書いてください）",
                        "no cost given (write at least one of training, survey, equipment, "
                        "market_development, other)");
    }
}

/* One section's items, traced and reported; their sum. */
static const kofu_num *section_cost(kofu_eval *ev, const case_section *s, bool several)
{
    const char *id = sec_id(s);
    int in = several ? 2 : 1;
    if (several)
        ev_report(ev, 1, id[0] ? ev_section_title(s) : EV_TR(ev, "（組織に分けない分）", "(not by organization)"),
                  NULL, "[%s]", sec_name(s));
    ev_term items[16];
    size_t n = 0;
    for (const key_def *k = keys; k->name && n < 16; k++)
        if (k->type == KEY_AMOUNT)
            items[n++] = EV_T(rmo_case_amount(ev, s, id[0] ? id : NULL, k->name,
                                              EV_TR(ev, k->label_ja, k->label_en), in),
                              k->name);
    const kofu_num *sum = ev_sum(ev, several && id[0] ? id : NULL,
                                 several ? "eligible_cost_section" : "eligible_cost", items, n, NULL);
    if (several)
        ev_report(ev, in, EV_TR(ev, "対象経費", "eligible cost"), sum, NULL);
    return sum;
}

static kofu_status evaluate(kofu_eval *ev)
{
    size_t n = ev_count(ev, "rmo_management");
    /* by organization as soon as one section names its organization */
    bool by_org = n > 1 || (n == 1 && sec_id(ev_section(ev, "rmo_management", 0))[0]);
    kofu_node *orgs = node_array(ev_nodes(ev));
    /* the organizations' sums, for the traced total */
    ev_term *parts = by_org ? calloc(n, sizeof *parts) : NULL;
    if (by_org && !parts)
        return KOFU_ENOMEM;
    const kofu_num *eligible = NULL;
    ev_report(ev, 0, EV_TR(ev, by_org ? "対象経費の内訳（組織ごと）" : "対象経費の内訳",
                           by_org ? "eligible cost, by organization" : "eligible cost, by item"),
              NULL, NULL);
    for (size_t i = 0; i < n; i++) {
        const case_section *s = ev_section(ev, "rmo_management", i);
        const kofu_num *e = section_cost(ev, s, by_org);
        if (!by_org) {
            eligible = e; /* one section: its sum is the eligible cost */
            continue;
        }
        parts[i] = EV_TS(e, sec_id(s), "eligible_cost_section");
        kofu_node *o = node_object(ev_nodes(ev));
        node_set_static(o, "id", node_string(ev_nodes(ev), sec_id(s)));
        ev_put_name(ev, o, s);
        ev_put_amount(ev, o, "eligible_cost", e);
        node_push(orgs, o);
    }
    if (by_org)
        eligible = ev_sum(ev, NULL, "eligible_cost", parts, n, NULL);
    free(parts);
    if (!eligible)
        eligible = ev_num(ev); /* no section: the measure was not asked for */
    ev_report(ev, 0, EV_TR(ev, "対象経費", "eligible cost"), eligible, NULL);
    const kofu_num *grant = rmo_special_tax_grant(ev, eligible, "eligible_cost");
    kofu_node *out = ev_out(ev);
    ev_put_amount(ev, out, "eligible_cost", eligible);
    ev_put_amount(ev, out, "special_tax_grant", grant);
    if (by_org)
        node_set_static(out, "organizations", orgs);
    return KOFU_OK;
}

const measure_def measure_rmo_management = {
    .name = "rmo_management",
    .label_ja = "地域運営組織の経営力強化支援",
    .label_en = "RMO management-strengthening support",
    .requires = "fiscal_capacity",
    .source = SOURCE,
    .citations = citations,
    .sections = sections,
    .params = params,
    .outputs = outputs,
    .validate = validate,
    .evaluate = evaluate,
};
