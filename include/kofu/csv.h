/*
 * csv.h — the CSV renderer of results, shared by `kofu calc`, `kofu batch`
 * and the web server (one renderer per format).
 *
 * A CSV file is kofu_csv_begin() once, then kofu_csv_case() per case. Both
 * append to a kofu_buf (a growable byte buffer) in the chosen encoding, so a
 * caller may build rows off a lock and write them in order (batch does).
 *
 * Columns (`rows = cases`, one row per case), by key:
 *   file, case, name, fiscal_year, fiscal_year_ja (令和7年度), entity, status,
 *   error, provisional (【暫定】 when a provisional or carried-forward rule
 *   value entered an amount), warnings, findings (codes, space-separated),
 *   claims, claims_mismatched, fiscal_capacity.index,
 *   fiscal_capacity.coefficient, totals.special_tax_grant,
 *   totals.national_grant, the measures' headline amounts
 *   (<measure>.<amount>, kofu_headline_at), cooperative.utilization,
 *   cooperative.balance, cooperative.break_even_hourly_fee (unless already a
 *   headline), meta.kofu_version, meta.computed_at, meta.rules.origin,
 *   meta.rules.sha256 (empty when the result carries no meta stamp).
 * `rows = items`: one row per organization, project or worker a measure
 * lists (measures.<m>.organizations / projects / workers): file, case,
 * name, fiscal_year, entity, status, error, measure, item, id, item_name,
 * then the item's amounts in fixed columns (eligible_cost, expenses, cap,
 * grant, remaining_cost, personnel_cost, personnel_cap, eligible_personnel,
 * months, hours_scheduled, hours_dispatched) and `other` (any further
 * member as key=value, so nothing is dropped). A case with no items gives
 * one row with the item columns empty; a failed case gives its error row.
 *
 * Headers: `keys` are the stable names above (for scripts); `ja`/`en` are
 * labels, and then entity and status values are words of that language too.
 * Non-terminating ratios ("9/11") are written exactly under `keys`; under
 * labels as "0.8181…（9/11）" so that a spreadsheet never reads them as a
 * date. Rows end in CRLF (RFC 4180).
 */
#ifndef KOFU_CSV_H
#define KOFU_CSV_H

#include "kofu/kofu.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Rows are appended to a kofu_buf (kofu.h). */

typedef enum kofu_csv_encoding {
    KOFU_CSV_UTF8_BOM = 0, /* Excel opens it by double-click (the default) */
    KOFU_CSV_UTF8,
    KOFU_CSV_CP932         /* Shift_JIS as Windows writes it (glibc iconv) */
} kofu_csv_encoding;

typedef enum kofu_csv_header {
    KOFU_CSV_HEADER_LANG = 0, /* labels in options.lang (the default)      */
    KOFU_CSV_HEADER_JA,
    KOFU_CSV_HEADER_EN,
    KOFU_CSV_HEADER_KEYS      /* stable machine names                      */
} kofu_csv_header;

typedef enum kofu_csv_rows { KOFU_CSV_ROWS_CASES = 0, KOFU_CSV_ROWS_ITEMS } kofu_csv_rows;

typedef struct kofu_csv_options {
    kofu_lang lang;             /* messages (encoding errors) and labels */
    kofu_csv_header header;
    kofu_csv_rows rows;
    kofu_csv_encoding encoding;
} kofu_csv_options;

/* Appends s as one CSV field (quoted when it holds , " CR or LF). */
KOFU_API void kofu_csv_field(kofu_buf *b, const char *s);

/* "utf-8-bom" / "utf-8" / "cp932" (also "utf8", "sjis", "shift_jis");
 * false when unknown. */
KOFU_API bool kofu_csv_encoding_parse(const char *s, kofu_csv_encoding *out);
/* "ja" / "en" / "keys"; false when unknown. */
KOFU_API bool kofu_csv_header_parse(const char *s, kofu_csv_header *out);
/* "cases" / "items"; false when unknown. */
KOFU_API bool kofu_csv_rows_parse(const char *s, kofu_csv_rows *out);

/* Appends the start of a file: the BOM (utf-8-bom) and the header row. */
KOFU_API kofu_status kofu_csv_begin(const kofu_csv_options *opt, kofu_buf *out, kofu_diag *diag);

/* Appends the row(s) of one case: `r` and `c` the computed case, or both
 * NULL and `error` the reason the case failed (an error row). `file` names
 * the input. *mismatched (may be NULL) receives the number of the case's
 * [claim] entries that differ from the computed amounts.
 * Returns KOFU_EIO with an item in diag, and appends nothing, when a
 * character cannot be written in CP932 (the message names the character,
 * its code point and the case file); KOFU_ENOMEM when out->failed. */
KOFU_API kofu_status kofu_csv_case(const kofu_csv_options *opt, kofu_buf *out, const char *file,
                          const kofu_result *r, const kofu_case *c, const char *error,
                          size_t *mismatched, kofu_diag *diag);

/* The number of [claim] entries of c that differ from r (n_claims, when not
 * NULL, receives the number of entries); 0 when r or c is NULL. */
KOFU_API size_t kofu_claims_mismatched(const kofu_result *r, const kofu_case *c, size_t *n_claims);

/* Sweeps (`kofu sweep --format csv`, the server's sweep download): one row
 * per point. Columns: each varied value (key `vary:SECTION.KEY`; for people
 * 「変えた値: 」/ "varied: " and its label), status, error, warnings (codes),
 * then the amounts (key: their names; for people the headings of
 * kofu_amount_headings, as the text table reads). Ratios are exact as in
 * kofu_csv_case. */
typedef struct kofu_csv_sweep {
    size_t n_vary;
    const char *const *vary;     /* SECTION.KEY of each varied value           */
    size_t n_columns;
    const char *const *columns;  /* "measure.amount", "fiscal_capacity.index",
                                    "totals.national_grant"                     */
} kofu_csv_sweep;

/* Appends the BOM (utf-8-bom) and the header row. */
KOFU_API kofu_status kofu_csv_sweep_begin(const kofu_csv_options *opt, const kofu_csv_sweep *sw,
                                          kofu_buf *out, kofu_diag *diag);
/* Appends the row of one point: values[i] the value vary[i] took; r the
 * result there, or NULL and `error` the reason the point failed. KOFU_EIO
 * (nothing appended) when CP932 cannot hold a character; KOFU_ENOMEM. */
KOFU_API kofu_status kofu_csv_sweep_point(const kofu_csv_options *opt, const kofu_csv_sweep *sw,
                                          kofu_buf *out, const char *const *values,
                                          const kofu_result *r, const char *error,
                                          kofu_diag *diag);

/* Converts out->data[from..] from UTF-8 to the encoding in place (nothing
 * to do for the UTF-8 encodings). KOFU_EIO with an item in diag naming the
 * character and `file` when CP932 cannot hold it; the bytes after `from`
 * are then removed. */
KOFU_API kofu_status kofu_csv_encode(kofu_csv_encoding enc, kofu_buf *out, size_t from,
                            const char *file, kofu_diag *diag);

#ifdef __cplusplus
}
#endif
#endif
