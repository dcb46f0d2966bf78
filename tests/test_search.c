/*
 * Tests of the search layer: ranking, matching, highlighting, passages.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "byline/eval.h"
#include "byline/index.h"
#include "byline/output.h"
#include "byline/search.h"
#include "search/doccache.h"
#include "search/query.h"
#include "search/tfcache.h"
#include "testutil.h"
#include "util/hash.h"
#include "xapian-c/xapian-c.h"

static char *const ARTICLES[][3] = {
    {"storm", "Storm batters the coast",
     "A winter storm brought high winds to the coast on Monday. Fishermen "
     "stayed in port."},
    {"budget", "City council passes budget",
     "The council approved the budget after a long debate. The mayor said "
     "the storm fund would grow."},
    {"fish", "Fishermen protest quotas",
     "Fishermen protested new fishing quotas outside the ministry. The "
     "protesters blocked the road for an hour."},
};

/* Author, date, source and category of each of ARTICLES. */
static char *const META[][4] = {
    {"Marta Vance", "2018-07-04", "Coastal Wire", "weather"},
    {"Lena Okafor", "2018-07-20", "City Desk", "politics"},
    {"Marta Vance", "2019-01-15", "Coastal Wire", "fishing"},
};

/* Build an index of ARTICLES in a new directory; returns the index path. */
static int setup_index(void **state)
{
    char *dir = tu_mkdtemp();
    char *path = tu_join(dir, "idx");
    bl_indexer_t *ix = NULL;
    if (bl_indexer_open(path, NULL, &ix) != BL_OK)
        return -1;
    for (size_t i = 0; i < sizeof ARTICLES / sizeof ARTICLES[0]; i++) {
        bl_article_t a;
        memset(&a, 0, sizeof a);
        a.id = (char *)ARTICLES[i][0];
        a.title = (char *)ARTICLES[i][1];
        a.body = (char *)ARTICLES[i][2];
        a.path = (char *)ARTICLES[i][0];
        a.author = (char *)META[i][0];
        a.date = (char *)META[i][1];
        a.source = (char *)META[i][2];
        char *cat = (char *)META[i][3];
        a.categories = &cat;
        a.ncategories = 1;
        if (bl_indexer_add(ix, NULL, &a) != BL_OK)
            return -1;
    }
    if (bl_indexer_close(ix) != BL_OK)
        return -1;
    free(dir);
    *state = path;
    return 0;
}

static int teardown_index(void **state)
{
    char *path = *state;
    char *slash = strrchr(path, '/');
    *slash = '\0';
    tu_rmrf(path);
    free(path);
    return 0;
}

static const char *hit_ids(bl_searcher_t *s, const char *query,
                           const bl_search_options_t *o);

/* The ids of the hits of QUERY, joined with ','. */
static const char *ids(bl_searcher_t *s, const char *query, int match_all)
{
    bl_search_options_t o;
    bl_search_options_init(&o);
    o.match_all = match_all;
    return hit_ids(s, query, &o);
}

static void test_ranking(void **state)
{
    bl_searcher_t *s = NULL;
    assert_int_equal(bl_searcher_open(*state, &s), BL_OK);
    assert_int_equal(bl_searcher_doccount(s), 3);
    /* The title match ranks first. */
    assert_string_equal(ids(s, "storm", 0), "storm,budget");
    /* Every form of a word: "protests" finds "protested", "protesters". */
    assert_string_equal(ids(s, "protests", 0), "fish");
    assert_string_equal(ids(s, "FISHERMEN", 0), "fish,storm");
    /* Any word by default, all with match_all. */
    assert_string_equal(ids(s, "storm council", 0), "budget,storm");
    assert_string_equal(ids(s, "storm council", 1), "budget");
    assert_string_equal(ids(s, "tornado", 0), "");
    bl_searcher_free(s);
}

static void test_hits(void **state)
{
    bl_searcher_t *s = NULL;
    bl_results_t *r = NULL;
    bl_search_options_t o;
    assert_int_equal(bl_searcher_open(*state, &s), BL_OK);
    bl_search_options_init(&o);
    assert_int_equal(bl_search(s, "storm coast", &o, &r), BL_OK);
    assert_int_equal(r->nhits, 2);
    assert_int_equal(r->matches_lower, 2);
    assert_int_equal(r->matches_upper, 2);
    bl_hit_t *h = &r->hits[0];
    assert_int_equal(h->rank, 1);
    assert_int_equal(r->hits[1].rank, 2);
    assert_true(h->score > r->hits[1].score);
    assert_string_equal(h->article.title, "Storm batters the coast");
    assert_null(h->article.body);
    /* Title highlights: "Storm" and "coast". */
    assert_int_equal(h->ntitle_hl, 2);
    assert_int_equal(h->title_hl[0].start, 0);
    assert_int_equal(h->title_hl[0].end, 5);
    assert_int_equal(h->title_hl[1].start, 18);
    assert_int_equal(h->title_hl[1].end, 23);
    assert_int_equal(h->npassages, 1);
    const bl_passage_t *p = &h->passages[0];
    assert_non_null(strstr(p->text, "winter storm"));
    assert_true(p->nhl >= 2);
    for (size_t k = 0; k < p->nhl; k++) {
        size_t l = p->hl[k].end - p->hl[k].start;
        const char *w = p->text + p->hl[k].start;
        assert_true((l == 5 && strncmp(w, "storm", 5) == 0) ||
                    (l == 5 && strncmp(w, "coast", 5) == 0));
    }
    bl_results_free(r);

    /* Paging. */
    o.offset = 1;
    o.limit = 1;
    assert_int_equal(bl_search(s, "storm coast", &o, &r), BL_OK);
    assert_int_equal(r->nhits, 1);
    assert_int_equal(r->hits[0].rank, 2);
    bl_results_free(r);

    /* Errors: a query with no words, bad options. */
    bl_search_options_init(&o);
    /* A query that cannot be read says where in its results. */
    assert_int_equal(bl_search(s, " ... !! ", &o, &r), BL_ESYNTAX);
    assert_non_null(r);
    assert_int_equal(r->nhits, 0);
    assert_int_equal(r->error_column, 1);
    bl_results_free(r);
    assert_int_equal(bl_search(s, "storm (coast", &o, &r), BL_ESYNTAX);
    assert_int_equal(r->error_at, 6);
    assert_int_equal(r->error_column, 7);
    assert_non_null(strstr(bl_last_error(), "column 7:"));
    bl_results_free(r);
    /* Columns count characters, not bytes: "é" is two bytes. */
    assert_int_equal(bl_search(s, "\xc3\xa9t\xc3\xa9 (coast", &o, &r),
                     BL_ESYNTAX);
    assert_int_equal(r->error_at, 6);
    assert_int_equal(r->error_column, 5);
    assert_non_null(strstr(bl_last_error(), "column 5:"));
    bl_results_free(r);
    o.b = 2;
    assert_int_equal(bl_search(s, "storm", &o, &r), BL_EARG);
    bl_searcher_free(s);
}

static void test_open_errors(void **state)
{
    bl_searcher_t *s = NULL;
    char *dir = tu_mkdtemp();
    char *missing = tu_join(dir, "missing");
    (void)state;
    assert_int_equal(bl_searcher_open(missing, &s), BL_ENOTFOUND);
    assert_null(s);
    assert_non_null(strstr(bl_last_error(), missing));
    /* An empty Xapian database is not a Byline index. */
    xc_db_t *db = NULL;
    assert_int_equal(xc_db_open_writable(missing, XC_DB_CREATE, 0, &db),
                     XC_OK);
    xc_db_free(db);
    assert_int_equal(bl_searcher_open(missing, &s), BL_ECORRUPT);
    assert_non_null(strstr(bl_last_error(), "not a Byline index"));
    tu_rmrf(dir);
    free(missing);
    free(dir);
}

/* Passages chosen from TEXT's recorded tokens are the NP passages PS that
 * bl_passages() chose from the text. */
static void same_when_recorded(bl_analyzer_t *a, const char *text,
                               const bl_qterm_t *qt, size_t n, unsigned max,
                               unsigned words, const bl_passage_t *ps,
                               size_t np)
{
    bl_tokens_t *tk = NULL;
    bl_passage_t rp[BL_MAX_PASSAGES];
    size_t nr = 0;
    assert_int_equal(bl_tokens_record(a, text, strlen(text), &tk), BL_OK);
    assert_true(bl_tokens_size(tk) > 0);
    assert_int_equal(bl_passages_recorded(tk, text, strlen(text), qt, n, max,
                                          words, rp, &nr),
                     BL_OK);
    assert_int_equal(nr, np);
    for (size_t i = 0; i < np; i++) {
        assert_string_equal(rp[i].text, ps[i].text);
        assert_int_equal(rp[i].offset, ps[i].offset);
        assert_int_equal(rp[i].cut_before, ps[i].cut_before);
        assert_int_equal(rp[i].cut_after, ps[i].cut_after);
        assert_int_equal(rp[i].nhl, ps[i].nhl);
        for (size_t k = 0; k < ps[i].nhl; k++) {
            assert_int_equal(rp[i].hl[k].start, ps[i].hl[k].start);
            assert_int_equal(rp[i].hl[k].end, ps[i].hl[k].end);
        }
        bl_passage_clear(&rp[i]);
    }
    bl_tokens_free(tk);
}

/* Passage cases: text, query stems, wanted passage texts joined by '|' with
 * highlights in [brackets]. */
static void render_passages(const char *text, const char *const *stems,
                            unsigned max, unsigned words, char *out)
{
    bl_analyzer_t *a = NULL;
    bl_qterm_t qt[8];
    memset(qt, 0, sizeof qt);
    size_t n = 0, np = 0;
    bl_passage_t ps[BL_MAX_PASSAGES];
    assert_int_equal(bl_analyzer_new("english", &a), BL_OK);
    for (; stems[n]; n++) {
        /* "K:stem" is a word of phrase K, in order. */
        const char *colon = strchr(stems[n], ':');
        qt[n].stem = colon ? colon + 1 : stems[n];
        qt[n].weight = 1.0 + (double)n; /* Later terms are rarer. */
        qt[n].phrase = colon ? (unsigned)atoi(stems[n]) : 0;
        qt[n].phrase_pos = 0;
        for (size_t k = 0; colon && k < n; k++)
            qt[n].phrase_pos += qt[k].phrase == qt[n].phrase;
    }
    assert_int_equal(bl_passages(a, text, strlen(text), qt, n, max, words,
                                 ps, &np),
                     BL_OK);
    same_when_recorded(a, text, qt, n, max, words, ps, np);
    out[0] = '\0';
    for (size_t i = 0; i < np; i++) {
        size_t at = 0;
        if (i)
            strcat(out, "|");
        if (ps[i].cut_before)
            strcat(out, "...");
        for (size_t k = 0; k < ps[i].nhl; k++) {
            strncat(out, ps[i].text + at, ps[i].hl[k].start - at);
            strcat(out, "[");
            strncat(out, ps[i].text + ps[i].hl[k].start,
                    ps[i].hl[k].end - ps[i].hl[k].start);
            strcat(out, "]");
            at = ps[i].hl[k].end;
        }
        strcat(out, ps[i].text + at);
        if (ps[i].cut_after)
            strcat(out, "...");
        assert_memory_equal(ps[i].text, text + ps[i].offset,
                            strlen(ps[i].text));
        for (size_t k = 0; k < ps[i].nhl; k++)
            assert_true(ps[i].hl[k].start < ps[i].hl[k].end &&
                        ps[i].hl[k].end <= strlen(ps[i].text));
        bl_passage_clear(&ps[i]);
    }
    bl_analyzer_free(a);
}

/* An index for feedback: three stories of a pilots' strike that all name
 * the tugboats, one story of the tugboat crews that names neither pilots
 * nor strike, a reprint of the first story, and 56 others of words of
 * their own (so that no story word is in more than 10% of the index). */
static int setup_feedback(void **state)
{
    static char *const STORY[][3] = {
        {"pilots-1", "Harbor pilots strike",
         "Harbor pilots began a strike on Monday and the tugboats stayed "
         "tied up at the breakwater while freighters waited offshore for "
         "the pilots to return, and the port authority said the tugboats "
         "could not move ships alone."},
        {"pilots-2", "Pilots strike enters second day",
         "The strike by harbor pilots entered a second day; tugboats and "
         "freighters idled at the breakwater."},
        {"pilots-3", "Port offers pilots a deal",
         "The port offered the striking pilots shorter shifts; tugboats "
         "would resume work at the breakwater once the strike ends."},
        {"tugs", "Tugboat crews idle at breakwater",
         "Tugboat crews idled at the breakwater with the freighters, "
         "waiting for work."},
        {"pilots-1-reprint", "Harbor pilots strike",
         "Harbor pilots began a strike on Monday and the tugboats stayed "
         "tied up at the breakwater while freighters waited offshore for "
         "the pilots to return, and the port authority said the tugboats "
         "could not move ships alone."},
    };
    char *dir = tu_mkdtemp();
    char *path = tu_join(dir, "idx");
    bl_indexer_t *ix = NULL;
    char id[32], title[64], body[256];
    if (bl_indexer_open(path, NULL, &ix) != BL_OK)
        return -1;
    for (size_t i = 0; i < 61; i++) {
        bl_article_t a;
        memset(&a, 0, sizeof a);
        if (i < 5) {
            a.id = (char *)STORY[i][0];
            a.title = (char *)STORY[i][1];
            a.body = (char *)STORY[i][2];
        } else {
            snprintf(id, sizeof id, "other-%zu", i);
            snprintf(title, sizeof title, "Notice %zu", i);
            snprintf(body, sizeof body, "Item%zu alpha%zu beta%zu gamma%zu",
                     i, i, i, i);
            a.id = id;
            a.title = title;
            a.body = body;
        }
        a.path = a.id;
        if (bl_indexer_add(ix, NULL, &a) != BL_OK)
            return -1;
    }
    if (bl_indexer_close(ix) != BL_OK)
        return -1;
    free(dir);
    *state = path;
    return 0;
}

