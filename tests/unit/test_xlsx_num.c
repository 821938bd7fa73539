/*
 * test_xlsx_num.c — unit tests for tables/xlsx_num.c: a workbook's numeric
 * cell text read as exact decimal text, including the long (17-digit) form
 * of a double that some writers store for a value typed with fewer digits.
 */
#include <criterion/criterion.h>
#include <stdio.h>

#include "xlsx_num.h"

static void ok(const char *in, const char *want)
{
    char out[64];
    xlsx_num_status st = xlsx_number(in, out, sizeof out);
    cr_expect_eq(st, XLSX_NUM_OK, "%s: status %d", in, (int)st);
    if (st == XLSX_NUM_OK)
        cr_expect_str_eq(out, want, "%s", in);
}

static void bad(const char *in, xlsx_num_status want)
{
    char out[64];
    cr_expect_eq(xlsx_number(in, out, sizeof out), want, "%s", in);
}

Test(xlsx_num, as_written)
{
    ok("1500000", "1500000");
    ok("0.7", "0.7");
    ok("-12.50", "-12.5");
    ok("0", "0");
    ok("-0", "0");
    ok("0.000", "0");
    ok("007", "7");
    ok("123456789012345", "123456789012345"); /* 15 digits: Excel's precision */
}

Test(xlsx_num, exponents)
{
    ok("1.5E-2", "0.015");
    ok("1.85E+7", "18500000");
    ok("1E21", "1000000000000000000000");
    ok("2.5e0", "2.5");
    ok("9.9999999999999995e-08", "0.0000001");
}

/* The 17-digit form of a double typed with ≤ 15 digits reads as typed. */
Test(xlsx_num, long_form_of_a_typed_value)
{
    ok("0.69999999999999996", "0.7");
    ok("1.1000000000000001", "1.1");
    ok("0.14999999999999999", "0.15");
    ok("2.6749999999999998", "2.675");
    ok("18500000.0000000000000", "18500000");
    ok("0.99999999999999999", "1"); /* rounds up through every 9 */
}

/* A double no ≤ 15-digit decimal names must be entered as text. */
Test(xlsx_num, inexact)
{
    bad("0.30000000000000004", XLSX_NUM_INEXACT);    /* 0.1 + 0.2 */
    bad("1999999.9999999998", XLSX_NUM_INEXACT);
    bad("12345678901234567", XLSX_NUM_INEXACT);      /* a 17-digit integer */
    bad("1234567890123456789", XLSX_NUM_INEXACT);    /* beyond 17 digits */
}

Test(xlsx_num, syntax_and_range)
{
    bad("", XLSX_NUM_SYNTAX);
    bad(".", XLSX_NUM_SYNTAX);
    bad("1,000", XLSX_NUM_SYNTAX);
    bad("1e", XLSX_NUM_SYNTAX);
    bad(" 1", XLSX_NUM_SYNTAX);
    bad("0x10", XLSX_NUM_SYNTAX);
    bad("inf", XLSX_NUM_SYNTAX);
    bad("NaN", XLSX_NUM_SYNTAX);
    bad("1E31", XLSX_NUM_RANGE);
    bad("1E-99999999", XLSX_NUM_RANGE);
    ok("1E-40", "0.0000000000000000000000000000000000000001");
}
