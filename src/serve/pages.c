/*
 * byline-serve's HTML routes: the search page, the article view and the
 * Atom feed of a search.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE /* open_memstream() */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "handler_internal.h"

#include "byline/output.h"
#include "byline/schema.h"

/* The number of articles a feed lists. */
#define FEED_ENTRIES 50

static void archive_span(bl_searcher_t *s, char *first, char *last);

/* The page's state from the request's arguments. */
static void page_state(rq_t *r, const bl_search_options_t *o, page_req_t *p)
{
    page_req_init(p);
    const char *v;
    if ((v = arg(r, "q")))
        p->q = v;
    /* The words the request gives and the library reads (-1 for one
     * not given or not read: a page whose options were refused keeps
     * the rest, never a default as if it had been asked for). */
    static const bl_option_t WORDS[] = {BL_OPTION_MATCH, BL_OPTION_EXPAND,
                                        BL_OPTION_QUOTES};
    int *value[] = {&p->match, &p->expand, &p->quotes};
    for (size_t i = 0; i < sizeof WORDS / sizeof *WORDS; i++) {
        if (!(v = arg(r, bl_option_name(WORDS[i]))) ||
            bl_option_parse(WORDS[i], v, value[i]) != BL_OK)
            *value[i] = -1;
    }
    int sort;
    if ((v = arg(r, "sort")) &&
        bl_option_parse(BL_OPTION_SORT, v, &sort) == BL_OK)
        p->sort = (bl_sort_t)sort;
    p->from = (v = arg(r, "from")) && *v ? v : NULL;
    p->to = (v = arg(r, "to")) && *v ? v : NULL;
    p->author = (v = arg(r, "author")) && *v ? v : NULL;
    p->source = (v = arg(r, "source")) && *v ? v : NULL;
    p->category = (v = arg(r, "category")) && *v ? v : NULL;
    int dups;
    p->show_dups = (v = arg(r, "duplicates")) &&
                           bl_option_parse(BL_OPTION_DUPLICATES, v, &dups) ==
                               BL_OK
                       ? dups
                       : o->show_duplicates;
    p->limit = o->limit;
    p->passages = arg(r, "passages") ? (int)o->passages : -1;
    p->offset = o->offset;
    p->max_offset = MAX_OFFSET;
}

/* The archive's size and the span of its dates into P (the home page):
 * the first and last dates go to FIRST and LAST (11 bytes each). */
static void archive(bl_searcher_t *s, page_req_t *p, char *first, char *last)
{
    /* Two searches over every article: done at most once a minute. */
    static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    static struct timespec at;
    static char span[2][11];
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    p->articles = bl_searcher_doccount(s);
    pthread_mutex_lock(&mu);
    int fresh = at.tv_sec && now.tv_sec - at.tv_sec < 60;
    if (fresh) {
        memcpy(first, span[0], 11);
        memcpy(last, span[1], 11);
    }
    pthread_mutex_unlock(&mu);
    if (!fresh) {
        archive_span(s, first, last);
        pthread_mutex_lock(&mu);
        memcpy(span[0], first, 11);
        memcpy(span[1], last, 11);
        at = now;
        pthread_mutex_unlock(&mu);
    }
    p->first = *first ? first : NULL;
    p->last = *last ? last : NULL;
}

/* The dates of the oldest and the newest article into FIRST and LAST
 * (11 bytes each; "" when none has a date). */
static void archive_span(bl_searcher_t *s, char *first, char *last)
{
    bl_search_options_t o;
    bl_search_options_init(&o);
    o.limit = 1;
    o.passages = 0;
    o.spelling = 0;
    o.show_duplicates = 1;
    for (int k = 0; k < 2; k++) {
        bl_results_t *res = NULL;
        o.sort = k ? BL_SORT_DATE : BL_SORT_DATE_ASC;
        if (bl_search(s, EVERY_DATED, &o, &res) == BL_OK && res->nhits &&
            res->hits[0].article.date)
            snprintf(k ? last : first, 11, "%s", res->hits[0].article.date);
        bl_results_free(res);
    }
}

/* The options and query of a page or feed request: the page's rules on
 * top of the API's (sorted by date, every word must match unless
 * match=any).  0, or an HTTP status after a message in ERR. */
static int page_search_options(rq_t *r, bl_search_options_t *o,
                               page_req_t *p, char *err, size_t errlen)
{
    int st = search_options(r, o, err, errlen);
    if (st) {
        bl_search_options_t d;
        bl_search_options_init(&d); /* The page keeps what it can read. */
        page_state(r, &d, p);
        p->from = p->to = NULL;
        return st;
    }
    page_state(r, o, p);
    if (p->match < 0 && o->sort != BL_SORT_RELEVANCE)
        o->match_all = 1;
    o->exact_count = EXACT_COUNT; /* "Results 11-20 of 3,707", exactly. */
    return 0;
}

