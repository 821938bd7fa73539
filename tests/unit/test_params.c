/*
 * test_params.c — unit tests for engine/params.c: the built-in rule data, a
 * loaded export, param_at over fiscal years, the carried-forward warning of
 * parameter_carried_forward as the evaluator raises it, table interpolation (linear, step,
 * clamping, rounding), and the loader on a test measure's rule text.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "num.h"
#include "params.h"
#include "registry.h"
#include "support.h"

/* ---- helpers ------------------------------------------------------------- */

static const param_def *network_param(const kofu_rules *r, const char *name)
{
    int m = registry_find("network");
    cr_assert_geq(m, 0);
    const param_def *p = rules_param(rules_for(r, (size_t)m), name);
    cr_assert_not_null(p, "network.%s", name);
    return p;
}

static void expect_num(const kofu_num *x, const char *want)
{
    char *s = num_to_string(x);
    cr_assert_not_null(s);
    cr_expect_str_eq(s, want);
    free(s);
}

/* The value of `name` in force in fy as a string, or "none". */
static char *value_at(const param_def *p, int fy)
{
    const param_value *v = param_at(p, fy);
    return v ? num_to_string(&v->value) : strdup("none");
}

static void expect_value_at(const param_def *p, int fy, const char *want)
{
    char *s = value_at(p, fy);
    cr_expect_str_eq(s, want, "%s in FY%d: %s, want %s", p->name, fy, s, want);
    free(s);
}

/* ---- the built-in rule data ------------------------------------------------ */

Test(params, builtin_network_values_over_the_years)
{
    kofu_rules *r = trules_builtin();
    const param_def *cap = network_param(r, "cap_base");
    cr_assert_eq(cap->n_values, 2);
    cr_expect_eq(cap->values[0].from_fy, 2015);
    cr_expect_eq(cap->values[1].from_fy, 2021);
    expect_value_at(cap, 2014, "none");
    expect_value_at(cap, 2015, "20000000");
    expect_value_at(cap, 2020, "20000000");
    expect_value_at(cap, 2021, "15000000");
    expect_value_at(cap, 2022, "15000000");
    expect_value_at(cap, 2035, "15000000");
    expect_value_at(network_param(r, "add_specialist"), 2022, "5000000");
    expect_value_at(network_param(r, "add_ict"), 2022, "10000000");
    expect_value_at(network_param(r, "add_both"), 2022, "15000000");
    expect_value_at(network_param(r, "add_both"), 2020, "0");
    kofu_rules_free(&r);
    cr_expect_null(r);
}

Test(params, builtin_provenance)
{
    kofu_rules *r = trules_builtin();
    const param_def *cap = network_param(r, "cap_base");
    const param_value *flat = param_at(cap, 2019), *split = param_at(cap, 2022);
    cr_expect(flat->provisional);
    cr_expect_eq(flat->confirmed_through, 0);
    cr_expect_not(split->provisional);
    cr_expect_eq(split->confirmed_through, 2022);
    cr_expect_str_eq(split->cites[0].source_id, "soumu_kaso_nw_r4");
    cr_expect_str_eq(split->cites[0].locator, "（３）交付対象経費の上限額");
    cr_expect(strstr(split->cite_text[0], "総務省 地域力創造グループ 過疎対策室「過疎地域等集落ネットワーク圏"
                                          "形成支援事業について」(令和4年5月10日) （３）交付対象経費の上限額")
                  != NULL,
              "citation: %s", split->cite_text[0]);
    cr_expect_str_eq(cap->unit, "yen");
    cr_expect_str_eq(cap->label_en, "cap on eligible cost (base)");
    kofu_rules_free(&r);
}

/* ---- export, then load the directory ----------------------------------------- */

