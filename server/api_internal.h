/* api_internal.h — what api.c and api_case.c share. */
#ifndef KOFU_SERVER_API_INTERNAL_H
#define KOFU_SERVER_API_INTERNAL_H

#include "api.h"
#include "kofu/csv.h"
#include "kofu/xlsx.h"

struct api_ctx {
    const kofu_rules *rules;
    char *meta;             /* the "meta" object every answer carries     */
    char *schema;           /* GET /api/v1/schema                         */
    char *rules_list[2];    /* GET /api/v1/rules, by language             */
    char *sources[2];       /* GET /api/v1/sources, by language           */
};

void api_json_begin(api_response *resp, unsigned status);
/* Appends ,"meta":{...}} — closing the answer's object. */
void api_put_meta(const api_ctx *ctx, kofu_buf *b);
/* An error answer left open after "message" (to add members), then closed. */
void api_error_begin(const api_ctx *ctx, api_response *resp, unsigned status, const char *code,
                     kofu_lang lang, const char *message);
void api_error_end(const api_ctx *ctx, api_response *resp);
char *api_rules_listing(const api_ctx *ctx, int fy, kofu_lang lang);
/* Appends ,"diagnostics":[…]: file, line (when lines and positive; else
 * null), section, key, message and the formatted text of each item; with
 * cells also "cell" ("B7") for an item that names a table's cell. */
void api_put_diagnostics(kofu_buf *b, const kofu_diag *d, bool lines, bool cells);

void api_calculate(const api_ctx *ctx, const api_request *req, kofu_lang lang, api_response *resp);
void api_check(const api_ctx *ctx, const api_request *req, kofu_lang lang, api_response *resp);
void api_sweep(const api_ctx *ctx, const api_request *req, kofu_lang lang, api_response *resp);
/* POST /api/v1/table: a CSV or xlsx case table into JSON case objects. */
void api_table(const api_ctx *ctx, const api_request *req, kofu_lang lang, api_response *resp);

/* ?format=csv and ?format=xlsx of calculate: the computed case as a file. */
/* CSV downloads (api_download.c): the ?header, ?rows and ?encoding options
 * (false after a 400 answer), and the answer for a finished buffer (taken
 * over), or the status that stopped it (422 for CP932, else 500). */
bool api_csv_options(const api_ctx *ctx, const api_request *req, kofu_lang lang, kofu_csv_options *o,
                     api_response *resp);
void api_csv_answer(const api_ctx *ctx, api_response *resp, kofu_status st, const kofu_diag *d,
                    kofu_buf *b, const kofu_csv_options *o, const char *name, kofu_lang lang);
void api_download_csv(const api_ctx *ctx, const api_request *req, kofu_lang lang, const char *file,
                      const kofu_result *r, const kofu_case *c, api_response *resp);
void api_download_xlsx(const api_ctx *ctx, const api_request *req, kofu_lang lang, const char *file,
                       const kofu_result *r, const kofu_case *c, api_response *resp);
/* A workbook to download, named name.xlsx: opened with the bibliography
 * (as `kofu` does), filled by fill(x, arg) (kofu_xlsx_add_* calls), written
 * in a private temporary directory and answered as the body (500 naming
 * the cause when it cannot be made: a missing libxlsxwriter, a full disk). */
typedef kofu_status (*api_workbook_fill)(kofu_xlsx *x, void *arg);
void api_download_workbook(const api_ctx *ctx, kofu_lang lang, const char *name,
                           api_workbook_fill fill, void *arg, api_response *resp);

#endif
