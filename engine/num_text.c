/*
 * num_text.c — kofu's numbers as text (num.h): the exact form of traces and
 * JSON ("7/12", "0.375"), the approximation for people via MPFR ("0.8166…"),
 * amounts with separators, and the parsers of user-written values.
 *
 * Parser status precedence (first that applies): EMPTY, SYNTAX, NEGATIVE,
 * TOO_PRECISE, FRACTION, TOO_LARGE. A leading '-' is reported as NEGATIVE
 * only when the rest is well formed, so "-abc" is a SYNTAX error while
 * "-1.5" is NEGATIVE.
 */
#include "num.h"
#include "num_repr.h"

#include "util.h"

#include <assert.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpfr.h>

/* ------------------------------------------------------------------ */
/* Text output                                                         */

/* snprintf-style output: copies what fits, always counts the full length. */
typedef struct sink {
    char *buf;
    size_t cap;
    size_t len;
} sink;

static void sink_put(sink *s, const char *p, size_t n)
{
    if (s->cap > 0 && s->len < s->cap - 1) {
        size_t room = s->cap - 1 - s->len;
        memcpy(s->buf + s->len, p, n < room ? n : room);
    }
    s->len += n;
}

static void sink_zeros(sink *s, size_t n)
{
    static const char zeros[] = "0000000000000000";
    while (n > 0) {
        size_t k = n < sizeof zeros - 1 ? n : sizeof zeros - 1;
        sink_put(s, zeros, k);
        n -= k;
    }
}

static size_t sink_finish(sink *s)
{
    if (s->cap > 0)
        s->buf[s->len < s->cap ? s->len : s->cap - 1] = '\0';
    return s->len;
}

/* Decimal digits of an integer, in a stack buffer when it is big enough
 * (the common case: no allocation on the hot path) and otherwise in memory
 * from GMP's allocator, which aborts on exhaustion like every other GMP
 * operation. */
typedef struct digits {
    char stack[72];
    char *heap;
    size_t heap_size;
    const char *s; /* the digits, sign included */
    size_t len;
} digits;

static void digits_get(digits *dg, const mpz_t z)
{
    size_t need = mpz_sizeinbase(z, 10) + 2;
    dg->heap = NULL;
    if (need <= sizeof dg->stack) {
        dg->s = mpz_get_str(dg->stack, 10, z);
    } else {
        dg->heap = mpz_get_str(NULL, 10, z);
        dg->s = dg->heap;
    }
    dg->len = strlen(dg->s);
    dg->heap_size = dg->len + 1;
}

static void digits_free(digits *dg)
{
    if (dg->heap) {
        void (*gmp_free)(void *, size_t);
        mp_get_memory_functions(NULL, NULL, &gmp_free);
        gmp_free(dg->heap, dg->heap_size);
        dg->heap = NULL;
    }
}

static void sink_mpz(sink *s, const mpz_t z)
{
    digits dg;
    digits_get(&dg, z);
    sink_put(s, dg.s, dg.len);
    digits_free(&dg);
}

static const uint64_t pow10_table[20] = {
    UINT64_C(1), UINT64_C(10), UINT64_C(100), UINT64_C(1000), UINT64_C(10000),
    UINT64_C(100000), UINT64_C(1000000), UINT64_C(10000000), UINT64_C(100000000),
    UINT64_C(1000000000), UINT64_C(10000000000), UINT64_C(100000000000),
    UINT64_C(1000000000000), UINT64_C(10000000000000), UINT64_C(100000000000000),
    UINT64_C(1000000000000000), UINT64_C(10000000000000000), UINT64_C(100000000000000000),
    UINT64_C(1000000000000000000), UINT64_C(10000000000000000000),
};

/* 10^e for e <= 19. */
static uint64_t pow10_u64(unsigned e)
{
    assert(e < sizeof pow10_table / sizeof pow10_table[0]);
    return pow10_table[e];
}

/* Decimal digits of v, written backwards ending at end; returns the first. */
static char *u64_digits(uint64_t v, char *end)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    return end;
}

static void sink_i64(sink *s, int64_t v)
{
    char buf[24];
    char *p = u64_digits(mag(v), buf + sizeof buf);
    if (v < 0)
        *--p = '-';
    sink_put(s, p, (size_t)(buf + sizeof buf - p));
}

