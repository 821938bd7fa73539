/* fy.c — see fy.h. */
#include "fy.h"

#include <stdio.h>
#include <string.h>

/* The Western year before each era's first year: 令和N = 2018 + N. */
#define REIWA_BASE 2018
#define HEISEI_BASE 1988
/* 平成 ended in its 31st year (the fiscal year 2019 is both H31 and R1). */
#define HEISEI_LAST 31

enum era { ERA_NONE, ERA_REIWA, ERA_HEISEI };

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

static bool skip_prefix(const char **s, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(*s, prefix, n) != 0)
        return false;
    *s += n;
    return true;
}

/* One ASCII or full-width (U+FF10..U+FF19, what Japanese IMEs produce)
 * digit; returns its value or -1 and advances past it. */
static int take_digit(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    if (p[0] >= '0' && p[0] <= '9') {
        *s += 1;
        return p[0] - '0';
    }
    if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x90 && p[2] <= 0x99) {
        *s += 3;
        return p[2] - 0x90;
    }
    return -1;
}

/* Reads 1..max_digits digits; the cap keeps the int far from overflow. */
static bool take_number(const char **s, int max_digits, int *out, int *n_digits)
{
    int v = 0, n = 0;
    for (;;) {
        const char *save = *s;
        int d = take_digit(s);
        if (d < 0) {
            *s = save;
            break;
        }
        if (++n > max_digits)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    *n_digits = n;
    return n > 0;
}

static enum era take_era(const char **s)
{
    if (skip_prefix(s, "令和") || skip_prefix(s, "R") || skip_prefix(s, "r"))
        return ERA_REIWA;
    if (skip_prefix(s, "平成") || skip_prefix(s, "H") || skip_prefix(s, "h"))
        return ERA_HEISEI;
    return ERA_NONE;
}

/* "元" (first year) is only written with the kanji era name. */
static bool take_era_year(const char **s, bool kanji, int *n)
{
    int digits;
    if (kanji && skip_prefix(s, "元")) {
        *n = 1;
        return true;
    }
    return take_number(s, 3, n, &digits) && *n >= 1;
}

static bool era_to_year(enum era era, int n, int *year)
{
    if (era == ERA_HEISEI) {
        if (n > HEISEI_LAST)
            return false;
        *year = HEISEI_BASE + n;
    } else {
        *year = REIWA_BASE + n;
    }
    return true;
}

/* Parses [s, end), blanks already trimmed off both ends. */
static bool parse_core(const char *s, const char *end, int *year)
{
    int n, digits;
    const char *start = s;
    enum era era = take_era(&s);
    if (era != ERA_NONE) {
        bool kanji = (s - start) > 1;
        if (!take_era_year(&s, kanji, &n) || !era_to_year(era, n, year))
            return false;
    } else if (skip_prefix(&s, "FY") || skip_prefix(&s, "fy") ||
               skip_prefix(&s, "Fy") || skip_prefix(&s, "fY")) {
        if (!take_number(&s, 4, year, &digits) || digits != 4)
            return false;
        return s == end;
    } else {
        if (!take_number(&s, 4, year, &digits) || digits != 4)
            return false;
    }
    /* "年度" may follow an era year or a bare Western year (2025年度). */
    if (s != end)
        skip_prefix(&s, "年度");
    return s == end;
}

bool fy_parse(const char *s, int *out)
{
    if (!s || !out)
        return false;
    while (is_blank(*s))
        s++;
    const char *end = s + strlen(s);
    while (end > s && is_blank(end[-1]))
        end--;
    if (end == s)
        return false;
    /* Nothing in parse_core matches a blank, so it stops at `end`. */
    int year;
    if (!parse_core(s, end, &year) || year < FY_MIN || year > FY_MAX)
        return false;
    *out = year;
    return true;
}

static size_t finish(int n)
{
    return n < 0 ? 0 : (size_t)n;
}

static bool in_range(int fy) { return fy >= FY_MIN && fy <= FY_MAX; }

static bool is_reiwa(int fy) { return fy > REIWA_BASE; }

static int era_number(int fy) { return fy - (is_reiwa(fy) ? REIWA_BASE : HEISEI_BASE); }

/* Text of a year in range (1..9999) without snprintf: warnings name fiscal
 * years on nearly every evaluation. Appends to buf at *n, truncating like
 * snprintf (the full length is still counted). */
static void put_text(char *buf, size_t cap, size_t *n, const char *s)
{
    for (; *s; s++, (*n)++)
        if (*n + 1 < cap)
            buf[*n] = *s;
}

static void put_uint(char *buf, size_t cap, size_t *n, int v)
{
    char tmp[12];
    char *p = tmp + sizeof tmp;
    *--p = '\0';
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    put_text(buf, cap, n, p);
}

static size_t put_end(char *buf, size_t cap, size_t n)
{
    if (cap > 0)
        buf[n < cap ? n : cap - 1] = '\0';
    return n;
}

size_t fy_format_ja(int fy, char *buf, size_t cap)
{
    if (!in_range(fy))
        return finish(snprintf(buf, cap, "FY%d", fy));
    size_t n = 0;
    put_text(buf, cap, &n, is_reiwa(fy) ? "令和" : "平成");
    int era = era_number(fy);
    if (era == 1)
        put_text(buf, cap, &n, "元");
    else
        put_uint(buf, cap, &n, era);
    put_text(buf, cap, &n, "年度 (FY");
    put_uint(buf, cap, &n, fy);
    put_text(buf, cap, &n, ")");
    return put_end(buf, cap, n);
}

size_t fy_format_en(int fy, char *buf, size_t cap)
{
    if (!in_range(fy))
        return finish(snprintf(buf, cap, "FY%d", fy));
    size_t n = 0;
    put_text(buf, cap, &n, "FY");
    put_uint(buf, cap, &n, fy);
    put_text(buf, cap, &n, is_reiwa(fy) ? " (R" : " (H");
    put_uint(buf, cap, &n, era_number(fy));
    put_text(buf, cap, &n, ")");
    return put_end(buf, cap, n);
}

size_t fy_format_era(int fy, char *buf, size_t cap)
{
    if (!in_range(fy))
        return finish(snprintf(buf, cap, "FY%d", fy));
    return finish(snprintf(buf, cap, "%c%d", is_reiwa(fy) ? 'R' : 'H', era_number(fy)));
}
