/*
 * network.c — 過疎地域等集落ネットワーク圏形成支援事業 (docs/measures/network.md).
 *
 * A fixed-amount grant (定額) up to a cap that depends on the project type
 * (a base, and an addition with specialists (専門人材), ICT, or both) from
 * FY2021, when the program moved under 過疎地域持続的発展支援交付金; before
 * that a flat cap. The amounts are rule data (network.params); this file
 * holds the formula, written with traced operations:
 *   cap   = cap_base + addition(type)
 *   grant = floor_1000(min(eligible_cost, cap))     per project
 */
#include "eval.h"

static const key_def project_keys[] = {
    {"eligible_cost", KEY_AMOUNT, KEY_REQUIRED, NULL, NULL, "交付対象経費", "eligible cost"},
    {"specialist", KEY_BOOL, 0, NULL, NULL, "専門人材を活用する事業", "uses specialists"},
    {"ict", KEY_BOOL, 0, NULL, NULL, "ICT等技術を活用する事業", "uses ICT"},
    {"name", KEY_TEXT, 0, NULL, NULL, "名称（報告に表示）", "name (shown in reports)"},
    {NULL, 0, 0, NULL, NULL, NULL, NULL},
};

static const section_def sections[] = {
    {"network", SEC_PLAIN | SEC_SUFFIXED, project_keys, "集落ネットワーク圏の事業",
     "settlement-network project"},
    {NULL, 0, NULL, NULL, NULL},
};

static const param_decl params[] = {
    {"cap_base", PARAM_VALUE, PARAM_YEN, NULL, NULL},
    {"add_specialist", PARAM_VALUE, PARAM_YEN, NULL, NULL},
    {"add_ict", PARAM_VALUE, PARAM_YEN, NULL, NULL},
    {"add_both", PARAM_VALUE, PARAM_YEN, NULL, NULL},
    {NULL, 0, 0, NULL, NULL},
};

static const output_def outputs[] = {
    {"grant", OUT_CLAIMABLE | OUT_HEADLINE | OUT_TOTAL_NATIONAL, "交付金額", "grant"},
    {"remaining_cost", OUT_CLAIMABLE | OUT_HEADLINE, "交付対象外の残額", "remaining cost"},
    {"cap", 0, "上限額", "cap"},
    {"eligible_cost", 0, "交付対象経費", "eligible cost"},
    {"projects", 0, "事業", "projects"},
    {NULL, 0, NULL, NULL},
};

/* Citations of the bibliography (rules/sources.params). */
#define SOURCE "soumu_kaso_nw_r4 （３）交付対象経費の上限額"
#define SOURCE_FLOOR "kofu_interp 国の交付金の千円未満切捨て"
static const char *const citations[] = {SOURCE_FLOOR, NULL};

/* The addition to the cap for the project's type, traced as a parameter;
 * absent (v NULL) for the base type. */
static ev_term addition(kofu_eval *ev, const char *id, bool specialist, bool ict)
{
    const char *name = specialist && ict ? "add_both"
                       : ict             ? "add_ict"
                       : specialist      ? "add_specialist"
                                         : NULL;
    return EV_T(name ? ev_param(ev, id, name) : NULL, name);
}

static void project(kofu_eval *ev, const case_section *s, kofu_num *grant_sum,
                    kofu_num *remaining_sum, kofu_node *list)
{
    const char *id = sec_id(s);
    bool specialist = sec_bool(s, "specialist", false), ict = sec_bool(s, "ict", false);
    const kofu_num *eligible = ev_case_value(ev, s, id, "eligible_cost", NULL, NULL);
    const ev_term cap_terms[] = {EV_T(ev_param(ev, id, "cap_base"), "cap_base"),
                                 addition(ev, id, specialist, ict)};
    const kofu_num *cap = ev_sum(ev, id, "cap", cap_terms, 2, NULL);
    const kofu_num *held = ev_min(ev, id, "capped_cost", EV_T(eligible, "eligible_cost"),
                                  EV_T(cap, "cap"), NULL);
    const kofu_num *grant = ev_round(ev, id, "grant", held, NUM_ROUND_FLOOR_1000, SOURCE_FLOOR);
    const kofu_num *remaining = ev_sub(ev, id, "remaining_cost", EV_T(eligible, "eligible_cost"),
                                       EV_T(grant, "grant"), NULL);

    num_add(grant_sum, grant_sum, grant);
    num_add(remaining_sum, remaining_sum, remaining);
    kofu_node *p = node_object(ev_nodes(ev));
    node_set_static(p, "id", node_string(ev_nodes(ev), id));
    ev_put_name(ev, p, s);
    ev_put_amount(ev, p, "cap", cap);
    ev_put_amount(ev, p, "eligible_cost", eligible);
    ev_put_amount(ev, p, "grant", grant);
    ev_put_amount(ev, p, "remaining_cost", remaining);
    node_push(list, p);
}

static kofu_status evaluate(kofu_eval *ev)
{
    kofu_num *grant = ev_num(ev), *remaining = ev_num(ev);
    kofu_node *list = node_array(ev_nodes(ev));
    size_t n = ev_count(ev, "network");
    for (size_t i = 0; i < n; i++)
        project(ev, ev_section(ev, "network", i), grant, remaining, list);
    if (n > 1) {
        ev_sum_over(ev, NULL, "grant", grant, "事業", "projects", "grant", NULL);
        ev_sum_over(ev, NULL, "remaining_cost", remaining, "事業", "projects", "remaining_cost", NULL);
    }
    kofu_node *out = ev_out(ev);
    ev_put_amount(ev, out, "grant", grant);
    ev_put_amount(ev, out, "remaining_cost", remaining);
    node_set_static(out, "projects", list);
    return KOFU_OK;
}

const measure_def measure_network = {
    .name = "network",
    .label_ja = "過疎地域等集落ネットワーク圏形成支援事業",
    .label_en = "settlement-network formation grant",
    .source = SOURCE,
    .citations = citations,
    .sections = sections,
    .params = params,
    .outputs = outputs,
    .evaluate = evaluate,
};
