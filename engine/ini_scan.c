/*
 * ini_scan.c — the line scanner: every section and key of a file, in file
 * order, as written, with its line, checked against the grammar of
 * inifile.h and against what iniparser would do with it.
 *
 * iniparser 4.1 facts this file relies on (checked against the Debian build;
 * docs/ lists them for users):
 *   - a line is read with fgets into a 1024-byte buffer; a line of 1023 bytes
 *     or more (continuations joined) makes iniparser_load fail as a whole;
 *   - trailing isspace() bytes are stripped before anything else, so CRLF
 *     needs no conversion, and a line then ending in `\` is joined with the
 *     next one (even a comment line, which then swallows the next line; at
 *     the end of the file the pending line is dropped without a word);
 *   - a section is a line that starts with `[` and ends with `]` (the name is
 *     what precedes the first `]`); `[a] ; comment` is a syntax error, or a
 *     key named "[a] ; x" when the comment holds a `=`;
 *   - a key line is anything with a `=` after its first character: the key
 *     is what precedes the first `=`; a value starting with a quote runs to
 *     the next same quote (or the end of the line) and anything after it is
 *     dropped; an unquoted value ends at the first `;` or `#`, even with no
 *     blank before it; `""`, `''` and nothing give "";
 *   - a single-byte last line with no newline is skipped;
 *   - any syntax error makes iniparser_load return NULL (after reporting every
 *     bad line through the error callback).
 * The scanner below classifies lines the same way, and is stricter where
 * iniparser would lose something silently. Most lines of a case file are
 * plain ASCII `name = value`, `[name]`, comments and blanks: fast_line reads
 * those in one pass, and hands every other line to the general path.
 *
 * The scanner classifies lines the way iniparser does, and is stricter where
 * iniparser would lose something silently. Most lines of a case file are
 * plain ASCII `name = value`, `[name]`, comments and blanks: fast_line reads
 * those in one pass, and hands every other line to the general path.
 */
#define _GNU_SOURCE /* memrchr */
#include "ini_scan.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "ini_utf8.h"
#include "utf8.h"
#include "util.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static bool is_comment_char(char c) { return c == ';' || c == '#'; }

/* ASCII lowercase by table: names are hashed, compared and copied
 * lowercased byte by byte, a branch per byte otherwise. */
static const unsigned char lower_table[256] = {
#define L4(i) L1(i), L1(i + 1), L1(i + 2), L1(i + 3)
#define L1(i) ((unsigned char)((i) >= 'A' && (i) <= 'Z' ? (i) - 'A' + 'a' : (i)))
#define L16(i) L4(i), L4(i + 4), L4(i + 8), L4(i + 12)
#define L64(i) L16(i), L16(i + 16), L16(i + 32), L16(i + 48)
    L64(0), L64(64), L64(128), L64(192)
#undef L64
#undef L16
#undef L1
#undef L4
};

static char lower(char c) { return (char)lower_table[(unsigned char)c]; }

/* p itself when it has room for element n, else a doubled copy (NULL when
 * out of memory, p then still valid). */
static void *room_for(void *p, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap)
        return p;
    size_t ncap = *cap ? *cap * 2 : 8;
    void *q = realloc(p, ncap * elem);
    if (q)
        *cap = ncap;
    return q;
}

static void add_span(scanner *sc, ini_span **arr, size_t *n, size_t *cap, size_t b, size_t e)
{
    ini_span *a = room_for(*arr, *n, cap, sizeof **arr);
    if (!a) {
        sc->oom = true;
        return;
    }
    *arr = a;
    a[*n] = (ini_span){b, e};
    (*n)++;
}

/* Every problem goes through here: it picks the language before formatting
 * (diag_add has no va_list form), remembers the lines so iniparser's report
 * of the same line is not repeated, and stops a hopeless file early. */
void ini_report(scanner *sc, int first, int last, const char *section, const char *key,
                   const char *fmt_ja, const char *fmt_en, ...)
{
    if (sc->stop)
        return;
    va_list ap;
    va_start(ap, fmt_en);
    if (diag_vadd(sc->diag, sc->fail, sc->file, first, section, key, fmt_ja, fmt_en, ap) ==
        KOFU_ENOMEM)
        sc->oom = true;
    va_end(ap);
    if (first > 0)
        add_span(sc, &sc->bad, &sc->n_bad, &sc->cap_bad, (size_t)first, (size_t)last);
    sc->n_errors++;
    if (sc->n_errors < INI_MAX_ERRORS)
        return;
    if (diag_add(sc->diag, sc->fail, sc->file, 0, NULL, NULL,
                 "エラーが多すぎるため、読み取りを中止しました(INIファイルですか)",
                 "too many errors; stopped reading (is this an INI file?)") == KOFU_ENOMEM)
        sc->oom = true;
    sc->stop = true;
    sc->skip_iniparser = true;
}

/* A NUL-terminated copy of a name for messages (rare: only on errors). */
static char *name_dup(const scanner *sc, const rec *r)
{
    return r ? xstrndup(sc->raw + r->off, r->len) : NULL;
}

