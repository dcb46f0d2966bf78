/*
 * The query tree's nodes: made, combined and freed, and made of what a
 * query holds (words and phrases analyzed as the index was, dates and
 * field values), for the parser (query_parse.c).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "byline/schema.h"
#include "schema/xc_map.h"
#include "search/query_internal.h"
#include "util/array.h"
#include "util/fail.h"

qnode_t *qn_nomem(parser_t *ps)
{
    if (ps->rc == BL_OK)
        ps->rc = bl_fail(BL_ENOMEM, "out of memory");
    return NULL;
}

void qn_node_free(qnode_t *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nkids; i++)
        qn_node_free(n->kids[i]);
    free(n->kids);
    free(n->term);
    free(n->word);
    free(n);
}

qnode_t *qn_node_new(parser_t *ps, qkind_t kind)
{
    qnode_t *n = calloc(1, sizeof *n);
    if (!n)
        return qn_nomem(ps);
    n->kind = kind;
    return n;
}

/* A term node of KIND for PREFIX + the LEN bytes at S. */
qnode_t *qn_term_node(parser_t *ps, qkind_t kind, const char *prefix,
                          const char *s, size_t len)
{
    size_t pl = strlen(prefix);
    if (pl + len > MAX_TERM_LEN)
        len = MAX_TERM_LEN - pl;
    qnode_t *n = qn_node_new(ps, kind);
    if (!n)
        return NULL;
    n->term = malloc(pl + len + 1);
    if (!n->term) {
        free(n);
        return qn_nomem(ps);
    }
    memcpy(n->term, prefix, pl);
    memcpy(n->term + pl, s, len);
    n->term[pl + len] = '\0';
    n->wqf = 1;
    return n;
}

/* Append KID to N (takes it; frees it on failure). */
int qn_add_kid(parser_t *ps, qnode_t *n, qnode_t *kid)
{
    qnode_t **k = realloc(n->kids, (n->nkids + 1) * sizeof *k);
    if (!k) {
        qn_node_free(kid);
        qn_nomem(ps);
        return 0;
    }
    n->kids = k;
    n->kids[n->nkids++] = kid;
    return 1;
}

/* A new node of KIND with KID (taken) as its first kid; NULL when out of
 * memory, KID and PENDING then freed. */
qnode_t *qn_node_with(parser_t *ps, qkind_t kind, qnode_t *kid,
                      qnode_t *pending)
{
    qnode_t *n = qn_node_new(ps, kind);
    if (!n) {
        qn_node_free(kid);
        qn_node_free(pending);
        return NULL;
    }
    if (!qn_add_kid(ps, n, kid)) { /* (It frees KID.) */
        qn_node_free(pending);
        qn_node_free(n);
        return NULL;
    }
    return n;
}

/* A node of KIND over A and B (either may be NULL: the other is given
 * back); same-kind associative nodes are flattened. */
qnode_t *qn_combine(parser_t *ps, qkind_t kind, qnode_t *a, qnode_t *b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    if (a->kind == kind && (kind == Q_AND || kind == Q_OR)) {
        if (b->kind == kind) {
            for (size_t i = 0; i < b->nkids; i++) {
                qnode_t *kid = b->kids[i];
                b->kids[i] = NULL; /* A's now, or freed. */
                if (!qn_add_kid(ps, a, kid)) {
                    qn_node_free(b); /* With the kids not moved. */
                    return a;
                }
            }
            b->nkids = 0;
            qn_node_free(b);
            return a;
        }
        qn_add_kid(ps, a, b);
        return a;
    }
    qnode_t *n = qn_node_new(ps, kind);
    if (!n) {
        qn_node_free(a);
        qn_node_free(b);
        return NULL;
    }
    if (qn_add_kid(ps, n, a))
        qn_add_kid(ps, n, b);
    else
        qn_node_free(b);
    return n;
}

/* ---- Words and phrases --------------------------------------------------- */


