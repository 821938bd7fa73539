/* params.c — loading, checking and querying rule data (see params.h). */
#include "params.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "fy.h"
#include "inifile.h"
#include "registry.h"
#include "rules_embedded.h"
#include "rules_frozen.h"
#include "params_check.h"
#include "rules_files.h"
#include "suggest.h"
#include "util.h"

/* The bibliography's file in a rule set (rules/, DIR/). */
#define SOURCES_FILE "sources.params"

/* ---- small helpers ---------------------------------------------------- */

bool entity_parse(const char *s, kofu_entity *out)
{
    if (ascii_ieq(s, "municipality") || strcmp(s, "市町村") == 0) {
        *out = KOFU_ENTITY_MUNICIPALITY;
        return true;
    }
    if (ascii_ieq(s, "prefecture") || strcmp(s, "道府県") == 0 || strcmp(s, "都道府県") == 0) {
        *out = KOFU_ENTITY_PREFECTURE;
        return true;
    }
    return false;
}

const char *entity_name(kofu_entity e)
{
    return e == KOFU_ENTITY_PREFECTURE ? "prefecture" : "municipality";
}

const measure_rules *rules_for(const kofu_rules *r, size_t measure_index)
{
    return (r && measure_index < r->n_measures) ? &r->measures[measure_index] : NULL;
}

const param_def *rules_param(const measure_rules *mr, const char *name)
{
    /* the first byte rules out most names before strcmp (every evaluation
     * looks up each parameter it uses) */
    for (size_t i = 0; mr && i < mr->n_params; i++)
        if (mr->params[i].name[0] == name[0] && strcmp(mr->params[i].name, name) == 0)
            return &mr->params[i];
    return NULL;
}

const param_value *param_at(const param_def *p, int fy)
{
    const param_value *found = NULL;
    for (size_t i = 0; i < p->n_values; i++)
        if (p->values[i].from_fy <= fy)
            found = &p->values[i];
    return found;
}

/* Linear interpolation between the two points around x, or the value of the
 * last point at or below x for a step table; clamped at both ends. */
void param_table_apply(const param_value *v, const kofu_num *x, kofu_num *y)
{
    size_t n = v->n_points;
    if (num_cmp(x, &v->xs[0]) <= 0) {
        num_set(y, &v->ys[0]);
    } else if (num_cmp(x, &v->xs[n - 1]) >= 0) {
        num_set(y, &v->ys[n - 1]);
    } else {
        size_t i = 0;
        while (num_cmp(x, &v->xs[i + 1]) >= 0)
            i++;
        if (v->interp == INTERP_STEP) {
            num_set(y, &v->ys[i]);
        } else {
            kofu_num t, dx;
            num_init(&t);
            num_init(&dx);
            num_sub(&t, x, &v->xs[i]);
            num_sub(&dx, &v->xs[i + 1], &v->xs[i]);
            num_div(&t, &t, &dx);
            num_sub(&dx, &v->ys[i + 1], &v->ys[i]);
            num_mul(&t, &t, &dx);
            num_add(y, &v->ys[i], &t);
            num_clear(&t);
            num_clear(&dx);
        }
    }
    if (v->rounded)
        num_round(y, y, v->rounding);
}

/* ---- freeing ---------------------------------------------------------- */

static void value_free(param_value *v)
{
    for (size_t i = 0; i < v->n_cites; i++) {
        free(v->cites[i].source_id);
        free(v->cites[i].locator);
        free(v->cites[i].quote);
    }
    free(v->cite_text[0]);
    free(v->cite_text[1]);
    free(v->points_text);
    num_clear(&v->value);
    for (size_t i = 0; i < v->n_points; i++) {
        num_clear(&v->xs[i]);
        num_clear(&v->ys[i]);
    }
    free(v->xs);
    free(v->ys);
}

static void measure_rules_free(measure_rules *mr)
{
    for (size_t i = 0; i < mr->n_params; i++) {
        param_def *p = &mr->params[i];
        for (size_t j = 0; j < p->n_values; j++)
            value_free(&p->values[j]);
        free(p->values);
        free(p->name);
        free(p->label_ja);
        free(p->label_en);
        free(p->unit);
    }
    free(mr->params);
    free(mr->file_name);
    free(mr->text);
}

