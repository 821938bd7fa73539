/*
 * sources.h — the bibliography of the rule data (rules/sources.params).
 *
 * Every dated value of the rule data and every formula of rules/<measure>.c cites a
 * source of this registry by its id, with a locator (article, section, table
 * item) and, where useful, a short verbatim quote. The registry says what each
 * source is, so that a reader can find it:
 *
 *   [source.soumu_kaso_nw_r4]
 *   kind = 説明資料            ; 法律 省令 告示 通知 要綱 説明資料 二次資料 kofu
 *   issuer = 総務省 地域力創造グループ 過疎対策室
 *   title = 過疎地域等集落ネットワーク圏形成支援事業について
 *   date = 2022-05-10          ; YYYY, YYYY-MM, YYYY-MM-DD, or words
 *   url = https://...          ; where known
 *
 * A statute (法律, 省令) also needs `number` (昭和51年自治省令第35号) and
 * `as_of` (the version relied on: a date, optionally `amended_by`), and every
 * citation of it needs a locator (the article). Other documents need issuer,
 * title and date; `number` is optional. kofu's own interpretation (kind kofu)
 * needs `title` and `doc`, the project document that explains the choice.
 * Optional everywhere: `edition` (版・時点), `note`, `title_en` (the title in
 * English, for kofu's own documents).
 *
 * Citations written in C code are strings "<id> <locator>" (the id, one
 * space, the locator); measure_def.citations lists them so the loader can
 * check every id against the registry.
 */
#ifndef KOFU_ENGINE_SOURCES_H
#define KOFU_ENGINE_SOURCES_H

#include <stdbool.h>
#include <stddef.h>

#include "inifile.h"
#include "kofu/kofu.h"

typedef struct source_entry {
    char *id, *kind, *issuer, *title, *title_en, *date, *number, *as_of, *amended_by, *url, *edition,
        *doc, *note;
    int line;                /* of its section in the file                  */
    /* The document as people cite it, without a place in it, in Japanese and
     * in English: made once when the file is loaded (NULL: made on demand). */
    char *text[2];
} source_entry;

typedef struct bibliography {
    source_entry *entries;   /* in file order                               */
    size_t n;
    char *file_name;         /* the file it came from                       */
} bibliography;

/* Loads the registry from the bytes of one sources file; every problem is a
 * KOFU_ERULES item naming the file and the [source.<id>] record. */
kofu_status sources_load(const char *file, const char *text, size_t len, kofu_diag *diag,
                         bibliography *out);
/* The same from the file as read (ini_parse, or frozen by the build). */
kofu_status sources_from_ini(const char *file, const ini_file *ini, kofu_diag *diag,
                             bibliography *out);
void sources_free(bibliography *b);

const source_entry *sources_find(const bibliography *b, const char *id);
/* A statute: 法律 or 省令 (needs number, as_of and a locator). */
bool source_is_statute(const source_entry *e);

/* The citation as a person reads it, e.g.
 *   総務省 地域力創造グループ 過疎対策室「過疎地域等集落ネットワーク圏形成支援事業について」
 *   (令和4年5月10日) （３）交付対象経費の上限額
 * for a document, "特別交付税に関する省令（昭和51年自治省令第35号、2025-03-19 時点）第二条"
 * for a statute. locator may be NULL or "". malloc'd; NULL on OOM. */
char *source_cite_text(const source_entry *e, const char *locator, kofu_lang lang);

/* Splits a code citation "<id> <locator>" into its id (copied into idbuf,
 * at most cap bytes) and a pointer to its locator ("" when none). */
const char *source_split(const char *citation, char *idbuf, size_t cap);

#endif