static int collect(const bl_token_t *t, void *p)
{
    toks_t *k = p;
    /* Four arrays side by side: each grown from a copy of their capacity,
     * which is stored once all have grown. */
    size_t cw = k->cap, cs = k->cap, cp = k->cap, cf = k->cap;
    char **w = bl_grow(k->word, &cw, k->n + 1, sizeof *w, 8);
    if (w)
        k->word = w;
    char **s = w ? bl_grow(k->stem, &cs, k->n + 1, sizeof *s, 8) : NULL;
    if (s)
        k->stem = s;
    uint32_t *ps = s ? bl_grow(k->pos, &cp, k->n + 1, sizeof *ps, 8) : NULL;
    if (ps)
        k->pos = ps;
    unsigned *f = ps ? bl_grow(k->flags, &cf, k->n + 1, sizeof *f, 8) : NULL;
    if (!f) {
        k->nomem = 1;
        return 1;
    }
    k->flags = f;
    k->cap = cf;
    k->word[k->n] = strndup(t->word, t->word_len);
    k->stem[k->n] = strndup(t->stem, t->stem_len);
    k->pos[k->n] = t->pos;
    k->flags[k->n] = t->flags;
    if (!k->word[k->n] || !k->stem[k->n]) {
        free(k->word[k->n]);
        free(k->stem[k->n]);
        k->nomem = 1;
        return 1;
    }
    k->n++;
    return 0;
}

void qn_toks_free(toks_t *k)
{
    for (size_t i = 0; i < k->n; i++) {
        free(k->word[i]);
        free(k->stem[i]);
    }
    free(k->word);
    free(k->stem);
    free(k->pos);
    free(k->flags);
}

/* Analyze the LEN bytes at S into K. */
int qn_analyze(parser_t *ps, const char *s, size_t len, toks_t *k)
{
    memset(k, 0, sizeof *k);
    bl_status_t rc = bl_analyze(ps->an, s, len, 1, collect, k, NULL);
    if (k->nomem || (rc != BL_OK && rc != BL_END)) {
        qn_toks_free(k);
        qn_nomem(ps);
        return 0;
    }
    return 1;
}

/* The node for the words of K (not variants) as a phrase of Z terms (one
 * word: a term); NULL if there are none.  QUOTED (a quoted phrase, with
 * BL_QUERY_EXACT): each term keeps its word as written, for
 * exact_forms() and for marking only that form; a plain word keeps none,
 * so that it is marked, and fed back to expansion, as its stem. */
static qnode_t *phrase_of(parser_t *ps, const toks_t *k, int quoted)
{
    qnode_t *ph = NULL, *last = NULL;
    size_t words = 0;
    uint32_t first = 0, lastpos = 0;
    for (size_t i = 0; i < k->n; i++) {
        if (k->flags[i] & BL_TOKEN_VARIANT)
            continue;
        qnode_t *t = qn_term_node(ps, Q_TERM, BL_PREFIX_STEM, k->stem[i], strlen(k->stem[i]));
        if (t && quoted && ps->exact && !(t->word = strdup(k->word[i]))) {
            qn_node_free(t);
            t = qn_nomem(ps);
        }
        if (!t) {
            qn_node_free(ph);
            qn_node_free(last);
            return NULL;
        }
        if (words == 0)
            first = k->pos[i];
        lastpos = k->pos[i];
        words++;
        if (words == 1) {
            last = t;
            continue;
        }
        if (!ph) {
            ph = qn_node_with(ps, Q_PHRASE, last, t);
            if (!ph)
                return NULL;
            last = NULL;
        }
        if (!qn_add_kid(ps, ph, t)) {
            qn_node_free(ph);
            return NULL;
        }
    }
    if (!ph)
        return last;
    /* Stopwords left out keep their positions: the window spans them. */
    ph->window = lastpos - first + 1;
    return ph;
}

/* N AND a term of KIND for each word of K (its stem if STEM, else its
 * folded word) under PREFIX, in any order; QUIET terms are not
 * highlighted. */
