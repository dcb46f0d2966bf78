/*
 * The searcher: query words into a BM25-ranked Xapian search, and hits
 * with their stored fields, highlighted title and best passages.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "search/searcher_internal.h"

#include "byline/schema.h"
#include "schema/schema.h"
#include "schema/xc_map.h"
#include "search/expand.h"
#include "util/clock.h"
#include "util/fail.h"
#include "util/utf8.h"


void bl_search_options_init(bl_search_options_t *o)
{
    memset(o, 0, sizeof *o);
    o->limit = 10;
    o->k1 = 1.5; /* Measured on news and the classic collections: */
    o->b = 0.4;  /* see the README, Ranking quality. */
    o->k3 = 1000;
    o->passages = 1;
    o->passage_words = 30;
    o->facet_values = 10;
    /* Chosen leaving one collection out: three folds of four chose it
     * (README, Ranking quality; Anserini: 10, 10, 0.5). */
    o->fb_docs = 3;
    o->fb_terms = 40;
    o->fb_query_weight = 0.5;
    o->spelling = 1;
    o->proximity_window = 8; /* Metzler and Croft's unordered window. */
}

/* "Did you mean": QUERY with its unknown words replaced by the closest
 * indexed ones, if that query finds something; NULL otherwise. */

/* The "more like this" query for the article with id O->like into *OUT:
 * its informative terms, without itself and its reprints (the articles
 * with its near-duplicate key). */
static bl_status_t like_query(bl_searcher_t *s, const bl_search_options_t *o,
                              xc_query_t **out)
{
    xc_docid_t docid = 0;
    xc_doc_t *doc = NULL;
    xc_query_t *like = NULL, *self = NULL, *dups = NULL, *not = NULL;
    char term[BL_MAX_TERM + 1];
    const char *key = NULL;
    size_t keylen = 0;
    bl_expand_options_t eo = {o->fb_docs, o->fb_terms, o->fb_query_weight,
                              25, o->fb_min_ratio, o->fb_spread};
    *out = NULL;
    bl_status_t rc = find_article(s, o->like, &docid);
    if (rc == BL_OK)
        rc = bl_expand_like(s->db, docid, &eo, &like);
    if (rc == BL_OK)
        rc = bl_from_xc(xc_db_get_document(s->db, docid, &doc), s->path);
    if (rc == BL_OK)
        rc = bl_from_xc(xc_doc_get_value(doc, BL_SLOT_DUP, &key, &keylen),
                        s->path);
    bl_id_term(o->like, term);
    if (rc == BL_OK)
        rc = bl_from_xc(xc_query_term(term, 1, 0, &self), "query");
    if (rc == BL_OK && keylen > 0)
        rc = bl_from_xc(xc_query_value_range(BL_SLOT_DUP, key, keylen, key,
                                             keylen, &dups),
                        "query");
    if (rc == BL_OK) {
        const xc_query_t *either[2] = {self, dups};
        rc = bl_from_xc(xc_query_combine(XC_QUERY_OR, either, dups ? 2 : 1,
                                         0, &not),
                        "query");
    }
    if (rc == BL_OK) {
        const xc_query_t *subs[2] = {like, not};
        rc = bl_from_xc(xc_query_combine(XC_QUERY_AND_NOT, subs, 2, 0, out),
                        "query");
    }
    xc_query_free(like);
    xc_query_free(self);
    xc_query_free(dups);
    xc_query_free(not);
    xc_doc_free(doc);
    return rc;
}

/* *XQ (compiled from Q, or its expansion) ranked higher by Q's
 * proximity and title terms as O weighs them, each weight times FACTOR.
 * Only a query of words any of which may match has them, so OR beside it
 * matches the same (a boost matches only where a word of it does).  Not
 * AND_MAYBE: Xapian's checked a phrase's positions in every match of its
 * left side (20-100 ms on Reuters for two words where OR, which the
 * matcher can skip by its weight bounds, takes 0.3 ms), and gave some
 * articles more than the sum of their pairs' weights (AP topic 110:
 * 20.07 for 19.16).  Unchanged when Q has none. */
static bl_status_t boost(const bl_query_t *q, const bl_search_options_t *o,
                         double factor, xc_query_t **xq)
{
    xc_query_t *b = NULL, *both = NULL;
    if (!q || (!(o->proximity > 0) && !(o->title_weight > 0)))
        return BL_OK;
    bl_status_t rc = bl_query_boosts(q, o->proximity * factor,
                                     o->proximity_window,
                                     o->title_weight * factor, &b);
    if (rc == BL_OK && b) {
        const xc_query_t *subs[2] = {*xq, b};
        rc = bl_from_xc(xc_query_combine(XC_QUERY_OR, subs, 2, 0,
                                         &both),
                        "query");
    }
    if (rc == BL_OK && both) {
        xc_query_free(*xq);
        *xq = both;
    }
    xc_query_free(b);
    return rc;
}

