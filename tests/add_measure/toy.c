/*
 * toy.c — a measure that exists only in the add-a-measure test: a grant of a
 * dated rate of the cost, floored to 1,000 yen, with a cap. It uses what a
 * real measure uses (a section with an id suffix, dated rule values, traced
 * arithmetic and rounding, claimable outputs) so that adding it exercises
 * every place the build and the registry must pick a measure up from.
 */
#include "eval.h"

static const key_def keys[] = {
    {"cost", KEY_AMOUNT, KEY_REQUIRED, NULL, NULL, "経費", "cost"},
    {"name", KEY_TEXT, 0, NULL, NULL, "名称（報告に表示）", "name (shown in reports)"},
    {NULL, 0, 0, NULL, NULL, NULL, NULL},
};

static const section_def sections[] = {
    {"toy", SEC_PLAIN | SEC_SUFFIXED, keys, "試験用の事業", "test project"},
    {NULL, 0, NULL, NULL, NULL},
};

static const param_decl params[] = {
    {"rate", PARAM_VALUE, PARAM_RATIO, NULL, NULL},
    {"cap", PARAM_VALUE, PARAM_YEN, NULL, NULL},
    {NULL, 0, 0, NULL, NULL},
};

static const output_def outputs[] = {
    {"grant", OUT_CLAIMABLE | OUT_HEADLINE | OUT_TOTAL_NATIONAL, "交付金額", "grant"},
    {NULL, 0, NULL, NULL},
};

#define SOURCE "kofu_interp 試験用の措置"

static kofu_status evaluate(kofu_eval *ev)
{
    kofu_num *grant = ev_num(ev);
    size_t n = ev_count(ev, "toy");
    for (size_t i = 0; i < n; i++) {
        const case_section *s = ev_section(ev, "toy", i);
        const char *id = sec_id(s);
        const kofu_num *cost = ev_case_value(ev, s, id, "cost", NULL, NULL);
        const kofu_num *share = ev_mul(ev, id, "share", EV_T(cost, "cost"),
                                       EV_T(ev_param(ev, id, "rate"), "rate"), NULL);
        const kofu_num *held = ev_min(ev, id, "capped", EV_T(share, "share"),
                                      EV_T(ev_param(ev, id, "cap"), "cap"), NULL);
        num_add(grant, grant, ev_round(ev, id, "grant", held, NUM_ROUND_FLOOR_1000, NULL));
    }
    ev_put_amount(ev, ev_out(ev), "grant", grant);
    return KOFU_OK;
}

const measure_def measure_toy = {
    .name = "toy",
    .label_ja = "試験用の措置",
    .label_en = "test measure",
    .source = SOURCE,
    .sections = sections,
    .params = params,
    .outputs = outputs,
    .evaluate = evaluate,
};
