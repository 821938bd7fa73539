/* xlsx_limits.h — how much of a workbook kofu reads before it stops.
 *
 * A workbook is a zip of XML, and a hostile one can claim or hold far more
 * than it looks; each bound below is an error naming it when crossed
 * (docs/case-tables.md, "Limits"). The reader takes them as a parameter so
 * that the unit tests can cross each one with a small file. */
#ifndef KOFU_TABLES_XLSX_LIMITS_H
#define KOFU_TABLES_XLSX_LIMITS_H

#include <stddef.h>

#include "kofu/kofu.h"

typedef struct xlsx_limits {
    unsigned entries;                 /* zip entries                           */
    unsigned long long entry_bytes;   /* one entry, inflated                   */
    unsigned long long total_bytes;   /* every entry, inflated                 */
    unsigned ratio;                   /* inflated / compressed, for entries…   */
    unsigned long long ratio_from;    /* …larger than this                     */
    int depth;                        /* XML nesting                           */
    unsigned attr_bytes;              /* one XML attribute                     */
    unsigned strings;                 /* shared strings                        */
    unsigned long long string_bytes;  /* shared strings, all together          */
    unsigned rows;                    /* the sheet's last row number           */
    unsigned columns;                 /* columns holding a value               */
} xlsx_limits;

/* What kofu uses: 10,000 entries, 256 MiB an entry, 1 GiB in all, 200 to 1
 * above 1 MiB, 64 levels, 64 KiB an attribute, 1,000,000 shared strings
 * and 64 MiB of them, Excel's 1,048,576 rows, 1,000 columns. */
extern const xlsx_limits xlsx_default_limits;

/* A size for a message: "256 MiB" when a whole number of MiB, else
 * "1,000 バイト" / "1,000 bytes". */
const char *xlsx_size_text(unsigned long long n, kofu_lang lang, char *buf, size_t cap);

#endif
