/*
 * byline-serve without HTTP: the page's writers and the request handler
 * (src/serve/page.c, handler.c) on hostile fields, spans and requests.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE /* open_memstream() */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "byline/index.h"
#include "byline/output.h"
#include "serve/serve.h"
#include "testutil.h"

/* ---- Helpers ------------------------------------------------------------------ */

/* What WRITE wrote, as a malloc'ed string. */
typedef struct out {
    FILE *f;
    char *s;
    size_t len;
} out_t;

static void out_open(out_t *o)
{
    o->s = NULL;
    o->len = 0;
    o->f = open_memstream(&o->s, &o->len);
    assert_non_null(o->f);
}

static char *out_close(out_t *o)
{
    fclose(o->f);
    return o->s;
}

/* Non-zero if the LEN bytes at S are all well-formed UTF-8. */
static int is_utf8(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t n = bl_char_len(s + i, len - i);
        if (!n)
            return 0;
        i += n;
    }
    return 1;
}

/* The page of an article with BODY and the N spans HL. */
static char *article_page(char *body, bl_span_t *hl, size_t n)
{
    bl_article_view_t v;
    memset(&v, 0, sizeof v);
    v.article.id = (char *)"a1";
    v.article.title = (char *)"A title";
    v.article.body = (char *)body;
    v.body_hl = (bl_span_t *)hl;
    v.nbody_hl = n;
    out_t o;
    out_open(&o);
    page_article(o.f, &v, NULL, NULL);
    return out_close(&o);
}

/* ---- The page ----------------------------------------------------------------- */

/* The article's own link is shown only for an http(s) URL with a host
 * (fuzz_page found "https://" alone linked). */
static void test_original_link(void **state)
{
    (void)state;
    static struct {
        char *url;
        int linked;
    } CASES[] = {
        {"https://example.com/a", 1}, {"HTTP://example.com", 1},
        {"https://", 0},              {"http://", 0},
        {"http:///etc/passwd", 0},    {"javascript:alert(1)", 0},
        {"//evil.example/", 0},       {"https://a.example/x y", 0},
        {"ftp://example.com/", 0},    {"", 0},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        bl_article_view_t v;
        memset(&v, 0, sizeof v);
        v.article.id = (char *)"a1";
        v.article.title = (char *)"A title";
        v.article.body = (char *)"Text.";
        v.article.url = CASES[i].url;
        out_t o;
        out_open(&o);
        page_article(o.f, &v, NULL, NULL);
        char *page = out_close(&o);
        int linked = strstr(page, "The original</a>") != NULL;
        if (linked != CASES[i].linked)
            fail_msg("%s: linked %d, want %d", CASES[i].url, linked,
                     CASES[i].linked);
        free(page);
    }
}

/* A phrase whose words sit on either side of a paragraph break (the span
 * crosses it): marked on each side, nothing lost, no crash (at 53193a6
 * the span's start minus the next paragraph's start underflowed). */
static void test_span_across_paragraphs(void **state)
{
    (void)state;
    char *body = "Alpha companies.\n\nBP said so.";
    bl_span_t hl[] = {{6, 20}}; /* "companies.\n\nBP" */
    char *page = article_page(body, hl, 1);
    assert_non_null(strstr(page, "<p dir=\"auto\">Alpha <mark>companies."
                                 "</mark></p><p dir=\"auto\"><mark>BP</mark>"
                                 " said so.</p>"));
    free(page);
    /* Words of the phrase as two spans, one in each paragraph. */
    bl_span_t two[] = {{6, 16}, {18, 20}};
    page = article_page(body, two, 2);
    assert_non_null(strstr(page, "<mark>companies.</mark></p>"));
    assert_non_null(strstr(page, "<p dir=\"auto\"><mark>BP</mark> said"));
    free(page);
}

