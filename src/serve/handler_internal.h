/*
 * What the units of byline-serve's handler share: a request under way,
 * the configuration, and the helpers every route uses.  handler.c holds
 * the searchers' pool, the request's arguments and answer, and the
 * routing; api.c the JSON API's routes; pages.c the page's, the article
 * view's and the feed's.  Not used outside src/serve/.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_SERVE_HANDLER_INTERNAL_H
#define BYLINE_SERVE_HANDLER_INTERNAL_H

#include <stdio.h>

#include "byline/search.h"
#include "serve.h"

#define HANDLER_INTERNAL __attribute__((visibility("hidden")))

#define MAX_URL 4096   /* Longer: 414. */
#define MAX_QUERY 1024 /* A longer query: 414. */
#define MAX_TARGET (16 * 1024) /* A longer path with its arguments: 414. */
#define MAX_HEAD (64 * 1024)   /* More header bytes: 431. */
#define MAX_LIMIT 100
#define MAX_OFFSET 10000
#define EXACT_COUNT 100000 /* Matches counted exactly up to this many. */

/* A query that every dated article matches (the archive's span, a feed
 * of everything). */
#define EVERY_DATED "year:1000..9999"

/* The server's settings (serve_start()). */
HANDLER_INTERNAL extern serve_config_t cfg;

/* A request under way: its input, the clean copies of arguments it made
 * (invalid UTF-8 replaced), and its answer. */
typedef struct rq {
    const serve_req_t *in;
    serve_resp_t *out;
    struct {
        const char *name;
        char *value;
    } own[24];
    size_t nown;
    FILE *f; /* The body being written (open_memstream). */
    int html; /* An HTML route: errors are pages. */
    unsigned slot; /* The searcher held, */
    int heavy;     /* for an expensive request. */
} rq_t;

/* ---- handler.c: the searchers' pool, the request's arguments and answer ---- */

/* Give back the searcher of SLOT, held for an expensive request when
 * HEAVY (an export keeps its own until it is sent). */
HANDLER_INTERNAL void release(unsigned slot, int heavy);

/* Argument NAME of R (its invalid UTF-8 repaired), or NULL. */
HANDLER_INTERNAL const char *arg(rq_t *r, const char *name);
/* Header NAME of R, or NULL. */
HANDLER_INTERNAL const char *header(rq_t *r, const char *name);
/* Open R's body for writing (R->f): 0, or -1 after answering 503. */
HANDLER_INTERNAL int body(rq_t *r);
/* End R's answer: STATUS, content TYPE, the body written to R->f. */
HANDLER_INTERNAL void done(rq_t *r, int status, const char *type);
/* Answer R with an error: STATUS, MESSAGE, a query's COLUMN (0: none),
 * the LIMIT a query went over and its VALUE (NULL: none); a page for an
 * HTML route, JSON otherwise. */
HANDLER_INTERNAL void fail(rq_t *r, int status, const char *message,
                           unsigned column, const char *limit,
                           unsigned long value);
/* The HTTP status of a failed call's RC. */
HANDLER_INTERNAL int http_status(bl_status_t rc);
/* The error answer of a failed search RC (RES: its results, may be NULL). */
HANDLER_INTERNAL void search_failed(rq_t *r, bl_status_t rc,
                                    const bl_results_t *res);
/* What a search cut short by its time says, for people, into BUF. */
HANDLER_INTERNAL void time_note(char *buf, size_t len);
/* The note of a page of RES (its time's and its shards'), in BUF, or
 * NULL when it has none. */
HANDLER_INTERNAL const char *page_note(char *buf, size_t len,
                                       const bl_results_t *res);
/* Argument NAME, which is A or B, into *IS_B: 0, or -1 after a message in
 * ERR. */
HANDLER_INTERNAL int two_ways(rq_t *r, const char *name, const char *a,
                              const char *b, int *is_b, char *err,
                              size_t errlen);
/* The search options of R's arguments into O: 0, or an HTTP status after a
 * message in ERR. */
HANDLER_INTERNAL int search_options(rq_t *r, bl_search_options_t *o,
                                    char *err, size_t errlen);
/* The query of R (and its filters into *FILTER, O->filter), malloc'ed;
 * *EMPTY when there is nothing to search for. */
HANDLER_INTERNAL char *query_of(rq_t *r, bl_search_options_t *o,
                                char **filter, int *empty);
/* Non-zero if R is an expensive request. */
HANDLER_INTERNAL int is_heavy(rq_t *r);
/* A's path, unless --show-paths: NULL. */
HANDLER_INTERNAL void hide_paths(bl_article_t *a);
/* Search Q on S into *RES; non-zero after answering R with the error. */
HANDLER_INTERNAL int searched(rq_t *r, bl_searcher_t *s, const char *q,
                              const bl_search_options_t *o,
                              bl_results_t **res);

/* ---- api.c: GET /api/v1/... ---- */
HANDLER_INTERNAL void api_search(rq_t *r, bl_searcher_t *s);
HANDLER_INTERNAL void api_export(rq_t *r, bl_searcher_t *s);
HANDLER_INTERNAL void api_article(rq_t *r, bl_searcher_t *s, const char *id);
HANDLER_INTERNAL void api_similar(rq_t *r, bl_searcher_t *s, const char *id);
HANDLER_INTERNAL void api_suggest(rq_t *r, bl_searcher_t *s);
HANDLER_INTERNAL void api_stats(rq_t *r, bl_searcher_t *s);

/* ---- pages.c: GET /, /article/ID, /feed ---- */
HANDLER_INTERNAL void html_search(rq_t *r, bl_searcher_t *s);
HANDLER_INTERNAL void html_article(rq_t *r, bl_searcher_t *s, const char *id);
HANDLER_INTERNAL void feed(rq_t *r, bl_searcher_t *s);

#endif
