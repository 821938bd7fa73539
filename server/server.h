/* server.h — the local web server of `kofu serve`: the page and the JSON API
 * on libmicrohttpd. */
#ifndef KOFU_SERVER_SERVER_H
#define KOFU_SERVER_SERVER_H

#include <stdbool.h>

#include "kofu/kofu.h"

typedef struct server_options {
    const char *listen;  /* an IPv4 or IPv6 literal; NULL: 127.0.0.1      */
    unsigned port;       /* 0: any free port (the URL printed says which) */
    unsigned threads;    /* worker threads; 0: 2                          */
} server_options;

typedef struct server server;

/* Starts answering on opt->listen:opt->port with the rule data `rules`
 * (borrowed: it must outlive the server). On failure returns NULL and
 * writes a message in lang into err (cap bytes). */
server *server_start(const server_options *opt, const kofu_rules *rules, kofu_lang lang,
                     char *err, size_t cap);
/* The port it listens on (the one chosen when opt->port was 0). */
unsigned server_port(const server *s);
/* Stops accepting, finishes the requests under way, frees everything. */
void server_stop(server **s);

/* true when addr is a loopback address (127.0.0.0/8 or ::1). */
bool server_is_loopback(const char *addr);

#endif
