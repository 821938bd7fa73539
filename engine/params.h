/*
 * params.h — the dated-parameter store (rule data) with provenance.
 *
 * One file per measure, rules/<measure>.params, in INI form:
 *
 *   [measure]
 *   entities = municipality, prefecture   ; who may claim it
 *
 *   [cap_base]                 ; a parameter: its metadata
 *   label_ja = 交付対象経費の上限額（基本）
 *   label_en = Cap on eligible cost (base)
 *   unit = yen
 *
 *   [cap_base.2021]            ; its value from fiscal year 2021 (any spelling: R3)
 *   value = 15000000           ; exact: 0.5, 11/6, 2200000
 *   status = confirmed         ; confirmed | provisional
 *   confirmed_through = 2022   ; last fiscal year a source confirms it, or none
 *   source = soumu_kaso_nw_r4  ; an id of the bibliography (sources.params)
 *   locator = （３）交付対象経費の上限額   ; where in it (article, section, item)
 *   quote = 1,500万円          ; optional: a short verbatim excerpt
 *   source_2 = ...             ; more citations: source_N, locator_N, quote_N
 *   confirmed_by = ...         ; optional: the cited source that confirms the
 *                              ; value through confirmed_through (default: source)
 *
 * A table parameter has, instead of `value`:
 *   interpolation = linear     ; linear | step
 *   points = 0.5:1, 0.8:0.5    ; x:y pairs, x strictly increasing; clamped ends
 *   round = half_up_0.01       ; rounding of the result, or none
 *
 * A choice parameter (a reading of the rules the data may switch) has
 *   value = pooled             ; one of the words the measure declares
 *
 * Every dated value needs a source: a value without one is a load error, as
 * is an unknown source id, a statute cited without a locator (its article), a
 * provisional value that does not cite kofu's own interpretation (where the
 * choice is explained), or anything unknown, duplicated, or missing. Which parameters a measure has
 * and of which kind is declared by the measure (measure_def.params).
 */
#ifndef KOFU_ENGINE_PARAMS_H
#define KOFU_ENGINE_PARAMS_H

#include <stdbool.h>
#include <stddef.h>

#include "kofu/kofu.h"
#include "measure.h"
#include "num.h"
#include "sha256.h"
#include "sources.h"

#define PARAM_MAX_CITES 4

typedef struct param_cite {
    char *source_id, *locator, *quote;   /* quote may be NULL               */
} param_cite;

typedef enum param_interp { INTERP_LINEAR, INTERP_STEP } param_interp;

typedef struct param_value {
    int from_fy;
    bool provisional;
    int confirmed_through;   /* 0 = never confirmed                        */
    param_cite cites[PARAM_MAX_CITES]; /* cites[0] is the main one          */
    size_t n_cites;
    size_t confirmed_by;     /* index into cites                            */
    char *cite_text[2];      /* all citations for people: [0] ja, [1] en    */
    kofu_num value;          /* PARAM_VALUE; PARAM_CHOICE: the word's index */
    /* PARAM_TABLE */
    param_interp interp;
    bool rounded;
    num_rounding rounding;
    kofu_num *xs, *ys;
    size_t n_points;
    char *points_text;       /* as written, for traces and listings (the
                                word of a PARAM_CHOICE)                    */
} param_value;

typedef struct param_def {
    char *name;
    param_kind kind;
    char *label_ja, *label_en, *unit;
    param_value *values;     /* sorted by from_fy                           */
    size_t n_values;
} param_def;

typedef struct measure_rules {
    const measure_def *measure;
    unsigned entities;       /* bit set of kofu_entity                      */
    param_def *params;
    size_t n_params;
    char *file_name;         /* display name of the file it came from       */
    char *text;              /* the file's bytes, for export                */
    size_t text_len;
} measure_rules;

/* A parameter whose values differ from the built-in data (--rules DIR). */
typedef struct param_edit {
    const char *measure;     /* static: the measure's name                  */
    char *text[2];           /* [0] ja "network.cap_base（R3〜）: 15000000 →
                                16000000", [1] en                            */
} param_edit;

/* A file the loader read, for the rule set's digest. */
typedef struct rules_file_seen {
    char *name;              /* "network.params": the name inside the set   */
    char sha256[SHA256_HEX_LEN + 1];
} rules_file_seen;

struct kofu_rules {
    measure_rules *measures; /* parallel to the registry                    */
    size_t n_measures;
    /* Where the data came from (meta.rules of every result): the built-in
     * copy, or a directory (dir as the caller gave it). */
    bool from_dir;
    char *dir;
    /* Every file rules_read_file() delivered, and once loading is done the
     * digest over them (see rules_digest_finish). */
    rules_file_seen *seen;
    size_t n_seen;
    char digest[SHA256_HEX_LEN + 1];
    bibliography bib;        /* sources.params, read first                  */
    param_edit *edits;       /* from a directory: parameters changed from
                                the built-in data                           */
    size_t n_edits;
};


/* Reads the file `name` ("network.params") of the rule set being loaded —
 * the built-in copy when r is built-in, else DIR/name — and records it for
 * the digest: every file of rule data must be read through here, so that a
 * new kind of file (a bibliography) is covered by meta.rules.sha256 without
 * further work. *display is the name for messages ("rules/network.params",
 * "DIR/network.params"); *display and *text are malloc'd (also on error,
 * when set). Errors (a missing file: KOFU_ERULES; KOFU_ENOMEM) go to diag. */
kofu_status rules_read_file(kofu_rules *r, const char *name, kofu_diag *diag, char **display,
                            char **text, size_t *len);
/* The digest of the files read so far: SHA-256 over the lines
 * "<sha256 of the file>  <name>\n", sorted by name in byte order — what
 * `sha256sum` prints for them — so `LC_ALL=C sha256sum $(ls) | sha256sum`
 * in an exported directory reproduces it. false on OOM. */
bool rules_digest_finish(kofu_rules *r);

/* rules_diff.c: fills r->edits with every parameter whose dated values
 * differ from the built-in data (called for rules read from a directory). */
kofu_status rules_find_edits(kofu_rules *r);

/* The rules of the registry's measure i. */
const measure_rules *rules_for(const kofu_rules *r, size_t measure_index);
const param_def *rules_param(const measure_rules *mr, const char *name);
/* The value in force in fiscal year fy; NULL when fy is before the first. */
const param_value *param_at(const param_def *p, int fy);
/* y = table(x) with the table's interpolation and rounding. */
void param_table_apply(const param_value *v, const kofu_num *x, kofu_num *y);
/* Loads one measure's rule data from bytes (the text of one <measure>.params
 * file), as kofu_rules_load_* do for each file, citations checked against the
 * built-in bibliography. Used by the fuzzer and unit tests. *mr must be
 * zeroed; release it with params_measure_rules_free() whatever the result. */
kofu_status params_load_measure(const measure_def *m, const char *file, const char *text,
                                size_t len, kofu_diag *diag, measure_rules *mr);
void params_measure_rules_free(measure_rules *mr);
/* "municipality" / "prefecture" bit names joined by ", ". */
bool entity_parse(const char *s, kofu_entity *out);
const char *entity_name(kofu_entity e);

#endif