/* Replace *XQ (the compiled Q, set on ENQ) by its RM3 expansion, when it
 * has one, and set that on ENQ. */
static bl_status_t expand_query(bl_searcher_t *s, xc_enquire_t *enq,
                                const bl_query_t *q, const bl_qterm_t *qt,
                                size_t nqt, const bl_search_options_t *o,
                                xc_query_t **xq)
{
    const char **stems = calloc(nqt ? nqt : 1, sizeof *stems);
    xc_query_t *e = NULL;
    bl_expand_options_t eo = {o->fb_docs, o->fb_terms, o->fb_query_weight,
                              25, o->fb_min_ratio, o->fb_spread};
    if (!stems)
        return bl_fail(BL_ENOMEM, "out of memory");
    for (size_t i = 0; i < nqt; i++)
        stems[i] = qt[i].stem;
    bl_status_t rc =
        o->expand == BL_EXPAND_BO1
            ? bl_expand_bo1(s->db, enq, *xq, nqt, bl_query_is_plain(q), &eo,
                            &e)
            : bl_expand_rm3(s->db, enq, *xq, stems, nqt,
                            bl_query_is_plain(q), &eo, &e);
    free(stems);
    /* RM3's new query has the query's words at QW / |Q| each: its boosts
     * (which picked the feedback articles) keep their ratio to them.
     * Bo1's keeps the query itself, boosts and all, scaled so. */
    if (rc == BL_OK && e && o->expand != BL_EXPAND_BO1)
        rc = boost(q, o, o->fb_query_weight / (double)nqt, &e);
    if (rc == BL_OK && e) {
        xc_query_free(*xq);
        *xq = e;
    }
    if (rc == BL_OK)
        rc = bl_from_xc(xc_enquire_set_query(enq, *xq), s->path);
    return rc;
}

/* Parse QUERY as O says into *Q and compile it into *XQ, with its
 * looked-for stems in *QT (*NQT); a query the language cannot read is
 * read as plain words when O allows, the reason in *FALLBACK, else
 * where it goes wrong is in *ERROR_AT. */
/* QUERY parsed as O says, on S's analyzer, into *Q: as plain words with
 * O->plain (or after a syntax error with O->plain_fallback: why into
 * *FALLBACK, malloc'ed).  Returns as bl_query_parse(). */
static bl_status_t parse(bl_searcher_t *s, const char *query,
                         const bl_search_options_t *o, bl_query_t **q,
                         char **fallback, size_t *error_at)
{
    unsigned qf = (o->match_all ? BL_QUERY_ALL : 0) |
                  (o->keep_stopwords ? 0 : BL_QUERY_STOP) |
                  (bl_analyzer_exact_forms(s->analyzer) && !o->stem_quotes
                       ? BL_QUERY_EXACT
                       : 0);
    bl_status_t rc = o->plain ? bl_query_parse_plain(s->analyzer, query, qf, q)
                              : bl_query_parse(s->analyzer, query, qf, q,
                                               error_at);
    if (rc == BL_ESYNTAX && o->plain_fallback && !o->plain) {
        *fallback = strdup(bl_last_error());
        rc = *fallback ? bl_query_parse_plain(s->analyzer, query, qf, q)
                       : bl_fail(BL_ENOMEM, "out of memory");
    }
    return rc;
}

bl_status_t bl_search_describe(bl_searcher_t *s, const char *query,
                               const bl_search_options_t *o, char **out)
{
    bl_query_t *q = NULL;
    char *fallback = NULL;
    *out = NULL;
    bl_status_t rc = o->like ? bl_fail(BL_EARG, "more like this has no "
                                                "query to describe")
                             : parse(s, query, o, &q, &fallback, NULL);
    if (rc == BL_OK && !(*out = bl_query_describe(q)))
        rc = bl_fail(BL_ENOMEM, "out of memory");
    free(fallback);
    bl_query_free(q);
    return rc;
}

static bl_status_t prepare(bl_searcher_t *s, const char *query,
                           const bl_search_options_t *o, bl_query_t **q,
                           xc_query_t **xq, bl_qterm_t **qt, size_t *nqt,
                           char **fallback, size_t *error_at,
                           unsigned *exceeded)
{
    if (o->like)
        return like_query(s, o, xq);
    bl_status_t rc = parse(s, query, o, q, fallback, error_at);
    qcaps_t caps = searcher_caps(s);
    if (rc == BL_OK)
        rc = bl_query_compile(*q, s->db, &caps, xq, qt, nqt);
    *exceeded = caps.exceeded;
    return rc;
}

