/*
 * kofu.h — the public C API of libkofu.
 *
 * libkofu computes the grants that Japanese municipalities, prefectures and
 * cooperatives can claim under the national regional-revitalization measures
 * (交付税措置・交付金), exactly to the yen, with a trace of every step.
 *
 * The flow is:  kofu_rules_load_*  →  kofu_case_load_*  →  kofu_evaluate
 *               →  walk the kofu_node tree of the result  →  free everything.
 *
 * Ownership, once for every function here:
 *   - Every handle (kofu_rules, kofu_case, kofu_result, kofu_diag) is created by
 *     a function of this header and released by the matching *_free(), which
 *     takes the address of the caller's pointer and sets it to NULL.
 *     *_free(NULL) and *_free(&null_pointer) are no-ops.
 *   - const char * and const kofu_node * returned by accessors point into the
 *     handle they came from and live as long as it does. Never free them.
 *   - A char * documented as "malloc'd" belongs to the caller (free()).
 *   - The library never prints, never exits and keeps no global mutable state
 *     except a once-initialised table of built-in rule data and the table of
 *     libxlsxwriter's functions, filled when the first workbook is opened
 *     (kofu/xlsx.h: the library is opened with dlopen then, not linked); handles may be used
 *     from different threads as long as one handle is not used by two threads
 *     at once. A kofu_rules may be shared read-only by many threads.
 *
 * Errors: functions return a kofu_status. Problems in the user's input (a case
 * file or rule data) are collected in a kofu_diag, each item naming file, line,
 * section and key, in the language chosen when the kofu_diag was created.
 */
