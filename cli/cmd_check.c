/* cmd_check.c — `kofu check`: recompute each case and compare its [claim]
 * amounts (請求額) with the computed ones, for files and whole directories,
 * into one list of every problem of the run: a row per claim (match or
 * mismatch, with its diagnosis and the steps behind the computed amount), a
 * row per finding (a rule the claim breaks, with its citation), a row per
 * invalid file. Inputs, threads, ordered output and --output are batch's
 * (run.h), so the list is in input order whatever --jobs is.
 *
 * Speed: a case is first evaluated without a trace; only a case with a
 * mismatch is evaluated again with one, for the steps and the diagnosis
 * (JSON, which shows the steps of every claim, always traces). */
#define _GNU_SOURCE /* vasprintf */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kofu/table.h"
#include "run.h"

static const char *const formats[] = {"text", "json", "csv", "xlsx", NULL};

typedef struct check_run {
    cli_common co;
    const kofu_rules *rules;
    bool only_problems;
    bool many;           /* JSON: an array (several inputs, or a directory) */
    size_t n_printed;    /* inputs that printed anything (separators)      */
    kofu_xlsx *book;     /* --format xlsx: cases go in, in input order     */
    bool book_failed;
} check_run;

/* ---- small writers ------------------------------------------------------------ */

static void bp(cli_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void bp(cli_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) {
        b->failed = true;
        s = NULL;
    }
    va_end(ap);
    if (s)
        cli_buf_puts(b, s);
    free(s);
}

/* A file name or message as text for a terminal: every C0 control byte but
 * TAB, and DEL, as \xHH (cli_fputs_safe's rule). */
static void bp_safe(cli_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7F)
            bp(b, "\\x%02x", *p);
        else
            cli_buf_putc(b, (char)*p);
    }
}

static const char *str(const kofu_node *n, const char *key) { return kofu_node_str(kofu_node_get(n, key)); }

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

static size_t count_mismatched(const kofu_node *claims)
{
    size_t bad = 0;
    for (size_t i = 0; i < kofu_node_size(claims); i++)
        bad += !matches(kofu_node_at(claims, i));
    return bad;
}

/* ---- text -------------------------------------------------------------------- */

static void text_step(cli_buf *b, const kofu_node *t, const char *ind, kofu_lang lang)
{
    bool prov = strcmp(str(t, "status"), "provisional") == 0;
    bp(b, "%s%s = %s%s\n", ind, str(t, "step"), str(t, "value"),
       prov ? CLI_TR(lang, "  【暫定】", "  [provisional]") : "");
    bp(b, "%s    %s %s\n", ind, CLI_TR(lang, "計算:", "rule:  "), str(t, "rule"));
    bp(b, "%s    %s %s\n", ind, CLI_TR(lang, "根拠:", "source:"), str(t, "source"));
}

/* A total is the sum of its measures' amounts: each with its own step. */
static void text_terms(cli_buf *b, const kofu_node *cl, kofu_lang lang)
{
    const kofu_node *terms = kofu_node_get(cl, "terms");
    char y[64];
    bp(b, "%s%s = ", CLI_TR(lang, "          計算額の内訳: ", "            the total sums: "),
       str(cl, "key"));
    for (size_t i = 0; i < kofu_node_size(terms); i++) {
        const kofu_node *t = kofu_node_at(terms, i);
        bp(b, "%s%s %s", i ? " + " : "", str(t, "key"),
           render_yen(kofu_node_int(kofu_node_get(t, "amount")), lang, y, sizeof y));
    }
    cli_buf_puts(b, kofu_node_size(terms) ? "\n" : "0\n");
    const char *ind = CLI_TR(lang, "            ", "              ");
    for (size_t i = 0; i < kofu_node_size(terms); i++) {
        const kofu_node *step = kofu_node_get(kofu_node_at(terms, i), "step");
        if (step)
            text_step(b, step, ind, lang);
    }
}

