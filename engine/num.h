/*
 * num.h — exact numbers for kofu.
 *
 * Every value the engine computes with is an exact rational: yen amounts are
 * integers, rates and ratios are exact fractions (0.7 is 7/10, 7/12 stays 7/12).
 * Nothing is ever rounded except by num_round(), which implements the named
 * rounding steps (docs/output.md) and nothing else.
 *
 * The representation has two forms, invisible outside the number module
 * (num.c, num_round.c, num_text.c, sharing num_repr.h): a "small" form,
 * a reduced fraction of two int64 (every yen amount and every rate kofu
 * meets), computed on without GMP or allocation; and a "big" form, a GMP
 * rational (mpq_t) used only for values that do not fit the small one. GNU
 * MPFR is used where an approximation is the point: num_approx() renders a non-terminating ratio
 * such as 49/60 as "0.8166…" for people reading a trace; it never feeds back
 * into a computation.
 *
 * Ownership: a kofu_num is a value type that must be initialised with
 * num_init() and released with num_clear(). Output parameters may alias
 * inputs (num_add(&a, &a, &b) is fine). Functions returning char * return
 * malloc'd strings the caller frees.
 */
#ifndef KOFU_ENGINE_NUM_H
#define KOFU_ENGINE_NUM_H

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Private to the number module (num_repr.h): nothing else reads or writes
 * these fields. */
typedef struct kofu_num {
    int64_t n;         /* small form: numerator, never INT64_MIN            */
    int64_t d;         /* small form: denominator > 0, gcd(|n|, d) = 1       */
    unsigned char big; /* the value is *q (and does not fit the small form) */
    mpq_ptr q;         /* allocated and initialised the first time the value
                          goes big, freed by num_clear; NULL before. Kept out
                          of line: a case holds hundreds of values, and an
                          inline mpq_t more than doubled each one's size.  */
} kofu_num;

/* The largest amount a case may hold (at most 10^15 yen: docs/limits.md). */
#define NUM_AMOUNT_MAX_STR "1000000000000000"

/* The rounding steps of docs/output.md, plus the two integer conversions the
 * measures need (ceil_1 for the break-even fee, which is a price that must
 * cover the cost; half_up_1 is not used by any measure today). */
typedef enum num_rounding {
    NUM_ROUND_HALF_UP_1000, /* 交付税: 地方交付税法 第22条, 500 yen up           */
    NUM_ROUND_FLOOR_1000,   /* 交付金: 千円未満切捨て                               */
    NUM_ROUND_FLOOR_1,      /* caps after proration/taper: 円未満切捨て             */
    NUM_ROUND_CEIL_1,       /* break-even prices: 円未満切上げ                      */
    NUM_ROUND_HALF_UP_0_01, /* 財政力指数 and its factor: 小数点以下二位未満四捨五入 */
    NUM_ROUND__COUNT
} num_rounding;

/* Result of parsing a user-written value. NUM_PARSE_OK is 0. */
typedef enum num_parse_status {
    NUM_PARSE_OK = 0,
    NUM_PARSE_EMPTY,      /* "" or only blanks                               */
    NUM_PARSE_SYNTAX,     /* "1.2.3", "abc", "1,2", "12万5千", ...            */
    NUM_PARSE_NEGATIVE,   /* "-5"                                             */
    NUM_PARSE_FRACTION,   /* an amount that is not a whole number of yen     */
    NUM_PARSE_TOO_LARGE,  /* an amount above 10^15 yen                        */
    NUM_PARSE_TOO_PRECISE /* more decimals than allowed (num_parse_decimal)   */
} num_parse_status;

void num_init(kofu_num *n);
void num_clear(kofu_num *n);
void num_set(kofu_num *dst, const kofu_num *src);
void num_set_int(kofu_num *n, int64_t v);
/* n = numer / denom; denom must not be 0. */
void num_set_frac(kofu_num *n, int64_t numer, int64_t denom);

void num_add(kofu_num *r, const kofu_num *a, const kofu_num *b);
void num_sub(kofu_num *r, const kofu_num *a, const kofu_num *b);
void num_mul(kofu_num *r, const kofu_num *a, const kofu_num *b);
/* Returns false (and leaves r unchanged) when b is zero. */
bool num_div(kofu_num *r, const kofu_num *a, const kofu_num *b);
void num_min(kofu_num *r, const kofu_num *a, const kofu_num *b);
void num_max(kofu_num *r, const kofu_num *a, const kofu_num *b);
int num_cmp(const kofu_num *a, const kofu_num *b);
int num_cmp_int(const kofu_num *a, int64_t b);
int num_sign(const kofu_num *a);
bool num_is_integer(const kofu_num *a);

/* r = x rounded by step `how`. Exact: integer division on the rational's
 * numerator and denominator, no floating point. Half-up rounds halves away
 * from zero (all kofu values that are rounded are non-negative). */
void num_round(kofu_num *r, const kofu_num *x, num_rounding how);
/* Name used in traces and rule data: "half_up_1000", "floor_1000", "floor_1",
 * "ceil_1", "half_up_0.01". */
const char *num_rounding_name(num_rounding how);
/* Inverse of num_rounding_name; false when the name is unknown. */
bool num_rounding_from_name(const char *name, num_rounding *out);

/* Integer value when x is an integer within int64 range; false otherwise. */
bool num_to_int64(const kofu_num *x, int64_t *out);

/* Exact text: "3500000", "0.375", "-12", or "7/12" in lowest terms when the
 * value has no finite decimal expansion. malloc'd; NULL only on OOM. */
char *num_to_string(const kofu_num *x);
/* Writes the same text as num_to_string into buf (size cap); returns the
 * length it needed (excluding NUL), like snprintf. */
size_t num_format(const kofu_num *x, char *buf, size_t cap);
/* Approximate text for people, via MPFR: a terminating decimal is written
 * exactly; otherwise `digits` decimals truncated (rounded toward zero) and
 * followed by "…" ("0.8166…"). malloc'd. */
char *num_approx(const kofu_num *x, int digits);
/* Amount with thousands separators: "19,288,000" (integers only; others are
 * written as by num_to_string). malloc'd. */
char *num_to_yen_string(const kofu_num *x);

/* Parsers for user-written values (the notations `kofu help case` lists).
 * Leading/trailing ASCII blanks
 * are ignored; nothing else is. On failure *out is unchanged.
 *
 * num_parse_amount: "1200000", "1,200,000" (groups of exactly three digits),
 *   "1200千円", "120万円", "1,200,000円", "1.5万円" (= 15000; any decimal that
 *   yields whole yen), full-width digits are NOT accepted. Never negative,
 *   never a fraction of a yen, at most 10^15.
 * num_parse_ratio: "0.75", "75%", "7.5%", "1", "0"; never negative. No upper
 *   bound here: ranges are the schema's job.
 * num_parse_decimal: plain decimal "0.65" with at most max_decimals decimals
 *   (NUM_PARSE_TOO_PRECISE otherwise); no %, never negative.
 * num_parse_int: plain non-negative integer "12" (no separators, no units),
 *   at most 10^15.
 */
num_parse_status num_parse_amount(const char *s, kofu_num *out);
num_parse_status num_parse_ratio(const char *s, kofu_num *out);
num_parse_status num_parse_decimal(const char *s, int max_decimals, kofu_num *out);
num_parse_status num_parse_int(const char *s, kofu_num *out);
/* A signed exact decimal or fraction, as written in rule data and by
 * num_to_string: "-0.5", "11/6", "2200000". */
num_parse_status num_parse_exact(const char *s, kofu_num *out);

#endif
