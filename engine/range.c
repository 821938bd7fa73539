/*
 * range.c — what `kofu sweep` needs from the library: expanding a range
 * "FROM:TO:STEP" into exact values, and which amounts a sweep shows.
 *
 * The values are computed as exact rationals (FROM + i × STEP) and written
 * back in the notation of FROM, so the case loader reads each one exactly as
 * it would read it from a file: 50%:100%:5% gives "80%" on the tenth value,
 * never 0.8000000000000002.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "kofu/kofu.h"
#include "measure.h"
#include "num.h"
#include "registry.h"
#include "util.h"

#define RANGE_MAX_POINTS 10000

/* A unit suffix and what one of it is worth. Ratios and yen do not mix. */
typedef struct range_unit {
    const char *suffix;
    int64_t numer, denom;
    int kind; /* 0 plain, 1 ratio, 2 yen */
} range_unit;

static const range_unit units[] = {
    {"%", 1, 100, 1},
    {"千円", 1000, 1, 2},
    {"万円", 10000, 1, 2},
    {"円", 1, 1, 2},
    {"", 1, 1, 0},
};

/* Parses one part ("55%", "1200千円", "0.05", "-1") into an exact value and
 * its unit; false when it is not a plain decimal with an optional unit. */
static bool parse_part(const char *s, kofu_num *out, const range_unit **unit)
{
    size_t len = strlen(s);
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        size_t sl = strlen(units[u].suffix);
        if (len <= sl || strcmp(s + len - sl, units[u].suffix) != 0)
            continue;
        char *num = xstrndup(s, len - sl);
        if (!num)
            return false;
        /* Decimals only: a fraction such as 1/3 has no exact notation to
         * hand back to the case loader. */
        bool ok = !strchr(num, '/') && num_parse_exact(num, out) == NUM_PARSE_OK;
        free(num);
        if (!ok)
            return false;
        kofu_num f;
        num_init(&f);
        num_set_frac(&f, units[u].numer, units[u].denom);
        num_mul(out, out, &f);
        num_clear(&f);
        *unit = &units[u];
        return true;
    }
    return false;
}

static kofu_status range_error(kofu_diag *diag, const char *range, const char *ja, const char *en)
{
    return diag_add(diag, KOFU_EUSAGE, NULL, 0, NULL, range, "%s", "%s",
                    diag && diag_lang(diag) == KOFU_LANG_EN ? en : ja);
}

/* value / unit, written as the case file would hold it: "55%", "1100千円". */
static char *write_value(const kofu_num *v, const range_unit *u)
{
    kofu_num x, f;
    num_init(&x);
    num_init(&f);
    num_set_frac(&f, u->denom, u->numer);
    num_mul(&x, v, &f);
    char *digits = num_to_string(&x);
    char *s = digits ? xasprintf("%s%s", digits, u->suffix) : NULL;
    free(digits);
    num_clear(&x);
    num_clear(&f);
    return s;
}

void kofu_range_free(char ***values, size_t count)
{
    if (!values || !*values)
        return;
    for (size_t i = 0; i < count; i++)
        free((*values)[i]);
    free(*values);
    *values = NULL;
}

/* Number of points: floor((to - from) / step) + 1; -1 on a wrong direction,
 * 0 when more than RANGE_MAX_POINTS. */
static long point_count(const kofu_num *from, const kofu_num *to, const kofu_num *step)
{
    kofu_num span;
    num_init(&span);
    num_sub(&span, to, from);
    long n = -1;
    if (num_sign(&span) == 0 || num_sign(&span) == num_sign(step)) {
        num_div(&span, &span, step);
        num_round(&span, &span, NUM_ROUND_FLOOR_1);
        kofu_num max;
        num_init(&max);
        num_set_int(&max, RANGE_MAX_POINTS - 1);
        int64_t k = 0;
        n = num_cmp(&span, &max) > 0 || !num_to_int64(&span, &k) ? 0 : (long)k + 1;
        num_clear(&max);
    }
    num_clear(&span);
    return n;
}

static kofu_status fill_values(const kofu_num *from, const kofu_num *step, const range_unit *u,
                               size_t n, char ***values)
{
    char **v = calloc(n, sizeof *v);
    if (!v)
        return KOFU_ENOMEM;
    kofu_num x, k;
    num_init(&x);
    num_init(&k);
    kofu_status st = KOFU_OK;
    for (size_t i = 0; i < n && st == KOFU_OK; i++) {
        num_set_int(&k, (int64_t)i);
        num_mul(&x, step, &k);
        num_add(&x, &x, from);
        v[i] = write_value(&x, u);
        if (!v[i])
            st = KOFU_ENOMEM;
    }
    num_clear(&x);
    num_clear(&k);
    if (st != KOFU_OK) {
        kofu_range_free(&v, n);
        return st;
    }
    *values = v;
    return KOFU_OK;
}

