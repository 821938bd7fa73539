/*
 * main.c — the `kofu` command: dispatch to subcommands, global help and
 * version. Exit codes: docs/output.md (see cli.h).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define KOFU_COMMAND(name) extern const cli_command cmd_##name;
#include "commands.def"
#undef KOFU_COMMAND

static const cli_command *const commands[] = {
#define KOFU_COMMAND(name) &cmd_##name,
#include "commands.def"
#undef KOFU_COMMAND
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

const cli_command *cli_find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

static void print_overview(FILE *out, kofu_lang lang)
{
    fputs(CLI_TR(lang,
                 "使い方: kofu <コマンド> [オプション] [ケースファイル...]\n\n"
                 "地方創生関連の交付税措置・交付金（特別交付税、特定地域づくり事業推進交付金、\n"
                 "集落ネットワーク圏形成支援事業など）を、根拠と計算過程つきで円単位まで正確に計算します。\n\n"
                 "コマンド:\n",
                 "usage: kofu <command> [options] [case files...]\n\n"
                 "Computes the grants Japanese municipalities, prefectures and cooperatives can claim\n"
                 "under the regional-revitalization measures (特別交付税, 交付金), exact to the yen,\n"
                 "with the rule and source behind every step.\n\n"
                 "commands:\n"),
          out);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i]->name,
                CLI_TR(lang, commands[i]->summary_ja, commands[i]->summary_en));
    fprintf(out, "  %-10s %s\n", "help",
            CLI_TR(lang, "コマンドやケースファイルの書式の説明を表示します",
                   "shows help on a command or on the case-file format"));
    fputs(CLI_TR(lang,
                 "\n共通オプション:\n"
                 "  --lang ja|en   表示言語（既定: ja、環境変数 KOFU_LANG）\n"
                 "  --rules DIR    編集したルールデータを使う（環境変数 KOFU_RULES）\n"
                 "  --help         ヘルプ    --version   バージョン\n\n"
                 "終了コード: 0 成功, 1 check で不一致, 2 使い方の誤り, 3 ケースファイルが不正,\n"
                 "            4 ルールデータが不正, 5 入出力エラー\n"
                 "ケースファイルの書式: kofu help case\n",
                 "\ncommon options:\n"
                 "  --lang ja|en   language of the output (default ja; env KOFU_LANG)\n"
                 "  --rules DIR    use an edited copy of the rule data (env KOFU_RULES)\n"
                 "  --help         this help    --version   the version\n\n"
                 "exit codes: 0 success, 1 check found a discrepancy, 2 usage error,\n"
                 "            3 invalid case file, 4 invalid rule data, 5 input/output error\n"
                 "case-file format: kofu help case\n"),
          out);
}

int cli_help_command(const char *name, kofu_lang lang, FILE *out)
{
    const cli_command *c = cli_find_command(name);
    if (!c)
        return -1;
    fputs(CLI_TR(lang, c->help_ja, c->help_en), out);
    return 0;
}

/* `kofu help case`: the schema, generated from the measures. */
static void print_case_help(FILE *out, kofu_lang lang)
{
    kofu_node *schema = NULL;
    if (kofu_schema(&schema) != KOFU_OK)
        return;
    fputs(CLI_TR(lang,
                 "ケースファイル（INI形式、UTF-8。; か # でコメント。CRLF と BOM も可）\n\n"
                 "金額: 1200000, 1,200,000, 1200千円, 120万円, 1,200,000円（円未満・負・10^15超は不可）\n"
                 "比率: 0.75 または 75%    真偽: yes/no, true/false, 1/0, はい/いいえ\n"
                 "年度: 2025, FY2025, R7, 令和7年度, 令和元年度, H30, 平成30年度\n\n",
                 "Case file (INI, UTF-8; ; or # comments; CRLF and a BOM accepted)\n\n"
                 "amounts: 1200000, 1,200,000, 1200千円, 120万円, 1,200,000円 (no fraction of a yen,\n"
                 "         no negative, at most 10^15)\n"
                 "ratios: 0.75 or 75%    booleans: yes/no, true/false, 1/0, はい/いいえ\n"
                 "fiscal years: 2025, FY2025, R7, 令和7年度, 令和元年度, H30, 平成30年度\n\n"),
          out);
    const char *last = "";
    for (size_t i = 0; i < kofu_node_size(schema); i++) {
        const kofu_node *k = kofu_node_at(schema, i);
        const char *sec = kofu_node_str(kofu_node_get(k, "section"));
        if (strcmp(sec, last) != 0)
            fprintf(out, "%s[%s]\n", i ? "\n" : "", sec);
        last = sec;
        /* English help keeps the Japanese term beside the English one: it is
         * the word on the forms the numbers come from. */
        const char *ja = kofu_node_str(kofu_node_get(k, "label_ja"));
        fprintf(out, "  %-34s %-12s %s%s%s%s\n", kofu_node_str(kofu_node_get(k, "key")),
                kofu_node_str(kofu_node_get(k, "type")),
                lang == KOFU_LANG_EN ? kofu_node_str(kofu_node_get(k, "label_en")) : ja,
                lang == KOFU_LANG_EN ? " — " : "", lang == KOFU_LANG_EN ? ja : "",
                kofu_node_bool(kofu_node_get(k, "required")) ? CLI_TR(lang, "（必須）", ", required")
                                                              : "");
    }
    fputs(CLI_TR(lang, "\n[claim]\n  <措置>.<金額> または totals.<金額> = 請求額（kofu help check）\n",
                 "\n[claim]\n  <measure>.<amount> or totals.<amount> = claimed amount (kofu help check)\n"),
          out);
    kofu_node_free(&schema);
}

