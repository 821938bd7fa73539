/*
 * test_case.c — unit tests for engine/case.c: case files loaded from memory,
 * every kind of rejection with its exact message (through kofu_diag, in both
 * languages), what is accepted (every notation of `kofu help case`, BOM, CRLF), the
 * order and ids of sections, and kofu_case_set (the sweep entry point).
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "num.h"
#include "registry.h"
#include "support.h"

static kofu_rules *rules;

static void setup(void) { rules = trules_builtin(); }
static void teardown(void) { kofu_rules_free(&rules); }

TestSuite(case_file, .init = setup, .fini = teardown);

/* Loads text; expects status st and exactly the messages `want`. */
static void expect_load(kofu_lang lang, const char *text, kofu_status st, const char *want)
{
    kofu_diag *d = NULL;
    kofu_case *c = NULL;
    cr_assert_eq(kofu_diag_new(lang, &d), KOFU_OK);
    kofu_status got = kofu_case_load_buffer(rules, "c.ini", text, strlen(text), d, &c);
    char *msgs = tdiag_text(d);
    cr_expect_eq(got, st, "status %d, want %d; messages:\n%s", got, st, msgs);
    cr_expect_str_eq(msgs, want);
    if (st != KOFU_OK)
        cr_expect_null(c);
    free(msgs);
    kofu_case_free(&c);
    kofu_diag_free(&d);
}

static kofu_case *load_ok(const char *text)
{
    kofu_diag *d = NULL;
    kofu_case *c = NULL;
    cr_assert_eq(kofu_diag_new(KOFU_LANG_EN, &d), KOFU_OK);
    kofu_status st = kofu_case_load_buffer(rules, "c.ini", text, strlen(text), d, &c);
    char *msgs = tdiag_text(d);
    cr_assert_eq(st, KOFU_OK, "%s", msgs);
    free(msgs);
    kofu_diag_free(&d);
    return c;
}

#define HEAD "[case]\nid = t\nfiscal_year = R4\n"

/* ---- accepted ------------------------------------------------------------- */

Test(case_file, the_case_section)
{
    kofu_case *c = load_ok("[case]\nid = town-01_a.b\nfiscal_year = 令和元年度\nentity = 市町村\nname = 〇〇町\n");
    cr_expect_str_eq(kofu_case_id(c), "town-01_a.b");
    cr_expect_eq(kofu_case_fiscal_year(c), 2019);
    cr_expect_eq(c->entity, KOFU_ENTITY_MUNICIPALITY);
    cr_expect_str_eq(kofu_case_name(c), "〇〇町");
    cr_expect_str_eq(kofu_case_file(c), "c.ini");
    kofu_case_free(&c);
    cr_expect_null(c);
    c = load_ok("[CASE]\nID = p\nFiscal_Year = H30\nentity = Prefecture\n");
    cr_expect_eq(kofu_case_fiscal_year(c), 2018);
    cr_expect_eq(c->entity, KOFU_ENTITY_PREFECTURE);
    cr_expect_str_eq(kofu_case_name(c), "");
    kofu_case_free(&c);
}

Test(case_file, every_amount_notation)
{
    static const char *const notations[] = {"1200000", "1,200,000", "1200千円", "120万円",
                                            "1,200,000円", NULL};
    for (int i = 0; notations[i]; i++) {
        char text[256];
        snprintf(text, sizeof text, HEAD "[network]\neligible_cost = %s\n", notations[i]);
        kofu_case *c = load_ok(text);
        cr_assert_eq(c->n_sections, 1);
        const kofu_num *v = sec_num(&c->sections[0], "eligible_cost");
        cr_assert_not_null(v);
        cr_expect_eq(num_cmp_int(v, 1200000), 0, "%s", notations[i]);
        cr_expect_str_eq(sec_raw(&c->sections[0], "eligible_cost"), notations[i]);
        kofu_case_free(&c);
    }
}

