/*
 * test_registry.c — unit tests over every registered measure: the registry
 * itself, the schema each measure declares, and the temporal coverage of its
 * rule data (Catala's habit): for every declared parameter, over FY2010-2035,
 * no year has two values in force, no year after the first lacks one, and the
 * first year is the one the measure's documents give. Written against whatever
 * measures exist, with a table of what those documents say about the known ones.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "params.h"
#include "registry.h"
#include "support.h"

#define FY_FROM 2010
#define FY_TO 2035

typedef struct expected {
    const char *name;
    int first_fy;      /* from the documents (fiscal_capacity: the RMO measures that need it) */
    unsigned entities;
} expected;

#define MUNI ((unsigned)KOFU_ENTITY_MUNICIPALITY)
#define BOTH ((unsigned)(KOFU_ENTITY_MUNICIPALITY | KOFU_ENTITY_PREFECTURE))

static const expected spec_table[] = {
    {"network", 2015, MUNI},
    {"cooperative", 2020, MUNI},
    {"rmo_formation", 2022, MUNI},
    {"rmo_operation", 2022, MUNI},
    {"rmo_management", 2022, BOTH},
    {"fiscal_capacity", 2022, BOTH},
    {NULL, 0, 0},
};

static const expected *spec_for(const char *name)
{
    for (const expected *e = spec_table; e->name; e++)
        if (strcmp(e->name, name) == 0)
            return e;
    return NULL;
}

static kofu_rules *rules;

static void setup(void) { rules = trules_builtin(); }
static void teardown(void) { kofu_rules_free(&rules); }

TestSuite(registry, .init = setup, .fini = teardown);

Test(registry, lookup)
{
    cr_assert_gt(registry_count(), 0);
    for (size_t i = 0; i < registry_count(); i++) {
        const measure_def *md = registry_at(i);
        cr_assert_not_null(md);
        cr_expect_eq(registry_find(md->name), (int)i, "%s", md->name);
    }
    cr_expect_null(registry_at(registry_count()));
    cr_expect_eq(registry_find("no_such_measure"), -1);
    cr_expect_eq(registry_find(""), -1);
    cr_expect_geq(registry_find("network"), 0);
}

Test(registry, components_come_before_the_measures_that_need_them)
{
    for (size_t i = 0; i < registry_count(); i++) {
        const measure_def *md = registry_at(i);
        if (!md->requires)
            continue;
        int r = registry_find(md->requires);
        cr_expect_geq(r, 0, "%s requires unknown %s", md->name, md->requires);
        cr_expect_lt(r, (int)i, "%s is registered before the component %s it needs", md->name,
                     md->requires);
        cr_expect(registry_at((size_t)r)->flags & MEASURE_COMPONENT, "%s is not a component",
                  md->requires);
    }
}

Test(registry, every_measure_is_complete)
{
    for (size_t i = 0; i < registry_count(); i++) {
        const measure_def *md = registry_at(i);
        cr_expect(md->label_ja && md->label_ja[0], "%s: label_ja", md->name);
        cr_expect(md->label_en && md->label_en[0], "%s: label_en", md->name);
        cr_expect(md->source && md->source[0], "%s: source", md->name);
        cr_expect_not_null(md->evaluate, "%s: evaluate", md->name);
        cr_expect_not_null(md->sections, "%s: sections", md->name);
        cr_expect_not_null(md->params, "%s: params", md->name);
        cr_expect_str_eq(kofu_label(md->name, KOFU_LANG_JA), md->label_ja);
        cr_expect_str_eq(kofu_label(md->name, KOFU_LANG_EN), md->label_en);
    }
}

Test(registry, schema_names_are_unique_and_labelled)
{
    for (size_t i = 0; i < registry_count(); i++) {
        const measure_def *md = registry_at(i);
        for (const section_def *sd = md->sections; sd && sd->name; sd++) {
            /* a section belongs to its measure: "network", "cooperative.worker" */
            size_t n = strlen(md->name);
            cr_expect(strncmp(sd->name, md->name, n) == 0 && (sd->name[n] == '\0' || sd->name[n] == '.'),
                      "section %s of measure %s", sd->name, md->name);
            cr_expect_neq(sd->form & (SEC_PLAIN | SEC_SUFFIXED), 0u, "section %s has no form", sd->name);
            cr_expect_neq(strcmp(sd->name, "case"), 0);
            cr_expect_neq(strcmp(sd->name, "claim"), 0);
            for (size_t j = 0; j < registry_count(); j++)
                for (const section_def *o = registry_at(j)->sections; o && o->name; o++)
                    /* one name may have two definitions of disjoint forms:
                     * [rmo_operation] and [rmo_operation.<org>] */
                    cr_expect(o == sd || strcmp(o->name, sd->name) != 0 || (o->form & sd->form) == 0,
                              "section %s twice", sd->name);
            for (const key_def *k = sd->keys; k->name; k++) {
                cr_expect(k->label_ja && k->label_ja[0], "[%s] %s: label_ja", sd->name, k->name);
                cr_expect(k->label_en && k->label_en[0], "[%s] %s: label_en", sd->name, k->name);
                for (const char *c = k->name; *c; c++)
                    cr_expect(!(*c >= 'A' && *c <= 'Z'), "[%s] %s: keys are lowercase", sd->name, k->name);
                for (const key_def *o = k + 1; o->name; o++)
                    cr_expect_neq(strcmp(o->name, k->name), 0, "[%s] %s twice", sd->name, k->name);
            }
        }
        for (const output_def *o = md->outputs; o && o->name; o++) {
            cr_expect(o->label_ja && o->label_en, "%s.%s: labels", md->name, o->name);
            for (const output_def *p = o + 1; p->name; p++)
                cr_expect_neq(strcmp(o->name, p->name), 0, "output %s.%s twice", md->name, o->name);
        }
    }
}

