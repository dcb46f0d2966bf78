/*
 * The query language's compiler: a parsed tree (query_parse.c) into a
 * Xapian query for one database, its wildcards expanded against it, and
 * the stems it looks for (for highlighting and feedback).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byline/schema.h"
#include "search/query.h"
#include "schema/xc_map.h"
#include "util/array.h"
#include "util/fail.h"

/* ---- Compilation ------------------------------------------------------------ */

typedef struct compiler {
    xc_db_t *db;
    qcaps_t *caps;
    unsigned long terms, scanned; /* Wildcard terms taken, read so far. */
    bl_qterm_t *t;
    size_t n, cap;
    unsigned phrases;        /* Phrases numbered so far. */
    unsigned phrase, pos;    /* The phrase being compiled (0: none). */
    bl_status_t rc;
} compiler_t;

/* Remember the stem of TERM (without its prefix) for highlighting, as a
 * word of the current phrase if any; EXACT: TERM is a word as written
 * (E<word>, or a quoted phrase's word), marked only in that form. */
static void add_stem(compiler_t *c, const char *term, int exact)
{
    const char *s = term;
    while (*s >= 'A' && *s <= 'Z')
        s++;
    for (size_t i = 0; i < c->n; i++) {
        if (strcmp(c->t[i].stem, s) == 0 && c->t[i].phrase == c->phrase &&
            c->t[i].phrase_pos == c->pos && c->t[i].exact == exact)
            return;
    }
    bl_qterm_t *nt = bl_grow(c->t, &c->cap, c->n + 1, sizeof *nt, 8);
    if (!nt) {
        c->rc = bl_fail(BL_ENOMEM, "out of memory");
        return;
    }
    c->t = nt;
    char *copy = strdup(s);
    if (!copy) {
        c->rc = bl_fail(BL_ENOMEM, "out of memory");
        return;
    }
    c->t[c->n].stem = copy;
    c->t[c->n].weight = 0;
    c->t[c->n].phrase = c->phrase;
    c->t[c->n].phrase_pos = c->pos;
    c->t[c->n].exact = exact;
    c->n++;
}

void bl_qterms_free(bl_qterm_t *terms, size_t n)
{
    for (size_t i = 0; terms && i < n; i++)
        free((void *)(uintptr_t)terms[i].stem); /* Our copy (collect()). */
    free(terms);
}

typedef struct expansion {
    char *term;
    xc_doccount_t freq;
} expansion_t;

static int by_freq(const void *a, const void *b)
{
    const expansion_t *x = a, *y = b;
    return x->freq < y->freq ? 1 : x->freq > y->freq ? -1
                                                     : strcmp(x->term, y->term);
}

/* A wildcard: the most frequent LIMIT terms starting with PREFIX, as
 * one OR (known terms, so that highlighting marks exactly them). */
static xc_query_t *compile_wild(compiler_t *c, const char *prefix, int positive)
{
    xc_termit_t *it = NULL;
    expansion_t *ex = NULL;
    size_t n = 0, cap = 0;
    xc_query_t *q = NULL;
    size_t pl = strlen(prefix);
    c->rc = bl_from_xc(xc_db_allterms(c->db, prefix, &it), "wildcard");
    xc_status_t xr = XC_OK;
    while (c->rc == BL_OK && (xr = xc_termit_next(it)) == XC_OK) {
        size_t len = 0;
        const char *t = xc_termit_term(it, &len);
        if (c->caps->scan && ++c->scanned > c->caps->scan) {
            c->caps->exceeded = BL_LIMIT_WILDCARD_SCAN;
            c->rc = bl_fail(BL_ELIMIT,
                            "the wildcards match more than %lu indexed "
                            "words together (the limit): give longer "
                            "prefixes",
                            c->caps->scan);
            break;
        }
        /* "Z" + prefix must not run into a longer prefix ("ZS..."). */
        if (pl == 1 && len > 1 && t[1] >= 'A' && t[1] <= 'Z')
            continue;
        expansion_t *ne = bl_grow(ex, &cap, n + 1, sizeof *ne, 64);
        if (!ne) {
            c->rc = bl_fail(BL_ENOMEM, "out of memory");
            break;
        }
        ex = ne;
        ex[n].term = strndup(t, len);
        ex[n].freq = xc_termit_termfreq(it);
        if (!ex[n].term) {
            c->rc = bl_fail(BL_ENOMEM, "out of memory");
            break;
        }
        n++;
    }
    if (c->rc == BL_OK && xr != XC_END)
        c->rc = bl_from_xc(xr, "wildcard");
    xc_termit_free(it);
    size_t total = n;
    if (n > 1)
        qsort(ex, n, sizeof *ex, by_freq);
    if (n > c->caps->each)
        n = c->caps->each;
    c->terms += n;
    if (c->rc == BL_OK && c->caps->total && c->terms > c->caps->total) {
        c->caps->exceeded = BL_LIMIT_WILDCARD_TERMS;
        c->rc = bl_fail(BL_ELIMIT,
                        "the wildcards stand for more than %u words "
                        "together (the limit): give fewer or longer "
                        "prefixes",
                        c->caps->total);
    }
    xc_query_t **subs = calloc(n ? n : 1, sizeof *subs);
    if (!subs && c->rc == BL_OK)
        c->rc = bl_fail(BL_ENOMEM, "out of memory");
    for (size_t i = 0; c->rc == BL_OK && i < n; i++) {
        c->rc = bl_from_xc(xc_query_term(ex[i].term, 1, 0, &subs[i]),
                           "query");
        if (positive)
            add_stem(c, ex[i].term, 0);
    }
    /* One synonym: the expansion weighs as one term, however many. */
    if (c->rc == BL_OK)
        c->rc = n ? bl_from_xc(xc_query_combine(XC_QUERY_SYNONYM,
                                                (const xc_query_t *const *)
                                                    subs,
                                                n, 0, &q),
                               "query")
                  : bl_from_xc(xc_query_match_nothing(&q), "query");
    for (size_t i = 0; subs && i < n; i++)
        xc_query_free(subs[i]);
    free(subs);
    for (size_t i = 0; i < total; i++)
        free(ex[i].term);
    free(ex);
    return q;
}

