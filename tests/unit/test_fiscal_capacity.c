/*
 * test_fiscal_capacity.c — the 財政力補正 component (rules/fiscal_capacity.c,
 * 特別交付税に関する省令): the factor at and around every breakpoint for both entities
 * (checked against the statute's formula computed independently here), the
 * three forms of the index with the two half-up roundings, the override, the
 * validation of the forms, and the table data format (linear and step tables,
 * a new dated table in an exported and edited rules directory).
 */
#define _GNU_SOURCE /* asprintf */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "params.h"
#include "registry.h"
#include "support.h"

/* ---- helpers ------------------------------------------------------------- */

/* A case with [fiscal_capacity] holding `body` (lines of key = value). */
static char *fc_case(const char *entity, const char *fy, const char *body)
{
    char *s = NULL;
    cr_assert_geq(asprintf(&s,
                           "[case]\nid = t\nfiscal_year = %s\nentity = %s\n\n"
                           "[fiscal_capacity]\n%s",
                           fy, entity, body),
                  0);
    return s;
}

/* coefficient and rate computed by the component for index `idx`. */
static void expect_factor(const char *entity, const char *idx, const char *coef, const char *rate)
{
    char body[64];
    snprintf(body, sizeof body, "index = %s\n", idx);
    char *ini = fc_case(entity, "R7", body);
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    cr_expect_str_eq(tcase_str(&x, "fiscal_capacity.index"), idx);
    cr_expect_str_eq(tcase_str(&x, "fiscal_capacity.coefficient"), coef,
                     "%s FPI %s: f = %s, want %s", entity, idx,
                     tcase_str(&x, "fiscal_capacity.coefficient"), coef);
    cr_expect_str_eq(tcase_str(&x, "fiscal_capacity.rate"), rate, "%s FPI %s: rate %s, want %s",
                     entity, idx, tcase_str(&x, "fiscal_capacity.rate"), rate);
    cr_expect_eq(kofu_node_bool(kofu_node_get(kofu_result_root(x.r), "fiscal_capacity.given")), false);
    tcase_free(&x);
    free(ini);
}

/* ---- the factor: worked examples and every breakpoint -------------------- */

Test(fiscal_capacity, spec_examples_municipality)
{
    expect_factor("municipality", "0.35", "1", "0.5");
    expect_factor("municipality", "0.53", "0.95", "0.475");
    expect_factor("municipality", "0.61", "0.82", "0.41");
    expect_factor("municipality", "0.65", "0.75", "0.375");
    expect_factor("municipality", "0.8", "0.5", "0.25");
    expect_factor("municipality", "1.2", "0.5", "0.25");
}

Test(fiscal_capacity, spec_example_prefecture)
{
    expect_factor("prefecture", "0.65", "0.6", "0.3");
}

/* 0.49 / 0.50 / 0.51 and 0.79 / 0.80 / 0.81, by hand:
 *   市町村 11/6 − 5/3 x: 0.51 → 0.98333… → 0.98; 0.79 → 0.51666… → 0.52
 *   道府県 7/3 − 8/3 x:  0.51 → 0.97333… → 0.97; 0.79 → 0.22666… → 0.23 */
Test(fiscal_capacity, breakpoints_municipality)
{
    expect_factor("municipality", "0.49", "1", "0.5");
    expect_factor("municipality", "0.5", "1", "0.5");
    expect_factor("municipality", "0.51", "0.98", "0.49");
    expect_factor("municipality", "0.79", "0.52", "0.26");
    expect_factor("municipality", "0.8", "0.5", "0.25");
    expect_factor("municipality", "0.81", "0.5", "0.25");
    expect_factor("municipality", "0", "1", "0.5");
}

Test(fiscal_capacity, breakpoints_prefecture)
{
    expect_factor("prefecture", "0.49", "1", "0.5");
    expect_factor("prefecture", "0.5", "1", "0.5");
    expect_factor("prefecture", "0.51", "0.97", "0.485");
    expect_factor("prefecture", "0.53", "0.92", "0.46");
    expect_factor("prefecture", "0.61", "0.71", "0.355");
    expect_factor("prefecture", "0.79", "0.23", "0.115");
    expect_factor("prefecture", "0.8", "0.2", "0.1");
    expect_factor("prefecture", "0.81", "0.2", "0.1");
    expect_factor("prefecture", "1.2", "0.2", "0.1");
}

/* The statute's own formula, computed here without the table: every index
 * from 0.00 to 1.50 must give the same factor as the rule data. */