static void text_claim(cli_buf *b, const kofu_node *cl, kofu_lang lang)
{
    char a[64], c[64], d[64];
    const char *key = str(cl, "key");
    const char *label = kofu_label(key, lang);
    bool ok = matches(cl);
    bp(b, "  %s%s%s%s%s", ok ? CLI_TR(lang, "一致    ", "match     ") : CLI_TR(lang, "不一致  ", "MISMATCH  "),
       key, label ? CLI_TR(lang, "（", " (") : "", label ? label : "", label ? CLI_TR(lang, "）", ")") : "");
    if (!ok) {
        int64_t line = kofu_node_int(kofu_node_get(cl, "line"));
        char cell[32];
        if (line < 0 && kofu_cell_ref((int)line, cell, sizeof cell)) /* a case table's cell */
            bp(b, CLI_TR(lang, " [claim] セル %s", ", [claim] cell %s"), cell);
        else
            bp(b, CLI_TR(lang, " [claim] %" PRId64 "行目", ", [claim] line %" PRId64), line);
    }
    cli_buf_putc(b, '\n');
    render_yen(kofu_node_int(kofu_node_get(cl, "claimed")), lang, a, sizeof a);
    if (has_computed(cl)) {
        render_yen(kofu_node_int(kofu_node_get(cl, "computed")), lang, c, sizeof c);
        signed_yen(kofu_node_int(kofu_node_get(cl, "difference")), lang, d, sizeof d);
        bp(b, CLI_TR(lang, "          請求額 %s  計算額 %s  差額 %s\n",
                     "            claimed %s  computed %s  difference %s\n"),
           a, c, d);
    } else {
        bp(b, CLI_TR(lang, "          請求額 %s  計算額 —（このケースからは決まりません）\n",
                     "            claimed %s  computed — (the case does not determine it)\n"),
           a);
    }
    if (ok)
        return;
    if (kofu_node_get(cl, "diagnosis"))
        bp(b, CLI_TR(lang, "          診断: %s — %s\n", "            diagnosis: %s — %s\n"),
           str(cl, "diagnosis"), str(cl, "explanation"));
    if (kofu_node_get(cl, "terms"))
        text_terms(b, cl, lang);
    const kofu_node *steps = kofu_node_get(cl, "steps");
    cli_buf_puts(b, CLI_TR(lang, "          計算額の根拠:\n", "            how the computed amount arises:\n"));
    const char *ind = CLI_TR(lang, "            ", "              ");
    for (size_t i = 0; i < kofu_node_size(steps); i++)
        text_step(b, kofu_node_at(steps, i), ind, lang);
}

static void text_finding(cli_buf *b, const kofu_node *f, kofu_lang lang)
{
    const char *subject = str(f, "subject");
    bp(b, "  %s%s%s%s%s\n", CLI_TR(lang, "所見    ", "FINDING   "), str(f, "code"),
       subject[0] ? CLI_TR(lang, "（", " (") : "", subject, subject[0] ? CLI_TR(lang, "）", ")") : "");
    bp(b, CLI_TR(lang, "          %s\n          規則: %s\n          根拠: %s\n",
                 "            %s\n            rule:   %s\n            source: %s\n"),
       str(f, "message"), str(f, "rule"), str(f, "source"));
}

static void text_case(const check_run *run, cli_buf *b, const char *path, const kofu_case *c,
                      const kofu_node *claims, const kofu_node *findings)
{
    kofu_lang lang = run->co.lang;
    size_t bad = count_mismatched(claims), n = kofu_node_size(claims);
    size_t nf = kofu_node_size(findings);
    if (run->only_problems && bad == 0 && nf == 0)
        return;
    const char *name = kofu_case_name(c);
    bp(b, "%s %s%s%s%s — ", CLI_TR(lang, "ケース", "Case"), kofu_case_id(c),
       name[0] ? CLI_TR(lang, "（", " (") : "", name, name[0] ? CLI_TR(lang, "）", ")") : "");
    bp_safe(b, path); /* a file name may hold an escape sequence */
    cli_buf_putc(b, '\n');
    for (size_t i = 0; i < n; i++)
        if (!run->only_problems || !matches(kofu_node_at(claims, i)))
            text_claim(b, kofu_node_at(claims, i), lang);
    for (size_t i = 0; i < nf; i++)
        text_finding(b, kofu_node_at(findings, i), lang);
    if (bad == 0)
        bp(b, CLI_TR(lang, "  %zu件すべて一致", "  all %zu claims match"), n);
    else
        bp(b, CLI_TR(lang, "  %zu件中%zu件が不一致", "  %2$zu of %1$zu claims differ"), n, bad);
    if (nf)
        bp(b, CLI_TR(lang, "、所見 %zu件", ", %zu finding(s)"), nf);
    cli_buf_putc(b, '\n');
}

/* ---- JSON --------------------------------------------------------------------- */

