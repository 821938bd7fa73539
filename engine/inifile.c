/*
 * inifile.c — a case or rule file read strictly (see inifile.h): the
 * scanner's records (ini_scan.c) and iniparser's values (ini_bridge.c),
 * matched one to one, become one ini_file.
 */
#include "inifile.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "diag.h"
#include "ini_bridge.h"
#include "ini_scan.h"
#include "util.h"

/* iniparser's own report, for the lines the scanner did not report. */
static void bridge_to_diag(scanner *sc, const ini_bridge_result *br)
{
    if (br->sys_errno) {
        ini_report(sc, 0, 0, NULL, NULL, "一時ファイルを作成できません: %s",
                   "cannot create a temporary file: %s", diag_errno_text(sc->diag, br->sys_errno));
        return;
    }
    for (size_t i = 0; i < br->n_lines; i++)
        if (!ini_scan_reported_line(sc, br->lines[i]))
            ini_report(sc, br->lines[i], br->lines[i], NULL, NULL,
                       "構文エラー: この行を読み取れません", "syntax error: this line cannot be read");
    if (br->oom)
        sc->oom = true;
    else if (br->other[0])
        ini_report(sc, 0, 0, NULL, NULL, "INIファイルを読み取れません: %s",
                   "cannot read the INI file: %s", br->other);
}

/* ------------------------------------------------------------------------ */
/* Matching iniparser's dictionary to the records, and building the result  */

static void set_value(rec *r, const char *v)
{
    r->value = v ? v : "";
    r->value_len = strlen(r->value);
}

static bool dict_entry_to_rec(scanner *sc, const char *k, const char *v)
{
    const char *colon = strchr(k, ':');
    size_t slen = colon ? (size_t)(colon - k) : strlen(k);
    uint32_t *slot = ini_scan_slot_lower(sc, true, -1, ini_name_hash(k, slen), k, slen);
    if (!*slot)
        return false;
    if (!colon)
        return true;
    long canon = (long)(*slot - 1);
    size_t klen = strlen(colon + 1);
    slot = ini_scan_slot_lower(sc, false, canon, ini_name_hash(colon + 1, klen), colon + 1, klen);
    if (!*slot)
        return false;
    set_value(&sc->recs[*slot - 1], v);
    return true;
}

/* true when dictionary key k is rec r: "section" or
 * "section:key", both lowercased (r's section is sc->recs[r->canon]). */
static bool entry_is(const scanner *sc, const rec *r, const char *k)
{
    /* strncmp stops at k's end: no strlen of every key first */
    if (r->is_section)
        return strncmp(k, sc->lc + r->off, r->len) == 0 && k[r->len] == '\0';
    const rec *sec = &sc->recs[r->canon];
    if (strncmp(k, sc->lc + sec->off, sec->len) != 0 || k[sec->len] != ':')
        return false;
    const char *key = k + sec->len + 1;
    return strncmp(key, sc->lc + r->off, r->len) == 0 && key[r->len] == '\0';
}

/* Every entry of the dictionary must be one of ours and vice versa; a
 * mismatch would mean a line read differently, so it is never papered over.
 * iniparser 4.1 stores entries in the order it reads them, which is the
 * order of our records when there is no error (no duplicate): each entry is
 * first compared with the next record, and looked up by hash only when it is
 * not that one. */
static bool match_dict(scanner *sc, const dictionary *d)
{
    size_t seen = 0, next = 0;
    for (ssize_t i = 0; i < d->size; i++) {
        const char *k = d->key[i];
        if (!k)
            continue;
        seen++;
        if (next < sc->n_recs && entry_is(sc, &sc->recs[next], k)) {
            if (!sc->recs[next].is_section)
                set_value(&sc->recs[next], d->val[i]);
            next++;
            continue;
        }
        if (!dict_entry_to_rec(sc, k, d->val[i])) {
            ini_report(sc, 0, 0, NULL, NULL,
                   "内部エラー: iniparserが「%s」を想定外に読み取りました",
                   "internal error: iniparser read \"%s\" unexpectedly", k);
            return false;
        }
    }
    if (seen != sc->n_sections + sc->n_keys) {
        ini_report(sc, 0, 0, NULL, NULL, "内部エラー: iniparserの読み取り結果が一致しません",
               "internal error: iniparser read a different number of entries");
        return false;
    }
    return true;
}

/* The parsed file is one allocation: the ini_file, its sections, every
 * entry, then the strings: the display name, the name arenas as they are
 * (names as written, then lowercased, at the same offsets), and the values.
 * Built per key, a case file cost four mallocs and four frees per key, the
 * largest share of ini_load after iniparser itself (bench/run.sh; `kofu
 * batch` over 100,000 files). ini_free() frees the block. */