static const rec *current_header(const scanner *sc)
{
    return sc->cur_hdr >= 0 ? &sc->recs[sc->cur_hdr] : NULL;
}

/* ---- names: lowercased and hashed once, as iniparser sees them ----------- */

/* Eight bytes at a time (names are mostly [-./0-9A-Z_a-z], a dozen bytes). */
#define ONES8 UINT64_C(0x0101010101010101)
#define HIGH8 UINT64_C(0x8080808080808080)
/* Bit 7 of each byte of w set when lo <= byte <= hi; w has no byte above
 * 0x7F, so no sum carries into the next byte. */
#define IN_RANGE8(w, lo, hi) \
    (((w) + ONES8 * (0x80u - (lo))) & ~((w) + ONES8 * (0x7Fu - (hi))))
#define HASH_MUL UINT64_C(0x9E3779B97F4A7C15)

/* w with its ASCII capitals lowercased, as lower() does byte by byte. */
static uint64_t lower8(uint64_t w)
{
    uint64_t up = IN_RANGE8(w & ~HIGH8, 'A', 'Z') & ~w & HIGH8;
    return w | (up >> 2);
}

static uint64_t hash_word(uint64_t h, uint64_t w) { return (h ^ w) * HASH_MUL; }

static uint32_t hash_end(uint64_t h, size_t n)
{
    h ^= n;
    h ^= h >> 29;
    return (uint32_t)((h * HASH_MUL) >> 32);
}

/* The hash of s[0..n) lowercased: its eight-byte words as loaded, then the
 * rest (possibly nothing) as a little-endian word padded with zeros.
 * fast_name computes the same on the way. */
static uint32_t name_hash(const char *s, size_t n)
{
    uint64_t h = 0;
    size_t i = 0;
    for (; n - i >= 8; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, sizeof w);
        h = hash_word(h, lower8(w));
    }
    uint64_t t = 0;
    for (size_t k = 0; i + k < n; k++)
        t |= (uint64_t)lower_table[(unsigned char)s[i + k]] << (8 * k);
    return hash_end(hash_word(h, t), n);
}

/* Copies name s[0..n) into the arenas at names_used, as written and
 * lowercased, and returns its hash. The copy is only staged: new_rec keeps
 * it; anything else leaves it to be overwritten. False when it does not fit
 * (cannot happen: see rec). */
static bool stage_name(scanner *sc, const char *s, size_t n, uint32_t *hash)
{
    if (n >= sc->names_cap - sc->names_used) {
        sc->oom = true;
        return false;
    }
    char *raw = sc->raw + sc->names_used, *lc = sc->lc + sc->names_used;
    for (size_t i = 0; i < n; i++) {
        raw[i] = s[i];
        lc[i] = lower(s[i]);
    }
    *hash = name_hash(lc, n);
    return true;
}

/* Sections share one key space; keys are keyed by their section too. */
static size_t slot_of(uint32_t hash, long canon)
{
    return hash ^ ((uint32_t)(canon + 1) * 0x9E3779B1u);
}

/* true when the recorded lowercased name lc[0..n) is s[0..n), which is
 * lowercased already or, when !s_lowered, compared through lower(). */
static inline bool same_name(const char *lc, const char *s, size_t n, bool s_lowered)
{
    if (s_lowered)
        return memcmp(lc, s, n) == 0;
    size_t j = 0;
    while (j < n && lc[j] == lower(s[j]))
        j++;
    return j == n;
}

/* The table slot for a name: either holding the match or free. The
 * scanner's names come lowercased; iniparser's dictionary keys, looked up
 * only when out of order, are compared through lower(). */
static inline uint32_t *probe(const scanner *sc, bool is_section, long canon, uint32_t hash,
                              const char *s, size_t n, bool s_lowered)
{
    long k = is_section ? -1 : canon;
    for (size_t i = slot_of(hash, k) & sc->table_mask;; i = (i + 1) & sc->table_mask) {
        uint32_t *slot = &sc->table[i];
        if (*slot == 0)
            return slot;
        const rec *r = &sc->recs[*slot - 1];
        if (r->hash == hash && r->len == n && r->is_section == is_section &&
            (is_section || r->canon == canon) && same_name(sc->lc + r->off, s, n, s_lowered))
            return slot;
    }
}

static inline uint32_t *table_slot(const scanner *sc, bool is_section, long canon,
                                   uint32_t hash, const char *lc, size_t n)
{
    return probe(sc, is_section, canon, hash, lc, n, true);
}

uint32_t *ini_scan_slot_lower(const scanner *sc, bool is_section, long canon,
                                  uint32_t hash, const char *s, size_t n)
{
    return probe(sc, is_section, canon, hash, s, n, false);
}

/* ---- line classification ------------------------------------------------ */

typedef enum line_kind {
    LK_BLANK,
    LK_COMMENT,
    LK_SECTION,
    LK_KEY,
    LK_ERR_SYNTAX,         /* neither `key = value` nor `[section]` */
    LK_ERR_NO_KEY,         /* `= value` */
    LK_ERR_UNCLOSED_SECTION,
    LK_ERR_AFTER_SECTION,  /* `[a] x` */
    LK_ERR_EMPTY_SECTION,
    LK_ERR_SECTION_BRACKET,
    LK_ERR_SECTION_COLON,
    LK_ERR_UNCLOSED_QUOTE,
    LK_ERR_AFTER_QUOTE,
    LK_ERR_GLUED_COMMENT   /* `a = x#y`: the value would silently be "x" */
} line_kind;

