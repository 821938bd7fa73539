/*
 * table.h — case tables: many cases in one CSV file or xlsx workbook, one
 * row per case (docs/case-tables.md), read by `kofu calc`, `validate`,
 * `check` and `batch` beside INI files, and by the server from bytes.
 *
 * A table is read one case at a time (memory does not grow with its rows):
 * kofu_table_open, then kofu_table_next until it gives no case, then
 * kofu_table_close. Every case goes through every check of an INI case file;
 * messages name the file and the cell ("cases.csv: [network.kita]
 * eligible_cost: … (D3)"), and trace steps cite "cases.csv:D3".
 *
 * The form is told by the bytes, whatever the name: a zip is an xlsx
 * workbook (its first visible worksheet is the table; messages and trace
 * steps name "cases.xlsx:SHEET" and the cell), an OLE compound file (.xls,
 * or an xlsx with a password) is an error saying to save it as xlsx or CSV,
 * and anything else is CSV text. CSV bytes may be UTF-8 (with or without a
 * BOM) or CP932 (Shift_JIS as Windows Excel saves it), told apart by
 * reading them; anything else is an error naming the first byte that is
 * neither. A workbook is read within limits (zip entries, sizes, the
 * compression ratio, XML depth, rows, columns, shared strings), each an
 * error naming the limit.
 */
#ifndef KOFU_TABLE_H
#define KOFU_TABLE_H

#include "kofu/kofu.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kofu_table kofu_table;

/* true when path names a case table by its extension (any letter case):
 * .csv, .xlsx, .xlsm, or .xls (which kofu_table_open refuses with a
 * message saying how to save it). */
KOFU_API bool kofu_table_path(const char *path);

/* Opens a case table and reads its header. KOFU_ECASE with items in diag
 * when the file is not a case table (its encoding, its header); KOFU_EIO
 * when it cannot be read. */
KOFU_API kofu_status kofu_table_open(const kofu_rules *rules, const char *path, kofu_diag *diag,
                            kofu_table **out);

/* kofu_table_open on bytes in memory (a file sent to the server): name is
 * what messages and trace steps call the file ("cases.xlsx"); nothing is
 * read from disk. data is borrowed: it must stay unchanged until
 * kofu_table_close. Same statuses (KOFU_ENOMEM when memory runs out). */
KOFU_API kofu_status kofu_table_open_mem(const kofu_rules *rules, const char *name,
                                         const void *data, size_t len, kofu_diag *diag,
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

/* The values of the case the last kofu_table_next gave (valid or not: a
 * form can show an invalid case with its errors), as the table wrote them,
 * in its order: *section the INI section ("case", "network.kita",
 * "claim"), *key ("eligible_cost"; "network.grant" under "claim"), *value
 * the cell's text, *cell its cell for kofu_cell_ref. Any pointer may be
 * NULL. Valid until the next kofu_table_next or kofu_table_close; false
 * when i ≥ kofu_table_value_count. The same key twice (an invalid case)
 * appears twice. */
KOFU_API size_t kofu_table_value_count(const kofu_table *t);
KOFU_API bool kofu_table_value(const kofu_table *t, size_t i, const char **section,
                               const char **key, const char **value, int *cell);

/* Cases read so far (valid or not). */
KOFU_API size_t kofu_table_cases(const kofu_table *t);

#ifdef __cplusplus
}
#endif
#endif