Test(params, export_then_load_dir_gives_the_same_values)
{
    char dir[TDIR_MAX];
    tdir_make(dir, "params");
    char sub[TDIR_MAX + 8];
    snprintf(sub, sizeof sub, "%s/rules", dir);
    kofu_diag *d = NULL;
    cr_assert_eq(kofu_diag_new(KOFU_LANG_EN, &d), KOFU_OK);
    cr_assert_eq(kofu_rules_export(sub, d), KOFU_OK);
    kofu_rules *from_dir = NULL, *b = trules_builtin();
    cr_assert_eq(kofu_rules_load_dir(sub, d, &from_dir), KOFU_OK);
    cr_expect_eq(kofu_diag_count(d), 0);
    cr_assert_eq(from_dir->n_measures, b->n_measures);
    for (size_t m = 0; m < b->n_measures; m++) {
        const measure_rules *x = rules_for(b, m), *y = rules_for(from_dir, m);
        cr_assert_eq(x->n_params, y->n_params);
        cr_expect_eq(x->entities, y->entities);
        for (size_t p = 0; p < x->n_params; p++) {
            cr_assert_eq(x->params[p].n_values, y->params[p].n_values);
            for (size_t v = 0; v < x->params[p].n_values; v++) {
                cr_expect_eq(x->params[p].values[v].from_fy, y->params[p].values[v].from_fy);
                cr_expect_eq(num_cmp(&x->params[p].values[v].value, &y->params[p].values[v].value), 0);
                cr_expect_str_eq(x->params[p].values[v].cite_text[0], y->params[p].values[v].cite_text[0]);
            }
        }
    }
    kofu_rules_free(&from_dir);
    kofu_rules_free(&b);
    kofu_diag_free(&d);
    tdir_remove(dir);
}

Test(params, load_dir_rejects_a_missing_directory)
{
    kofu_diag *d = NULL;
    kofu_rules *r = (kofu_rules *)&r; /* must be reset to NULL */
    cr_assert_eq(kofu_diag_new(KOFU_LANG_EN, &d), KOFU_OK);
    cr_expect_eq(kofu_rules_load_dir("/nonexistent/kofu-rules", d, &r), KOFU_ERULES);
    cr_expect_null(r);
    cr_assert_eq(kofu_diag_count(d), 1);
    char *line = kofu_diag_format(d, 0);
    cr_expect_str_eq(line, "/nonexistent/kofu-rules: not a rule data directory");
    free(line);
    kofu_diag_free(&d);
}

/* ---- carried forward, as the evaluator raises it -------------------------------- */

/* The warnings of evaluating ini, as "code: message\n" lines (malloc'd). */
static char *warnings_of(const char *ini)
{
    tcase x;
    tcase_run(&x, ini, KOFU_LANG_EN);
    cr_assert_eq(x.st, KOFU_OK, "status %d", x.st);
    const kofu_node *w = kofu_node_get(tcase_root(&x), "warnings");
    size_t len = 1;
    for (size_t i = 0; i < kofu_node_size(w); i++)
        len += strlen(kofu_node_str(kofu_node_get(kofu_node_at(w, i), "message"))) + 64;
    char *s = calloc(len, 1);
    for (size_t i = 0; i < kofu_node_size(w); i++) {
        strcat(s, kofu_node_str(kofu_node_get(kofu_node_at(w, i), "code")));
        strcat(s, ": ");
        strcat(s, kofu_node_str(kofu_node_get(kofu_node_at(w, i), "message")));
        strcat(s, "\n");
    }
    tcase_free(&x);
    return s;
}

Test(params, no_warning_within_the_confirmed_years)
{
    char *w = warnings_of("[case]\nid=a\nfiscal_year=R4\n[network]\neligible_cost=1000\nict=yes\n");
    cr_expect_str_eq(w, "");
    free(w);
    w = warnings_of("[case]\nid=a\nfiscal_year=R3\n[network]\neligible_cost=1000\n");
    cr_expect_str_eq(w, "");
    free(w);
}

Test(params, carried_forward_after_the_last_confirmation_once_per_parameter)
{
    /* two projects read cap_base twice: one warning naming cap_base once and
     * add_ict, with the year they were last confirmed and what to do */
    char *w = warnings_of("[case]\nid=a\nfiscal_year=R7\n[network.a]\neligible_cost=1000\n"
                                  "[network.b]\neligible_cost=1000\nict=yes\n");
    cr_expect_str_eq(w,
                     "parameter_carried_forward: no source confirms these values for FY2025 (R7), so "
                     "their last confirmed values are carried forward: settlement-network formation "
                     "grant — cap_base, add_ict (confirmed through FY2022 (R4)). Check them against "
                     "FY2025 (R7)'s 省令 or 要綱; where they differ, export the rule data (kofu rules "
                     "--export DIR), correct them and compute with --rules DIR\n");
    free(w);
}

