/* cmd_check.c — `kofu check`: recompute each case and compare its [claim]
 * amounts (請求額) with the computed ones, showing for every mismatch the
 * trace steps behind the computed amount (rule, parameters, rounding,
 * source), so an auditor can point to the rule (docs/audit.md). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kofu/table.h"

static const char *const formats[] = {"text", "json", "csv", "xlsx", NULL};

typedef struct check_run {
    cli_common co;
    const kofu_rules *rules;
    int n_printed;  /* cases printed so far (separators, JSON array) */
    bool many;      /* several case files: JSON is an array        */
    kofu_xlsx *book; /* --format xlsx                              */
} check_run;

/* ---- one claim ------------------------------------------------------------- */

static bool has_computed(const kofu_node *cl) { return kofu_node_get(cl, "difference") != NULL; }

static bool matches(const kofu_node *cl)
{
    return has_computed(cl) && kofu_node_int(kofu_node_get(cl, "difference")) == 0;
}

static const char *signed_yen(int64_t v, kofu_lang lang, char *buf, size_t cap)
{
    size_t sign = v > 0 && cap > 1;
    buf[0] = '+';
    render_yen(v, lang, buf + sign, cap - sign);
    return buf;
}

static void text_steps(const kofu_node *steps, kofu_lang lang)
{
    fputs(CLI_TR(lang, "          計算額の根拠:\n", "            how the computed amount arises:\n"),
          stdout);
    const char *ind = CLI_TR(lang, "            ", "              ");
    for (size_t i = 0; i < kofu_node_size(steps); i++) {
        const kofu_node *t = kofu_node_at(steps, i);
        bool prov = strcmp(kofu_node_str(kofu_node_get(t, "status")), "provisional") == 0;
        printf("%s%s = %s%s\n", ind, kofu_node_str(kofu_node_get(t, "step")),
               kofu_node_str(kofu_node_get(t, "value")),
               prov ? CLI_TR(lang, "  【暫定】", "  [provisional]") : "");
        printf("%s    %s %s\n", ind, CLI_TR(lang, "計算:", "rule:  "),
               kofu_node_str(kofu_node_get(t, "rule")));
        printf("%s    %s %s\n", ind, CLI_TR(lang, "根拠:", "source:"),
               kofu_node_str(kofu_node_get(t, "source")));
    }
}

static void text_claim(const kofu_node *cl, kofu_lang lang)
{
    char a[64], b[64], d[64];
    const char *key = kofu_node_str(kofu_node_get(cl, "key"));
    const char *label = kofu_label(key, lang);
    bool ok = matches(cl);
    printf("  %s%s%s%s%s", ok ? CLI_TR(lang, "一致    ", "match     ")
                              : CLI_TR(lang, "不一致  ", "MISMATCH  "),
           key, label ? CLI_TR(lang, "（", " (") : "", label ? label : "",
           label ? CLI_TR(lang, "）", ")") : "");
    if (!ok) {
        int64_t line = kofu_node_int(kofu_node_get(cl, "line"));
        char cell[32];
        if (line < 0 && kofu_cell_ref((int)line, cell, sizeof cell)) /* a case table's cell */
            printf(CLI_TR(lang, " [claim] セル %s", ", [claim] cell %s"), cell);
        else
            printf(CLI_TR(lang, " [claim] %" PRId64 "行目", ", [claim] line %" PRId64), line);
    }
    fputc('\n', stdout);
    render_yen(kofu_node_int(kofu_node_get(cl, "claimed")), lang, a, sizeof a);
    if (has_computed(cl)) {
        render_yen(kofu_node_int(kofu_node_get(cl, "computed")), lang, b, sizeof b);
        signed_yen(kofu_node_int(kofu_node_get(cl, "difference")), lang, d, sizeof d);
        printf(CLI_TR(lang, "          請求額 %s  計算額 %s  差額 %s\n",
                      "            claimed %s  computed %s  difference %s\n"),
               a, b, d);
    } else {
        printf(CLI_TR(lang, "          請求額 %s  計算額 —（このケースからは決まりません）\n",
                      "            claimed %s  computed — (the case does not determine it)\n"),
               a);
    }
    if (!ok)
        text_steps(kofu_node_get(cl, "steps"), lang);
}