void kofu_rules_free(kofu_rules **r)
{
    if (!r || !*r)
        return;
    for (size_t i = 0; i < (*r)->n_measures; i++)
        measure_rules_free(&(*r)->measures[i]);
    free((*r)->measures);
    for (size_t i = 0; i < (*r)->n_seen; i++)
        free((*r)->seen[i].name);
    free((*r)->seen);
    free((*r)->dir);
    sources_free(&(*r)->bib);
    for (size_t i = 0; i < (*r)->n_edits; i++) {
        free((*r)->edits[i].text[0]);
        free((*r)->edits[i].text[1]);
    }
    free((*r)->edits);
    free(*r);
    *r = NULL;
}

/* ---- loading one file ------------------------------------------------- */

typedef struct loader {
    kofu_diag *diag;
    const char *file;
    const measure_def *m;
    measure_rules *mr;
    const bibliography *bib;
    bool bad;
} loader;

static void load_error(loader *ld, const ini_section *s, const ini_entry *e, const char *ja,
                       const char *en, ...) KOFU_PRINTF2(4, 6);

static void load_error(loader *ld, const ini_section *s, const ini_entry *e, const char *ja,
                       const char *en, ...)
{
    va_list ap;
    va_start(ap, en);
    diag_vadd(ld->diag, KOFU_ERULES, ld->file, e ? e->line : (s ? s->line : 0),
              s ? s->name : NULL, e ? e->key : NULL, ja, en, ap);
    va_end(ap);
    ld->bad = true;
}

static const param_decl *decl_find(const measure_def *m, const char *name)
{
    for (const param_decl *d = m->params; d && d->name; d++)
        if (strcmp(d->name, name) == 0)
            return d;
    return NULL;
}

static param_def *param_get_or_add(loader *ld, const param_decl *d)
{
    measure_rules *mr = ld->mr;
    for (size_t i = 0; i < mr->n_params; i++)
        if (strcmp(mr->params[i].name, d->name) == 0)
            return &mr->params[i];
    param_def *ps = realloc(mr->params, (mr->n_params + 1) * sizeof *ps);
    if (!ps)
        return NULL;
    mr->params = ps;
    param_def *p = &ps[mr->n_params];
    memset(p, 0, sizeof *p);
    p->name = xstrdup(d->name);
    if (!p->name)
        return NULL;
    p->kind = d->kind;
    mr->n_params++;
    return p;
}

/* Checks that every key of s is one of `allowed` (NULL-terminated). */
static void check_keys(loader *ld, const ini_section *s, const char *const *allowed)
{
    for (size_t i = 0; i < s->n_entries; i++) {
        const ini_entry *e = &s->entries[i];
        bool ok = false;
        for (const char *const *a = allowed; *a; a++)
            ok = ok || strcmp(e->key_lc, *a) == 0;
        if (!ok) {
            const char *near = suggest_nearest(e->key_lc, allowed);
            char *hint = near ? xasprintf("; did you mean %s?", near) : NULL;
            char *hint_ja = near ? xasprintf("（%s の誤りでは？）", near) : NULL;
            ld->bad = true;
            diag_add(ld->diag, KOFU_ERULES, ld->file, e->line, s->name, e->key,
                     "不明なキーです%s", "unknown key%s",
                     diag_lang(ld->diag) == KOFU_LANG_EN ? (hint ? hint : "")
                                                         : (hint_ja ? hint_ja : ""));
            free(hint);
            free(hint_ja);
        }
    }
}

/* A required, non-empty string key. */
static const char *need(loader *ld, const ini_section *s, const char *key)
{
    const ini_entry *e = ini_find_entry(s, key);
    if (!e || !e->value[0]) {
        ld->bad = true;
        diag_add(ld->diag, KOFU_ERULES, ld->file, e ? e->line : s->line, s->name, key,
                 "必須のキーがありません", "required key is missing or empty");
        return NULL;
    }
    return e->value;
}

static bool set_dup(char **dst, const char *src)
{
    free(*dst);
    *dst = xstrdup(src);
    return *dst != NULL;
}

static void load_measure_section(loader *ld, const ini_section *s)
{
    static const char *const keys[] = {"entities", NULL};
    check_keys(ld, s, keys);
    const char *ents = need(ld, s, "entities");
    if (!ents)
        return;
    char *copy = xstrdup(ents);
    char *save = NULL;
    for (char *tok = copy ? strtok_r(copy, ", ", &save) : NULL; tok;
         tok = strtok_r(NULL, ", ", &save)) {
        kofu_entity e;
        if (entity_parse(tok, &e))
            ld->mr->entities |= (unsigned)e;
        else
            load_error(ld, s, ini_find_entry(s, "entities"),
                       "団体の種類が不明です: %s (municipality, prefecture)",
                       "unknown entity: %s (expected municipality, prefecture)", tok);
    }
    free(copy);
}

