/* api_case.c — the endpoints that read a case: calculate, check, sweep. A
 * case comes as INI text (the case file itself) or as JSON (turned into the
 * same INI text), and is read by the library's one case reader, so a bad
 * case gets the diagnostics `kofu calc` prints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api_internal.h"
#include "kofu/table.h"
#include "case_input.h"
#include "fields.h"
#include "vary.h"

#define TR(lang, ja, en) ((lang) == KOFU_LANG_EN ? (en) : (ja))

typedef enum body_kind { BODY_INI, BODY_JSON, BODY_OTHER } body_kind;

static bool starts_with_ci(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0 &&
           (s[strlen(prefix)] == '\0' || s[strlen(prefix)] == ';' || s[strlen(prefix)] == ' ');
}

static body_kind kind_of(const char *content_type)
{
    if (!content_type || starts_with_ci(content_type, "text/plain") ||
        starts_with_ci(content_type, "application/x-ini") || starts_with_ci(content_type, "text/x-ini"))
        return BODY_INI;
    if (starts_with_ci(content_type, "application/json"))
        return BODY_JSON;
    return BODY_OTHER;
}

/* ---- diagnostics ------------------------------------------------------------ */

/* The diagnostics of a case as `kofu calc` prints them (text), and each part
 * apart. A JSON case has no lines of its own: the INI text made from it is
 * not what the user wrote, so no line is given. */
void api_put_diagnostics(kofu_buf *b, const kofu_diag *d, bool lines, bool cells)
{
    kofu_buf_puts(b, ",\"diagnostics\":[");
    for (size_t i = 0; i < kofu_diag_count(d); i++) {
        if (i)
            kofu_buf_putc(b, ',');
        kofu_buf_puts(b, "{\"file\":");
        kofu_json_string(b, kofu_diag_file(d, i));
        if (cells) {
            char cell[32] = "";
            int line = kofu_diag_line(d, i);
            kofu_buf_puts(b, ",\"cell\":");
            if (line < 0 && kofu_cell_ref(line, cell, sizeof cell))
                kofu_json_string(b, cell);
            else
                kofu_buf_puts(b, "null");
        }
        kofu_buf_puts(b, ",\"line\":");
        if (lines && kofu_diag_line(d, i) > 0)
            kofu_buf_put_int(b, kofu_diag_line(d, i));
        else
            kofu_buf_puts(b, "null");
        kofu_buf_puts(b, ",\"section\":");
        kofu_json_string(b, kofu_diag_section(d, i));
        kofu_buf_puts(b, ",\"key\":");
        kofu_json_string(b, kofu_diag_key(d, i));
        kofu_buf_puts(b, ",\"message\":");
        kofu_json_string(b, kofu_diag_message(d, i));
        kofu_buf_puts(b, ",\"text\":");
        if (lines) {
            char *t = kofu_diag_format(d, i);
            kofu_json_string(b, t ? t : kofu_diag_message(d, i));
            free(t);
        } else {
            kofu_buf t = {0};
            kofu_buf_puts(&t, *kofu_diag_file(d, i) ? kofu_diag_file(d, i) : "-");
            kofu_buf_puts(&t, ": ");
            if (*kofu_diag_section(d, i)) {
                kofu_buf_putc(&t, '[');
                kofu_buf_puts(&t, kofu_diag_section(d, i));
                kofu_buf_puts(&t, "] ");
            }
            if (*kofu_diag_key(d, i)) {
                kofu_buf_puts(&t, kofu_diag_key(d, i));
                kofu_buf_puts(&t, ": ");
            }
            kofu_buf_puts(&t, kofu_diag_message(d, i));
            kofu_json_string(b, t.data ? t.data : "");
            kofu_buf_free(&t);
        }
        kofu_buf_putc(b, '}');
    }
    kofu_buf_putc(b, ']');
}

/* 422 (the case), 500 (rule data, memory) with the diagnostics. */
static void answer_status(const api_ctx *ctx, api_response *resp, kofu_status st,
                          const kofu_diag *d, bool lines, kofu_lang lang)
{
    unsigned status = 500;
    const char *code = "internal";
    if (st == KOFU_ECASE || st == KOFU_EUSAGE)
        status = 422, code = st == KOFU_ECASE ? "invalid_case" : "invalid_request";
    api_error_begin(ctx, resp, status, code, lang, kofu_status_message(st, lang));
    if (d)
        api_put_diagnostics(&resp->body, d, lines, false);
    api_error_end(ctx, resp);
}