/* When d = 2^a * 5^b, returns true and the number of decimals max(a, b)
 * the value needs; false when the decimal expansion does not terminate. */
static bool terminating_decimals_u64(uint64_t d, size_t *decimals)
{
    size_t twos = 0, fives = 0;
    for (; d && d % 2 == 0; d /= 2)
        twos++;
    for (; d && d % 5 == 0; d /= 5)
        fives++;
    *decimals = twos > fives ? twos : fives;
    return d == 1;
}

static bool terminating_decimals(const mpz_t den, size_t *decimals)
{
    if (mpz_fits_ulong_p(den))
        return terminating_decimals_u64(mpz_get_ui(den), decimals);
    size_t a = mpz_scan1(den, 0);
    mpz_t rest, five;
    mpz_init(rest);
    mpz_init_set_ui(five, 5);
    mpz_tdiv_q_2exp(rest, den, a);
    size_t b = mpz_remove(rest, rest, five);
    bool ok = mpz_cmp_ui(rest, 1) == 0;
    mpz_clears(rest, five, NULL);
    *decimals = a > b ? a : b;
    return ok;
}

/* Writes |value| × 10^k, given as its len digits, as a decimal with k places. */
static void sink_point(sink *s, bool neg, const char *dg, size_t len, size_t k)
{
    if (neg)
        sink_put(s, "-", 1);
    if (len <= k) {
        sink_put(s, "0.", 2);
        sink_zeros(s, k - len);
        sink_put(s, dg, len);
    } else {
        sink_put(s, dg, len - k);
        sink_put(s, ".", 1);
        sink_put(s, dg + len - k, k);
    }
}

/* Writes num/den (den = 2^a 5^b) as a decimal with k places. Because the
 * fraction is in lowest terms and k = max(a, b), num * 10^k / den is not a
 * multiple of 10, so no trailing zero is ever written. */
static void sink_decimal(sink *s, mpq_srcptr x, size_t k)
{
    mpz_t m;
    mpz_init(m);
    mpz_ui_pow_ui(m, 10, k);
    mpz_mul(m, m, mpq_numref(x));
    mpz_divexact(m, m, mpq_denref(x));
    mpz_abs(m, m);
    digits dg;
    digits_get(&dg, m);
    sink_point(s, mpq_sgn(x) < 0, dg.s, dg.len, k);
    digits_free(&dg);
    mpz_clear(m);
}

/* The same text for a small non-integer x; false when |n| 10^k / d does not
 * fit 64 bits (then the mpz path writes it). */
static bool sink_small_fraction(sink *s, const kofu_num *x)
{
    size_t k;
    if (!terminating_decimals_u64((uint64_t)x->d, &k)) {
        sink_i64(s, x->n);
        sink_put(s, "/", 1);
        sink_i64(s, x->d);
        return true;
    }
    uint64_t m;
    if (k > 19 || __builtin_mul_overflow(mag(x->n), pow10_u64((unsigned)k) / (uint64_t)x->d, &m))
        return false;
    char buf[24];
    char *p = u64_digits(m, buf + sizeof buf);
    sink_point(s, x->n < 0, p, (size_t)(buf + sizeof buf - p), k);
    return true;
}

static void sink_mpq(sink *s, mpq_srcptr x)
{
    if (mpz_cmp_ui(mpq_denref(x), 1) == 0) {
        sink_mpz(s, mpq_numref(x));
        return;
    }
    size_t k;
    if (terminating_decimals(mpq_denref(x), &k)) {
        sink_decimal(s, x, k);
    } else {
        sink_mpz(s, mpq_numref(x));
        sink_put(s, "/", 1);
        sink_mpz(s, mpq_denref(x));
    }
}

size_t num_format(const kofu_num *x, char *buf, size_t cap)
{
    sink s = {buf, cap, 0};
    if (!x->big) {
        if (x->d == 1) {
            sink_i64(&s, x->n);
            return sink_finish(&s);
        }
        if (sink_small_fraction(&s, x))
            return sink_finish(&s);
    }
    mpq_t t;
    mpq_init(t);
    sink_mpq(&s, as_mpq(x, t));
    mpq_clear(t);
    return sink_finish(&s);
}

