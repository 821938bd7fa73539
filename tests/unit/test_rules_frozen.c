/*
 * test_rules_frozen.c — the built-in rule data frozen by the build
 * (cmake/freeze_rules.c, engine/rules_frozen.h) is, file for file, what the
 * INI reader makes of the embedded bytes now: every section and key, as
 * written and lowercased, every value and every line. The loader takes the
 * frozen file for bytes with a built-in file's digest, so a difference here
 * would be rule data read two ways.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "inifile.h"
#include "rules_embedded.h"
#include "rules_frozen.h"

static const ini_file *frozen_for(const char *sha256)
{
    for (const rules_frozen_file *f = rules_frozen; f->sha256; f++)
        if (strcmp(f->sha256, sha256) == 0)
            return f->ini;
    return NULL;
}

Test(rules_frozen, every_built_in_file_reads_as_frozen)
{
    size_t files = 0;
    for (const rules_embedded_file *e = rules_embedded; e->file; e++, files++) {
        const ini_file *frozen = frozen_for(e->sha256);
        cr_assert_not_null(frozen, "%s has no frozen form", e->file);
        kofu_diag *d = NULL;
        cr_assert_eq(kofu_diag_new(KOFU_LANG_EN, &d), KOFU_OK);
        ini_file *now = NULL;
        cr_assert_eq(ini_parse(e->file, e->bytes, e->len, KOFU_ERULES, d, &now), KOFU_OK, "%s", e->file);
        cr_assert_eq(frozen->n_sections, now->n_sections, "%s", e->file);
        for (size_t s = 0; s < now->n_sections; s++) {
            const ini_section *a = &frozen->sections[s], *b = &now->sections[s];
            cr_expect_str_eq(a->name, b->name, "%s", e->file);
            cr_expect_str_eq(a->name_lc, b->name_lc, "%s", e->file);
            cr_expect_eq(a->line, b->line, "%s [%s]", e->file, b->name);
            cr_assert_eq(a->n_entries, b->n_entries, "%s [%s]", e->file, b->name);
            for (size_t k = 0; k < b->n_entries; k++) {
                const ini_entry *x = &a->entries[k], *y = &b->entries[k];
                cr_expect_str_eq(x->key, y->key, "%s [%s]", e->file, b->name);
                cr_expect_str_eq(x->key_lc, y->key_lc, "%s [%s]", e->file, b->name);
                cr_expect_str_eq(x->value, y->value, "%s [%s] %s", e->file, b->name, y->key);
                cr_expect_eq(x->line, y->line, "%s [%s] %s", e->file, b->name, y->key);
            }
        }
        ini_free(&now);
        kofu_diag_free(&d);
    }
    size_t n_frozen = 0;
    while (rules_frozen[n_frozen].sha256)
        n_frozen++;
    cr_expect_eq(n_frozen, files, "one frozen file per embedded file");
    cr_expect_gt(files, 6u);
}
