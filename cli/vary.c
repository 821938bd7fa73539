#define _GNU_SOURCE
#define _GNU_SOURCE
/* vary.c — setting one input of a case with what follows it (vary.h). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "vary.h"

#define WORKER_PREFIX "cooperative.worker."

static bool is_worker_section(const char *name)
{
    return strncasecmp(name, WORKER_PREFIX, strlen(WORKER_PREFIX)) == 0 && name[strlen(WORKER_PREFIX)];
}

/* An exact decimal with at most two decimals ("1800", "1800.5") in
 * hundredths; -1 when absent or not of that form. */
static int64_t hundredths(char *text)
{
    if (!text)
        return -1;
    int64_t whole = 0, frac = 0;
    int digits = 0;
    const char *p = text;
    for (; *p >= '0' && *p <= '9' && whole < INT64_MAX / 1000; p++)
        whole = whole * 10 + (*p - '0');
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9' && digits < 2; p++, digits++)
            frac = frac * 10 + (*p - '0');
    bool ok = *p == '\0';
    free(text);
    for (; digits < 2; digits++)
        frac *= 10;
    return ok ? whole * 100 + frac : -1;
}

static char *value_of(const kofu_case *c, const char *section, const char *key)
{
    char path[512];
    snprintf(path, sizeof path, "%s.%s", section, key);
    return kofu_case_value(c, path);
}

static bool has_value(const kofu_case *c, const char *section, const char *key)
{
    char *v = value_of(c, section, key);
    free(v);
    return v != NULL;
}

static bool push(char ***list, size_t *n, const char *s)
{
    char **grown = realloc(*list, (*n + 1) * sizeof *grown);
    if (!grown)
        return false;
    *list = grown;
    grown[*n] = strdup(s);
    return grown[(*n)++] != NULL;
}

static char *dup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *dup_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}

/* ---- plans --------------------------------------------------------------- */

static bool plan_utilization(vary_plan *p, const kofu_case *c, kofu_lang lang)
{
    size_t n_workers = 0, n_sched = 0;
    bool disp_given = false;
    for (size_t i = 0; i < kofu_case_section_count(c); i++) {
        const char *s = kofu_case_section_name(c, i);
        if (!is_worker_section(s))
            continue;
        n_workers++;
        n_sched += has_value(c, s, "hours_scheduled");
        disp_given = disp_given || has_value(c, s, "hours_dispatched");
    }
    bool sched = n_workers ? n_sched == n_workers : has_value(c, "cooperative", "hours_scheduled");
    p->kind = VARY_UTILIZATION;
    if (!sched) {
        p->note = strdup(CLI_TR(lang,
                                "所定労働時間がないため、派遣労働時間はケースの値のまま変わりません。稼働率が動かすのは"
                                "人件費の上限だけです",
                                "no scheduled hours are known, so the dispatched hours stay as the case gives "
                                "them; the utilization moves only the personnel cap"));
        return p->note != NULL;
    }
    for (size_t i = 0; i < kofu_case_section_count(c); i++) {
        const char *s = kofu_case_section_name(c, i);
        if ((n_workers ? is_worker_section(s) : strcasecmp(s, "cooperative") == 0) &&
            has_value(c, s, "hours_dispatched")) {
            char key[512];
            snprintf(key, sizeof key, "%s.hours_dispatched", s);
            if (!push(&p->unset, &p->n_unset, key))
                return false;
        }
    }
    p->note = dup_printf("%s%s",
                         CLI_TR(lang,
                                "稼働率に合わせて各職員の派遣労働時間（稼働率 × 所定労働時間）が動き、それとともに"
                                "利用料金収入（単価があれば）・過不足・損益分岐の時間単価が動きます",
                                "each worker's dispatched hours follow the utilization (utilization × scheduled "
                                "hours), and with them the usage-fee income (given an hourly fee), the balance "
                                "and the break-even fee"),
                         !disp_given ? ""
                                     : CLI_TR(lang, "（ケースに書かれた派遣労働時間は使いません）",
                                              " (the dispatched hours written in the case are not used)"));
    return p->note != NULL;
}

