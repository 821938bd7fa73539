/* http.c — libmicrohttpd glue: the daemon and its limits, the Host and
 * Origin checks before any body is read, the body collected up to its limit,
 * and the headers every answer carries. What to answer is api.c's. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api.h"
#include "guard.h"
#include "mhd_dl.h" /* libmicrohttpd through its table, opened at start */
#include "server.h"

#define TR(lang, ja, en) ((lang) == KOFU_LANG_EN ? (en) : (ja))

/* Only the page's own files: no inline script or style, no other origin,
 * no framing, no form posting elsewhere. */
#define CSP                                                                                   \
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "         \
    "connect-src 'self'; font-src 'self'; form-action 'none'; frame-ancestors 'none'; "       \
    "base-uri 'none'"

struct server {
    struct MHD_Daemon *daemon;
    api_ctx *api;
    guard guard;
    unsigned port;
};

/* One request in progress: its body, and an answer decided before the body
 * was read (refused Host, Origin or size). */
typedef struct request {
    char *body;
    size_t len, cap;
    bool too_large;
    bool refused;
} request;

static void add_headers(const server *s, struct MHD_Response *r, const api_response *a)
{
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, a->content_type);
    MHD_add_response_header(r, "Content-Security-Policy", CSP);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Kofu-Version", api_version(s->api));
    const char *digest = api_rules_digest(s->api);
    if (digest)
        MHD_add_response_header(r, "X-Kofu-Rules-Digest", digest);
    if (a->allow)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, a->allow);
    if (a->disposition[0])
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION, a->disposition);
}

static enum MHD_Result send_answer(const server *s, struct MHD_Connection *conn, api_response *a)
{
    struct MHD_Response *r;
    if (a->fixed) {
        r = MHD_create_response_from_buffer(a->fixed_len, (void *)a->fixed, MHD_RESPMEM_PERSISTENT);
    } else {
        if (a->body.failed || !a->body.data) {
            api_response_free(a);
            api_error(s->api, a, 500, "internal", KOFU_LANG_EN, "out of memory");
        }
        r = MHD_create_response_from_buffer_with_free_callback(a->body.len, a->body.data, free);
        if (r)
            a->body = (kofu_buf){0}; /* MHD frees it */
    }
    if (!r) {
        api_response_free(a);
        return MHD_NO;
    }
    add_headers(s, r, a);
    enum MHD_Result ret = MHD_queue_response(conn, a->status, r);
    MHD_destroy_response(r);
    api_response_free(a);
    return ret;
}

static const char *header(struct MHD_Connection *conn, const char *name)
{
    return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

static const char *query(struct MHD_Connection *conn, const char *name)
{
    return MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, name);
}

/* Checks done on the headers alone, before any body: a refused request never
 * has its body read. */
static bool refuse_early(const server *s, struct MHD_Connection *conn, kofu_lang lang,
                         api_response *a)
{
    if (!guard_host_ok(&s->guard, header(conn, MHD_HTTP_HEADER_HOST))) {
        api_error(s->api, a, 403, "forbidden_host", lang,
                  TR(lang, "Host ヘッダーがこのサーバーの名前ではありません（DNS リバインディング対策）",
                     "the Host header does not name this server (DNS rebinding protection)"));
        return true;
    }
    if (!guard_origin_ok(&s->guard, header(conn, "Origin"))) {
        api_error(s->api, a, 403, "forbidden_origin", lang,
                  TR(lang, "ほかのサイトのページからの要求には答えません（Origin の検査）",
                     "requests from another site's page are refused (Origin check)"));
        return true;
    }
    const char *cl = header(conn, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl && strtoull(cl, NULL, 10) > API_MAX_BODY) {
        api_error(s->api, a, 413, "payload_too_large", lang,
                  TR(lang, "本文が大きすぎます（1 MiB まで）", "the body is too large (at most 1 MiB)"));
        return true;
    }
    return false;
}