/* One search under way: what search_once() prepares, reads and frees. */
typedef struct {
    bl_query_t *q;
    bl_qterm_t *qt; /* The looked-for stems, NQT of them. */
    size_t nqt;
    xc_query_t *xq;
    xc_enquire_t *enq;
    xc_mset_t *ms;
    char *fallback; /* Why the query was read as plain words, or NULL. */
    size_t error_at; /* Where a query that cannot be read goes wrong. */
    unsigned exceeded; /* BL_ELIMIT: the limit (BL_LIMIT_WILDCARD_*). */
    long long deadline; /* When the time runs out (bl_now_ns()), 0: never:
                           matches past it end (BL_ELIMIT); counting past
                           the hits asked for stops at half the time. */
    unsigned limited;   /* BL_LIMIT_TIME: the counting or the passages
                           were cut short. */
    int whole;          /* No answer cut short: the deadline alone (a
                           cursor's, for exports). */
    int remote;         /* (No deadline over remote shards.) */
    unsigned spy[BL_NFACETS][BL_CATEGORY_SLOTS];
    int local;        /* No shard is remote. */
    int own_collapse; /* Near-duplicates are collapsed here. */
    int ties;         /* Ranked by relevance: ties are put in id order. */
    bl_row_t *rows;   /* The N results read (may be NULL). */
    size_t n;
    unsigned *order;  /* Ties put in order (may be NULL). */
    unsigned *keep, *dups; /* Collapsing: the NKEEP results kept, their */
    size_t nkeep;          /* duplicates. */
    size_t nuse;  /* Results within the COUNT asked for. */
    unsigned first; /* The rank (from 0) of MS's first result. */
    xc_doccount_t count;
} job_t;

static void job_free(job_t *j)
{
    free(j->fallback);
    free(j->keep);
    free(j->dups);
    free(j->order);
    bl_rows_free(j->rows, j->n);
    bl_qterms_free(j->qt, j->nqt);
    xc_mset_free(j->ms);
    xc_enquire_free(j->enq);
    xc_query_free(j->xq);
    bl_query_free(j->q);
}

static bl_status_t check_options(const char *query,
                                 const bl_search_options_t *o)
{
    if (!o || (!query && !o->like) || o->limit == 0 || !(o->k1 >= 0) ||
        !(o->k3 >= 0) || !(o->b >= 0 && o->b <= 1) ||
        !(o->proximity >= 0) || !(o->title_weight >= 0) ||
        o->weighting < BL_WEIGHT_BM25 || o->weighting > BL_WEIGHT_PL2 ||
        (o->expand && (o->fb_docs == 0 || o->fb_terms == 0 ||
                       !(o->fb_query_weight >= 0 &&
                         o->fb_query_weight <= 1) ||
                       !(o->fb_min_ratio >= 0 && o->fb_min_ratio <= 1) ||
                       !(o->fb_spread >= 0))))
        return bl_fail(BL_EARG,
                       "bad search options (limit >= 1, k1 >= 0, 0 <= b <= "
                       "1, proximity and title weight >= 0, a known "
                       "weighting; feedback: docs and terms >= 1, query "
                       "weight and score ratio 0 to 1, spread >= 0)");
    return BL_OK;
}

/* Give J's matches the time that is left of its search (at least a
 * millisecond, and J is then marked as cut short).  Returns BL_OK or
 * BL_EINTERNAL. */
static bl_status_t time_left(job_t *j)
{
    if (!j->deadline || !j->enq)
        return BL_OK;
    long long left = j->deadline - bl_now_ns();
    if (left < 1000000) {
        left = 1000000;
        if (!j->whole)
            j->limited |= BL_LIMIT_TIME;
    }
    bl_status_t rc = BL_OK;
    /* Counting past the hits asked for stops at half the time left (the
     * counts are then estimates, and the answer says it was cut short);
     * the match itself ends at the deadline. */
    if (!j->whole)
        rc = bl_from_xc(
            xc_enquire_set_time_limit(j->enq, (double)left / 2e9),
            "time limit");
    if (rc == BL_OK && !j->remote)
        rc = bl_from_xc(xc_enquire_set_deadline(j->enq, (double)left / 1e9),
                        "time limit");
    return rc;
}

/* Non-zero (and J marked) once J's time has run out. */
static int out_of_time(job_t *j)
{
    if (j->whole)
        return 0;
    if (j->deadline && bl_now_ns() >= j->deadline)
        j->limited |= BL_LIMIT_TIME;
    return (j->limited & BL_LIMIT_TIME) != 0;
}

/* *XQ restricted to what R matches, R weighing nothing (R is freed). */
static bl_status_t restrict_to(xc_query_t **xq, xc_query_t *r)
{
    xc_query_t *both = NULL;
    const xc_query_t *subs[2] = {*xq, r};
    bl_status_t rc = bl_from_xc(
        xc_query_combine(XC_QUERY_FILTER, subs, 2, 0, &both), "query");
    xc_query_free(r);
    if (rc == BL_OK) {
        xc_query_free(*xq);
        *xq = both;
    }
    return rc;
}

