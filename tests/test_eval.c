/*
 * Tests of the evaluation layer: judgments and runs in their layouts,
 * topics, trec_eval's measures on cases computed by hand, and the paired
 * tests of --compare against values computed independently of Byline.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "byline/eval.h"
#include "testutil.h"

static int setup_dir(void **state)
{
    *state = tu_mkdtemp();
    return 0;
}

static int teardown_dir(void **state)
{
    tu_rmrf(*state);
    free(*state);
    return 0;
}

/* Write TEXT to NAME in the test directory; returns the path. */
static char *put(void **state, const char *name, const char *text)
{
    char *p = tu_join(*state, name);
    tu_write_file(p, text, strlen(text));
    return p;
}

/* Evaluate QRELS against RUN (texts). */
static bl_eval_t *evaluate(void **state, const char *qrels, const char *run)
{
    char *qp = put(state, "qrels", qrels), *rp = put(state, "run", run);
    bl_qrels_t *q = NULL;
    bl_run_t *r = NULL;
    bl_eval_t *e = NULL;
    assert_int_equal(bl_qrels_read(qp, &q), BL_OK);
    assert_int_equal(bl_run_read(rp, &r), BL_OK);
    assert_int_equal(bl_evaluate(q, r, &e), BL_OK);
    bl_qrels_free(q);
    bl_run_free(r);
    free(qp);
    free(rp);
    return e;
}

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 5e-5)
/* A and B agree to a relative 1e-10 (p-values computed elsewhere). */
#define CLOSE(a, b) assert_true(fabs((a) - (b)) <= 1e-10 * fabs(b))

/* The worked example (values computed by hand, following trec_eval):
 * q1 ranks d1 (rel 1), then d4 (unjudged) and d2 (judged 0) tied at 2.0
 * (ties go by docno, descending: d4 first), then d3 (rel 2); d5 (rel 1)
 * is never retrieved.  q2 ranks x2 (unjudged), x1 (rel 1).  q3 has only a
 * non-relevant judgment.  q4 has none: left out. */
static void test_measures(void **state)
{
    bl_eval_t *e = evaluate(state,
                            "q1 0 d1 1\nq1 0 d2 0\nq1 0 d3 2\nq1 0 d5 1\n"
                            "q2 0 x1 1\nq3 0 y1 0\n",
                            "q1 Q0 d2 2 2.0 t\nq1 Q0 d1 1 3.0 t\n"
                            "q1 Q0 d4 3 2.0 t\nq1 Q0 d3 4 1.0 t\n"
                            "q2 Q0 x1 2 4 t\nq2 Q0 x2 1 5 t\n"
                            "q3 Q0 y1 1 1 t\nq4 Q0 z 1 1 t\n");
    assert_int_equal(e->n, 3);
    assert_string_equal(e->runid, "t");
    const double *q1 = e->rows[0].v, *q2 = e->rows[1].v, *q3 = e->rows[2].v;
    assert_string_equal(e->rows[0].qid, "q1");
    NEAR(q1[BL_M_NUM_RET], 4);
    NEAR(q1[BL_M_NUM_REL], 3);
    NEAR(q1[BL_M_NUM_REL_RET], 2);
    NEAR(q1[BL_M_MAP], (1.0 + 2.0 / 4) / 3);
    NEAR(q1[BL_M_RPREC], 1.0 / 3);
    NEAR(q1[BL_M_BPREF], 1.0 / 3); /* d3 comes after the one nonrel. */
    NEAR(q1[BL_M_RECIP_RANK], 1);
    NEAR(q1[BL_M_P5], 0.4);
    NEAR(q1[BL_M_P10], 0.2);
    NEAR(q1[BL_M_RECALL100], 2.0 / 3);
    NEAR(q1[BL_M_NDCG], (1 + 2 / 2.321928) / (2 + 0.630930 + 0.5));
    NEAR(q1[BL_M_NDCG10], q1[BL_M_NDCG]);
    NEAR(q2[BL_M_MAP], 0.5);
    NEAR(q2[BL_M_RPREC], 0);
    NEAR(q2[BL_M_RECIP_RANK], 0.5);
    NEAR(q2[BL_M_BPREF], 1); /* No judged non-relevant document. */
    NEAR(q2[BL_M_NDCG], 0.630930);
    NEAR(q2[BL_M_RECALL1000], 1);
    for (int m = BL_M_NUM_REL; m < BL_NMEASURES; m++)
        NEAR(q3[m], 0);
    NEAR(e->all.v[BL_M_NUM_RET], 7);
    NEAR(e->all.v[BL_M_NUM_REL], 4);
    NEAR(e->all.v[BL_M_NUM_REL_RET], 3);
    NEAR(e->all.v[BL_M_MAP], 1.0 / 3);
    NEAR(e->all.v[BL_M_P5], 0.2);
    NEAR(e->all.v[BL_M_RPREC], 1.0 / 9);
    NEAR(e->all.v[BL_M_BPREF], (1.0 / 3 + 1) / 3);
    NEAR(e->all.v[BL_M_NDCG], (q1[BL_M_NDCG] + 0.630930) / 3);
    bl_eval_free(e);
}