static void print_text(check_run *run, const char *path, const kofu_case *c,
                       const kofu_node *claims, size_t bad)
{
    kofu_lang lang = run->co.lang;
    if (run->n_printed++)
        fputc('\n', stdout);
    const char *name = kofu_case_name(c);
    printf("%s %s%s%s%s — ", CLI_TR(lang, "ケース", "Case"), kofu_case_id(c),
           name[0] ? CLI_TR(lang, "（", " (") : "", name, name[0] ? CLI_TR(lang, "）", ")") : "");
    cli_fputs_safe(path, stdout); /* a file name may hold an escape sequence */
    fputc('\n', stdout);
    for (size_t i = 0; i < kofu_node_size(claims); i++)
        text_claim(kofu_node_at(claims, i), lang);
    size_t n = kofu_node_size(claims);
    if (bad == 0)
        printf(CLI_TR(lang, "  %zu件すべて一致\n", "  all %zu claims match\n"), n);
    else
        printf(CLI_TR(lang, "  %zu件中%zu件が不一致\n", "  %2$zu of %1$zu claims differ\n"), n, bad);
}

/* ---- JSON and CSV ------------------------------------------------------------ */

static void json_member(cli_buf *b, const char *key, const kofu_node *v)
{
    render_json_string(b, key);
    cli_buf_putc(b, ':');
    render_json_buf(b, v);
}

static void print_json(check_run *run, const char *path, const kofu_case *c,
                       const kofu_node *claims, size_t bad)
{
    cli_buf b = {0};
    char num[32];
    if (run->many)
        cli_buf_puts(&b, run->n_printed ? ",\n" : "[\n");
    run->n_printed++;
    cli_buf_puts(&b, "{\"file\":");
    render_json_string(&b, path);
    cli_buf_puts(&b, ",\"case\":");
    render_json_string(&b, kofu_case_id(c));
    snprintf(num, sizeof num, "%zu", bad);
    cli_buf_puts(&b, ",\"mismatched\":");
    cli_buf_puts(&b, num);
    cli_buf_puts(&b, ",\"claims\":[");
    for (size_t i = 0; i < kofu_node_size(claims); i++) {
        const kofu_node *cl = kofu_node_at(claims, i);
        cli_buf_puts(&b, i ? ",\n  {" : "\n  {");
        for (size_t k = 0; k < kofu_node_size(cl); k++) {
            if (strcmp(kofu_node_key_at(cl, k), "steps") == 0)
                continue;
            json_member(&b, kofu_node_key_at(cl, k), kofu_node_at(cl, k));
            cli_buf_putc(&b, ',');
        }
        cli_buf_puts(&b, matches(cl) ? "\"match\":true," : "\"match\":false,");
        json_member(&b, "steps", kofu_node_get(cl, "steps"));
        cli_buf_putc(&b, '}');
    }
    cli_buf_puts(&b, "\n]}");
    if (!run->many)
        cli_buf_putc(&b, '\n');
    if (b.failed)
        cli_error("%s", kofu_status_message(KOFU_ENOMEM, run->co.lang));
    else
        fwrite(b.data, 1, b.len, stdout);
    cli_buf_free(&b);
}

static void csv_int(const kofu_node *n)
{
    if (n)
        printf("%" PRId64, kofu_node_int(n));
}

static void print_csv(const char *path, const kofu_case *c, const kofu_node *claims)
{
    for (size_t i = 0; i < kofu_node_size(claims); i++) {
        const kofu_node *cl = kofu_node_at(claims, i);
        const kofu_node *steps = kofu_node_get(cl, "steps");
        size_t n = kofu_node_size(steps);
        const kofu_node *last = n ? kofu_node_at(steps, n - 1) : NULL;
        render_csv_field(stdout, path);
        fputc(',', stdout);
        render_csv_field(stdout, kofu_case_id(c));
        fputc(',', stdout);
        render_csv_field(stdout, kofu_node_str(kofu_node_get(cl, "key")));
        fputc(',', stdout);
        csv_int(kofu_node_get(cl, "line"));
        fputc(',', stdout);
        csv_int(kofu_node_get(cl, "claimed"));
        fputc(',', stdout);
        csv_int(kofu_node_get(cl, "computed"));
        fputc(',', stdout);
        csv_int(kofu_node_get(cl, "difference"));
        fputs(matches(cl) ? ",match," : ",mismatch,", stdout);
        render_csv_field(stdout, kofu_node_str(kofu_node_get(last, "step")));
        fputc(',', stdout);
        render_csv_field(stdout, kofu_node_str(kofu_node_get(last, "rule")));
        fputc(',', stdout);
        render_csv_field(stdout, kofu_node_str(kofu_node_get(last, "source")));
        fputs("\r\n", stdout);
    }
}

