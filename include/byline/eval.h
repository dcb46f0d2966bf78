/*
 * The evaluation layer: topics (queries), relevance judgments and runs.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Files and numbers only: no index, no Xapian.  Everything read is the
 * caller's, freed with the matching _free(); nothing is shared, so
 * different objects may be used from different threads.  The measures
 * are trec_eval's (tests/test_eval.c compares them); two or more runs
 * are compared query by query with paired significance tests
 * (bl_compare()).
 */
#ifndef BYLINE_EVAL_H
#define BYLINE_EVAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "byline/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The API: exported from the shared library, whatever the visibility it
 * is built with (ARCHITECTURE.md, Exports). */
#pragma GCC visibility push(default)

/* One topic: its id and the query text to run. */
typedef struct bl_topic {
    char *id;
    char *query;
} bl_topic_t;

/* Which part of a TREC topic is the query. */
typedef enum bl_topic_field {
    BL_TOPIC_TITLE = 0,  /* <title> (the default) */
    BL_TOPIC_DESC,       /* <desc> */
    BL_TOPIC_TITLE_DESC  /* both */
} bl_topic_field_t;

/* Read the topics in PATH into a malloc'ed array *OUT of *N: a TREC topic
 * file (<top> <num> Number: 401 <title> ... <desc> ... </top>; FIELD
 * picks the text), a SMART query file (".I" records with a ".W" text:
 * CACM query.text, cran.qry, CISI.QRY; numbered 1, 2, ... in file order,
 * as their judgments number them), or lines "qid<TAB>query" or "qid query"
 * (blank lines and lines starting with '#' are skipped).  A topic without an id or a query is an error
 * naming its line.  Returns BL_OK, BL_ENOTFOUND, BL_EIO, BL_EFORMAT or
 * BL_ENOMEM. */
bl_status_t bl_topics_read(const char *path, bl_topic_field_t field,
                           bl_topic_t **out, size_t *n);

/* Free N topics T.  Accepts NULL. */
void bl_topics_free(bl_topic_t *t, size_t n);

/* Relevance judgments: for each query, documents with a relevance value
 * (0: judged not relevant; 1 and up: relevant, higher is better; -1:
 * in the pool but unjudged). */
typedef struct bl_qrels bl_qrels_t;

/* Read judgments from PATH, in any of these layouts (told apart by the
 * whole file): TREC "qid iter docno rel" (iter always 0 or Q0); the
 * classic collections' "qid docno" with anything after it (CACM, CISI:
 * every pair listed is relevant); Cranfield's "qid docno code", codes 1
 * (best) to 4 and -1, turned into relevance 4 to 1 (-1: 1).  Returns
 * BL_OK, BL_ENOTFOUND, BL_EIO, BL_EFORMAT (naming the line) or
 * BL_ENOMEM. */
bl_status_t bl_qrels_read(const char *path, bl_qrels_t **out);
/* Free Q.  Accepts NULL. */
void bl_qrels_free(bl_qrels_t *q);

/* A run: ranked documents per query ("qid Q0 docno rank score tag"). */
typedef struct bl_run bl_run_t;

/* Read a TREC run file.  Returns as bl_qrels_read(). */
bl_status_t bl_run_read(const char *path, bl_run_t **out);
/* Free R.  Accepts NULL. */
void bl_run_free(bl_run_t *r);

/* Make the N scores S (a ranking, best first) positive and strictly
 * decreasing, as TREC run files must be: ties are nudged apart downwards,
 * and a ranking without positive scores (a date sort) gets N, N-1, ...
 * Cannot fail. */
void bl_trec_scores(double *s, size_t n);

/* Write one TREC run line "QID Q0 DOCNO RANK SCORE TAG" to F.  A field
 * must not hold whitespace (the line is split at it): in each of QID,
 * DOCNO and TAG, a space, tab, line break or other control character and
 * '%' itself are written as %XX (hex: "my story.txt" -> "my%20story.txt"),
 * the rule every Byline program applies, so that judgments for such ids
 * name them the same way.  Returns 0, or -1 when F fails. */
