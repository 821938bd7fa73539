/*
 * test_stamp.c — the meta stamp: the JST form of computed_at, the
 * SOURCE_DATE_EPOCH override and its errors, and meta in a result.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "kofu/kofu.h"
#include "support.h"

static void expect_time(int64_t t, const char *want)
{
    char buf[40];
    size_t n = kofu_time_format(t, buf, sizeof buf);
    cr_expect_str_eq(buf, want, "t = %lld", (long long)t);
    cr_expect_eq(n, strlen(want));
}

Test(stamp, iso8601_in_jst)
{
    expect_time(0, "1970-01-01T09:00:00+09:00");
    expect_time(1796115600, "2026-12-01T18:00:00+09:00");
    /* 15:00 UTC is midnight of the next day in Japan */
    expect_time(1796137200, "2026-12-02T00:00:00+09:00");
    expect_time(1709218800, "2024-03-01T00:00:00+09:00"); /* after a leap day */
    expect_time(INT64_C(253402268399), "9999-12-31T23:59:59+09:00");
    expect_time(INT64_C(253402268400), "");
    expect_time(-1, "");
}

Test(stamp, source_date_epoch_overrides_the_clock)
{
    int64_t now = -1;
    cr_assert_eq(setenv("SOURCE_DATE_EPOCH", "1796115600", 1), 0);
    cr_expect_eq(kofu_clock(NULL, &now), KOFU_OK);
    cr_expect_eq(now, 1796115600);
    cr_assert_eq(unsetenv("SOURCE_DATE_EPOCH"), 0);
    cr_expect_eq(kofu_clock(NULL, &now), KOFU_OK);
    cr_expect_gt(now, 1796115600 - 86400 * 365 * 10, "the system clock");
}

Test(stamp, malformed_source_date_epoch_is_an_error)
{
    static const char *const bad[] = {"", " 1", "1.5", "-1", "0x10", "12abc",
                                      "253402268400", "99999999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        kofu_diag *d = NULL;
        cr_assert_eq(kofu_diag_new(KOFU_LANG_EN, &d), KOFU_OK);
        int64_t now = 7;
        cr_assert_eq(setenv("SOURCE_DATE_EPOCH", bad[i], 1), 0);
        cr_expect_eq(kofu_clock(d, &now), KOFU_EUSAGE, "\"%s\"", bad[i]);
        cr_expect_eq(now, 7, "\"%s\": output written on failure", bad[i]);
        cr_expect_eq(kofu_diag_count(d), 1);
        kofu_diag_free(&d);
    }
}

Test(stamp, meta_in_the_result)
{
    cr_assert_eq(setenv("SOURCE_DATE_EPOCH", "0", 1), 0);
    tcase t;
    tcase_run(&t, "[case]\nid = s\nfiscal_year = R4\n[network]\neligible_cost = 1000000\n",
              KOFU_LANG_EN);
    cr_expect_str_eq(tcase_str(&t, "meta.kofu_version"), KOFU_VERSION);
    cr_expect_str_eq(tcase_str(&t, "meta.computed_at"), "1970-01-01T09:00:00+09:00");
    cr_expect_str_eq(tcase_str(&t, "meta.rules.origin"), "builtin");
    cr_expect_eq(kofu_node_type(kofu_node_get(tcase_root(&t), "meta.rules.path")), KOFU_NODE_NULL);
    const char *digest = tcase_str(&t, "meta.rules.sha256");
    cr_expect_eq(strlen(digest), 64);
    cr_expect_str_eq(digest, kofu_rules_digest(t.rules));
    cr_expect_eq(strspn(digest, "0123456789abcdef"), 64);
    tcase_free(&t);
}

Test(stamp, options_time_wins_over_the_environment)
{
    cr_assert_eq(setenv("SOURCE_DATE_EPOCH", "not a number", 1), 0);
    tcase t;
    kofu_eval_options opt = {.lang = KOFU_LANG_EN, .computed_at = 1796115600};
    tcase_run_opts(&t, NULL, "[case]\nid = s\nfiscal_year = R4\n[network]\neligible_cost = 1\n",
                   &opt);
    cr_expect_str_eq(tcase_str(&t, "meta.computed_at"), "2026-12-01T18:00:00+09:00");
    tcase_free(&t);
}
