/* params_check.c — rule data checked by meaning (see params_check.h). */
#include "params_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fy.h"
#include "num.h"

/* The closed list of units, each for the parameters declared with it. */
static const struct unit_name {
    param_unit unit;
    const char *name;
} units[] = {{PARAM_YEN, "yen"}, {PARAM_RATIO, "ratio"}, {PARAM_UNIT_CHOICE, "choice"}};

static const char *unit_name(param_unit u)
{
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (units[i].unit == u)
            return units[i].name;
    return "?";
}

bool params_check_meta(kofu_diag *diag, const char *file, const ini_section *s,
                       const param_decl *d)
{
    const ini_entry *e = ini_find_entry(s, "unit");
    if (!e || !e->value[0])
        return true; /* the loader reports a missing unit */
    const char *want = unit_name(d->unit);
    if (strcmp(e->value, want) == 0)
        return true;
    bool known = false;
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        known = known || strcmp(e->value, units[i].name) == 0;
    if (!known)
        diag_add(diag, KOFU_ERULES, file, e->line, s->name, e->key,
                 "単位は yen, ratio, choice のどれかです（%s は %s）: %s",
                 "the unit must be one of yen, ratio, choice (%s is in %s): %s", d->name, want,
                 e->value);
    else
        diag_add(diag, KOFU_ERULES, file, e->line, s->name, e->key,
                 "%s の単位は %s です（%s ではありません）", "the unit of %s is %s, not %s",
                 d->name, want, e->value);
    return false;
}

/* The bounds of d's values, in lo and hi (initialised by the caller). */
static void bounds(const param_decl *d, kofu_num *lo, kofu_num *hi)
{
    num_set_int(lo, 0);
    if (d->unit == PARAM_YEN)
        num_set_int(hi, INT64_C(1000000000000000));
    else
        num_set_int(hi, 1);
    /* a declaration that does not parse is the measure's bug: the unit's
     * bounds stay, and the unit tests of the measures load their data */
    kofu_num t;
    num_init(&t);
    if (d->min && num_parse_exact(d->min, &t) == NUM_PARSE_OK)
        num_set(lo, &t);
    if (d->max && num_parse_exact(d->max, &t) == NUM_PARSE_OK)
        num_set(hi, &t);
    num_clear(&t);
}

/* One number of d (a value, or a table's output) against its kind. `what`
 * names it in the message ("value", "points"). */
static bool check_number(kofu_diag *diag, const char *file, const ini_section *s,
                         const param_decl *d, const char *key, const kofu_num *x)
{
    const ini_entry *e = ini_find_entry(s, key);
    int line = e ? e->line : s->line;
    char *text = num_to_string(x);
    bool ok = true;
    if (d->unit == PARAM_YEN && !num_is_integer(x)) {
        diag_add(diag, KOFU_ERULES, file, line, s->name, key,
                 "%s は円単位の金額です。円未満の端数は使えません: %s",
                 "%s is an amount of yen: it must be a whole number: %s", d->name,
                 text ? text : "?");
        ok = false;
    }
    kofu_num lo, hi;
    num_init(&lo);
    num_init(&hi);
    bounds(d, &lo, &hi);
    if (ok && (num_cmp(x, &lo) < 0 || num_cmp(x, &hi) > 0)) {
        char *l = num_to_string(&lo), *h = num_to_string(&hi);
        diag_add(diag, KOFU_ERULES, file, line, s->name, key,
                 "%s の値は %s 以上 %s 以下です（%s）: %s",
                 "%s must be from %s to %s (%s): %s", d->name, l ? l : "?", h ? h : "?",
                 unit_name(d->unit), text ? text : "?");
        free(l);
        free(h);
        ok = false;
    }
    num_clear(&lo);
    num_clear(&hi);
    free(text);
    return ok;
}

bool params_check_value(kofu_diag *diag, const char *file, const ini_section *s,
                        const param_decl *d, const param_value *v)
{
    bool ok = true;
    if (v->confirmed_through && v->confirmed_through < v->from_fy) {
        const ini_entry *e = ini_find_entry(s, "confirmed_through");
        diag_add(diag, KOFU_ERULES, file, e ? e->line : s->line, s->name, "confirmed_through",
                 "確認済みの最終年度（%d年度）が、この値の最初の年度（%d年度）より前です",
                 "confirmed_through (FY%d) is before the first fiscal year of this value (FY%d)",
                 v->confirmed_through, v->from_fy);
        ok = false;
    }
    if (d->kind == PARAM_VALUE)
        ok = check_number(diag, file, s, d, "value", &v->value) && ok;
    for (size_t i = 0; d->kind == PARAM_TABLE && i < v->n_points; i++)
        if (!check_number(diag, file, s, d, "points", &v->ys[i])) {
            ok = false;
            break; /* one message per table */
        }
    return ok;
}
