/*
 * test_num.c — unit tests for engine/num*.c: exact arithmetic, the rounding
 * steps of docs/output.md, text output and the value parsers of the case file, plus a
 * randomized cross-check against two independent references (plain mpz
 * scaled integers, and MPFR with directed rounding).
 */
#include <criterion/criterion.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmp.h>
#include <mpfr.h>

#include "num.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static void expect_str(const kofu_num *x, const char *want)
{
    char *s = num_to_string(x);
    cr_assert_not_null(s);
    cr_expect_str_eq(s, want);
    free(s);
}

static void expect_int(const kofu_num *x, int64_t want)
{
    int64_t v = 0;
    cr_assert(num_to_int64(x, &v), "not an int64");
    cr_expect_eq(v, want, "got %" PRId64 ", want %" PRId64, v, want);
}

static void expect_round(kofu_num *x, num_rounding how, const char *want)
{
    kofu_num r;
    num_init(&r);
    num_round(&r, x, how);
    char *s = num_to_string(&r);
    char *in = num_to_string(x);
    cr_expect_str_eq(s, want, "%s(%s) = %s, want %s", num_rounding_name(how), in, s, want);
    free(s);
    free(in);
    num_clear(&r);
}

static void round_frac(int64_t n, int64_t d, num_rounding how, const char *want)
{
    kofu_num x;
    num_init(&x);
    num_set_frac(&x, n, d);
    expect_round(&x, how, want);
    num_clear(&x);
}

typedef num_parse_status (*parse_fn)(const char *, kofu_num *);

/* Parses s, which must give status st and, when OK, the exact text want. */
static void expect_parse(parse_fn fn, const char *s, num_parse_status st, const char *want)
{
    kofu_num x;
    num_init(&x);
    num_set_int(&x, 424242); /* sentinel: failures must leave it alone */
    num_parse_status got = fn(s, &x);
    cr_expect_eq(got, st, "parsing \"%s\": status %d, want %d", s, (int)got, (int)st);
    char *txt = num_to_string(&x);
    if (st == NUM_PARSE_OK)
        cr_expect_str_eq(txt, want, "parsing \"%s\" gave %s, want %s", s, txt, want);
    else
        cr_expect_str_eq(txt, "424242", "failed parse of \"%s\" changed the output", s);
    free(txt);
    num_clear(&x);
}

static int decimals_arg;
static num_parse_status parse_decimal_fixed(const char *s, kofu_num *out)
{
    return num_parse_decimal(s, decimals_arg, out);
}

/* x's exact value as an mpq, read only through the public API (the text
 * num_to_string writes: "-12", "0.375", "7/12"), so that the references
 * below never depend on how num.c stores a value. */
static void num_get_mpq(mpq_t out, const kofu_num *x)
{
    char *s = num_to_string(x);
    cr_assert_not_null(s);
    char *dot = strchr(s, '.');
    if (!dot) {
        cr_assert_eq(mpq_set_str(out, s, 10), 0, "unreadable \"%s\"", s);
    } else {
        size_t k = strlen(dot + 1);
        memmove(dot, dot + 1, k + 1);
        cr_assert_eq(mpz_set_str(mpq_numref(out), s, 10), 0, "unreadable \"%s\"", s);
        mpz_ui_pow_ui(mpq_denref(out), 10, (unsigned long)k);
    }
    mpq_canonicalize(out);
    free(s);
}

/* ------------------------------------------------------------------ */
/* The documented examples                                            */

Test(num, spec_taper_example_is_exact)
{
    kofu_num cap, util, taper, r, rounded;
    num_init(&cap);
    num_init(&util);
    num_init(&taper);
    num_init(&r);
    num_init(&rounded);
    cr_assert_eq(num_parse_amount("4,000,000", &cap), NUM_PARSE_OK);
    cr_assert_eq(num_parse_ratio("0.7", &util), NUM_PARSE_OK);
    cr_assert_eq(num_parse_ratio("0.8", &taper), NUM_PARSE_OK);
    num_mul(&r, &cap, &util);
    cr_assert(num_div(&r, &r, &taper));
    cr_expect(num_is_integer(&r));
    cr_expect_eq(num_cmp_int(&r, 3500000), 0);
    expect_str(&r, "3500000");
    num_round(&rounded, &r, NUM_ROUND_FLOOR_1);
    expect_int(&rounded, 3500000); /* never 3,499,999 */
    num_clear(&cap);
    num_clear(&util);
    num_clear(&taper);
    num_clear(&r);
    num_clear(&rounded);
}

Test(num, half_up_1000)
{
    round_frac(1499, 1, NUM_ROUND_HALF_UP_1000, "1000");
    round_frac(1500, 1, NUM_ROUND_HALF_UP_1000, "2000");
    round_frac(4999, 2, NUM_ROUND_HALF_UP_1000, "2000"); /* 2,499.5 */
    round_frac(2500, 1, NUM_ROUND_HALF_UP_1000, "3000");
    round_frac(500, 1, NUM_ROUND_HALF_UP_1000, "1000");
    round_frac(499, 1, NUM_ROUND_HALF_UP_1000, "0");
    round_frac(999, 2, NUM_ROUND_HALF_UP_1000, "0"); /* 499.5: remainder < 500 */
    round_frac(0, 1, NUM_ROUND_HALF_UP_1000, "0");
    round_frac(19287500, 1, NUM_ROUND_HALF_UP_1000, "19288000");
}

Test(num, floor_1000_floor_1_ceil_1)
{
    round_frac(999, 1, NUM_ROUND_FLOOR_1000, "0");
    round_frac(1000, 1, NUM_ROUND_FLOOR_1000, "1000");
    round_frac(1999999, 2, NUM_ROUND_FLOOR_1000, "999000");
    round_frac(7, 2, NUM_ROUND_FLOOR_1, "3");
    round_frac(7, 2, NUM_ROUND_CEIL_1, "4");
    round_frac(6, 2, NUM_ROUND_FLOOR_1, "3");
    round_frac(6, 2, NUM_ROUND_CEIL_1, "3");
    round_frac(1, 3, NUM_ROUND_CEIL_1, "1");
}

Test(num, half_up_0_01)
{
    round_frac(245, 1000, NUM_ROUND_HALF_UP_0_01, "0.25");
    round_frac(49, 60, NUM_ROUND_HALF_UP_0_01, "0.82");   /* 0.8166... */
    round_frac(77, 300, NUM_ROUND_HALF_UP_0_01, "0.26");  /* 0.2566... */
    round_frac(244, 1000, NUM_ROUND_HALF_UP_0_01, "0.24");
    round_frac(5, 1000, NUM_ROUND_HALF_UP_0_01, "0.01");
    round_frac(4999, 1000000, NUM_ROUND_HALF_UP_0_01, "0");
    round_frac(3, 1, NUM_ROUND_HALF_UP_0_01, "3");
    round_frac(1995, 1000, NUM_ROUND_HALF_UP_0_01, "2");
}

Test(num, negative_rounding_conventions)
{
    /* half-up = half away from zero; floor = toward -inf; ceil = toward +inf */
    round_frac(-1500, 1, NUM_ROUND_HALF_UP_1000, "-2000");
    round_frac(-1499, 1, NUM_ROUND_HALF_UP_1000, "-1000");
    round_frac(-1, 1, NUM_ROUND_FLOOR_1000, "-1000");
    round_frac(-7, 2, NUM_ROUND_FLOOR_1, "-4");
    round_frac(-7, 2, NUM_ROUND_CEIL_1, "-3");
    round_frac(-245, 1000, NUM_ROUND_HALF_UP_0_01, "-0.25");
}

Test(num, round_in_place)
{
    kofu_num x;
    num_init(&x);
    num_set_frac(&x, 4999, 2);
    num_round(&x, &x, NUM_ROUND_HALF_UP_1000);
    expect_int(&x, 2000);
    num_clear(&x);
}

