/* cmd_calc.c — `kofu calc`: compute every measure of each case file. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "output.h"
#include "run.h"
#include "kofu/table.h"

static const char *const formats[] = {"text", "json", "csv", "html", "xlsx", NULL};

/* The options of calc alone, taken out of argv before the common parser
 * sees it: --trace, --unit 円|千円, --output FILE. */
typedef struct calc_opts {
    bool trace;
    int64_t unit;
    const char *output;
} calc_opts;

/* Moves calc's own options out of argv (in place; returns the new argc),
 * or returns -1 after a usage error. */
static int take_calc_options(int argc, char **argv, calc_opts *o, kofu_lang lang)
{
    int n = 1;
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        if (strcmp(argv[i], "--") == 0) {
            while (i < argc)
                argv[n++] = argv[i++];
            break;
        }
        if (strcmp(argv[i], "--trace") == 0) {
            o->trace = true;
        } else if (run_opt_value("--unit", argc, argv, &i, &v)) {
            if (v && (strcmp(v, "千円") == 0 || strcmp(v, "1000") == 0 || strcmp(v, "thousand") == 0))
                o->unit = 1000;
            else if (v && (strcmp(v, "円") == 0 || strcmp(v, "1") == 0 || strcmp(v, "yen") == 0))
                o->unit = 1;
            else {
                cli_usage_error("calc", lang, CLI_TR(lang, "--unit は 円 か 千円 です%s%s%s",
                                                     "--unit must be 円 or 千円%s%s%s"),
                                v ? ": '" : "", v ? v : "", v ? "'" : "");
                return -1;
            }
        } else if (run_opt_value("--output", argc, argv, &i, &v)) {
            if (!v || !*v) {
                cli_usage_error("calc", lang, "%s", CLI_TR(lang, "--output にはファイル名が必要です",
                                                           "--output needs a file name"));
                return -1;
            }
            o->output = v;
        } else {
            argv[n++] = argv[i];
        }
    }
    return n;
}

/* 作成日 of the printed report: the day in Japan, or that of
 * SOURCE_DATE_EPOCH (reproducible output). */