static ini_file *build_file(scanner *sc)
{
    size_t file_len = strlen(sc->file);
    size_t size = sizeof(ini_file) + sc->n_sections * sizeof(ini_section) +
                  sc->n_keys * sizeof(ini_entry) + file_len + 1 + 2 * sc->names_used;
    for (size_t i = 0; i < sc->n_recs; i++)
        if (!sc->recs[i].is_section)
            size += sc->recs[i].value_len + 1;
    char *block = malloc(size);
    if (!block)
        return NULL;
    ini_file *f = (ini_file *)(void *)block;
    ini_section *secs = (ini_section *)(void *)(f + 1);
    ini_entry *entries = (ini_entry *)(void *)(secs + sc->n_sections);
    char *str = (char *)(entries + sc->n_keys);
    *f = (ini_file){.display_name = memcpy(str, sc->file, file_len + 1), .sections = secs};
    char *raw = memcpy(str + file_len + 1, sc->raw, sc->names_used);
    char *lc = memcpy(raw + sc->names_used, sc->lc, sc->names_used);
    char *values = lc + sc->names_used;
    /* each section's entries are contiguous: place them by counting first */
    size_t at = 0;
    for (size_t i = 0; i < sc->n_recs; i++) {
        rec *r = &sc->recs[i];
        if (!r->is_section)
            continue;
        ini_section *s = &secs[f->n_sections];
        r->out = f->n_sections++;
        *s = (ini_section){.name = raw + r->off,
                           .name_lc = lc + r->off,
                           .line = r->line,
                           .entries = entries + at};
        at += r->n_keys;
    }
    for (size_t i = 0; i < sc->n_recs; i++) {
        const rec *r = &sc->recs[i];
        if (r->is_section)
            continue;
        ini_section *s = &secs[sc->recs[r->canon].out];
        char *v = values;
        if (r->value)
            memcpy(v, r->value, r->value_len + 1);
        else
            *v = '\0';
        values += r->value_len + 1;
        s->entries[s->n_entries++] =
            (ini_entry){.key = raw + r->off, .key_lc = lc + r->off, .value = v, .line = r->line};
    }
    return f;
}

/* ------------------------------------------------------------------------ */

static kofu_status parse(const char *display_name, const char *bytes, size_t len,
                         kofu_status fail_status, kofu_diag *diag, ini_file **out)
{
    scanner sc = {.file = display_name, .fail = fail_status, .diag = diag};
    bool bom = len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0;
    sc.buf = bom ? bytes + 3 : bytes;
    sc.len = bom ? len - 3 : len;
    if (!ini_scan_precheck(&sc)) {
        ini_scan_free(&sc);
        return sc.oom ? KOFU_ENOMEM : fail_status;
    }
    scanner_small small;
    if (!ini_scan_init(&sc, &small)) {
        ini_scan_free(&sc);
        return KOFU_ENOMEM;
    }
    ini_scan_lines(&sc);
    if (!sc.oom && sc.n_errors == 0 && sc.n_sections == 0 && sc.n_keys == 0)
        ini_report(&sc, 0, 0, NULL, NULL, "空のファイルです", "empty file");
    ini_bridge_result br = {0};
    if (!sc.oom && !sc.skip_iniparser) {
        ini_bridge_run(sc.buf, sc.len, sc.blanks, sc.n_blanks, &br);
        bridge_to_diag(&sc, &br);
    }
    const dictionary *d = br.dict;
    kofu_status st = fail_status;
    if (!sc.oom && sc.n_errors == 0 && d && match_dict(&sc, d)) {
        *out = build_file(&sc);
        st = *out ? KOFU_OK : KOFU_ENOMEM;
    } else if (!sc.oom && sc.n_errors == 0) {
        /* iniparser failed without saying why: only memory is left. */
        sc.oom = true;
    }
    if (sc.oom)
        st = KOFU_ENOMEM;
    ini_bridge_free(&br);
    ini_scan_free(&sc);
    return st;
}

kofu_status ini_parse(const char *display_name, const char *bytes, size_t len,
                      kofu_status fail_status, kofu_diag *diag, ini_file **out)
{
    if (!out || (!bytes && len > 0))
        return KOFU_EUSAGE;
    *out = NULL;
    return parse(display_name ? display_name : "", bytes ? bytes : "", len, fail_status, diag,
                 out);
}

/* ------------------------------------------------------------------------ */

void ini_free(ini_file **f)
{
    if (!f || !*f)
        return;
    free(*f); /* one block: see build_file */
    *f = NULL;
}

const ini_section *ini_find_section(const ini_file *f, const char *name)
{
    if (!f || !name)
        return NULL;
    for (size_t i = 0; i < f->n_sections; i++)
        if (ascii_ieq(f->sections[i].name_lc, name))
            return &f->sections[i];
    return NULL;
}

const ini_entry *ini_find_entry(const ini_section *s, const char *key)
{
    if (!s || !key)
        return NULL;
    for (size_t i = 0; i < s->n_entries; i++)
        if (ascii_ieq(s->entries[i].key_lc, key))
            return &s->entries[i];
    return NULL;
}
