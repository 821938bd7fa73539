/* catalog.c — what kofu knows, for people: labels, the case-file schema and
 * the listing of rule data (`kofu rules`, help text, documentation). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "fy.h"
#include "node.h"
#include "params.h"
#include "registry.h"
#include "util.h"

static const char *pick(kofu_lang lang, const char *ja, const char *en)
{
    return lang == KOFU_LANG_EN ? en : ja;
}

static const char *key_label(const section_def *sd, const char *key, kofu_lang lang)
{
    int k = section_key_index(sd, key);
    return k >= 0 ? pick(lang, sd->keys[k].label_ja, sd->keys[k].label_en) : NULL;
}

static const char *measure_label(const measure_def *md, const char *rest, kofu_lang lang)
{
    if (!rest)
        return pick(lang, md->label_ja, md->label_en);
    for (const output_def *o = md->outputs; o && o->name; o++)
        if (strcmp(o->name, rest) == 0)
            return pick(lang, o->label_ja, o->label_en);
    /* "cooperative.worker.months": the longest section name that prefixes rest */
    const char *best = NULL;
    size_t best_len = 0;
    for (const section_def *sd = md->sections; sd && sd->name; sd++) {
        size_t len = strlen(md->name);
        const char *sub = sd->name + len; /* "" or ".worker" */
        const char *key = rest;
        if (*sub) {
            size_t sl = strlen(sub + 1);
            if (strncmp(rest, sub + 1, sl) != 0 || rest[sl] != '.')
                continue;
            key = rest + sl + 1;
        }
        const char *l = key_label(sd, key, lang);
        if (l && strlen(sub) >= best_len) {
            best = l;
            best_len = strlen(sub);
        }
    }
    return best;
}

const char *kofu_label(const char *dotted, kofu_lang lang)
{
    if (!dotted)
        return NULL;
    if (strcmp(dotted, "totals.special_tax_grant") == 0)
        return pick(lang, "特別交付税 合計", "special tax grants, total");
    if (strcmp(dotted, "totals.national_grant") == 0)
        return pick(lang, "国の交付金 合計", "national grants, total");
    if (strncmp(dotted, "case.", 5) == 0)
        return key_label(case_core_section(), dotted + 5, lang);
    const char *dot = strchr(dotted, '.');
    size_t len = dot ? (size_t)(dot - dotted) : strlen(dotted);
    for (size_t m = 0; m < registry_count(); m++) {
        const measure_def *md = registry_at(m);
        if (strlen(md->name) == len && strncmp(md->name, dotted, len) == 0)
            return measure_label(md, dot ? dot + 1 : NULL, lang);
    }
    return NULL;
}

