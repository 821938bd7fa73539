/*
 * test_dynlib.c — engine/dynlib.c: a library opened on first use, its
 * functions found by name, and the message (ja and en) when the library is
 * absent or lacks a function. libc stands in for a library that exists.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "dynlib.h"

static size_t (*my_strlen)(const char *);
static const char *wanted = "strlen";
static int fills;

static bool fill(dynlib *lib, void *h)
{
    fills++;
    my_strlen = (size_t (*)(const char *))dynlib_sym(lib, h, wanted);
    return my_strlen != NULL;
}

Test(dynlib, opens_once_and_fills_the_table)
{
    dynlib lib = DYNLIB_INIT("libc.so.6", "libc6", "テスト", "a test", fill);
    fills = 0;
    wanted = "strlen";
    cr_assert(dynlib_load(&lib));
    cr_assert(dynlib_load(&lib), "a second call answers from the first");
    cr_expect_eq(fills, 1);
    cr_expect_eq(my_strlen("kofu"), 4);
}

Test(dynlib, missing_function)
{
    dynlib lib = DYNLIB_INIT("libc.so.6", "libc6", "テスト", "a test", fill);
    wanted = "kofu_no_such_function";
    cr_assert_not(dynlib_load(&lib));
    cr_assert_not(dynlib_load(&lib), "the failure is remembered");
    char buf[600];
    dynlib_explain(&lib, KOFU_LANG_EN, buf, sizeof buf);
    cr_expect_str_eq(buf, "libc.so.6 (needed for a test) has no function kofu_no_such_function: it is "
                          "another version than kofu was built with; reinstall the Debian package "
                          "libc6 (apt-get install --reinstall libc6)");
    dynlib_explain(&lib, KOFU_LANG_JA, buf, sizeof buf);
    cr_expect_str_eq(buf, "libc.so.6（テストに必要です）に関数 kofu_no_such_function がありません。"
                          "kofu を作ったときと違う版です。Debian のパッケージ libc6 を入れ直してください"
                          "（apt-get install --reinstall libc6）");
}

Test(dynlib, library_not_found)
{
    dynlib lib = DYNLIB_INIT("libkofu-absent.so.9", "libkofu-absent9", "テスト", "a test", fill);
    fills = 0;
    cr_assert_not(dynlib_load(&lib));
    cr_expect_eq(fills, 0);
    char buf[600];
    dynlib_explain(&lib, KOFU_LANG_EN, buf, sizeof buf);
    cr_expect_str_eq(buf, "libkofu-absent.so.9 (needed for a test) is not installed: install the "
                          "Debian package libkofu-absent9 (apt-get install libkofu-absent9)");
    kofu_diag *d = NULL;
    cr_assert_eq(kofu_diag_new(KOFU_LANG_JA, &d), KOFU_OK);
    cr_expect_eq(dynlib_diag(&lib, NULL, d), KOFU_EIO);
    cr_assert_eq(kofu_diag_count(d), 1);
    char *line = kofu_diag_format(d, 0);
    cr_expect(strstr(line, "libkofu-absent.so.9（テストに必要です）が入っていません。Debian のパッケージ "
                           "libkofu-absent9 を入れてください（apt-get install libkofu-absent9）") != NULL,
              "%s", line);
    free(line);
    kofu_diag_free(&d);
}
