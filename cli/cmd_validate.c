/* cmd_validate.c — `kofu validate`: check case files without computing. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* A case that loaded is valid: say so. */
static int say_ok(void *ctx, const char *label, const kofu_case *c)
{
    kofu_lang lang = *(const kofu_lang *)ctx;
    (void)c;
    cli_fputs_safe(label, stdout); /* a file name may hold an escape sequence */
    printf(": %s\n", CLI_TR(lang, "問題ありません", "ok"));
    return EXIT_OK;
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
        int e = cli_each_case(rules, cases[k], co.lang, say_ok, &co.lang);
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
    "CASE はケースファイル（*.ini）か、1行1ケースのケース表（*.csv、docs/case-tables.md）です。\n"
    "ケースファイルの書式と内容（未知のセクション・キー、重複、型、範囲、必須キー、\n"
    "団体や年度に開かれていない措置）を検査します。問題はすべて\n"
    "  FILE: [section] key: メッセージ（N行目）\n"
    "の形で標準エラーに出力します。\n\n"
    "終了コード: 0 問題なし, 2 使い方の誤り, 3 ケースファイルが不正, 4 ルールデータが不正\n",
    "usage: kofu validate [--lang ja|en] [--rules DIR] CASE...\n\n"
    "A CASE is a case file (*.ini) or a case table of one case per row (*.csv, docs/case-tables.md).\n"
    "Checks the form and content of case files (unknown sections and keys, duplicates,\n"
    "types, ranges, required keys, measures not open to the entity or year). Every\n"
    "problem goes to stderr as\n"
    "  FILE: [section] key: message (line N)\n\n"
    "exit codes: 0 no problem, 2 usage error, 3 invalid case file, 4 invalid rule data\n",
};
