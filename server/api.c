/* api.c — routing and the answers that are not about one case: assets,
 * schema, rules, sources, errors. The case endpoints are in api_case.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api_internal.h"
#include "assets.h"

#define TR(lang, ja, en) ((lang) == KOFU_LANG_EN ? (en) : (ja))

/* ---- language ------------------------------------------------------------- */

/* The q-value of one Accept-Language item ("en-US;q=0.8" → 800), 1000 when
 * absent, -1 when malformed. */
static int q_value(const char *params, size_t len)
{
    const char *q = NULL;
    for (size_t i = 0; i + 1 < len; i++)
        if ((params[i] == 'q' || params[i] == 'Q') && params[i + 1] == '=' &&
            (i == 0 || params[i - 1] == ';' || params[i - 1] == ' ')) {
            q = params + i + 2;
            break;
        }
    if (!q)
        return 1000;
    const char *end = params + len;
    if (q >= end || (*q != '0' && *q != '1'))
        return -1;
    int v = (*q++ - '0') * 1000, scale = 100;
    if (q < end && *q == '.')
        for (q++; q < end && *q >= '0' && *q <= '9' && scale; q++, scale /= 10)
            v += (*q - '0') * scale;
    return v > 1000 ? 1000 : v;
}

kofu_lang api_lang(const char *lang_param, const char *accept)
{
    if (lang_param)
        return strcmp(lang_param, "en") == 0 ? KOFU_LANG_EN : KOFU_LANG_JA;
    int best_q = 0;
    kofu_lang best = KOFU_LANG_JA;
    for (const char *p = accept; p && *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t len = strcspn(p, ",");
        size_t tag = strcspn(p, ";,");
        while (tag && p[tag - 1] == ' ')
            tag--;
        int q = q_value(p + tag, len - tag);
        bool en = tag >= 2 && strncasecmp(p, "en", 2) == 0 && (tag == 2 || p[2] == '-');
        bool ja = tag >= 2 && strncasecmp(p, "ja", 2) == 0 && (tag == 2 || p[2] == '-');
        if ((en || ja) && q > best_q) {
            best_q = q;
            best = en ? KOFU_LANG_EN : KOFU_LANG_JA;
        }
        p += len;
    }
    return best;
}

/* ---- answers ---------------------------------------------------------------- */

void api_json_begin(api_response *resp, unsigned status)
{
    resp->status = status;
    resp->content_type = "application/json; charset=utf-8";
}

void api_put_meta(const api_ctx *ctx, kofu_buf *b)
{
    kofu_buf_puts(b, ",\"meta\":");
    kofu_buf_puts(b, ctx->meta);
    kofu_buf_putc(b, '}');
}

void api_error_begin(const api_ctx *ctx, api_response *resp, unsigned status, const char *code,
                     kofu_lang lang, const char *message)
{
    (void)ctx;
    (void)lang;
    kofu_buf_free(&resp->body);
    api_json_begin(resp, status);
    kofu_buf_puts(&resp->body, "{\"error\":{\"status\":");
    kofu_buf_put_int(&resp->body, status);
    kofu_buf_puts(&resp->body, ",\"code\":");
    kofu_json_string(&resp->body, code);
    kofu_buf_puts(&resp->body, ",\"message\":");
    kofu_json_string(&resp->body, message);
}

void api_error_end(const api_ctx *ctx, api_response *resp)
{
    kofu_buf_putc(&resp->body, '}');
    api_put_meta(ctx, &resp->body);
}

void api_error(const api_ctx *ctx, api_response *resp, unsigned status, const char *code,
               kofu_lang lang, const char *message)
{
    api_error_begin(ctx, resp, status, code, lang, message);
    api_error_end(ctx, resp);
}

void api_response_free(api_response *resp)
{
    kofu_buf_free(&resp->body);
    *resp = (api_response){0};
}

static void answer_fixed(api_response *resp, const char *body)
{
    api_json_begin(resp, 200);
    resp->fixed = (const unsigned char *)body;
    resp->fixed_len = strlen(body);
}

/* ---- the listings built once ---------------------------------------------- */

