/*
 * A search's query, set up on a Xapian Enquire: the query parsed (or
 * described) and compiled, or made from an article ("more like this");
 * ranked higher by its word pairs, proximity and title terms; expanded
 * (RM3, Bo1);
 * restricted to a date window and a filter; and the enquire's weighting,
 * sort, collapsing (over remote shards) and facet spies.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "search/searcher_internal.h"

#include "byline/schema.h"
#include "schema/schema.h"
#include "schema/xc_map.h"
#include "search/expand.h"
#include "util/fail.h"

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

/* *XQ (compiled from Q, or its expansion) ranked higher by Q's pairs,
 * proximity and title terms as O weighs them, each weight times FACTOR.
 * Only a query of words any of which may match has them, so OR beside it
 * matches the same (a boost matches only where a word of it does).  Not
 * AND_MAYBE: Xapian's checked a phrase's positions in every match of its
 * left side (20-100 ms on Reuters for two words where OR, which the
 * matcher can skip by its weight bounds, takes 0.3 ms), and gave some
 * articles more than the sum of their pairs' weights (AP topic 110:
 * 20.07 for 19.16).  Unchanged when Q has none. */
static bl_status_t boost(bl_searcher_t *s, const bl_query_t *q,
                         const bl_search_options_t *o, double factor,
                         xc_query_t **xq)
{
    xc_query_t *b = NULL, *both = NULL;
    if (!q || (!(o->pairs > 0) && !(o->proximity > 0) &&
               !(o->title_weight > 0)))
        return BL_OK;
    bl_pair_stats_t ps = {s->db, s->ndocs, o->pairs_common, s->tfcache};
    bl_status_t rc = bl_query_boosts(q, &ps, o->pairs * factor,
                                     o->proximity * factor,
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

/* Replace *XQ (the compiled Q, set on ENQ) by its RM3 or Bo1 expansion,
 * as O says, when it has one, and set that on ENQ. */
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
        rc = boost(s, q, o, o->fb_query_weight / (double)nqt, &e);
    if (rc == BL_OK && e) {
        xc_query_free(*xq);
        *xq = e;
    }
    if (rc == BL_OK)
        rc = bl_from_xc(xc_enquire_set_query(enq, *xq), s->path);
    return rc;
}

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
                       : 0) |
                  (o->quotes_as_words ? BL_QUERY_NOQUOTES : 0);
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

/* Parse QUERY as O says into *Q and compile it into *XQ, with its
 * looked-for stems in *QT (*NQT); a query the language cannot read is
 * read as plain words when O allows, the reason in *FALLBACK, else
 * where it goes wrong is in *ERROR_AT; a wildcard's limit reached in
 * *EXCEEDED.  With O->like, *XQ is the article's "more like this" query
 * (and *Q NULL). */
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
bl_status_t job_set_up(bl_searcher_t *s, const char *query,
                       const bl_search_options_t *o, job_t *j)
{
    bl_status_t rc = prepare(s, query, o, &j->q, &j->xq, &j->qt, &j->nqt,
                             &j->fallback, &j->error_at, &j->exceeded);
    if (rc == BL_OK)
        rc = boost(s, j->q, o, 1, &j->xq);
    if (rc == BL_OK && restricted(o))
        rc = restrict_query(s, o, &j->xq);
    if (rc == BL_OK)
        rc = bl_from_xc(xc_enquire_new(s->db, &j->enq), s->path);
    if (rc == BL_OK)
        rc = job_time_left(j);
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
