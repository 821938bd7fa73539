/*
 * xlsx.h — results as an Excel workbook (libxlsxwriter), for `kofu calc`,
 * `check`, `batch`, `sweep` and `rules` and the web server alike.
 *
 * A workbook is kofu_xlsx_open(), any number of kofu_xlsx_add_*() calls,
 * then kofu_xlsx_close(), which writes the file (through a temporary file in
 * the same directory, renamed at the end: a workbook that exists is whole).
 *
 * Sheets, in this order (a sheet appears only when something goes in it):
 *   ケース表 / cases    (template) a case table to fill in: kofu_xlsx_add_template
 *   概要 / Summary      one row per case: file, id, name, fiscal year, status,
 *                       【暫定】, warning and finding codes, fiscal capacity,
 *                       totals, every measure's headline amounts, the
 *                       founders' figures and the meta stamp
 *   <measure label>     one sheet per measure: per case a row of the
 *                       measure's own amounts (区分 合計), then one row per
 *                       organization, project or worker
 *   照合 / Claims       (check) each [claim] with claimed, computed, difference
 *   感度分析 / Sweep     (sweep) one row per point, the amounts of the measures
 *                       the case has, and for a cooperative a native chart: who
 *                       pays what (usage fees, 国, 市町村 net, 特別交付税)
 *                       stacked against the varied value, and the break-even
 *                       fee as a line on a secondary axis
 *   ルールデータ / Rules (rules) the parameters in force
 *   計算過程 / Trace     every trace step: value, rule, citation, status
 *   根拠 / Sources       the bibliography (kofu_xlsx_add_sources), each entry
 *                       with the number of trace steps citing it
 *   注意 / Notes         warnings and findings, with their messages
 * Amounts are numeric cells (exact yen) with a yen number format, or a
 * thousands format (千円) that keeps the yen value; exact decimals that
 * terminate are numbers, the others text holding the exact fraction. With
 * the same input and `created`, the bytes of the file are the same.
 */
#ifndef KOFU_XLSX_H
#define KOFU_XLSX_H

#include "kofu/kofu.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kofu_xlsx kofu_xlsx;

typedef struct kofu_xlsx_options {
    kofu_lang lang;   /* sheet names, headers and labels                  */
    bool thousands;   /* display amounts in 千円 (cells keep exact yen)    */
    int64_t created;  /* the workbook's creation time, seconds since the
                         epoch (the run's clock or SOURCE_DATE_EPOCH)       */
} kofu_xlsx_options;

/* Starts a workbook to be written to `path` at close. KOFU_EIO (with an
 * item in diag) when the temporary file cannot be created, or when
 * libxlsxwriter or libminizip cannot be loaded: they are opened (dlopen, by
 * the name their Debian packages install) on the first call, not linked, so
 * that programs not writing workbooks start without them; the item names the
 * library and the package to install. */
KOFU_API kofu_status kofu_xlsx_open(const char *path, const kofu_xlsx_options *opt, kofu_diag *diag,
                           kofu_xlsx **out);

/* A case: computed (r and c, error NULL) or failed (r and c NULL, error the
 * reason). `file` names the input. The trace goes to 計算過程 when r has one. */
KOFU_API kofu_status kofu_xlsx_add_case(kofu_xlsx *x, const char *file, const kofu_result *r,
                               const kofu_case *c, const char *error);

/* The bibliography (kofu_rules_sources) for 根拠: every entry, with the
 * number of trace steps citing it. Without it, 根拠 lists the sources the
 * trace steps cite. The node must live until kofu_xlsx_close. */
KOFU_API kofu_status kofu_xlsx_add_sources(kofu_xlsx *x, const kofu_node *bibliography);

/* `kofu check`: the claims of a case as kofu_result_check_claims gives them
 * (after kofu_xlsx_add_case of the same case). */
KOFU_API kofu_status kofu_xlsx_add_claims(kofu_xlsx *x, const char *file, const kofu_case *c,
                                 const kofu_node *claims);

/* `kofu rules`: the listing of kofu_rules_list. */
KOFU_API kofu_status kofu_xlsx_add_rules(kofu_xlsx *x, const kofu_node *list);

/* `kofu sweep`: one point, where keys[i] (SECTION.KEY) took values[i]
 * (n ≤ 2); r the result at that point, or NULL and error the reason. The
 * first point's keys name the columns. */
KOFU_API kofu_status kofu_xlsx_add_sweep_point(kofu_xlsx *x, size_t n, const char *const *keys,
                                      const char *const *values, const kofu_result *r,
                                      const char *error);

/* `kofu template --format xlsx`: a case table to fill in (docs/case-tables.md),
 * the sheet ケース表 / cases, first in the workbook. Row 1 holds the headers
 * "section.key（label）" as the CSV template writes them (a reader of case
 * tables drops the label), rows 2… the given cells; required columns are
 * shaded. Every column carries Excel data validation down the sheet, with
 * an input message (label, key, what to type, required) and an error
 * message in the workbook's language:
 *   amount       whole numbers ≥ min (0 when none) [≤ max]
 *   integer      whole numbers in [min (0), max]
 *   ratio        decimals ≥ min (0) [≤ max]; 75% typed in Excel is 0.75
 *   decimal      numbers ≥ min (0) [≤ max] with at most 2 decimals
 *   boolean      a list: はい/いいえ (yes/no in English)
 *   entity       a list: 市町村/道府県 (municipality/prefecture)
 *   fiscal_year  a whole year from first_fy to the last kofu reads, or text
 *                in an era's form (R7, 令和7年度, H30)
 *   text, id, the section column: the input message only.
 * Cell values are given as the CSV template writes them ("1,000,000",
 * "80%", "no", "R7"); numbers become numeric cells, yes/no, the entity and
 * the fiscal year are written in the workbook's language (令和7年度; the
 * Western year in English). */
typedef struct kofu_xlsx_column {
    const char *key;       /* "network.eligible_cost"; "section" for the section column */
    const char *label;     /* in the workbook's language (NULL: none)          */
    const char *type;      /* kofu_schema's type (NULL for the section column) */
    const char *min, *max; /* kofu_schema's bounds, or NULL                    */
    bool required;
} kofu_xlsx_column;

typedef struct kofu_xlsx_template {
    const kofu_xlsx_column *cols;
    size_t n_cols;
    const char *const *cells; /* n_rows × n_cols, row by row; NULL or "" empty */
    size_t n_rows;
    int first_fy;             /* the first fiscal year any chosen measure
                                 can be computed for                          */
} kofu_xlsx_template;

/* Adds the template sheet. Not copied: t and what it points to must live
 * until kofu_xlsx_close. KOFU_EUSAGE for a second template. */
KOFU_API kofu_status kofu_xlsx_add_template(kofu_xlsx *x, const kofu_xlsx_template *t);

/* Writes the workbook and frees x (also on failure, when the temporary file
 * is removed and nothing is left at the path). KOFU_EIO with an item in
 * diag when the file cannot be written. */
KOFU_API kofu_status kofu_xlsx_close(kofu_xlsx **x, kofu_diag *diag);
/* Frees x without writing anything (removes the temporary file). */
KOFU_API void kofu_xlsx_discard(kofu_xlsx **x);

#ifdef __cplusplus
}
#endif
#endif
