/* case.c — loading and validating case files against the measures' schemas. */
#include "case.h"

#include <pthread.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fy.h"
#include "inifile.h"
#include "params.h"
#include "registry.h"
#include "suggest.h"
#include "util.h"

/* ---- the engine's own sections ------------------------------------------ */

static const key_def case_keys[] = {
    {"id", KEY_ID, KEY_REQUIRED, NULL, NULL, "ケースID", "case id"},
    {"fiscal_year", KEY_FY, KEY_REQUIRED, NULL, NULL, "年度", "fiscal year"},
    {"entity", KEY_ENTITY, 0, NULL, NULL, "団体の種類", "entity"},
    {"name", KEY_TEXT, 0, NULL, NULL, "団体名", "name"},
    {NULL, 0, 0, NULL, NULL, NULL, NULL},
};

static const section_def case_section_def = {"case", SEC_PLAIN, case_keys, "ケース", "case"};

#define MAX_ID_LEN 128

/* ---- small lookups ------------------------------------------------------ */

int section_key_index(const section_def *def, const char *key_lc)
{
    /* Measures read their keys by name on every evaluation (a sweep makes
     * hundreds of thousands): a measure passes the very literal of its key
     * table, and otherwise the first two bytes rule out most keys cheaply
     * (the second is read only when the first, not NUL, matched). */
    for (int i = 0; def->keys[i].name; i++) {
        const char *n = def->keys[i].name;
        if (n == key_lc)
            return i;
        if (n[0] == key_lc[0] && n[0] && n[1] == key_lc[1] && strcmp(n, key_lc) == 0)
            return i;
    }
    return -1;
}

static size_t key_count(const section_def *def)
{
    size_t n = 0;
    while (def->keys[n].name)
        n++;
    return n;
}

/* Every measure's section definitions with their name lengths, listed once:
 * each section of each case is looked up here. */
#define MAX_SECTION_DEFS 128

/* Measures read their keys by name a dozen times per evaluation, and a
 * sweep makes hundreds of thousands of evaluations. A measure passes the
 * very literal of its key table, so each definition keeps an open-addressing
 * table from those literals' addresses to their indexes (index + 1, 0 for an
 * empty slot); a definition has at most KEY_SLOTS / 2 keys. */
#define KEY_SLOTS 64

typedef struct section_entry {
    const section_def *def;
    int measure;
    size_t len;    /* of the name */
    size_t n_keys; /* key_count(def) */
    unsigned char by_address[KEY_SLOTS];
} section_entry;

static size_t address_slot(const char *key)
{
    return (size_t)(((uintptr_t)key * UINT64_C(0x9E3779B97F4A7C15)) >> 32) & (KEY_SLOTS - 1);
}

static void index_by_address(section_entry *se)
{
    /* the registry is fixed at build time: test_registry checks the bound */
    if (se->n_keys > KEY_SLOTS / 2)
        abort();
    for (size_t i = 0; i < se->n_keys; i++) {
        size_t h = address_slot(se->def->keys[i].name);
        while (se->by_address[h])
            h = (h + 1) & (KEY_SLOTS - 1);
        se->by_address[h] = (unsigned char)(i + 1);
    }
}

static section_entry section_defs[MAX_SECTION_DEFS];
static size_t n_section_defs;
/* section_defs grouped by the first byte of their names (in registry order
 * within a group): the definitions starting with byte b are
 * section_defs[first_byte_at[b] .. first_byte_at[b + 1]). A case names a
 * dozen sections, each once compared with every definition before. */
static unsigned char first_byte_at[257];
static pthread_once_t section_defs_once = PTHREAD_ONCE_INIT;

static void list_section_defs(void)
{
    section_entry all[MAX_SECTION_DEFS];
    size_t n = 0;
    size_t count[256] = {0};
    for (size_t m = 0; m < registry_count(); m++)
        for (const section_def *sd = registry_at(m)->sections; sd && sd->name; sd++) {
            /* the registry is fixed at build time: test_registry checks the bound */
            if (n == MAX_SECTION_DEFS)
                abort();
            all[n] = (section_entry){sd, (int)m, strlen(sd->name), key_count(sd), {0}};
            index_by_address(&all[n++]);
            count[(unsigned char)sd->name[0]]++;
        }
    size_t at = 0;
    for (size_t b = 0; b < 256; b++) {
        first_byte_at[b] = (unsigned char)at;
        at += count[b];
    }
    first_byte_at[256] = (unsigned char)at;
    /* a stable counting sort: registry order is kept within a group */
    size_t next[256];
    for (size_t b = 0; b < 256; b++)
        next[b] = first_byte_at[b];
    for (size_t i = 0; i < n; i++)
        section_defs[next[(unsigned char)all[i].def->name[0]]++] = all[i];
    n_section_defs = n;
}

/* Which registry measure and section definition a section name belongs to.
 * The longest definition name wins, so "cooperative.worker.a" is a worker,
 * not a suffixed "cooperative". */
static const section_entry *find_section_def(const char *name_lc)
{
    pthread_once(&section_defs_once, list_section_defs);
    const section_entry *best = NULL;
    size_t best_len = 0;
    unsigned char b = (unsigned char)name_lc[0];
    for (size_t i = first_byte_at[b]; i < first_byte_at[b + 1]; i++) {
        const section_entry *se = &section_defs[i];
        const section_def *sd = se->def;
        size_t len = se->len;
        if (len <= best_len || strncmp(name_lc, sd->name, len) != 0)
            continue;
        bool plain = (sd->form & SEC_PLAIN) && name_lc[len] == '\0';
        bool suffixed = (sd->form & SEC_SUFFIXED) && name_lc[len] == '.' && name_lc[len + 1] != '\0';
        if (plain || suffixed) {
            best = se;
            best_len = len;
        }
    }
    return best;
}

/* ---- the loader state --------------------------------------------------- */

typedef struct loader {
    kofu_diag *diag;
    kofu_case *c;
    bool bad;
} loader;

static void lerr(loader *ld, int line, const char *section, const char *key, const char *ja,
                 const char *en, ...) KOFU_PRINTF2(5, 7);

static void lerr(loader *ld, int line, const char *section, const char *key, const char *ja,
                 const char *en, ...)
{
    va_list ap;
    va_start(ap, en);
    diag_vadd(ld->diag, KOFU_ECASE, ld->c->file, line, section, key, ja, en, ap);
    va_end(ap);
    ld->bad = true;
}

/* ---- typed values ------------------------------------------------------- */

static const char *parse_error_ja(num_parse_status st)
{
    switch (st) {
    case NUM_PARSE_EMPTY: return "値がありません";
    case NUM_PARSE_NEGATIVE: return "負の値は使えません";
    case NUM_PARSE_FRACTION: return "円未満の端数は使えません";
    case NUM_PARSE_TOO_LARGE: return "大きすぎます（上限 10^15）";
    case NUM_PARSE_TOO_PRECISE: return "小数点以下は2桁までです";
    default: return "数値として読めません";
    }
}

