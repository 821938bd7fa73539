/* run_io.c — what check and batch open around their pool (run.h): the
 * rule data, the workbook or the output stream; closed in the reverse
 * order. */
#include <stdio.h>
#include <stdlib.h>

#include "kofu/xlsx.h"
#include "run.h"

int run_io_open(run_io *io, cli_common *co, const char *command, const char *output,
                char **paths, int n_paths)
{
    *io = (run_io){0};
    co->output = output;
    int rc = cli_xlsx_check(co, command, true);
    if (rc == EXIT_OK && co->format == FMT_XLSX)
        rc = cli_xlsx_refuse_inputs(co, command, output, paths, n_paths);
    if (rc != EXIT_OK)
        return rc;
    io->rules = cli_load_rules(co, &rc);
    if (!io->rules)
        return rc;
    if (co->format == FMT_XLSX) {
        /* the workbook is written by the library; nothing goes to the stream */
        io->book = cli_xlsx_open(co, output, io->rules, &io->bib, &rc);
        output = NULL;
    }
    if (rc == EXIT_OK)
        rc = cli_output_open(&io->out, command, output, co->lang);
    if (rc != EXIT_OK) {
        kofu_xlsx_discard(&io->book);
        kofu_node_free(&io->bib);
        kofu_rules_free(&io->rules);
        return rc;
    }
    /* one command runs per process: its rows leave in 64 KiB writes */
    static char obuf[1 << 16];
    setvbuf(io->out.fp, obuf, _IOFBF, sizeof obuf);
    return EXIT_OK;
}

int run_io_close_book(run_io *io, const cli_common *co, int rc, bool book_ok)
{
    if (io->book) {
        rc = rc == EXIT_OK && book_ok ? cli_xlsx_close(&io->book, co, rc) : EXIT_FAILURE_IO;
        kofu_xlsx_discard(&io->book);
    }
    kofu_node_free(&io->bib);
    return rc;
}

int run_io_close_output(run_io *io, int rc, bool complete, const char *hit)
{
    int orc = cli_output_close(&io->out, complete);
    if (hit)
        return cli_output_refuse_input(&io->out, hit);
    return orc != EXIT_OK ? orc : rc;
}

typedef struct run_held {
    kofu_case *c;
    kofu_result *r;
    kofu_node *claims;
} run_held;

void run_drop_held(run_slot *s)
{
    run_held *h = s->held;
    if (h) {
        kofu_node_free(&h->claims);
        kofu_result_free(&h->r);
        kofu_case_free(&h->c);
        free(h);
        s->held = NULL;
    }
}

bool run_hold(run_slot *s, kofu_case **c, kofu_result **r, kofu_node **claims)
{
    run_held *h = malloc(sizeof *h);
    run_drop_held(s);
    if (!h)
        return false;
    *h = (run_held){*c, *r, claims ? *claims : NULL};
    s->held = h;
    *c = NULL;
    *r = NULL;
    if (claims)
        *claims = NULL;
    return true;
}

kofu_status run_book_case(kofu_xlsx *book, run_slot *s, bool with_claims)
{
    const run_held *h = s->held;
    const char *path = s->in.path ? s->in.path : "";
    kofu_status st = s->failed || !h
                         ? kofu_xlsx_add_case(book, path, NULL, NULL, s->out.data ? s->out.data : "")
                         : kofu_xlsx_add_case(book, path, h->r, h->c, NULL);
    if (st == KOFU_OK && with_claims && h && !s->failed)
        st = kofu_xlsx_add_claims(book, path, h->c, h->claims);
    run_drop_held(s);
    s->out.len = 0;
    return st;
}
