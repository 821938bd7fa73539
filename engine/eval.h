/*
 * eval.h — what a measure's evaluate() may use.
 *
 * Every number a measure computes lives in the evaluation's arena (ev_num)
 * and is released when the evaluation ends, so formula code never frees.
 * Every amount that reaches the output is computed by a traced operation
 * (ev_min, ev_sum, ev_round, ev_case_value…), which records it in the trace
 * with the rule it applied and its source; parameters
 * read with ev_param()/ev_table() are traced with their fiscal year, status
 * and source automatically. A reader can therefore recompute every yen of the
 * output by hand from the trace.
 *
 * Step names are "<measure>.<name>" or, for per-section values,
 * "<measure>[<id>].<name>"; the measure prefix is added by the engine.
 */
#ifndef KOFU_ENGINE_EVAL_H
#define KOFU_ENGINE_EVAL_H

#include "measure.h"
#include "node.h"
#include "num.h"

/* ---- the case ----------------------------------------------------------- */

int ev_fiscal_year(const kofu_eval *ev);
kofu_entity ev_entity(const kofu_eval *ev);
kofu_lang ev_lang(const kofu_eval *ev);
/* Sections of this measure whose definition is `def_name` ("network",
 * "cooperative.worker"), in file order. */
size_t ev_count(const kofu_eval *ev, const char *def_name);
const case_section *ev_section(const kofu_eval *ev, const char *def_name, size_t i);

/* ---- numbers ------------------------------------------------------------ */

/* A fresh number (0) owned by the evaluation. NULL only on OOM, which the
 * engine then reports; num functions accept no NULL, so measures check the
 * result of ev_ok() before outputting (see rules/network.c). */
kofu_num *ev_num(kofu_eval *ev);
kofu_num *ev_int(kofu_eval *ev, int64_t v);
kofu_num *ev_copy(kofu_eval *ev, const kofu_num *v);

/* ---- rule data ---------------------------------------------------------- */

/* The value of parameter `name` of this measure in force in the case's fiscal
 * year. Traced as a step named after the parameter (with `scope` prefixed
 * when not NULL, e.g. an organization id). Raises parameter_carried_forward
 * (once per parameter) when the year is after its last confirmation. */
const kofu_num *ev_param(kofu_eval *ev, const char *scope, const char *name);
/* A table parameter applied to x (interpolation and rounding as the data
 * say). Traced with the input and the table. */
const kofu_num *ev_table(kofu_eval *ev, const char *scope, const char *name,
                         const kofu_num *x);
/* The same table's value at x before the table's own rounding (for reports
 * that show "0.8166… → 0.82"); not traced, no warning. */
const kofu_num *ev_table_unrounded(kofu_eval *ev, const char *name, const kofu_num *x);
/* A choice parameter: the word in force ("pooled"), traced like ev_param
 * (the step's value is the word's index, the rule names the word). */
const char *ev_param_choice(kofu_eval *ev, const char *scope, const char *name);
/* true when the value of `name` in force is marked provisional. */
bool ev_param_provisional(kofu_eval *ev, const char *name);

/* ---- trace -------------------------------------------------------------- */

/* Every step of the trace is recorded by one of the operations below, which
 * write its rule from what they do and from their operands' names, so the
 * explanation is the computation itself ("min(eligible_cost, cap)") and
 * cannot drift from it: a measure never passes a rule text of its own
 * (tests/trace/check_rules.py recomputes every step from its rule).
 * `source` is a citation "<id> <locator>" of the bibliography listed in the
 * measure's citations (NULL: the measure's own source); steps that read the
 * case cite its file and line. scope may be NULL. Without a trace the
 * operations only compute: nothing is formatted. */

/* The text for people of a citation "<id> <locator>" of the bibliography
 * (for report lines that name their source); owned by the evaluation, ""
 * when not tracing. */
const char *ev_cite(kofu_eval *ev, const char *citation);

/* Rounds x by `how` into a new number and records the step, with x's exact
 * value as the argument ("floor_1000(2750000)", which kofu check reads). */
const kofu_num *ev_round(kofu_eval *ev, const char *scope, const char *name,
                         const kofu_num *x, num_rounding how, const char *source);

/* ---- traced arithmetic -------------------------------------------------- */

/* An operand: its value and its name in the trace, a step or parameter of
 * the same scope or of the measure ("cap"), of another section of the
 * measure (EV_TS: "[a].expenses"), or a number written as such ("12"). */