Test(case_file, every_boolean_notation)
{
    static const char *const yes[] = {"yes", "true", "1", "はい", "YES", "True", NULL};
    static const char *const no[] = {"no", "false", "0", "いいえ", "No", NULL};
    for (int pass = 0; pass < 2; pass++) {
        const char *const *list = pass ? no : yes;
        for (int i = 0; list[i]; i++) {
            char text[256];
            snprintf(text, sizeof text, HEAD "[network]\neligible_cost = 1\nict = %s\n", list[i]);
            kofu_case *c = load_ok(text);
            cr_expect_eq(sec_bool(&c->sections[0], "ict", !pass), !pass, "%s", list[i]);
            cr_expect_eq(sec_has(&c->sections[0], "ict"), true);
            kofu_case_free(&c);
        }
    }
    kofu_case *c = load_ok(HEAD "[network]\neligible_cost = 1\n");
    cr_expect_not(sec_has(&c->sections[0], "ict"));
    cr_expect_eq(sec_bool(&c->sections[0], "ict", false), false);
    kofu_case_free(&c);
}

Test(case_file, bom_crlf_and_comments)
{
    const char *text = "\xEF\xBB\xBF; comment\r\n# another\r\n[case]\r\nid = b\r\nfiscal_year = R4\r\n"
                       "\r\n[network]\r\neligible_cost = 1000 ; trailing comment\r\n";
    kofu_case *c = load_ok(text);
    cr_expect_str_eq(kofu_case_id(c), "b");
    cr_expect_eq(num_cmp_int(sec_num(&c->sections[0], "eligible_cost"), 1000), 0);
    kofu_case_free(&c);
}

Test(case_file, sections_in_file_order_with_their_ids)
{
    kofu_case *c = load_ok(HEAD "[network.z]\neligible_cost = 1\n[network]\neligible_cost = 2\n"
                                "[network.A-1]\neligible_cost = 3\n");
    cr_assert_eq(c->n_sections, 3);
    cr_expect_str_eq(sec_id(&c->sections[0]), "z");
    cr_expect_str_eq(sec_id(&c->sections[1]), "");
    cr_expect_str_eq(sec_id(&c->sections[2]), "A-1"); /* the id keeps its case */
    cr_expect_str_eq(sec_name(&c->sections[2]), "network.A-1");
    cr_expect_str_eq(sec_def_name(&c->sections[2]), "network");
    cr_expect_eq(sec_line(&c->sections[1]), 6);
    cr_expect_eq(sec_key_line(&c->sections[1], "eligible_cost"), 7);
    kofu_case_free(&c);
}

/* Loads one section named `name` after [case]: every measure section the
 * loader found must be of definition `sd`, and no message may call it
 * unknown or name a key `sd` does not have. */
static void expect_section_of(const char *name, const section_def *sd)
{
    char text[512];
    snprintf(text, sizeof text, HEAD "entity = prefecture\n[%s]\n", name);
    kofu_diag *d = NULL;
    kofu_case *c = NULL;
    cr_assert_eq(kofu_diag_new(KOFU_LANG_EN, &d), KOFU_OK);
    kofu_status st = kofu_case_load_buffer(rules, "c.ini", text, strlen(text), d, &c);
    for (size_t i = 0; i < kofu_diag_count(d); i++) {
        cr_expect_null(strstr(kofu_diag_message(d, i), "unknown section"), "[%s]: %s", name,
                       kofu_diag_message(d, i));
        if (strcmp(kofu_diag_section(d, i), name) == 0 && kofu_diag_key(d, i)[0])
            cr_expect_geq(section_key_index(sd, kofu_diag_key(d, i)), 0, "[%s] as %s: key %s",
                          name, sd->name, kofu_diag_key(d, i));
    }
    if (st == KOFU_OK) {
        cr_assert_eq(c->n_sections, 1, "[%s]", name);
        cr_expect_eq(c->sections[0].def, sd, "[%s] read as %s", name, sec_def_name(&c->sections[0]));
    }
    kofu_case_free(&c);
    kofu_diag_free(&d);
}

