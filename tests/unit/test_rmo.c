/*
 * test_rmo.c — the three 地域運営組織 measures (docs/rmo.md): the
 * temp-staff cap before and from R7, the renovation once per organization,
 * organizations in file order, the excess over the 普通交付税算定額 never
 * negative, prefectures for rmo_management only, the first fiscal year, and
 * half_up_1000 on grants that land exactly on 500 yen, applied once per
 * measure over the whole eligible amount. Every expected amount is worked out
 * by hand in the comment beside it.
 */
#define _GNU_SOURCE /* asprintf */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kofu/kofu.h"
#include "support.h"

/* ---- helpers ------------------------------------------------------------- */

/* A case: header, [fiscal_capacity] index, then `rest` (sections). */
static char *rmo_case(const char *entity, const char *fy, const char *idx, const char *rest)
{
    char *s = NULL;
    cr_assert_geq(asprintf(&s,
                           "[case]\nid = t\nfiscal_year = %s\nentity = %s\n\n"
                           "[fiscal_capacity]\nindex = %s\n\n%s",
                           fy, entity, idx, rest),
                  0);
    return s;
}

/* ---- rmo_formation ---------------------------------------------------------- */

/* temp staff 2,500,000: capped at 2,000,000 (R6) or 2,200,000 (R7);
 * × 0.375 (FPI 0.65) = 750,000 / 825,000; × 0.5 (FPI 0.35) = 1,000,000 / 1,100,000 */
Test(rmo, temp_staff_cap_before_and_from_r7)
{
    static const struct {
        const char *fy, *idx;
        int64_t eligible, grant;
    } cases[] = {
        {"R6", "0.65", 2000000, 750000},
        {"R7", "0.65", 2200000, 825000},
        {"R6", "0.35", 2000000, 1000000},
        {"R7", "0.35", 2200000, 1100000},
        {"R4", "0.35", 2000000, 1000000},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *ini = rmo_case("municipality", cases[i].fy, cases[i].idx,
                             "[rmo_formation]\ntemp_staff = 2,500,000\n");
        tcase x;
        tcase_run(&x, ini, KOFU_LANG_JA);
        tcase_expect_amount(&x, "measures.rmo_formation.eligible_cost", cases[i].eligible);
        tcase_expect_amount(&x, "measures.rmo_formation.special_tax_grant", cases[i].grant);
        tcase_expect_amount(&x, "totals.special_tax_grant", cases[i].grant);
        cr_expect_eq(tcase_count_warnings(&x, "parameter_carried_forward"), 0);
        tcase_free(&x);
        free(ini);
    }
}

Test(rmo, temp_staff_below_the_cap_counts_in_full)
{
    /* 1,999,999 < 2,000,000: counted in full; × 0.5 = 999,999.5 → 1,000,000 */
    char *ini = rmo_case("municipality", "R6", "0.35", "[rmo_formation]\ntemp_staff = 1,999,999\n");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    tcase_expect_amount(&x, "measures.rmo_formation.eligible_cost", 1999999);
    tcase_expect_amount(&x, "measures.rmo_formation.special_tax_grant", 1000000);
    tcase_free(&x);
    free(ini);
}

Test(rmo, renovation_claimed_before_counts_zero_and_warns)
{
    /* 300,000 + 1,000,000 (renovation, claimed before → 0) = 300,000 × 0.375 = 112,500
     * → half up → 113,000 */
    char *ini = rmo_case("municipality", "R7", "0.65",
                         "[rmo_formation.kita]\nworkshop = 300,000\noffice_renovation = 1,000,000\n"
                         "office_renovation_claimed_before = yes\n");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    tcase_expect_amount(&x, "measures.rmo_formation.eligible_cost", 300000);
    tcase_expect_amount(&x, "measures.rmo_formation.special_tax_grant", 113000);
    const kofu_node *w = kofu_node_get(tcase_root(&x), "warnings");
    cr_assert_eq(kofu_node_size(w), 1);
    cr_expect_str_eq(kofu_node_str(kofu_node_get(kofu_node_at(w, 0), "code")),
                     "renovation_claimed_before");
    cr_expect_str_eq(kofu_node_str(kofu_node_get(kofu_node_at(w, 0), "message")),
                     "[rmo_formation.kita] 施設改修費 1,000,000円 は対象外です: "
                     "この組織は既に措置を受けています（1組織1回限り）");
    tcase_free(&x);
    free(ini);
}

