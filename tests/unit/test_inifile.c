/*
 * test_inifile.c — unit tests for engine/inifile.c: strict INI reading on top
 * of iniparser 4.1 (`kofu help case`). Messages are checked word for word, since they
 * are what a user sees.
 */
#include <criterion/criterion.h>

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inifile.h"
#include "support.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

typedef struct parsed {
    kofu_status st;
    kofu_diag *d;
    ini_file *f;
} parsed;

static parsed parse_n(const char *text, size_t len, kofu_lang lang)
{
    parsed p = {0};
    cr_assert_eq(kofu_diag_new(lang, &p.d), KOFU_OK);
    p.st = ini_parse("case.ini", text, len, KOFU_ECASE, p.d, &p.f);
    return p;
}

static parsed parse(const char *text) { return parse_n(text, strlen(text), KOFU_LANG_EN); }

static void done(parsed *p)
{
    ini_free(&p->f);
    kofu_diag_free(&p->d);
}

static void dump_diag(const parsed *p)
{
    for (size_t i = 0; i < kofu_diag_count(p->d); i++) {
        char *s = kofu_diag_format(p->d, i);
        cr_log_info("diag %zu: %s", i, s);
        free(s);
    }
}

static parsed expect_ok(const char *text)
{
    parsed p = parse(text);
    if (p.st != KOFU_OK)
        dump_diag(&p);
    cr_assert_eq(p.st, KOFU_OK, "status %s", kofu_status_name(p.st));
    cr_assert_not_null(p.f);
    cr_assert_eq(kofu_diag_count(p.d), 0);
    return p;
}

/* Item i of a failed parse: its line and exact message. */
static void expect_item(const parsed *p, size_t i, int line, const char *msg)
{
    cr_assert_lt(i, kofu_diag_count(p->d), "only %zu items", kofu_diag_count(p->d));
    cr_expect_str_eq(kofu_diag_message(p->d, i), msg);
    cr_expect_eq(kofu_diag_line(p->d, i), line, "item %zu: line %d, want %d", i,
                 kofu_diag_line(p->d, i), line);
}

static void expect_failed(const parsed *p, size_t n_items)
{
    if (kofu_diag_count(p->d) != n_items)
        dump_diag(p);
    cr_expect_eq(p->st, KOFU_ECASE, "status %s", kofu_status_name(p->st));
    cr_expect_null(p->f);
    cr_expect_eq(kofu_diag_count(p->d), n_items, "%zu items, want %zu", kofu_diag_count(p->d),
                 n_items);
}

/* A text that must fail with exactly one problem. */
static void expect_error_n(const char *text, size_t len, int line, const char *msg)
{
    parsed p = parse_n(text, len, KOFU_LANG_EN);
    expect_failed(&p, 1);
    expect_item(&p, 0, line, msg);
    cr_expect_str_eq(kofu_diag_file(p.d, 0), "case.ini");
    done(&p);
}

static void expect_error(const char *text, int line, const char *msg)
{
    expect_error_n(text, strlen(text), line, msg);
}

static const char *value_of(const ini_file *f, const char *sec, const char *key)
{
    const ini_entry *e = ini_find_entry(ini_find_section(f, sec), key);
    cr_assert_not_null(e, "no %s.%s", sec, key);
    return e->value;
}

/* A fresh directory per test (Criterion runs tests in parallel). */
static char tmpdir[TDIR_MAX];

static void make_tmpdir(void) { tdir_make(tmpdir, "ini"); }
static void remove_tmpdir(void) { tdir_remove(tmpdir); }

static char *write_file(const char *name, const char *bytes, size_t len)
{
    char *path = xasprintf("%s/%s", tmpdir, name);
    cr_assert_not_null(path);
    FILE *fp = fopen(path, "wb");
    cr_assert_not_null(fp);
    cr_assert_eq(fwrite(bytes, 1, len, fp), len);
    cr_assert_eq(fclose(fp), 0);
    return path;
}

static parsed load(const char *path, kofu_lang lang)
{
    parsed p = {0};
    cr_assert_eq(kofu_diag_new(lang, &p.d), KOFU_OK);
    p.st = ini_load(path, KOFU_ECASE, p.d, &p.f);
    return p;
}

/* ------------------------------------------------------------------ */
/* Well-formed files                                                   */

Test(inifile, normal_file_with_comments)
{
    parsed p = expect_ok("; a comment\n"
                         "# another comment\n"
                         "\n"
                         "[case]\n"
                         "id = sample-town ; inline comment\n"
                         "fiscal_year = R7 # inline comment\n"
                         "  indented   =   spaced out  \n"
                         "[cooperative]\n"
                         "secretariat_cost = 4,000,000\n");
    cr_assert_eq(p.f->n_sections, 2);
    const ini_section *s = &p.f->sections[0];
    cr_expect_str_eq(s->name, "case");
    cr_expect_eq(s->line, 4);
    cr_assert_eq(s->n_entries, 3);
    cr_expect_str_eq(s->entries[0].key, "id");
    cr_expect_str_eq(s->entries[0].value, "sample-town");
    cr_expect_eq(s->entries[0].line, 5);
    cr_expect_str_eq(s->entries[1].value, "R7");
    cr_expect_str_eq(s->entries[2].key, "indented");
    cr_expect_str_eq(s->entries[2].value, "spaced out");
    cr_expect_str_eq(value_of(p.f, "cooperative", "secretariat_cost"), "4,000,000");
    cr_expect_str_eq(p.f->display_name, "case.ini");
    done(&p);
}

