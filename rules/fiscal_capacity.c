/*
 * fiscal_capacity.c — 財政力補正 (fiscal-capacity adjustment), a
 * component read by the 地域運営組織 measures.
 *
 * The case gives the 財政力指数 (FPI) in exactly one of three forms:
 *   index                              the 3-year average (at most 2 decimals)
 *   ratio_1..ratio_3                   the three single-year ratios
 *   revenue_1..3 + demand_1..3         基準財政収入額 / 基準財政需要額 in yen
 * From ratios (given or computed) the average is, per 省令 第二条第一項第一号:
 *   index = half_up_0.01( Σ half_up_0.01(ratio_i) / 3 )
 * The factor comes from a dated table per entity (rule data, which holds the
 * statute's breakpoints and its rounding), unless the case gives
 * `coefficient`; then
 *   rate = measure_rate (措置率) × coefficient
 * is published (ev_publish, fiscal_capacity.h) for the measures: special_tax_grant = eligible × rate.
 */
#include <stdio.h>
#include <stdlib.h>

#include "eval.h"
#include "fiscal_capacity.h"

static const key_def keys[] = {
    {"index", KEY_DECIMAL2, 0, "0", NULL, "財政力指数（3か年平均、小数点以下2桁まで）",
     "fiscal capacity index (3-year average, at most 2 decimals)"},
    {"ratio_1", KEY_RATIO, 0, NULL, NULL, "単年度財政力指数（1年度目）", "single-year ratio (year 1)"},
    {"ratio_2", KEY_RATIO, 0, NULL, NULL, "単年度財政力指数（2年度目）", "single-year ratio (year 2)"},
    {"ratio_3", KEY_RATIO, 0, NULL, NULL, "単年度財政力指数（3年度目）", "single-year ratio (year 3)"},
    {"revenue_1", KEY_AMOUNT, 0, NULL, NULL, "基準財政収入額（1年度目）", "standard fiscal revenue (year 1)"},
    {"revenue_2", KEY_AMOUNT, 0, NULL, NULL, "基準財政収入額（2年度目）", "standard fiscal revenue (year 2)"},
    {"revenue_3", KEY_AMOUNT, 0, NULL, NULL, "基準財政収入額（3年度目）", "standard fiscal revenue (year 3)"},
    {"demand_1", KEY_AMOUNT, 0, "1", NULL, "基準財政需要額（1年度目）", "standard fiscal demand (year 1)"},
    {"demand_2", KEY_AMOUNT, 0, "1", NULL, "基準財政需要額（2年度目）", "standard fiscal demand (year 2)"},
    {"demand_3", KEY_AMOUNT, 0, "1", NULL, "基準財政需要額（3年度目）", "standard fiscal demand (year 3)"},
    {"coefficient", KEY_RATIO, 0, "0", "1", "財政力補正係数（計算に代えて指定する場合）",
     "fiscal-capacity factor (given instead of computed)"},
    {NULL, 0, 0, NULL, NULL, NULL, NULL},
};

static const section_def sections[] = {
    {"fiscal_capacity", SEC_PLAIN, keys, "財政力補正", "fiscal-capacity adjustment"},
    {NULL, 0, NULL, NULL, NULL},
};

static const param_decl params[] = {
    {"measure_rate", PARAM_VALUE, PARAM_RATIO, NULL, NULL},
    {"factor_municipality", PARAM_TABLE, PARAM_RATIO, NULL, NULL},
    {"factor_prefecture", PARAM_TABLE, PARAM_RATIO, NULL, NULL},
    {NULL, 0, 0, NULL, NULL},
};

static const output_def outputs[] = {
    {"index", 0, "財政力指数", "fiscal capacity index"},
    {"coefficient", 0, "財政力補正係数", "fiscal-capacity factor"},
    {"rate", 0, "措置率 × 財政力補正係数", "rate (措置率 × factor)"},
    {"given", 0, "係数をケースで指定", "factor given by the case"},
    {NULL, 0, NULL, NULL},
};

/* Citations of the bibliography (rules/sources.params). */
#define SOURCE "tokko_shorei 第二条第一項第一号（財政力指数）"
#define SOURCE_FACTOR_M "tokko_shorei 第五条第一項第三号イ（市町村）"
#define SOURCE_FACTOR_P "tokko_shorei 第四条第一項第一号（道府県）"
#define SOURCE_RATE "soumu_rmo_r7 地方財政措置（概要） 措置率1/2・財政力補正"
static const char *const citations[] = {SOURCE_FACTOR_M, SOURCE_FACTOR_P, SOURCE_RATE, NULL};

