/*
 * byline-serve's parts: the HTTP program (byline-serve.c), the page
 * (page.c) and its compiled-in assets (assets.c).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_SERVE_H
#define BYLINE_SERVE_H

#include <stdio.h>

#include "byline/search.h"

extern const char SERVE_CSS[];
extern const char SERVE_JS[];

/* What one page request asks for (the URL holds the whole state). */
typedef struct page_req {
    const char *q;        /* The query ("" for none). */
    const char *sort;     /* "relevance", "date", "date-asc". */
    int show_dups;        /* duplicates=show. */
    unsigned offset;
} page_req_t;

/* Writers for each context of a page: element text, attribute values,
 * and a query-string argument.  Every article field reaches the page
 * through one of these. */
void html_text(FILE *f, const char *s, size_t len);
void html_str(FILE *f, const char *s);
void url_arg(FILE *f, const char *s);

/* Write the search page for R (results RES, NULL before a search; ERROR:
 * a message to show instead, a syntax error's naming its column). */
void page_search(FILE *f, const page_req_t *r, const bl_results_t *res,
                 const bl_results_t *timeline, const char *error);

/* Write the page of article V, with LIKE (may be NULL): articles like it,
 * and Q the query that led to it. */
void page_article(FILE *f, const bl_article_view_t *v,
                  const bl_results_t *like, const char *q);

/* Write a page that says STATUS and MESSAGE. */
void page_error(FILE *f, int status, const char *message);

#endif
