/*
 * num_round.c — the rounding steps of kofu's numbers (num.h: num_round and
 * the names used in traces and rule data).
 *
 * Conventions for negative values (no kofu value that gets rounded is
 * negative today, but the functions must still be total):
 *   - half-up steps round halves AWAY FROM ZERO (-1500 -> -2000), so the
 *     result is the mirror image of the positive case;
 *   - floor steps round toward -infinity (-1 -> -1000 for floor_1000) and
 *     ceil_1 toward +infinity, as their names say.
 */
#include "num.h"
#include "num_repr.h"

#include "util.h"

#include <assert.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Rounding                                                            */

typedef enum { DIR_FLOOR, DIR_CEIL, DIR_HALF_AWAY } round_dir;

/* q = n/d rounded to an integer in direction dir; d > 0. */
static void div_round(mpz_t q, const mpz_t n, const mpz_t d, round_dir dir)
{
    if (dir == DIR_FLOOR) {
        mpz_fdiv_q(q, n, d);
        return;
    }
    if (dir == DIR_CEIL) {
        mpz_cdiv_q(q, n, d);
        return;
    }
    /* floor((2|n| + d) / 2d) is |n|/d rounded with halves going up; the
     * sign is put back afterwards so halves go away from zero. */
    mpz_t t, d2;
    mpz_inits(t, d2, NULL);
    mpz_abs(t, n);
    mpz_mul_2exp(t, t, 1);
    mpz_add(t, t, d);
    mpz_mul_2exp(d2, d, 1);
    mpz_fdiv_q(t, t, d2);
    if (mpz_sgn(n) < 0)
        mpz_neg(t, t);
    mpz_swap(q, t);
    mpz_clears(t, d2, NULL);
}

static const struct {
    const char *name;
    round_dir dir;
    unsigned long unit_mul; /* the step is unit_mul / unit_div yen */
    unsigned long unit_div;
} round_steps[NUM_ROUND__COUNT] = {
    [NUM_ROUND_HALF_UP_1000] = {"half_up_1000", DIR_HALF_AWAY, 1000, 1},
    [NUM_ROUND_FLOOR_1000] = {"floor_1000", DIR_FLOOR, 1000, 1},
    [NUM_ROUND_FLOOR_1] = {"floor_1", DIR_FLOOR, 1, 1},
    [NUM_ROUND_CEIL_1] = {"ceil_1", DIR_CEIL, 1, 1},
    [NUM_ROUND_HALF_UP_0_01] = {"half_up_0.01", DIR_HALF_AWAY, 1, 100},
};

#ifdef __SIZEOF_INT128__
/* n / d and n % d (truncated, d > 0), in one 64-bit division when both fit:
 * a 128-bit division is a library call. */
static void divmod_128(__int128 n, __int128 d, __int128 *q, __int128 *rem)
{
    if (n >= INT64_MIN && n <= INT64_MAX && d <= INT64_MAX) {
        int64_t a = (int64_t)n, b = (int64_t)d;
        *q = a / b;
        *rem = a % b;
        return;
    }
    *q = n / d;
    *rem = n % d;
}

/* num_round of a small x for a step of um/ud yen: the same integer division
 * in 128-bit arithmetic. false when the result has no small form. */
static bool round_small(kofu_num *r, const kofu_num *x, unsigned long um, unsigned long ud,
                        round_dir dir)
{
    __int128 n = (__int128)x->n * ud;
    __int128 d = (__int128)x->d * um; /* > 0 */
    __int128 q, rem;
    divmod_128(n, d, &q, &rem); /* truncated toward zero */
    if (dir == DIR_FLOOR && rem < 0)
        q--;
    else if (dir == DIR_CEIL && rem > 0)
        q++;
    else if (dir == DIR_HALF_AWAY && 2 * (rem < 0 ? -rem : rem) >= d)
        q += n < 0 ? -1 : 1;
    __int128 v = q * (__int128)um; /* |q| < 2^71: no overflow */
    /* v / ud in lowest terms */
    __int128 vn, vr;
    divmod_128(v, (__int128)ud, &vn, &vr); /* |vr| < ud: gcd(v, ud) = gcd(vr, ud) */
    uint64_t g = gcd_u64((uint64_t)(vr < 0 ? -vr : vr), ud); /* v = 0: g = ud */
    divmod_128(v, (__int128)g, &vn, &vr);
    if (vn > INT64_MAX || vn <= INT64_MIN)
        return false;
    set_small(r, (int64_t)vn, (int64_t)(ud / g));
    return true;
}
#endif

void num_round(kofu_num *r, const kofu_num *x, num_rounding how)
{
    if ((unsigned)how >= NUM_ROUND__COUNT)
        abort(); /* a caller bug; rounding by a made-up step would be worse */
    unsigned long um = round_steps[how].unit_mul;
    unsigned long ud = round_steps[how].unit_div;
    /* An integer is already a multiple of any step of at most 1 yen. */
    if (um == 1 && num_is_integer(x)) {
        num_set(r, x);
        return;
    }
#ifdef __SIZEOF_INT128__
    if (!x->big && round_small(r, x, um, ud, round_steps[how].dir))
        return;
#endif
    /* x / step = (num * ud) / (den * um); round that, then scale back. */
    mpq_t tx, res;
    mpz_t n, d, q;
    mpq_inits(tx, res, NULL);
    mpz_inits(n, d, q, NULL);
    mpq_srcptr xq = as_mpq(x, tx);
    mpz_mul_ui(n, mpq_numref(xq), ud);
    mpz_mul_ui(d, mpq_denref(xq), um);
    div_round(q, n, d, round_steps[how].dir);
    mpz_mul_ui(mpq_numref(res), q, um);
    mpz_set_ui(mpq_denref(res), ud);
    mpq_canonicalize(res);
    take_mpq(r, res);
    mpz_clears(n, d, q, NULL);
    mpq_clears(tx, res, NULL);
}

const char *num_rounding_name(num_rounding how)
{
    if ((unsigned)how >= NUM_ROUND__COUNT)
        return "?";
    return round_steps[how].name;
}

bool num_rounding_from_name(const char *name, num_rounding *out)
{
    if (!name)
        return false;
    for (int i = 0; i < NUM_ROUND__COUNT; i++) {
        if (strcmp(name, round_steps[i].name) == 0) {
            *out = (num_rounding)i;
            return true;
        }
    }
    return false;
}