/* The ids of the hits for QUERY with options O, joined with ','. */
static const char *hit_ids(bl_searcher_t *s, const char *query,
                           const bl_search_options_t *o)
{
    static char out[512];
    bl_results_t *r = NULL;
    assert_int_equal(bl_search(s, query, o, &r), BL_OK);
    out[0] = '\0';
    for (size_t i = 0; i < r->nhits; i++) {
        if (i)
            strcat(out, ",");
        strcat(out, r->hits[i].article.id);
    }
    bl_results_free(r);
    return out;
}

static void test_expand(void **state)
{
    bl_searcher_t *s = NULL;
    bl_search_options_t o;
    assert_int_equal(bl_searcher_open(*state, &s), BL_OK);
    bl_search_options_init(&o);
    o.show_duplicates = 1;
    /* Without feedback the tugboat story is not found: it has neither
     * word. */
    char *plain = strdup(hit_ids(s, "pilots strike", &o));
    assert_null(strstr(plain, "tugs"));
    assert_non_null(strstr(plain, "pilots-1"));
    /* RM3: the feedback articles all name the tugboats and the
     * breakwater, so the expanded query finds the tugboat story too,
     * below the stories of the strike. */
    for (int m = BL_EXPAND_RM3; m <= BL_EXPAND_BO1; m++) {
        o.expand = m;
        const char *e = hit_ids(s, "pilots strike", &o);
        assert_non_null(strstr(e, "tugs"));
        assert_true(strstr(e, "pilots-2") < strstr(e, "tugs"));
        assert_true(strstr(e, "pilots-3") < strstr(e, "tugs"));
        /* A query that is not plain words keeps its matches: only
         * their order may change. */
        const char *req = hit_ids(s, "+pilots strike", &o);
        assert_null(strstr(req, "tugs"));
        assert_int_equal(strlen(req), strlen(plain));
        /* Nothing matched: nothing to expand from. */
        assert_string_equal(hit_ids(s, "tornado", &o), "");
    }
    /* Weighed by their spread, the terms every feedback article shares
     * (tugboats, breakwater) still find the tugboat story; so they do
     * from the best-scoring feedback articles only. */
    o.expand = BL_EXPAND_RM3;
    o.fb_spread = 1;
    assert_non_null(strstr(hit_ids(s, "pilots strike", &o), "tugs"));
    o.fb_spread = 0;
    o.fb_min_ratio = 0.9;
    for (int m = BL_EXPAND_RM3; m <= BL_EXPAND_BO1; m++) {
        o.expand = m;
        assert_non_null(strstr(hit_ids(s, "pilots strike", &o), "tugs"));
    }
    /* Bad settings are refused. */
    bl_results_t *r = NULL;
    o.fb_min_ratio = 1.5;
    assert_int_equal(bl_search(s, "pilots", &o, &r), BL_EARG);
    o.fb_min_ratio = 0;
    o.fb_spread = -1;
    assert_int_equal(bl_search(s, "pilots", &o, &r), BL_EARG);
    o.fb_spread = 0;
    o.fb_docs = 0;
    assert_int_equal(bl_search(s, "pilots", &o, &r), BL_EARG);
    assert_null(r);
    free(plain);
    bl_searcher_free(s);
}

/* Feedback articles that tie across the cut are taken in the order a run
 * gives ties (ids descending), whatever order the index gave them: the
 * expanded query is the same for an index written in either order. */
static void test_expand_ties(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    for (int reverse = 0; reverse < 2; reverse++) {
        char *path = tu_join(dir, reverse ? "b" : "a");
        bl_indexer_t *ix = NULL;
        assert_int_equal(bl_indexer_open(path, NULL, &ix), BL_OK);
        char id[32], body[64];
        for (int k = 0; k < 34; k++) {
            int i = reverse ? 33 - k : k;
            bl_article_t a;
            memset(&a, 0, sizeof a);
            a.title = (char *)"Notice";
            a.id = id;
            a.body = body;
            /* Two articles that tie for "harbor", each with a word of
             * its own, and an article of each of those words. */
            if (i == 0) {
                snprintf(id, sizeof id, "tie-a");
                snprintf(body, sizeof body, "harbor yankee");
            } else if (i == 1) {
                snprintf(id, sizeof id, "tie-b");
                snprintf(body, sizeof body, "harbor zulu");
            } else if (i == 2) {
                snprintf(id, sizeof id, "yankee");
                snprintf(body, sizeof body, "yankee story");
            } else if (i == 3) {
                snprintf(id, sizeof id, "zulu");
                snprintf(body, sizeof body, "zulu story");
            } else {
                snprintf(id, sizeof id, "other-%d", i);
                snprintf(body, sizeof body, "filler%d item%d", i, i);
            }
            assert_int_equal(bl_indexer_add(ix, NULL, &a), BL_OK);
        }
        assert_int_equal(bl_indexer_close(ix), BL_OK);
        bl_searcher_t *s = NULL;
        assert_int_equal(bl_searcher_open(path, &s), BL_OK);
        bl_search_options_t o;
        bl_search_options_init(&o);
        o.expand = BL_EXPAND_RM3;
        o.fb_docs = 1;
        const char *got = hit_ids(s, "harbor", &o);
        if (!strstr(got, "zulu") || strstr(got, "yankee"))
            fail_msg("index %d: %s", reverse, got);
        bl_searcher_free(s);
        free(path);
    }
    tu_rmrf(dir);
    free(dir);
}

static void test_like(void **state)
{
    bl_searcher_t *s = NULL;
    bl_search_options_t o;
    assert_int_equal(bl_searcher_open(*state, &s), BL_OK);
    bl_search_options_init(&o);
    o.show_duplicates = 1;
    o.like = "pilots-1";
    /* The other stories of the strike first, then the tugboats; never
     * the article itself nor its reprint; the query text is ignored. */
    const char *like = hit_ids(s, NULL, &o);
    assert_string_equal(like, "pilots-2,pilots-3,tugs");
    assert_string_equal(hit_ids(s, "ignored words", &o), like);
    /* An unknown id is "not found". */
    bl_results_t *r = NULL;
    o.like = "no-such-article";
    assert_int_equal(bl_search(s, NULL, &o, &r), BL_ENOTFOUND);
    assert_null(r);
    /* A notice is like the other notices (the word they share), never
     * like itself. */
    o.like = "other-7";
    like = hit_ids(s, NULL, &o);
    assert_non_null(strstr(like, "other-8"));
    assert_null(strstr(like, "pilots"));
    assert_null(strstr(like, "other-7,"));
    assert_true(strlen(like) < 7 || strcmp(like + strlen(like) - 7,
                                           "other-7") != 0);
    bl_searcher_free(s);
}

/* Plain words: no operators, phrases or fields; repeated words count more;
 * stopwords go when others remain. */
static void test_parse_plain(void **state)
{
    static const struct {
        const char *text;
        unsigned flags;
        const char *want;
    } CASES[] = {
        {"harbor AND \"pilots\" title:strike", 0,
         "(Zharbor OR Zand OR Zpilot OR Ztitl OR Zstrike)"},
        {"the harbor of the pilots", BL_QUERY_STOP, "(Zharbor OR Zpilot)"},
        {"pilots pilot", 0, "Zpilot#2"},
        {"strike workers", BL_QUERY_ALL, "(Zstrike AND Zworker)"},
    };
    bl_analyzer_t *an = NULL;
    bl_analyzer_options_t ao = {"english", 0, 0, 0};
    (void)state;
    assert_int_equal(bl_analyzer_new_with(&ao, &an), BL_OK);
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        bl_query_t *q = NULL;
        assert_int_equal(bl_query_parse_plain(an, CASES[i].text,
                                              CASES[i].flags, &q),
                         BL_OK);
        char *d = bl_query_describe(q);
        if (strcmp(d, CASES[i].want) != 0)
            fail_msg("%s: got %s, want %s", CASES[i].text, d, CASES[i].want);
        free(d);
        bl_query_free(q);
    }
    bl_query_t *q = NULL;
    assert_int_equal(bl_query_parse_plain(an, "(( ))", 0, &q), BL_ESYNTAX);
    assert_null(q);
    bl_analyzer_free(an);
}

/* Non-ASCII field values fold as words do: category:économie finds
 * "Économie", source:ZÜRICH finds "Zürich", and date-asc sorts oldest
 * first. */
static void test_fields_fold_and_sort(void **state)
{
    char *dir = tu_mkdtemp();
    char *path = tu_join(dir, "idx");
    bl_indexer_t *ix = NULL;
    (void)state;
    assert_int_equal(bl_indexer_open(path, NULL, &ix), BL_OK);
    static char *const D[][4] = {
        {"e1", "Économie", "Zürich Post", "2019-05-01"},
        {"e2", "Sport", "Berlin Daily", "2017-01-09"},
        {"e3", "ÉCONOMIE", "Zürich Post", "2021-02-03"},
    };
    for (size_t i = 0; i < 3; i++) {
        bl_article_t a;
        memset(&a, 0, sizeof a);
        char *cat = (char *)D[i][1];
        a.id = (char *)D[i][0];
        a.title = (char *)"Markets report";
        a.body = (char *)"The markets rose on Monday.";
        a.source = (char *)D[i][2];
        a.date = (char *)D[i][3];
        a.categories = &cat;
        a.ncategories = 1;
        assert_int_equal(bl_indexer_add(ix, NULL, &a), BL_OK);
    }
    assert_int_equal(bl_indexer_close(ix), BL_OK);
    bl_searcher_t *s = NULL;
    assert_int_equal(bl_searcher_open(path, &s), BL_OK);
    bl_search_options_t o;
    bl_search_options_init(&o);
    assert_string_equal(hit_ids(s, "markets category:économie", &o),
                        "e3,e1");
    assert_string_equal(hit_ids(s, "category:ÉCONOMIE", &o), "e3,e1");
    assert_string_equal(hit_ids(s, "source:\"ZÜRICH POST\"", &o), "e3,e1");
    o.sort = BL_SORT_DATE_ASC;
    assert_string_equal(hit_ids(s, "markets", &o), "e2,e1,e3");
    o.sort = BL_SORT_DATE;
    assert_string_equal(hit_ids(s, "markets", &o), "e3,e1,e2");
    bl_searcher_free(s);
    tu_rmrf(dir);
    free(dir);
    free(path);
}

/* A memory stream that a writer of output.h writes to. */
typedef struct mem {
    char *buf;
    size_t len;
    FILE *f;
} mem_t;

/* Open M's stream (aborts the test on failure). */
static FILE *mem_open(mem_t *m)
{
    m->buf = NULL;
    m->len = 0;
    m->f = open_memstream(&m->buf, &m->len);
    assert_non_null(m->f);
    return m->f;
}

/* Close M's stream: the whole of what was written, NUL-terminated (the
 * caller frees M->buf). */
static const char *mem_text(mem_t *m)
{
    assert_int_equal(fclose(m->f), 0);
    return m->buf;
}

/* Every output form escapes what it must: JSON strings (also safe in
 * HTML), TREC fields (whitespace as %XX), CSV fields, and the text form
 * writes the text as it is with its marks; each output checked whole.
 * Each writer says when its stream fails. */
static void test_output_escaping(void **state)
{
    (void)state;
    bl_hit_t h;
    bl_results_t r;
    memset(&h, 0, sizeof h);
    memset(&r, 0, sizeof r);
    h.rank = 1;
    h.score = 2.0;
    h.article.id = tu_lend("id\t1");
    h.article.title = tu_lend("<b>Harbor</b>");
    bl_span_t hl = {3, 9};
    h.title_hl = &hl;
    h.ntitle_hl = 1;
    r.hits = &h;
    r.nhits = 1;
    r.matches_lower = r.matches_upper = r.matches_estimated = 1;
    bl_marks_t m = {"[", "]"};
    mem_t o;
    assert_int_equal(bl_json_string(mem_open(&o), "a\"b\\c\n<script>&\x01"
                                                  "\xe2\x80\xa8\xff"),
                     0);
    assert_string_equal(mem_text(&o), "\"a\\\"b\\\\c\\n\\u003cscript\\u003e"
                                      "\\u0026\\u0001\\u2028\\ufffd\"");
    free(o.buf);
    assert_int_equal(bl_json_string(mem_open(&o), NULL), 0);
    assert_string_equal(mem_text(&o), "null");
    free(o.buf);
    assert_int_equal(bl_trec_line(mem_open(&o), "q 1", "my story.txt", 3,
                                  1.5, "run%1"),
                     0);
    assert_string_equal(mem_text(&o), "q%201 Q0 my%20story.txt 3 1.5 run%251\n");
    free(o.buf);
    assert_int_equal(bl_output_text(mem_open(&o), &r, "harbor", &m, &m), 0);
    assert_string_equal(mem_text(&o), "1 result for \"harbor\"\n"
                                      "\n"
                                      "1. <b>[Harbor]</b>  [2.000]\n"
                                      "   id\t1\n");
    free(o.buf);
    assert_int_equal(bl_output_json(mem_open(&o), &r, "q\"1"), 0);
    assert_string_equal(mem_text(&o),
                        "{\"qid\":\"q\\\"1\",\"id\":\"id\\t1\",\"rank\":1,"
                        "\"score\":2.000000,"
                        "\"title\":\"\\u003cb\\u003eHarbor\\u003c/b\\u003e\","
                        "\"title_highlights\":[[3,9]],\"author\":null,"
                        "\"date\":null,\"path\":null,\"source\":null,"
                        "\"url\":null,\"duplicates\":0,\"matches\":1,"
                        "\"matches_exact\":true,\"passages\":[]}\n");
    free(o.buf);
    assert_int_equal(bl_output_trec(mem_open(&o), &r, "7", "t"), 0);
    assert_string_equal(mem_text(&o), "7 Q0 id%091 1 2 t\n");
    free(o.buf);
    assert_int_equal(bl_output_csv(mem_open(&o), &r, 1), 0);
    assert_string_equal(mem_text(&o),
                        "id,title,author,date,source,url,categories,score\r\n"
                        "id\t1,<b>Harbor</b>,,,,,,2.000000\r\n");
    free(o.buf);
    /* A field with a comma, a quote, a line break; one a spreadsheet
     * would take for a formula. */
    bl_hit_t c;
    memset(&c, 0, sizeof c);
    c.score = 1.5;
    c.article.id = tu_lend("a,b");
    c.article.title = tu_lend("=HYPERLINK(\"x\")");
    c.article.author = tu_lend("line\nbreak");
    assert_int_equal(bl_csv_hit(mem_open(&o), &c), 0);
    assert_string_equal(mem_text(&o), "\"a,b\",\"'=HYPERLINK(\"\"x\"\")\","
                                      "\"line\nbreak\",,,,,1.500000\r\n");
    free(o.buf);

    /* A stream that fails (a full disk, unbuffered: each write fails):
     * every writer says so. */
    FILE *full = fopen("/dev/full", "w");
    assert_non_null(full);
    setvbuf(full, NULL, _IONBF, 0);
    assert_int_equal(bl_json_string(full, "a"), -1);
    clearerr(full);
    assert_int_equal(bl_trec_line(full, "q", "d", 1, 1.0, "t"), -1);
    clearerr(full);
    assert_int_equal(bl_output_text(full, &r, "harbor", &m, &m), -1);
    clearerr(full);
    assert_int_equal(bl_output_json(full, &r, "q"), -1);
    clearerr(full);
    assert_int_equal(bl_output_trec(full, &r, "7", "t"), -1);
    clearerr(full);
    assert_int_equal(bl_output_csv(full, &r, 1), -1);
    clearerr(full);
    assert_int_equal(bl_json_article(full, &h.article), -1);
    fclose(full);
}

