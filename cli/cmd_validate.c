/* cmd_validate.c — `kofu validate`: check case files without computing. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int run(int argc, char **argv)
{
    cli_common co;
    cli_common_init(&co, FMT_TEXT);
    int rc = EXIT_OK, n_cases = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            cli_help_command("validate", co.lang, stdout);
            return EXIT_OK;
        }
        if (cli_common_option(&co, "validate", NULL, argc, argv, &i, &rc)) {
            if (rc != EXIT_OK)
                return rc;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0' && strcmp(argv[i], "--") != 0)
            return cli_usage_error("validate", co.lang,
                                   CLI_TR(co.lang, "不明なオプションです: '%s'", "unknown option: '%s'"), argv[i]);
        n_cases += strcmp(argv[i], "--") != 0;
    }
    if (n_cases == 0)
        return cli_usage_error("validate", co.lang,
                               CLI_TR(co.lang, "ケースファイルを指定してください", "no case file given"));
    kofu_rules *rules = cli_load_rules(&co, &rc);
    if (!rules)
        return rc;
    bool after_dashdash = false;
    for (int i = 1; i < argc; i++) {
        if (!after_dashdash && strcmp(argv[i], "--") == 0) {
            after_dashdash = true;
            continue;
        }
        if (!after_dashdash && (strcmp(argv[i], "--lang") == 0 || strcmp(argv[i], "--rules") == 0)) {
            i++;
            continue;
        }
        if (!after_dashdash && argv[i][0] == '-' && argv[i][1] != '\0')
            continue;
        kofu_diag *d = NULL;
        kofu_case *c = NULL;
        kofu_status st = kofu_diag_new(co.lang, &d);
        if (st == KOFU_OK)
            st = kofu_case_load_file(rules, argv[i], d, &c);
        if (st == KOFU_OK) {
            printf("%s: %s\n", argv[i], CLI_TR(co.lang, "問題ありません", "ok"));
        } else {
            cli_print_diag(d);
            if (kofu_diag_count(d) == 0)
                fprintf(stderr, "%s: %s\n", argv[i], kofu_status_message(st, co.lang));
            int e = cli_exit_for(st);
            rc = e > rc ? e : rc;
        }
        kofu_case_free(&c);
        kofu_diag_free(&d);
    }
    kofu_rules_free(&rules);
    return rc;
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
