/*
 * fuzz_http.c — libFuzzer target: the server's reading of requests, without
 * a socket. The first bytes choose the method, path, Content-Type and
 * language; the next line is used as the Host, Origin and Accept-Language
 * headers and the query's name; the rest is the body. Each input goes
 * through the Host/Origin checks and api_handle(), as http.c hands a
 * request over.
 *
 * Invariants beyond "no crash, no leak, no UB":
 *   - every answer has a status the API documents and a body;
 *   - a JSON answer is valid JSON (cJSON reads it back), an object with
 *     "meta", and an error answer says what went wrong (code, message);
 *   - no answer repeats bytes that are not UTF-8 (which the JSON writer
 *     would escape \udcXX): every field an answer echoes is checked first
 *     (server/fields.c), and the case reader's messages write them \xNN;
 *   - a body over the limit never reaches api_handle (http.c refuses it),
 *     so the target keeps to the limit too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "api.h"
#include "guard.h"
#include "fuzz_init.h"
#include "kofu/kofu.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static kofu_rules *rules;
static api_ctx *ctx;
static guard g;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    rules = fuzz_builtin_rules();
    if (!(ctx = api_new(rules)))
        abort();
    guard_init(&g, NULL, 8765);
    return 0;
}

static const char *const methods[] = {"GET", "POST", "HEAD", "PUT", "DELETE"};
static const char *const paths[] = {
    "/api/v1/calculate", "/api/v1/check", "/api/v1/sweep", "/api/v1/schema", "/api/v1/rules",
    "/api/v1/sources", "/api/v1/openapi.json", "/", "/app.js", "/../etc/passwd", "/api/v1/nope",
};
static const char *const types[] = {NULL, "text/plain; charset=utf-8", "application/json",
                                    "application/x-ini", "application/xml", "APPLICATION/JSON;x"};

/* true when the JSON text holds the escape \udcXX (a backslash that is not
 * itself escaped, then udc): the writer's notation for a byte that is not
 * UTF-8. A string holding the text "\udc" is written "\\udc". */
static bool has_byte_escape(const char *s)
{
    for (const char *p = s; (p = strstr(p, "udc")) != NULL; p++) {
        size_t n = 0;
        while (p - n > s && p[-(ptrdiff_t)n - 1] == '\\')
            n++;
        if (n % 2 == 1)
            return true;
    }
    return false;
}

static void check_answer(const api_response *a)
{
    static const unsigned ok[] = {200, 400, 404, 405, 413, 415, 422, 500};
    bool known = false;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        known |= a->status == ok[i];
    if (!known || !a->content_type)
        abort();
    if (a->fixed)
        return;
    if (a->body.failed || !a->body.data)
        abort();
    char *copy = malloc(a->body.len + 1);
    if (!copy)
        abort();
    memcpy(copy, a->body.data, a->body.len);
    copy[a->body.len] = '\0';
    /* the JSON writer's escape of a byte that is not UTF-8 (docs/limits.md) */
    if (has_byte_escape(copy))
        abort();
    cJSON *j = cJSON_ParseWithLength(copy, a->body.len);
    free(copy);
    if (!j || !cJSON_IsObject(j) || !cJSON_GetObjectItemCaseSensitive(j, "meta"))
        abort();
    if (a->status != 200) {
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "error");
        const cJSON *msg = cJSON_GetObjectItemCaseSensitive(e, "message");
        if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(e, "code")) || !cJSON_IsString(msg) ||
            !*msg->valuestring)
            abort();
    }
    cJSON_Delete(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3 || size > API_MAX_BODY)
        return 0;
    const char *method = methods[data[0] % (sizeof methods / sizeof methods[0])];
    const char *path = paths[data[1] % (sizeof paths / sizeof paths[0])];
    const char *type = types[data[2] % (sizeof types / sizeof types[0])];
    /* a case table (POST /api/v1/table) from the top values of the path byte,
     * so the mapping of the other paths (and the seeds' meaning) is kept */
    if (data[1] >= 250) {
        path = "/api/v1/table";
        type = data[2] & 1 ? "text/csv"
                           : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    }
    data += 3;
    size -= 3;
    /* the header line: up to the first newline, NUL-terminated */
    const uint8_t *nl = memchr(data, '\n', size < 200 ? size : 200);
    size_t hlen = nl ? (size_t)(nl - data) : 0;
    char header[201];
    memcpy(header, data, hlen);
    header[hlen] = '\0';
    if (nl) {
        data += hlen + 1;
        size -= hlen + 1;
    }
    (void)guard_host_ok(&g, header);
    (void)guard_origin_ok(&g, header);
    char *body = malloc(size ? size : 1);
    if (!body)
        return 0;
    memcpy(body, data, size);
    api_request req = {
        .method = method,
        .path = path,
        .content_type = type,
        .accept_language = header,
        .lang = (hlen & 3) == 1 ? "en" : (hlen & 3) == 2 ? header : NULL,
        .name = (hlen & 4) ? header : NULL,
        .fy = (hlen & 8) ? header : NULL,
        .body = body,
        .body_len = size,
    };
    api_response a;
    api_handle(ctx, &req, &a);
    check_answer(&a);
    api_response_free(&a);
    free(body);
    return 0;
}