/* An iterator that fails ends its list with the error, not with a short
 * list taken for the whole (a wildcard's expansion over a revision that
 * a writer has moved away from: it used to give the terms read so far). */
static void test_iterator_errors(void **state)
{
    char *dir = tu_mkdtemp();
    char *path = tu_join(dir, "db");
    xc_db_t *w = NULL, *r = NULL;
    char t[64];
    (void)state;
    assert_int_equal(xc_db_open_writable(path, XC_DB_CREATE_OR_OVERWRITE, 0,
                                         &w),
                     XC_OK);
    for (int k = 0; k < 10; k++) {
        if (k == 1)
            assert_int_equal(xc_db_open(path, &r), XC_OK);
        for (int i = 0; i < 3000; i++) {
            xc_doc_t *d = NULL;
            assert_int_equal(xc_doc_new(&d), XC_OK);
            snprintf(t, sizeof t, "Zharb%d-%d", k, i);
            assert_int_equal(xc_doc_add_term(d, t, strlen(t), 1), XC_OK);
            assert_int_equal(xc_db_add_document(w, d, NULL), XC_OK);
            xc_doc_free(d);
        }
        assert_int_equal(xc_db_commit(w), XC_OK);
    }
    bl_analyzer_t *an = NULL;
    bl_query_t *q = NULL;
    xc_query_t *xq = NULL;
    bl_qterm_t *qt = NULL;
    size_t n = 0;
    assert_int_equal(bl_analyzer_new("english", &an), BL_OK);
    assert_int_equal(bl_query_parse(an, "harb*", 0, &q, NULL), BL_OK);
    /* R is nine revisions behind: its blocks are gone. */
    qcaps_t caps = {200, 0, 0, 0};
    assert_int_equal(bl_query_compile(q, r, &caps, &xq, &qt, &n),
                     BL_EMODIFIED);
    bl_qterms_free(qt, n);
    xc_query_free(xq);
    bl_query_free(q);
    bl_analyzer_free(an);
    xc_db_free(r);
    xc_db_free(w);
    tu_rmrf(dir);
    free(dir);
    free(path);
}

static void test_passages(void **state)
{
    static const char *const S_STORM[] = {"storm", NULL};
    static const char *const S_PORT_FISH[] = {"port", "fishermen", NULL};
    static const char *const S_NONE[] = {"zebra", NULL};
    static const char *const S_ADDR[] = {"master@port.example", NULL};
    static const char *const S_PHRASE[] = {"1:harbor", "1:pilot", NULL};
    static const char *const S_PHRASE_WORD[] = {"1:harbor", "1:pilot",
                                                "pilot", NULL};
    static const struct {
        const char *text;
        const char *const *stems;
        unsigned max, words;
        const char *want;
    } cases[] = {
        /* A short text is one passage, all of it. */
        {"The storm hit.", S_STORM, 1, 30, "The [storm] hit."},
        /* Every form of the stem is marked. */
        {"Storms and storming.", S_STORM, 1, 30,
         "[Storms] and [storming]."},
        /* The window starts at the sentence holding the match. */
        {"One two three. Four five six. The storm came late. Seven eight.",
         S_STORM, 1, 6, "...The [storm] came late. Seven eight."},
        /* The window covering both terms wins over a repeat of one. */
        {"Port port port news. Later: fishermen left the port at dawn.",
         S_PORT_FISH, 1, 5, "...Later: [fishermen] left the [port]..."},
        /* Several passages, in text order, not overlapping. */
        {"A storm. B c d e f g h. Then storm again. X y z w v u t s.",
         S_STORM, 2, 3, "A [storm]. B...|...Then [storm] again...."},
        /* No match: the start of the text. */
        {"Nothing here matches at all, not even once.", S_NONE, 2, 4,
         "Nothing here matches at..."},
        /* Multi-byte characters are never cut. */
        {"\xe2\x80\x9cStorm\xe2\x80\x9d warning \xc3\xa9t\xc3\xa9",
         S_STORM, 1, 2, "\xe2\x80\x9c[Storm]\xe2\x80\x9d warning..."},
        {"", S_STORM, 1, 30, ""},
        /* A phrase is marked as a whole, and only where it stands. */
        {"Harbor pilots met. The pilots of the harbor left.", S_PHRASE, 1,
         30, "[Harbor pilots] met. The pilots of the harbor left."},
        /* A word also asked for on its own is marked everywhere. */
        {"Harbor pilots met. The pilots of the harbor left.", S_PHRASE_WORD,
         1, 30, "[Harbor pilots] met. The [pilots] of the harbor left."},
        /* The phrase twice, with a word between that is not in it. */
        {"harbor pilots and harbor, pilots", S_PHRASE, 1, 30,
         "[harbor pilots] and [harbor, pilots]"},
        /* An address is a token before its words: the passage takes it
         * whole, even when the window ends inside it (its highlight went
         * past the passage's end; found by fuzz_passages). */
        {"Pilots wrote to master@port.example about it.", S_ADDR, 1, 3,
         "...[master@port.example]..."},
    };
    char out[1024];
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        render_passages(cases[i].text, cases[i].stems, cases[i].max,
                        cases[i].words, out);
        if (strcmp(out, cases[i].want) != 0)
            fail_msg("case %zu:\n got  %s\n want %s", i, out, cases[i].want);
    }
}

/* Parsing: each query with its canonical form (and MATCH_ALL). */
static const struct {
    const char *query;
    int all;
    const char *want;
} PARSES[] = {
    {"strike workers", 0, "(Zstrike OR Zworker)"},
    {"strike workers", 1, "(Zstrike AND Zworker)"},
    {"Workers' STRIKE", 0, "(Zworker OR Zstrike)"},
    {"+strike -football", 0, "(Zstrike AND_NOT Zfootbal)"},
    {"+strike pay -football -rugby", 0,
     "((Zstrike AND_MAYBE Zpay) AND_NOT (Zfootbal OR Zrugbi))"},
    {"a AND b", 0, "(Za AND Zb)"},
    {"and or not", 0, "(Zand OR Zor OR Znot)"}, /* Lower case: words. */
    {"pilots OR dockers AND strike", 0,
     "(Zpilot OR (Zdocker AND Zstrike))"},
    {"(pilots OR dockers) AND strike", 0,
     "((Zpilot OR Zdocker) AND Zstrike)"},
    {"strike NOT football", 0, "(Zstrike AND_NOT Zfootbal)"},
    {"a NOT b NOT c", 0, "(Za AND_NOT Zb AND_NOT Zc)"},
    /* As Lucene and Xapian's own parser take them. */
    {"bank AND NOT japan", 0, "(Zbank AND_NOT Zjapan)"},
    {"bank && ! japan", 0, "(Zbank AND_NOT Zjapan)"},
    {"bank && japan || yen", 0, "((Zbank AND Zjapan) OR Zyen)"},
    {"bank ! japan", 0, "(Zbank AND_NOT Zjapan)"},
    {"bank !japan", 0, "(Zbank AND_NOT Zjapan)"},
    {"bank && !japan", 0, "(Zbank AND_NOT Zjapan)"},
    {"bank AND !japan", 0, "(Zbank AND_NOT Zjapan)"},
    {"a AND NOT b AND c", 0, "((Za AND_NOT Zb) AND Zc)"},
    /* Inside quotes, \" is a quote and \\ a backslash. */
    {"category:\"say \\\"cheese\\\" (now)\"", 0,
     "(ALL FILTER =Ksay \"cheese\" (now))"},
    {"category:\"back\\\\slash\"", 0, "(ALL FILTER =Kback\\slash)"},
    {"date:2016-02-29", 0, "(ALL FILTER =D20160229)"},
    /* BL_QUERY_EXACT (4): quoted words as written, unquoted ones stems. */
    {"\"Organ\" organs", 4, "(Eorgan OR Zorgan)"},
    {"\"harbor pilots\"", 4,
     "((Zharbor PHRASE/2 Zpilot) FILTER (=Eharbor AND =Epilots))"},
    {"title:\"Pilots\"", 4, "(Epilots AND ZSpilot)"},
    {"\"harbor pilots strike\"", 0,
     "(Zharbor PHRASE/3 Zpilot PHRASE/3 Zstrike)"},
    {"\"strike\"", 0, "Zstrike"},
    {"pilots NEAR strike", 0, "(Zpilot NEAR/10 Zstrike)"},
    {"pilots NEAR/3 strike NEAR dock", 0,
     "(Zpilot NEAR/10 Zstrike NEAR/10 Zdock)"},
    {"immig*", 0, "Zimmig*"},
    {"happy*", 0, "Zhapp*"},
    {"title:strike", 0, "ZSstrike"},
    {"TITLE:Strike", 0, "ZSstrike"},
    {"title:\"pilot strike\"", 0,
     "((Zpilot PHRASE/2 Zstrike) AND ZSpilot AND ZSstrike)"},
    {"title:immig*", 0, "ZSimmig*"},
    {"author:vance", 0, "(ALL FILTER =XAvance)"},
    {"author:\"Marta Vance\" storm", 0,
     "(Zstorm FILTER (=XAmarta AND =XAvance))"},
    {"source:Reuters", 0, "(ALL FILTER =XSreuters)"},
    {"source:\"Coastal Wire\"", 0, "(ALL FILTER =XScoastal wire)"},
    {"category:cocoa category:sugar", 0, "(ALL FILTER (=Kcocoa OR =Ksugar))"},
    {"date:2018-07-04", 0, "(ALL FILTER =D20180704)"},
    {"date:2018-07", 0, "(ALL FILTER =M201807)"},
    {"date:2018", 0, "(ALL FILTER =Y2018)"},
    {"year:2018", 0, "(ALL FILTER =Y2018)"},
    {"date:2018-07-01..2018-07-31", 0,
     "(ALL FILTER DATE(20180701..20180731))"},
    {"date:..2018", 0, "(ALL FILTER DATE(0..20181231))"},
    {"date:2018-07..", 0, "(ALL FILTER DATE(20180701..99999999))"},
    {"year:2016..2018", 0, "(ALL FILTER DATE(20160101..20181231))"},
    {"strike date:2018 author:vance -football", 0,
     "((Zstrike FILTER (=XAvance AND =Y2018)) AND_NOT Zfootbal)"},
    /* A hyphenated compound is its parts, not a phrase or joined form. */
    {"right-wing", 0, "(Zright OR Zwing)"},
    {"Computer-aided crime", 0, "(Zcomput OR Zaid OR Zcrime)"},
    {"right-wing", BL_QUERY_ALL, "(Zright AND Zwing)"},
    {"\"right-wing\"", 0, "(Zright PHRASE/2 Zwing)"},
    {"10:30 meeting", 0, "((Z10 PHRASE/2 Z30) OR Zmeet)"},
    {"http://example.com/a", 0, NULL}, /* A URL: parses; see below. */
    /* Not a wildcard: the words either side of the '*'. */
    {"strike*more", 0, "(Zstrike PHRASE/2 Zmore)"},
    {"- strike", 0, "Zstrike"},
    {"((((strike))))", 0, "Zstrike"},
    {"x (a NEAR b) NEAR c", 0, "(Zx OR (Za NEAR/10 Zb NEAR/10 Zc))"},
    /* Repeated words count more; stopwords go when others remain. */
    {"computer computers", 0, "Zcomput#2"},
    {"the harbor of the pilots", 2, "(Zharbor OR Zpilot)"},
    {"the harbor of the pilots", 0,
     "(Zthe#2 OR Zharbor OR Zof OR Zpilot)"},
    {"the who", 2, "(Zthe OR Zwho)"},
    {"+the harbor", 2, "(Zthe AND_MAYBE Zharbor)"},
    {"\"bank of england\" the", 2,
     "(Zbank PHRASE/3 Zof PHRASE/3 Zengland)"},
    {"the harbor pilots", 3, "(Zharbor AND Zpilot)"},
    /* BL_QUERY_NOQUOTES (8): quotes are punctuation, as in a topic. */
    {"Influence of the \"Pro-Israel Lobby\"", 8 | 2,
     "(Zinfluenc OR (Zpro OR Zisrael) OR Zlobbi)"},
    {"\"harbor pilots\" strike", 8 | 4, "(Zharbor OR Zpilot OR Zstrike)"},
    {"title:\"pilot strike\" x", 8, "(ZSpilot OR Zstrike OR Zx)"},
    {"\"unclosed phrase", 8, "(Zunclos OR Zphrase)"},
    {"a\"b\"c", 8, "(Za OR Zb OR Zc)"},
    {"\"\"\" harbor \"", 8, "Zharbor"},
    {"-\"harbor pilots\" strike", 8, "((Zpilot OR Zstrike) AND_NOT Zharbor)"},
};

