/*
 * Tests of the evaluation layer: judgments and runs in their layouts,
 * topics, and trec_eval's measures on cases computed by hand.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
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
static double fabs(double x)
{
    return x < 0 ? -x : x;
}

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
    };
    return cmocka_run_group_tests_name("eval", tests, NULL, NULL);
}