Test(inifile, quotes)
{
    parsed p = expect_ok("[s]\n"
                         "a = \"x;y\"\n"
                         "b = 'p#q'\n"
                         "c = \" padded \"\n"
                         "d = \"\"\n"
                         "e = ''\n"
                         "f = \"v\" ; comment after the quote\n"
                         "g = 〇〇町\n");
    cr_expect_str_eq(value_of(p.f, "s", "a"), "x;y");
    cr_expect_str_eq(value_of(p.f, "s", "b"), "p#q");
    cr_expect_str_eq(value_of(p.f, "s", "c"), " padded ");
    cr_expect_str_eq(value_of(p.f, "s", "d"), "");
    cr_expect_str_eq(value_of(p.f, "s", "e"), "");
    cr_expect_str_eq(value_of(p.f, "s", "f"), "v");
    cr_expect_str_eq(value_of(p.f, "s", "g"), "〇〇町");
    done(&p);
}

Test(inifile, key_with_no_value_is_empty)
{
    parsed p = expect_ok("[s]\na =\nb = ; nothing\nc=\n");
    cr_expect_str_eq(value_of(p.f, "s", "a"), "");
    cr_expect_str_eq(value_of(p.f, "s", "b"), "");
    cr_expect_str_eq(value_of(p.f, "s", "c"), "");
    done(&p);
}

Test(inifile, crlf)
{
    parsed p = expect_ok("[s]\r\na = 1\r\nb = \"q\"\r\nc =\r\n; c\r\nd = x\r\n");
    cr_expect_str_eq(value_of(p.f, "s", "a"), "1");
    cr_expect_str_eq(value_of(p.f, "s", "b"), "q");
    cr_expect_str_eq(value_of(p.f, "s", "c"), "");
    cr_expect_str_eq(value_of(p.f, "s", "d"), "x");
    cr_expect_eq(ini_find_entry(ini_find_section(p.f, "s"), "d")->line, 6);
    done(&p);
}

Test(inifile, utf8_bom_accepted)
{
    parsed p = expect_ok("\xEF\xBB\xBF[case]\nid = a\n");
    cr_expect_str_eq(p.f->sections[0].name, "case");
    cr_expect_eq(p.f->sections[0].line, 1);
    cr_expect_str_eq(value_of(p.f, "case", "id"), "a");
    done(&p);
}

Test(inifile, case_preserved)
{
    parsed p = expect_ok("[Cooperative.Worker.A]\nPersonnel_Cost = 3400千円\n");
    const ini_section *s = &p.f->sections[0];
    cr_expect_str_eq(s->name, "Cooperative.Worker.A");
    cr_expect_str_eq(s->name_lc, "cooperative.worker.a");
    cr_expect_str_eq(s->entries[0].key, "Personnel_Cost");
    cr_expect_str_eq(s->entries[0].key_lc, "personnel_cost");
    cr_expect_str_eq(s->entries[0].value, "3400千円");
    done(&p);
}

Test(inifile, find_is_case_insensitive)
{
    parsed p = expect_ok("[Case]\nID = x\n[other]\nk = v\n");
    const ini_section *s = ini_find_section(p.f, "CASE");
    cr_assert_not_null(s);
    cr_expect_str_eq(s->name, "Case");
    cr_expect_eq(ini_find_section(p.f, "case"), s);
    cr_expect_not_null(ini_find_entry(s, "id"));
    cr_expect_not_null(ini_find_entry(s, "Id"));
    cr_expect_null(ini_find_entry(s, "k"));
    cr_expect_null(ini_find_section(p.f, "missing"));
    cr_expect_null(ini_find_section(p.f, "Cas"));
    cr_expect_null(ini_find_entry(NULL, "id"));
    cr_expect_null(ini_find_section(NULL, "case"));
    done(&p);
}

Test(inifile, sections_and_keys_in_file_order)
{
    parsed p = expect_ok("[b]\nz = 1\ny = 2\n[a]\nx = 3\n[c]\n");
    cr_assert_eq(p.f->n_sections, 3);
    cr_expect_str_eq(p.f->sections[0].name, "b");
    cr_expect_str_eq(p.f->sections[1].name, "a");
    cr_expect_str_eq(p.f->sections[2].name, "c");
    cr_expect_eq(p.f->sections[2].n_entries, 0);
    cr_expect_str_eq(p.f->sections[0].entries[0].key, "z");
    cr_expect_str_eq(p.f->sections[0].entries[1].key, "y");
    done(&p);
}

/* iniparser's entries are matched to the lines read by comparing names up
 * to their ends: names that are prefixes of one another, and a key named
 * like its section, keep their own values. */
Test(inifile, names_that_are_prefixes_of_one_another)
{
    parsed p = expect_ok("[ab]\nk = 1\nkk = 2\n[a]\nkk = 3\nk = 4\na = 5\n[abc]\nab = 6\n[A.B]\nk = 7\n");
    cr_assert_eq(p.f->n_sections, 4);
    cr_expect_str_eq(value_of(p.f, "ab", "k"), "1");
    cr_expect_str_eq(value_of(p.f, "ab", "kk"), "2");
    cr_expect_str_eq(value_of(p.f, "a", "kk"), "3");
    cr_expect_str_eq(value_of(p.f, "a", "k"), "4");
    cr_expect_str_eq(value_of(p.f, "a", "a"), "5");
    cr_expect_str_eq(value_of(p.f, "abc", "ab"), "6");
    cr_expect_str_eq(value_of(p.f, "a.b", "k"), "7");
    cr_expect_str_eq(p.f->sections[3].name, "A.B");
    cr_expect_eq(p.f->sections[1].entries[2].line, 7);
    done(&p);
}

/* Case files may have comments after section headers, which iniparser 4.1 alone
 * rejects; the example must read as written. */
