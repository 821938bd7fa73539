/*
 * fiscal_capacity.h — what the fiscal-capacity component (財政力補正)
 * publishes for the measures that require it (ev_publish / ev_published):
 * typed fields, so a misspelt name or a flag passed as a number cannot
 * compile.
 */
#ifndef KOFU_RULES_FISCAL_CAPACITY_H
#define KOFU_RULES_FISCAL_CAPACITY_H

#include <stdbool.h>

#include "num.h"

typedef struct fiscal_capacity_out {
    const kofu_num *index;        /* 財政力指数 (3-year average)               */
    const kofu_num *coefficient;  /* 財政力補正係数, from the index or given  */
    const kofu_num *measure_rate; /* 措置率 (1/2)                              */
    const kofu_num *rate;         /* measure_rate × coefficient               */
    bool given;                   /* the case states the coefficient itself   */
} fiscal_capacity_out;

#endif