Test(rmo, renovation_first_time_counts)
{
    char *ini = rmo_case("municipality", "R7", "0.35",
                         "[rmo_formation]\noffice_renovation = 1,000,000\n"
                         "office_renovation_claimed_before = no\n");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_EN);
    tcase_expect_amount(&x, "measures.rmo_formation.eligible_cost", 1000000);
    tcase_expect_amount(&x, "measures.rmo_formation.special_tax_grant", 500000);
    cr_expect_eq(kofu_node_size(kofu_node_get(tcase_root(&x), "warnings")), 0);
    tcase_free(&x);
    free(ini);
}

Test(rmo, organizations_in_file_order_with_ids)
{
    /* b: 100,000 + 2,500,000 capped to 2,200,000 = 2,300,000; "": 50,000; a: 1,000 (renovation)
     * Σ 2,351,000 × 0.5 = 1,175,500 → 1,176,000 */
    char *ini = rmo_case("municipality", "R7", "0.4",
                         "[rmo_formation.b]\nfacilitator = 100,000\ntemp_staff = 2,500,000\n\n"
                         "[rmo_formation]\nworkshop = 50,000\n\n"
                         "[rmo_formation.a]\noffice_renovation = 1,000\n"
                         "office_renovation_claimed_before = no\n");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    const kofu_node *orgs = kofu_node_get(tcase_root(&x), "measures.rmo_formation.organizations");
    cr_assert_eq(kofu_node_size(orgs), 3);
    static const char *const ids[] = {"b", "", "a"};
    static const int64_t eligible[] = {2300000, 50000, 1000};
    for (size_t i = 0; i < 3; i++) {
        cr_expect_str_eq(kofu_node_str(kofu_node_get(kofu_node_at(orgs, i), "id")), ids[i]);
        cr_expect_eq(kofu_node_int(kofu_node_get(kofu_node_at(orgs, i), "eligible_cost")), eligible[i]);
    }
    tcase_expect_amount(&x, "measures.rmo_formation.eligible_cost", 2351000);
    tcase_expect_amount(&x, "measures.rmo_formation.special_tax_grant", 1176000);
    tcase_free(&x);
    free(ini);
}

Test(rmo, rounding_once_per_measure_not_per_organization)
{
    /* each organization 1,001 × 0.5 = 500.5 would round to 1,000 each (2,000);
     * the measure rounds once: 2,002 × 0.5 = 1,001 → 1,000 */
    char *ini = rmo_case("municipality", "R7", "0.3",
                         "[rmo_formation.a]\nworkshop = 1,001\n\n[rmo_formation.b]\nworkshop = 1,001\n");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    tcase_expect_amount(&x, "measures.rmo_formation.eligible_cost", 2002);
    tcase_expect_amount(&x, "measures.rmo_formation.special_tax_grant", 1000);
    tcase_free(&x);
    free(ini);
}

Test(rmo, organization_without_costs_is_an_error)
{
    char *ini = rmo_case("municipality", "R7", "0.3",
                         "[rmo_formation.a]\noffice_renovation_claimed_before = yes\n");
    texpect_case_error(ini, KOFU_LANG_EN,
                 "t.ini: [rmo_formation.a] no cost given (write at least one of workshop, facilitator, "
                 "temp_staff, office_renovation) (line 9)\n");
    free(ini);
}

/* ---- half_up_1000 at exactly 500 yen ---------------------------------------- */