Test(num, rounding_names)
{
    static const char *names[] = {"half_up_1000", "floor_1000", "floor_1", "ceil_1",
                                  "half_up_0.01"};
    cr_assert_eq(sizeof names / sizeof names[0], (size_t)NUM_ROUND__COUNT);
    for (int i = 0; i < NUM_ROUND__COUNT; i++) {
        num_rounding r;
        cr_expect_str_eq(num_rounding_name((num_rounding)i), names[i]);
        cr_assert(num_rounding_from_name(names[i], &r));
        cr_expect_eq(r, (num_rounding)i);
    }
    num_rounding r = NUM_ROUND_FLOOR_1;
    cr_expect_not(num_rounding_from_name("half_up_100", &r));
    cr_expect_not(num_rounding_from_name("FLOOR_1", &r));
    cr_expect_not(num_rounding_from_name("", &r));
    cr_expect_eq(r, NUM_ROUND_FLOOR_1);
}

/* ------------------------------------------------------------------ */
/* Arithmetic                                                          */

Test(num, arithmetic_and_comparisons)
{
    kofu_num a, b, r;
    num_init(&a);
    num_init(&b);
    num_init(&r);
    num_set_frac(&a, 1, 3);
    num_set_frac(&b, 1, 4);
    num_add(&r, &a, &b);
    expect_str(&r, "7/12");
    num_sub(&r, &b, &a);
    expect_str(&r, "-1/12");
    num_mul(&r, &a, &b);
    expect_str(&r, "1/12");
    cr_assert(num_div(&r, &a, &b));
    expect_str(&r, "4/3");
    num_min(&r, &a, &b);
    expect_str(&r, "0.25");
    num_max(&r, &a, &b);
    expect_str(&r, "1/3");
    cr_expect_eq(num_cmp(&a, &b), 1);
    cr_expect_eq(num_cmp(&b, &a), -1);
    cr_expect_eq(num_cmp(&a, &a), 0);
    cr_expect_eq(num_cmp_int(&a, 0), 1);
    cr_expect_eq(num_cmp_int(&a, 1), -1);
    cr_expect_eq(num_sign(&r), 1);
    cr_expect_not(num_is_integer(&a));

    /* division by zero leaves r alone */
    num_set_int(&b, 0);
    num_set_int(&r, 5);
    cr_expect_not(num_div(&r, &a, &b));
    expect_int(&r, 5);
    cr_expect_eq(num_sign(&b), 0);

    /* aliasing: a = a + a, a = a * a */
    num_set_frac(&a, 3, 2);
    num_add(&a, &a, &a);
    expect_int(&a, 3);
    num_mul(&a, &a, &a);
    expect_int(&a, 9);
    num_set(&b, &a);
    expect_int(&b, 9);
    num_clear(&a);
    num_clear(&b);
    num_clear(&r);
}

Test(num, int64_edges)
{
    kofu_num x;
    num_init(&x);
    num_set_int(&x, INT64_MAX);
    expect_int(&x, INT64_MAX);
    cr_expect_eq(num_cmp_int(&x, INT64_MAX), 0);
    num_set_int(&x, INT64_MIN);
    expect_int(&x, INT64_MIN);
    expect_str(&x, "-9223372036854775808");
    cr_expect_eq(num_cmp_int(&x, INT64_MIN), 0);
    cr_expect_eq(num_sign(&x), -1);

    kofu_num one;
    num_init(&one);
    num_set_int(&one, 1);
    num_sub(&x, &x, &one); /* INT64_MIN - 1 */
    int64_t v = 7;
    cr_expect_not(num_to_int64(&x, &v));
    cr_expect_eq(v, 7);
    num_set_int(&x, INT64_MAX);
    num_add(&x, &x, &one);
    cr_expect_not(num_to_int64(&x, &v));
    num_set_frac(&x, 1, 2);
    cr_expect_not(num_to_int64(&x, &v));

    num_set_frac(&x, 6, -4); /* sign moves to the numerator, lowest terms */
    expect_str(&x, "-1.5");
    num_set_frac(&x, -6, -9);
    expect_str(&x, "2/3");
    num_clear(&x);
    num_clear(&one);
}

/* ------------------------------------------------------------------ */
/* Text output                                                         */

Test(num, to_string)
{
    static const struct {
        int64_t n, d;
        const char *want;
    } cases[] = {
        {7, 12, "7/12"},       {3, 8, "0.375"},          {3500000, 1, "3500000"},
        {-12, 1, "-12"},       {6, 1, "6"},              {1, 2, "0.5"},
        {0, 5, "0"},           {-1, 8, "-0.125"},        {1, 1024, "0.0009765625"},
        {12345, 100, "123.45"}, {-5, 3, "-5/3"},         {1, 3125, "0.00032"},
        {7, 20, "0.35"},       {1000001, 1000, "1000.001"}, {49, 60, "49/60"},
    };
    kofu_num x;
    num_init(&x);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        num_set_frac(&x, cases[i].n, cases[i].d);
        expect_str(&x, cases[i].want);
    }
    num_clear(&x);
}

Test(num, format_is_snprintf_like)
{
    kofu_num x;
    num_init(&x);
    num_set_int(&x, 19288000);
    char buf[64];
    cr_expect_eq(num_format(&x, buf, sizeof buf), 8u);
    cr_expect_str_eq(buf, "19288000");
    cr_expect_eq(num_format(&x, buf, 4), 8u);
    cr_expect_str_eq(buf, "192");
    cr_expect_eq(num_format(&x, NULL, 0), 8u);
    num_set_frac(&x, -3, 8);
    cr_expect_eq(num_format(&x, buf, 3), 6u);
    cr_expect_str_eq(buf, "-0");
    num_set_frac(&x, 7, 12);
    cr_expect_eq(num_format(&x, buf, 1), 4u);
    cr_expect_str_eq(buf, "");
    cr_expect_eq(num_format(&x, buf, sizeof buf), 4u);
    cr_expect_str_eq(buf, "7/12");

    /* a number bigger than any stack buffer */
    kofu_num ten;
    num_init(&ten);
    num_set_int(&ten, 10);
    num_set_int(&x, 1);
    for (int i = 0; i < 200; i++)
        num_mul(&x, &x, &ten);
    char *s = num_to_string(&x);
    cr_assert_eq(strlen(s), 201u);
    cr_expect_eq(s[0], '1');
    cr_expect_eq(strspn(s + 1, "0"), 200u);
    cr_expect_eq(num_format(&x, buf, 10), 201u);
    cr_expect_str_eq(buf, "100000000");
    free(s);
    num_clear(&ten);
    num_clear(&x);
}

static void expect_approx(int64_t n, int64_t d, int digits, const char *want)
{
    kofu_num x;
    num_init(&x);
    num_set_frac(&x, n, d);
    char *s = num_approx(&x, digits);
    cr_assert_not_null(s);
    cr_expect_str_eq(s, want);
    free(s);
    num_clear(&x);
}

Test(num, approx)
{
    expect_approx(49, 60, 4, "0.8166…");
    expect_approx(77, 300, 4, "0.2566…");
    expect_approx(2, 3, 4, "0.6666…"); /* truncated, not rounded */
    expect_approx(-2, 3, 2, "-0.66…");
    expect_approx(7, 12, 0, "0…");
    expect_approx(200, 3, 1, "66.6…");
    expect_approx(1, 300000, 4, "0.0000…");
    expect_approx(3, 8, 1, "0.375"); /* terminating: exact, whatever digits */
    expect_approx(3500000, 1, 4, "3500000");
    /* |num| 10^D within 64 bits (one integer division) and just past it
     * (MPFR): the same truncation */
    expect_approx(1, 7, 19, "0.1428571428571428571…");
    expect_approx(1, 7, 20, "0.14285714285714285714…");
    expect_approx(INT64_MAX, 3, 4, "3074457345618258602.3333…");
    expect_approx(-INT64_MAX, 3, 0, "-3074457345618258602…");
    /* just below a decimal boundary: 0.99999999999999999999... */
    expect_approx(INT64_MAX - 1, INT64_MAX, 4, "0.9999…");
}

Test(num, yen_string)
{
    static const struct {
        int64_t n, d;
        const char *want;
    } cases[] = {
        {19288000, 1, "19,288,000"}, {-1000, 1, "-1,000"}, {0, 1, "0"},
        {999, 1, "999"},             {1000, 1, "1,000"},   {100000, 1, "100,000"},
        {1000000000000000, 1, "1,000,000,000,000,000"},    {-12, 1, "-12"},
        {7, 12, "7/12"},             {3, 2, "1.5"},
    };
    kofu_num x;
    num_init(&x);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        num_set_frac(&x, cases[i].n, cases[i].d);
        char *s = num_to_yen_string(&x);
        cr_assert_not_null(s);
        cr_expect_str_eq(s, cases[i].want);
        free(s);
    }
    num_clear(&x);
}