/* Syntax errors: the query and the column (1-based) of the problem. */
static const struct {
    const char *query;
    size_t column;
    const char *says;
} ERRORS[] = {
    {"\"unclosed phrase", 1, "quote is not closed"},
    {"strike (pilots", 8, "parenthesis is not closed"},
    {"strike)", 7, "')' without a '('"},
    {"AND strike", 1, "operator needs a word before it"},
    {"strike AND", 11, "ends where a word was expected"},
    {"strike OR OR pay", 11, "operator where a word"},
    {"a NEAR \"b c\"", 3, "NEAR joins single words"},
    {"a NEAR/0 b", 3, "NEAR/N"},
    {"a NEAR/x b", 3, "NEAR/N"},
    {"date:2018-13", 1, "a date is"},
    {"date:2018-02-29", 1, "a day that exists"},
    {"date:2100-02-29", 1, "a day that exists"},
    {"x date:2018-04-31..2018-05-01", 3, "a day that exists"},
    {"date:2018-1x", 1, "a date is"},
    {"date:+018-01-01", 1, "a date is"},
    {"bank AND NOT", 13, "ends where a word was expected"},
    {"date:yesterday", 1, "a date is"},
    {"date:2019..2018", 1, "ends before it starts"},
    {"year:2018-07", 1, "a year is"},
    {"title:", 1, "needs a value"},
    {"-only -these", 1, "excluded words only"},
    {"+-strike", 2, "go before a word"},
    {"*", 1, "no words"},
    {"\"\"", 1, "no words"},
    {"...", 1, "no words"},
};

static void test_query_parse(void **state)
{
    bl_analyzer_t *an = NULL;
    bl_analyzer_options_t ao = {"english", 0, 0, 0};
    (void)state;
    assert_int_equal(bl_analyzer_new_with(&ao, &an), BL_OK);
    for (size_t i = 0; i < sizeof PARSES / sizeof PARSES[0]; i++) {
        bl_query_t *q = NULL;
        bl_status_t rc = bl_query_parse(an, PARSES[i].query, PARSES[i].all,
                                        &q, NULL);
        if (!PARSES[i].want) {
            /* (Checked on its own below; it must parse.) */
            if (rc != BL_OK)
                fail_msg("%s: %s", PARSES[i].query, bl_last_error());
            bl_query_free(q);
            continue;
        }
        if (rc != BL_OK)
            fail_msg("%s: %s", PARSES[i].query, bl_last_error());
        char *d = bl_query_describe(q);
        if (strcmp(d, PARSES[i].want) != 0)
            fail_msg("%s: got %s, want %s", PARSES[i].query, d,
                     PARSES[i].want);
        free(d);
        bl_query_free(q);
    }
    for (size_t i = 0; i < sizeof ERRORS / sizeof ERRORS[0]; i++) {
        bl_query_t *q = NULL;
        size_t at = 99;
        bl_status_t rc = bl_query_parse(an, ERRORS[i].query, 0, &q, &at);
        if (rc != BL_ESYNTAX)
            fail_msg("%s: no syntax error", ERRORS[i].query);
        assert_null(q);
        if (!strstr(bl_last_error(), ERRORS[i].says))
            fail_msg("%s: says '%s'", ERRORS[i].query, bl_last_error());
        if (strcmp(ERRORS[i].says, "no words") != 0 &&
            at + 1 != ERRORS[i].column)
            fail_msg("%s: column %zu, want %zu", ERRORS[i].query, at + 1,
                     ERRORS[i].column);
    }
    /* A URL is searched as the words it holds. */
    bl_query_t *q = NULL;
    assert_int_equal(bl_query_parse(an, "http://example.com/a", 0, &q, NULL),
                     BL_OK);
    char *d = bl_query_describe(q);
    assert_non_null(strstr(d, "Zexampl"));
    free(d);
    bl_query_free(q);
    bl_analyzer_free(an);
}

static void test_query_search(void **state)
{
    bl_searcher_t *s = NULL;
    assert_int_equal(bl_searcher_open(*state, &s), BL_OK);
    assert_string_equal(ids(s, "\"winter storm\"", 0), "storm");
    assert_string_equal(ids(s, "\"storm winter\"", 0), "");
    assert_string_equal(ids(s, "storm -council", 0), "storm");
    assert_string_equal(ids(s, "storm NOT council", 0), "storm");
    assert_string_equal(ids(s, "+fishermen storm", 0), "storm,fish");
    assert_string_equal(ids(s, "storm AND fishermen", 0), "storm");
    assert_string_equal(ids(s, "storm OR quotas", 0), "fish,storm,budget");
    assert_string_equal(ids(s, "title:storm", 0), "storm");
    assert_string_equal(ids(s, "title:\"city council\"", 0), "budget");
    assert_string_equal(ids(s, "author:vance", 0), "storm,fish");
    assert_string_equal(ids(s, "author:\"lena okafor\"", 0), "budget");
    assert_string_equal(ids(s, "author:vance storm", 0), "storm");
    assert_string_equal(ids(s, "source:\"coastal wire\"", 0), "storm,fish");
    assert_string_equal(ids(s, "category:POLITICS", 0), "budget");
    /* A filter alone weighs nothing: ties, by id descending. */
    assert_string_equal(ids(s, "category:politics category:fishing", 0),
                        "fish,budget");
    assert_string_equal(ids(s, "year:2019", 0), "fish");
    assert_string_equal(ids(s, "date:2018-07", 0), "storm,budget");
    assert_string_equal(ids(s, "date:2018-07-10..2019-12-31", 0),
                        "fish,budget");
    assert_string_equal(ids(s, "date:..2018-07-04", 0), "storm");
    assert_string_equal(ids(s, "storm date:2018-07-05..", 0), "budget");
    assert_string_equal(ids(s, "protest*", 0), "fish");
    assert_string_equal(ids(s, "zebra*", 0), "");
    assert_string_equal(ids(s, "fishermen NEAR/3 quotas", 0), "fish");
    assert_string_equal(ids(s, "fishermen NEAR/2 road", 0), "");
    /* A phrase is highlighted as one span; excluded words never are. */
    bl_search_options_t o;
    bl_results_t *r = NULL;
    bl_search_options_init(&o);
    assert_int_equal(bl_search(s, "\"winter storm\" -council", &o, &r),
                     BL_OK);
    assert_int_equal(r->nhits, 1);
    const bl_passage_t *p = &r->hits[0].passages[0];
    assert_int_equal(p->nhl, 1);
    assert_int_equal(p->hl[0].end - p->hl[0].start, 12);
    assert_memory_equal(p->text + p->hl[0].start, "winter storm", 12);
    assert_int_equal(r->hits[0].ntitle_hl, 0); /* "Storm batters...": no
                                                  phrase in the title. */
    bl_results_free(r);
    bl_searcher_free(s);
}

/* The ids and scores of the top 20 hits of QUERY, as one string. */
static char *ranked_ids(bl_searcher_t *s, const char *query)
{
    bl_search_options_t o;
    bl_results_t *r = NULL;
    char *out = calloc(1, 4096);
    bl_search_options_init(&o);
    o.limit = 20;
    o.passages = 0;
    assert_int_equal(bl_search(s, query, &o, &r), BL_OK);
    for (size_t i = 0; i < r->nhits; i++) {
        char one[96];
        snprintf(one, sizeof one, "%s:%.6f ", r->hits[i].article.id,
                 r->hits[i].score);
        strcat(out, one);
    }
    bl_results_free(r);
    return out;
}

/* After a test that starts servers: none is left running, whether the
 * test passed or stopped at a failed assertion. */
static int stop_servers(void **state)
{
    (void)state;
    tu_stop_all_servers();
    return 0;
}

static void test_remote_shards(void **state)
{
    (void)state;
    if (!tu_have_tcpsrv()) {
        skip(); /* xapian-tcpsrv (xapian-tools) is not installed. */
        return;
    }
    char *dir = tu_mkdtemp();
    char *path = tu_join(dir, "idx");
    bl_indexer_t *ix = NULL;
    bl_index_options_t io = {.language = "english", .shards = 3,
                             .segment_docs = 7};
    static const char *const words[] = {"harbor", "pilots", "strike",
                                        "council", "budget", "storm",
                                        "fishermen", "quotas", "ferry"};
    assert_int_equal(bl_indexer_open(path, &io, &ix), BL_OK);
    for (int i = 0; i < 90; i++) {
        char id[16], title[96], body[256];
        snprintf(id, sizeof id, "r%d", i);
        snprintf(title, sizeof title, "%s %s report %d", words[i % 9],
                 words[(i / 9) % 9], i);
        snprintf(body, sizeof body, "The %s and the %s met again; the %s "
                 "said nothing about the %s.", words[(i * 7) % 9],
                 words[(i * 5) % 9], words[(i + 3) % 9], words[i % 4]);
        bl_article_t a;
        memset(&a, 0, sizeof a);
        a.id = id;
        a.title = title;
        a.body = body;
        assert_int_equal(bl_indexer_add(ix, NULL, &a), BL_OK);
    }
    assert_int_equal(bl_indexer_close(ix), BL_OK);

    /* One xapian-tcpsrv per shard, and a stub listing them. */
    char *stub = tu_join(path, "XAPIANDB");
    char *text = tu_read_file(stub, NULL);
    char *remote = tu_join(dir, "remote");
    char *rstub = tu_join(remote, "XAPIANDB");
    char lines[3][64];
    const char *entries[3];
    pid_t pids[3];
    size_t n = 0;
    assert_int_equal(mkdir(remote, 0777), 0);
    for (char *l = strtok(text, "\n"); l && n < 3; l = strtok(NULL, "\n")) {
        char kind[16], name[32];
        unsigned port = 0;
        assert_int_equal(sscanf(l, "%15s %31s", kind, name), 2);
        char *part = tu_join(path, name);
        const char *paths[] = {part};
        pids[n] = tu_start_tcpsrv(paths, 1, 0, &port);
        assert_true(pids[n] > 0);
        snprintf(lines[n], sizeof lines[n], "remote 127.0.0.1:%u", port);
        entries[n] = lines[n];
        n++;
        free(part);
    }
    assert_int_equal(n, 3);
    assert_int_equal(xc_stub_write(rstub, entries, n), XC_OK);

    /* The remote index ranks exactly like the local one. */
    bl_searcher_t *local = NULL, *far = NULL;
    assert_int_equal(bl_searcher_open(path, &local), BL_OK);
    assert_int_equal(bl_searcher_open(remote, &far), BL_OK);
    assert_int_equal(bl_searcher_doccount(far), 90);
    static const char *const queries[] = {
        "harbor", "pilots strike", "\"the council\"", "+storm -ferry",
        "title:quotas", "fisher*", "budget NEAR/4 storm"};
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        char *a = ranked_ids(local, queries[i]);
        char *b = ranked_ids(far, queries[i]);
        assert_true(strlen(a) > 0);
        if (strcmp(a, b) != 0)
            fail_msg("%s: local %s, remote %s", queries[i], a, b);
        free(a);
        free(b);
    }
    bl_results_t *r = NULL;
    bl_search_options_t o;
    bl_search_options_init(&o);
    /* Spelling: over remote shards only a search that finds nothing
     * looks for a suggestion (or one that asks, spelling 2). */
    static const struct {
        const char *query;
        int spelling;
        const char *local, *remote;
    } spell[] = {
        {"stomr", 1, "storm", "storm"},
        {"stomr harbor", 1, "storm harbor", NULL},
        {"stomr harbor", 2, "storm harbor", "storm harbor"},
        {"stomr harbor", 0, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof spell / sizeof *spell; i++) {
        o.spelling = spell[i].spelling;
        for (int k = 0; k < 2; k++) {
            const char *want = k ? spell[i].remote : spell[i].local;
            assert_int_equal(bl_search(k ? far : local, spell[i].query, &o,
                                       &r),
                             BL_OK);
            if (want ? !r->suggestion || strcmp(r->suggestion, want) != 0
                     : r->suggestion != NULL)
                fail_msg("%s, spelling %d, %s: suggested %s, want %s",
                         spell[i].query, spell[i].spelling,
                         k ? "remote" : "local",
                         r->suggestion ? r->suggestion : "nothing",
                         want ? want : "nothing");
            bl_results_free(r);
        }
    }
    bl_search_options_init(&o);
    o.limit = 100;
    assert_int_equal(bl_search(far, "harbor OR storm", &o, &r), BL_OK);
    assert_int_equal(r->shards, 3);
    assert_int_equal(r->nfailed, 0);
    size_t all = r->nhits;
    bl_results_free(r);

    /* A shard that stops answering under an open searcher: the others
     * answer, and the results say which did not. */
    const char *port = strchr(lines[1] + 7, ':') + 1;
    char *part1 = NULL;
    {
        char kind[16], name[32];
        char *t2 = tu_read_file(stub, NULL);
        char *l = strtok(t2, "\n");
        l = strtok(NULL, "\n"); /* The second part: shard 1's. */
        assert_int_equal(sscanf(l, "%15s %31s", kind, name), 2);
        part1 = tu_join(path, name);
        free(t2);
    }
    /* (The remote searcher's document cache holds the articles read in
     * the three shards' view: the two shards' view must not take one
     * for another.  Its hits are exactly those shard 1 does not hold.) */
    bl_searcher_t *one = NULL;
    bl_results_t *r1 = NULL;
    assert_int_equal(bl_searcher_open(part1, &one), BL_OK);
    assert_int_equal(bl_search(one, "harbor OR storm", &o, &r1), BL_OK);
    tu_stop_server(pids[1]);
    assert_int_equal(bl_search(far, "harbor OR storm", &o, &r), BL_OK);
    assert_int_equal(r->shards, 3);
    assert_int_equal(r->nfailed, 1);
    assert_non_null(strstr(r->failed[0].shard, port));
    assert_true(strlen(r->failed[0].error) > 0);
    assert_true(r->nhits > 0 && r->nhits < all);
    assert_int_equal(r->nhits + r1->nhits, all);
    for (size_t i = 0; i < r->nhits; i++) {
        for (size_t k = 0; k < r1->nhits; k++)
            assert_string_not_equal(r->hits[i].article.id,
                                    r1->hits[k].article.id);
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(r->hits[i].article.id,
                                    r->hits[k].article.id);
    }
    bl_results_free(r1);
    bl_searcher_free(one);
    bl_results_free(r);
    /* An evaluation run refuses, naming it. */
    o.all_shards = 1;
    assert_int_equal(bl_search(far, "harbor", &o, &r), BL_ENETWORK);
    if (!strstr(bl_last_error(), port))
        fail_msg("the error does not name the shard: %s", bl_last_error());
    bl_results_free(r);
    o.all_shards = 0;

    /* Opened while it is down: the same partial answer. */
    bl_searcher_t *half = NULL;
    assert_int_equal(bl_searcher_open_with(remote, 0, &half), BL_OK);
    assert_true(bl_searcher_doccount(half) < 90);
    unsigned total = 0;
    const bl_shard_failure_t *down = NULL;
    size_t ndown = 0;
    bl_searcher_shards(half, &total, &down, &ndown);
    assert_int_equal(total, 3);
    assert_int_equal(ndown, 1);
    assert_non_null(strstr(down[0].shard, port));

    /* It comes back on the same port: used again, without a reopen
     * (tried again at most every 2 s). */
    const char *p1[] = {part1};
    pids[1] = tu_start_tcpsrv_at(p1, 1, (unsigned)atoi(port));
    assert_true(pids[1] > 0);
    /* (Tried again every 2 s: given up to 20 s on a loaded machine.) */
    struct timespec wait = {0, 200000000};
    size_t nfailed = 1;
    for (int i = 0; i < 100 && nfailed; i++) {
        nanosleep(&wait, NULL);
        assert_int_equal(bl_search(half, "harbor OR storm", &o, &r), BL_OK);
        nfailed = r->nfailed;
        if (!nfailed)
            assert_int_equal(r->nhits, all);
        else
            assert_true(i < 99);
        bl_results_free(r);
    }
    assert_int_equal(bl_searcher_doccount(half), 90);
    bl_searcher_free(half);
    bl_searcher_free(far);

    /* No shard answers: an error naming one. */
    tu_stop_server(pids[0]);
    tu_stop_server(pids[1]);
    tu_stop_server(pids[2]);
    assert_int_equal(bl_searcher_open_with(remote, 500, &far), BL_ENETWORK);
    if (!strstr(bl_last_error(), "127.0.0.1:"))
        fail_msg("the error does not name a shard: %s", bl_last_error());
    free(part1);
    bl_searcher_free(local);
    free(text);
    free(stub);
    free(rstub);
    free(remote);
    tu_rmrf(dir);
    free(dir);
    free(path);
}

