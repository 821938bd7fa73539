/* cmd_batch.c — `kofu batch`: compute many cases, one CSV row or one JSON
 * line per case, in input order, never stopping at a bad case (docs/output.md).
 *
 * The walk over the inputs, the threads and the ordered output, and
 * --output through a temporary file are shared with `kofu check` (run.h).
 * CSV rows come from an evaluation without trace (the row shows none of it);
 * each row is built in its slot's buffer, off the lock.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"
#include "kofu/table.h"

static const char *const formats[] = {"csv", "jsonl", "xlsx", NULL};

typedef struct batch {
    cli_common co;
    const kofu_rules *rules;
    kofu_eval_options opt;
    kofu_xlsx *book;   /* --format xlsx: rows go in, in input order */
    bool book_failed;
} batch;

/* In input order: the case (or its error, the text error_row left in out)
 * into the workbook; nothing is written to the stream. */
static void to_book(void *ctx, run_slot *s, FILE *out)
{
    batch *bt = ctx;
    (void)out;
    if (!bt->book)
        return;
    if (run_book_case(bt->book, s, false) != KOFU_OK)
        bt->book_failed = true;
}

/* The error row of a case whose message or path holds a character CP932
 * lacks: the message without it (its code point, when the message names
 * one), then without the path too. */
static void cp932_error_row(const batch *bt, run_slot *s, const char *path, const char *msg)
{
    const char *u = strstr(msg, "U+");
    size_t n = u ? strspn(u + 2, "0123456789ABCDEF") : 0;
    char buf[160];
    snprintf(buf, sizeof buf,
             CLI_TR(bt->co.lang, "CP932 で表せない文字があります%s%.*s%s",
                    "a character cannot be written in CP932%s%.*s%s"),
             n ? CLI_TR(bt->co.lang, "（", " (") : "", n ? (int)n + 2 : 0, n ? u : "",
             n ? CLI_TR(bt->co.lang, "）", ")") : "");
    if (kofu_csv_case(&bt->co.csv, &s->out, path, NULL, NULL, buf, NULL, NULL) == KOFU_EIO)
        kofu_csv_case(&bt->co.csv, &s->out, "", NULL, NULL, buf, NULL, NULL);
}

static void error_row(void *ctx, run_slot *s, const char *msg)
{
    const batch *bt = ctx;
    const char *path = s->in.path ? s->in.path : "";
    const char *m = msg ? msg : kofu_status_message(KOFU_ENOMEM, bt->co.lang);
    if (bt->co.format == FMT_XLSX) {
        run_drop_held(s);
        cli_buf_puts(&s->out, m); /* the message, for to_book */
    } else if (bt->co.format == FMT_CSV) {
        if (kofu_csv_case(&bt->co.csv, &s->out, path, NULL, NULL, m, NULL, NULL) == KOFU_EIO)
            cp932_error_row(bt, s, path, m);
    } else {
        cli_buf_puts(&s->out, "{\"file\":");
        render_json_string(&s->out, path);
        cli_buf_puts(&s->out, ",\"error\":");
        render_json_string(&s->out, m);
        cli_buf_puts(&s->out, "}\n");
    }
    s->failed = true;
}

/* A JSON Lines object: the result's object, with the input it came from
 * first ("FILE", or "FILE:ROW" for a case table's case). */
static void json_line(cli_buf *b, const char *file, const kofu_result *r)
{
    /* "{"file":"…"" goes in front of the result's own members: the result is
     * written after it and its opening brace becomes the comma between (the
     * line is tens of kilobytes: no moving it) */
    cli_buf_puts(b, "{\"file\":");
    render_json_string(b, file);
    size_t brace = b->len;
    render_json_buf(b, kofu_result_root(r));
    if (!b->failed && b->len == brace + 2) { /* {}: no member to separate */
        b->data[brace] = '}';
        b->data[brace + 1] = '\0';
        b->len = brace + 1;
    } else if (!b->failed && b->len > brace && b->data[brace] == '{') {
        b->data[brace] = ',';
    }
    cli_buf_putc(b, '\n');
}

