/*
 * fuzz_rules.c — libFuzzer target: reading rule data.
 *
 * The bytes are read three ways:
 *   1. ini_parse, the strict INI reader under every case and rule file;
 *   2. the rule-data loader of every registered measure (as `--rules DIR`
 *      would read <measure>.params), which must either load or say why;
 *   3. when a measure's data loads, it replaces the built-in data of that
 *      measure and the example cases are evaluated with it, so rule data
 *      that is well formed but odd (one-point tables, zero caps, years far
 *      ahead) cannot crash an evaluation either;
 *   4. the bibliography loader (sources.params), and the citation of each
 *      source it accepts.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inifile.h"
#include "fuzz_init.h"
#include "kofu/kofu.h"
#include "params.h"
#include "registry.h"
#include "sources.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static kofu_rules *builtin;

/* The example cases, read once (KOFU_SOURCE_DIR or the working directory). */
typedef struct sample {
    char *name, *bytes;
    size_t len;
} sample;
static sample samples[32];
static size_t n_samples;

static void read_sample(const char *dir, const char *file)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    char *buf = malloc(1 << 16);
    size_t n = buf ? fread(buf, 1, 1 << 16, f) : 0;
    fclose(f);
    if (!buf || n == (1 << 16)) {
        free(buf);
        return;
    }
    samples[n_samples].name = strdup(file);
    samples[n_samples].bytes = buf;
    samples[n_samples].len = n;
    n_samples++;
}

static void read_samples(void)
{
    const char *src = getenv("KOFU_SOURCE_DIR");
    char dir[4000];
    snprintf(dir, sizeof dir, "%s/examples", src && *src ? src : ".");
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) && n_samples < sizeof samples / sizeof *samples) {
        size_t n = strlen(e->d_name);
        if (n > 4 && strcmp(e->d_name + n - 4, ".ini") == 0)
            read_sample(dir, e->d_name);
    }
    closedir(d);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    builtin = fuzz_builtin_rules();
    read_samples();
    return 0;
}

static void require(int ok)
{
    if (!ok)
        abort();
}

static void evaluate_samples(const kofu_rules *rules)
{
    for (size_t i = 0; i < n_samples; i++) {
        kofu_diag *d = NULL;
        require(kofu_diag_new(KOFU_LANG_EN, &d) == KOFU_OK);
        kofu_case *c = NULL;
        kofu_status st = kofu_case_load_buffer(rules, samples[i].name, samples[i].bytes,
                                               samples[i].len, d, &c);
        kofu_eval_options opt = {.lang = KOFU_LANG_EN};
        kofu_result *r = NULL;
        if (st == KOFU_OK)
            st = kofu_evaluate(rules, c, &opt, d, &r);
        require(st == KOFU_OK || st == KOFU_ENOMEM || kofu_diag_count(d) > 0);
        kofu_node *list = NULL;
        if (kofu_rules_list(rules, kofu_case_fiscal_year(c), KOFU_LANG_JA, &list) == KOFU_OK)
            kofu_node_free(&list);
        kofu_result_free(&r);
        kofu_case_free(&c);
        kofu_diag_free(&d);
    }
}

static void fuzz_measure(size_t m, const char *bytes, size_t len)
{
    kofu_diag *d = NULL;
    require(kofu_diag_new(m & 1 ? KOFU_LANG_EN : KOFU_LANG_JA, &d) == KOFU_OK);
    measure_rules mr;
    memset(&mr, 0, sizeof mr);
    kofu_status st = params_load_measure(registry_at(m), "fuzz.params", bytes, len, d, &mr);
    require(st == KOFU_OK || st == KOFU_ENOMEM || kofu_diag_count(d) > 0);
    for (size_t i = 0; i < kofu_diag_count(d); i++)
        free(kofu_diag_format(d, i));
    if (st == KOFU_OK) {
        /* Swap the fuzzed data in, evaluate, swap the built-in data back. */
        measure_rules saved = builtin->measures[m];
        builtin->measures[m] = mr;
        evaluate_samples(builtin);
        builtin->measures[m] = saved;
    }
    params_measure_rules_free(&mr);
    kofu_diag_free(&d);
}

static void fuzz_sources(const char *bytes, size_t len)
{
    kofu_diag *d = NULL;
    require(kofu_diag_new(KOFU_LANG_JA, &d) == KOFU_OK);
    bibliography b;
    kofu_status st = sources_load("fuzz.params", bytes, len, d, &b);
    require(st == KOFU_OK || st == KOFU_ENOMEM || kofu_diag_count(d) > 0);
    for (size_t i = 0; st == KOFU_OK && i < b.n; i++)
        for (int l = 0; l < 2; l++)
            free(source_cite_text(&b.entries[i], "x", l ? KOFU_LANG_EN : KOFU_LANG_JA));
    sources_free(&b);
    kofu_diag_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *bytes = (const char *)data;
    kofu_diag *d = NULL;
    require(kofu_diag_new(KOFU_LANG_EN, &d) == KOFU_OK);
    ini_file *ini = NULL;
    kofu_status st = ini_parse("fuzz.ini", bytes, size, KOFU_ECASE, d, &ini);
    require((st == KOFU_OK) == (ini != NULL));
    require(st == KOFU_OK || st == KOFU_ENOMEM || kofu_diag_count(d) > 0);
    for (size_t i = 0; ini && i < ini->n_sections; i++) {
        const ini_section *s = &ini->sections[i];
        require(ini_find_section(ini, s->name_lc) != NULL);
        for (size_t j = 0; j < s->n_entries; j++)
            require(ini_find_entry(s, s->entries[j].key_lc) != NULL);
    }
    ini_free(&ini);
    kofu_diag_free(&d);
    for (size_t m = 0; m < registry_count(); m++)
        fuzz_measure(m, bytes, size);
    fuzz_sources(bytes, size);
    return 0;
}