static void load_param_meta(loader *ld, const ini_section *s, param_def *p)
{
    static const char *const keys[] = {"label_ja", "label_en", "unit", NULL};
    check_keys(ld, s, keys);
    const char *ja = need(ld, s, "label_ja"), *en = need(ld, s, "label_en");
    const char *unit = need(ld, s, "unit");
    if (ja && en && unit && !(set_dup(&p->label_ja, ja) && set_dup(&p->label_en, en) &&
                              set_dup(&p->unit, unit)))
        ld->bad = true;
}

static bool parse_points(loader *ld, const ini_section *s, const ini_entry *e, param_value *v)
{
    size_t n = 1;
    for (const char *c = e->value; *c; c++)
        n += *c == ',';
    v->xs = calloc(n, sizeof *v->xs);
    v->ys = calloc(n, sizeof *v->ys);
    char *copy = xstrdup(e->value);
    if (!v->xs || !v->ys || !copy) {
        free(copy);
        return false;
    }
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ' || *tok == '\t')
            tok++;
        char *colon = strchr(tok, ':');
        size_t i = v->n_points;
        num_init(&v->xs[i]);
        num_init(&v->ys[i]);
        v->n_points++;
        if (colon)
            *colon = '\0';
        bool parsed = colon && num_parse_exact(tok, &v->xs[i]) == NUM_PARSE_OK &&
                      num_parse_exact(colon + 1, &v->ys[i]) == NUM_PARSE_OK;
        if (colon) /* messages quote the whole x:y pair */
            *colon = ':';
        if (!parsed) {
            load_error(ld, s, e, "点の書式が不正です（x:y をコンマ区切りで）: %s",
                       "malformed point (expected x:y pairs separated by commas): %s", tok);
            break;
        }
        if (i > 0 && num_cmp(&v->xs[i], &v->xs[i - 1]) <= 0) {
            load_error(ld, s, e, "x は厳密に増加しなければなりません: %s",
                       "x must be strictly increasing: %s", tok);
            break;
        }
    }
    free(copy);
    v->points_text = xstrdup(e->value);
    return v->points_text != NULL;
}

static void load_table_value(loader *ld, const ini_section *s, param_value *v)
{
    const char *interp = need(ld, s, "interpolation");
    const char *round = need(ld, s, "round");
    const ini_entry *pts = ini_find_entry(s, "points");
    if (interp && strcmp(interp, "linear") == 0)
        v->interp = INTERP_LINEAR;
    else if (interp && strcmp(interp, "step") == 0)
        v->interp = INTERP_STEP;
    else if (interp)
        load_error(ld, s, ini_find_entry(s, "interpolation"),
                   "補間方法は linear か step です: %s", "interpolation must be linear or step: %s",
                   interp);
    if (round && strcmp(round, "none") != 0) {
        v->rounded = true;
        if (!num_rounding_from_name(round, &v->rounding))
            load_error(ld, s, ini_find_entry(s, "round"),
                       "端数処理が不明です: %s", "unknown rounding: %s", round);
    }
    if (!pts || !pts->value[0]) {
        need(ld, s, "points");
        return;
    }
    if (!parse_points(ld, s, pts, v))
        ld->bad = true;
}

/* A choice: the word must be one the measure declares; its index is the
 * value (so the store keeps one number per dated value), the word its text. */
static void load_choice_value(loader *ld, const ini_section *s, const param_def *p,
                              const char *word, param_value *v)
{
    const char *choices = "";
    for (const param_choices *pc = ld->m->choices; pc && pc->name; pc++)
        if (strcmp(pc->name, p->name) == 0)
            choices = pc->words;
    int64_t index = 0;
    for (const char *c = choices; *c; index++) {
        size_t n = strcspn(c, "|");
        if (strlen(word) == n && strncmp(c, word, n) == 0) {
            num_set_int(&v->value, index);
            if (!set_dup(&v->points_text, word))
                ld->bad = true;
            return;
        }
        c += n + (c[n] == '|');
    }
    load_error(ld, s, ini_find_entry(s, "value"), "値は %s のどれかです: %s",
               "the value must be one of %s: %s", choices, word);
}