static void json_member(cli_buf *b, const char *key, const kofu_node *v)
{
    render_json_string(b, key);
    cli_buf_putc(b, ':');
    render_json_buf(b, v);
}

static void json_case(const check_run *run, cli_buf *b, const char *path, const kofu_case *c,
                      const kofu_node *claims, const kofu_node *findings)
{
    size_t bad = count_mismatched(claims);
    if (run->only_problems && bad == 0 && kofu_node_size(findings) == 0)
        return;
    cli_buf_puts(b, "{\"file\":");
    render_json_string(b, path);
    cli_buf_puts(b, ",\"case\":");
    render_json_string(b, kofu_case_id(c));
    cli_buf_puts(b, ",\"status\":\"ok\",\"mismatched\":");
    cli_buf_put_int(b, (int64_t)bad);
    cli_buf_puts(b, ",\"claims\":[");
    bool first = true;
    for (size_t i = 0; i < kofu_node_size(claims); i++) {
        const kofu_node *cl = kofu_node_at(claims, i);
        if (run->only_problems && matches(cl))
            continue;
        cli_buf_puts(b, first ? "\n  {" : ",\n  {");
        first = false;
        for (size_t k = 0; k < kofu_node_size(cl); k++) {
            if (strcmp(kofu_node_key_at(cl, k), "steps") == 0)
                continue;
            json_member(b, kofu_node_key_at(cl, k), kofu_node_at(cl, k));
            cli_buf_putc(b, ',');
        }
        cli_buf_puts(b, matches(cl) ? "\"match\":true," : "\"match\":false,");
        json_member(b, "steps", kofu_node_get(cl, "steps"));
        cli_buf_putc(b, '}');
    }
    cli_buf_puts(b, "\n],");
    json_member(b, "findings", findings);
    cli_buf_putc(b, '}');
}

/* ---- CSV ------------------------------------------------------------------------ */

static const char csv_header[] =
    "file,case,status,key,line,claimed,computed,difference,diagnosis,subject,message,step,rule,source\r\n";

static void csv_int(cli_buf *b, const kofu_node *n)
{
    if (n)
        cli_buf_put_int(b, kofu_node_int(n));
    cli_buf_putc(b, ',');
}

static void csv_field(cli_buf *b, const char *s, bool last)
{
    kofu_csv_field(b, s ? s : "");
    cli_buf_puts(b, last ? "\r\n" : ",");
}

/* step, rule, source behind a mismatch: for a total, the sum of its
 * measures' amounts and their sources; else the last step. */
static void csv_origin(cli_buf *b, const kofu_node *cl)
{
    const kofu_node *terms = kofu_node_get(cl, "terms");
    if (terms) {
        cli_buf rule = {0}, src = {0};
        for (size_t i = 0; i < kofu_node_size(terms); i++) {
            const kofu_node *t = kofu_node_at(terms, i);
            bp(&rule, "%s%s (%" PRId64 ")", i ? " + " : "", str(t, "key"),
               kofu_node_int(kofu_node_get(t, "amount")));
            const char *s = str(kofu_node_get(t, "step"), "source");
            if (s[0] && !strstr(src.data ? src.data : "", s))
                bp(&src, "%s%s", src.len ? " / " : "", s);
        }
        csv_field(b, str(cl, "key"), false);
        csv_field(b, rule.data, false);
        csv_field(b, src.data, true);
        b->failed |= rule.failed || src.failed;
        cli_buf_free(&rule);
        cli_buf_free(&src);
        return;
    }
    const kofu_node *steps = kofu_node_get(cl, "steps");
    size_t n = kofu_node_size(steps);
    const kofu_node *last = n ? kofu_node_at(steps, n - 1) : NULL;
    csv_field(b, str(last, "step"), false);
    csv_field(b, str(last, "rule"), false);
    csv_field(b, str(last, "source"), true);
}

