/*
 * case.h — a loaded, validated case file (the inside of kofu_case).
 *
 * Loading happens in two passes: the form (sections, keys, types, ranges,
 * required keys: everything the schema says) and then the meaning (who may
 * claim which measure in which fiscal year, cross-key checks of each measure,
 * the [claim] keys). kofu_case_set() reruns the second pass after changing
 * a value, so a sweep validates every row exactly as a file would be.
 */
#ifndef KOFU_ENGINE_CASE_H
#define KOFU_ENGINE_CASE_H

#include <stdbool.h>
#include <stddef.h>

#include "kofu/kofu.h"
#include "measure.h"
#include "num.h"

typedef struct case_value {
    /* the flags and the line share one word: 48 bytes a value, not 72 (a
     * case holds hundreds, zeroed and read once per file) */
    bool present;
    bool raw_owned;   /* raw was allocated (kofu_case_set), else it is in
                         the case's INI block                             */
    bool num_ready;   /* num initialised (only keys given ever are)      */
    bool b;           /* BOOL                                             */
    int line;
    const char *raw;  /* as written                                      */
    kofu_num num;     /* AMOUNT, RATIO, DECIMAL2, INT                     */
} case_value;

struct case_section {
    const section_def *def;
    int measure;      /* registry index                                   */
    const char *name; /* as written: "cooperative.worker.A" (in the INI block) */
    const char *id;   /* "A", or "" for a plain section                   */
    int line;
    case_value *values; /* parallel to def->keys                          */
    size_t n_keys;
    const unsigned char *by_address; /* the key table by its literals' addresses (case.c) */
};

typedef struct case_claim {
    char *key;        /* "cooperative.national_grant", "totals.national_grant" */
    char *raw;
    int line;
    kofu_num amount;
} case_claim;

struct kofu_case {
    const kofu_rules *rules;
    const char *file;        /* these three point into the INI block */
    const char *id;
    const char *name;
    int fy;
    kofu_entity entity;
    case_section *sections; /* measure sections, in file order            */
    size_t n_sections;
    case_value *value_store; /* the sections' values (each section's       */
    size_t n_values;         /* `values` points into it)                    */
    void *store;             /* one block holding both arrays              */
    struct ini_file *ini;   /* the parsed file: names and raw values point
                               into it, so it lives as long as the case     */
    case_claim *claims;     /* in file order                               */
    size_t n_claims;
    int claim_line;         /* line of [claim], 0 when absent              */
    bool *present;          /* per registry index: measure present (in the
                               same allocation as the case)                */
};

/* One value of a case read from somewhere other than an INI file (a case
 * table): the section as an INI file would name it ("network.kita"), the
 * key, the value as written, and where each came from for messages and the
 * trace — a line, or a spreadsheet cell (DIAG_CELL, diag.h). */
typedef struct case_entry {
    const char *section;
    const char *key;
    const char *value;
    int line;
    int section_line;
} case_entry;

/* Loads and validates a case from entries exactly as from the INI file that
 * holds them (every check of the INI path applies; iniparser is not used).
 * A repeated section.key is an error naming both places. */
kofu_status case_load_entries(const kofu_rules *rules, const char *display_name,
                              const case_entry *entries, size_t n, kofu_diag *diag,
                              kofu_case **out);

/* Key definition index within a section definition; -1 when unknown. */
int section_key_index(const section_def *def, const char *key_lc);

#endif

/* The engine's own [case] section definition (for labels and the schema). */
const section_def *case_core_section(void);