/* ---- reading the case ------------------------------------------------------- */

typedef struct loaded {
    kofu_case *c;
    kofu_result *r;
    bool lines; /* diagnostics have meaningful lines (INI text) */
} loaded;

static void loaded_free(loaded *l)
{
    kofu_result_free(&l->r);
    kofu_case_free(&l->c);
}

/* Loads (INI text, or a JSON object) and evaluates. false after setting the
 * error answer. */
static bool load_and_evaluate(const api_ctx *ctx, const char *ini, size_t len, const cJSON *obj,
                              const char *name, kofu_lang lang, bool trace, api_response *resp,
                              loaded *l)
{
    kofu_buf text = {0};
    if (obj) {
        const char *why = NULL;
        if (!case_json_to_ini(obj, &text, lang, &why)) {
            kofu_buf_free(&text);
            api_error(ctx, resp, 400, "bad_request", lang, why);
            return false;
        }
        ini = text.data ? text.data : "";
        len = text.len;
    }
    l->lines = obj == NULL;
    kofu_diag *d = NULL;
    kofu_status st = kofu_diag_new(lang, &d);
    if (st == KOFU_OK && !text.failed)
        st = kofu_case_load_buffer(ctx->rules, name ? name : obj ? "case.json" : "case.ini", ini,
                                   len, d, &l->c);
    else if (st == KOFU_OK)
        st = KOFU_ENOMEM;
    kofu_eval_options opt = {.lang = lang, .no_trace = !trace};
    if (st == KOFU_OK)
        st = kofu_evaluate(ctx->rules, l->c, &opt, d, &l->r);
    if (st != KOFU_OK)
        answer_status(ctx, resp, st, d, l->lines, lang);
    kofu_diag_free(&d);
    kofu_buf_free(&text);
    if (st != KOFU_OK)
        loaded_free(l);
    return st == KOFU_OK;
}

static cJSON *parse_json(const api_ctx *ctx, const api_request *req, kofu_lang lang,
                         api_response *resp)
{
    if (!field_json_no_nul(ctx, resp, lang, req->body, req->body_len))
        return NULL;
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(req->body, req->body_len, &end, false);
    if (!j) {
        char msg[200];
        size_t at = end && end >= req->body ? (size_t)(end - req->body) : 0;
        snprintf(msg, sizeof msg,
                 TR(lang, "JSON を読めません（%zu バイト目付近）", "malformed JSON (near byte %zu)"), at);
        api_error(ctx, resp, 400, "bad_request", lang, msg);
        return NULL;
    }
    /* nothing but blanks may follow the value */
    for (const char *p = end; p && p < req->body + req->body_len; p++)
        if (*p != ' ' && *p != '\n' && *p != '\r' && *p != '\t') {
            cJSON_Delete(j);
            api_error(ctx, resp, 400, "bad_request", lang,
                      TR(lang, "JSON の値の後に余分なデータがあります", "data after the JSON value"));
            return NULL;
        }
    return j;
}

/* The case of a calculate or check request, evaluated. */
static bool read_case(const api_ctx *ctx, const api_request *req, kofu_lang lang, bool trace,
                      api_response *resp, loaded *l)
{
    body_kind kind = kind_of(req->content_type);
    if (kind == BODY_OTHER) {
        api_error(ctx, resp, 415, "unsupported_media_type", lang,
                  TR(lang, "本文はケースファイル（text/plain）か JSON（application/json）です",
                     "the body is a case file (text/plain) or JSON (application/json)"));
        return false;
    }
    if (req->body_len == 0) {
        api_error(ctx, resp, 400, "bad_request", lang,
                  TR(lang, "本文が空です。ケースファイルか JSON を送ってください",
                     "empty body: send a case file or JSON"));
        return false;
    }
    if (kind == BODY_INI)
        return load_and_evaluate(ctx, req->body, req->body_len, NULL, req->name, lang, trace, resp, l);
    cJSON *j = parse_json(ctx, req, lang, resp);
    if (!j)
        return false;
    bool ok = load_and_evaluate(ctx, NULL, 0, j, req->name, lang, trace, resp, l);
    cJSON_Delete(j);
    return ok;
}

