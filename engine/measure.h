/*
 * measure.h — how a measure plugs into the engine.
 *
 * The engine knows no measure by name. Each measure (rules/<name>.c) defines
 * one `const measure_def measure_<name>` describing:
 *   - its case-file schema: sections and keys, with types, ranges, labels;
 *   - the parameters it reads from its rule data (rules/<name>.params);
 *   - its outputs: the amounts it produces, with labels and whether they can
 *     be claimed, shown as CSV headline columns, or summed into the totals;
 *   - an optional cross-key validator and the formula itself (evaluate).
 * The schema drives validation, `kofu rules`, help text and documentation;
 * rules/measures.def lists every measure once.
 *
 * A "component" (flag MEASURE_COMPONENT) is an input shared by several
 * measures, such as the fiscal-capacity adjustment (財政力補正): it is
 * evaluated before the measures that name it in `requires`, its output goes
 * to the top level of the result (not under "measures"), and it publishes
 * a typed struct (declared in its rules/<name>.h) that measures read with
 * ev_published().
 */
#ifndef KOFU_ENGINE_MEASURE_H
#define KOFU_ENGINE_MEASURE_H

#include <stdbool.h>
#include <stddef.h>

#include "kofu/kofu.h"
#include "num.h"
#include "diag.h"

/* ---- case-file schema -------------------------------------------------- */

typedef enum key_type {
    KEY_AMOUNT,   /* yen: "1,200,000", "1200千円", "120万円"             */
    KEY_RATIO,    /* "0.75" or "75%"                                      */
    KEY_DECIMAL2, /* plain decimal with at most 2 decimals ("0.65")       */
    KEY_INT,      /* plain integer ("12")                                 */
    KEY_BOOL,     /* yes/no, true/false, 1/0, はい/いいえ                 */
    KEY_TEXT,     /* free text (a display name)                           */
    KEY_ID,       /* letters, digits, . _ -                               */
    KEY_FY,       /* a fiscal year in any spelling: 2025, FY2025, R7, ... */
    KEY_ENTITY    /* municipality | prefecture (also 市町村 | 道府県)      */
} key_type;

#define KEY_REQUIRED 0x1u

typedef struct key_def {
    const char *name;     /* lowercase, as written in the case file          */
    key_type type;
    unsigned flags;       /* KEY_REQUIRED                                    */
    const char *min;      /* inclusive bound as an exact number, or NULL     */
    const char *max;      /* inclusive bound, or NULL                        */
    const char *label_ja;
    const char *label_en;
} key_def;

/* How a section may be named: exactly `name`, and/or `name.<id>`. */
#define SEC_PLAIN    0x1u
#define SEC_SUFFIXED 0x2u

typedef struct section_def {
    const char *name;       /* "network", "cooperative.worker"            */
    unsigned form;          /* SEC_PLAIN | SEC_SUFFIXED                     */
    const key_def *keys;    /* terminated by an entry with name NULL        */
    const char *label_ja;
    const char *label_en;
} section_def;

/* ---- rule data the measure reads ---------------------------------------- */

typedef enum param_kind {
    PARAM_VALUE, /* one exact number per dated value                       */
    PARAM_TABLE, /* x→y points, linear or step interpolation, clamped ends */
    PARAM_CHOICE /* one word of `choices` (a reading the data may switch)   */
} param_kind;

/* What a parameter's values are: the unit its file must state, and the
 * bounds its values (a table's outputs) are checked against when rule data
 * are loaded (engine/params_check.c). */
typedef enum param_unit {
    PARAM_UNIT_CHOICE, /* a PARAM_CHOICE: unit = choice                     */
    PARAM_YEN,         /* whole yen, 0 to 10^15: unit = yen                 */
    PARAM_RATIO        /* an exact ratio (rate, share, taper, factor), in
                          [0, 1] unless min/max say otherwise: unit = ratio */
} param_unit;

