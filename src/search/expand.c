/*
 * Pseudo-relevance feedback: RM3, as Anserini runs it (Lavrenko and
 * Croft's relevance model, interpolated with the query), and "more like
 * this" from the informative terms of one article.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * RM3 for a query Q:
 *   1. the FB_DOCS best articles for Q (BM25);
 *   2. each one's stems (Z terms, title words counted as indexed), leaving
 *      out terms of fewer than 2 or more than 20 bytes, with punctuation,
 *      or in more than 10% of the articles; its FB_TERMS most frequent
 *      kept and scaled to sum 1;
 *   3. the relevance model: each term's share summed over the articles,
 *      weighted by the article's score; its FB_TERMS best kept, scaled to
 *      sum 1;
 *   4. interpolated with Q's own stems (each 1/|Q|): weight
 *      QW * q(t) + (1 - QW) * rm(t);
 *   5. the new query: every term, BM25-weighted and scaled by its weight.
 * A query of plain words is replaced by the new one (it may find articles
 * that Q did not); any other (phrases, +words, fields, AND) keeps its
 * matches, ranked by the new query.
 */
#include "search/expand.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byline/schema.h"
#include "schema/xc_map.h"
#include "search/searcher_internal.h"
#include "util/array.h"
#include "util/fail.h"

#define MIN_TERM 2
#define MAX_TERM 20
#define MAX_DF_RATIO 0.1

/* A weighted term. */
typedef struct wterm {
    char *term; /* "Z<stem>". */
    double w;
    unsigned adds; /* Times added (vec_add()). */
} wterm_t;

typedef struct vec {
    wterm_t *t;
    size_t n, cap;
} vec_t;

static void vec_free(vec_t *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->t[i].term);
    free(v->t);
    memset(v, 0, sizeof *v);
}

/* Add W to TERM's weight in V (adding the term if new).  Returns BL_OK or
 * BL_ENOMEM. */
static bl_status_t vec_add(vec_t *v, const char *term, double w)
{
    for (size_t i = 0; i < v->n; i++) {
        if (strcmp(v->t[i].term, term) == 0) {
            v->t[i].w += w;
            v->t[i].adds++;
            return BL_OK;
        }
    }
    wterm_t *t = bl_grow(v->t, &v->cap, v->n + 1, sizeof *t, 64);
    if (!t)
        return bl_fail(BL_ENOMEM, "out of memory");
    v->t = t;
    v->t[v->n].term = strdup(term);
    if (!v->t[v->n].term)
        return bl_fail(BL_ENOMEM, "out of memory");
    v->t[v->n].adds = 1;
    v->t[v->n++].w = w;
    return BL_OK;
}

/* Heaviest first; ties by term, so that runs are the same every time. */
static int by_weight(const void *a, const void *b)
{
    const wterm_t *x = a, *y = b;
    if (x->w != y->w)
        return x->w < y->w ? 1 : -1;
    return strcmp(x->term, y->term);
}

/* Keep the N heaviest terms of V and scale them to sum 1.  Cannot fail. */
static void vec_prune(vec_t *v, size_t n)
{
    if (v->n == 0)
        return; /* (qsort of a NULL array: undefined.) */
    qsort(v->t, v->n, sizeof *v->t, by_weight);
    while (v->n > n)
        free(v->t[--v->n].term);
    double sum = 0;
    for (size_t i = 0; i < v->n; i++)
        sum += v->t[i].w;
    for (size_t i = 0; sum > 0 && i < v->n; i++)
        v->t[i].w /= sum;
}

/* Non-zero if the termlist entry TERM (LEN bytes) is a stem worth feeding
 * back: "Z" + 2 to 20 bytes of letters and digits (UTF-8 letters too), not
 * a field's term ("ZS..."). */
static int feedback_term(const char *term, size_t len)
{
    if (len < 1 + MIN_TERM || len > 1 + MAX_TERM || term[0] != 'Z')
        return 0;
    for (size_t i = 1; i < len; i++) {
        unsigned char c = (unsigned char)term[i];
        if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c < 0x80)
            return 0;
    }
    return 1;
}

/* The feedback vector of document DOCID into V: its stems by wdf, the
 * FB_TERMS most frequent, scaled to sum 1. */
static bl_status_t doc_vector(xc_db_t *db, xc_docid_t docid, double max_df,
                              size_t fb_terms, vec_t *v)
{
    xc_termit_t *it = NULL;
    bl_status_t rc = bl_from_xc(xc_db_termlist(db, docid, &it), "termlist");
    xc_status_t xr = XC_OK;
    while (rc == BL_OK && (xr = xc_termit_next(it)) == XC_OK) {
        size_t len = 0;
        const char *term = xc_termit_term(it, &len);
        if (!feedback_term(term, len))
            continue;
        xc_doccount_t df = 0;
        rc = bl_from_xc(xc_db_termfreq(db, term, &df), "termfreq");
        if (rc == BL_OK && (double)df <= max_df)
            rc = vec_add(v, term, (double)xc_termit_wdf(it));
    }
    if (rc == BL_OK && xr != XC_END)
        rc = bl_from_xc(xr, "termlist");
    xc_termit_free(it);
    if (rc == BL_OK)
        vec_prune(v, fb_terms);
    return rc;
}