static qnode_t *and_words(parser_t *ps, qnode_t *n, const toks_t *k,
                          qkind_t kind, const char *prefix, int stem,
                          int quiet)
{
    for (size_t i = 0; i < k->n; i++) {
        if (k->flags[i] & BL_TOKEN_VARIANT)
            continue;
        const char *w = stem ? k->stem[i] : k->word[i];
        qnode_t *t = qn_term_node(ps, kind, prefix, w, strlen(w));
        if (t)
            t->quiet = quiet;
        n = t ? qn_combine(ps, Q_AND, n, t) : n;
    }
    return n;
}

/* Non-zero if NEEDLE occurs in the LEN bytes at S.  Cannot fail. */
static int strstr_n(const char *s, size_t len, const char *needle)
{
    size_t nl = strlen(needle);
    for (size_t i = 0; i + nl <= len; i++) {
        if (memcmp(s + i, needle, nl) == 0)
            return 1;
    }
    return 0;
}

/* A plain word (or a field's word) at AT: its node, or NULL when it has
 * nothing to search for (punctuation; a stopword). */
qnode_t *qn_word_node(parser_t *ps, field_t f, const char *s, size_t len,
                          size_t at)
{
    toks_t k;
    qnode_t *n = NULL;
    int wild = len > 1 && s[len - 1] == '*';
    if (wild)
        len--;
    if (!qn_analyze(ps, s, len, &k))
        return NULL;
    if (wild) {
        size_t words = 0, w = 0;
        for (size_t i = 0; i < k.n; i++) {
            if (!(k.flags[i] & BL_TOKEN_VARIANT)) {
                words++;
                w = i;
            }
        }
        if (words != 1) {
            qn_toks_free(&k);
            return qsyntax(ps, at, "a wildcard needs one word before the *");
        }
        /* Stems are stored; the common start of the word and its stem is
         * what every word beginning so looks like ("happy*": "happ"). */
        size_t c = 0;
        while (k.word[w][c] && k.word[w][c] == k.stem[w][c])
            c++;
        if (c == 0)
            c = strlen(k.word[w]);
        n = qn_term_node(ps, Q_WILD, f == F_TITLE ? BL_PREFIX_TITLE : BL_PREFIX_STEM, k.word[w], c);
        qn_toks_free(&k);
        return n;
    }
    if (f == F_TITLE) {
        /* Title terms carry no positions: every word, in any order. */
        n = and_words(ps, NULL, &k, Q_TERM, BL_PREFIX_TITLE, 1, 0);
        qn_toks_free(&k);
        return n;
    }
    n = phrase_of(ps, &k, 0);
    if (n && n->kind == Q_TERM) {
        n->src_at = (size_t)(s - ps->text);
        n->src_len = len;
        for (size_t i = 0; i < k.n; i++) {
            if (!(k.flags[i] & BL_TOKEN_VARIANT))
                n->stop = bl_analyzer_is_stopword(ps->an, k.word[i]);
        }
    }
    /* A hyphenated compound ("Computer-aided", "U.S.-USSR") or words
     * joined by a slash ("Embargoes/Sanctions"; not a URL) are their
     * parts, each a word of the query as if typed apart.  Searched as a phrase, or with its joined
     * form beside it, the compound weighed two or three times its
     * neighbours (AP sample topic 94, "Computer-aided Crime": MAP 0.03 ->
     * 1.0).  A quoted "right-wing" is still a phrase; other words of
     * several parts ("10:30") are phrases. */
    int compound = (memchr(s, '-', len) || memchr(s, '/', len)) &&
                   !strstr_n(s, len, "://");
    for (size_t i = 0; i < k.n; i++)
        compound |= (k.flags[i] & BL_TOKEN_VARIANT) != 0;
    if (n && n->kind == Q_PHRASE && compound) {
        n->kind = ps->match_all ? Q_AND : Q_OR;
        n->window = 0;
    }
    qn_toks_free(&k);
    return n;
}