static void put_label_pair(kofu_buf *b, const char *dotted)
{
    const char *ja = kofu_label(dotted, KOFU_LANG_JA), *en = kofu_label(dotted, KOFU_LANG_EN);
    kofu_buf_puts(b, ",\"label_ja\":");
    kofu_json_string(b, ja ? ja : dotted);
    kofu_buf_puts(b, ",\"label_en\":");
    kofu_json_string(b, en ? en : dotted);
}

static void put_output(kofu_buf *b, bool first, const char *path, const char *dotted)
{
    kofu_buf_puts(b, first ? "{\"path\":" : ",{\"path\":");
    kofu_json_string(b, path);
    put_label_pair(b, dotted);
    kofu_buf_putc(b, '}');
}

/* Units a person types with a key of this type. */
static void put_unit(kofu_buf *b, const char *type)
{
    const char *ja = "", *en = "";
    if (strcmp(type, "amount") == 0)
        ja = "円", en = "yen";
    else if (strcmp(type, "ratio") == 0)
        ja = "%", en = "%";
    kofu_buf_puts(b, ",\"unit_ja\":");
    kofu_json_string(b, ja);
    kofu_buf_puts(b, ",\"unit_en\":");
    kofu_json_string(b, en);
}

/* "network[.<id>]" → name "network", ids "optional"; "cooperative.worker.<id>"
 * → "cooperative.worker", "required"; "case" → "case", "none". */
static void split_section(const char *s, char *name, size_t cap, const char **ids)
{
    size_t n = strcspn(s, "[");
    *ids = "none";
    if (s[n] == '[') {
        *ids = "optional";
    } else if (n > 5 && strcmp(s + n - 5, ".<id>") == 0) {
        *ids = "required";
        n -= 5;
    }
    snprintf(name, cap, "%.*s", (int)n, s);
}

static void put_key(kofu_buf *b, const kofu_node *e)
{
    const char *type = kofu_node_str(kofu_node_get(e, "type"));
    kofu_buf_puts(b, "{\"key\":");
    kofu_json_string(b, kofu_node_str(kofu_node_get(e, "key")));
    kofu_buf_puts(b, ",\"type\":");
    kofu_json_string(b, type);
    put_unit(b, type);
    kofu_buf_puts(b, ",\"required\":");
    kofu_buf_puts(b, kofu_node_bool(kofu_node_get(e, "required")) ? "true" : "false");
    static const char *const copy[] = {"min", "max", "label_ja", "label_en"};
    for (size_t k = 0; k < sizeof copy / sizeof copy[0]; k++) {
        const kofu_node *v = kofu_node_get(e, copy[k]);
        if (!v)
            continue;
        kofu_buf_puts(b, ",\"");
        kofu_buf_puts(b, copy[k]);
        kofu_buf_puts(b, "\":");
        kofu_json_string(b, kofu_node_str(v));
    }
    kofu_buf_putc(b, '}');
}

static void put_section_head(kofu_buf *b, const kofu_node *e, const char *name, const char *ids)
{
    const char *measure = kofu_node_str(kofu_node_get(e, "measure"));
    kofu_buf_puts(b, "{\"section\":");
    kofu_json_string(b, name);
    kofu_buf_puts(b, ",\"ids\":");
    kofu_json_string(b, ids);
    kofu_buf_puts(b, ",\"measure\":");
    kofu_json_string(b, measure);
    const kofu_node *lj = kofu_node_get(e, "section_label_ja"), *le = kofu_node_get(e, "section_label_en");
    if (lj && le) {
        kofu_buf_puts(b, ",\"label_ja\":");
        kofu_json_string(b, kofu_node_str(lj));
        kofu_buf_puts(b, ",\"label_en\":");
        kofu_json_string(b, kofu_node_str(le));
    } else {
        put_label_pair(b, *measure ? measure : name);
    }
    kofu_buf_puts(b, ",\"keys\":[");
}

/* GET /api/v1/schema: the sections in file order, each with its keys, then
 * the measures, the amounts a result shows first, and the sweep columns. */
