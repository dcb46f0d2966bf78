/*
 * Query expansion (RM3 pseudo-relevance feedback) and "more like this":
 * new Xapian queries built from the terms of indexed articles.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Both read the index through DB and are for one thread at a time (as the
 * searcher that calls them).
 */
#ifndef BYLINE_EXPAND_H
#define BYLINE_EXPAND_H

#include "byline/search.h"
#include "xapian-c/xapian-c.h"

typedef struct bl_expand_options {
    unsigned fb_docs;    /* Feedback articles (Anserini: 10). */
    unsigned fb_terms;   /* Terms kept per article and in the model (10). */
    double query_weight; /* The original query's share, 0..1 (0.5). */
    unsigned like_terms; /* Terms of an article's "more like this" (25). */
    double min_ratio;    /* Feedback articles scoring below this share of
                            the best's are left out (0: none). */
    double spread;       /* RM3: each model term's weight times the share
                            of the feedback articles that have it, to this
                            power (0: not). */
} bl_expand_options_t;

/* The RM3 expansion of Q (compiled; its looked-for stems STEMS, NSTEMS of
 * them) into a new query *OUT, reading the feedback articles with ENQ
 * (set up with the ranking to use; its query is replaced).  REPLACE
 * non-zero: the new query stands alone (Q was plain words); else it only
 * ranks Q's matches.  *OUT is NULL (and BL_OK returned) when there is
 * nothing to expand from (no match, or no feedback term).  The caller
 * frees *OUT.  Returns BL_OK, BL_EIO, BL_EMODIFIED, BL_ENETWORK or
 * BL_ENOMEM. */
bl_status_t bl_expand_rm3(xc_db_t *db, xc_enquire_t *enq,
                          const xc_query_t *q, const char *const *stems,
                          size_t nstems, int replace,
                          const bl_expand_options_t *o, xc_query_t **out);

/* As bl_expand_rm3(), with the expansion terms of Xapian's expansion set
 * under the Bo1 model (the FB_TERMS best, by the same rules as RM3's) and
 * Q itself kept (scaled to its share) beside them.  Returns as
 * bl_expand_rm3(). */
bl_status_t bl_expand_bo1(xc_db_t *db, xc_enquire_t *enq,
                          const xc_query_t *q, size_t nstems, int replace,
                          const bl_expand_options_t *o, xc_query_t **out);

/* The query for the articles most like document DOCID into *OUT: its
 * LIKE_TERMS most informative stems (wdf times idf; none that only it
 * has, none that every article has), each BM25-weighted and
 * scaled by its share.  The caller frees *OUT.  Returns BL_OK,
 * BL_ENOTFOUND (no such document, or no term another article shares),
 * BL_EIO, BL_EMODIFIED, BL_ENETWORK or BL_ENOMEM. */
bl_status_t bl_expand_like(xc_db_t *db, xc_docid_t docid,
                           const bl_expand_options_t *o, xc_query_t **out);

#endif