#define CITE_KEYS                                                                          \
    "source", "locator", "quote", "source_2", "locator_2", "quote_2", "source_3", "locator_3", \
        "quote_3", "source_4", "locator_4", "quote_4", "confirmed_by"

static const char *cite_key(char *buf, size_t cap, const char *key, size_t i)
{
    if (i == 0)
        snprintf(buf, cap, "%s", key);
    else
        snprintf(buf, cap, "%s_%zu", key, i + 1);
    return buf;
}

/* The citations of a dated value: source[_N] (an id of the bibliography),
 * locator[_N], quote[_N]; checked against the bibliography. */
static void load_cites(loader *ld, const ini_section *s, param_value *v)
{
    bool kofu_cited = false;
    for (size_t i = 0; i < PARAM_MAX_CITES; i++) {
        char sk[16], lk[16], qk[16];
        const ini_entry *se = ini_find_entry(s, cite_key(sk, sizeof sk, "source", i));
        const ini_entry *le = ini_find_entry(s, cite_key(lk, sizeof lk, "locator", i));
        const ini_entry *qe = ini_find_entry(s, cite_key(qk, sizeof qk, "quote", i));
        if (i == 0 && (!se || !se->value[0])) {
            need(ld, s, "source");
            return;
        }
        if (!se) {
            if (le || qe)
                load_error(ld, s, le ? le : qe, "%s がありません（%s は出典に付けるものです）",
                           "%s is missing (%s belongs to a source)", sk, le ? lk : qk);
            continue;
        }
        const source_entry *src = sources_find(ld->bib, se->value);
        if (!src) {
            load_error(ld, s, se, "出典 %s は文献一覧（%s）にありません",
                       "source %s is not in the bibliography (%s)", se->value,
                       ld->bib && ld->bib->file_name ? ld->bib->file_name : "sources.params");
            continue;
        }
        if (source_is_statute(src) && (!le || !le->value[0]))
            load_error(ld, s, se, "法令 %s の引用には条項（%s）が必要です",
                       "a citation of the statute %s needs its article (%s)", se->value, lk);
        kofu_cited = kofu_cited || strcmp(src->kind, "kofu") == 0;
        param_cite *c = &v->cites[v->n_cites++];
        c->source_id = xstrdup(se->value);
        c->locator = xstrdup(le ? le->value : "");
        c->quote = qe && qe->value[0] ? xstrdup(qe->value) : NULL;
        if (!c->source_id || !c->locator || (qe && qe->value[0] && !c->quote))
            ld->bad = true;
    }
    if (v->provisional && !kofu_cited && !ld->bad)
        load_error(ld, s, ini_find_entry(s, "status"),
                   "暫定値は kofu の解釈（kind = kofu の出典）を引用し、選んだ読み方の説明を示してください",
                   "a provisional value must cite kofu's own interpretation (a source of kind "
                   "kofu) that explains the reading chosen");
    const ini_entry *cb = ini_find_entry(s, "confirmed_by");
    if (cb) {
        size_t k = 0;
        while (k < v->n_cites && strcmp(v->cites[k].source_id, cb->value) != 0)
            k++;
        if (k == v->n_cites)
            load_error(ld, s, cb, "confirmed_by の %s はこの値の出典にありません",
                       "confirmed_by names %s, which this value does not cite", cb->value);
        else
            v->confirmed_by = k;
    }
}

/* The citations for people, joined: precomputed once per value. */
static void cite_texts(loader *ld, param_value *v)
{
    for (int l = 0; l < 2; l++) {
        strbuf b = {0};
        for (size_t i = 0; i < v->n_cites; i++) {
            const source_entry *src = sources_find(ld->bib, v->cites[i].source_id);
            char *t = src ? source_cite_text(src, v->cites[i].locator,
                                             l ? KOFU_LANG_EN : KOFU_LANG_JA)
                          : NULL;
            if (i)
                sb_puts(&b, l ? "; " : "／");
            sb_puts(&b, t ? t : v->cites[i].source_id);
            if (v->cites[i].quote)
                sb_printf(&b, l ? " \"%s\"" : "「%s」", v->cites[i].quote);
            free(t);
        }
        v->cite_text[l] = sb_take(&b);
        if (!v->cite_text[l])
            ld->bad = true;
    }
}