/* ---- POST /api/v1/calculate -------------------------------------------------- */

/* The result object, with the server's meta added when the library's result
 * has none. */
static void put_result(const api_ctx *ctx, kofu_buf *b, const kofu_result *r)
{
    const kofu_node *root = kofu_result_root(r);
    size_t start = b->len;
    kofu_json_append(b, root);
    if (!kofu_node_get(root, "meta") && !b->failed && b->len > start + 1) {
        b->len--; /* the closing brace */
        api_put_meta(ctx, b);
    }
}

void api_calculate(const api_ctx *ctx, const api_request *req, kofu_lang lang, api_response *resp)
{
    const char *f = req->format;
    if (f && strcmp(f, "json") != 0 && strcmp(f, "csv") != 0 && strcmp(f, "xlsx") != 0) {
        api_error(ctx, resp, 400, "bad_request", lang,
                  TR(lang, "format は json、csv、xlsx のどれかです", "format is json, csv or xlsx"));
        return;
    }
    loaded l = {0};
    if (!read_case(ctx, req, lang, true, resp, &l))
        return;
    const char *file = kofu_case_file(l.c);
    if (f && strcmp(f, "csv") == 0) {
        api_download_csv(ctx, req, lang, file, l.r, l.c, resp);
    } else if (f && strcmp(f, "xlsx") == 0) {
        api_download_xlsx(ctx, req, lang, file, l.r, l.c, resp);
    } else {
        api_json_begin(resp, 200);
        put_result(ctx, &resp->body, l.r);
    }
    loaded_free(&l);
}

/* ---- POST /api/v1/check -------------------------------------------------------- */

void api_check(const api_ctx *ctx, const api_request *req, kofu_lang lang, api_response *resp)
{
    /* a check answers JSON only: another format asked for is refused, not
     * silently answered as JSON */
    if (req->format && strcmp(req->format, "json") != 0) {
        api_error(ctx, resp, 400, "bad_request", lang,
                  TR(lang, "check の format は json だけです", "a check's format is json only"));
        return;
    }
    loaded l = {0};
    if (!read_case(ctx, req, lang, true, resp, &l))
        return;
    kofu_node *claims = NULL;
    kofu_status st = kofu_result_check_claims(l.r, l.c, &claims);
    if (st != KOFU_OK) {
        answer_status(ctx, resp, st, NULL, false, lang);
        loaded_free(&l);
        return;
    }
    size_t mismatched = 0;
    for (size_t i = 0; i < kofu_node_size(claims); i++) {
        const kofu_node *diff = kofu_node_get(kofu_node_at(claims, i), "difference");
        if (!diff || kofu_node_int(diff) != 0)
            mismatched++;
    }
    api_json_begin(resp, 200);
    kofu_buf *b = &resp->body;
    kofu_buf_puts(b, "{\"format\":\"kofu-check/1\",\"case\":");
    kofu_json_string(b, kofu_case_id(l.c));
    kofu_buf_puts(b, ",\"claims\":");
    kofu_json_append(b, claims);
    kofu_buf_puts(b, ",\"count\":");
    kofu_buf_put_int(b, (int64_t)kofu_node_size(claims));
    kofu_buf_puts(b, ",\"mismatched\":");
    kofu_buf_put_int(b, (int64_t)mismatched);
    kofu_buf_puts(b, ",\"result\":");
    put_result(ctx, b, l.r);
    api_put_meta(ctx, b);
    kofu_node_free(&claims);
    loaded_free(&l);
}

/* ---- POST /api/v1/sweep ---------------------------------------------------------- */

#define MAX_VARY 2
#define MAX_COLUMNS 16
/* longest section.key or measure.amount name, and range text, taken */
#define FIELD_MAX_KEY 128
#define FIELD_MAX_RANGE 100

typedef struct sweep_req {
    const char *key[MAX_VARY], *range[MAX_VARY];
    char **values[MAX_VARY];
    size_t n_values[MAX_VARY];
    int n_vars;
    char *columns[MAX_COLUMNS];
    int n_columns;
    vary_plan plans[MAX_VARY]; /* what follows each key, as `kofu sweep` */
} sweep_req;

