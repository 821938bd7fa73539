/* table_source.h — where a case table's rows come from.
 *
 * A case table is one design (docs/case-tables.md) read from two file
 * forms: CSV (csv_in.c) and xlsx (xlsx_in.c). Each form is a row source
 * that yields rows of text cells; table.c turns rows into cases (the
 * header, the grouping by case.id, the `section` column) for both, so the
 * two forms cannot drift apart. */
#ifndef KOFU_TABLES_TABLE_SOURCE_H
#define KOFU_TABLES_TABLE_SOURCE_H

#include <stdbool.h>
#include <stdio.h>

#include "kofu/kofu.h"

/* One row: fields[i] is the UTF-8 text of column i (A = 0), "" for an empty
 * cell; the strings live in buf. row is the spreadsheet's row number (1 is
 * the first), which is what a cell reference names. */
typedef struct table_cell_error {
    int line;  /* DIAG_CELL(row, column) */
    char *msg; /* in the diag's language */
} table_cell_error;

typedef struct table_row {
    char **fields;
    size_t n, cap;
    char *buf;
    size_t len, bcap;
    unsigned row;
    /* Cells that hold no value kofu can read (an Excel error value, a date
     * cell): their field is empty, and the case they belong to is invalid
     * with these messages; the rest of the table reads on. */
    table_cell_error *errors;
    size_t n_errors, cap_errors;
} table_row;

/* Appends one byte to the row's buffer (false: out of memory). */
bool table_row_putc(table_row *r, char c);
/* Sets fields from n offsets into buf (false: out of memory). */
bool table_row_fields(table_row *r, const size_t *starts, size_t n);
void table_row_free(table_row *r);
/* Records a cell's error (msg copied). false: out of memory. */
bool table_row_error(table_row *r, int line, const char *msg);
/* Forgets the errors of the row's previous contents. */
void table_row_clear_errors(table_row *r);

typedef struct table_source table_source;

typedef struct table_source_ops {
    /* The next row into r: 1, 0 at the end, -1 after an error (in diag). */
    int (*next)(table_source *s, table_row *r, kofu_diag *diag);
    void (*close)(table_source *s);
} table_source_ops;

struct table_source {
    const table_source_ops *ops;
    /* The name messages and trace steps use for the table's cells: the
     * file for CSV, "FILE:SHEET" for xlsx (owned by the source). */
    const char *name;
};

/* Opens the sources on f (owned from here on, closed by the source even on
 * failure). path is the file's name for messages. NULL on failure, the
 * reason in diag (*st the status). */
table_source *csv_source_open(FILE *f, const char *path, kofu_diag *diag, kofu_status *st);
/* lim: NULL for xlsx_default_limits (xlsx_limits.h); tests pass smaller. */
struct xlsx_limits;
table_source *xlsx_source_open(FILE *f, const char *path, const struct xlsx_limits *lim,
                               kofu_diag *diag, kofu_status *st);

/* The common limits of both forms (docs/case-tables.md, "Limits"). */
#define TABLE_MAX_COLUMNS 1000u
#define TABLE_MAX_FIELD (64u * 1024u)
#define TABLE_MAX_RECORD (1u << 20)

#endif