typedef struct line_info {
    size_t name, name_len; /* section or key name, trimmed */
    size_t comment;        /* where a comment starts, or NO_POS */
    size_t value, value_len; /* LK_ERR_GLUED_COMMENT: what iniparser would keep */
} line_info;

static void trim(const char *s, size_t *b, size_t *e)
{
    while (*b < *e && is_space(s[*b]))
        (*b)++;
    while (*e > *b && is_space(s[*e - 1]))
        (*e)--;
}

static size_t skip_spaces(const char *s, size_t i, size_t e)
{
    while (i < e && is_space(s[i]))
        i++;
    return i;
}

static line_kind classify_section(const char *s, size_t b, size_t e, line_info *li)
{
    const char *close = memchr(s + b + 1, ']', e - b - 1);
    if (!close)
        return LK_ERR_UNCLOSED_SECTION;
    size_t nb = b + 1, ne = (size_t)(close - s);
    trim(s, &nb, &ne);
    li->name = nb;
    li->name_len = ne - nb;
    size_t after = skip_spaces(s, (size_t)(close - s) + 1, e);
    if (after < e) {
        if (!is_comment_char(s[after]))
            return LK_ERR_AFTER_SECTION;
        li->comment = after;
    }
    if (ne == nb)
        return LK_ERR_EMPTY_SECTION;
    if (memchr(s + nb, '[', ne - nb))
        return LK_ERR_SECTION_BRACKET;
    if (memchr(s + nb, ':', ne - nb))
        return LK_ERR_SECTION_COLON;
    return LK_SECTION;
}

/* The value part, from just after `=`, following iniparser's sscanf cases. */
static line_kind classify_value(const char *s, size_t v, size_t e, line_info *li)
{
    v = skip_spaces(s, v, e);
    if (v == e)
        return LK_KEY;
    char q = s[v];
    if (q == '"' || q == '\'') {
        const char *close = memchr(s + v + 1, q, e - v - 1);
        if (!close)
            return LK_ERR_UNCLOSED_QUOTE;
        size_t t = skip_spaces(s, (size_t)(close - s) + 1, e);
        if (t < e) {
            if (!is_comment_char(s[t]))
                return LK_ERR_AFTER_QUOTE;
            li->comment = t;
        }
        return LK_KEY;
    }
    size_t m = v;
    while (m < e && !is_comment_char(s[m]))
        m++;
    if (m == e)
        return LK_KEY;
    li->comment = m;
    if (m > v && !is_space(s[m - 1])) {
        li->value = v;
        li->value_len = m - v;
        return LK_ERR_GLUED_COMMENT;
    }
    return LK_KEY;
}

static line_kind classify(const char *s, size_t n, line_info *li)
{
    *li = (line_info){.comment = NO_POS};
    size_t b = 0, e = n;
    trim(s, &b, &e);
    if (b == e)
        return LK_BLANK;
    if (is_comment_char(s[b])) {
        li->comment = b;
        return LK_COMMENT;
    }
    if (s[b] == '[')
        return classify_section(s, b, e, li);
    if (s[b] == '=')
        return LK_ERR_NO_KEY;
    const char *eq = memchr(s + b, '=', e - b);
    if (!eq)
        return LK_ERR_SYNTAX;
    size_t kb = b, ke = (size_t)(eq - s);
    trim(s, &kb, &ke);
    li->name = kb;
    li->name_len = ke - kb;
    return classify_value(s, (size_t)(eq - s) + 1, e, li);
}

/* ---- records ----------------------------------------------------------- */

/* Doubles the records and the table (which stays twice their number, so at
 * most half full). Rare, and out of line so that new_rec stays small enough
 * to be inlined where records are made. */
__attribute__((noinline)) static bool grow_recs(scanner *sc)
{
    size_t cap = sc->cap_recs * 2;
    rec *p;
    if (sc->recs == sc->small->recs) {
        p = malloc(cap * sizeof *p);
        if (p)
            memcpy(p, sc->recs, sc->n_recs * sizeof *p);
    } else {
        p = realloc(sc->recs, cap * sizeof *p);
    }
    if (!p)
        return false;
    sc->recs = p;
    sc->cap_recs = cap;
    size_t size = 2 * cap;
    uint32_t *t = calloc(size, sizeof *t);
    if (!t)
        return false;
    if (sc->table != sc->small->table)
        free(sc->table);
    sc->table = t;
    sc->table_mask = size - 1;
    for (size_t i = 0; i < sc->n_recs; i++) {
        const rec *r = &sc->recs[i];
        if (!r->in_table)
            continue;
        size_t j = slot_of(r->hash, r->is_section ? -1 : r->canon) & sc->table_mask;
        while (t[j])
            j = (j + 1) & sc->table_mask;
        t[j] = (uint32_t)i + 1;
    }
    return true;
}