typedef struct ev_term {
    const kofu_num *v;       /* NULL: absent (left out of a sum)            */
    const char *name;
    const char *scope;       /* NULL, or the section id written "[id]."     */
} ev_term;
#define EV_T(value, trace_name) ((ev_term){(value), (trace_name), NULL})
#define EV_TS(value, section_id, trace_name) ((ev_term){(value), (trace_name), (section_id)})

/* Each computes a new number (owned by the evaluation) and records step
 * `scope`.`name` with the rule shown. */
/* min(a, b) */
const kofu_num *ev_min(kofu_eval *ev, const char *scope, const char *name, ev_term a, ev_term b,
                       const char *source);
/* max(a, b) */
const kofu_num *ev_max(kofu_eval *ev, const char *scope, const char *name, ev_term a, ev_term b,
                       const char *source);
/* a - b */
const kofu_num *ev_sub(kofu_eval *ev, const char *scope, const char *name, ev_term a, ev_term b,
                       const char *source);
/* max(0, a - b): what a leaves over b, never negative. */
const kofu_num *ev_excess(kofu_eval *ev, const char *scope, const char *name, ev_term a,
                          ev_term b, const char *source);
/* a × b */
const kofu_num *ev_mul(kofu_eval *ev, const char *scope, const char *name, ev_term a, ev_term b,
                       const char *source);
/* a × b × … [÷ d]: the n factors, divided by `divisor` when its v is not
 * NULL (not 0: the schema's bounds guarantee it). */
const kofu_num *ev_product(kofu_eval *ev, const char *scope, const char *name,
                           const ev_term *factors, size_t n, ev_term divisor, const char *source);
/* min(a, b) × f: an amount held to its cap, times a rate. */
const kofu_num *ev_min_mul(kofu_eval *ev, const char *scope, const char *name, ev_term a,
                           ev_term b, ev_term f, const char *source);
/* a ÷ b; b must not be 0 (the schema's bounds guarantee it). */
const kofu_num *ev_div(kofu_eval *ev, const char *scope, const char *name, ev_term a, ev_term b,
                       const char *source);
/* a + b + …: the terms given (v not NULL), "0" when none. */
const kofu_num *ev_sum(kofu_eval *ev, const char *scope, const char *name, const ev_term *terms,
                       size_t n, const char *source);
/* Records `total`, accumulated by the caller over the measure's sections,
 * as "各事業の grant の合計" / "sum of the projects' grant": the sum of the
 * steps `of` of every section that has one. */
void ev_sum_over(kofu_eval *ev, const char *scope, const char *name, const kofu_num *total,
                 const char *items_ja, const char *items_en, const char *of, const char *source);
/* a under another name (the rule is a's name): a value another step or
 * measure computed, applied here ("fiscal_capacity.rate"). Returns a.v. */
const kofu_num *ev_let(kofu_eval *ev, const char *scope, const char *name, ev_term a,
                       const char *source);

/* ---- reading the case --------------------------------------------------- */

/* The value of `key` in section s, traced as step `key` with its place in
 * the case file ("[cooperative] secretariat_cost"); when absent, `dflt`
 * (traced as "[s] key（指定なし: dflt_name）"), or NULL when dflt is NULL. */
const kofu_num *ev_case_value(kofu_eval *ev, const case_section *s, const char *scope,
                              const char *key, const kofu_num *dflt, const char *dflt_name);
/* The same, recorded as step `name` ("worker_years" read from "workers"). */
const kofu_num *ev_case_value_as(kofu_eval *ev, const case_section *s, const char *scope,
                                 const char *name, const char *key, const kofu_num *dflt,
                                 const char *dflt_name);
/* `months`, the months from the month written in `key` of s through March,
 * the end of the fiscal year, traced as step `name` with that month. */
void ev_case_months_to_march(kofu_eval *ev, const case_section *s, const char *scope,
                             const char *name, const char *key, const kofu_num *months);
/* Records step `name` = 0 because of key of s: "0（[s] key = yes）" when it
 * is given, "0（[s] key の指定なし）" when not. Returns 0. */
const kofu_num *ev_case_zero(kofu_eval *ev, const case_section *s, const char *scope,
                             const char *name, const char *key, const char *source);

/* ---- warnings ----------------------------------------------------------- */

/* code: one of the stable warning codes (schema/kofu-result.schema.json). */
void ev_warn(kofu_eval *ev, const char *code, const char *fmt_ja,
             const char *fmt_en, ...) KOFU_PRINTF2(3, 5);