static const char *parse_error_en(num_parse_status st)
{
    switch (st) {
    case NUM_PARSE_EMPTY: return "no value";
    case NUM_PARSE_NEGATIVE: return "must not be negative";
    case NUM_PARSE_FRACTION: return "must be a whole number of yen";
    case NUM_PARSE_TOO_LARGE: return "too large (at most 10^15)";
    case NUM_PARSE_TOO_PRECISE: return "at most two decimals";
    default: return "not a number";
    }
}

static const char *type_hint_ja(key_type t)
{
    switch (t) {
    case KEY_AMOUNT: return "金額（例: 1200000, 1,200,000, 1200千円, 120万円）";
    case KEY_RATIO: return "比率（例: 0.75, 75%）";
    case KEY_DECIMAL2: return "小数（例: 0.65）";
    case KEY_INT: return "整数（例: 12）";
    case KEY_BOOL: return "yes/no, true/false, 1/0, はい/いいえ";
    case KEY_FY: return "年度（例: 2025, FY2025, R7, 令和7年度, H30）";
    case KEY_ENTITY: return "municipality（市町村）か prefecture（道府県）";
    case KEY_ID: return "ID（英数字と . _ -）";
    default: return "";
    }
}

static const char *type_hint_en(key_type t)
{
    switch (t) {
    case KEY_AMOUNT: return "an amount (e.g. 1200000, 1,200,000, 1200千円, 120万円)";
    case KEY_RATIO: return "a ratio (e.g. 0.75, 75%)";
    case KEY_DECIMAL2: return "a decimal (e.g. 0.65)";
    case KEY_INT: return "an integer (e.g. 12)";
    case KEY_BOOL: return "yes/no, true/false, 1/0, はい/いいえ";
    case KEY_FY: return "a fiscal year (e.g. 2025, FY2025, R7, 令和7年度, H30)";
    case KEY_ENTITY: return "municipality (市町村) or prefecture (道府県)";
    case KEY_ID: return "an id (letters, digits, . _ -)";
    default: return "";
    }
}

static bool parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"yes", "true", "1", "はい", NULL};
    static const char *const no[] = {"no", "false", "0", "いいえ", NULL};
    for (int i = 0; yes[i]; i++) {
        if (ascii_ieq(s, yes[i])) {
            *out = true;
            return true;
        }
        if (ascii_ieq(s, no[i])) {
            *out = false;
            return true;
        }
    }
    return false;
}

static bool valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > MAX_ID_LEN)
        return false;
    for (const char *p = s; *p; p++) {
        char ch = *p;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                  ch == '.' || ch == '_' || ch == '-';
        if (!ok)
            return false;
    }
    return true;
}

/* Formats a bound for messages: ratios as percentages ("100%"). */
static char *bound_text(key_type t, const kofu_num *b)
{
    if (t != KEY_RATIO)
        return num_to_string(b);
    kofu_num pct;
    num_init(&pct);
    kofu_num hundred;
    num_init(&hundred);
    num_set_int(&hundred, 100);
    num_mul(&pct, b, &hundred);
    char *s = num_to_string(&pct);
    num_clear(&pct);
    num_clear(&hundred);
    char *r = s ? xasprintf("%s%%", s) : NULL;
    free(s);
    return r;
}

/* A bound written as plain digits (at most 18), as every schema writes them. */
static bool small_int(const char *s, int64_t *out)
{
    int64_t v = 0;
    size_t n = 0;
    for (; s[n] >= '0' && s[n] <= '9'; n++)
        v = v * 10 + (s[n] - '0');
    *out = v;
    return n > 0 && n <= 18 && s[n] == '\0';
}

static void check_range(loader *ld, const key_def *k, const char *sec, const case_value *v)
{
    const char *bounds[2] = {k->min, k->max};
    for (int i = 0; i < 2; i++) {
        if (!bounds[i])
            continue;
        int64_t ib;
        if (small_int(bounds[i], &ib)) {
            /* the usual bound ("0", "1", "12"): no number to build */
            int c = num_cmp_int(&v->num, ib);
            if ((i == 0 && c >= 0) || (i == 1 && c <= 0))
                continue;
        }
        kofu_num b;
        num_init(&b);
        if (num_parse_exact(bounds[i], &b) == NUM_PARSE_OK) {
            int c = num_cmp(&v->num, &b);
            if ((i == 0 && c < 0) || (i == 1 && c > 0)) {
                char *bt = bound_text(k->type, &b);
                if (i == 0)
                    lerr(ld, v->line, sec, k->name, "範囲外の値です: %s（%s 以上）",
                         "out of range: %s (must be at least %s)", v->raw, bt ? bt : "?");
                else
                    lerr(ld, v->line, sec, k->name, "範囲外の値です: %s（%s 以下）",
                         "out of range: %s (must be at most %s)", v->raw, bt ? bt : "?");
                free(bt);
            }
        }
        num_clear(&b);
    }
}

/* What Japanese offices type in numbers, brought to the ASCII the parsers
 * read: full-width digits, ， ． ％, a full-width or ideographic space, and a
 * blank before 円 / 千円 / 万円 ("１，２００，０００ 円" → "1,200,000円").
 * △ ▲ － − become '-', so that a negative written any of these ways is
 * reported as a negative. Writes into buf (the result is never longer than
 * raw); returns raw itself when nothing changes or it does not fit. */
static size_t blank_len(const unsigned char *p)
{
    if (*p == ' ' || *p == '\t')
        return 1;
    return p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80 ? 3 : 0; /* ideographic space */
}

static bool unit_starts(const unsigned char *q)
{
    return (q[0] == 0xE5 && q[1] == 0x86 && q[2] == 0x86) ||  /* 円 */
           (q[0] == 0xE5 && q[1] == 0x8D && q[2] == 0x83) ||  /* 千 */
           (q[0] == 0xE4 && q[1] == 0xB8 && q[2] == 0x87);    /* 万 */
}

/* The ASCII character a full-width or Japanese mark in a number stands for,
 * or 0. */
static char ascii_of(const unsigned char *p)
{
    if (p[0] == 0xEF && p[1] == 0xBC) {
        if (p[2] >= 0x90 && p[2] <= 0x99)
            return (char)('0' + (p[2] - 0x90)); /* ０-９ */
        switch (p[2]) {
        case 0x8C: return ',';                   /* ， */
        case 0x8E: return '.';                   /* ． */
        case 0x85: return '%';                   /* ％ */
        case 0x8D: return '-';                   /* － */
        default: return 0;
        }
    }
    if (p[0] == 0xE2 && p[1] == 0x88 && p[2] == 0x92)
        return '-'; /* − */
    if (p[0] == 0xE2 && p[1] == 0x96 && (p[2] == 0xB3 || p[2] == 0xB2))
        return '-'; /* △ ▲ */
    if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
        return ' '; /* ideographic space */
    return 0;
}

static const char *ascii_number(const char *raw, char *buf, size_t cap)
{
    /* Every mark rewritten below starts with a byte >= 0x80 (a blank goes
     * only before 円, 千 or 万): a number written in ASCII, as nearly all
     * are, is returned as it is after one look at its bytes. */
    const unsigned char *a = (const unsigned char *)raw;
    while (*a && *a < 0x80)
        a++;
    if (!*a)
        return raw;
    size_t o = 0;
    bool changed = false;
    for (const unsigned char *p = (const unsigned char *)raw; *p;) {
        if (o + 1 >= cap)
            return raw;
        if (blank_len(p) && o > 0) {
            /* blanks right before 円, 千円 or 万円 go */
            const unsigned char *q = p;
            for (size_t b; (b = blank_len(q)) != 0;)
                q += b;
            if (unit_starts(q)) {
                p = q;
                changed = true;
                continue;
            }
        }
        char c = ascii_of(p);
        if (c) {
            buf[o++] = c;
            p += 3;
            changed = true;
        } else {
            buf[o++] = (char)*p++;
        }
    }
    buf[o] = '\0';
    return changed ? buf : raw;
}

/* The parsers of the numeric key types; false (st untouched) for any other
 * type. */
static bool parse_number(key_type t, const char *typed, kofu_num *n, num_parse_status *st)
{
    char buf[256];
    const char *raw = ascii_number(typed, buf, sizeof buf);
    switch (t) {
    case KEY_AMOUNT: *st = num_parse_amount(raw, n); return true;
    case KEY_RATIO: *st = num_parse_ratio(raw, n); return true;
    case KEY_DECIMAL2: *st = num_parse_decimal(raw, 2, n); return true;
    case KEY_INT: *st = num_parse_int(raw, n); return true;
    default: return false;
    }
}

static bool is_number_type(key_type t)
{
    return t == KEY_AMOUNT || t == KEY_RATIO || t == KEY_DECIMAL2 || t == KEY_INT;
}

/* Parses raw into v as key k requires; reports and returns false on error. */
static bool parse_value(loader *ld, const key_def *k, const char *sec, const char *raw, int line,
                        bool borrow, case_value *v)
{
    if (v->raw_owned)
        free((char *)v->raw);
    v->raw_owned = !borrow;
    v->raw = borrow ? raw : xstrdup(raw);
    v->line = line;
    v->present = false;
    if (!v->raw) {
        ld->bad = true;
        return false;
    }
    if (!v->num_ready) {
        num_init(&v->num);
        v->num_ready = true;
    }
    num_parse_status st = NUM_PARSE_OK;
    /* `key =` says nothing: the same "no value" for every type, rather than
     * "not a boolean: " with nothing after the colon. */
    key_type type = k->type;
    bool blank_start = raw[0] == '\0' || raw[0] == ' ' || raw[0] == '\t';
    if (type != KEY_TEXT && blank_start && raw[strspn(raw, " \t")] == '\0') {
        st = NUM_PARSE_EMPTY;
        type = KEY_TEXT; /* nothing to parse */
    }
    switch (type) {
    case KEY_AMOUNT:
    case KEY_RATIO:
    case KEY_DECIMAL2:
    case KEY_INT: parse_number(type, raw, &v->num, &st); break;
    case KEY_BOOL:
        if (!parse_bool(raw, &v->b)) {
            lerr(ld, line, sec, k->name, "真偽値ではありません: %s（yes/no, true/false, 1/0, はい/いいえ）",
                 "not a boolean: %s (yes/no, true/false, 1/0, はい/いいえ)", raw);
            return false;
        }
        break;
    case KEY_ID:
        if (!valid_id(raw)) {
            lerr(ld, line, sec, k->name, "IDに使えるのは英数字と . _ - だけです（%d文字まで）: %s",
                 "an id may hold only letters, digits, . _ - (at most %d): %s", MAX_ID_LEN, raw);
            return false;
        }
        break;
    case KEY_FY: {
        int fy;
        if (!fy_parse(raw, &fy)) {
            lerr(ld, line, sec, k->name, "年度として読めません: %s（例: 2025, FY2025, R7, 令和7年度, H30）",
                 "not a fiscal year: %s (e.g. 2025, FY2025, R7, 令和7年度, H30)", raw);
            return false;
        }
        num_set_int(&v->num, fy);
        break;
    }
    case KEY_ENTITY: {
        kofu_entity e;
        if (!entity_parse(raw, &e)) {
            lerr(ld, line, sec, k->name, "団体の種類は municipality（市町村）か prefecture（道府県）です: %s",
                 "entity must be municipality (市町村) or prefecture (道府県): %s", raw);
            return false;
        }
        num_set_int(&v->num, (int64_t)e);
        break;
    }
    case KEY_TEXT: break;
    }
    if (st == NUM_PARSE_EMPTY) {
        lerr(ld, line, sec, k->name, "値がありません（%s）", "no value (expected %s)",
             diag_lang(ld->diag) == KOFU_LANG_EN ? type_hint_en(k->type) : type_hint_ja(k->type));
        return false;
    }
    if (st == NUM_PARSE_NEGATIVE && k->type == KEY_AMOUNT) {
        lerr(ld, line, sec, k->name, "金額は負にできません: %s（0 以上の額を書いてください）",
             "amounts cannot be negative: %s (write an amount of 0 or more)", raw);
        return false;
    }
    if (st != NUM_PARSE_OK) {
        lerr(ld, line, sec, k->name, "%s: %s（%s）", "%s: %s (expected %s)",
             diag_lang(ld->diag) == KOFU_LANG_EN ? parse_error_en(st) : parse_error_ja(st),
             raw, diag_lang(ld->diag) == KOFU_LANG_EN ? type_hint_en(k->type) : type_hint_ja(k->type));
        return false;
    }
    if (is_number_type(k->type)) {
        bool before = ld->bad;
        check_range(ld, k, sec, v);
        if (ld->bad && !before)
            return false;
    }
    v->present = true;
    return true;
}

/* The common case of parse_value for a number, in a slot not set before:
 * parsed, within its bounds when they are plain integers, nothing to
 * report. Returns false when it did not settle the value (any other type, an
 * error, a bound to check exactly): parse_value then reads it from the start
 * and says what is wrong. */
static bool parse_number_quietly(const key_def *k, const char *raw, int line, case_value *v)
{
    if (v->num_ready || v->raw || !is_number_type(k->type))
        return false;
    num_init(&v->num);
    v->num_ready = true;
    num_parse_status st = NUM_PARSE_OK;
    parse_number(k->type, raw, &v->num, &st);
    if (st != NUM_PARSE_OK)
        return false;
    int64_t b;
    if (k->min && (!small_int(k->min, &b) || num_cmp_int(&v->num, b) < 0))
        return false;
    if (k->max && (!small_int(k->max, &b) || num_cmp_int(&v->num, b) > 0))
        return false;
    v->raw = raw;
    v->line = line;
    v->present = true;
    return true;
}

/* ---- unknown names ------------------------------------------------------ */