/* Spans at a paragraph's end, on the break itself, overlapping, nested,
 * unsorted, empty, reversed and past the text: every character of the
 * text is written once, in order; marks never nest; nothing is read past
 * the end (ASan watches). */
static void test_hostile_spans(void **state)
{
    (void)state;
    char *body = "one two\n\nthree four\n\n\n\nfive";
    size_t len = strlen(body);
    static bl_span_t cases[][3] = {
        {{4, 7}, {9, 14}, {0, 0}},    /* A paragraph's last word. */
        {{7, 9}, {0, 0}, {0, 0}},     /* Only the break. */
        {{0, 5}, {2, 8}, {0, 0}},     /* Overlapping. */
        {{0, 14}, {4, 7}, {0, 0}},    /* Nested. */
        {{9, 14}, {0, 3}, {4, 7}},    /* Unsorted. */
        {{5, 5}, {8, 3}, {0, 0}},     /* Empty, reversed. */
        {{20, 400}, {1000, 2000}, {0, 0}}, /* Past the end. */
        {{0, (size_t)-1}, {(size_t)-5, (size_t)-1}, {0, 0}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char *page = article_page(body, cases[c], 3);
        /* The text, marks and paragraphs taken out, is the body's words. */
        const char *main = strstr(page, "<main>");
        assert_non_null(main);
        size_t opened = 0, closed = 0;
        for (const char *p = main; (p = strstr(p, "<mark>")); p++)
            opened++;
        for (const char *p = main; (p = strstr(p, "</mark>")); p++)
            closed++;
        assert_int_equal(opened, closed);
        assert_null(strstr(page, "<mark><mark>"));
        /* The text, tags taken out, is the body's, breaks taken out. */
        const char *from = strstr(main, "<p dir=\"auto\">");
        assert_non_null(from);
        const char *to = strstr(from, "</article>");
        assert_non_null(to);
        char text[128], want[128];
        size_t n = 0, w = 0;
        for (const char *p = from; p < to && n + 1 < sizeof text; p++) {
            if (*p == '<')
                p = strchr(p, '>');
            else
                text[n++] = *p;
        }
        text[n] = '\0';
        for (size_t i = 0; i < len; i++) {
            if (body[i] != '\n')
                want[w++] = body[i];
        }
        want[w] = '\0';
        assert_string_equal(text, want);
        free(page);
    }
}

static void one_hit(bl_results_t *r, bl_hit_t *h, bl_article_t **a)
{
    memset(r, 0, sizeof *r);
    memset(h, 0, sizeof *h);
    r->hits = h;
    r->nhits = 1;
    r->matches_lower = r->matches_estimated = r->matches_upper = 1;
    *a = &h->article;
    (*a)->id = (char *)"x1";
    (*a)->title = (char *)"Harbor news";
}

/* Article fields are isolated for bidirectional text (a U+202E in an
 * author cannot turn the date beside it around), and a long value is
 * cut, so the results column keeps its width. */
static void test_bidi_and_long_values(void **state)
{
    (void)state;
    bl_results_t r;
    bl_hit_t h;
    bl_article_t *a;
    one_hit(&r, &h, &a);
    a->author = (char *)"\xe2\x80\xae" "evil";
    a->date = (char *)"2020-03-03";
    page_req_t p;
    page_req_init(&p);
    p.q = "harbor";
    out_t o;
    out_open(&o);
    page_search(o.f, &p, &r, NULL, NULL);
    char *page = out_close(&o);
    assert_non_null(strstr(page, "<bdi>\xe2\x80\xae" "evil</bdi> · <bdi>"
                                 "2020-03-03</bdi>"));
    free(page);
    char *big = malloc(100001);
    memset(big, 'w', 100000);
    big[100000] = '\0';
    a->author = big;
    bl_facet_value_t fv = {big, 1};
    r.facets[0].field = "author";
    r.facets[0].values = &fv;
    r.facets[0].n = 1;
    r.nfacets = 1;
    out_open(&o);
    page_search(o.f, &p, &r, NULL, NULL);
    page = out_close(&o);
    /* The value is in the facet link (the query), not shown whole. */
    char *shown = strstr(page, "<bdi>www");
    assert_non_null(shown);
    size_t run = strspn(shown + 5, "w");
    assert_true(run <= 120);
    assert_memory_equal(shown + 5 + run, "…</bdi>", strlen("…</bdi>"));
    free(page);
    free(big);
}

/* Bytes that are not UTF-8, in a field or a request, reach the page as
 * U+FFFD. */
static void test_invalid_utf8_on_the_page(void **state)
{
    (void)state;
    out_t o;
    out_open(&o);
    html_str(o.f, "a\xff" "b\xc3(c\xe2\x82");
    char *s = out_close(&o);
    assert_string_equal(s, "a\xef\xbf\xbd" "b\xef\xbf\xbd(c\xef\xbf\xbd"
                           "\xef\xbf\xbd");
    free(s);
    out_open(&o);
    bl_json_string(o.f, "q\xff\xfe ok \xc3\xa9");
    s = out_close(&o);
    assert_string_equal(s, "\"q\\ufffd\\ufffd ok \xc3\xa9\"");
    free(s);
}

/* CSV rows as RFC 4180 has them: quotes doubled, fields with commas,
 * quotes or line breaks quoted; nothing a spreadsheet runs as a formula;
 * bytes that are not UTF-8 as U+FFFD. */
static void test_csv_rows(void **state)
{
    (void)state;
    bl_hit_t h;
    memset(&h, 0, sizeof h);
    char *cats[] = {(char *)"crude", (char *)"say \"x\""};
    h.article.id = (char *)"a,1";
    h.article.title = (char *)"=HYPERLINK(\"http://evil\")";
    h.article.author = (char *)"Line\r\nbreak";
    h.article.date = (char *)"1987-02-26";
    h.article.source = (char *)"bad\xff";
    h.article.categories = cats;
    h.article.ncategories = 2;
    h.score = 1.5;
    out_t o;
    out_open(&o);
    bl_csv_header(o.f);
    bl_csv_hit(o.f, &h);
    char *s = out_close(&o);
    assert_string_equal(s, "id,title,author,date,source,url,categories,"
                           "score\r\n\"a,1\",\"'=HYPERLINK(\"\"http://"
                           "evil\"\")\",\"Line\r\nbreak\",1987-02-26,"
                           "bad\xef\xbf\xbd,,\"crude; say \"\"x\"\"\","
                           "1.500000\r\n");
    free(s);
}

/* A page of results with COUNT matches, NHITS of them on this page, for
 * R; the page's text. */
static char *results_page(const page_req_t *p, unsigned count, size_t nhits)
{
    bl_results_t r;
    memset(&r, 0, sizeof r);
    bl_hit_t *h = calloc(nhits ? nhits : 1, sizeof *h);
    for (size_t i = 0; i < nhits; i++) {
        h[i].article.id = (char *)"id";
        h[i].article.title = (char *)"t";
    }
    r.hits = h;
    r.nhits = nhits;
    r.matches_lower = r.matches_estimated = r.matches_upper = count;
    out_t o;
    out_open(&o);
    page_search(o.f, p, &r, NULL, NULL);
    free(h);
    return out_close(&o);
}

/* Paging links keep every setting of the request, and Next is there
 * exactly when the next page has hits the server will give. */
static void test_paging_keeps_settings(void **state)
{
    (void)state;
    page_req_t p;
    page_req_init(&p);
    p.q = "coffee brazil";
    p.sort = BL_SORT_DATE;
    p.match = 1;
    p.expand = BL_EXPAND_RM3;
    p.passages = 2;
    p.limit = 20;
    char *page = results_page(&p, 45, 20);
    assert_non_null(strstr(page, "rel=\"next\" href=\"/?q=coffee%20brazil"
                                 "&amp;sort=date&amp;match=all&amp;expand=rm3"
                                 "&amp;passages=2&amp;limit=20&amp;offset=20"
                                 "\""));
    assert_null(strstr(page, "rel=\"prev\""));
    /* The form keeps them too. */
    assert_non_null(strstr(page, "name=\"match\" value=\"all\""));
    assert_non_null(strstr(page, "name=\"limit\" value=\"20\""));
    free(page);
    p.offset = 40; /* The last page: 5 hits. */
    page = results_page(&p, 45, 5);
    assert_null(strstr(page, "rel=\"next\""));
    assert_non_null(strstr(page, "rel=\"prev\" href=\"/?q=coffee%20brazil"
                                 "&amp;sort=date&amp;match=all&amp;expand=rm3"
                                 "&amp;passages=2&amp;limit=20&amp;offset=20"
                                 "\""));
    free(page);
    p.offset = 20; /* Exactly 40: no page after the second. */
    page = results_page(&p, 40, 20);
    assert_null(strstr(page, "rel=\"next\""));
    free(page);
    p.offset = 9990; /* Next would be past the server's last offset. */
    page = results_page(&p, 50000, 20);
    assert_null(strstr(page, "rel=\"next\""));
    free(page);
    p.limit = 10;
    p.offset = 9990;
    page = results_page(&p, 50000, 10);
    assert_non_null(strstr(page, "offset=10000\""));
    free(page);
}

/* ---- The handler, on an index ----------------------------------------------------- */

static char *const DOCS[][6] = {
    /* id, title, body, author, date, category */
    {"bp.txt", "Oil majors",
     "Talks between the two companies.\n\nBP said on Monday that talks "
     "went on.",
     "Marta Vance", "1987-02-26", "crude"},
    {"odd.txt", "Harbor pilots strike",
     "Harbor pilots walked out at dawn.", "\xe2\x80\xaeRuth Ode",
     "1987-03-01", "say \"cheese\" (now): yes"},
    {"plain.txt", "Harbor tugs idle", "Tugboats idled in the harbor.",
     "Lena Okafor", "1987-03-02", "say cheese now yes"},
};

typedef struct fixture {
    char *dir, *db;
} fixture_t;

static int setup(void **state)
{
    fixture_t *fx = calloc(1, sizeof *fx);
    fx->dir = tu_mkdtemp();
    fx->db = tu_join(fx->dir, "idx");
    bl_indexer_t *ix = NULL;
    if (bl_indexer_open(fx->db, NULL, &ix) != BL_OK)
        return -1;
    for (size_t i = 0; i < sizeof DOCS / sizeof DOCS[0]; i++) {
        bl_article_t a;
        memset(&a, 0, sizeof a);
        a.id = (char *)DOCS[i][0];
        a.title = (char *)DOCS[i][1];
        a.body = (char *)DOCS[i][2];
        a.author = (char *)DOCS[i][3];
        a.date = (char *)DOCS[i][4];
        char *path = tu_join("/srv/secret/corpus", DOCS[i][0]);
        a.path = path;
        char *cat = (char *)DOCS[i][5];
        a.categories = &cat;
        a.ncategories = 1;
        bl_status_t rc = bl_indexer_add(ix, NULL, &a);
        free(path);
        if (rc != BL_OK)
            return -1;
    }
    if (bl_indexer_close(ix) != BL_OK)
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *fx = *state;
    tu_rmrf(fx->dir);
    free(fx->dir);
    free(fx->db);
    free(fx);
    return 0;
}

/* A request: name=value pairs of arguments and headers. */
typedef struct req {
    const char *args[16][2];
    const char *headers[4][2];
} req_t;

static const char *lookup(void *ctx, int kind, const char *name)
{
    const req_t *r = ctx;
    if (kind == SERVE_ARG) {
        for (size_t i = 0; i < 16 && r->args[i][0]; i++) {
            if (strcmp(r->args[i][0], name) == 0)
                return r->args[i][1];
        }
    } else {
        for (size_t i = 0; i < 4 && r->headers[i][0]; i++) {
            if (strcasecmp(r->headers[i][0], name) == 0)
                return r->headers[i][1];
        }
    }
    return NULL;
}

/* Start the handler on FX's index with the limits of a server (wildcard
 * terms: TERMS). */
static void start(const fixture_t *fx, unsigned terms, int show_paths)
{
    static const char *const hosts[] = {"news.example"};
    serve_config_t c;
    memset(&c, 0, sizeof c);
    c.db = fx->db;
    c.searchers = 2;
    c.heavy_slots = 1;
    c.queue_ms = 1000;
    c.cache_bytes = BL_CACHE_DEFAULT;
    c.limits.wildcard_terms = terms;
    c.limits.wildcard_scan = 1000;
    c.limits.time_ms = 5000;
    c.show_paths = show_paths;
    c.check_host = 1;
    c.hosts = hosts;
    c.nhosts = 1;
    assert_int_equal(serve_start(&c), 0);
}

/* Answer METHOD URL with request R into A. */
static void ask(const char *method, const char *url, req_t *r,
                serve_resp_t *a)
{
    serve_req_t in = {.method = method, .url = url, .get = lookup, .ctx = r};
    serve_handle(&in, a);
    assert_non_null(a->type);
    if (strncmp(a->type, "application/json", 16) == 0) {
        assert_non_null(a->body);
        assert_true(is_utf8(a->body, a->len));
    }
}

/* Requests with bad bytes, a foreign Host, another method, impossible
 * dates and too many wildcard words: each its status and a clear body. */
static void test_hostile_requests(void **state)
{
    fixture_t *fx = *state;
    start(fx, 2, 0);
    serve_resp_t a;
    req_t r = {{{"q", "harbor \xff\xfe pilots"}}, {{"Host", "127.0.0.1:8080"}}};
    ask("GET", "/api/v1/search", &r, &a);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.body, "\"query\":\"harbor \xef\xbf\xbd\xef\xbf"
                                   "\xbd pilots\""));
    serve_resp_clear(&a);
    /* DNS rebinding: a name that is not this server's. */
    req_t evil = {{{"q", "harbor"}}, {{"Host", "evil.example:8080"}}};
    ask("GET", "/api/v1/search", &evil, &a);
    assert_int_equal(a.status, 421);
    serve_resp_clear(&a);
    req_t proxy = {{{"q", "harbor"}}, {{"Host", "NEWS.example"}}};
    ask("GET", "/api/v1/search", &proxy, &a);
    assert_int_equal(a.status, 200);
    serve_resp_clear(&a);
    req_t local = {{{"q", "harbor"}}, {{"Host", "localhost:9"}}};
    ask("GET", "/api/v1/stats", &local, &a);
    assert_int_equal(a.status, 200);
    serve_resp_clear(&a);
    /* Another method: Allow; on a page route, a page. */
    ask("POST", "/", &r, &a);
    assert_int_equal(a.status, 405);
    assert_string_equal(a.allow, "GET, HEAD");
    assert_string_equal(a.type, "text/html; charset=utf-8");
    serve_resp_clear(&a);
    ask("DELETE", "/api/v1/search", &r, &a);
    assert_int_equal(a.status, 405);
    assert_string_equal(a.type, "application/json");
    serve_resp_clear(&a);
    /* An impossible date is a syntax error with its column. */
    req_t date = {{{"q", "pilots date:1987-02-30"}}, {{NULL, NULL}}};
    ask("GET", "/api/v1/search", &date, &a);
    assert_int_equal(a.status, 400);
    assert_non_null(strstr(a.body, "\"column\":8"));
    serve_resp_clear(&a);
    req_t leap = {{{"q", "pilots date:1988-02-29"}}, {{NULL, NULL}}};
    ask("GET", "/api/v1/search", &leap, &a);
    assert_int_equal(a.status, 200);
    serve_resp_clear(&a);
    /* Wildcards over the limit (2 words here): 422, the limit named. */
    req_t wild = {{{"q", "h* t* p*"}}, {{NULL, NULL}}};
    ask("GET", "/api/v1/search", &wild, &a);
    assert_int_equal(a.status, 422);
    assert_non_null(strstr(a.body, "\"limit\":\"max-wildcard-terms\","
                                   "\"value\":2"));
    serve_resp_clear(&a);
    ask("GET", "/", &wild, &a); /* The page says it in words. */
    assert_int_equal(a.status, 422);
    assert_non_null(strstr(a.body, "wildcards stand for more than 2 words"));
    serve_resp_clear(&a);
    ask("GET", "/article/odd.txt", &wild, &a); /* Shown unmarked. */
    assert_int_equal(a.status, 200);
    serve_resp_clear(&a);
    /* Requests too long for the server answer as others do (not
     * libmicrohttpd's own answers, which lack the security headers). */
    serve_req_t big = {.method = "GET", .url = "/api/v1/search",
                       .get = lookup, .ctx = &r, .head_bytes = 70000};
    serve_handle(&big, &a);
    assert_int_equal(a.status, 431);
    assert_string_equal(a.type, "application/json");
    assert_non_null(strstr(a.body, "headers are too long"));
    serve_resp_clear(&a);
    big.url = "/";
    big.head_bytes = 100;
    big.target_bytes = 20000;
    serve_handle(&big, &a);
    assert_int_equal(a.status, 414);
    assert_string_equal(a.type, "text/html; charset=utf-8");
    serve_resp_clear(&a);
    big.target_bytes = 9000; /* (Under the limit.) */
    serve_handle(&big, &a);
    assert_int_equal(a.status, 200);
    serve_resp_clear(&a);
    /* A page whose options are refused keeps the settings it can read
     * (not the defaults, as if they had been asked for). */
    req_t kept = {{{"q", "harbor"}, {"match", "all"}, {"expand", "rm3"},
                   {"sort", "date"}, {"quotes", "stem"}, {"passages", "9"}},
                  {{NULL, NULL}}};
    ask("GET", "/", &kept, &a);
    assert_int_equal(a.status, 400);
    assert_non_null(strstr(a.body, "value=\"all\" checked"));
    assert_non_null(strstr(a.body, "value=\"date\" selected"));
    assert_non_null(strstr(a.body, "name=\"expand\" value=\"rm3\""));
    assert_non_null(strstr(a.body, "name=\"quotes\" value=\"stem\""));
    serve_resp_clear(&a);
    ask("GET", "/article/odd.txt", &kept, &a);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.body, "match=all"));
    assert_non_null(strstr(a.body, "expand=rm3"));
    serve_resp_clear(&a);
    /* An unknown page is a page; an unknown endpoint JSON. */
    ask("GET", "/nowhere", &r, &a);
    assert_int_equal(a.status, 404);
    assert_string_equal(a.type, "text/html; charset=utf-8");
    serve_resp_clear(&a);
    serve_stop();
}