Test(params, a_parameter_the_case_does_not_use_raises_nothing)
{
    /* R7: the cooperative's caps are confirmed (兵庫県), national_rate only through R4,
     * and no case here reaches single_employer_limit (no hours) */
    char *w = warnings_of("[case]\nid=a\nfiscal_year=R7\n[cooperative]\nworkers = 1\n"
                          "personnel_cost = 1000\nutilization = 90%\n");
    cr_expect(strstr(w, "single_employer_limit") == NULL, "%s", w);
    cr_expect(strstr(w, "personnel_cap_per_worker") == NULL, "%s", w);
    cr_expect(strstr(w, "national_rate") != NULL, "%s", w);
    /* no establishment_cost: establishment_cap (confirmed only through R4) is not read */
    cr_expect(strstr(w, "establishment_cap") == NULL, "%s", w);
    free(w);
}

Test(params, provisional_never_confirmed_warns_in_every_year)
{
    char *w = warnings_of("[case]\nid=a\nfiscal_year=2015\n[network]\neligible_cost=1000\n");
    cr_expect_str_eq(w, "parameter_provisional: provisional values no source confirms are used (kofu's "
                        "reading, docs/interpretations.md): settlement-network formation grant — "
                        "cap_base (cap on eligible cost (base)); this measure's amounts are "
                        "provisional. Where the value is known, export the rule data (kofu rules "
                        "--export DIR), correct it and compute with --rules DIR\n");
    free(w);
}

/* ---- tables ------------------------------------------------------------------- */

Test(params, table_linear_exact_between_points)
{
    static const char *const pts[] = {"0.5:1", "0.8:0.5"};
    param_value t;
    ttable_init(&t, INTERP_LINEAR, NULL, 2, pts);
    /* 1 + (0.61 - 0.5) / 0.3 × (0.5 - 1) = 1 - 11/60 = 49/60, kept exact */
    ttable_expect(&t, "0.61", "49/60");
    ttable_expect(&t, "0.65", "0.75");
    ttable_expect(&t, "0.53", "0.95");
    ttable_free(&t);
}

Test(params, table_linear_rounded_like_the_statute)
{
    /* worked examples (市町村): 0.53 → 0.95, 0.61 → 0.82, 0.65 → 0.75, 0.80 → 0.5 */
    static const char *const pts[] = {"0.5:1", "0.8:0.5"};
    param_value t;
    ttable_init(&t, INTERP_LINEAR, "half_up_0.01", 2, pts);
    ttable_expect(&t, "0.53", "0.95");
    ttable_expect(&t, "0.61", "0.82");
    ttable_expect(&t, "0.65", "0.75");
    ttable_expect(&t, "0.8", "0.5");
    ttable_expect(&t, "0.5", "1");
    /* 0.67 → 1 - 0.17/0.3 × 0.5 = 0.71666… → 0.72; 0.79 → 0.51666… → 0.52 */
    ttable_expect(&t, "0.67", "0.72");
    ttable_expect(&t, "0.79", "0.52");
    ttable_free(&t);
    /* 道府県: 7/3 - 8/3 × 0.65 = 0.6 */
    static const char *const pref[] = {"0.5:1", "0.8:0.2"};
    ttable_init(&t, INTERP_LINEAR, "half_up_0.01", 2, pref);
    ttable_expect(&t, "0.65", "0.6");
    ttable_expect(&t, "0.61", "0.71"); /* 7/3 - 8/3 × 0.61 = 0.70666… */
    ttable_free(&t);
}

Test(params, table_clamped_at_both_ends)
{
    static const char *const pts[] = {"0.5:1", "0.8:0.5"};
    param_value t;
    ttable_init(&t, INTERP_LINEAR, "half_up_0.01", 2, pts);
    ttable_expect(&t, "0", "1");
    ttable_expect(&t, "0.35", "1");
    ttable_expect(&t, "0.4999", "1");
    ttable_expect(&t, "0.8001", "0.5");
    ttable_expect(&t, "1.2", "0.5");
    ttable_expect(&t, "100", "0.5");
    ttable_free(&t);
}

