/* shared_rmo.c — the special tax grant shared by the 地域運営組織 measures
 * (see shared_rmo.h). */
#include "shared_rmo.h"
#include "fiscal_capacity.h"

#include <stdio.h>
#include <stdlib.h>


const char *rmo_yen(kofu_eval *ev, const kofu_num *x, char *buf, size_t cap)
{
    char *t = num_to_yen_string(x);
    snprintf(buf, cap, "%s%s", t ? t : "?", EV_TR(ev, "円", " yen"));
    free(t);
    return buf;
}

const kofu_num *rmo_case_amount(kofu_eval *ev, const case_section *s, const char *scope,
                                const char *key, const char *label, int indent)
{
    const kofu_num *v = sec_num(s, key);
    if (!v)
        return NULL;
    ev_case_value(ev, s, scope, key, NULL, NULL);
    ev_report(ev, indent, label, v, "[%s] %s", sec_name(s), key);
    return v;
}

/* Exact text of x, "?" on OOM. */
static const char *text(const kofu_num *x, char *buf, size_t cap)
{
    char *t = num_to_string(x);
    snprintf(buf, cap, "%s", t ? t : "?");
    free(t);
    return buf;
}

const kofu_num *rmo_special_tax_grant(kofu_eval *ev, const kofu_num *eligible,
                                      const char *eligible_name)
{
    const fiscal_capacity_out *fc = ev_published(ev, "fiscal_capacity");
    if (!fc) {
        ev_error(ev, NULL, NULL, "財政力補正（[fiscal_capacity]）の結果がありません",
                 "the fiscal-capacity adjustment ([fiscal_capacity]) has no result");
        return ev_num(ev);
    }
    const kofu_num *rate = fc->rate, *share = fc->measure_rate, *f = fc->coefficient;
    bool is_given = fc->given;
    ev_let(ev, NULL, "rate", EV_T(rate, "fiscal_capacity.rate"), RMO_CITE_RATE);
    const kofu_num *product =
        ev_mul(ev, NULL, "product", EV_T(eligible, eligible_name), EV_T(rate, "rate"), NULL);
    const kofu_num *grant =
        ev_round(ev, NULL, "special_tax_grant", product, NUM_ROUND_HALF_UP_1000, RMO_CITE_ROUND);

    if (!ev_tracing(ev))
        return grant; /* the lines below are the report, which is not recorded */
    char a[64], b[64], c[64], d[64];
    ev_report_value(ev, 0, EV_TR(ev, "率（措置率 × 財政力補正係数）", "rate (措置率 × factor)"), rate,
                    EV_TR(ev, "%s × %s%s（財政力補正の欄）", "%s × %s%s (see the fiscal-capacity adjustment)"),
                    text(share, a, sizeof a), text(f, b, sizeof b),
                    is_given ? EV_TR(ev, "（係数はケースで指定）", " (factor given by the case)") : "");
    ev_report(ev, 0, EV_TR(ev, "対象経費 × 率", "eligible × rate"), product, "%s × %s",
              rmo_yen(ev, eligible, a, sizeof a), text(rate, b, sizeof b));
    ev_report(ev, 0, EV_TR(ev, "特別交付税（千円未満四捨五入）", "special tax grant (rounded)"),
              grant,
              EV_TR(ev, "%s → %s（特別交付税に関する省令: 表示単位は千円とし、端数は四捨五入）",
                    "%s → %s (to the nearest 1,000 yen, 500 up: 特別交付税に関する省令)"),
              num_is_integer(product) ? rmo_yen(ev, product, c, sizeof c) : text(product, c, sizeof c),
              rmo_yen(ev, grant, d, sizeof d));
    return grant;
}