/* No server path in an answer, unless the operator asks for them. */
static void test_paths_hidden(void **state)
{
    fixture_t *fx = *state;
    for (int show = 0; show < 2; show++) {
        start(fx, 1000, show);
        serve_resp_t a;
        req_t r = {{{"q", "pilots"}}, {{NULL, NULL}}};
        ask("GET", "/api/v1/search", &r, &a);
        assert_int_equal(a.status, 200);
        assert_true((strstr(a.body, "/srv/secret") != NULL) == show);
        assert_non_null(strstr(a.body, show ? "\"path\":\"/srv/secret"
                                            : "\"path\":null"));
        serve_resp_clear(&a);
        ask("GET", "/api/v1/article/odd.txt", &r, &a);
        assert_int_equal(a.status, 200);
        assert_true((strstr(a.body, "/srv/secret") != NULL) == show);
        serve_resp_clear(&a);
        serve_stop();
    }
}

/* The argument NAME of the first link after MARK in PAGE, decoded
 * (malloc'ed). */
static char *link_arg(const char *page, const char *mark, const char *name)
{
    const char *at = strstr(page, mark);
    assert_non_null(at);
    const char *href = strstr(at, "href=\"");
    assert_non_null(href);
    size_t hl = strcspn(href + 6, "\"");
    char key[32];
    snprintf(key, sizeof key, "%s=", name);
    const char *p = NULL;
    for (const char *k = href + 6; (k = strstr(k, key)) && k < href + 6 + hl;
         k++) {
        if (k[-1] == '?' || k[-1] == ';') {
            p = k + strlen(key);
            break;
        }
    }
    assert_non_null(p);
    size_t n = strcspn(p, "&\"");
    char *q = malloc(n + 1), *o = q;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '%' && i + 2 < n) {
            char hex[3] = {p[i + 1], p[i + 2], 0};
            *o++ = (char)strtol(hex, NULL, 16);
            i += 2;
        } else {
            *o++ = p[i];
        }
    }
    *o = '\0';
    return q;
}