static void statute_factor(bool pref, const kofu_num *x, kofu_num *f)
{
    if (num_cmp_int(x, 0) >= 0) {
        kofu_num half, eight;
        num_init(&half);
        num_init(&eight);
        num_set_frac(&half, 1, 2);
        num_set_frac(&eight, 4, 5);
        if (num_cmp(x, &half) < 0) {
            num_set_int(f, 1);
        } else if (num_cmp(x, &eight) >= 0) {
            num_set_frac(f, 1, pref ? 5 : 2);
        } else {
            kofu_num a, b;
            num_init(&a);
            num_init(&b);
            num_set_frac(&a, pref ? 7 : 11, pref ? 3 : 6);
            num_set_frac(&b, pref ? 8 : 5, 3);
            num_mul(&b, &b, x);
            num_sub(f, &a, &b);
            num_round(f, f, NUM_ROUND_HALF_UP_0_01);
            num_clear(&a);
            num_clear(&b);
        }
        num_clear(&half);
        num_clear(&eight);
    }
}

static const param_value *factor_table(const kofu_rules *r, const char *name, int fy)
{
    int m = registry_find("fiscal_capacity");
    cr_assert_geq(m, 0);
    const param_def *p = rules_param(rules_for(r, (size_t)m), name);
    cr_assert_not_null(p, "fiscal_capacity.%s", name);
    cr_assert_eq(p->kind, PARAM_TABLE);
    const param_value *v = param_at(p, fy);
    cr_assert_not_null(v);
    return v;
}

Test(fiscal_capacity, table_equals_statute_formula_everywhere)
{
    kofu_rules *r = trules_builtin();
    for (int e = 0; e < 2; e++) {
        const param_value *t = factor_table(r, e ? "factor_prefecture" : "factor_municipality", 2025);
        for (int i = 0; i <= 150; i++) {
            kofu_num x, got, want;
            num_init(&x);
            num_init(&got);
            num_init(&want);
            num_set_frac(&x, i, 100);
            param_table_apply(t, &x, &got);
            statute_factor(e == 1, &x, &want);
            char *g = num_to_string(&got), *w = num_to_string(&want);
            cr_expect_str_eq(g, w, "%s at %d/100: table %s, statute %s", e ? "道府県" : "市町村", i,
                             g, w);
            free(g);
            free(w);
            num_clear(&x);
            num_clear(&got);
            num_clear(&want);
        }
    }
    kofu_rules_free(&r);
}

Test(fiscal_capacity, first_year_is_2022_and_confirmed_through_2025)
{
    kofu_rules *r = trules_builtin();
    int m = registry_find("fiscal_capacity");
    const measure_rules *mr = rules_for(r, (size_t)m);
    for (size_t i = 0; i < mr->n_params; i++) {
        const param_def *p = &mr->params[i];
        cr_expect_eq(p->values[0].from_fy, 2022, "%s", p->name);
        cr_expect_null(param_at(p, 2021), "%s", p->name);
        cr_expect_eq(p->values[p->n_values - 1].confirmed_through, 2025, "%s", p->name);
        cr_expect_not(p->values[0].provisional, "%s", p->name);
    }
    cr_expect_eq(mr->entities, (unsigned)(KOFU_ENTITY_MUNICIPALITY | KOFU_ENTITY_PREFECTURE));
    kofu_rules_free(&r);
}

/* ---- the table format: linear and step, clamped, rounded or not ------------ */

Test(fiscal_capacity, linear_table_interpolates_clamps_and_rounds)
{
    static const char *const pts[] = {"0.5:1", "0.8:0.5"};
    param_value v;
    ttable_init(&v, INTERP_LINEAR, NULL, 2, pts);
    ttable_expect(&v, "0.61", "49/60"); /* 0.8166…, exact before rounding */
    ttable_expect(&v, "0.2", "1");
    ttable_expect(&v, "0.5", "1");
    ttable_expect(&v, "0.8", "0.5");
    ttable_expect(&v, "3", "0.5");
    v.rounded = true;
    v.rounding = NUM_ROUND_HALF_UP_0_01;
    ttable_expect(&v, "0.61", "0.82");
    ttable_expect(&v, "0.79", "0.52");
    ttable_free(&v);
}

Test(fiscal_capacity, step_table_takes_the_last_point_at_or_below)
{
    static const char *const pts[] = {"0.5:1", "0.65:0.75", "0.8:0.5"};
    param_value v;
    ttable_init(&v, INTERP_STEP, "half_up_0.01", 3, pts);
    ttable_expect(&v, "0.49", "1");
    ttable_expect(&v, "0.5", "1");
    ttable_expect(&v, "0.64", "1");
    ttable_expect(&v, "0.65", "0.75");
    ttable_expect(&v, "0.79", "0.75");
    ttable_expect(&v, "0.8", "0.5");
    ttable_expect(&v, "1.5", "0.5");
    ttable_free(&v);
}