int bl_trec_line(FILE *f, const char *qid, const char *docno,
                 unsigned long rank, double score, const char *tag);

/* The measures, as trec_eval names them. */
typedef enum bl_measure {
    BL_M_NUM_RET, BL_M_NUM_REL, BL_M_NUM_REL_RET, BL_M_MAP, BL_M_RPREC,
    BL_M_BPREF, BL_M_RECIP_RANK, BL_M_P5, BL_M_P10, BL_M_P20, BL_M_P30,
    BL_M_P100, BL_M_RECALL100, BL_M_RECALL1000, BL_M_NDCG, BL_M_NDCG10,
    BL_M_NDCG20, BL_NMEASURES
} bl_measure_t;

/* The trec_eval name of M ("map", "P_10", "ndcg_cut_10"). */
const char *bl_measure_name(bl_measure_t m);

/* One query's values (or the average over all, qid "all"). */
typedef struct bl_eval_row {
    char *qid;
    double v[BL_NMEASURES];
} bl_eval_row_t;

typedef struct bl_eval {
    bl_eval_row_t *rows; /* One per query evaluated, in qid order. */
    size_t n;
    bl_eval_row_t all;   /* Sums for the counts, means for the rest. */
    char *runid;         /* The run's tag (its first line's). */
} bl_eval_t;

/* Evaluate RUN against QRELS as trec_eval 9 does: per query the run is
 * ordered by score (descending), ties by docno (descending); unjudged
 * documents count as not relevant; queries of the run without any
 * judgment are left out; relevant means relevance >= 1; nDCG gains are
 * the relevance values.  Query ids that are numbers match whatever their
 * leading zeros ("01" is "1").  Returns BL_OK, BL_EFORMAT (a document
 * twice in one query's ranking) or BL_ENOMEM. */
bl_status_t bl_evaluate(const bl_qrels_t *qrels, const bl_run_t *run,
                        bl_eval_t **out);
/* Free E.  Accepts NULL. */
void bl_eval_free(bl_eval_t *e);

/* The values of measure M over the queries of QRELS that have a relevant
 * document (relevance >= 1), in QRELS's order of query ids: E's value for
 * the query, or 0 when E has no row for it (the run ranked nothing for
 * it; trec_eval -c counts it so).  Queries of QRELS without a relevant
 * document are left out: every run scores 0 on them.  E must be
 * bl_evaluate()'s evaluation against the same QRELS.  *VALUES is a
 * malloc'ed array of *N, the caller's to free(); on failure, and when no
 * query has a relevant document, it is NULL and *N is 0.  Returns BL_OK,
 * BL_EARG (M is not a measure) or BL_ENOMEM. */
bl_status_t bl_eval_values(const bl_qrels_t *qrels, const bl_eval_t *e,
                           bl_measure_t m, double **values, size_t *n);

/* ---- Paired comparisons (src/eval/compare.c) ----------------------------
 *
 * Two runs are compared on the same queries: D[i] is the run's value of
 * a measure on query i minus the base run's.  bl_compare() takes a
 * difference within 1e-10 of 0 for a tie and makes it exactly 0; the
 * functions below take D as given. */

/* The randomization test's default number of random sign patterns. */
#define BL_COMPARE_PERMUTATIONS 100000ul

/* The two-sided p of Student's paired t-test on the N differences D:
 * t = mean(D) / (sd(D) / sqrt(N)), sd with N - 1, and p = P(|T| >= |t|)
 * for T with Student's t distribution on N - 1 degrees of freedom
 * (computed with the regularized incomplete beta function:
 * p = I_x((N - 1) / 2, 1 / 2), x = (N - 1) / (N - 1 + t^2)).  Defined
 * cases: when N < 2 or every difference is 0, p is 1 (nothing tells the
 * runs apart) and t is 0; when the differences are all equal and not 0
 * (sd 0), p is 0 and t is +-INFINITY.  If T is not NULL, *T is set to t.
 * This function cannot fail. */
