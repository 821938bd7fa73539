/*
 * test_sources.c — the bibliography (engine/sources.c): citations as people
 * read them for each kind of source, era dates, and the loader's checks of a
 * record (unknown key, bad id).
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "sources.h"
#include "support.h"

static char *cite(const char *record, const char *locator, kofu_lang lang)
{
    bibliography b;
    kofu_diag *d = NULL;
    cr_assert_eq(kofu_diag_new(KOFU_LANG_EN, &d), KOFU_OK);
    cr_assert_eq(sources_load("s.params", record, strlen(record), d, &b), KOFU_OK, "%s",
                 tdiag_text(d));
    cr_assert_eq(b.n, 1);
    char *t = source_cite_text(&b.entries[0], locator, lang);
    sources_free(&b);
    kofu_diag_free(&d);
    return t;
}

Test(sources, a_document_with_its_date_in_the_japanese_era)
{
    const char *rec = "[source.x]\nkind = 説明資料\nissuer = 総務省 過疎対策室\n"
                      "title = 過疎地域等集落ネットワーク圏形成支援事業について\ndate = 2022-05-10\n";
    char *ja = cite(rec, "（３）交付対象経費の上限額", KOFU_LANG_JA);
    cr_expect_str_eq(ja, "総務省 過疎対策室「過疎地域等集落ネットワーク圏形成支援事業について」"
                         "(令和4年5月10日) （３）交付対象経費の上限額");
    char *en = cite(rec, "（３）", KOFU_LANG_EN);
    cr_expect_str_eq(en, "総務省 過疎対策室, 「過疎地域等集落ネットワーク圏形成支援事業について」 "
                         "(2022-05-10) （３）");
    free(ja);
    free(en);
}

Test(sources, era_boundaries)
{
    static const struct {
        const char *date, *want;
    } cases[] = {
        {"2019-04-30", "平成31年4月30日"}, {"2019-05-01", "令和元年5月1日"},
        {"2019-05", "令和元年5月"},       {"1989-01-08", "平成元年1月8日"},
        {"1976-12", "昭和51年12月"},      {"2025", "令和7年"},
        {"令和3年度より前", "令和3年度より前"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char rec[256];
        snprintf(rec, sizeof rec, "[source.x]\nkind = 二次資料\nissuer = 県\ntitle = 表\ndate = %s\n",
                 cases[i].date);
        char *t = cite(rec, NULL, KOFU_LANG_JA);
        char want[128];
        snprintf(want, sizeof want, "県「表」(%s)［二次資料］", cases[i].want);
        cr_expect_str_eq(t, want, "%s", cases[i].date);
        free(t);
    }
}

Test(sources, a_statute_with_its_number_and_version)
{
    const char *rec = "[source.s]\nkind = 省令\nissuer = 総務省\ntitle = 特別交付税に関する省令\n"
                      "number = 昭和51年自治省令第35号\nas_of = 2025-03-19\n"
                      "amended_by = 令和7年総務省令第13号\n";
    char *ja = cite(rec, "第二条第一項第一号", KOFU_LANG_JA);
    cr_expect_str_eq(ja, "特別交付税に関する省令（昭和51年自治省令第35号、令和7年総務省令第13号による"
                         "改正後、令和7年3月19日時点） 第二条第一項第一号");
    free(ja);
    char *en = cite(rec, "第二条", KOFU_LANG_EN);
    cr_expect_str_eq(en, "特別交付税に関する省令 (昭和51年自治省令第35号, as amended by "
                         "令和7年総務省令第13号, as of 2025-03-19) 第二条");
    free(en);
}

Test(sources, kofus_own_interpretation_points_to_its_document)
{
    const char *rec = "[source.k]\nkind = kofu\ntitle = 暫定値と解釈の選択\n"
                      "title_en = provisional values and readings chosen\ndoc = docs/interpretations.md\n";
    char *ja = cite(rec, "逓減", KOFU_LANG_JA);
    cr_expect_str_eq(ja, "kofu の解釈「暫定値と解釈の選択」（docs/interpretations.md） 逓減");
    char *en = cite(rec, "逓減", KOFU_LANG_EN);
    cr_expect_str_eq(en, "kofu's own interpretation: provisional values and readings chosen "
                         "(docs/interpretations.md) 逓減");
    free(ja);
    free(en);
}

Test(sources, loader_rejects_bad_records)
{
    const char *text = "[source.Bad-Id]\nkind = 省令\n"
                       "[source.ok]\nkind = 通知\nissuer = 総務省\ntitle = t\ndate = 2020\nurl2 = x\n";
    bibliography b;
    kofu_diag *d = NULL;
    cr_assert_eq(kofu_diag_new(KOFU_LANG_EN, &d), KOFU_OK);
    cr_expect_eq(sources_load("s.params", text, strlen(text), d, &b), KOFU_ERULES);
    char *got = tdiag_text(d);
    cr_expect_str_eq(got, "s.params: [source.Bad-Id] a source record is [source.<id>] (the id in "
                          "lowercase letters, digits, _) (line 1)\n"
                          "s.params: [source.ok] url2: unknown key; did you mean url? (line 8)\n");
    free(got);
    sources_free(&b);
    kofu_diag_free(&d);
}

Test(sources, the_builtin_bibliography_loads)
{
    kofu_rules *r = trules_builtin();
    cr_expect_gt(r->bib.n, 8);
    const source_entry *s = sources_find(&r->bib, "tokko_shorei");
    cr_assert_not_null(s);
    cr_expect(source_is_statute(s));
    cr_expect_str_eq(s->as_of, "2025-03-19");
    kofu_rules_free(&r);
}
