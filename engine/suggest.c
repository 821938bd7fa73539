/* suggest.c — near-miss suggestions (optimal string alignment distance). */
#include "suggest.h"

#include <stdlib.h>
#include <string.h>

#define SUGGEST_MAX_LEN 64

size_t suggest_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN)
        return cap + 1;
    if ((la > lb ? la - lb : lb - la) > cap)
        return cap + 1;
    /* three rows suffice for the transposition case */
    size_t rows[3][SUGGEST_MAX_LEN + 1];
    size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        size_t row_min = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (prev[j - 1] + cost < best)
                best = prev[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < best)
                best = prev2[j - 2] + 1;
            cur[j] = best;
            if (best < row_min)
                row_min = best;
        }
        if (row_min > cap)
            return cap + 1;
        size_t *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    /* the contract is "cap + 1 once it exceeds cap", whichever word is longer */
    return prev[lb] > cap ? cap + 1 : prev[lb];
}

const char *suggest_nearest(const char *word, const char *const *candidates)
{
    size_t cap = strlen(word) >= 9 ? 3 : 2;
    const char *best = NULL;
    size_t best_d = cap + 1;
    for (const char *const *c = candidates; c && *c; c++) {
        size_t d = suggest_distance(word, *c, cap);
        if (d < best_d && d > 0) {
            best = *c;
            best_d = d;
        }
    }
    return best;
}
