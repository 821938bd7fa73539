/* guard.c — the Host and Origin checks. A page on another site can make the
 * browser send requests to 127.0.0.1 (cross-site) or resolve its own name to
 * 127.0.0.1 (DNS rebinding); the first carries a foreign Origin, the second
 * a foreign Host. Only the names of this server are answered. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "guard.h"

static void add(guard *g, const char *name, unsigned port)
{
    if (g->n_hosts == GUARD_MAX_HOSTS)
        return;
    bool v6 = strchr(name, ':') != NULL;
    snprintf(g->hosts[g->n_hosts++], sizeof g->hosts[0], v6 ? "[%s]:%u" : "%s:%u", name, port);
}

void guard_init(guard *g, const char *listen, unsigned port)
{
    memset(g, 0, sizeof *g);
    add(g, "127.0.0.1", port);
    add(g, "localhost", port);
    add(g, "::1", port);
    if (listen && strcmp(listen, "127.0.0.1") != 0 && strcmp(listen, "::1") != 0)
        add(g, listen, port);
}

bool guard_host_ok(const guard *g, const char *host)
{
    if (!host)
        return false;
    for (int i = 0; i < g->n_hosts; i++)
        if (strcasecmp(host, g->hosts[i]) == 0)
            return true;
    return false;
}

bool guard_origin_ok(const guard *g, const char *origin)
{
    if (!origin)
        return true;
    if (strncasecmp(origin, "http://", 7) != 0)
        return false;
    return guard_host_ok(g, origin + 7);
}