/* A future amendment is a data change: export the rules, add a dated step
 * table from FY2026, load the directory and evaluate both years. */
Test(fiscal_capacity, amended_table_in_exported_rules)
{
    kofu_rules *rules = trules_edited("fiscal_capacity.params", NULL,
                                      "\n[factor_municipality.2026]\ninterpolation = step\n"
                                      "points = 0.5:1, 0.65:0.75, 0.8:0.5\nround = none\n"
                                      "status = provisional\nconfirmed_through = none\n"
                                      "source = kofu_interp\nlocator = test amendment\n");

    static const struct {
        const char *fy, *idx, *coef;
    } cases[] = {
        {"2025", "0.7", "0.67"}, /* linear: 11/6 − 5/3 × 0.7 = 0.6666… → 0.67 */
        {"2026", "0.7", "0.75"}, /* step from 0.65 */
        {"2026", "0.64", "1"},
        {"2026", "0.8", "0.5"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char body[64];
        snprintf(body, sizeof body, "index = %s\n", cases[i].idx);
        char *ini = fc_case("municipality", cases[i].fy, body);
        tcase x;
        tcase_run_with(&x, rules, ini, KOFU_LANG_EN);
        cr_expect_str_eq(tcase_str(&x, "fiscal_capacity.coefficient"), cases[i].coef,
                         "FY%s at %s", cases[i].fy, cases[i].idx);
        tcase_free(&x);
        free(ini);
    }
    kofu_rules_free(&rules);
}

/* ---- the three forms of the index ----------------------------------------- */

Test(fiscal_capacity, ratios_rounded_each_then_averaged_and_rounded)
{
    /* 0.24 + 0.26 + 0.27 = 0.77; ÷ 3 = 0.2566… → 0.26 (issue #3) */
    char *ini = fc_case("municipality", "R7", "ratio_1 = 0.244\nratio_2 = 0.255\nratio_3 = 0.266\n");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    cr_expect_str_eq(tcase_str(&x, "fiscal_capacity.index"), "0.26");
    cr_expect_str_eq(tcase_str(&x, "fiscal_capacity.coefficient"), "1");
    tcase_free(&x);
    free(ini);
}

Test(fiscal_capacity, rounding_each_year_first_changes_the_result)
{
    /* rounded first: 0.24 + 0.24 + 0.25 = 0.73, ÷ 3 = 0.2433… → 0.24;
     * averaging the raw ratios would give 0.742 ÷ 3 = 0.2473… → 0.25 */
    char *ini = fc_case("municipality", "R7", "ratio_1 = 0.244\nratio_2 = 0.244\nratio_3 = 0.254\n");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    cr_expect_str_eq(tcase_str(&x, "fiscal_capacity.index"), "0.24");
    tcase_free(&x);
    free(ini);
}

Test(fiscal_capacity, half_up_not_half_even)
{
    /* 0.125 → 0.13 and 0.135 → 0.14 (half up, not to even): 0.13+0.14+0.13 = 0.4 ÷ 3 → 0.13 */
    char *ini = fc_case("municipality", "R7", "ratio_1 = 0.125\nratio_2 = 0.135\nratio_3 = 12.5%\n");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    cr_expect_str_eq(tcase_str(&x, "fiscal_capacity.index"), "0.13");
    tcase_free(&x);
    free(ini);
}

Test(fiscal_capacity, revenue_and_demand_pairs)
{
    /* 3,050,000 / 5,000,000 = 0.61; 3,127,500 / 5,100,000 = 0.61323… → 0.61;
     * 3,215,000 / 5,000,000 = 0.643 → 0.64; (0.61 + 0.61 + 0.64) / 3 = 0.62 → factor
     * 11/6 − 5/3 × 0.62 = 0.8 → 0.8 */
    char *ini = fc_case("municipality", "R7",
                        "revenue_1 = 3,050,000\ndemand_1 = 5,000,000\n"
                        "revenue_2 = 3,127,500\ndemand_2 = 5,100,000\n"
                        "revenue_3 = 3215千円\ndemand_3 = 500万円\n");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    cr_expect_str_eq(tcase_str(&x, "fiscal_capacity.index"), "0.62");
    cr_expect_str_eq(tcase_str(&x, "fiscal_capacity.coefficient"), "0.8");
    cr_expect_str_eq(tcase_str(&x, "fiscal_capacity.rate"), "0.4");
    tcase_free(&x);
    free(ini);
}

Test(fiscal_capacity, index_traced_step_by_step)
{
    char *ini = fc_case("municipality", "R7", "ratio_1 = 0.244\nratio_2 = 0.255\nratio_3 = 0.266\n");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    const kofu_node *trace = kofu_node_get(kofu_result_root(x.r), "trace");
    static const char *const want[][2] = {
        {"fiscal_capacity.ratio_1", "0.244"},         {"fiscal_capacity.ratio_1_rounded", "0.24"},
        {"fiscal_capacity.ratio_2", "0.255"},         {"fiscal_capacity.ratio_2_rounded", "0.26"},
        {"fiscal_capacity.ratio_3", "0.266"},         {"fiscal_capacity.ratio_3_rounded", "0.27"},
        {"fiscal_capacity.ratio_sum", "0.77"},        {"fiscal_capacity.ratio_average", "77/300"},
        {"fiscal_capacity.index", "0.26"},            {"fiscal_capacity.factor_municipality", "1"},
        {"fiscal_capacity.coefficient", "1"},         {"fiscal_capacity.measure_rate", "0.5"},
        {"fiscal_capacity.rate", "0.5"},
    };
    cr_assert_eq(kofu_node_size(trace), sizeof want / sizeof want[0]);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const kofu_node *t = kofu_node_at(trace, i);
        cr_expect_str_eq(kofu_node_str(kofu_node_get(t, "step")), want[i][0]);
        cr_expect_str_eq(kofu_node_str(kofu_node_get(t, "value")), want[i][1], "%s", want[i][0]);
    }
    cr_expect_str_eq(kofu_node_str(kofu_node_get(kofu_node_at(trace, 8), "rule")),
                     "half_up_0.01(77/300)");
    tcase_free(&x);
    free(ini);
}

