/*
 * test_eval_options.c — what kofu_eval_options leaves out of a result:
 * no_report drops the report lines and nothing else (the result, trace
 * included, is byte for byte the same JSON); no_trace drops both. The trace
 * and its shared citation texts must also come out the same whether the
 * result is written by kofu_json or node by node through cJSON (pretty).
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "kofu/kofu.h"
#include "support.h"

static const char coop[] = "[case]\nid = t\nfiscal_year = R7\nentity = municipality\n"
                           "[fiscal_capacity]\nindex = 0.5\n"
                           "[cooperative]\nsecretariat_cost = 4500000\nutilization = 75%\n"
                           "hourly_fee = 1900\n"
                           "[cooperative.worker.a]\npersonnel_cost = 3600000\nhours_scheduled = 1860\n"
                           "[cooperative.worker.b]\npersonnel_cost = 3400000\nhours_scheduled = 1860\n"
                           "[rmo_formation.org1]\nworkshop = 300000\n";

static void run(tcase *t, bool no_trace, bool no_report)
{
    memset(t, 0, sizeof *t);
    kofu_eval_options opt = {.lang = KOFU_LANG_JA, .no_trace = no_trace, .no_report = no_report,
                             .computed_at = 1700000000};
    tcase_run_opts(t, NULL, coop, &opt);
    cr_assert_eq(t->st, KOFU_OK, "status %d: %s", t->st, tdiag_text(t->diag));
}

Test(eval_options, no_report_drops_only_the_report)
{
    tcase full, lean;
    run(&full, false, false);
    run(&lean, false, true);
    cr_assert_gt(kofu_node_size(kofu_result_report(full.r)), 0);
    cr_expect_eq(kofu_node_size(kofu_result_report(lean.r)), 0);
    cr_assert_gt(kofu_node_size(kofu_node_get(tcase_root(&lean), "trace")), 10);
    char *a = kofu_json(tcase_root(&full), false), *b = kofu_json(tcase_root(&lean), false);
    cr_expect_str_eq(a, b);
    free(a);
    free(b);
    tcase_free(&full);
    tcase_free(&lean);
}

Test(eval_options, no_trace_drops_trace_and_report)
{
    tcase t;
    run(&t, true, false);
    cr_expect_eq(kofu_node_size(kofu_result_report(t.r)), 0);
    cr_expect_eq(kofu_node_size(kofu_node_get(tcase_root(&t), "trace")), 0);
    tcase_free(&t);
}

/* The compact writer (address memo) and cJSON (pretty, node by node) read
 * the same trace: reparsed by cJSON, the two texts are the same tree. */
Test(eval_options, shared_citations_write_alike)
{
    tcase t;
    run(&t, false, true);
    char *compact = kofu_json(tcase_root(&t), false), *pretty = kofu_json(tcase_root(&t), true);
    cr_assert(compact && pretty);
    size_t n = 0;
    for (const char *p = compact; (p = strstr(p, "\"source_id\"")); p++)
        n++;
    cr_assert_gt(n, 5, "the trace cites the bibliography");
    /* strip pretty printing: cJSON's layout puts blanks only outside strings */
    char *flat = malloc(strlen(pretty) + 1), *o = flat;
    bool in_string = false;
    for (const char *p = pretty; *p; p++) {
        if (*p == '"' && (p == pretty || p[-1] != '\\'))
            in_string = !in_string;
        if (in_string || (*p != ' ' && *p != '\n' && *p != '\t'))
            *o++ = *p;
    }
    *o = '\0';
    cr_expect_str_eq(flat, compact);
    free(flat);
    free(compact);
    free(pretty);
    tcase_free(&t);
}