static bool plan_workers_simple(vary_plan *p, const kofu_case *c, kofu_lang lang, char **err)
{
    p->kind = VARY_WORKERS_SIMPLE;
    char *n = value_of(c, "cooperative", "workers"), *cost = value_of(c, "cooperative", "personnel_cost");
    p->base_n = n ? strtoll(n, NULL, 10) : 0;
    p->base_cost = cost ? strtoll(cost, NULL, 10) : 0;
    free(n);
    free(cost);
    p->base_sched = hundredths(value_of(c, "cooperative", "hours_scheduled"));
    p->base_disp = hundredths(value_of(c, "cooperative", "hours_dispatched"));
    if (p->base_n <= 0) {
        *err = strdup(CLI_TR(lang,
                             "cooperative.workers を変えるには、1人あたりの平均を出すためにケースに workers（1人以上）と "
                             "personnel_cost が必要です",
                             "varying cooperative.workers needs workers (at least 1) and personnel_cost in the "
                             "case, to take the per-worker average"));
        return false;
    }
    char avg[64], grouped[40];
    render_grouped(p->base_cost / p->base_n, grouped, sizeof grouped);
    snprintf(avg, sizeof avg, "%s%s", p->base_cost % p->base_n ? CLI_TR(lang, "約 ", "about ") : "", grouped);
    p->note = dup_printf(CLI_TR(lang,
                                "人数に合わせて、人件費の合計と労働時間がケースの1人あたり平均（人件費 %s円）で増減します"
                                "（人件費 = 平均 × 人数の円未満切捨て、時間は0.01時間未満切捨て）",
                                "the total personnel cost and hours follow the head count at the case's "
                                "per-worker average (personnel cost %s yen; the cost is floored to the yen, "
                                "hours to 0.01)"),
                         avg);
    return p->note != NULL;
}

static bool plan_workers_sections(vary_plan *p, const kofu_case *c, const char *template_id,
                                  kofu_lang lang, char **err)
{
    p->kind = VARY_WORKERS_SECTIONS;
    for (size_t i = 0; i < kofu_case_section_count(c); i++) {
        const char *s = kofu_case_section_name(c, i);
        if (is_worker_section(s) && !push(&p->workers, &p->n_workers, s))
            return false;
        if (is_worker_section(s) && template_id && strcasecmp(s + strlen(WORKER_PREFIX), template_id) == 0)
            p->template_name = strdup(s);
    }
    if (template_id && !p->template_name) {
        *err = dup_printf(CLI_TR(lang, "--template-worker: このケースに職員 %s はいません",
                                 "--template-worker: the case has no worker %s"),
                          template_id);
        return false;
    }
    if (!p->template_name)
        p->template_name = strdup(p->workers[p->n_workers - 1]);
    const char *id = p->template_name ? p->template_name + strlen(WORKER_PREFIX) : "";
    p->note = dup_printf(CLI_TR(lang,
                                "職員を増やすときは職員 %s を写して加え（%s-2, %s-3, …）、減らすときは最後の職員から外します。"
                                "加えた職員の人件費・労働時間・上限の持ち分がそのまま加わります",
                                "workers are added by copying worker %s (%s-2, %s-3, …) and removed from the "
                                "end; each added worker adds its personnel cost, hours and share of the cap"),
                         id, id, id);
    return p->template_name && p->note;
}

