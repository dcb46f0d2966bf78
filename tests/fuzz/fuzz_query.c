/*
 * libFuzzer harness for the query language: whatever a user types, parsing
 * returns a tree or a syntax error pointing inside the query, and a tree
 * compiles into a Xapian query that runs on a small index.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "byline/index.h"
#include "byline/search.h"

static bl_analyzer_t *an;
static bl_searcher_t *searcher;

/* A small index to run the queries on, built once. */
static void setup(void)
{
    char dir[] = "/tmp/byline-fuzz-query-XXXXXX";
    char path[64];
    bl_indexer_t *ix = NULL;
    bl_analyzer_options_t ao = {"english", 0, 0, 0};
    static char *const titles[] = {
        "Harbor pilots strike", "Council passes budget",
        "Fishermen protest quotas", "Immigration talks stall"};
    if (bl_analyzer_new_with(&ao, &an) != BL_OK || !mkdtemp(dir))
        abort();
    snprintf(path, sizeof path, "%s/idx", dir);
    if (bl_indexer_open(path, NULL, &ix) != BL_OK)
        abort();
    for (size_t i = 0; i < 4; i++) {
        bl_article_t a;
        char id[8];
        char *cat = (char *)"news";
        memset(&a, 0, sizeof a);
        snprintf(id, sizeof id, "a%zu", i);
        a.id = id;
        a.title = (char *)titles[i];
        a.body = (char *)"The pilots said the strike was about fatigue, "
                         "not pay; the ministry said talks would resume.";
        a.author = (char *)"Marta Vance";
        a.date = (char *)"2018-07-04";
        a.source = (char *)"Coastal Wire";
        a.categories = &cat;
        a.ncategories = 1;
        if (bl_indexer_add(ix, NULL, &a) != BL_OK)
            abort();
    }
    if (bl_indexer_close(ix) != BL_OK ||
        bl_searcher_open(path, &searcher) != BL_OK)
        abort();
}

/* libFuzzer's entry point: one input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bl_query_t *q = NULL;
    size_t at = 0;
    if (!an)
        setup();
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    size_t len = strlen(text); /* Up to an embedded NUL. */
    bl_status_t rc = bl_query_parse(an, text, (unsigned)size & 15, &q, &at);
    if (rc == BL_OK) {
        char *d = bl_query_describe(q);
        if (!d)
            abort();
        free(d);
        bl_query_free(q);
        bl_search_options_t o;
        bl_results_t *r = NULL;
        bl_search_options_init(&o);
        o.match_all = size & 1;
        o.quotes_as_words = (size >> 3) & 1; /* (BL_QUERY_NOQUOTES) */
        o.stem_quotes = (size >> 4) & 1;
        rc = bl_search(searcher, text, &o, &r);
        if (rc != BL_OK && rc != BL_ENOMEM)
            abort(); /* It parsed: it must run. */
        bl_results_free(r);
    } else if (rc == BL_ESYNTAX) {
        if (q || at > len)
            abort();
    } else if (rc != BL_ENOMEM) {
        abort();
    }
    free(text);
    return 0;
}
