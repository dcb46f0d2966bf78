/*
 * The evaluation layer: topics (queries), relevance judgments and runs.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Files and numbers only: no index, no Xapian.  Everything read is the
 * caller's, freed with the matching _free(); nothing is shared, so
 * different objects may be used from different threads.  The measures
 * are trec_eval's (tests/test_eval.c compares them).
 */
#ifndef BYLINE_EVAL_H
#define BYLINE_EVAL_H

#include <stddef.h>
#include <stdio.h>

#include "byline/status.h"

#ifdef __cplusplus
extern "C" {
#endif

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

#ifdef __cplusplus
}
#endif

#endif
