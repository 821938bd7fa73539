/* cases_in.c — the inputs of calc, validate and check: a case file is one
 * case, a case table (kofu/table.h) every case it holds, in row order. */
#include <stdlib.h>

#include "cli.h"
#include "kofu/table.h"

static int report(kofu_diag *d, const char *path, kofu_status st, kofu_lang lang)
{
    cli_print_diag(d);
    if (kofu_diag_count(d) == 0) {
        cli_fputs_safe(path, stderr); /* a file name may hold an escape sequence */
        fprintf(stderr, ": %s\n", kofu_status_message(st, lang));
    }
    kofu_diag_clear(d);
    return cli_exit_for(st);
}

static int worst(int a, int b) { return b > a ? b : a; }

int cli_each_case(const kofu_rules *rules, const char *path, kofu_lang lang, cli_case_fn fn,
                  void *ctx)
{
    kofu_diag *d = NULL;
    if (kofu_diag_new(lang, &d) != KOFU_OK)
        return EXIT_FAILURE_IO;
    int rc = EXIT_OK;
    kofu_case *c = NULL;
    if (!kofu_table_path(path)) {
        kofu_status st = kofu_case_load_file(rules, path, d, &c);
        rc = st == KOFU_OK ? fn(ctx, path, c) : report(d, path, st, lang);
        kofu_case_free(&c);
        kofu_diag_free(&d);
        return rc;
    }
    kofu_table *t = NULL;
    kofu_status st = kofu_table_open(rules, path, d, &t);
    if (st != KOFU_OK) {
        rc = report(d, path, st, lang);
        kofu_diag_free(&d);
        return rc;
    }
    for (;;) {
        const char *where = path;
        st = kofu_table_next(t, d, &c, &where);
        if (st == KOFU_OK && !c)
            break;
        rc = worst(rc, st == KOFU_OK ? fn(ctx, where, c) : report(d, where, st, lang));
        kofu_case_free(&c);
        if (st != KOFU_OK && st != KOFU_ECASE)
            break;
    }
    kofu_table_close(&t);
    kofu_diag_free(&d);
    return rc;
}