double bl_ttest_paired(const double *d, size_t n, double *t);

/* The two-sided p of the paired randomization test on the N differences
 * D: the share of the 2^N ways of swapping run and base within queries
 * (flipping the signs of differences) whose mean is at least as far from
 * 0 as the observed mean; "at least as far" allows 1e-9 of sum(|D|) for
 * floating-point noise.  When 2^N <= PERMUTATIONS every pattern is
 * counted and p is exact: count / 2^N (the observed pattern is one of
 * them).  Otherwise PERMUTATIONS patterns are drawn at random (each sign
 * a fair coin, from xoshiro256** seeded by splitmix64 from SEED: the same
 * p for the same arguments on every machine), and p = (count + 1) /
 * (PERMUTATIONS + 1): the observed pattern counted once, as in the exact
 * test, so p estimates the exact p and is never 0.  p is 1 when N is 0 or
 * every difference is 0.  PERMUTATIONS 0 means BL_COMPARE_PERMUTATIONS.
 * Time grows as N * min(2^N, PERMUTATIONS).  This function cannot
 * fail. */
double bl_randomization_paired(const double *d, size_t n,
                               unsigned long permutations, uint64_t seed);

/* Holm's step-down correction of N p-values P tested together: with the
 * p's sorted ascending, p_(1) <= ... <= p_(N), the adjusted p_(i) is the
 * largest of min(1, (N - j + 1) p_(j)) for j <= i.  ADJ[k] receives the
 * adjusted value of P[k] (ADJ may be P).  Returns BL_OK or BL_ENOMEM
 * (ADJ then unchanged). */
bl_status_t bl_holm(const double *p, size_t n, double *adj);

/* What bl_compare() computes.  Zeroed, it asks for the defaults. */
typedef struct bl_compare_options {
    const bl_measure_t *measures; /* NULL or none: map, P_10,
                                     ndcg_cut_10. */
    size_t nmeasures;
    unsigned long permutations; /* 0: BL_COMPARE_PERMUTATIONS. */
    uint64_t seed;              /* Of the randomization test's draws. */
} bl_compare_options_t;

/* One run against the base on one measure. */
typedef struct bl_compare_line {
    bl_measure_t measure;
    size_t run;         /* Its index in bl_compare()'s EVALS: 1, 2, ... */
    double value, base; /* Means over the queries compared. */
    double diff;        /* value - base. */
    /* The queries where the run is above, below, equal to the base. */
    size_t wins, losses, ties;
    double p_t;    /* bl_ttest_paired(). */
    double p_rand; /* bl_randomization_paired(). */
    double p_holm; /* p_rand corrected by bl_holm() over all the lines. */
} bl_compare_line_t;

typedef struct bl_compare {
    bl_compare_line_t *lines; /* Measure by measure; in each, run by run. */
    size_t n;
    size_t queries; /* The queries compared (bl_eval_values()). */
    int exact;      /* Non-zero: the randomization tests counted every
                       sign pattern (2^queries <= permutations). */
} bl_compare_t;

/* Compare runs with the base run EVALS[0], each of EVALS[1..N) on each
 * measure of OPT (NULL: the defaults), over the queries bl_eval_values()
 * takes (those of QRELS with a relevant document, a query missing from a
 * run counting as 0).  EVALS are bl_evaluate()'s against QRELS.  Every
 * line's randomization test draws from the same SEED, so a line's p does
 * not depend on the other runs or measures.  *OUT is the caller's, freed
 * with bl_compare_free(); NULL on failure.  Returns BL_OK, BL_EARG (fewer
 * than two runs, or a measure out of range), BL_EFORMAT (no query of
 * QRELS has a relevant document) or BL_ENOMEM. */
bl_status_t bl_compare(const bl_qrels_t *qrels, const bl_eval_t *const *evals,
                       size_t n, const bl_compare_options_t *opt,
                       bl_compare_t **out);

/* Free C.  Accepts NULL. */
void bl_compare_free(bl_compare_t *c);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif
