/*
 * inifile.h — reading INI files (case files and rule data) strictly.
 *
 * iniparser 4.1 does the parsing of values. On its own it would lowercase
 * names, keep the last of two duplicate keys without a word, reject a UTF-8
 * BOM and report syntax errors through a global callback with a line number.
 * This module wraps it so that none of that reaches a user silently:
 *   - the bytes are read once; a UTF-8 BOM is stripped, CRLF is accepted, and
 *     invalid UTF-8 is an error naming the line;
 *   - a line scanner (which follows iniparser's own rules for comments,
 *     continuation lines and quoting) records every section and key in file
 *     order, as written (original case), with its line number, so duplicates
 *     (case-insensitive, as iniparser sees them) are reported, and ids keep
 *     their case;
 *   - iniparser's syntax errors, caught through iniparser_set_error_callback
 *     into thread-local storage, become items naming the line;
 *   - limits (file size, line length, sections, keys) are enforced with a
 *     clear message.
 * The values handed out are the ones iniparser computed (quotes removed,
 * inline "; comment" stripped), looked up by the lowercased "section:key".
 */
#ifndef KOFU_ENGINE_INIFILE_H
#define KOFU_ENGINE_INIFILE_H

#include <stddef.h>
#include "kofu/kofu.h"

/* Documented limits (README "Limits"). */
#define INI_MAX_FILE_BYTES   (4u * 1024u * 1024u) /* 4 MiB                 */
/* Bytes per line before its LF (the CR of a CRLF counts), and per line
 * joined by a trailing `\`.
 * iniparser 4.1 reads lines into a 1024-byte buffer and rejects the whole
 * file from 1023 bytes on, so the limit stays below what it handles. */
#define INI_MAX_LINE_BYTES   1000u
#define INI_MAX_SECTIONS     1000u
#define INI_MAX_KEYS         10000u               /* in the whole file     */

typedef struct ini_entry {
    char *key;        /* as written, e.g. "Personnel_Cost"               */
    char *key_lc;     /* lowercased, as iniparser and the schema see it  */
    char *value;      /* iniparser's value ("" for `key =`)              */
    int line;         /* 1-based line of the key                          */
} ini_entry;

typedef struct ini_section {
    char *name;       /* as written, e.g. "cooperative.worker.A"          */
    char *name_lc;    /* lowercased                                       */
    int line;
    ini_entry *entries;
    size_t n_entries;
} ini_section;

typedef struct ini_file {
    char *display_name;
    ini_section *sections; /* in file order */
    size_t n_sections;
} ini_file;

/* Parses bytes[0..len). On success returns KOFU_OK and *out; otherwise
 * returns `fail_status` (KOFU_ECASE for case files, KOFU_ERULES for rule data)
 * with every problem found added to diag, and *out = NULL. Problems found:
 * empty file (no section), size and limit overruns, invalid UTF-8, a NUL
 * byte, a key before any section, a line that is neither section, key,
 * comment nor blank (iniparser's syntax error), a key with no name, duplicate
 * sections, duplicate keys within a section. */
kofu_status ini_parse(const char *display_name, const char *bytes, size_t len,
                      kofu_status fail_status, kofu_diag *diag, ini_file **out);

/* Reads path (a regular file; a directory or unreadable path is an error
 * naming it) and calls ini_parse. */
kofu_status ini_load(const char *path, kofu_status fail_status, kofu_diag *diag,
                     ini_file **out);

/* The same, for `name` relative to the directory open at dirfd (AT_FDCWD:
 * the working directory); `path` is the name shown in messages. */
kofu_status ini_load_at(int dirfd, const char *name, const char *path, kofu_status fail_status,
                        kofu_diag *diag, ini_file **out);

void ini_free(ini_file **f);

/* Lookups on a parsed file (case-insensitive names). NULL when absent. */
const ini_section *ini_find_section(const ini_file *f, const char *name);
const ini_entry *ini_find_entry(const ini_section *s, const char *key);

#endif