/* A record for the name staged by stage_name (or fast_line), which it keeps. */
static inline rec *new_rec(scanner *sc, size_t len, uint32_t hash, int line)
{
    if (sc->n_recs == sc->cap_recs && !grow_recs(sc)) {
        sc->oom = true;
        return NULL;
    }
    rec *r = &sc->recs[sc->n_recs++];
    size_t off = sc->names_used;
    *r = (rec){.off = off, .len = len, .hash = hash, .line = line};
    sc->raw[off + len] = '\0';
    sc->lc[off + len] = '\0';
    sc->names_used = off + len + 1;
    return r;
}

/* add_section and add_key take the name staged by stage_name. */
static void add_section(scanner *sc, size_t len, uint32_t hash, int line)
{
    if (sc->n_sections >= INI_MAX_SECTIONS) {
        ini_report(sc, line, line, NULL, NULL, "セクションが多すぎます(上限%u個)",
               "too many sections (the limit is %u)", INI_MAX_SECTIONS);
        sc->stop = sc->skip_iniparser = true;
        return;
    }
    rec *r = new_rec(sc, len, hash, line);
    if (!r)
        return;
    sc->n_sections++;
    r->is_section = true;
    long idx = (long)(r - sc->recs);
    sc->cur_hdr = idx;
    uint32_t *slot = table_slot(sc, true, -1, hash, sc->lc + r->off, len);
    if (*slot) {
        /* iniparser merges the two; keys are checked against the first. */
        const rec *first = &sc->recs[*slot - 1];
        char *sec = name_dup(sc, r);
        ini_report(sc, line, line, sec, NULL, "セクションが重複しています（最初は%d行目）",
               "duplicate section (first at line %d)", first->line);
        free(sec);
        r->canon = sc->cur_sec = (long)(*slot - 1);
        return;
    }
    *slot = (uint32_t)idx + 1;
    r->in_table = true;
    r->canon = sc->cur_sec = idx;
}

/* add_key's reports, out of line: they are rare, and inline they would make
 * every key pay for their registers. */
__attribute__((noinline, cold)) static void key_before_section(scanner *sc, size_t len, int line)
{
    char *key = xstrndup(sc->raw + sc->names_used, len);
    ini_report(sc, line, line, NULL, key, "セクション([名前])より前にキーがあります",
           "key before any [section]");
    free(key);
}

__attribute__((noinline, cold)) static void too_many_keys(scanner *sc, int line)
{
    ini_report(sc, line, line, NULL, NULL, "キーが多すぎます(上限%u個)",
           "too many keys (the limit is %u)", INI_MAX_KEYS);
    sc->stop = sc->skip_iniparser = true;
}

__attribute__((noinline, cold)) static void duplicate_key(scanner *sc, const rec *r,
                                                          const rec *first)
{
    char *sec = name_dup(sc, current_header(sc));
    char *key = name_dup(sc, r);
    ini_report(sc, r->line, r->line, sec, key, "キーが重複しています（最初は%d行目）",
           "duplicate key (first at line %d)", first->line);
    free(sec);
    free(key);
}

static void add_key(scanner *sc, size_t len, uint32_t hash, int line)
{
    if (sc->cur_sec < 0) {
        if (sc->cur_sec != BAD_SECTION)
            key_before_section(sc, len, line);
        return;
    }
    if (sc->n_keys >= INI_MAX_KEYS) {
        too_many_keys(sc, line);
        return;
    }
    rec *r = new_rec(sc, len, hash, line);
    if (!r)
        return;
    sc->n_keys++;
    r->canon = sc->cur_sec;
    uint32_t *slot = table_slot(sc, false, r->canon, hash, sc->lc + r->off, len);
    if (*slot) {
        duplicate_key(sc, r, &sc->recs[*slot - 1]);
        return;
    }
    *slot = (uint32_t)(r - sc->recs) + 1;
    r->in_table = true;
    sc->recs[r->canon].n_keys++;
}

/* ---- one logical line (physical lines joined by a trailing `\`) -------- */

typedef struct logical {
    const char *s;
    size_t n;
    size_t src;  /* offset of s in the input, when not joined */
    int first, last;
    bool joined;
} logical;

static const struct syntax_msg {
    line_kind kind;
    const char *ja, *en;
} syntax_msgs[] = {
    {LK_ERR_SYNTAX, "「キー = 値」または「[セクション]」の形式ではありません",
     "expected `key = value` or `[section]`"},
    {LK_ERR_NO_KEY, "「=」の前にキー名がありません", "no key name before `=`"},
    {LK_ERR_UNCLOSED_SECTION, "「[」を閉じる「]」がありません", "`[` without a closing `]`"},
    {LK_ERR_AFTER_SECTION, "「]」の後に余分な文字があります", "unexpected text after `]`"},
    {LK_ERR_EMPTY_SECTION, "セクション名が空です", "empty section name"},
    {LK_ERR_SECTION_BRACKET, "セクション名に「[」は使えません",
     "`[` is not allowed in a section name"},
    {LK_ERR_SECTION_COLON, "セクション名に「:」は使えません",
     "`:` is not allowed in a section name"},
    {LK_ERR_UNCLOSED_QUOTE, "値の引用符が閉じられていません",
     "the quoted value has no closing quote"},
    {LK_ERR_AFTER_QUOTE, "閉じ引用符の後に余分な文字があります",
     "unexpected text after the closing quote"},
};