/* The loader finds each section's definition through a table grouped by the
 * first byte of the name: every definition of every measure is reached, the
 * longest name winning ("cooperative.worker.a" is a worker). */
Test(case_file, every_section_definition_is_found)
{
    size_t n = 0;
    for (size_t m = 0; m < registry_count(); m++)
        for (const section_def *sd = registry_at(m)->sections; sd && sd->name; sd++, n++) {
            char name[256];
            if (sd->form & SEC_PLAIN)
                expect_section_of(sd->name, sd);
            if (sd->form & SEC_SUFFIXED) {
                snprintf(name, sizeof name, "%s.a", sd->name);
                expect_section_of(name, sd);
            }
        }
    cr_expect_gt(n, 0u);
    expect_load(KOFU_LANG_EN, HEAD "[zzz]\n", KOFU_ECASE,
                "c.ini: [zzz] unknown section (kofu help case lists the sections) (line 4)\n");
}

Test(case_file, amount_bounds)
{
    kofu_case *c = load_ok(HEAD "[network]\neligible_cost = 1000000000000000\n");
    kofu_case_free(&c);
    c = load_ok(HEAD "[network]\neligible_cost = 0\n");
    kofu_case_free(&c);
}

/* Numbers within plain-integer bounds are settled in one step
 * (parse_number_quietly); those outside, or not numbers, are read again the
 * full way, which reports them: the same values, lines and messages as
 * ever. coefficient is a ratio bounded by "0" and "1". */
Test(case_file, numbers_at_and_past_their_bounds)
{
    static const struct {
        const char *text;
        int64_t num, den;
    } ok[] = {{"0", 0, 1}, {"1", 1, 1}, {"100%", 1, 1}, {"1.000", 1, 1}, {"0.25", 1, 4},
              {" 0.5 ", 1, 2}, {"12.5%", 1, 8}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, HEAD "[fiscal_capacity]\nindex = 0.5\ncoefficient = %s\n",
                 ok[i].text);
        kofu_case *c = load_ok(text);
        cr_assert_eq(c->n_sections, 1);
        const case_section *s = &c->sections[0];
        const kofu_num *n = sec_num(s, "coefficient");
        cr_assert_not_null(n, "%s", ok[i].text);
        kofu_num want;
        num_init(&want);
        num_set_int(&want, ok[i].num);
        kofu_num den;
        num_init(&den);
        num_set_int(&den, ok[i].den);
        num_div(&want, &want, &den);
        cr_expect_eq(num_cmp(n, &want), 0, "%s", ok[i].text);
        cr_expect_eq(sec_key_line(s, "coefficient"), 6, "%s", ok[i].text);
        cr_expect_str_eq(sec_raw(s, "coefficient"), ok[i].text[0] == ' ' ? "0.5" : ok[i].text);
        cr_expect(sec_has(s, "index"));
        num_clear(&want);
        num_clear(&den);
        kofu_case_free(&c);
    }
    expect_load(KOFU_LANG_EN, HEAD "[fiscal_capacity]\nindex = 0.5\ncoefficient = 1.01\n", KOFU_ECASE,
                "c.ini: [fiscal_capacity] coefficient: out of range: 1.01 (must be at most 100%) "
                "(line 6)\n");
    expect_load(KOFU_LANG_EN, HEAD "[fiscal_capacity]\nindex = 0.5\ncoefficient = 101%\n", KOFU_ECASE,
                "c.ini: [fiscal_capacity] coefficient: out of range: 101% (must be at most 100%) "
                "(line 6)\n");
    expect_load(KOFU_LANG_EN, HEAD "[fiscal_capacity]\nindex = 0.5\ncoefficient = -1\n", KOFU_ECASE,
                "c.ini: [fiscal_capacity] coefficient: must not be negative: -1 (expected a ratio "
                "(e.g. 0.75, 75%)) (line 6)\n");
    expect_load(KOFU_LANG_EN, HEAD "[fiscal_capacity]\nindex = 0.5\ncoefficient =\n", KOFU_ECASE,
                "c.ini: [fiscal_capacity] coefficient: no value (expected a ratio (e.g. 0.75, 75%)) "
                "(line 6)\n");
}

