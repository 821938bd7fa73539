/* xlsx_num.h — the text of an xlsx numeric cell as kofu reads numbers. */
#ifndef KOFU_TABLES_XLSX_NUM_H
#define KOFU_TABLES_XLSX_NUM_H

#include <stddef.h>

typedef enum xlsx_num_status {
    XLSX_NUM_OK,
    XLSX_NUM_SYNTAX,  /* not a number as a workbook stores one */
    XLSX_NUM_INEXACT, /* more digits than Excel holds, not the long form of a shorter number */
    XLSX_NUM_RANGE,   /* an exponent beyond ±30 */
} xlsx_num_status;

/* A numeric cell's stored text (<v>: "1500000", "0.7", "1.5E-2",
 * "0.69999999999999996") as plain decimal text ("0.015"), exact:
 *
 * - up to 15 significant digits (what Excel holds) it is read as written;
 * - 16 or 17 digits are the long form some writers give a binary double:
 *   the text rounded to 15 significant digits is taken when it names the
 *   same double (so "0.69999999999999996" reads "0.7", the value typed);
 *   otherwise (a result such as 0.1+0.2, or a 16-digit integer) the cell
 *   is XLSX_NUM_INEXACT and must be entered as text.
 *
 * The value itself is decimal text throughout; a double is only compared
 * for that identity. out (cap ≥ 64) receives the text. */
xlsx_num_status xlsx_number(const char *v, char *out, size_t cap);

#endif