Test(inifile, spec_example)
{
    parsed p = expect_ok("[case]\n"
                         "id = sample-town-2025      ; required: letters, digits, . _ -\n"
                         "fiscal_year = R7           ; required\n"
                         "entity = municipality      ; municipality (the default) | prefecture\n"
                         "name = 〇〇町               ; optional display name\n"
                         "\n"
                         "[fiscal_capacity]          ; required when an RMO measure is present\n"
                         "index = 0.65               ; or ratio_1..ratio_3\n"
                         "; coefficient = 0.9        ; optional override of the factor\n"
                         "\n"
                         "[cooperative]\n"
                         "secretariat_cost = 4,000,000\n"
                         "utilization = 75%\n"
                         "\n"
                         "[cooperative.worker.a]\n"
                         "personnel_cost = 3400千円\n"
                         "months = 12\n"
                         "\n"
                         "[claim]                    ; optional: amounts claimed, a = b\n"
                         "cooperative.national_grant = 6000000\n");
    cr_expect_eq(p.f->n_sections, 5);
    cr_expect_str_eq(value_of(p.f, "case", "name"), "〇〇町");
    cr_expect_str_eq(value_of(p.f, "fiscal_capacity", "index"), "0.65");
    cr_expect_null(ini_find_entry(ini_find_section(p.f, "fiscal_capacity"), "coefficient"));
    cr_expect_str_eq(value_of(p.f, "claim", "cooperative.national_grant"), "6000000");
    cr_expect_eq(ini_find_section(p.f, "claim")->line, 19);
    done(&p);
}

Test(inifile, continuation_lines)
{
    parsed p = expect_ok("[s]\na = one \\\n  two\nb = 2\n");
    cr_expect_str_eq(value_of(p.f, "s", "a"), "one   two");
    cr_expect_eq(ini_find_entry(ini_find_section(p.f, "s"), "b")->line, 4);
    done(&p);
}

Test(inifile, longest_line_is_not_truncated)
{
    char text[INI_MAX_LINE_BYTES + 16];
    int n = snprintf(text, sizeof text, "[s]\nk = ");
    size_t vlen = INI_MAX_LINE_BYTES - 4;
    memset(text + n, 'v', vlen);
    memcpy(text + n + vlen, "\n", 2);
    parsed p = expect_ok(text);
    cr_expect_eq(strlen(value_of(p.f, "s", "k")), vlen);
    done(&p);
}

/* ------------------------------------------------------------------ */
/* Problems                                                            */

Test(inifile, empty_file)
{
    expect_error("", 0, "empty file");
    expect_error("\n\n  \n", 0, "empty file");
    expect_error("\xEF\xBB\xBF", 0, "empty file");
}

Test(inifile, only_comments)
{
    expect_error("; nothing\n# here\n", 0, "empty file");
}

Test(inifile, utf16_bom)
{
    expect_error_n("\xFF\xFE[\0s\0]\0", 8, 1, "UTF-16 is not supported; save as UTF-8");
    expect_error_n("\xFE\xFF\0[\0s\0]", 8, 1, "UTF-16 is not supported; save as UTF-8");
}

Test(inifile, duplicate_key)
{
    parsed p = parse("[s]\nk = 1\nx = 2\n; c\nK = 3\n");
    expect_failed(&p, 1);
    expect_item(&p, 0, 5, "duplicate key (first at line 2)");
    cr_expect_str_eq(kofu_diag_section(p.d, 0), "s");
    cr_expect_str_eq(kofu_diag_key(p.d, 0), "K");
    done(&p);
}

Test(inifile, duplicate_key_japanese)
{
    const char *text = "[s]\nk = 1\n\n\n\n\n\n\n\n\n\nk = 2\n";
    parsed p = parse_n(text, strlen(text), KOFU_LANG_JA);
    expect_failed(&p, 1);
    expect_item(&p, 0, 12, "キーが重複しています（最初は2行目）");
    done(&p);
}

Test(inifile, duplicate_section)
{
    parsed p = parse("[Case]\nid = 1\n[other]\n[case]\nname = 2\n");
    expect_failed(&p, 1);
    expect_item(&p, 0, 4, "duplicate section (first at line 1)");
    cr_expect_str_eq(kofu_diag_section(p.d, 0), "case");
    done(&p);
}

/* iniparser merges repeated sections, so a key repeated across them is a
 * duplicate too. */
Test(inifile, duplicate_key_across_repeated_section)
{
    parsed p = parse("[s]\nk = 1\n[s]\nk = 2\n");
    expect_failed(&p, 2);
    expect_item(&p, 0, 3, "duplicate section (first at line 1)");
    expect_item(&p, 1, 4, "duplicate key (first at line 2)");
    done(&p);
}

Test(inifile, key_outside_section)
{
    parsed p = parse("id = 1\n[case]\n");
    expect_failed(&p, 1);
    expect_item(&p, 0, 1, "key before any [section]");
    cr_expect_str_eq(kofu_diag_key(p.d, 0), "id");
    done(&p);
}

Test(inifile, syntax_error_line)
{
    parsed p = parse("[s]\na = 1\n\n; c\n\nnot a key\nb = 2\n");
    expect_failed(&p, 1);
    expect_item(&p, 0, 6, "syntax error: expected `key = value` or `[section]`");
    cr_expect_str_eq(kofu_diag_section(p.d, 0), "s");
    done(&p);
}

Test(inifile, syntax_error_japanese)
{
    const char *text = "[s]\nfoo\n";
    parsed p = parse_n(text, strlen(text), KOFU_LANG_JA);
    expect_failed(&p, 1);
    expect_item(&p, 0, 2, "構文エラー: 「キー = 値」または「[セクション]」の形式ではありません");
    done(&p);
}

Test(inifile, value_with_no_key)
{
    expect_error("[s]\n= 5\n", 2, "syntax error: no key name before `=`");
}

Test(inifile, bad_section_headers)
{
    expect_error("[s]\n[open\n", 2, "syntax error: `[` without a closing `]`");
    expect_error("[s]\n[a]]\n", 2, "syntax error: unexpected text after `]`");
    expect_error("[s]\n[a] b\n", 2, "syntax error: unexpected text after `]`");
    expect_error("[s]\n[]\n", 2, "syntax error: empty section name");
    expect_error("[s]\n[  ]\n", 2, "syntax error: empty section name");
    expect_error("[s]\n[[a]\n", 2, "syntax error: `[` is not allowed in a section name");
    expect_error("[a:b]\nk = 1\n", 1, "syntax error: `:` is not allowed in a section name");

    /* the item says which section the bad line sits in */
    parsed p = parse("[s]\n[a:b]\nk = 1\n");
    expect_failed(&p, 1);
    cr_expect_str_eq(kofu_diag_section(p.d, 0), "s");
    done(&p);
}

