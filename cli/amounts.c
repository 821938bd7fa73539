/* amounts.c — naming the amounts of a result (amounts.h). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amounts.h"

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

bool amount_is_percent(const char *name)
{
    const char *dot = strrchr(name, '.');
    const char *last = dot ? dot + 1 : name;
    return strcmp(last, "utilization") == 0 || strcmp(last, "rate") == 0;
}

void amount_headings(const char *const *names, size_t n, kofu_lang lang, char **headings)
{
    /* compare the plain labels: every heading reading like another gets its
     * measure's label */
    const char **plain = calloc(n ? n : 1, sizeof *plain);
    for (size_t i = 0; plain && i < n; i++) {
        const char *l = kofu_label(names[i], lang);
        plain[i] = l ? l : names[i];
    }
    for (size_t i = 0; i < n; i++) {
        bool same = false;
        for (size_t j = 0; plain && j < n && !same; j++)
            same = j != i && strcmp(plain[i], plain[j]) == 0 && strcmp(names[i], names[j]) != 0;
        const char *label = plain ? plain[i] : names[i];
        char measure[128];
        const char *dot = strchr(names[i], '.');
        snprintf(measure, sizeof measure, "%.*s", dot ? (int)(dot - names[i]) : 0, names[i]);
        const char *ml = strcmp(measure, "totals") == 0 ? NULL : kofu_label(measure, lang);
        if (!same || !ml || asprintf(&headings[i], lang == KOFU_LANG_EN ? "%s (%s)" : "%s（%s）", label, ml) < 0)
            headings[i] = strdup(label);
    }
    free(plain);
}