#define ev_warn(ev, code, ja, en, ...)                                                              \
    (KOFU_CHECK_EN(en, ##__VA_ARGS__), ev_warn(ev, code, ja, en, ##__VA_ARGS__))

/* ---- findings ----------------------------------------------------------- */

/* Raises a finding (the result's "findings", see kofu.h): a condition under
 * which the claim is unsupported or breaks a rule, which an auditor must see
 * even when every amount matches. code: a stable code (a string literal);
 * subject: the worker, organization or project it concerns ("" for the
 * measure as a whole); rule: the rule broken, in the step names of the trace
 * and with the case's figures; its citation is the source of parameter
 * `param` of this measure (NULL: the measure's source). Recorded with or
 * without a trace. */
void ev_finding(kofu_eval *ev, const char *code, const char *subject, const char *param,
                const char *rule, const char *fmt_ja, const char *fmt_en, ...) KOFU_PRINTF2(6, 8);

/* ---- output ------------------------------------------------------------- */

/* The measure's result object (measures.<name>, or the top-level object of a
 * component). */
kofu_node *ev_out(kofu_eval *ev);
/* The arena of the result's nodes: every node a measure makes comes from it
 * (node_object(ev_nodes(ev)), …), so a result is a few blocks, freed at once. */
node_arena *ev_nodes(kofu_eval *ev);
/* Puts an amount (must be an integer) / an exact decimal into obj. `key` is
 * kept by reference: a string literal (as every measure writes it). */
void ev_put_amount(kofu_eval *ev, kofu_node *obj, const char *key, const kofu_num *v);
void ev_put_decimal(kofu_eval *ev, kofu_node *obj, const char *key, const kofu_num *v);
/* Puts the section's `name` (the town's own name for an organization, a
 * project or a worker) into obj when the case gives one. */
void ev_put_name(kofu_eval *ev, kofu_node *obj, const case_section *s);
/* What the reports call a section: its name, else its id ("" for the
 * unsuffixed section). */
const char *ev_section_title(const case_section *s);

/* A line of the measure's report for people (the text output), in the
 * evaluation's language: `label`, then the amount (yen) when `amount` is not
 * NULL, then a note (printf format, may be NULL). indent 0 is a heading.
 * Without report lines the text output lists the measure's fields. Not
 * recorded when options.no_trace is set. */
void ev_report(kofu_eval *ev, int indent, const char *label, const kofu_num *amount,
               const char *note_fmt, ...) KOFU_PRINTF2(5, 6);

/* Like ev_report, but `value` is a ratio or index shown as an exact decimal
 * (never as yen, even when it is a whole number such as a factor of 1). */
void ev_report_value(kofu_eval *ev, int indent, const char *label, const kofu_num *value,
                     const char *note_fmt, ...) KOFU_PRINTF2(5, 6);

/* A component's output for the measures that require it: a struct declared
 * in the component's rules/<name>.h (fiscal_capacity_out), copied by the
 * engine (at most EV_PUBLISH_MAX bytes). Numbers it points to must live as
 * long as the evaluation (ev_num, ev_param). */
#define EV_PUBLISH_MAX 128
void ev_publish(kofu_eval *ev, const void *out, size_t size);
/* What the component named `component` published in this evaluation, or
 * NULL when it did not run; cast to the component's struct. */
const void *ev_published(const kofu_eval *ev, const char *component);

/* Signals a condition the measure cannot compute (returns KOFU_ECASE after
 * adding a diag item naming the section/key). */
kofu_status ev_error(kofu_eval *ev, const case_section *s, const char *key,
                     const char *fmt_ja, const char *fmt_en, ...) KOFU_PRINTF2(4, 6);
#define ev_error(ev, s, key, ja, en, ...)                                                           \
    (KOFU_CHECK_EN(en, ##__VA_ARGS__), ev_error(ev, s, key, ja, en, ##__VA_ARGS__))

/* false once an allocation has failed in this evaluation. */
bool ev_ok(const kofu_eval *ev);

/* false when options.no_trace is set: neither trace nor report lines are
 * recorded, so a measure can skip formatting text nobody will read (sweeps
 * and benchmarks evaluate a case many times). */
bool ev_tracing(const kofu_eval *ev);

/* Picks the string for the evaluation's language. */
#define EV_TR(ev, ja, en) (ev_lang(ev) == KOFU_LANG_EN ? (en) : (ja))

#endif