/* A category holding '"', '(', ':' and spaces: its facet link finds
 * exactly its article (not the one whose category has the same words),
 * and keeps the query. */
static void test_facet_link_quotes(void **state)
{
    fixture_t *fx = *state;
    start(fx, 1000, 0);
    serve_resp_t a;
    req_t r = {{{"q", "pilots"}}, {{NULL, NULL}}};
    ask("GET", "/", &r, &a);
    assert_int_equal(a.status, 200);
    char *cat = link_arg(a.body, "<h2>Category</h2>", "category");
    char *q = link_arg(a.body, "<h2>Category</h2>", "q");
    serve_resp_clear(&a);
    assert_string_equal(cat, "say \"cheese\" (now): yes");
    assert_string_equal(q, "pilots");
    req_t f = {{{"q", q}, {"category", cat}}, {{NULL, NULL}}};
    ask("GET", "/api/v1/search", &f, &a);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.body, "\"matches\":1,"));
    assert_non_null(strstr(a.body, "\"id\":\"odd.txt\""));
    serve_resp_clear(&a);
    /* And in the query language, quoted. */
    req_t ql = {{{"q", "category:\"say \\\"cheese\\\" (now): yes\""}},
                {{NULL, NULL}}};
    ask("GET", "/api/v1/search", &ql, &a);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.body, "\"matches\":1,"));
    serve_resp_clear(&a);
    free(cat);
    free(q);
    serve_stop();
}

