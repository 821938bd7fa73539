/*
 * bench_sweep.c — how many cooperative evaluations per second `kofu sweep`
 * can make on one core: the case is loaded once (not timed), then each
 * evaluation sets [cooperative] utilization to the next value of
 * 50%..100% by 1% (kofu_case_set, which re-validates the case as a sweep
 * does) and evaluates it without trace (kofu_evaluate, no_trace), then frees
 * the result. No file I/O inside the timed loop.
 *
 * usage: bench_sweep [--n N] [--repeat R] [CASE.ini]
 * Without CASE, two built-in cases are timed: the simple form (workers = 6)
 * and six [cooperative.worker.<id>] sections with hours. The best of R runs
 * (default 3) of N evaluations (default 200000) is printed as
 *   <case>: N evaluations in S s CPU = E evaluations/s (wall W s = F/s)
 * CPU is this thread's CPU time (the figure for one core on a shared
 * machine); wall also counts time the thread waited for a core.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kofu/kofu.h"

static const char simple_case[] =
    "[case]\nid = bench-simple\nfiscal_year = R4\n\n"
    "[cooperative]\nworkers = 6\npersonnel_cost = 20,000,000\nsecretariat_cost = 4,000,000\n"
    "utilization = 80%\nhours_dispatched = 9000\nusage_fee_income = 12,000,000\n";

static const char workers_case[] =
    "[case]\nid = bench-workers\nfiscal_year = R4\n\n"
    "[cooperative]\nsecretariat_cost = 4,000,000\nutilization = 80%\nhourly_fee = 1,500\n\n"
    "[cooperative.worker.a]\npersonnel_cost = 3,400,000\nhours_scheduled = 1800\nhours_top_employer = 1000\n\n"
    "[cooperative.worker.b]\npersonnel_cost = 3,400,000\nhours_scheduled = 1800\nhours_top_employer = 1300\n\n"
    "[cooperative.worker.c]\npersonnel_cost = 3,300,000\nhours_scheduled = 1800\nhours_top_employer = 900\n\n"
    "[cooperative.worker.d]\npersonnel_cost = 3,300,000\nstart_month = 10\nhours_scheduled = 900\n\n"
    "[cooperative.worker.e]\npersonnel_cost = 3,300,000\nhours_scheduled = 1800\nhours_top_employer = 1200\n\n"
    "[cooperative.worker.f]\npersonnel_cost = 3,300,000\nhours_scheduled = 1800\nhours_top_employer = 800\n";

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wall time and this thread's CPU time: on a shared machine the second is
 * the figure for "one core" (the first also counts time spent waiting). */
typedef struct timing {
    double wall, cpu;
} timing;

static void print_diag(kofu_diag *d)
{
    for (size_t i = 0; i < kofu_diag_count(d); i++) {
        char *s = kofu_diag_format(d, i);
        fprintf(stderr, "%s\n", s ? s : "?");
        free(s);
    }
}

/* One timed run of n evaluations; false on failure. */
static bool run_once(const kofu_rules *rules, kofu_case *c, char **values, size_t n_values,
                     long n, kofu_diag *d, timing *t)
{
    /* as `kofu sweep` does: the clock read once for the whole run */
    kofu_eval_options opt = {.lang = KOFU_LANG_JA, .no_trace = true};
    if (kofu_clock(d, &opt.computed_at) != KOFU_OK) {
        print_diag(d);
        return false;
    }
    double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
    for (long i = 0; i < n; i++) {
        kofu_result *r = NULL;
        if (kofu_case_set(c, "cooperative.utilization", values[(size_t)i % n_values], d) != KOFU_OK ||
            kofu_evaluate(rules, c, &opt, d, &r) != KOFU_OK) {
            print_diag(d);
            return false;
        }
        kofu_result_free(&r);
    }
    t->cpu = clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
    t->wall = clock_s(CLOCK_MONOTONIC) - w0;
    return true;
}

static int bench(const kofu_rules *rules, const char *name, const char *bytes, size_t len,
                 bool from_file, long n, long repeat)
{
    kofu_diag *d = NULL;
    kofu_case *c = NULL;
    char **values = NULL;
    size_t n_values = 0;
    int rc = 1;
    if (kofu_diag_new(KOFU_LANG_EN, &d) != KOFU_OK)
        return 1;
    kofu_status st = from_file ? kofu_case_load_file(rules, name, d, &c)
                               : kofu_case_load_buffer(rules, name, bytes, len, d, &c);
    if (st == KOFU_OK)
        st = kofu_range_expand("50%:100%:1%", d, &values, &n_values);
    if (st != KOFU_OK) {
        print_diag(d);
        goto out;
    }
    timing best = {0, 0};
    for (long k = 0; k < repeat; k++) {
        timing t;
        if (!run_once(rules, c, values, n_values, n, d, &t))
            goto out;
        if (k == 0 || t.cpu < best.cpu)
            best = t;
    }
    printf("%s: %ld evaluations in %.3f s CPU = %.0f evaluations/s (wall %.3f s = %.0f/s)\n", name, n,
           best.cpu, (double)n / best.cpu, best.wall, (double)n / best.wall);
    rc = 0;
out:
    kofu_range_free(&values, n_values);
    kofu_case_free(&c);
    kofu_diag_free(&d);
    return rc;
}

static bool parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

int main(int argc, char **argv)
{
    long n = 200000, repeat = 3;
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        bool ok = true;
        if (strcmp(argv[i], "--n") == 0 && i + 1 < argc)
            ok = parse_long(argv[++i], 1, 100000000, &n);
        else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            ok = parse_long(argv[++i], 1, 100, &repeat);
        else if (argv[i][0] != '-' && !file)
            file = argv[i];
        else
            ok = false;
        if (!ok) {
            fprintf(stderr, "usage: bench_sweep [--n N] [--repeat R] [CASE.ini]\n");
            return 2;
        }
    }
    kofu_diag *d = NULL;
    kofu_rules *rules = NULL;
    if (kofu_diag_new(KOFU_LANG_EN, &d) != KOFU_OK || kofu_rules_load_builtin(d, &rules) != KOFU_OK) {
        print_diag(d);
        kofu_diag_free(&d);
        return 1;
    }
    kofu_diag_free(&d);
    int rc;
    if (file) {
        rc = bench(rules, file, NULL, 0, true, n, repeat);
    } else {
        rc = bench(rules, "simple form (workers = 6)", simple_case, sizeof simple_case - 1, false, n, repeat);
        rc |= bench(rules, "six worker sections, scheduled hours (dispatched = u × scheduled)", workers_case, sizeof workers_case - 1, false, n,
                    repeat);
    }
    kofu_rules_free(&rules);
    return rc;
}
