/*
 * ini_scan.h — the line scanner of inifile.c (internal to engine/ini_*.c):
 * the records of every section and key, the name table, and the reports.
 * inifile.h gives the grammar it accepts.
 */
#ifndef KOFU_ENGINE_INI_SCAN_H
#define KOFU_ENGINE_INI_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ini_bridge.h"
#include "inifile.h"
#include "util.h"

/* Past this many problems a file is clearly not INI (or not text); more
 * items would bury the first ones. */
#define INI_MAX_ERRORS 100u

#define NO_POS ((size_t)-1)
/* Keys under a rejected header are not checked (one error, not one per key). */
#define BAD_SECTION (-2L)

/* Names live in two arenas at the same offset: as written (raw) and
 * lowercased (lc), each NUL-terminated. A name is lowercased and hashed once,
 * when read; the table, the match with iniparser's dictionary and the
 * ini_file all reuse that copy. Every name comes from its own logical line,
 * which holds at least one byte more than the name, so the arenas never need
 * more bytes than the input has (checked anyway: stage_name). */
typedef struct rec {
    /* 32 bytes: a file's records are written once and read twice (the
     * match with iniparser's dictionary, build_file), and each file finds
     * them out of cache. The limits fit: names and values are shorter than
     * INI_MAX_LINE_BYTES, there are at most INI_MAX_SECTIONS +
     * INI_MAX_KEYS records, and the file at most INI_MAX_FILE_BYTES. */
    uint32_t off;       /* of the name in the arenas */
    uint32_t hash;      /* of the lowercased name */
    int line;
    uint16_t len;
    uint16_t canon;     /* section: first section of that name; key: its section's */
    uint16_t n_keys;    /* canonical section: keys in it */
    uint16_t out;       /* canonical section: index in ini_file.sections */
    uint16_t value_len;
    bool is_section;
    bool in_table;      /* canonical: the name table points at it */
    const char *value;  /* key: iniparser's value */
} rec;

_Static_assert(INI_MAX_SECTIONS + INI_MAX_KEYS <= UINT16_MAX, "rec.canon, rec.n_keys, rec.out");
_Static_assert(INI_MAX_LINE_BYTES <= UINT16_MAX, "rec.len, rec.value_len");
_Static_assert(INI_MAX_FILE_BYTES < UINT32_MAX, "rec.off");

/* Room for the records, the name table and the names of a typical case file
 * (a few dozen lines) on the caller's stack: as heap blocks they were
 * requests of 1 KiB or more, and each such malloc makes glibc consolidate
 * its fast bins (a tenth of the scanner's time over a batch). Larger files
 * grow the records and the table (grow_recs) and take the arenas from the
 * heap. */
#define SMALL_RECS 128
#define SMALL_TABLE 256 /* 2 * SMALL_RECS: see grow_recs */
#define SMALL_NAMES 4096

typedef struct scanner_small {
    rec recs[SMALL_RECS];
    uint32_t table[SMALL_TABLE];
    char raw[SMALL_NAMES], lc[SMALL_NAMES];
} scanner_small;

typedef struct join_point {
    size_t off; /* where this physical line starts in the joined line */
    int line;
    bool inert; /* blank, or itself a comment */
} join_point;

typedef struct scanner {
    const char *file;
    kofu_status fail;
    kofu_diag *diag;
    const char *buf;
    size_t len;

    rec *recs;
    size_t n_recs, cap_recs;
    size_t n_sections, n_keys;
    uint32_t *table; /* rec index + 1; 0 = free */
    size_t table_mask;
    char *raw, *lc;    /* the name arenas (see rec) */
    size_t names_used, names_cap;
    long cur_sec;      /* canonical rec of the current section, -1 before any,
                          BAD_SECTION after a header that was rejected */
    long cur_hdr;      /* the header as written there (for messages) */

    ini_span *bad;         /* lines already reported, first..last physical */
    size_t n_bad, cap_bad;
    ini_span *blanks;      /* comments after [section] to blank out for iniparser */
    size_t n_blanks, cap_blanks;
    join_point *joins;
    size_t n_joins, cap_joins;
    strbuf join;

    size_t n_errors;
    bool stop;           /* nothing more worth reading */
    bool skip_iniparser; /* iniparser would choke or abort: do not run it */
    bool utf8_reported;
    bool oom;
    struct scanner_small *small; /* stack storage of recs and table, or NULL */
} scanner;

/* Every problem goes through here: it picks the language before formatting
 * (diag_add has no va_list form), remembers the lines so iniparser's report
 * of the same line is not repeated, and stops a hopeless file early. */
void ini_report(scanner *sc, int first, int last, const char *section, const char *key,
                const char *fmt_ja, const char *fmt_en, ...)
    __attribute__((format(printf, 6, 8))) __attribute__((format(printf, 7, 8)));

/* Whole-file checks that make line-by-line reading pointless (UTF-16, size,
 * NUL); false after reporting. */
bool ini_scan_precheck(scanner *sc);
/* Storage: small files live in *small (the caller's stack). */
bool ini_scan_init(scanner *sc, scanner_small *small);
void ini_scan_free(scanner *sc);
/* Reads every line of sc->buf[0..len) into records, reporting problems. */
void ini_scan_lines(scanner *sc);
/* True when a problem on this line was reported already. */
bool ini_scan_reported_line(const scanner *sc, int line);

/* The hash of s[0..n) lowercased, as the records keep it. */
uint32_t ini_name_hash(const char *s, size_t n);
/* The table slot of a name not yet lowercased (iniparser's dictionary keys):
 * holding its record (index + 1), or 0. */
uint32_t *ini_scan_slot_lower(const scanner *sc, bool is_section, long canon, uint32_t hash,
                              const char *s, size_t n);

#endif