#ifndef KOFU_KOFU_H
#define KOFU_KOFU_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Every function of this header is declared KOFU_API: the library is built
 * with hidden visibility, and only what carries KOFU_API (all named kofu_*)
 * is exported by the installed libkofu (docs/architecture.md, "What the
 * library exports"). A function added here without it fails the `symbols`
 * test. */
#if defined(__GNUC__)
#define KOFU_API __attribute__((visibility("default")))
#else
#define KOFU_API
#endif

#define KOFU_VERSION "0.2.0"

/* One list of status codes: name, value, English and Japanese message. */
#define KOFU_STATUS_MAP(X)                                                          \
    X(OK,       0, "success",                       "成功")                          \
    X(EUSAGE,   1, "invalid argument",              "引数が不正です")                \
    X(ECASE,    2, "invalid case file",             "ケースファイルが不正です")      \
    X(ERULES,   3, "invalid rule data",             "ルールデータが不正です")        \
    X(EIO,      4, "input/output error",            "入出力エラー")                  \
    X(ENOMEM,   5, "out of memory",                 "メモリ不足です")                \
    X(EINTERNAL,6, "internal error",                "内部エラー")

typedef enum kofu_status {
#define KOFU_STATUS_ENUM_(name, value, en, ja) KOFU_##name = value,
    KOFU_STATUS_MAP(KOFU_STATUS_ENUM_)
#undef KOFU_STATUS_ENUM_
} kofu_status;

typedef enum kofu_lang { KOFU_LANG_JA = 0, KOFU_LANG_EN = 1 } kofu_lang;

/* A read-only node of a result tree (see "Result nodes" below). */
typedef struct kofu_node kofu_node;

typedef enum kofu_entity {
    KOFU_ENTITY_MUNICIPALITY = 1, /* 市町村 */
    KOFU_ENTITY_PREFECTURE = 2    /* 道府県 */
} kofu_entity;

/* "success" / "成功"; never NULL. */
KOFU_API const char *kofu_status_message(kofu_status st, kofu_lang lang);
/* "OK", "ECASE", ...; never NULL. */
KOFU_API const char *kofu_status_name(kofu_status st);

/* Fiscal years (年度): parses any spelling kofu accepts ("2025", "FY2025",
 * "R7", "令和7年度", "H30", ...) into the Western year the fiscal year starts
 * in; false when s is not a fiscal year. */
KOFU_API bool kofu_fy_parse(const char *s, int *fy);
/* "令和7年度 (FY2025)" / "FY2025 (R7)"; snprintf-like. */
KOFU_API size_t kofu_fy_format(int fy, kofu_lang lang, char *buf, size_t cap);

/* ------------------------------------------------------------------------ */
/* Diagnostics                                                               */

typedef struct kofu_diag kofu_diag;

/* Creates an empty list whose messages will be written in `lang`. */
KOFU_API kofu_status kofu_diag_new(kofu_lang lang, kofu_diag **out);
KOFU_API void kofu_diag_free(kofu_diag **d);
KOFU_API void kofu_diag_clear(kofu_diag *d);
KOFU_API size_t kofu_diag_count(const kofu_diag *d);
/* Item accessors; index < kofu_diag_count(). file, section and key are "" when
 * not applicable; line is 0 when unknown. */
KOFU_API const char *kofu_diag_file(const kofu_diag *d, size_t i);
KOFU_API int kofu_diag_line(const kofu_diag *d, size_t i);
KOFU_API const char *kofu_diag_section(const kofu_diag *d, size_t i);
KOFU_API const char *kofu_diag_key(const kofu_diag *d, size_t i);
KOFU_API const char *kofu_diag_message(const kofu_diag *d, size_t i);
/* The item as the CLI prints it: "FILE: [section] key: message", followed
 * by " (line N)" / "（N行目）" when the line is known. malloc'd. */
KOFU_API char *kofu_diag_format(const kofu_diag *d, size_t i);

/* ------------------------------------------------------------------------ */
/* Rule data                                                                 */

typedef struct kofu_rules kofu_rules;

/* The rule data built into the library (the files of rules/ at build time). */
KOFU_API kofu_status kofu_rules_load_builtin(kofu_diag *diag, kofu_rules **out);
/* An edited copy: a directory holding one <measure>.params file per measure
 * and the bibliography sources.params (as written by kofu_rules_export).
 * Files missing from dir fall back to nothing: every file must be present,
 * as a regular file (a FIFO or a device is an error, never waited on), and
 * every other file (but hidden ones) is an error with the nearest known
 * name. Returns KOFU_ERULES with items in diag when a file is malformed, a
 * value lacks its source or cites one the bibliography does not hold, is
 * out of the bounds of its kind, or a source lacks what identifies it.
 * Evaluations with such rules name the files read in their traces and raise
 * the warning rules_edited, listing every parameter whose values differ
 * from the built-in data. */
KOFU_API kofu_status kofu_rules_load_dir(const char *dir, kofu_diag *diag, kofu_rules **out);
/* Writes the built-in rule files into dir (created if missing), each as a
 * new temporary file (O_CREAT|O_EXCL|O_NOFOLLOW) renamed into place, so a
 * link planted in dir is replaced, never written through. A directory that
 * holds anything is refused (KOFU_EUSAGE, nothing written) unless flags has
 * KOFU_EXPORT_FORCE: an edited copy is not overwritten by accident.
 * KOFU_EIO with the cause in diag when a file cannot be written. */
#define KOFU_EXPORT_FORCE 0x1u
KOFU_API kofu_status kofu_rules_export_opts(const char *dir, unsigned flags, kofu_diag *diag);
/* kofu_rules_export_opts(dir, 0, diag). */
KOFU_API kofu_status kofu_rules_export(const char *dir, kofu_diag *diag);
KOFU_API void kofu_rules_free(kofu_rules **rules);

/* Which rule data these are, as every result's meta.rules states it:
 * origin "builtin" (the copy built into the library) or "directory"; path
 * the directory as given to kofu_rules_load_dir, NULL for the built-in data;
 * digest 64 lowercase hex digits of SHA-256 over every file the loader read:
 * the SHA-256 of the lines "<sha256 of the file>  <file name>\n" in byte
 * order of the names, which is what `sha256sum` prints, so that in a
 * directory holding just those files
 *     LC_ALL=C sha256sum $(LC_ALL=C ls) | sha256sum
 * gives the same digits. An exported, unedited copy has the built-in digest.
 * The strings live as long as rules. */
KOFU_API const char *kofu_rules_origin(const kofu_rules *rules);
KOFU_API const char *kofu_rules_path(const kofu_rules *rules);
KOFU_API const char *kofu_rules_digest(const kofu_rules *rules);

/* A listing of the parameters in force in fiscal year fy (or all dated
 * values when fy is 0), as a kofu_node array of objects with keys
 * measure, name, label, from_fy, value, unit, status, confirmed_through,
 * source (every citation, for people), source_id and locator (the main
 * citation), confirmed_by and confirmed_by_kind (the source that confirms
 * the value through confirmed_through, and its kind; absent when never
 * confirmed), file (the rule file read). Owned by the caller: free with
 * kofu_node_free. */
KOFU_API kofu_status kofu_rules_list(const kofu_rules *rules, int fy, kofu_lang lang,
                            kofu_node **out);
/* The bibliography the rule data and the formulas cite (rules/sources.params
 * or DIR/sources.params), in file order: a kofu_node array of objects with
 * keys id, kind (法律 省令 告示 通知 要綱 説明資料 二次資料 kofu), title,
 * citation (the source as people cite it) and, when known, issuer, date,
 * number, as_of, amended_by, edition, url, doc, note. Owned by the caller:
 * free with kofu_node_free. */
KOFU_API kofu_status kofu_rules_sources(const kofu_rules *rules, kofu_lang lang, kofu_node **out);

/* ------------------------------------------------------------------------ */
/* Case files                                                                */

typedef struct kofu_case kofu_case;

/* Loads and validates a case file (its format: `kofu help case`). On
 * KOFU_ECASE every problem found is in diag (not just the first) and *out is
 * NULL. Messages name the file by `path` as given. */
KOFU_API kofu_status kofu_case_load_file(const kofu_rules *rules, const char *path,
                                kofu_diag *diag, kofu_case **out);
/* Same, for `name` relative to the directory open at dirfd (AT_FDCWD for
 * the working directory), shown as display_name in messages: a walker that
 * holds a directory open can load a file whose full path is longer than
 * PATH_MAX. dirfd stays the caller's. */
KOFU_API kofu_status kofu_case_load_at(const kofu_rules *rules, int dirfd, const char *name,
                              const char *display_name, kofu_diag *diag, kofu_case **out);
/* Same, from memory (the bytes need not be NUL-terminated); `display_name`
 * is the name messages give the file (the path as the user typed it). */
KOFU_API kofu_status kofu_case_load_buffer(const kofu_rules *rules, const char *display_name,
                                  const char *bytes, size_t len,
                                  kofu_diag *diag, kofu_case **out);
/* Replaces (or adds) the value of section.key, e.g. "cooperative.utilization"
 * = "75%", validating it as the loader would. Used by `kofu sweep`. The
 * section "a.b.c" is the section whose name is everything before the last dot. */
KOFU_API kofu_status kofu_case_set(kofu_case *c, const char *section_dot_key,
                          const char *value, kofu_diag *diag);
/* Sets n values at once (keys[i] = values[i], as kofu_case_set), then checks
 * the meaning of the case once, with every new value in place: a grid sweep
 * over two keys that depend on each other (hours dispatched and scheduled)
 * judges each point on its own values, never on the previous point's.
 * values[i] NULL removes the key (as if the file never gave it; a required
 * key cannot be removed). "case.fiscal_year" changes the fiscal year (the
 * only key of [case] that may change): the measures are then checked, and
 * computed, under that year's rule data. */
KOFU_API kofu_status kofu_case_set_many(kofu_case *c, size_t n, const char *const *section_dot_keys,
                               const char *const *values, kofu_diag *diag);
KOFU_API void kofu_case_free(kofu_case **c);
/* The measure sections of the case ("cooperative", "cooperative.worker.a"),
 * as written, in file order: i < kofu_case_section_count(). NULL otherwise. */
KOFU_API size_t kofu_case_section_count(const kofu_case *c);
KOFU_API const char *kofu_case_section_name(const kofu_case *c, size_t i);
/* The value of section.key as it stands (after any kofu_case_set): a number
 * as its exact text ("20000000", "0.78", "1800.5"), other types as written;
 * "case.fiscal_year" gives the Western year ("2025"). malloc'd; NULL when the
 * key is absent. */
KOFU_API char *kofu_case_value(const kofu_case *c, const char *section_dot_key);
/* A new case built from c as it stands: its sections and values, without the
 * sections named in drop[] and with, after the others, a copy of section
 * copy_from[i] named copy_to[i] (a sweep adding workers copies one). The new
 * case is validated as a file would be (errors in diag) and is independent
 * of c. Returns KOFU_EUSAGE when copy_from[i] is no section of c. */
KOFU_API kofu_status kofu_case_derive(const kofu_case *c, size_t n_drop, const char *const *drop,
                             size_t n_copy, const char *const *copy_from,
                             const char *const *copy_to, kofu_diag *diag, kofu_case **out);
KOFU_API const char *kofu_case_id(const kofu_case *c);
KOFU_API const char *kofu_case_file(const kofu_case *c);
/* The optional display name ([case] name), "" when not given. */
KOFU_API const char *kofu_case_name(const kofu_case *c);
KOFU_API int kofu_case_fiscal_year(const kofu_case *c);

/* ------------------------------------------------------------------------ */
/* Evaluation and results                                                    */

typedef struct kofu_result kofu_result;

typedef struct kofu_eval_options {
    kofu_lang lang;   /* language of warnings and labels in the result     */
    bool no_trace;    /* skip recording trace steps (sweeps, benchmarks)   */
    /* Skip the report lines for people (kofu_result_report is then an empty
     * object): a run that prints only JSON has no use for them. no_trace
     * skips them too. */
    bool no_report;
    /* In a run over several files (check, batch): the file that first used
     * this case's id (FILE, or FILE:ROW for a case table's case), or NULL.
     * Raises the finding duplicate_case_id naming it. Not copied: must live
     * until kofu_evaluate returns. */
    const char *duplicate_of;
    /* The time stamped into meta.computed_at, in seconds since the Unix
     * epoch; 0: kofu_clock() at each evaluation. A program evaluating many
     * cases takes kofu_clock() once and sets it, so that every result of one
     * run carries the same time. */
    int64_t computed_at;
} kofu_eval_options;

/* Now, for meta.computed_at: the environment variable SOURCE_DATE_EPOCH when
 * it is set (a decimal number of seconds since the Unix epoch, as
 * reproducible-builds.org defines it), so that reports can be reproduced
 * byte for byte; else the system clock. KOFU_EUSAGE when SOURCE_DATE_EPOCH
 * is set but not such a number, with a message in diag (not ignored: a report
 * would silently carry the wrong date). diag may be NULL. */
KOFU_API kofu_status kofu_clock(kofu_diag *diag, int64_t *now);
/* "2026-12-01T17:00:00+09:00": t as ISO 8601 in Japan Standard Time, the
 * form of meta.computed_at; snprintf-like (the full form takes 25 bytes). */
KOFU_API size_t kofu_time_format(int64_t t, char *buf, size_t cap);

/* Computes every measure of the case. Returns KOFU_ECASE when the case is
 * valid in form but cannot be computed (a measure not open to the entity, a
 * fiscal year before a parameter's first value), KOFU_ERULES when rule data is
 * inconsistent with a measure; the reasons are in diag. */
KOFU_API kofu_status kofu_evaluate(const kofu_rules *rules, const kofu_case *c,
                          const kofu_eval_options *opt, kofu_diag *diag,
                          kofu_result **out);
KOFU_API void kofu_result_free(kofu_result **r);
/* The result as the object of the output contract (format kofu-result/1:
 * docs/output.md, schema/kofu-result.schema.json). Its
 * member meta says what made it: {kofu_version, computed_at (ISO 8601, JST),
 * rules: {origin, path (string, or absent for the built-in data),
 * sha256}} — see kofu_rules_origin.
 * Its "findings" array (always present, empty when none) lists the
 * conditions under which a claim is unsupported or breaks a rule, each
 * {code, measure, subject, message, rule, source}: code single_employer_over_80
 * (subject: the worker; one business took more than 80% of the worker's
 * dispatched hours), utilization_assumed (utilization neither given nor
 * derivable from hours: 100% was assumed), duplicate_case_id (subject: the
 * file that first used the id; see kofu_eval_options.duplicate_of). rule is
 * the rule broken with the case's figures, source its citation; message is
 * in the language of the evaluation. */
KOFU_API const kofu_node *kofu_result_root(const kofu_result *r);

/* true when the amounts of `measure` (a measure's name) in this result rest
 * on something provisional: a rule value no source confirms (warning
 * parameter_provisional) or a provisional reading that changed them
 * (taper_provisional, cap_basis_provisional). Reports mark them 【暫定】. */
KOFU_API bool kofu_result_provisional(const kofu_result *r, const char *measure);

/* The measures' reports for people, used by text output: an object keyed by
 * measure (or component) name, each an array of lines {indent (int), label
 * (string), amount (int, optional), value (string, optional), note (string,
 * optional)}, in the language of the evaluation. Measures without a report
 * are absent. Never NULL for a result. */
KOFU_API const kofu_node *kofu_result_report(const kofu_result *r);

/* Checks the case's [claim] entries against the result: an array node of
 * objects {key, line, claimed, computed, difference, steps}, in file order.
 * difference = claimed − computed (positive: more was claimed than is due).
 * computed and difference are absent when the result has no such amount
 * (one the case cannot determine): such a claim never matches. steps: the
 * trace entries behind the computed amount — the steps of its measure up to
 * the last one producing it, after those of the component the measure
 * requires; for a total, the same for each measure contributing to it.
 * terms (totals.* claims only): the amounts the total sums, each {key
 * ("cooperative.special_tax_grant"), amount, step (the trace entry that
 * produced it)}. diagnosis and explanation (a claim that differs, when one
 * applies): the code double, half, rounding_mode, before_rounding,
 * before_cap or digits_swapped, and a one-line explanation in the language
 * of the evaluation naming the step concerned; for a total, the slip is
 * looked for in each amount it sums.
 * Caller frees with kofu_node_free. */
KOFU_API kofu_status kofu_result_check_claims(const kofu_result *r, const kofu_case *c,
                                     kofu_node **out);

/* ------------------------------------------------------------------------ */
/* Result nodes: a small JSON-like read-only tree.                           */

typedef enum kofu_node_kind {
    KOFU_NODE_OBJECT,
    KOFU_NODE_ARRAY,
    KOFU_NODE_INT,     /* an amount in yen (or a year, a count)            */
    KOFU_NODE_DECIMAL, /* an exact decimal or fraction, as a string "7/12" */
    KOFU_NODE_STRING,
    KOFU_NODE_BOOL,
    KOFU_NODE_NULL     /* JSON null: a member that is known to be empty    */
} kofu_node_kind;

KOFU_API kofu_node_kind kofu_node_type(const kofu_node *n);
/* Number of members (object) or elements (array); 0 otherwise. */
KOFU_API size_t kofu_node_size(const kofu_node *n);
/* Element i of an array or member i of an object (in insertion order). */
KOFU_API const kofu_node *kofu_node_at(const kofu_node *n, size_t i);
/* Member name i of an object; NULL otherwise. */
KOFU_API const char *kofu_node_key_at(const kofu_node *n, size_t i);
/* Member by name; NULL when absent or n is not an object. A dotted path
 * "measures.network.grant" walks nested objects. */
KOFU_API const kofu_node *kofu_node_get(const kofu_node *n, const char *path);
KOFU_API int64_t kofu_node_int(const kofu_node *n);      /* 0 unless INT            */
KOFU_API const char *kofu_node_str(const kofu_node *n);  /* DECIMAL or STRING; else "" */
KOFU_API size_t kofu_node_str_len(const kofu_node *n); /* strlen(kofu_node_str(n)), kept */
KOFU_API bool kofu_node_bool(const kofu_node *n);        /* false unless BOOL       */
KOFU_API void kofu_node_free(kofu_node **n);

/* ------------------------------------------------------------------------ */
/* Rendering: one writer per format, shared by the command and the server.   */

/* A growable byte buffer that renderers append to. Start from
 * (kofu_buf){0}; data is NUL-terminated once anything was written (NULL
 * before). An allocation failure is remembered in `failed`, after which
 * appends do nothing: check it once at the end. Release with kofu_buf_free
 * (data is malloc'd: a caller may also take it and free() it). */
typedef struct kofu_buf {
    char *data;
    size_t len, cap;
    bool failed;
} kofu_buf;
KOFU_API void kofu_buf_putn(kofu_buf *b, const char *s, size_t n);
KOFU_API void kofu_buf_puts(kofu_buf *b, const char *s);
KOFU_API void kofu_buf_putc(kofu_buf *b, char c);
/* A decimal integer ("-1234"). */
KOFU_API void kofu_buf_put_int(kofu_buf *b, int64_t v);
KOFU_API void kofu_buf_free(kofu_buf *b);

/* The JSON text of a node: pretty (tab-indented, as `kofu calc --format
 * json` prints it) or compact (one line, no blanks). Amounts are JSON
 * integers, exact decimals and fractions JSON strings. malloc'd; NULL when
 * n is NULL or memory ran out. */
KOFU_API char *kofu_json(const kofu_node *n, bool pretty);
/* Appends the compact JSON of n to b: byte for byte kofu_json(n, false). */
KOFU_API void kofu_json_append(kofu_buf *b, const kofu_node *n);
/* Appends s as a JSON string literal (quotes included): `"` and `\`
 * escaped, \b \f \n \r \t by name, other bytes below 0x20 as \u00xx,
 * everything else (UTF-8 included) as it is. */
KOFU_API void kofu_json_string(kofu_buf *b, const char *s);

/* ------------------------------------------------------------------------ */
/* Sweeps (`kofu sweep`)                                                     */

/* Expands a range "FROM:TO:STEP" into the exact values FROM, FROM + STEP, ...
 * up to TO (TO itself when it lies on the grid; otherwise the last value
 * before it). Each part is a decimal with an optional unit — %, 千円, 万円,
 * 円 — and every value is written in FROM's notation, ready for
 * kofu_case_set: "50%:100%:5%" → "50%", "55%", ..., "80%", ..., "100%";
 * "1000千円:1200千円:100千円" → "1000千円", "1100千円", "1200千円";
 * "2:10:1" → "2", ..., "10". Arithmetic is exact: 0.5 + 9 × 0.05 is 0.95.
 * A descending range needs a negative step. On success *values is a malloc'd
 * array of *count malloc'd strings (free with kofu_range_free). Returns
 * KOFU_EUSAGE, with one message in diag, for a malformed range, a step of 0,
 * a step going away from TO, a mix of % and yen, or more than 10,000 values. */
KOFU_API kofu_status kofu_range_expand(const char *range, kofu_diag *diag, char ***values,
                              size_t *count);
KOFU_API void kofu_range_free(char ***values, size_t count);

/* The amounts a sweep shows when the user does not choose (--show): for each
 * measure, those it marks for sweeps (the cooperative: utilization,
 * personnel_cap, eligible_cost, national_grant, ...), else its headline
 * amounts. Index i < kofu_sweep_column_count(); they name
 * measures.<measure>.<amount> of a result. */
KOFU_API size_t kofu_sweep_column_count(void);
KOFU_API void kofu_sweep_column_at(size_t i, const char **measure, const char **amount);
/* Column headings for the amounts names[0..n) ("measure.amount",
 * "fiscal_capacity.index", "totals.national_grant") as sweeps show them in
 * text, CSV and the server's answers: each amount's label, followed by its
 * measure's label where two headings would otherwise read the same
 * ("特別交付税（地域運営組織の形成支援）"); the name itself when it has no
 * label. headings[i] is malloc'd (the caller frees each; NULL when memory
 * runs out). */
KOFU_API void kofu_amount_headings(const char *const *names, size_t n, kofu_lang lang,
                                   char **headings);
/* true when "measure.amount" names an output of a measure (or is
 * totals.special_tax_grant / totals.national_grant). */
KOFU_API bool kofu_output_known(const char *dotted_name);

/* ------------------------------------------------------------------------ */
/* Labels and schema, for help text, renderers and documentation.            */

/* Japanese or English label of a result field, measure or input key, looked
 * up by its dotted name: "network", "network.grant", "cooperative.utilization",
 * "fiscal_capacity.index", "totals.special_tax_grant". NULL when unknown. */
KOFU_API const char *kofu_label(const char *dotted_name, kofu_lang lang);

/* An exact ratio of a result ("0.75", "49/60", "625/816") written for people:
 * a terminating decimal stays exact ("0.75", or "75%" when `percent`), any
 * other is truncated to 4 decimals, or 2 decimals of a percentage, and marked
 * with "…" ("0.8166…", "76.59…%"). Text that is not an exact number is copied
 * as is. Writes into buf like snprintf and returns the length it needed. The
 * exact fraction stays in the result tree (JSON). */
KOFU_API size_t kofu_ratio_display(const char *exact, bool percent, char *buf, size_t cap);

/* The exact text of numer/denom ("0.25", "-1/3", "7/12" in lowest terms), as
 * a result writes a ratio; "" when denom is 0. snprintf-like. Used for the
 * change ratios of `kofu compare`. */
KOFU_API size_t kofu_fraction_text(int64_t numer, int64_t denom, char *buf, size_t cap);

/* The headline amounts of every measure, in the order of the measures: the
 * amount columns of CSV output. Index i < kofu_headline_count(); *measure and
 * *amount name measures.<measure>.<amount> of a result. */
KOFU_API size_t kofu_headline_count(void);
KOFU_API void kofu_headline_at(size_t i, const char **measure, const char **amount);

/* The schema of every section and key a case file may hold, as a node array
 * of {section, key, type, required, min (optional), max (optional), label_ja,
 * label_en, measure, section_label_ja and section_label_en (when the section
 * has labels)}. Caller frees. */
KOFU_API kofu_status kofu_schema(kofu_node **out);

/* Every amount a measure's result object may hold, in the order of the
 * measures: a node array of {measure, name, label_ja, label_en, claimable,
 * headline}; measures.<measure>.<name> of a result. Caller frees. */
KOFU_API kofu_status kofu_outputs(kofu_node **out);

#ifdef __cplusplus
}
#endif
#endif