static void sweep_req_free(sweep_req *s)
{
    for (int v = 0; v < MAX_VARY; v++)
        kofu_range_free(&s->values[v], s->n_values[v]);
    for (int k = 0; k < s->n_columns; k++)
        free(s->columns[k]);
    /* a plan is zeroed until made, and a failed vary_plan_make may leave
     * part of one: freeing every plan covers both */
    for (int v = 0; v < MAX_VARY; v++)
        vary_plan_free(&s->plans[v]);
}

/* What follows each key (vary.h), made on the case as loaded. */
static bool make_plans(const api_ctx *ctx, sweep_req *s, const kofu_case *c, kofu_lang lang,
                       api_response *resp)
{
    for (int v = 0; v < s->n_vars; v++) {
        char *err = NULL;
        if (!vary_plan_make(&s->plans[v], c, s->key[v], NULL, lang, &err)) {
            if (err)
                api_error(ctx, resp, 422, "invalid_request", lang, err);
            else
                api_error(ctx, resp, 500, "internal", lang, kofu_status_message(KOFU_ENOMEM, lang));
            free(err);
            return false;
        }
        for (size_t i = 0; s->plans[v].kind == VARY_WORKERS_SECTIONS && i < s->n_values[v]; i++) {
            char *end = NULL;
            long n = strtol(s->values[v][i], &end, 10);
            if (*end || n < 0 || n > VARY_MAX_WORKERS) {
                char msg[300];
                snprintf(msg, sizeof msg,
                         TR(lang, "cooperative.workers: 職員ごとのセクションで書いたケースでは 0〜%d の人数で変えます: %.40s",
                            "cooperative.workers: a case with per-worker sections varies by a head count of 0 to %d: %.40s"),
                         VARY_MAX_WORKERS, s->values[v][i]);
                api_error(ctx, resp, 422, "invalid_request", lang, msg);
                return false;
            }
        }
    }
    return true;
}

static bool bad(const api_ctx *ctx, api_response *resp, kofu_lang lang, const char *ja, const char *en)
{
    api_error(ctx, resp, 400, "bad_request", lang, TR(lang, ja, en));
    return false;
}

static bool parse_vary(const api_ctx *ctx, const cJSON *vary, sweep_req *s, kofu_lang lang,
                       api_response *resp)
{
    const cJSON *one = cJSON_IsObject(vary) ? vary : NULL;
    int n = one ? 1 : cJSON_IsArray(vary) ? cJSON_GetArraySize(vary) : 0;
    if (n < 1 || n > MAX_VARY)
        return bad(ctx, resp, lang, "vary は {\"key\", \"range\"} か、その1〜2個の配列です",
                   "vary is {\"key\", \"range\"} or an array of one or two of them");
    for (int v = 0; v < n; v++) {
        const cJSON *it = one ? one : cJSON_GetArrayItem(vary, v);
        const cJSON *key = cJSON_GetObjectItemCaseSensitive(it, "key");
        const cJSON *range = cJSON_GetObjectItemCaseSensitive(it, "range");
        if (!cJSON_IsString(key) || !cJSON_IsString(range) || cJSON_GetArraySize(it) != 2)
            return bad(ctx, resp, lang, "vary の各項目は {\"key\": \"section.key\", \"range\": \"FROM:TO:STEP\"} です",
                       "each vary item is {\"key\": \"section.key\", \"range\": \"FROM:TO:STEP\"}");
        /* both are repeated in the answer: a section.key name, and a range
         * of numbers with their units (千円, %) */
        char field[32];
        snprintf(field, sizeof field, "vary[%d].key", v);
        if (!field_check(ctx, resp, lang, field, key->valuestring, FIELD_NAME, FIELD_MAX_KEY))
            return false;
        snprintf(field, sizeof field, "vary[%d].range", v);
        if (!field_check(ctx, resp, lang, field, range->valuestring, FIELD_TEXT, FIELD_MAX_RANGE))
            return false;
        s->key[v] = key->valuestring;
        s->range[v] = range->valuestring;
    }
    s->n_vars = n;
    return true;
}

static bool measure_present(const kofu_node *root, const char *col)
{
    if (strncmp(col, "totals.", 7) == 0)
        return true;
    const char *dot = strchr(col, '.');
    char m[128];
    snprintf(m, sizeof m, "%.*s", dot ? (int)(dot - col) : 0, col);
    return kofu_node_get(kofu_node_get(root, "measures"), m) != NULL;
}

