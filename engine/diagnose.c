/* diagnose.c — what a wrong claimed amount most likely is. An auditor who
 * sees "claimed 2,000 yen more" still has to find out why; most wrong claims
 * come from a handful of slips that the trace can recognise exactly: the
 * amount counted twice or the 1/2 rate applied twice, the other rounding at
 * 1,000 yen, the amount before its rounding step or before a cap, two digits
 * swapped when copying. Each is tested on the exact values of the trace; the
 * first that gives the claimed amount to the yen is the diagnosis.
 *
 * A total is the sum of its measures' amounts, so a slip in one of them
 * shows in the total as that amount's alternative in place of its value. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claims.h"
#include "node.h"
#include "num.h"
#include "util.h"

/* ---- reading the trace --------------------------------------------------- */

static const char *str_of(const kofu_node *step, const char *key)
{
    return kofu_node_str(kofu_node_get(step, key));
}

/* The exact value of a trace step ("1175500.5", "11000/7"). */
static bool step_value(const kofu_node *step, kofu_num *out)
{
    return num_parse_exact(str_of(step, "value"), out) == NUM_PARSE_OK;
}

/* "floor_1000(2750000)": the rounding and its exact argument. */
static bool rounding_step(const kofu_node *step, num_rounding *how, kofu_num *arg)
{
    const char *rule = str_of(step, "rule");
    const char *open = strchr(rule, '(');
    size_t n = strlen(rule);
    if (!open || n < 3 || rule[n - 1] != ')' || (size_t)(open - rule) >= 32)
        return false;
    char name[32], inner[128];
    memcpy(name, rule, (size_t)(open - rule));
    name[open - rule] = '\0';
    size_t len = n - 2 - (size_t)(open - rule);
    if (len >= sizeof inner || !num_rounding_from_name(name, how))
        return false;
    memcpy(inner, open + 1, len);
    inner[len] = '\0';
    return num_parse_exact(inner, arg) == NUM_PARSE_OK;
}

/* The step's scope prefix: "network[a]." of "network[a].grant". */
static size_t scope_len(const char *step)
{
    const char *close = strstr(step, "].");
    if (close)
        return (size_t)(close - step) + 2;
    const char *dot = strchr(step, '.');
    return dot ? (size_t)(dot - step) + 1 : 0;
}

/* The value of step `scope` + `leaf` at or before index `before`. */
static const kofu_node *find_step(const kofu_node *steps, size_t before, const char *scope,
                                  size_t slen, const char *leaf, size_t llen)
{
    for (size_t i = before + 1; i-- > 0;) {
        const char *name = str_of(kofu_node_at(steps, i), "step");
        if (strncmp(name, scope, slen) == 0 && strlen(name + slen) == llen &&
            strncmp(name + slen, leaf, llen) == 0)
            return kofu_node_at(steps, i);
    }
    return NULL;
}

/* ---- the alternatives of one amount ------------------------------------------ */

typedef struct alt {
    const char *code;
    int64_t value;      /* the claimed amount this slip would give      */
    char step[160];     /* the step it concerns                         */
    char detail[96];    /* the value before rounding or before the cap  */
    const char *used, *rule; /* rounding_mode: the rounding used, the rule's */
} alt;

typedef struct alts {
    alt *a;
    size_t n, cap;
} alts;

static alt *alt_add(alts *as, const char *code, const kofu_num *v, int64_t delta,
                    const char *step, const char *detail)
{
    int64_t x;
    if (!num_to_int64(v, &x) || as->n == as->cap)
        return NULL;
    alt *a = &as->a[as->n++];
    a->used = a->rule = NULL;
    a->code = code;
    a->value = x + delta;
    snprintf(a->step, sizeof a->step, "%s", step);
    snprintf(a->detail, sizeof a->detail, "%s", detail);
    return a;
}

/* The slips of amount `leaf` of measure `measure` that would have given the
 * amount `value` + delta instead: delta lets a total carry the rest of its
 * sum. */
static void amount_alternatives(alts *as, const kofu_node *steps, const char *measure,
                                const char *leaf, int64_t value, int64_t delta)
{
    kofu_num arg, other, v;
    num_init(&arg);
    num_init(&other);
    num_init(&v);
    size_t mlen = strlen(measure);
    for (size_t i = 0; i < kofu_node_size(steps); i++) {
        const kofu_node *st = kofu_node_at(steps, i);
        const char *name = str_of(st, "step");
        if (strncmp(name, measure, mlen) != 0 || (name[mlen] != '.' && name[mlen] != '['))
            continue;
        size_t sl = scope_len(name);
        num_rounding how;
        int64_t own;
        bool is_leaf = strcmp(name + sl, leaf) == 0;
        /* a per-section step counts with its share of the measure's sum */
        if (!step_value(st, &v) || !num_to_int64(&v, &own))
            continue;
        int64_t rest = value - own + delta;
        if (is_leaf && rounding_step(st, &how, &arg)) {
            num_rounding swap = how == NUM_ROUND_HALF_UP_1000 ? NUM_ROUND_FLOOR_1000
                                : how == NUM_ROUND_FLOOR_1000 ? NUM_ROUND_HALF_UP_1000
                                                              : how;
            char *s = num_to_yen_string(&arg);
            if (swap != how) {
                num_round(&other, &arg, swap);
                alt *a = alt_add(as, "rounding_mode", &other, rest, name, s ? s : "");
                if (a) {
                    a->used = num_rounding_name(swap);
                    a->rule = num_rounding_name(how);
                }
            }
            num_round(&other, &arg, NUM_ROUND_FLOOR_1);
            alt_add(as, "before_rounding", &other, rest, name, s ? s : "");
            if (!num_is_integer(&arg)) {
                num_round(&other, &arg, NUM_ROUND_CEIL_1);
                alt_add(as, "before_rounding", &other, rest, name, s ? s : "");
            }
            free(s);
        }
        /* min(a, b): an argument above the result is an amount before its cap */
        const char *rule = str_of(st, "rule");
        const char *m = strstr(rule, "min(");
        if (!m)
            continue;
        const char *p = m + 4;
        while (*p && *p != ')') {
            while (*p == ' ' || *p == ',')
                p++;
            const char *w = p;
            while ((*p >= 'a' && *p <= 'z') || *p == '_' || (*p >= '0' && *p <= '9'))
                p++;
            size_t wl = (size_t)(p - w);
            bool plain = wl > 0 && (*p == ',' || *p == ')');
            while (*p && *p != ',' && *p != ')')
                p++;
            const kofu_node *arg_step = plain ? find_step(steps, i, name, sl, w, wl) : NULL;
            if (!arg_step || !step_value(arg_step, &other) || num_cmp(&other, &v) <= 0)
                continue;
            char *s = num_to_yen_string(&other);
            alt_add(as, "before_cap", &other, delta, str_of(arg_step, "step"), s ? s : "");
            free(s);
        }
    }
    num_clear(&arg);
    num_clear(&other);
    num_clear(&v);
}