/* The query of the terms of V, each BM25-weighted and scaled by its
 * weight, into *OUT. */
static bl_status_t weighted_or(const vec_t *v, xc_query_t **out)
{
    xc_query_t **subs = calloc(v->n ? v->n : 1, sizeof *subs);
    bl_status_t rc = subs ? BL_OK : bl_fail(BL_ENOMEM, "out of memory");
    *out = NULL;
    for (size_t i = 0; rc == BL_OK && i < v->n; i++) {
        xc_query_t *t = NULL;
        rc = bl_from_xc(xc_query_term(v->t[i].term, 1, 0, &t), "query");
        if (rc == BL_OK)
            rc = bl_from_xc(xc_query_scale_weight(t, v->t[i].w, &subs[i]),
                            "query");
        xc_query_free(t);
    }
    if (rc == BL_OK)
        rc = bl_from_xc(xc_query_combine(XC_QUERY_OR,
                                         (const xc_query_t *const *)subs,
                                         v->n, 0, out),
                        "query");
    for (size_t i = 0; subs && i < v->n; i++)
        xc_query_free(subs[i]);
    free(subs);
    return rc;
}

/* Restrict EXPANDED to the matches of ORIGINAL (which adds no weight), or
 * give EXPANDED back when REPLACE.  Takes EXPANDED. */
static bl_status_t restrict_to(xc_query_t *expanded, const xc_query_t *orig,
                               int replace, xc_query_t **out)
{
    if (replace) {
        *out = expanded;
        return BL_OK;
    }
    xc_query_t *zero = NULL;
    bl_status_t rc = bl_from_xc(xc_query_scale_weight(orig, 0, &zero),
                                "query");
    if (rc == BL_OK) {
        const xc_query_t *subs[2] = {zero, expanded};
        rc = bl_from_xc(xc_query_combine(XC_QUERY_AND_MAYBE, subs, 2, 0, out),
                        "query");
    }
    xc_query_free(zero);
    xc_query_free(expanded);
    return rc;
}

/* Run Q on ENQ for its N best documents into *MS. */
static bl_status_t best(xc_enquire_t *enq, const xc_query_t *q,
                        unsigned n, xc_mset_t **ms)
{
    bl_status_t rc = bl_from_xc(xc_enquire_set_query(enq, q), "query");
    if (rc == BL_OK)
        rc = bl_from_xc(xc_enquire_mset(enq, 0, n, n, ms), "feedback");
    return rc;
}

/* The feedback articles: docids and scores. */
typedef struct fbdocs {
    xc_docid_t *docid;
    double *w;
    size_t n;
} fbdocs_t;

static void fbdocs_free(fbdocs_t *f)
{
    free(f->docid);
    free(f->w);
    memset(f, 0, sizeof *f);
}

typedef struct tied {
    xc_docid_t docid;
    char *id;
} tied_t;

/* trec_eval's order of equal scores, as the searcher's: ids descending. */
static int by_id_desc(const void *a, const void *b)
{
    return strcmp(((const tied_t *)b)->id, ((const tied_t *)a)->id);
}

/* The article id of document DOCID into a malloc'ed *ID (NULL on
 * failure). */
static bl_status_t article_id(xc_db_t *db, xc_docid_t docid, char **id)
{
    xc_doc_t *doc = NULL;
    const char *data = NULL;
    size_t len = 0;
    *id = NULL;
    bl_status_t rc = bl_from_xc(xc_db_get_document(db, docid, &doc),
                                "feedback");
    if (rc == BL_OK)
        rc = bl_from_xc(xc_doc_get_data(doc, &data, &len), "feedback");
    if (rc == BL_OK)
        rc = stored_id(data, len, id);
    xc_doc_free(doc);
    return rc;
}

/* The feedback articles of Q into *F: its FB_DOCS best on ENQ, those
 * scoring at least MIN_RATIO times the best's.  A tie across the cut is
 * settled by the articles' ids, as a run orders ties, so that feedback
 * does not depend on the document ids the index's writers happened to
 * give.  Returns BL_OK, BL_EIO, BL_EMODIFIED, BL_ENETWORK or BL_ENOMEM. */
