/*
 * api.h — the web server's requests and answers, apart from HTTP: the
 * MHD glue (http.c) hands each complete request to api_handle(), and the
 * fuzzer does the same without a socket. Uses only the public API.
 */
#ifndef KOFU_SERVER_API_H
#define KOFU_SERVER_API_H

#include <stdbool.h>
#include <stddef.h>

#include "kofu/kofu.h"

/* Largest request body accepted (413 beyond). */
#define API_MAX_BODY ((size_t)1 << 20)
/* Most points one sweep may evaluate (422 beyond): a bound on one
 * request's time. */
#define API_MAX_SWEEP_POINTS 2000

typedef struct api_request {
    const char *method;          /* "GET", "POST", ...                      */
    const char *path;            /* "/api/v1/calculate", without the query */
    const char *content_type;    /* NULL when absent                        */
    const char *accept_language; /* NULL when absent                        */
    const char *lang;            /* ?lang=ja|en, NULL when absent           */
    const char *name;            /* ?name=: the case's display name, NULL   */
    const char *fy;              /* ?fy= for /api/v1/rules, NULL            */
    const char *format;          /* ?format=json|csv|xlsx (calculate), NULL */
    const char *csv_header;      /* ?header=ja|en|keys (CSV), NULL          */
    const char *csv_rows;        /* ?rows=cases|items (CSV), NULL           */
    const char *csv_encoding;    /* ?encoding=utf-8-bom|utf-8|cp932, NULL   */
    const char *body;            /* need not be NUL-terminated              */
    size_t body_len;
} api_request;

typedef struct api_response {
    unsigned status;
    const char *content_type;
    const char *allow;           /* the Allow header of a 405, else NULL    */
    char disposition[160];       /* Content-Disposition of a download, or "" */
    kofu_buf body;               /* the answer built for this request, or   */
    const unsigned char *fixed;  /* bytes that outlive the request (assets) */
    size_t fixed_len;
} api_response;

typedef struct api_ctx api_ctx;

/* Prepares what every request shares: the rule data (borrowed, shared
 * read-only by the server's threads) and the answers that never change
 * (schema, rules and sources listings). NULL when memory ran out. */
api_ctx *api_new(const kofu_rules *rules);
void api_free(api_ctx **ctx);

/* Answers one request. Never fails: any problem becomes a status (400
 * malformed request, 404, 405, 413, 415, 422 invalid case, 500 internal)
 * with a JSON error body. Release resp with api_response_free. */
void api_handle(const api_ctx *ctx, const api_request *req, api_response *resp);
void api_response_free(api_response *resp);

/* An error answer {"error": {status, code, message}, "meta"} in lang. */
void api_error(const api_ctx *ctx, api_response *resp, unsigned status, const char *code,
               kofu_lang lang, const char *message);

/* The language of the answer: ?lang= first, else the preferred of ja and
 * en in Accept-Language (by q-value), else Japanese. */
kofu_lang api_lang(const char *lang_param, const char *accept_language);

/* The version and rules stamp sent as headers on every answer. */
const char *api_version(const api_ctx *ctx);
const char *api_rules_digest(const api_ctx *ctx);

#endif