Test(registry, entities_match_spec)
{
    for (size_t i = 0; i < registry_count(); i++) {
        const measure_def *md = registry_at(i);
        const measure_rules *mr = rules_for(rules, i);
        cr_assert_not_null(mr);
        cr_expect_eq(mr->measure, md);
        cr_expect_neq(mr->entities, 0u, "%s: open to nobody", md->name);
        const expected *e = spec_for(md->name);
        if (e)
            cr_expect_eq(mr->entities, e->entities, "%s: entities %u, the table says %u", md->name,
                         mr->entities, e->entities);
    }
}

/* The Catala-style coverage: one value in force per year from the first on. */
Test(registry, temporal_coverage_of_every_parameter)
{
    for (size_t i = 0; i < registry_count(); i++) {
        const measure_def *md = registry_at(i);
        const measure_rules *mr = rules_for(rules, i);
        const expected *e = spec_for(md->name);
        size_t declared = 0;
        for (const param_decl *d = md->params; d && d->name; d++, declared++) {
            const param_def *p = rules_param(mr, d->name);
            cr_assert_not_null(p, "%s.%s: declared but not in the rule data", md->name, d->name);
            cr_assert_gt(p->n_values, 0, "%s.%s: no dated value", md->name, d->name);
            cr_expect_eq(p->kind, d->kind, "%s.%s: kind", md->name, d->name);
            for (size_t v = 1; v < p->n_values; v++)
                cr_expect_lt(p->values[v - 1].from_fy, p->values[v].from_fy,
                             "%s.%s: values not sorted unique at %d", md->name, d->name,
                             p->values[v].from_fy);
            int first = p->values[0].from_fy;
            if (e)
                cr_expect_eq(first, e->first_fy, "%s.%s: first value FY%d, the documented first year is FY%d",
                             md->name, d->name, first, e->first_fy);
            for (int fy = FY_FROM; fy <= FY_TO; fy++) {
                size_t in_force = 0;
                for (size_t v = 0; v < p->n_values; v++) {
                    int until = v + 1 < p->n_values ? p->values[v + 1].from_fy : FY_TO + 1;
                    in_force += p->values[v].from_fy <= fy && fy < until;
                }
                const param_value *at = param_at(p, fy);
                if (fy < first) {
                    cr_expect_eq(in_force, 0, "%s.%s FY%d: a value before the first", md->name, d->name, fy);
                    cr_expect_null(at, "%s.%s FY%d", md->name, d->name, fy);
                } else {
                    cr_expect_eq(in_force, 1, "%s.%s FY%d: %zu values in force", md->name, d->name, fy,
                                 in_force);
                    cr_assert_not_null(at, "%s.%s FY%d: gap", md->name, d->name, fy);
                    cr_expect_leq(at->from_fy, fy);
                    cr_expect(at == &p->values[p->n_values - 1] || at[1].from_fy > fy,
                              "%s.%s FY%d: param_at is not the latest value", md->name, d->name, fy);
                }
            }
            for (size_t v = 0; v < p->n_values; v++) {
                const param_value *pv = &p->values[v];
                cr_expect_gt(pv->n_cites, 0, "%s.%s.%d: source", md->name, d->name, pv->from_fy);
                for (size_t c = 0; c < pv->n_cites; c++)
                    cr_expect_not_null(sources_find(&rules->bib, pv->cites[c].source_id),
                                       "%s.%s.%d: source %s", md->name, d->name, pv->from_fy,
                                       pv->cites[c].source_id);
                /* a confirmed value is confirmed at least in its own first year */
                if (!pv->provisional)
                    cr_expect_geq(pv->confirmed_through, pv->from_fy, "%s.%s.%d: confirmed_through %d",
                                  md->name, d->name, pv->from_fy, pv->confirmed_through);
                if (p->kind == PARAM_TABLE)
                    cr_expect_gt(pv->n_points, 0, "%s.%s.%d: empty table", md->name, d->name, pv->from_fy);
            }
        }
        cr_expect_eq(mr->n_params, declared, "%s: parameters in the data that the measure does not declare",
                     md->name);
    }
}

