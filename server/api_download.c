/* api_download.c — a computed case as a file to save: CSV (the library's
 * CSV renderer, as `kofu calc --format csv`) or an xlsx workbook (as
 * `kofu calc --format xlsx`, and a sweep's as `kofu sweep --format xlsx`).
 * The workbook writer writes to a path, so it
 * goes through a private temporary directory the server makes and removes;
 * nothing in a request names a path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api_internal.h"
#include "kofu/csv.h"
#include "kofu/xlsx.h"

#define TR(lang, ja, en) ((lang) == KOFU_LANG_EN ? (en) : (ja))

static void put_diag_error(const api_ctx *ctx, api_response *resp, unsigned status, kofu_status st,
                           const kofu_diag *d, kofu_lang lang)
{
    const char *msg = kofu_diag_count(d) ? kofu_diag_message(d, 0) : kofu_status_message(st, lang);
    api_error(ctx, resp, status, status == 422 ? "invalid_request" : "internal", lang, msg);
}

bool api_csv_options(const api_ctx *ctx, const api_request *req, kofu_lang lang, kofu_csv_options *o,
                     api_response *resp)
{
    *o = (kofu_csv_options){.lang = lang};
    if ((!req->csv_header || kofu_csv_header_parse(req->csv_header, &o->header)) &&
        (!req->csv_rows || kofu_csv_rows_parse(req->csv_rows, &o->rows)) &&
        (!req->csv_encoding || kofu_csv_encoding_parse(req->csv_encoding, &o->encoding)))
        return true;
    api_error(ctx, resp, 400, "bad_request", lang,
              TR(lang, "header は ja|en|keys、rows は cases|items、encoding は utf-8-bom|utf-8|cp932 です",
                 "header is ja|en|keys, rows cases|items, encoding utf-8-bom|utf-8|cp932"));
    return false;
}

void api_csv_answer(const api_ctx *ctx, api_response *resp, kofu_status st, const kofu_diag *d,
                    kofu_buf *b, const kofu_csv_options *o, const char *name, kofu_lang lang)
{
    if (st != KOFU_OK) {
        /* a character CP932 cannot hold is the request's choice: 422 */
        put_diag_error(ctx, resp, st == KOFU_EIO ? 422 : 500, st, d, lang);
        kofu_buf_free(b);
        return;
    }
    resp->status = 200;
    resp->content_type = o->encoding == KOFU_CSV_CP932 ? "text/csv; charset=Shift_JIS"
                                                      : "text/csv; charset=utf-8";
    snprintf(resp->disposition, sizeof resp->disposition, "attachment; filename=\"%.100s.csv\"", name);
    resp->body = *b;
    *b = (kofu_buf){0};
}

void api_download_csv(const api_ctx *ctx, const api_request *req, kofu_lang lang, const char *file,
                      const kofu_result *r, const kofu_case *c, api_response *resp)
{
    kofu_csv_options o;
    if (!api_csv_options(ctx, req, lang, &o, resp))
        return;
    kofu_diag *d = NULL;
    kofu_status st = kofu_diag_new(lang, &d);
    kofu_buf b = {0};
    if (st == KOFU_OK)
        st = kofu_csv_begin(&o, &b, d);
    if (st == KOFU_OK)
        st = kofu_csv_case(&o, &b, file, r, c, NULL, NULL, d);
    api_csv_answer(ctx, resp, st, d, &b, &o, kofu_case_id(c), lang);
    kofu_diag_free(&d);
}

static bool read_all(const char *path, kofu_buf *b)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        kofu_buf_putn(b, chunk, n);
    bool ok = !ferror(f) && !b->failed;
    fclose(f);
    return ok;
}

void api_download_workbook(const api_ctx *ctx, kofu_lang lang, const char *name,
                           api_workbook_fill fill, void *arg, api_response *resp)
{
    const char *tmp = getenv("TMPDIR");
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/kofu-serve-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        api_error(ctx, resp, 500, "internal", lang, kofu_status_message(KOFU_EIO, lang));
        return;
    }
    snprintf(path, sizeof path, "%s/case.xlsx", dir);
    int64_t now = 0;
    (void)kofu_clock(NULL, &now);
    kofu_xlsx_options o = {.lang = lang, .created = now};
    kofu_diag *d = NULL;
    kofu_xlsx *x = NULL;
    kofu_node *bib = NULL;
    kofu_status st = kofu_diag_new(lang, &d);
    if (st == KOFU_OK)
        st = kofu_xlsx_open(path, &o, d, &x);
    /* as the command does (cli_xlsx_open): the bibliography first, so that
     * the same input gives the same bytes from both */
    if (st == KOFU_OK && kofu_rules_sources(ctx->rules, lang, &bib) == KOFU_OK)
        st = kofu_xlsx_add_sources(x, bib);
    if (st == KOFU_OK)
        st = fill(x, arg);
    if (st == KOFU_OK)
        st = kofu_xlsx_close(&x, d);
    kofu_xlsx_discard(&x);
    kofu_node_free(&bib);
    kofu_buf b = {0};
    if (st == KOFU_OK && !read_all(path, &b))
        st = KOFU_EIO;
    unlink(path);
    rmdir(dir);
    if (st != KOFU_OK) {
        put_diag_error(ctx, resp, 500, st, d, lang);
        kofu_buf_free(&b);
    } else {
        resp->status = 200;
        resp->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        snprintf(resp->disposition, sizeof resp->disposition, "attachment; filename=\"%.100s.xlsx\"",
                 name);
        resp->body = b;
    }
    kofu_diag_free(&d);
}

typedef struct one_case {
    const char *file;
    const kofu_result *r;
    const kofu_case *c;
} one_case;

static kofu_status add_one_case(kofu_xlsx *x, void *arg)
{
    const one_case *oc = arg;
    return kofu_xlsx_add_case(x, oc->file, oc->r, oc->c, NULL);
}

void api_download_xlsx(const api_ctx *ctx, const api_request *req, kofu_lang lang, const char *file,
                       const kofu_result *r, const kofu_case *c, api_response *resp)
{
    one_case oc = {file, r, c};
    api_download_workbook(ctx, lang, kofu_case_id(c), add_one_case, &oc, resp);
}
