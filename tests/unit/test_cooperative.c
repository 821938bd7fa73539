/*
 * test_cooperative.c — 特定地域づくり事業協同組合 (docs/cooperative.md)
 * and the sweep API (kofu_range_expand, kofu_case_set_many).
 * Every expected amount is worked out by hand in the comment beside it.
 */
#define _GNU_SOURCE /* asprintf */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kofu/kofu.h"
#include "support.h"

/* ---- helpers ------------------------------------------------------------- */

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

static void expect_absent(const tcase *x, const char *field)
{
    char path[128];
    snprintf(path, sizeof path, "measures.cooperative.%s", field);
    cr_expect_null(kofu_node_get(tcase_root(x), path), "%s should be omitted", path);
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

/* ---- the seed example ------------------------------------------------------ */

/* caps 4,000,000 × 6 × 1 = 24,000,000 and 6,000,000; eligible 20,000,000 +
 * 4,000,000 = 24,000,000; subsidy ½ = 12,000,000; nation ½ = 6,000,000; town
 * 6,000,000; 特別交付税 ½ = 3,000,000; net 3,000,000; usage fees 24 − 12 = 12,000,000
 * (the same example: 利用料金収入 1,200万円, 国交付金 600万円, 特別交付税 300万円). */
Test(cooperative, seed_example_at_80_percent)
{
    char *ini = seed_case("80%", "");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    expect_decimal(&x, "utilization", "0.8");
    expect_decimal(&x, "worker_years", "6");
    expect_amount(&x, "personnel_cap", 24000000);
    expect_amount(&x, "secretariat_cap", 6000000);
    expect_amount(&x, "eligible_personnel", 20000000);
    expect_amount(&x, "eligible_secretariat", 4000000);
    expect_amount(&x, "eligible_cost", 24000000);
    expect_amount(&x, "municipal_subsidy_max", 12000000);
    expect_amount(&x, "municipal_subsidy", 12000000);
    expect_amount(&x, "national_grant", 6000000);
    expect_amount(&x, "municipal_share", 6000000);
    expect_amount(&x, "special_tax_grant", 3000000);
    expect_amount(&x, "municipal_net_burden", 3000000);
    expect_amount(&x, "required_usage_fees", 12000000);
    expect_amount(&x, "establishment_special_tax_grant", 0);
    expect_amount(&x, "totals.national_grant", 6000000);
    expect_amount(&x, "totals.special_tax_grant", 3000000);
    expect_absent(&x, "balance");
    expect_absent(&x, "break_even_hourly_fee");
    cr_expect_eq(kofu_node_size(kofu_node_get(tcase_root(&x), "measures.cooperative.violations")), 0);
    /* 80% is not below 80%: no taper, no warning; FY2022 is confirmed. */
    cr_expect_eq(kofu_node_size(kofu_node_get(tcase_root(&x), "warnings")), 0);
    tcase_free(&x);
    free(ini);
}

/* 70%: taper 0.7 / 0.8 = 0.875 exactly; 24,000,000 × 0.875 = 21,000,000 (not
 * 20,999,999); personnel 20,000,000 still within it, so the money is the same. */
Test(cooperative, seventy_percent_cap_is_exact)
{
    char *ini = seed_case("70%", "");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    expect_amount(&x, "personnel_cap", 21000000);
    expect_amount(&x, "eligible_personnel", 20000000);
    expect_amount(&x, "eligible_cost", 24000000);
    expect_amount(&x, "national_grant", 6000000);
    cr_expect_eq(tcase_count_warnings(&x, "taper_provisional"), 1);
    tcase_free(&x);
    free(ini);
}

/* 40%: taper 0.5; cap 12,000,000 bites: eligible 12,000,000 + 4,000,000 =
 * 16,000,000; subsidy 8,000,000; nation 4,000,000; town 4,000,000; 特別交付税
 * 2,000,000; net 2,000,000; usage fees 24,000,000 − 8,000,000 = 16,000,000. */
Test(cooperative, forty_percent_cap_bites)
{
    char *ini = seed_case("40%", "");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    expect_amount(&x, "personnel_cap", 12000000);
    expect_amount(&x, "eligible_personnel", 12000000);
    expect_amount(&x, "eligible_cost", 16000000);
    expect_amount(&x, "municipal_subsidy", 8000000);
    expect_amount(&x, "national_grant", 4000000);
    expect_amount(&x, "municipal_share", 4000000);
    expect_amount(&x, "special_tax_grant", 2000000);
    expect_amount(&x, "municipal_net_burden", 2000000);
    expect_amount(&x, "required_usage_fees", 16000000);
    cr_expect_eq(tcase_count_warnings(&x, "taper_provisional"), 1);
    const kofu_node *w = kofu_node_at(kofu_node_get(tcase_root(&x), "warnings"), 0);
    cr_expect_str_eq(kofu_node_str(kofu_node_get(w, "message")),
                     "稼働率 40% により人件費の上限額を 0.5 倍にしました（逓減）。逓減の形は暫定です"
                     "（kofu rules --export で taper を編集できます）");
    tcase_free(&x);
    free(ini);
}

/* 35%: taper 0.4375; cap 10,500,000; eligible 14,500,000; subsidy 7,250,000;
 * nation 3,625,000; town 3,625,000; ½ = 1,812,500 → half_up_1000 → 1,813,000
 * (a remainder of exactly 500 goes up); net 1,812,000. */
Test(cooperative, special_tax_grant_rounds_500_up)
{
    char *ini = seed_case("35%", "");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    expect_amount(&x, "personnel_cap", 10500000);
    expect_amount(&x, "eligible_cost", 14500000);
    expect_amount(&x, "national_grant", 3625000);
    expect_amount(&x, "special_tax_grant", 1813000);
    expect_amount(&x, "municipal_net_burden", 1812000);
    tcase_free(&x);
    free(ini);
}

/* ---- workers and months -------------------------------------------------- */

/* a: 12 months, 5,000,000; b: 6 months, 3,000,000. Cap 4,000,000 × 18/12 =
 * 6,000,000: b brings half a cap. Eligible personnel min(8,000,000, 6,000,000). */
Test(cooperative, six_month_worker_gets_half_a_cap)
{
    const char *ini = HEAD "[cooperative]\nutilization = 100%\n\n"
                           "[cooperative.worker.a]\npersonnel_cost = 5,000,000\n\n"
                           "[cooperative.worker.b]\npersonnel_cost = 3,000,000\nmonths = 6\n";
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    expect_decimal(&x, "worker_years", "1.5");
    expect_amount(&x, "personnel_cap", 6000000);
    expect_amount(&x, "eligible_personnel", 6000000);
    expect_amount(&x, "eligible_secretariat", 0);
    expect_amount(&x, "eligible_cost", 6000000);
    /* total 8,000,000 − subsidy 3,000,000 */
    expect_amount(&x, "required_usage_fees", 5000000);
    tcase_free(&x);
}

/* 7 months: worker_years 7/12 (no finite decimal); cap floor_1(4,000,000 × 7/12 =
 * 2,333,333.33…) = 2,333,333. Subsidy max floor_1(2,333,333 / 2) = 1,166,666;
 * nation floor_1000(583,333) = 583,000; town 583,666; ½ = 291,833 → 292,000. */
Test(cooperative, seven_months_is_an_exact_fraction)
{
    const char *ini = HEAD "[cooperative]\nutilization = 90%\n\n"
                           "[cooperative.worker.x]\npersonnel_cost = 3,000,000\nmonths = 7\n";
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    expect_decimal(&x, "worker_years", "7/12");
    expect_amount(&x, "personnel_cap", 2333333);
    expect_amount(&x, "eligible_cost", 2333333);
    expect_amount(&x, "municipal_subsidy_max", 1166666);
    expect_amount(&x, "national_grant", 583000);
    expect_amount(&x, "municipal_share", 583666);
    expect_amount(&x, "special_tax_grant", 292000);
    expect_amount(&x, "municipal_net_burden", 291666);
    tcase_free(&x);
}

/* Secretariat for 7 months: 6,000,000 × 7/12 = 3,500,000 < 4,000,000. */
Test(cooperative, secretariat_cap_prorated_by_operating_months)
{
    char *ini = seed_case("80%", "operating_months = 7\n");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    expect_amount(&x, "secretariat_cap", 3500000);
    expect_amount(&x, "eligible_secretariat", 3500000);
    expect_amount(&x, "eligible_cost", 23500000);
    tcase_free(&x);
    free(ini);
}

/* ---- utilization ----------------------------------------------------------- */

/* Derived: (1,700 + 800 + 1,500) / (1,800 + 900 + 1,800) = 4,000 / 4,500 = 8/9. */
static const char hours_case[] =
    HEAD "[cooperative]\nsecretariat_cost = 3,000,000\n\n"
         "[cooperative.worker.a]\npersonnel_cost = 3,600,000\nhours_scheduled = 1800\n"
         "hours_dispatched = 1700\nhours_top_employer = 1000\n\n"
         "[cooperative.worker.b]\npersonnel_cost = 2,000,000\nmonths = 6\nhours_scheduled = 900\n"
         "hours_dispatched = 800\nhours_top_employer = 640\n\n"
         "[cooperative.worker.c]\npersonnel_cost = 3,600,000\nhours_scheduled = 1800\n"
         "hours_dispatched = 1500\nhours_top_employer = 1300\n";

/* worker-years 30/12 = 2.5; cap 10,000,000; eligible 9,200,000 + 3,000,000 =
 * 12,200,000; subsidy 6,100,000; nation 3,050,000; 特別交付税 1,525,000; usage
 * fees 12,200,000 − 6,100,000 = 6,100,000; break-even 6,100,000 / 4,000 = 1,525.
 * Violations: c (1,300 > 0.8 × 1,500 = 1,200); b is exactly 80% (640), allowed. */
Test(cooperative, utilization_from_hours_and_violations)
{
    tcase x;
    tcase_run(&x, hours_case, KOFU_LANG_JA);
    expect_decimal(&x, "utilization", "8/9");
    expect_decimal(&x, "worker_years", "2.5");
    expect_amount(&x, "personnel_cap", 10000000);
    expect_amount(&x, "eligible_cost", 12200000);
    expect_amount(&x, "national_grant", 3050000);
    expect_amount(&x, "special_tax_grant", 1525000);
    expect_amount(&x, "required_usage_fees", 6100000);
    expect_amount(&x, "break_even_hourly_fee", 1525);
    const kofu_node *v = kofu_node_get(tcase_root(&x), "measures.cooperative.violations");
    cr_assert_eq(kofu_node_size(v), 1);
    cr_expect_str_eq(kofu_node_str(kofu_node_get(kofu_node_at(v, 0), "code")), "single_employer_over_80");
    cr_expect_str_eq(kofu_node_str(kofu_node_get(kofu_node_at(v, 0), "worker")), "c");
    cr_expect_eq(kofu_node_size(kofu_node_get(tcase_root(&x), "warnings")), 0);
    tcase_free(&x);
}

/* Violations follow the order of the worker sections. */
Test(cooperative, violations_in_file_order)
{
    const char *ini = HEAD "[cooperative]\nutilization = 90%\n\n"
                           "[cooperative.worker.z]\npersonnel_cost = 1\nhours_dispatched = 1500\nhours_top_employer = 1300\n\n"
                           "[cooperative.worker.a]\npersonnel_cost = 1\nhours_dispatched = 1000\nhours_top_employer = 801\n\n"
                           "[cooperative.worker.m]\npersonnel_cost = 1\nhours_dispatched = 1000\nhours_top_employer = 800\n";
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    const kofu_node *v = kofu_node_get(tcase_root(&x), "measures.cooperative.violations");
    cr_assert_eq(kofu_node_size(v), 2);
    cr_expect_str_eq(kofu_node_str(kofu_node_get(kofu_node_at(v, 0), "worker")), "z");
    cr_expect_str_eq(kofu_node_str(kofu_node_get(kofu_node_at(v, 1), "worker")), "a");
    tcase_free(&x);
}

/* One worker without hours: utilization cannot be derived, so 1 is assumed
 * and said so; break-even needs every worker's dispatched hours. */
/* Hours for some workers only are an error naming the others;
 * no hours at all (and no utilization) assume 1, said so. */
Test(cooperative, utilization_assumed_when_no_hours)
{
    texpect_case_error(HEAD "[cooperative]\n\n"
                            "[cooperative.worker.a]\npersonnel_cost = 3,000,000\nhours_scheduled = 1800\nhours_dispatched = 1000\n\n"
                            "[cooperative.worker.b]\npersonnel_cost = 3,000,000\n",
                       KOFU_LANG_EN,
                       "t.ini: [cooperative.worker.b] hours_scheduled: the workers' hours are not given alike: "
                       "hours_scheduled is missing for b (given for a); give it for every worker or for none (line 12)\n"
                       "t.ini: [cooperative.worker.b] hours_dispatched: the workers' hours are not given alike: "
                       "hours_dispatched is missing for b (given for a); give it for every worker or for none (line 12)\n");
    const char *ini = HEAD "[cooperative]\n\n"
                           "[cooperative.worker.a]\npersonnel_cost = 3,000,000\n\n"
                           "[cooperative.worker.b]\npersonnel_cost = 3,000,000\n";
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_EN);
    expect_decimal(&x, "utilization", "1");
    expect_amount(&x, "personnel_cap", 8000000);
    expect_absent(&x, "break_even_hourly_fee");
    cr_expect_eq(tcase_count_warnings(&x, "utilization_assumed"), 1);
    cr_expect_eq(tcase_count_warnings(&x, "taper_provisional"), 0);
    tcase_free(&x);
}

