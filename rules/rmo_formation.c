/*
 * rmo_formation.c — 地域運営組織の形成支援 (docs/measures/rmo_formation.md), a 特別交付税 for
 * municipalities.
 *
 * Per organization ([rmo_formation] or [rmo_formation.<id>], file order):
 *   eligible(org) = workshop + facilitator + min(temp_staff, temp_staff_cap)
 *                   + office_renovation (0 when claimed before: once per
 *                     organization, warning renovation_claimed_before)
 * and once over the measure (shared_rmo.c):
 *   special_tax_grant = half_up_1000(Σ eligible(org) × measure_rate × f)
 * The cap and its dated changes are rule data (rmo_formation.params).
 */
#include <stdio.h>
#include <string.h>

#include "eval.h"
#include "shared_rmo.h"

static const key_def org_keys[] = {
    {"workshop", KEY_AMOUNT, 0, NULL, NULL, "ワークショップ開催経費", "workshop costs"},
    {"facilitator", KEY_AMOUNT, 0, NULL, NULL, "ファシリテーター旅費・謝金",
     "facilitator travel and fees"},
    {"temp_staff", KEY_AMOUNT, 0, NULL, NULL, "ワークショップ開催のための臨時職員経費",
     "temporary staff for workshops"},
    {"office_renovation", KEY_AMOUNT, 0, NULL, NULL, "事務所開設のための施設改修費",
     "office renovation for opening an office"},
    {"office_renovation_claimed_before", KEY_BOOL, 0, NULL, NULL,
     "施設改修費の措置を過去に受けた", "renovation already claimed in an earlier year"},
    {"name", KEY_TEXT, 0, NULL, NULL, "名称（報告に表示）", "name (shown in reports)"},
    {NULL, 0, 0, NULL, NULL, NULL, NULL},
};

static const section_def sections[] = {
    {"rmo_formation", SEC_PLAIN | SEC_SUFFIXED, org_keys, "地域運営組織（形成支援）",
     "regional management organization (formation)"},
    {NULL, 0, NULL, NULL, NULL},
};