/* ---- the override ----------------------------------------------------------- */

Test(fiscal_capacity, coefficient_given_overrides_and_warns)
{
    char *ini = fc_case("municipality", "R7", "index = 0.65\ncoefficient = 0.9\n");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    cr_expect_str_eq(tcase_str(&x, "fiscal_capacity.index"), "0.65");
    cr_expect_str_eq(tcase_str(&x, "fiscal_capacity.coefficient"), "0.9");
    cr_expect_str_eq(tcase_str(&x, "fiscal_capacity.rate"), "0.45");
    cr_expect(kofu_node_bool(kofu_node_get(kofu_result_root(x.r), "fiscal_capacity.given")));
    const kofu_node *w = kofu_node_get(kofu_result_root(x.r), "warnings");
    cr_assert_eq(kofu_node_size(w), 1);
    cr_expect_str_eq(kofu_node_str(kofu_node_get(kofu_node_at(w, 0), "code")), "coefficient_given");
    cr_expect_str_eq(kofu_node_str(kofu_node_get(kofu_node_at(w, 0), "message")),
                     "財政力補正係数はケースで指定された 0.9 を使っています（特別交付税に関する省令 "
                     "第五条第一項第三号イ（市町村） による値は f(0.65) = 0.75）");
    tcase_free(&x);
    free(ini);
}

Test(fiscal_capacity, coefficient_given_in_english)
{
    char *ini = fc_case("prefecture", "R7", "index = 0.65\ncoefficient = 1\n");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_EN);
    cr_expect_str_eq(tcase_str(&x, "fiscal_capacity.coefficient"), "1");
    cr_expect_str_eq(tcase_str(&x, "fiscal_capacity.rate"), "0.5");
    const kofu_node *w = kofu_node_get(kofu_result_root(x.r), "warnings");
    cr_expect_str_eq(kofu_node_str(kofu_node_get(kofu_node_at(w, 0), "message")),
                     "the fiscal-capacity factor 1 given by the case is used (特別交付税に関する省令 "
                     "art. 4(1)(i) (prefectures) gives f(0.65) = 0.6)");
    tcase_free(&x);
    free(ini);
}

/* ---- validation ------------------------------------------------------------ */