Test(rmo, half_up_1000_on_exactly_500_yen)
{
    static const struct {
        const char *idx, *cost;
        int64_t grant;
    } cases[] = {
        {"0.3", "1,000", 1000},       /* × 0.5 = 500 → 1,000 (500 rounds up)       */
        {"0.3", "999", 0},            /* × 0.5 = 499.5 → 0                          */
        {"0.3", "3,001", 2000},       /* × 0.5 = 1,500.5 → 2,000                    */
        {"0.3", "1,001,000", 501000}, /* × 0.5 = 500,500 → 501,000                  */
        {"0.65", "4,000", 2000},      /* × 0.375 = 1,500 → 2,000                    */
        {"0.65", "3,998", 1000},      /* × 0.375 = 1,499.25 → 1,000                 */
        {"0.65", "1,332,000", 500000}, /* × 0.375 = 499,500 → 500,000              */
        {"0.8", "2,000", 1000},       /* × 0.25 = 500 → 1,000                       */
        {"0.8", "1,998", 0},          /* × 0.25 = 499.5 → 0                         */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char rest[96];
        snprintf(rest, sizeof rest, "[rmo_management]\nother = %s\n", cases[i].cost);
        char *ini = rmo_case("municipality", "R7", cases[i].idx, rest);
        tcase x;
        tcase_run(&x, ini, KOFU_LANG_JA);
        tcase_expect_amount(&x, "measures.rmo_management.special_tax_grant", cases[i].grant);
        tcase_free(&x);
        free(ini);
    }
}

/* ---- rmo_operation ------------------------------------------------------------ */

Test(rmo, operation_excess_over_ordinary_grant)
{
    /* 5,000,000 − 3,000,000 = 2,000,000 × 0.41 (FPI 0.61) = 820,000 */
    char *ini = rmo_case("municipality", "R7", "0.61",
                         "[rmo_operation]\nexpenses = 5,000,000\nordinary_grant = 3,000,000\n");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    tcase_expect_amount(&x, "measures.rmo_operation.excess_cost", 2000000);
    tcase_expect_amount(&x, "measures.rmo_operation.special_tax_grant", 820000);
    tcase_free(&x);
    free(ini);
}

Test(rmo, operation_excess_never_negative)
{
    char *ini = rmo_case("municipality", "R7", "0.61",
                         "[rmo_operation]\nexpenses = 3,000,000\nordinary_grant = 3,500,000\n");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    tcase_expect_amount(&x, "measures.rmo_operation.excess_cost", 0);
    tcase_expect_amount(&x, "measures.rmo_operation.special_tax_grant", 0);
    tcase_free(&x);
    free(ini);
}

Test(rmo, operation_needs_both_keys)
{
    char *ini = rmo_case("municipality", "R7", "0.61", "[rmo_operation]\nexpenses = 3,000,000\n");
    char *got = tcase_error_text(ini, KOFU_LANG_EN);
    cr_expect(strstr(got, "t.ini: [rmo_operation] ordinary_grant: ") == got, "%s", got);
    free(got);
    free(ini);
}

/* ---- rmo_management and the entities ----------------------------------------- */

Test(rmo, management_prefecture_uses_the_prefecture_factor)
{
    /* 道府県 FPI 0.65: 7/3 − 8/3 × 0.65 = 0.6; 1,000,000 × 0.5 × 0.6 = 300,000 */
    char *ini = rmo_case("prefecture", "R7", "0.65", "[rmo_management]\ntraining = 1,000,000\n");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    cr_expect_str_eq(tcase_str(&x, "fiscal_capacity.coefficient"), "0.6");
    tcase_expect_amount(&x, "measures.rmo_management.eligible_cost", 1000000);
    tcase_expect_amount(&x, "measures.rmo_management.special_tax_grant", 300000);
    tcase_free(&x);
    free(ini);
}

Test(rmo, management_sums_its_items)
{
    /* 100,000 + 200,000 + 300,000 + 400,000 + 1,000 = 1,001,000 × 0.475 (FPI 0.53)
     * = 475,475 → 475,000 */
    char *ini = rmo_case("municipality", "R7", "0.53",
                         "[rmo_management]\ntraining = 100,000\nsurvey = 200,000\nequipment = 300,000\n"
                         "market_development = 400,000\nother = 1,000\n");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    tcase_expect_amount(&x, "measures.rmo_management.eligible_cost", 1001000);
    tcase_expect_amount(&x, "measures.rmo_management.special_tax_grant", 475000);
    tcase_free(&x);
    free(ini);
}

