/* amounts.c — naming the amounts of a result (amounts.h). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amounts.h"
#include "cli.h"

const kofu_node *amount_get(const kofu_node *root, const char *name, bool *top_level)
{
    char path[300];
    snprintf(path, sizeof path, "measures.%s", name);
    const kofu_node *n = strncmp(name, "totals.", 7) == 0 ? NULL : kofu_node_get(root, path);
    bool top = n == NULL;
    if (!n && strncmp(name, "measures.", 9) != 0 && strncmp(name, "meta.", 5) != 0)
        n = kofu_node_get(root, name);
    if (n && kofu_node_type(n) != KOFU_NODE_INT && kofu_node_type(n) != KOFU_NODE_DECIMAL)
        n = NULL;
    if (top_level)
        *top_level = top;
    return n;
}

static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 100 || lb > 100)
        return (size_t)-1;
    size_t row[101];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            best = up + 1 < best ? up + 1 : best;
            best = row[j - 1] + 1 < best ? row[j - 1] + 1 : best;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* Tries prefix.key for every number of object obj. */
static void consider(const kofu_node *obj, const char *prefix, const char *name, size_t *best,
                     char *buf, size_t cap)
{
    for (size_t i = 0; i < kofu_node_size(obj); i++) {
        const kofu_node *v = kofu_node_at(obj, i);
        if (kofu_node_type(v) != KOFU_NODE_INT && kofu_node_type(v) != KOFU_NODE_DECIMAL)
            continue;
        char cand[300];
        snprintf(cand, sizeof cand, "%s.%s", prefix, kofu_node_key_at(obj, i));
        size_t d = distance(name, cand);
        if (d < *best) {
            *best = d;
            snprintf(buf, cap, "%s", cand);
        }
    }
}

const char *amount_suggest(const kofu_node *root, const char *name, char *buf, size_t cap)
{
    size_t best = strlen(name) / 3 + 1;
    buf[0] = '\0';
    for (size_t i = 0; i < kofu_node_size(root); i++) {
        const char *k = kofu_node_key_at(root, i);
        const kofu_node *v = kofu_node_at(root, i);
        if (strcmp(k, "measures") == 0) {
            for (size_t m = 0; m < kofu_node_size(v); m++)
                consider(kofu_node_at(v, m), kofu_node_key_at(v, m), name, &best, buf, cap);
        } else if (kofu_node_type(v) == KOFU_NODE_OBJECT && strcmp(k, "meta") != 0) {
            consider(v, k, name, &best, buf, cap);
        }
    }
    return buf[0] ? buf : NULL;
}

/* An exact ratio ("0.78125", "625/816") as a percentage with at most two
 * decimals, the rest cut with "…" ("78.12…%"); exact values stay in JSON and
 * CSV. */
const char *amount_percent_text(const char *exact, char *buf, size_t cap)
{
    long long num = 0, den = 1, scale = 1;
    const char *p = exact;
    for (; *p >= '0' && *p <= '9' && num < 100000000000LL; p++)
        num = num * 10 + (*p - '0');
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9' && scale < 100000000000LL; p++, scale *= 10)
            num = num * 10 + (*p - '0');
    else if (*p == '/')
        den = strtoll(p + 1, (char **)&p, 10);
    if (*p || den <= 0) {
        snprintf(buf, cap, "%s", exact);
        return buf;
    }
    den *= scale;
    /* 10,000 × num / den = percent with two decimals */
    __int128 x = (__int128)num * 10000;
    long long q = (long long)(x / den);
    bool cut = x % den != 0;
    long long whole = q / 100, frac = q % 100;
    if (frac == 0 && !cut)
        snprintf(buf, cap, "%lld%%", whole);
    else if (frac % 10 == 0 && !cut)
        snprintf(buf, cap, "%lld.%lld%%", whole, frac / 10);
    else
        snprintf(buf, cap, "%lld.%02lld%s%%", whole, frac, cut ? "…" : "");
    return buf;
}

/* A plain decimal with thousands separators ("5,138.25"); other text
 * (a fraction "7/12") as it is. */
const char *amount_decimal_text(const char *exact, char *buf, size_t cap)
{
    size_t whole = strspn(exact, "0123456789");
    if (whole == 0 || whole > 18 || (exact[whole] && (exact[whole] != '.' || strchr(exact, '/'))))
        return exact;
    char digits[20];
    memcpy(digits, exact, whole);
    digits[whole] = '\0';
    char grouped[32];
    render_grouped(strtoll(digits, NULL, 10), grouped, sizeof grouped);
    snprintf(buf, cap, "%s%s", grouped, exact + whole);
    return buf;
}

bool amount_is_percent(const char *name)
{
    const char *dot = strrchr(name, '.');
    const char *last = dot ? dot + 1 : name;
    return strcmp(last, "utilization") == 0 || strcmp(last, "rate") == 0;
}