typedef struct param_decl {
    const char *name;
    param_kind kind;
    param_unit unit;
    /* Inclusive bounds (exact numbers, "3/2") in place of the unit's own;
     * NULL keeps the unit's. A measure declares here what its rule allows. */
    const char *min, *max;
} param_decl;

/* The words a PARAM_CHOICE parameter may take (measure_def.choices). */
typedef struct param_choices {
    const char *name;  /* the parameter                                  */
    const char *words; /* "pooled|per_worker"                             */
} param_choices;

/* ---- outputs ------------------------------------------------------------ */

#define OUT_CLAIMABLE     0x01u /* may appear in [claim] as measure.name     */
#define OUT_HEADLINE      0x02u /* a CSV column of calc and batch            */
#define OUT_TOTAL_SPECIAL 0x04u /* summed into totals.special_tax_grant      */
#define OUT_TOTAL_NATIONAL 0x08u /* summed into totals.national_grant        */
#define OUT_SWEEP         0x10u /* a default column of `kofu sweep` (else the
                                   measure's headline amounts are shown)    */

typedef struct output_def {
    const char *name;  /* key in the measure's result object               */
    unsigned flags;
    const char *label_ja;
    const char *label_en;
} output_def;

/* ---- the measure -------------------------------------------------------- */

#define MEASURE_COMPONENT 0x1u

typedef struct kofu_eval kofu_eval;
typedef struct case_section case_section;
typedef struct case_check case_check;

typedef struct measure_def {
    const char *name;
    const char *label_ja;
    const char *label_en;
    unsigned flags;                 /* MEASURE_COMPONENT                      */
    const char *requires;           /* name of a component it needs, or NULL  */
    const char *source;             /* the formula's citation: "<id> <locator>"
                                       of the bibliography (sources.h); the
                                       trace's default source                  */
    const char *const *citations;   /* every other citation the code passes to
                                       the trace, NULL-terminated (may be NULL):
                                       the loader checks their ids            */
    const section_def *sections;    /* terminated by name NULL                */
    const param_decl *params;       /* terminated by name NULL                */
    const output_def *outputs;      /* terminated by name NULL                */
    const param_choices *choices;   /* words of each PARAM_CHOICE parameter,
                                       terminated by name NULL; may be NULL */
    /* Checks that span keys or sections (both worker forms at once, hours
     * dispatched above hours scheduled...). Report with check_error();
     * may be NULL. */
    void (*validate)(case_check *chk);
    kofu_status (*evaluate)(kofu_eval *ev);
} measure_def;

/* ---- cross-key validation (measure_def.validate) ------------------------- */

/* Sections of the case that belong to this measure, in file order. */
size_t check_count(const case_check *chk);
const case_section *check_section(const case_check *chk, size_t i);
/* Adds an error naming the section (and key, may be NULL) of the case. */
void check_error(case_check *chk, const case_section *s, const char *key,
                 const char *fmt_ja, const char *fmt_en, ...) KOFU_PRINTF2(4, 6);
#define check_error(chk, s, key, ja, en, ...)                                                       \
    (KOFU_CHECK_EN(en, ##__VA_ARGS__), check_error(chk, s, key, ja, en, ##__VA_ARGS__))

/* ---- reading a section's values ----------------------------------------- */

/* Section definition name ("cooperative.worker"), id suffix ("a", or "" for a
 * plain section), name as written in the file ("cooperative.worker.A"). */
const char *sec_def_name(const case_section *s);
const char *sec_id(const case_section *s);
const char *sec_name(const case_section *s);
int sec_line(const case_section *s);
/* True when the key was given in the case file (or set by a sweep). */
bool sec_has(const case_section *s, const char *key);
/* The exact value of an AMOUNT/RATIO/DECIMAL2/INT key; NULL when absent. */
const kofu_num *sec_num(const case_section *s, const char *key);
/* BOOL key; `dflt` when absent. */
bool sec_bool(const case_section *s, const char *key, bool dflt);
/* The value as written (for messages); NULL when absent. */
const char *sec_raw(const case_section *s, const char *key);
int sec_key_line(const case_section *s, const char *key);

#endif
