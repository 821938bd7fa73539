/* render_csv.c — one fixed header and one row per case (calc and batch
 * share it, so a spreadsheet built on one reads the other). Columns: file,
 * case, fiscal_year, entity, status, error, the totals, then each measure's
 * headline amounts as <measure>.<amount>, empty when the measure is absent. */
#include <inttypes.h>
#include <string.h>

#include "cli.h"


void render_csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

void render_csv_header(FILE *out)
{
    fputs("file,case,fiscal_year,entity,status,error,totals.special_tax_grant,totals.national_grant", out);
    for (size_t i = 0; i < kofu_headline_count(); i++) {
        const char *m, *a;
        kofu_headline_at(i, &m, &a);
        fprintf(out, ",%s.%s", m, a);
    }
    fputs("\r\n", out);
}

static void int_field(FILE *out, const kofu_node *n)
{
    if (n && kofu_node_type(n) == KOFU_NODE_INT)
        fprintf(out, "%" PRId64, kofu_node_int(n));
}

void render_csv_row(FILE *out, const char *file, const kofu_node *root, const char *error)
{
    render_csv_field(out, file);
    fputc(',', out);
    render_csv_field(out, kofu_node_str(kofu_node_get(root, "case")));
    fputc(',', out);
    int_field(out, kofu_node_get(root, "fiscal_year"));
    fputc(',', out);
    render_csv_field(out, kofu_node_str(kofu_node_get(root, "entity")));
    fputs(error ? ",error," : ",ok,", out);
    render_csv_field(out, error ? error : "");
    fputc(',', out);
    int_field(out, kofu_node_get(root, "totals.special_tax_grant"));
    fputc(',', out);
    int_field(out, kofu_node_get(root, "totals.national_grant"));
    const kofu_node *measures = kofu_node_get(root, "measures");
    for (size_t i = 0; i < kofu_headline_count(); i++) {
        const char *m, *a;
        kofu_headline_at(i, &m, &a);
        fputc(',', out);
        int_field(out, kofu_node_get(kofu_node_get(measures, m), a));
    }
    fputs("\r\n", out);
}
