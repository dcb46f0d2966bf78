/*
 * What the units of the search layer share: the searcher's state, and the
 * calls one unit makes into another.  Not public API (byline/search.h is).
 *
 * The units: searcher.c (a search: options, retries, the page of hits,
 * the cursor), enquire.c (the query set up on an enquire), match.c (the
 * match in its time, its results read for a page), open.c (opening,
 * following the index's commits, remote shards),
 * hits.c (a hit's fields, highlights and passages), ties.c (equal
 * scores in id order, collapsed counts, repeated ids), facets.c,
 * spelling.c ("Did you mean") and article.c (one article, whole).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_SEARCH_SEARCHER_INTERNAL_H
#define BYLINE_SEARCH_SEARCHER_INTERNAL_H

#include <stddef.h>
#include <sys/stat.h>
#include <time.h>

#include "byline/schema.h"
#include "byline/search.h"
#include "search/doccache.h"
#include "search/query.h"
#include "search/rows.h"
#include "search/shards.h"
#include "search/tfcache.h"
#include "util/fs.h"
#include "xapian-c/xapian-c.h"

#define SEARCH_INTERNAL __attribute__((visibility("hidden")))

/* Attempts of a search whose revision an indexer moved away. */
#define SEARCH_TRIES 12 /* Waits of 1, 2, 4 ... 64 ms between: 0.5 s. */

/* Terms a wildcard may stand for (the most frequent). */
#define WILDCARD_LIMIT 200

struct bl_searcher {
    xc_db_t *db;       /* SHARDS's union when there are remote shards. */
    shards_t *shards;  /* Remote shards, opened one by one; or NULL. */
    unsigned shard_timeout_ms;
    bl_analyzer_t *analyzer;
    xc_doccount_t ndocs;
    int remote;        /* Some shards are served by xapian-tcpsrv. */
    char path[BL_PATH_MAX]; /* Longer paths are refused (open.c). */
    struct stat stub;  /* The stub file as it was when DB was opened. */
    int has_stub;
    struct stat mark;  /* The commit mark as it was before the last */
    int has_mark;      /* (re)open, if there was one. */
    long long opened;       /* When DB was last (re)opened (bl_now_ns()). */
    bl_doccache_t *cache;   /* NULL: none (asked for, or no memory). */
    bl_tfcache_t *tfcache;  /* The word pairs' term frequencies (NULL:
                               none, for want of memory). */
    bl_limits_t limits;     /* What one search may cost (0: no limit). */
};

/* One search under way (an attempt of bl_search(), or a cursor's): what
 * job_set_up() prepares, job_fetch() reads and searcher.c frees. */
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

/* ---- enquire.c ---- */

/* Parse and compile QUERY into J, and set up its enquire as O says:
 * weighting, expansion, sort, collapsing and the facets' spies.  Returns
 * BL_OK, BL_ESYNTAX (J->error_at says where), BL_ELIMIT (a wildcard's:
 * J->exceeded), BL_EARG (a filter it cannot read), BL_ENOTFOUND (no
 * article O->like), or as a call on the index fails (BL_EIO,
 * BL_EMODIFIED, BL_ENETWORK, BL_ENOMEM). */
SEARCH_INTERNAL bl_status_t job_set_up(bl_searcher_t *s, const char *query,
                                       const bl_search_options_t *o,
                                       job_t *j);

/* ---- match.c ---- */

/* Give J's matches the time that is left of its search (at least a
 * millisecond, and J is then marked as cut short).  Returns BL_OK or
 * BL_EINTERNAL. */
SEARCH_INTERNAL bl_status_t job_time_left(job_t *j);

/* Non-zero (and J marked) once J's time has run out. */
SEARCH_INTERNAL int job_out_of_time(job_t *j);

/* Read J's results (J->ms, and their rows, tie order and collapsing)
 * for the page O asks for.  Returns BL_OK, BL_ELIMIT (past the deadline),
 * BL_EIO, BL_EMODIFIED, BL_ENETWORK or BL_ENOMEM. */
SEARCH_INTERNAL bl_status_t job_fetch(bl_searcher_t *s,
                                      const bl_search_options_t *o,
                                      job_t *j);

/* ---- open.c ---- */

/* How far S's wildcards may reach.  Cannot fail. */
SEARCH_INTERNAL qcaps_t searcher_caps(const bl_searcher_t *s);