/* The three ways to write the index; a case uses exactly one. */
enum { FORM_INDEX, FORM_RATIOS, FORM_AMOUNTS, FORM_COUNT };
static const char *const form_keys[FORM_COUNT][7] = {
    {"index", NULL},
    {"ratio_1", "ratio_2", "ratio_3", NULL},
    {"revenue_1", "demand_1", "revenue_2", "demand_2", "revenue_3", "demand_3", NULL},
};

static const char *const form_text[FORM_COUNT] = {
    "index",
    "ratio_1〜ratio_3",
    "revenue_1〜revenue_3, demand_1〜demand_3",
};

/* The first key of form f given in s, or NULL. */
static const char *form_given(const case_section *s, int f)
{
    for (int k = 0; form_keys[f][k]; k++)
        if (sec_has(s, form_keys[f][k]))
            return form_keys[f][k];
    return NULL;
}

static void validate_section(case_check *chk, const case_section *s)
{
    int used = -1;
    for (int f = 0; f < FORM_COUNT; f++) {
        const char *k = form_given(s, f);
        if (!k)
            continue;
        if (used >= 0) {
            const char *first = form_given(s, used);
            check_error(chk, s, k,
                        "%s と %s は一緒に書けません。財政力指数は index、ratio_1〜ratio_3、"
                        "revenue_1〜revenue_3 と demand_1〜demand_3 のどれか一つの形で書いてください",
                        "%s and %s cannot be given together: write the fiscal capacity index in one "
                        "form only (index; ratio_1..ratio_3; or revenue_1..revenue_3 with "
                        "demand_1..demand_3)",
                        first, k);
            return;
        }
        used = f;
    }
    if (used < 0) {
        check_error(chk, s, NULL,
                    "財政力指数がありません。index、ratio_1〜ratio_3、または revenue_1〜revenue_3 と "
                    "demand_1〜demand_3 のどれか一つの形で書いてください",
                    "no fiscal capacity index: give index, or ratio_1..ratio_3, or "
                    "revenue_1..revenue_3 with demand_1..demand_3");
        return;
    }
    for (int k = 0; form_keys[used][k]; k++)
        if (!sec_has(s, form_keys[used][k]))
            check_error(chk, s, form_keys[used][k],
                        "%s がありません（%s の形では三年度分すべてが必要です）",
                        "%s is missing (the form %s needs all three years)", form_keys[used][k],
                        form_text[used]);
}

static void validate(case_check *chk)
{
    for (size_t i = 0; i < check_count(chk); i++)
        validate_section(chk, check_section(chk, i));
}

/* Text of x for people, in buf: exact when it terminates, else "0.2566…". */
static const char *approx(const kofu_num *x, char *buf, size_t cap)
{
    char *t = num_approx(x, 4);
    snprintf(buf, cap, "%s", t ? t : "?");
    free(t);
    return buf;
}

/* Yen with separators in the evaluation's language: "1,220,000円". */
static const char *yen(kofu_eval *ev, const kofu_num *x, char *buf, size_t cap)
{
    char *t = num_to_yen_string(x);
    snprintf(buf, cap, "%s%s", t ? t : "?", EV_TR(ev, "円", " yen"));
    free(t);
    return buf;
}

typedef struct year {
    const kofu_num *ratio;   /* as given, or revenue ÷ demand  */
    const kofu_num *rounded; /* half_up_0.01                   */
    char how[384];           /* how the reader gets the figure */
} year;

/* The single-year ratio i (1-based), as given or as revenue ÷ demand, and its
 * rounding (省令 第二条第一項第一号). */
static void year_ratio(kofu_eval *ev, const case_section *s, int i, year *y)
{
    static const char *const ratio_keys[] = {"ratio_1", "ratio_2", "ratio_3"};
    static const char *const rounded_names[] = {"ratio_1_rounded", "ratio_2_rounded",
                                                "ratio_3_rounded"};
    static const char *const rev_keys[] = {"revenue_1", "revenue_2", "revenue_3"};
    static const char *const dem_keys[] = {"demand_1", "demand_2", "demand_3"};
    const char *key = ratio_keys[i - 1], *rname = rounded_names[i - 1];
    char a[64], b[64], r[64], rr[64];
    y->how[0] = '\0';
    if (sec_has(s, key)) {
        y->ratio = ev_case_value(ev, s, NULL, key, NULL, NULL);
        y->rounded = ev_round(ev, NULL, rname, y->ratio, NUM_ROUND_HALF_UP_0_01, SOURCE);
        if (ev_tracing(ev))
            snprintf(y->how, sizeof y->how, "%s → %s", approx(y->ratio, r, sizeof r),
                     approx(y->rounded, rr, sizeof rr));
        return;
    }
    const char *rev = rev_keys[i - 1], *dem = dem_keys[i - 1];
    const kofu_num *revenue = ev_case_value(ev, s, NULL, rev, NULL, NULL);
    const kofu_num *demand = ev_case_value(ev, s, NULL, dem, NULL, NULL); /* >= 1: the schema */
    y->ratio = ev_div(ev, NULL, key, EV_T(revenue, rev), EV_T(demand, dem), SOURCE);
    y->rounded = ev_round(ev, NULL, rname, y->ratio, NUM_ROUND_HALF_UP_0_01, SOURCE);
    if (ev_tracing(ev))
        snprintf(y->how, sizeof y->how, "%s ÷ %s = %s → %s",
                 yen(ev, sec_num(s, rev), a, sizeof a), yen(ev, sec_num(s, dem), b, sizeof b),
                 approx(y->ratio, r, sizeof r), approx(y->rounded, rr, sizeof rr));
}