/* Non-zero if O restricts what a query matches: a date window or a
 * filter text. */
static int restricted(const bl_search_options_t *o)
{
    return !o->like &&
           (o->date_from || o->date_to || (o->filter && *o->filter));
}

/* *XQ restricted as O says: to articles dated within its window, and to
 * what its filter text lets through (BL_EARG when that cannot be read,
 * the message saying "filter:"). */
static bl_status_t restrict_query(bl_searcher_t *s,
                                  const bl_search_options_t *o,
                                  xc_query_t **xq)
{
    bl_status_t rc = BL_OK;
    if (o->date_from || o->date_to) {
        char lo[18], hi[18];
        size_t l1 = o->date_from
                        ? xc_sortable_serialise((double)o->date_from, lo)
                        : 0;
        size_t l2 =
            o->date_to ? xc_sortable_serialise((double)o->date_to, hi) : 0;
        xc_query_t *range = NULL;
        rc = bl_from_xc(xc_query_value_range(BL_SLOT_DATE, l1 ? lo : NULL,
                                             l1, l2 ? hi : NULL, l2, &range),
                        "query");
        if (rc == BL_OK)
            rc = restrict_to(xq, range);
    }
    if (rc == BL_OK && o->filter && *o->filter) {
        bl_query_t *fq = NULL;
        xc_query_t *x = NULL;
        bl_qterm_t *qt = NULL;
        size_t nqt = 0;
        qcaps_t caps = searcher_caps(s);
        rc = bl_query_parse(s->analyzer, o->filter, 0, &fq, NULL);
        if (rc == BL_ESYNTAX)
            rc = bl_fail(BL_EARG, "filter: %s", bl_last_error());
        if (rc == BL_OK)
            rc = bl_query_compile(fq, s->db, &caps, &x, &qt, &nqt);
        if (rc == BL_OK)
            rc = restrict_to(xq, x);
        else
            xc_query_free(x);
        bl_qterms_free(qt, nqt);
        bl_query_free(fq);
    }
    return rc;
}

/* Weigh ENQ's matches as O says: BM25 (K1, B, K3), DPH or PL2. */
static bl_status_t set_weighting(xc_enquire_t *enq,
                                 const bl_search_options_t *o)
{
    if (o->weighting == BL_WEIGHT_DPH || o->weighting == BL_WEIGHT_PL2)
        return bl_from_xc(xc_enquire_set_dfr(enq,
                                             o->weighting == BL_WEIGHT_DPH
                                                 ? XC_DFR_DPH
                                                 : XC_DFR_PL2,
                                             1.0),
                          "weighting");
    return bl_from_xc(xc_enquire_set_bm25(enq, o->k1, 0, o->k3, o->b, 0.5),
                      "BM25");
}

/* Parse and compile QUERY into J, and set up its enquire as O says:
 * weighting, expansion, sort, collapsing and the facets' spies. */
static bl_status_t set_up(bl_searcher_t *s, const char *query,
                          const bl_search_options_t *o, job_t *j)
{
    bl_status_t rc = prepare(s, query, o, &j->q, &j->xq, &j->qt, &j->nqt,
                             &j->fallback, &j->error_at, &j->exceeded);
    if (rc == BL_OK)
        rc = boost(j->q, o, 1, &j->xq);
    if (rc == BL_OK && restricted(o))
        rc = restrict_query(s, o, &j->xq);
    if (rc == BL_OK)
        rc = bl_from_xc(xc_enquire_new(s->db, &j->enq), s->path);
    if (rc == BL_OK)
        rc = time_left(j);
    if (rc == BL_OK)
        rc = bl_from_xc(xc_enquire_set_query(j->enq, j->xq), s->path);
    if (rc == BL_OK)
        rc = set_weighting(j->enq, o);
    if (rc == BL_OK && o->expand && j->q && j->nqt > 0) {
        rc = expand_query(s, j->enq, j->q, j->qt, j->nqt, o, &j->xq);
        /* (An expanded query of plain words stands on its own.) */
        if (rc == BL_OK && restricted(o))
            rc = restrict_query(s, o, &j->xq);
        if (rc == BL_OK && restricted(o))
            rc = bl_from_xc(xc_enquire_set_query(j->enq, j->xq), s->path);
    }
    if (rc == BL_OK && o->sort != BL_SORT_RELEVANCE)
        rc = bl_from_xc(xc_enquire_set_sort(j->enq,
                                            XC_SORT_VALUE_THEN_RELEVANCE,
                                            BL_SLOT_DATE,
                                            o->sort == BL_SORT_DATE),
                        "sort");
    /* Near-duplicates are collapsed here (src/search/rows.c says why),
     * except over remote shards, where reading keys would cost a round
     * trip: there Xapian's collapsing, done by the servers, stays. */
    j->local = !s->remote;
    j->own_collapse = !o->show_duplicates && j->local;
    j->ties = o->sort == BL_SORT_RELEVANCE;
    if (rc == BL_OK && !o->show_duplicates && !j->local)
        rc = bl_from_xc(xc_enquire_set_collapse_key(j->enq, BL_SLOT_DUP, 1),
                        "collapse");
    for (unsigned f = 0; rc == BL_OK && f < BL_NFACETS; f++) {
        if (!(o->facets & (1u << f)))
            continue;
        unsigned first = 0, nslots = 0;
        facet_slots(f, &first, &nslots);
        for (unsigned k = 0; rc == BL_OK && k < nslots; k++)
            rc = bl_from_xc(xc_enquire_add_facet(j->enq, first + k,
                                                 &j->spy[f][k]),
                            "facet");
    }
    return rc;
}