static void unknown_key(loader *ld, const section_def *def, const char *sec, const ini_entry *e)
{
    const char *names[128];
    size_t n = 0;
    for (const key_def *k = def->keys; k->name && n < 127; k++)
        names[n++] = k->name;
    names[n] = NULL;
    const char *near = suggest_nearest(e->key_lc, names);
    if (near)
        lerr(ld, e->line, sec, e->key, "不明なキーです。%s の誤りではありませんか？",
             "unknown key; did you mean %s?", near);
    else
        lerr(ld, e->line, sec, e->key, "不明なキーです（kofu help case でキーの一覧を表示）",
             "unknown key (kofu help case lists the keys)");
}

static void unknown_section(loader *ld, const ini_section *s)
{
    const char *names[128], *suffixed[128];
    size_t n = 0, ns = 0;
    names[n++] = "case";
    names[n++] = "claim";
    for (size_t m = 0; m < registry_count() && n < 120; m++)
        for (const section_def *sd = registry_at(m)->sections; sd && sd->name && n < 126; sd++) {
            names[n++] = sd->name;
            if (sd->form & SEC_SUFFIXED)
                suffixed[ns++] = sd->name;
        }
    names[n] = NULL;
    suffixed[ns] = NULL;
    /* A typo may sit before an id suffix: "[netwrok.a]" → "[network.a]". The
     * head is tried first, against the sections that take a suffix, or the
     * whole name would match "network" by deleting the suffix. */
    const char *dot = strrchr(s->name_lc, '.');
    char *head = dot ? xstrndup(s->name_lc, (size_t)(dot - s->name_lc)) : NULL;
    const char *near_head = (head && dot[1]) ? suggest_nearest(head, suffixed) : NULL;
    const char *near = near_head ? NULL : suggest_nearest(s->name_lc, names);
    if (near_head)
        lerr(ld, s->line, s->name, NULL, "不明なセクションです。[%s%s] の誤りではありませんか？",
             "unknown section; did you mean [%s%s]?", near_head, s->name + (dot - s->name_lc));
    else if (near)
        lerr(ld, s->line, s->name, NULL, "不明なセクションです。[%s] の誤りではありませんか？",
             "unknown section; did you mean [%s]?", near);
    else
        lerr(ld, s->line, s->name, NULL, "不明なセクションです（kofu help case で一覧を表示）",
             "unknown section (kofu help case lists the sections)");
    free(head);
}

/* ---- the form pass ------------------------------------------------------ */

static void load_case_section(loader *ld, const ini_section *s)
{
    kofu_case *c = ld->c;
    bool given[sizeof case_keys / sizeof case_keys[0]] = {false};
    for (size_t i = 0; i < s->n_entries; i++) {
        const ini_entry *e = &s->entries[i];
        int k = section_key_index(&case_section_def, e->key_lc);
        if (k < 0) {
            unknown_key(ld, &case_section_def, s->name, e);
            continue;
        }
        given[k] = true; /* valid or not: it is not missing */
        case_value v = {0};
        int64_t iv = 0;
        if (parse_value(ld, &case_keys[k], s->name, e->value, e->line, true, &v)) {
            num_to_int64(&v.num, &iv);
            if (k == 0)
                c->id = e->value; /* the INI block lives as long as the case */
            else if (k == 1)
                c->fy = (int)iv;
            else if (k == 2)
                c->entity = (kofu_entity)iv;
            else
                c->name = e->value;
        }
        if (v.num_ready)
            num_clear(&v.num);
    }
    for (size_t k = 0; case_keys[k].name; k++)
        if ((case_keys[k].flags & KEY_REQUIRED) && !given[k])
            lerr(ld, s->line, s->name, case_keys[k].name, "必須のキーがありません",
                 "required key is missing");
}

static bool add_claim(loader *ld, const ini_section *s, const ini_entry *e)
{
    kofu_case *c = ld->c;
    case_claim *cl = realloc(c->claims, (c->n_claims + 1) * sizeof *cl);
    if (!cl)
        return false;
    c->claims = cl;
    case_claim *it = &cl[c->n_claims];
    memset(it, 0, sizeof *it);
    num_init(&it->amount);
    c->n_claims++;
    it->key = xstrdup(e->key_lc);
    it->raw = xstrdup(e->value);
    it->line = e->line;
    num_parse_status st = NUM_PARSE_OK;
    parse_number(KEY_AMOUNT, e->value, &it->amount, &st);
    if (st == NUM_PARSE_NEGATIVE)
        lerr(ld, e->line, s->name, e->key, "金額は負にできません: %s（0 以上の額を書いてください）",
             "amounts cannot be negative: %s (write an amount of 0 or more)", e->value);
    else if (st != NUM_PARSE_OK)
        lerr(ld, e->line, s->name, e->key, "%s: %s（%s）", "%s: %s (expected %s)",
             diag_lang(ld->diag) == KOFU_LANG_EN ? parse_error_en(st) : parse_error_ja(st),
             e->value, diag_lang(ld->diag) == KOFU_LANG_EN ? type_hint_en(KEY_AMOUNT)
                                                           : type_hint_ja(KEY_AMOUNT));
    return it->key && it->raw;
}

static bool add_measure_section(loader *ld, const ini_section *s, const section_entry *se)
{
    const section_def *def = se->def;
    kofu_case *c = ld->c;
    /* reserve_sections counted this section and its keys */
    case_section *cs = &c->sections[c->n_sections];
    memset(cs, 0, sizeof *cs);
    c->n_sections++;
    cs->def = def;
    cs->measure = se->measure;
    cs->line = s->line;
    cs->name = s->name; /* the INI block lives as long as the case */
    /* the name is the definition's, or it and "." and an id */
    cs->id = s->name[se->len] ? s->name + se->len + 1 : "";
    cs->n_keys = se->n_keys;
    cs->by_address = se->by_address;
    cs->values = c->value_store + c->n_values;
    c->n_values += cs->n_keys;
    if (cs->id[0] && !valid_id(cs->id))
        lerr(ld, s->line, s->name, NULL,
             "セクション名の . の後のIDに使えるのは英数字と . _ - だけです: %s",
             "the id after the dot may hold only letters, digits, . _ -: %s", cs->id);
    /* Files mostly follow the schema's order (the templates do): the key
     * after the last one found is tried first. */
    size_t next = 0;
    for (size_t i = 0; i < s->n_entries; i++) {
        const ini_entry *e = &s->entries[i];
        int k = next < cs->n_keys && strcmp(def->keys[next].name, e->key_lc) == 0
                    ? (int)next
                    : section_key_index(def, e->key_lc);
        next = k < 0 ? next : (size_t)k + 1;
        if (k < 0)
            unknown_key(ld, def, s->name, e);
        else if (!parse_number_quietly(&def->keys[k], e->value, e->line, &cs->values[k]))
            parse_value(ld, &def->keys[k], s->name, e->value, e->line, true, &cs->values[k]);
    }
    for (size_t k = 0; k < cs->n_keys; k++)
        if ((def->keys[k].flags & KEY_REQUIRED) && !cs->values[k].raw) /* not given */
            lerr(ld, s->line, s->name, def->keys[k].name, "必須のキーがありません",
                 "required key is missing");
    return true;
}