Test(params, table_step)
{
    static const char *const pts[] = {"0:0", "0.5:0.5", "0.8:1"};
    param_value t;
    ttable_init(&t, INTERP_STEP, NULL, 3, pts);
    ttable_expect(&t, "0", "0");
    ttable_expect(&t, "0.49", "0");
    ttable_expect(&t, "0.5", "0.5");
    ttable_expect(&t, "0.79", "0.5");
    ttable_expect(&t, "0.8", "1");
    ttable_expect(&t, "5", "1");
    ttable_free(&t);
}

Test(params, table_linear_three_points_and_the_taper_form)
{
    /* the provisional taper: min(1, u / 0.8) as a table {0:0, 0.8:1} */
    static const char *const taper[] = {"0:0", "0.8:1"};
    param_value t;
    ttable_init(&t, INTERP_LINEAR, NULL, 2, taper);
    ttable_expect(&t, "0.7", "0.875");
    ttable_expect(&t, "0.75", "0.9375");
    ttable_expect(&t, "0.6", "0.75");
    ttable_expect(&t, "0.9", "1");
    ttable_free(&t);
    static const char *const three[] = {"0:10", "1:20", "3:0"};
    ttable_init(&t, INTERP_LINEAR, NULL, 3, three);
    ttable_expect(&t, "0.5", "15");
    ttable_expect(&t, "1", "20");
    ttable_expect(&t, "2", "10");
    ttable_expect(&t, "2.5", "5");
    ttable_free(&t);
}

/* A future amendment is a data change: export the rules, add a dated step
 * table from FY2026, load the directory and evaluate both years. */
Test(params, amended_table_in_exported_rules)
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
        char ini[160];
        snprintf(ini, sizeof ini,
                 "[case]\nid = t\nfiscal_year = %s\n\n[fiscal_capacity]\nindex = %s\n\n"
                 "[rmo_management]\nother = 1\n",
                 cases[i].fy, cases[i].idx);
        tcase x;
        tcase_run_with(&x, rules, ini, KOFU_LANG_EN);
        cr_expect_str_eq(tcase_str(&x, "fiscal_capacity.coefficient"), cases[i].coef,
                         "FY%s at %s", cases[i].fy, cases[i].idx);
        tcase_free(&x);
    }
    kofu_rules_free(&rules);
}

/* ---- the loader on a test measure -------------------------------------------- */

static const param_decl test_params[] = {{"rate", PARAM_VALUE, PARAM_RATIO, NULL, "2"},
                                         {"curve", PARAM_TABLE, PARAM_RATIO, NULL, NULL},
                                         {NULL, 0, 0, NULL, NULL}};
static const measure_def test_measure = {.name = "testm", .params = test_params};

#define META "[measure]\nentities = municipality, prefecture\n" \
             "[rate]\nlabel_ja = 率\nlabel_en = rate\nunit = ratio\n" \
             "[curve]\nlabel_ja = 曲線\nlabel_en = curve\nunit = ratio\n"
#define CURVE "[curve.2020]\ninterpolation = step\npoints = 0:0, 1:1\nround = none\n" \
              "status = provisional\nconfirmed_through = none\nsource = kofu_interp\n"

static kofu_status load_text(const char *text, kofu_diag *d, measure_rules *mr)
{
    memset(mr, 0, sizeof *mr);
    return params_load_measure(&test_measure, "testm.params", text, strlen(text), d, mr);
}