char *num_to_string(const kofu_num *x)
{
    char small[64];
    size_t n = num_format(x, small, sizeof small);
    if (n < sizeof small)
        return xstrndup(small, n);
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    num_format(x, p, n + 1);
    return p;
}

#define ELLIPSIS "\xe2\x80\xa6" /* U+2026 HORIZONTAL ELLIPSIS, UTF-8 */

/* Digits beyond this are noise to a reader and only cost time. */
#define APPROX_MAX_DIGITS 1000

/* y = |x| × 10^dcount, rounded toward zero once, at precision prec. */
static void approx_scaled(mpfr_t y, const kofu_num *x, int dcount, mpfr_prec_t prec)
{
    mpfr_t p;
    mpfr_init2(p, 4 * (mpfr_prec_t)dcount + 64); /* 10^dcount needs 3.33 bits a digit */
    if (dcount <= 19 && ULONG_MAX >= UINT64_MAX)
        mpfr_set_ui(p, (unsigned long)pow10_u64((unsigned)dcount), MPFR_RNDN); /* exact */
    else
        mpfr_ui_pow_ui(p, 10, (unsigned long)dcount, MPFR_RNDN); /* exact */
#if LONG_MAX >= INT64_MAX
    if (!x->big) {
        mpfr_set_ui(y, (unsigned long)mag(x->n), MPFR_RNDN);      /* exact */
        mpfr_mul(y, y, p, MPFR_RNDN);                             /* exact */
        mpfr_div_ui(y, y, (unsigned long)x->d, MPFR_RNDZ);
        mpfr_clear(p);
        return;
    }
#endif
    mpq_t t;
    mpq_init(t);
    mpq_srcptr xq = as_mpq(x, t);
    mpfr_set_z(y, mpq_numref(xq), MPFR_RNDN); /* exact */
    mpfr_abs(y, y, MPFR_RNDN);
    mpfr_mul(y, y, p, MPFR_RNDN); /* exact */
    mpfr_div_z(y, y, mpq_denref(xq), MPFR_RNDZ);
    mpq_clear(t);
    mpfr_clear(p);
}

static size_t bits_u64(uint64_t v) { return v ? 64 - (size_t)__builtin_clzll(v) : 1; }

/* The digits of |x| 10^D truncated toward zero into dg. */
static void approx_digits(digits *dg, const kofu_num *x, int dcount)
{
    uint64_t scaled;
    if (!x->big && dcount <= 19 &&
        !__builtin_mul_overflow(mag(x->n), pow10_u64((unsigned)dcount), &scaled)) {
        /* a reduced int64 fraction (a ratio of a case: 9/11) whose
         * |num| 10^D fits 64 bits: the truncation is one exact integer
         * division, without MPFR (a CSV row prints several such ratios) */
        dg->s = u64_digits(scaled / (uint64_t)x->d, dg->stack + sizeof dg->stack);
        dg->len = (size_t)(dg->stack + sizeof dg->stack - dg->s);
        return;
    }
    /* MPFR computes y = |x| 10^D rounded toward zero, and its integer part
     * is the D-decimal truncation of |x|: y >= |x| 10^D (1 - 2^(1-prec)),
     * and as x does not terminate, |x| 10^D = |num| 10^D / den lies at least
     * 1/den above the integer below it, more than that error since
     * |num| 10^D < 2^(prec-1). (What "%.*RZf" printed, without the cost of
     * MPFR's general formatting.) */
    size_t nbits = x->big ? mpz_sizeinbase(mpq_numref(x->q), 2) : bits_u64(mag(x->n));
    size_t dbits = x->big ? mpz_sizeinbase(mpq_denref(x->q), 2) : bits_u64((uint64_t)x->d);
    mpfr_prec_t prec = (mpfr_prec_t)(nbits + dbits) + 4 * (mpfr_prec_t)dcount + 64;
    mpfr_t y;
    mpfr_init2(y, prec);
    approx_scaled(y, x, dcount, prec);
    if (mpfr_fits_ulong_p(y, MPFR_RNDZ) && ULONG_MAX >= UINT64_MAX) {
        /* the usual case: a few digits, no mpz */
        dg->s = u64_digits(mpfr_get_ui(y, MPFR_RNDZ), dg->stack + sizeof dg->stack);
        dg->len = (size_t)(dg->stack + sizeof dg->stack - dg->s);
    } else {
        mpz_t z;
        mpz_init(z);
        mpfr_get_z(z, y, MPFR_RNDZ);
        digits_get(dg, z);
        mpz_clear(z);
    }
    mpfr_clear(y);
    /* MPFR keeps constants it computed in a per-thread cache until told:
     * free it, or every process that printed a trace ends with memory still
     * held (valgrind counts it) and the library would carry hidden state. */
    mpfr_free_cache();
}

