/*
 * test_sweep.c — the sweep machinery: exact ranges (kofu_range_expand), sweep
 * points validated like a file (kofu_case_set, kofu_case_set_many), the
 * default sweep columns, and a rule table edited to step interpolation.
 * The amounts of the cooperative measure itself are case files in
 * tests/measures/cooperative/ and goldens in tests/golden/cooperative/.
 */
#define _GNU_SOURCE /* asprintf */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kofu/kofu.h"
#include "support.h"

/* field: a key of measures.cooperative, or a full path when it has a dot. */
static void expect_amount(const tcase *x, const char *field, int64_t want)
{
    char path[128];
    snprintf(path, sizeof path, strchr(field, '.') ? "%s" : "measures.cooperative.%s", field);
    tcase_expect_amount(x, path, want);
}

static void expect_decimal(const tcase *x, const char *field, const char *want)
{
    char path[128];
    snprintf(path, sizeof path, "measures.cooperative.%s", field);
    const kofu_node *n = kofu_node_get(tcase_root(x), path);
    cr_assert_not_null(n, "%s missing", path);
    cr_expect_eq(kofu_node_type(n), KOFU_NODE_DECIMAL);
    cr_expect_str_eq(kofu_node_str(n), want, "%s", path);
}

#define HEAD "[case]\nid = t\nfiscal_year = R4\n\n"

/* The published example cooperative (特定地域づくり事業協同組合制度の概要, R4):
 * 6 workers, 20,000,000 + 4,000,000. */
static char *seed_case(const char *utilization, const char *extra)
{
    char *s = NULL;
    cr_assert_geq(asprintf(&s,
                           HEAD "[cooperative]\nworkers = 6\npersonnel_cost = 20,000,000\n"
                                "secretariat_cost = 4,000,000\nutilization = %s\n%s",
                           utilization, extra),
                  0);
    return s;
}

/* ---- the taper as rule data: a step table ---------------------------------- */

static kofu_rules *rules_with_step_taper(void)
{
    return trules_edited("cooperative.params", "interpolation = linear\npoints = 0:0, 0.8:1\n",
                         "interpolation = step\npoints = 0:0, 0.5:0.5, 0.6:0.75, 0.7:0.875, 0.8:1\n");
}

/* Step table: 75% → 0.875 (the step at 0.7): 24,000,000 × 0.875 = 21,000,000;
 * 65% → 0.75: 18,000,000; 50% → 0.5: 12,000,000; 49% → 0: 0; 80% → 1. */
Test(rule_data, step_taper_table)
{
    static const struct {
        const char *u;
        int64_t cap;
    } pts[] = {{"75%", 21000000}, {"65%", 18000000}, {"50%", 12000000}, {"49%", 0}, {"80%", 24000000}};
    kofu_rules *rules = rules_with_step_taper();
    for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
        char *ini = seed_case(pts[i].u, "");
        tcase x;
        tcase_run_with(&x, rules, ini, KOFU_LANG_JA);
        expect_amount(&x, "personnel_cap", pts[i].cap);
        tcase_free(&x);
        free(ini);
    }
    kofu_rules_free(&rules);
}

/* ---- sweeps: exact ranges, the same validation as a file ---------------------- */

Test(sweep, range_in_percent_lands_on_80_exactly)
{
    char **v = NULL;
    size_t n = 0;
    cr_assert_eq(kofu_range_expand("50%:100%:5%", NULL, &v, &n), KOFU_OK);
    cr_assert_eq(n, 11);
    cr_expect_str_eq(v[0], "50%");
    cr_expect_str_eq(v[6], "80%");
    cr_expect_str_eq(v[10], "100%");
    kofu_range_free(&v, n);
    cr_assert_null(v);
    /* 0.5 + 6 × 0.05 is 0.8, never 0.8000000000000002 */
    cr_assert_eq(kofu_range_expand("0.5:1:0.05", NULL, &v, &n), KOFU_OK);
    cr_assert_eq(n, 11);
    cr_expect_str_eq(v[6], "0.8");
    cr_expect_str_eq(v[9], "0.95");
    kofu_range_free(&v, n);
}

Test(sweep, range_units_and_directions)
{
    char **v = NULL;
    size_t n = 0;
    cr_assert_eq(kofu_range_expand("1000千円:1200千円:100千円", NULL, &v, &n), KOFU_OK);
    cr_assert_eq(n, 3);
    cr_expect_str_eq(v[1], "1100千円");
    kofu_range_free(&v, n);
    cr_assert_eq(kofu_range_expand("1万円:2万円:5000円", NULL, &v, &n), KOFU_OK);
    cr_assert_eq(n, 3);
    cr_expect_str_eq(v[1], "1.5万円");
    kofu_range_free(&v, n);
    cr_assert_eq(kofu_range_expand("10:2:-3", NULL, &v, &n), KOFU_OK);
    cr_assert_eq(n, 3); /* 10, 7, 4 — 1 would pass TO */
    cr_expect_str_eq(v[2], "4");
    kofu_range_free(&v, n);
    cr_assert_eq(kofu_range_expand("5:5:1", NULL, &v, &n), KOFU_OK);
    cr_assert_eq(n, 1);
    kofu_range_free(&v, n);
}

