/* table_row.c — the rows every case-table source fills (table_source.h). */
#include <stdlib.h>
#include <string.h>

#include "table_source.h"

bool table_row_putc(table_row *r, char c)
{
    if (r->len + 2 > r->bcap) {
        size_t cap = r->bcap ? r->bcap * 2 : 1024;
        char *p = realloc(r->buf, cap);
        if (!p)
            return false;
        r->buf = p;
        r->bcap = cap;
    }
    r->buf[r->len++] = c;
    return true;
}

bool table_row_fields(table_row *r, const size_t *starts, size_t n)
{
    if (n > r->cap) {
        char **p = realloc(r->fields, n * sizeof *p);
        if (!p)
            return false;
        r->fields = p;
        r->cap = n;
    }
    for (size_t i = 0; i < n; i++)
        r->fields[i] = r->buf + starts[i];
    r->n = n;
    return true;
}

bool table_row_error(table_row *r, int line, const char *msg)
{
    if (r->n_errors == r->cap_errors) {
        size_t cap = r->cap_errors ? r->cap_errors * 2 : 4;
        table_cell_error *p = realloc(r->errors, cap * sizeof *p);
        if (!p)
            return false;
        r->errors = p;
        r->cap_errors = cap;
    }
    char *m = strdup(msg);
    if (!m)
        return false;
    r->errors[r->n_errors++] = (table_cell_error){line, m};
    return true;
}

void table_row_clear_errors(table_row *r)
{
    for (size_t i = 0; i < r->n_errors; i++)
        free(r->errors[i].msg);
    r->n_errors = 0;
}

void table_row_free(table_row *r)
{
    table_row_clear_errors(r);
    free(r->errors);
    free(r->fields);
    free(r->buf);
    *r = (table_row){0};
}