/* ---- who pays what -------------------------------------------------------- */

/* Subsidy 14,000,000 above the maximum 12,000,000: the nation pays ½ of the
 * maximum (6,000,000); town 8,000,000, of which 特別交付税 covers ½ of
 * 12,000,000 − 6,000,000 only (3,000,000); net 5,000,000; usage fees 10,000,000. */
Test(cooperative, subsidy_above_max)
{
    char *ini = seed_case("80%", "municipal_subsidy = 14,000,000\n");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    expect_amount(&x, "municipal_subsidy", 14000000);
    expect_amount(&x, "national_grant", 6000000);
    expect_amount(&x, "municipal_share", 8000000);
    expect_amount(&x, "special_tax_grant", 3000000);
    expect_amount(&x, "municipal_net_burden", 5000000);
    expect_amount(&x, "required_usage_fees", 10000000);
    cr_expect_eq(tcase_count_warnings(&x, "subsidy_above_max"), 1);
    tcase_free(&x);
    free(ini);
}

/* Subsidy 10,000,001: nation floor_1000(5,000,000.5) = 5,000,000; town
 * 5,000,001; ½ = 2,500,000.5 → half_up_1000 → 2,500,000; net 2,500,001. */
Test(cooperative, subsidy_below_max_rounds)
{
    char *ini = seed_case("80%", "municipal_subsidy = 10,000,001\n");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    expect_amount(&x, "national_grant", 5000000);
    expect_amount(&x, "municipal_share", 5000001);
    expect_amount(&x, "special_tax_grant", 2500000);
    expect_amount(&x, "municipal_net_burden", 2500001);
    expect_amount(&x, "required_usage_fees", 13999999);
    cr_expect_eq(tcase_count_warnings(&x, "subsidy_above_max"), 0);
    tcase_free(&x);
    free(ini);
}