kofu_status kofu_range_expand(const char *range, kofu_diag *diag, char ***values, size_t *count)
{
    if (!range || !values || !count)
        return KOFU_EUSAGE;
    *values = NULL;
    *count = 0;
    char *copy = xstrdup(range);
    if (!copy)
        return KOFU_ENOMEM;
    char *parts[3] = {NULL, NULL, NULL};
    char *p = copy;
    int n_parts = 0;
    for (; n_parts < 3 && p; n_parts++) {
        parts[n_parts] = p;
        char *colon = strchr(p, ':');
        if (colon)
            *colon = '\0';
        p = colon ? colon + 1 : NULL;
    }
    kofu_num v[3];
    const range_unit *u[3] = {NULL, NULL, NULL};
    for (int i = 0; i < 3; i++)
        num_init(&v[i]);
    kofu_status st = KOFU_OK;
    if (n_parts != 3 || p) {
        st = range_error(diag, range, "範囲は 開始:終了:刻み の形で書きます（例: 50%:100%:5%）",
                         "a range is FROM:TO:STEP (e.g. 50%:100%:5%)");
    } else {
        for (int i = 0; i < 3 && st == KOFU_OK; i++)
            if (!parse_part(parts[i], &v[i], &u[i]))
                st = range_error(diag, range,
                                 "開始・終了・刻みは小数と単位（%, 千円, 万円, 円）で書きます（桁区切りのコンマは不可）",
                                 "FROM, TO and STEP are decimals with an optional unit (%, 千円, 万円, 円), "
                                 "without thousands separators");
    }
    if (st == KOFU_OK && ((u[0]->kind | u[1]->kind | u[2]->kind) == 3))
        st = range_error(diag, range, "比率（%）と金額（円）の単位は混ぜられません",
                         "a range cannot mix a ratio (%) with yen");
    if (st == KOFU_OK && num_sign(&v[2]) == 0)
        st = range_error(diag, range, "刻みが 0 です", "the step is 0");
    long n = st == KOFU_OK ? point_count(&v[0], &v[1], &v[2]) : 0;
    if (st == KOFU_OK && n < 0)
        st = range_error(diag, range, "刻みの向きが逆です（開始から終了に向かう符号にしてください）",
                         "the step goes the wrong way (from FROM away from TO)");
    else if (st == KOFU_OK && n == 0)
        st = range_error(diag, range, "点が多すぎます（10,000 点まで）", "too many points (at most 10,000)");
    if (st == KOFU_OK) {
        st = fill_values(&v[0], &v[2], u[0], (size_t)n, values);
        if (st == KOFU_OK)
            *count = (size_t)n;
    }
    for (int i = 0; i < 3; i++)
        num_clear(&v[i]);
    free(copy);
    return st;
}

/* ---- the amounts a sweep shows -------------------------------------------- */

static bool has_sweep_outputs(const measure_def *md)
{
    for (const output_def *o = md->outputs; o && o->name; o++)
        if (o->flags & OUT_SWEEP)
            return true;
    return false;
}

/* Walks the default columns; returns their number and sets the i-th. */
static size_t sweep_walk(size_t i, const char **measure, const char **amount)
{
    size_t n = 0;
    for (size_t m = 0; m < registry_count(); m++) {
        const measure_def *md = registry_at(m);
        if (md->flags & MEASURE_COMPONENT)
            continue;
        unsigned want = has_sweep_outputs(md) ? OUT_SWEEP : OUT_HEADLINE;
        for (const output_def *o = md->outputs; o && o->name; o++) {
            if (!(o->flags & want))
                continue;
            if (n == i) {
                *measure = md->name;
                *amount = o->name;
            }
            n++;
        }
    }
    return n;
}

size_t kofu_sweep_column_count(void)
{
    const char *m, *a;
    return sweep_walk((size_t)-1, &m, &a);
}

void kofu_sweep_column_at(size_t i, const char **measure, const char **amount)
{
    *measure = *amount = "";
    sweep_walk(i, measure, amount);
}

bool kofu_output_known(const char *dotted)
{
    if (!dotted)
        return false;
    if (strcmp(dotted, "totals.special_tax_grant") == 0 || strcmp(dotted, "totals.national_grant") == 0)
        return true;
    const char *dot = strchr(dotted, '.');
    if (!dot)
        return false;
    for (size_t m = 0; m < registry_count(); m++) {
        const measure_def *md = registry_at(m);
        if (strncmp(dotted, md->name, (size_t)(dot - dotted)) != 0 || md->name[dot - dotted] != '\0')
            continue;
        for (const output_def *o = md->outputs; o && o->name; o++)
            if (strcmp(o->name, dot + 1) == 0)
                return true;
    }
    return false;
}
