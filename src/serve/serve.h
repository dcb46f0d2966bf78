/*
 * byline-serve's parts: the HTTP program (byline-serve.c), the requests
 * without HTTP (handler.c), the page (page.c) and its compiled-in assets
 * (assets.c).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_SERVE_H
#define BYLINE_SERVE_H

#include <stdio.h>

#include "byline/search.h"

/* What the server is told (byline-serve's options). */
typedef struct serve_config {
    const char *db;          /* The index. */
    unsigned searchers;      /* Requests searching at once. */
    unsigned heavy_slots;    /* Of which expensive ones, at most. */
    unsigned queue_ms;       /* A request waits this long for one. */
    size_t cache_bytes;      /* Each searcher's document cache. */
    bl_limits_t limits;      /* What one search may cost. */
    int show_paths;          /* Answers give the files' server paths. */
    int check_host;          /* Only Host names that are this server's: */
    const char *const *hosts; /* loopback ones and these NHOSTS. */
    size_t nhosts;
    unsigned export_max;     /* Rows an export may have (more: 422). */
    unsigned shard_timeout_ms; /* A remote shard's time to answer (0: the
                                library's). */
} serve_config_t;

/* What a request's get() is asked for: a query-string argument (decoded)
 * or a header. */
enum { SERVE_ARG, SERVE_HEADER };

/* One request, as HTTP brought it. */
typedef struct serve_req {
    const char *method;
    const char *url;         /* The path, decoded, without the query. */
    int has_body;            /* A non-zero Content-Length or a
                                Transfer-Encoding. */
    /* The value of argument or header NAME, or NULL. */
    const char *(*get)(void *ctx, int kind, const char *name);
    void *ctx;
    size_t target_bytes;     /* The path and its arguments, names and
                                values (0: not known). */
    size_t head_bytes;       /* The headers, names and values (0: not
                                known). */
} serve_req_t;

/* Its answer. */
typedef struct serve_resp {
    int status;
    const char *type;        /* Content-Type. */
    char *body;              /* malloc'ed, LEN bytes (or NULL). */
    size_t len;
    const char *allow;       /* For a 405: the Allow header. */
    unsigned retry_after;    /* Seconds for a Retry-After header, or 0. */
    const char *disposition; /* A Content-Disposition header, or NULL. */
    /* A body written as it goes (an export), instead of BODY: READ fills
     * BUF with up to MAX bytes and gives their number, 0 at the end, or
     * -1 on a failure (the answer is then cut off, not ended, so that the
     * client sees an incomplete transfer); DONE (always called once)
     * frees CLS.  NULL: BODY is the answer. */
    long (*read)(void *cls, char *buf, size_t max);
    void (*done)(void *cls);
    void *cls;
} serve_resp_t;

/* Set the server up as C says (its strings must outlive it): 0, or -1
 * when out of memory. */
int serve_start(const serve_config_t *c);

/* Free the searchers (no request may be under way). */
void serve_stop(void);

/* Answer IN into OUT (free with serve_resp_clear()): every request gets
 * an answer, an error one included (JSON on /api/ paths, a page
 * elsewhere).  Thread-safe. */
void serve_handle(const serve_req_t *in, serve_resp_t *out);

/* An error answer to IN (as serve_handle() gives them): STATUS, MESSAGE. */
void serve_fail(const serve_req_t *in, int status, const char *message,
                serve_resp_t *out);

/* Free OUT's body (and a streamed body's state, if it was never read to
 * its end: DONE is called). */
void serve_resp_clear(serve_resp_t *out);

extern const char SERVE_CSS[];
extern const char SERVE_JS[];

/* What one page request asks for (the URL holds the whole state; every
 * link of the page keeps it). */
typedef struct page_req {
    const char *q;          /* The query ("" for none). */
    /* The settings with words (bl_option_parse(): the page writes them
     * back with bl_option_word()); -1 for one not given. */
    bl_sort_t sort;         /* BL_SORT_RELEVANCE unless given. */
    int match;              /* 0 any, 1 all, or -1 (the default). */
    int expand;             /* BL_EXPAND_*, or -1. */
    int quotes;             /* 0 exact, 1 stem, or -1. */
    const char *from, *to;  /* The date window as given, or NULL. */
    const char *author, *source, *category; /* Filters, or NULL. */
    int show_dups;          /* duplicates=show. */
    unsigned limit;         /* Hits a page (10 unless given). */
    int passages;           /* As given (0..3), or -1. */
    unsigned offset;
    unsigned max_offset;    /* The last offset the server answers. */
    const char *note;       /* A word about the answer ("the search ran
                               out of time..."), or NULL. */
    unsigned long articles; /* The archive (for the home page): its size */
    const char *first, *last; /* and the span of its dates (or NULL). */
} page_req_t;

/* R with nothing asked yet: defaults only. */
void page_req_init(page_req_t *r);

/* Writers for each context of a page: element text, attribute values,
 * and a query-string argument.  Every article field reaches the page
 * through one of these. */
void html_text(FILE *f, const char *s, size_t len);
/* Element text of S cut to at most MAX characters (then "…"). */
void html_cut(FILE *f, const char *s, size_t max);
void html_str(FILE *f, const char *s);
void url_arg(FILE *f, const char *s);

/* Write the search page for R (results RES, NULL before a search; ERROR:
 * a message to show instead, a syntax error's naming its column;
 * TIMELINE: results with the year facet, or the day facet when R's dates
 * lie within one year). */
void page_search(FILE *f, const page_req_t *r, const bl_results_t *res,
                 const bl_results_t *timeline, const char *error);

/* The granularity of R's timeline: 'y' (years), 'm' (the months of one
 * year) or 'd' (the days of one month). */
int page_timeline_unit(const page_req_t *r);

/* Write an Atom feed (RFC 4287) of RES for R: SELF the feed's URL,
 * BASE "http://host" for links. */
void page_feed(FILE *f, const page_req_t *r, const bl_results_t *res,
               const char *base);

/* Write the page of article V, with LIKE (may be NULL): articles like it,
 * and R the search that led to it (its results are a link back). */
void page_article(FILE *f, const bl_article_view_t *v,
                  const bl_results_t *like, const page_req_t *r);

/* Write a page that says STATUS and MESSAGE. */
void page_error(FILE *f, int status, const char *message);

#endif