static bool add_column(sweep_req *s, const char *name)
{
    if (s->n_columns == MAX_COLUMNS)
        return false;
    return (s->columns[s->n_columns++] = strdup(name)) != NULL;
}

/* show, checked against the outputs, or the sweep columns of the measures
 * the case has (as `kofu sweep` chooses). */
static bool choose_columns(const api_ctx *ctx, const cJSON *show, sweep_req *s, const kofu_node *base,
                           kofu_lang lang, api_response *resp)
{
    if (!show) {
        for (size_t i = 0; i < kofu_sweep_column_count(); i++) {
            const char *m, *a;
            kofu_sweep_column_at(i, &m, &a);
            char col[256];
            snprintf(col, sizeof col, "%s.%s", m, a);
            if (measure_present(base, col) && !add_column(s, col))
                break;
        }
        return true;
    }
    if (!cJSON_IsArray(show) || cJSON_GetArraySize(show) < 1 || cJSON_GetArraySize(show) > MAX_COLUMNS)
        return bad(ctx, resp, lang, "show は金額名（measure.amount）の配列です（16個まで）",
                   "show is an array of amounts (measure.amount), at most 16");
    int at = 0;
    for (const cJSON *c = show->child; c; c = c->next, at++) {
        char msg[400], field[32];
        if (!cJSON_IsString(c))
            return bad(ctx, resp, lang, "show は金額名（measure.amount）の配列です（16個まで）",
                       "show is an array of amounts (measure.amount), at most 16");
        snprintf(field, sizeof field, "show[%d]", at);
        if (!field_check(ctx, resp, lang, field, c->valuestring, FIELD_NAME, FIELD_MAX_KEY))
            return false;
        if (!kofu_output_known(c->valuestring) || !measure_present(base, c->valuestring)) {
            snprintf(msg, sizeof msg,
                     TR(lang, "%s: このケースの計算結果の金額ではありません: %s",
                        "%s: not an amount of this case's result: %s"),
                     field, c->valuestring);
            api_error(ctx, resp, 422, "invalid_request", lang, msg);
            return false;
        }
        if (!add_column(s, c->valuestring)) {
            api_error(ctx, resp, 500, "internal", lang, kofu_status_message(KOFU_ENOMEM, lang));
            return false;
        }
    }
    return true;
}

static bool expand_ranges(const api_ctx *ctx, sweep_req *s, kofu_lang lang, api_response *resp)
{
    size_t total = 1;
    for (int v = 0; v < s->n_vars; v++) {
        kofu_diag *d = NULL;
        kofu_status st = kofu_diag_new(lang, &d);
        if (st == KOFU_OK)
            st = kofu_range_expand(s->range[v], d, &s->values[v], &s->n_values[v]);
        if (st != KOFU_OK) {
            answer_status(ctx, resp, st, d, false, lang);
            kofu_diag_free(&d);
            return false;
        }
        kofu_diag_free(&d);
        total *= s->n_values[v];
    }
    if (total > API_MAX_SWEEP_POINTS) {
        char msg[200];
        snprintf(msg, sizeof msg,
                 TR(lang, "点が多すぎます（%zu 点、%d 点まで）", "too many points (%zu, at most %d)"), total,
                 API_MAX_SWEEP_POINTS);
        api_error(ctx, resp, 422, "invalid_request", lang, msg);
        return false;
    }
    return true;
}

/* What a column's values are, for a chart's axes: an hourly fee, other
 * amounts in yen, or a number (a ratio, worker-years). A column the base
 * case cannot determine (absent) is taken for an amount. */
static const char *column_unit(const char *col, const kofu_node *n)
{
    size_t len = strlen(col);
    if (len > 10 && strcmp(col + len - 10, "hourly_fee") == 0)
        return "yen_per_hour";
    return !n || kofu_node_type(n) == KOFU_NODE_INT ? "yen" : "number";
}

static const kofu_node *cell_of(const kofu_node *root, const char *col)
{
    char path[300];
    snprintf(path, sizeof path, strncmp(col, "totals.", 7) == 0 ? "%s" : "measures.%s", col);
    return kofu_node_get(root, path);
}