/* Filters given apart from the query (author=): nothing in the query
 * undoes them (an OR, a NOT), and the feed stays XML whatever a title
 * holds. */
static void test_filters_apart(void **state)
{
    fixture_t *fx = *state;
    start(fx, 1000, 0);
    serve_resp_t a;
    req_t r = {{{"q", "oil OR harbor OR tugboats"}, {"author", "Marta Vance"}},
               {{NULL, NULL}}};
    ask("GET", "/api/v1/search", &r, &a);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.body, "\"matches\":1,"));
    assert_non_null(strstr(a.body, "\"id\":\"bp.txt\""));
    serve_resp_clear(&a);
    req_t n = {{{"q", "harbor NOT pilots"}, {"author", "Lena Okafor"}},
               {{NULL, NULL}}};
    ask("GET", "/api/v1/search", &n, &a);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.body, "\"id\":\"plain.txt\""));
    assert_null(strstr(a.body, "\"id\":\"odd.txt\""));
    serve_resp_clear(&a);
    /* A filter alone lists what passes it. */
    req_t only = {{{"category", "say cheese now yes"}}, {{NULL, NULL}}};
    ask("GET", "/api/v1/search", &only, &a);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.body, "\"matches\":1,"));
    serve_resp_clear(&a);
    serve_stop();
    /* U+FFFF in a title: the feed has U+FFFD there. */
    bl_results_t res;
    bl_hit_t h;
    bl_article_t *art;
    one_hit(&res, &h, &art);
    art->title = (char *)"Bad \xef\xbf\xbf and \xef\xbf\xbe";
    page_req_t p;
    page_req_init(&p);
    out_t o;
    out_open(&o);
    page_feed(o.f, &p, &res, "http://localhost");
    char *feed = out_close(&o);
    assert_null(strstr(feed, "\xef\xbf\xbf"));
    assert_null(strstr(feed, "\xef\xbf\xbe"));
    assert_non_null(strstr(feed, "Bad \xef\xbf\xbd and \xef\xbf\xbd"));
    free(feed);
}