Test(inifile, bad_quotes)
{
    expect_error("[s]\nk = \"open\n", 2, "syntax error: the quoted value has no closing quote");
    expect_error("[s]\nk = 'open\n", 2, "syntax error: the quoted value has no closing quote");
    expect_error("[s]\nk = \"a\" b\n", 2, "syntax error: unexpected text after the closing quote");
    expect_error("[s]\nk = \"\" b\n", 2, "syntax error: unexpected text after the closing quote");
}

/* iniparser would silently keep only "Apt" here. */
Test(inifile, comment_glued_to_value)
{
    expect_error("[s]\nname = Apt#3\n", 2,
                 "`#` starts a comment, so the value would be \"Apt\"; put a space before `#` if "
                 "it is a comment, or quote the whole value if it is not");
    parsed p = expect_ok("[s]\nname = \"Apt#3\"\nother = Apt ;3\n");
    cr_expect_str_eq(value_of(p.f, "s", "name"), "Apt#3");
    cr_expect_str_eq(value_of(p.f, "s", "other"), "Apt");
    done(&p);
}

/* iniparser would make `b = 1` part of the comment and drop it. */
Test(inifile, continuation_into_comment)
{
    expect_error("[s]\n; see C:\\data\\\nb = 1\n", 3,
                 "line 2 ends with `\\`, so this line would be skipped as part of the comment "
                 "before it; remove the `\\`");
    expect_error("[s]\na = 1 ; x \\\nb = 1\n", 3,
                 "line 2 ends with `\\`, so this line would be skipped as part of the comment "
                 "before it; remove the `\\`");
    parsed p = expect_ok("[s]\n; long \\\n; comment\nb = 1\n");
    done(&p);
}

/* iniparser drops a pending continued line at the end of the file. */
Test(inifile, continuation_at_end_of_file)
{
    expect_error("[s]\na = 1\nb = 2 \\", 3,
                 "the last line ends with `\\` (line continuation) but no line follows");
    expect_error("[s]\na = 1\nb = 2 \\\n", 3,
                 "the last line ends with `\\` (line continuation) but no line follows");
}

Test(inifile, continued_section_header)
{
    expect_error("[s\\\n]\n", 1, "syntax error: a [section] line cannot be continued with `\\`");
}

/* iniparser skips a one-byte last line with no newline; it must still count. */
Test(inifile, one_byte_last_line)
{
    expect_error("[s]\na = 1\nx", 3, "syntax error: expected `key = value` or `[section]`");
}

Test(inifile, invalid_utf8)
{
    static const char *const bad[] = {
        "\xC0\xAF",         /* overlong '/' */
        "\xE0\x80\xAF",     /* overlong, 3 bytes */
        "\xED\xA0\x80",     /* UTF-16 surrogate */
        "\xE3\x81",         /* truncated あ */
        "\xF4\x90\x80\x80", /* beyond U+10FFFF */
        "\xFF",
        "\x80",
        "\x82\xA0", /* Shift_JIS あ */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *text = xasprintf("[s]\nok = 日本😀\nk = ab%s\n", bad[i]);
        expect_error(text, 3,
                     "invalid UTF-8 (byte 7 of the line); is the file in Shift_JIS or another "
                     "encoding? Save it as UTF-8");
        free(text);
    }
}

Test(inifile, invalid_utf8_truncated_at_end_of_file)
{
    expect_error("[s]\nk = \xE6\x97", 2,
                 "invalid UTF-8 (byte 5 of the line); is the file in Shift_JIS or another "
                 "encoding? Save it as UTF-8");
}

Test(inifile, nul_byte)
{
    expect_error_n("[s]\nk = a\0b\n", 12, 2, "the file contains a NUL byte (is it a binary file?)");
}

Test(inifile, stray_carriage_return)
{
    expect_error("[s]\na = 1\rb = 2\n", 2,
                 "a carriage return (CR) without a line feed; save the file with LF or CRLF line "
                 "endings");
}

Test(inifile, too_long_line)
{
    char text[INI_MAX_LINE_BYTES + 16];
    int n = snprintf(text, sizeof text, "[s]\nk = ");
    size_t vlen = INI_MAX_LINE_BYTES - 3;
    memset(text + n, 'v', vlen);
    memcpy(text + n + vlen, "\n", 2);
    expect_error(text, 2, "line too long (1001 bytes; the limit is 1000)");
}

Test(inifile, too_long_joined_line)
{
    strbuf b = {0};
    sb_puts(&b, "[s]\nk = ");
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 400; j++)
            sb_putc(&b, 'v');
        sb_puts(&b, "\\\n");
    }
    sb_puts(&b, "end\n");
    char *text = sb_take(&b);
    expect_error(text, 2, "line too long (1205 bytes; the limit is 1000)");
    free(text);
}

Test(inifile, too_many_sections)
{
    strbuf b = {0};
    for (unsigned i = 0; i <= INI_MAX_SECTIONS; i++)
        sb_printf(&b, "[s%u]\n", i);
    char *text = sb_take(&b);
    expect_error(text, (int)INI_MAX_SECTIONS + 1, "too many sections (the limit is 1000)");
    free(text);
}

Test(inifile, too_many_keys)
{
    strbuf b = {0};
    sb_puts(&b, "[s]\n");
    for (unsigned i = 0; i <= INI_MAX_KEYS; i++)
        sb_printf(&b, "k%u = %u\n", i, i);
    char *text = sb_take(&b);
    expect_error(text, (int)INI_MAX_KEYS + 2, "too many keys (the limit is 10000)");
    free(text);
}

