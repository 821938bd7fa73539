/* cmd_validate.c — `kofu validate`: check case files without computing. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Loads one case; prints "ok" or its diagnostics. Returns its exit code. */
static int validate_one(const kofu_rules *rules, const char *path, kofu_lang lang)
{
    kofu_diag *d = NULL;
    kofu_case *c = NULL;
    kofu_status st = kofu_diag_new(lang, &d);
    if (st == KOFU_OK)
        st = kofu_case_load_file(rules, path, d, &c);
    if (st == KOFU_OK) {
        cli_fputs_safe(path, stdout);
        printf(": %s\n", CLI_TR(lang, "問題ありません", "ok"));
    } else {
        cli_print_diag(d);
        if (kofu_diag_count(d) == 0) {
            cli_fputs_safe(path, stderr);
            fprintf(stderr, ": %s\n", kofu_status_message(st, lang));
        }
    }
    kofu_case_free(&c);
    kofu_diag_free(&d);
    return cli_exit_for(st);
}

static int run(int argc, char **argv)
{
    cli_common co;
    cli_common_init(&co, FMT_TEXT);
    int n_cases = 0;
    char **cases = calloc((size_t)argc, sizeof *cases);
    if (!cases)
        return EXIT_FAILURE_IO;
    int rc = cli_parse_cases(&co, "validate", NULL, argc, argv, cases, &n_cases);
    kofu_rules *rules = rc == EXIT_OK ? cli_load_rules(&co, &rc) : NULL;
    for (int k = 0; rules && k < n_cases; k++) {
        int e = validate_one(rules, cases[k], co.lang);
        rc = e > rc ? e : rc;
    }
    kofu_rules_free(&rules);
    free(cases);
    return rc < 0 ? EXIT_OK : rc;
}

const cli_command cmd_validate = {
    "validate",
    run,
    "ケースファイルを計算せずに検査します",
    "checks case files without computing",
    "使い方: kofu validate [--lang ja|en] [--rules DIR] CASE...\n\n"
    "ケースファイルの書式と内容（未知のセクション・キー、重複、型、範囲、必須キー、\n"
    "団体や年度に開かれていない措置）を検査します。問題はすべて\n"
    "  FILE: [section] key: メッセージ（N行目）\n"
    "の形で標準エラーに出力します。\n\n"
    "終了コード: 0 問題なし, 2 使い方の誤り, 3 ケースファイルが不正, 4 ルールデータが不正\n",
    "usage: kofu validate [--lang ja|en] [--rules DIR] CASE...\n\n"
    "Checks the form and content of case files (unknown sections and keys, duplicates,\n"
    "types, ranges, required keys, measures not open to the entity or year). Every\n"
    "problem goes to stderr as\n"
    "  FILE: [section] key: message (line N)\n\n"
    "exit codes: 0 no problem, 2 usage error, 3 invalid case file, 4 invalid rule data\n",
};