/* Index at PATH three reprints of a story (two sources, two years) and one
 * other story. */
static void build_harbor_index(const char *path)
{
    bl_indexer_t *ix = NULL;
    static const char *const story =
        "Harbor pilots walked off the night shift on Monday, halting the "
        "movement of container ships through the narrows for the first time "
        "in thirty years. The pilots' union said the strike was about "
        "fatigue rather than pay, and that talks with the port authority "
        "would resume on Thursday morning.";
    static char *const sources[] = {"Coastal Wire", "Daily Ledger",
                                          "Evening Post", "Coastal Wire"};
    assert_int_equal(bl_indexer_open(path, NULL, &ix), BL_OK);
    for (int i = 0; i < 4; i++) {
        char id[8], body[1024], *cats[2] = {(char *)"ports",
                                           (char *)(i ? "labor" : "strikes")};
        snprintf(id, sizeof id, "d%d", i);
        /* Three reprints with their own dateline; one other story. */
        if (i < 3)
            snprintf(body, sizeof body, "%s - %s", i == 0   ? "SANDMOUTH"
                                                 : i == 1 ? "LONDON"
                                                          : "NEW YORK",
                     story);
        else
            snprintf(body, sizeof body, "Harbor officials said the new "
                     "berths would open in spring after the dredging of the "
                     "channel, which began two years ago and cost more than "
                     "the port had planned, was finished by the contractor "
                     "hired by the authority.");
        bl_article_t a;
        memset(&a, 0, sizeof a);
        a.id = id;
        a.title = (char *)"Harbor news";
        a.body = body;
        a.source = (char *)sources[i];
        a.date = (char *)(i < 2 ? "2019-03-04" : "2020-01-02");
        a.categories = cats;
        a.ncategories = 2;
        assert_int_equal(bl_indexer_add(ix, NULL, &a), BL_OK);
    }
    assert_int_equal(bl_indexer_close(ix), BL_OK);
}

static void test_duplicates_and_facets(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *path = tu_join(dir, "idx");
    build_harbor_index(path);
    bl_searcher_t *s = NULL;
    bl_results_t *r = NULL;
    bl_search_options_t o;
    assert_int_equal(bl_searcher_open(path, &s), BL_OK);
    bl_search_options_init(&o);
    o.facets = BL_FACET_YEAR | BL_FACET_SOURCE | BL_FACET_CATEGORY;
    assert_int_equal(bl_search(s, "harbor", &o, &r), BL_OK);
    /* The reprints collapse into one hit that counts the other two. */
    assert_int_equal(r->nhits, 2);
    /* The hit that stands for the three reprints (d0-d2) counts the other
     * two; the other story (d3) counts none. */
    for (size_t i = 0; i < 2; i++) {
        const char *id = r->hits[i].article.id;
        assert_int_equal(r->hits[i].duplicates,
                         strcmp(id, "d3") == 0 ? 0 : 2);
    }
    assert_true(strcmp(r->hits[0].article.id, "d3") == 0 ||
                strcmp(r->hits[1].article.id, "d3") == 0);
    /* Facets count every matching article (collapsed or not). */
    assert_int_equal(r->nfacets, 3);
    assert_string_equal(r->facets[0].field, "year");
    assert_int_equal(r->facets[0].n, 2);
    assert_string_equal(r->facets[1].field, "source");
    assert_string_equal(r->facets[1].values[0].value, "Coastal Wire");
    assert_int_equal(r->facets[1].values[0].count, 2);
    assert_string_equal(r->facets[2].field, "category");
    assert_string_equal(r->facets[2].values[0].value, "ports");
    assert_int_equal(r->facets[2].values[0].count, 4);
    assert_string_equal(r->facets[2].values[1].value, "labor");
    assert_int_equal(r->facets[2].values[1].count, 3);
    bl_results_free(r);
    /* Again: the keys now come from the searcher's cache. */
    assert_int_equal(bl_search(s, "harbor", &o, &r), BL_OK);
    assert_int_equal(r->nhits, 2);
    for (size_t i = 0; i < 2; i++)
        assert_int_equal(r->hits[i].duplicates,
                         strcmp(r->hits[i].article.id, "d3") == 0 ? 0 : 2);
    bl_results_free(r);
    /* Shown separately on request. */
    o.show_duplicates = 1;
    o.facets = 0;
    assert_int_equal(bl_search(s, "harbor", &o, &r), BL_OK);
    assert_int_equal(r->nhits, 4);
    assert_int_equal(r->nfacets, 0);
    bl_results_free(r);
    bl_searcher_free(s);
    tu_rmrf(dir);
    free(dir);
    free(path);
}

/* One line per hit of QUERY: id, title, source, date, duplicates. */
static char *hit_lines(bl_searcher_t *s, const char *query, unsigned passages)
{
    bl_search_options_t o;
    bl_results_t *r = NULL;
    static char out[4096];
    size_t n = 0;
    bl_search_options_init(&o);
    o.passages = passages;
    assert_int_equal(bl_search(s, query, &o, &r), BL_OK);
    out[0] = '\0';
    for (size_t i = 0; i < r->nhits; i++) {
        const bl_article_t *a = &r->hits[i].article;
        n += (size_t)snprintf(out + n, sizeof out - n, "%s|%s|%s|%s|%u\n",
                              a->id, a->title, a->source, a->date,
                              r->hits[i].duplicates);
        assert_true(n < sizeof out);
    }
    bl_results_free(r);
    return strdup(out);
}

/* Result lists read the summary value; passages read the document data;
 * an index without summaries (written before them) shows the same. */
static void test_summaries(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *path = tu_join(dir, "idx");
    build_harbor_index(path);
    bl_searcher_t *s = NULL;
    assert_int_equal(bl_searcher_open(path, &s), BL_OK);
    char *listed = hit_lines(s, "harbor", 0);
    char *with_passages = hit_lines(s, "harbor", 1);
    assert_string_equal(listed, with_passages);
    /* d0 and d1 tie (datelines of one word): the hit that stands for the
     * reprints is the one whose id comes last, as trec_eval orders ties
     * (not the one the indexer happened to number first). */
    assert_non_null(strstr(listed, "d1|Harbor news|Daily Ledger|2019-03-04|2\n"));
    bl_searcher_free(s);

    /* Take the summaries out of every part. */
    char *stubpath = tu_join(path, "XAPIANDB");
    char *stub = tu_read_file(stubpath, NULL);
    int parts = 0;
    for (char *line = strtok(stub, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "auto ", 5) != 0)
            continue;
        char *part = tu_join(path, line + 5);
        xc_db_t *db = NULL;
        xc_docid_t last = 0;
        assert_int_equal(xc_db_open_writable(part, XC_DB_OPEN, 0, &db),
                         XC_OK);
        assert_int_equal(xc_db_lastdocid(db, &last), XC_OK);
        for (xc_docid_t did = 1; did <= last; did++) {
            xc_doc_t *doc = NULL;
            if (xc_db_get_document(db, did, &doc) != XC_OK)
                continue;
            assert_int_equal(xc_doc_set_value(doc, BL_SLOT_SUMMARY, "", 0),
                             XC_OK);
            assert_int_equal(xc_db_replace_document(db, did, doc), XC_OK);
            xc_doc_free(doc);
        }
        assert_int_equal(xc_db_commit(db), XC_OK);
        xc_db_free(db);
        free(part);
        parts++;
    }
    assert_true(parts > 0);
    assert_int_equal(bl_searcher_open(path, &s), BL_OK);
    char *fallback = hit_lines(s, "harbor", 0);
    assert_string_equal(listed, fallback);
    bl_searcher_free(s);
    free(listed);
    free(with_passages);
    free(fallback);
    free(stub);
    free(stubpath);
    tu_rmrf(dir);
    free(dir);
    free(path);
}

/* Many reprints of one story outrank the other stories: collapsing reads
 * further down the list until the page is full, pages stay consistent and
 * the count is exact once every match was read. */
static void test_collapse_pages(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *path = tu_join(dir, "idx");
    bl_indexer_t *ix = NULL;
    static const char *const story =
        "Ferry crews walked off the morning crossing on Monday, stranding "
        "ferry passengers on both sides of the sound for the first time in "
        "a decade. The crews said the ferry timetable left no rest between "
        "crossings, and that talks with the operator would resume on "
        "Thursday.";
    assert_int_equal(bl_indexer_open(path, NULL, &ix), BL_OK);
    for (int i = 0; i < 40; i++) {
        char id[8], body[1024];
        snprintf(id, sizeof id, "d%02d", i);
        if (i < 36)
            snprintf(body, sizeof body, "%s", story);
        else
            snprintf(body, sizeof body, "Story %d: the ferry was mentioned "
                     "once among harbour works, dredging, berths, cranes "
                     "and the new customs hall number %d.", i, i * 7);
        bl_article_t a;
        memset(&a, 0, sizeof a);
        a.id = id;
        a.title = (char *)"Sound news";
        a.body = body;
        assert_int_equal(bl_indexer_add(ix, NULL, &a), BL_OK);
    }
    assert_int_equal(bl_indexer_close(ix), BL_OK);
    bl_searcher_t *s = NULL;
    bl_results_t *r = NULL;
    bl_search_options_t o;
    assert_int_equal(bl_searcher_open(path, &s), BL_OK);
    bl_search_options_init(&o);
    o.limit = 2;
    o.passages = 0;
    assert_int_equal(bl_search(s, "ferry", &o, &r), BL_OK);
    /* 36 copies of the story rank first: one hit counting 35 more. */
    assert_int_equal(r->nhits, 2);
    assert_int_equal(r->hits[0].rank, 1);
    assert_int_equal(r->hits[0].duplicates, 35);
    assert_int_equal(r->hits[1].rank, 2);
    assert_int_equal(r->hits[1].duplicates, 0);
    char second[16];
    snprintf(second, sizeof second, "%s", r->hits[1].article.id);
    assert_true(strncmp(second, "d3", 2) == 0);
    /* Every match was read: five stories, exactly. */
    assert_int_equal(r->matches_lower, 5);
    assert_int_equal(r->matches_upper, 5);
    bl_results_free(r);
    /* The next pages continue the collapsed list. */
    o.offset = 1;
    o.limit = 1;
    assert_int_equal(bl_search(s, "ferry", &o, &r), BL_OK);
    assert_int_equal(r->nhits, 1);
    assert_int_equal(r->hits[0].rank, 2);
    assert_string_equal(r->hits[0].article.id, second);
    bl_results_free(r);
    o.offset = 4;
    o.limit = 10;
    assert_int_equal(bl_search(s, "ferry", &o, &r), BL_OK);
    assert_int_equal(r->nhits, 1);
    assert_int_equal(r->hits[0].rank, 5);
    bl_results_free(r);
    o.offset = 5;
    assert_int_equal(bl_search(s, "ferry", &o, &r), BL_OK);
    assert_int_equal(r->nhits, 0);
    bl_results_free(r);
    /* Shown apart, all forty. */
    o.offset = 0;
    o.limit = 100;
    o.show_duplicates = 1;
    assert_int_equal(bl_search(s, "ferry", &o, &r), BL_OK);
    assert_int_equal(r->nhits, 40);
    bl_results_free(r);
    bl_searcher_free(s);
    tu_rmrf(dir);
    free(dir);
    free(path);
}