/* Income 11,000,000 against 12,000,000 needed: balance −1,000,000; other
 * costs 500,000 raise the need to 12,500,000 (balance −1,500,000); 9,001 hours:
 * 12,500,000 / 9,001 = 1,388.73… → ceil → 1,389 yen an hour. */
Test(cooperative, budget_lines)
{
    char *ini = seed_case("80%", "usage_fee_income = 11,000,000\nother_costs = 500,000\nhours_dispatched = 9001\n");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    expect_amount(&x, "required_usage_fees", 12500000);
    expect_amount(&x, "balance", -1500000);
    expect_amount(&x, "break_even_hourly_fee", 1389);
    expect_amount(&x, "eligible_cost", 24000000);
    tcase_free(&x);
    free(ini);
}

/* Establishment 5,000,000 → capped 3,000,000 → ½ = 1,500,000; 2,345,678 → ½ =
 * 1,172,839 → 1,173,000. Both count in totals.special_tax_grant. */
Test(cooperative, establishment_support)
{
    char *a = seed_case("80%", "establishment_cost = 5,000,000\n");
    char *b = seed_case("80%", "establishment_cost = 2,345,678\n");
    tcase x;
    tcase_run(&x, a, KOFU_LANG_JA);
    expect_amount(&x, "establishment_special_tax_grant", 1500000);
    expect_amount(&x, "totals.special_tax_grant", 4500000);
    tcase_free(&x);
    tcase_run(&x, b, KOFU_LANG_JA);
    expect_amount(&x, "establishment_special_tax_grant", 1173000);
    expect_amount(&x, "totals.special_tax_grant", 4173000);
    tcase_free(&x);
    free(a);
    free(b);
}

