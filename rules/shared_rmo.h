/*
 * shared_rmo.h — what the three 地域運営組織 measures (rmo_formation,
 * rmo_operation, rmo_management) share: the special tax grant
 *   special_tax_grant = half_up_1000(eligible × rate),  rate = measure_rate × f
 * computed once per measure over its whole eligible amount, with the rate
 * published by the fiscal_capacity component; and small text helpers for
 * their report lines.
 */
#ifndef KOFU_RULES_SHARED_RMO_H
#define KOFU_RULES_SHARED_RMO_H

#include <stddef.h>

#include "eval.h"

/* The citations the special tax grant's steps use (each RMO measure lists
 * them in its measure_def.citations). */
#define RMO_CITE_RATE "soumu_rmo_r7 地方財政措置（概要） 措置率1/2・財政力補正"
#define RMO_CITE_ROUND                                                                        \
    "tokko_shorei 第五条第一項第三号イ（表示単位は千円とし、表示単位未満の端数は四捨五入）"

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