Test(inifile, many_keys_accepted)
{
    strbuf b = {0};
    sb_puts(&b, "[s]\n");
    for (unsigned i = 0; i < INI_MAX_KEYS; i++)
        sb_printf(&b, "k%u = %u\n", i, i);
    char *text = sb_take(&b);
    parsed p = expect_ok(text);
    cr_expect_eq(p.f->sections[0].n_entries, INI_MAX_KEYS);
    cr_expect_str_eq(value_of(p.f, "s", "k9999"), "9999");
    done(&p);
    free(text);
}

/* Every limit at once: the records (32 bytes, 16-bit indexes) hold the
 * largest file accepted. */
Test(inifile, most_sections_and_keys_accepted)
{
    strbuf b = {0};
    for (unsigned i = 0; i < INI_MAX_SECTIONS; i++) {
        sb_printf(&b, "[s%u]\n", i);
        for (unsigned j = 0; j < INI_MAX_KEYS / INI_MAX_SECTIONS; j++)
            sb_printf(&b, "k%u = %u.%u\n", j, i, j);
    }
    char *text = sb_take(&b);
    parsed p = expect_ok(text);
    cr_assert_eq(p.f->n_sections, INI_MAX_SECTIONS);
    const ini_section *last = &p.f->sections[INI_MAX_SECTIONS - 1];
    cr_expect_str_eq(last->name, "s999");
    cr_expect_eq(last->n_entries, INI_MAX_KEYS / INI_MAX_SECTIONS);
    cr_expect_eq(last->line, (int)((INI_MAX_SECTIONS - 1) * (INI_MAX_KEYS / INI_MAX_SECTIONS + 1) + 1));
    cr_expect_str_eq(value_of(p.f, "s999", "k9"), "999.9");
    cr_expect_str_eq(value_of(p.f, "s500", "k0"), "500.0");
    done(&p);
    free(text);
}

Test(inifile, too_many_errors_stops)
{
    strbuf b = {0};
    sb_puts(&b, "[s]\n");
    for (int i = 0; i < 300; i++)
        sb_puts(&b, "garbage\n");
    char *text = sb_take(&b);
    parsed p = parse(text);
    expect_failed(&p, 101);
    expect_item(&p, 100, 0, "too many errors; stopped reading (is this an INI file?)");
    done(&p);
    free(text);
}

Test(inifile, too_large_buffer)
{
    size_t n = INI_MAX_FILE_BYTES + 1;
    char *text = malloc(n);
    cr_assert_not_null(text);
    memset(text, '\n', n);
    expect_error_n(text, n, 0, "file too large (the limit is 4194304 bytes)");
    free(text);
}

Test(inifile, every_problem_is_reported)
{
    parsed p = parse("a = 1\n[s]\nfoo\nk = 1\nk = 2\n[s]\n");
    expect_failed(&p, 4);
    expect_item(&p, 0, 1, "key before any [section]");
    expect_item(&p, 1, 3, "syntax error: expected `key = value` or `[section]`");
    expect_item(&p, 2, 5, "duplicate key (first at line 4)");
    expect_item(&p, 3, 6, "duplicate section (first at line 2)");
    done(&p);
}

Test(inifile, usage_errors)
{
    ini_file *f = NULL;
    cr_expect_eq(ini_parse("x", "[s]\n", 4, KOFU_ECASE, NULL, NULL), KOFU_EUSAGE);
    cr_expect_eq(ini_parse("x", NULL, 4, KOFU_ECASE, NULL, &f), KOFU_EUSAGE);
    cr_expect_eq(ini_parse("x", "[s]\n", 4, KOFU_ERULES, NULL, &f), KOFU_OK);
    ini_free(&f);
    cr_expect_null(f);
    ini_free(&f);
    ini_free(NULL);
    cr_expect_eq(ini_parse("x", "nope\n", 5, KOFU_ERULES, NULL, &f), KOFU_ERULES);
    cr_expect_null(f);
}

/* ------------------------------------------------------------------ */
/* Files on disk                                                       */

Test(inifile, load_file, .init = make_tmpdir, .fini = remove_tmpdir)
{
    static const char text[] = "[Case]\nID = x ; c\n[t] ; comment\nk = \"v\"\n";
    static const char crlf[] = "[Case]\r\nID = x ; c\r\n[t] ; comment\r\nk = \"v\"\r\n";
    static const char bom[] = "\xEF\xBB\xBF[Case]\nID = x ; c\n[t] ; comment\nk = \"v\"\n";
    static const char plain[] = "[Case]\nID = x ; c\n[t]\nk = \"v\"\n";
    static const char plain_crlf[] = "[Case]\r\nID = x ; c\r\n[t]\r\nk = \"v\"";
    const char *texts[] = {text, crlf, bom, plain, plain_crlf};
    const size_t lens[] = {sizeof text - 1, sizeof crlf - 1, sizeof bom - 1, sizeof plain - 1,
                           sizeof plain_crlf - 1};
    for (size_t i = 0; i < 5; i++) {
        char *path = write_file("a.ini", texts[i], lens[i]);
        parsed p = load(path, KOFU_LANG_EN);
        cr_assert_eq(p.st, KOFU_OK, "text %zu", i);
        cr_expect_str_eq(p.f->display_name, path);
        cr_expect_str_eq(p.f->sections[0].name, "Case");
        cr_expect_str_eq(value_of(p.f, "case", "id"), "x");
        cr_expect_str_eq(value_of(p.f, "t", "k"), "v");
        cr_expect_eq(ini_find_entry(ini_find_section(p.f, "t"), "k")->line, 4);
        done(&p);
        free(path);
    }
}