/* A section of the file, as the form pass will read it: its definition,
 * measure and key count (NULL when no measure defines the name), found once. */
typedef const section_entry *section_plan;

/* Most files have a few dozen sections: their plan lives on the stack. */
#define SMALL_PLAN 64

/* Finds each section's definition into plan[] and makes room for every
 * measure section of the file and all their values: one block rather than
 * an allocation per section. */
static bool reserve_sections(kofu_case *c, const ini_file *ini, section_plan *plan)
{
    size_t n_sections = 0, n_values = 0;
    for (size_t i = 0; i < ini->n_sections; i++) {
        plan[i] = find_section_def(ini->sections[i].name_lc);
        if (plan[i]) {
            n_sections++;
            n_values += plan[i]->n_keys;
        }
    }
    size_t bytes = n_sections * sizeof(case_section) + n_values * sizeof(case_value);
    char *block = malloc(bytes ? bytes : 1);
    if (!block)
        return false;
    memset(block, 0, bytes);
    c->store = block;
    c->sections = (case_section *)(void *)block;
    c->value_store = (case_value *)(void *)(c->sections + n_sections);
    return true;
}

static bool read_sections(loader *ld, const ini_file *ini, const section_plan *plan)
{
    kofu_case *c = ld->c;
    for (size_t i = 0; i < ini->n_sections; i++) {
        const ini_section *s = &ini->sections[i];
        bool ok = true;
        /* the first byte spares most sections two strcmp */
        if (s->name_lc[0] == 'c' && strcmp(s->name_lc, "case") == 0) {
            load_case_section(ld, s);
        } else if (s->name_lc[0] == 'c' && strcmp(s->name_lc, "claim") == 0) {
            c->claim_line = s->line;
            for (size_t j = 0; j < s->n_entries && ok; j++)
                ok = add_claim(ld, s, &s->entries[j]);
        } else if (plan[i]) {
            ok = add_measure_section(ld, s, plan[i]);
        } else {
            unknown_section(ld, s);
        }
        if (!ok)
            return false;
    }
    return true;
}

static bool load_form(loader *ld, const ini_file *ini)
{
    section_plan small[SMALL_PLAN];
    section_plan *plan = ini->n_sections <= SMALL_PLAN ? small
                                                       : malloc(ini->n_sections * sizeof *plan);
    if (!plan)
        return false;
    bool ok = reserve_sections(ld->c, ini, plan);
    if (ok && !ini_find_section(ini, "case"))
        lerr(ld, 0, "case", NULL, "セクションがありません（id と fiscal_year を書いてください）",
             "section is missing (it needs id and fiscal_year)");
    if (ok)
        ok = read_sections(ld, ini, plan);
    if (plan != small)
        free(plan);
    return ok;
}

/* ---- the meaning pass --------------------------------------------------- */

struct case_check {
    loader *ld;
    int measure;
    size_t *idx; /* indexes into c->sections */
    size_t n;
};

size_t check_count(const case_check *chk) { return chk->n; }

const case_section *check_section(const case_check *chk, size_t i)
{
    return i < chk->n ? &chk->ld->c->sections[chk->idx[i]] : NULL;
}

void (check_error)(case_check *chk, const case_section *s, const char *key, const char *fmt_ja,
                 const char *fmt_en, ...)
{
    int line = s ? s->line : 0;
    if (s && key) {
        int k = section_key_index(s->def, key);
        if (k >= 0 && s->values[k].present)
            line = s->values[k].line;
    }
    va_list ap;
    va_start(ap, fmt_en);
    diag_vadd(chk->ld->diag, KOFU_ECASE, chk->ld->c->file, line, s ? s->name : NULL, key,
              fmt_ja, fmt_en, ap);
    va_end(ap);
    chk->ld->bad = true;
}

static const case_section *first_section_of(const kofu_case *c, int m)
{
    for (size_t i = 0; i < c->n_sections; i++)
        if (c->sections[i].measure == m)
            return &c->sections[i];
    return NULL;
}

static void check_open(loader *ld, int m)
{
    kofu_case *c = ld->c;
    const measure_def *md = registry_at((size_t)m);
    const measure_rules *mr = rules_for(c->rules, (size_t)m);
    const case_section *s = first_section_of(c, m);
    const char *sec = s ? s->name : md->name;
    int line = s ? s->line : 0;
    if (!(mr->entities & (unsigned)c->entity)) {
        lerr(ld, line, sec, NULL, "%s は%sの措置ではありません（対象: %s）",
             "%s is not open to a %s (open to: %s)", md->name,
             diag_lang(ld->diag) == KOFU_LANG_EN ? entity_name(c->entity)
             : c->entity == KOFU_ENTITY_PREFECTURE ? "道府県" : "市町村",
             (mr->entities & KOFU_ENTITY_PREFECTURE) ? "municipality, prefecture" : "municipality");
        return;
    }
    for (size_t p = 0; p < mr->n_params; p++) {
        const param_def *pd = &mr->params[p];
        if (!param_at(pd, c->fy)) {
            char a[64], b[64];
            fy_format_ja(c->fy, a, sizeof a);
            if (diag_lang(ld->diag) == KOFU_LANG_EN)
                fy_format_en(pd->values[0].from_fy, b, sizeof b);
            else
                fy_format_ja(pd->values[0].from_fy, b, sizeof b);
            if (diag_lang(ld->diag) == KOFU_LANG_EN)
                fy_format_en(c->fy, a, sizeof a);
            lerr(ld, line, sec, NULL,
                 "パラメータ %s.%s の値は%sにはありません（最初の値は%sから）",
                 "no value of parameter %s.%s in %s: its first value is from %s", md->name,
                 pd->name, a, b);
            return;
        }
    }
}

static void check_presence(loader *ld)
{
    kofu_case *c = ld->c;
    size_t n = registry_count();
    for (size_t i = 0; i < c->n_sections; i++)
        c->present[c->sections[i].measure] = true;
    for (size_t m = 0; m < n; m++) {
        const measure_def *md = registry_at(m);
        if (!c->present[m] || !md->requires)
            continue;
        int r = registry_find(md->requires);
        if (r >= 0 && !c->present[r])
            lerr(ld, first_section_of(c, (int)m)->line, first_section_of(c, (int)m)->name, NULL,
                 "%s には [%s] セクションが必要です", "%s needs a [%s] section", md->name,
                 md->requires);
    }
}