char *num_approx(const kofu_num *x, int digits_wanted)
{
    size_t k;
    bool terminates = x->big ? terminating_decimals(mpq_denref(x->q), &k)
                             : terminating_decimals_u64((uint64_t)x->d, &k);
    if (terminates)
        return num_to_string(x);
    int dcount = digits_wanted < 0 ? 0 : digits_wanted;
    if (dcount > APPROX_MAX_DIGITS)
        dcount = APPROX_MAX_DIGITS;
    digits dg = {.heap = NULL};
    approx_digits(&dg, x, dcount);
    size_t dc = (size_t)dcount;
    sink s = {NULL, 0, 0};
    char *out = NULL;
    for (int pass = 0; pass < 2; pass++) { /* measure, then write */
        if (num_sign(x) < 0)
            sink_put(&s, "-", 1);
        if (dg.len <= dc) {
            sink_put(&s, "0", 1);
            if (dc > 0)
                sink_put(&s, ".", 1);
            sink_zeros(&s, dc - dg.len);
            sink_put(&s, dg.s, dg.len);
        } else {
            sink_put(&s, dg.s, dg.len - dc);
            if (dc > 0)
                sink_put(&s, ".", 1);
            sink_put(&s, dg.s + dg.len - dc, dc);
        }
        sink_put(&s, ELLIPSIS, sizeof ELLIPSIS - 1);
        if (pass == 0) {
            out = malloc(s.len + 1);
            if (!out)
                break;
            s = (sink){out, s.len + 1, 0};
        } else {
            sink_finish(&s);
        }
    }
    digits_free(&dg);
    return out;
}