static void load_dated_value(loader *ld, const ini_section *s, param_def *p, int fy)
{
    static const char *const value_keys[] = {"value", "status", "confirmed_through", CITE_KEYS,
                                             NULL};
    static const char *const table_keys[] = {"interpolation", "points", "round", "status",
                                             "confirmed_through", CITE_KEYS, NULL};
    check_keys(ld, s, p->kind == PARAM_TABLE ? table_keys : value_keys);
    for (size_t i = 0; i < p->n_values; i++)
        if (p->values[i].from_fy == fy) {
            load_error(ld, s, NULL, "同じ年度の値が二つあります", "two values for the same fiscal year");
            return;
        }
    param_value *vs = realloc(p->values, (p->n_values + 1) * sizeof *vs);
    if (!vs) {
        ld->bad = true;
        return;
    }
    p->values = vs;
    /* keep sorted by from_fy */
    size_t at = p->n_values;
    while (at > 0 && vs[at - 1].from_fy > fy)
        at--;
    memmove(&vs[at + 1], &vs[at], (p->n_values - at) * sizeof *vs);
    param_value *v = &vs[at];
    memset(v, 0, sizeof *v);
    num_init(&v->value);
    v->from_fy = fy;
    p->n_values++;

    const char *status = need(ld, s, "status");
    if (status && strcmp(status, "provisional") == 0)
        v->provisional = true;
    else if (status && strcmp(status, "confirmed") != 0)
        load_error(ld, s, ini_find_entry(s, "status"),
                   "status は confirmed か provisional です: %s",
                   "status must be confirmed or provisional: %s", status);
    const char *through = need(ld, s, "confirmed_through");
    if (through && strcmp(through, "none") != 0 && !fy_parse(through, &v->confirmed_through))
        load_error(ld, s, ini_find_entry(s, "confirmed_through"),
                   "年度か none を書いてください: %s", "expected a fiscal year or none: %s", through);
    if (through && !v->provisional && strcmp(through, "none") == 0)
        load_error(ld, s, ini_find_entry(s, "confirmed_through"),
                   "confirmed の値には確認された最終年度が必要です",
                   "a confirmed value needs the last fiscal year it was confirmed for");
    load_cites(ld, s, v);
    if (!ld->bad)
        cite_texts(ld, v);
    if (p->kind == PARAM_TABLE) {
        load_table_value(ld, s, v);
        return;
    }
    const char *value = need(ld, s, "value");
    if (value && p->kind == PARAM_CHOICE) {
        load_choice_value(ld, s, p, value, v);
        return;
    }
    if (value && num_parse_exact(value, &v->value) != NUM_PARSE_OK)
        load_error(ld, s, ini_find_entry(s, "value"), "数値ではありません: %s",
                   "not an exact number: %s", value);
}

/* A dated value, then its meaning (params_check.c) when its form was sound. */
static void load_and_check_value(loader *ld, const ini_section *s, const param_decl *d,
                                 param_def *p, int fy)
{
    size_t errors = kofu_diag_count(ld->diag);
    bool was_bad = ld->bad;
    load_dated_value(ld, s, p, fy);
    if (kofu_diag_count(ld->diag) != errors || (ld->bad && !was_bad))
        return;
    for (size_t i = 0; i < p->n_values; i++)
        if (p->values[i].from_fy == fy && !params_check_value(ld->diag, ld->file, s, d, &p->values[i]))
            ld->bad = true;
}

