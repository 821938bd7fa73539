/*
 * shared_rmo.h — what the three 地域運営組織 measures (rmo_formation,
 * rmo_operation, rmo_management) share: the special tax grant of SPEC.md §2,
 *   special_tax_grant = half_up_1000(eligible × rate),  rate = 1/2 × f
 * computed once per measure over its whole eligible amount, with the rate
 * published by the fiscal_capacity component; and small text helpers for
 * their report lines.
 */
#ifndef KOFU_RULES_SHARED_RMO_H
#define KOFU_RULES_SHARED_RMO_H

#include <stddef.h>

#include "eval.h"

/* Traces and reports rate, product and rounding; returns the grant.
 * `eligible_name` is the trace step name of the eligible amount. */
const kofu_num *rmo_special_tax_grant(kofu_eval *ev, const kofu_num *eligible,
                                      const char *eligible_name);
/* Yen with separators in the evaluation's language ("1,220,000円"), in buf. */
const char *rmo_yen(kofu_eval *ev, const kofu_num *x, char *buf, size_t cap);
/* A case amount as a traced step named after its key ("case file"), and a
 * report line under its schema label; NULL (nothing traced) when absent. */
const kofu_num *rmo_case_amount(kofu_eval *ev, const case_section *s, const char *scope,
                                const char *key, const char *label, int indent);

#endif