static void process(void *ctx, run_slot *s, kofu_diag *d, const char *dup_of)
{
    const batch *bt = ctx;
    kofu_eval_options opt = bt->opt;
    opt.duplicate_of = dup_of;
    const char *path = s->in.path ? s->in.path : "";
    if (!s->in.path || s->in.error) {
        error_row(ctx, s, s->in.error);
        return;
    }
    if (kofu_table_path(path))
        return; /* its rows go out in order, one case after another (in_order) */
    kofu_diag_clear(d);
    kofu_case *c = NULL;
    kofu_result *r = NULL;
    kofu_status st = walk_item_load(&s->in, bt->rules, d, &c);
    if (st == KOFU_OK)
        st = kofu_evaluate(bt->rules, c, &opt, d, &r);
    if (st == KOFU_OK) {
        s->case_id = strdup(kofu_case_id(c));
        s->findings = kofu_node_size(kofu_node_get(kofu_result_root(r), "findings"));
    }
    if (st != KOFU_OK) {
        char *msg = cli_diag_text(d, path, st, bt->co.lang);
        error_row(ctx, s, msg);
        free(msg);
    } else if (bt->co.format == FMT_XLSX) {
        size_t mismatched = kofu_claims_mismatched(r, c, NULL);
        if (run_hold(s, &c, &r, NULL)) {
            s->mismatched = mismatched;
        } else {
            error_row(ctx, s, NULL);
            s->mismatched = 0;
        }
    } else if (bt->co.format == FMT_CSV) {
        kofu_diag_clear(d);
        if (kofu_csv_case(&bt->co.csv, &s->out, path, r, c, NULL, &s->mismatched, d) == KOFU_EIO) {
            char *msg = cli_diag_text(d, path, KOFU_EIO, bt->co.lang);
            error_row(ctx, s, msg);
            free(msg);
        }
    } else {
        json_line(&s->out, path, r);
        s->mismatched = kofu_claims_mismatched(r, c, NULL);
    }
    kofu_result_free(&r);
    kofu_case_free(&c);
}

/* ---- case tables ---------------------------------------------------------------- */

/* One case of a table (c NULL: it failed with msg), out at once. */
static void table_row(batch *bt, run_slot *s, const char *where, const kofu_case *c,
                      const char *msg, kofu_diag *d, FILE *out)
{
    kofu_result *r = NULL;
    char *err = NULL;
    if (c) {
        kofu_diag_clear(d);
        kofu_eval_options opt = bt->opt;
        opt.duplicate_of = run_id_first(s, kofu_case_id(c));
        kofu_status st = kofu_evaluate(bt->rules, c, &opt, d, &r);
        if (st != KOFU_OK)
            msg = err = cli_diag_text(d, where, st, bt->co.lang);
        else if (!opt.duplicate_of)
            run_id_record(s, kofu_case_id(c), where);
    }
    cli_buf b = {0};
    size_t bad = 0;
    if (!r) {
        s->more_failed++;
        if (bt->book) {
            if (kofu_xlsx_add_case(bt->book, where, NULL, NULL, msg ? msg : "") != KOFU_OK)
                bt->book_failed = true;
        } else if (bt->co.format == FMT_CSV) {
            kofu_csv_case(&bt->co.csv, &b, where, NULL, NULL, msg ? msg : "", NULL, NULL);
        } else {
            cli_buf_puts(&b, "{\"file\":");
            render_json_string(&b, where);
            cli_buf_puts(&b, ",\"error\":");
            render_json_string(&b, msg ? msg : "");
            cli_buf_puts(&b, "}\n");
        }
    } else if (bt->book) {
        if (kofu_xlsx_add_case(bt->book, where, r, c, NULL) != KOFU_OK)
            bt->book_failed = true;
        bad = kofu_claims_mismatched(r, c, NULL);
    } else if (bt->co.format == FMT_CSV) {
        kofu_csv_case(&bt->co.csv, &b, where, r, c, NULL, &bad, NULL);
    } else {
        json_line(&b, where, r);
        bad = kofu_claims_mismatched(r, c, NULL);
    }
    s->mismatched += bad;
    s->findings += kofu_node_size(kofu_node_get(kofu_result_root(r), "findings"));
    if (b.len)
        fwrite(b.data, 1, b.len, out);
    cli_buf_free(&b);
    kofu_result_free(&r);
    free(err);
}

/* A case table's cases, read, computed and written one after another in
 * the writer's turn: memory does not grow with its rows. */