/* ---- rejected: form ---------------------------------------------------------- */

Test(case_file, missing_case_section)
{
    expect_load(KOFU_LANG_JA, "[network]\neligible_cost = 1\n", KOFU_ECASE,
                "c.ini: [case] セクションがありません（id と fiscal_year を書いてください）\n");
    expect_load(KOFU_LANG_EN, "[network.a]\neligible_cost = 1\n", KOFU_ECASE,
                "c.ini: [case] section is missing (it needs id and fiscal_year)\n");
    /* no section at all: the INI reader's own message */
    expect_load(KOFU_LANG_EN, "", KOFU_ECASE, "c.ini: empty file\n");
    expect_load(KOFU_LANG_EN, "; only a comment\n", KOFU_ECASE, "c.ini: empty file\n");
}

Test(case_file, required_keys)
{
    expect_load(KOFU_LANG_EN, "[case]\nname = x\n", KOFU_ECASE,
                "c.ini: [case] id: required key is missing (line 1)\n"
                "c.ini: [case] fiscal_year: required key is missing (line 1)\n");
    expect_load(KOFU_LANG_JA, HEAD "[network.a]\nict = yes\n", KOFU_ECASE,
                "c.ini: [network.a] eligible_cost: 必須のキーがありません（4行目）\n");
    /* a key given with a bad value, or in capitals, is not missing */
    expect_load(KOFU_LANG_EN, "[case]\nID = bad id!\nFiscal_Year = 1900\n", KOFU_ECASE,
                "c.ini: [case] id: an id may hold only letters, digits, . _ - (at most 128): "
                "bad id! (line 2)\n"
                "c.ini: [case] fiscal_year: not a fiscal year: 1900 (e.g. 2025, FY2025, R7, "
                "令和7年度, H30) (line 3)\n");
    expect_load(KOFU_LANG_EN, "[case]\nId = t\n", KOFU_ECASE,
                "c.ini: [case] fiscal_year: required key is missing (line 1)\n");
}

Test(case_file, case_values)
{
    expect_load(KOFU_LANG_EN, "[case]\nid = a/b\nfiscal_year = 2025年\nentity = city\n", KOFU_ECASE,
                "c.ini: [case] id: an id may hold only letters, digits, . _ - (at most 128): a/b (line 2)\n"
                "c.ini: [case] fiscal_year: not a fiscal year: 2025年 (e.g. 2025, FY2025, R7, 令和7年度, H30) (line 3)\n"
                "c.ini: [case] entity: entity must be municipality (市町村) or prefecture (道府県): city (line 4)\n");
    char longid[200] = "[case]\nfiscal_year = R4\nid = ";
    memset(longid + strlen(longid), 'x', 129);
    strcat(longid, "\n");
    kofu_diag *d = NULL;
    kofu_case *c = NULL;
    cr_assert_eq(kofu_diag_new(KOFU_LANG_EN, &d), KOFU_OK);
    cr_expect_eq(kofu_case_load_buffer(rules, "c.ini", longid, strlen(longid), d, &c), KOFU_ECASE);
    cr_assert_eq(kofu_diag_count(d), 1);
    cr_expect_str_eq(kofu_diag_key(d, 0), "id");
    kofu_diag_free(&d);
}

