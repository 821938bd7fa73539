/*
 * num_repr.h — the representation of kofu_num, shared by the three files of
 * the number module and by nothing else: num.c (arithmetic and comparison),
 * num_round.c (the rounding steps), num_text.c (printing and parsing).
 * Everything here is static inline, so splitting the module cost no call.
 */
#ifndef KOFU_ENGINE_NUM_REPR_H
#define KOFU_ENGINE_NUM_REPR_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "num.h"

/* ------------------------------------------------------------------ */
/* int64 <-> mpz, portable to platforms where long is 32 bits          */

#if LONG_MAX >= INT64_MAX
static inline void mpz_set_i64(mpz_t z, int64_t v) { mpz_set_si(z, (long)v); }
static inline void mpz_set_u64(mpz_t z, uint64_t v) { mpz_set_ui(z, (unsigned long)v); }

static inline bool mpz_get_i64(const mpz_t z, int64_t *out)
{
    if (!mpz_fits_slong_p(z))
        return false;
    *out = (int64_t)mpz_get_si(z);
    return true;
}
#else
static inline void mpz_set_u64(mpz_t z, uint64_t v) { mpz_import(z, 1, 1, sizeof v, 0, 0, &v); }

static inline void mpz_set_i64(mpz_t z, int64_t v)
{
    /* Unsigned negation so that INT64_MIN does not overflow. */
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    mpz_set_u64(z, mag);
    if (v < 0)
        mpz_neg(z, z);
}

static inline bool mpz_get_i64(const mpz_t z, int64_t *out)
{
    if (mpz_sizeinbase(z, 2) > 64)
        return false;
    uint64_t mag = 0;
    mpz_export(&mag, NULL, 1, sizeof mag, 0, 0, z);
    if (mpz_sgn(z) >= 0) {
        if (mag > (uint64_t)INT64_MAX)
            return false;
        *out = (int64_t)mag;
        return true;
    }
    if (mag > (uint64_t)INT64_MAX + 1)
        return false;
    *out = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
    return true;
}
#endif

/* ------------------------------------------------------------------ */
/* Representation                                                      */

/*
 * A value is in exactly one of two forms:
 *   - small (!big): n / d with d > 0, gcd(|n|, d) = 1, zero as 0/1 and
 *     n != INT64_MIN, so that -n always fits;
 *   - big: the canonical mpq q, used only when the value has no small form.
 * Each value thus has one representation, which keeps comparisons trivial.
 * q is initialised the first time a value goes big and kept (with its limbs)
 * until num_clear, so a value that goes big and back does not reallocate.
 *
 * Every operation first tries 64-bit arithmetic on small operands, with
 * overflow checked by __builtin_*_overflow; when an operand is big or an
 * intermediate overflows it does the same operation with GMP (mpq_add, ...)
 * and stores the result in whichever form fits. So the values are those GMP
 * computes; the fast paths only skip the allocation.
 */

static inline uint64_t mag(int64_t v) { return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v; }

/* gcd(0, b) = b. One division first, since the usual pair is an amount and a
 * small denominator (gcd(1234000, 60)), then binary gcd on what is left. */
static inline uint64_t gcd_u64(uint64_t a, uint64_t b)
{
    if (a < b) {
        uint64_t t = a;
        a = b;
        b = t;
    }
    if (b == 0)
        return a;
    a %= b;
    if (a == 0)
        return b;
    int shift = __builtin_ctzll(a | b);
    a >>= __builtin_ctzll(a);
    do {
        b >>= __builtin_ctzll(b);
        if (a > b) {
            uint64_t t = a;
            a = b;
            b = t;
        }
        b -= a;
    } while (b != 0);
    return a << shift;
}

static inline void set_small(kofu_num *x, int64_t n, int64_t d)
{
    x->n = n;
    x->d = d;
    x->big = 0;
}

static inline void q_ready(kofu_num *x)
{
    if (!x->q) {
        /* GMP's own allocator: like every GMP allocation, it aborts when
         * memory runs out rather than returning NULL. */
        void *(*alloc)(size_t);
        mp_get_memory_functions(&alloc, NULL, NULL);
        x->q = alloc(sizeof *x->q);
        mpq_init(x->q);
    }
}

/* x's value as an mpq: q itself when big, else written into tmp (which the
 * caller initialised). */
static inline mpq_srcptr as_mpq(const kofu_num *x, mpq_ptr tmp)
{
    if (x->big)
        return x->q;
    mpz_set_i64(mpq_numref(tmp), x->n);
    mpz_set_i64(mpq_denref(tmp), x->d);
    return tmp;
}

/* r = v (canonical), in the small form when it fits. v's value is lost. */
static inline void take_mpq(kofu_num *r, mpq_ptr v)
{
    int64_t n, d;
    if (mpz_get_i64(mpq_numref(v), &n) && n != INT64_MIN && mpz_get_i64(mpq_denref(v), &d)) {
        set_small(r, n, d);
        return;
    }
    q_ready(r);
    mpq_swap(r->q, v);
    r->big = 1;
}

#endif