static bool is_header_error(line_kind kind)
{
    return kind >= LK_ERR_UNCLOSED_SECTION && kind <= LK_ERR_SECTION_COLON;
}

static void report_glued_comment(scanner *sc, const logical *lg, const line_info *li,
                                 const char *sec)
{
    char c = lg->s[li->comment];
    ini_report(sc, lg->first, lg->last, sec, NULL,
           "「%c」からはコメントになるため、値は「%.*s」と読まれます。コメントなら「%c」の前に空白を入れ、"
           "値の一部なら値全体を\"\"で囲んでください",
           "`%c` starts a comment, so the value would be \"%.*s\"; put a space before `%c` "
           "if it is a comment, or quote the whole value if it is not",
           c, (int)li->value_len, lg->s + li->value, c);
}

static void report_kind(scanner *sc, const logical *lg, line_kind kind, const line_info *li)
{
    /* the section the line sits in, as for any other line */
    char *sec = name_dup(sc, current_header(sc));
    if (kind == LK_ERR_GLUED_COMMENT)
        report_glued_comment(sc, lg, li, sec);
    for (size_t i = 0; i < sizeof syntax_msgs / sizeof *syntax_msgs; i++)
        if (syntax_msgs[i].kind == kind)
            ini_report(sc, lg->first, lg->last, sec, NULL, "構文エラー: %s", "syntax error: %s",
                   DIAG_TR(sc->diag, syntax_msgs[i].ja, syntax_msgs[i].en));
    free(sec);
}

/* A `\` ends a line that has a comment: the next line becomes part of the
 * comment and iniparser drops it without a word. */
static bool check_swallowed(scanner *sc, const logical *lg, const line_info *li)
{
    if (!lg->joined || li->comment == NO_POS)
        return true;
    for (size_t j = 0; j < sc->n_joins; j++) {
        const join_point *jp = &sc->joins[j];
        if (jp->off >= li->comment && !jp->inert) {
            ini_report(sc, jp->line, lg->last, NULL, NULL,
                   "%d行目が「\\」で終わっているため、この行はその前のコメントの一部として読み飛ばされます。"
                   "「\\」を削除してください",
                   "line %d ends with `\\`, so this line would be skipped as part of the comment "
                   "before it; remove the `\\`",
                   jp->line - 1);
            return false;
        }
    }
    return true;
}

static void handle_section(scanner *sc, const logical *lg, const line_info *li)
{
    if (lg->joined) {
        ini_report(sc, lg->first, lg->last, NULL, NULL,
               "構文エラー: セクション行を「\\」で次の行に続けることはできません",
               "syntax error: a [section] line cannot be continued with `\\`");
        sc->cur_sec = BAD_SECTION;
        sc->cur_hdr = -1;
        return;
    }
    if (li->comment != NO_POS)
        add_span(sc, &sc->blanks, &sc->n_blanks, &sc->cap_blanks, lg->src + li->comment,
                 lg->src + lg->n);
    uint32_t hash;
    if (stage_name(sc, lg->s + li->name, li->name_len, &hash))
        add_section(sc, li->name_len, hash, lg->first);
}

/* A line (not a comment) holding a control byte: an error naming its key. */
static bool check_controls(scanner *sc, const logical *lg, line_kind kind, const line_info *li)
{
    size_t at = ini_control_at(lg->s, lg->n);
    if (at == lg->n)
        return true;
    unsigned c = (unsigned char)lg->s[at];
    bool has_key = kind == LK_KEY || kind == LK_ERR_GLUED_COMMENT ||
                   kind == LK_ERR_UNCLOSED_QUOTE || kind == LK_ERR_AFTER_QUOTE;
    char *sec = kind != LK_SECTION ? name_dup(sc, current_header(sc)) : NULL;
    char *key = has_key ? xstrndup(lg->s + li->name, li->name_len) : NULL;
    ini_report(sc, lg->first, lg->last, sec, key,
           "制御文字（0x%02X）は使えません。値・名前には表示できる文字だけを書いてください",
           "a control character (0x%02X) is not allowed; values and names hold printable "
           "characters only",
           c);
    free(sec);
    free(key);
    return false;
}

