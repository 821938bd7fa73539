/* render_xlsx.c — the CLI's side of xlsx output: the library writes the
 * workbook (kofu/xlsx.h); this checks the options and reports failures. */
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"

/* A workbook's bytes on a terminal are garbage on the screen and may drive
 * it (escape sequences): --output naming one is refused before anything is
 * computed. */
static bool names_terminal(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISCHR(st.st_mode))
        return false;
    int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    bool tty = fd >= 0 && isatty(fd);
    if (fd >= 0)
        close(fd);
    return tty;
}

int cli_xlsx_check(const cli_common *co, const char *command, bool output_is_own)
{
    if (co->format == FMT_XLSX && !co->output)
        return cli_usage_error(command, co->lang, "%s",
                               CLI_TR(co->lang, "--format xlsx には --output FILE が必要です",
                                      "--format xlsx needs --output FILE"));
    if (co->format == FMT_XLSX && names_terminal(co->output))
        return cli_usage_error(command, co->lang,
                               CLI_TR(co->lang, "--output %s は端末です。ブックはファイルに書きます",
                                      "--output %s is a terminal; a workbook goes into a file"),
                               co->output);
    if (co->format != FMT_XLSX && co->output && !output_is_own)
        return cli_usage_error(command, co->lang, "%s",
                               CLI_TR(co->lang, "--output は --format xlsx で使います",
                                      "--output goes with --format xlsx"));
    if (co->format != FMT_XLSX && co->thousands)
        return cli_usage_error(command, co->lang, "%s",
                               CLI_TR(co->lang, "--unit は --format xlsx で使います",
                                      "--unit goes with --format xlsx"));
    return EXIT_OK;
}

int cli_xlsx_refuse_inputs(const cli_common *co, const char *command, const char *output,
                           char *const *paths, int n)
{
    struct stat st;
    if (!output || stat(output, &st) != 0)
        return EXIT_OK;
    cli_output o = {.command = command, .target = output, .lang = co->lang, .existed = true,
                    .dev = st.st_dev, .ino = st.st_ino};
    return cli_output_check_inputs(&o, paths, n);
}

kofu_xlsx *cli_xlsx_open(const cli_common *co, const char *path, const kofu_rules *rules,
                         kofu_node **bib, int *rc)
{
    kofu_diag *d = NULL;
    kofu_xlsx *x = NULL;
    if (kofu_diag_new(co->lang, &d) != KOFU_OK) {
        *rc = EXIT_FAILURE_IO;
        return NULL;
    }
    kofu_xlsx_options o = {.lang = co->lang, .thousands = co->thousands,
                           .created = co->computed_at};
    kofu_status st = kofu_xlsx_open(path, &o, d, &x);
    if (st != KOFU_OK) {
        cli_print_diag(d);
        if (kofu_diag_count(d) == 0)
            cli_error("%s: %s", path, kofu_status_message(st, co->lang));
        *rc = EXIT_FAILURE_IO;
    }
    kofu_diag_free(&d);
    /* the bibliography for 根拠; without it the sheet lists the trace's citations */
    if (x && rules && kofu_rules_sources(rules, co->lang, bib) == KOFU_OK)
        kofu_xlsx_add_sources(x, *bib);
    return x;
}

int cli_xlsx_close(kofu_xlsx **x, const cli_common *co, int rc)
{
    if (!*x)
        return rc;
    kofu_diag *d = NULL;
    kofu_diag_new(co->lang, &d);
    kofu_status st = kofu_xlsx_close(x, d);
    if (st != KOFU_OK) {
        cli_print_diag(d);
        if (kofu_diag_count(d) == 0)
            cli_error("%s", kofu_status_message(st, co->lang));
        rc = EXIT_FAILURE_IO;
    }
    kofu_diag_free(&d);
    return rc;
}
