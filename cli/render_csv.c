/* render_csv.c — one fixed header and one row per case (calc and batch
 * share it, so a spreadsheet built on one reads the other). Columns: file,
 * case, fiscal_year, entity, status, error, claims, claims_mismatched, the
 * totals, then each measure's headline amounts as <measure>.<amount>, empty
 * when the measure is absent, then the stamp of meta: kofu_version,
 * rules_origin, rules_sha256, computed_at. Rows end in CRLF (RFC 4180, Excel). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void write_buf(FILE *out, cli_buf *b)
{
    if (b->failed)
        cli_error("%s", kofu_status_message(KOFU_ENOMEM, cli_default_lang()));
    else
        fwrite(b->data, 1, b->len, out);
    cli_buf_free(b);
}

/* ---- fields -------------------------------------------------------------- */

static void csv_field(cli_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        cli_buf_puts(b, s);
        return;
    }
    cli_buf_putc(b, '"');
    for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
        cli_buf_putn(b, s, (size_t)(q - s) + 1);
        cli_buf_putc(b, '"');
    }
    cli_buf_puts(b, s);
    cli_buf_putc(b, '"');
}

void render_csv_field(FILE *out, const char *s)
{
    cli_buf b = {0};
    csv_field(&b, s);
    write_buf(out, &b);
}

static void int_field(cli_buf *b, const kofu_node *n)
{
    if (n && kofu_node_type(n) == KOFU_NODE_INT)
        cli_buf_put_int(b, kofu_node_int(n));
}

/* ---- header and rows ----------------------------------------------------- */

void render_csv_header_buf(cli_buf *b)
{
    cli_buf_puts(b, "file,case,fiscal_year,entity,status,error,claims,claims_mismatched,"
                    "totals.special_tax_grant,totals.national_grant");
    for (size_t i = 0; i < kofu_headline_count(); i++) {
        const char *m, *a;
        kofu_headline_at(i, &m, &a);
        cli_buf_putc(b, ',');
        cli_buf_puts(b, m);
        cli_buf_putc(b, '.');
        cli_buf_puts(b, a);
    }
    cli_buf_puts(b, ",kofu_version,rules_origin,rules_sha256,computed_at\r\n");
}

void render_csv_header(FILE *out)
{
    cli_buf b = {0};
    render_csv_header_buf(&b);
    write_buf(out, &b);
}

size_t render_claims_mismatched(const kofu_result *r, const kofu_case *c, size_t *n_claims)
{
    kofu_node *claims = NULL;
    size_t bad = 0, n = 0;
    if (r && c && kofu_result_check_claims(r, c, &claims) == KOFU_OK) {
        n = kofu_node_size(claims);
        for (size_t i = 0; i < n; i++) {
            const kofu_node *d = kofu_node_get(kofu_node_at(claims, i), "difference");
            bad += !d || kofu_node_int(d) != 0;
        }
    }
    kofu_node_free(&claims);
    if (n_claims)
        *n_claims = n;
    return bad;
}

size_t render_csv_row_buf(cli_buf *b, const char *file, const kofu_result *r,
                          const kofu_case *c, const char *error)
{
    const kofu_node *root = error ? NULL : kofu_result_root(r);
    csv_field(b, file);
    cli_buf_putc(b, ',');
    csv_field(b, kofu_node_str(kofu_node_get(root, "case")));
    cli_buf_putc(b, ',');
    int_field(b, kofu_node_get(root, "fiscal_year"));
    cli_buf_putc(b, ',');
    csv_field(b, kofu_node_str(kofu_node_get(root, "entity")));
    cli_buf_puts(b, error ? ",error," : ",ok,");
    csv_field(b, error ? error : "");
    cli_buf_putc(b, ',');
    size_t n_claims = 0, bad = root ? render_claims_mismatched(r, c, &n_claims) : 0;
    if (n_claims) {
        cli_buf_put_int(b, (int64_t)n_claims);
        cli_buf_putc(b, ',');
        cli_buf_put_int(b, (int64_t)bad);
    } else {
        cli_buf_putc(b, ',');
    }
    cli_buf_putc(b, ',');
    const kofu_node *totals = kofu_node_get(root, "totals");
    int_field(b, kofu_node_get(totals, "special_tax_grant"));
    cli_buf_putc(b, ',');
    int_field(b, kofu_node_get(totals, "national_grant"));
    const kofu_node *measures = kofu_node_get(root, "measures");
    size_t n_headlines = kofu_headline_count(); /* a walk of the registry */
    const char *last_m = NULL;
    const kofu_node *mnode = NULL;
    for (size_t i = 0; i < n_headlines; i++) {
        const char *m, *a;
        kofu_headline_at(i, &m, &a);
        /* a measure's headlines are listed together: find it once */
        if (m != last_m) {
            mnode = kofu_node_get(measures, m);
            last_m = m;
        }
        cli_buf_putc(b, ',');
        int_field(b, kofu_node_get(mnode, a));
    }
    /* the stamp, as calc --format json has it in meta (empty on an error row) */
    const kofu_node *meta = kofu_node_get(root, "meta");
    const kofu_node *rules = kofu_node_get(meta, "rules");
    cli_buf_putc(b, ',');
    cli_buf_puts(b, kofu_node_str(kofu_node_get(meta, "kofu_version")));
    cli_buf_putc(b, ',');
    cli_buf_puts(b, kofu_node_str(kofu_node_get(rules, "origin")));
    cli_buf_putc(b, ',');
    cli_buf_puts(b, kofu_node_str(kofu_node_get(rules, "sha256")));
    cli_buf_putc(b, ',');
    cli_buf_puts(b, kofu_node_str(kofu_node_get(meta, "computed_at")));
    cli_buf_puts(b, "\r\n");
    return bad;
}

void render_csv_row(FILE *out, const char *file, const kofu_result *r, const kofu_case *c,
                    const char *error)
{
    cli_buf b = {0};
    render_csv_row_buf(&b, file, r, c, error);
    write_buf(out, &b);
}
