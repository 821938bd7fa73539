/*
 * fuzz_csv.c — libFuzzer target: case tables in CSV (tables/csv_in.c) on
 * arbitrary bytes: the encoding detection, the RFC 4180 reader, the grouping
 * of rows into cases and the entries → case path, then every case computed
 * and written back as CSV in each encoding (render/csv.c).
 *
 * Invariants beyond "no crash, no leak, no UB": a failure always says why
 * (at least one diagnostic), and a table never yields more cases than rows.
 */
#define _GNU_SOURCE /* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kofu/csv.h"
#include "fuzz_init.h"
#include "kofu/kofu.h"
#include "kofu/table.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static kofu_rules *rules;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    rules = fuzz_builtin_rules();
    return 0;
}

static void render(const kofu_case *c, kofu_diag *d)
{
    kofu_result *r = NULL;
    kofu_eval_options opt = {.lang = KOFU_LANG_JA, .computed_at = 1};
    kofu_status st = kofu_evaluate(rules, c, &opt, d, &r);
    if (st != KOFU_OK && st != KOFU_ENOMEM && kofu_diag_count(d) == 0)
        abort();
    for (int e = KOFU_CSV_UTF8_BOM; r && e <= KOFU_CSV_CP932; e++) {
        kofu_csv_options o = {.lang = KOFU_LANG_JA, .encoding = (kofu_csv_encoding)e,
                              .rows = e == KOFU_CSV_UTF8 ? KOFU_CSV_ROWS_ITEMS : KOFU_CSV_ROWS_CASES};
        kofu_buf b = {0};
        kofu_csv_case(&o, &b, "t.csv", r, c, NULL, NULL, d);
        kofu_buf_free(&b);
    }
    kofu_result_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("table", 0);
    if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
        abort();
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    /* the name decides CSV; the bytes are read through the descriptor's path */
    char link[80];
    snprintf(link, sizeof link, "/dev/shm/kofu-fuzz-%d.csv", (int)getpid());
    unlink(link);
    if (symlink(path, link) != 0)
        abort();
    kofu_diag *d = NULL;
    if (kofu_diag_new(KOFU_LANG_EN, &d) != KOFU_OK)
        abort();
    kofu_table *t = NULL;
    kofu_status st = kofu_table_open(rules, link, d, &t);
    if (st != KOFU_OK && st != KOFU_ENOMEM && kofu_diag_count(d) == 0)
        abort();
    size_t rows = 1;
    for (size_t i = 0; i < size; i++)
        rows += data[i] == '\n' || data[i] == '\r';
    while (t) {
        kofu_case *c = NULL;
        kofu_diag_clear(d);
        st = kofu_table_next(t, d, &c, NULL);
        if (st == KOFU_OK && !c)
            break;
        if (st != KOFU_OK && st != KOFU_ENOMEM && kofu_diag_count(d) == 0)
            abort();
        if (c)
            render(c, d);
        kofu_case_free(&c);
        if (st != KOFU_OK && st != KOFU_ECASE)
            break;
        if (kofu_table_cases(t) > rows)
            abort(); /* more cases than rows */
    }
    kofu_table_close(&t);
    kofu_diag_free(&d);
    unlink(link);
    close(fd);
    return 0;
}