/* A search over S met a network error: leave out the shards that no
 * longer answer.  Returns 1 if S->db changed (search again), else 0. */
SEARCH_INTERNAL int searcher_lost_shard(bl_searcher_t *s);

/* BL_OK if every shard of S answers; else BL_ENETWORK naming the first
 * that does not (bl_search_options_t.all_shards). */
SEARCH_INTERNAL bl_status_t searcher_every_shard(bl_searcher_t *s);

/* ---- facets.c ---- */

/* The value slots facet F (BL_FACET_ order) is counted over: *N of them
 * from *FIRST (the categories have several).  Cannot fail. */
SEARCH_INTERNAL void facet_slots(unsigned f, unsigned *first, unsigned *n);

/* Read facet F (counted by the spies SPY: one per slot) from MS into OUT,
 * the MAX most frequent values.  Returns BL_OK or BL_ENOMEM. */
SEARCH_INTERNAL bl_status_t read_facet(xc_mset_t *ms, unsigned f,
                                       const unsigned *spy, unsigned max,
                                       bl_facet_t *out);

/* ---- spelling.c ---- */

/* "Did you mean": QUERY (parsed as Q) with its unknown words replaced by
 * close indexed ones, when that finds something (MS: its matches);
 * malloc'ed, or NULL.  Cannot fail (no suggestion then). */
SEARCH_INTERNAL char *suggest(bl_searcher_t *s, const char *query,
                              bl_query_t *q, const bl_search_options_t *o,
                              xc_mset_t *ms);

/* ---- ties.c ---- */

/* Results of equal weight read past the page to order a tie (at first,
 * then four times more while the tie goes on, up to about the page's size
 * again: the ties of a query that weighs nothing stay in index order);
 * and read past the feedback articles (expand.c) to see a tie across
 * the cut. */
#define TIE_EXTRA 8
#define TIE_MAX(count) ((count) > 64 ? (count) : 64)

SEARCH_INTERNAL void collapsed_counts(bl_results_t *res, size_t n,
                                      size_t count, size_t nkeep);
SEARCH_INTERNAL bl_status_t tie_order(bl_searcher_t *s, xc_mset_t *ms,
                                      bl_row_t *rows, size_t n,
                                      unsigned **order);
SEARCH_INTERNAL bl_status_t drop_repeated_ids(bl_results_t *res);

/* The article id in the stored fields DATA (LEN bytes: a summary or a
 * document's data) into a malloc'ed *ID: "" when they hold none, NULL on
 * failure.  Returns BL_OK, BL_ECORRUPT or BL_ENOMEM. */
SEARCH_INTERNAL bl_status_t stored_id(const char *data, size_t len,
                                      char **id);

/* ---- hits.c ---- */

/* The stored fields of result I of MS into *DATA (LEN bytes): from ROW's
 * summary when it has one and SUMMARY_WILL_DO (ROW may be NULL), else
 * from S's document cache (*CACHED 1), else from the document (*DOC,
 * which holds them: free it with xc_doc_free()), then cached.  Returns
 * BL_OK, BL_EIO, BL_EMODIFIED or BL_ENETWORK. */
SEARCH_INTERNAL bl_status_t result_data(bl_searcher_t *s, xc_mset_t *ms,
                                        size_t i, const bl_row_t *row,
                                        int summary_will_do,
                                        const char **data, size_t *len,
                                        xc_doc_t **doc, int *cached);

SEARCH_INTERNAL bl_status_t make_hit(bl_searcher_t *s, xc_mset_t *ms,
                                     unsigned i, unsigned rank,
                                     const bl_row_t *row,
                                     const bl_qterm_t *qt, size_t nq,
                                     const bl_search_options_t *o,
                                     bl_hit_t *hit);

/* Free what hit H holds (not H).  Cannot fail. */
SEARCH_INTERNAL void hit_clear(bl_hit_t *h);

/* ---- article.c ---- */

/* The document of the article with id ID into *DOCID.  Returns BL_OK,
 * BL_ENOTFOUND, BL_EIO, BL_EMODIFIED or BL_ENETWORK. */
SEARCH_INTERNAL bl_status_t find_article(bl_searcher_t *s, const char *id,
                                         xc_docid_t *docid);

#endif
