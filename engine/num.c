/*
 * num.c — exact numbers for kofu (see num.h): arithmetic and comparison.
 *
 * A value is a reduced int64 fraction when it fits (every amount and rate a
 * case meets), computed on with 64-bit arithmetic and overflow checks, and a
 * GMP rational (mpq_t) only when it does not; num_repr.h describes the two
 * forms. Either way the result is the exact one GMP would give. The rounding
 * steps are in num_round.c, printing and parsing in num_text.c; the only
 * floating point of the module is MPFR inside num_approx() (num_text.c),
 * whose text is for people and never flows back into a value.
 */
#include "num.h"
#include "num_repr.h"

#include "util.h"

#include <assert.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*mpq_op)(mpq_ptr, mpq_srcptr, mpq_srcptr);

/* r = op(a, b) with GMP: big operands, or an intermediate beyond int64. */
static void slow_op(kofu_num *r, const kofu_num *a, const kofu_num *b, mpq_op op)
{
    mpq_t ta, tb, res;
    mpq_inits(ta, tb, res, NULL);
    op(res, as_mpq(a, ta), as_mpq(b, tb));
    take_mpq(r, res);
    mpq_clears(ta, tb, res, NULL);
}

/* ------------------------------------------------------------------ */
/* Small-form arithmetic: false when something does not fit int64      */

/* an/ad + bn/bd, the way mpq_add does it: with g = gcd(ad, bd),
 * t = an (bd/g) + bn (ad/g) and g2 = gcd(t, g), the sum is
 * (t/g2) / ((ad/g) (bd/g2)) in lowest terms. */
static bool add_small(int64_t an, int64_t ad, int64_t bn, int64_t bd, int64_t *rn, int64_t *rd)
{
    int64_t t, u;
    if (ad == bd) {
        if (__builtin_add_overflow(an, bn, &t) || t == INT64_MIN)
            return false;
        if (ad == 1) {
            *rn = t;
            *rd = 1;
            return true;
        }
        int64_t g = (int64_t)gcd_u64(mag(t), (uint64_t)ad); /* t = 0: g = ad, 0/1 */
        *rn = t / g;
        *rd = ad / g;
        return true;
    }
    int64_t g = (int64_t)gcd_u64((uint64_t)ad, (uint64_t)bd);
    int64_t ad_g = ad / g, bd_g = bd / g;
    if (__builtin_mul_overflow(an, bd_g, &t) || __builtin_mul_overflow(bn, ad_g, &u) ||
        __builtin_add_overflow(t, u, &t) || t == INT64_MIN)
        return false;
    if (t == 0) { /* unreachable for canonical operands with ad != bd; kept total */
        *rn = 0;
        *rd = 1;
        return true;
    }
    int64_t g2 = g == 1 ? 1 : (int64_t)gcd_u64(mag(t), (uint64_t)g);
    if (__builtin_mul_overflow(ad_g, bd / g2, rd))
        return false;
    *rn = t / g2;
    return true;
}

/* an/ad × bn/bd as mpq_mul does it: cancel across first, with
 * g1 = gcd(an, bd) and g2 = gcd(bn, ad), so the product is reduced. */
static bool mul_small(int64_t an, int64_t ad, int64_t bn, int64_t bd, int64_t *rn, int64_t *rd)
{
    if (an == 0 || bn == 0) {
        *rn = 0;
        *rd = 1;
        return true;
    }
    int64_t g1 = bd == 1 ? 1 : (int64_t)gcd_u64(mag(an), (uint64_t)bd);
    int64_t g2 = ad == 1 ? 1 : (int64_t)gcd_u64(mag(bn), (uint64_t)ad);
    int64_t n;
    if (__builtin_mul_overflow(an / g1, bn / g2, &n) || n == INT64_MIN ||
        __builtin_mul_overflow(ad / g2, bd / g1, rd))
        return false;
    *rn = n;
    return true;
}

/* ------------------------------------------------------------------ */
/* Values and arithmetic                                               */

void num_init(kofu_num *n)
{
    set_small(n, 0, 1);
    n->q = NULL;
}

void num_clear(kofu_num *n)
{
    if (n->q) {
        void (*release)(void *, size_t);
        mp_get_memory_functions(NULL, NULL, &release);
        mpq_clear(n->q);
        release(n->q, sizeof *n->q);
    }
    n->q = NULL;
    set_small(n, 0, 1);
}

void num_set(kofu_num *dst, const kofu_num *src)
{
    if (dst == src)
        return;
    if (!src->big) {
        set_small(dst, src->n, src->d);
        return;
    }
    q_ready(dst);
    mpq_set(dst->q, src->q);
    dst->big = 1;
}

void num_set_int(kofu_num *n, int64_t v)
{
    if (v != INT64_MIN) {
        set_small(n, v, 1);
        return;
    }
    q_ready(n);
    mpz_set_i64(mpq_numref(n->q), v);
    mpz_set_ui(mpq_denref(n->q), 1);
    n->big = 1;
}