Test(inifile, load_reports_with_path, .init = make_tmpdir, .fini = remove_tmpdir)
{
    char *path = write_file("bad.ini", "[s]\nk = 1\nk = 2\n", 16);
    parsed p = load(path, KOFU_LANG_EN);
    expect_failed(&p, 1);
    expect_item(&p, 0, 3, "duplicate key (first at line 2)");
    cr_expect_str_eq(kofu_diag_file(p.d, 0), path);
    done(&p);
    free(path);
}

Test(inifile, load_directory, .init = make_tmpdir, .fini = remove_tmpdir)
{
    parsed p = load(tmpdir, KOFU_LANG_EN);
    expect_failed(&p, 1);
    expect_item(&p, 0, 0, "is a directory, not a file");
    cr_expect_str_eq(kofu_diag_file(p.d, 0), tmpdir);
    done(&p);

    p = load(tmpdir, KOFU_LANG_JA);
    expect_failed(&p, 1);
    expect_item(&p, 0, 0, "ディレクトリです(ファイルを指定してください)");
    done(&p);
}

Test(inifile, load_missing_file, .init = make_tmpdir, .fini = remove_tmpdir)
{
    char *path = xasprintf("%s/missing.ini", tmpdir);
    parsed p = load(path, KOFU_LANG_EN);
    expect_failed(&p, 1);
    expect_item(&p, 0, 0, "cannot open the file: no such file or directory");
    cr_expect_str_eq(kofu_diag_file(p.d, 0), path);
    done(&p);

    p = load(path, KOFU_LANG_JA);
    expect_failed(&p, 1);
    expect_item(&p, 0, 0, "ファイルを開けません: ファイルもディレクトリもありません");
    done(&p);
    free(path);
}

Test(inifile, load_too_large, .init = make_tmpdir, .fini = remove_tmpdir)
{
    char *path = write_file("big.ini", "", 0);
    cr_assert_eq(truncate(path, (off_t)INI_MAX_FILE_BYTES + 1), 0);
    parsed p = load(path, KOFU_LANG_EN);
    expect_failed(&p, 1);
    expect_item(&p, 0, 0, "file too large (the limit is 4194304 bytes)");
    done(&p);
    free(path);
}

Test(inifile, load_empty_file, .init = make_tmpdir, .fini = remove_tmpdir)
{
    char *path = write_file("empty.ini", "", 0);
    parsed p = load(path, KOFU_LANG_JA);
    expect_failed(&p, 1);
    expect_item(&p, 0, 0, "空のファイルです");
    done(&p);
    free(path);
}

Test(inifile, load_fifo_is_refused, .init = make_tmpdir, .fini = remove_tmpdir)
{
    char *path = xasprintf("%s/fifo", tmpdir);
    cr_assert_eq(mkfifo(path, 0600), 0);
    parsed p = load(path, KOFU_LANG_EN);
    expect_failed(&p, 1);
    expect_item(&p, 0, 0, "not a regular file");
    done(&p);
    free(path);
}

/* ------------------------------------------------------------------ */
/* iniparser's error callback is global: each thread must get its own
 * errors. */

typedef struct thread_job {
    int bad_line;
    bool ok;
} thread_job;