/* Cut-offs: a ranking of 25 with relevant documents at 1, 12 and 25. */
static void test_cutoffs(void **state)
{
    char run[2048] = "", line[64];
    for (int i = 1; i <= 25; i++) {
        snprintf(line, sizeof line, "7 Q0 doc%02d %d %d byline\n", i, i,
                 100 - i);
        strcat(run, line);
    }
    bl_eval_t *e = evaluate(state,
                            "7 0 doc01 1\n7 0 doc12 1\n7 0 doc25 3\n"
                            "7 0 doc99 1\n7 0 doc02 0\n",
                            run);
    const double *v = e->rows[0].v;
    NEAR(v[BL_M_P5], 0.2);
    NEAR(v[BL_M_P10], 0.1);
    NEAR(v[BL_M_P20], 0.1);
    NEAR(v[BL_M_P30], 3.0 / 30);
    NEAR(v[BL_M_P100], 0.03);
    NEAR(v[BL_M_RPREC], 0.25); /* R = 4: one in the top 4. */
    NEAR(v[BL_M_MAP], (1 + 2.0 / 12 + 3.0 / 25) / 4);
    NEAR(v[BL_M_RECALL100], 0.75);
    /* bpref: doc02 (judged non-relevant) ranks above doc12 and doc25. */
    NEAR(v[BL_M_BPREF], (1 + 0 + 0) / 4.0);
    double dcg10 = 1, dcg20 = 1 + 1 / 3.700440;
    double ideal10 = 3 + 1 / 1.584963 + 1 / 2.0 + 1 / 2.321928;
    NEAR(v[BL_M_NDCG10], dcg10 / ideal10);
    NEAR(v[BL_M_NDCG20], dcg20 / ideal10);
    NEAR(v[BL_M_NDCG], (dcg20 + 3 / 4.700440) / ideal10);
    bl_eval_free(e);
}

/* The classic collections' judgment files, and their query ids. */
static void test_layouts(void **state)
{
    /* CACM qrels.text: "qid docno 0 0", every pair relevant; "01" is
     * query 1. */
    bl_eval_t *e = evaluate(state, "01 1410  0 0\n01 1572  0 0\n",
                            "1 Q0 1572 1 2 r\n1 Q0 9 2 1 r\n");
    assert_int_equal(e->n, 1);
    NEAR(e->rows[0].v[BL_M_NUM_REL], 2);
    NEAR(e->rows[0].v[BL_M_MAP], 0.5);
    bl_eval_free(e);
    /* Cranfield: codes 1 (best) .. 4 become relevance 4 .. 1. */
    e = evaluate(state, "1 184 1\n1 29 4\n",
                 "1 Q0 29 1 2 r\n1 Q0 184 2 1 r\n");
    NEAR(e->rows[0].v[BL_M_NUM_REL], 2);
    NEAR(e->rows[0].v[BL_M_NDCG],
         (1 + 4 / 1.584963) / (4 + 1 / 1.584963));
    bl_eval_free(e);
    /* CISI.REL: "qid docno 0 0.000000". */
    e = evaluate(state, "     1     28\t0\t0.000000\n",
                 "1 Q0 28 1 1 r\n");
    NEAR(e->rows[0].v[BL_M_MAP], 1);
    bl_eval_free(e);
    /* Errors name the line. */
    char *bad = put(state, "bad", "q1 Q0 d1 1 high tag\n");
    bl_run_t *r = NULL;
    assert_int_equal(bl_run_read(bad, &r), BL_EFORMAT);
    assert_non_null(strstr(bl_last_error(), "bad:1"));
    free(bad);
    bad = put(state, "twice", "q 0 d 1\nq 0 d 0\n");
    bl_qrels_t *q = NULL;
    assert_int_equal(bl_qrels_read(bad, &q), BL_EFORMAT);
    free(bad);
    bad = put(state, "dup", "q Q0 d 1 2 t\nq Q0 d 2 1 t\n");
    char *qp = put(state, "q", "q 0 d 1\n");
    bl_eval_t *ev = NULL;
    assert_int_equal(bl_qrels_read(qp, &q), BL_OK);
    assert_int_equal(bl_run_read(bad, &r), BL_OK);
    assert_int_equal(bl_evaluate(q, r, &ev), BL_EFORMAT);
    assert_non_null(strstr(bl_last_error(), "twice"));
    bl_qrels_free(q);
    bl_run_free(r);
    free(qp);
    free(bad);
    assert_int_equal(bl_qrels_read("/nonexistent/qrels", &q), BL_ENOTFOUND);
}