/* A [cooperative] with only the establishment cost (before any worker). */
Test(cooperative, establishment_only)
{
    const char *ini = HEAD "[cooperative]\nestablishment_cost = 3,000,000\n";
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    expect_amount(&x, "eligible_cost", 0);
    expect_amount(&x, "establishment_special_tax_grant", 1500000);
    cr_expect_eq(kofu_node_size(kofu_node_get(tcase_root(&x), "warnings")), 0);
    tcase_free(&x);
}

/* ---- errors ------------------------------------------------------------------- */

Test(cooperative, error_both_forms)
{
    texpect_case_error(HEAD "[cooperative]\nworkers = 2\npersonnel_cost = 6,000,000\n\n"
                      "[cooperative.worker.a]\npersonnel_cost = 3,000,000\n",
                 KOFU_LANG_JA,
                 "t.ini: [cooperative] workers: 派遣職員の書き方が2通り混ざっています: workers（人数で書く形）と "
                 "[cooperative.worker.a] など（職員ごとのセクション）は同時に使えません。どちらか一方にしてください（6行目）\n"
                 "t.ini: [cooperative] personnel_cost: 派遣職員の書き方が2通り混ざっています: personnel_cost（人数で書く形）と "
                 "[cooperative.worker.a] など（職員ごとのセクション）は同時に使えません。どちらか一方にしてください（7行目）\n");
    texpect_case_error(HEAD "[cooperative]\nhours_dispatched = 100\n\n[cooperative.worker.a]\npersonnel_cost = 1\n",
                 KOFU_LANG_EN,
                 "t.ini: [cooperative] hours_dispatched: two ways of giving the workers are mixed: hours_dispatched "
                 "(the simple form) and [cooperative.worker.a] (per-worker sections) cannot be used together; "
                 "use one of them (line 6)\n");
}