Test(registry, known_first_years_are_the_measures_first_computable_years)
{
    /* A case in the first year is computable; one a year earlier is not. */
    for (const expected *e = spec_table; e->name; e++) {
        int m = registry_find(e->name);
        if (m < 0)
            continue; /* not built yet */
        const measure_rules *mr = rules_for(rules, (size_t)m);
        for (size_t p = 0; p < mr->n_params; p++) {
            cr_expect_not_null(param_at(&mr->params[p], e->first_fy), "%s.%s", e->name, mr->params[p].name);
            cr_expect_null(param_at(&mr->params[p], e->first_fy - 1), "%s.%s", e->name, mr->params[p].name);
        }
    }
}

Test(registry, headlines_are_outputs)
{
    size_t n = kofu_headline_count();
    cr_expect_gt(n, 0);
    for (size_t i = 0; i < n; i++) {
        const char *m, *a;
        kofu_headline_at(i, &m, &a);
        int k = registry_find(m);
        cr_assert_geq(k, 0, "%s", m);
        bool found = false;
        for (const output_def *o = registry_at((size_t)k)->outputs; o && o->name; o++)
            found = found || (strcmp(o->name, a) == 0 && (o->flags & OUT_HEADLINE));
        cr_expect(found, "%s.%s", m, a);
    }
    /* every headline output is listed, within the engine's fixed table */
    size_t listed = 0;
    for (size_t k = 0; k < registry_count(); k++)
        if (!(registry_at(k)->flags & MEASURE_COMPONENT))
            for (const output_def *o = registry_at(k)->outputs; o && o->name; o++)
                listed += (o->flags & OUT_HEADLINE) != 0;
    cr_expect_eq(n, listed);
    cr_expect_lt(n, 64u, "catalog.c MAX_HEADLINES");
    size_t n_defs = 0;
    for (size_t k = 0; k < registry_count(); k++)
        for (const section_def *sd = registry_at(k)->sections; sd && sd->name; sd++) {
            n_defs++;
            size_t n_keys = 0;
            while (sd->keys[n_keys].name)
                n_keys++;
            cr_expect_leq(n_keys, 32u, "case.c KEY_SLOTS / 2: [%s]", sd->name);
        }
    cr_expect_lt(n_defs, 128u, "case.c MAX_SECTION_DEFS");
    const char *m = "x", *a = "y";
    kofu_headline_at(n, &m, &a);
    cr_expect_str_eq(m, "");
    cr_expect_str_eq(a, "");
}

/* The rule data against the documents: the 財政力補正 tables (特別交付税に関する
 * 省令 第五条第一項第三号イ, 第四条第一項第一号) must give, at every index from
 * 0.00 to 1.50, the factor of the statute's own formula, computed here
 * without the table. */
static void statute_factor(bool pref, const kofu_num *x, kofu_num *f)
{
    if (num_cmp_int(x, 0) >= 0) {
        kofu_num half, eight;
        num_init(&half);
        num_init(&eight);
        num_set_frac(&half, 1, 2);
        num_set_frac(&eight, 4, 5);
        if (num_cmp(x, &half) < 0) {
            num_set_int(f, 1);
        } else if (num_cmp(x, &eight) >= 0) {
            num_set_frac(f, 1, pref ? 5 : 2);
        } else {
            kofu_num a, b;
            num_init(&a);
            num_init(&b);
            num_set_frac(&a, pref ? 7 : 11, pref ? 3 : 6);
            num_set_frac(&b, pref ? 8 : 5, 3);
            num_mul(&b, &b, x);
            num_sub(f, &a, &b);
            num_round(f, f, NUM_ROUND_HALF_UP_0_01);
            num_clear(&a);
            num_clear(&b);
        }
        num_clear(&half);
        num_clear(&eight);
    }
}

static const param_value *factor_table(const kofu_rules *r, const char *name, int fy)
{
    int m = registry_find("fiscal_capacity");
    cr_assert_geq(m, 0);
    const param_def *p = rules_param(rules_for(r, (size_t)m), name);
    cr_assert_not_null(p, "fiscal_capacity.%s", name);
    cr_assert_eq(p->kind, PARAM_TABLE);
    const param_value *v = param_at(p, fy);
    cr_assert_not_null(v);
    return v;
}

Test(registry, factor_tables_equal_the_statute_formula_everywhere)
{
    kofu_rules *r = trules_builtin();
    for (int e = 0; e < 2; e++) {
        const param_value *t = factor_table(r, e ? "factor_prefecture" : "factor_municipality", 2025);
        for (int i = 0; i <= 150; i++) {
            kofu_num x, got, want;
            num_init(&x);
            num_init(&got);
            num_init(&want);
            num_set_frac(&x, i, 100);
            param_table_apply(t, &x, &got);
            statute_factor(e == 1, &x, &want);
            char *g = num_to_string(&got), *w = num_to_string(&want);
            cr_expect_str_eq(g, w, "%s at %d/100: table %s, statute %s", e ? "道府県" : "市町村", i,
                             g, w);
            free(g);
            free(w);
            num_clear(&x);
            num_clear(&got);
            num_clear(&want);
        }
    }
    kofu_rules_free(&r);
}
