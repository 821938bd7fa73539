/*
 * table.h — case tables: many cases in one CSV file, one row per case
 * (docs/case-tables.md), read by `kofu calc`, `validate`, `check` and
 * `batch` beside INI files.
 *
 * A table is read one case at a time (memory does not grow with its rows):
 * kofu_table_open, then kofu_table_next until it gives no case, then
 * kofu_table_close. Every case goes through every check of an INI case file;
 * messages name the file and the cell ("cases.csv: [network.kita]
 * eligible_cost: … (D3)"), and trace steps cite "cases.csv:D3".
 *
 * The bytes may be UTF-8 (with or without a BOM) or CP932 (Shift_JIS as
 * Windows Excel saves it), told apart by reading them; anything else is an
 * error naming the first byte that is neither.
 */
#ifndef KOFU_TABLE_H
#define KOFU_TABLE_H

#include "kofu/kofu.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kofu_table kofu_table;

/* true when path names a case table by its extension (.csv, any case). */
KOFU_API bool kofu_table_path(const char *path);

/* Opens a case table and reads its header. KOFU_ECASE with items in diag
 * when the file is not a case table (its encoding, its header); KOFU_EIO
 * when it cannot be read. */
KOFU_API kofu_status kofu_table_open(const kofu_rules *rules, const char *path, kofu_diag *diag,
                            kofu_table **out);

/* The next case of the table. KOFU_OK with *c the case, or *c NULL when the
 * table is done; KOFU_ECASE when that case is invalid (its problems in
 * diag; the next call goes on with the case after it); KOFU_EIO when the
 * file cannot be read further (stop). *where (may be NULL) receives
 * "FILE:ROW", the case's first row, valid until the next call. */
KOFU_API kofu_status kofu_table_next(kofu_table *t, kofu_diag *diag, kofu_case **c, const char **where);

KOFU_API void kofu_table_close(kofu_table **t);

/* A line number below 0 (kofu_diag_line, a [claim]'s line) names a cell of
 * a case table: writes "B7" into buf (cap ≥ 16) and returns its length; 0
 * for any other line. */
KOFU_API size_t kofu_cell_ref(int line, char *buf, size_t cap);

/* Cases read so far (valid or not). */
KOFU_API size_t kofu_table_cases(const kofu_table *t);

#ifdef __cplusplus
}
#endif
#endif
