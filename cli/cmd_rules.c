/* cmd_rules.c — `kofu rules`: list the rule data in force, or export it. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *const formats[] = {"text", "json", "csv", "xlsx", NULL};

static void print_text(const kofu_node *list, kofu_lang lang)
{
    const char *last = "";
    char fy[64];
    for (size_t i = 0; i < kofu_node_size(list); i++) {
        const kofu_node *p = kofu_node_at(list, i);
        const char *m = kofu_node_str(kofu_node_get(p, "measure"));
        if (strcmp(m, last) != 0) {
            const char *l = kofu_label(m, lang);
            printf("%s■ %s (%s)\n", i ? "\n" : "", l ? l : m, m);
        }
        last = m;
        kofu_fy_format((int)kofu_node_int(kofu_node_get(p, "from_fy")), lang, fy, sizeof fy);
        bool prov = strcmp(kofu_node_str(kofu_node_get(p, "status")), "provisional") == 0;
        printf("  %s.%s — %s\n", m, kofu_node_str(kofu_node_get(p, "name")),
               kofu_node_str(kofu_node_get(p, "label")));
        printf("      %s %s (%s)  %s%s%s\n", CLI_TR(lang, "値:", "value:"),
               kofu_node_str(kofu_node_get(p, "value")), kofu_node_str(kofu_node_get(p, "unit")),
               fy, CLI_TR(lang, "から", " on"),
               prov ? CLI_TR(lang, "  【暫定】", "  [provisional]") : "");
        int64_t through = kofu_node_int(kofu_node_get(p, "confirmed_through"));
        if (through) {
            kofu_fy_format((int)through, lang, fy, sizeof fy);
            printf("      %s %s\n", CLI_TR(lang, "確認済み:", "confirmed through:"), fy);
        } else {
            printf("      %s\n", CLI_TR(lang, "確認済み: なし", "confirmed through: never"));
        }
        printf("      %s %s\n", CLI_TR(lang, "根拠:", "source:"), kofu_node_str(kofu_node_get(p, "source")));
    }
}

static void print_csv(const kofu_node *list)
{
    static const char *const cols[] = {"measure", "name", "label", "from_fy", "value", "unit",
                                       "status", "confirmed_through", "confirmed_by",
                                       "confirmed_by_kind", "source_id", "locator", "source",
                                       NULL};
    for (int c = 0; cols[c]; c++)
        printf("%s%s", c ? "," : "", cols[c]);
    fputs("\r\n", stdout);
    for (size_t i = 0; i < kofu_node_size(list); i++) {
        const kofu_node *p = kofu_node_at(list, i);
        for (int c = 0; cols[c]; c++) {
            const kofu_node *v = kofu_node_get(p, cols[c]);
            if (c)
                fputc(',', stdout);
            if (kofu_node_type(v) == KOFU_NODE_INT)
                printf("%" PRId64, kofu_node_int(v));
            else
                render_csv_field(stdout, kofu_node_str(v));
        }
        fputs("\r\n", stdout);
    }
}

static void print_sources_text(const kofu_node *list, kofu_lang lang)
{
    static const char *const extra[][3] = {
        {"url", "URL:", "URL:   "},
        {"doc", "説明:", "doc:   "},
        {"note", "備考:", "note:  "},
    };
    for (size_t i = 0; i < kofu_node_size(list); i++) {
        const kofu_node *s = kofu_node_at(list, i);
        printf("%s%s — %s\n", i ? "\n" : "", kofu_node_str(kofu_node_get(s, "id")),
               kofu_node_str(kofu_node_get(s, "kind")));
        printf("  %s\n", kofu_node_str(kofu_node_get(s, "citation")));
        for (size_t k = 0; k < sizeof extra / sizeof extra[0]; k++) {
            const kofu_node *v = kofu_node_get(s, extra[k][0]);
            if (v)
                printf("  %s %s\n", CLI_TR(lang, extra[k][1], extra[k][2]), kofu_node_str(v));
        }
    }
}

static void print_sources_csv(const kofu_node *list)
{
    static const char *const cols[] = {"id",      "kind",   "issuer",     "title", "date",
                                       "number",  "as_of",  "amended_by", "edition", "url",
                                       "doc",     "note",   "citation",   NULL};
    for (int c = 0; cols[c]; c++)
        printf("%s%s", c ? "," : "", cols[c]);
    fputs("\r\n", stdout);
    for (size_t i = 0; i < kofu_node_size(list); i++) {
        const kofu_node *s = kofu_node_at(list, i);
        for (int c = 0; cols[c]; c++) {
            if (c)
                fputc(',', stdout);
            render_csv_field(stdout, kofu_node_str(kofu_node_get(s, cols[c])));
        }
        fputs("\r\n", stdout);
    }
}

static int export_to(const char *dir, bool force, kofu_lang lang)
{
    kofu_diag *d = NULL;
    kofu_status st = kofu_diag_new(lang, &d);
    if (st == KOFU_OK)
        st = kofu_rules_export_opts(dir, force ? KOFU_EXPORT_FORCE : 0, d);
    if (st != KOFU_OK)
        cli_print_diag(d);
    else
        fprintf(stderr, CLI_TR(lang, "%s にルールデータを書き出しました（kofu --rules %s で使えます）\n",
                               "wrote the rule data to %s (use it with kofu --rules %s)\n"),
                dir, dir);
    kofu_diag_free(&d);
    return st == KOFU_OK ? EXIT_OK : st == KOFU_EUSAGE ? EXIT_USAGE : EXIT_FAILURE_IO;
}

static int run(int argc, char **argv)
{
    cli_common co;
    cli_common_init(&co, FMT_TEXT);
    int rc = EXIT_OK, fy = 0;
    bool sources = false;
    const char *export_dir = NULL;
    bool force = false;
    for (int i = 1; i < argc && rc == EXIT_OK; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            cli_help_command("rules", co.lang, stdout);
            return EXIT_OK;
        }
        if (cli_common_option(&co, "rules", formats, argc, argv, &i, &rc))
            continue;
        if ((strcmp(a, "--fy") == 0 || strcmp(a, "--export") == 0) && i + 1 >= argc) {
            rc = cli_usage_error("rules", co.lang, CLI_TR(co.lang, "%s には値が必要です", "%s needs a value"), a);
        } else if (strcmp(a, "--fy") == 0 || strncmp(a, "--fy=", 5) == 0) {
            const char *v = a[4] == '=' ? a + 5 : argv[++i];
            if (!kofu_fy_parse(v, &fy))
                rc = cli_usage_error("rules", co.lang,
                                     CLI_TR(co.lang, "年度として読めません: '%s'", "not a fiscal year: '%s'"), v);
        } else if (strcmp(a, "--sources") == 0) {
            sources = true;
        } else if (strcmp(a, "--export") == 0 || strncmp(a, "--export=", 9) == 0) {
            export_dir = a[8] == '=' ? a + 9 : argv[++i];
            if (!*export_dir)
                rc = cli_usage_error("rules", co.lang, "%s",
                                     CLI_TR(co.lang, "--export にはディレクトリを指定してください（空の名前 '' です）",
                                            "--export needs a directory (the name given is empty: '')"));
        } else if (strcmp(a, "--force") == 0) {
            force = true;
        } else {
            rc = cli_usage_error("rules", co.lang,
                                 CLI_TR(co.lang, "不明な引数です: '%s'", "unknown argument: '%s'"), a);
        }
    }
    if (rc == EXIT_OK)
        rc = cli_xlsx_check(&co, "rules", false);
    if (rc != EXIT_OK)
        return rc;
    if (force && !export_dir)
        return cli_usage_error("rules", co.lang, "%s",
                               CLI_TR(co.lang, "--force は --export と一緒に使います",
                                      "--force goes with --export"));
    if (export_dir)
        return export_to(export_dir, force, co.lang);
    kofu_rules *rules = cli_load_rules(&co, &rc);
    if (!rules)
        return rc;
    kofu_node *list = NULL;
    kofu_status st = sources ? kofu_rules_sources(rules, co.lang, &list)
                             : kofu_rules_list(rules, fy, co.lang, &list);
    if (st != KOFU_OK) {
        rc = cli_exit_for(st);
    } else if (co.format == FMT_JSON) {
        char *s = render_json(list, true);
        if (s)
            printf("%s\n", s);
        else
            rc = EXIT_FAILURE_IO;
        free(s);
    } else if (co.format == FMT_XLSX) {
        /* the parameters and the bibliography (its own sheet, 根拠) */
        kofu_node *bib = NULL;
        kofu_xlsx *book = cli_xlsx_open(&co, co.output, rules, &bib, &rc);
        if (book && !sources && kofu_xlsx_add_rules(book, list) != KOFU_OK)
            rc = EXIT_FAILURE_IO;
        if (book)
            rc = rc == EXIT_OK ? cli_xlsx_close(&book, &co, rc) : rc;
        kofu_xlsx_discard(&book);
        kofu_node_free(&bib);
    } else if (co.format == FMT_CSV) {
        cli_csv_capture cap;
        cli_csv_start(&cap, &co);
        if (sources)
            print_sources_csv(list);
        else
            print_csv(list);
        rc = cli_csv_end(&cap, rc);
    } else if (sources) {
        print_sources_text(list, co.lang);
    } else {
        print_text(list, co.lang);
    }
    kofu_node_free(&list);
    kofu_rules_free(&rules);
    return rc;
}

