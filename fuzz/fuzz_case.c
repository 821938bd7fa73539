/*
 * fuzz_case.c — libFuzzer target: the whole pipeline on arbitrary case-file
 * bytes. Load and validate with the built-in rules, evaluate, check claims,
 * render JSON (pretty and compact), text and CSV exactly as `kofu calc`
 * does (the renderers are the CLI's own files, linked in).
 *
 * Invariants beyond "no crash, no leak, no UB":
 *   - a failed load or evaluation always says why (at least one diagnostic,
 *     each with a non-empty message);
 *   - the JSON written is valid JSON (cJSON reads it back), and batch's
 *     direct JSON writer gives the same bytes as cJSON;
 *   - every amount in the result is within the case-file range [0, 10^15]
 *     times a small factor (an amount can never come out of nowhere).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "kofu/csv.h"
#include "report.h"
#include "fuzz_init.h"
#include "kofu/kofu.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static kofu_rules *rules;
static FILE *sink;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    rules = fuzz_builtin_rules();
    sink = fopen("/dev/null", "w");
    if (!sink)
        abort();
    return 0;
}

static void check_diag(const kofu_diag *d, kofu_status st)
{
    if (st == KOFU_OK || st == KOFU_ENOMEM)
        return;
    if (kofu_diag_count(d) == 0)
        abort(); /* an error nobody is told about */
    for (size_t i = 0; i < kofu_diag_count(d); i++) {
        if (!kofu_diag_message(d, i)[0])
            abort();
        char *line = kofu_diag_format(d, i);
        if (!line)
            abort();
        fputs(line, sink);
        free(line);
    }
}

/* 10^15 is the largest input amount; results are sums of a few of them. */
#define AMOUNT_BOUND (INT64_C(1000000000000000) * 1000)

static void check_amounts(const kofu_node *n)
{
    switch (kofu_node_type(n)) {
    case KOFU_NODE_INT:
        if (kofu_node_int(n) > AMOUNT_BOUND || kofu_node_int(n) < -AMOUNT_BOUND)
            abort();
        break;
    case KOFU_NODE_ARRAY:
    case KOFU_NODE_OBJECT:
        for (size_t i = 0; i < kofu_node_size(n); i++)
            check_amounts(kofu_node_at(n, i));
        break;
    default:
        break;
    }
}

static void render_all(const kofu_result *r, const kofu_case *c, kofu_lang lang)
{
    const kofu_node *root = kofu_result_root(r);
    check_amounts(root);
    for (int pretty = 0; pretty < 2; pretty++) {
        char *json = render_json(root, pretty);
        if (!json)
            abort();
        cJSON *back = cJSON_Parse(json);
        if (!back)
            abort(); /* the renderer wrote something that is not JSON */
        cJSON_Delete(back);
        if (!pretty) {
            /* batch's direct writer promises the same bytes as cJSON's */
            cli_buf b = {0};
            render_json_buf(&b, root);
            if (b.failed || b.len != strlen(json) || memcmp(b.data, json, b.len) != 0)
                abort();
            cli_buf_free(&b);
        }
        fputs(json, sink);
        free(json);
    }
    report_opts ro = {.lang = lang, .trace = true, .unit = 1};
    render_text(sink, r, c, &ro);
    kofu_csv_options co = {.lang = lang};
    kofu_buf csv = {0};
    kofu_diag *cd = NULL;
    if (kofu_diag_new(lang, &cd) == KOFU_OK && kofu_csv_begin(&co, &csv, cd) == KOFU_OK)
        (void)kofu_csv_case(&co, &csv, kofu_case_file(c), r, c, NULL, NULL, cd);
    if (csv.data)
        fwrite(csv.data, 1, csv.len, sink);
    kofu_buf_free(&csv);
    kofu_diag_free(&cd);
    kofu_node *claims = NULL;
    if (kofu_result_check_claims(r, c, &claims) == KOFU_OK) {
        char *json = render_json(claims, false);
        free(json);
    }
    kofu_node_free(&claims);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kofu_lang lang = (size & 1) ? KOFU_LANG_EN : KOFU_LANG_JA;
    kofu_diag *d = NULL;
    if (kofu_diag_new(lang, &d) != KOFU_OK)
        abort();
    kofu_case *c = NULL;
    kofu_status st = kofu_case_load_buffer(rules, "fuzz.ini", (const char *)data, size, d, &c);
    check_diag(d, st);
    if (st == KOFU_OK) {
        kofu_result *r = NULL;
        kofu_eval_options opt = {.lang = lang};
        st = kofu_evaluate(rules, c, &opt, d, &r);
        check_diag(d, st);
        if (st == KOFU_OK)
            render_all(r, c, lang);
        kofu_result_free(&r);
    }
    kofu_case_free(&c);
    kofu_diag_free(&d);
    return 0;
}
