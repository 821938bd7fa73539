/*
 * bench_parse_floor.c — the parser floor: how fast iniparser alone loads and
 * frees the same *.ini files `kofu batch` reads. kofu validates every byte
 * and computes on top of that, so this is the rate it can at best approach.
 *
 * usage: bench_parse_floor [--repeat R] PATH...
 * Files or directories (searched recursively for *.ini). The paths are
 * collected first (not timed); the timed loop is iniparser_load + freedict on
 * each, R times (default 3); the best run (by wall clock, and by CPU time
 * of the process) is printed as
 *   floor: N files in S s = F files/s (CPU: C s = G files/s)
 */
#define _GNU_SOURCE
#include <ftw.h>
#include <iniparser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char **paths;
static size_t n_paths, cap_paths;

static int add_path(const char *p)
{
    if (n_paths == cap_paths) {
        size_t cap = cap_paths ? cap_paths * 2 : 1024;
        char **q = realloc(paths, cap * sizeof *q);
        if (!q)
            return -1;
        paths = q;
        cap_paths = cap;
    }
    paths[n_paths] = strdup(p);
    return paths[n_paths++] ? 0 : -1;
}

static int visit(const char *p, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    size_t n = strlen(p);
    if (type == FTW_F && n > 4 && strcmp(p + n - 4, ".ini") == 0)
        return add_path(p);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static double now(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    long repeat = 3;
    int i = 1;
    if (i + 1 < argc && strcmp(argv[i], "--repeat") == 0) {
        char *end;
        repeat = strtol(argv[i + 1], &end, 10);
        if (*end || repeat < 1 || repeat > 1000) {
            fprintf(stderr, "bench_parse_floor: --repeat needs 1..1000\n");
            return 2;
        }
        i += 2;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: bench_parse_floor [--repeat R] PATH...\n");
        return 2;
    }
    for (; i < argc; i++)
        if (nftw(argv[i], visit, 32, FTW_PHYS) != 0) {
            fprintf(stderr, "bench_parse_floor: cannot read %s\n", argv[i]);
            return 1;
        }
    qsort(paths, n_paths, sizeof *paths, by_name);
    double best = 0, best_cpu = 0;
    size_t failed = 0;
    for (long r = 0; r < repeat; r++) {
        double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
        for (size_t k = 0; k < n_paths; k++) {
            dictionary *d = iniparser_load(paths[k]);
            if (!d)
                failed++;
            else
                iniparser_freedict(d);
        }
        double t = now(CLOCK_MONOTONIC) - t0, c = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
        if (r == 0 || t < best)
            best = t;
        if (r == 0 || c < best_cpu)
            best_cpu = c;
    }
    printf("floor: %zu files in %.3f s = %.0f files/s (CPU: %.3f s = %.0f files/s)%s\n", n_paths,
           best, best > 0 ? (double)n_paths / best : 0.0, best_cpu,
           best_cpu > 0 ? (double)n_paths / best_cpu : 0.0, failed ? " (some files failed)" : "");
    for (size_t k = 0; k < n_paths; k++)
        free(paths[k]);
    free(paths);
    return failed ? 1 : 0;
}