static bl_status_t feedback_docs(xc_db_t *db, xc_enquire_t *enq,
                                 const xc_query_t *q,
                                 const bl_expand_options_t *o, fbdocs_t *f)
{
    xc_mset_t *ms = NULL;
    tied_t *t = NULL;
    memset(f, 0, sizeof *f);
    bl_status_t rc = best(enq, q, o->fb_docs + TIE_EXTRA, &ms);
    size_t size = ms ? xc_mset_size(ms) : 0;
    size_t n = size < o->fb_docs ? size : o->fb_docs;
    if (rc == BL_OK && n > 0 && o->min_ratio > 0) {
        double top = xc_mset_weight(ms, 0);
        size_t k = 1;
        while (k < n && xc_mset_weight(ms, k) >= o->min_ratio * top)
            k++;
        n = k;
    }
    if (rc == BL_OK && n > 0) {
        f->docid = malloc(n * sizeof *f->docid);
        f->w = malloc(n * sizeof *f->w);
        if (!f->docid || !f->w)
            rc = bl_fail(BL_ENOMEM, "out of memory");
    }
    for (size_t i = 0; rc == BL_OK && i < n; i++) {
        f->docid[i] = xc_mset_docid(ms, i);
        f->w[i] = xc_mset_weight(ms, i);
    }
    if (rc == BL_OK && n > 0 && n < size &&
        xc_mset_weight(ms, n) == xc_mset_weight(ms, n - 1)) {
        double w = xc_mset_weight(ms, n - 1);
        size_t lo = n - 1, hi = n;
        while (lo > 0 && xc_mset_weight(ms, lo - 1) == w)
            lo--;
        while (hi < size && xc_mset_weight(ms, hi) == w)
            hi++;
        t = calloc(hi - lo, sizeof *t);
        if (!t)
            rc = bl_fail(BL_ENOMEM, "out of memory");
        for (size_t i = lo; rc == BL_OK && i < hi; i++) {
            t[i - lo].docid = xc_mset_docid(ms, i);
            rc = article_id(db, t[i - lo].docid, &t[i - lo].id);
        }
        if (rc == BL_OK)
            qsort(t, hi - lo, sizeof *t, by_id_desc);
        for (size_t i = lo; rc == BL_OK && i < n; i++)
            f->docid[i] = t[i - lo].docid;
        for (size_t i = 0; t && i < hi - lo; i++)
            free(t[i].id);
        free(t);
    }
    if (rc == BL_OK)
        f->n = n;
    else
        fbdocs_free(f);
    xc_mset_free(ms);
    return rc;
}

bl_status_t bl_expand_rm3(xc_db_t *db, xc_enquire_t *enq,
                          const xc_query_t *q, const char *const *stems,
                          size_t nstems, int replace,
                          const bl_expand_options_t *o, xc_query_t **out)
{
    fbdocs_t fb = {0};
    xc_doccount_t ndocs = 0;
    vec_t rm = {0}, doc = {0}, mix = {0};
    char term[BL_MAX_TOKEN * 2 + 2];
    *out = NULL;
    bl_status_t rc = bl_from_xc(xc_db_doccount(db, &ndocs), "doccount");
    if (rc == BL_OK)
        rc = feedback_docs(db, enq, q, o, &fb);
    size_t n = fb.n;
    for (size_t i = 0; rc == BL_OK && i < n; i++) {
        rc = doc_vector(db, fb.docid[i], MAX_DF_RATIO * ndocs, o->fb_terms,
                        &doc);
        for (size_t k = 0; rc == BL_OK && k < doc.n; k++)
            rc = vec_add(&rm, doc.t[k].term, doc.t[k].w * fb.w[i]);
        vec_free(&doc);
    }
    /* A term of one feedback article alone is more likely that article's
     * topic than the query's: weighed by its spread over them. */
    for (size_t i = 0; rc == BL_OK && o->spread > 0 && i < rm.n; i++)
        rm.t[i].w *= pow((double)rm.t[i].adds / (double)n, o->spread);
    if (rc == BL_OK)
        vec_prune(&rm, o->fb_terms);
    /* Interpolate with the query's own stems. */
    for (size_t i = 0; rc == BL_OK && i < nstems; i++) {
        snprintf(term, sizeof term, BL_PREFIX_STEM "%s", stems[i]);
        rc = vec_add(&mix, term, o->query_weight / (double)nstems);
    }
    for (size_t i = 0; rc == BL_OK && i < rm.n; i++)
        rc = vec_add(&mix, rm.t[i].term, (1 - o->query_weight) * rm.t[i].w);
    if (rc == BL_OK && n > 0 && mix.n > 0) {
        xc_query_t *e = NULL;
        qsort(mix.t, mix.n, sizeof *mix.t, by_weight);
        rc = weighted_or(&mix, &e);
        if (rc == BL_OK)
            rc = restrict_to(e, q, replace, out);
    }
    vec_free(&rm);
    vec_free(&mix);
    fbdocs_free(&fb);
    return rc;
}