Test(rmo, prefecture_cannot_claim_formation_or_operation)
{
    char *ini = rmo_case("prefecture", "R7", "0.65", "[rmo_formation]\nworkshop = 100,000\n");
    texpect_case_error(ini, KOFU_LANG_JA,
                 "t.ini: [rmo_formation] rmo_formation は道府県の措置ではありません（対象: "
                 "municipality）（9行目）\n");
    free(ini);
    ini = rmo_case("prefecture", "R7", "0.65",
                   "[rmo_operation]\nexpenses = 1\nordinary_grant = 0\n");
    texpect_case_error(ini, KOFU_LANG_EN,
                 "t.ini: [rmo_operation] rmo_operation is not open to a prefecture (open to: "
                 "municipality) (line 9)\n");
    free(ini);
}

Test(rmo, before_fy2022_is_an_error_naming_the_parameters)
{
    char *ini = rmo_case("municipality", "2021", "0.65", "[rmo_formation]\nworkshop = 100,000\n");
    texpect_case_error(ini, KOFU_LANG_EN,
                 "t.ini: [fiscal_capacity] no value of parameter fiscal_capacity.measure_rate in "
                 "FY2021 (R3): its first value is from FY2022 (R4) (line 6)\n"
                 "t.ini: [rmo_formation] no value of parameter rmo_formation.temp_staff_cap in "
                 "FY2021 (R3): its first value is from FY2022 (R4) (line 9)\n");
    free(ini);
}

Test(rmo, measure_without_fiscal_capacity_is_an_error)
{
    static const char ini[] = "[case]\nid = t\nfiscal_year = R7\nentity = municipality\n\n"
                              "[rmo_management]\ntraining = 1\n";
    texpect_case_error(ini, KOFU_LANG_EN,
                 "t.ini: [rmo_management] rmo_management needs a [fiscal_capacity] section (line 6)\n");
}

Test(rmo, after_2025_values_are_carried_forward)
{
    char *ini = rmo_case("municipality", "2026", "0.65", "[rmo_formation]\ntemp_staff = 2,500,000\n");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_EN);
    tcase_expect_amount(&x, "measures.rmo_formation.special_tax_grant", 825000);
    /* factor_municipality, measure_rate, temp_staff_cap: one warning naming
     * both measures */
    cr_expect_eq(tcase_count_warnings(&x, "parameter_carried_forward"), 1);
    tcase_free(&x);
    free(ini);
}

Test(rmo, totals_sum_the_three_measures)
{
    /* formation 1,000,000 × 0.375 = 375,000; operation 2,000,000 × 0.375 = 750,000;
     * management 1,000,000 × 0.375 = 375,000; total 1,500,000 */
    char *ini = rmo_case("municipality", "R7", "0.65",
                         "[rmo_formation]\nworkshop = 1,000,000\n\n"
                         "[rmo_operation]\nexpenses = 5,000,000\nordinary_grant = 3,000,000\n\n"
                         "[rmo_management]\nsurvey = 1,000,000\n");
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    tcase_expect_amount(&x, "measures.rmo_formation.special_tax_grant", 375000);
    tcase_expect_amount(&x, "measures.rmo_operation.special_tax_grant", 750000);
    tcase_expect_amount(&x, "measures.rmo_management.special_tax_grant", 375000);
    tcase_expect_amount(&x, "totals.special_tax_grant", 1500000);
    tcase_expect_amount(&x, "totals.national_grant", 0);
    tcase_free(&x);
    free(ini);
}

Test(rmo, coefficient_given_flows_into_every_measure)
{
    /* coefficient 0.9: rate 0.45; 1,000,000 × 0.45 = 450,000 */
    static const char ini[] = "[case]\nid = t\nfiscal_year = R7\nentity = municipality\n\n"
                              "[fiscal_capacity]\nindex = 0.65\ncoefficient = 0.9\n\n"
                              "[rmo_management]\ntraining = 1,000,000\n";
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_JA);
    tcase_expect_amount(&x, "measures.rmo_management.special_tax_grant", 450000);
    cr_expect_eq(tcase_count_warnings(&x, "coefficient_given"), 1);
    tcase_free(&x);
}
