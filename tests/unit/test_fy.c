/*
 * test_fy.c — unit tests for engine/fy.c: the spellings of a fiscal year
 * (docs/output.md) and its display forms.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "fy.h"

static void expect_fy(const char *s, int want)
{
    int got = -1;
    cr_expect(fy_parse(s, &got), "\"%s\" should parse", s);
    cr_expect_eq(got, want, "\"%s\": got %d, want %d", s, got, want);
}

static void expect_reject(const char *s)
{
    int got = -1;
    cr_expect_not(fy_parse(s, &got), "\"%s\" should be rejected (got %d)", s, got);
    cr_expect_eq(got, -1, "\"%s\": output written on failure", s);
}

Test(fy, western_years)
{
    expect_fy("2025", 2025);
    expect_fy("FY2025", 2025);
    expect_fy("fy2025", 2025);
    expect_fy("  FY2025\t", 2025);
    expect_fy("2025年度", 2025);
    expect_fy("1989", 1989);
    expect_fy("2200", 2200);
}

Test(fy, reiwa)
{
    expect_fy("R7", 2025);
    expect_fy("r7", 2025);
    expect_fy("R1", 2019);
    expect_fy("令和7", 2025);
    expect_fy("令和7年度", 2025);
    expect_fy("令和元年度", 2019);
    expect_fy("令和元", 2019);
    expect_fy("R182", 2200);
}

Test(fy, heisei)
{
    expect_fy("H30", 2018);
    expect_fy("h30", 2018);
    expect_fy("平成30年度", 2018);
    expect_fy("平成30", 2018);
    expect_fy("平成31年度", 2019);
    expect_fy("H31", 2019);
    expect_fy("平成元年度", 1989);
    expect_fy("H1", 1989);
}

Test(fy, full_width_digits)
{
    /* Only the digits are taken in full width (what an IME gives for 令和７). */
    expect_fy("令和７年度", 2025);
    expect_fy("R７", 2025);
    expect_fy("２０２５", 2025);
    expect_fy("FY２０２５", 2025);
    expect_fy("平成３０年度", 2018);
    expect_fy("令和1７", 2035);
    expect_reject("Ｒ７");
}

Test(fy, rejected)
{
    expect_reject("");
    expect_reject("   ");
    expect_reject("令和0");
    expect_reject("令和0年度");
    expect_reject("R0");
    expect_reject("H32");
    expect_reject("平成32年度");
    expect_reject("H0");
    expect_reject("R");
    expect_reject("令和");
    expect_reject("令和年度");
    expect_reject("FY");
    expect_reject("1988");
    expect_reject("2201");
    expect_reject("R183");
    expect_reject("2025x");
    expect_reject("R7 x");
    expect_reject("令和7年度度");
    expect_reject("令和7年");
    expect_reject("FY2025年度");
    expect_reject("FY 2025");
    expect_reject("25");
    expect_reject("20255");
    expect_reject("-2025");
    expect_reject("R元");
    expect_reject("昭和64");
    expect_reject("R1000000000000");
}

Test(fy, parse_null)
{
    int got = 0;
    cr_expect_not(fy_parse(NULL, &got));
    cr_expect_not(fy_parse("2025", NULL));
}

static void expect_format(size_t (*fn)(int, char *, size_t), int fy, const char *want)
{
    char buf[64];
    size_t n = fn(fy, buf, sizeof buf);
    cr_expect_str_eq(buf, want);
    cr_expect_eq(n, strlen(want));
}

Test(fy, format_ja)
{
    expect_format(fy_format_ja, 2025, "令和7年度 (FY2025)");
    expect_format(fy_format_ja, 2019, "令和元年度 (FY2019)");
    expect_format(fy_format_ja, 2018, "平成30年度 (FY2018)");
    expect_format(fy_format_ja, 1989, "平成元年度 (FY1989)");
    expect_format(fy_format_ja, 2020, "令和2年度 (FY2020)");
}

Test(fy, format_en)
{
    expect_format(fy_format_en, 2025, "FY2025 (R7)");
    expect_format(fy_format_en, 2019, "FY2019 (R1)");
    expect_format(fy_format_en, 2018, "FY2018 (H30)");
}

Test(fy, format_era)
{
    expect_format(fy_format_era, 2025, "R7");
    expect_format(fy_format_era, 2019, "R1");
    expect_format(fy_format_era, 2018, "H30");
    expect_format(fy_format_era, 1989, "H1");
}

Test(fy, format_out_of_range)
{
    expect_format(fy_format_ja, 1988, "FY1988");
    expect_format(fy_format_en, 2201, "FY2201");
    expect_format(fy_format_era, 0, "FY0");
}

Test(fy, format_truncates_like_snprintf)
{
    char buf[8];
    size_t n = fy_format_ja(2025, buf, sizeof buf);
    cr_expect_eq(n, strlen("令和7年度 (FY2025)"));
    cr_expect_eq(strlen(buf), sizeof buf - 1);
    cr_expect_eq(fy_format_en(2025, NULL, 0), strlen("FY2025 (R7)"));
}

Test(fy, round_trip)
{
    for (int y = FY_MIN; y <= FY_MAX; y++) {
        char buf[32];
        int back = 0;
        fy_format_era(y, buf, sizeof buf);
        cr_assert(fy_parse(buf, &back), "%s", buf);
        cr_assert_eq(back, y, "%s", buf);
    }
}