static void table_rows(batch *bt, run_slot *s, FILE *out)
{
    kofu_diag *d = NULL, *cd = NULL;
    kofu_table *t = NULL;
    const char *path = s->in.path;
    if (kofu_diag_new(bt->co.lang, &d) != KOFU_OK || kofu_diag_new(bt->co.lang, &cd) != KOFU_OK) {
        error_row(bt, s, NULL);
        goto out;
    }
    kofu_status st = kofu_table_open(bt->rules, path, d, &t);
    if (st != KOFU_OK) {
        char *msg = cli_diag_text(d, path, st, bt->co.lang);
        error_row(bt, s, msg);
        free(msg);
        goto out;
    }
    size_t n = 0;
    for (;; n++) {
        const char *where = path;
        kofu_case *c = NULL;
        kofu_diag_clear(d);
        st = kofu_table_next(t, d, &c, &where);
        if (st == KOFU_OK && !c)
            break;
        char *msg = st == KOFU_OK ? NULL : cli_diag_text(d, where, st, bt->co.lang);
        table_row(bt, s, where, c, msg, cd, out);
        free(msg);
        kofu_case_free(&c);
        if (st != KOFU_OK && st != KOFU_ECASE)
            break;
    }
    if (n == 0)
        error_row(bt, s, CLI_TR(bt->co.lang, "ケース表にケースがありません", "the case table holds no case"));
    else
        s->more_inputs = n - 1; /* the slot itself counts as one */
    if (n > 0 && s->more_failed > 0 && !s->failed) {
        /* the slot stands for the first of them: count each failure once */
        s->failed = true;
        s->more_failed--;
    }
out:
    if (bt->book && s->failed)
        to_book(bt, s, out); /* the table's own error row */
    kofu_table_close(&t);
    kofu_diag_free(&d);
    kofu_diag_free(&cd);
}

/* In input order: a case table's rows, or a case into the workbook. */
static void in_order(void *ctx, run_slot *s, FILE *out)
{
    batch *bt = ctx;
    if (s->in.path && !s->in.error && !s->failed && kofu_table_path(s->in.path))
        table_rows(bt, s, out);
    else
        to_book(ctx, s, out);
    /* the pool writes out.data even when empty: never a NULL pointer to fwrite */
    if (!s->out.data)
        cli_buf_putn(&s->out, "", 0);
}

/* ---- the command ------------------------------------------------------------------ */

static void summary(const batch *bt, const run_pool_opts *po, const run_totals *t, size_t skipped)
{
    run_progress_clear(po);
    fprintf(stderr,
            CLI_TR(bt->co.lang, "kofu batch: %zu件（正常 %zu件、エラー %zu件、請求額の不一致 %zu件）\n",
                   "kofu batch: %zu cases (%zu ok, %zu failed, %zu claims mismatched)\n"),
            t->inputs, t->inputs - t->failed, t->failed, t->mismatched);
    if (skipped)
        fprintf(stderr,
                CLI_TR(bt->co.lang, "kofu batch: *.ini 以外のファイル %zu件は読んでいません\n",
                       "kofu batch: %zu other files (not *.ini) were not read\n"),
                skipped);
}

static int run_batch(int argc, char **argv)
{
    batch bt = {0};
    cli_common_init(&bt.co, FMT_CSV);
    run_args args = {0};
    int n_paths = 0;
    char **paths = calloc((size_t)argc, sizeof *paths);
    if (!paths)
        return EXIT_FAILURE_IO;
    int rc = run_parse_args(&bt.co, "batch", formats, argc, argv, paths, &n_paths, &args);
    run_io io;
    if (rc == EXIT_OK)
        rc = run_io_open(&io, &bt.co, "batch", args.output, paths, n_paths);
    if (rc != EXIT_OK) {
        free(paths);
        return rc < 0 ? EXIT_OK : rc;
    }
    bt.rules = io.rules;
    bt.book = io.book;
    /* CSV and the workbook show no trace (a batch of thousands would bury the
     * summary; kofu calc --format xlsx has it): skip recording it. JSON Lines
     * carries it all, but not the report for people (a text rendering). */
    bt.opt = (kofu_eval_options){.lang = bt.co.lang, .no_trace = bt.co.format != FMT_JSONL,
                                 .no_report = true, .computed_at = bt.co.computed_at};
    cli_output *out = &io.out;
    run_pool_opts po = {.jobs = args.jobs, .out = out, .lang = bt.co.lang,
                        .progress = isatty(STDERR_FILENO)};
    run_totals t = {0};
    if (bt.co.format == FMT_CSV) {
        cli_buf h = {0};
        kofu_csv_begin(&bt.co.csv, &h, NULL);
        if (h.failed || !cli_output_write(out, h.data, h.len))
            t.write_failed = true;
        cli_buf_free(&h);
    }
    walker w;
    walker_init(&w, paths, n_paths, out, bt.co.lang);
    static const run_ops ops = {process, error_row, in_order};
    rc = run_pool(&w, &ops, &bt, &po, &t);
    rc = run_io_close_book(&io, &bt.co, rc, !bt.book_failed);
    rc = run_io_close_output(&io, rc, rc == EXIT_OK && !t.write_failed && !w.hit, w.hit);
    walker_free(&w);
    if (rc == EXIT_USAGE) {
        kofu_rules_free(&io.rules);
        free(paths);
        return rc;
    }
    summary(&bt, &po, &t, w.skipped);
    kofu_rules_free(&io.rules);
    free(paths);
    if (rc != EXIT_OK)
        return rc;
    return t.failed ? EXIT_INVALID_CASE : t.mismatched ? EXIT_DISCREPANCY : EXIT_OK;
}