/* A quoted phrase: the node, or NULL when it holds no words. */
/* With BL_QUERY_EXACT, N (a quoted word or phrase, from the tokens K)
 * made exact: a lone word is E<word>; a phrase (matched by its stems'
 * positions) requires each word's exact form besides, weighing nothing. */
static qnode_t *exact_forms(parser_t *ps, qnode_t *n, const toks_t *k)
{
    if (!n || !ps->exact)
        return n;
    if (n->kind == Q_TERM) {
        qnode_t *e = qn_term_node(ps, Q_TERM, BL_PREFIX_EXACT, n->word,
                                  strlen(n->word));
        if (e)
            e->stop = n->stop;
        qn_node_free(n);
        return e;
    }
    qnode_t *forms = NULL;
    for (size_t i = 0; i < k->n; i++) {
        if (k->flags[i] & BL_TOKEN_VARIANT)
            continue;
        qnode_t *e = qn_term_node(ps, Q_BOOL, BL_PREFIX_EXACT, k->word[i],
                                  strlen(k->word[i]));
        if (!e) {
            qn_node_free(forms);
            qn_node_free(n);
            return NULL;
        }
        forms = qn_combine(ps, Q_AND, forms, e);
    }
    return forms ? qn_combine(ps, Q_FILTER, n, forms) : n;
}

qnode_t *qn_phrase_node(parser_t *ps, field_t f, const char *s,
                            size_t len)
{
    toks_t k;
    if (!qn_analyze(ps, s, len, &k))
        return NULL;
    qnode_t *n = exact_forms(ps, phrase_of(ps, &k, 1), &k);
    if (n && f == F_TITLE) {
        /* Positions are kept for the whole text; the title terms say the
         * words are in the title (the phrase is what is highlighted). */
        n = and_words(ps, n, &k, Q_TERM, BL_PREFIX_TITLE, 1,
                      n->kind == Q_PHRASE || n->kind == Q_FILTER || ps->exact);
    }
    qn_toks_free(&k);
    return n;
}