/* The point's messages joined with "; " (malloc'd, "" when out of memory). */
static char *diag_joined(const kofu_diag *d)
{
    kofu_buf t = {0};
    for (size_t i = 0; i < kofu_diag_count(d); i++) {
        char *line = kofu_diag_format(d, i);
        if (i)
            kofu_buf_puts(&t, "; ");
        kofu_buf_puts(&t, line ? line : "");
        free(line);
    }
    char *all = t.data && !t.failed ? strdup(t.data) : NULL;
    kofu_buf_free(&t);
    return all ? all : calloc(1, 1);
}

/* One point: the values set as the case file would hold them, evaluated
 * without a trace. KOFU_OK with *r the result, or with *error the point's
 * messages (an invalid point is a row, not a failure of the request). */
static kofu_status sweep_eval(const api_ctx *ctx, const sweep_req *s, kofu_case *c,
                              const char *const *vals, kofu_lang lang, kofu_result **r, char **error)
{
    kofu_diag *d = NULL;
    kofu_status st = kofu_diag_new(lang, &d);
    if (st != KOFU_OK)
        return st;
    kofu_case *at = c;
    bool owned = false;
    st = vary_apply(s->plans, (size_t)s->n_vars, c, vals, d, &at, &owned);
    kofu_eval_options opt = {.lang = lang, .no_trace = true};
    if (st == KOFU_OK)
        st = kofu_evaluate(ctx->rules, at, &opt, d, r);
    if (owned)
        kofu_case_free(&at);
    if (st == KOFU_ECASE || st == KOFU_EUSAGE) {
        *error = diag_joined(d);
        st = *error ? KOFU_OK : KOFU_ENOMEM;
    }
    kofu_diag_free(&d);
    return st;
}

/* A row of cells as JSON, or the point's error. */
static kofu_status sweep_point(const api_ctx *ctx, const sweep_req *s, kofu_case *c, const size_t *idx,
                               kofu_lang lang, kofu_buf *b)
{
    const char *vals[MAX_VARY];
    for (int v = 0; v < s->n_vars; v++)
        vals[v] = s->values[v][idx[v]];
    kofu_result *r = NULL;
    char *error = NULL;
    kofu_status st = sweep_eval(ctx, s, c, vals, lang, &r, &error);
    kofu_buf_puts(b, "{\"vary\":{");
    for (int v = 0; v < s->n_vars; v++) {
        if (v)
            kofu_buf_putc(b, ',');
        kofu_json_string(b, s->key[v]);
        kofu_buf_putc(b, ':');
        kofu_json_string(b, vals[v]);
    }
    kofu_buf_putc(b, '}');
    if (st == KOFU_OK && !error) {
        const kofu_node *root = kofu_result_root(r);
        for (int k = 0; k < s->n_columns; k++) {
            kofu_buf_putc(b, ',');
            kofu_json_string(b, s->columns[k]);
            kofu_buf_putc(b, ':');
            const kofu_node *n = cell_of(root, s->columns[k]);
            if (n)
                kofu_json_append(b, n);
            else
                kofu_buf_puts(b, "null");
        }
        kofu_buf_puts(b, ",\"warnings\":[");
        const kofu_node *ws = kofu_node_get(root, "warnings");
        for (size_t i = 0; i < kofu_node_size(ws); i++) {
            if (i)
                kofu_buf_putc(b, ',');
            kofu_json_string(b, kofu_node_str(kofu_node_get(kofu_node_at(ws, i), "code")));
        }
        kofu_buf_putc(b, ']');
    } else if (st == KOFU_OK) {
        kofu_buf_puts(b, ",\"error\":");
        kofu_json_string(b, error);
    }
    kofu_buf_putc(b, '}');
    free(error);
    kofu_result_free(&r);
    return st;
}