static void test_topics(void **state)
{
    bl_topic_t *t = NULL;
    size_t n = 0;
    char *p = put(state, "t.tsv", "# comment\n401\tforeign minorities\n\n"
                                  "402 behavioral genetics\n");
    assert_int_equal(bl_topics_read(p, BL_TOPIC_TITLE, &t, &n), BL_OK);
    assert_int_equal(n, 2);
    assert_string_equal(t[0].id, "401");
    assert_string_equal(t[0].query, "foreign minorities");
    assert_string_equal(t[1].id, "402");
    assert_string_equal(t[1].query, "behavioral genetics");
    bl_topics_free(t, n);
    free(p);
    p = put(state, "t.trec",
            "<top>\n<num> Number: 301\n<title> harbor pilots\n"
            "<desc> Description:\nWhy did the pilots stop?\n<narr> x\n"
            "</top>\n");
    assert_int_equal(bl_topics_read(p, BL_TOPIC_DESC, &t, &n), BL_OK);
    assert_string_equal(t[0].id, "301");
    assert_string_equal(t[0].query, "Why did the pilots stop?");
    bl_topics_free(t, n);
    assert_int_equal(bl_topics_read(p, BL_TOPIC_TITLE_DESC, &t, &n), BL_OK);
    assert_string_equal(t[0].query, "harbor pilots Why did the pilots stop?");
    bl_topics_free(t, n);
    free(p);
    /* SMART query files are numbered in file order (Cranfield's .I
     * numbers skip; its judgments do not). */
    p = put(state, "cran.qry", ".I 001\r\n.W\r\nwhat similarity laws\r\n"
                               "must be obeyed .\r\n.I 004\r\n.W\r\n"
                               "heated aircraft .\r\n");
    assert_int_equal(bl_topics_read(p, BL_TOPIC_TITLE, &t, &n), BL_OK);
    assert_int_equal(n, 2);
    assert_string_equal(t[0].id, "1");
    assert_string_equal(t[0].query, "what similarity laws must be obeyed .");
    assert_string_equal(t[1].id, "2");
    bl_topics_free(t, n);
    free(p);
    p = put(state, "bad.trec", "<top>\n<title> no number\n</top>\n");
    assert_int_equal(bl_topics_read(p, BL_TOPIC_TITLE, &t, &n), BL_EFORMAT);
    assert_non_null(strstr(bl_last_error(), "bad.trec:1"));
    free(p);
}

static void test_trec_scores(void **state)
{
    double a[] = {3.0, 2.0, 2.0, 2.0, 1.0};
    double b[] = {0, 0, 0};
    (void)state;
    bl_trec_scores(a, 5);
    for (int i = 1; i < 5; i++)
        assert_true(a[i] < a[i - 1] && a[i] > 0);
    NEAR(a[0], 3.0);
    NEAR(a[4], 1.0);
    bl_trec_scores(b, 3); /* A date sort: no weights. */
    NEAR(b[0], 3);
    NEAR(b[2], 1);
}

