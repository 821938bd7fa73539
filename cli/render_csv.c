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