static void csv_case(const check_run *run, cli_buf *b, const char *path, const kofu_case *c,
                     const kofu_node *claims, const kofu_node *findings)
{
    for (size_t i = 0; i < kofu_node_size(claims); i++) {
        const kofu_node *cl = kofu_node_at(claims, i);
        bool ok = matches(cl);
        if (run->only_problems && ok)
            continue;
        csv_field(b, path, false);
        csv_field(b, kofu_case_id(c), false);
        cli_buf_puts(b, ok ? "match," : "mismatch,");
        csv_field(b, str(cl, "key"), false);
        int64_t line = kofu_node_int(kofu_node_get(cl, "line"));
        char cell[32];
        if (line < 0 && kofu_cell_ref((int)line, cell, sizeof cell)) /* a case table's cell */
            csv_field(b, cell, false);
        else
            csv_int(b, kofu_node_get(cl, "line"));
        csv_int(b, kofu_node_get(cl, "claimed"));
        csv_int(b, kofu_node_get(cl, "computed"));
        csv_int(b, kofu_node_get(cl, "difference"));
        csv_field(b, str(cl, "diagnosis"), false);
        cli_buf_putc(b, ',');
        csv_field(b, has_computed(cl) ? str(cl, "explanation")
                                      : CLI_TR(run->co.lang, "計算額はこのケースからは決まりません",
                                               "the case does not determine the computed amount"),
                  false);
        if (ok)
            cli_buf_puts(b, ",,\r\n");
        else
            csv_origin(b, cl);
    }
    for (size_t i = 0; i < kofu_node_size(findings); i++) {
        const kofu_node *f = kofu_node_at(findings, i);
        csv_field(b, path, false);
        csv_field(b, kofu_case_id(c), false);
        cli_buf_puts(b, "finding,");
        csv_field(b, str(f, "code"), false);
        cli_buf_puts(b, ",,,,,");
        csv_field(b, str(f, "subject"), false);
        csv_field(b, str(f, "message"), false);
        csv_field(b, str(f, "measure"), false);
        csv_field(b, str(f, "rule"), false);
        csv_field(b, str(f, "source"), true);
    }
}

/* ---- one input ------------------------------------------------------------------ */

static void error_row(void *ctx, run_slot *s, const char *msg)
{
    const check_run *run = ctx;
    const char *path = s->in.path ? s->in.path : "";
    const char *m = msg ? msg : kofu_status_message(KOFU_ENOMEM, run->co.lang);
    cli_buf *b = &s->out;
    s->out.len = 0;
    s->failed = true;
    if (run->co.format == FMT_XLSX) {
        run_drop_held(s);
        cli_buf_puts(b, m); /* the message, for before_write */
    } else if (run->co.format == FMT_CSV) {
        csv_field(b, path, false);
        cli_buf_puts(b, ",error,,,,,,,,");
        csv_field(b, m, false);
        cli_buf_puts(b, ",,\r\n");
    } else if (run->co.format == FMT_JSON) {
        cli_buf_puts(b, "{\"file\":");
        render_json_string(b, path);
        cli_buf_puts(b, ",\"status\":\"error\",\"error\":");
        render_json_string(b, m);
        cli_buf_putc(b, '}');
    } else {
        bp(b, "%s  ", CLI_TR(run->co.lang, "エラー", "ERROR"));
        bp_safe(b, path);
        cli_buf_puts(b, "\n  ");
        bp_safe(b, m);
        cli_buf_putc(b, '\n');
    }
}

static void render_case(const check_run *run, run_slot *s, const kofu_case *c, const kofu_node *claims,
                        const kofu_node *findings)
{
    const char *path = s->in.path;
    if (run->co.format == FMT_CSV)
        csv_case(run, &s->out, path, c, claims, findings);
    else if (run->co.format == FMT_JSON)
        json_case(run, &s->out, path, c, claims, findings);
    else
        text_case(run, &s->out, path, c, claims, findings);
}