/* The paired t-test's p against values computed without Byline's code:
 * Student's sleep data (Cushny and Peebles), whose paired test every
 * statistics package shows (R's t.test(extra ~ group, data = sleep,
 * paired = TRUE): t = -4.0621, df = 9, p-value = 0.002833).  All the
 * references were computed with python3 alone (no scipy, no Byline code):
 * the two-sided p by Abramowitz and Stegun 26.7.3/26.7.4 (the finite
 * series of Student's t for a whole number of degrees of freedom), in
 * double precision, and checked against Simpson's rule on the t density
 * (200,000 intervals); the two tiny p's in 60-digit decimal arithmetic,
 * where double precision cancels in 1 - A(t|df). */
static void test_ttest(void **state)
{
    static const double sleep1[] = {0.7, -1.6, -0.2, -1.2, -0.1,
                                    3.4, 3.7,  0.8,  0.0,  2.0};
    static const double sleep2[] = {1.9, 0.8, 1.1, 0.1, -0.1,
                                    4.4, 5.5, 1.6, 4.6, 3.4};
    /* A table of per-query average precision, two runs, ten queries. */
    static const double base[] = {0.21, 0.45, 0.10, 0.33, 0.52,
                                  0.08, 0.61, 0.29, 0.44, 0.15};
    static const double run[] = {0.25, 0.43, 0.19, 0.38, 0.56,
                                 0.12, 0.59, 0.36, 0.47, 0.22};
    static const double d12[] = {1.0,  1.1, 0.9, 1.05, 0.95, 1.2,
                                 0.8,  1.0, 1.15, 0.85, 1.02, 0.98};
    static const double d13[] = {1.0, 1.1, 0.9,  1.05, 0.95, 1.2, 0.8,
                                 1.0, 1.15, 0.85, 1.02, 0.98, 1.01};
    /* Fifty queries: 0.01 + 0.03 sin(i), i = 1..50, to 4 decimals. */
    static const double d50[] = {
        0.0352,  0.0373,  0.0142,  -0.0127, -0.0188, 0.0016,  0.0297,
        0.0397,  0.0224,  -0.0063, -0.02,   -0.0061, 0.0226,  0.0397,
        0.0295,  0.0014,  -0.0188, -0.0125, 0.0145,  0.0374,  0.0351,
        0.0097,  -0.0154, -0.0172, 0.006,   0.0329,  0.0387,  0.0181,
        -0.0099, -0.0196, -0.0021, 0.0265,  0.04,    0.0259,  -0.0028,
        -0.0198, -0.0093, 0.0189,  0.0389,  0.0324,  0.0052,  -0.0175,
        -0.015,  0.0105,  0.0355,  0.0371,  0.0137,  -0.013,  -0.0186,
        0.0021};
    double d[50], t = 0;
    (void)state;
    for (int i = 0; i < 10; i++)
        d[i] = sleep2[i] - sleep1[i];
    CLOSE(bl_ttest_paired(d, 10, &t), 0.0028328901973842727);
    CLOSE(t, 4.062127683382036);
    for (int i = 0; i < 10; i++)
        d[i] = sleep1[i] - sleep2[i];
    CLOSE(bl_ttest_paired(d, 10, &t), 0.0028328901973842727);
    CLOSE(t, -4.062127683382036);
    for (int i = 0; i < 10; i++)
        d[i] = run[i] - base[i];
    CLOSE(bl_ttest_paired(d, 10, &t), 0.007603968558130725);
    CLOSE(t, 3.421988976358621);
    /* One degree of freedom: p = 1 - (2 / pi) atan(|t|), t = 2. */
    d[0] = 0.1;
    d[1] = 0.3;
    CLOSE(bl_ttest_paired(d, 2, NULL), 0.2951672353008665);
    /* Three, t = 1: p = 2/3 - sqrt(3) / (2 pi). */
    d[0] = d[1] = d[3] = 0;
    d[2] = 1;
    CLOSE(bl_ttest_paired(d, 4, NULL), 0.3910022189557706);
    CLOSE(bl_ttest_paired(d50, 50, &t), 0.0019580020236792395);
    CLOSE(t, 3.272410272269144);
    /* Tiny p's (t about 30): the incomplete beta keeps its digits. */
    CLOSE(bl_ttest_paired(d12, 12, NULL), 7.754615657959544e-12);
    CLOSE(bl_ttest_paired(d13, 13, NULL), 5.125841081086422e-13);
    /* Defined cases: no difference, one query, differences all equal. */
    memset(d, 0, sizeof d);
    assert_true(bl_ttest_paired(d, 50, &t) == 1 && t == 0);
    d[0] = 0.5;
    assert_true(bl_ttest_paired(d, 1, &t) == 1 && t == 0);
    assert_true(bl_ttest_paired(d, 0, NULL) == 1);
    d[1] = d[2] = 0.5;
    assert_true(bl_ttest_paired(d, 3, &t) == 0 && isinf(t) && t > 0);
}