static void handle_logical(scanner *sc, const logical *lg)
{
    line_info li;
    line_kind kind = classify(lg->s, lg->n, &li);
    /* before any syntax error: an escape sequence holds `;` and `[` */
    if (kind != LK_BLANK && kind != LK_COMMENT && !check_controls(sc, lg, kind, &li)) {
        if (kind == LK_SECTION || is_header_error(kind)) {
            sc->cur_sec = BAD_SECTION;
            sc->cur_hdr = -1;
        }
        return;
    }
    switch (kind) {
    case LK_BLANK:
        return;
    case LK_COMMENT:
        check_swallowed(sc, lg, &li);
        return;
    case LK_SECTION:
        handle_section(sc, lg, &li);
        return;
    case LK_KEY:
        if (check_swallowed(sc, lg, &li)) {
            uint32_t hash;
            if (stage_name(sc, lg->s + li.name, li.name_len, &hash))
                add_key(sc, li.name_len, hash, lg->first);
        }
        return;
    default:
        report_kind(sc, lg, kind, &li);
        if (is_header_error(kind)) {
            sc->cur_sec = BAD_SECTION;
            sc->cur_hdr = -1;
        }
        return;
    }
}

/* ---- physical lines ------------------------------------------------------ */

/* Byte-level checks of one physical line (without its '\n'). */
static void check_bytes(scanner *sc, int line, const char *p, size_t n)
{
    if (!sc->utf8_reported) {
        size_t bad = utf8_invalid_at((const unsigned char *)p, n);
        if (bad < n) {
            sc->utf8_reported = true;
            ini_report(sc, line, line, NULL, NULL,
                   "UTF-8として不正なバイトがあります(この行の%zuバイト目)。"
                   "Shift_JISなどで保存されていませんか。UTF-8で保存してください",
                   "invalid UTF-8 (byte %zu of the line); is the file in Shift_JIS or another "
                   "encoding? Save it as UTF-8",
                   bad + 1);
        }
    }
    /* A CR is fine only as the first half of CRLF (or last in the file). */
    const char *cr = n > 1 ? memchr(p, '\r', n - 1) : NULL;
    if (cr)
        ini_report(sc, line, line, NULL, NULL,
               "改行コードCRだけの改行があります。LFかCRLFで保存してください",
               "a carriage return (CR) without a line feed; save the file with LF or CRLF line "
               "endings");
}

static void start_join(scanner *sc)
{
    sc->join.len = 0;
    sc->n_joins = 0;
}

static void add_join_point(scanner *sc, const char *p, size_t n, int line)
{
    join_point *j = room_for(sc->joins, sc->n_joins, &sc->cap_joins, sizeof *j);
    if (!j) {
        sc->oom = true;
        return;
    }
    sc->joins = j;
    size_t b = 0, e = n;
    trim(p, &b, &e);
    j[sc->n_joins] =
        (join_point){.off = sc->join.len, .line = line, .inert = b == e || is_comment_char(p[b])};
    sc->n_joins++;
}

static void eof_in_continuation(scanner *sc, int first, int last)
{
    line_info li;
    line_kind kind = classify(sc->join.data ? sc->join.data : "", sc->join.len, &li);
    if (kind == LK_BLANK || kind == LK_COMMENT)
        return;
    ini_report(sc, first, last, NULL, NULL,
           "最終行が「\\」(行の継続)で終わっていますが、続く行がありません",
           "the last line ends with `\\` (line continuation) but no line follows");
}

/* Appends a physical line the way iniparser 4.1 does: the joined buffer is
 * stripped of trailing blanks as a whole, so a blank line after `a\ \` can
 * expose, and honour, an earlier backslash. Returns true while the line is
 * still being continued. */
static bool join_more(scanner *sc, const char *p, size_t n)
{
    sb_putn(&sc->join, p, n);
    if (sc->join.failed) {
        sc->oom = true;
        return false;
    }
    size_t len = sc->join.len;
    while (len > 0 && is_space(sc->join.data[len - 1]))
        len--;
    bool more = len > 0 && sc->join.data[len - 1] == '\\';
    sc->join.len = more ? len - 1 : len;
    return more;
}

static bool ends_in_backslash(const char *p, size_t n)
{
    while (n > 0 && is_space(p[n - 1]))
        n--;
    return n > 0 && p[n - 1] == '\\';
}

/* ---- the common lines, in one pass -------------------------------------- */

/* Byte classes of the lines most files are made of. A line of only these
 * bytes needs none of the checks above (no byte of UTF-8, no CR, no `\`, no
 * quote, no comment after a value), so fast_line reads it in one pass, where
 * the general path walks it several times; any other line goes the general
 * way. FC_NAME leaves out the bytes a name may hold but rarely does. */
enum { FC_NAME = 1, FC_VALUE = 2, FC_BLANK = 4, FC_COMMENT = 8 };

static const unsigned char fast_cls[256] = {
#define FC_TEXT(i) (((i) >= 0x20 && (i) <= 0x7E) || (i) == '\t')
#define FC_SPECIAL(i) ((i) == ';' || (i) == '#' || (i) == '"' || (i) == '\'' || (i) == '\\')
#define FC_NAMEB(i) \
    (FC_TEXT(i) && !FC_SPECIAL(i) && (i) != ' ' && (i) != '\t' && (i) != '=' && (i) != '[' && \
     (i) != ']' && (i) != ':')
#define F1(i) \
    ((unsigned char)((FC_NAMEB(i) ? FC_NAME : 0) | (FC_TEXT(i) && !FC_SPECIAL(i) ? FC_VALUE : 0) | \
                     ((i) == ' ' || (i) == '\t' ? FC_BLANK : 0) | \
                     (FC_TEXT(i) && (i) != '\\' ? FC_COMMENT : 0)))
#define F4(i) F1(i), F1(i + 1), F1(i + 2), F1(i + 3)
#define F16(i) F4(i), F4(i + 4), F4(i + 8), F4(i + 12)
#define F64(i) F16(i), F16(i + 16), F16(i + 32), F16(i + 48)
    F64(0), F64(64), F64(128), F64(192)
#undef F64
#undef F16
#undef F4
#undef F1
#undef FC_NAMEB
#undef FC_SPECIAL
#undef FC_TEXT
};