const cli_command cmd_batch = {
    "batch",
    run_batch,
    "多数のケースを計算し、1ケース1行の表（CSV）か JSON Lines にします",
    "computes many cases into one CSV row or one JSON line per case",
    "使い方: kofu batch [--format csv|jsonl|xlsx] [--output FILE] [--jobs N] [--lang ja|en]\n"
    "                   [--rules DIR] PATH...\n\n"
    "PATH はケースファイルか、*.ini を再帰的に探すディレクトリです（名前のバイト順。\n"
    "シンボリックリンクのディレクトリはたどりません）。入力の順に、1ケースにつき1行を出力します。\n"
    "不正なケースはエラー行（ファイル名と理由）になり、処理は続きます。*.ini という名前の\n"
    "ディレクトリや空のファイルもエラー行になります。\n\n"
    "  --format csv    kofu calc --format csv と同じ見出しと列（既定）。claims は [claim] の件数、\n"
    "                  claims_mismatched は計算額と一致しない請求額の件数。--encoding, --header,\n"
    "                  --rows は kofu calc と同じ（既定は BOM 付き UTF-8、表示言語の見出し）\n"
    "  --format xlsx   Excel のブック（--output FILE に）: 概要に1ケース1行、措置ごとのシート、注意。\n"
    "                  計算過程は含めません（kofu calc --format xlsx にあります）。--unit 千円 も可\n"
    "  --format jsonl  1行に1つ、kofu-result/1 形式の JSON（エラーは {\"file\":…,\"error\":…}）\n"
    "  --output FILE   FILE に書く。一時ファイルに書いて最後に名前を変えるので、途中で止まっても\n"
    "                  不完全な FILE は残りません。デバイスや FIFO には直接書き、入力のファイルや\n"
    "                  ディレクトリは拒否します（docs/limits.md）\n"
    "  --jobs N        N 個のスレッドで計算（1〜64、既定 1）。出力は N によらず同じです\n\n"
    "件数の集計（正常・エラー・請求額の不一致）は標準エラーに出ます。端末では進み具合も表示します。\n"
    "終了コード: 0 すべて正常, 1 請求額の不一致がある（エラーなし）, 2 使い方の誤り,\n"
    "            3 エラーのケースがある, 4 ルールデータが不正, 5 入出力エラー\n"
    "例: kofu batch --jobs 2 --output 結果.csv 申請/\n",
    "usage: kofu batch [--format csv|jsonl|xlsx] [--output FILE] [--jobs N] [--lang ja|en]\n"
    "                  [--rules DIR] PATH...\n\n"
    "Each PATH is a case file, or a directory searched recursively for *.ini (in byte order of\n"
    "the names; symbolic links to directories are not followed). One line per case, in input\n"
    "order. A bad case gives an error row (file and reason) and the batch goes on; a directory\n"
    "named *.ini and an empty file give error rows too.\n\n"
    "  --format csv    the header and columns of kofu calc --format csv (default); claims counts\n"
    "                  the [claim] entries, claims_mismatched those that differ; --encoding,\n"
    "                  --header and --rows as for kofu calc (default: UTF-8 with a BOM, labels)\n"
    "  --format xlsx   an Excel workbook (to --output FILE): a summary row per case, a sheet per\n"
    "                  measure, notes; no trace (kofu calc --format xlsx has it); --unit 千円 too\n"
    "  --format jsonl  one kofu-result/1 JSON object per line ({\"file\":…,\"error\":…} for errors)\n"
    "  --output FILE   write to FILE through a temporary file renamed at the end, so an\n"
    "                  interrupted run never leaves a FILE that looks complete; a device or a\n"
    "                  FIFO is written directly, an input or a directory is refused\n"
    "  --jobs N        compute with N threads (1-64, default 1); the output is the same for any N\n\n"
    "A summary (ok, failed, claims mismatched) goes to stderr, and a progress line when stderr\n"
    "is a terminal.\n"
    "exit codes: 0 all ok, 1 claims mismatched (no failure), 2 usage error, 3 a case failed,\n"
    "            4 invalid rule data, 5 I/O error\n"
    "example: kofu batch --jobs 2 --output results.csv claims/\n",
};
