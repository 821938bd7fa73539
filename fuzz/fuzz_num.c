/*
 * fuzz_num.c — libFuzzer target: the value parsers of engine/num.h and
 * fy_parse, with invariants that make "parsed" mean "parsed right":
 *   - an amount or integer is a whole number in [0, 10^15]; written back
 *     (plain and with thousands separators) and parsed again, it is equal;
 *   - a ratio is >= 0, a decimal has at most the decimals asked for; each
 *     written back and parsed again is equal;
 *   - an exact number written back and parsed again is equal;
 *   - every rounding step gives a value on its grid, within one step of the
 *     input, on the side the step's name says;
 *   - num_format/fy_format_* never write past the buffer they are given and
 *     agree with the full string;
 *   - a fiscal year is in [FY_MIN, FY_MAX] and its era and FY spellings
 *     parse back to it.
 * Any violation aborts, so libFuzzer keeps the input as a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fy.h"
#include "num.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Inputs longer than any value a person writes only slow the search down. */
#define NUM_FUZZ_MAX_INPUT 256

static void require(int ok)
{
    if (!ok)
        abort();
}

/* Every prefix length of num_format agrees with num_to_string. */
static char *checked_string(const kofu_num *x)
{
    char *s = num_to_string(x);
    require(s != NULL);
    size_t n = strlen(s);
    char small[8];
    for (size_t cap = 0; cap <= sizeof small; cap++) {
        memset(small, 'Z', sizeof small);
        size_t need = num_format(x, cap ? small : NULL, cap);
        require(need == n);
        if (cap) {
            size_t w = n < cap - 1 ? n : cap - 1;
            require(memcmp(small, s, w) == 0 && small[w] == '\0');
            for (size_t i = cap; i < sizeof small; i++)
                require(small[i] == 'Z');
        }
    }
    return s;
}

typedef num_parse_status (*parser)(const char *, kofu_num *);

static void reparse_equal(parser p, const char *s, const kofu_num *want)
{
    kofu_num back;
    num_init(&back);
    require(p(s, &back) == NUM_PARSE_OK);
    require(num_cmp(&back, want) == 0);
    num_clear(&back);
}

static void check_amount_like(const kofu_num *x, parser p)
{
    require(num_is_integer(x));
    require(num_sign(x) >= 0);
    kofu_num max;
    num_init(&max);
    require(num_parse_exact(NUM_AMOUNT_MAX_STR, &max) == NUM_PARSE_OK);
    require(num_cmp(x, &max) <= 0);
    num_clear(&max);
    char *s = checked_string(x);
    reparse_equal(p, s, x);
    reparse_equal(num_parse_exact, s, x);
    free(s);
    s = num_to_yen_string(x);
    require(s != NULL);
    reparse_equal(num_parse_amount, s, x);
    free(s);
}

static int64_t step_of(num_rounding how)
{
    switch (how) {
    case NUM_ROUND_HALF_UP_1000:
    case NUM_ROUND_FLOOR_1000: return 1000;
    default: return 1;
    }
}

/* r = round(x, how): on the grid, and within one grid step on the right side. */
static void check_rounding(const kofu_num *x)
{
    for (int h = 0; h < NUM_ROUND__COUNT; h++) {
        num_rounding how = (num_rounding)h;
        kofu_num r, grid, t, d;
        num_init(&r);
        num_init(&grid);
        num_init(&t);
        num_init(&d);
        num_round(&r, x, how);
        if (how == NUM_ROUND_HALF_UP_0_01)
            num_set_frac(&grid, 1, 100);
        else
            num_set_int(&grid, step_of(how));
        require(num_div(&t, &r, &grid));
        require(num_is_integer(&t)); /* on the grid */
        num_sub(&d, &r, x);          /* r - x */
        switch (how) {
        case NUM_ROUND_FLOOR_1000:
        case NUM_ROUND_FLOOR_1:
            require(num_sign(&d) <= 0);
            num_add(&t, &d, &grid);
            require(num_sign(&t) > 0); /* x - r < grid */
            break;
        case NUM_ROUND_CEIL_1:
            require(num_sign(&d) >= 0);
            require(num_cmp(&d, &grid) < 0);
            break;
        default: /* half up: |r - x| <= grid / 2 */
            num_mul(&t, &d, &d);
            num_mul(&d, &grid, &grid);
            num_set_frac(&grid, 1, 4);
            num_mul(&d, &d, &grid);
            require(num_cmp(&t, &d) <= 0);
            break;
        }
        num_clear(&r);
        num_clear(&grid);
        num_clear(&t);
        num_clear(&d);
    }
    char *a = num_approx(x, 4);
    require(a != NULL);
    free(a);
}