Test(case_file, unknown_sections_and_keys_with_suggestions)
{
    expect_load(KOFU_LANG_EN,
                HEAD "[netwrok]\neligible_cost = 1\n[NETWROK.b]\neligible_cost = 1\n[network.c]\n"
                     "eligble_cost = 1\neligible_cost = 1\nict = yes\nbudget = 3\n[xyz]\n[case.extra]\n",
                KOFU_ECASE,
                "c.ini: [netwrok] unknown section; did you mean [network]? (line 4)\n"
                "c.ini: [NETWROK.b] unknown section; did you mean [network.b]? (line 6)\n"
                "c.ini: [network.c] eligble_cost: unknown key; did you mean eligible_cost? (line 9)\n"
                "c.ini: [network.c] budget: unknown key (kofu help case lists the keys) (line 12)\n"
                "c.ini: [xyz] unknown section (kofu help case lists the sections) (line 13)\n"
                "c.ini: [case.extra] unknown section (kofu help case lists the sections) (line 14)\n");
    expect_load(KOFU_LANG_JA, "[case]\nid = t\nfiscal_yeer = R4\n", KOFU_ECASE,
                "c.ini: [case] fiscal_yeer: 不明なキーです。fiscal_year の誤りではありませんか？（3行目）\n"
                "c.ini: [case] fiscal_year: 必須のキーがありません（1行目）\n");
}

Test(case_file, typed_values)
{
    expect_load(KOFU_LANG_EN,
                HEAD "[network.a]\neligible_cost = abc\n[network.b]\neligible_cost = -1\n"
                     "[network.c]\neligible_cost = 0.5\n[network.d]\neligible_cost = 1000000000000001\n"
                     "[network.e]\neligible_cost = 1.2.3\n[network.f]\neligible_cost =\n"
                     "[network.g]\neligible_cost = 1\nspecialist = maybe\n",
                KOFU_ECASE,
                "c.ini: [network.a] eligible_cost: not a number: abc (expected an amount (e.g. 1200000, 1,200,000, 1200千円, 120万円)) (line 5)\n"
                "c.ini: [network.b] eligible_cost: amounts cannot be negative: -1 (write an amount of 0 or more) (line 7)\n"
                "c.ini: [network.c] eligible_cost: must be a whole number of yen: 0.5 (expected an amount (e.g. 1200000, 1,200,000, 1200千円, 120万円)) (line 9)\n"
                "c.ini: [network.d] eligible_cost: too large (at most 10^15): 1000000000000001 (expected an amount (e.g. 1200000, 1,200,000, 1200千円, 120万円)) (line 11)\n"
                "c.ini: [network.e] eligible_cost: not a number: 1.2.3 (expected an amount (e.g. 1200000, 1,200,000, 1200千円, 120万円)) (line 13)\n"
                "c.ini: [network.f] eligible_cost: no value (expected an amount (e.g. 1200000, 1,200,000, 1200千円, 120万円)) (line 15)\n"
                "c.ini: [network.g] specialist: not a boolean: maybe (yes/no, true/false, 1/0, はい/いいえ) (line 18)\n");
}

Test(case_file, bad_section_id)
{
    expect_load(KOFU_LANG_JA, HEAD "[network.a b]\neligible_cost = 1\n", KOFU_ECASE,
                "c.ini: [network.a b] セクション名の . の後のIDに使えるのは英数字と . _ - だけです: a b（4行目）\n");
}

Test(case_file, duplicates)
{
    kofu_diag *d = NULL;
    kofu_case *c = NULL;
    const char *text = HEAD "[network]\neligible_cost = 1\neligible_cost = 2\n";
    cr_assert_eq(kofu_diag_new(KOFU_LANG_EN, &d), KOFU_OK);
    cr_expect_eq(kofu_case_load_buffer(rules, "c.ini", text, strlen(text), d, &c), KOFU_ECASE);
    cr_assert_eq(kofu_diag_count(d), 1);
    cr_expect_str_eq(kofu_diag_section(d, 0), "network");
    cr_expect_str_eq(kofu_diag_key(d, 0), "eligible_cost");
    cr_expect_eq(kofu_diag_line(d, 0), 6);
    kofu_diag_clear(d);
    text = HEAD "[network.a]\neligible_cost = 1\n[network.A]\n";
    cr_expect_eq(kofu_case_load_buffer(rules, "c.ini", text, strlen(text), d, &c), KOFU_ECASE);
    cr_assert_eq(kofu_diag_count(d), 1);
    cr_expect_eq(kofu_diag_line(d, 0), 6);
    kofu_diag_free(&d);
}

/* ---- rejected: meaning -------------------------------------------------------- */