static void *parse_in_thread(void *arg)
{
    thread_job *job = arg;
    strbuf b = {0};
    sb_puts(&b, "[s]\n");
    for (int i = 2; i < 200; i++)
        if (i == job->bad_line)
            sb_puts(&b, "oops\n");
        else
            sb_printf(&b, "k%d = %d\n", i, i);
    char *text = sb_take(&b);
    job->ok = true;
    for (int round = 0; round < 50 && job->ok; round++) {
        kofu_diag *d = NULL;
        ini_file *f = NULL;
        kofu_diag_new(KOFU_LANG_EN, &d);
        kofu_status st = ini_parse("t.ini", text, strlen(text), KOFU_ECASE, d, &f);
        job->ok = st == KOFU_ECASE && kofu_diag_count(d) == 1 &&
                  kofu_diag_line(d, 0) == job->bad_line;
        ini_free(&f);
        kofu_diag_free(&d);
    }
    free(text);
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Plain lines (read in one pass) and the others (read the general way) */

/* Each kind of line in a plain form and in forms the one-pass reader leaves
 * to the general path: the same records, names, values and lines. */
Test(inifile, plain_and_general_lines_read_alike)
{
    parsed p = expect_ok("; plain comment\n"
                         "# comment with \"quotes\" and ; = [x]\n"
                         "; 日本語のコメント\n"
                         "   \n"
                         "[Plain]\n"
                         "Alpha = 1\n"
                         " \tBeta\t=\t2 words\t \n"
                         "gamma = 3 ; note\n"
                         "delta = \"4;4\"\n"
                         "Epsilon = 名前\n"
                         "zeta=\n"
                         "eta = a = b\n"
                         "a:b = colon\n"
                         "a[1] = brackets\n"
                         "\t[ Spaced ]\t\n"
                         "x = 1\n"
                         "[日本]\n"
                         "y = 2\n");
    cr_assert_eq(p.f->n_sections, 3);
    const ini_section *s = &p.f->sections[0];
    cr_expect_str_eq(s->name, "Plain");
    cr_expect_str_eq(s->name_lc, "plain");
    cr_expect_eq(s->line, 5);
    static const struct {
        const char *key, *key_lc, *value;
        int line;
    } want[] = {
        {"Alpha", "alpha", "1", 6},       {"Beta", "beta", "2 words", 7},
        {"gamma", "gamma", "3", 8},       {"delta", "delta", "4;4", 9},
        {"Epsilon", "epsilon", "名前", 10}, {"zeta", "zeta", "", 11},
        {"eta", "eta", "a = b", 12},      {"a:b", "a:b", "colon", 13},
        {"a[1]", "a[1]", "brackets", 14},
    };
    cr_assert_eq(s->n_entries, sizeof want / sizeof *want);
    for (size_t i = 0; i < s->n_entries; i++) {
        cr_expect_str_eq(s->entries[i].key, want[i].key);
        cr_expect_str_eq(s->entries[i].key_lc, want[i].key_lc);
        cr_expect_str_eq(s->entries[i].value, want[i].value, "%s", want[i].key);
        cr_expect_eq(s->entries[i].line, want[i].line, "%s", want[i].key);
    }
    cr_expect_str_eq(p.f->sections[1].name, "Spaced");
    cr_expect_eq(p.f->sections[1].line, 15);
    cr_expect_str_eq(value_of(p.f, "spaced", "X"), "1");
    cr_expect_str_eq(p.f->sections[2].name, "日本");
    cr_expect_str_eq(value_of(p.f, "日本", "y"), "2");
    done(&p);
}

/* Names are read eight bytes at a time while they hold only [-./0-9A-Z_a-z]:
 * other name bytes, any length, and the last bytes of the file. */
Test(inifile, names_of_any_length_and_bytes)
{
    parsed p = expect_ok("[Long.Section_Name-2024/X]\n"
                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz.0123456789 = 1\n"
                         "Key+Plus = 2\n"
                         "12345678 = 3\n"
                         "ABCDEFG(h)IJKLMNOP! = 4\n"
                         "@at`^|~{}<>?$%&*,!x = 5\n"
                         "Q=6\n"
                         "Z=7\n");
    const ini_section *s = &p.f->sections[0];
    cr_expect_str_eq(s->name, "Long.Section_Name-2024/X");
    cr_expect_str_eq(s->name_lc, "long.section_name-2024/x");
    static const char *const keys[][2] = {
        {"ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz.0123456789",
         "abcdefghijklmnopqrstuvwxyz_abcdefghijklmnopqrstuvwxyz.0123456789"},
        {"Key+Plus", "key+plus"},
        {"12345678", "12345678"},
        {"ABCDEFG(h)IJKLMNOP!", "abcdefg(h)ijklmnop!"},
        {"@at`^|~{}<>?$%&*,!x", "@at`^|~{}<>?$%&*,!x"},
        {"Q", "q"},
        {"Z", "z"},
    };
    cr_assert_eq(s->n_entries, sizeof keys / sizeof *keys);
    for (size_t i = 0; i < s->n_entries; i++) {
        cr_expect_str_eq(s->entries[i].key, keys[i][0]);
        cr_expect_str_eq(s->entries[i].key_lc, keys[i][1]);
        char want[2] = {(char)('1' + i), '\0'};
        cr_expect_str_eq(s->entries[i].value, want);
        cr_expect_eq(ini_find_entry(s, keys[i][0]), &s->entries[i]);
    }
    done(&p);
    expect_error("[s]\nLong_Key_Name_Here = 1\nlong_key_NAME_here = 2\n", 3,
                 "duplicate key (first at line 2)");
    /* one name read in one pass, the other the general way */
    expect_error("[s]\nLong_Key_Name_Here = 1\nlong_key_NAME_here = 2 ; c\n", 3,
                 "duplicate key (first at line 2)");
    expect_error("[s]\nLong_Key_Name_Here = \"1\"\nlong_key_NAME_here = 2\n", 3,
                 "duplicate key (first at line 2)");
    expect_error("[Section_Name_Long]\n[section_name_LONG] ; c\n", 2,
                 "duplicate section (first at line 1)");
    expect_error("[s]\nKey_Name_12 = 1\nkey_name_12", 3,
                 "syntax error: expected `key = value` or `[section]`");
    expect_error("[s]\nKey_Name_12 = 1\nkey_name_12 = 2", 3, "duplicate key (first at line 2)");
}

/* The last line has no LF (read the general way), whatever its kind. */
Test(inifile, last_line_without_newline)
{
    parsed p = expect_ok("[s]\na = 1\nB = 2");
    cr_expect_str_eq(value_of(p.f, "s", "b"), "2");
    cr_expect_str_eq(ini_find_entry(ini_find_section(p.f, "s"), "b")->key, "B");
    cr_expect_eq(ini_find_entry(ini_find_section(p.f, "s"), "b")->line, 3);
    done(&p);
    p = expect_ok("[s]\na = 1\n[T]");
    cr_assert_eq(p.f->n_sections, 2);
    cr_expect_str_eq(p.f->sections[1].name, "T");
    cr_expect_eq(p.f->sections[1].line, 3);
    done(&p);
    p = expect_ok("[s]\na = 1\n; end");
    cr_expect_eq(p.f->n_sections, 1);
    done(&p);
}

/* 1000 bytes is the limit for every kind of line, plain or not. */
Test(inifile, line_limit_for_every_kind_of_line)
{
    static const struct {
        const char *head, *tail;
        char fill;
    } kinds[] = {
        {"k = ", "", 'v'},  /* plain key */
        {"k = \"", "\"", 'v'}, /* quoted: general path */
        {";", "", 'c'},     /* plain comment */
        {"", "", ' '},      /* blank */
        {"[", "]", 's'},    /* section */
    };
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        for (size_t len = INI_MAX_LINE_BYTES; len <= INI_MAX_LINE_BYTES + 1; len++) {
            strbuf b = {0};
            sb_puts(&b, "[a]\n");
            sb_puts(&b, kinds[i].head);
            size_t fill = len - strlen(kinds[i].head) - strlen(kinds[i].tail);
            for (size_t j = 0; j < fill; j++)
                sb_putc(&b, kinds[i].fill);
            sb_puts(&b, kinds[i].tail);
            sb_puts(&b, "\nz = 1\n");
            char *text = sb_take(&b);
            if (len == INI_MAX_LINE_BYTES) {
                parsed p = expect_ok(text);
                cr_expect_str_eq(value_of(p.f, i == 4 ? p.f->sections[1].name : "a", "z"), "1");
                done(&p);
            } else {
                expect_error(text, 2, "line too long (1001 bytes; the limit is 1000)");
            }
            free(text);
        }
    }
}