static bool check_measures(loader *ld)
{
    kofu_case *c = ld->c;
    size_t small[SMALL_PLAN];
    size_t *idx = c->n_sections <= SMALL_PLAN ? small : malloc(c->n_sections * sizeof *idx);
    if (!idx)
        return false;
    for (size_t m = 0; m < registry_count(); m++) {
        if (!c->present[m])
            continue;
        check_open(ld, (int)m);
        const measure_def *md = registry_at(m);
        if (!md->validate)
            continue;
        case_check chk = {ld, (int)m, idx, 0};
        for (size_t i = 0; i < c->n_sections; i++)
            if (c->sections[i].measure == (int)m)
                idx[chk.n++] = i;
        md->validate(&chk);
    }
    if (idx != small)
        free(idx);
    return true;
}

static bool claimable(const kofu_case *c, const char *key)
{
    const char *dot = strchr(key, '.');
    if (!dot)
        return false;
    if (strncmp(key, "totals.", 7) == 0)
        return strcmp(dot + 1, "special_tax_grant") == 0 || strcmp(dot + 1, "national_grant") == 0;
    for (size_t m = 0; m < registry_count(); m++) {
        const measure_def *md = registry_at(m);
        if (strncmp(key, md->name, (size_t)(dot - key)) != 0 || md->name[dot - key] != '\0')
            continue;
        for (const output_def *o = md->outputs; o && o->name; o++)
            if ((o->flags & OUT_CLAIMABLE) && strcmp(o->name, dot + 1) == 0)
                return c->present[m];
    }
    return false;
}

static void check_claims(loader *ld)
{
    kofu_case *c = ld->c;
    /* An empty [claim] would pass a check with nothing compared. */
    if (c->claim_line > 0 && c->n_claims == 0)
        lerr(ld, c->claim_line, "claim", NULL,
             "[claim] セクションに請求額がありません（「措置.金額 = 請求額」を書くか、セクションを削除してください）",
             "the [claim] section holds no claimed amount (write `measure.amount = amount`, or "
             "remove the section)");
    for (size_t i = 0; i < c->n_claims; i++) {
        const case_claim *cl = &c->claims[i];
        if (claimable(c, cl->key))
            continue;
        const char *dot = strchr(cl->key, '.');
        int m = dot ? -1 : -2;
        for (size_t j = 0; dot && j < registry_count(); j++)
            if (strncmp(cl->key, registry_at(j)->name, (size_t)(dot - cl->key)) == 0 &&
                registry_at(j)->name[dot - cl->key] == '\0')
                m = (int)j;
        if (m >= 0 && !c->present[m])
            lerr(ld, cl->line, "claim", cl->key,
                 "このケースに %s の措置はありません", "the case has no %s measure",
                 registry_at((size_t)m)->name);
        else
            lerr(ld, cl->line, "claim", cl->key,
                 "請求できる金額ではありません（measure.amount か totals.amount、kofu help check を参照）",
                 "not a claimable amount (measure.amount or totals.amount; see kofu help check)");
    }
}

static bool load_meaning(loader *ld)
{
    memset(ld->c->present, 0, registry_count() * sizeof *ld->c->present);
    check_presence(ld);
    if (!check_measures(ld))
        return false;
    check_claims(ld);
    return true;
}

/* ---- public entry points ------------------------------------------------ */

/* Every value of every section: they are contiguous in value_store. A
 * number that never went big owns nothing (num.h), and the block is
 * freed as it is. */
static void values_free(kofu_case *c)
{
    for (size_t k = 0; k < c->n_values; k++) {
        case_value *v = &c->value_store[k];
        if (v->raw_owned)
            free((char *)v->raw);
        if (v->num_ready && v->num.q)
            num_clear(&v->num);
    }
}

void kofu_case_free(kofu_case **cp)
{
    if (!cp || !*cp)
        return;
    kofu_case *c = *cp;
    values_free(c);
    for (size_t i = 0; i < c->n_claims; i++) {
        free(c->claims[i].key);
        free(c->claims[i].raw);
        num_clear(&c->claims[i].amount);
    }
    free(c->store);
    free(c->claims);
    ini_free(&c->ini);
    free(c);
    *cp = NULL;
}

static kofu_status load_from_ini(const kofu_rules *rules, ini_file **inip,
                                 kofu_diag *diag, kofu_case **out)
{
    /* the case and its present[] in one allocation */
    kofu_case *c = calloc(1, sizeof *c + (registry_count() + 1) * sizeof *c->present);
    if (!c)
        return KOFU_ENOMEM;
    c->present = (bool *)(void *)(c + 1);
    /* Section names and raw values point into the parsed file: the case
     * owns it from here on (one block instead of a copy of every string). */
    c->ini = *inip;
    *inip = NULL;
    const ini_file *ini = c->ini;
    c->rules = rules;
    c->entity = KOFU_ENTITY_MUNICIPALITY;
    c->file = ini->display_name; /* the name the file was read as */
    loader ld = {diag, c, false};
    bool ok = load_form(&ld, ini);
    /* The meaning pass needs a sound form: a fiscal year, known sections. */
    if (ok && !ld.bad)
        ok = load_meaning(&ld);
    if (!ok || ld.bad) {
        kofu_case_free(&c);
        return ok ? KOFU_ECASE : KOFU_ENOMEM;
    }
    *out = c;
    return KOFU_OK;
}

kofu_status kofu_case_load_buffer(const kofu_rules *rules, const char *display_name,
                                  const char *bytes, size_t len, kofu_diag *diag, kofu_case **out)
{
    if (!out || !rules || !display_name || (!bytes && len))
        return KOFU_EUSAGE;
    *out = NULL;
    ini_file *ini = NULL;
    kofu_status st = ini_parse(display_name, bytes ? bytes : "", len, KOFU_ECASE, diag, &ini);
    if (st != KOFU_OK)
        return st;
    st = load_from_ini(rules, &ini, diag, out);
    ini_free(&ini);
    return st;
}

kofu_status kofu_case_load_file(const kofu_rules *rules, const char *path, kofu_diag *diag,
                                kofu_case **out)
{
    return kofu_case_load_at(rules, AT_FDCWD, path, path, diag, out);
}

kofu_status kofu_case_load_at(const kofu_rules *rules, int dirfd, const char *name,
                              const char *display_name, kofu_diag *diag, kofu_case **out)
{
    if (!out || !rules || !name || !display_name)
        return KOFU_EUSAGE;
    *out = NULL;
    ini_file *ini = NULL;
    kofu_status st = ini_load_at(dirfd, name, display_name, KOFU_ECASE, diag, &ini);
    if (st != KOFU_OK)
        return st;
    st = load_from_ini(rules, &ini, diag, out);
    ini_free(&ini);
    return st;
}

static case_section *find_case_section(kofu_case *c, const char *name, size_t len)
{
    for (size_t i = 0; i < c->n_sections; i++)
        if (strlen(c->sections[i].name) == len &&
            strncasecmp(c->sections[i].name, name, len) == 0)
            return &c->sections[i];
    return NULL;
}

/* [case] fiscal_year may vary (a sweep across years): the meaning pass that
 * follows checks the measures and parameters against the new year. */