/* Read J's results (J->ms, and their rows, tie order and collapsing)
 * for the page O asks for.  Collapsing, the results are read from the
 * top, half as many again as asked for and 5 more (four times more while
 * duplicates leave too few); the page is then cut from the collapsed
 * list.  Reprints of a story rank next to each other, so their count is
 * seen; it is a lower bound, as Xapian's own is.  Ranked by relevance,
 * results of equal weight are put in order of their ids (tie_order()),
 * so they are read from the top too, and on past the page while a tie
 * crosses its end. */
static bl_status_t fetch(bl_searcher_t *s, const bl_search_options_t *o,
                         job_t *j)
{
    bl_status_t rc = BL_OK;
    uint64_t want64 = (uint64_t)o->offset + o->limit;
    xc_doccount_t want = want64 > s->ndocs ? s->ndocs + 1 : want64;
    xc_doccount_t first = j->own_collapse || j->ties ? 0 : o->offset;
    j->first = first;
    j->count = j->ties ? want : o->limit;
    if (j->own_collapse)
        j->count = want64 + want64 / 2 + 5 > s->ndocs
                       ? s->ndocs + 1
                       : (xc_doccount_t)(want64 + want64 / 2 + 5);
    /* An exact count: every match read, when there are few enough (the
     * first read tells: its counts are exact when it saw them all). */
    if (j->own_collapse && o->exact_count && j->count <= o->exact_count) {
        xc_mset_t *probe = NULL;
        rc = time_left(j);
        if (rc == BL_OK)
            rc = bl_from_xc(xc_enquire_mset(j->enq, 0, 0,
                                            (xc_doccount_t)o->exact_count + 1,
                                            &probe),
                            s->path);
        if (rc == BL_OK && xc_mset_matches_upper(probe) <= o->exact_count &&
            xc_mset_matches_upper(probe) >= j->count)
            j->count = xc_mset_matches_upper(probe) + 1;
        xc_mset_free(probe);
        if (rc != BL_OK)
            return rc;
    }
    xc_doccount_t extra = j->ties ? TIE_EXTRA : 0;
    for (;;) {
        xc_doccount_t count = j->count;
        xc_doccount_t ask = (uint64_t)count + extra > s->ndocs
                                ? s->ndocs + 1
                                : count + extra;
        /* Facets count every match, not only those ranked so far. */
        xc_doccount_t check = first + ask;
        if (o->facets && check < s->ndocs)
            check = s->ndocs;
        rc = time_left(j);
        if (rc == BL_OK)
            rc = bl_from_xc(
                xc_enquire_mset(j->enq, first, ask, check, &j->ms), s->path);
        if (rc != BL_OK)
            break;
        size_t n = j->n = xc_mset_size(j->ms);
        if (j->ties && n == ask && n > count && extra < TIE_MAX(count) &&
            xc_mset_weight(j->ms, n - 1) == xc_mset_weight(j->ms, count - 1) &&
            !out_of_time(j)) {
            xc_mset_free(j->ms); /* A tie crosses the cut: read on. */
            j->ms = NULL;
            extra *= 4;
            continue;
        }
        j->nuse = n < count ? n : count;
        if (!j->local || (!j->own_collapse && !j->ties && o->passages > 0)) {
            if (j->ties) /* Remote: the tied documents are read. */
                rc = tie_order(s, j->ms, NULL, n, &j->order);
            break;
        }
        rc = bl_rows_read(j->ms, o->passages == 0, s->path, s->cache,
                          &j->rows);
        if (rc == BL_OK && j->ties)
            rc = tie_order(s, j->ms, j->rows, n, &j->order);
        if (rc != BL_OK || !j->own_collapse)
            break;
        free(j->keep);
        free(j->dups);
        j->keep = malloc((j->nuse ? j->nuse : 1) * sizeof *j->keep);
        j->dups = malloc((j->nuse ? j->nuse : 1) * sizeof *j->dups);
        rc = j->keep && j->dups
                 ? bl_rows_collapse(j->rows, j->nuse, j->keep, j->dups,
                                    &j->nkeep)
                 : bl_fail(BL_ENOMEM, "out of memory");
        if (rc != BL_OK || j->nkeep >= want || n < count ||
            count > s->ndocs || out_of_time(j))
            break;
        bl_rows_free(j->rows, n);
        j->rows = NULL;
        free(j->order);
        j->order = NULL;
        xc_mset_free(j->ms);
        j->ms = NULL;
        j->count = count > s->ndocs / 4 ? s->ndocs + 1 : 4 * count;
        extra = j->ties ? TIE_EXTRA : 0;
    }
    return rc;
}