/* The 3-year average from the single-year ratios, rounded twice. */
static const kofu_num *averaged_index(kofu_eval *ev, const case_section *s)
{
    static const char *const rounded_names[] = {"ratio_1_rounded", "ratio_2_rounded",
                                                "ratio_3_rounded"};
    year y[3];
    ev_term terms[3];
    for (int i = 0; i < 3; i++) {
        year_ratio(ev, s, i + 1, &y[i]);
        terms[i] = EV_T(y[i].rounded, rounded_names[i]);
    }
    const kofu_num *sum = ev_sum(ev, NULL, "ratio_sum", terms, 3, SOURCE);
    const kofu_num *avg = ev_div(ev, NULL, "ratio_average", EV_T(sum, "ratio_sum"),
                                 EV_T(ev_int(ev, 3), "3"), SOURCE);
    const kofu_num *idx = ev_round(ev, NULL, "index", avg, NUM_ROUND_HALF_UP_0_01, SOURCE);
    if (!ev_tracing(ev))
        return idx; /* the rest is the report, which is not recorded */

    bool amounts = !sec_has(s, "ratio_1");
    ev_report_value(ev, 0, EV_TR(ev, "財政力指数（3か年平均）", "FPI (3-year average)"),
                    idx,
                    EV_TR(ev, "%s から。省令 第二条第一項第一号: 各年度を小数点以下二位未満四捨五入、"
                              "その平均を再び四捨五入",
                          "from %s; 省令 第二条第一項第一号: each year rounded half up to 0.01, "
                          "then their average rounded again"),
                    amounts ? EV_TR(ev, "基準財政収入額 ÷ 基準財政需要額", "revenue ÷ demand")
                            : "ratio_1〜ratio_3");
    for (int i = 0; i < 3; i++) {
        char label[64];
        snprintf(label, sizeof label, EV_TR(ev, "%d年度目", "year %d"), i + 1);
        ev_report_value(ev, 1, label, y[i].rounded, "%s", y[i].how);
    }
    char a[3][64], sm[64], av[64], ix[64];
    ev_report_value(ev, 1, EV_TR(ev, "平均", "average"), idx, "(%s + %s + %s) ÷ 3 = %s ÷ 3 = %s → %s",
                    approx(y[0].rounded, a[0], sizeof a[0]), approx(y[1].rounded, a[1], sizeof a[1]),
                    approx(y[2].rounded, a[2], sizeof a[2]), approx(sum, sm, sizeof sm),
                    approx(avg, av, sizeof av), approx(idx, ix, sizeof ix));
    return idx;
}

static const kofu_num *fiscal_index(kofu_eval *ev, const case_section *s)
{
    if (!sec_has(s, "index"))
        return averaged_index(ev, s);
    const kofu_num *idx = ev_case_value(ev, s, NULL, "index", NULL, NULL);
    ev_report_value(ev, 0, EV_TR(ev, "財政力指数（3か年平均）", "FPI (3-year average)"),
                    idx, EV_TR(ev, "ケースで指定（[%s] index）", "given by the case ([%s] index)"),
                    sec_name(s));
    return idx;
}

/* The statute clause behind the factor of the case's entity. */
static const char *clause(kofu_eval *ev, bool pref)
{
    if (pref)
        return EV_TR(ev, "特別交付税に関する省令 第四条第一項第一号（道府県）",
                     "特別交付税に関する省令 art. 4(1)(i) (prefectures)");
    return EV_TR(ev, "特別交付税に関する省令 第五条第一項第三号イ（市町村）",
                 "特別交付税に関する省令 art. 5(1)(iii)イ (municipalities)");
}