Test(cooperative, error_worker_without_cooperative)
{
    texpect_case_error(HEAD "[cooperative.worker.a]\npersonnel_cost = 3,000,000\n", KOFU_LANG_JA,
                 "t.ini: [cooperative.worker.a] 組合の [cooperative] セクションがありません。派遣職員のセクションを"
                 "書くときは [cooperative] も必要です（中身は空でもかまいません）（5行目）\n");
}

Test(cooperative, error_months_out_of_range)
{
    texpect_case_error(HEAD "[cooperative]\n\n[cooperative.worker.a]\npersonnel_cost = 1\nmonths = 0\n\n"
                      "[cooperative.worker.b]\npersonnel_cost = 1\nmonths = 13\n",
                 KOFU_LANG_JA,
                 "t.ini: [cooperative.worker.a] months: 範囲外の値です: 0（1 以上）（9行目）\n"
                 "t.ini: [cooperative.worker.b] months: 範囲外の値です: 13（12 以下）（13行目）\n");
}

Test(cooperative, error_utilization_above_100)
{
    char *ini = seed_case("120%", "");
    texpect_case_error(ini, KOFU_LANG_JA, "t.ini: [cooperative] utilization: 範囲外の値です: 120%（100% 以下）（9行目）\n");
    free(ini);
}

Test(cooperative, error_hours)
{
    texpect_case_error(HEAD "[cooperative]\n\n[cooperative.worker.a]\npersonnel_cost = 1\nhours_scheduled = 1500\n"
                      "hours_dispatched = 1600\n\n"
                      "[cooperative.worker.b]\npersonnel_cost = 1\nhours_dispatched = 1400\nhours_top_employer = 1450\n\n"
                      "[cooperative.worker.c]\npersonnel_cost = 1\nhours_top_employer = 100\n",
                 KOFU_LANG_JA,
                 "t.ini: [cooperative.worker.a] hours_dispatched: 派遣労働時間 1600 が所定労働時間 "
                 "hours_scheduled = 1500 を超えています（10行目）\n"
                 "t.ini: [cooperative.worker.b] hours_top_employer: 一の事業者での労働時間 1450 が派遣労働時間 "
                 "hours_dispatched = 1400 を超えています（15行目）\n"
                 "t.ini: [cooperative.worker.c] hours_top_employer: 一の事業者での労働時間の確認には "
                 "hours_dispatched（派遣労働時間）が必要です（19行目）\n"
                 "t.ini: [cooperative.worker.b] hours_scheduled: 労働時間の書き方が職員によって違います: "
                 "hours_scheduled が職員 b, c にありません（a にはあります）。全員に書くか、全員から外してください（12行目）\n"
                 "t.ini: [cooperative.worker.c] hours_dispatched: 労働時間の書き方が職員によって違います: "
                 "hours_dispatched が職員 c にありません（a, b にはあります）。全員に書くか、全員から外してください（17行目）\n");
}