/* The stems' highlighting weights: their idf in this index. */
static bl_status_t weigh_stems(bl_searcher_t *s, job_t *j)
{
    bl_status_t rc = BL_OK;
    for (size_t i = 0; i < j->nqt && rc == BL_OK; i++) {
        char term[BL_MAX_TOKEN * 2 + 2];
        xc_doccount_t tf = 0;
        snprintf(term, sizeof term, "%s%s",
                 j->qt[i].exact ? BL_PREFIX_EXACT : BL_PREFIX_STEM,
                 j->qt[i].stem);
        if (xc_mset_termfreq(j->ms, term, &tf) != XC_OK)
            rc = bl_from_xc(xc_db_termfreq(s->db, term, &tf), s->path);
        j->qt[i].weight = log(1.0 + (double)s->ndocs / (tf ? tf : 1));
    }
    return rc;
}

/* The page of hits O asks for, from J's results, into RES, with its
 * match counts. */
/* Where hit I of the page (O's offset on, SKIP results of J's MSet
 * before it) is in the MSet, and its row into *ROW (may be NULL). */
static unsigned hit_source(const job_t *j, const bl_search_options_t *o,
                           unsigned skip, unsigned i, const bl_row_t **row)
{
    unsigned k = o->offset + i;
    if (j->own_collapse) {
        k = j->keep[o->offset + i];
        *row = &j->rows[k];
        return j->order ? j->order[k] : k;
    }
    if (j->ties) {
        *row = j->rows ? &j->rows[k] : NULL;
        return j->order[k];
    }
    k = skip + i;
    *row = j->rows ? &j->rows[k] : NULL;
    return k;
}

static bl_status_t make_hits(bl_searcher_t *s, const bl_search_options_t *o,
                             job_t *j, bl_results_t *res)
{
    bl_status_t rc = BL_OK;
    res->matches_lower = xc_mset_matches_lower(j->ms);
    res->matches_estimated = xc_mset_matches_estimated(j->ms);
    res->matches_upper = xc_mset_matches_upper(j->ms);
    res->nhits = xc_mset_size(j->ms);
    /* (A cursor asks for later pages of the list it read from the top.) */
    unsigned skip = o->offset > j->first ? o->offset - j->first : 0;
    res->nhits = res->nhits > skip ? res->nhits - skip : 0;
    if (j->own_collapse) {
        collapsed_counts(res, j->nuse, j->count, j->nkeep);
        res->nhits = j->nkeep > o->offset ? j->nkeep - o->offset : 0;
    } else if (j->ties) {
        res->nhits = j->nuse > o->offset ? j->nuse - o->offset : 0;
    }
    if (res->nhits > o->limit)
        res->nhits = o->limit;
    if (res->nhits > 0) {
        res->hits = calloc(res->nhits, sizeof *res->hits);
        if (!res->hits)
            return bl_fail(BL_ENOMEM, "out of memory");
    }
    /* Over remote shards each document is a round trip: the hits' are
     * asked for together first (Xapian pipelines them). */
    if (s->remote && res->nhits > 1) {
        unsigned lo = ~0u, hi = 0;
        for (unsigned i = 0; i < res->nhits; i++) {
            const bl_row_t *row;
            unsigned at = hit_source(j, o, skip, i, &row);
            lo = at < lo ? at : lo;
            hi = at + 1 > hi ? at + 1 : hi;
        }
        xc_mset_fetch(j->ms, lo, hi); /* (A hint: failures show below.) */
    }
    bl_search_options_t bare = *o; /* Past the time: no passages. */
    bare.passages = 0;
    for (unsigned i = 0; rc == BL_OK && i < res->nhits; i++) {
        bl_hit_t *h = &res->hits[i];
        if (o->passages && out_of_time(j))
            o = &bare;
        const bl_row_t *row;
        unsigned at = hit_source(j, o, skip, i, &row);
        unsigned rank = j->own_collapse || j->ties
                            ? o->offset + i + 1
                            : xc_mset_rank(j->ms, at) + 1;
        rc = make_hit(s, j->ms, at, rank, row, j->qt, j->nqt, o, h);
        h->duplicates = j->own_collapse ? j->dups[o->offset + i]
                                        : xc_mset_collapse_count(j->ms, at);
    }
    return rc == BL_OK ? drop_repeated_ids(res) : rc;
}