/* GET / : the search page (server-rendered). */
void html_search(rq_t *r, bl_searcher_t *s)
{
    char err[256], note[1024], first[11] = "", last[11] = "";
    bl_search_options_t o;
    page_req_t p;
    int st = page_search_options(r, &o, &p, err, sizeof err);
    if (st) {
        if (body(r) == 0) {
            page_search(r->f, &p, NULL, NULL, err);
            done(r, st, "text/html; charset=utf-8");
        }
        return;
    }
    int empty = 0;
    char *flt = NULL;
    char *q = query_of(r, &o, &flt, &empty);
    if (!q) {
        free(flt);
        fail(r, 503, "out of memory", 0, NULL, 0);
        return;
    }
    bl_results_t *res = NULL, *tl = NULL;
    bl_status_t rc = BL_OK;
    if (!empty) {
        o.facets = BL_FACET_YEAR | BL_FACET_AUTHOR | BL_FACET_SOURCE |
                   BL_FACET_CATEGORY;
        rc = bl_search(s, q, &o, &res);
        if (rc == BL_OK && res->nhits) {
            /* The timeline: every year that matches, or the days of the
             * year or month the dates are within. */
            bl_search_options_t t = o;
            t.limit = 1;
            t.offset = 0;
            t.passages = 0;
            t.spelling = 0;
            t.facets = page_timeline_unit(&p) == 'y' ? BL_FACET_YEAR
                                                      : BL_FACET_DAY;
            t.facet_values = 400;
            t.exact_count = 0; /* (Its one hit is not shown.) */
            if (bl_search(s, q, &t, &tl) != BL_OK) {
                bl_results_free(tl);
                tl = NULL;
            }
        }
    } else {
        archive(s, &p, first, last);
    }
    free(q);
    free(flt);
    p.note = page_note(note, sizeof note, res);
    if (body(r) == 0) {
        if (rc != BL_OK)
            page_search(r->f, &p, NULL, NULL, bl_last_error());
        else
            page_search(r->f, &p, res, tl, NULL);
        done(r, rc != BL_OK ? http_status(rc) : 200,
             "text/html; charset=utf-8");
    }
    bl_results_free(res);
    bl_results_free(tl);
}

/* GET /feed : the newest articles of a search as Atom. */
void feed(rq_t *r, bl_searcher_t *s)
{
    char err[256];
    bl_search_options_t o;
    page_req_t p;
    int st = page_search_options(r, &o, &p, err, sizeof err);
    if (st) {
        fail(r, st, err, 0, NULL, 0);
        return;
    }
    o.sort = BL_SORT_DATE;
    if (p.match < 0)
        o.match_all = 1;
    o.limit = FEED_ENTRIES;
    o.offset = 0;
    o.passages = 1;
    o.spelling = 0;
    int empty = 0;
    char *flt = NULL;
    char *q = query_of(r, &o, &flt, &empty);
    if (q && empty) { /* Every article: the archive's newest. */
        free(q);
        q = strdup(EVERY_DATED);
    }
    if (!q) {
        free(flt);
        fail(r, 503, "out of memory", 0, NULL, 0);
        return;
    }
    o.exact_count = 0; /* (A feed says no count.) */
    bl_results_t *res = NULL;
    bl_status_t rc = bl_search(s, q, &o, &res);
    free(q);
    free(flt);
    if (rc != BL_OK) {
        search_failed(r, rc, res);
        bl_results_free(res);
        return;
    }
    const char *host = header(r, "Host");
    char base[300];
    snprintf(base, sizeof base, "http://%s",
             host && *host && strlen(host) < 256 && !strpbrk(host, "/\\\"<> ")
                 ? host
                 : "localhost");
    p.offset = 0;
    if (body(r) == 0) {
        page_feed(r->f, &p, res, base);
        done(r, 200, "application/atom+xml; charset=utf-8");
    }
    bl_results_free(res);
}

/* GET /article/ID : one article, every match marked, more like it. */
void html_article(rq_t *r, bl_searcher_t *s, const char *id)
{
    char err[256];
    bl_article_view_t v;
    const char *q = arg(r, "q");
    bl_search_options_t so;
    if (search_options(r, &so, err, sizeof err) != 0)
        bl_search_options_init(&so);
    bl_status_t rc = bl_searcher_article_with(s, id, q, &so, &v);
    if (rc == BL_ESYNTAX || rc == BL_ELIMIT)
        rc = bl_searcher_article(s, id, NULL, &v);
    if (rc != BL_OK) {
        fail(r, http_status(rc), bl_last_error(), 0, NULL, 0);
        return;
    }
    bl_search_options_t o;
    bl_search_options_init(&o);
    o.like = id;
    o.limit = 5;
    o.passages = 0;
    bl_results_t *like = NULL;
    if (bl_search(s, NULL, &o, &like) != BL_OK) {
        bl_results_free(like);
        like = NULL;
    }
    page_req_t p;
    page_state(r, &so, &p);
    if (body(r) == 0) {
        page_article(r->f, &v, like, &p);
        done(r, 200, "text/html; charset=utf-8");
    }
    bl_article_view_clear(&v);
    bl_results_free(like);
}
