/* render_csv.c — the CLI's side of CSV: the library renders (kofu/csv.h);
 * this writes its buffers to a FILE and parses --encoding, --header and
 * --rows. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_buf_write(FILE *out, cli_buf *b)
{
    if (b->failed)
        cli_error("%s", kofu_status_message(KOFU_ENOMEM, cli_default_lang()));
    else if (b->len)
        fwrite(b->data, 1, b->len, out);
    cli_buf_free(b);
}

void render_csv_field(FILE *out, const char *s)
{
    cli_buf b = {0};
    kofu_csv_field(&b, s);
    cli_buf_write(out, &b);
}

void cli_csv_start(cli_csv_capture *cap, const cli_common *co)
{
    *cap = (cli_csv_capture){.enc = co->csv.encoding, .lang = co->lang};
    if (cap->enc == KOFU_CSV_UTF8_BOM)
        fputs("\xEF\xBB\xBF", stdout);
    if (cap->enc != KOFU_CSV_CP932)
        return;
    /* The commands write CSV to stdout as they go; CP932 needs the text
     * whole, so stdout becomes a memory stream until cli_csv_end. */
    FILE *mem = open_memstream(&cap->data, &cap->len);
    if (mem) {
        cap->real = stdout;
        stdout = mem;
    }
}

int cli_csv_end(cli_csv_capture *cap, int rc)
{
    if (!cap->real)
        return rc;
    bool failed = fclose(stdout) != 0;
    stdout = cap->real;
    cap->real = NULL;
    cli_buf b = {0};
    if (!failed && cap->data)
        kofu_buf_putn(&b, cap->data, cap->len);
    free(cap->data);
    cap->data = NULL;
    kofu_diag *d = NULL;
    kofu_status st = failed || b.failed ? KOFU_ENOMEM : kofu_diag_new(cap->lang, &d);
    if (st == KOFU_OK)
        st = kofu_csv_encode(cap->enc, &b, 0, "", d);
    cli_print_diag(d);
    kofu_diag_free(&d);
    if (st == KOFU_OK)
        cli_buf_write(stdout, &b);
    else
        cli_buf_free(&b);
    return st == KOFU_OK ? rc : rc == EXIT_OK ? cli_exit_for(st) : rc;
}