/* Stages the name at s (FC_NAME bytes) as stage_name does and returns its
 * length; `end` is the end of the input. Eight bytes at a time while they
 * are [-./0-9A-Z_a-z] (the arenas have room: see fast_line), then byte by
 * byte. */
static size_t fast_name(scanner *sc, const unsigned char *s, const unsigned char *end,
                        uint32_t *hash)
{
    char *raw = sc->raw + sc->names_used, *lc = sc->lc + sc->names_used;
    size_t j = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t h = 0;
    while ((size_t)(end - s) - j >= 8) {
        uint64_t w;
        memcpy(&w, s + j, sizeof w);
        uint64_t w7 = w & ~HIGH8, ascii = ~w & HIGH8;
        uint64_t up = IN_RANGE8(w7, 'A', 'Z') & ascii;
        uint64_t ok = ((IN_RANGE8(w7, '-', '9') | IN_RANGE8(w7, '_', '_') |
                        IN_RANGE8(w7, 'a', 'z')) & ascii) | up;
        uint64_t l = w | (up >> 2);
        memcpy(raw + j, &w, sizeof w);
        memcpy(lc + j, &l, sizeof l);
        if (ok == HIGH8) {
            h = hash_word(h, l);
            j += 8;
            continue;
        }
        /* the name ends in this word, unless at a rarer name byte */
        size_t k = (size_t)__builtin_ctzll(~ok & HIGH8) / 8;
        j += k;
        if (fast_cls[s[j]] & FC_NAME)
            break;
        *hash = hash_end(hash_word(h, l & ((UINT64_C(1) << (8 * k)) - 1)), j);
        return j;
    }
#else
    (void)end;
#endif
    for (unsigned char c = s[j]; fast_cls[c] & FC_NAME; c = s[++j]) {
        raw[j] = (char)c;
        lc[j] = (char)lower_table[c];
    }
    *hash = name_hash(lc, j);
    return j;
}

typedef enum fast_kind { FAST_NONE, FAST_INERT, FAST_SECTION, FAST_KEY } fast_kind;

typedef struct fast_line_info {
    size_t n;        /* bytes before the '\n' */
    size_t name_len; /* section or key: the name, staged in the arenas */
    uint32_t hash;
} fast_line_info;

/* Reads the line at `line` (a '\n' follows it in the buffer) when it is
 * blank, a comment, `[name]` or `name = value` of FC_* bytes: what the
 * general path would find there (LK_BLANK, LK_COMMENT, LK_SECTION, LK_KEY,
 * nothing reported), with the name staged as stage_name does. FAST_NONE
 * otherwise; nothing is recorded then. The arenas have room for the name
 * when names_used is at most the line's offset (see rec). */
static fast_kind fast_line(scanner *sc, const char *line, fast_line_info *fl)
{
    const unsigned char *s = (const unsigned char *)line;
    size_t i = 0;
    while (fast_cls[s[i]] & FC_BLANK)
        i++;
    unsigned char c = s[i];
    fast_kind kind = FAST_KEY;
    if (c == '\n') {
        kind = FAST_INERT;
    } else if (c == ';' || c == '#') {
        do
            i++;
        while (fast_cls[s[i]] & FC_COMMENT);
        kind = FAST_INERT;
    } else {
        if (c == '[') {
            kind = FAST_SECTION;
            i++;
        }
        size_t j = fast_name(sc, s + i, (const unsigned char *)sc->buf + sc->len, &fl->hash);
        if (j == 0)
            return FAST_NONE;
        fl->name_len = j;
        i += j;
        if (kind == FAST_SECTION) {
            if (s[i] != ']')
                return FAST_NONE;
            i++;
            while (fast_cls[s[i]] & FC_BLANK)
                i++;
        } else {
            while (fast_cls[s[i]] & FC_BLANK)
                i++;
            if (s[i] != '=')
                return FAST_NONE;
            i++;
            while (fast_cls[s[i]] & FC_VALUE)
                i++;
        }
    }
    if (s[i] != '\n')
        return FAST_NONE;
    fl->n = i;
    return kind;
}