bool vary_plan_make(vary_plan *p, const kofu_case *c, const char *key, const char *template_id,
                    kofu_lang lang, char **err)
{
    memset(p, 0, sizeof *p);
    *err = NULL;
    p->key = strdup(key);
    if (!p->key)
        return false;
    bool sections = false;
    for (size_t i = 0; i < kofu_case_section_count(c); i++)
        sections = sections || is_worker_section(kofu_case_section_name(c, i));
    if (strcasecmp(key, "cooperative.utilization") == 0)
        return plan_utilization(p, c, lang);
    if (strcasecmp(key, "cooperative.workers") == 0)
        return sections ? plan_workers_sections(p, c, template_id, lang, err)
                        : plan_workers_simple(p, c, lang, err);
    if (strcasecmp(key, "case.fiscal_year") == 0) {
        p->kind = VARY_FISCAL_YEAR;
        p->note = strdup(CLI_TR(lang,
                                "各点はその年度のルールデータ（上限額・率）で計算し、その年度の注意を付けます",
                                "each point is computed under that fiscal year's rule data (caps, rates), "
                                "with that year's warnings"));
        return p->note != NULL;
    }
    if (strcasecmp(key, "cooperative.hourly_fee") == 0) {
        /* the fee gives the income: an income written in the case gives way */
        bool income = has_value(c, "cooperative", "usage_fee_income");
        if (income && !push(&p->unset, &p->n_unset, "cooperative.usage_fee_income"))
            return false;
        p->note = dup_printf("%s%s",
                             CLI_TR(lang, "単価に合わせて利用料金収入（単価 × 派遣労働時間）と過不足が動きます",
                                    "the usage-fee income (fee × dispatched hours) and the balance follow the fee"),
                             !income ? ""
                                     : CLI_TR(lang, "（ケースに書かれた利用料金収入は使いません）",
                                              " (the usage-fee income written in the case is not used)"));
        return p->note != NULL;
    }
    return true;
}

void vary_plan_free(vary_plan *p)
{
    for (size_t i = 0; i < p->n_unset; i++)
        free(p->unset[i]);
    for (size_t i = 0; i < p->n_workers; i++)
        free(p->workers[i]);
    free(p->unset);
    free(p->workers);
    free(p->template_name);
    free(p->note);
    free(p->key);
    memset(p, 0, sizeof *p);
}

/* ---- applying ------------------------------------------------------------ */

typedef struct setlist {
    const char **keys, **values;
    char **owned; /* strings to free */
    size_t n, n_owned, cap;
    bool failed;
} setlist;

static void set_add(setlist *l, const char *key, const char *value, char *own_key, char *own_value)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        const char **k = realloc(l->keys, cap * sizeof *k);
        if (k)
            l->keys = k;
        const char **v = realloc(l->values, cap * sizeof *v);
        if (v)
            l->values = v;
        char **o = realloc(l->owned, 2 * cap * sizeof *o);
        if (o)
            l->owned = o;
        if (!k || !v || !o) {
            l->failed = true;
            free(own_key);
            free(own_value);
            return;
        }
        l->cap = cap;
    }
    l->keys[l->n] = key;
    l->values[l->n++] = value;
    if (own_key)
        l->owned[l->n_owned++] = own_key;
    if (own_value)
        l->owned[l->n_owned++] = own_value;
}

static void set_free(setlist *l)
{
    for (size_t i = 0; i < l->n_owned; i++)
        free(l->owned[i]);
    free(l->owned);
    free(l->keys);
    free(l->values);
}

/* floor(base × n / n0), in 128 bits (base up to 10^15, n up to 10^5). */
static int64_t scaled(int64_t base, int64_t n, int64_t n0)
{
    return (int64_t)((__int128)base * n / n0);
}

static char *hours_text(int64_t h)
{
    return h % 100 ? dup_printf("%" PRId64 ".%02" PRId64, h / 100, h % 100) : dup_printf("%" PRId64, h / 100);
}