char *num_to_yen_string(const kofu_num *x)
{
    if (!num_is_integer(x))
        return num_to_string(x);
    char small[24];
    digits dg = {.heap = NULL};
    if (!x->big) {
        dg.s = u64_digits(mag(x->n), small + sizeof small);
        dg.len = (size_t)(small + sizeof small - dg.s);
    } else {
        digits_get(&dg, mpq_numref(x->q));
    }
    const char *d = dg.s;
    size_t n = dg.len;
    bool neg = x->big ? d[0] == '-' : x->n < 0;
    if (neg && x->big) {
        d++;
        n--;
    }
    char *out = malloc((neg ? 1 : 0) + n + (n - 1) / 3 + 1);
    if (out) {
        char *o = out;
        if (neg)
            *o++ = '-';
        for (size_t i = 0; i < n; i++) {
            /* A comma before every digit that starts a group of three. */
            if (i > 0 && (n - i) % 3 == 0)
                *o++ = ',';
            *o++ = d[i];
        }
        *o = '\0';
    }
    digits_free(&dg);
    return out;
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */

static bool is_blank(char c) { return c == ' ' || c == '\t'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static size_t digit_run(const char *p, const char *end)
{
    const char *q = p;
    while (q < end && is_digit(*q))
        q++;
    return (size_t)(q - p);
}

/* [*b, *e) = s without leading/trailing blanks; false when nothing is left. */
static bool trim(const char *s, const char **b, const char **e)
{
    if (!s)
        return false;
    const char *p = s;
    const char *q = s + strlen(s);
    while (p < q && is_blank(*p))
        p++;
    while (q > p && is_blank(q[-1]))
        q--;
    *b = p;
    *e = q;
    return p < q;
}

/* A written decimal number: integer digits (with thousands commas for
 * amounts) and optional fraction digits after a point. */
typedef struct dec_text {
    const char *ip, *ie; /* integer part; may contain ',' */
    const char *fp, *fe; /* fraction digits; empty when there is no point */
} dec_text;

/* Integer part with commas: 1-3 digits, then groups of exactly ",ddd". */
static const char *scan_grouped(const char *p, const char *end)
{
    size_t n = digit_run(p, end);
    if (n == 0)
        return NULL;
    p += n;
    if (p == end || *p != ',')
        return p;
    if (n > 3)
        return NULL;
    while (p < end && *p == ',') {
        if (digit_run(p + 1, end) != 3)
            return NULL;
        p += 4;
    }
    return p;
}

/* Scans digits[.digits] at p; returns the end of the number or NULL. A digit
 * is required on both sides of the point (".5" and "5." are errors). */
static const char *scan_dec(const char *p, const char *end, bool commas, dec_text *d)
{
    const char *q = commas ? scan_grouped(p, end) : p + digit_run(p, end);
    if (!q || q == p)
        return NULL;
    d->ip = p;
    d->ie = q;
    d->fp = d->fe = q;
    if (q < end && *q == '.') {
        size_t n = digit_run(q + 1, end);
        if (n == 0)
            return NULL;
        d->fp = q + 1;
        d->fe = q + 1 + n;
        q = d->fe;
    }
    return q;
}

/* Integer part without leading zeros and commas: first significant digit
 * and how many significant digits there are. */
static const char *int_significant(const dec_text *d, size_t *count)
{
    const char *p = d->ip;
    while (p < d->ie && (*p == '0' || *p == ','))
        p++;
    size_t n = 0;
    for (const char *q = p; q < d->ie; q++)
        n += is_digit(*q);
    *count = n;
    return p;
}

/* Fraction digits that matter: trailing zeros dropped. */
static size_t frac_significant(const dec_text *d)
{
    const char *e = d->fe;
    while (e > d->fp && e[-1] == '0')
        e--;
    return (size_t)(e - d->fp);
}

/* Value of at most 19 digits (commas skipped), which always fits. */
static uint64_t small_value(const char *p, const char *end)
{
    uint64_t v = 0;
    for (; p < end; p++)
        if (is_digit(*p))
            v = v * 10 + (uint64_t)(*p - '0');
    return v;
}

/* z = the n digits at p. Long runs go through mpz_set_str, which needs a
 * NUL-terminated copy; GMP's allocator is used so that exhaustion behaves
 * like any other GMP operation. */
static void mpz_set_digits(mpz_t z, const char *p, size_t n)
{
    if (n <= 19) {
        mpz_set_u64(z, small_value(p, p + n));
        return;
    }
    void *(*gmp_alloc)(size_t);
    void (*gmp_free)(void *, size_t);
    mp_get_memory_functions(&gmp_alloc, NULL, &gmp_free);
    char *copy = gmp_alloc(n + 1);
    memcpy(copy, p, n);
    copy[n] = '\0';
    int rc = mpz_set_str(z, copy, 10);
    assert(rc == 0);
    (void)rc;
    gmp_free(copy, n + 1);
}

/* out = d / 10^shift, exactly. Only for texts scanned without commas, so
 * the significant digits are contiguous. */

static void set_decimal(kofu_num *out, const dec_text *d, size_t shift)
{
    size_t il;
    const char *ip = int_significant(d, &il);
    size_t fl = frac_significant(d);
    if (il + fl <= 18 && fl + shift <= 18) {
        /* Ratios and hours as people write them ("0.65", "75%", "1834"):
         * the same value in lowest terms from 64-bit integers, straight into
         * the small form. */
        uint64_t num = small_value(ip, d->ie) * pow10_u64((unsigned)fl) +
                       small_value(d->fp, d->fp + fl);
        uint64_t den = pow10_u64((unsigned)(fl + shift));
        uint64_t g = gcd_u64(num, den); /* num = 0: g = den, so 0/1 */
        set_small(out, (int64_t)(num / g), (int64_t)(den / g));
        return;
    }
    mpq_t v;
    mpz_t t;
    mpq_init(v);
    mpz_init(t);
    mpz_set_digits(mpq_numref(v), ip, il);
    mpz_ui_pow_ui(t, 10, (unsigned long)fl);
    mpz_mul(mpq_numref(v), mpq_numref(v), t);
    mpz_set_digits(t, d->fp, fl);
    mpz_add(mpq_numref(v), mpq_numref(v), t);
    mpz_ui_pow_ui(mpq_denref(v), 10, (unsigned long)(fl + shift));
    mpq_canonicalize(v);
    take_mpq(out, v);
    mpz_clear(t);
    mpq_clear(v);
}

/* Strips a leading '-' and reports whether there was one. */
static bool take_minus(const char **p)
{
    if (**p != '-')
        return false;
    (*p)++;
    return true;
}

/* 10^15 as a plain integer, for the amount bound. */
#define AMOUNT_MAX UINT64_C(1000000000000000)
#define AMOUNT_MAX_DIGITS 16

static const struct {
    const char *text;
    unsigned exp10;
} amount_units[] = {
    {"", 0}, {"円", 0}, {"千", 3}, {"千円", 3}, {"万", 4}, {"万円", 4},
};

/* The unit suffix [p, end) must be exactly one of amount_units. */
static bool amount_unit(const char *p, const char *end, unsigned *exp10)
{
    size_t n = (size_t)(end - p);
    for (size_t i = 0; i < sizeof amount_units / sizeof amount_units[0]; i++) {
        if (strlen(amount_units[i].text) == n && memcmp(p, amount_units[i].text, n) == 0) {
            *exp10 = amount_units[i].exp10;
            return true;
        }
    }
    return false;
}

/* Evaluates an amount without ever building a big number: the decimal must
 * vanish once scaled by the unit (checked on the digits alone), and more than
 * 16 significant digits is over 10^15 whatever they are. */
static num_parse_status amount_value(const dec_text *d, unsigned exp10, kofu_num *out)
{
    size_t fl = frac_significant(d);
    if (fl > exp10)
        return NUM_PARSE_FRACTION;
    /* One pass over the integer part: its significant digits and value
     * (what int_significant and small_value give, without reading it
     * three times: amounts are the most parsed values). */
    size_t il = 0;
    uint64_t iv = 0;
    for (const char *p = d->ip; p < d->ie && il <= AMOUNT_MAX_DIGITS; p++) {
        if (*p == ',' || (il == 0 && *p == '0'))
            continue;
        iv = iv * 10 + (uint64_t)(*p - '0');
        il++;
    }
    if (il + exp10 > AMOUNT_MAX_DIGITS)
        return NUM_PARSE_TOO_LARGE;
    uint64_t v = iv * pow10_u64(exp10) +
                 small_value(d->fp, d->fp + fl) * pow10_u64(exp10 - (unsigned)fl);
    if (v > AMOUNT_MAX)
        return NUM_PARSE_TOO_LARGE;
    set_small(out, (int64_t)v, 1);
    return NUM_PARSE_OK;
}

/* The form nearly every whole number in a case file takes: digits (for an
 * amount perhaps grouped by thousands commas, when `commas`) and nothing
 * else ("12,500,000", "980000"). Returns false, having set nothing, for
 * anything else (blanks, a point, a unit, a sign, a bad grouping, more than
 * 16 digits, over 10^15): the general parser decides those. The value is the
 * one it would give. */
static bool plain_whole(const char *s, bool commas_ok, kofu_num *out)
{
    uint64_t v = 0; /* may wrap past 19 digits: such a text is refused below */
    size_t run = 0, commas = 0;
    const char *p = s;
    for (;; p++) {
        unsigned d = (unsigned)(unsigned char)*p - '0';
        if (d < 10) {
            v = v * 10 + d;
            run++;
        } else if (*p == ',' && commas_ok) {
            /* 1-3 digits before the first comma, exactly 3 between commas */
            if (run == 0 || run > 3 || (commas && run != 3))
                return false;
            commas++;
            run = 0;
        } else {
            break;
        }
    }
    size_t n_digits = (size_t)(p - s) - commas;
    if (*p != '\0' || n_digits == 0 || n_digits > AMOUNT_MAX_DIGITS || (commas && run != 3) ||
        v > AMOUNT_MAX)
        return false;
    set_small(out, (int64_t)v, 1);
    return true;
}

/* The general path of every parser, after its fast one: the blanks trimmed
 * (nothing left: EMPTY), a minus noted, the digits scanned (commas when
 * commas_ok; none: SYNTAX). The parser then says what may follow the digits
 * (g->tail .. g->end), and only a well-formed text with a minus is
 * NEGATIVE. */
typedef struct general {
    dec_text d;
    const char *tail, *end;
    bool neg;
} general;

static num_parse_status general_scan(const char *s, bool commas_ok, general *g)
{
    const char *p;
    if (!trim(s, &p, &g->end))
        return NUM_PARSE_EMPTY;
    g->neg = take_minus(&p);
    g->tail = scan_dec(p, g->end, commas_ok, &g->d);
    return g->tail ? NUM_PARSE_OK : NUM_PARSE_SYNTAX;
}

/* SYNTAX unless the digits end the text; then NEGATIVE for a minus. */
static num_parse_status whole_text(const general *g)
{
    if (g->tail != g->end)
        return NUM_PARSE_SYNTAX;
    return g->neg ? NUM_PARSE_NEGATIVE : NUM_PARSE_OK;
}

num_parse_status num_parse_amount(const char *s, kofu_num *out)
{
    if (s && plain_whole(s, true, out))
        return NUM_PARSE_OK;
    general g;
    unsigned exp10;
    num_parse_status st = general_scan(s, true, &g);
    if (st == NUM_PARSE_OK && !amount_unit(g.tail, g.end, &exp10))
        st = NUM_PARSE_SYNTAX;
    if (st == NUM_PARSE_OK && g.neg)
        st = NUM_PARSE_NEGATIVE;
    return st == NUM_PARSE_OK ? amount_value(&g.d, exp10, out) : st;
}

/* 5^e for e <= 18. */
static uint64_t pow5_u64(unsigned e)
{
    static const uint64_t pow5[] = {
        UINT64_C(1), UINT64_C(5), UINT64_C(25), UINT64_C(125), UINT64_C(625),
        UINT64_C(3125), UINT64_C(15625), UINT64_C(78125), UINT64_C(390625),
        UINT64_C(1953125), UINT64_C(9765625), UINT64_C(48828125), UINT64_C(244140625),
        UINT64_C(1220703125), UINT64_C(6103515625), UINT64_C(30517578125),
        UINT64_C(152587890625), UINT64_C(762939453125), UINT64_C(3814697265625),
    };
    assert(e < sizeof pow5 / sizeof pow5[0]);
    return pow5[e];
}

/* Digits, optionally a point and digits, and with `percent_ok` a final
 * '%' ("0.65", "1834", "12.5%"): the form ratios and decimals take in case
 * files. Sets out as set_decimal would and returns true when the text is
 * that form with at most `max_frac` significant fraction digits and small
 * enough for the 64-bit path; otherwise sets nothing and returns false: the
 * general parser decides (blanks, a sign, commas, errors, long numbers). */
static bool plain_decimal(const char *s, size_t max_frac, bool percent_ok, kofu_num *out)
{
    const char *p = s;
    uint64_t iv = 0;
    size_t il = 0; /* significant integer digits, as int_significant counts */
    if (!is_digit(*p))
        return false;
    for (; is_digit(*p); p++) {
        if (iv == 0 && *p == '0')
            continue;
        if (++il > 18)
            return false;
        iv = iv * 10 + (uint64_t)(*p - '0');
    }
    uint64_t fv = 0;
    size_t fl = 0, fz = 0; /* fraction digits, and the trailing zeros among them */
    if (*p == '.') {
        p++;
        if (!is_digit(*p))
            return false;
        for (; is_digit(*p); p++) {
            if (++fl > 18)
                return false;
            fv = fv * 10 + (uint64_t)(*p - '0');
            fz = *p == '0' ? fz + 1 : 0;
        }
    }
    size_t shift = 0;
    if (percent_ok && *p == '%') {
        shift = 2;
        p++;
    }
    size_t fsig = fl - fz; /* frac_significant */
    if (*p != '\0' || fsig > max_frac || il + fsig > 18 || fsig + shift > 18)
        return false;
    uint64_t num = iv * pow10_u64((unsigned)fsig) + fv / pow10_u64((unsigned)fz);
    unsigned e = (unsigned)(fsig + shift);
    if (num == 0) {
        set_small(out, 0, 1);
        return true;
    }
    /* lowest terms of num / 10^e: the gcd is 2^min(v2(num), e) * 5^min(v5(num), e) */
    unsigned t2 = (unsigned)__builtin_ctzll(num);
    t2 = t2 < e ? t2 : e;
    num >>= t2;
    unsigned t5 = 0;
    while (t5 < e && num % 5 == 0) {
        num /= 5;
        t5++;
    }
    uint64_t den = (UINT64_C(1) << (e - t2)) * pow5_u64(e - t5);
    set_small(out, (int64_t)num, (int64_t)den);
    return true;
}

num_parse_status num_parse_ratio(const char *s, kofu_num *out)
{
    if (s && plain_decimal(s, SIZE_MAX, true, out))
        return NUM_PARSE_OK;
    general g;
    num_parse_status st = general_scan(s, false, &g);
    bool percent = st == NUM_PARSE_OK && g.tail < g.end && *g.tail == '%';
    if (percent)
        g.tail++;
    if (st == NUM_PARSE_OK)
        st = whole_text(&g);
    if (st == NUM_PARSE_OK)
        set_decimal(out, &g.d, percent ? 2 : 0);
    return st;
}

/* Trailing zeros are not counted against max_decimals: "0.650" is exactly
 * 0.65, so nothing the user wrote is lost by accepting it. */
num_parse_status num_parse_decimal(const char *s, int max_decimals, kofu_num *out)
{
    size_t allowed = max_decimals < 0 ? 0 : (size_t)max_decimals;
    if (s && plain_decimal(s, allowed, false, out))
        return NUM_PARSE_OK;
    general g;
    num_parse_status st = general_scan(s, false, &g);
    if (st == NUM_PARSE_OK)
        st = whole_text(&g);
    if (st == NUM_PARSE_OK && frac_significant(&g.d) > allowed)
        st = NUM_PARSE_TOO_PRECISE;
    if (st == NUM_PARSE_OK)
        set_decimal(out, &g.d, 0);
    return st;
}

/* A well-formed decimal such as "1.5" is reported as FRACTION rather than
 * SYNTAX so the message can say that a whole number is needed. */
num_parse_status num_parse_int(const char *s, kofu_num *out)
{
    if (s && plain_whole(s, false, out))
        return NUM_PARSE_OK;
    general g;
    num_parse_status st = general_scan(s, false, &g);
    if (st == NUM_PARSE_OK)
        st = whole_text(&g);
    if (st == NUM_PARSE_OK && g.d.fp != g.d.fe)
        st = NUM_PARSE_FRACTION;
    return st == NUM_PARSE_OK ? amount_value(&g.d, 0, out) : st;
}

/* "p/q" with plain digits on both sides and q > 0. */
static bool scan_fraction(const char *p, const char *end, size_t *nlen, size_t *dlen)
{
    size_t a = digit_run(p, end);
    if (a == 0 || p + a == end || p[a] != '/')
        return false;
    size_t b = digit_run(p + a + 1, end);
    if (b == 0 || p + a + 1 + b != end)
        return false;
    *nlen = a;
    *dlen = b;
    return true;
}

static bool all_zeros(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != '0')
            return false;
    return true;
}

/* out = the nl digits at p over the dl digits at q (not all zeros). */
static void set_fraction(kofu_num *out, const char *p, size_t nl, const char *q, size_t dl)
{
    if (nl <= 18 && dl <= 18) {
        uint64_t num = small_value(p, p + nl), den = small_value(q, q + dl);
        uint64_t g = gcd_u64(num, den);
        set_small(out, (int64_t)(num / g), (int64_t)(den / g));
        return;
    }
    mpq_t v;
    mpq_init(v);
    mpz_set_digits(mpq_numref(v), p, nl);
    mpz_set_digits(mpq_denref(v), q, dl);
    mpq_canonicalize(v);
    take_mpq(out, v);
    mpq_clear(v);
}

num_parse_status num_parse_exact(const char *s, kofu_num *out)
{
    const char *p, *end;
    if (!trim(s, &p, &end))
        return NUM_PARSE_EMPTY;
    bool neg = take_minus(&p);
    size_t nl, dl;
    dec_text d;
    if (scan_fraction(p, end, &nl, &dl)) {
        if (all_zeros(p + nl + 1, dl))
            return NUM_PARSE_SYNTAX;
        set_fraction(out, p, nl, p + nl + 1, dl);
    } else if (scan_dec(p, end, false, &d) == end) {
        set_decimal(out, &d, 0);
    } else {
        return NUM_PARSE_SYNTAX;
    }
    if (neg && out->big)
        mpq_neg(out->q, out->q); /* still big: the small range is symmetric */
    else if (neg)
        out->n = -out->n;
    return NUM_PARSE_OK;
}