/* ---- the codes ------------------------------------------------------------------- */

static bool digits_swapped(int64_t claimed, int64_t computed, char *a, char *b)
{
    char x[24], y[24];
    snprintf(x, sizeof x, "%lld", (long long)claimed);
    snprintf(y, sizeof y, "%lld", (long long)computed);
    size_t n = strlen(x);
    if (n != strlen(y))
        return false;
    for (size_t i = 0; i + 1 < n; i++) {
        if (x[i] == y[i])
            continue;
        if (x[i] == y[i + 1] && x[i + 1] == y[i] && strcmp(x + i + 2, y + i + 2) == 0) {
            *a = y[i];
            *b = y[i + 1];
            return true;
        }
        return false;
    }
    return false;
}

static char *explain_alt(const alt *a, kofu_lang lang, const char *total_key)
{
    bool en = lang == KOFU_LANG_EN;
    char in_total[200] = "";
    if (total_key)
        snprintf(in_total, sizeof in_total, en ? " (inside %s)" : "（%s の内訳）", total_key);
    if (strcmp(a->code, "rounding_mode") == 0)
        return xasprintf(en ? "the claim rounds %s (%s) with %s instead of the rule's %s%s"
                            : "請求額は %s（%s）を規則の %s ではなく %s で端数処理した額です%s",
                         a->step, a->detail, en ? a->used : a->rule, en ? a->rule : a->used,
                         in_total);
    if (strcmp(a->code, "before_rounding") == 0)
        return xasprintf(en ? "the claim is %s before its rounding step (%s)%s"
                            : "請求額は %s の端数処理前の額（%s）です%s",
                         a->step, a->detail, in_total);
    return xasprintf(en ? "the claim is %s = %s, the amount before a cap or min() bound it%s"
                        : "請求額は上限（min()）で抑えられる前の額 %s = %s です%s",
                     a->step, a->detail, in_total);
}

char *diagnose_claim(const char *key, int64_t claimed, int64_t computed, const kofu_node *steps,
                     const claim_term *terms, size_t n_terms, kofu_lang lang, const char **code)
{
    bool en = lang == KOFU_LANG_EN;
    *code = NULL;
    if (claimed == computed)
        return NULL;
    if (computed != 0 && claimed == computed * 2) {
        *code = "double";
        return xstrdup(en ? "the claim is exactly twice the computed amount (counted twice?)"
                          : "請求額は計算額のちょうど2倍です（二重計上の可能性）");
    }
    if (claimed * 2 == computed) {
        *code = "half";
        return xstrdup(en ? "the claim is exactly half the computed amount (a rate of 1/2 applied twice?)"
                          : "請求額は計算額のちょうど半分です（1/2 の率を二重に掛けた可能性）");
    }
    alt buf[64];
    alts as = {buf, 0, sizeof buf / sizeof buf[0]};
    char measure[64];
    if (n_terms) {
        for (size_t t = 0; t < n_terms; t++) {
            const char *dot = strchr(terms[t].key, '.');
            if (!dot || (size_t)(dot - terms[t].key) >= sizeof measure)
                continue;
            snprintf(measure, sizeof measure, "%.*s", (int)(dot - terms[t].key), terms[t].key);
            amount_alternatives(&as, steps, measure, dot + 1, terms[t].value,
                                computed - terms[t].value);
        }
    } else {
        const char *dot = strchr(key, '.');
        if (dot && (size_t)(dot - key) < sizeof measure) {
            snprintf(measure, sizeof measure, "%.*s", (int)(dot - key), key);
            amount_alternatives(&as, steps, measure, dot + 1, computed, 0);
        }
    }
    static const char *const order[] = {"rounding_mode", "before_rounding", "before_cap"};
    for (size_t o = 0; o < sizeof order / sizeof order[0]; o++)
        for (size_t i = 0; i < as.n; i++)
            if (strcmp(as.a[i].code, order[o]) == 0 && as.a[i].value == claimed) {
                *code = as.a[i].code;
                return explain_alt(&as.a[i], lang, n_terms ? key : NULL);
            }
    char a, b;
    if (digits_swapped(claimed, computed, &a, &b)) {
        *code = "digits_swapped";
        return xasprintf(en ? "the claim is the computed amount with two adjacent digits swapped (%c%c → %c%c)"
                            : "請求額は計算額の隣り合う2桁を入れ替えた数です（%c%c → %c%c、転記の誤り）",
                         a, b, b, a);
    }
    return NULL;
}