/* The randomization test against the exact permutation distribution,
 * counted in python3 over every sign pattern with exact fractions (8
 * queries: 50 of 256 patterns as far from 0 as the one seen; 20 queries:
 * 64,532 of 1,048,576, by dynamic programming over the sums in
 * hundredths). */
static void test_randomization(void **state)
{
    static const double d8[] = {0.10, -0.20, 0.30, 0.05,
                                0.15, -0.05, 0.25, 0.10};
    static const double d20[] = {0.12, -0.05, 0.03,  0.20, -0.11,
                                 0.07, 0.00,  0.15,  -0.02, 0.09,
                                 0.04, -0.08, 0.10,  0.01, -0.06,
                                 0.13, 0.05,  -0.03, 0.08,  0.02};
    /* Sums that tie the one seen only in exact arithmetic: flipping the
     * first three gives 0.49999999999999994 against 0.5000000000000001.
     * Exact: 10 of 16. */
    static const double noisy[] = {0.1, 0.2, -0.3, 0.5};
    double neg[8], zero[5] = {0};
    (void)state;
    /* 2^8 <= PERMUTATIONS: every pattern, the exact p. */
    assert_true(bl_randomization_paired(d8, 8, 256, 1) == 50.0 / 256);
    assert_true(bl_randomization_paired(d8, 8, 0, 7) == 50.0 / 256);
    for (int i = 0; i < 8; i++)
        neg[i] = -d8[i];
    assert_true(bl_randomization_paired(neg, 8, 1000, 1) == 50.0 / 256);
    assert_true(bl_randomization_paired(noisy, 4, 100, 1) == 10.0 / 16);
    assert_true(bl_randomization_paired(d20, 20, 1ul << 20, 1) ==
                64532.0 / 1048576);
    /* Random patterns: (count + 1) / (N + 1) estimates the exact p, here
     * within four standard errors (sqrt(p (1 - p) / N) = 0.00054). */
    double p1 = bl_randomization_paired(d20, 20, 200000, 1);
    double p2 = bl_randomization_paired(d20, 20, 200000, 2);
    assert_true(fabs(p1 - 64532.0 / 1048576) < 4 * 0.00054);
    assert_true(fabs(p2 - 64532.0 / 1048576) < 4 * 0.00054);
    /* The same seed, the same p; another seed, other draws. */
    assert_true(bl_randomization_paired(d20, 20, 200000, 1) == p1);
    assert_true(p1 != p2);
    /* Sampled below the exact p's one pattern: never 0. */
    assert_true(bl_randomization_paired(d8, 8, 255, 1) > 0);
    /* Nothing to tell apart: p is 1. */
    assert_true(bl_randomization_paired(zero, 5, 100, 1) == 1);
    assert_true(bl_randomization_paired(zero, 0, 100, 1) == 1);
    assert_true(bl_randomization_paired(d8, 1, 100, 1) == 1);
}

/* Holm's correction, worked by hand: p 0.01, 0.04, 0.03, 0.005 sorted
 * are 0.005 (x 4 = 0.02), 0.01 (x 3 = 0.03), 0.03 (x 2 = 0.06), 0.04
 * (x 1 = 0.04, raised to the 0.06 before it). */
static void test_holm(void **state)
{
    double p[] = {0.01, 0.04, 0.03, 0.005}, adj[4];
    double big[] = {0.5, 0.6}, tie[] = {0.02, 0.5, 0.02};
    (void)state;
    assert_int_equal(bl_holm(p, 4, adj), BL_OK);
    NEAR(adj[0], 0.03);
    NEAR(adj[1], 0.06);
    NEAR(adj[2], 0.06);
    NEAR(adj[3], 0.02);
    /* Capped at 1, and in place. */
    assert_int_equal(bl_holm(big, 2, big), BL_OK);
    assert_true(big[0] == 1 && big[1] == 1);
    /* Ties: 0.02 x 3 = 0.06 for both, 0.5 x 1. */
    assert_int_equal(bl_holm(tie, 3, tie), BL_OK);
    NEAR(tie[0], 0.06);
    NEAR(tie[1], 0.5);
    NEAR(tie[2], 0.06);
    assert_int_equal(bl_holm(NULL, 0, NULL), BL_OK);
}