/* One attempt of bl_search(). */
static bl_status_t search_once(bl_searcher_t *s, const char *query,
                               const bl_search_options_t *o,
                               bl_results_t **out, long long start)
{
    job_t j;
    memset(&j, 0, sizeof j);
    *out = NULL;
    bl_status_t rc = check_options(query, o);
    if (s->limits.time_ms)
        j.deadline = start + (long long)s->limits.time_ms * 1000000LL;
    j.remote = s->remote;
    if (rc == BL_OK)
        rc = set_up(s, query, o, &j);
    if (rc == BL_ESYNTAX || rc == BL_ELIMIT) {
        /* Where it goes wrong, or the limit, is part of the answer. */
        bl_results_t *res = calloc(1, sizeof *res);
        if (res && rc == BL_ESYNTAX) {
            res->error_at = j.error_at;
            res->error_column =
                (unsigned)bl_utf8_chars(query, j.error_at) + 1;
        }
        if (res) /* (A limit of no wildcard's: the deadline.) */
            res->exceeded = j.exceeded ? j.exceeded : BL_LIMIT_TIME;
        *out = res;
        job_free(&j);
        return res ? rc : bl_fail(BL_ENOMEM, "out of memory");
    }
    if (rc == BL_OK)
        rc = fetch(s, o, &j);
    if (rc == BL_ELIMIT) { /* Past the deadline: the limit is the answer. */
        bl_results_t *res = calloc(1, sizeof *res);
        if (res)
            res->exceeded = BL_LIMIT_TIME;
        *out = res;
        job_free(&j);
        return res ? rc : bl_fail(BL_ENOMEM, "out of memory");
    }
    if (rc == BL_OK)
        rc = weigh_stems(s, &j);
    bl_results_t *res = NULL;
    if (rc == BL_OK && !(res = calloc(1, sizeof *res)))
        rc = bl_fail(BL_ENOMEM, "out of memory");
    if (rc == BL_OK) {
        res->fallback = j.fallback;
        j.fallback = NULL;
        rc = make_hits(s, o, &j, res);
    }
    for (unsigned f = 0; rc == BL_OK && f < BL_NFACETS; f++) {
        if (o->facets & (1u << f))
            rc = read_facet(j.ms, f, j.spy[f], o->facet_values,
                            &res->facets[res->nfacets++]);
    }
    if (rc == BL_OK && o->spelling && j.q && !out_of_time(&j))
        res->suggestion = suggest(s, query, j.q, o, j.ms);
    if (rc == BL_OK) {
        res->limited = j.limited;
        res->shards = s->shards ? shards_total(s->shards) : 0;
        rc = shards_copy_failed(s->shards, &res->failed, &res->nfailed);
    }
    if (rc == BL_OK) {
        *out = res;
        res = NULL;
    }
    bl_results_free(res);
    job_free(&j);
    return rc;
}

struct bl_cursor {
    bl_searcher_t *s;
    bl_search_options_t o; /* The page of every hit: offset 0, MAX. */
    job_t j;
    unsigned total;        /* Hits there are to give (at most MAX). */
    unsigned at;           /* Given so far. */
    unsigned matches;      /* Every match, MAX or not. */
    int exact;
};