/* ---- one case ---------------------------------------------------------------- */

/* Returns the exit code for this case: 0 all match, 1 a claim differs, 3
 * invalid (or nothing to check), 5 out of memory. */
static int check_one(void *ctx, const char *path, const kofu_case *c)
{
    check_run *run = ctx;
    kofu_lang lang = run->co.lang;
    kofu_diag *d = NULL;
    kofu_result *r = NULL;
    kofu_node *claims = NULL;
    kofu_eval_options opt = {.lang = lang, .computed_at = run->co.computed_at};
    kofu_status st = kofu_diag_new(lang, &d);
    if (st == KOFU_OK)
        st = kofu_evaluate(run->rules, c, &opt, d, &r);
    if (st == KOFU_OK)
        st = kofu_result_check_claims(r, c, &claims);
    int rc = cli_exit_for(st);
    if (st != KOFU_OK) {
        cli_print_diag(d);
        if (kofu_diag_count(d) == 0) {
            cli_fputs_safe(path, stderr);
            fprintf(stderr, ": %s\n", kofu_status_message(st, lang));
        }
    } else if (kofu_node_size(claims) == 0) {
        /* Nothing was compared: passing it as "all match" would let a
         * submission without its claimed amounts through unchecked. */
        fprintf(stderr,
                CLI_TR(lang,
                       "%s: [claim]: 照合する請求額がありません（[claim] セクションに "
                       "「措置.金額 = 請求額」を書いてください。kofu help check）\n",
                       "%s: [claim]: no claimed amount to check (write `measure.amount = "
                       "claimed amount` in a [claim] section; see kofu help check)\n"),
                path);
        rc = EXIT_INVALID_CASE;
    } else {
        size_t bad = 0;
        for (size_t i = 0; i < kofu_node_size(claims); i++)
            bad += !matches(kofu_node_at(claims, i));
        if (run->co.format == FMT_JSON)
            print_json(run, path, c, claims, bad);
        else if (run->co.format == FMT_CSV)
            print_csv(path, c, claims);
        else if (run->co.format == FMT_XLSX &&
                 (kofu_xlsx_add_case(run->book, path, r, c, NULL) != KOFU_OK ||
                  kofu_xlsx_add_claims(run->book, path, c, claims) != KOFU_OK))
            rc = EXIT_FAILURE_IO;
        else if (run->co.format != FMT_XLSX)
            print_text(run, path, c, claims, bad);
        rc = rc == EXIT_FAILURE_IO ? rc : bad ? EXIT_DISCREPANCY : EXIT_OK;
    }
    kofu_node_free(&claims);
    kofu_result_free(&r);
    kofu_diag_free(&d);
    return rc;
}

/* 3 (or 4, 5) outranks 1, which outranks 0. */
static int worse(int a, int b) { return b > a ? b : a; }

static int run_check(int argc, char **argv)
{
    check_run run = {0};
    cli_common_init(&run.co, FMT_TEXT);
    int rc = EXIT_OK, n_cases = 0;
    char **cases = calloc((size_t)argc, sizeof *cases);
    if (!cases)
        return EXIT_FAILURE_IO;
    rc = cli_parse_cases(&run.co, "check", formats, argc, argv, cases, &n_cases);
    if (rc < 0) {
        free(cases);
        return EXIT_OK;
    }
    if (rc == EXIT_OK)
        rc = cli_xlsx_check(&run.co, "check", false);
    kofu_rules *rules = rc == EXIT_OK ? cli_load_rules(&run.co, &rc) : NULL;
    run.rules = rules;
    run.many = n_cases > 1;
    kofu_node *bib = NULL;
    if (rules && run.co.format == FMT_XLSX &&
        !(run.book = cli_xlsx_open(&run.co, run.co.output, rules, &bib, &rc)))
        kofu_rules_free(&rules);
    cli_csv_capture cap = {0};
    if (rules && run.co.format == FMT_CSV) {
        cli_csv_start(&cap, &run.co);
        fputs("file,case,key,line,claimed,computed,difference,status,step,rule,source\r\n", stdout);
    }
    /* Stop at the first failed write, as calc does: cli_finish_stdout names
     * the cause (a full disk, a closed pipe) with exit 5. */
    for (int k = 0; rules && k < n_cases && !ferror(stdout); k++)
        rc = worse(rc, cli_each_case(rules, cases[k], run.co.lang, check_one, &run));
    if (rules && run.co.format == FMT_JSON && run.many)
        fputs(run.n_printed ? "\n]\n" : "[]\n", stdout);
    rc = cli_csv_end(&cap, rc);
    if (run.book)
        rc = rc == EXIT_FAILURE_IO ? rc : worse(rc, cli_xlsx_close(&run.book, &run.co, EXIT_OK));
    kofu_xlsx_discard(&run.book);
    kofu_node_free(&bib);
    kofu_rules_free(&rules);
    free(cases);
    return rc;
}

