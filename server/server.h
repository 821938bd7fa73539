/* server.h — the local web server of `kofu serve`: the page and the JSON API
 * on libmicrohttpd. */
#ifndef KOFU_SERVER_SERVER_H
#define KOFU_SERVER_SERVER_H

#include <stdbool.h>

#include "kofu/kofu.h"

/* Seconds a connection may stay silent (between requests, or within one:
 * headers or a body that stop coming) before it is closed. */
#define SERVER_IDLE_TIMEOUT 30u

typedef struct server_options {
    const char *listen;     /* an IPv4 or IPv6 literal; NULL: 127.0.0.1      */
    unsigned port;          /* 0: any free port (the URL printed says which) */
    unsigned threads;       /* worker threads; 0: 2                          */
    unsigned idle_timeout;  /* seconds; 0: SERVER_IDLE_TIMEOUT               */
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

/* address.c. Writes the canonical form of text (an IPv4 literal, or an IPv6
 * literal, bare or in brackets as in a URL: "[::1]" gives "::1") into canon
 * (cap ≥ 46); false when text is no IP address. */
bool server_parse_address(const char *text, char *canon, size_t cap);
/* true when addr (canonical) is a wildcard: 0.0.0.0, :: or ::ffff:0.0.0.0.
 * The server refuses those: the names a browser would use for the machine
 * are not known, so the Host check could not work. */
bool server_is_wildcard(const char *addr);
/* true when addr is a loopback address (127.0.0.0/8 or ::1). */
bool server_is_loopback(const char *addr);

#endif