/* The suggestion for QUERY ("" for none). */
static char *suggestion(bl_searcher_t *s, const char *query)
{
    bl_search_options_t o;
    bl_results_t *r = NULL;
    static char out[256];
    bl_search_options_init(&o);
    assert_int_equal(bl_search(s, query, &o, &r), BL_OK);
    snprintf(out, sizeof out, "%s", r->suggestion ? r->suggestion : "");
    bl_results_free(r);
    return out;
}

static void test_spelling(void **state)
{
    bl_searcher_t *s = NULL;
    assert_int_equal(bl_searcher_open(*state, &s), BL_OK);
    assert_string_equal(suggestion(s, "councel"), "council");
    assert_string_equal(suggestion(s, "Fishremen protest"),
                        "fishermen protest");
    assert_string_equal(suggestion(s, "stomr -budget"), "storm -budget");
    assert_string_equal(suggestion(s, "storm"), "");       /* Known. */
    assert_string_equal(suggestion(s, "zzyzx"), "");       /* Nothing close. */
    assert_string_equal(suggestion(s, "-councel storm"), ""); /* Excluded. */
    /* A suggestion must find something: "stomr" alone would, but with
     * every word required and "tornado" unknown and far from all, not. */
    bl_search_options_t o;
    bl_results_t *r = NULL;
    bl_search_options_init(&o);
    o.match_all = 1;
    assert_int_equal(bl_search(s, "stomr tornado", &o, &r), BL_OK);
    assert_null(r->suggestion);
    bl_results_free(r);
    bl_searcher_free(s);
}

/* Run byline's ingest of ROOT into the index at PATH (as byline-index). */
static void ingest_dir(const char *path, const char *root)
{
    bl_indexer_t *ix = NULL;
    bl_ingest_options_t o;
    bl_ingest_summary_t sum;
    bl_ingest_callbacks_t cb = {NULL, NULL, NULL, NULL, NULL};
    memset(&o, 0, sizeof o);
    assert_int_equal(bl_indexer_open(path, NULL, &ix), BL_OK);
    assert_int_equal(bl_index_paths(ix, &root, 1, &o, &cb, &sum), BL_OK);
    assert_int_equal(bl_indexer_finish(ix, 1, NULL), BL_OK);
}

/* A searcher that saw the commit mark unchanged does not reopen its parts;
 * a commit that only deletes (a file gone: the stub stays as it was)
 * changes the mark, and the next search no longer finds what was
 * deleted, in the same searcher. */
static void test_commit_mark(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *corpus = tu_join(dir, "corpus");
    char *path = tu_join(dir, "idx");
    char *a = tu_join(corpus, "a.jsonl"), *b = tu_join(corpus, "b.jsonl");
    assert_int_equal(mkdir(corpus, 0777), 0);
    static const char A[] =
        "{\"id\":\"a1\",\"title\":\"Harbor pilots\",\"body\":\"The harbor "
        "pilots met the council.\"}\n";
    static const char B[] =
        "{\"id\":\"b1\",\"title\":\"Unicorn harbor\",\"body\":\"A unicorn "
        "was seen in the harbor.\"}\n";
    tu_write_file(a, A, sizeof A - 1);
    tu_write_file(b, B, sizeof B - 1);
    ingest_dir(path, corpus);
    char *stub = tu_join(path, "XAPIANDB"), *mark = tu_join(path, "COMMITS");
    struct stat st0, st1, m0, m1;
    assert_int_equal(stat(stub, &st0), 0);
    assert_int_equal(stat(mark, &m0), 0);

    bl_searcher_t *s = NULL;
    assert_int_equal(bl_searcher_open(path, &s), BL_OK);
    bl_search_options_t o;
    bl_search_options_init(&o);
    assert_string_equal(hit_ids(s, "unicorn", &o), "b1");
    assert_string_equal(hit_ids(s, "harbor", &o), "a1,b1");
    int changed = 1;
    assert_int_equal(bl_searcher_refresh(s, 0, &changed), BL_OK);
    assert_int_equal(changed, 0);

    /* b.jsonl goes: its article is deleted from the part it is in. */
    assert_int_equal(unlink(b), 0);
    ingest_dir(path, corpus);
    assert_int_equal(stat(stub, &st1), 0);
    assert_int_equal(stat(mark, &m1), 0);
    /* (What this test is about: the stub did not move, the mark did.) */
    assert_true(st1.st_ino == st0.st_ino &&
                st1.st_mtim.tv_nsec == st0.st_mtim.tv_nsec &&
                st1.st_mtim.tv_sec == st0.st_mtim.tv_sec);
    /* The mark is a new file, but the file system may give it the inode
     * an earlier mark had (each commit renames a new one over the last):
     * it changed as a searcher tells (open.c, mark_unchanged()). */
    assert_true(m1.st_ino != m0.st_ino || m1.st_size != m0.st_size ||
                m1.st_mtim.tv_sec != m0.st_mtim.tv_sec ||
                m1.st_mtim.tv_nsec != m0.st_mtim.tv_nsec);
    assert_string_equal(hit_ids(s, "unicorn", &o), "");
    assert_string_equal(hit_ids(s, "harbor", &o), "a1");
    bl_searcher_free(s);
    tu_rmrf(dir);
    free(stub);
    free(mark);
    free(a);
    free(b);
    free(corpus);
    free(path);
    free(dir);
}

/* The ids and first passages of QUERY's hits, "id: passage" joined with
 * " | " (a static buffer). */
static const char *hit_passages(bl_searcher_t *s, const char *query)
{
    static char out[2048];
    bl_search_options_t o;
    bl_results_t *r = NULL;
    bl_search_options_init(&o);
    o.sort = BL_SORT_DATE;
    assert_int_equal(bl_search(s, query, &o, &r), BL_OK);
    out[0] = '\0';
    for (size_t i = 0; i < r->nhits; i++) {
        size_t n = strlen(out);
        snprintf(out + n, sizeof out - n, "%s%s: %s", i ? " | " : "",
                 r->hits[i].article.id,
                 r->hits[i].npassages ? r->hits[i].passages[0].text : "");
    }
    bl_results_free(r);
    return out;
}

/* The document cache keys an article by its part, so it outlives the
 * indexer's publishing and merging (document ids of the whole view
 * move), and never shows an older version: a changed article is a new
 * document of a new part. */
static void test_cache_across_commits(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *corpus = tu_join(dir, "corpus");
    char *path = tu_join(dir, "idx");
    char name[64], text[512];
    assert_int_equal(mkdir(corpus, 0777), 0);
    for (int k = 0; k < 3; k++) {
        snprintf(name, sizeof name, "%s/f%d.jsonl", corpus, k);
        int n = snprintf(text, sizeof text,
                         "{\"id\":\"a%d\",\"date\":\"2001-01-0%d\",\"title\":"
                         "\"Harbor %d\",\"body\":\"Version 01 of harbor "
                         "story %d.\"}\n", k, k + 1, k, k);
        tu_write_file(name, text, (size_t)n);
        ingest_dir(path, corpus); /* A part each. */
    }
    bl_searcher_t *s = NULL;
    assert_int_equal(bl_searcher_open(path, &s), BL_OK);
    static const char V1[] = "a2: Version 01 of harbor story 2. | "
                             "a1: Version 01 of harbor story 1. | "
                             "a0: Version 01 of harbor story 0.";
    assert_string_equal(hit_passages(s, "harbor"), V1);
    assert_string_equal(hit_passages(s, "harbor"), V1); /* (Cached.) */
    /* a1 changes, a3 comes: new parts, every id of the view moves. */
    for (int round = 2; round <= 12; round++) {
        snprintf(name, sizeof name, "%s/f1.jsonl", corpus);
        int n = snprintf(text, sizeof text,
                         "{\"id\":\"a1\",\"date\":\"2001-01-02\",\"title\":"
                         "\"Harbor 1\",\"body\":\"Version %02d of harbor "
                         "story 1.\"}\n", round);
        tu_write_file(name, text, (size_t)n);
        snprintf(name, sizeof name, "%s/g%d.jsonl", corpus, round);
        n = snprintf(text, sizeof text,
                     "{\"id\":\"b%d\",\"date\":\"1999-01-01\",\"title\":"
                     "\"Other %d\",\"body\":\"Not about it.\"}\n", round,
                     round);
        tu_write_file(name, text, (size_t)n);
        ingest_dir(path, corpus); /* (Ten runs: the parts are merged.) */
        char want[512];
        snprintf(want, sizeof want,
                 "a2: Version 01 of harbor story 2. | "
                 "a1: Version %02d of harbor story 1. | "
                 "a0: Version 01 of harbor story 0.", round);
        bl_searcher_t *fresh = NULL;
        assert_int_equal(bl_searcher_open(path, &fresh), BL_OK);
        assert_string_equal(hit_passages(fresh, "harbor"), want);
        bl_searcher_free(fresh);
        assert_string_equal(hit_passages(s, "harbor"), want);
        assert_string_equal(hit_passages(s, "harbor"), want);
    }
    /* No cache, then a small one: the same answers. */
    char last[2048];
    snprintf(last, sizeof last, "%s", hit_passages(s, "harbor"));
    assert_int_equal(bl_searcher_set_cache(s, 0), BL_OK);
    assert_string_equal(hit_passages(s, "harbor"), last);
    assert_int_equal(bl_searcher_set_cache(s, 100), BL_OK);
    assert_string_equal(hit_passages(s, "harbor"), last);
    assert_string_equal(hit_passages(s, "harbor"), last);
    bl_searcher_free(s);
    tu_rmrf(dir);
    free(corpus);
    free(path);
    free(dir);
}

/* The cache on its own: keys by part and id in it, parts that go, parts
 * that cannot be told apart. */
static void test_doccache(void **state)
{
    (void)state;
    bl_doccache_t *c = NULL;
    size_t len = 0;
    assert_int_equal(bl_doccache_new(8u << 20, &c), 0);
    assert_null(bl_doccache_get(c, 1, &len)); /* No view yet. */
    bl_doccache_parts(c, "uuid-a:uuid-b");
    /* Ids interleave: 1 is a's first, 2 b's first, 3 a's second. */
    bl_doccache_put(c, 1, "a1", 2);
    bl_doccache_put(c, 2, "b1", 2);
    bl_doccache_put(c, 3, "a2", 2);
    assert_memory_equal(bl_doccache_get(c, 3, &len), "a2", 2);
    assert_int_equal(len, 2);
    /* The view changes: b first, then a, then a new part c. */
    bl_doccache_parts(c, "uuid-b:uuid-a:uuid-c");
    assert_memory_equal(bl_doccache_get(c, 1, &len), "b1", 2);
    assert_memory_equal(bl_doccache_get(c, 2, &len), "a1", 2);
    assert_null(bl_doccache_get(c, 3, &len)); /* c's first. */
    assert_memory_equal(bl_doccache_get(c, 5, &len), "a2", 2);
    /* Near-duplicate keys, 0 (none) included, keyed the same way. */
    uint64_t key = 7;
    assert_int_equal(bl_doccache_key(c, 2, &key), 0);
    bl_doccache_put_key(c, 2, 0x1234); /* a's first. */
    bl_doccache_put_key(c, 1, 0);      /* b's first: it has none. */
    assert_int_equal(bl_doccache_key(c, 2, &key), 1);
    assert_int_equal(key, 0x1234);
    assert_int_equal(bl_doccache_key(c, 1, &key), 1);
    assert_int_equal(key, 0);
    /* a goes (merged into d): its entries with it. */
    bl_doccache_parts(c, "uuid-d:uuid-b");
    assert_null(bl_doccache_get(c, 1, &len));
    assert_memory_equal(bl_doccache_get(c, 2, &len), "b1", 2);
    assert_int_equal(bl_doccache_key(c, 1, &key), 0);
    assert_int_equal(bl_doccache_key(c, 2, &key), 1);
    assert_int_equal(key, 0);
    bl_doccache_parts(c, "uuid-b:uuid-a"); /* (a back: a new serial.) */
    assert_null(bl_doccache_get(c, 2, &len));
    /* No UUIDs, or the same one twice: each view is its own. */
    const char *const views[] = {"", "uuid-e:uuid-e", "uuid-f:"};
    for (size_t v = 0; v < 3; v++) {
        bl_doccache_parts(c, views[v]);
        assert_null(bl_doccache_get(c, 1, &len));
        bl_doccache_put(c, 1, "x", 1);
        bl_doccache_put(c, 2, "y", 1);
        assert_memory_equal(bl_doccache_get(c, 1, &len), "x", 1);
        assert_memory_equal(bl_doccache_get(c, 2, &len), "y", 1);
        bl_doccache_parts(c, views[v]);
        assert_null(bl_doccache_get(c, 1, &len));
        assert_null(bl_doccache_get(c, 2, &len));
    }
    /* Too large for it: not kept; an empty record is. */
    bl_doccache_parts(c, "uuid-g");
    char *big = calloc(1, 65u << 10);
    assert_non_null(big);
    bl_doccache_put(c, 1, big, 65u << 10);
    assert_null(bl_doccache_get(c, 1, &len));
    bl_doccache_put(c, 2, "", 0);
    assert_non_null(bl_doccache_get(c, 2, &len));
    assert_int_equal(len, 0);
    free(big);
    /* Tokens go with a cached record only, within the budget. */
    bl_analyzer_t *an = NULL;
    bl_tokens_t *tk = NULL;
    assert_int_equal(bl_analyzer_new("english", &an), BL_OK);
    assert_int_equal(bl_tokens_record(an, "Harbor pilots", 13, &tk), BL_OK);
    assert_int_equal(bl_doccache_put_tokens(c, 9, tk), 0); /* No record. */
    assert_null(bl_doccache_tokens(c, 9));
    assert_int_equal(bl_doccache_put_tokens(c, 2, tk), 1); /* C owns it. */
    assert_ptr_equal(bl_doccache_tokens(c, 2), tk);
    assert_true(bl_doccache_room(c, 1000));
    assert_false(bl_doccache_room(c, 9u << 20));
    bl_analyzer_free(an);
    bl_doccache_free(c);
    bl_doccache_free(NULL);
    bl_doccache_parts(NULL, "uuid-a");
    assert_null(bl_doccache_get(NULL, 1, &len));
    assert_int_equal(bl_doccache_key(NULL, 1, &key), 0);
}