static bool set_case_key(loader *ld, const char *key, const char *value)
{
    int fy;
    if (strcmp(key, "fiscal_year") != 0 || !value) {
        lerr(ld, 0, "case", key, "[case] で変えられるのは fiscal_year だけです",
             "of [case], only fiscal_year can be changed");
        return false;
    }
    if (!fy_parse(value, &fy)) {
        lerr(ld, 0, "case", key, "年度として読めません: %s（例: 2025, FY2025, R7, 令和7年度, H30）",
             "not a fiscal year: %s (e.g. 2025, FY2025, R7, 令和7年度, H30)", value);
        return false;
    }
    ld->c->fy = fy;
    return true;
}

/* Removes a key, as if the file had never given it (a required key stays). */
static bool unset_value(loader *ld, case_section *s, int k)
{
    if (s->def->keys[k].flags & KEY_REQUIRED) {
        lerr(ld, 0, s->name, s->def->keys[k].name, "必須のキーは外せません", "a required key cannot be removed");
        return false;
    }
    s->values[k].present = false;
    return true;
}

/* Parses one SECTION.KEY = value into the case (the form pass for one key);
 * a NULL value removes the key. False when it was not set. */
static bool set_one(loader *ld, const char *section_dot_key, const char *value)
{
    kofu_case *c = ld->c;
    const char *dot = strrchr(section_dot_key, '.');
    if (!dot || dot == section_dot_key || !dot[1]) {
        lerr(ld, 0, NULL, section_dot_key, "SECTION.KEY の形で指定してください",
             "expected SECTION.KEY");
        return false;
    }
    char *key = ascii_lower_dup(dot + 1);
    if (!key) {
        ld->bad = true;
        return false;
    }
    size_t slen = (size_t)(dot - section_dot_key);
    if (slen == 4 && strncasecmp(section_dot_key, "case", 4) == 0) {
        bool ok = set_case_key(ld, key, value);
        free(key);
        return ok;
    }
    case_section *s = find_case_section(c, section_dot_key, slen);
    int k = s ? section_key_index(s->def, key) : -1;
    bool ok = false;
    if (!s) {
        char *sec = xstrndup(section_dot_key, slen);
        lerr(ld, 0, sec, NULL, "このケースにこのセクションはありません",
             "the case has no such section");
        free(sec);
    } else if (k < 0) {
        ini_entry e = {.key = key, .key_lc = key, .value = (char *)value, .line = 0};
        unknown_key(ld, s->def, s->name, &e);
    } else if (!value) {
        ok = unset_value(ld, s, k);
    } else {
        ok = parse_value(ld, &s->def->keys[k], s->name, value, 0, false, &s->values[k]);
    }
    free(key);
    return ok;
}

kofu_status kofu_case_set_many(kofu_case *c, size_t n, const char *const *section_dot_keys,
                               const char *const *values, kofu_diag *diag)
{
    if (!c || (n && (!section_dot_keys || !values)))
        return KOFU_EUSAGE;
    for (size_t i = 0; i < n; i++)
        if (!section_dot_keys[i])
            return KOFU_EUSAGE;
    loader ld = {diag, c, false};
    for (size_t i = 0; i < n; i++)
        set_one(&ld, section_dot_keys[i], values[i]);
    /* The meaning pass needs every value in place: run it once, at the end. */
    if (!ld.bad && !load_meaning(&ld))
        return KOFU_ENOMEM;
    return ld.bad ? KOFU_ECASE : KOFU_OK;
}

kofu_status kofu_case_set(kofu_case *c, const char *section_dot_key, const char *value,
                          kofu_diag *diag)
{
    return kofu_case_set_many(c, 1, &section_dot_key, &value, diag);
}

const char *kofu_case_id(const kofu_case *c) { return c && c->id ? c->id : ""; }
const char *kofu_case_file(const kofu_case *c) { return c && c->file ? c->file : ""; }
const char *kofu_case_name(const kofu_case *c) { return c && c->name ? c->name : ""; }
int kofu_case_fiscal_year(const kofu_case *c) { return c ? c->fy : 0; }

/* ---- section accessors for measures ------------------------------------- */

static const case_value *value_of(const case_section *s, const char *key)
{
    /* the literal of the key table, found by its address (section_entry) */
    const key_def *keys = s->def->keys;
    for (size_t h = address_slot(key); s->by_address[h]; h = (h + 1) & (KEY_SLOTS - 1)) {
        size_t i = s->by_address[h] - 1u;
        if (keys[i].name == key)
            return s->values[i].present ? &s->values[i] : NULL;
    }
    int k = section_key_index(s->def, key);
    return (k >= 0 && s->values[k].present) ? &s->values[k] : NULL;
}

const char *sec_def_name(const case_section *s) { return s->def->name; }
const char *sec_id(const case_section *s) { return s->id; }
const char *sec_name(const case_section *s) { return s->name; }
int sec_line(const case_section *s) { return s->line; }
bool sec_has(const case_section *s, const char *key) { return value_of(s, key) != NULL; }

const kofu_num *sec_num(const case_section *s, const char *key)
{
    const case_value *v = value_of(s, key);
    return v ? &v->num : NULL;
}

bool sec_bool(const case_section *s, const char *key, bool dflt)
{
    const case_value *v = value_of(s, key);
    return v ? v->b : dflt;
}

const char *sec_raw(const case_section *s, const char *key)
{
    const case_value *v = value_of(s, key);
    return v ? v->raw : NULL;
}

int sec_key_line(const case_section *s, const char *key)
{
    const case_value *v = value_of(s, key);
    return v ? v->line : s->line;
}

const section_def *case_core_section(void) { return &case_section_def; }

/* ---- the case's sections and values, for sweeps and solvers ------------- */

size_t kofu_case_section_count(const kofu_case *c) { return c ? c->n_sections : 0; }

const char *kofu_case_section_name(const kofu_case *c, size_t i)
{
    return c && i < c->n_sections ? c->sections[i].name : NULL;
}

char *kofu_case_value(const kofu_case *c, const char *section_dot_key)
{
    const char *dot = section_dot_key ? strrchr(section_dot_key, '.') : NULL;
    if (!c || !dot)
        return NULL;
    if ((size_t)(dot - section_dot_key) == 4 && strncasecmp(section_dot_key, "case", 4) == 0 &&
        strcmp(dot + 1, "fiscal_year") == 0)
        return xasprintf("%d", c->fy);
    case_section *s = find_case_section((kofu_case *)c, section_dot_key, (size_t)(dot - section_dot_key));
    char *key = ascii_lower_dup(dot + 1);
    int k = s && key ? section_key_index(s->def, key) : -1;
    free(key);
    if (k < 0 || !s->values[k].present)
        return NULL;
    return is_number_type(s->def->keys[k].type) ? num_to_string(&s->values[k].num)
                                                : xstrdup(s->values[k].raw);
}

/* A value as an INI line would hold it: quoted when a comment sign or an
 * outer blank would otherwise change what is read. */