/* Read QRELS and evaluate run texts against it. */
static bl_eval_t *evaluate_with(void **state, bl_qrels_t *q, const char *run)
{
    char *rp = put(state, "run", run);
    bl_run_t *r = NULL;
    bl_eval_t *e = NULL;
    assert_int_equal(bl_run_read(rp, &r), BL_OK);
    assert_int_equal(bl_evaluate(q, r, &e), BL_OK);
    bl_run_free(r);
    free(rp);
    return e;
}

/* --compare's lines on runs worked by hand.  Queries 1-4 have relevant
 * documents; 5 has only a non-relevant one (left out); 6 is judged
 * nowhere (left out).  The base misses query 3, the first run query 4
 * (each counts 0 there).  AP per query: base 1, 0.5, 0, 1; run 0.5, 1, 1,
 * 0; run2 (the base finding query 3's document) 1, 0.5, 1, 1. */
static void test_compare(void **state)
{
    char *qp = put(state, "qrels", "1 0 a 1\n1 0 b 0\n2 0 c 1\n3 0 d 1\n"
                                   "4 0 e 1\n4 0 f 1\n5 0 g 0\n");
    bl_qrels_t *q = NULL;
    bl_eval_t *e[3] = {NULL};
    bl_compare_t *c = NULL;
    double *v = NULL;
    size_t n = 0;
    assert_int_equal(bl_qrels_read(qp, &q), BL_OK);
    e[0] = evaluate_with(state, q,
                         "1 Q0 a 1 3 base\n2 Q0 x 1 2 base\n"
                         "2 Q0 c 2 1 base\n4 Q0 e 1 2 base\n"
                         "4 Q0 f 2 1 base\n5 Q0 g 1 1 base\n");
    e[1] = evaluate_with(state, q,
                         "1 Q0 b 1 2 run\n1 Q0 a 2 1 run\n2 Q0 c 1 2 run\n"
                         "3 Q0 d 1 1 run\n6 Q0 z 1 1 run\n");
    e[2] = evaluate_with(state, q,
                         "1 Q0 a 1 3 run2\n2 Q0 x 1 2 run2\n"
                         "2 Q0 c 2 1 run2\n3 Q0 d 1 1 run2\n"
                         "4 Q0 e 1 2 run2\n4 Q0 f 2 1 run2\n");
    /* The per-query values: query 3 missing from the base is 0. */
    assert_int_equal(bl_eval_values(q, e[0], BL_M_MAP, &v, &n), BL_OK);
    assert_int_equal(n, 4);
    NEAR(v[0], 1);
    NEAR(v[1], 0.5);
    NEAR(v[2], 0);
    NEAR(v[3], 1);
    free(v);
    assert_int_equal(bl_eval_values(q, e[1], BL_M_P10, &v, &n), BL_OK);
    NEAR(v[3], 0);
    NEAR(v[2], 0.1);
    free(v);

    bl_measure_t ms[] = {BL_M_MAP, BL_M_P10};
    bl_compare_options_t opt = {ms, 2, 1000, 1};
    assert_int_equal(bl_compare(q, (const bl_eval_t *const *)e, 3, &opt, &c),
                     BL_OK);
    assert_int_equal(c->queries, 4);
    assert_true(c->exact);
    assert_int_equal(c->n, 4);
    /* map, run: differences -0.5, 0.5, 1, -1: the means tie. */
    const bl_compare_line_t *l = &c->lines[0];
    assert_int_equal(l->measure, BL_M_MAP);
    assert_int_equal(l->run, 1);
    NEAR(l->value, 0.625);
    NEAR(l->base, 0.625);
    NEAR(l->diff, 0);
    assert_int_equal(l->wins, 2);
    assert_int_equal(l->losses, 2);
    assert_int_equal(l->ties, 0);
    NEAR(l->p_t, 1);
    NEAR(l->p_rand, 1);
    /* map, run2: one win (query 3), three ties; t = 1 on 3 degrees of
     * freedom (p = 2/3 - sqrt(3) / (2 pi)); every sign pattern is as far
     * from 0, so the randomization p is 1. */
    l = &c->lines[1];
    assert_int_equal(l->run, 2);
    NEAR(l->value, 0.875);
    NEAR(l->diff, 0.25);
    assert_int_equal(l->wins, 1);
    assert_int_equal(l->losses, 0);
    assert_int_equal(l->ties, 3);
    CLOSE(l->p_t, 0.3910022189557706);
    NEAR(l->p_rand, 1);
    /* P_10, run: 0.1, 0.1, 0, 0.2 against 0.1, 0.1, 0.1, 0: differences
     * 0, 0, 0.1, -0.2 (two ties; 0.1 - 0.1 is exactly a tie). */
    l = &c->lines[2];
    assert_int_equal(l->measure, BL_M_P10);
    NEAR(l->value, 0.075);
    NEAR(l->base, 0.1);
    NEAR(l->diff, -0.025);
    assert_int_equal(l->wins, 1);
    assert_int_equal(l->losses, 1);
    assert_int_equal(l->ties, 2);
    CLOSE(l->p_t, 0.717685644210786);
    /* Patterns of +-0.1 +-0.2: |sum| >= 0.1 for all 4 (of 4 distinct,
     * 16 with the zeros' signs). */
    NEAR(l->p_rand, 1);
    /* Holm over the four lines. */
    double p[4];
    for (int i = 0; i < 4; i++)
        p[i] = c->lines[i].p_rand;
    assert_int_equal(bl_holm(p, 4, p), BL_OK);
    for (int i = 0; i < 4; i++)
        NEAR(c->lines[i].p_holm, p[i]);
    bl_compare_free(c);

    /* Defaults: map, P_10, ndcg_cut_10 for the one run. */
    assert_int_equal(bl_compare(q, (const bl_eval_t *const *)e, 2, NULL, &c),
                     BL_OK);
    assert_int_equal(c->n, 3);
    assert_int_equal(c->lines[0].measure, BL_M_MAP);
    assert_int_equal(c->lines[1].measure, BL_M_P10);
    assert_int_equal(c->lines[2].measure, BL_M_NDCG10);
    bl_compare_free(c);

    /* Errors: no run to compare, a measure out of range. */
    assert_int_equal(bl_compare(q, (const bl_eval_t *const *)e, 1, NULL, &c),
                     BL_EARG);
    assert_null(c);
    bl_measure_t bad = BL_NMEASURES;
    bl_compare_options_t badopt = {&bad, 1, 0, 0};
    assert_int_equal(
        bl_compare(q, (const bl_eval_t *const *)e, 2, &badopt, &c), BL_EARG);
    for (int i = 0; i < 3; i++)
        bl_eval_free(e[i]);
    bl_qrels_free(q);
    free(qp);

    /* Judgments without a relevant document: nothing to compare. */
    qp = put(state, "qrels", "1 0 a 0\n");
    assert_int_equal(bl_qrels_read(qp, &q), BL_OK);
    e[0] = evaluate_with(state, q, "1 Q0 a 1 1 t\n");
    e[1] = evaluate_with(state, q, "1 Q0 b 1 1 t\n");
    assert_int_equal(bl_eval_values(q, e[0], BL_M_MAP, &v, &n), BL_OK);
    assert_null(v);
    assert_int_equal(n, 0);
    assert_int_equal(bl_compare(q, (const bl_eval_t *const *)e, 2, NULL, &c),
                     BL_EFORMAT);
    assert_null(c);
    bl_eval_free(e[0]);
    bl_eval_free(e[1]);
    bl_qrels_free(q);
    free(qp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_measures, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_cutoffs, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_layouts, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_topics, setup_dir,
                                        teardown_dir),
        cmocka_unit_test(test_trec_scores),
        cmocka_unit_test(test_ttest),
        cmocka_unit_test(test_randomization),
        cmocka_unit_test(test_holm),
        cmocka_unit_test_setup_teardown(test_compare, setup_dir,
                                        teardown_dir),
    };
    return cmocka_run_group_tests_name("eval", tests, NULL, NULL);
}
