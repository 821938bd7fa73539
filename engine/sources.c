/* sources.c — loading the bibliography and writing citations (see sources.h). */
#include "sources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "inifile.h"
#include "suggest.h"
#include "util.h"

static const char *const kinds[] = {"法律", "省令", "告示", "通知", "要綱",
                                    "説明資料", "二次資料", "kofu", NULL};

static const char *const keys[] = {"kind",    "issuer", "title",   "title_en", "date",
                                   "number",  "as_of",  "amended_by", "url",   "edition",
                                   "doc",     "note",   NULL};

bool source_is_statute(const source_entry *e)
{
    return strcmp(e->kind, "法律") == 0 || strcmp(e->kind, "省令") == 0;
}

static bool is_kofu(const source_entry *e) { return strcmp(e->kind, "kofu") == 0; }
static char *document_cite(const source_entry *e, kofu_lang lang);

const source_entry *sources_find(const bibliography *b, const char *id)
{
    for (size_t i = 0; b && i < b->n; i++)
        if (strcmp(b->entries[i].id, id) == 0)
            return &b->entries[i];
    return NULL;
}

const char *source_split(const char *citation, char *idbuf, size_t cap)
{
    const char *sp = strchr(citation, ' ');
    size_t n = sp ? (size_t)(sp - citation) : strlen(citation);
    if (n >= cap)
        n = cap - 1;
    memcpy(idbuf, citation, n);
    idbuf[n] = '\0';
    return sp ? sp + 1 : "";
}

static void entry_free(source_entry *e)
{
    char **fields[] = {&e->id,     &e->kind,       &e->issuer, &e->title,   &e->title_en, &e->date,
                       &e->number, &e->as_of,      &e->amended_by, &e->url, &e->edition,
                       &e->doc,    &e->note};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        free(*fields[i]);
        *fields[i] = NULL;
    }
    free(e->text[0]);
    free(e->text[1]);
    e->text[0] = e->text[1] = NULL;
}

void sources_free(bibliography *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++)
        entry_free(&b->entries[i]);
    free(b->entries);
    free(b->file_name);
    memset(b, 0, sizeof *b);
}

/* ---- loading ------------------------------------------------------------ */

typedef struct src_loader {
    kofu_diag *diag;
    const char *file;
    bool bad;
} src_loader;

static void bad_key(src_loader *ld, const ini_section *s, const ini_entry *e)
{
    const char *near = suggest_nearest(e->key_lc, keys);
    char *hint = !near ? NULL
                 : diag_lang(ld->diag) == KOFU_LANG_EN ? xasprintf("; did you mean %s?", near)
                                                        : xasprintf("（%s の誤りでは？）", near);
    diag_add(ld->diag, KOFU_ERULES, ld->file, e->line, s->name, e->key, "不明なキーです%s",
             "unknown key%s", hint ? hint : "");
    free(hint);
    ld->bad = true;
}

static char *opt(const ini_section *s, const char *key)
{
    const ini_entry *e = ini_find_entry(s, key);
    return e && e->value[0] ? xstrdup(e->value) : NULL;
}

static void missing(src_loader *ld, const ini_section *s, const char *key, const char *ja,
                    const char *en)
{
    diag_add(ld->diag, KOFU_ERULES, ld->file, s->line, s->name, key, "%s", "%s",
             diag_lang(ld->diag) == KOFU_LANG_EN ? en : ja);
    ld->bad = true;
}

static void check_entry(src_loader *ld, const ini_section *s, const source_entry *e)
{
    if (!e->kind) {
        missing(ld, s, "kind", "出典の種類（kind）がありません",
                "the kind of the source (kind) is missing");
        return;
    }
    bool known = false;
    for (const char *const *k = kinds; *k; k++)
        known = known || strcmp(*k, e->kind) == 0;
    if (!known) {
        diag_add(ld->diag, KOFU_ERULES, ld->file, ini_find_entry(s, "kind")->line, s->name, "kind",
                 "出典の種類が不明です: %s（法律, 省令, 告示, 通知, 要綱, 説明資料, 二次資料, kofu）",
                 "unknown kind of source: %s (expected 法律, 省令, 告示, 通知, 要綱, 説明資料, "
                 "二次資料, kofu)",
                 e->kind);
        ld->bad = true;
        return;
    }
    if (!e->title)
        missing(ld, s, "title", "題名（title）がありません", "the title is missing");
    if (is_kofu(e)) {
        if (!e->doc)
            missing(ld, s, "doc", "kofu の解釈には説明する文書（doc）が必要です",
                    "kofu's own interpretation needs the document that explains it (doc)");
        return;
    }
    if (!e->issuer)
        missing(ld, s, "issuer", "発行者（issuer）がありません", "the issuer is missing");
    if (source_is_statute(e)) {
        if (!e->number)
            missing(ld, s, "number", "法令には番号（number、例: 昭和51年自治省令第35号）が必要です",
                    "a statute needs its number (number, e.g. 昭和51年自治省令第35号)");
        if (!e->as_of)
            missing(ld, s, "as_of", "法令には依拠した版（as_of、改正の施行日）が必要です",
                    "a statute needs the version relied on (as_of, the date of the amendment in force)");
    } else if (!e->date) {
        missing(ld, s, "date", "日付（date）がありません", "the date is missing");
    }
}

