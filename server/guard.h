/* guard.h — which Host and Origin headers the server answers (against DNS
 * rebinding and cross-site requests). */
#ifndef KOFU_SERVER_GUARD_H
#define KOFU_SERVER_GUARD_H

#include <stdbool.h>

#define GUARD_MAX_HOSTS 5

typedef struct guard {
    /* "127.0.0.1:8765", "localhost:8765", "[::1]:8765", and the --listen
     * address with the port */
    char hosts[GUARD_MAX_HOSTS][80];
    int n_hosts;
} guard;

/* The names a browser on this machine (or, with listen, on the network)
 * uses for the server. listen is an IPv4 or IPv6 literal, or NULL. */
void guard_init(guard *g, const char *listen, unsigned port);
/* true when host (the Host header) is one of them, compared without case.
 * A missing Host is refused: HTTP/1.1 requires it. */
bool guard_host_ok(const guard *g, const char *host);
/* true when origin is absent (not a browser's cross-site request: curl,
 * scripts, same-origin GET) or is "http://" + one of the hosts. */
bool guard_origin_ok(const guard *g, const char *origin);

#endif
