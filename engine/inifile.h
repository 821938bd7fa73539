/*
 * inifile.h — reading INI files (case files and rule data) strictly.
 *
 * The accepted grammar, once (ISO 14977 EBNF; ini_scan.c checks it, line by
 * line, with the line and the key of every problem):
 *
 *   file     = [ bom ], { line, eol }, [ line ] ;      (* UTF-8, 4 MiB at most *)
 *   line     = blank | comment | section | pair ;      (* 1,000 bytes at most *)
 *   blank    = { ws } ;
 *   comment  = { ws }, ( ";" | "#" ), { text } ;
 *   section  = { ws }, "[", { ws }, name, { ws }, "]", { ws }, [ comment ] ;
 *   pair     = { ws }, key, { ws }, "=", { ws }, [ value ], { ws }, [ comment ] ;
 *   value    = '"', { text - '"' }, '"' | "'", { text - "'" }, "'"
 *            | plain, { ws, plain } ;                  (* a ";" or "#" inside a
 *                                                          plain value: an error *)
 *   plain    = ( text - ( ws | ";" | "#" ) ), { text - ( ws | ";" | "#" ) } ;
 *   key      = ( text - ( ws | "[" | ";" | "#" | "=" ) ), { text - "=" } ;
 *   name     = ( text - ( ws | "[" | "]" | ":" ) ), { text - ( "[" | "]" | ":" ) } ;
 *   text     = ? any UTF-8 character but U+0000-U+001F (TAB aside) and U+007F ? ;
 *   ws       = " " | TAB ;
 *   eol      = LF | CR, LF ;
 *   bom      = ? the bytes EF BB BF ? ;
 *
 * and beyond the grammar: a line ending in "\" continues on the next (not a
 * [section], not after a comment, not at the end of the file); names are
 * compared without ASCII case, each section once per file and each key once
 * per section; the first [section] comes before any key; 1,000 sections and
 * 10,000 keys at most (INI_MAX_*).
 *
 * How: the bytes are read once (ini_read.c), checked (ini_utf8.c) and
 * scanned (ini_scan.c) into records that keep names as written, with their
 * lines; iniparser 4.1, the project's INI parser, then reads the very same
 * bytes from kofu's buffer (ini_bridge.c, the one place that calls it) to
 * give the values (quotes removed, a trailing comment stripped), and this
 * file matches its dictionary to the records one to one and builds the
 * ini_file. The values handed out are iniparser's; the names and lines are
 * the scanner's.
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