bl_status_t bl_cursor_open(bl_searcher_t *s, const char *query,
                           const bl_search_options_t *o, unsigned max,
                           bl_cursor_t **out, unsigned *matches, int *exact,
                           unsigned *exceeded)
{
    *out = NULL;
    *exceeded = 0;
    bl_cursor_t *c = calloc(1, sizeof *c);
    if (!c)
        return bl_fail(BL_ENOMEM, "out of memory");
    c->s = s;
    c->o = *o;
    c->o.offset = 0;
    c->o.limit = max ? max : 1;
    /* Every match read: the count is exact up to MAX (and one more, to
     * tell that there are more). */
    c->o.exact_count = c->o.limit + 1 > c->o.exact_count ? c->o.limit + 1
                                                         : c->o.exact_count;
    c->o.spelling = 0;
    bl_status_t rc = bl_searcher_refresh(s, 0, NULL);
    for (int tries = 0; rc == BL_OK || rc == BL_EMODIFIED; tries++) {
        if (rc == BL_EMODIFIED) {
            if (tries >= SEARCH_TRIES)
                break;
            job_free(&c->j);
            memset(&c->j, 0, sizeof c->j);
            rc = bl_searcher_refresh(s, 1, NULL);
            if (rc != BL_OK)
                break;
        }
        rc = check_options(query, &c->o);
        /* (A refusal for a shard that is down is not retried.) */
        bl_status_t whole = c->o.all_shards ? searcher_every_shard(s) : BL_OK;
        if (rc == BL_OK)
            rc = whole;
        /* An export is never cut short: the match may take five times a
         * search's time, and past that the export is refused. */
        c->j.whole = 1;
        c->j.remote = s->remote;
        if (rc == BL_OK && s->limits.time_ms)
            c->j.deadline =
                bl_now_ns() + 5 * (long long)s->limits.time_ms * 1000000LL;
        if (rc == BL_OK)
            rc = set_up(s, query, &c->o, &c->j);
        if (rc == BL_OK)
            rc = fetch(s, &c->o, &c->j);
        if (rc == BL_OK)
            rc = weigh_stems(s, &c->j);
        if (rc == BL_ENETWORK && whole == BL_OK && tries + 1 < SEARCH_TRIES &&
            searcher_lost_shard(s)) {
            job_free(&c->j);
            memset(&c->j, 0, sizeof c->j);
            rc = BL_OK;
            continue;
        }
        if (rc != BL_EMODIFIED)
            break;
    }
    if (rc != BL_OK) {
        if (rc == BL_ELIMIT)
            *exceeded = c->j.exceeded ? c->j.exceeded : BL_LIMIT_TIME;
        job_free(&c->j);
        free(c);
        return rc;
    }
    /* What make_hits() would give for the whole list. */
    bl_results_t counts;
    memset(&counts, 0, sizeof counts);
    counts.matches_lower = xc_mset_matches_lower(c->j.ms);
    counts.matches_estimated = xc_mset_matches_estimated(c->j.ms);
    counts.matches_upper = xc_mset_matches_upper(c->j.ms);
    size_t n = xc_mset_size(c->j.ms);
    if (c->j.own_collapse) {
        collapsed_counts(&counts, c->j.nuse, c->j.count, c->j.nkeep);
        n = c->j.nkeep;
    } else if (c->j.ties) {
        n = c->j.nuse;
    }
    c->total = n < c->o.limit ? (unsigned)n : c->o.limit;
    c->matches = counts.matches_estimated;
    c->exact = counts.matches_lower == counts.matches_upper;
    *matches = c->matches;
    *exact = c->exact;
    *out = c;
    return BL_OK;
}

bl_status_t bl_cursor_next(bl_cursor_t *c, unsigned n, bl_results_t **out)
{
    *out = NULL;
    bl_results_t *res = calloc(1, sizeof *res);
    if (!res)
        return bl_fail(BL_ENOMEM, "out of memory");
    bl_search_options_t page = c->o;
    page.offset = c->at;
    page.limit = n ? n : 1;
    if (page.offset + page.limit > c->total)
        page.limit = c->total - c->at;
    bl_status_t rc = BL_OK;
    if (page.limit > 0) {
        /* make_hits() gives the page of OFFSET and LIMIT; its counts are
         * the whole list's. */
        c->j.deadline = 0; /* (The match is done: the hits are read.) */
        rc = make_hits(c->s, &page, &c->j, res);
        c->at += page.limit;
    }
    res->matches_lower = res->matches_upper = res->matches_estimated =
        c->matches;
    if (!c->exact)
        res->matches_upper = c->matches + 1;
    if (rc != BL_OK) {
        bl_results_free(res);
        return rc;
    }
    *out = res;
    return BL_OK;
}

void bl_cursor_free(bl_cursor_t *c)
{
    if (!c)
        return;
    job_free(&c->j);
    free(c);
}

bl_status_t bl_search(bl_searcher_t *s, const char *query,
                      const bl_search_options_t *o, bl_results_t **out)
{
    /* An indexer running beside us publishes new parts (a new stub) and
     * commits deletions into the old ones: a search sees the last commit,
     * and one that finds its revision gone reopens and tries again. */
    *out = NULL;
    long long start = bl_now_ns();
    bl_status_t rc = bl_searcher_refresh(s, 0, NULL);
    for (int tries = 0; tries < SEARCH_TRIES; tries++) {
        /* A run refuses to lack a shard: it says which (not retried). */
        if (rc == BL_OK && o->all_shards)
            rc = searcher_every_shard(s);
        if (rc != BL_OK && rc != BL_EMODIFIED)
            break;
        if (rc == BL_OK)
            rc = search_once(s, query, o, out, start);
        if (rc == BL_ENETWORK && tries + 1 < SEARCH_TRIES &&
            searcher_lost_shard(s)) {
            /* A shard stopped answering: the others answer (or, with
             * all_shards, the search says which is missing). */
            rc = BL_OK;
            continue;
        }
        if (rc != BL_EMODIFIED)
            break;
        /* (A reopen can meet a moving revision too: it is retried.) */
        struct timespec pause = {0, 1000000L << (tries < 6 ? tries : 6)};
        nanosleep(&pause, NULL);
        rc = bl_searcher_refresh(s, 1, NULL);
    }
    return rc;
}
