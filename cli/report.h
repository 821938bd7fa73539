/*
 * report.h — what the reports for people (text, HTML, compare) share: how an
 * amount, a year, a ratio and a result's items are shown, so that the screen,
 * the printed page and the comparison say the same thing the same way.
 */
#ifndef KOFU_CLI_REPORT_H
#define KOFU_CLI_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kofu/kofu.h"

/* How a report is shown: language, the full calculation or only the
 * headline, and the unit of amounts (1 yen or 1,000 yen). */
typedef struct report_opts {
    kofu_lang lang;
    bool trace;
    int64_t unit; /* 1 or 1000 */
} report_opts;

/* "5,404,000円", "5,404千円", "3,500.5千円", "△150,000円" (Japanese),
 * "-150,000 yen", "5,404 thousand yen" (English). Exact: a unit of 千円 on an
 * amount that is not a whole number of thousands keeps its decimals. */
const char *report_amount(int64_t v, const report_opts *o, char *buf, size_t cap);
/* The same, without the unit (table cells whose header names it). */
const char *report_amount_bare(int64_t v, const report_opts *o, char *buf, size_t cap);
/* "千円" / "円" / "thousand yen" / "yen". */
const char *report_unit_name(const report_opts *o);
/* "令和7年度（2025年度）" / "FY2025 (R7)". */
const char *report_year(int fy, kofu_lang lang, char *buf, size_t cap);
/* "市町村" / "municipality" from the result's entity. */
const char *report_entity(const char *entity, kofu_lang lang);
/* A value of the result for people: a ratio as a decimal or, for a
 * utilization, a percentage ("81.81…%"); integers grouped ("1,234"); other
 * text as is. `key` is the member or step name the value belongs to. */
const char *report_value(const char *key, const char *exact, char *buf, size_t cap);

/* The organizations, projects or workers of a measure's result: members
 * that are arrays of objects with an "id" (not violations). */
bool report_is_item_list(const char *key, const kofu_node *v);
/* What an item is called: its name when the case gave one, else its id
 * ("（無名）" / "(unnamed)" for the unsuffixed section). */
const char *report_item_title(const kofu_node *item, kofu_lang lang);
/* The amount that stands for an item (its grant, else its eligible cost,
 * ...); NULL when it has none. *key receives the member name. */
const kofu_node *report_item_amount(const kofu_node *item, const char **key);
/* The amount lines of measure `name`'s block (result object m), as every
 * report lists them: each headline amount, then each organization's,
 * project's or worker's amount titled "kita（対象経費）" (an item alone,
 * without id or name, is left out: the measure's own line says it).
 * line(ctx, item, label, amount) is called for each, in order. */
typedef void (*report_amount_line)(void *ctx, bool item, const char *label, int64_t amount);
void report_measure_amounts(const char *name, const kofu_node *m, kofu_lang lang,
                            report_amount_line line, void *ctx);
/* Label of measure.key ("特別交付税"), the key itself when unknown. */
const char *report_label(const char *measure, const char *key, kofu_lang lang, char *buf,
                         size_t cap);

/* The short label of an item's amount ("対象経費", "経費", "交付金額"). */
const char *report_item_label(const char *measure, const char *key, kofu_lang lang, char *buf,
                              size_t cap);

/* The meta stamp in one line: "kofu 0.2.0 ・ ルール: 組み込み（sha256 1a2b3c4d…）・
 * 計算日時 2026-12-01T17:00:00+09:00"; false (buf "") when the result has no
 * meta. */
bool report_stamp(const kofu_node *root, kofu_lang lang, char *buf, size_t cap);

#endif
