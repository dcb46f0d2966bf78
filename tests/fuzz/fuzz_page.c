/*
 * libFuzzer harness for byline-serve's page (src/serve/page.c): whatever
 * the article, the hits, their highlights and the facets hold, and
 * whatever the request asked, every page is well-formed UTF-8 whose only
 * markup is the page's own (tests/fuzz/fuzz_check.h: its elements,
 * balanced; no event handler; links to this server only; its one
 * script), and reads nothing outside what it was given (ASan).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Input: records separated by 0x1E; a record is a kind byte, then fields
 * separated by 0x1F (a missing field is absent: NULL, or the default).
 * A field that is the one byte 0x15 is NULL; one that starts 0x0E N ':'
 * is the rest repeated N times: huge values, up to 16 KiB (no more:
 * ASan's strstr() reads the whole haystack, so the article page, which
 * looks for each paragraph break from where the last ended, takes time
 * quadratic in the paragraphs under ASan).  Numbers are decimal, any
 * non-digit between them; spans are pairs of numbers (start end), taken
 * as they come: unsorted, overlapping, out of range.
 *   Q q, sort, match, expand (words, or numbers taken as the values),
 *     note, error, numbers: limit, offset,
 *     max_offset, passages (N % 5 - 1: -1 is none asked), duplicates
 *     (non-zero: shown), an error page's status   (the request; q NULL
 *     is "": a page_req_t's query is never NULL)
 *   A id, title, author, date, source, url, body, body spans, title spans,
 *     updated, caption, path, category...     (the article viewed)
 *   H id, title, author, date, source, title spans, numbers: duplicates
 *     rank docid, then up to 3 passages as text, spans, cuts ('b' cut
 *     before, 'a' after)                       (a hit; up to 16)
 *   F field, value, count, value, count...    (a facet of the results)
 *   T field, value, count...                  (a facet of the timeline's)
 *   R from, to, author, source, category, first and last date, number:
 *     articles, quotes                          (filters, the archive)
 *   S suggestion, fallback
 *   M numbers: matches lower, estimated, upper, limited
 * Unknown kinds are skipped.  Each input renders the search page before a
 * search, with the results (and the timeline), with an error, with both;
 * the article page with the hits as "more like this" and without; an
 * error page; and the results as an Atom feed.
 */
#define _GNU_SOURCE /* open_memstream() */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byline/search.h"
#include "fuzz_check.h"
#include "serve.h"

#define RS 0x1e
#define US 0x1f
#define MAX_FIELDS 32
#define MAX_HITS 16
#define MAX_SPANS 64
#define MAX_VALUES 32
#define MAX_REPEAT (1u << 14)

/* What one input built: every allocation is listed in OWNED and freed at
 * the end (the structs are the harness's, not bl_results_free()'s). */
typedef struct page_in {
    void **owned;
    size_t nowned, cap;
    int failed; /* Out of memory: skip the input. */
} page_in_t;

static void *own(page_in_t *in, void *p)
{
    if (!p) {
        in->failed = 1;
        return NULL;
    }
    if (in->nowned == in->cap) {
        size_t cap = in->cap ? 2 * in->cap : 64;
        void **o = realloc(in->owned, cap * sizeof *o);
        if (!o) {
            free(p);
            in->failed = 1;
            return NULL;
        }
        in->owned = o;
        in->cap = cap;
    }
    in->owned[in->nowned++] = p;
    return p;
}

/* A record's fields: where each starts and its length. */
typedef struct rec {
    const char *f[MAX_FIELDS];
    size_t len[MAX_FIELDS];
    size_t n;
} rec_t;

static void split(const char *s, size_t len, rec_t *r)
{
    r->n = 0;
    size_t at = 0;
    while (r->n < MAX_FIELDS) {
        const char *us = memchr(s + at, US, len - at);
        size_t end = us ? (size_t)(us - s) : len;
        r->f[r->n] = s + at;
        r->len[r->n++] = end - at;
        if (!us)
            break;
        at = end + 1;
    }
}