static char *build_schema(const api_ctx *ctx)
{
    kofu_node *schema = NULL;
    if (kofu_schema(&schema) != KOFU_OK)
        return NULL;
    kofu_buf b = {0};
    kofu_buf_puts(&b, "{\"format\":\"kofu-schema/1\",\"sections\":[");
    char prev[128] = "";
    for (size_t i = 0; i < kofu_node_size(schema); i++) {
        const kofu_node *e = kofu_node_at(schema, i);
        char name[128];
        const char *ids;
        split_section(kofu_node_str(kofu_node_get(e, "section")), name, sizeof name, &ids);
        bool same = strcmp(name, prev) == 0;
        if (!same) {
            if (*prev)
                kofu_buf_puts(&b, "]},");
            put_section_head(&b, e, name, ids);
            snprintf(prev, sizeof prev, "%s", name);
        } else {
            kofu_buf_putc(&b, ',');
        }
        put_key(&b, e);
    }
    if (*prev)
        kofu_buf_puts(&b, "]}");
    kofu_buf_puts(&b, "],\"measures\":[");
    /* the measures in schema order, each once */
    const char *seen[64];
    size_t n_seen = 0;
    for (size_t i = 0; i < kofu_node_size(schema); i++) {
        const char *m = kofu_node_str(kofu_node_get(kofu_node_at(schema, i), "measure"));
        bool dup = !*m;
        for (size_t k = 0; k < n_seen && !dup; k++)
            dup = strcmp(seen[k], m) == 0;
        if (dup || n_seen == 64)
            continue;
        seen[n_seen] = m;
        kofu_buf_puts(&b, n_seen++ ? ",{\"name\":" : "{\"name\":");
        kofu_json_string(&b, m);
        put_label_pair(&b, m);
        kofu_buf_putc(&b, '}');
    }
    kofu_buf_puts(&b, "],\"totals\":[");
    put_output(&b, true, "totals.special_tax_grant", "totals.special_tax_grant");
    put_output(&b, false, "totals.national_grant", "totals.national_grant");
    kofu_buf_puts(&b, "],\"headlines\":[");
    for (size_t i = 0; i < kofu_headline_count(); i++) {
        const char *m, *a;
        kofu_headline_at(i, &m, &a);
        char dotted[256], path[300];
        snprintf(dotted, sizeof dotted, "%s.%s", m, a);
        snprintf(path, sizeof path, "measures.%s", dotted);
        put_output(&b, i == 0, path, dotted);
    }
    kofu_buf_puts(&b, "],\"outputs\":");
    kofu_node *outputs = NULL;
    if (kofu_outputs(&outputs) == KOFU_OK)
        kofu_json_append(&b, outputs);
    else
        b.failed = true;
    kofu_node_free(&outputs);
    kofu_buf_puts(&b, ",\"sweep_columns\":[");
    for (size_t i = 0; i < kofu_sweep_column_count(); i++) {
        const char *m, *a;
        kofu_sweep_column_at(i, &m, &a);
        char dotted[256];
        snprintf(dotted, sizeof dotted, "%s.%s", m, a);
        put_output(&b, i == 0, dotted, dotted);
    }
    kofu_buf_putc(&b, ']');
    api_put_meta(ctx, &b);
    kofu_node_free(&schema);
    if (b.failed) {
        kofu_buf_free(&b);
        return NULL;
    }
    return b.data;
}