static void load_entry(src_loader *ld, const ini_section *s, const char *id, bibliography *b)
{
    for (size_t i = 0; i < s->n_entries; i++) {
        bool ok = false;
        for (const char *const *k = keys; *k; k++)
            ok = ok || strcmp(s->entries[i].key_lc, *k) == 0;
        if (!ok)
            bad_key(ld, s, &s->entries[i]);
    }
    source_entry *es = realloc(b->entries, (b->n + 1) * sizeof *es);
    if (!es) {
        ld->bad = true;
        return;
    }
    b->entries = es;
    source_entry *e = &es[b->n++];
    memset(e, 0, sizeof *e);
    e->line = s->line;
    e->id = xstrdup(id);
    e->kind = opt(s, "kind");
    e->issuer = opt(s, "issuer");
    e->title = opt(s, "title");
    e->title_en = opt(s, "title_en");
    e->date = opt(s, "date");
    e->number = opt(s, "number");
    e->as_of = opt(s, "as_of");
    e->amended_by = opt(s, "amended_by");
    e->url = opt(s, "url");
    e->edition = opt(s, "edition");
    e->doc = opt(s, "doc");
    e->note = opt(s, "note");
    if (!e->id)
        ld->bad = true;
    check_entry(ld, s, e);
}

static bool valid_id(const char *id)
{
    if (!*id)
        return false;
    for (const char *c = id; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
            return false;
    return true;
}

kofu_status sources_load(const char *file, const char *text, size_t len, kofu_diag *diag,
                         bibliography *out)
{
    ini_file *ini = NULL;
    kofu_status st = ini_parse(file, text, len, KOFU_ERULES, diag, &ini);
    if (st != KOFU_OK) {
        memset(out, 0, sizeof *out);
        out->file_name = xstrdup(file);
        return st;
    }
    st = sources_from_ini(file, ini, diag, out);
    ini_free(&ini);
    return st;
}

kofu_status sources_from_ini(const char *file, const ini_file *ini, kofu_diag *diag,
                             bibliography *out)
{
    memset(out, 0, sizeof *out);
    out->file_name = xstrdup(file);
    src_loader ld = {.diag = diag, .file = file, .bad = !out->file_name};
    for (size_t i = 0; i < ini->n_sections; i++) {
        const ini_section *s = &ini->sections[i];
        const char *id = strncmp(s->name_lc, "source.", 7) == 0 ? s->name_lc + 7 : NULL;
        if (!id || !valid_id(id)) {
            diag_add(diag, KOFU_ERULES, file, s->line, s->name, NULL,
                     "出典の記録は [source.<id>] です（id は英小文字・数字・_）",
                     "a source record is [source.<id>] (the id in lowercase letters, digits, _)");
            ld.bad = true;
            continue;
        }
        load_entry(&ld, s, id, out);
    }
    /* every step of every case cites these: the documents' texts once */
    for (size_t i = 0; !ld.bad && i < out->n; i++) {
        out->entries[i].text[0] = document_cite(&out->entries[i], KOFU_LANG_JA);
        out->entries[i].text[1] = document_cite(&out->entries[i], KOFU_LANG_EN);
    }
    return ld.bad ? KOFU_ERULES : KOFU_OK;
}

/* ---- citations for people ------------------------------------------------- */

/* 令和/平成/昭和 year of a Gregorian date (month and day decide 2019/1989). */
static void era_year(int y, int m, int d, const char **era, int *ey)
{
    long ymd = (long)y * 10000 + (m ? m : 12) * 100 + (d ? d : 31);
    if (ymd >= 20190501) {
        *era = "令和";
        *ey = y - 2018;
    } else if (ymd >= 19890108) {
        *era = "平成";
        *ey = y - 1988;
    } else {
        *era = "昭和";
        *ey = y - 1925;
    }
}

/* Up to `max` digits (at least one) at *s, read into *v; *s moves past them. */
static bool read_digits(const char **s, int max, int *v)
{
    int n = 0;
    *v = 0;
    while (n < max && **s >= '0' && **s <= '9') {
        *v = *v * 10 + (**s - '0');
        (*s)++;
        n++;
    }
    return n > 0;
}

/* "2022", "2022-05" or "2022-05-10" (a four-digit year; a month and a day of
 * one or two digits), and nothing after it. Hand-read: a citation shows a
 * date in every traced step, and sscanf cost a calc a tenth of its time. */
static bool parse_date(const char *s, int *y, int *m, int *d)
{
    const char *p = s;
    *m = *d = 0;
    if (!read_digits(&p, 4, y) || p - s != 4)
        return false;
    if (*p == '-' && (p++, !read_digits(&p, 2, m)))
        return false;
    if (*m && *p == '-' && (p++, !read_digits(&p, 2, d)))
        return false;
    return *p == '\0';
}

/* "2022-05-10" → 令和4年5月10日 (ja) or as written (en); other text as is. */
static void date_text(strbuf *b, const char *date, kofu_lang lang)
{
    if (!date) {
        sb_puts(b, "?");
        return;
    }
    int y, m, d;
    if (lang == KOFU_LANG_EN || !parse_date(date, &y, &m, &d) || y < 1926 || m > 12 || d > 31) {
        sb_puts(b, date);
        return;
    }
    const char *era;
    int ey;
    era_year(y, m, d, &era, &ey);
    if (ey == 1)
        sb_printf(b, "%s元年", era);
    else
        sb_printf(b, "%s%d年", era, ey);
    if (m)
        sb_printf(b, "%d月", m);
    if (d)
        sb_printf(b, "%d日", d);
}

static void statute_text(strbuf *b, const source_entry *e, kofu_lang lang)
{
    bool en = lang == KOFU_LANG_EN;
    sb_printf(b, "%s%s%s", e->title, en ? " (" : "（", e->number);
    if (e->amended_by)
        sb_printf(b, en ? ", as amended by %s" : "、%sによる改正後", e->amended_by);
    sb_puts(b, en ? ", as of " : "、");
    date_text(b, e->as_of, lang);
    sb_puts(b, en ? ")" : "時点）");
}

static void document_text(strbuf *b, const source_entry *e, kofu_lang lang)
{
    bool en = lang == KOFU_LANG_EN;
    sb_printf(b, en ? "%s, 「%s」 (" : "%s「%s」(", e->issuer, e->title);
    if (e->number)
        sb_puts(b, e->number);
    else
        date_text(b, e->date, lang);
    if (e->edition)
        sb_printf(b, en ? ", %s" : "、%s", e->edition);
    sb_puts(b, ")");
    if (strcmp(e->kind, "二次資料") == 0)
        sb_puts(b, en ? " [secondary source]" : "［二次資料］");
}

/* The document as people cite it, without a place in it; malloc'd. */
static char *document_cite(const source_entry *e, kofu_lang lang)
{
    strbuf b = {0};
    bool en = lang == KOFU_LANG_EN;
    if (is_kofu(e))
        sb_printf(&b, en ? "kofu's own interpretation: %s (%s)" : "kofu の解釈「%s」（%s）",
                  en && e->title_en ? e->title_en : e->title, e->doc);
    else if (source_is_statute(e))
        statute_text(&b, e, lang);
    else
        document_text(&b, e, lang);
    return sb_take(&b);
}

char *source_cite_text(const source_entry *e, const char *locator, kofu_lang lang)
{
    const char *doc = e->text[lang == KOFU_LANG_EN];
    char *own = doc ? NULL : document_cite(e, lang);
    if (!doc && !(doc = own))
        return NULL;
    if (!locator || !locator[0])
        return own ? own : xstrdup(doc);
    size_t a = strlen(doc), n = strlen(locator);
    char *t = malloc(a + 1 + n + 1);
    if (t) {
        memcpy(t, doc, a);
        t[a] = ' ';
        memcpy(t + a + 1, locator, n + 1);
    }
    free(own);
    return t;
}