Test(case_file, measure_not_open_to_the_entity)
{
    expect_load(KOFU_LANG_EN, "[case]\nid = p\nfiscal_year = R4\nentity = prefecture\n[network]\neligible_cost = 1\n",
                KOFU_ECASE,
                "c.ini: [network] network is not open to a prefecture (open to: municipality) (line 5)\n");
    expect_load(KOFU_LANG_JA, "[case]\nid = p\nfiscal_year = R4\nentity = 道府県\n[network.x]\neligible_cost = 1\n",
                KOFU_ECASE,
                "c.ini: [network.x] network は道府県の措置ではありません（対象: municipality）（5行目）\n");
}

Test(case_file, fiscal_year_before_the_first_value)
{
    expect_load(KOFU_LANG_EN, "[case]\nid = o\nfiscal_year = 2014\n[network]\neligible_cost = 1\n", KOFU_ECASE,
                "c.ini: [network] no value of parameter network.cap_base in FY2014 (H26): its first value is from FY2015 (H27) (line 4)\n");
    expect_load(KOFU_LANG_JA, "[case]\nid = o\nfiscal_year = 平成26年度\n[network]\neligible_cost = 1\n", KOFU_ECASE,
                "c.ini: [network] パラメータ network.cap_base の値は平成26年度 (FY2014)にはありません（最初の値は平成27年度 (FY2015)から）（4行目）\n");
    kofu_case *c = load_ok("[case]\nid = o\nfiscal_year = 2015\n[network]\neligible_cost = 1\n");
    kofu_case_free(&c);
}

Test(case_file, claims)
{
    kofu_case *c = load_ok(HEAD "[network]\neligible_cost = 1000\n[claim]\nnetwork.grant = 1,000円\n"
                                "totals.national_grant = 1000\nnetwork.remaining_cost = 0\n");
    cr_assert_eq(c->n_claims, 3);
    cr_expect_str_eq(c->claims[0].key, "network.grant");
    cr_expect_eq(num_cmp_int(&c->claims[0].amount, 1000), 0);
    cr_expect_eq(c->claims[1].line, 8);
    kofu_case_free(&c);
    expect_load(KOFU_LANG_EN, HEAD "[claim]\nnetwork.grant = 1\nnetwork.cap = 1\ntotals.all = 1\ngrant = 1\n",
                KOFU_ECASE,
                "c.ini: [claim] network.grant: the case has no network measure (line 5)\n"
                "c.ini: [claim] network.cap: the case has no network measure (line 6)\n"
                "c.ini: [claim] totals.all: not a claimable amount (measure.amount or totals.amount; see kofu help check) (line 7)\n"
                "c.ini: [claim] grant: not a claimable amount (measure.amount or totals.amount; see kofu help check) (line 8)\n");
    expect_load(KOFU_LANG_EN, HEAD "[network]\neligible_cost = 1\n[claim]\nnetwork.cap = 1\n", KOFU_ECASE,
                "c.ini: [claim] network.cap: not a claimable amount (measure.amount or totals.amount; see kofu help check) (line 7)\n");
    expect_load(KOFU_LANG_EN, HEAD "[claim]\ntotals.national_grant = -1\n", KOFU_ECASE,
                "c.ini: [claim] totals.national_grant: amounts cannot be negative: -1 (write an amount of 0 or more) (line 5)\n");
}

Test(case_file, diag_items_name_file_section_key_line)
{
    kofu_diag *d = NULL;
    kofu_case *c = NULL;
    const char *text = HEAD "[network.k]\neligible_cost = x\n";
    cr_assert_eq(kofu_diag_new(KOFU_LANG_EN, &d), KOFU_OK);
    cr_expect_eq(kofu_case_load_buffer(rules, "dir/k.ini", text, strlen(text), d, &c), KOFU_ECASE);
    cr_assert_eq(kofu_diag_count(d), 1);
    cr_expect_str_eq(kofu_diag_file(d, 0), "dir/k.ini");
    cr_expect_str_eq(kofu_diag_section(d, 0), "network.k");
    cr_expect_str_eq(kofu_diag_key(d, 0), "eligible_cost");
    cr_expect_eq(kofu_diag_line(d, 0), 5);
    kofu_diag_free(&d);
}

