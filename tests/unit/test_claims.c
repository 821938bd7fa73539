/*
 * test_claims.c — kofu_result_check_claims (engine/claims.c): claimed,
 * computed and difference (claimed − computed) per [claim] key in file order,
 * the line of each claim, and which trace steps are given as the basis of the
 * computed amount: the claimed measure's steps up to the one producing the
 * amount, without the per-project amounts computed beside it, after the
 * fiscal-capacity steps for an RMO measure; for a total, every contributing
 * measure. Amounts worked out by hand beside each case.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "kofu/kofu.h"
#include "support.h"

/* A case evaluated in English, then its claims checked; all asserted to succeed. */
typedef struct run {
    tcase t;
    kofu_node *claims;
} run;

static void run_case(run *x, const char *ini, bool no_trace)
{
    memset(x, 0, sizeof *x);
    kofu_eval_options opt = {.lang = KOFU_LANG_EN, .no_trace = no_trace};
    tcase_run_opts(&x->t, NULL, ini, &opt);
    cr_assert_eq(x->t.st, KOFU_OK, "status %d", x->t.st);
    cr_assert_eq(kofu_result_check_claims(x->t.r, x->t.c, &x->claims), KOFU_OK);
}

static void run_free(run *x)
{
    kofu_node_free(&x->claims);
    tcase_free(&x->t);
}

/* The step names of claim i, joined by spaces. */
static char *step_names(const run *x, size_t i)
{
    const kofu_node *steps = kofu_node_get(kofu_node_at(x->claims, i), "steps");
    size_t len = 1;
    for (size_t k = 0; k < kofu_node_size(steps); k++)
        len += strlen(kofu_node_str(kofu_node_get(kofu_node_at(steps, k), "step"))) + 1;
    char *s = calloc(len, 1);
    for (size_t k = 0; k < kofu_node_size(steps); k++) {
        if (k)
            strcat(s, " ");
        strcat(s, kofu_node_str(kofu_node_get(kofu_node_at(steps, k), "step")));
    }
    return s;
}

TestSuite(claims);

/* Project a: ICT cap 25,000,000; 19,288,500 → floor_1000 19,288,000.
 * Project b: cap 15,000,000; 18,000,000 → 15,000,000. Sum 34,288,000. */
static const char two_projects[] = "[case]\nid = t\nfiscal_year = R4\n"
                                   "[network.a]\neligible_cost = 19288500\nict = yes\n"
                                   "[network.b]\neligible_cost = 18000000\n"
                                   "[claim]\nnetwork.grant = 34288000\n"
                                   "totals.national_grant = 34289000\n"
                                   "network.remaining_cost = 3000000\n";

Test(claims, values_and_difference_in_file_order)
{
    run x;
    run_case(&x, two_projects, false);
    cr_assert_eq(kofu_node_size(x.claims), 3);
    const kofu_node *c0 = kofu_node_at(x.claims, 0), *c1 = kofu_node_at(x.claims, 1),
                    *c2 = kofu_node_at(x.claims, 2);
    cr_expect_str_eq(kofu_node_str(kofu_node_get(c0, "key")), "network.grant");
    cr_expect_eq(kofu_node_int(kofu_node_get(c0, "line")), 10); /* [claim] is line 9 */
    cr_expect_eq(kofu_node_int(kofu_node_get(c0, "computed")), 34288000);
    cr_expect_eq(kofu_node_int(kofu_node_get(c0, "difference")), 0);
    cr_expect_eq(kofu_node_int(kofu_node_get(c1, "claimed")), 34289000);
    cr_expect_eq(kofu_node_int(kofu_node_get(c1, "difference")), 1000);
    /* remaining: 500 + 3,000,000 = 3,000,500; claimed 3,000,000 → −500 */
    cr_expect_eq(kofu_node_int(kofu_node_get(c2, "computed")), 3000500);
    cr_expect_eq(kofu_node_int(kofu_node_get(c2, "difference")), -500);
    run_free(&x);
}

Test(claims, steps_of_the_amount_without_siblings)
{
    run x;
    run_case(&x, two_projects, false);
    char *s = step_names(&x, 0);
    cr_expect_str_eq(s, "network[a].eligible_cost network[a].cap_base network[a].add_ict "
                        "network[a].cap network[a].capped_cost network[a].grant "
                        "network[b].eligible_cost network[b].cap_base network[b].cap "
                        "network[b].capped_cost network[b].grant network.grant");
    free(s);
    /* the remaining cost is computed from the grant: its steps include them */
    s = step_names(&x, 2);
    cr_expect(strstr(s, "network[a].grant network[a].remaining_cost") != NULL, "%s", s);
    cr_expect(strstr(s, "network.remaining_cost") != NULL, "%s", s);
    free(s);
    run_free(&x);
}

Test(claims, rmo_claim_starts_with_the_fiscal_capacity_steps)
{
    /* FPI 0.35 → factor 1.0; excess 9,850,000 − 6,214,000 = 3,636,000;
     * half_up_1000(3,636,000 × 0.5 × 1.0) = 1,818,000 */
    run x;
    run_case(&x,
             "[case]\nid = t\nfiscal_year = R7\n[fiscal_capacity]\nindex = 0.35\n"
             "[rmo_operation]\nexpenses = 9850000\nordinary_grant = 6214000\n"
             "[rmo_management]\ntraining = 100000\n"
             "[claim]\nrmo_operation.special_tax_grant = 1818000\n",
             false);
    const kofu_node *c0 = kofu_node_at(x.claims, 0);
    cr_expect_eq(kofu_node_int(kofu_node_get(c0, "computed")), 1818000);
    cr_expect_eq(kofu_node_int(kofu_node_get(c0, "difference")), 0);
    char *s = step_names(&x, 0);
    cr_expect_eq(strncmp(s, "fiscal_capacity.", 16), 0, "%s", s);
    cr_expect(strstr(s, "rmo_management") == NULL, "%s", s);
    size_t n = strlen(s), tail = strlen("rmo_operation.special_tax_grant");
    cr_expect(n > tail && strcmp(s + n - tail, "rmo_operation.special_tax_grant") == 0, "%s", s);
    free(s);
    run_free(&x);
}

Test(claims, without_trace_the_amounts_still_compare)
{
    run x;
    run_case(&x, two_projects, true);
    cr_expect_eq(kofu_node_int(kofu_node_get(kofu_node_at(x.claims, 1), "difference")), 1000);
    cr_expect_eq(kofu_node_size(kofu_node_get(kofu_node_at(x.claims, 1), "steps")), 0);
    run_free(&x);
}

Test(claims, no_claim_section_gives_an_empty_array)
{
    run x;
    run_case(&x, "[case]\nid = t\nfiscal_year = R4\n[network]\neligible_cost = 1000\n", false);
    cr_expect_eq(kofu_node_type(x.claims), KOFU_NODE_ARRAY);
    cr_expect_eq(kofu_node_size(x.claims), 0);
    run_free(&x);
}