/* Field K of R as a malloc'ed C string (cut at a NUL), or NULL. */
static char *str(page_in_t *in, const rec_t *r, size_t k)
{
    if (k >= r->n || (r->len[k] == 1 && r->f[k][0] == 0x15))
        return NULL;
    const char *s = r->f[k];
    size_t len = strnlen(s, r->len[k]), times = 1;
    if (len > 0 && s[0] == 0x0e) {
        const char *colon = memchr(s, ':', len);
        times = 0; /* (The input is not a C string: no strtoul().) */
        for (size_t i = 1; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            times =
                times > MAX_REPEAT ? times : times * 10 + (size_t)(s[i] - '0');
        if (colon) {
            len -= (size_t)(colon + 1 - s);
            s = colon + 1;
        } else {
            len = 0;
        }
        if (len == 0 || times == 0)
            times = 1;
        else if (times > MAX_REPEAT / len)
            times = MAX_REPEAT / len;
    }
    char *out = own(in, malloc(len * times + 1));
    if (!out)
        return NULL;
    for (size_t t = 0; t < times; t++)
        memcpy(out + t * len, s, len);
    out[len * times] = '\0';
    return out;
}

/* The value of the word S of option OPT; a number S as it is (values
 * out of range reach the page too); -1 for NULL or anything else. */
static int word(bl_option_t opt, const char *s)
{
    int v;
    if (!s)
        return -1;
    if (bl_option_parse(opt, s, &v) == BL_OK)
        return v;
    if ((*s == '-' || (*s >= '0' && *s <= '9')) && strlen(s) < 6)
        return atoi(s);
    return -1;
}

/* Up to MAX numbers of field K of R into OUT; how many. */
static size_t nums(const rec_t *r, size_t k, unsigned long long *out,
                   size_t max)
{
    size_t n = 0;
    if (k >= r->n)
        return 0;
    const char *s = r->f[k], *end = s + r->len[k];
    while (s < end && n < max) {
        if (*s < '0' || *s > '9') {
            s++;
            continue;
        }
        unsigned long long v = 0;
        for (; s < end && *s >= '0' && *s <= '9'; s++)
            v = v > (~0ull - 9) / 10 ? ~0ull : v * 10 + (unsigned)(*s - '0');
        out[n++] = v;
    }
    return n;
}

/* The spans of field K of R: a malloc'ed array (NULL for none) and its
 * length in *N. */
static bl_span_t *spans(page_in_t *in, const rec_t *r, size_t k, size_t *n)
{
    unsigned long long v[2 * MAX_SPANS];
    size_t nv = nums(r, k, v, 2 * MAX_SPANS);
    *n = nv / 2;
    if (*n == 0)
        return NULL;
    bl_span_t *hl = own(in, malloc(*n * sizeof *hl));
    if (!hl) {
        *n = 0;
        return NULL;
    }
    for (size_t i = 0; i < *n; i++) {
        hl[i].start = (size_t)v[2 * i];
        hl[i].end = (size_t)v[2 * i + 1];
    }
    return hl;
}

/* A facet from record R (field, then value and count pairs) into FC. */
static void facet(page_in_t *in, const rec_t *r, bl_facet_t *fc)
{
    memset(fc, 0, sizeof *fc);
    char *name = str(in, r, 0); /* "year", ..., or some other name. */
    fc->field = name ? name : "year";
    size_t n = r->n > 1 ? (r->n - 1) / 2 + (r->n - 1) % 2 : 0;
    if (n > MAX_VALUES)
        n = MAX_VALUES;
    if (n == 0)
        return;
    fc->values = own(in, calloc(n, sizeof *fc->values));
    if (!fc->values)
        return;
    for (size_t i = 0; i < n; i++) {
        char *v = str(in, r, 1 + 2 * i);
        unsigned long long c = 0;
        nums(r, 2 + 2 * i, &c, 1);
        fc->values[i].value = v ? v : "";
        fc->values[i].count = (unsigned)c;
        fc->total += (unsigned)c;
    }
    fc->n = n;
}

/* What the pages are drawn from. */
typedef struct pages {
    page_req_t req;
    const char *error;
    unsigned status;
    bl_article_view_t view;
    bl_results_t res, tl;
} pages_t;

#define NPAGES 8

/* Write page WHICH of P to F. */
static void draw(FILE *f, const pages_t *p, int which)
{
    const char *error = p->error ? p->error : "no index";
    switch (which) {
    case 0: page_search(f, &p->req, NULL, NULL, NULL); break;
    case 1: page_search(f, &p->req, &p->res, &p->tl, NULL); break;
    case 2: page_search(f, &p->req, &p->res, NULL, NULL); break;
    case 3: page_search(f, &p->req, NULL, NULL, error); break;
    case 4: page_search(f, &p->req, &p->res, &p->tl, error); break;
    case 5: page_article(f, &p->view, &p->res, &p->req); break;
    case 6: page_article(f, &p->view, NULL, NULL); break;
    default: page_error(f, (int)p->status, p->error); break;
    }
}

/* Draw page WHICH of P into memory and abort() unless it passes. */
static void check(const pages_t *p, int which)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return;
    draw(f, p, which);
    fclose(f);
    if (!check_page(buf, len))
        abort();
    free(buf);
}