static xc_query_t *compile(compiler_t *c, const qnode_t *n, int positive)
{
    xc_query_t *q = NULL;
    char ser[18];
    if (c->rc != BL_OK)
        return NULL;
    switch (n->kind) {
    case Q_TERM:
        c->rc = bl_from_xc(xc_query_term(n->term, n->wqf, 0, &q), "query");
        if (positive && !n->quiet)
            add_stem(c, n->word ? n->word : n->term,
                     n->word || n->term[0] == BL_PREFIX_EXACT[0]);
        return q;
    case Q_BOOL: {
        xc_query_t *t = NULL;
        c->rc = bl_from_xc(xc_query_term(n->term, 1, 0, &t), "query");
        if (c->rc == BL_OK)
            c->rc = bl_from_xc(xc_query_scale_weight(t, 0, &q), "query");
        xc_query_free(t);
        return q;
    }
    case Q_WILD:
        return compile_wild(c, n->term, positive);
    case Q_RANGE: {
        char ser2[18];
        size_t l1 = n->lo ? xc_sortable_serialise((double)n->lo, ser) : 0;
        size_t l2 = n->hi < 99999999ul
                        ? xc_sortable_serialise((double)n->hi, ser2)
                        : 0;
        c->rc = bl_from_xc(xc_query_value_range(BL_SLOT_DATE,
                                                l1 ? ser : NULL, l1,
                                                l2 ? ser2 : NULL, l2, &q),
                           "query");
        return q;
    }
    case Q_ALL:
        c->rc = bl_from_xc(xc_query_match_all(&q), "query");
        return q;
    default:
        break;
    }
    static const xc_query_op_t ops[] = {
        [Q_PHRASE] = XC_QUERY_PHRASE, [Q_NEAR] = XC_QUERY_NEAR,
        [Q_AND] = XC_QUERY_AND,       [Q_OR] = XC_QUERY_OR,
        [Q_ANDNOT] = XC_QUERY_AND_NOT, [Q_MAYBE] = XC_QUERY_AND_MAYBE,
        [Q_FILTER] = XC_QUERY_FILTER, [Q_SYNONYM] = XC_QUERY_SYNONYM};
    xc_query_t **subs = calloc(n->nkids, sizeof *subs);
    if (!subs) {
        c->rc = bl_fail(BL_ENOMEM, "out of memory");
        return NULL;
    }
    unsigned phrase = c->phrase, at = c->pos;
    if (n->kind == Q_PHRASE && positive)
        c->phrase = ++c->phrases;
    for (size_t i = 0; c->rc == BL_OK && i < n->nkids; i++) {
        int pos = positive;
        if ((n->kind == Q_ANDNOT || n->kind == Q_FILTER) && i > 0)
            pos = 0;
        if (n->kind == Q_PHRASE)
            c->pos = (unsigned)i;
        subs[i] = compile(c, n->kids[i], pos);
    }
    c->phrase = phrase;
    c->pos = at;
    if (c->rc == BL_OK)
        c->rc = bl_from_xc(xc_query_combine(ops[n->kind],
                                            (const xc_query_t *const *)subs,
                                            n->nkids, n->window, &q),
                           "query");
    for (size_t i = 0; i < n->nkids; i++)
        xc_query_free(subs[i]);
    free(subs);
    return q;
}

