/*
 * claims.h — inside kofu_result_check_claims: where a claimed amount comes
 * from in the trace (claims.c) and what a wrong one most likely is
 * (diagnose.c).
 */
#ifndef KOFU_ENGINE_CLAIMS_H
#define KOFU_ENGINE_CLAIMS_H

#include <stdint.h>

#include "kofu/kofu.h"

/* The language the result was evaluated in (eval.c). */
kofu_lang eval_result_lang(const kofu_result *r);

/* "network[a].grant" / "network.grant" belongs to "network": returns the
 * leaf ("grant"), or NULL when the step is another measure's. */
const char *step_leaf(const char *step, const char *measure);

/* One amount summed into a total: its key ("cooperative.special_tax_grant")
 * and value. */
typedef struct claim_term {
    const char *key;
    int64_t value;
} claim_term;

/* The diagnosis of a claim that differs from the computed amount (docs/audit.md),
 * tried in this order: double, half, rounding_mode, before_rounding,
 * before_cap, digits_swapped. `steps` are the trace steps behind the
 * computed amount; for a total, `terms` are the amounts it sums (n_terms 0
 * otherwise) and each term's alternatives are tried in the total. Sets
 * *code to the code (static) and returns the one-line explanation in `lang`
 * (malloc'd), or returns NULL with *code NULL when none applies. */
char *diagnose_claim(const char *key, int64_t claimed, int64_t computed, const kofu_node *steps,
                     const claim_term *terms, size_t n_terms, kofu_lang lang,
                     const char **code);

#endif