static const char *type_name(key_type t)
{
    static const char *const names[] = {"amount", "ratio", "decimal", "integer", "boolean",
                                        "text", "id", "fiscal_year", "entity"};
    return (size_t)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

static void schema_section(kofu_node *arr, const section_def *sd, const char *measure)
{
    for (const key_def *k = sd->keys; k->name; k++) {
        kofu_node *o = node_object(NULL);
        char *sec = (sd->form & SEC_SUFFIXED) ? xasprintf("%s%s", sd->name,
                                                          (sd->form & SEC_PLAIN) ? "[.<id>]" : ".<id>")
                                              : xstrdup(sd->name);
        node_set(o, "section", sec ? node_string(NULL, sec) : NULL);
        free(sec);
        node_set(o, "key", node_string(NULL, k->name));
        node_set(o, "type", node_string(NULL, type_name(k->type)));
        node_set(o, "required", node_bool(NULL, k->flags & KEY_REQUIRED));
        if (k->min)
            node_set(o, "min", node_decimal(NULL, k->min));
        if (k->max)
            node_set(o, "max", node_decimal(NULL, k->max));
        node_set(o, "label_ja", node_string(NULL, k->label_ja));
        node_set(o, "label_en", node_string(NULL, k->label_en));
        node_set(o, "measure", node_string(NULL, measure));
        if (sd->label_ja && sd->label_en) {
            node_set(o, "section_label_ja", node_string(NULL, sd->label_ja));
            node_set(o, "section_label_en", node_string(NULL, sd->label_en));
        }
        node_push(arr, o);
    }
}

kofu_status kofu_schema(kofu_node **out)
{
    if (!out)
        return KOFU_EUSAGE;
    kofu_node *arr = node_array(NULL);
    schema_section(arr, case_core_section(), "");
    for (size_t m = 0; m < registry_count(); m++)
        for (const section_def *sd = registry_at(m)->sections; sd && sd->name; sd++)
            schema_section(arr, sd, registry_at(m)->name);
    if (node_failed(arr)) {
        kofu_node_free(&arr);
        return KOFU_ENOMEM;
    }
    *out = arr;
    return KOFU_OK;
}

kofu_status kofu_outputs(kofu_node **out)
{
    if (!out)
        return KOFU_EUSAGE;
    kofu_node *arr = node_array(NULL);
    for (size_t m = 0; m < registry_count(); m++) {
        const measure_def *md = registry_at(m);
        for (const output_def *o = md->outputs; o && o->name; o++) {
            kofu_node *e = node_object(NULL);
            node_set(e, "measure", node_string(NULL, md->name));
            node_set(e, "name", node_string(NULL, o->name));
            node_set(e, "label_ja", node_string(NULL, o->label_ja));
            node_set(e, "label_en", node_string(NULL, o->label_en));
            node_set(e, "claimable", node_bool(NULL, o->flags & OUT_CLAIMABLE));
            node_set(e, "headline", node_bool(NULL, o->flags & OUT_HEADLINE));
            node_push(arr, e);
        }
    }
    if (node_failed(arr)) {
        kofu_node_free(&arr);
        return KOFU_ENOMEM;
    }
    *out = arr;
    return KOFU_OK;
}

static kofu_node *param_entry(const kofu_rules *rules, const measure_rules *mr,
                              const param_def *p, const param_value *v, kofu_lang lang)
{
    kofu_node *o = node_object(NULL);
    node_set(o, "measure", node_string(NULL, mr->measure->name));
    node_set(o, "name", node_string(NULL, p->name));
    node_set(o, "label", node_string(NULL, pick(lang, p->label_ja, p->label_en)));
    node_set(o, "from_fy", node_int(NULL, v->from_fy));
    if (p->kind == PARAM_TABLE) {
        char *t = xasprintf("%s {%s}%s%s", v->interp == INTERP_STEP ? "step" : "linear",
                            v->points_text, v->rounded ? " " : "",
                            v->rounded ? num_rounding_name(v->rounding) : "");
        node_set(o, "value", t ? node_string(NULL, t) : NULL);
        free(t);
    } else if (p->kind == PARAM_CHOICE) {
        node_set(o, "value", node_string(NULL, v->points_text));
    } else {
        node_set(o, "value", node_decimal_num(NULL, &v->value));
    }
    node_set(o, "unit", node_string(NULL, p->unit));
    node_set(o, "status", node_string(NULL, v->provisional ? "provisional" : "confirmed"));
    node_set(o, "confirmed_through", node_int(NULL, v->confirmed_through));
    node_set(o, "source", node_string(NULL, v->cite_text[lang == KOFU_LANG_EN]));
    node_set(o, "source_id", node_string(NULL, v->cites[0].source_id));
    node_set(o, "locator", node_string(NULL, v->cites[0].locator));
    if (v->confirmed_through) {
        const char *by = v->cites[v->confirmed_by].source_id;
        const source_entry *e = sources_find(&rules->bib, by);
        node_set(o, "confirmed_by", node_string(NULL, by));
        node_set(o, "confirmed_by_kind", node_string(NULL, e ? e->kind : ""));
    }
    node_set(o, "file", node_string(NULL, mr->file_name));
    return o;
}

kofu_status kofu_rules_list(const kofu_rules *rules, int fy, kofu_lang lang, kofu_node **out)
{
    if (!rules || !out)
        return KOFU_EUSAGE;
    kofu_node *arr = node_array(NULL);
    for (size_t m = 0; m < rules->n_measures; m++) {
        const measure_rules *mr = &rules->measures[m];
        for (size_t i = 0; i < mr->n_params; i++) {
            const param_def *p = &mr->params[i];
            if (fy) {
                const param_value *v = param_at(p, fy);
                if (v)
                    node_push(arr, param_entry(rules, mr, p, v, lang));
            } else {
                for (size_t j = 0; j < p->n_values; j++)
                    node_push(arr, param_entry(rules, mr, p, &p->values[j], lang));
            }
        }
    }
    if (node_failed(arr)) {
        kofu_node_free(&arr);
        return KOFU_ENOMEM;
    }
    *out = arr;
    return KOFU_OK;
}

static void set_opt(kofu_node *o, const char *key, const char *v)
{
    if (v)
        node_set(o, key, node_string(NULL, v));
}

kofu_status kofu_rules_sources(const kofu_rules *rules, kofu_lang lang, kofu_node **out)
{
    if (!rules || !out)
        return KOFU_EUSAGE;
    kofu_node *arr = node_array(NULL);
    for (size_t i = 0; i < rules->bib.n; i++) {
        const source_entry *e = &rules->bib.entries[i];
        kofu_node *o = node_object(NULL);
        node_set(o, "id", node_string(NULL, e->id));
        node_set(o, "kind", node_string(NULL, e->kind));
        set_opt(o, "issuer", e->issuer);
        node_set(o, "title", node_string(NULL, lang == KOFU_LANG_EN && e->title_en ? e->title_en : e->title));
        set_opt(o, "date", e->date);
        set_opt(o, "number", e->number);
        set_opt(o, "as_of", e->as_of);
        set_opt(o, "amended_by", e->amended_by);
        set_opt(o, "edition", e->edition);
        set_opt(o, "url", e->url);
        set_opt(o, "doc", e->doc);
        set_opt(o, "note", e->note);
        char *t = source_cite_text(e, NULL, lang);
        node_set(o, "citation", t ? node_string(NULL, t) : NULL);
        free(t);
        node_push(arr, o);
    }
    if (node_failed(arr)) {
        kofu_node_free(&arr);
        return KOFU_ENOMEM;
    }
    *out = arr;
    return KOFU_OK;
}

/* Walks the registry's OUT_HEADLINE outputs; i-th one, or count when i is
 * SIZE_MAX. Measures are few, so a walk per call is cheaper than a cache
 * that would need locking. */
/* The headline amounts in registry order, listed once: a CSV row asks for
 * each of them. */
#define MAX_HEADLINES 64

static struct {
    const char *measure, *amount;
} headlines[MAX_HEADLINES];
static size_t n_headlines;
static pthread_once_t headlines_once = PTHREAD_ONCE_INIT;

static void list_headlines(void)
{
    for (size_t m = 0; m < registry_count(); m++) {
        const measure_def *md = registry_at(m);
        if (md->flags & MEASURE_COMPONENT)
            continue;
        for (const output_def *o = md->outputs; o && o->name; o++) {
            if (!(o->flags & OUT_HEADLINE))
                continue;
            /* the registry is fixed at build time: test_registry checks the bound */
            if (n_headlines == MAX_HEADLINES)
                abort();
            headlines[n_headlines].measure = md->name;
            headlines[n_headlines].amount = o->name;
            n_headlines++;
        }
    }
}

size_t kofu_headline_count(void)
{
    pthread_once(&headlines_once, list_headlines);
    return n_headlines;
}

void kofu_headline_at(size_t i, const char **measure, const char **amount)
{
    *measure = *amount = "";
    if (i < kofu_headline_count()) {
        *measure = headlines[i].measure;
        *amount = headlines[i].amount;
    }
}

bool kofu_fy_parse(const char *s, int *fy) { return s && fy && fy_parse(s, fy); }

size_t kofu_fy_format(int fy, kofu_lang lang, char *buf, size_t cap)
{
    return lang == KOFU_LANG_EN ? fy_format_en(fy, buf, cap) : fy_format_ja(fy, buf, cap);
}

void kofu_amount_headings(const char *const *names, size_t n, kofu_lang lang, char **headings)
{
    /* compare the plain labels: every heading reading like another gets its
     * measure's label */
    const char **plain = calloc(n ? n : 1, sizeof *plain);
    for (size_t i = 0; plain && i < n; i++) {
        const char *l = kofu_label(names[i], lang);
        plain[i] = l ? l : names[i];
    }
    for (size_t i = 0; i < n; i++) {
        bool same = false;
        for (size_t j = 0; plain && j < n && !same; j++)
            same = j != i && strcmp(plain[i], plain[j]) == 0 && strcmp(names[i], names[j]) != 0;
        const char *label = plain ? plain[i] : names[i];
        char measure[128];
        const char *dot = strchr(names[i], '.');
        snprintf(measure, sizeof measure, "%.*s", dot ? (int)(dot - names[i]) : 0, names[i]);
        const char *ml = strcmp(measure, "totals") == 0 ? NULL : kofu_label(measure, lang);
        headings[i] = same && ml ? xasprintf(lang == KOFU_LANG_EN ? "%s (%s)" : "%s（%s）", label, ml)
                                 : NULL;
        if (!headings[i])
            headings[i] = xstrdup(label);
    }
    free(plain);
}