bl_status_t bl_query_compile(const bl_query_t *q, xc_db_t *db,
                             qcaps_t *caps, xc_query_t **out,
                             bl_qterm_t **terms, size_t *n)
{
    compiler_t c;
    memset(&c, 0, sizeof c);
    c.db = db;
    c.caps = caps;
    if (caps->each == 0)
        caps->each = 1;
    caps->exceeded = 0;
    xc_query_t *x = compile(&c, q->root, 1);
    *out = NULL;
    *terms = NULL;
    *n = 0;
    if (c.rc != BL_OK) {
        xc_query_free(x);
        bl_qterms_free(c.t, c.n);
        return c.rc;
    }
    *out = x;
    *terms = c.t;
    *n = c.n;
    return BL_OK;
}

typedef struct words {
    qword_t *w;
    size_t n, cap;
    int nomem;
} words_t;

static void collect_words(const qnode_t *n, words_t *w)
{
    if (n->kind == Q_TERM && n->src_len) {
        qword_t *nw = bl_grow(w->w, &w->cap, w->n + 1, sizeof *nw, 8);
        if (!nw) {
            w->nomem = 1;
            return;
        }
        w->w = nw;
        w->w[w->n].term = n->term;
        w->w[w->n].at = n->src_at;
        w->w[w->n].len = n->src_len;
        w->n++;
    }
    for (size_t i = 0; i < n->nkids; i++) {
        if ((n->kind == Q_ANDNOT || n->kind == Q_FILTER) && i > 0)
            break;
        collect_words(n->kids[i], w);
    }
}

bl_status_t bl_query_words(const bl_query_t *q, qword_t **out, size_t *n)
{
    words_t w = {NULL, 0, 0, 0};
    collect_words(q->root, &w);
    if (w.nomem) {
        free(w.w);
        return bl_fail(BL_ENOMEM, "out of memory");
    }
    *out = w.w;
    *n = w.n;
    return BL_OK;
}

/* ---- Boosts: word pairs, proximity and title ----------------------------- */

/* Non-zero if N is a plain word's term: Z<stem> (not a field's ZS..., not
 * an exact E<word>). */
static int stem_term(const qnode_t *n)
{
    return n->kind == Q_TERM && n->term[0] == BL_PREFIX_STEM[0] &&
           !(n->term[1] >= 'A' && n->term[1] <= 'Z');
}

/* SUB scaled by FACTOR, appended to the N queries of *V (CAP of room);
 * SUB is freed. */
static bl_status_t push_scaled(xc_query_t ***v, size_t *n, size_t *cap,
                               xc_query_t *sub, double factor)
{
    xc_query_t *q = NULL;
    bl_status_t rc = bl_from_xc(xc_query_scale_weight(sub, factor, &q),
                                "query");
    xc_query_free(sub);
    xc_query_t **nv = NULL;
    if (rc == BL_OK) {
        nv = bl_grow(*v, cap, *n + 1, sizeof *nv, 8);
        if (!nv)
            rc = bl_fail(BL_ENOMEM, "out of memory");
    }
    if (rc != BL_OK) {
        xc_query_free(q);
        return rc;
    }
    *v = nv;
    (*v)[(*n)++] = q;
    return BL_OK;
}

/* The terms A and B combined by OP within WINDOW positions. */
static bl_status_t pair(const char *a, const char *b, xc_query_op_t op,
                        unsigned window, xc_query_t **out)
{
    xc_query_t *ta = NULL, *tb = NULL;
    *out = NULL;
    bl_status_t rc = bl_from_xc(xc_query_term(a, 1, 0, &ta), "query");
    if (rc == BL_OK)
        rc = bl_from_xc(xc_query_term(b, 1, 0, &tb), "query");
    if (rc == BL_OK) {
        const xc_query_t *both[2] = {ta, tb};
        rc = bl_from_xc(xc_query_combine(op, both, 2, window, out), "query");
    }
    xc_query_free(ta);
    xc_query_free(tb);
    return rc;
}

/* Non-zero (into *COMMON) if TERM is in more than PS's share of its
 * articles (its frequency read through PS's cache: over remote shards a
 * read is a round trip to every shard).  Returns BL_OK or as
 * bl_from_xc(). */