/* ?format=csv: the rows through the CSV renderer of `kofu sweep --format csv`. */
static void sweep_csv(const api_ctx *ctx, const api_request *req, const sweep_req *s, kofu_case *c,
                      kofu_lang lang, api_response *resp)
{
    kofu_csv_options o;
    if (!api_csv_options(ctx, req, lang, &o, resp))
        return;
    const char *keys[MAX_VARY];
    for (int v = 0; v < s->n_vars; v++)
        keys[v] = s->key[v];
    kofu_csv_sweep spec = {(size_t)s->n_vars, keys, (size_t)s->n_columns,
                           (const char *const *)s->columns};
    kofu_diag *d = NULL;
    kofu_buf b = {0};
    kofu_status st = kofu_diag_new(lang, &d);
    if (st == KOFU_OK)
        st = kofu_csv_sweep_begin(&o, &spec, &b, d);
    size_t n1 = s->n_vars == 2 ? s->n_values[1] : 1;
    for (size_t i = 0; st == KOFU_OK && i < s->n_values[0]; i++)
        for (size_t k = 0; st == KOFU_OK && k < n1; k++) {
            const char *vals[MAX_VARY] = {s->values[0][i], s->n_vars == 2 ? s->values[1][k] : NULL};
            kofu_result *r = NULL;
            char *error = NULL;
            st = sweep_eval(ctx, s, c, vals, lang, &r, &error);
            if (st == KOFU_OK)
                st = kofu_csv_sweep_point(&o, &spec, &b, vals, error ? NULL : r, error, d);
            free(error);
            kofu_result_free(&r);
        }
    api_csv_answer(ctx, resp, st, d, &b, &o, kofu_case_id(c), lang);
    kofu_diag_free(&d);
}

/* ?format=xlsx: every point into the workbook of `kofu sweep --format xlsx`
 * (its 感度分析 sheet and native chart), the same bytes for the same input. */
typedef struct sweep_book {
    const api_ctx *ctx;
    const sweep_req *s;
    kofu_case *c;
    kofu_lang lang;
} sweep_book;

static kofu_status sweep_fill(kofu_xlsx *x, void *arg)
{
    const sweep_book *sb = arg;
    const sweep_req *s = sb->s;
    size_t n1 = s->n_vars == 2 ? s->n_values[1] : 1;
    kofu_status st = KOFU_OK;
    for (size_t i = 0; st == KOFU_OK && i < s->n_values[0]; i++)
        for (size_t k = 0; st == KOFU_OK && k < n1; k++) {
            const char *vals[MAX_VARY] = {s->values[0][i], s->n_vars == 2 ? s->values[1][k] : NULL};
            kofu_result *r = NULL;
            char *error = NULL;
            st = sweep_eval(sb->ctx, s, sb->c, vals, sb->lang, &r, &error);
            if (st == KOFU_OK)
                st = kofu_xlsx_add_sweep_point(x, (size_t)s->n_vars, s->key, vals, error ? NULL : r,
                                               error);
            free(error);
            kofu_result_free(&r);
        }
    return st;
}

static void put_sweep_head(const sweep_req *s, const kofu_case *c, const kofu_node *base,
                           kofu_lang lang, kofu_buf *b)
{
    kofu_buf_puts(b, "{\"format\":\"kofu-sweep/1\",\"case\":");
    kofu_json_string(b, kofu_case_id(c));
    kofu_buf_puts(b, ",\"fiscal_year\":");
    kofu_buf_put_int(b, kofu_case_fiscal_year(c));
    kofu_buf_puts(b, ",\"vary\":[");
    for (int v = 0; v < s->n_vars; v++) {
        kofu_buf_puts(b, v ? ",{\"key\":" : "{\"key\":");
        kofu_json_string(b, s->key[v]);
        kofu_buf_puts(b, ",\"label\":");
        const char *label = kofu_label(s->key[v], lang);
        kofu_json_string(b, label ? label : s->key[v]);
        kofu_buf_puts(b, ",\"range\":");
        kofu_json_string(b, s->range[v]);
        kofu_buf_puts(b, "}");
    }
    kofu_buf_puts(b, "],\"follows\":[");
    for (int v = 0, n = 0; v < s->n_vars; v++)
        if (s->plans[v].note) {
            if (n++)
                kofu_buf_putc(b, ',');
            kofu_json_string(b, s->plans[v].note);
        }
    kofu_buf_puts(b, "],\"columns\":[");
    /* the headings of the CLI's table and CSV: measure-qualified where two
     * would read the same */
    char *headings[MAX_COLUMNS] = {0};
    kofu_amount_headings((const char *const *)s->columns, (size_t)s->n_columns, lang, headings);
    for (int k = 0; k < s->n_columns; k++) {
        kofu_buf_puts(b, k ? ",{\"name\":" : "{\"name\":");
        kofu_json_string(b, s->columns[k]);
        kofu_buf_puts(b, ",\"label\":");
        kofu_json_string(b, headings[k] ? headings[k] : s->columns[k]);
        free(headings[k]);
        kofu_buf_puts(b, ",\"unit\":");
        kofu_json_string(b, column_unit(s->columns[k], cell_of(base, s->columns[k])));
        kofu_buf_putc(b, '}');
    }
    kofu_buf_puts(b, "],\"rows\":[");
}

