/* xlsx_num.c — numeric cells of a workbook as exact decimal text
 * (xlsx_num.h). A workbook stores a number as the text of a binary double;
 * kofu reads money and ratios as decimals, so the text is taken apart as
 * digits and an exponent, never computed in binary. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx_num.h"

/* Excel keeps 15 significant digits; the long form of a double has 17. */
#define EXCEL_DIGITS 15
#define LONG_DIGITS 17
#define MAX_EXP 30

/* Rounds the digits d (n of them) to keep, half up; returns the new count
 * (the exponent grows by one when 9…9 rounds to 10…0, *carry then set). */
static size_t round_digits(char *d, size_t n, size_t keep, bool *carry)
{
    *carry = false;
    if (n <= keep)
        return n;
    bool up = d[keep] >= '5';
    n = keep;
    for (size_t i = keep; up && i-- > 0;) {
        if (d[i] == '9') {
            d[i] = '0';
        } else {
            d[i]++;
            up = false;
        }
    }
    if (up) { /* every digit was 9 */
        memmove(d + 1, d, n);
        d[0] = '1';
        *carry = true;
        n++;
        n--; /* the last digit (a 0) falls off: still `keep` digits */
    }
    return n;
}

/* digits × 10^exp with the sign, as plain decimal text. */
static void render(bool neg, const char *d, size_t n, long exp, char *out, size_t cap)
{
    size_t k = 0;
#define PUT(c)                                                                                     \
    do {                                                                                           \
        if (k + 1 < cap)                                                                           \
            out[k++] = (c);                                                                        \
    } while (0)
    if (neg)
        PUT('-');
    if (exp >= 0) {
        for (size_t i = 0; i < n; i++)
            PUT(d[i]);
        for (long i = 0; i < exp; i++)
            PUT('0');
    } else if ((long)n > -exp) {
        size_t int_part = (size_t)((long)n + exp);
        for (size_t i = 0; i < n; i++) {
            if (i == int_part)
                PUT('.');
            PUT(d[i]);
        }
    } else {
        PUT('0');
        PUT('.');
        for (long i = 0; i < -exp - (long)n; i++)
            PUT('0');
        for (size_t i = 0; i < n; i++)
            PUT(d[i]);
    }
    out[k] = '\0';
#undef PUT
}

xlsx_num_status xlsx_number(const char *v, char *out, size_t cap)
{
    const char *p = v;
    bool neg = false;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    char d[LONG_DIGITS + 2];
    size_t n = 0, sig_seen = 0;
    long exp = 0;
    bool any = false, point = false;
    for (;; p++) {
        if (*p >= '0' && *p <= '9') {
            any = true;
            if (*p == '0' && n == 0) { /* a leading zero */
                if (point)
                    exp--;
                continue;
            }
            if (++sig_seen > LONG_DIGITS) {
                if (*p != '0')
                    return XLSX_NUM_INEXACT;
                if (!point)
                    exp++; /* a trailing zero of the integer part */
                continue;
            }
            d[n++] = *p;
            if (point)
                exp--;
        } else if (*p == '.' && !point) {
            point = true;
        } else {
            break;
        }
    }
    if (!any)
        return XLSX_NUM_SYNTAX;
    if (*p == 'e' || *p == 'E') {
        p++;
        bool eneg = false;
        if (*p == '-' || *p == '+')
            eneg = *p++ == '-';
        if (*p < '0' || *p > '9')
            return XLSX_NUM_SYNTAX;
        long e = 0;
        for (; *p >= '0' && *p <= '9'; p++)
            if (e < 100000)
                e = e * 10 + (*p - '0');
        exp += eneg ? -e : e;
    }
    if (*p)
        return XLSX_NUM_SYNTAX;
    while (n > 0 && d[n - 1] == '0') { /* trailing zeros into the exponent */
        n--;
        exp++;
    }
    if (n == 0) {
        snprintf(out, cap, "0");
        return XLSX_NUM_OK;
    }
    if (n > EXCEL_DIGITS) {
        char r[LONG_DIGITS + 2];
        memcpy(r, d, n);
        bool carry;
        size_t rn = round_digits(r, n, EXCEL_DIGITS, &carry);
        long rexp = exp + (long)(n - rn) + (carry ? 1 : 0);
        /* the same double? (a comparison only: the value stays decimal) */
        char a[64], b[64];
        snprintf(a, sizeof a, "%.*se%ld", (int)n, d, exp);
        snprintf(b, sizeof b, "%.*se%ld", (int)rn, r, rexp);
        if (strtod(a, NULL) != strtod(b, NULL))
            return XLSX_NUM_INEXACT;
        memcpy(d, r, rn);
        n = rn;
        exp = rexp;
        while (n > 0 && d[n - 1] == '0') {
            n--;
            exp++;
        }
    }
    long magnitude = exp + (long)n; /* digits before the point */
    if (magnitude > MAX_EXP || exp < -MAX_EXP - EXCEL_DIGITS)
        return XLSX_NUM_RANGE;
    render(neg, d, n, exp, out, cap);
    return XLSX_NUM_OK;
}