Test(params, loader_sorts_dated_values_and_reads_any_year_spelling)
{
    kofu_diag *d = NULL;
    measure_rules mr;
    cr_assert_eq(kofu_diag_new(KOFU_LANG_EN, &d), KOFU_OK);
    const char *text = META CURVE
        "[rate.R7]\nvalue = 11/6\nstatus = confirmed\nconfirmed_through = R7\nsource = kofu_interp\n"
        "[rate.2022]\nvalue = 0.5\nstatus = confirmed\nconfirmed_through = 2024\nsource = kofu_interp\n";
    cr_assert_eq(load_text(text, d, &mr), KOFU_OK, "%s", tdiag_text(d));
    cr_expect_eq(mr.entities, (unsigned)(KOFU_ENTITY_MUNICIPALITY | KOFU_ENTITY_PREFECTURE));
    const param_def *rate = rules_param(&mr, "rate");
    cr_assert_eq(rate->n_values, 2);
    cr_expect_eq(rate->values[0].from_fy, 2022);
    cr_expect_eq(rate->values[1].from_fy, 2025);
    expect_num(&param_at(rate, 2024)->value, "0.5");
    expect_num(&param_at(rate, 2025)->value, "11/6");
    cr_expect_null(param_at(rate, 2021));
    const param_def *curve = rules_param(&mr, "curve");
    cr_expect_eq(curve->values[0].interp, INTERP_STEP);
    cr_expect_not(curve->values[0].rounded);
    cr_expect_eq(curve->values[0].n_points, 2);
    params_measure_rules_free(&mr);
    kofu_diag_free(&d);
}

Test(params, loader_errors_are_all_reported)
{
    kofu_diag *d = NULL;
    measure_rules mr;
    cr_assert_eq(kofu_diag_new(KOFU_LANG_EN, &d), KOFU_OK);
    /* META and CURVE take lines 1-17; [rate.2022] is line 18 */
    const char *text = META CURVE
        "[rate.2022]\nvalue = 0.5\nstatus = confirmed\nconfirmed_through = none\nsource = kofu_interp\n"
        "[rate.FY2022]\nvalue = 1\nstatus = provisional\nconfirmed_through = none\nsource = kofu_interp\n"
        "[rate.2023]\nvalue = 1\nstatus = provisional\nconfirmed_through = none\n"
        "[rate.2024]\nvalue = half\nstatus = provisional\nconfirmed_through = someday\nsource = kofu_interp\n";
    cr_expect_eq(load_text(text, d, &mr), KOFU_ERULES);
    char *got = tdiag_text(d);
    cr_expect_str_eq(got,
                     "testm.params: [rate.2022] confirmed_through: a confirmed value needs the last "
                     "fiscal year it was confirmed for (line 21)\n"
                     "testm.params: [rate.FY2022] two values for the same fiscal year (line 23)\n"
                     "testm.params: [rate.2023] source: required key is missing or empty (line 28)\n"
                     "testm.params: [rate.2024] confirmed_through: expected a fiscal year or none: "
                     "someday (line 35)\n"
                     "testm.params: [rate.2024] value: not an exact number: half (line 33)\n");
    free(got);
    params_measure_rules_free(&mr);
    kofu_diag_free(&d);
}

Test(params, loader_table_errors)
{
    kofu_diag *d = NULL;
    measure_rules mr;
    cr_assert_eq(kofu_diag_new(KOFU_LANG_JA, &d), KOFU_OK);
    const char *text = META
        "[curve.2020]\ninterpolation = spline\npoints = 0:0, 1\nround = half_up_7\n"
        "status = provisional\nconfirmed_through = none\nsource = kofu_interp\n"
        "[rate.2020]\nvalue = 1\nstatus = provisional\nconfirmed_through = none\nsource = kofu_interp\n";
    cr_expect_eq(load_text(text, d, &mr), KOFU_ERULES);
    char *got = tdiag_text(d);
    cr_expect_str_eq(got,
                     "testm.params: [curve.2020] interpolation: 補間方法は linear か step です: spline（12行目）\n"
                     "testm.params: [curve.2020] round: 端数処理が不明です: half_up_7（14行目）\n"
                     "testm.params: [curve.2020] points: 点の書式が不正です（x:y をコンマ区切りで）: 1（13行目）\n");
    free(got);
    params_measure_rules_free(&mr);
    kofu_diag_free(&d);
}