Test(cooperative, error_simple_form_incomplete)
{
    texpect_case_error(HEAD "[cooperative]\nworkers = 3\n", KOFU_LANG_EN,
                 "t.ini: [cooperative] personnel_cost: workers (the head count) needs personnel_cost (their "
                 "total cost) (line 5)\n");
    texpect_case_error(HEAD "[cooperative]\npersonnel_cost = 3,000,000\n", KOFU_LANG_JA,
                 "t.ini: [cooperative] personnel_cost: personnel_cost を書くときは workers（派遣職員数）も必要です"
                 "（職員ごとに書く場合は [cooperative.worker.<ID>] セクションに）（6行目）\n");
}

Test(cooperative, error_before_fy2020)
{
    tcase x;
    tcase_run(&x, "[case]\nid = t\nfiscal_year = R1\n\n[cooperative]\n", KOFU_LANG_EN);
    cr_expect_eq(x.st, KOFU_ECASE);
    tcase_free(&x);
}

/* ---- the taper as rule data: a step table ---------------------------------- */

static kofu_rules *rules_with_step_taper(void)
{
    return trules_edited("cooperative.params", "interpolation = linear\npoints = 0:0, 0.8:1\n",
                         "interpolation = step\npoints = 0:0, 0.5:0.5, 0.6:0.75, 0.7:0.875, 0.8:1\n");
}

/* Step table: 75% → 0.875 (the step at 0.7): 24,000,000 × 0.875 = 21,000,000;
 * 65% → 0.75: 18,000,000; 50% → 0.5: 12,000,000; 49% → 0: 0; 80% → 1. */
Test(cooperative, step_taper_from_rule_data)
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

/* Worker sections read one after another (the evaluator resumes from the
 * last one found) and again from the start, between sections of other kinds
 * and of other measures: the same amounts and violations with and without a
 * trace. z and a are over 80%; 3 + 5 + 7 = 15 yen of personnel cost. */
Test(cooperative, worker_sections_between_others)
{
    const char *ini = HEAD "[cooperative.worker.z]\npersonnel_cost = 3\nhours_dispatched = 1500\nhours_top_employer = 1300\n\n"
                           "[network]\neligible_cost = 1000\n\n"
                           "[cooperative]\nutilization = 90%\n\n"
                           "[cooperative.worker.m]\npersonnel_cost = 5\nhours_dispatched = 1000\nhours_top_employer = 800\n\n"
                           "[network.b]\neligible_cost = 2000\n\n"
                           "[cooperative.worker.a]\npersonnel_cost = 7\nmonths = 6\nhours_dispatched = 1000\nhours_top_employer = 801\n";
    for (int trace = 0; trace < 2; trace++) {
        kofu_eval_options opt = {.lang = KOFU_LANG_JA, .no_trace = trace == 0};
        tcase x;
        tcase_run_opts(&x, NULL, ini, &opt);
        cr_assert_eq(x.st, KOFU_OK);
        expect_decimal(&x, "worker_years", "2.5"); /* (12 + 12 + 6) / 12 */
        expect_amount(&x, "eligible_personnel", 15);
        const kofu_node *v = kofu_node_get(tcase_root(&x), "measures.cooperative.violations");
        cr_assert_eq(kofu_node_size(v), 2);
        cr_expect_str_eq(kofu_node_str(kofu_node_get(kofu_node_at(v, 0), "worker")), "z");
        cr_expect_str_eq(kofu_node_str(kofu_node_get(kofu_node_at(v, 1), "worker")), "a");
        cr_expect_not_null(kofu_node_get(tcase_root(&x), "measures.network"));
        tcase_free(&x);
    }
}
