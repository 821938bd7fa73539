/*
 * test_xlsx_limits.c — every limit of the xlsx reader (tables/xlsx_limits.h)
 * crossed with a small workbook of tests/tables/, each with its message: the
 * reader takes its limits as a parameter, so a test needs no 256 MiB file.
 * (The golden tests cross the real limits with forged workbooks:
 * tests/golden/tables/xlsx-bomb-*.test.)
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kofu/kofu.h"
#include "table_source.h"
#include "xlsx_limits.h"

/* Reads the workbook to its end within lim; the first message, or "" when
 * it reads without one (malloc'd). */
static char *first_error(const char *name, const xlsx_limits *lim)
{
    const char *root = getenv("KOFU_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/tables/%s", root ? root : ".", name);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    kofu_diag *d = NULL;
    cr_assert_eq(kofu_diag_new(KOFU_LANG_EN, &d), KOFU_OK);
    kofu_status st;
    table_source *s = xlsx_source_open(f, name, lim, d, &st);
    table_row r = {0};
    while (s && s->ops->next(s, &r, d) > 0 && kofu_diag_count(d) == 0)
        if (r.n_errors)
            break;
    char *msg = kofu_diag_count(d) ? kofu_diag_format(d, 0) : strdup(r.n_errors ? r.errors[0].msg : "");
    table_row_free(&r);
    if (s)
        s->ops->close(s);
    kofu_diag_free(&d);
    return msg;
}

static void expect(const char *name, xlsx_limits lim, const char *want)
{
    char *got = first_error(name, &lim);
    cr_expect(strstr(got, want) != NULL, "%s: got \"%s\", want \"%s\"", name, got, want);
    free(got);
}

Test(xlsx_limits, within_the_defaults_nothing_is_said)
{
    char *got = first_error("cells.xlsx", &xlsx_default_limits);
    cr_expect_str_eq(got, "");
    free(got);
}

Test(xlsx_limits, zip_entries)
{
    xlsx_limits l = xlsx_default_limits;
    l.entries = 3;
    expect("cells.xlsx", l, "cells.xlsx: too many zip entries (6; at most 3)");
}

Test(xlsx_limits, entry_size)
{
    xlsx_limits l = xlsx_default_limits;
    l.entry_bytes = 100;
    expect("cells.xlsx", l, "an entry too large once inflated ([Content_Types].xml, ");
    expect("cells.xlsx", l, "; at most 100 bytes)");
}

Test(xlsx_limits, total_size)
{
    xlsx_limits l = xlsx_default_limits;
    l.total_bytes = 1000;
    expect("cells.xlsx", l, "too large once inflated (at most 1,000 bytes in all)");
}

Test(xlsx_limits, ratio)
{
    xlsx_limits l = xlsx_default_limits;
    l.ratio_from = 0;
    l.ratio = 1;
    expect("cells.xlsx", l, "an entry compressed too well (");
    expect("cells.xlsx", l, "at most 1 to 1): a zip bomb?");
}

Test(xlsx_limits, xml_depth)
{
    xlsx_limits l = xlsx_default_limits;
    l.depth = 3;
    expect("cells.xlsx", l, "nests too deep (at most 3 levels)");
}

Test(xlsx_limits, attribute)
{
    xlsx_limits l = xlsx_default_limits;
    l.attr_bytes = 10;
    expect("cells.xlsx", l, "is too long (at most 10 bytes)");
}

Test(xlsx_limits, shared_strings)
{
    xlsx_limits l = xlsx_default_limits;
    l.strings = 2;
    expect("cells.xlsx", l, "cells.xlsx: too many shared strings (at most 2)");
    l = xlsx_default_limits;
    l.string_bytes = 10;
    expect("cells.xlsx", l, "cells.xlsx: the shared strings are too large (at most 10 bytes in all)");
}

Test(xlsx_limits, rows)
{
    xlsx_limits l = xlsx_default_limits;
    l.rows = 3;
    expect("cells.xlsx", l, "cells.xlsx:cases: a row number out of range: '4' (at most 3 rows)");
}

Test(xlsx_limits, columns)
{
    xlsx_limits l = xlsx_default_limits;
    l.columns = 5;
    expect("cells.xlsx", l, "cells.xlsx:cases: too many columns (at most 5) (F1)");
}

Test(xlsx_limits, sizes_in_messages)
{
    char b[48];
    cr_expect_str_eq(xlsx_size_text(256ull << 20, KOFU_LANG_EN, b, sizeof b), "256 MiB");
    cr_expect_str_eq(xlsx_size_text(1234567, KOFU_LANG_EN, b, sizeof b), "1,234,567 bytes");
    cr_expect_str_eq(xlsx_size_text(100, KOFU_LANG_JA, b, sizeof b), "100 バイト");
}