static void fuzz_numbers(const char *s, const uint8_t *data, size_t size)
{
    kofu_num x;
    num_init(&x);
    if (num_parse_amount(s, &x) == NUM_PARSE_OK)
        check_amount_like(&x, num_parse_amount);
    if (num_parse_int(s, &x) == NUM_PARSE_OK)
        check_amount_like(&x, num_parse_int);
    if (num_parse_ratio(s, &x) == NUM_PARSE_OK) {
        require(num_sign(&x) >= 0);
        char *t = checked_string(&x);
        reparse_equal(num_parse_ratio, t, &x);
        free(t);
    }
    int decimals = size ? data[size - 1] % 5 : 2;
    if (num_parse_decimal(s, decimals, &x) == NUM_PARSE_OK) {
        require(num_sign(&x) >= 0);
        kofu_num scaled, ten;
        num_init(&scaled);
        num_init(&ten);
        num_set(&scaled, &x);
        num_set_int(&ten, 10);
        for (int i = 0; i < decimals; i++)
            num_mul(&scaled, &scaled, &ten);
        require(num_is_integer(&scaled));
        num_clear(&scaled);
        num_clear(&ten);
        char *t = checked_string(&x);
        kofu_num back;
        num_init(&back);
        require(num_parse_decimal(t, decimals, &back) == NUM_PARSE_OK);
        require(num_cmp(&back, &x) == 0);
        num_clear(&back);
        free(t);
    }
    if (num_parse_exact(s, &x) == NUM_PARSE_OK) {
        char *t = checked_string(&x);
        reparse_equal(num_parse_exact, t, &x);
        free(t);
        check_rounding(&x);
    }
    num_clear(&x);
}

typedef size_t (*fy_formatter)(int, char *, size_t);

static void check_fy_format(fy_formatter f, int fy)
{
    char full[128], small[16];
    size_t n = f(fy, full, sizeof full);
    require(n < sizeof full && strlen(full) == n);
    for (size_t cap = 1; cap <= sizeof small; cap++) {
        memset(small, 'Z', sizeof small);
        require(f(fy, small, cap) == n);
        size_t w = n < cap - 1 ? n : cap - 1;
        require(memcmp(small, full, w) == 0 && small[w] == '\0');
        for (size_t i = cap; i < sizeof small; i++)
            require(small[i] == 'Z');
    }
}

static void fuzz_fy(const char *s)
{
    int fy = 0;
    if (!fy_parse(s, &fy))
        return;
    require(fy >= FY_MIN && fy <= FY_MAX);
    char buf[64];
    int back = 0;
    snprintf(buf, sizeof buf, "FY%d", fy);
    require(fy_parse(buf, &back) && back == fy);
    fy_format_era(fy, buf, sizeof buf);
    require(fy_parse(buf, &back) && back == fy);
    check_fy_format(fy_format_ja, fy);
    check_fy_format(fy_format_en, fy);
    check_fy_format(fy_format_era, fy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > NUM_FUZZ_MAX_INPUT)
        return 0;
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    fuzz_numbers(s, data, size);
    fuzz_fy(s);
    free(s);
    return 0;
}
