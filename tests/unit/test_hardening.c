/*
 * test_hardening.c — the entry point the rule-data fuzzer uses
 * (params_load_measure), and the invariants the fuzz targets check, pinned
 * on inputs written by hand so that they hold without a fuzzer at hand.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "kofu/kofu.h"
#include "params.h"
#include "registry.h"
#include "rules_embedded.h"
#include "support.h"

static const measure_def *network(void)
{
    int m = registry_find("network");
    cr_assert(m >= 0);
    return registry_at((size_t)m);
}

static const rules_embedded_file *embedded(const char *name)
{
    for (const rules_embedded_file *f = rules_embedded; f->file; f++)
        if (strcmp(f->file, name) == 0)
            return f;
    cr_assert_fail("no embedded rules for %s", name);
    return NULL;
}

Test(hardening, builtin_params_load_from_a_buffer)
{
    const rules_embedded_file *f = embedded("network.params");
    kofu_diag *d = NULL;
    cr_assert_eq(kofu_diag_new(KOFU_LANG_EN, &d), KOFU_OK);
    measure_rules mr;
    memset(&mr, 0, sizeof mr);
    cr_expect_eq(params_load_measure(network(), "network.params", f->bytes, f->len, d, &mr), KOFU_OK);
    cr_expect_eq(kofu_diag_count(d), 0);
    cr_expect_not_null(rules_param(&mr, "cap_base"));
    params_measure_rules_free(&mr);
    kofu_diag_free(&d);
}

Test(hardening, a_value_without_source_fails_with_a_message)
{
    const rules_embedded_file *f = embedded("network.params");
    /* Drop the first "source =" line: the loader must say so, not load. */
    char *text = strndup(f->bytes, f->len);
    cr_assert_not_null(text);
    char *src = strstr(text, "\nsource = ");
    cr_assert_not_null(src);
    memcpy(src + 1, ";ource", 6);
    kofu_diag *d = NULL;
    cr_assert_eq(kofu_diag_new(KOFU_LANG_EN, &d), KOFU_OK);
    measure_rules mr;
    memset(&mr, 0, sizeof mr);
    cr_expect_eq(params_load_measure(network(), "x.params", text, strlen(text), d, &mr),
                 KOFU_ERULES);
    cr_assert_gt(kofu_diag_count(d), 0);
    cr_expect_str_eq(kofu_diag_key(d, 0), "source");
    cr_expect_str_eq(kofu_diag_message(d, 0), "required key is missing or empty");
    params_measure_rules_free(&mr);
    kofu_diag_free(&d);
    free(text);
}

Test(hardening, garbage_params_fail_with_a_message)
{
    static const char garbage[] = "\x00\x01\x02[[[";
    kofu_diag *d = NULL;
    cr_assert_eq(kofu_diag_new(KOFU_LANG_EN, &d), KOFU_OK);
    measure_rules mr;
    memset(&mr, 0, sizeof mr);
    cr_expect_eq(params_load_measure(network(), "x.params", garbage, sizeof garbage - 1, d, &mr),
                 KOFU_ERULES);
    cr_expect_gt(kofu_diag_count(d), 0);
    params_measure_rules_free(&mr);
    kofu_diag_free(&d);
}

/* Every failed case load says why (the case fuzzer's first invariant). */
Test(hardening, every_failure_has_a_message)
{
    static const char *const inputs[] = {
        "", "\xef\xbb\xbf", "\xff\xfe[\x00", "[case]", "[case]\nid = a\n", "=\n", "[", "]",
        "[case]\nid = a\nfiscal_year = R7\n[claim]\nx = 1\n", "\\", "[a]\\\n",
    };
    kofu_rules *rules = trules_builtin();
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        kofu_diag *d = NULL;
        cr_assert_eq(kofu_diag_new(KOFU_LANG_JA, &d), KOFU_OK);
        kofu_case *c = NULL;
        size_t len = i == 2 ? 4 : strlen(inputs[i]);
        kofu_status st = kofu_case_load_buffer(rules, "t.ini", inputs[i], len, d, &c);
        cr_expect_eq(st, KOFU_ECASE, "input %zu", i);
        cr_expect_gt(kofu_diag_count(d), 0, "input %zu", i);
        cr_expect_null(c);
        kofu_diag_free(&d);
    }
    kofu_rules_free(&rules);
}
