/*
 * What the page's units share: page.c (the search page and its parts),
 * article_page.c (the article view) and feed.c (the Atom feed).  Every
 * article field is untrusted and goes out through these writers.  Not
 * used outside src/serve/.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_SERVE_PAGE_INTERNAL_H
#define BYLINE_SERVE_PAGE_INTERNAL_H

#include <stdio.h>

#include "serve.h"

#define PAGE_INTERNAL __attribute__((visibility("hidden")))

/* Longest a value from an article is shown in a list (characters). */
#define SHOW_CHARS 120

/* The search form, filled as R says. */
PAGE_INTERNAL void search_form(FILE *f, const page_req_t *r);

/* Element text from an article, isolated from the text around it for
 * bidirectional text, cut at MAX characters. */
PAGE_INTERNAL void field(FILE *f, const char *s, size_t max);

/* An article's author, date and source, escaped, joined by " · " (those
 * it has); non-zero if it wrote any. */
PAGE_INTERNAL int meta(FILE *f, const bl_article_t *a);

/* Text (LEN bytes) with the N spans HL marked (<mark>), escaped; a span is
 * never trusted to fit. */
PAGE_INTERNAL void marked(FILE *f, const char *text, size_t len,
                          const bl_span_t *hl, size_t n);

/* The link PATH?q=Q&... of the search R at OFFSET, with argument OVERRIDE
 * set to VALUE (NULL: none), escaped for an attribute. */
PAGE_INTERNAL void search_href(FILE *f, const page_req_t *r, const char *path,
                               const char *q, unsigned offset,
                               const char *override, const char *value);

/* The page's head up to <body>, titled TITLE; FEED (may be NULL): the
 * search whose feed it offers. */
PAGE_INTERNAL void head(FILE *f, const char *title, const page_req_t *feed);

/* The link of the article with id ID, keeping the search R. */
PAGE_INTERNAL void article_href(FILE *f, const page_req_t *r, const char *id);

#endif