void num_set_frac(kofu_num *n, int64_t numer, int64_t denom)
{
    assert(denom != 0);
    bool neg = (numer < 0) != (denom < 0);
    uint64_t un = mag(numer), ud = mag(denom);
    uint64_t g = gcd_u64(un, ud); /* numer = 0: g = ud, so 0/1 */
    un /= g;
    ud /= g;
    if (un <= (uint64_t)INT64_MAX && ud <= (uint64_t)INT64_MAX) {
        set_small(n, neg ? -(int64_t)un : (int64_t)un, (int64_t)ud);
        return;
    }
    /* 2^63 on one side: already in lowest terms, just too wide. */
    q_ready(n);
    mpz_set_u64(mpq_numref(n->q), un);
    mpz_set_u64(mpq_denref(n->q), ud);
    if (neg)
        mpq_neg(n->q, n->q);
    n->big = 1;
}

void num_add(kofu_num *r, const kofu_num *a, const kofu_num *b)
{
    int64_t n, d;
    if (!a->big && !b->big && add_small(a->n, a->d, b->n, b->d, &n, &d))
        set_small(r, n, d);
    else
        slow_op(r, a, b, mpq_add);
}

void num_sub(kofu_num *r, const kofu_num *a, const kofu_num *b)
{
    int64_t n, d;
    /* -b->n fits: the small form never holds INT64_MIN. */
    if (!a->big && !b->big && add_small(a->n, a->d, -b->n, b->d, &n, &d))
        set_small(r, n, d);
    else
        slow_op(r, a, b, mpq_sub);
}

void num_mul(kofu_num *r, const kofu_num *a, const kofu_num *b)
{
    int64_t n, d;
    if (!a->big && !b->big && mul_small(a->n, a->d, b->n, b->d, &n, &d))
        set_small(r, n, d);
    else
        slow_op(r, a, b, mpq_mul);
}

bool num_div(kofu_num *r, const kofu_num *a, const kofu_num *b)
{
    if (num_sign(b) == 0)
        return false;
    int64_t n, d;
    /* a × (1/b), with 1/b canonical: the sign moves to the numerator. */
    if (!a->big && !b->big &&
        mul_small(a->n, a->d, b->n < 0 ? -b->d : b->d, b->n < 0 ? -b->n : b->n, &n, &d))
        set_small(r, n, d);
    else
        slow_op(r, a, b, mpq_div);
    return true;
}

static int sign_of(int c) { return (c > 0) - (c < 0); }

static int cmp_i64(int64_t a, int64_t b) { return (a > b) - (a < b); }

int num_cmp(const kofu_num *a, const kofu_num *b)
{
    if (!a->big && !b->big) {
        if (a->d == b->d)
            return cmp_i64(a->n, b->n);
#ifdef __SIZEOF_INT128__
        __int128 x = (__int128)a->n * b->d, y = (__int128)b->n * a->d;
        return (x > y) - (x < y);
#else
        int64_t x, y;
        if (!__builtin_mul_overflow(a->n, b->d, &x) && !__builtin_mul_overflow(b->n, a->d, &y))
            return cmp_i64(x, y);
#endif
    }
    mpq_t ta, tb;
    mpq_inits(ta, tb, NULL);
    int c = sign_of(mpq_cmp(as_mpq(a, ta), as_mpq(b, tb)));
    mpq_clears(ta, tb, NULL);
    return c;
}

void num_min(kofu_num *r, const kofu_num *a, const kofu_num *b)
{
    num_set(r, num_cmp(a, b) <= 0 ? a : b);
}

void num_max(kofu_num *r, const kofu_num *a, const kofu_num *b)
{
    num_set(r, num_cmp(a, b) >= 0 ? a : b);
}

int num_cmp_int(const kofu_num *a, int64_t b)
{
    if (!a->big) {
        if (a->d == 1)
            return cmp_i64(a->n, b);
        int64_t bd;
        /* Beyond int64, b·d is further from zero than any numerator. */
        if (__builtin_mul_overflow(b, a->d, &bd))
            return b > 0 ? -1 : 1;
        return cmp_i64(a->n, bd);
    }
    mpq_t t;
    mpq_init(t);
    mpz_set_i64(mpq_numref(t), b);
    int c = sign_of(mpq_cmp(a->q, t));
    mpq_clear(t);
    return c;
}

int num_sign(const kofu_num *a) { return a->big ? mpq_sgn(a->q) : (a->n > 0) - (a->n < 0); }

bool num_is_integer(const kofu_num *a)
{
    return a->big ? mpz_cmp_ui(mpq_denref(a->q), 1) == 0 : a->d == 1;
}

bool num_to_int64(const kofu_num *x, int64_t *out)
{
    if (!x->big) {
        if (x->d != 1)
            return false;
        *out = x->n;
        return true;
    }
    /* Only INT64_MIN is an int64 that is not small. */
    return num_is_integer(x) && mpz_get_i64(mpq_numref(x->q), out);
}