const cli_command cmd_check = {
    "check",
    run_check,
    "ケースの請求額（[claim]）を再計算した金額と照合します",
    "checks the claimed amounts ([claim]) of cases against the computed ones",
    "使い方: kofu check [--format text|json|csv|xlsx] [--output FILE] [--lang ja|en] [--rules DIR] CASE...\n\n"
    "各ケースを計算し直し、[claim] セクションの請求額ごとに請求額・計算額・差額（請求額−計算額）を\n"
    "表示します。一致しない請求額には、計算額を生んだ計算の過程（パラメータ、端数処理、根拠）を示します。\n\n"
    "[claim] の書き方（金額の書式はほかのキーと同じ）:\n"
    "  [claim]\n"
    "  network.grant = 19,288,000          ; <措置>.<金額>\n"
    "  totals.special_tax_grant = 3000千円  ; totals.<金額>\n"
    "請求できる金額は、kofu-result/1 形式の結果で各措置の直下にある円単位の金額（事業・組織ごとの\n"
    "金額や比率は除く）と totals の2つです。\n\n"
    "  --format text   読みやすい報告（既定）\n"
    "  --format json   ケースごとに {file, case, mismatched, claims: [...]}（複数なら配列）\n"
    "  --format csv    請求額1件につき1行（file,case,key,line,claimed,computed,difference,status,\n"
    "                  step,rule,source。rule と source は計算額を生んだ最後の過程）\n"
    "  --format xlsx   Excel のブック（--output FILE に）: 照合のシートと、calc と同じ概要・措置・\n"
    "                  計算過程・根拠・注意。--unit 千円 で千円表示\n"
    "  --lang ja|en    表示言語    --rules DIR   編集したルールデータを使う\n\n"
    "終了コード: 0 すべて一致, 1 一致しない請求額がある, 2 使い方の誤り,\n"
    "            3 ケースファイルが不正（ない措置や請求できない金額への請求、[claim] がない場合も）,\n"
    "            4 ルールデータが不正, 5 入出力エラー。複数のケースでは大きいほうの番号\n"
    "例: kofu check examples/claim-check.ini\n",
    "usage: kofu check [--format text|json|csv|xlsx] [--output FILE] [--lang ja|en] [--rules DIR] CASE...\n\n"
    "Recomputes each case and, for every amount of its [claim] section, shows the claimed and\n"
    "the computed amount and their difference (claimed − computed). For a claim that differs\n"
    "it shows the steps behind the computed amount (parameters, rounding, sources).\n\n"
    "Writing [claim] (amounts as for any other key):\n"
    "  [claim]\n"
    "  network.grant = 19,288,000          ; <measure>.<amount>\n"
    "  totals.special_tax_grant = 3000千円  ; totals.<amount>\n"
    "Claimable amounts: the yen amounts directly under each measure in the kofu-result/1 result\n"
    "(not a project's or an organization's, not ratios) and the two totals.\n\n"
    "  --format text   a report for people (default)\n"
    "  --format json   per case {file, case, mismatched, claims: [...]} (an array for several)\n"
    "  --format csv    one row per claim (file,case,key,line,claimed,computed,difference,status,\n"
    "                  step,rule,source; rule and source of the last step behind the amount)\n"
    "  --format xlsx   an Excel workbook (to --output FILE): the claims sheet, and calc's summary,\n"
    "                  measures, trace, sources and notes; --unit 千円 shows thousands\n"
    "  --lang ja|en    language    --rules DIR   use an edited copy of the rule data\n\n"
    "exit codes: 0 every claim matches, 1 a claim differs, 2 usage error, 3 invalid case file\n"
    "            (a claim on an absent measure or an unknown amount, or no [claim] at all),\n"
    "            4 invalid rule data, 5 I/O error; for several cases the highest applies\n"
    "example: kofu check examples/claim-check.ini\n",
};