char *api_rules_listing(const api_ctx *ctx, int fy, kofu_lang lang)
{
    kofu_node *list = NULL;
    if (kofu_rules_list(ctx->rules, fy, lang, &list) != KOFU_OK)
        return NULL;
    kofu_buf b = {0};
    kofu_buf_puts(&b, "{\"format\":\"kofu-rules/1\",\"fiscal_year\":");
    if (fy)
        kofu_buf_put_int(&b, fy);
    else
        kofu_buf_puts(&b, "null");
    kofu_buf_puts(&b, ",\"parameters\":");
    kofu_json_append(&b, list);
    api_put_meta(ctx, &b);
    kofu_node_free(&list);
    if (b.failed) {
        kofu_buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* GET /api/v1/sources: the bibliography (`kofu rules --sources`), each
 * source with the parameters whose main citation it is. */
static char *build_sources(const api_ctx *ctx, kofu_lang lang)
{
    kofu_node *bib = NULL, *list = NULL;
    if (kofu_rules_sources(ctx->rules, lang, &bib) != KOFU_OK)
        return NULL;
    if (kofu_rules_list(ctx->rules, 0, lang, &list) != KOFU_OK) {
        kofu_node_free(&bib);
        return NULL;
    }
    kofu_buf b = {0};
    kofu_buf_puts(&b, "{\"format\":\"kofu-sources/1\",\"sources\":[");
    for (size_t i = 0; i < kofu_node_size(bib); i++) {
        const kofu_node *src = kofu_node_at(bib, i);
        const char *id = kofu_node_str(kofu_node_get(src, "id"));
        if (i)
            kofu_buf_putc(&b, ',');
        size_t at = b.len;
        kofu_json_append(&b, src);
        if (b.failed || b.len < at + 2)
            break;
        b.len--; /* reopen the object */
        kofu_buf_puts(&b, ",\"parameters\":[");
        char last[256] = "";
        for (size_t j = 0, k = 0; j < kofu_node_size(list); j++) {
            const kofu_node *e = kofu_node_at(list, j);
            if (strcmp(kofu_node_str(kofu_node_get(e, "source_id")), id) != 0)
                continue;
            char name[256];
            snprintf(name, sizeof name, "%s.%s", kofu_node_str(kofu_node_get(e, "measure")),
                     kofu_node_str(kofu_node_get(e, "name")));
            if (strcmp(name, last) == 0)
                continue;
            snprintf(last, sizeof last, "%s", name);
            if (k++)
                kofu_buf_putc(&b, ',');
            kofu_json_string(&b, name);
        }
        kofu_buf_puts(&b, "]}");
    }
    kofu_buf_putc(&b, ']');
    api_put_meta(ctx, &b);
    kofu_node_free(&bib);
    kofu_node_free(&list);
    if (b.failed) {
        kofu_buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* The stamp of answers that are not a result: what a result's meta says
 * but the time (nothing was computed). */
static char *build_meta(const kofu_rules *rules)
{
    kofu_buf b = {0};
    kofu_buf_puts(&b, "{\"kofu_version\":");
    kofu_json_string(&b, KOFU_VERSION);
    kofu_buf_puts(&b, ",\"rules\":{\"origin\":");
    kofu_json_string(&b, kofu_rules_origin(rules));
    if (kofu_rules_path(rules)) {
        kofu_buf_puts(&b, ",\"path\":");
        kofu_json_string(&b, kofu_rules_path(rules));
    }
    kofu_buf_puts(&b, ",\"sha256\":");
    kofu_json_string(&b, kofu_rules_digest(rules));
    kofu_buf_puts(&b, "}}");
    return b.failed ? (kofu_buf_free(&b), NULL) : b.data;
}

api_ctx *api_new(const kofu_rules *rules)
{
    api_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return NULL;
    ctx->rules = rules;
    ctx->meta = build_meta(rules);
    bool ok = ctx->meta != NULL;
    if (ok)
        ok = (ctx->schema = build_schema(ctx)) != NULL;
    for (int l = 0; ok && l < 2; l++)
        ok = (ctx->rules_list[l] = api_rules_listing(ctx, 0, (kofu_lang)l)) != NULL &&
             (ctx->sources[l] = build_sources(ctx, (kofu_lang)l)) != NULL;
    if (!ok)
        api_free(&ctx);
    return ctx;
}

void api_free(api_ctx **pctx)
{
    if (!pctx || !*pctx)
        return;
    api_ctx *ctx = *pctx;
    free(ctx->meta);
    free(ctx->schema);
    for (int l = 0; l < 2; l++) {
        free(ctx->rules_list[l]);
        free(ctx->sources[l]);
    }
    free(ctx);
    *pctx = NULL;
}

const char *api_version(const api_ctx *ctx)
{
    (void)ctx;
    return KOFU_VERSION;
}

const char *api_rules_digest(const api_ctx *ctx) { return kofu_rules_digest(ctx->rules); }

/* ---- routing ---------------------------------------------------------------- */

static const char *content_type_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot && strcmp(dot, ".html") == 0)
        return "text/html; charset=utf-8";
    if (dot && strcmp(dot, ".js") == 0)
        return "text/javascript; charset=utf-8";
    if (dot && strcmp(dot, ".css") == 0)
        return "text/css; charset=utf-8";
    return "application/json; charset=utf-8";
}

/* The page's files: looked up by exact path in the table compiled in, so no
 * request can reach the file system. */
static bool answer_asset(const char *path, api_response *resp)
{
    if (strcmp(path, "/") == 0)
        path = "/index.html";
    for (const server_asset *a = server_assets; a->path; a++)
        if (strcmp(a->path, path) == 0) {
            resp->status = 200;
            resp->content_type = content_type_of(a->path);
            resp->fixed = a->data;
            resp->fixed_len = a->len;
            return true;
        }
    return false;
}

typedef struct route {
    const char *path;
    const char *method;
    void (*handle)(const api_ctx *, const api_request *, kofu_lang, api_response *);
} route;

static void get_schema(const api_ctx *ctx, const api_request *req, kofu_lang lang, api_response *resp)
{
    answer_fixed(resp, ctx->schema);
}

static void get_rules(const api_ctx *ctx, const api_request *req, kofu_lang lang, api_response *resp)
{
    if (!req->fy) {
        answer_fixed(resp, ctx->rules_list[lang]);
        return;
    }
    int fy;
    if (!kofu_fy_parse(req->fy, &fy)) {
        api_error(ctx, resp, 400, "bad_request", lang,
                  TR(lang, "fy は年度です（2025、R7、令和7年度など）",
                     "fy is a fiscal year (2025, R7, 令和7年度, ...)"));
        return;
    }
    char *s = api_rules_listing(ctx, fy, lang);
    if (!s) {
        api_error(ctx, resp, 500, "internal", lang, kofu_status_message(KOFU_ENOMEM, lang));
        return;
    }
    api_json_begin(resp, 200);
    resp->body = (kofu_buf){.data = s, .len = strlen(s), .cap = strlen(s) + 1};
}

static void get_sources(const api_ctx *ctx, const api_request *req, kofu_lang lang, api_response *resp)
{
    answer_fixed(resp, ctx->sources[lang]);
}

static const route routes[] = {
    {"/api/v1/calculate", "POST", api_calculate},
    {"/api/v1/check", "POST", api_check},
    {"/api/v1/sweep", "POST", api_sweep},
    {"/api/v1/table", "POST", api_table},
    {"/api/v1/schema", "GET", get_schema},
    {"/api/v1/rules", "GET", get_rules},
    {"/api/v1/sources", "GET", get_sources},
};

/* A display name is a label in messages and the trace, never a path. */
static bool name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 100 || s[0] == '.')
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-'))
            return false;
    return true;
}