static void expect_range_error(const char *range, const char *want_en)
{
    kofu_diag *d = NULL;
    cr_assert_eq(kofu_diag_new(KOFU_LANG_EN, &d), KOFU_OK);
    char **v = NULL;
    size_t n = 0;
    cr_expect_eq(kofu_range_expand(range, d, &v, &n), KOFU_EUSAGE, "%s", range);
    cr_expect_null(v);
    cr_assert_eq(kofu_diag_count(d), 1);
    cr_expect_str_eq(kofu_diag_message(d, 0), want_en, "%s", range);
    kofu_diag_free(&d);
}

Test(sweep, range_errors)
{
    expect_range_error("50%:100%:0%", "the step is 0");
    expect_range_error("50%:100%:-5%", "the step goes the wrong way (from FROM away from TO)");
    expect_range_error("0:10001:1", "too many points (at most 10,000)");
    expect_range_error("50%:100%", "a range is FROM:TO:STEP (e.g. 50%:100%:5%)");
    expect_range_error("1:2:3:4", "a range is FROM:TO:STEP (e.g. 50%:100%:5%)");
    expect_range_error("50%:1000円:5%", "a range cannot mix a ratio (%) with yen");
    expect_range_error("1/3:1:1/3", "FROM, TO and STEP are decimals with an optional unit (%, 千円, 万円, 円), "
                                    "without thousands separators");
    expect_range_error("1,000:2,000:100", "FROM, TO and STEP are decimals with an optional unit (%, 千円, 万円, "
                                          "円), without thousands separators");
    char **v = NULL;
    size_t n = 0;
    cr_expect_eq(kofu_range_expand("0:9999:1", NULL, &v, &n), KOFU_OK); /* exactly 10,000 */
    cr_expect_eq(n, 10000);
    kofu_range_free(&v, n);
}

/* Each sweep point through kofu_case_set: 80% from the range is exactly 0.8
 * (no taper, no warning); 120% is refused with the loader's message. */
Test(sweep, case_set_validates_like_the_loader)
{
    char *ini = seed_case("50%", "");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    char **v = NULL;
    size_t n = 0;
    cr_assert_eq(kofu_range_expand("50%:120%:5%", NULL, &v, &n), KOFU_OK);
    cr_assert_eq(n, 15);
    cr_assert_eq(kofu_case_set(x.c, "cooperative.utilization", v[6], x.diag), KOFU_OK);
    tcase_evaluate(&x, KOFU_LANG_JA);
    expect_decimal(&x, "utilization", "0.8");
    expect_amount(&x, "personnel_cap", 24000000);
    cr_expect_eq(tcase_count_warnings(&x, "taper_provisional"), 0);
    cr_assert_eq(kofu_case_set(x.c, "cooperative.utilization", v[14], x.diag), KOFU_ECASE);
    char *got = tdiag_text(x.diag);
    cr_expect_str_eq(got, "t.ini: [cooperative] utilization: 範囲外の値です: 120%（100% 以下）\n");
    free(got);
    kofu_range_free(&v, n);
    tcase_free(&x);
    free(ini);
}

/* Two values that depend on each other are judged together: going from
 * (dispatched 1,000, scheduled 1,500) to (1,600, 1,800) passes through
 * (1,600, 1,500) if set one by one, but not with kofu_case_set_many. */
Test(sweep, case_set_many_judges_the_point_as_a_whole)
{
    const char *ini = HEAD "[cooperative]\n\n[cooperative.worker.a]\npersonnel_cost = 3,000,000\n"
                           "hours_scheduled = 1500\nhours_dispatched = 1000\n";
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_EN);
    expect_decimal(&x, "utilization", "2/3");
    const char *keys[] = {"cooperative.worker.a.hours_dispatched", "cooperative.worker.a.hours_scheduled"};
    const char *vals[] = {"1600", "1800"};
    cr_assert_eq(kofu_case_set_many(x.c, 2, keys, vals, x.diag), KOFU_OK);
    tcase_evaluate(&x, KOFU_LANG_EN);
    expect_decimal(&x, "utilization", "8/9");
    const char *bad[] = {"1900", "1800"};
    cr_assert_eq(kofu_case_set_many(x.c, 2, keys, bad, x.diag), KOFU_ECASE);
    char *got = tdiag_text(x.diag);
    cr_expect_str_eq(got, "t.ini: [cooperative.worker.a] hours_dispatched: dispatched hours 1900 exceed the "
                          "scheduled hours (hours_scheduled = 1800)\n");
    free(got);
    tcase_free(&x);
}

Test(sweep, default_columns_of_the_cooperative)
{
    static const char *const want[] = {"utilization", "personnel_cap", "eligible_cost", "national_grant",
                                       "municipal_net_burden", "required_usage_fees", "usage_fee_income",
                                       "balance", "break_even_hourly_fee"};
    size_t k = 0;
    for (size_t i = 0; i < kofu_sweep_column_count(); i++) {
        const char *m, *a;
        kofu_sweep_column_at(i, &m, &a);
        if (strcmp(m, "cooperative") != 0)
            continue;
        cr_assert_lt(k, sizeof want / sizeof want[0]);
        cr_expect_str_eq(a, want[k]);
        k++;
    }
    cr_expect_eq(k, sizeof want / sizeof want[0]);
    cr_expect(kofu_output_known("cooperative.balance"));
    cr_expect(kofu_output_known("totals.national_grant"));
    cr_expect_not(kofu_output_known("cooperative.secretariat_cost"));
    cr_expect_not(kofu_output_known("nothing.here"));
}
