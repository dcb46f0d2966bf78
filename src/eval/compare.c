/*
 * Paired comparisons of runs: per-query differences, Student's paired
 * t-test, the paired randomization test, and Holm's correction for many
 * comparisons at once (see byline/eval.h).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "byline/eval.h"
#include "util/fail.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- Student's t distribution --------------------------------------- */

/* log Gamma(X) for X >= 0.5, by Lanczos's approximation (g = 7, nine
 * terms: relative error about 1e-15).  Our own rather than libm's
 * lgamma(), which writes the global signgam and so is not thread-safe.
 * This function cannot fail. */
static double log_gamma(double x)
{
    static const double c[9] = {
        0.99999999999980993,  676.5203681218851,     -1259.1392167224028,
        771.32342877765313,   -176.61502916214059,   12.507343278686905,
        -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
    double sum = c[0], t;
    x -= 1;
    for (int i = 1; i < 9; i++)
        sum += c[i] / (x + i);
    t = x + 7.5;
    return 0.91893853320467274178 /* log(sqrt(2 pi)) */ + (x + 0.5) * log(t) -
           t + log(sum);
}

/* The continued fraction of the incomplete beta function I_x(a, b), by
 * the modified Lentz method (Numerical Recipes, betacf); converges fast
 * for x < (a + 1) / (a + b + 2).  This function cannot fail. */
static double beta_fraction(double a, double b, double x)
{
    const double tiny = 1e-300;
    double c = 1, d = 1 - (a + b) * x / (a + 1), h;
    if (fabs(d) < tiny)
        d = tiny;
    d = 1 / d;
    h = d;
    for (int m = 1; m <= 10000; m++) {
        double aa = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
        d = 1 + aa * d;
        c = 1 + aa / c;
        d = 1 / (fabs(d) < tiny ? tiny : d);
        c = fabs(c) < tiny ? tiny : c;
        h *= d * c;
        aa = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
        d = 1 + aa * d;
        c = 1 + aa / c;
        d = 1 / (fabs(d) < tiny ? tiny : d);
        c = fabs(c) < tiny ? tiny : c;
        h *= d * c;
        if (fabs(d * c - 1) < 1e-15)
            break;
    }
    return h;
}

/* The regularized incomplete beta function I_x(a, b), given X and
 * Y = 1 - X both (each computed without the other's rounding).  This
 * function cannot fail. */
static double incomplete_beta(double a, double b, double x, double y)
{
    if (x <= 0)
        return 0;
    if (y <= 0)
        return 1;
    double front = exp(a * log(x) + b * log(y) + log_gamma(a + b) -
                       log_gamma(a) - log_gamma(b));
    if (x < (a + 1) / (a + b + 2))
        return front * beta_fraction(a, b, x) / a;
    return 1 - front * beta_fraction(b, a, y) / b;
}

double bl_ttest_paired(const double *d, size_t n, double *t)
{
    double sum = 0, ss = 0, mean, tv, df = (double)n - 1;
    int all_zero = 1;
    for (size_t i = 0; i < n; i++) {
        sum += d[i];
        all_zero &= d[i] == 0;
    }
    if (t)
        *t = 0;
    if (n < 2 || all_zero)
        return 1;
    mean = sum / (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (d[i] - mean) * (d[i] - mean);
    if (ss == 0) {
        if (t)
            *t = mean > 0 ? INFINITY : -INFINITY;
        return 0;
    }
    tv = mean / sqrt(ss / df / (double)n);
    if (t)
        *t = tv;
    /* P(|T| >= |t|) = I_x(df / 2, 1 / 2), x = df / (df + t^2). */
    return incomplete_beta(df / 2, 0.5, df / (df + tv * tv),
                           tv * tv / (df + tv * tv));
}

/* ---- The randomization test ------------------------------------------ */

/* xoshiro256** (Blackman and Vigna), seeded through splitmix64. */
typedef struct rng {
    uint64_t s[4];
} rng_t;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void rng_seed(rng_t *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(rng_t *r)
{
    uint64_t *s = r->s, result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* How many of the 2^(N-1) sign patterns of D[1..N), with D[0] kept
 * positive, have |sum| >= LIMIT: half the count over all 2^N patterns,
 * since flipping every sign keeps |sum|.  Walks the patterns in Gray code
 * order, one sign flipped a step, and sums afresh every 1024 steps so
 * that rounding cannot pile up.  This function cannot fail. */
static unsigned long long exact_count(const double *d, size_t n, double limit)
{
    unsigned long long count = 0, patterns = 1ull << (n - 1);
    uint64_t signs = 0; /* Bit i set: D[i + 1] negated. */
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += d[i];
    for (unsigned long long k = 0; k < patterns; k++) {
        if (k > 0) {
            int bit = __builtin_ctzll(k);
            signs ^= 1ull << bit;
            if ((k & 1023) == 0) {
                sum = d[0];
                for (size_t i = 1; i < n; i++)
                    sum += (signs >> (i - 1)) & 1 ? -d[i] : d[i];
            } else {
                sum += (signs >> bit) & 1 ? -2 * d[bit + 1] : 2 * d[bit + 1];
            }
        }
        count += fabs(sum) >= limit;
    }
    return count;
}

/* Non-zero if the randomization test on N differences counts every sign
 * pattern rather than PERMUTATIONS random ones (0: the default). */
static int exact_test(size_t n, unsigned long permutations)
{
    if (permutations == 0)
        permutations = BL_COMPARE_PERMUTATIONS;
    return n < 64 && (1ull << n) <= permutations;
}

double bl_randomization_paired(const double *d, size_t n,
                               unsigned long permutations, uint64_t seed)
{
    double observed = 0, scale = 0, limit;
    unsigned long long count = 0;
    rng_t rng;
    if (permutations == 0)
        permutations = BL_COMPARE_PERMUTATIONS;
    for (size_t i = 0; i < n; i++) {
        observed += d[i];
        scale += fabs(d[i]);
    }
    if (scale == 0)
        return 1;
    limit = fabs(observed) - 1e-9 * scale;
    if (exact_test(n, permutations))
        return (double)exact_count(d, n, limit) / (double)(1ull << (n - 1));
    rng_seed(&rng, seed);
    for (unsigned long p = 0; p < permutations; p++) {
        double sum = 0;
        uint64_t bits = 0;
        for (size_t i = 0; i < n; i++) {
            if (i % 64 == 0)
                bits = rng_next(&rng);
            sum += bits & 1 ? -d[i] : d[i];
            bits >>= 1;
        }
        count += fabs(sum) >= limit;
    }
    return (double)(count + 1) / ((double)permutations + 1);
}

/* ---- Holm's correction --------------------------------------------- */

typedef struct ranked_p {
    double p;
    size_t at;
} ranked_p_t;

/* Ascending p, ties in their given order (qsort is not stable). */
static int cmp_ranked_p(const void *a, const void *b)
{
    const ranked_p_t *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return x->at < y->at ? -1 : x->at > y->at;
}

bl_status_t bl_holm(const double *p, size_t n, double *adj)
{
    ranked_p_t *r = malloc((n ? n : 1) * sizeof *r);
    double running = 0;
    if (!r)
        return bl_fail(BL_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        r[i].p = p[i];
        r[i].at = i;
    }
    qsort(r, n, sizeof *r, cmp_ranked_p);
    for (size_t i = 0; i < n; i++) {
        double a = (double)(n - i) * r[i].p;
        if (a > 1)
            a = 1;
        if (a > running)
            running = a;
        adj[r[i].at] = running;
    }
    free(r);
    return BL_OK;
}

/* ---- Comparing runs -------------------------------------------------- */

/* The measures compared when none are asked for. */
static const bl_measure_t DEFAULT_MEASURES[] = {BL_M_MAP, BL_M_P10,
                                                BL_M_NDCG10};

/* Fill LINE (its measure and run set) from the N values X of the run and
 * Y of the base, with D as room for N differences.  This function cannot
 * fail. */
static void compare_one(bl_compare_line_t *line, const double *x,
                        const double *y, double *d, size_t n,
                        const bl_compare_options_t *opt)
{
    double sx = 0, sy = 0;
    for (size_t i = 0; i < n; i++) {
        sx += x[i];
        sy += y[i];
        d[i] = x[i] - y[i];
        if (fabs(d[i]) <= 1e-10) {
            d[i] = 0;
            line->ties++;
        } else if (d[i] > 0) {
            line->wins++;
        } else {
            line->losses++;
        }
    }
    line->value = sx / (double)n;
    line->base = sy / (double)n;
    line->diff = line->value - line->base;
    line->p_t = bl_ttest_paired(d, n, NULL);
    line->p_rand = bl_randomization_paired(d, n, opt->permutations, opt->seed);
}

bl_status_t bl_compare(const bl_qrels_t *qrels, const bl_eval_t *const *evals,
                       size_t n, const bl_compare_options_t *opt,
                       bl_compare_t **out)
{
    bl_compare_options_t o = {0};
    bl_compare_t *c = NULL;
    double *x = NULL, *y = NULL, *d = NULL, *p = NULL;
    size_t nq = 0, nx = 0;
    bl_status_t rc = BL_OK;
    *out = NULL;
    if (opt)
        o = *opt;
    if (!o.measures || o.nmeasures == 0) {
        o.measures = DEFAULT_MEASURES;
        o.nmeasures = sizeof DEFAULT_MEASURES / sizeof DEFAULT_MEASURES[0];
    }
    if (n < 2)
        return bl_fail(BL_EARG, "a comparison needs a base and a run");
    for (size_t m = 0; m < o.nmeasures; m++) {
        if ((unsigned)o.measures[m] >= BL_NMEASURES)
            return bl_fail(BL_EARG, "measure %d out of range",
                           (int)o.measures[m]);
    }
    c = calloc(1, sizeof *c);
    if (c)
        c->lines = calloc(o.nmeasures * (n - 1) + 1, sizeof *c->lines);
    if (!c || !c->lines)
        rc = bl_fail(BL_ENOMEM, "out of memory");
    for (size_t m = 0; rc == BL_OK && m < o.nmeasures; m++) {
        free(y);
        y = NULL;
        rc = bl_eval_values(qrels, evals[0], o.measures[m], &y, &nq);
        if (rc == BL_OK && nq == 0)
            rc = bl_fail(BL_EFORMAT, "no query of the judgments has a "
                                     "relevant document");
        if (rc == BL_OK && !d) {
            d = malloc(nq * sizeof *d);
            if (!d)
                rc = bl_fail(BL_ENOMEM, "out of memory");
        }
        for (size_t r = 1; rc == BL_OK && r < n; r++) {
            bl_compare_line_t *line = &c->lines[c->n];
            free(x);
            x = NULL;
            rc = bl_eval_values(qrels, evals[r], o.measures[m], &x, &nx);
            if (rc != BL_OK)
                break;
            line->measure = o.measures[m];
            line->run = r;
            compare_one(line, x, y, d, nq, &o);
            c->n++;
        }
    }
    if (rc == BL_OK) {
        c->queries = nq;
        c->exact = exact_test(nq, o.permutations);
        p = malloc(c->n * sizeof *p);
        if (!p)
            rc = bl_fail(BL_ENOMEM, "out of memory");
    }
    for (size_t i = 0; rc == BL_OK && i < c->n; i++)
        p[i] = c->lines[i].p_rand;
    if (rc == BL_OK)
        rc = bl_holm(p, c->n, p);
    for (size_t i = 0; rc == BL_OK && i < c->n; i++)
        c->lines[i].p_holm = p[i];
    free(x);
    free(y);
    free(d);
    free(p);
    if (rc != BL_OK) {
        bl_compare_free(c);
        return rc;
    }
    *out = c;
    return BL_OK;
}

void bl_compare_free(bl_compare_t *c)
{
    if (!c)
        return;
    free(c->lines);
    free(c);
}
