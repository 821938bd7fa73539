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

/* ------------------------------------------------------------------ */
/* Differential: num.c against plain mpq                               */

/* x's value as an mpq, from its exact text ("-12", "0.375", "7/12"). */
static void text_to_mpq(mpq_t q, const kofu_num *x)
{
    char *s = num_to_string(x);
    require(s != NULL);
    char *dot = strchr(s, '.');
    if (!dot) {
        require(mpq_set_str(q, s, 10) == 0);
    } else {
        size_t k = strlen(dot + 1);
        memmove(dot, dot + 1, k + 1);
        require(mpz_set_str(mpq_numref(q), s, 10) == 0);
        mpz_ui_pow_ui(mpq_denref(q), 10, (unsigned long)k);
    }
    mpq_canonicalize(q);
    free(s);
}

/* The text num_to_string must write for q, built with GMP alone: an
 * integer, a terminating decimal without trailing zeros, or "n/d". */
static char *mpq_text(mpq_srcptr q)
{
    if (mpz_cmp_ui(mpq_denref(q), 1) == 0)
        return mpz_get_str(NULL, 10, mpq_numref(q));
    mpz_t d;
    mpz_init_set(d, mpq_denref(q));
    unsigned long twos = mpz_scan1(d, 0), fives = 0;
    mpz_tdiv_q_2exp(d, d, twos);
    while (mpz_divisible_ui_p(d, 5)) {
        mpz_divexact_ui(d, d, 5);
        fives++;
    }
    bool terminates = mpz_cmp_ui(d, 1) == 0;
    mpz_clear(d);
    if (!terminates)
        return mpq_get_str(NULL, 10, q);
    unsigned long k = twos > fives ? twos : fives;
    mpz_t m;
    mpz_init(m);
    mpz_ui_pow_ui(m, 10, k);
    mpz_mul(m, m, mpq_numref(q));
    mpz_divexact(m, m, mpq_denref(q));
    mpz_abs(m, m);
    char *dg = mpz_get_str(NULL, 10, m);
    mpz_clear(m);
    size_t len = strlen(dg), lead = len <= k ? k + 1 - len : 0;
    size_t total = lead + len; /* digits with the zeros in front, > k */
    char *out = malloc(total + 3);
    require(out != NULL);
    size_t o = 0;
    if (mpq_sgn(q) < 0)
        out[o++] = '-';
    for (size_t i = 0; i < total - k; i++)
        out[o++] = i < lead ? '0' : dg[i - lead];
    out[o++] = '.';
    for (size_t i = total - k; i < total; i++)
        out[o++] = i < lead ? '0' : dg[i - lead];
    out[o] = '\0';
    free(dg);
    return out;
}

/* x holds exactly q, written as GMP would write it. */
static void require_same(const kofu_num *x, mpq_srcptr q)
{
    char *got = num_to_string(x), *want = mpq_text(q);
    require(got && want && strcmp(got, want) == 0);
    free(got);
    free(want);
    require(num_sign(x) == mpq_sgn(q));
    require(num_is_integer(x) == (mpz_cmp_ui(mpq_denref(q), 1) == 0));
    int64_t v;
    bool fits = mpz_cmp_ui(mpq_denref(q), 1) == 0 && mpz_fits_slong_p(mpq_numref(q)) &&
                sizeof(long) >= sizeof(int64_t);
    if (sizeof(long) >= sizeof(int64_t)) {
        require(num_to_int64(x, &v) == fits);
        require(!fits || v == (int64_t)mpz_get_si(mpq_numref(q)));
    }
}

static int sgn(int c) { return (c > 0) - (c < 0); }

/* Rounding by quotient and remainder (toward zero), then adjusted: a
 * formulation of the rounding steps independent of num_round.c's. */
static void mpq_round_ref(mpq_t out, mpq_srcptr x, num_rounding how)
{
    unsigned long um = how == NUM_ROUND_HALF_UP_1000 || how == NUM_ROUND_FLOOR_1000 ? 1000 : 1;
    unsigned long ud = how == NUM_ROUND_HALF_UP_0_01 ? 100 : 1;
    mpz_t n, d, q, r;
    mpz_inits(n, d, q, r, NULL);
    mpz_mul_ui(n, mpq_numref(x), ud);
    mpz_mul_ui(d, mpq_denref(x), um);
    mpz_tdiv_qr(q, r, n, d);
    int s = mpz_sgn(r);
    bool floor = how == NUM_ROUND_FLOOR_1000 || how == NUM_ROUND_FLOOR_1;
    bool half = how == NUM_ROUND_HALF_UP_1000 || how == NUM_ROUND_HALF_UP_0_01;
    if (floor && s < 0)
        mpz_sub_ui(q, q, 1);
    if (how == NUM_ROUND_CEIL_1 && s > 0)
        mpz_add_ui(q, q, 1);
    if (half && s != 0) {
        mpz_abs(r, r);
        mpz_mul_2exp(r, r, 1);
        if (mpz_cmp(r, d) >= 0) {
            if (s > 0)
                mpz_add_ui(q, q, 1);
            else
                mpz_sub_ui(q, q, 1);
        }
    }
    mpz_mul_ui(mpq_numref(out), q, um);
    mpz_set_ui(mpq_denref(out), ud);
    mpq_canonicalize(out);
    mpz_clears(n, d, q, r, NULL);
}

