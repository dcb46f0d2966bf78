/*
 * A search, from its options to its answer: the options' defaults and
 * their check, bl_search() and its retries (a revision an indexer moved
 * away, a shard that stopped answering), one attempt (the query set up
 * by enquire.c, matched by match.c, then the page of hits, facets,
 * spelling and the shards that failed), and the cursor over every hit
 * for exports.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "search/searcher_internal.h"

#include "byline/schema.h"
#include "schema/xc_map.h"
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
    /* The word pairs, not of two common words: chosen leaving one
     * collection out (three folds of four; held out +0.86% MAP), 1.09
     * times the mean latency on Reuters and 1.22 times on 1 GB of news
     * (every pair: 1.66; README, Ranking quality). */
    o->pairs = 0.1;
    o->pairs_common = 0.03;
    o->proximity_window = 8; /* Metzler and Croft's unordered window. */
}

/* Free what J holds (not J).  Cannot fail. */
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

/* Check O (for QUERY: NULL only with O->like).  Returns BL_OK, or BL_EARG
 * saying what is allowed. */
static bl_status_t check_options(const char *query,
                                 const bl_search_options_t *o)
{
    if (!o || (!query && !o->like) || o->limit == 0 || !(o->k1 >= 0) ||
        !(o->k3 >= 0) || !(o->b >= 0 && o->b <= 1) ||
        !(o->proximity >= 0) || !(o->title_weight >= 0) || !(o->pairs >= 0) ||
        !(o->pairs_common >= 0 && o->pairs_common <= 1) ||
        o->weighting < BL_WEIGHT_BM25 || o->weighting > BL_WEIGHT_PL2 ||
        (o->expand && (o->fb_docs == 0 || o->fb_terms == 0 ||
                       !(o->fb_query_weight >= 0 &&
                         o->fb_query_weight <= 1) ||
                       !(o->fb_min_ratio >= 0 && o->fb_min_ratio <= 1) ||
                       !(o->fb_spread >= 0))))
        return bl_fail(BL_EARG,
                       "bad search options (limit >= 1, k1 >= 0, 0 <= b <= "
                       "1, proximity and title weight >= 0, the pairs' common "
                       "share 0 to 1, a known "
                       "weighting; feedback: docs and terms >= 1, query "
                       "weight and score ratio 0 to 1, spread >= 0)");
    return BL_OK;
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

/* The page of hits O asks for, from J's results, into RES, with its
 * match counts. */
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
     * asked for together first, a hint that lets a Xapian that can
     * pipeline them do so (1.4.22 does not: it asks for each as it is
     * read, as strace shows; the document cache spares the round trips of
     * articles read before). */
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
        if (o->passages && job_out_of_time(j))
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
        rc = job_set_up(s, query, o, &j);
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
        rc = job_fetch(s, o, &j);
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
    if (rc == BL_OK && o->spelling && j.q && !job_out_of_time(&j) &&
        (!s->remote || o->spelling > 1 || res->matches_upper == 0))
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
            rc = job_set_up(s, query, &c->o, &c->j);
        if (rc == BL_OK)
            rc = job_fetch(s, &c->o, &c->j);
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
