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
#include "xlsx_limits.h"

typedef struct xlsx_zip xlsx_zip;

/* Opens the zip read from f (borrowed: the caller closes it after
 * xlsx_zip_close) and checks its directory against lim (borrowed, kept).
 * path names the file in messages. KOFU_ECASE (in diag) when it is not a
 * readable zip or breaks a limit; KOFU_EIO when libminizip is missing. */
kofu_status xlsx_zip_open(FILE *f, const char *path, const xlsx_limits *lim, kofu_diag *diag,
                          xlsx_zip **out);

/* Opens the entry of that name (ASCII letters in any case, as OPC part
 * names compare) for reading: 1, 0 when there is none, -1 after an error. */
int xlsx_zip_entry(xlsx_zip *z, const char *name, kofu_diag *diag);

/* Reads the open entry: the bytes read (≤ cap), 0 at its end (its CRC
 * checked), -1 after an error (in diag). */
long xlsx_zip_read(xlsx_zip *z, void *buf, size_t cap, kofu_diag *diag);

void xlsx_zip_close(xlsx_zip **z);

#endif