Test(params, loader_missing_parameter_and_entities)
{
    kofu_diag *d = NULL;
    measure_rules mr;
    cr_assert_eq(kofu_diag_new(KOFU_LANG_EN, &d), KOFU_OK);
    const char *text = "[rate]\nlabel_ja = 率\nlabel_en = rate\nunit = ratio\n"
                       "[rate.2020]\nvalue = 1\nstatus = provisional\nconfirmed_through = none\nsource = kofu_interp\n";
    cr_expect_eq(load_text(text, d, &mr), KOFU_ERULES);
    char *got = tdiag_text(d);
    cr_expect_str_eq(got,
                     "testm.params: [measure] entities: [measure] entities is missing\n"
                     "testm.params: [curve] parameter curve is missing (needs [curve] and at least "
                     "one [curve.<fiscal year>])\n");
    free(got);
    params_measure_rules_free(&mr);
    kofu_diag_free(&d);
}

/* The carried-forward texts are cached per rules, value, year and language:
 * a second evaluation with the same rules reads them from the cache and must
 * say exactly what the first said, in its own language, for its own year;
 * and the result keeps its text after the rules are gone. */
static char *first_warning(kofu_rules *rules, const char *ini, kofu_lang lang)
{
    tcase x;
    tcase_run_with(&x, rules, ini, lang);
    cr_assert_eq(x.st, KOFU_OK, "status %d", x.st);
    const kofu_node *w = kofu_node_at(kofu_node_get(tcase_root(&x), "warnings"), 0);
    cr_expect_str_eq(kofu_node_str(kofu_node_get(w, "code")), "parameter_carried_forward");
    char *s = strdup(kofu_node_str(kofu_node_get(w, "message")));
    tcase_free(&x);
    return s;
}

Test(params, carried_forward_texts_from_the_cache_match)
{
    kofu_rules *rules = NULL;
    cr_assert_eq(kofu_rules_load_builtin(NULL, &rules), KOFU_OK);
    const char *r7 = "[case]\nid=a\nfiscal_year=R7\n[network]\neligible_cost=1000\n";
    const char *r6 = "[case]\nid=a\nfiscal_year=R6\n[network]\neligible_cost=1000\n";
    static const char en7[] = "no source confirms these values for FY2025 (R7), so their last confirmed values are "
                              "carried forward: settlement-network formation grant — cap_base (confirmed "
                              "through FY2022 (R4)). Check them against FY2025 (R7)'s 省令 or 要綱; where "
                              "they differ, export the rule data (kofu rules --export DIR), correct them "
                              "and compute with --rules DIR";
    static const char en6[] = "no source confirms these values for FY2024 (R6), so their last confirmed values are "
                              "carried forward: settlement-network formation grant — cap_base (confirmed "
                              "through FY2022 (R4)). Check them against FY2024 (R6)'s 省令 or 要綱; where "
                              "they differ, export the rule data (kofu rules --export DIR), correct them "
                              "and compute with --rules DIR";
    for (int round = 0; round < 2; round++) {
        char *a = first_warning(rules, r7, KOFU_LANG_EN);
        char *b = first_warning(rules, r7, KOFU_LANG_JA);
        char *c = first_warning(rules, r6, KOFU_LANG_EN);
        cr_expect_str_eq(a, en7);
        cr_expect(strstr(b, "令和7年度 (FY2025)の値を確かめた資料がない") == b, "%s", b);
        cr_expect(strstr(b, "据え置いて") != NULL, "%s", b);
        cr_expect_str_eq(c, en6);
        free(a);
        free(b);
        free(c);
    }
    kofu_case *c = NULL;
    kofu_result *r = NULL;
    cr_assert_eq(kofu_case_load_buffer(rules, "t.ini", r7, strlen(r7), NULL, &c), KOFU_OK);
    kofu_eval_options opt = {.lang = KOFU_LANG_EN, .no_trace = true};
    cr_assert_eq(kofu_evaluate(rules, c, &opt, NULL, &r), KOFU_OK);
    kofu_case_free(&c);
    kofu_rules_free(&rules);
    const kofu_node *w = kofu_node_at(kofu_node_get(kofu_result_root(r), "warnings"), 0);
    cr_expect_str_eq(kofu_node_str(kofu_node_get(w, "message")), en7);
    cr_expect_str_eq(kofu_node_str(kofu_node_get(w, "code")), "parameter_carried_forward");
    kofu_result_free(&r);
}