static void put_ini_value(strbuf *b, const char *key, const char *v)
{
    size_t n = strlen(v);
    bool quote = strpbrk(v, ";#\"") || (n && (v[0] == ' ' || v[n - 1] == ' '));
    sb_printf(b, quote ? "%s = \"%s\"\n" : "%s = %s\n", key, v);
}

static void put_section(strbuf *b, const case_section *s, const char *name)
{
    sb_printf(b, "[%s]\n", name);
    for (size_t k = 0; k < s->n_keys; k++)
        if (s->values[k].present)
            put_ini_value(b, s->def->keys[k].name, s->values[k].raw);
}

static bool named_in(const char *name, size_t n, const char *const *names)
{
    for (size_t i = 0; i < n; i++)
        if (names[i] && strcasecmp(names[i], name) == 0)
            return true;
    return false;
}

kofu_status kofu_case_derive(const kofu_case *c, size_t n_drop, const char *const *drop, size_t n_copy,
                             const char *const *copy_from, const char *const *copy_to,
                             kofu_diag *diag, kofu_case **out)
{
    if (!c || !out || (n_drop && !drop) || (n_copy && (!copy_from || !copy_to)))
        return KOFU_EUSAGE;
    *out = NULL;
    strbuf b = {0};
    for (size_t i = 0; i < c->ini->n_sections; i++) {
        const ini_section *is = &c->ini->sections[i];
        const case_section *s = find_case_section((kofu_case *)c, is->name, strlen(is->name));
        if (s && named_in(s->name, n_drop, drop))
            continue;
        if (s) {
            put_section(&b, s, s->name);
            continue;
        }
        sb_printf(&b, "[%s]\n", is->name);
        for (size_t e = 0; e < is->n_entries; e++) {
            if (strcasecmp(is->name, "case") == 0 && strcmp(is->entries[e].key_lc, "fiscal_year") == 0)
                sb_printf(&b, "fiscal_year = %d\n", c->fy); /* it may have been changed */
            else
                put_ini_value(&b, is->entries[e].key, is->entries[e].value);
        }
    }
    for (size_t i = 0; i < n_copy; i++) {
        const case_section *s = copy_from[i] && copy_to[i]
                                    ? find_case_section((kofu_case *)c, copy_from[i], strlen(copy_from[i]))
                                    : NULL;
        if (!s) {
            sb_free(&b);
            diag_add(diag, KOFU_EUSAGE, c->file, 0, copy_from[i] ? copy_from[i] : "", NULL,
                     "このケースにこのセクションはありません", "the case has no such section");
            return KOFU_EUSAGE;
        }
        put_section(&b, s, copy_to[i]);
    }
    size_t len = b.len;
    char *text = sb_take(&b);
    if (!text)
        return KOFU_ENOMEM;
    kofu_status st = kofu_case_load_buffer(c->rules, c->file, text, len, diag, out);
    free(text);
    return st;
}

/* ---- cases from entries (case tables) --------------------------------------------- */

static int ascii_lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static bool same_lc(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
            return false;
    return *a == *b;
}

static char *copy_lc(char **str, const char *s, bool lower)
{
    char *out = *str;
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        out[i] = lower ? (char)ascii_lower((unsigned char)s[i]) : s[i];
    out[n] = '\0';
    *str += n + 1;
    return out;
}

/* The parsed form an INI file would have had, from the entries: sections in
 * the order of their first entry, one block (freed by ini_free). Repeated
 * keys are errors naming both places, as in a file. */
static kofu_status entries_to_ini(const char *display_name, const case_entry *e, size_t n,
                                  kofu_diag *diag, ini_file **out)
{
    size_t n_secs = 0, strings = strlen(display_name) + 1;
    bool dup = false;
    for (size_t i = 0; i < n; i++) {
        bool new_sec = true;
        for (size_t j = 0; j < i && new_sec; j++)
            new_sec = !same_lc(e[j].section, e[i].section);
        n_secs += new_sec;
        for (size_t j = 0; j < i; j++)
            if (same_lc(e[j].section, e[i].section) && same_lc(e[j].key, e[i].key)) {
                char cell[32] = "";
                diag_cell_ref(e[j].line, cell, sizeof cell);
                diag_add(diag, KOFU_ECASE, display_name, e[i].line, e[i].section, e[i].key,
                         "キーが重複しています（%s にもあります）", "duplicate key (also in %s)",
                         cell[0] ? cell : "?");
                dup = true;
            }
        strings += 2 * (strlen(e[i].section) + 1) + 2 * (strlen(e[i].key) + 1) +
                   strlen(e[i].value) + 1;
    }
    if (dup)
        return KOFU_ECASE;
    if (n == 0 || n_secs > INI_MAX_SECTIONS || n > INI_MAX_KEYS)
        return diag_add(diag, KOFU_ECASE, display_name, 0, NULL, NULL,
                        n == 0 ? "ケースに値がありません" : "セクションかキーが多すぎます",
                        n == 0 ? "the case holds no value" : "too many sections or keys");
    size_t size = sizeof(ini_file) + n_secs * sizeof(ini_section) + n * sizeof(ini_entry) + strings;
    char *block = malloc(size);
    if (!block)
        return KOFU_ENOMEM;
    ini_file *f = (ini_file *)(void *)block;
    ini_section *secs = (ini_section *)(void *)(f + 1);
    ini_entry *ents = (ini_entry *)(void *)(secs + n_secs);
    char *str = (char *)(ents + n);
    *f = (ini_file){.display_name = copy_lc(&str, display_name, false), .sections = secs};
    size_t at = 0;
    /* each section's entries contiguous, in the order the sections appear */
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t s = 0; s < f->n_sections && !seen; s++)
            seen = same_lc(secs[s].name_lc, e[i].section);
        if (seen)
            continue;
        ini_section *s = &secs[f->n_sections++];
        s->name = copy_lc(&str, e[i].section, false);
        s->name_lc = copy_lc(&str, e[i].section, true);
        s->line = e[i].section_line;
        s->entries = &ents[at];
        s->n_entries = 0;
        for (size_t j = i; j < n; j++) {
            if (!same_lc(e[j].section, e[i].section))
                continue;
            ini_entry *en = &ents[at++];
            en->key = copy_lc(&str, e[j].key, false);
            en->key_lc = copy_lc(&str, e[j].key, true);
            en->value = copy_lc(&str, e[j].value, false);
            en->line = e[j].line;
            s->n_entries++;
        }
    }
    *out = f;
    return KOFU_OK;
}

kofu_status case_load_entries(const kofu_rules *rules, const char *display_name,
                              const case_entry *entries, size_t n, kofu_diag *diag,
                              kofu_case **out)
{
    if (!out || !rules || !display_name || (!entries && n))
        return KOFU_EUSAGE;
    *out = NULL;
    ini_file *ini = NULL;
    kofu_status st = entries_to_ini(display_name, entries, n, diag, &ini);
    if (st == KOFU_OK)
        st = load_from_ini(rules, &ini, diag, out);
    ini_free(&ini);
    return st;
}