typedef void (*num_op)(kofu_num *, const kofu_num *, const kofu_num *);
typedef void (*mpq_op)(mpq_ptr, mpq_srcptr, mpq_srcptr);

/* r = op(a, b) three ways (fresh, into a, into b): each as mpq says. */
static void check_op(num_op f, mpq_op g, const kofu_num *a, const kofu_num *b, mpq_srcptr qa,
                     mpq_srcptr qb, mpq_ptr want)
{
    g(want, qa, qb);
    kofu_num r, x, y;
    num_init(&r);
    num_init(&x);
    num_init(&y);
    f(&r, a, b);
    require_same(&r, want);
    num_set(&x, a);
    num_set(&y, b);
    f(&x, &x, &y); /* r aliases a */
    require_same(&x, want);
    num_set(&x, a);
    f(&y, &x, &y); /* r aliases b */
    require_same(&y, want);
    num_clear(&r);
    num_clear(&x);
    num_clear(&y);
}

static void num_div_op(kofu_num *r, const kofu_num *a, const kofu_num *b)
{
    require(num_div(r, a, b));
}

/* Every rounding step of x, against mpq_round_ref of q. */
static void check_roundings(const kofu_num *x, mpq_srcptr q, mpq_ptr want)
{
    kofu_num r;
    num_init(&r);
    for (int h = 0; h < NUM_ROUND__COUNT; h++) {
        num_round(&r, x, (num_rounding)h);
        mpq_round_ref(want, q, (num_rounding)h);
        require_same(&r, want);
    }
    num_clear(&r);
}

static void check_pair(const kofu_num *a, const kofu_num *b)
{
    mpq_t qa, qb, want, qt;
    mpq_inits(qa, qb, want, qt, NULL);
    text_to_mpq(qa, a);
    text_to_mpq(qb, b);
    require_same(a, qa);
    require_same(b, qb);
    kofu_num r, t;
    num_init(&r);
    num_init(&t);
    check_op(num_add, mpq_add, a, b, qa, qb, want);
    check_op(num_sub, mpq_sub, a, b, qa, qb, want);
    check_op(num_mul, mpq_mul, a, b, qa, qb, want);
    if (mpq_sgn(qb) != 0)
        check_op(num_div_op, mpq_div, a, b, qa, qb, want);
    else
        require(!num_div(&r, a, b));
    int c = mpq_cmp(qa, qb);
    require(num_cmp(a, b) == sgn(c));
    num_min(&r, a, b);
    require_same(&r, c <= 0 ? qa : qb);
    num_max(&r, a, b);
    require_same(&r, c >= 0 ? qa : qb);
    int64_t k;
    if (num_to_int64(b, &k))
        require(num_cmp_int(a, k) == sgn(c));
    check_roundings(a, qa, want);
    /* Through a product and a sum that may leave int64, and back. */
    num_mul(&t, a, b);
    mpq_mul(qt, qa, qb);
    check_roundings(&t, qt, want);
    require(num_cmp(&t, a) == sgn(mpq_cmp(qt, qa)));
    if (mpq_sgn(qb) != 0) {
        require(num_div(&r, &t, b));
        require_same(&r, qa);
    }
    num_add(&t, a, b);
    num_sub(&r, &t, b);
    require_same(&r, qa);
    num_clear(&r);
    num_clear(&t);
    mpq_clears(qa, qb, want, qt, NULL);
}

/* "A|B": two exact numbers, as num_parse_exact reads them. */
static void fuzz_pair(const char *s)
{
    const char *bar = strchr(s, '|');
    if (!bar)
        return;
    size_t n = (size_t)(bar - s);
    char *left = malloc(n + 1);
    require(left != NULL);
    memcpy(left, s, n);
    left[n] = '\0';
    kofu_num a, b;
    num_init(&a);
    num_init(&b);
    if (num_parse_exact(left, &a) == NUM_PARSE_OK && num_parse_exact(bar + 1, &b) == NUM_PARSE_OK)
        check_pair(&a, &b);
    num_clear(&a);
    num_clear(&b);
    free(left);
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
    fuzz_pair(s);
    fuzz_fy(s);
    free(s);
    return 0;
}