static void add_workers_simple(setlist *l, const vary_plan *p, const char *value)
{
    char *end = NULL;
    long long n = strtoll(value, &end, 10);
    if (!end || *end || n < 0) /* not a count: let the loader say so */
        return;
    char *cost = dup_printf("%" PRId64, scaled(p->base_cost, n, p->base_n));
    set_add(l, "cooperative.personnel_cost", cost, NULL, cost);
    if (p->base_sched >= 0) {
        char *h = hours_text(scaled(p->base_sched, n, p->base_n));
        set_add(l, "cooperative.hours_scheduled", h, NULL, h);
    }
    if (p->base_disp >= 0) {
        char *h = hours_text(scaled(p->base_disp, n, p->base_n));
        set_add(l, "cooperative.hours_dispatched", h, NULL, h);
    }
}

static bool section_exists(const vary_plan *p, const char *name)
{
    for (size_t i = 0; i < p->n_workers; i++)
        if (strcasecmp(p->workers[i], name) == 0)
            return true;
    return false;
}

/* The drop and copy lists that turn the case's workers into n workers. */
static kofu_status derive_workers(const vary_plan *p, kofu_case *base, const char *value, kofu_diag *diag,
                                  kofu_case **out)
{
    char *end = NULL;
    long long n = strtoll(value, &end, 10);
    if (!end || *end || n < 0 || n > VARY_MAX_WORKERS)
        return KOFU_EUSAGE; /* the commands check the values first */
    size_t want = (size_t)n, n_drop = want < p->n_workers ? p->n_workers - want : 0;
    size_t n_copy = want > p->n_workers ? want - p->n_workers : 0;
    const char **drop = calloc(n_drop + 1, sizeof *drop);
    const char **from = calloc(n_copy + 1, sizeof *from);
    char **to = calloc(n_copy + 1, sizeof *to);
    kofu_status st = drop && from && to ? KOFU_OK : KOFU_ENOMEM;
    for (size_t i = 0; st == KOFU_OK && i < n_drop; i++)
        drop[i] = p->workers[p->n_workers - 1 - i];
    for (size_t i = 0, k = 2; st == KOFU_OK && i < n_copy; i++, k++) {
        char *name;
        while ((name = dup_printf("%s-%zu", p->template_name, k)) && section_exists(p, name)) {
            free(name);
            k++;
        }
        from[i] = p->template_name;
        to[i] = name;
        if (!name)
            st = KOFU_ENOMEM;
    }
    if (st == KOFU_OK)
        st = kofu_case_derive(base, n_drop, drop, n_copy, from, (const char *const *)to, diag, out);
    for (size_t i = 0; to && i < n_copy; i++)
        free(to[i]);
    free(drop);
    free(from);
    free(to);
    return st;
}

kofu_status vary_apply(const vary_plan *plans, size_t n, kofu_case *base, const char *const *values,
                       kofu_diag *diag, kofu_case **point, bool *owned)
{
    setlist l = {0};
    const vary_plan *sections = NULL;
    const char *sections_value = NULL;
    *point = base;
    *owned = false;
    for (size_t i = 0; i < n; i++) {
        const vary_plan *p = &plans[i];
        if (p->kind == VARY_WORKERS_SECTIONS) {
            sections = p;
            sections_value = values[i];
            continue;
        }
        set_add(&l, p->key, values[i], NULL, NULL);
        if (p->kind == VARY_WORKERS_SIMPLE)
            add_workers_simple(&l, p, values[i]);
    }
    /* Removals last: dispatched hours scaled with the head count still give
     * way to utilization × scheduled hours. A utilization plan drops every
     * worker's dispatched hours, so workers copied afterwards lack them too:
     * set first, then derive. */
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < plans[i].n_unset; k++)
            set_add(&l, plans[i].unset[k], NULL, NULL, NULL);
    kofu_status st = l.failed ? KOFU_ENOMEM : kofu_case_set_many(base, l.n, l.keys, l.values, diag);
    set_free(&l);
    if (st == KOFU_OK && sections) {
        st = derive_workers(sections, base, sections_value, diag, point);
        *owned = st == KOFU_OK;
        if (st != KOFU_OK)
            *point = base;
    }
    return st;
}