/* Quoted words match their exact forms (issue: "organ" found
 * "organization"), unquoted ones their stems; highlights follow; an
 * index without exact forms, or stem_quotes, matches stems as before; a
 * phrase needs its words' forms as well as their positions. */
static int by_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The ids QUERY finds in S, sorted, joined by spaces (a static buffer). */
static const char *found(bl_searcher_t *s, const char *query)
{
    static char out[256];
    char list[256], *parts[16];
    size_t n = 0;
    snprintf(list, sizeof list, "%s", ids(s, query, 0));
    for (char *p = strtok(list, ","); p && n < 16; p = strtok(NULL, ","))
        parts[n++] = p;
    qsort(parts, n, sizeof *parts, by_str);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strcat(out, i ? " " : "");
        strcat(out, parts[i]);
    }
    return out;
}

/* The boosts of QUERY (pairs A, proximity P, window W, title T) as Xapian
 * describes them ("" when it has none); the caller frees it. */
static char *boosts_of(bl_analyzer_t *an, const char *query, double a,
                       double p, unsigned w, double t)
{
    bl_query_t *q = NULL;
    xc_query_t *x = NULL;
    char *d = NULL;
    assert_int_equal(bl_query_parse(an, query, BL_QUERY_STOP | BL_QUERY_EXACT,
                                    &q, NULL),
                     BL_OK);
    assert_int_equal(bl_query_boosts(q, NULL, a, p, w, t, &x), BL_OK);
    if (x)
        assert_int_equal(xc_query_describe(x, &d), XC_OK);
    xc_query_free(x);
    bl_query_free(q);
    return d ? d : strdup("");
}

static void test_boosts_compile(void **state)
{
    bl_analyzer_t *an = NULL;
    bl_analyzer_options_t ao = {"english", 0, 0, 0};
    (void)state;
    assert_int_equal(bl_analyzer_new_with(&ao, &an), BL_OK);
    static const struct {
        const char *query;
        double a;
        double p;
        unsigned w;
        double t;
        const char *want;
    } CASES[] = {
        /* The pairs: both words anywhere, shared by the pairs. */
        {"pilots strike vote", 0.5, 0, 8, 0,
         "Query((0.25 * (Zpilot AND Zstrike) OR 0.25 * (Zstrike AND "
         "Zvote)))"},
        /* With proximity and title terms beside. */
        {"pilots strike", 0.25, 0.5, 8, 0.5,
         "Query((0.5 * ZSpilot OR 0.5 * ZSstrike OR 0.25 * (Zpilot AND "
         "Zstrike) OR 0.5 * (Zpilot NEAR 8 Zstrike)))"},
        {"\"storm coast\" wind", 0.5, 0, 8, 0, ""},
        {"storm", 0.5, 0, 8, 0, ""},
        /* Each pair next to each other in the query, in the order typed,
         * within the window in any order; the pairs share the weight. */
        {"pilots strike vote", 0, 0.5, 8, 0,
         "Query((0.25 * (Zpilot NEAR 8 Zstrike) OR 0.25 * (Zstrike NEAR 8 "
         "Zvote)))"},
        {"pilots strike vote", 0, 0.5, 12, 0,
         "Query((0.25 * (Zpilot NEAR 12 Zstrike) OR 0.25 * (Zstrike NEAR 12 "
         "Zvote)))"},
        /* Window 0 (or 1): in order within 3 positions instead (a
         * stopword between); a stopword left out of the query leaves no
         * pair. */
        {"pilots strike", 0, 0.25, 1, 0,
         "Query(0.25 * (Zpilot PHRASE 3 Zstrike))"},
        {"Bank of America", 0, 0.5, 0, 0,
         "Query(0.5 * (Zbank PHRASE 3 Zamerica))"},
        /* A compound's parts are words of the query. */
        {"Computer-aided crime", 0, 0.25, 0, 0,
         "Query((0.125 * (Zcomput PHRASE 3 Zaid) OR 0.125 * (Zaid PHRASE 3 "
         "Zcrime)))"},
        /* Title terms, each word's. */
        {"storm coast", 0, 0, 8, 0.25,
         "Query((0.25 * ZSstorm OR 0.25 * ZScoast))"},
        {"storm", 0, 0.2, 8, 0, ""},
        /* Only plain words: no phrase, operator, field, exact word or
         * wildcard. */
        {"\"storm coast\" wind", 0, 0.2, 8, 0.3, ""},
        {"storm OR coast", 0, 0.25, 0, 0,
         "Query(0.25 * (Zstorm PHRASE 3 Zcoast))"},
        {"storm AND coast", 0, 0.2, 8, 0.3, ""},
        {"storm OR (coast AND wind)", 0, 0.2, 8, 0.3, ""},
        {"+storm coast", 0, 0.2, 8, 0.3, ""},
        {"storm -coast", 0, 0.2, 8, 0.3, ""},
        {"title:storm coast", 0, 0.2, 8, 0.3, ""},
        {"storm coa*", 0, 0.2, 8, 0.3, ""},
        {"storm coast", 0, 0, 8, 0, ""},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        char *d = boosts_of(an, CASES[i].query, CASES[i].a, CASES[i].p,
                            CASES[i].w, CASES[i].t);
        if (strcmp(d, CASES[i].want) != 0)
            fail_msg("%s: got %s, want %s", CASES[i].query, d,
                     CASES[i].want);
        free(d);
    }
    bl_analyzer_free(an);
}

/* The score of article ID among the hits of QUERY (-1 if not a hit). */
static double score_of(bl_searcher_t *s, const char *query,
                       const bl_search_options_t *o, const char *id)
{
    bl_results_t *r = NULL;
    double score = -1;
    assert_int_equal(bl_search(s, query, o, &r), BL_OK);
    for (size_t i = 0; i < r->nhits; i++) {
        if (strcmp(r->hits[i].article.id, id) == 0)
            score = r->hits[i].score;
    }
    bl_results_free(r);
    return score;
}

/* Term TERM's frequency through cache C (NULL: none) over W. */
static xc_doccount_t tf_of(bl_tfcache_t *c, xc_db_t *w, const char *term)
{
    xc_doccount_t tf = 99;
    assert_int_equal(bl_tfcache_get(c, w, term, &tf), BL_OK);
    return tf;
}

/* C's counts of reads answered from it and from the database. */
static void assert_tf_counts(bl_tfcache_t *c, unsigned long want_hits,
                             unsigned long want_reads)
{
    unsigned long hits = 0, reads = 0;
    bl_tfcache_counts(c, &hits, &reads);
    assert_int_equal(hits, want_hits);
    assert_int_equal(reads, want_reads);
}

/* The term frequencies the word pairs read: from the database once, then
 * from the cache; a term whose slot another takes is read again; after a
 * clear every term is; without a cache every read goes to the database. */
static void test_tfcache(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *path = tu_join(dir, "db");
    xc_db_t *w = NULL;
    assert_int_equal(xc_db_open_writable(path, XC_DB_CREATE_OR_OVERWRITE, 0,
                                         &w),
                     XC_OK);
    for (int i = 0; i < 3; i++) {
        xc_doc_t *d = NULL;
        xc_docid_t id = 0;
        assert_int_equal(xc_doc_new(&d), XC_OK);
        assert_int_equal(xc_doc_add_term(d, "Zstrike", XC_NTS, 1), XC_OK);
        if (i < 2)
            assert_int_equal(xc_doc_add_term(d, "Zpilot", XC_NTS, 1), XC_OK);
        assert_int_equal(xc_db_add_document(w, d, &id), XC_OK);
        xc_doc_free(d);
    }
    assert_int_equal(xc_db_commit(w), XC_OK);
    bl_tfcache_t *c = NULL;
    assert_int_equal(bl_tfcache_new(&c), 0);
    assert_int_equal(tf_of(c, w, "Zstrike"), 3);
    assert_int_equal(tf_of(c, w, "Zpilot"), 2);
    assert_int_equal(tf_of(c, w, "Znone"), 0);
    assert_tf_counts(c, 0, 3);
    assert_int_equal(tf_of(c, w, "Zstrike"), 3);
    assert_int_equal(tf_of(c, w, "Znone"), 0);
    assert_tf_counts(c, 2, 3);
    /* A term of Zstrike's slot (1024 slots, as tfcache.c has them)
     * replaces it: Zstrike is read again, and is right. */
    uint64_t slot = bl_fnv1a("Zstrike", 7) % 1024;
    char other[32];
    for (unsigned k = 0;; k++) {
        snprintf(other, sizeof other, "Zx%u", k);
        if (bl_fnv1a(other, strlen(other)) % 1024 == slot)
            break;
    }
    assert_int_equal(tf_of(c, w, other), 0);
    assert_int_equal(tf_of(c, w, "Zstrike"), 3);
    assert_tf_counts(c, 2, 5);
    /* Cleared: read again (the database has changed, say). */
    xc_doc_t *d = NULL;
    xc_docid_t id = 0;
    assert_int_equal(xc_doc_new(&d), XC_OK);
    assert_int_equal(xc_doc_add_term(d, "Zpilot", XC_NTS, 1), XC_OK);
    assert_int_equal(xc_db_add_document(w, d, &id), XC_OK);
    xc_doc_free(d);
    assert_int_equal(xc_db_commit(w), XC_OK);
    assert_int_equal(tf_of(c, w, "Zpilot"), 2); /* (Still what it held.) */
    bl_tfcache_clear(c);
    assert_int_equal(tf_of(c, w, "Zpilot"), 3);
    assert_tf_counts(c, 3, 6);
    /* No cache: the database, each time. */
    assert_int_equal(tf_of(NULL, w, "Zpilot"), 3);
    bl_tfcache_free(c);
    bl_tfcache_free(NULL);
    xc_db_free(w);
    tu_rmrf(dir);
    free(path);
    free(dir);
}

/* The words next to each other rank a document above one with them far
 * apart, only with proximity, and the matches stay the same. */
