/*
 * rmo_operation.c — 地域運営組織の運営支援・住民共助 (docs/measures/rmo_operation.md).
 *
 * Operating support and mutual-aid activities are funded by the 普通交付税;
 * what the municipality spends above the 普通交付税算定額 for them gets a
 * 特別交付税:
 *   excess_cost       = max(0, expenses − ordinary_grant)
 *   special_tax_grant = half_up_1000(excess_cost × 1/2 × f)   (shared_rmo.c)
 */
#include "eval.h"
#include "shared_rmo.h"

static const key_def keys[] = {
    {"expenses", KEY_AMOUNT, KEY_REQUIRED, NULL, NULL, "運営支援・住民共助の経費（合計）",
     "operating support and mutual-aid expenses (total)"},
    {"ordinary_grant", KEY_AMOUNT, KEY_REQUIRED, NULL, NULL, "普通交付税算定額（同じ経費の分）",
     "ordinary tax grant computed for those items"},
    {NULL, 0, 0, NULL, NULL, NULL, NULL},
};

static const section_def sections[] = {
    {"rmo_operation", SEC_PLAIN, keys, "地域運営組織の運営支援・住民共助",
     "RMO operation and mutual-aid support"},
    {NULL, 0, NULL, NULL, NULL},
};

static const param_decl params[] = {
    {NULL, 0},
};

static const output_def outputs[] = {
    {"excess_cost", OUT_CLAIMABLE, "普通交付税算定額を上回る経費", "cost above the ordinary tax grant"},
    {"special_tax_grant", OUT_CLAIMABLE | OUT_HEADLINE | OUT_TOTAL_SPECIAL, "特別交付税",
     "special tax grant"},
    {NULL, 0, NULL, NULL},
};

/* Citations of the bibliography (rules/sources.params). */
#define SOURCE "soumu_rmo_r7 地方財政措置（概要） 運営支援・住民共助（普通交付税算定額を上回る経費）"
static const char *const citations[] = {RMO_CITE_RATE, RMO_CITE_ROUND, NULL};

static kofu_status evaluate(kofu_eval *ev)
{
    const case_section *s = ev_section(ev, "rmo_operation", 0);
    const kofu_num *expenses = rmo_case_amount(ev, s, NULL, "expenses", EV_TR(ev, keys[0].label_ja, keys[0].label_en), 0);
    const kofu_num *ordinary =
        rmo_case_amount(ev, s, NULL, "ordinary_grant", EV_TR(ev, keys[1].label_ja, keys[1].label_en), 0);
    kofu_num *excess = ev_num(ev);
    num_sub(excess, expenses, ordinary);
    bool below = num_sign(excess) < 0;
    num_max(excess, excess, ev_int(ev, 0));
    ev_step(ev, NULL, "excess_cost", excess, NULL, "max(0, expenses - ordinary_grant)");
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
    .evaluate = evaluate,
};