typedef struct eset_ctx {
    vec_t *v;
    double max_df;
    xc_db_t *db;
    bl_status_t rc;
} eset_ctx_t;

/* Take one term of Xapian's expansion set (the feedback terms' rules). */
static int take_eset(const char *term, size_t len, double weight, void *p)
{
    eset_ctx_t *c = p;
    char t[BL_MAX_TOKEN * 2 + 2];
    xc_doccount_t df = 0;
    if (!feedback_term(term, len) || len >= sizeof t)
        return 0;
    memcpy(t, term, len);
    t[len] = '\0';
    c->rc = bl_from_xc(xc_db_termfreq(c->db, t, &df), "termfreq");
    if (c->rc == BL_OK && (double)df <= c->max_df)
        c->rc = vec_add(c->v, t, weight);
    return c->rc != BL_OK;
}

bl_status_t bl_expand_bo1(xc_db_t *db, xc_enquire_t *enq,
                          const xc_query_t *q, size_t nstems, int replace,
                          const bl_expand_options_t *o, xc_query_t **out)
{
    fbdocs_t fb = {0};
    xc_doccount_t ndocs = 0;
    vec_t v = {0};
    *out = NULL;
    bl_status_t rc = bl_from_xc(xc_db_doccount(db, &ndocs), "doccount");
    if (rc == BL_OK)
        rc = feedback_docs(db, enq, q, o, &fb);
    size_t n = fb.n;
    const xc_docid_t *rset = fb.docid;
    eset_ctx_t c = {&v, MAX_DF_RATIO * ndocs, db, BL_OK};
    if (rc == BL_OK && n > 0)
        rc = bl_from_xc(xc_enquire_eset(enq, "bo1", rset, n,
                                        4 * o->fb_terms, BL_PREFIX_STEM, take_eset, &c),
                        "expansion");
    if (rc == BL_OK)
        rc = c.rc;
    if (rc == BL_OK && v.n > 0) {
        /* The query keeps its share, each of its stems 1/|Q| of it, as in
         * RM3; the expansion terms share the rest by their weights. */
        xc_query_t *e = NULL, *orig = NULL, *both = NULL;
        vec_prune(&v, o->fb_terms);
        for (size_t i = 0; i < v.n; i++)
            v.t[i].w *= 1 - o->query_weight;
        rc = weighted_or(&v, &e);
        if (rc == BL_OK)
            rc = bl_from_xc(xc_query_scale_weight(
                                q, o->query_weight / (double)nstems, &orig),
                            "query");
        if (rc == BL_OK) {
            const xc_query_t *subs[2] = {orig, e};
            rc = bl_from_xc(xc_query_combine(XC_QUERY_OR, subs, 2, 0, &both),
                            "query");
        }
        xc_query_free(e);
        xc_query_free(orig);
        if (rc == BL_OK)
            rc = restrict_to(both, q, replace, out);
    }
    vec_free(&v);
    fbdocs_free(&fb);
    return rc;
}

bl_status_t bl_expand_like(xc_db_t *db, xc_docid_t docid,
                           const bl_expand_options_t *o, xc_query_t **out)
{
    xc_doccount_t ndocs = 0;
    vec_t v = {0};
    *out = NULL;
    bl_status_t rc = bl_from_xc(xc_db_doccount(db, &ndocs), "doccount");
    /* The article's terms, weighed by how rare they are: wdf * idf. */
    xc_termit_t *it = NULL;
    if (rc == BL_OK)
        rc = bl_from_xc(xc_db_termlist(db, docid, &it), "termlist");
    xc_status_t xr = XC_OK;
    while (rc == BL_OK && (xr = xc_termit_next(it)) == XC_OK) {
        size_t len = 0;
        const char *term = xc_termit_term(it, &len);
        xc_doccount_t df = 0;
        if (!feedback_term(term, len))
            continue;
        rc = bl_from_xc(xc_db_termfreq(db, term, &df), "termfreq");
        /* A term of this article alone finds nothing else; one of every
         * article tells nothing (its idf is 0). */
        if (rc == BL_OK && df > 1 && df < ndocs)
            rc = vec_add(&v, term, (double)xc_termit_wdf(it) *
                                       log((double)ndocs / (double)df));
    }
    if (rc == BL_OK && xr != XC_END)
        rc = bl_from_xc(xr, "termlist");
    xc_termit_free(it);
    if (rc == BL_OK) {
        vec_prune(&v, o->like_terms);
        if (v.n == 0)
            rc = bl_fail(BL_ENOTFOUND, "the article has no term that another "
                                       "article shares");
    }
    if (rc == BL_OK)
        rc = weighted_or(&v, out);
    vec_free(&v);
    return rc;
}
