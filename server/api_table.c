/* api_table.c — POST /api/v1/table: a case table (CSV or xlsx, the bytes of
 * the file) read into JSON case objects for the page's form, by the
 * library's table reader (kofu/table.h) from memory: nothing touches the
 * disk. Each case is read and checked as `kofu validate` would, not
 * computed; the page computes the one the user picks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api_internal.h"
#include "kofu/table.h"

#define TR(lang, ja, en) ((lang) == KOFU_LANG_EN ? (en) : (ja))

/* A table opened in the page holds a few cases to pick from, not a batch. */
#define MAX_TABLE_CASES 1000

static bool type_is(const char *ct, const char *want)
{
    size_t n = strlen(want);
    return ct && strncasecmp(ct, want, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* {"case": {"id": …}, "network.kita": {…}, "claim": {"network.grant": …}}:
 * the table's values grouped by section in first-seen order, the form
 * POST /api/v1/calculate takes. A key given twice keeps its first value
 * (the case is then invalid, and its diagnostics say so). */
static void put_case_object(kofu_buf *b, const kofu_table *t)
{
    size_t n = kofu_table_value_count(t);
    kofu_buf_putc(b, '{');
    bool first_sec = true;
    for (size_t i = 0; i < n; i++) {
        const char *sec, *key, *val;
        kofu_table_value(t, i, &sec, NULL, NULL, NULL);
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++) {
            const char *s2;
            kofu_table_value(t, j, &s2, NULL, NULL, NULL);
            seen = strcasecmp(s2, sec) == 0;
        }
        if (seen)
            continue;
        if (!first_sec)
            kofu_buf_putc(b, ',');
        first_sec = false;
        kofu_json_string(b, sec);
        kofu_buf_puts(b, ":{");
        bool first_key = true;
        for (size_t j = i; j < n; j++) {
            const char *s2;
            kofu_table_value(t, j, &s2, &key, &val, NULL);
            if (strcasecmp(s2, sec) != 0)
                continue;
            bool dup = false;
            for (size_t k = i; k < j && !dup; k++) {
                const char *s3, *k3;
                kofu_table_value(t, k, &s3, &k3, NULL, NULL);
                dup = strcasecmp(s3, sec) == 0 && strcasecmp(k3, key) == 0;
            }
            if (dup)
                continue;
            if (!first_key)
                kofu_buf_putc(b, ',');
            first_key = false;
            kofu_json_string(b, key);
            kofu_buf_putc(b, ':');
            kofu_json_string(b, val);
        }
        kofu_buf_putc(b, '}');
    }
    kofu_buf_putc(b, '}');
}

/* The value of case.<key> as the table wrote it, or "". */
static const char *case_value(const kofu_table *t, const char *key)
{
    const char *sec, *k, *v;
    for (size_t i = 0; kofu_table_value(t, i, &sec, &k, &v, NULL); i++)
        if (strcasecmp(sec, "case") == 0 && strcasecmp(k, key) == 0)
            return v;
    return "";
}

/* Reads every case; the "cases" array into b. false when the table could
 * not be read to its end or a case is invalid (the reasons in d). */
static bool read_cases(kofu_table *t, kofu_buf *b, kofu_diag *d, bool *too_many)
{
    bool all_ok = true;
    kofu_buf_puts(b, "\"cases\":[");
    for (size_t n = 0;; n++) {
        kofu_case *c = NULL;
        const char *where = "";
        size_t before = kofu_diag_count(d);
        kofu_status st = kofu_table_next(t, d, &c, &where);
        if (st == KOFU_OK && !c)
            break;
        if (n >= MAX_TABLE_CASES) {
            kofu_case_free(&c);
            *too_many = true;
            all_ok = false;
            break;
        }
        bool valid = st == KOFU_OK;
        all_ok = all_ok && valid;
        kofu_buf_puts(b, n ? ",{\"where\":" : "{\"where\":");
        kofu_json_string(b, where ? where : "");
        kofu_buf_puts(b, ",\"id\":");
        kofu_json_string(b, case_value(t, "id"));
        kofu_buf_puts(b, ",\"name\":");
        kofu_json_string(b, case_value(t, "name"));
        kofu_buf_puts(b, ",\"valid\":");
        kofu_buf_puts(b, valid ? "true" : "false");
        kofu_buf_puts(b, ",\"diagnostics\":");
        kofu_buf_put_int(b, (int64_t)(kofu_diag_count(d) - before));
        kofu_buf_puts(b, ",\"case\":");
        put_case_object(b, t);
        kofu_buf_putc(b, '}');
        kofu_case_free(&c);
        if (st != KOFU_OK && st != KOFU_ECASE)
            break; /* the rest of the table cannot be read */
    }
    kofu_buf_putc(b, ']');
    return all_ok;
}

void api_table(const api_ctx *ctx, const api_request *req, kofu_lang lang, api_response *resp)
{
    const char *ct = req->content_type;
    bool xlsx = type_is(ct, XLSX_TYPE);
    if (!xlsx && !type_is(ct, "text/csv") && !type_is(ct, "application/octet-stream")) {
        api_error(ctx, resp, 415, "unsupported_media_type", lang,
                  TR(lang, "本文はケース表のファイルです（text/csv か " XLSX_TYPE "）",
                     "the body is a case table file (text/csv or " XLSX_TYPE ")"));
        return;
    }
    if (req->body_len == 0) {
        api_error(ctx, resp, 400, "bad_request", lang,
                  TR(lang, "本文が空です。CSV か xlsx のケース表を送ってください",
                     "empty body: send a CSV or xlsx case table"));
        return;
    }
    const char *name = req->name ? req->name : xlsx ? "cases.xlsx" : "cases.csv";
    kofu_diag *d = NULL;
    kofu_table *t = NULL;
    kofu_status st = kofu_diag_new(lang, &d);
    if (st == KOFU_OK)
        st = kofu_table_open_mem(ctx->rules, name, req->body, req->body_len, d, &t);
    if (st != KOFU_OK) {
        unsigned status = st == KOFU_ECASE ? 422 : 500;
        api_error_begin(ctx, resp, status, status == 422 ? "invalid_table" : "internal", lang,
                        kofu_status_message(st, lang));
        if (d)
            api_put_diagnostics(&resp->body, d, true, true);
        kofu_buf_puts(&resp->body, ",\"cases\":[]");
        api_error_end(ctx, resp);
        kofu_diag_free(&d);
        return;
    }
    kofu_buf cases = {0};
    bool too_many = false;
    bool ok = read_cases(t, &cases, d, &too_many);
    kofu_table_close(&t);
    if (cases.failed) {
        api_error(ctx, resp, 500, "internal", lang, kofu_status_message(KOFU_ENOMEM, lang));
    } else if (too_many) {
        char msg[200];
        snprintf(msg, sizeof msg,
                 TR(lang, "ケースが多すぎます（画面で開けるのは %d 件まで）。多くのケースは kofu batch で計算してください",
                    "too many cases (the page opens at most %d); compute many cases with kofu batch"),
                 MAX_TABLE_CASES);
        api_error(ctx, resp, 422, "too_many_cases", lang, msg);
    } else if (!ok) {
        /* the cases still go with the reasons: the page can open one and
         * show its problems where they are */
        api_error_begin(ctx, resp, 422, "invalid_table", lang, kofu_status_message(KOFU_ECASE, lang));
        api_put_diagnostics(&resp->body, d, true, true);
        kofu_buf_putc(&resp->body, ',');
        kofu_buf_putn(&resp->body, cases.data, cases.len);
        api_error_end(ctx, resp);
    } else {
        api_json_begin(resp, 200);
        kofu_buf_puts(&resp->body, "{\"file\":");
        kofu_json_string(&resp->body, name);
        kofu_buf_putc(&resp->body, ',');
        kofu_buf_putn(&resp->body, cases.data, cases.len);
        api_put_meta(ctx, &resp->body);
    }
    kofu_buf_free(&cases);
    kofu_diag_free(&d);
}
