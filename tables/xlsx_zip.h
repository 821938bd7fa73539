/* xlsx_zip.h — the zip container of an xlsx workbook, read within limits.
 *
 * A workbook is a zip of XML parts. A hostile zip can claim or hold far
 * more than it looks (a "zip bomb"), so every entry is checked before any
 * is read — their number, each one's uncompressed size, the total, the
 * compression ratio, encryption — and the bytes actually inflated are
 * counted again while reading. */
#ifndef KOFU_TABLES_XLSX_ZIP_H
#define KOFU_TABLES_XLSX_ZIP_H

#include <stdio.h>

#include "kofu/kofu.h"

/* The limits (docs/case-tables.md, "Limits"). The ratio applies to entries
 * above XLSX_RATIO_FROM bytes: a tiny part may compress far better. */
#define XLSX_MAX_ENTRIES 10000u
#define XLSX_MAX_ENTRY_BYTES (256ull << 20)
#define XLSX_MAX_TOTAL_BYTES (1024ull << 20)
#define XLSX_MAX_RATIO 200u
#define XLSX_RATIO_FROM (1ull << 20)

typedef struct xlsx_zip xlsx_zip;

/* Opens the zip read from f (borrowed: the caller closes it after
 * xlsx_zip_close) and checks its directory. path names the file in
 * messages. KOFU_ECASE (in diag) when it is not a readable zip or breaks a
 * limit. */
kofu_status xlsx_zip_open(FILE *f, const char *path, kofu_diag *diag, xlsx_zip **out);

/* Opens the entry of that name (ASCII letters in any case, as OPC part
 * names compare) for reading: 1, 0 when there is none, -1 after an error. */
int xlsx_zip_entry(xlsx_zip *z, const char *name, kofu_diag *diag);

/* Reads the open entry: the bytes read (≤ cap), 0 at its end (its CRC
 * checked), -1 after an error (in diag). */
long xlsx_zip_read(xlsx_zip *z, void *buf, size_t cap, kofu_diag *diag);

void xlsx_zip_close(xlsx_zip **z);

#endif