void api_handle(const api_ctx *ctx, const api_request *req, api_response *resp)
{
    *resp = (api_response){0};
    kofu_lang lang = api_lang(req->lang, req->accept_language);
    bool head = strcmp(req->method, "HEAD") == 0;
    if (req->lang && strcmp(req->lang, "ja") != 0 && strcmp(req->lang, "en") != 0) {
        api_error(ctx, resp, 400, "bad_request", lang,
                  TR(lang, "lang は ja か en です", "lang is ja or en"));
        return;
    }
    if (req->name && !name_ok(req->name)) {
        api_error(ctx, resp, 400, "bad_request", lang,
                  TR(lang, "name はファイル名（英数字と . _ -、100文字まで）です。ファイルを読むことはありません",
                     "name is a file name (letters, digits, . _ -, at most 100): only a label, no file is read"));
        return;
    }
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (strcmp(req->path, routes[i].path) != 0)
            continue;
        bool get = strcmp(routes[i].method, "GET") == 0;
        if (strcmp(req->method, routes[i].method) != 0 && !(get && head)) {
            api_error(ctx, resp, 405, "method_not_allowed", lang,
                      TR(lang, "このメソッドは使えません", "method not allowed"));
            resp->allow = get ? "GET, HEAD" : "POST";
            return;
        }
        routes[i].handle(ctx, req, lang, resp);
        return;
    }
    if (strcmp(req->method, "GET") == 0 || head) {
        if (answer_asset(req->path, resp))
            return;
    } else if (strncmp(req->path, "/api/", 5) != 0) {
        for (const server_asset *a = server_assets; a->path; a++)
            if (strcmp(a->path, req->path) == 0 || strcmp(req->path, "/") == 0) {
                api_error(ctx, resp, 405, "method_not_allowed", lang,
                          TR(lang, "このメソッドは使えません", "method not allowed"));
                resp->allow = "GET, HEAD";
                return;
            }
    }
    api_error(ctx, resp, 404, "not_found", lang,
              TR(lang, "そのパスはありません（API は /api/v1/openapi.json を参照）",
                 "no such path (see /api/v1/openapi.json for the API)"));
}