static int run_help(int argc, char **argv, kofu_lang lang)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--lang=en") == 0 ||
            (strcmp(argv[i], "--lang") == 0 && i + 1 < argc && strcmp(argv[i + 1], "en") == 0))
            lang = KOFU_LANG_EN;
    }
    const char *topic = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--lang") == 0) {
            i++;
            continue;
        }
        if (strncmp(argv[i], "--lang=", 7) != 0) {
            topic = argv[i];
            break;
        }
    }
    if (!topic) {
        print_overview(stdout, lang);
    } else if (strcmp(topic, "case") == 0) {
        print_case_help(stdout, lang);
    } else if (cli_help_command(topic, lang, stdout) != 0) {
        return cli_usage_error(NULL, lang, CLI_TR(lang, "そのようなコマンドやトピックはありません: '%s'",
                                                  "no such command or topic: '%s'"),
                               topic);
    }
    return cli_finish_stdout(EXIT_OK);
}

int main(int argc, char **argv)
{
    /* A closed pipe must surface as a write error (EPIPE), not kill kofu
     * silently half-way through a report. */
    signal(SIGPIPE, SIG_IGN);
    kofu_lang lang = cli_default_lang();
    int first = 1;
    bool lang_given = false;
    /* Common options may come before the command (`kofu --rules DIR calc x`,
     * as the overview lists them); they reach the command through the
     * environment it reads its defaults from. */
    while (first < argc) {
        const char *a = argv[first];
        bool is_lang = strcmp(a, "--lang") == 0 || strncmp(a, "--lang=", 7) == 0;
        bool is_rules = strcmp(a, "--rules") == 0 || strncmp(a, "--rules=", 8) == 0;
        if (!is_lang && !is_rules)
            break;
        const char *eq = strchr(a, '=');
        if (!eq && first + 1 >= argc)
            return cli_usage_error(NULL, lang, CLI_TR(lang, "%s には値が必要です", "%s needs a value"), a);
        const char *v = eq ? eq + 1 : argv[first + 1];
        if (is_lang && strcmp(v, "en") != 0 && strcmp(v, "ja") != 0)
            return cli_usage_error(NULL, lang, CLI_TR(lang, "--lang は ja か en です: '%s'",
                                                      "--lang must be ja or en: '%s'"), v);
        if (is_lang) {
            lang = strcmp(v, "en") == 0 ? KOFU_LANG_EN : KOFU_LANG_JA;
            lang_given = true;
        } else {
            setenv("KOFU_RULES", v, 1);
        }
        first += eq ? 1 : 2;
    }
    if (first >= argc) {
        print_overview(stderr, lang);
        return EXIT_USAGE;
    }
    const char *cmd = argv[first];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        print_overview(stdout, lang);
        return cli_finish_stdout(EXIT_OK);
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("kofu %s\n", KOFU_VERSION);
        return cli_finish_stdout(EXIT_OK);
    }
    if (strcmp(cmd, "help") == 0)
        return run_help(argc - first, argv + first, lang);
    const cli_command *c = cli_find_command(cmd);
    if (!c)
        return cli_usage_error(NULL, lang, CLI_TR(lang, "不明なコマンドです: '%s'", "unknown command: '%s'"), cmd);
    /* Pass the subcommand its own argv, with a leading --lang re-applied. */
    if (lang_given)
        setenv("KOFU_LANG", lang == KOFU_LANG_EN ? "en" : "ja", 1);
    return cli_finish_stdout(c->run(argc - first, argv + first));
}