Test(fiscal_capacity, mixing_forms_is_an_error)
{
    char *ini = fc_case("municipality", "R7", "index = 0.65\nratio_1 = 0.6\n");
    texpect_case_error(ini, KOFU_LANG_EN,
                 "t.ini: [fiscal_capacity] ratio_1: index and ratio_1 cannot be given together: "
                 "write the fiscal capacity index in one form only (index; ratio_1..ratio_3; or "
                 "revenue_1..revenue_3 with demand_1..demand_3) (line 8)\n");
    free(ini);
    ini = fc_case("municipality", "R7",
                  "ratio_1 = 0.6\nratio_2 = 0.6\nratio_3 = 0.6\nrevenue_1 = 1\ndemand_1 = 2\n");
    texpect_case_error(ini, KOFU_LANG_JA,
                 "t.ini: [fiscal_capacity] revenue_1: ratio_1 と revenue_1 は一緒に書けません。"
                 "財政力指数は index、ratio_1〜ratio_3、revenue_1〜revenue_3 と demand_1〜demand_3 "
                 "のどれか一つの形で書いてください（10行目）\n");
    free(ini);
}

Test(fiscal_capacity, incomplete_form_names_each_missing_key)
{
    char *ini = fc_case("municipality", "R7", "revenue_1 = 1\ndemand_1 = 2\nrevenue_2 = 1\ndemand_3 = 2\n");
    texpect_case_error(ini, KOFU_LANG_EN,
                 "t.ini: [fiscal_capacity] demand_2: demand_2 is missing (the form revenue_1〜revenue_3, "
                 "demand_1〜demand_3 needs all three years) (line 6)\n"
                 "t.ini: [fiscal_capacity] revenue_3: revenue_3 is missing (the form revenue_1〜revenue_3, "
                 "demand_1〜demand_3 needs all three years) (line 6)\n");
    free(ini);
    ini = fc_case("municipality", "R7", "ratio_1 = 0.5\nratio_3 = 0.5\n");
    texpect_case_error(ini, KOFU_LANG_JA,
                 "t.ini: [fiscal_capacity] ratio_2: ratio_2 がありません（ratio_1〜ratio_3 "
                 "の形では三年度分すべてが必要です）（6行目）\n");
    free(ini);
}

Test(fiscal_capacity, no_form_is_an_error)
{
    char *ini = fc_case("municipality", "R7", "coefficient = 0.9\n");
    texpect_case_error(ini, KOFU_LANG_EN,
                 "t.ini: [fiscal_capacity] no fiscal capacity index: give index, or ratio_1..ratio_3, "
                 "or revenue_1..revenue_3 with demand_1..demand_3 (line 6)\n");
    free(ini);
}

Test(fiscal_capacity, index_with_three_decimals_is_an_error)
{
    char *ini = fc_case("municipality", "R7", "index = 0.655\n");
    char *got = tcase_error_text(ini, KOFU_LANG_EN);
    cr_expect(strstr(got, "t.ini: [fiscal_capacity] index: ") == got, "%s", got);
    cr_expect(strstr(got, "(line 7)") != NULL, "%s", got);
    free(got);
    free(ini);
}

Test(fiscal_capacity, zero_demand_is_an_error)
{
    char *ini = fc_case("municipality", "R7",
                        "revenue_1 = 1\ndemand_1 = 0\nrevenue_2 = 1\ndemand_2 = 2\n"
                        "revenue_3 = 1\ndemand_3 = 2\n");
    char *got = tcase_error_text(ini, KOFU_LANG_EN);
    cr_expect(strstr(got, "t.ini: [fiscal_capacity] demand_1: ") == got, "%s", got);
    free(got);
    free(ini);
}

Test(fiscal_capacity, before_fy2022_names_the_parameter)
{
    char *ini = fc_case("municipality", "2021", "index = 0.5\n");
    texpect_case_error(ini, KOFU_LANG_EN,
                 "t.ini: [fiscal_capacity] no value of parameter fiscal_capacity.measure_rate in "
                 "FY2021 (R3): its first value is from FY2022 (R4) (line 6)\n");
    free(ini);
}

Test(fiscal_capacity, carried_forward_after_2025)
{
    char *ini = fc_case("municipality", "2026", "index = 0.65\n");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_EN);
    cr_expect_str_eq(tcase_str(&x, "fiscal_capacity.coefficient"), "0.75");
    /* one warning for both values, grouped under the component */
    const kofu_node *w = kofu_node_get(kofu_result_root(x.r), "warnings");
    cr_assert_eq(kofu_node_size(w), 1);
    cr_expect_str_eq(kofu_node_str(kofu_node_get(kofu_node_at(w, 0), "code")),
                     "parameter_carried_forward");
    cr_expect(strstr(kofu_node_str(kofu_node_get(kofu_node_at(w, 0), "message")),
                     "fiscal-capacity adjustment — factor_municipality, measure_rate (confirmed "
                     "through FY2025 (R7))") != NULL,
              "%s", kofu_node_str(kofu_node_get(kofu_node_at(w, 0), "message")));
    tcase_free(&x);
    free(ini);
}