/* The UTF-8 check skips ASCII eight bytes at a time: a bad byte or a
 * sequence on either side of, or across, that step is still seen. */
Test(inifile, invalid_utf8_around_the_eight_byte_step)
{
    for (int at = 5; at <= 17; at++) {
        char pad[32];
        memset(pad, 'x', sizeof pad);
        pad[at - 4] = '\0'; /* "k = " then x up to byte `at` (0-based) */
        char *bad = xasprintf("[s]\nk = %s\xFFxxxxxxxxxx\n", pad);
        char *msg = xasprintf("invalid UTF-8 (byte %d of the line); is the file in Shift_JIS or "
                              "another encoding? Save it as UTF-8",
                              at + 1);
        expect_error(bad, 2, msg);
        char *cut = xasprintf("[s]\nk = %s\xE3\x81xxxxxxxxxx\n", pad);
        expect_error(cut, 2, msg);
        char *good = xasprintf("[s]\nk = %sあ😀xxxxxxxxxx\n", pad);
        parsed p = expect_ok(good);
        done(&p);
        free(bad);
        free(msg);
        free(cut);
        free(good);
    }
}

/* Past the records, names and table kept on the stack (128 records, 4 KiB
 * of names), everything grows, and duplicates are still found. */
Test(inifile, large_files_grow_and_still_find_duplicates)
{
    strbuf b = {0};
    for (int i = 0; i < 300; i++) {
        sb_printf(&b, "[Section_%03d]\n", i);
        for (int j = 0; j < 5; j++)
            sb_printf(&b, "Key_%d = %d\n", j, i * 10 + j);
    }
    char *base = sb_take(&b);
    parsed p = expect_ok(base);
    cr_assert_eq(p.f->n_sections, 300);
    cr_expect_str_eq(value_of(p.f, "section_299", "KEY_4"), "2994");
    cr_expect_str_eq(p.f->sections[299].entries[4].key, "Key_4");
    cr_expect_eq(p.f->sections[299].entries[4].line, 299 * 6 + 6);
    done(&p);
    char *dup_sec = xasprintf("%s[SECTION_007]\n", base);
    expect_error(dup_sec, 1801, "duplicate section (first at line 43)");
    char *dup_key = xasprintf("%skey_2 = again\n", base);
    expect_error(dup_key, 1801, "duplicate key (first at line 1798)");
    free(dup_sec);
    free(dup_key);
    free(base);
}

Test(inifile, threads_keep_their_errors)
{
    pthread_t t[4];
    thread_job jobs[4] = {{10, false}, {50, false}, {100, false}, {150, false}};
    for (int i = 0; i < 4; i++)
        cr_assert_eq(pthread_create(&t[i], NULL, parse_in_thread, &jobs[i]), 0);
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        cr_expect(jobs[i].ok, "thread %d", i);
    }
}

/* A value line ending in LF is read in one pass when every byte of it is
 * plain; the same line ending in CRLF always goes the general way. Both must
 * give the same status, value and messages, for values of every length with
 * each byte the one-pass reader must stop at (comment and quote characters,
 * `\`, tab, DEL, control and UTF-8 bytes) at every position. */
static void expect_lf_as_crlf(const char *value)
{
    char lf[128], crlf[128];
    snprintf(lf, sizeof lf, "[s]\nk = %s\nz = 1\n", value);
    snprintf(crlf, sizeof crlf, "[s]\r\nk = %s\r\nz = 1\r\n", value);
    parsed a = parse(lf), b = parse(crlf);
    cr_assert_eq(a.st, b.st, "\"%s\": %d vs %d", value, (int)a.st, (int)b.st);
    cr_assert_eq(kofu_diag_count(a.d), kofu_diag_count(b.d), "\"%s\"", value);
    for (size_t i = 0; i < kofu_diag_count(a.d); i++) {
        cr_assert_str_eq(kofu_diag_message(a.d, i), kofu_diag_message(b.d, i), "\"%s\"", value);
        cr_assert_eq(kofu_diag_line(a.d, i), kofu_diag_line(b.d, i), "\"%s\"", value);
    }
    if (a.st == KOFU_OK) {
        /* a final `\` joins the next line: then there is no z */
        const ini_section *sa = &a.f->sections[0], *sb = &b.f->sections[0];
        cr_assert_eq(sa->n_entries, sb->n_entries, "\"%s\"", value);
        for (size_t i = 0; i < sa->n_entries; i++) {
            cr_assert_str_eq(sa->entries[i].key, sb->entries[i].key, "\"%s\"", value);
            cr_assert_str_eq(sa->entries[i].value, sb->entries[i].value, "\"%s\"", value);
            cr_assert_eq(sa->entries[i].line, sb->entries[i].line, "\"%s\"", value);
        }
    }
    done(&a);
    done(&b);
}

Test(inifile, plain_values_read_alike_in_one_pass_and_the_general_way)
{
    static const char stops[] = ";#\"'\\\t\x7f\x01\xc3=[]: ";
    char value[64];
    for (size_t len = 0; len <= 20; len++)
        for (size_t at = 0; at <= len; at++)
            for (size_t c = 0; c < sizeof stops - 1; c++) {
                for (size_t i = 0; i < len; i++)
                    value[i] = (char)('a' + (i % 26));
                value[at] = stops[c];
                value[len + 1 > at + 1 ? len + 1 : at + 1] = '\0';
                if (at == len)
                    value[len + 1] = '\0';
                if ((unsigned char)stops[c] == 0xc3) { /* a whole UTF-8 character */
                    char tmp[64];
                    snprintf(tmp, sizeof tmp, "%.*s\xc3\xa9%s", (int)at, value, value + at + 1);
                    memcpy(value, tmp, strlen(tmp) + 1);
                }
                expect_lf_as_crlf(value);
            }
    expect_lf_as_crlf("0.86177");
    expect_lf_as_crlf("2,417,000");
    expect_lf_as_crlf("bench-0000000 with words = and [brackets]");
}