void api_sweep(const api_ctx *ctx, const api_request *req, kofu_lang lang, api_response *resp)
{
    if (req->format && strcmp(req->format, "json") != 0 && strcmp(req->format, "csv") != 0 &&
        strcmp(req->format, "xlsx") != 0) {
        api_error(ctx, resp, 400, "bad_request", lang,
                  TR(lang, "sweep の format は json、csv、xlsx のどれかです",
                     "a sweep's format is json, csv or xlsx"));
        return;
    }
    if (kind_of(req->content_type) != BODY_JSON) {
        api_error(ctx, resp, 415, "unsupported_media_type", lang,
                  TR(lang, "本文は JSON（application/json）です", "the body is JSON (application/json)"));
        return;
    }
    cJSON *j = parse_json(ctx, req, lang, resp);
    if (!j)
        return;
    sweep_req s = {0};
    loaded l = {0};
    const cJSON *cs = cJSON_GetObjectItemCaseSensitive(j, "case");
    const cJSON *vary = cJSON_GetObjectItemCaseSensitive(j, "vary");
    const cJSON *show = cJSON_GetObjectItemCaseSensitive(j, "show");
    bool ok = true;
    for (const cJSON *m = cJSON_IsObject(j) ? j->child : NULL; m && ok; m = m->next)
        if (!m->string || (strcmp(m->string, "case") != 0 && strcmp(m->string, "vary") != 0 &&
                           strcmp(m->string, "show") != 0))
            ok = bad(ctx, resp, lang, "sweep の本文は case、vary、show だけを持つオブジェクトです",
                     "a sweep body is an object with case, vary and show only");
    if (ok && !cJSON_IsString(cs) && !cJSON_IsObject(cs))
        ok = bad(ctx, resp, lang, "case はケースファイルの文字列か、ケースの JSON オブジェクトです",
                 "case is the text of a case file or a JSON case object");
    ok = ok && parse_vary(ctx, vary, &s, lang, resp) && expand_ranges(ctx, &s, lang, resp);
    if (ok && cJSON_IsString(cs))
        ok = load_and_evaluate(ctx, cs->valuestring, strlen(cs->valuestring), NULL, req->name, lang,
                               false, resp, &l);
    else if (ok)
        ok = load_and_evaluate(ctx, NULL, 0, cs, req->name, lang, false, resp, &l);
    ok = ok && make_plans(ctx, &s, l.c, lang, resp) &&
         choose_columns(ctx, show, &s, kofu_result_root(l.r), lang, resp);
    if (ok && req->format && strcmp(req->format, "csv") == 0) {
        sweep_csv(ctx, req, &s, l.c, lang, resp);
    } else if (ok && req->format && strcmp(req->format, "xlsx") == 0) {
        sweep_book sb = {ctx, &s, l.c, lang};
        api_download_workbook(ctx, lang, kofu_case_id(l.c), sweep_fill, &sb, resp);
    } else if (ok) {
        api_json_begin(resp, 200);
        kofu_buf *b = &resp->body;
        put_sweep_head(&s, l.c, kofu_result_root(l.r), lang, b);
        size_t n1 = s.n_vars == 2 ? s.n_values[1] : 1, idx[MAX_VARY] = {0};
        for (size_t i = 0; ok && i < s.n_values[0]; i++)
            for (size_t k = 0; ok && k < n1; k++) {
                idx[0] = i, idx[1] = k;
                if (i || k)
                    kofu_buf_putc(b, ',');
                kofu_status st = sweep_point(ctx, &s, l.c, idx, lang, b);
                if (st != KOFU_OK) {
                    answer_status(ctx, resp, st, NULL, false, lang);
                    ok = false;
                }
            }
        if (ok) {
            kofu_buf_putc(b, ']');
            api_put_meta(ctx, b);
        }
    }
    loaded_free(&l);
    sweep_req_free(&s);
    cJSON_Delete(j);
}
