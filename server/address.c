/* address.c — what --listen may name: an IPv4 or IPv6 literal (the latter
 * also in brackets, as in a URL), written back in its one canonical form, so
 * that the URL printed and the Host header checked are those a browser
 * sends. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "server.h"

bool server_parse_address(const char *text, char *canon, size_t cap)
{
    char bare[INET6_ADDRSTRLEN + 1];
    size_t n = strlen(text);
    /* "[::1]" as in a URL: the brackets are not part of the address */
    if (n >= 2 && text[0] == '[' && text[n - 1] == ']') {
        if (n - 2 >= sizeof bare)
            return false;
        memcpy(bare, text + 1, n - 2);
        bare[n - 2] = '\0';
        struct in6_addr a6;
        return inet_pton(AF_INET6, bare, &a6) == 1 && inet_ntop(AF_INET6, &a6, canon, (socklen_t)cap);
    }
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, text, &a4) == 1)
        return inet_ntop(AF_INET, &a4, canon, (socklen_t)cap) != NULL;
    return inet_pton(AF_INET6, text, &a6) == 1 && inet_ntop(AF_INET6, &a6, canon, (socklen_t)cap);
}

bool server_is_wildcard(const char *addr)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, addr, &a4) == 1)
        return a4.s_addr == htonl(INADDR_ANY);
    if (inet_pton(AF_INET6, addr, &a6) != 1)
        return false;
    if (IN6_IS_ADDR_UNSPECIFIED(&a6))
        return true;
    /* ::ffff:0.0.0.0, the IPv4 wildcard written as IPv6 */
    static const unsigned char v4_any[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0};
    return memcmp(&a6, v4_any, 16) == 0;
}

bool server_is_loopback(const char *addr)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, addr, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    return inet_pton(AF_INET6, addr, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
}