static void test_boosts_rank(void **state)
{
    (void)state;
    static const char *const DOCS[][2] = {
        {"apart", "The pilots met on Monday at the union hall. Later that "
                  "week a strike began at the mill."},
        {"near", "The union said a pilots strike would begin on Monday at "
                 "the airport, hours later than first expected by all."},
        {"one", "The pilots rested."},
    };
    char *dir = tu_mkdtemp();
    char *path = tu_join(dir, "idx");
    bl_indexer_t *ix = NULL;
    assert_int_equal(bl_indexer_open(path, NULL, &ix), BL_OK);
    for (size_t i = 0; i < 3; i++) {
        bl_article_t a;
        memset(&a, 0, sizeof a);
        a.id = tu_lend(DOCS[i][0]);
        a.title = (char *)"News";
        a.body = tu_lend(DOCS[i][1]);
        assert_int_equal(bl_indexer_add(ix, NULL, &a), BL_OK);
    }
    assert_int_equal(bl_indexer_close(ix), BL_OK);
    bl_searcher_t *s = NULL;
    assert_int_equal(bl_searcher_open(path, &s), BL_OK);
    bl_search_options_t o;
    bl_search_options_init(&o);
    assert_true(o.pairs == 0.1 && o.proximity == 0 &&
                o.proximity_window == 8 && o.title_weight == 0 &&
                o.pairs_common == 0.03);
    o.pairs = 0;
    assert_int_equal(o.weighting, BL_WEIGHT_BM25);
    /* Without proximity the longer document is behind (BM25's length);
     * the pairs count where both words are, near or apart. */
    assert_string_equal(hit_ids(s, "pilots strike", &o), "apart,near,one");
    o.pairs = 0.1;
    o.pairs_common = 1; /* Every pair (in 3 articles, every word is in
                           more than 3% of them). */
    assert_string_equal(hit_ids(s, "pilots strike", &o), "apart,near,one");
    /* The pairs: an article with both words gains a tenth of their
     * weights, near or apart; one with a word alone gains nothing. */
    double both = score_of(s, "pilots strike", &o, "apart"),
           one = score_of(s, "pilots strike", &o, "one");
    o.pairs = 0;
    assert_string_equal(hit_ids(s, "pilots strike", &o), "apart,near,one");
    double both0 = score_of(s, "pilots strike", &o, "apart");
    assert_true(both > both0 * 1.09 && both < both0 * 1.11);
    assert_true(fabs(score_of(s, "pilots strike", &o, "one") - one) < 1e-9);
    /* A pair whose words are each in more than the common share of the
     * articles is left out: "pilots" is in 3 of 3, "strike" in 2. */
    o.pairs = 0.1;
    o.pairs_common = 0.5; /* (At most 1.5 articles: both are common.) */
    assert_true(fabs(score_of(s, "pilots strike", &o, "apart") - both0) <
                1e-9);
    o.pairs_common = 0.03; /* The default: the same here. */
    assert_true(fabs(score_of(s, "pilots strike", &o, "apart") - both0) <
                1e-9);
    o.pairs_common = 0.7; /* (2.1: "strike" is not common, the pair is.) */
    assert_true(fabs(score_of(s, "pilots strike", &o, "apart") - both) <
                1e-9);
    o.pairs_common = 1.5; /* Refused. */
    bl_results_t *bad = NULL;
    assert_int_equal(bl_search(s, "pilots strike", &o, &bad), BL_EARG);
    bl_results_free(bad);
    o.pairs_common = 1;
    o.pairs = 0;
    o.proximity = 0.5;
    assert_string_equal(hit_ids(s, "pilots strike", &o), "near,apart,one");
    /* Any order within the window counts. */
    assert_string_equal(hit_ids(s, "strike pilots", &o), "near,apart,one");
    /* Window 0: only in the query's order. */
    o.proximity_window = 0;
    assert_string_equal(hit_ids(s, "strike pilots", &o), "apart,near,one");
    assert_string_equal(hit_ids(s, "pilots strike", &o), "near,apart,one");
    /* DPH and PL2 rank with Xapian's weights (the shorter article
     * first, for one occurrence each); a bad one is refused. */
    bl_search_options_init(&o);
    o.weighting = BL_WEIGHT_DPH;
    assert_string_equal(hit_ids(s, "strike", &o), "apart,near");
    o.weighting = BL_WEIGHT_PL2;
    assert_string_equal(hit_ids(s, "strike", &o), "apart,near");
    bl_results_t *r = NULL;
    o.weighting = 7;
    assert_int_equal(bl_search(s, "strike", &o, &r), BL_EARG);
    o.weighting = BL_WEIGHT_BM25;
    o.proximity = -1;
    assert_int_equal(bl_search(s, "strike", &o, &r), BL_EARG);
    assert_null(r);
    /* The words' frequencies the searcher kept are forgotten when the
     * index changes: with three articles more that have both words,
     * "strike" is in 5 of 6 (more than 0.7 of them) and the pair goes. */
    bl_search_options_init(&o);
    o.pairs_common = 0.7;
    double kept = score_of(s, "pilots strike", &o, "apart");
    o.pairs = 0;
    assert_true(kept > score_of(s, "pilots strike", &o, "apart") * 1.09);
    assert_int_equal(bl_indexer_open(path, NULL, &ix), BL_OK);
    for (int i = 0; i < 3; i++) {
        static const char *const IDS[] = {"more1", "more2", "more3"};
        bl_article_t a;
        memset(&a, 0, sizeof a);
        a.id = tu_lend(IDS[i]);
        a.title = (char *)"News";
        a.body = (char *)"Pilots strike again.";
        assert_int_equal(bl_indexer_add(ix, NULL, &a), BL_OK);
    }
    assert_int_equal(bl_indexer_close(ix), BL_OK);
    double none = score_of(s, "pilots strike", &o, "apart");
    o.pairs = 0.1;
    assert_true(fabs(score_of(s, "pilots strike", &o, "apart") - none) <
                1e-9);
    bl_searcher_free(s);
    tu_rmrf(dir);
    free(path);
    free(dir);
}

static void test_exact_words(void **state)
{
    (void)state;
    static char *const DOCS[][2] = {
        {"o1", "The organ recital drew a crowd to the cathedral."},
        {"o2", "The organization announced new members."},
        {"o3", "Organs of the state met; an organ recital followed."},
        {"o4", "Organization recital at the hall."},
    };
    char *dir = tu_mkdtemp();
    for (int stemmed = 0; stemmed < 2; stemmed++) {
        char *path = tu_join(dir, stemmed ? "stemmed" : "exact");
        bl_index_options_t io;
        memset(&io, 0, sizeof io);
        io.stemmed_only = stemmed;
        bl_indexer_t *ix = NULL;
        assert_int_equal(bl_indexer_open(path, &io, &ix), BL_OK);
        for (size_t i = 0; i < 4; i++) {
            bl_article_t a;
            memset(&a, 0, sizeof a);
            a.id = (char *)DOCS[i][0];
            a.title = (char *)"News";
            a.body = (char *)DOCS[i][1];
            assert_int_equal(bl_indexer_add(ix, NULL, &a), BL_OK);
        }
        assert_int_equal(bl_indexer_close(ix), BL_OK);
        bl_searcher_t *s = NULL;
        assert_int_equal(bl_searcher_open(path, &s), BL_OK);
        assert_int_equal(bl_analyzer_exact_forms(bl_searcher_analyzer(s)),
                         !stemmed);
        if (!stemmed) {
            assert_string_equal(found(s, "\"organ\""), "o1 o3");
            assert_string_equal(found(s, "\"Organization\""), "o2 o4");
            assert_string_equal(found(s, "\"organ recital\""), "o1 o3");
            assert_string_equal(found(s, "\"organs\""), "o3");
        } else {
            assert_string_equal(found(s, "\"organ\""), "o1 o2 o3 o4");
            assert_string_equal(found(s, "\"organ recital\""), "o1 o3 o4");
        }
        assert_string_equal(found(s, "organ"), "o1 o2 o3 o4");
        /* --explain describes the query searched, flags and all. */
        {
            bl_search_options_t d;
            char *text = NULL;
            bl_search_options_init(&d);
            assert_int_equal(bl_search_describe(s, "\"organ\" recital", &d,
                                                &text),
                             BL_OK);
            assert_string_equal(text, stemmed ? "(Zorgan OR Zrecit)"
                                              : "(Eorgan OR Zrecit)");
            free(text);
            d.stem_quotes = 1;
            d.match_all = 1;
            assert_int_equal(bl_search_describe(s, "\"organ\" recital", &d,
                                                &text),
                             BL_OK);
            assert_string_equal(text, "(Zorgan AND Zrecit)");
            free(text);
            d.like = "o1";
            assert_int_equal(bl_search_describe(s, NULL, &d, &text), BL_EARG);
        }
        /* Today's behaviour, asked for. */
        bl_search_options_t o;
        bl_search_options_init(&o);
        o.stem_quotes = 1;
        o.limit = 10;
        bl_results_t *r = NULL;
        assert_int_equal(bl_search(s, "\"organ\"", &o, &r), BL_OK);
        assert_int_equal(r->nhits, 4);
        bl_results_free(r);
        /* Highlights: only the form quoted. */
        bl_article_view_t v;
        assert_int_equal(bl_searcher_article(s, "o3", "\"organ\"", &v),
                         BL_OK);
        const char *body = DOCS[2][1];
        assert_int_equal(v.nbody_hl, stemmed ? 2 : 1);
        size_t at = stemmed ? 1 : 0;
        assert_memory_equal(body + v.body_hl[at].start, "organ ", 6);
        bl_article_view_clear(&v);
        /* An unquoted word is its stem in both indexes: every form is
         * marked (an exact index once marked only the form typed, and
         * fed that form, not the stem, to query expansion). */
        assert_int_equal(bl_searcher_article(s, "o3", "Organs", &v), BL_OK);
        assert_int_equal(v.nbody_hl, 2);
        assert_memory_equal(body + v.body_hl[0].start, "Organs", 6);
        assert_memory_equal(body + v.body_hl[1].start, "organ ", 6);
        bl_article_view_clear(&v);
        bl_search_options_init(&o);
        o.passages = 1;
        assert_int_equal(bl_search(s, "\"organs\"", &o, &r), BL_OK);
        if (!stemmed) {
            assert_int_equal(r->nhits, 1);
            const bl_passage_t *p = &r->hits[0].passages[0];
            assert_int_equal(p->nhl, 1);
            assert_memory_equal(p->text + p->hl[0].start, "Organs", 6);
        }
        bl_results_free(r);
        bl_searcher_free(s);
        free(path);
    }
    tu_rmrf(dir);
    free(dir);
}

/* The option words: each word its value and back, the aliases of
 * expand, and a message listing the words for anything else. */
static void test_option_words(void **state)
{
    (void)state;
    static const struct {
        bl_option_t opt;
        const char *word;
        int value;
    } ok[] = {
        {BL_OPTION_SORT, "relevance", BL_SORT_RELEVANCE},
        {BL_OPTION_SORT, "date", BL_SORT_DATE},
        {BL_OPTION_SORT, "date-asc", BL_SORT_DATE_ASC},
        {BL_OPTION_MATCH, "any", 0},
        {BL_OPTION_MATCH, "all", 1},
        {BL_OPTION_DUPLICATES, "collapse", 0},
        {BL_OPTION_DUPLICATES, "show", 1},
        {BL_OPTION_QUOTES, "exact", 0},
        {BL_OPTION_QUOTES, "stem", 1},
        {BL_OPTION_EXPAND, "none", BL_EXPAND_NONE},
        {BL_OPTION_EXPAND, "rm3", BL_EXPAND_RM3},
        {BL_OPTION_EXPAND, "bo1", BL_EXPAND_BO1},
        {BL_OPTION_WEIGHTING, "bm25", BL_WEIGHT_BM25},
        {BL_OPTION_WEIGHTING, "dph", BL_WEIGHT_DPH},
        {BL_OPTION_WEIGHTING, "pl2", BL_WEIGHT_PL2},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        int v = -7;
        assert_int_equal(bl_option_parse(ok[i].opt, ok[i].word, &v), BL_OK);
        assert_int_equal(v, ok[i].value);
        assert_string_equal(bl_option_word(ok[i].opt, v), ok[i].word);
    }
    int v = -7;
    assert_int_equal(bl_option_parse(BL_OPTION_EXPAND, "1", &v), BL_OK);
    assert_int_equal(v, BL_EXPAND_RM3);
    assert_int_equal(bl_option_parse(BL_OPTION_EXPAND, "0", &v), BL_OK);
    assert_int_equal(v, BL_EXPAND_NONE);
    v = -7;
    assert_int_equal(bl_option_parse(BL_OPTION_SORT, "sideways", &v),
                     BL_EARG);
    assert_int_equal(v, -7); /* (Untouched.) */
    assert_string_equal(bl_last_error(), "sort: expected relevance, date "
                                         "or date-asc, not 'sideways'");
    assert_int_equal(bl_option_parse(BL_OPTION_MATCH, "", &v), BL_EARG);
    assert_string_equal(bl_last_error(), "match: expected any or all, "
                                         "not ''");
    assert_int_equal(bl_option_parse(BL_OPTION_SORT, "Date", &v), BL_EARG);
    /* A long word is cut, never inside a character. */
    char longw[200];
    memset(longw, 'a', 63);
    strcpy(longw + 63, "\xc3\xa9tude and more words after it");
    assert_int_equal(bl_option_parse(BL_OPTION_QUOTES, longw, &v), BL_EARG);
    assert_non_null(strstr(bl_last_error(), "not 'aaa"));
    assert_null(strstr(bl_last_error(), "\xc3'"));
    assert_non_null(strstr(bl_last_error(), "a...'"));
    assert_null(bl_option_word(BL_OPTION_SORT, 3));
    assert_null(bl_option_word(BL_OPTION_SORT, -1));
    assert_null(bl_option_word((bl_option_t)99, 0));
    assert_string_equal(bl_option_name(BL_OPTION_DUPLICATES), "duplicates");
    assert_string_equal(bl_option_name(BL_OPTION_EXPAND), "expand");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ranking, setup_index,
                                        teardown_index),
        cmocka_unit_test_setup_teardown(test_hits, setup_index,
                                        teardown_index),
        cmocka_unit_test(test_option_words),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_query_parse),
        cmocka_unit_test_teardown(test_remote_shards, stop_servers),
        cmocka_unit_test(test_duplicates_and_facets),
        cmocka_unit_test(test_collapse_pages),
        cmocka_unit_test(test_summaries),
        cmocka_unit_test_setup_teardown(test_spelling, setup_index,
                                        teardown_index),
        cmocka_unit_test_setup_teardown(test_query_search, setup_index,
                                        teardown_index),
        cmocka_unit_test(test_passages),
        cmocka_unit_test(test_parse_plain),
        cmocka_unit_test(test_iterator_errors),
        cmocka_unit_test(test_fields_fold_and_sort),
        cmocka_unit_test(test_output_escaping),
        cmocka_unit_test(test_commit_mark),
        cmocka_unit_test(test_cache_across_commits),
        cmocka_unit_test(test_doccache),
        cmocka_unit_test(test_exact_words),
        cmocka_unit_test(test_boosts_compile),
        cmocka_unit_test(test_boosts_rank),
        cmocka_unit_test(test_tfcache),
        cmocka_unit_test(test_expand_ties),
        cmocka_unit_test_setup_teardown(test_expand, setup_feedback,
                                        teardown_index),
        cmocka_unit_test_setup_teardown(test_like, setup_feedback,
                                        teardown_index),
    };
    return cmocka_run_group_tests_name("search", tests, NULL, NULL);
}