/* libFuzzer's entry point: one input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    page_in_t in = {NULL, 0, 0, 0};
    pages_t pg;
    memset(&pg, 0, sizeof pg);
    page_req_t *req = &pg.req;
    bl_article_view_t *view = &pg.view;
    bl_results_t *res = &pg.res, *tl = &pg.tl;
    size_t nhits = 0;
    int counted = 0;
    page_req_init(req);
    pg.status = 404;

    /* First pass: how many hits, so the array is exactly their size. */
    for (size_t at = 0; at < size;) {
        const uint8_t *rs = memchr(data + at, RS, size - at);
        size_t end = rs ? (size_t)(rs - data) : size;
        nhits += end > at && data[at] == 'H';
        at = end + 1;
    }
    if (nhits > MAX_HITS)
        nhits = MAX_HITS;
    if (nhits)
        res->hits = own(&in, calloc(nhits, sizeof *res->hits));

    for (size_t at = 0; at < size && !in.failed;) {
        const uint8_t *rs = memchr(data + at, RS, size - at);
        size_t end = rs ? (size_t)(rs - data) : size;
        char kind = end > at ? (char)data[at] : '\0';
        rec_t r;
        split((const char *)data + at + (end > at), end - at - (end > at), &r);
        at = end + 1;
        unsigned long long v[8] = {0};
        switch (kind) {
        case 'R': /* The filters and the archive of the request. */
            req->from = str(&in, &r, 0);
            req->to = str(&in, &r, 1);
            req->author = str(&in, &r, 2);
            req->source = str(&in, &r, 3);
            req->category = str(&in, &r, 4);
            req->first = str(&in, &r, 5);
            req->last = str(&in, &r, 6);
            if (nums(&r, 7, v, 1) > 0)
                req->articles = (unsigned long)v[0];
            req->quotes = word(BL_OPTION_QUOTES, str(&in, &r, 8));
            break;
        case 'Q': {
            char *q = str(&in, &r, 0);
            req->q = q ? q : "";
            if (r.n > 1)
                req->sort = (bl_sort_t)word(BL_OPTION_SORT, str(&in, &r, 1));
            req->match = word(BL_OPTION_MATCH, str(&in, &r, 2));
            req->expand = word(BL_OPTION_EXPAND, str(&in, &r, 3));
            req->note = str(&in, &r, 4);
            pg.error = str(&in, &r, 5);
            size_t n = nums(&r, 6, v, 6);
            if (n > 0)
                req->limit = (unsigned)v[0];
            if (n > 1)
                req->offset = (unsigned)v[1];
            if (n > 2)
                req->max_offset = (unsigned)v[2];
            if (n > 3)
                req->passages = (int)(v[3] % 5) - 1;
            if (n > 4)
                req->show_dups = v[4] != 0;
            if (n > 5)
                pg.status = (unsigned)v[5];
            break;
        }
        case 'A': {
            bl_article_t *a = &view->article;
            a->id = str(&in, &r, 0);
            a->title = str(&in, &r, 1);
            a->author = str(&in, &r, 2);
            a->date = str(&in, &r, 3);
            a->source = str(&in, &r, 4);
            a->url = str(&in, &r, 5);
            a->body = str(&in, &r, 6);
            view->body_hl = spans(&in, &r, 7, &view->nbody_hl);
            view->title_hl = spans(&in, &r, 8, &view->ntitle_hl);
            a->updated = str(&in, &r, 9);
            a->caption = str(&in, &r, 10);
            a->path = str(&in, &r, 11);
            a->ncategories = 0;
            a->categories = NULL;
            if (r.n > 12) {
                a->categories =
                    own(&in, calloc(r.n - 12, sizeof *a->categories));
                for (size_t k = 12; a->categories && k < r.n; k++) {
                    char *c = str(&in, &r, k);
                    if (c)
                        a->categories[a->ncategories++] = c;
                }
            }
            break;
        }
        case 'H': {
            if (res->nhits == nhits || !res->hits)
                break;
            bl_hit_t *h = &res->hits[res->nhits++];
            char *id = str(&in, &r, 0);
            h->article.id = id ? id : "";
            h->article.title = str(&in, &r, 1);
            h->article.author = str(&in, &r, 2);
            h->article.date = str(&in, &r, 3);
            h->article.source = str(&in, &r, 4);
            h->title_hl = spans(&in, &r, 5, &h->ntitle_hl);
            size_t n = nums(&r, 6, v, 3);
            h->duplicates = n > 0 ? (unsigned)v[0] : 0;
            h->rank = n > 1 ? (unsigned)v[1] : (unsigned)res->nhits;
            h->docid = n > 2 ? (unsigned)v[2] : 1;
            h->score = 1.0;
            for (size_t k = 7; k < r.n && h->npassages < BL_MAX_PASSAGES;
                 k += 3) {
                bl_passage_t *p = &h->passages[h->npassages++];
                char *text = str(&in, &r, k);
                p->text = text ? text : "";
                p->hl = spans(&in, &r, k + 1, &p->nhl);
                if (k + 2 < r.n) {
                    p->cut_before = memchr(r.f[k + 2], 'b', r.len[k + 2]) != 0;
                    p->cut_after = memchr(r.f[k + 2], 'a', r.len[k + 2]) != 0;
                }
            }
            break;
        }
        case 'F':
            if (res->nfacets < BL_NFACETS)
                facet(&in, &r, &res->facets[res->nfacets++]);
            break;
        case 'T':
            if (tl->nfacets < BL_NFACETS)
                facet(&in, &r, &tl->facets[tl->nfacets++]);
            break;
        case 'S':
            res->suggestion = str(&in, &r, 0);
            res->fallback = str(&in, &r, 1);
            break;
        case 'M': {
            size_t n = nums(&r, 0, v, 4);
            res->matches_lower = n > 0 ? (unsigned)v[0] : 0;
            res->matches_estimated = n > 1 ? (unsigned)v[1] : 0;
            res->matches_upper = n > 2 ? (unsigned)v[2] : 0;
            res->limited = n > 3 ? (unsigned)v[3] : 0;
            counted = 1;
            break;
        }
        default: break;
        }
    }
    if (!counted) {
        res->matches_lower = res->matches_estimated = res->matches_upper =
            (unsigned)res->nhits;
    }

    for (int which = 0; which < NPAGES && !in.failed; which++)
        check(&pg, which);
    if (!in.failed) { /* The feed: UTF-8 XML with nothing of the page's. */
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (f) {
            page_feed(f, &pg.req, &pg.res, "http://localhost:8080");
            fclose(f);
            if (!check_utf8(buf, len) || memmem(buf, len, "<script", 7) ||
                memmem(buf, len, "<img", 4))
                abort();
            free(buf);
        }
    }
    for (size_t i = 0; i < in.nowned; i++)
        free(in.owned[i]);
    free(in.owned);
    return 0;
}
