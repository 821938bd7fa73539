/*
 * rmo_management.c — 地域運営組織の経営力強化支援 (docs/measures/rmo_management.md), a 特別交付税
 * open to prefectures (with the 道府県 factor) and municipalities.
 *   eligible_cost     = training + survey + equipment + market_development + other
 *   special_tax_grant = half_up_1000(eligible_cost × 1/2 × f)   (shared_rmo.c)
 */
#include "eval.h"
#include "shared_rmo.h"

static const key_def keys[] = {
    {"training", KEY_AMOUNT, 0, NULL, NULL, "研修に要する経費", "training"},
    {"survey", KEY_AMOUNT, 0, NULL, NULL, "調査に要する経費", "surveys"},
    {"equipment", KEY_AMOUNT, 0, NULL, NULL, "設備導入に要する経費", "equipment"},
    {"market_development", KEY_AMOUNT, 0, NULL, NULL, "販路開拓に要する経費", "market development"},
    {"other", KEY_AMOUNT, 0, NULL, NULL, "その他の経営力強化に要する経費", "other management-strengthening costs"},
    {NULL, 0, 0, NULL, NULL, NULL, NULL},
};

static const section_def sections[] = {
    {"rmo_management", SEC_PLAIN, keys, "地域運営組織の経営力強化支援",
     "RMO management-strengthening support"},
    {NULL, 0, NULL, NULL, NULL},
};

static const param_decl params[] = {
    {NULL, 0},
};

static const output_def outputs[] = {
    {"eligible_cost", OUT_CLAIMABLE, "対象経費", "eligible cost"},
    {"special_tax_grant", OUT_CLAIMABLE | OUT_HEADLINE | OUT_TOTAL_SPECIAL, "特別交付税",
     "special tax grant"},
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
            any = any || sec_has(s, k->name);
        if (!any)
            check_error(chk, s, NULL,
                        "経費がありません（training, survey, equipment, market_development, other の"
                        "いずれかを書いてください）",
                        "no cost given (write at least one of training, survey, equipment, "
                        "market_development, other)");
    }
}

static kofu_status evaluate(kofu_eval *ev)
{
    const case_section *s = ev_section(ev, "rmo_management", 0);
    kofu_num *eligible = ev_num(ev);
    ev_report(ev, 0, EV_TR(ev, "対象経費の内訳", "eligible cost, by item"), NULL, NULL);
    for (const key_def *k = keys; k->name; k++) {
        const kofu_num *v = rmo_case_amount(ev, s, NULL, k->name, EV_TR(ev, k->label_ja, k->label_en), 1);
        if (v)
            num_add(eligible, eligible, v);
    }
    ev_step(ev, NULL, "eligible_cost", eligible, NULL,
            "training + survey + equipment + market_development + other");
    ev_report(ev, 0, EV_TR(ev, "対象経費", "eligible cost"), eligible, NULL);
    const kofu_num *grant = rmo_special_tax_grant(ev, eligible, "eligible_cost");
    kofu_node *out = ev_out(ev);
    ev_put_amount(ev, out, "eligible_cost", eligible);
    ev_put_amount(ev, out, "special_tax_grant", grant);
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