static bl_status_t common_word(const bl_pair_stats_t *ps, const char *term,
                               int *common)
{
    xc_doccount_t f = 0;
    bl_status_t rc = bl_tfcache_get(ps->cache, ps->db, term, &f);
    *common = rc == BL_OK && (double)f > ps->common * (double)ps->ndocs;
    return rc;
}

/* Non-zero (into *COMMON) if the terms A and B are each in more than PS's
 * share of its articles (never with no PS, no database or a share of 1).
 * Returns BL_OK or as bl_from_xc(). */
static bl_status_t common_pair(const bl_pair_stats_t *ps, const char *a,
                               const char *b, int *common)
{
    *common = 0;
    if (!ps || !ps->db || !(ps->common < 1) || ps->ndocs == 0)
        return BL_OK;
    bl_status_t rc = common_word(ps, a, common);
    if (rc == BL_OK && *common)
        rc = common_word(ps, b, common);
    return rc;
}

bl_status_t bl_query_boosts(const bl_query_t *q, const bl_pair_stats_t *ps,
                            double pairs,
                            double proximity, unsigned window, double title,
                            xc_query_t **out)
{
    const qnode_t *r = q ? q->root : NULL;
    xc_query_t **v = NULL;
    size_t n = 0, cap = 0;
    bl_status_t rc = BL_OK;
    *out = NULL;
    if (!r)
        return BL_OK;
    /* Plain words: a word, or words any of which may match (so that a
     * boost, OR-ed beside the query, matches nothing it does not). */
    const qnode_t *const *kids = (const qnode_t *const *)&r;
    size_t nkids = 1;
    if (r->kind == Q_OR) {
        kids = (const qnode_t *const *)r->kids;
        nkids = r->nkids;
    }
    for (size_t i = 0; i < nkids; i++) {
        if (!stem_term(kids[i]))
            return BL_OK;
    }
    char term[BL_MAX_TERM + 8];
    for (size_t i = 0; rc == BL_OK && title > 0 && i < nkids; i++) {
        xc_query_t *t = NULL;
        snprintf(term, sizeof term, BL_PREFIX_TITLE "%s", kids[i]->term + 1);
        rc = bl_from_xc(xc_query_term(term, kids[i]->wqf, 0, &t), "query");
        if (rc == BL_OK)
            rc = push_scaled(&v, &n, &cap, t, title);
    }
    /* The words in the order typed (a word typed twice is one node, where
     * it was first typed).  The pairs share PROXIMITY, so that the 10-20
     * pairs of a long query (CISI's and Cranfield's sentences) do not
     * outweigh its words (README, Ranking quality: summed or shared, it
     * measured much the same). */
    if (nkids > 2) {
        pairs /= (double)(nkids - 1);
        proximity /= (double)(nkids - 1);
    }
    /* Both words of a pair in the article, anywhere: an AND, no positions
     * read (most of what proximity gained on the AP sample, at a fraction
     * of its cost: README, Ranking quality).  Not a pair of two common
     * words: its weight is small, its AND walks two long posting lists a
     * second time (1.8 times the search's time at 1 GB), and the test
     * collections ranked better without them (README, Ranking
     * quality). */
    for (size_t i = 0; rc == BL_OK && pairs > 0 && i + 1 < nkids; i++) {
        xc_query_t *p = NULL;
        int common = 0;
        rc = common_pair(ps, kids[i]->term, kids[i + 1]->term, &common);
        if (rc != BL_OK || common)
            continue;
        rc = pair(kids[i]->term, kids[i + 1]->term, XC_QUERY_AND, 0, &p);
        if (rc == BL_OK)
            rc = push_scaled(&v, &n, &cap, p, pairs);
    }
    /* One positional check per pair: a NEAR, or with no window the
     * ordered phrase (both, the NEAR at half weight, ranked much the same
     * and cost 1.8 times the search of the words alone; README, Ranking
     * quality). */
    for (size_t i = 0; rc == BL_OK && proximity > 0 && i + 1 < nkids; i++) {
        const char *a = kids[i]->term, *b = kids[i + 1]->term;
        xc_query_t *p = NULL;
        if (window >= 2)
            rc = pair(a, b, XC_QUERY_NEAR, window, &p);
        else
            rc = pair(a, b, XC_QUERY_PHRASE, PROXIMITY_ORDERED, &p);
        if (rc == BL_OK)
            rc = push_scaled(&v, &n, &cap, p, proximity);
    }
    if (rc == BL_OK && n > 0)
        rc = bl_from_xc(xc_query_combine(XC_QUERY_OR,
                                         (const xc_query_t *const *)v, n, 0,
                                         out),
                        "query");
    for (size_t i = 0; i < n; i++)
        xc_query_free(v[i]);
    free(v);
    return rc;
}