Test(case_file, usage_errors)
{
    kofu_case *c = NULL;
    cr_expect_eq(kofu_case_load_buffer(NULL, "x", "", 0, NULL, &c), KOFU_EUSAGE);
    cr_expect_eq(kofu_case_load_buffer(rules, "x", NULL, 3, NULL, &c), KOFU_EUSAGE);
    cr_expect_eq(kofu_case_load_buffer(rules, "x", "", 0, NULL, NULL), KOFU_EUSAGE);
    /* not NUL-terminated: only len bytes are read */
    const char buf[] = "[case]\nid = n\nfiscal_year = R4\nGARBAGE";
    cr_expect_eq(kofu_case_load_buffer(rules, "x", buf, sizeof buf - 1 - 7, NULL, &c), KOFU_OK);
    kofu_case_free(&c);
}

/* ---- kofu_case_set --------------------------------------------------------------- */

static int64_t grant_of(kofu_case *c)
{
    kofu_result *r = NULL;
    cr_assert_eq(kofu_evaluate(rules, c, NULL, NULL, &r), KOFU_OK);
    int64_t g = kofu_node_int(kofu_node_get(kofu_result_root(r), "measures.network.grant"));
    kofu_result_free(&r);
    return g;
}

Test(case_file, set_replaces_and_adds_values)
{
    kofu_case *c = load_ok(HEAD "[network.a]\neligible_cost = 30,000,000\n");
    cr_expect_eq(grant_of(c), 15000000);
    kofu_diag *d = NULL;
    cr_assert_eq(kofu_diag_new(KOFU_LANG_EN, &d), KOFU_OK);
    cr_expect_eq(kofu_case_set(c, "network.a.ict", "yes", d), KOFU_OK);
    cr_expect_eq(grant_of(c), 25000000);
    cr_expect_eq(kofu_case_set(c, "NETWORK.A.eligible_cost", "12,345,678円", d), KOFU_OK);
    cr_expect_eq(grant_of(c), 12345000);
    cr_expect_eq(kofu_diag_count(d), 0);
    kofu_diag_free(&d);
    kofu_case_free(&c);
}

Test(case_file, set_rejects_with_the_loader_messages)
{
    kofu_case *c = load_ok(HEAD "[network]\neligible_cost = 1000\n");
    kofu_diag *d = NULL;
    cr_assert_eq(kofu_diag_new(KOFU_LANG_EN, &d), KOFU_OK);
    cr_expect_eq(kofu_case_set(c, "network.eligible_cost", "-5", d), KOFU_ECASE);
    cr_expect_eq(kofu_case_set(c, "network.eligble_cost", "5", d), KOFU_ECASE);
    cr_expect_eq(kofu_case_set(c, "network.zz.eligible_cost", "5", d), KOFU_ECASE);
    cr_expect_eq(kofu_case_set(c, "eligible_cost", "5", d), KOFU_ECASE);
    cr_expect_eq(kofu_case_set(c, "network.ict", "perhaps", d), KOFU_ECASE);
    char *msgs = tdiag_text(d);
    cr_expect_str_eq(msgs,
                     "c.ini: [network] eligible_cost: amounts cannot be negative: -5 (write an amount of 0 or more)\n"
                     "c.ini: [network] eligble_cost: unknown key; did you mean eligible_cost?\n"
                     "c.ini: [network.zz] the case has no such section\n"
                     "c.ini: eligible_cost: expected SECTION.KEY\n"
                     "c.ini: [network] ict: not a boolean: perhaps (yes/no, true/false, 1/0, はい/いいえ)\n");
    free(msgs);
    kofu_diag_free(&d);
    /* a rejected value leaves the key absent rather than half-set */
    cr_expect_not(sec_has(&c->sections[0], "ict"));
    kofu_case_free(&c);
}