const cli_command cmd_rules = {
    "rules",
    run,
    "ルールデータ（年度ごとの値・単位・状態・根拠）を表示・書き出します",
    "lists the rule data (dated values, units, status, sources) or exports it",
    "使い方: kofu rules [--fy 年度] [--format text|json|csv|xlsx] [--output FILE] [--rules DIR]\n"
    "        kofu rules --sources [--format text|json|csv|xlsx] [--output FILE] [--rules DIR]\n"
    "        kofu rules --export DIR [--force]\n\n"
    "  --fy 年度       その年度に適用される値だけを表示（例: R7, 2025）。省略時はすべての値\n"
    "  --sources       ルールデータと計算式が引用する出典の一覧（文献一覧）を表示\n"
    "  --format xlsx   Excel のブック（--output FILE に）: パラメータと文献一覧（根拠）のシート\n"
    "  --export DIR    組み込みのルールデータを DIR に書き出す。編集して --rules DIR で使えます\n"
    "                 （暫定【provisional】の値はここで上書きできます）。DIR が空でなければ中止します\n"
    "  --force         空でない DIR にも書き出す（同じ名前のファイルを置き換えます）\n",
    "usage: kofu rules [--fy FY] [--format text|json|csv|xlsx] [--output FILE] [--rules DIR]\n"
    "       kofu rules --sources [--format text|json|csv|xlsx] [--output FILE] [--rules DIR]\n"
    "       kofu rules --export DIR [--force]\n\n"
    "  --fy FY         only the values in force in that fiscal year (e.g. R7, 2025); default all\n"
    "  --sources       the bibliography the rule data and the formulas cite\n"
    "  --format xlsx   an Excel workbook (to --output FILE): the parameters and the bibliography\n"
    "  --export DIR    write the built-in rule data to DIR; edit it and use it with --rules DIR\n"
    "                  (this is how a provisional value is overridden); stops if DIR is not empty\n"
    "  --force         export into a DIR that is not empty (replacing files of the same names)\n",
};
