/* cmd_calc.c — `kofu calc`: compute every measure of each case file. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *const formats[] = {"text", "json", "csv", NULL};

/* Loads and evaluates one case; prints diagnostics on failure. */
static kofu_status calc_one(const kofu_rules *rules, const char *path, const cli_common *co,
                            kofu_case **c, kofu_result **r)
{
    kofu_lang lang = co->lang;
    kofu_diag *d = NULL;
    kofu_status st = kofu_diag_new(lang, &d);
    if (st == KOFU_OK)
        st = kofu_case_load_file(rules, path, d, c);
    kofu_eval_options opt = {.lang = lang, .computed_at = co->computed_at};
    if (st == KOFU_OK)
        st = kofu_evaluate(rules, *c, &opt, d, r);
    if (st != KOFU_OK) {
        cli_print_diag(d);
        if (kofu_diag_count(d) == 0)
            fprintf(stderr, "%s: %s\n", path, kofu_status_message(st, lang));
    }
    kofu_diag_free(&d);
    return st;
}

static int print_json(const kofu_node *n, bool pretty)
{
    char *s = render_json(n, pretty);
    if (!s) {
        cli_error("%s", kofu_status_message(KOFU_ENOMEM, cli_default_lang()));
        return EXIT_FAILURE_IO;
    }
    fputs(s, stdout);
    fputc('\n', stdout);
    free(s);
    return EXIT_OK;
}

static int run(int argc, char **argv)
{
    cli_common co;
    cli_common_init(&co, FMT_TEXT);
    int rc = EXIT_OK, first_case = 0, n_cases = 0;
    char **cases = calloc((size_t)argc, sizeof *cases);
    if (!cases)
        return EXIT_FAILURE_IO;
    rc = cli_parse_cases(&co, "calc", formats, argc, argv, cases, &n_cases);
    if (rc < 0) {
        free(cases);
        return EXIT_OK;
    }
    kofu_rules *rules = rc == EXIT_OK ? cli_load_rules(&co, &rc) : NULL;
    if (rules && co.format == FMT_CSV)
        render_csv_header(stdout);
    /* Stop at the first failed write: the rest could not be delivered anyway,
     * and cli_finish_stdout reports the failure with exit 5. */
    for (int k = 0; rules && k < n_cases && !ferror(stdout); k++) {
        kofu_case *c = NULL;
        kofu_result *r = NULL;
        kofu_status st = calc_one(rules, cases[k], &co, &c, &r);
        if (st != KOFU_OK) {
            int e = cli_exit_for(st);
            if (rc == EXIT_OK || e > rc)
                rc = e;
        } else if (co.format == FMT_TEXT) {
            if (first_case++)
                fputs("\n────────────────────────────────────────\n\n", stdout);
            render_text(stdout, r, c, co.lang);
        } else if (co.format == FMT_CSV) {
            render_csv_row(stdout, cases[k], r, c, NULL);
        } else if (n_cases == 1) {
            int e = print_json(kofu_result_root(r), true);
            rc = e != EXIT_OK ? e : rc;
        } else {
            /* several cases: one array, streamed element by element */
            char *s = render_json(kofu_result_root(r), true);
            if (s) {
                fputs(first_case++ ? ",\n" : "[\n", stdout);
                fputs(s, stdout);
                free(s);
            } else {
                rc = EXIT_FAILURE_IO;
            }
        }
        kofu_result_free(&r);
        kofu_case_free(&c);
    }
    if (rules && co.format == FMT_JSON && n_cases > 1)
        fputs(first_case ? "\n]\n" : "[]\n", stdout);
    kofu_rules_free(&rules);
    free(cases);
    return rc;
}

const cli_command cmd_calc = {
    "calc",
    run,
    "ケースファイルの交付税措置・交付金を計算します",
    "computes the grants of case files",
    "使い方: kofu calc [--format text|json|csv] [--lang ja|en] [--rules DIR] CASE...\n\n"
    "各ケースファイルの措置を計算し、金額・計算の過程・根拠を表示します。\n\n"
    "  --format text   読みやすい報告（既定）。金額は 19,288,000円 の形\n"
    "  --format json   JSON（docs/output.md。ケースが複数なら配列）\n"
    "  --format csv    見出し1行とケースごとに1行（Excel に貼り付け可）\n"
    "  --lang ja|en    表示言語    --rules DIR   編集したルールデータを使う\n\n"
    "終了コード: 0 成功, 2 使い方の誤り, 3 ケースファイルが不正, 4 ルールデータが不正, 5 入出力エラー\n"
    "例: kofu calc examples/network-ict.ini\n",
    "usage: kofu calc [--format text|json|csv] [--lang ja|en] [--rules DIR] CASE...\n\n"
    "Computes every measure of each case file and shows the amounts, the steps and their sources.\n\n"
    "  --format text   a report for people (default); amounts as 19,288,000円\n"
    "  --format json   JSON (docs/output.md; an array for several cases)\n"
    "  --format csv    one header and one row per case (pastes into Excel)\n"
    "  --lang ja|en    language    --rules DIR   use an edited copy of the rule data\n\n"
    "exit codes: 0 success, 2 usage error, 3 invalid case file, 4 invalid rule data, 5 I/O error\n"
    "example: kofu calc examples/network-ict.ini\n",
};