static bool append_body(request *rq, const char *data, size_t n)
{
    if (rq->too_large || rq->len + n > API_MAX_BODY) {
        rq->too_large = true;
        return true;
    }
    if (rq->len + n > rq->cap) {
        size_t cap = rq->cap ? rq->cap : 4096;
        while (cap < rq->len + n)
            cap *= 2;
        char *p = realloc(rq->body, cap);
        if (!p)
            return false;
        rq->body = p;
        rq->cap = cap;
    }
    memcpy(rq->body + rq->len, data, n);
    rq->len += n;
    return true;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    server *s = cls;
    request *rq = *con_cls;
    kofu_lang lang = api_lang(query(conn, "lang"), header(conn, MHD_HTTP_HEADER_ACCEPT_LANGUAGE));
    if (!rq) {
        rq = calloc(1, sizeof *rq);
        if (!rq)
            return MHD_NO;
        *con_cls = rq;
        api_response a = {0};
        if (refuse_early(s, conn, lang, &a)) {
            rq->refused = true;
            return send_answer(s, conn, &a);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (!rq->refused && !append_body(rq, upload, *upload_size))
            return MHD_NO;
        *upload_size = 0;
        return MHD_YES;
    }
    if (rq->refused)
        return MHD_YES;
    api_response a = {0};
    if (rq->too_large) {
        api_error(s->api, &a, 413, "payload_too_large", lang,
                  TR(lang, "本文が大きすぎます（1 MiB まで）", "the body is too large (at most 1 MiB)"));
        return send_answer(s, conn, &a);
    }
    api_request req = {
        .method = method,
        .path = url,
        .content_type = header(conn, MHD_HTTP_HEADER_CONTENT_TYPE),
        .accept_language = header(conn, MHD_HTTP_HEADER_ACCEPT_LANGUAGE),
        .lang = query(conn, "lang"),
        .name = query(conn, "name"),
        .fy = query(conn, "fy"),
        .format = query(conn, "format"),
        .csv_header = query(conn, "header"),
        .csv_rows = query(conn, "rows"),
        .csv_encoding = query(conn, "encoding"),
        .body = rq->body ? rq->body : "",
        .body_len = rq->len,
    };
    api_handle(s->api, &req, &a);
    return send_answer(s, conn, &a);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    request *rq = *con_cls;
    if (rq) {
        free(rq->body);
        free(rq);
        *con_cls = NULL;
    }
}

/* MHD's own messages (a failed accept, a malformed request) go nowhere: the
 * server answers them with a status, and its stderr is the user's terminal. */
static void quiet_log(void *cls, const char *fmt, va_list ap) {}

static bool make_addr(const char *listen, unsigned port, struct sockaddr_storage *ss, bool *v6)
{
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, listen, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)port);
        *v6 = false;
        return true;
    }
    if (inet_pton(AF_INET6, listen, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        *v6 = true;
        return true;
    }
    return false;
}

static int bind_socket(const struct sockaddr_storage *ss, bool v6)
{
    int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (v6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    socklen_t len = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    if (bind(fd, (const struct sockaddr *)ss, len) != 0 || listen(fd, 256) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static unsigned port_of(int fd, bool v6)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
        return 0;
    return ntohs(v6 ? ((struct sockaddr_in6 *)&ss)->sin6_port : ((struct sockaddr_in *)&ss)->sin_port);
}

server *server_start(const server_options *opt, const kofu_rules *rules, kofu_lang lang,
                     char *err, size_t cap)
{
    if (!mhd_dl_load(lang, err, cap))
        return NULL;
    const char *listen = opt->listen ? opt->listen : "127.0.0.1";
    struct sockaddr_storage ss;
    bool v6 = false;
    if (!make_addr(listen, opt->port, &ss, &v6)) {
        snprintf(err, cap, TR(lang, "--listen: IP アドレスではありません: %s", "--listen: not an IP address: %s"),
                 listen);
        return NULL;
    }
    server *s = calloc(1, sizeof *s);
    if (!s || !(s->api = api_new(rules))) {
        snprintf(err, cap, "%s", kofu_status_message(KOFU_ENOMEM, lang));
        free(s);
        return NULL;
    }
    /* bound here, so the port (chosen by the system for port 0) is known to
     * the Host check before the first request can arrive */
    int fd = bind_socket(&ss, v6);
    if (fd < 0) {
        snprintf(err, cap,
                 TR(lang, "%s のポート %u で待ち受けられません（使用中か、権限がありません）",
                    "cannot listen on %s port %u (in use, or not permitted)"),
                 listen, opt->port);
        api_free(&s->api);
        free(s);
        return NULL;
    }
    s->port = port_of(fd, v6);
    guard_init(&s->guard, listen, s->port);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
                     MHD_USE_TURBO | (v6 ? MHD_USE_IPv6 : 0);
    s->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_LISTEN_SOCKET, fd,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(opt->threads ? opt->threads : 2),
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)256, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned)128, MHD_OPTION_CONNECTION_TIMEOUT, opt->idle_timeout ? opt->idle_timeout : SERVER_IDLE_TIMEOUT,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, s, MHD_OPTION_EXTERNAL_LOGGER, quiet_log, NULL, MHD_OPTION_END);
    if (!s->daemon) {
        close(fd);
        snprintf(err, cap, TR(lang, "サーバーを起動できません", "cannot start the server"));
        api_free(&s->api);
        free(s);
        return NULL;
    }
    return s;
}

unsigned server_port(const server *s) { return s->port; }

void server_stop(server **ps)
{
    if (!ps || !*ps)
        return;
    MHD_stop_daemon((*ps)->daemon);
    api_free(&(*ps)->api);
    free(*ps);
    *ps = NULL;
}
