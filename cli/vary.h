/*
 * vary.h — setting one input of a case the way the real budget moves with it,
 * for `kofu sweep` and `kofu solve`.
 *
 * Setting a key alone would leave what depends on it behind: a lower
 * utilization with the dispatched hours of the case kept as they were, more
 * workers with the same payroll. A plan, made once from the case as loaded,
 * says what follows the key and does it at every point:
 *   - cooperative.utilization: where scheduled hours are known, each worker's
 *     dispatched hours are dropped from the case so that the measure derives
 *     them as utilization × scheduled hours (and with them the fee income, the
 *     balance and the break-even fee); otherwise the hours stay as given;
 *   - cooperative.workers, simple form: the total personnel cost and hours
 *     scale with the head count at the case's per-worker average;
 *   - cooperative.workers, per-worker sections: a template worker is copied
 *     (ids <template>-2, -3, …) or workers are removed from the end;
 *   - case.fiscal_year: every measure under that year's rule data;
 *   - any other SECTION.KEY: set as the case file would hold it.
 * Each plan carries a sentence for people saying what follows what.
 */
#ifndef KOFU_CLI_VARY_H
#define KOFU_CLI_VARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kofu/kofu.h"

/* The most workers a per-worker sweep may reach (a case holds at most 1,000
 * sections). */
#define VARY_MAX_WORKERS 990

typedef enum vary_kind {
    VARY_PLAIN,            /* set the key                                  */
    VARY_UTILIZATION,      /* + drop dispatched hours where scheduled known */
    VARY_WORKERS_SIMPLE,   /* + scale personnel_cost and hours              */
    VARY_WORKERS_SECTIONS, /* copy or remove worker sections                */
    VARY_FISCAL_YEAR       /* case.fiscal_year                              */
} vary_kind;

typedef struct vary_plan {
    char *key;             /* SECTION.KEY as given                          */
    vary_kind kind;
    char **unset;          /* VARY_UTILIZATION: keys dropped at every point */
    size_t n_unset;
    /* VARY_WORKERS_SIMPLE: the case's head count, cost and hours (hours in
     * hundredths; -1 when the case does not give them) */
    int64_t base_n, base_cost, base_sched, base_disp;
    /* VARY_WORKERS_SECTIONS: the worker sections in file order, the one
     * copied to add workers */
    char **workers;
    size_t n_workers;
    char *template_name;
    char *note;            /* what follows what, in the plan's language     */
} vary_plan;

/* Makes the plan for `key` on the case as loaded. template_id: the worker
 * copied when workers are added (NULL: the last). On a usage problem (no
 * such template, a head count of 0 to average) returns false with a
 * malloc'd message in *err. */
bool vary_plan_make(vary_plan *p, const kofu_case *c, const char *key, const char *template_id,
                    kofu_lang lang, char **err);
void vary_plan_free(vary_plan *p);

/* Sets plans[i].key = values[i] on the case, with what follows each, and
 * validates the point. *point is the case to evaluate: `base` itself, or a
 * new case (workers added or removed) that *owned says the caller frees.
 * Problems of the point go to diag (KOFU_ECASE). */
kofu_status vary_apply(const vary_plan *plans, size_t n, kofu_case *base, const char *const *values,
                       kofu_diag *diag, kofu_case **point, bool *owned);

#endif