/* Splits "cap_base.2021" into the parameter name and its fiscal year. */
static void load_section(loader *ld, const ini_section *s)
{
    if (strcmp(s->name_lc, "measure") == 0) {
        load_measure_section(ld, s);
        return;
    }
    char *name = xstrdup(s->name_lc);
    if (!name) {
        ld->bad = true;
        return;
    }
    char *dot = strchr(name, '.');
    if (dot)
        *dot = '\0';
    const param_decl *d = decl_find(ld->m, name);
    if (!d) {
        const char *names[64];
        size_t k = 0;
        for (const param_decl *pd = ld->m->params; pd && pd->name && k < 63; pd++)
            names[k++] = pd->name;
        names[k] = NULL;
        const char *near = suggest_nearest(name, names);
        ld->bad = true;
        char *hint = !near ? NULL
                     : diag_lang(ld->diag) == KOFU_LANG_EN ? xasprintf("; did you mean %s?", near)
                                                            : xasprintf("（%s の誤りでは？）", near);
        diag_add(ld->diag, KOFU_ERULES, ld->file, s->line, s->name, NULL,
                 "%s には %s というパラメータはありません%s",
                 "measure %s has no parameter %s%s", ld->m->name, name, hint ? hint : "");
        free(hint);
        free(name);
        return;
    }
    param_def *p = param_get_or_add(ld, d);
    if (!p) {
        ld->bad = true;
    } else if (!dot) {
        load_param_meta(ld, s, p);
        if (!params_check_meta(ld->diag, ld->file, s, d))
            ld->bad = true;
    } else {
        int fy;
        if (fy_parse(dot + 1, &fy))
            load_and_check_value(ld, s, d, p, fy);
        else
            load_error(ld, s, NULL, "セクション名の後半は年度です（例: %s.2021）",
                       "the part after the dot must be a fiscal year (e.g. %s.2021)", name);
    }
    free(name);
}

static void check_complete(loader *ld)
{
    if (!ld->mr->entities)
        diag_add(ld->diag, KOFU_ERULES, ld->file, 0, "measure", "entities",
                 "[measure] entities がありません", "[measure] entities is missing");
    for (const param_decl *d = ld->m->params; d && d->name; d++) {
        const param_def *p = rules_param(ld->mr, d->name);
        if (!p || !p->label_ja || !p->n_values)
            diag_add(ld->diag, KOFU_ERULES, ld->file, 0, d->name, NULL,
                     "パラメータ %s の定義（[%s] と少なくとも一つの [%s.年度]）がありません",
                     "parameter %s is missing (needs [%s] and at least one [%s.<fiscal year>])",
                     d->name, d->name, d->name);
        if (!p || !p->label_ja || !p->n_values || !ld->mr->entities)
            ld->bad = true;
    }
}

/* The formulas' citations (measure_def.source and .citations, written in C)
 * must name sources of the bibliography too. */
static void check_code_citations(loader *ld)
{
    const char *const one[] = {ld->m->source, NULL};
    const char *const *lists[] = {one, ld->m->citations};
    for (int l = 0; l < 2; l++)
        for (const char *const *c = lists[l]; c && *c; c++) {
            char id[64];
            source_split(*c, id, sizeof id);
            if (sources_find(ld->bib, id))
                continue;
            diag_add(ld->diag, KOFU_ERULES, ld->bib && ld->bib->file_name ? ld->bib->file_name
                                                                           : "sources.params",
                     0, NULL, NULL,
                     "出典 %s がありません（%s の計算式が引用しています）",
                     "source %s is missing (the formula of %s cites it)", id, ld->m->name);
            ld->bad = true;
        }
}

/* A rule file as the INI reader reads it: frozen by the build when its
 * bytes are a built-in file's (sha256 known: the same bytes read the same),
 * else read now into *owned, which the caller frees. */
static kofu_status rules_ini(const char *file, const char *text, size_t len, const char *sha256,
                            kofu_diag *diag, ini_file **owned, const ini_file **ini)
{
    *owned = NULL;
    for (const rules_frozen_file *f = rules_frozen; sha256 && f->sha256; f++)
        if (strcmp(f->sha256, sha256) == 0) {
            *ini = f->ini;
            return KOFU_OK;
        }
    kofu_status st = ini_parse(file, text, len, KOFU_ERULES, diag, owned);
    *ini = *owned;
    return st;
}

static kofu_status load_measure_text(const measure_def *m, const char *file, const char *text,
                                     size_t len, const char *sha256, const bibliography *bib,
                                     kofu_diag *diag, measure_rules *mr)
{
    ini_file *owned;
    const ini_file *ini = NULL;
    kofu_status st = rules_ini(file, text, len, sha256, diag, &owned, &ini);
    mr->measure = m;
    mr->file_name = xstrdup(file);
    mr->text = xstrndup(text, len);
    mr->text_len = len;
    if (st != KOFU_OK)
        return st;
    if (!mr->file_name || !mr->text) {
        ini_free(&owned);
        return KOFU_ENOMEM;
    }
    loader ld = {.diag = diag, .file = file, .m = m, .mr = mr, .bib = bib};
    for (size_t i = 0; i < ini->n_sections; i++)
        load_section(&ld, &ini->sections[i]);
    ini_free(&owned);
    check_complete(&ld);
    check_code_citations(&ld);
    return ld.bad ? KOFU_ERULES : KOFU_OK;
}