static void creation_date(kofu_lang lang, char *buf, size_t cap)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    time_t t = e && *e ? (time_t)strtoll(e, NULL, 10) : time(NULL);
    t += 9 * 3600; /* JST, no daylight saving */
    struct tm tm;
    gmtime_r(&t, &tm);
    if (lang == KOFU_LANG_EN)
        strftime(buf, cap, "%Y-%m-%d", &tm);
    else
        snprintf(buf, cap, "%d年%d月%d日", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* Evaluates one loaded case; prints diagnostics on failure. */
static kofu_status calc_one(const kofu_rules *rules, const char *label, const cli_common *co,
                            const kofu_case *c, kofu_result **r)
{
    kofu_lang lang = co->lang;
    kofu_diag *d = NULL;
    kofu_status st = kofu_diag_new(lang, &d);
    kofu_eval_options opt = {.lang = lang, .computed_at = co->computed_at};
    if (st == KOFU_OK)
        st = kofu_evaluate(rules, c, &opt, d, r);
    if (st != KOFU_OK) {
        cli_print_diag(d);
        if (kofu_diag_count(d) == 0) {
            cli_fputs_safe(label, stderr);
            fprintf(stderr, ": %s\n", kofu_status_message(st, lang));
        }
    }
    kofu_diag_free(&d);
    return st;
}

static int print_json(FILE *out, const kofu_node *n, bool pretty)
{
    char *s = render_json(n, pretty);
    if (!s) {
        cli_error("%s", kofu_status_message(KOFU_ENOMEM, cli_default_lang()));
        return EXIT_FAILURE_IO;
    }
    fputs(s, out);
    fputc('\n', out);
    free(s);
    return EXIT_OK;
}

/* The CSV header (and BOM), or the reason it cannot be written. */
static int csv_begin(const cli_common *co, FILE *out)
{
    kofu_diag *d = NULL;
    if (kofu_diag_new(co->lang, &d) != KOFU_OK)
        return EXIT_FAILURE_IO;
    cli_buf b = {0};
    kofu_status st = kofu_csv_begin(&co->csv, &b, d);
    cli_print_diag(d);
    kofu_diag_free(&d);
    cli_buf_write(out, &b);
    return cli_exit_for(st);
}

static int csv_row(const cli_common *co, FILE *out, const char *path, const kofu_result *r,
                   const kofu_case *c)
{
    kofu_diag *d = NULL;
    if (kofu_diag_new(co->lang, &d) != KOFU_OK)
        return EXIT_FAILURE_IO;
    cli_buf b = {0};
    kofu_status st = kofu_csv_case(&co->csv, &b, path, r, c, NULL, NULL, d);
    cli_print_diag(d);
    kofu_diag_free(&d);
    cli_buf_write(out, &b);
    return cli_exit_for(st);
}

/* One computed case of calc, in the chosen format. */
typedef struct calc_run {
    const cli_common *co;
    const kofu_rules *rules;
    FILE *out;
    const report_opts *ro;
    kofu_xlsx *book;
    bool array;      /* JSON: several cases, one array */
    int first_case;  /* cases written so far           */
} calc_run;

static int emit(void *ctx, const char *label, const kofu_case *c)
{
    calc_run *x = ctx;
    const cli_common *co = x->co;
    FILE *out = x->out;
    if (ferror(out))
        return EXIT_FAILURE_IO;
    kofu_result *r = NULL;
    kofu_status st = calc_one(x->rules, label, co, c, &r);
    int rc = EXIT_OK;
    if (st != KOFU_OK) {
        rc = cli_exit_for(st);
    } else if (co->format == FMT_TEXT) {
        if (x->first_case++)
            fputs("\n────────────────────────────────────────\n\n", out);
        render_text(out, r, c, x->ro);
    } else if (co->format == FMT_HTML) {
        if (!x->first_case++) {
            char created[64];
            creation_date(co->lang, created, sizeof created);
            const char *title = kofu_case_name(c)[0] ? kofu_case_name(c) : kofu_case_id(c);
            render_html_begin(out, x->ro, title, created);
        }
        render_html_case(out, r, c, x->ro);
    } else if (co->format == FMT_CSV) {
        x->first_case++;
        rc = csv_row(co, out, label, r, c);
    } else if (co->format == FMT_XLSX) {
        x->first_case++;
        if (kofu_xlsx_add_case(x->book, label, r, c, NULL) != KOFU_OK)
            rc = EXIT_FAILURE_IO;
    } else if (!x->array) {
        x->first_case++;
        rc = print_json(out, kofu_result_root(r), true);
    } else {
        /* several cases: one array, streamed element by element */
        char *s = render_json(kofu_result_root(r), true);
        if (s) {
            fputs(x->first_case++ ? ",\n" : "[\n", out);
            fputs(s, out);
            free(s);
        } else {
            rc = EXIT_FAILURE_IO;
        }
    }
    kofu_result_free(&r);
    return rc;
}

static int run(int argc, char **argv)
{
    cli_common co;
    cli_common_init(&co, FMT_TEXT);
    calc_opts opts = {.unit = 1};
    argc = take_calc_options(argc, argv, &opts, co.lang);
    if (argc < 0)
        return EXIT_USAGE;
    int rc = EXIT_OK, first_case = 0, n_cases = 0;
    char **cases = calloc((size_t)argc, sizeof *cases);
    if (!cases)
        return EXIT_FAILURE_IO;
    rc = cli_parse_cases(&co, "calc", formats, argc, argv, cases, &n_cases);
    if (rc < 0) {
        free(cases);
        return EXIT_OK;
    }
    report_opts ro = {.lang = co.lang, .trace = opts.trace, .unit = opts.unit};
    co.output = opts.output;
    co.thousands = opts.unit == 1000;
    if (rc == EXIT_OK && co.format == FMT_XLSX)
        rc = cli_xlsx_check(&co, "calc", true);
    if (rc == EXIT_OK && co.format == FMT_XLSX)
        rc = cli_xlsx_refuse_inputs(&co, "calc", opts.output, cases, n_cases);
    kofu_rules *rules = rc == EXIT_OK ? cli_load_rules(&co, &rc) : NULL;
    cli_output sink = {0};
    FILE *out = stdout;
    kofu_xlsx *book = NULL;
    kofu_node *bib = NULL;
    if (rules && co.format == FMT_XLSX && !(book = cli_xlsx_open(&co, opts.output, rules, &bib, &rc))) {
        kofu_rules_free(&rules);
    } else if (rules && !book) {
        int orc = cli_output_open(&sink, "calc", opts.output, co.lang);
        if (orc == EXIT_OK && (orc = cli_output_check_inputs(&sink, cases, n_cases)) != EXIT_OK)
            cli_output_close(&sink, false);
        if (orc != EXIT_OK) {
            kofu_rules_free(&rules);
            rc = orc;
        } else {
            out = sink.fp;
        }
    }
    if (rules && co.format == FMT_CSV)
        rc = csv_begin(&co, out);
    /* Stop at the first failed write: the rest could not be delivered anyway,
     * and cli_finish_stdout reports the failure with exit 5. */
    calc_run run = {.co = &co, .rules = rules, .out = out, .ro = &ro, .book = book};
    /* a case table holds many cases: JSON is then an array, as for several files */
    run.array = n_cases > 1;
    for (int k = 0; k < n_cases; k++)
        run.array |= kofu_table_path(cases[k]);
    for (int k = 0; rules && k < n_cases && !ferror(out); k++) {
        int e = cli_each_case(rules, cases[k], co.lang, emit, &run);
        rc = e > rc ? e : rc;
    }
    first_case = run.first_case;
    if (rules && co.format == FMT_JSON && run.array)
        fputs(first_case ? "\n]\n" : "[]\n", out);
    if (rules && co.format == FMT_HTML && first_case)
        render_html_end(out, &ro);
    if (book)
        rc = rc == EXIT_FAILURE_IO ? (kofu_xlsx_discard(&book), rc) : cli_xlsx_close(&book, &co, rc);
    else if (rules && opts.output) {
        /* the file is replaced only by a complete report */
        int orc = cli_output_close(&sink, rc != EXIT_FAILURE_IO && !ferror(out));
        rc = orc != EXIT_OK ? orc : rc;
    }
    kofu_node_free(&bib);
    kofu_rules_free(&rules);
    free(cases);
    return rc;
}

const cli_command cmd_calc = {
    "calc",
    run,
    "ケースファイルの交付税措置・交付金を計算します",
    "computes the grants of case files",
    "使い方: kofu calc [--format text|json|csv|html|xlsx] [CSV の指定] [--trace] [--unit 円|千円]\n"
    "                 [--output FILE] [--lang ja|en] [--rules DIR] CASE...\n\n"
    "各ケースファイルの措置を計算します。既定の報告は1画面に収まる要約です: 年度、合計、措置・組織・\n"
    "事業ごとの金額、注意、版とルールの記録。\n\n"
    "  --format text   読みやすい報告（既定）。金額は 19,288,000円 の形、負の額は △\n"
    "  --format json   出力契約の JSON（ケースが複数なら配列）。比率は正確な分数で書きます\n"
    "  --format csv    見出し1行とケースごとに1行（Excel でそのまま開けます）\n"
    "  --format html   印刷できる報告（A4、外部ファイルなしの1ファイル）。--output と使います\n"
    "  --format xlsx   Excel のブック（概要・措置ごと・計算過程・根拠・注意のシート）。--output と使い、\n"
    "                  --unit 千円 で金額を千円表示にします（セルの値は円のまま）\n"
    "  --encoding E    CSV の文字コード: utf-8-bom（既定）, utf-8, cp932\n"
    "  --header H      CSV の見出し: ja, en（既定は表示言語）, keys（スクリプト用の固定名）\n"
    "  --rows R        CSV の行: cases（ケースごと、既定）, items（組織・事業・職員ごと）\n"
    "  --trace         措置ごとの計算の過程（各段階の計算と根拠）も表示する\n"
    "  --unit 千円     金額を千円単位で表示する（端数は小数で残します）\n"
    "  --output FILE   標準出力ではなく FILE に書く\n"
    "  --lang ja|en    表示言語    --rules DIR   編集したルールデータを使う\n\n"
    "終了コード: 0 成功, 2 使い方の誤り, 3 ケースファイルが不正, 4 ルールデータが不正, 5 入出力エラー\n"
    "例: kofu calc examples/rmo-town-r7.ini\n"
    "    kofu calc --format html --output 報告.html examples/*.ini\n",
    "usage: kofu calc [--format text|json|csv|html|xlsx] [CSV options] [--trace] [--unit 円|千円]\n"
    "                 [--output FILE] [--lang ja|en] [--rules DIR] CASE...\n\n"
    "Computes every measure of each case file. The default report is a one-screen summary: the year,\n"
    "the totals, the amount of each measure, organization and project, warnings, and the stamp of\n"
    "the version and rules.\n\n"
    "  --format text   a report for people (default); amounts as 19,288,000 yen\n"
    "  --format json   the JSON of the output contract (an array for several cases); exact fractions\n"
    "  --format csv    one header and one row per case (opens in Excel as is)\n"
    "  --format html   a printable report (A4, one self-contained file); use with --output\n"
    "  --format xlsx   an Excel workbook (summary, one sheet per measure, trace, sources, notes);\n"
    "                  use with --output; --unit 千円 shows thousands (cells keep exact yen)\n"
    "  --encoding E    CSV bytes: utf-8-bom (default), utf-8, cp932\n"
    "  --header H      CSV header: ja, en (default: the display language), keys (stable names)\n"
    "  --rows R        CSV rows: cases (one per case, default), items (organizations, projects, workers)\n"
    "  --trace         also show the calculation of each measure, step by step, with sources\n"
    "  --unit 千円     show amounts in thousands of yen (exact: a remainder stays as decimals)\n"
    "  --output FILE   write to FILE instead of standard output\n"
    "  --lang ja|en    language    --rules DIR   use an edited copy of the rule data\n\n"
    "exit codes: 0 success, 2 usage error, 3 invalid case file, 4 invalid rule data, 5 I/O error\n"
    "example: kofu calc examples/rmo-town-r7.ini\n"
    "         kofu calc --format html --output report.html examples/*.ini\n",
};