/* The days of month M (1-12) of year Y, in the Gregorian calendar. */
static unsigned days_in(unsigned y, unsigned m)
{
    static const unsigned char DAYS[12] = {31, 28, 31, 30, 31, 30,
                                           31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return DAYS[m - 1] + (m == 2 && leap);
}

/* Parse a date YYYY, YYYY-MM or YYYY-MM-DD (LEN bytes at S) into the first
 * (*LO) and last (*HI) day it covers as YYYYMMDD; *PARTS: 1, 2 or 3.
 * Returns 0 if it is none of these. */
static int parse_date(const char *s, size_t len, unsigned long *lo,
                      unsigned long *hi, int *parts)
{
    unsigned y = 0, m = 0, d = 0;
    for (size_t i = 0; i < len; i++) {
        if (!(s[i] >= '0' && s[i] <= '9') && !(s[i] == '-' && (i == 4 || i == 7)))
            return 0; /* (sscanf() alone takes "+1" and "3x".) */
    }
    if (len == 4 && sscanf(s, "%4u", &y) == 1 &&
        strspn(s, "0123456789") >= 4) {
        *lo = y * 10000ul + 101;
        *hi = y * 10000ul + 1231;
        *parts = 1;
    } else if (len == 7 && s[4] == '-' &&
               sscanf(s, "%4u-%2u", &y, &m) == 2 && m >= 1 && m <= 12) {
        *lo = y * 10000ul + m * 100 + 1;
        *hi = y * 10000ul + m * 100 + 31;
        *parts = 2;
    } else if (len == 10 && s[4] == '-' && s[7] == '-' &&
               sscanf(s, "%4u-%2u-%2u", &y, &m, &d) == 3 && m >= 1 &&
               m <= 12 && d >= 1 && d <= days_in(y, m)) {
        *lo = *hi = y * 10000ul + m * 100 + d;
        *parts = 3;
    } else {
        return 0;
    }
    return y >= 1000;
}

bl_status_t bl_date_parse(const char *s, int end, unsigned long *ymd)
{
    unsigned long lo = 0, hi = 0;
    int parts = 0;
    *ymd = 0;
    if (!s || !parse_date(s, strlen(s), &lo, &hi, &parts))
        return bl_fail(BL_EARG, "'%s': a date is YYYY, YYYY-MM or "
                                "YYYY-MM-DD (a day that exists)",
                       s ? s : "");
    if (end && parts == 2) /* The month's last day, not the 31st. */
        hi = hi / 100 * 100 + days_in((unsigned)(hi / 10000),
                                      (unsigned)(hi / 100 % 100));
    *ymd = end ? hi : lo;
    return BL_OK;
}

/* A date or year value (LEN bytes at S, at AT): a term for one day, month
 * or year; a range for A..B, ..B or A.. */
qnode_t *qn_date_node(parser_t *ps, field_t f, const char *s, size_t len,
                          size_t at)
{
    const char *dots = NULL;
    unsigned long lo = 0, hi = 0, l2 = 0, h2 = 0;
    int parts = 0, p2 = 0;
    const char *bad = f == F_YEAR ? "a year is YYYY, or a range YYYY..YYYY"
                                  : "a date is YYYY, YYYY-MM or YYYY-MM-DD "
                                    "(a day that exists), or a range A..B, "
                                    "A.. or ..B";
    for (size_t i = 0; i + 1 < len && !dots; i++) {
        if (s[i] == '.' && s[i + 1] == '.')
            dots = s + i;
    }
    if (!dots) {
        char term[40];
        if (!parse_date(s, len, &lo, &hi, &parts) ||
            (f == F_YEAR && parts != 1))
            return qsyntax(ps, at, bad);
        if (parts == 1)
            snprintf(term, sizeof term, "Y%04lu", lo / 10000);
        else if (parts == 2)
            snprintf(term, sizeof term, "M%06lu", lo / 100);
        else
            snprintf(term, sizeof term, "D%08lu", lo);
        return qn_term_node(ps, Q_BOOL, "", term, strlen(term));
    }
    size_t a = (size_t)(dots - s), b = len - a - 2;
    if ((a == 0 && b == 0) ||
        (a > 0 && (!parse_date(s, a, &lo, &hi, &parts) ||
                   (f == F_YEAR && parts != 1))) ||
        (b > 0 && (!parse_date(dots + 2, b, &l2, &h2, &p2) ||
                   (f == F_YEAR && p2 != 1))))
        return qsyntax(ps, at, bad);
    qnode_t *n = qn_node_new(ps, Q_RANGE);
    if (!n)
        return NULL;
    n->lo = a ? lo : 0;
    n->hi = b ? h2 : 99999999ul;
    if (n->lo > n->hi) {
        qn_node_free(n);
        return qsyntax(ps, at, "the range ends before it starts");
    }
    return n;
}

/* A boolean field value (author, source, category), LEN bytes at S. */
qnode_t *qn_bool_node(parser_t *ps, field_t f, const char *s, size_t len)
{
    qnode_t *n = NULL;
    if (f == F_AUTHOR) {
        /* Each word of the name (XA<word>), in any order. */
        toks_t k;
        if (!qn_analyze(ps, s, len, &k))
            return NULL;
        n = and_words(ps, NULL, &k, Q_BOOL, BL_PREFIX_AUTHOR_WORD, 0, 0);
        qn_toks_free(&k);
        return n;
    }
    /* The whole value, folded as the indexer stores it. */
    while (len && is_space(*s)) {
        s++;
        len--;
    }
    while (len && is_space(s[len - 1]))
        len--;
    if (!len)
        return NULL;
    const char *prefix = f == F_SOURCE ? BL_PREFIX_SOURCE
                                       : BL_PREFIX_CATEGORY;
    char folded[BL_MAX_TERM + 1];
    size_t fl = bl_fold_value(s, len, folded,
                              sizeof folded - strlen(prefix));
    return qn_term_node(ps, Q_BOOL, prefix, folded, fl);
}