/* The factor: from the entity's table, or as given (coefficient_given). */
static const kofu_num *factor(kofu_eval *ev, const case_section *s, const kofu_num *idx, bool *given)
{
    bool pref = ev_entity(ev) == KOFU_ENTITY_PREFECTURE;
    const char *table = pref ? "factor_prefecture" : "factor_municipality";
    const kofu_num *f = ev_table(ev, NULL, table, idx);
    *given = sec_has(s, "coefficient");
    if (!*given && !ev_tracing(ev))
        return f; /* the texts below feed only the trace and the report */
    const kofu_num *raw = ev_table_unrounded(ev, table, idx);
    char xs[64], fs[64], rs[64];
    approx(idx, xs, sizeof xs);
    approx(f, fs, sizeof fs);
    approx(raw, rs, sizeof rs);
    if (!*given) {
        ev_let(ev, NULL, "coefficient", EV_T(f, table), pref ? SOURCE_FACTOR_P : SOURCE_FACTOR_M);
        if (num_cmp(raw, f) == 0)
            ev_report_value(ev, 0, EV_TR(ev, "財政力補正係数", "fiscal-capacity factor"), f,
                            "%s: f(%s) = %s", clause(ev, pref), xs, fs);
        else
            ev_report_value(ev, 0, EV_TR(ev, "財政力補正係数", "fiscal-capacity factor"), f,
                            EV_TR(ev, "%s: f(%s) = %s → %s（小数点以下二位未満四捨五入）",
                                  "%s: f(%s) = %s → %s (rounded half up to 0.01)"),
                            clause(ev, pref), xs, rs, fs);
        return f;
    }
    const kofu_num *c = ev_case_value(ev, s, NULL, "coefficient", NULL, NULL);
    char cs[64];
    approx(c, cs, sizeof cs);
    ev_warn(ev, "coefficient_given",
            "財政力補正係数はケースで指定された %s を使っています（%s による値は f(%s) = %s）",
            "the fiscal-capacity factor %s given by the case is used (%s gives f(%s) = %s)", cs,
            clause(ev, pref), xs, fs);
    ev_report_value(ev, 0, EV_TR(ev, "財政力補正係数（ケースで指定）", "fiscal-capacity factor (given)"),
                    c,
                    EV_TR(ev, "[%s] coefficient。%s による値は f(%s) = %s",
                          "[%s] coefficient; %s would give f(%s) = %s"),
                    sec_name(s), clause(ev, pref), xs, fs);
    return c;
}

static kofu_status evaluate(kofu_eval *ev)
{
    const case_section *s = ev_section(ev, "fiscal_capacity", 0);
    if (!s)
        return ev_error(ev, NULL, NULL, "[fiscal_capacity] がありません", "no [fiscal_capacity]");
    const kofu_num *idx = fiscal_index(ev, s);
    bool given = false;
    const kofu_num *f = factor(ev, s, idx, &given);
    const kofu_num *share = ev_param(ev, NULL, "measure_rate");
    const kofu_num *rate = ev_mul(ev, NULL, "rate", EV_T(share, "measure_rate"),
                                  EV_T(f, "coefficient"), SOURCE_RATE);
    if (ev_tracing(ev)) {
        char ss[64], fs[64], rs[64];
        ev_report_value(ev, 0, EV_TR(ev, "措置率", "share covered (措置率)"), share,
                        "%s", ev_cite(ev, SOURCE_RATE));
        ev_report_value(ev, 0, EV_TR(ev, "率（措置率 × 財政力補正係数）", "rate (措置率 × factor)"),
                        rate, "%s × %s = %s", approx(share, ss, sizeof ss),
                        approx(f, fs, sizeof fs), approx(rate, rs, sizeof rs));
    }

    fiscal_capacity_out pub = {.index = idx, .coefficient = f, .measure_rate = share,
                               .rate = rate, .given = given};
    ev_publish(ev, &pub, sizeof pub);
    kofu_node *out = ev_out(ev);
    ev_put_decimal(ev, out, "index", idx);
    ev_put_decimal(ev, out, "coefficient", f);
    ev_put_decimal(ev, out, "rate", rate);
    node_set_static(out, "given", node_bool(ev_nodes(ev), given));
    return KOFU_OK;
}

const measure_def measure_fiscal_capacity = {
    .name = "fiscal_capacity",
    .label_ja = "財政力補正",
    .label_en = "fiscal-capacity adjustment",
    .flags = MEASURE_COMPONENT,
    .source = SOURCE,
    .citations = citations,
    .sections = sections,
    .params = params,
    .outputs = outputs,
    .validate = validate,
    .evaluate = evaluate,
};