void ini_scan_lines(scanner *sc)
{
    const char *p = sc->buf, *end = sc->buf + sc->len;
    /* fast_line reads only lines that end with a '\n' */
    const char *last_nl = memrchr(sc->buf, '\n', sc->len);
    const char *fast_end = last_nl ? last_nl : sc->buf;
    int line = 0, first = 0;
    bool joining = false;
    bool dropping = false; /* the rest of a continued line that was too long */
    while (p < end && !sc->stop && !sc->oom) {
        if (!joining && !dropping && p <= fast_end && last_nl &&
            sc->names_used <= (size_t)(p - sc->buf)) {
            fast_line_info fl = {.n = 0};
            fast_kind kind = fast_line(sc, p, &fl);
            if (kind != FAST_NONE && fl.n <= INI_MAX_LINE_BYTES) {
                line++;
                p += fl.n + 1;
                if (kind == FAST_SECTION)
                    add_section(sc, fl.name_len, fl.hash, line);
                else if (kind == FAST_KEY)
                    add_key(sc, fl.name_len, fl.hash, line);
                continue;
            }
        }
        line++;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        const char *cur = p;
        p = nl ? nl + 1 : end;
        check_bytes(sc, line, cur, n);
        if (dropping) {
            dropping = ends_in_backslash(cur, n);
            continue;
        }
        /* what iniparser holds in its line buffer once it has read this one */
        size_t held = (joining ? sc->join.len : 0) + n;
        if (held > INI_MAX_LINE_BYTES) {
            ini_report(sc, joining ? first : line, line, NULL, NULL,
                   "行が長すぎます(%zuバイト、上限%uバイト)",
                   "line too long (%zu bytes; the limit is %u)", held, INI_MAX_LINE_BYTES);
            sc->skip_iniparser = true;
            joining = false;
            dropping = ends_in_backslash(cur, n);
            continue;
        }
        if (joining) {
            add_join_point(sc, cur, n, line);
            if (!join_more(sc, cur, n)) {
                logical lg = {sc->join.data, sc->join.len, 0, first, line, true};
                handle_logical(sc, &lg);
                joining = false;
            }
            continue;
        }
        if (ends_in_backslash(cur, n)) {
            size_t tn = n;
            while (is_space(cur[tn - 1]))
                tn--;
            start_join(sc);
            sb_putn(&sc->join, cur, tn - 1);
            first = line;
            joining = true;
            continue;
        }
        logical lg = {cur, n, (size_t)(cur - sc->buf), line, line, false};
        handle_logical(sc, &lg);
    }
    if (joining && !sc->stop && !sc->oom)
        eof_in_continuation(sc, first, line);
}

static size_t count_lines(const char *s, size_t n)
{
    size_t lines = 1;
    const char *end = s + n;
    for (const char *p = s; p < end; p++) {
        p = memchr(p, '\n', (size_t)(end - p));
        if (!p)
            break;
        lines++;
    }
    return lines;
}

bool ini_scan_init(scanner *sc, scanner_small *small)
{
    sc->small = small;
    sc->recs = small->recs;
    sc->cap_recs = SMALL_RECS;
    sc->table = small->table;
    sc->table_mask = SMALL_TABLE - 1;
    memset(sc->table, 0, sizeof small->table);
    /* the arenas never hold more than the input (see rec) */
    sc->names_cap = sc->len + 1;
    if (sc->names_cap <= SMALL_NAMES) {
        sc->raw = small->raw;
        sc->lc = small->lc;
    } else {
        sc->raw = malloc(2 * sc->names_cap);
        sc->lc = sc->raw ? sc->raw + sc->names_cap : NULL;
    }
    sc->cur_sec = sc->cur_hdr = -1;
    return sc->raw != NULL;
}

void ini_scan_free(scanner *sc)
{
    if (!sc->small || sc->recs != sc->small->recs)
        free(sc->recs);
    if (!sc->small || sc->table != sc->small->table)
        free(sc->table);
    if (!sc->small || sc->raw != sc->small->raw)
        free(sc->raw);
    free(sc->bad);
    free(sc->blanks);
    free(sc->joins);
    sb_free(&sc->join);
}

/* Whole-file checks that make line-by-line reading pointless. */
bool ini_scan_precheck(scanner *sc)
{
    const unsigned char *u = (const unsigned char *)sc->buf;
    if (sc->len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        ini_report(sc, 1, 1, NULL, NULL, "UTF-16には対応していません。UTF-8で保存してください",
               "UTF-16 is not supported; save as UTF-8");
        return false;
    }
    if (sc->len > INI_MAX_FILE_BYTES) {
        ini_report(sc, 0, 0, NULL, NULL, "ファイルが大きすぎます(上限%uバイト)",
               "file too large (the limit is %u bytes)", INI_MAX_FILE_BYTES);
        return false;
    }
    const char *nul = memchr(sc->buf, '\0', sc->len);
    if (nul) {
        int line = (int)count_lines(sc->buf, (size_t)(nul - sc->buf));
        ini_report(sc, line, line, NULL, NULL,
               "NULバイトが含まれています(バイナリファイルではありませんか)",
               "the file contains a NUL byte (is it a binary file?)");
        return false;
    }
    return true;
}


uint32_t ini_name_hash(const char *s, size_t n) { return name_hash(s, n); }

bool ini_scan_reported_line(const scanner *sc, int line)
{
    for (size_t i = 0; i < sc->n_bad; i++)
        if ((size_t)line >= sc->bad[i].begin && (size_t)line <= sc->bad[i].end)
            return true;
    return false;
}