static const param_decl params[] = {
    {"temp_staff_cap", PARAM_VALUE, PARAM_YEN, NULL, NULL},
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
#define SOURCE "soumu_rmo_r7 地方財政措置（概要） 形成支援"
#define SOURCE_ONCE "soumu_rmo_r7 地方財政措置（概要） 形成支援（施設改修費は1組織1回限り）"
static const char *const citations[] = {SOURCE_ONCE, RMO_CITE_RATE, RMO_CITE_ROUND, NULL};

static const char *const cost_keys[] = {"workshop", "facilitator", "temp_staff", "office_renovation",
                                        NULL};

/* Renovation counts once per organization: whether it was claimed before
 * decides it, so it must be stated, never assumed in the claimant's favour. */
static void check_renovation_history(case_check *chk, const case_section *s)
{
    const kofu_num *r = sec_num(s, "office_renovation");
    if (!r || num_sign(r) <= 0 || sec_has(s, "office_renovation_claimed_before"))
        return;
    const char *id = sec_id(s)[0] ? sec_id(s) : "rmo_formation";
    check_error(chk, s, "office_renovation_claimed_before",
                "組織 %s の施設改修費 %s は1組織1回限りの措置です。過去に措置を受けたかどうかを "
                "office_renovation_claimed_before = はい／いいえ で書いてください",
                "organization %s: the office renovation %s is supported once per organization; "
                "state whether it was claimed before with office_renovation_claimed_before = yes/no",
                id, sec_raw(s, "office_renovation"));
}

static void validate(case_check *chk)
{
    for (size_t i = 0; i < check_count(chk); i++) {
        const case_section *s = check_section(chk, i);
        check_renovation_history(chk, s);
        bool any = false;
        for (int k = 0; cost_keys[k]; k++)
            any = any || sec_has(s, cost_keys[k]);
        if (!any)
            check_error(chk, s, NULL,
                        "経費がありません（workshop, facilitator, temp_staff, office_renovation の"
                        "いずれかを書いてください）",
                        "no cost given (write at least one of workshop, facilitator, temp_staff, "
                        "office_renovation)");
    }
}

/* Short labels for the report lines (the schema's are longer). */
static const char *label(kofu_eval *ev, const char *key)
{
    static const char *const short_labels[][3] = {
        {"workshop", "ワークショップ開催経費", "workshops"},
        {"facilitator", "ファシリテーター旅費・謝金", "facilitator"},
        {"temp_staff", "臨時職員経費", "temporary staff"},
        {"office_renovation", "施設改修費", "office renovation"},
    };
    for (size_t i = 0; i < sizeof short_labels / sizeof short_labels[0]; i++)
        if (strcmp(short_labels[i][0], key) == 0)
            return EV_TR(ev, short_labels[i][1], short_labels[i][2]);
    return key;
}

/* min(temp_staff, cap), traced and reported; absent when no temp staff. */
static ev_term temp_staff(kofu_eval *ev, const case_section *s, const char *id, int in)
{
    const kofu_num *t = rmo_case_amount(ev, s, id, "temp_staff", label(ev, "temp_staff"), in);
    if (!t)
        return EV_T(NULL, NULL);
    const kofu_num *cap = ev_param(ev, id, "temp_staff_cap");
    const kofu_num *counted = ev_min(ev, id, "temp_staff_counted", EV_T(t, "temp_staff"),
                                     EV_T(cap, "temp_staff_cap"), NULL);
    char c[64];
    if (ev_tracing(ev))
        ev_report(ev, in + 1, EV_TR(ev, "うち算入額", "counted"), counted,
                  EV_TR(ev, "上限 %s（1組織1年度あたり、適用単位は暫定）%s",
                        "cap %s (per organization per year, a provisional reading)%s"),
                  rmo_yen(ev, cap, c, sizeof c),
                  num_cmp(t, cap) > 0 ? EV_TR(ev, "を超える分は対象外", "; the excess is not counted")
                                      : "");
    return EV_T(counted, "temp_staff_counted");
}

/* The renovation, or 0 when the organization was supported for it before;
 * absent when none. */
static ev_term renovation(kofu_eval *ev, const case_section *s, const char *id, int in)
{
    const kofu_num *r = rmo_case_amount(ev, s, id, "office_renovation",
                                        label(ev, "office_renovation"), in);
    if (!r)
        return EV_T(NULL, NULL);
    if (!sec_bool(s, "office_renovation_claimed_before", false)) {
        ev_report(ev, in + 1, EV_TR(ev, "うち算入額", "counted"), r,
                  EV_TR(ev, "初めての措置（1組織1回限り）", "first claim (once per organization)"));
        return EV_T(r, "office_renovation");
    }
    const kofu_num *zero = ev_case_zero(ev, s, id, "office_renovation_counted",
                                        "office_renovation_claimed_before", SOURCE_ONCE);
    char a[64];
    ev_warn(ev, "renovation_claimed_before",
            "[%s] 施設改修費 %s は対象外です: この組織は既に措置を受けています（1組織1回限り）",
            "[%s] the office renovation (%s) is not counted: the organization has claimed it "
            "before (once per organization)",
            sec_name(s), rmo_yen(ev, r, a, sizeof a));
    ev_report(ev, in + 1, EV_TR(ev, "うち算入額", "counted"), zero,
              EV_TR(ev, "過去に措置済みのため 0（1組織1回限り）",
                    "0: claimed before (once per organization)"));
    return EV_T(zero, "office_renovation_counted");
}

static const kofu_num *organization(kofu_eval *ev, const case_section *s, size_t n_orgs)
{
    const char *id = sec_id(s);
    /* One unnamed organization needs no heading of its own. */
    int in = 1;
    if (n_orgs > 1 || id[0]) {
        const char *title = ev_section_title(s);
        ev_report(ev, 1, title[0] ? title : EV_TR(ev, "（組織）", "(organization)"), NULL, "[%s]",
                  sec_name(s));
        in = 2;
    }
    const ev_term parts[4] = {
        EV_T(rmo_case_amount(ev, s, id, "workshop", label(ev, "workshop"), in), "workshop"),
        EV_T(rmo_case_amount(ev, s, id, "facilitator", label(ev, "facilitator"), in),
             "facilitator"),
        temp_staff(ev, s, id, in),
        renovation(ev, s, id, in),
    };
    const kofu_num *sum = ev_sum(ev, id, "eligible_cost", parts, 4, NULL);
    if (in == 2)
        ev_report(ev, in, EV_TR(ev, "対象経費", "eligible cost"), sum, NULL);
    return sum;
}

static kofu_status evaluate(kofu_eval *ev)
{
    size_t n = ev_count(ev, "rmo_formation");
    kofu_num *eligible = ev_num(ev);
    kofu_node *list = node_array(ev_nodes(ev));
    ev_report(ev, 0, EV_TR(ev, "対象経費（組織ごと）", "eligible cost (per organization)"), NULL,
              NULL);
    for (size_t i = 0; i < n; i++) {
        const case_section *s = ev_section(ev, "rmo_formation", i);
        const kofu_num *e = organization(ev, s, n);
        num_add(eligible, eligible, e);
        kofu_node *o = node_object(ev_nodes(ev));
        node_set_static(o, "id", node_string(ev_nodes(ev), sec_id(s)));
        ev_put_name(ev, o, s);
        ev_put_amount(ev, o, "eligible_cost", e);
        node_push(list, o);
    }
    ev_sum_over(ev, NULL, "eligible_cost", eligible, "組織", "organizations", "eligible_cost", NULL);
    if (ev_tracing(ev)) {
        char note[48];
        snprintf(note, sizeof note, EV_TR(ev, "%zu組織の合計%s", "%zu organization%s"), n,
                 ev_lang(ev) == KOFU_LANG_EN && n != 1 ? "s" : "");
        ev_report(ev, 0, EV_TR(ev, "対象経費", "eligible cost"), eligible, "%s", note);
    }
    const kofu_num *grant = rmo_special_tax_grant(ev, eligible, "eligible_cost");
    kofu_node *out = ev_out(ev);
    ev_put_amount(ev, out, "eligible_cost", eligible);
    ev_put_amount(ev, out, "special_tax_grant", grant);
    node_set_static(out, "organizations", list);
    return KOFU_OK;
}

const measure_def measure_rmo_formation = {
    .name = "rmo_formation",
    .label_ja = "地域運営組織の形成支援",
    .label_en = "RMO formation support",
    .requires = "fiscal_capacity",
    .source = SOURCE,
    .citations = citations,
    .sections = sections,
    .params = params,
    .outputs = outputs,
    .validate = validate,
    .evaluate = evaluate,
};