static const rules_embedded_file *embedded_find(const char *name);

/* The built-in bibliography, loaded once, for params_load_measure. */
static bibliography builtin_bib;
static pthread_once_t builtin_bib_once = PTHREAD_ONCE_INIT;

static void load_builtin_bib(void)
{
    const rules_embedded_file *f = embedded_find(SOURCES_FILE);
    ini_file *owned = NULL;
    const ini_file *ini;
    if (f && rules_ini("rules/" SOURCES_FILE, f->bytes, f->len, f->sha256, NULL, &owned, &ini) ==
                 KOFU_OK)
        sources_from_ini("rules/" SOURCES_FILE, ini, NULL, &builtin_bib);
    ini_free(&owned);
}

kofu_status params_load_measure(const measure_def *m, const char *file, const char *text,
                                size_t len, kofu_diag *diag, measure_rules *mr)
{
    if (!m || !file || !mr || (!text && len))
        return KOFU_EUSAGE;
    pthread_once(&builtin_bib_once, load_builtin_bib);
    return load_measure_text(m, file, text ? text : "", len, NULL, &builtin_bib, diag, mr);
}

void params_measure_rules_free(measure_rules *mr)
{
    if (mr)
        measure_rules_free(mr);
}

/* ---- reading the files of a rule set ------------------------------------ */

static const rules_embedded_file *embedded_find(const char *name)
{
    for (const rules_embedded_file *f = rules_embedded; f->file; f++)
        if (strcmp(f->file, name) == 0)
            return f;
    return NULL;
}

static kofu_status read_builtin(const char *name, kofu_diag *diag, char **display, char **text,
                                size_t *len, const char **sha256)
{
    const rules_embedded_file *f = embedded_find(name);
    if (!f)
        return diag_add(diag, KOFU_EINTERNAL, name, 0, NULL, NULL,
                        "組み込みルールデータがありません", "no built-in rule data");
    *sha256 = f->sha256;
    *display = xasprintf("rules/%s", name);
    *text = xstrndup(f->bytes, f->len);
    *len = f->len;
    return (*display && *text) ? KOFU_OK : KOFU_ENOMEM;
}

static kofu_status read_dir(const char *dir, const char *name, kofu_diag *diag, char **display,
                            char **text, size_t *len)
{
    *display = xasprintf("%s/%s", dir, name);
    if (!*display)
        return KOFU_ENOMEM;
    return rules_file_read(*display, diag, text, len);
}

/* sha256: the file's digest when known (a built-in file's, computed by the
 * build), else NULL: computed here. */
static bool note_file(kofu_rules *r, const char *name, const char *text, size_t len,
                      const char *sha256)
{
    rules_file_seen *s = realloc(r->seen, (r->n_seen + 1) * sizeof *s);
    if (!s)
        return false;
    r->seen = s;
    s[r->n_seen].name = xstrdup(name);
    if (!s[r->n_seen].name)
        return false;
    if (sha256)
        memcpy(s[r->n_seen].sha256, sha256, SHA256_HEX_LEN + 1);
    else
        sha256_hex(text, len, s[r->n_seen].sha256);
    r->n_seen++;
    return true;
}

kofu_status rules_read_file(kofu_rules *r, const char *name, kofu_diag *diag, char **display,
                            char **text, size_t *len)
{
    *display = *text = NULL;
    *len = 0;
    const char *sha256 = NULL;
    kofu_status st = r->from_dir ? read_dir(r->dir, name, diag, display, text, len)
                                 : read_builtin(name, diag, display, text, len, &sha256);
    if (st == KOFU_OK && !note_file(r, name, *text, *len, sha256))
        st = KOFU_ENOMEM;
    return st;
}

static int seen_cmp(const void *a, const void *b)
{
    return strcmp(((const rules_file_seen *)a)->name, ((const rules_file_seen *)b)->name);
}

bool rules_digest_finish(kofu_rules *r)
{
    qsort(r->seen, r->n_seen, sizeof *r->seen, seen_cmp);
    sha256_ctx c;
    sha256_init(&c);
    for (size_t i = 0; i < r->n_seen; i++) {
        sha256_update(&c, r->seen[i].sha256, SHA256_HEX_LEN);
        sha256_update(&c, "  ", 2);
        sha256_update(&c, r->seen[i].name, strlen(r->seen[i].name));
        sha256_update(&c, "\n", 1);
    }
    sha256_final_hex(&c, r->digest);
    return true;
}