/* ------------------------------------------------------------------ */
/* Parsers                                                             */

Test(num, parse_amount_accepted)
{
    static const struct {
        const char *s, *want;
    } ok[] = {
        {"1200000", "1200000"},    {"1,200,000", "1200000"},  {"1200千円", "1200000"},
        {"120万円", "1200000"},    {"1,200,000円", "1200000"}, {"1.5万円", "15000"},
        {"1200千", "1200000"},     {"120万", "1200000"},       {"1200円", "1200"},
        {"0", "0"},                {"  42\t", "42"},            {"1.0", "1"},
        {"1.2345万円", "12345"},   {"0.001千円", "1"},          {"1,234.5千円", "1234500"},
        {"12,345万円", "123450000"}, {"007", "7"},               {"1000000000000000", NUM_AMOUNT_MAX_STR},
        {"1,000,000,000,000,000", "1000000000000000"},          {"100000000000万円", "1000000000000000"},
        {"1000000000000千円", "1000000000000000"},             {"1.50万", "15000"},
        {"0.5千", "500"},          {"1,000", "1000"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        expect_parse(num_parse_amount, ok[i].s, NUM_PARSE_OK, ok[i].want);
}

Test(num, parse_amount_rejected)
{
    static const struct {
        const char *s;
        num_parse_status st;
    } bad[] = {
        {"", NUM_PARSE_EMPTY},
        {"  \t ", NUM_PARSE_EMPTY},
        {"0.5", NUM_PARSE_FRACTION},
        {"1.5", NUM_PARSE_FRACTION},
        {"1.23456万円", NUM_PARSE_FRACTION},
        {"0.0001千円", NUM_PARSE_FRACTION},
        {"-5", NUM_PARSE_NEGATIVE},
        {"-1.5", NUM_PARSE_NEGATIVE},
        {"-1,200千円", NUM_PARSE_NEGATIVE},
        {"-0", NUM_PARSE_NEGATIVE},
        {"1000000000000001", NUM_PARSE_TOO_LARGE},
        {"10000000000000000", NUM_PARSE_TOO_LARGE},
        {"1000000000001千円", NUM_PARSE_TOO_LARGE},
        {"100000000000.01万円", NUM_PARSE_TOO_LARGE},
        {"99999999999999999999999999", NUM_PARSE_TOO_LARGE},
        {"1.2.3", NUM_PARSE_SYNTAX},
        {"abc", NUM_PARSE_SYNTAX},
        {"1e5", NUM_PARSE_SYNTAX},
        {"0x10", NUM_PARSE_SYNTAX},
        {"+5", NUM_PARSE_SYNTAX},
        {"１２", NUM_PARSE_SYNTAX},
        {"1,2", NUM_PARSE_SYNTAX},
        {"12,00", NUM_PARSE_SYNTAX},
        {"1234,567", NUM_PARSE_SYNTAX},
        {"1,2345", NUM_PARSE_SYNTAX},
        {",123", NUM_PARSE_SYNTAX},
        {"1,", NUM_PARSE_SYNTAX},
        {"1,,000", NUM_PARSE_SYNTAX},
        {"12万5千", NUM_PARSE_SYNTAX},
        {"1200 千円", NUM_PARSE_SYNTAX},
        {"1 200", NUM_PARSE_SYNTAX},
        {"円", NUM_PARSE_SYNTAX},
        {"千円", NUM_PARSE_SYNTAX},
        {"1200円円", NUM_PARSE_SYNTAX},
        {"1200円千", NUM_PARSE_SYNTAX},
        {"1200万千円", NUM_PARSE_SYNTAX},
        {".5", NUM_PARSE_SYNTAX},
        {"5.", NUM_PARSE_SYNTAX},
        {"5.万円", NUM_PARSE_SYNTAX},
        {"-", NUM_PARSE_SYNTAX},
        {"--5", NUM_PARSE_SYNTAX},
        {"-abc", NUM_PARSE_SYNTAX},
        {"- 5", NUM_PARSE_SYNTAX},
        {"50%", NUM_PARSE_SYNTAX},
        {"1/2", NUM_PARSE_SYNTAX},
        {"\xe3\x80\x80" "5", NUM_PARSE_SYNTAX}, /* full-width space */
        {"5\n", NUM_PARSE_SYNTAX},
        {"1億円", NUM_PARSE_SYNTAX},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_parse(num_parse_amount, bad[i].s, bad[i].st, NULL);
    kofu_num x;
    num_init(&x);
    cr_expect_eq(num_parse_amount(NULL, &x), NUM_PARSE_EMPTY);
    num_clear(&x);
}

Test(num, parse_ratio)
{
    static const struct {
        const char *s, *want;
    } ok[] = {
        {"0.75", "0.75"}, {"75%", "0.75"}, {"7.5%", "0.075"}, {"1", "1"},   {"100%", "1"},
        {"0", "0"},       {"0%", "0"},     {"0.7", "0.7"},    {"1.5", "1.5"}, {"250%", "2.5"},
        {" 0.80 ", "0.8"}, {"00.5", "0.5"}, {"33.333%", "0.33333"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        expect_parse(num_parse_ratio, ok[i].s, NUM_PARSE_OK, ok[i].want);
    static const struct {
        const char *s;
        num_parse_status st;
    } bad[] = {
        {"", NUM_PARSE_EMPTY},       {"-0.5", NUM_PARSE_NEGATIVE}, {"-5%", NUM_PARSE_NEGATIVE},
        {".5", NUM_PARSE_SYNTAX},    {"5.", NUM_PARSE_SYNTAX},     {"%", NUM_PARSE_SYNTAX},
        {"75 %", NUM_PARSE_SYNTAX},  {"75%%", NUM_PARSE_SYNTAX},   {"1,000%", NUM_PARSE_SYNTAX},
        {"1/2", NUM_PARSE_SYNTAX},   {"0.7.5", NUM_PARSE_SYNTAX},  {"75％", NUM_PARSE_SYNTAX},
        {"1e-1", NUM_PARSE_SYNTAX},  {"+0.5", NUM_PARSE_SYNTAX},   {"0.5円", NUM_PARSE_SYNTAX},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_parse(num_parse_ratio, bad[i].s, bad[i].st, NULL);
}

Test(num, parse_decimal)
{
    decimals_arg = 2;
    expect_parse(parse_decimal_fixed, "0.65", NUM_PARSE_OK, "0.65");
    expect_parse(parse_decimal_fixed, "0.650", NUM_PARSE_OK, "0.65"); /* zeros are exact */
    expect_parse(parse_decimal_fixed, "1", NUM_PARSE_OK, "1");
    expect_parse(parse_decimal_fixed, "12.5", NUM_PARSE_OK, "12.5");
    expect_parse(parse_decimal_fixed, "0.655", NUM_PARSE_TOO_PRECISE, NULL);
    expect_parse(parse_decimal_fixed, "-0.65", NUM_PARSE_NEGATIVE, NULL);
    expect_parse(parse_decimal_fixed, "65%", NUM_PARSE_SYNTAX, NULL);
    expect_parse(parse_decimal_fixed, "1,000", NUM_PARSE_SYNTAX, NULL);
    expect_parse(parse_decimal_fixed, "", NUM_PARSE_EMPTY, NULL);
    decimals_arg = 0;
    expect_parse(parse_decimal_fixed, "3", NUM_PARSE_OK, "3");
    expect_parse(parse_decimal_fixed, "3.0", NUM_PARSE_OK, "3");
    expect_parse(parse_decimal_fixed, "3.5", NUM_PARSE_TOO_PRECISE, NULL);
    decimals_arg = -1; /* treated as 0 */
    expect_parse(parse_decimal_fixed, "3.5", NUM_PARSE_TOO_PRECISE, NULL);
    decimals_arg = 4;
    expect_parse(parse_decimal_fixed, "0.8166", NUM_PARSE_OK, "0.8166");
    expect_parse(parse_decimal_fixed, "0.81666", NUM_PARSE_TOO_PRECISE, NULL);
}

Test(num, parse_int)
{
    expect_parse(num_parse_int, "12", NUM_PARSE_OK, "12");
    expect_parse(num_parse_int, " 0 ", NUM_PARSE_OK, "0");
    expect_parse(num_parse_int, "1000000000000000", NUM_PARSE_OK, "1000000000000000");
    expect_parse(num_parse_int, "1000000000000001", NUM_PARSE_TOO_LARGE, NULL);
    expect_parse(num_parse_int, "-3", NUM_PARSE_NEGATIVE, NULL);
    expect_parse(num_parse_int, "1.5", NUM_PARSE_FRACTION, NULL);
    expect_parse(num_parse_int, "1,000", NUM_PARSE_SYNTAX, NULL);
    expect_parse(num_parse_int, "12千", NUM_PARSE_SYNTAX, NULL);
    expect_parse(num_parse_int, "12円", NUM_PARSE_SYNTAX, NULL);
    expect_parse(num_parse_int, "12%", NUM_PARSE_SYNTAX, NULL);
    expect_parse(num_parse_int, "", NUM_PARSE_EMPTY, NULL);
    expect_parse(num_parse_int, "x", NUM_PARSE_SYNTAX, NULL);
}

Test(num, parse_exact)
{
    static const struct {
        const char *s, *want;
    } ok[] = {
        {"-0.5", "-0.5"}, {"11/6", "11/6"},   {"2200000", "2200000"}, {"2/4", "0.5"},
        {"-7/12", "-7/12"}, {"0", "0"},       {"-0", "0"},            {"0/5", "0"},
        {"49/60", "49/60"}, {" 0.375 ", "0.375"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        expect_parse(num_parse_exact, ok[i].s, NUM_PARSE_OK, ok[i].want);
    static const char *bad[] = {"1/0",  "1/-2", "1.5/2", "/2",   "2/",  "+1", "--1",
                                "1e3",  "1,000", "50%",  "abc",  "-",   "1 / 2", "0x1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_parse(num_parse_exact, bad[i], NUM_PARSE_SYNTAX, NULL);
    expect_parse(num_parse_exact, " ", NUM_PARSE_EMPTY, NULL);
}

/* num_parse_exact reads back everything num_to_string writes. */
Test(num, exact_round_trip)
{
    static const int64_t fr[][2] = {{7, 12}, {-3, 8}, {3500000, 1}, {1, 1024}, {-49, 60}, {0, 1}};
    for (size_t i = 0; i < sizeof fr / sizeof fr[0]; i++) {
        kofu_num x, y;
        num_init(&x);
        num_init(&y);
        num_set_frac(&x, fr[i][0], fr[i][1]);
        char *s = num_to_string(&x);
        cr_assert_eq(num_parse_exact(s, &y), NUM_PARSE_OK, "%s", s);
        cr_expect_eq(num_cmp(&x, &y), 0, "%s", s);
        free(s);
        num_clear(&x);
        num_clear(&y);
    }
}

static char *long_string(const char *head, char fill, size_t n, const char *tail)
{
    size_t h = strlen(head), t = strlen(tail);
    char *s = malloc(h + n + t + 1);
    cr_assert_not_null(s);
    memcpy(s, head, h);
    memset(s + h, fill, n);
    memcpy(s + h + n, tail, t + 1);
    return s;
}

Test(num, very_long_inputs)
{
    kofu_num x;
    num_init(&x);
    char *s = long_string("", '9', 10000, "");
    cr_expect_eq(num_parse_amount(s, &x), NUM_PARSE_TOO_LARGE);
    cr_expect_eq(num_parse_int(s, &x), NUM_PARSE_TOO_LARGE);
    cr_assert_eq(num_parse_ratio(s, &x), NUM_PARSE_OK); /* exact, no bound */
    cr_expect_eq(num_format(&x, NULL, 0), 10000u);
    cr_assert_eq(num_parse_exact(s, &x), NUM_PARSE_OK);
    cr_expect_eq(num_format(&x, NULL, 0), 10000u);
    free(s);

    s = long_string("", '0', 10000, "1"); /* many leading zeros: 1 yen */
    cr_expect_eq(num_parse_amount(s, &x), NUM_PARSE_OK);
    expect_int(&x, 1);
    free(s);

    s = long_string("1.", '0', 10000, "万円"); /* many trailing zeros */
    cr_expect_eq(num_parse_amount(s, &x), NUM_PARSE_OK);
    expect_int(&x, 10000);
    free(s);

    s = long_string("0.", '0', 10000, "1"); /* 10^-10001 */
    cr_expect_eq(num_parse_amount(s, &x), NUM_PARSE_FRACTION);
    cr_assert_eq(num_parse_ratio(s, &x), NUM_PARSE_OK);
    cr_expect_eq(num_cmp_int(&x, 0), 1);
    cr_expect_eq(num_format(&x, NULL, 0), 10003u);
    decimals_arg = 2;
    cr_expect_eq(parse_decimal_fixed(s, &x), NUM_PARSE_TOO_PRECISE);
    free(s);

    s = long_string("1/", '3', 5000, "");
    cr_assert_eq(num_parse_exact(s, &x), NUM_PARSE_OK);
    cr_expect_eq(num_format(&x, NULL, 0), 5002u);
    char *a = num_approx(&x, 4);
    cr_expect_str_eq(a, "0.0000…");
    free(a);
    free(s);

    s = long_string("1,", ',', 5000, "000"); /* ",,,,": bad grouping */
    cr_expect_eq(num_parse_amount(s, &x), NUM_PARSE_SYNTAX);
    free(s);
    num_clear(&x);
}

/* ------------------------------------------------------------------ */
/* Randomized cross-check                                              */

static uint64_t rng_state;

static uint64_t rng(void) /* splitmix64: fixed seed, same cases every run */
{
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static uint64_t rng_below(uint64_t n) { return rng() % n; }

static uint64_t pow10u(unsigned e)
{
    uint64_t v = 1;
    for (unsigned i = 0; i < e; i++)
        v *= 10;
    return v;
}

/* A number with a random count of digits, so small and large both occur;
 * sometimes nudged onto a rounding boundary (…499, …500). */
static uint64_t random_upto(uint64_t max)
{
    unsigned digits = 1 + (unsigned)rng_below(16);
    uint64_t v = rng_below(pow10u(digits));
    if (rng_below(4) == 0)
        v = v / 1000 * 1000 + 499 + rng_below(3);
    return v > max ? max - rng_below(2) : v;
}

static void put(char *buf, size_t cap, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void put(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *len, cap - *len, fmt, ap);
    va_end(ap);
    cr_assert(n >= 0 && (size_t)n < cap - *len, "buffer too small");
    *len += (size_t)n;
}

static void put_grouped(char *buf, size_t cap, size_t *len, uint64_t v)
{
    if (v < 1000) {
        put(buf, cap, len, "%" PRIu64, v);
        return;
    }
    put_grouped(buf, cap, len, v / 1000);
    put(buf, cap, len, ",%03" PRIu64, v % 1000);
}

static void put_int(char *buf, size_t cap, size_t *len, uint64_t v)
{
    if (rng_below(2))
        put_grouped(buf, cap, len, v);
    else
        put(buf, cap, len, "%" PRIu64, v);
}

static void put_text(char *buf, size_t cap, size_t *len, const char *s)
{
    size_t n = strlen(s);
    cr_assert(*len + n < cap);
    memcpy(buf + *len, s, n + 1);
    *len += n;
}

/* Writes an amount in a random notation; returns its value in yen. */
static uint64_t random_amount(char *buf, size_t cap)
{
    size_t len = 0;
    uint64_t a;
    if (rng_below(8) == 0)
        put_text(buf, cap, &len, " ");
    switch (rng_below(4)) {
    case 0: /* plain or with commas, maybe with 円 */
        a = random_upto(UINT64_C(1000000000000000));
        put_int(buf, cap, &len, a);
        if (rng_below(3) == 0)
            put_text(buf, cap, &len, "円");
        break;
    case 1: { /* 千円 / 千 */
        uint64_t k = random_upto(UINT64_C(1000000000000));
        a = k * 1000;
        put_int(buf, cap, &len, k);
        put_text(buf, cap, &len, rng_below(2) ? "千円" : "千");
        break;
    }
    case 2: { /* 万円 / 万 */
        uint64_t m = random_upto(UINT64_C(100000000000));
        a = m * 10000;
        put_int(buf, cap, &len, m);
        put_text(buf, cap, &len, rng_below(2) ? "万円" : "万");
        break;
    }
    default: { /* 1.5万円: up to four decimals of 万 */
        uint64_t w = random_upto(UINT64_C(10000000000));
        unsigned nd = 1 + (unsigned)rng_below(4);
        uint64_t f = rng_below(pow10u(nd));
        a = w * 10000 + f * pow10u(4 - nd);
        put_int(buf, cap, &len, w);
        put(buf, cap, &len, ".%0*" PRIu64, (int)nd, f);
        put_text(buf, cap, &len, "万円");
        break;
    }
    }
    if (rng_below(8) == 0)
        put_text(buf, cap, &len, "\t");
    return a;
}

/* Writes a ratio in a random notation; its value is *rn / *rd. */
static void random_ratio(char *buf, size_t cap, uint64_t *rn, uint64_t *rd)
{
    size_t len = 0;
    switch (rng_below(4)) {
    case 0: /* 0.xx */
        *rn = rng_below(100);
        *rd = 100;
        put(buf, cap, &len, "0.%02" PRIu64, *rn);
        break;
    case 1: /* xx% */
        *rn = rng_below(101);
        *rd = 100;
        put(buf, cap, &len, "%" PRIu64 "%%", *rn);
        break;
    case 2: /* x.x% */
        *rn = rng_below(100);
        *rd = 1000;
        put(buf, cap, &len, "%" PRIu64, *rn / 10);
        put(buf, cap, &len, ".%" PRIu64 "%%", *rn % 10);
        break;
    default: /* 1 or 0 now and then, otherwise 0.x */
        *rn = rng_below(12);
        *rd = 10;
        if (*rn >= 10) {
            *rn = *rn == 10 ? 10 : 0;
            put_text(buf, cap, &len, *rn ? "1" : "0");
        } else {
            put(buf, cap, &len, "0.%" PRIu64, *rn);
        }
        break;
    }
}

/* Reference rounding of n/d (n >= 0, d > 0), written with quotient and
 * remainder rather than the engine's formulas. Result as an mpq. */
static void ref_round(mpq_t out, const mpz_t n, const mpz_t d, num_rounding how)
{
    mpz_t q, rem, dd, nn;
    mpz_inits(q, rem, dd, nn, NULL);
    switch (how) {
    case NUM_ROUND_FLOOR_1:
    case NUM_ROUND_CEIL_1:
        mpz_tdiv_qr(q, rem, n, d);
        if (how == NUM_ROUND_CEIL_1 && mpz_sgn(rem) != 0)
            mpz_add_ui(q, q, 1);
        mpq_set_z(out, q);
        break;
    case NUM_ROUND_FLOOR_1000:
    case NUM_ROUND_HALF_UP_1000:
        mpz_mul_ui(dd, d, 1000);
        mpz_tdiv_qr(q, rem, n, dd);
        mpz_mul_2exp(rem, rem, 1);
        if (how == NUM_ROUND_HALF_UP_1000 && mpz_cmp(rem, dd) >= 0)
            mpz_add_ui(q, q, 1);
        mpz_mul_ui(q, q, 1000);
        mpq_set_z(out, q);
        break;
    default: /* half_up_0.01 */
        mpz_mul_ui(nn, n, 100);
        mpz_tdiv_qr(q, rem, nn, d);
        mpz_mul_2exp(rem, rem, 1);
        if (mpz_cmp(rem, d) >= 0)
            mpz_add_ui(q, q, 1);
        mpq_set_z(out, q);
        mpz_set_ui(mpq_denref(out), 100);
        mpq_canonicalize(out);
        break;
    }
    mpz_clears(q, rem, dd, nn, NULL);
}

/* Step-unit bounds of the rounded value from MPFR bounds lo <= v <= hi:
 * every rounding is monotone, so rounding each bound (with each operation
 * directed outward) brackets the exact result. Units: 1000 yen, 1 yen or
 * 0.01. */
static void mpfr_round_bound(mpz_t z, const mpfr_t v, num_rounding how, mpfr_rnd_t dir)
{
    mpfr_t t;
    mpfr_init2(t, 256);
    if (how == NUM_ROUND_HALF_UP_1000 || how == NUM_ROUND_FLOOR_1000)
        mpfr_div_ui(t, v, 1000, dir);
    else if (how == NUM_ROUND_HALF_UP_0_01)
        mpfr_mul_ui(t, v, 100, dir);
    else
        mpfr_set(t, v, dir);
    if (how == NUM_ROUND_HALF_UP_1000 || how == NUM_ROUND_HALF_UP_0_01)
        mpfr_add_d(t, t, 0.5, dir); /* 0.5 is exact in binary */
    mpfr_get_z(z, t, how == NUM_ROUND_CEIL_1 ? MPFR_RNDU : MPFR_RNDD);
    mpfr_clear(t);
}

typedef struct xcheck {
    mpz_t n, d, zlo, zhi, units;
    mpq_t ref, tmp;
    mpfr_t a, rlo, rhi, vlo, vhi;
    long undecided; /* cases where MPFR's bracket straddles a step */
} xcheck;

static void check_rounding(xcheck *c, const kofu_num *engine_value, num_rounding how,
                           const char *what)
{
    kofu_num r;
    num_init(&r);
    num_round(&r, engine_value, how);
    ref_round(c->ref, c->n, c->d, how);
    num_get_mpq(c->tmp, &r);
    if (!mpq_equal(c->tmp, c->ref)) {
        char *got = num_to_string(&r);
        cr_assert_fail("%s %s: engine %s, reference %s", what, num_rounding_name(how), got,
                       mpq_get_str(NULL, 10, c->ref));
    }
    /* engine result in step units, which must be an integer */
    if (how == NUM_ROUND_HALF_UP_1000 || how == NUM_ROUND_FLOOR_1000)
        mpz_mul_ui(mpq_denref(c->tmp), mpq_denref(c->tmp), 1000);
    else if (how == NUM_ROUND_HALF_UP_0_01)
        mpz_mul_ui(mpq_numref(c->tmp), mpq_numref(c->tmp), 100);
    mpq_canonicalize(c->tmp);
    cr_assert(mpz_cmp_ui(mpq_denref(c->tmp), 1) == 0, "%s: not a whole step", what);
    mpz_set(c->units, mpq_numref(c->tmp));
    mpfr_round_bound(c->zlo, c->vlo, how, MPFR_RNDD);
    mpfr_round_bound(c->zhi, c->vhi, how, MPFR_RNDU);
    if (mpz_cmp(c->zlo, c->units) > 0 || mpz_cmp(c->units, c->zhi) > 0)
        cr_assert_fail("%s %s: engine outside the MPFR bracket", what, num_rounding_name(how));
    mpz_sub(c->zhi, c->zhi, c->zlo);
    cr_assert(mpz_cmp_ui(c->zhi, 1) <= 0, "%s: MPFR bracket too wide", what);
    if (mpz_sgn(c->zhi) != 0)
        c->undecided++;
    num_clear(&r);
}

static void check_all_roundings(xcheck *c, const kofu_num *v, const char *what)
{
    mpq_set_num(c->ref, c->n);
    mpq_set_den(c->ref, c->d);
    mpq_canonicalize(c->ref);
    num_get_mpq(c->tmp, v);
    cr_assert(mpq_equal(c->tmp, c->ref), "%s: value is not exact", what);
    for (int h = 0; h < NUM_ROUND__COUNT; h++)
        check_rounding(c, v, (num_rounding)h, what);
}

static void one_case(xcheck *c, kofu_num *amount, kofu_num *ratio, kofu_num *v)
{
    char as[96], rs[32];
    uint64_t a = random_amount(as, sizeof as);
    uint64_t rn, rd;
    random_ratio(rs, sizeof rs, &rn, &rd);
    cr_assert_eq(num_parse_amount(as, amount), NUM_PARSE_OK, "amount \"%s\"", as);
    cr_assert_eq(num_parse_ratio(rs, ratio), NUM_PARSE_OK, "ratio \"%s\"", rs);
    cr_assert(num_cmp_int(amount, (int64_t)a) == 0, "amount \"%s\" != %" PRIu64, as, a);

    mpz_set_ui(c->n, (unsigned long)a);
    mpfr_set_z(c->a, c->n, MPFR_RNDN); /* exact: a < 2^50 */
    mpfr_set_ui(c->rlo, (unsigned long)rn, MPFR_RNDN);
    mpfr_div_ui(c->rlo, c->rlo, (unsigned long)rd, MPFR_RNDD);
    mpfr_set_ui(c->rhi, (unsigned long)rn, MPFR_RNDN);
    mpfr_div_ui(c->rhi, c->rhi, (unsigned long)rd, MPFR_RNDU);

    /* amount × ratio */
    num_mul(v, amount, ratio);
    mpz_set_ui(c->n, (unsigned long)a);
    mpz_mul_ui(c->n, c->n, (unsigned long)rn);
    mpz_set_ui(c->d, (unsigned long)rd);
    mpfr_mul(c->vlo, c->a, c->rlo, MPFR_RNDD);
    mpfr_mul(c->vhi, c->a, c->rhi, MPFR_RNDU);
    char what[160];
    snprintf(what, sizeof what, "\"%s\" x \"%s\"", as, rs);
    check_all_roundings(c, v, what);

    /* amount ÷ ratio */
    if (rn == 0) {
        cr_assert_not(num_div(v, amount, ratio));
        return;
    }
    cr_assert(num_div(v, amount, ratio));
    mpz_set_ui(c->n, (unsigned long)a);
    mpz_mul_ui(c->n, c->n, (unsigned long)rd);
    mpz_set_ui(c->d, (unsigned long)rn);
    mpfr_div(c->vlo, c->a, c->rhi, MPFR_RNDD);
    mpfr_div(c->vhi, c->a, c->rlo, MPFR_RNDU);
    snprintf(what, sizeof what, "\"%s\" / \"%s\"", as, rs);
    check_all_roundings(c, v, what);
}

Test(num, randomized_cross_check)
{
    enum { CASES = 100000 };
    xcheck c;
    mpz_inits(c.n, c.d, c.zlo, c.zhi, c.units, NULL);
    mpq_init(c.ref);
    mpq_init(c.tmp);
    mpfr_inits2(256, c.a, c.rlo, c.rhi, c.vlo, c.vhi, (mpfr_ptr)NULL);
    c.undecided = 0;
    kofu_num amount, ratio, v;
    num_init(&amount);
    num_init(&ratio);
    num_init(&v);
    rng_state = UINT64_C(20250401);
    for (int i = 0; i < CASES; i++)
        one_case(&c, &amount, &ratio, &v);
    /* Binary floating point alone cannot decide these; the exact engine did. */
    cr_log_info("randomized: %d cases, %ld roundings where MPFR's bracket straddled a step",
                CASES, c.undecided);
    cr_expect_gt(c.undecided, 0);
    num_clear(&amount);
    num_clear(&ratio);
    num_clear(&v);
    mpfr_clears(c.a, c.rlo, c.rhi, c.vlo, c.vhi, (mpfr_ptr)NULL);
    mpq_clear(c.ref);
    mpq_clear(c.tmp);
    mpz_clears(c.n, c.d, c.zlo, c.zhi, c.units, NULL);
}

/* ------------------------------------------------------------------ */
/* Boundary cross-check: the int64 fast paths against plain mpq         */

/*
 * num.c computes on small values with 64-bit integers and switches to GMP
 * when something does not fit. This drives exactly that edge: operands near
 * INT64_MAX / INT64_MIN, sums and products that overflow, denominators whose
 * product overflows, values that go big and come back ((2^62·3)/3), every
 * rounding step on big and small values, comparisons mixing both. Each
 * engine result is checked against the same operation on mpq_t, both as a
 * value and as text (a fraction left unreduced would print differently).
 */

/* Interesting magnitudes: powers of two and their neighbours, int64 edges,
 * primes near 2^31/2^32/2^62/2^63, yen-sized and rate-sized values. */
static int64_t boundary_int(void)
{
    static const int64_t picks[] = {
        0, 1, 2, 3, 5, 7, 10, 12, 49, 60, 100, 1000, 999999999999999, 1000000000000000,
        INT64_C(2147483647), INT64_C(4294967291), INT64_C(4294967296), INT64_C(4294967311),
        INT64_C(3037000499), INT64_C(3037000500), /* ~ sqrt(2^63) */
        INT64_C(4611686018427387847), INT64_C(4611686018427387904), /* ~ 2^62 */
        INT64_C(3) << 61, INT64_C(9223372036854775783), /* prime just below 2^63 */
        INT64_MAX - 1, INT64_MAX,
    };
    int64_t v;
    switch (rng_below(4)) {
    case 0:
        v = picks[rng_below(sizeof picks / sizeof picks[0])];
        break;
    case 1: /* 2^k, 2^k ± 1 */
        v = (int64_t)(UINT64_C(1) << rng_below(63)) + (int64_t)rng_below(3) - 1;
        break;
    case 2: /* any width */
        v = (int64_t)(rng() >> rng_below(64));
        break;
    default: /* small, shares factors often */
        v = (int64_t)(rng_below(1000) * (1 + rng_below(3)) * (rng_below(2) ? 6 : 1));
        break;
    }
    if (v < 0)
        v = INT64_MAX;
    if (rng_below(2))
        v = v == INT64_MAX && rng_below(4) == 0 ? INT64_MIN : -v;
    return v;
}

/* Canonical text of q, built independently of num.c: "12", "-0.375", "7/12". */
static char *ref_text(mpq_srcptr q)
{
    if (mpz_cmp_ui(mpq_denref(q), 1) == 0)
        return mpz_get_str(NULL, 10, mpq_numref(q));
    mpz_t d, m;
    mpz_init_set(d, mpq_denref(q));
    mpz_init(m);
    unsigned long twos = mpz_scan1(d, 0), fives = 0;
    mpz_tdiv_q_2exp(d, d, twos);
    while (mpz_divisible_ui_p(d, 5)) {
        mpz_divexact_ui(d, d, 5);
        fives++;
    }
    char *out;
    if (mpz_cmp_ui(d, 1) != 0) {
        out = mpq_get_str(NULL, 10, q);
    } else {
        unsigned long k = twos > fives ? twos : fives;
        mpz_ui_pow_ui(m, 10, k);
        mpz_mul(m, m, mpq_numref(q));
        mpz_divexact(m, m, mpq_denref(q));
        mpz_abs(m, m);
        char *dg = mpz_get_str(NULL, 10, m);
        size_t len = strlen(dg);
        size_t cap = len + k + 4;
        out = malloc(cap);
        cr_assert_not_null(out);
        size_t o = 0;
        if (mpq_sgn(q) < 0)
            out[o++] = '-';
        if (len <= k) {
            out[o++] = '0';
            out[o++] = '.';
            for (size_t i = len; i < k; i++)
                out[o++] = '0';
            memcpy(out + o, dg, len);
            o += len;
        } else {
            memcpy(out + o, dg, len - k);
            o += len - k;
            out[o++] = '.';
            memcpy(out + o, dg + len - k, k);
            o += k;
        }
        out[o] = '\0';
        free(dg);
    }
    mpz_clears(d, m, NULL);
    return out;
}

static long boundary_checks, boundary_big;

/* num_approx's text computed with mpz: |x| 10^D truncated, the point put
 * back, a sign when x < 0, then "…". Only for x with no finite decimal. */
static char *ref_approx(mpq_srcptr q, unsigned dcount)
{
    mpz_t m;
    mpz_init(m);
    mpz_ui_pow_ui(m, 10, dcount);
    mpz_mul(m, m, mpq_numref(q));
    mpz_abs(m, m);
    mpz_tdiv_q(m, m, mpq_denref(q));
    char *dg = mpz_get_str(NULL, 10, m);
    size_t len = strlen(dg);
    char *out = malloc(len + dcount + 8);
    cr_assert_not_null(out);
    size_t o = 0;
    if (mpq_sgn(q) < 0)
        out[o++] = '-';
    size_t lead = len <= dcount ? dcount + 1 - len : 0; /* "0.00" before the digits */
    for (size_t i = 0; i < lead; i++)
        out[o++] = '0';
    memcpy(out + o, dg, len);
    o += len;
    if (dcount > 0) { /* the point goes before the last dcount digits */
        memmove(out + o - dcount + 1, out + o - dcount, dcount);
        out[o - dcount] = '.';
        o++;
    }
    memcpy(out + o, "\xe2\x80\xa6", 4);
    free(dg);
    mpz_clear(m);
    return out;
}

static bool terminates(mpq_srcptr q)
{
    mpz_t d;
    mpz_init_set(d, mpq_denref(q));
    mpz_tdiv_q_2exp(d, d, mpz_scan1(d, 0));
    while (mpz_divisible_ui_p(d, 5))
        mpz_divexact_ui(d, d, 5);
    bool t = mpz_cmp_ui(d, 1) == 0;
    mpz_clear(d);
    return t;
}

static void expect_same(const kofu_num *x, mpq_srcptr ref, const char *what)
{
    char *got = num_to_string(x);
    char *want = ref_text(ref);
    cr_assert_str_eq(got, want, "%s: engine %s, mpq %s", what, got, want);
    /* the text agrees, so the value does; the predicates must too */
    cr_assert_eq(num_sign(x), mpq_sgn(ref), "%s: sign of %s", what, want);
    cr_assert_eq(num_is_integer(x), mpz_cmp_ui(mpq_denref(ref), 1) == 0, "%s: %s", what, want);
    int64_t v = 0;
    bool fits = mpz_cmp_ui(mpq_denref(ref), 1) == 0 && mpz_sizeinbase(mpq_numref(ref), 2) <= 64 &&
                mpz_fits_slong_p(mpq_numref(ref));
    cr_assert_eq(num_to_int64(x, &v), fits, "%s: num_to_int64(%s)", what, want);
    if (fits)
        cr_assert_eq(v, mpz_get_si(mpq_numref(ref)), "%s: num_to_int64(%s)", what, want);
    free(got);
    free(want);
    if (boundary_checks % 8 == 0 && !terminates(ref)) {
        unsigned dcount = (unsigned)rng_below(boundary_checks % 64 == 0 ? 40 : 6);
        got = num_approx(x, (int)dcount);
        want = ref_approx(ref, dcount);
        cr_assert_str_eq(got, want, "%s: num_approx(%u)", what, dcount);
        free(got);
        free(want);
    }
    boundary_checks++;
    /* beyond int64 on either side: a value num.c must hold in GMP */
    boundary_big += mpz_sizeinbase(mpq_numref(ref), 2) >= 64 || mpz_sizeinbase(mpq_denref(ref), 2) >= 64;
}

/* Reference rounding of any signed rational, by quotient and remainder. */
static void ref_round_signed(mpq_ptr out, mpq_srcptr x, num_rounding how)
{
    static const unsigned long um[] = {1000, 1000, 1, 1, 1}, ud[] = {1, 1, 1, 1, 100};
    mpz_t n, d, q, rem;
    mpz_inits(n, d, q, rem, NULL);
    mpz_mul_ui(n, mpq_numref(x), ud[how]);
    mpz_mul_ui(d, mpq_denref(x), um[how]);
    mpz_tdiv_qr(q, rem, n, d); /* toward zero; rem has n's sign */
    int s = mpz_sgn(rem);
    if ((how == NUM_ROUND_FLOOR_1000 || how == NUM_ROUND_FLOOR_1) && s < 0)
        mpz_sub_ui(q, q, 1);
    else if (how == NUM_ROUND_CEIL_1 && s > 0)
        mpz_add_ui(q, q, 1);
    else if (how == NUM_ROUND_HALF_UP_1000 || how == NUM_ROUND_HALF_UP_0_01) {
        mpz_abs(rem, rem);
        mpz_mul_2exp(rem, rem, 1);
        if (s != 0 && mpz_cmp(rem, d) >= 0) {
            if (s > 0)
                mpz_add_ui(q, q, 1);
            else
                mpz_sub_ui(q, q, 1);
        }
    }
    mpz_mul_ui(mpq_numref(out), q, um[how]);
    mpz_set_ui(mpq_denref(out), ud[how]);
    mpq_canonicalize(out);
    mpz_clears(n, d, q, rem, NULL);
}

enum { SLOTS = 6 };

typedef struct bslot {
    kofu_num v;
    mpq_t ref;
} bslot;

static void slot_fresh(bslot *s)
{
    int64_t n = boundary_int(), d;
    do
        d = boundary_int();
    while (d == 0);
    if (rng_below(3) == 0) {
        num_set_int(&s->v, n);
        mpq_set_si(s->ref, n, 1);
    } else {
        num_set_frac(&s->v, n, d);
        mpz_set_si(mpq_numref(s->ref), n);
        mpz_set_si(mpq_denref(s->ref), d);
        mpq_canonicalize(s->ref);
    }
    expect_same(&s->v, s->ref, "set");
}

static void boundary_step(bslot *s, mpq_t t)
{
    bslot *a = &s[rng_below(SLOTS)], *b = &s[rng_below(SLOTS)], *r = &s[rng_below(SLOTS)];
    char what[64];
    unsigned op = (unsigned)rng_below(12);
    switch (op) {
    case 0:
        num_add(&r->v, &a->v, &b->v);
        mpq_add(r->ref, a->ref, b->ref);
        break;
    case 1:
        num_sub(&r->v, &a->v, &b->v);
        mpq_sub(r->ref, a->ref, b->ref);
        break;
    case 2:
    case 3:
        num_mul(&r->v, &a->v, &b->v);
        mpq_mul(r->ref, a->ref, b->ref);
        break;
    case 4:
    case 5: {
        bool ok = num_div(&r->v, &a->v, &b->v);
        cr_assert_eq(ok, mpq_sgn(b->ref) != 0, "num_div by zero answered %d", ok);
        if (ok)
            mpq_div(r->ref, a->ref, b->ref);
        break;
    }
    case 6: {
        num_rounding how = (num_rounding)rng_below(NUM_ROUND__COUNT);
        num_round(&r->v, &a->v, how);
        ref_round_signed(t, a->ref, how);
        mpq_set(r->ref, t);
        break;
    }
    case 7:
        num_min(&r->v, &a->v, &b->v);
        mpq_set(r->ref, mpq_cmp(a->ref, b->ref) <= 0 ? a->ref : b->ref);
        break;
    case 8:
        num_max(&r->v, &a->v, &b->v);
        mpq_set(r->ref, mpq_cmp(a->ref, b->ref) >= 0 ? a->ref : b->ref);
        break;
    case 9:
        num_set(&r->v, &a->v);
        mpq_set(r->ref, a->ref);
        break;
    case 10: { /* comparisons only */
        int c = mpq_cmp(a->ref, b->ref);
        cr_assert_eq(num_cmp(&a->v, &b->v), (c > 0) - (c < 0), "num_cmp");
        int64_t k = rng_below(2) ? boundary_int() : mpz_get_si(mpq_numref(a->ref));
        mpq_set_si(t, k, 1);
        c = mpq_cmp(a->ref, t);
        cr_assert_eq(num_cmp_int(&a->v, k), (c > 0) - (c < 0), "num_cmp_int %" PRId64, k);
        return;
    }
    default:
        slot_fresh(r);
        return;
    }
    snprintf(what, sizeof what, "op %u", op);
    expect_same(&r->v, r->ref, what);
    /* keep values from growing without end: chains of products do */
    if (mpz_sizeinbase(mpq_numref(r->ref), 2) + mpz_sizeinbase(mpq_denref(r->ref), 2) > 600)
        slot_fresh(r);
}

/* (2^62·3)/3 and friends: results that leave int64 and come back. */
Test(num, boundary_round_trips)
{
    kofu_num a, b, r;
    num_init(&a);
    num_init(&b);
    num_init(&r);
    num_set_int(&a, INT64_C(1) << 62);
    num_set_int(&b, 3);
    num_mul(&r, &a, &b); /* 3·2^62 > INT64_MAX */
    expect_str(&r, "13835058055282163712");
    int64_t v;
    cr_expect_not(num_to_int64(&r, &v));
    cr_expect_eq(num_cmp_int(&r, INT64_MAX), 1);
    num_div(&r, &r, &b);
    expect_int(&r, INT64_C(1) << 62);
    cr_expect_eq(num_cmp(&r, &a), 0);

    num_set_int(&a, INT64_MAX);
    num_set_int(&b, 1);
    num_add(&r, &a, &b); /* 2^63 */
    num_sub(&r, &r, &b);
    expect_int(&r, INT64_MAX);
    num_set_frac(&a, 1, INT64_MAX);
    num_set_frac(&b, 1, INT64_MAX - 1);
    num_add(&r, &a, &b); /* the denominator product overflows */
    expect_str(&r, "18446744073709551613/85070591730234615838173535747377725442");
    num_sub(&r, &r, &b);
    cr_expect_eq(num_cmp(&r, &a), 0);
    num_set_int(&a, INT64_MIN); /* the one int64 that is big */
    num_set_int(&b, -1);
    num_mul(&r, &a, &b);
    expect_str(&r, "9223372036854775808");
    num_add(&r, &r, &b);
    expect_int(&r, INT64_MAX);
    num_set_frac(&r, INT64_MIN, INT64_MIN);
    expect_int(&r, 1);
    num_set_frac(&r, 3, INT64_MIN);
    expect_str(&r, "-0.000000000000000000325260651745651330202235840260982513427734375");
    num_round(&r, &r, NUM_ROUND_FLOOR_1);
    expect_int(&r, -1);
    num_clear(&a);
    num_clear(&b);
    num_clear(&r);
}

Test(num, boundary_cross_check)
{
    enum { STEPS = 200000 };
    bslot s[SLOTS];
    mpq_t t;
    mpq_init(t);
    rng_state = UINT64_C(20261122);
    boundary_checks = boundary_big = 0;
    for (int i = 0; i < SLOTS; i++) {
        num_init(&s[i].v);
        mpq_init(s[i].ref);
        slot_fresh(&s[i]);
    }
    for (int i = 0; i < STEPS; i++)
        boundary_step(s, t);
    cr_log_info("boundary: %d steps, %ld results checked, %ld of them beyond int64", STEPS,
                boundary_checks, boundary_big);
    /* both forms, and plenty of each, or the edge is not being driven */
    cr_expect_gt(boundary_big, boundary_checks / 5);
    cr_expect_lt(boundary_big, boundary_checks * 4 / 5);
    for (int i = 0; i < SLOTS; i++) {
        num_clear(&s[i].v);
        mpq_clear(s[i].ref);
    }
    mpq_clear(t);
}

/* num_parse_amount takes a short path for digits-and-commas text; a leading
 * blank sends the same text through the general parser, which must agree on
 * the status and the value for every such string, well-formed or not. */
Test(num, parse_amount_plain_path_agrees_with_general)
{
    static const char alphabet[] = "0123456789,,,9000";
    char text[32], padded[40];
    kofu_num a, b;
    num_init(&a);
    num_init(&b);
    rng_state = 42;
    size_t plain_ok = 0;
    for (int i = 0; i < 200000; i++) {
        size_t len = 1 + (size_t)rng_below(22);
        for (size_t k = 0; k < len; k++)
            text[k] = alphabet[rng_below(sizeof alphabet - 1)];
        text[len] = '\0';
        if (i % 3 == 0) { /* well-grouped thousands, up to and past 10^15 */
            uint64_t v = rng() % (UINT64_C(1) << (rng_below(60) + 1));
            char digits[24];
            int n = snprintf(digits, sizeof digits, "%" PRIu64, v);
            size_t at = 0;
            for (int k = 0; k < n; k++) {
                if (k > 0 && (n - k) % 3 == 0)
                    text[at++] = ',';
                text[at++] = digits[k];
            }
            text[at] = '\0';
        }
        snprintf(padded, sizeof padded, " %s", text);
        num_parse_status sa = num_parse_amount(text, &a);
        num_parse_status sb = num_parse_amount(padded, &b);
        cr_assert_eq(sa, sb, "\"%s\": %d vs %d", text, (int)sa, (int)sb);
        if (sa == NUM_PARSE_OK) {
            cr_assert_eq(num_cmp(&a, &b), 0, "\"%s\"", text);
            plain_ok++;
        }
    }
    cr_expect_gt(plain_ok, 50000u); /* the short path was taken often */
    num_clear(&a);
    num_clear(&b);
}

/* num_parse_ratio, num_parse_decimal and num_parse_int take a short path for
 * text of digits, a point and (ratios) a final '%'; as above, a leading blank
 * sends the same text the general way, and both must agree on the status and
 * the value: random texts of those bytes, long runs of digits and of zeros
 * (past the 64-bit path), and well-formed decimals. */
static num_parse_status parse_kind(int kind, const char *s, kofu_num *out)
{
    switch (kind) {
    case 0: return num_parse_ratio(s, out);
    case 1: return num_parse_decimal(s, 2, out);
    case 2: return num_parse_decimal(s, 0, out);
    case 3: return num_parse_decimal(s, -1, out);
    case 4: return num_parse_decimal(s, 25, out);
    default: return num_parse_int(s, out);
    }
}

Test(num, parse_decimal_plain_path_agrees_with_general)
{
    static const char alphabet[] = "0123456789000000.9%";
    char text[48], padded[56];
    kofu_num a, b;
    num_init(&a);
    num_init(&b);
    rng_state = 7;
    size_t plain_ok[6] = {0};
    for (int i = 0; i < 300000; i++) {
        size_t len = 1 + (size_t)rng_below(i % 4 == 0 ? 40 : 12);
        for (size_t k = 0; k < len; k++)
            text[k] = alphabet[rng_below(sizeof alphabet - 1)];
        text[len] = '\0';
        if (i % 3 == 0) { /* digits[.digits][%] */
            size_t at = 0, il = 1 + (size_t)rng_below(i % 2 ? 20 : 6);
            for (size_t k = 0; k < il; k++)
                text[at++] = (char)('0' + rng_below(10));
            if (rng_below(2)) {
                text[at++] = '.';
                size_t fl = 1 + (size_t)rng_below(i % 2 ? 22 : 5);
                for (size_t k = 0; k < fl; k++)
                    text[at++] = (char)('0' + (rng_below(3) ? rng_below(10) : 0));
            }
            if (rng_below(4) == 0)
                text[at++] = '%';
            text[at] = '\0';
        }
        snprintf(padded, sizeof padded, " %s", text);
        for (int kind = 0; kind < 6; kind++) {
            num_parse_status sa = parse_kind(kind, text, &a);
            num_parse_status sb = parse_kind(kind, padded, &b);
            cr_assert_eq(sa, sb, "kind %d \"%s\": %d vs %d", kind, text, (int)sa, (int)sb);
            if (sa == NUM_PARSE_OK) {
                cr_assert_eq(num_cmp(&a, &b), 0, "kind %d \"%s\"", kind, text);
                /* the same form too: small in lowest terms, or big */
                cr_assert_eq(a.big, b.big, "kind %d \"%s\"", kind, text);
                if (!a.big)
                    cr_assert(a.n == b.n && a.d == b.d, "kind %d \"%s\": %lld/%lld vs %lld/%lld",
                              kind, text, (long long)a.n, (long long)a.d, (long long)b.n,
                              (long long)b.d);
                plain_ok[kind]++;
            }
        }
    }
    for (int kind = 0; kind < 6; kind++)
        cr_expect_gt(plain_ok[kind], 10000u, "kind %d", kind); /* the short path was taken */
    /* exact values through the short path */
    cr_assert_eq(num_parse_ratio("12.50%", &a), NUM_PARSE_OK);
    cr_expect_eq(num_cmp_int(&a, 0), 1);
    num_set_int(&b, 1);
    kofu_num eight;
    num_init(&eight);
    num_set_int(&eight, 8);
    num_div(&b, &b, &eight);
    cr_expect_eq(num_cmp(&a, &b), 0, "12.50%% is 1/8");
    cr_assert_eq(num_parse_decimal("0.650", 2, &a), NUM_PARSE_OK);
    cr_assert_eq(num_parse_ratio("0.65", &b), NUM_PARSE_OK);
    cr_expect_eq(num_cmp(&a, &b), 0);
    cr_expect_eq(num_parse_decimal("0.655", 2, &a), NUM_PARSE_TOO_PRECISE);
    cr_expect_eq(num_parse_int("0001", &a), NUM_PARSE_OK);
    cr_expect_eq(num_cmp_int(&a, 1), 0);
    cr_expect_eq(num_parse_int("12.0", &a), NUM_PARSE_FRACTION);
    num_clear(&eight);
    num_clear(&a);
    num_clear(&b);
}
