/* display.c — exact values written for people (kofu_ratio_display): the
 * renderers show a ratio as a decimal or a percentage and keep the exact
 * fraction for JSON, where a program can still recompute from it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kofu/kofu.h"
#include "num.h"

size_t kofu_ratio_display(const char *exact, bool percent, char *buf, size_t cap)
{
    kofu_num x;
    num_init(&x);
    char *text = NULL;
    if (exact && num_parse_exact(exact, &x) == NUM_PARSE_OK) {
        if (percent) {
            kofu_num hundred;
            num_init(&hundred);
            num_set_int(&hundred, 100);
            num_mul(&x, &x, &hundred);
            num_clear(&hundred);
        }
        text = num_approx(&x, percent ? 2 : 4);
    }
    num_clear(&x);
    int n = snprintf(buf, cap, "%s%s", text ? text : (exact ? exact : ""),
                     text && percent ? "%" : "");
    free(text);
    return n < 0 ? 0 : (size_t)n;
}

size_t kofu_fraction_text(int64_t numer, int64_t denom, char *buf, size_t cap)
{
    if (denom == 0) {
        if (cap)
            buf[0] = '\0';
        return 0;
    }
    kofu_num x;
    num_init(&x);
    num_set_frac(&x, numer, denom);
    size_t n = num_format(&x, buf, cap);
    num_clear(&x);
    return n;
}