/* The text report lists each problem of an invalid file on its own line. */
static char *diag_lines(const kofu_diag *d, const char *path, kofu_status st, kofu_lang lang)
{
    if (kofu_diag_count(d) == 0)
        return cli_diag_text(d, path, st, lang);
    cli_buf b = {0};
    for (size_t i = 0; i < kofu_diag_count(d); i++) {
        char *line = kofu_diag_format(d, i);
        if (i)
            cli_buf_puts(&b, "\n  ");
        cli_buf_puts(&b, line ? line : kofu_status_message(KOFU_ENOMEM, lang));
        free(line);
    }
    if (b.failed) {
        cli_buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* Loads, evaluates (with a trace when `trace`) and checks one case. */
static kofu_status evaluate(const check_run *run, const walk_item *in, const char *dup_of, bool trace,
                            kofu_diag *d, kofu_case **c, kofu_result **r, kofu_node **claims)
{
    kofu_eval_options opt = {.lang = run->co.lang, .no_trace = !trace, .duplicate_of = dup_of,
                             .computed_at = run->co.computed_at};
    kofu_diag_clear(d);
    kofu_status st = *c ? KOFU_OK : walk_item_load(in, run->rules, d, c);
    if (st == KOFU_OK)
        st = kofu_evaluate(run->rules, *c, &opt, d, r);
    if (st == KOFU_OK)
        st = kofu_result_check_claims(*r, *c, claims);
    return st;
}

/* Checks the case of s->in (loaded here, or `given`: a case table's row,
 * which this takes over) into s->out, or s->held for the workbook. */
static void check_input(const check_run *run, run_slot *s, kofu_diag *d, const char *dup_of,
                        kofu_case *given)
{
    void *ctx = (void *)run;
    const char *path = s->in.path;
    kofu_case *c = given;
    kofu_result *r = NULL;
    kofu_node *claims = NULL;
    bool trace = run->co.format == FMT_JSON || run->co.format == FMT_XLSX;
    kofu_status st = evaluate(run, &s->in, dup_of, trace, d, &c, &r, &claims);
    if (st == KOFU_OK && !trace && count_mismatched(claims)) {
        /* the steps and the diagnosis of a mismatch need the trace */
        kofu_node_free(&claims);
        kofu_result_free(&r);
        st = evaluate(run, &s->in, dup_of, true, d, &c, &r, &claims);
    }
    if (st != KOFU_OK) {
        char *msg = run->co.format == FMT_TEXT ? diag_lines(d, path, st, run->co.lang)
                                                : cli_diag_text(d, path, st, run->co.lang);
        error_row(ctx, s, msg);
        free(msg);
    } else if (kofu_node_size(claims) == 0) {
        /* Nothing was compared: passing it as "all match" would let a
         * submission without its claimed amounts through unchecked. */
        char *msg = NULL;
        if (asprintf(&msg,
                     CLI_TR(run->co.lang,
                            "%s: [claim]: 照合する請求額がありません（[claim] セクションに "
                            "「措置.金額 = 請求額」を書いてください。kofu help check）",
                            "%s: [claim]: no claimed amount to check (write `measure.amount = "
                            "claimed amount` in a [claim] section; see kofu help check)"),
                     path) < 0)
            msg = NULL;
        error_row(ctx, s, msg);
        free(msg);
    } else {
        const kofu_node *findings = kofu_node_get(kofu_result_root(r), "findings");
        s->case_id = strdup(kofu_case_id(c));
        s->claims = kofu_node_size(claims);
        s->mismatched = count_mismatched(claims);
        s->findings = kofu_node_size(findings);
        if (run->co.format != FMT_XLSX) {
            render_case(run, s, c, claims, findings);
        } else {
            if (!run_hold(s, &c, &r, &claims))
                error_row(ctx, s, NULL);
        }
    }
    if (run->co.format == FMT_CSV && run->co.csv.encoding == KOFU_CSV_CP932 && !s->out.failed) {
        kofu_diag_clear(d);
        if (kofu_csv_encode(KOFU_CSV_CP932, &s->out, 0, path, d) != KOFU_OK) {
            char *msg = cli_diag_text(d, path, KOFU_EIO, run->co.lang);
            error_row(ctx, s, msg);
            free(msg);
            if (kofu_csv_encode(KOFU_CSV_CP932, &s->out, 0, "", d) != KOFU_OK)
                error_row(ctx, s, NULL);
        }
    }
    kofu_node_free(&claims);
    kofu_result_free(&r);
    kofu_case_free(&c);
}

static void process(void *ctx, run_slot *s, kofu_diag *d, const char *dup_of)
{
    if (!s->in.path || s->in.error) {
        error_row(ctx, s, s->in.error);
        return;
    }
    if (kofu_table_path(s->in.path))
        return; /* a case table's rows are checked in order, in before_write */
    check_input(ctx, s, d, dup_of, NULL);
}

static void emit(check_run *run, run_slot *s, FILE *out);

/* A case table's cases, read, checked and written one after another in the
 * writer's turn (memory does not grow with its rows). The slot stands for
 * the first case; the others count through more_inputs and more_failed. */
static void table_rows(check_run *run, run_slot *s, FILE *out)
{
    kofu_diag *d = NULL;
    kofu_table *t = NULL;
    const char *path = s->in.path;
    if (kofu_diag_new(run->co.lang, &d) != KOFU_OK) {
        error_row(run, s, NULL);
        return;
    }
    kofu_status st = kofu_table_open(run->rules, path, d, &t);
    if (st != KOFU_OK) {
        char *msg = cli_diag_text(d, path, st, run->co.lang);
        error_row(run, s, msg);
        free(msg);
        kofu_diag_free(&d);
        return;
    }
    size_t n = 0, failed = 0;
    for (;; n++) {
        const char *where = path;
        kofu_case *c = NULL;
        kofu_diag_clear(d);
        st = kofu_table_next(t, d, &c, &where);
        if (st == KOFU_OK && !c)
            break;
        run_slot row = {0};
        row.in.path = strdup(where);
        if (st == KOFU_OK && row.in.path) {
            const char *first = run_id_first(s, kofu_case_id(c));
            check_input(run, &row, d, first, c);
            if (row.case_id && !first)
                run_id_record(s, row.case_id, where);
        } else {
            char *msg = row.in.path ? cli_diag_text(d, where, st, run->co.lang) : NULL;
            error_row(run, &row, msg);
            free(msg);
            kofu_case_free(&c);
        }
        emit(run, &row, out);
        /* a failed write shows in the stream's error flag, checked at close */
        if (row.out.len)
            fwrite(row.out.data, 1, row.out.len, out);
        s->claims += row.claims;
        s->mismatched += row.mismatched;
        s->findings += row.findings;
        failed += row.failed;
        run_drop_held(&row);
        cli_buf_free(&row.out);
        free(row.case_id);
        free(row.in.path);
        if (st != KOFU_OK && st != KOFU_ECASE)
            break;
    }
    kofu_table_close(&t);
    kofu_diag_free(&d);
    if (n == 0) {
        error_row(run, s, CLI_TR(run->co.lang, "ケース表にケースがありません", "the case table holds no case"));
        return;
    }
    s->more_inputs = n - 1;
    s->failed = failed > 0;
    s->more_failed = failed ? failed - 1 : 0;
}

/* Separators between inputs that printed something, in input order. */
static void before_write(void *ctx, run_slot *s, FILE *out)
{
    check_run *run = ctx;
    if (s->in.path && !s->in.error && !s->failed && kofu_table_path(s->in.path)) {
        table_rows(run, s, out);
        if (!s->failed || s->out.len == 0 || s->more_inputs)
            return;
    }
    emit(run, s, out);
}

/* An input's output, in order: into the workbook, or its separator (the
 * pool then writes s->out; a table's rows write it here). */
static void emit(check_run *run, run_slot *s, FILE *out)
{
    if (run->book) {
        /* the case (or its error) and its claims into the workbook; nothing
         * goes to the stream */
        if (run_book_case(run->book, s, true) != KOFU_OK)
            run->book_failed = true;
        return;
    }
    if (s->out.len == 0 || run->co.format == FMT_CSV)
        return;
    if (run->co.format == FMT_JSON && run->many)
        fputs(run->n_printed ? ",\n" : "[\n", out);
    else if (run->co.format == FMT_TEXT && run->n_printed)
        fputc('\n', out);
    run->n_printed++;
}

/* ---- the command ------------------------------------------------------------------ */

/* The counts: the last lines of the text report, or stderr for CSV and JSON
 * (out NULL), so that the list itself holds rows only. */
static void summary(const check_run *run, cli_output *out, const run_totals *t, size_t skipped)
{
    kofu_lang lang = run->co.lang;
    const char *pre = out ? "" : "kofu check: ";
    cli_buf b = {0};
    if (out && run->n_printed)
        cli_buf_putc(&b, '\n');
    bp(&b, CLI_TR(lang,
                  "%sファイル %zu件（正常 %zu件、不正 %zu件）、請求額 %zu件（不一致 %zu件）、所見 %zu件\n",
                  "%s%zu files (%zu valid, %zu invalid), %zu claims (%zu mismatched), %zu findings\n"),
       pre, t->inputs, t->inputs - t->failed, t->failed, t->claims, t->mismatched, t->findings);
    if (skipped)
        bp(&b, CLI_TR(lang, "%s*.ini 以外のファイル %zu件は読んでいません\n",
                      "%s%zu other files (not *.ini) were not read\n"),
           pre, skipped);
    if (out)
        cli_output_write(out, b.data ? b.data : "", b.len);
    else
        fputs(b.data ? b.data : "", stderr);
    cli_buf_free(&b);
}

static int run_check(int argc, char **argv)
{
    check_run run = {0};
    cli_common_init(&run.co, FMT_TEXT);
    run_args args = {.flag = "--only-problems"};
    int n_paths = 0;
    char **paths = calloc((size_t)argc, sizeof *paths);
    if (!paths)
        return EXIT_FAILURE_IO;
    int rc = run_parse_args(&run.co, "check", formats, argc, argv, paths, &n_paths, &args);
    run.only_problems = args.flag_given;
    run_io io;
    if (rc == EXIT_OK)
        rc = run_io_open(&io, &run.co, "check", args.output, paths, n_paths);
    if (rc != EXIT_OK) {
        free(paths);
        return rc < 0 ? EXIT_OK : rc;
    }
    run.rules = io.rules;
    run.book = io.book;
    run.many = n_paths > 1 || walk_is_directory(paths[0]) || kofu_table_path(paths[0]);
    cli_output *out = &io.out;
    run_pool_opts po = {.jobs = args.jobs, .out = out, .lang = run.co.lang,
                        .progress = isatty(STDERR_FILENO) &&
                                    ((args.output && run.co.format != FMT_XLSX) || !isatty(STDOUT_FILENO))};
    run_totals t = {0};
    if (run.co.format == FMT_CSV) {
        const char *bom = run.co.csv.encoding == KOFU_CSV_UTF8_BOM ? "\xEF\xBB\xBF" : "";
        if (!cli_output_write(out, bom, strlen(bom)) ||
            !cli_output_write(out, csv_header, sizeof csv_header - 1))
            t.write_failed = true;
    }
    walker w;
    walker_init(&w, paths, n_paths, out, run.co.lang);
    static const run_ops ops = {process, error_row, before_write};
    rc = run_pool(&w, &ops, &run, &po, &t);
    size_t skipped = w.skipped;
    if (run.co.format == FMT_JSON && !t.write_failed) {
        const char *end = run.many ? (run.n_printed ? "\n]\n" : "[]\n") : "\n";
        if (!cli_output_write(out, end, strlen(end)))
            t.write_failed = true;
    }
    rc = run_io_close_book(&io, &run.co, rc, !run.book_failed);
    run_progress_clear(&po);
    if (run.co.format == FMT_TEXT && !w.hit)
        summary(&run, out, &t, skipped);
    rc = run_io_close_output(&io, rc, rc == EXIT_OK && !t.write_failed && !w.hit, w.hit);
    walker_free(&w);
    if (rc == EXIT_USAGE) {
        kofu_rules_free(&io.rules);
        free(paths);
        return rc;
    }
    if (run.co.format != FMT_TEXT)
        summary(&run, NULL, &t, skipped);
    kofu_rules_free(&io.rules);
    free(paths);
    if (rc != EXIT_OK)
        return rc;
    return t.failed ? EXIT_INVALID_CASE : (t.mismatched || t.findings) ? EXIT_DISCREPANCY : EXIT_OK;
}

const cli_command cmd_check = {
    "check",
    run_check,
    "ケースの請求額（[claim]）を再計算した金額と照合し、問題をひとつの一覧にします",
    "checks the claimed amounts ([claim]) of cases into one list of every problem",
    "使い方: kofu check [--format text|json|csv|xlsx] [--output FILE] [--only-problems] [--jobs N]\n"
    "                   [--lang ja|en] [--rules DIR] PATH...\n\n"
    "PATH はケースファイルか、*.ini（大文字・小文字を問わない）を再帰的に探すディレクトリです。\n"
    "各ケースを計算し直し、[claim] の請求額ごとに請求額・計算額・差額（請求額−計算額）を示します。\n"
    "一致しない請求額には診断（double, half, rounding_mode, before_rounding, before_cap,\n"
    "digits_swapped）と計算額を生んだ計算の過程を、合計（totals.*）には各措置の金額の内訳を示します。\n"
    "規則に反する点（所見: single_employer_over_80, utilization_assumed, duplicate_case_id）も\n"
    "規則と根拠とともに示します。不正なファイルも一覧の1行（status error）になり、処理は続きます。\n\n"
    "[claim] の書き方（金額の書式はほかのキーと同じ）:\n"
    "  [claim]\n"
    "  network.grant = 19,288,000          ; <措置>.<金額>\n"
    "  totals.special_tax_grant = 3000千円  ; totals.<金額>\n"
    "請求できる金額は、kofu-result/1 形式の結果で各措置の直下にある円単位の金額（事業・組織ごとの\n"
    "金額や比率は除く）と totals の2つです。\n\n"
    "  --format text     読みやすい報告（既定）。最後に件数の集計\n"
    "  --format json     ファイルごとに {file, case, status, mismatched, claims, findings}\n"
    "                    （ファイルが複数かディレクトリなら配列）\n"
    "  --format csv      請求額・所見・不正なファイルごとに1行: file,case,status,key,line,claimed,\n"
    "                    computed,difference,diagnosis,subject,message,step,rule,source\n"
    "                    （status は match, mismatch, finding, error）。集計は標準エラーへ\n"
    "  --format xlsx     Excel のブック（--output FILE に）: 照合のシートと、calc と同じ概要・措置・\n"
    "                    計算過程・根拠・注意。--unit 千円 で千円表示\n"
    "  --output FILE     FILE に書く（一時ファイルに書いて最後に名前を変える）\n"
    "  --only-problems   一致した請求額の行を出さない\n"
    "  --jobs N          N 個のスレッドで計算（1〜64、既定 1）。出力は N によらず同じです\n"
    "  --encoding E      CSV の文字コード: utf-8-bom（既定）, utf-8, cp932\n"
    "  --lang ja|en      表示言語    --rules DIR   編集したルールデータを使う\n\n"
    "終了コード: 0 すべて一致し所見なし, 1 一致しない請求額か所見がある, 2 使い方の誤り,\n"
    "            3 不正なケースファイルがある（ない措置や請求できない金額への請求、[claim] がない・\n"
    "            空の場合も）, 4 ルールデータが不正, 5 入出力エラー\n"
    "例: kofu check --format csv --output 照合結果.csv 申請/\n",
    "usage: kofu check [--format text|json|csv|xlsx] [--output FILE] [--only-problems] [--jobs N]\n"
    "                  [--lang ja|en] [--rules DIR] PATH...\n\n"
    "Each PATH is a case file, or a directory searched recursively for *.ini (in any letter\n"
    "case). Recomputes each case and, for every amount of its [claim] section, shows the claimed\n"
    "and the computed amount and their difference (claimed − computed). A claim that differs\n"
    "gets a diagnosis (double, half, rounding_mode, before_rounding, before_cap, digits_swapped)\n"
    "and the steps behind the computed amount; a total (totals.*) is shown as the sum of its\n"
    "measures' amounts. Rules the case breaks (findings: single_employer_over_80,\n"
    "utilization_assumed, duplicate_case_id) are listed with their rule and citation. An invalid\n"
    "file is a row of the list too (status error), and the run goes on.\n\n"
    "Writing [claim] (amounts as for any other key):\n"
    "  [claim]\n"
    "  network.grant = 19,288,000          ; <measure>.<amount>\n"
    "  totals.special_tax_grant = 3000千円  ; totals.<amount>\n"
    "Claimable amounts: the yen amounts directly under each measure in the kofu-result/1 result\n"
    "(not a project's or an organization's, not ratios) and the two totals.\n\n"
    "  --format text     a report for people (default), with the counts at the end\n"
    "  --format json     per file {file, case, status, mismatched, claims, findings} (an array\n"
    "                    for several files or a directory)\n"
    "  --format csv      one row per claim, finding and invalid file: file,case,status,key,line,\n"
    "                    claimed,computed,difference,diagnosis,subject,message,step,rule,source\n"
    "                    (status match, mismatch, finding or error); the counts go to stderr\n"
    "  --format xlsx     an Excel workbook (to --output FILE): the claims sheet, and calc's summary,\n"
    "                    measures, trace, sources and notes; --unit 千円 shows thousands\n"
    "  --output FILE     write to FILE through a temporary file renamed at the end\n"
    "  --only-problems   leave out the claims that match\n"
    "  --jobs N          compute with N threads (1-64, default 1); the output is the same for any N\n"
    "  --encoding E      CSV encoding: utf-8-bom (default), utf-8, cp932\n"
    "  --lang ja|en      language    --rules DIR   use an edited copy of the rule data\n\n"
    "exit codes: 0 every claim matches and no finding, 1 a claim differs or a finding was raised,\n"
    "            2 usage error, 3 an invalid case file (a claim on an absent measure or an unknown\n"
    "            amount, no [claim] or an empty one), 4 invalid rule data, 5 I/O error\n"
    "example: kofu check --format csv --output results.csv claims/\n",
};