/* ---- public entry points ------------------------------------------------ */

/* The bibliography, read first: the measures' citations are checked
 * against it. */
static kofu_status load_bibliography(kofu_rules *r, kofu_diag *diag)
{
    char *file = NULL, *text = NULL;
    size_t len = 0;
    kofu_status st = rules_read_file(r, SOURCES_FILE, diag, &file, &text, &len);
    ini_file *owned = NULL;
    const ini_file *ini;
    if (st == KOFU_OK) {
        st = rules_ini(file, text, len, r->seen[r->n_seen - 1].sha256, diag, &owned, &ini);
        if (st == KOFU_OK)
            st = sources_from_ini(file, ini, diag, &r->bib);
        else
            r->bib.file_name = xstrdup(file); /* messages name it */
    }
    ini_free(&owned);
    free(file);
    free(text);
    return st;
}

/* Loads every file of the rule set through rules_read_file: the
 * bibliography, then one <measure>.params per measure of the registry. */
static kofu_status load_all(kofu_rules *r, kofu_diag *diag, kofu_rules **out)
{
    r->n_measures = registry_count();
    r->measures = calloc(r->n_measures, sizeof *r->measures);
    if (!r->measures) {
        r->n_measures = 0;
        kofu_rules_free(&r);
        return KOFU_ENOMEM;
    }
    /* a broken bibliography is reported alone: every citation would fail */
    kofu_status worst = load_bibliography(r, diag);
    bool bib_ok = worst == KOFU_OK;
    for (size_t i = 0; i < r->n_measures && bib_ok; i++) {
        const measure_def *m = registry_at(i);
        char *name = xasprintf("%s.params", m->name);
        char *file = NULL, *text = NULL;
        size_t len = 0;
        kofu_status st = name ? rules_read_file(r, name, diag, &file, &text, &len) : KOFU_ENOMEM;
        if (st == KOFU_OK)
            st = load_measure_text(m, file, text, len, r->seen[r->n_seen - 1].sha256, &r->bib, diag,
                                   &r->measures[i]);
        r->measures[i].measure = m;
        free(name);
        free(file);
        free(text);
        if (st != KOFU_OK && worst == KOFU_OK)
            worst = st;
    }
    if (worst == KOFU_OK && !rules_digest_finish(r))
        worst = KOFU_ENOMEM;
    if (worst == KOFU_OK && r->from_dir)
        worst = rules_find_edits(r);
    if (worst != KOFU_OK) {
        kofu_rules_free(&r);
        return worst;
    }
    *out = r;
    return KOFU_OK;
}

kofu_status kofu_rules_load_builtin(kofu_diag *diag, kofu_rules **out)
{
    if (!out)
        return KOFU_EUSAGE;
    *out = NULL;
    kofu_rules *r = calloc(1, sizeof *r);
    if (!r)
        return KOFU_ENOMEM;
    return load_all(r, diag, out);
}

kofu_status kofu_rules_load_dir(const char *dir, kofu_diag *diag, kofu_rules **out)
{
    if (!out || !dir)
        return KOFU_EUSAGE;
    *out = NULL;
    struct stat stt;
    if (stat(dir, &stt) != 0 || !S_ISDIR(stt.st_mode))
        return diag_add(diag, KOFU_ERULES, dir, 0, NULL, NULL,
                        "ルールデータのディレクトリではありません",
                        "not a rule data directory");
    kofu_rules *r = calloc(1, sizeof *r);
    if (!r)
        return KOFU_ENOMEM;
    r->from_dir = true;
    r->dir = xstrdup(dir);
    if (!r->dir) {
        free(r);
        return KOFU_ENOMEM;
    }
    kofu_status names = rules_dir_check_names(dir, diag);
    kofu_status st = load_all(r, diag, out);
    if (st == KOFU_OK && names != KOFU_OK) {
        kofu_rules_free(out);
        st = names;
    }
    return st;
}

const char *kofu_rules_origin(const kofu_rules *r)
{
    return r && r->from_dir ? "directory" : "builtin";
}

const char *kofu_rules_path(const kofu_rules *r) { return r && r->from_dir ? r->dir : NULL; }

const char *kofu_rules_digest(const kofu_rules *r) { return r ? r->digest : ""; }