/* The article view marks a quoted word only as written, or every form of
 * it with quotes=stem, as the search found it. */
static void test_article_quotes(void **state)
{
    fixture_t *fx = *state;
    start(fx, 1000, 0);
    serve_resp_t a;
    req_t exact = {{{"q", "\"pilot\""}}, {{NULL, NULL}}};
    ask("GET", "/api/v1/article/odd.txt", &exact, &a);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.body, "\"body_highlights\":[]"));
    serve_resp_clear(&a);
    req_t stem = {{{"q", "\"pilot\""}, {"quotes", "stem"}}, {{NULL, NULL}}};
    ask("GET", "/api/v1/article/odd.txt", &stem, &a);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.body, "\"body_highlights\":[[7,13]]"));
    serve_resp_clear(&a);
    ask("GET", "/article/odd.txt", &stem, &a);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.body, "Harbor <mark>pilots</mark> walked"));
    serve_resp_clear(&a);
    ask("GET", "/api/v1/search", &exact, &a);
    assert_non_null(strstr(a.body, "\"matches\":0,"));
    serve_resp_clear(&a);
    serve_stop();
}

/* The article view of a phrase across a paragraph break (one click
 * killed the server at 53193a6): answered, both words marked. */
static void test_article_phrase_across_break(void **state)
{
    fixture_t *fx = *state;
    start(fx, 1000, 0);
    serve_resp_t a;
    req_t r = {{{"q", "\"companies bp\""}}, {{NULL, NULL}}};
    ask("GET", "/api/v1/search", &r, &a);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.body, "\"id\":\"bp.txt\""));
    serve_resp_clear(&a);
    ask("GET", "/article/bp.txt", &r, &a);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.body, "<mark>companies.</mark></p>"));
    assert_non_null(strstr(a.body, "<p dir=\"auto\"><mark>BP</mark>"));
    serve_resp_clear(&a);
    serve_stop();
}

int main(void)
{
    const struct CMUnitTest page[] = {
        cmocka_unit_test(test_original_link),
        cmocka_unit_test(test_span_across_paragraphs),
        cmocka_unit_test(test_hostile_spans),
        cmocka_unit_test(test_bidi_and_long_values),
        cmocka_unit_test(test_invalid_utf8_on_the_page),
        cmocka_unit_test(test_paging_keeps_settings),
        cmocka_unit_test(test_csv_rows),
    };
    const struct CMUnitTest handler[] = {
        cmocka_unit_test(test_hostile_requests),
        cmocka_unit_test(test_paths_hidden),
        cmocka_unit_test(test_facet_link_quotes),
        cmocka_unit_test(test_article_phrase_across_break),
        cmocka_unit_test(test_filters_apart),
        cmocka_unit_test(test_article_quotes),
    };
    int fails = cmocka_run_group_tests_name("page", page, NULL, NULL);
    fails += cmocka_run_group_tests_name("handler", handler, setup, teardown);
    return fails;
}
