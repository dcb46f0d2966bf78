/*
 * "Did you mean": unknown words of a query replaced by close indexed
 * ones, when that finds something.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search/searcher_internal.h"

#include "byline/schema.h"
#include "schema/xc_map.h"
#include "util/fail.h"

/* Fold the LEN bytes at WORD as the analyzer does into a malloc'ed string
 * (NULL when it is not one word). */
typedef struct fold {
    char *word;
    int n;
} fold_t;

/* The edit distance between A and B (bytes; a swap of two neighbours is
 * one edit, as in "cocao"), or MAX + 1 if it is more than MAX.  Cannot
 * fail. */
static unsigned edit_distance(const char *a, size_t la, const char *b,
                              size_t lb, unsigned max)
{
    unsigned rows[3][BL_MAX_TOKEN + 2];
    if (la > BL_MAX_TOKEN || lb > BL_MAX_TOKEN ||
        (la > lb ? la - lb : lb - la) > max)
        return max + 1;
    unsigned *two = rows[0], *prev = rows[1], *row = rows[2];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        unsigned best = row[0] = (unsigned)i;
        for (size_t j = 1; j <= lb; j++) {
            unsigned sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            unsigned del = prev[j] + 1, ins = row[j - 1] + 1;
            unsigned d = sub < del ? (sub < ins ? sub : ins)
                                   : (del < ins ? del : ins);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && two[j - 2] + 1 < d)
                d = two[j - 2] + 1;
            row[j] = d;
            if (d < best)
                best = d;
        }
        if (best > max)
            return max + 1;
        unsigned *t = two;
        two = prev;
        prev = row;
        row = t;
    }
    return prev[lb];
}

/* The indexed stem closest to STEM (most frequent among the closest,
 * same first byte), in a
 * malloc'ed *OUT (NULL if none).  Edits allowed: 1, or 2 from 8 bytes
 * on: looser guesses mostly land on other words. */
static bl_status_t closest_stem(bl_searcher_t *s, const char *stem,
                                char **out)
{
    char prefix[3] = {'Z', stem[0], '\0'};
    size_t ls = strlen(stem);
    unsigned max = ls < 8 ? 1 : 2, best_d = max + 1;
    xc_doccount_t best_f = 0;
    xc_termit_t *it = NULL;
    *out = NULL;
    if (ls < 3)
        return BL_OK; /* Too short to guess at. */
    bl_status_t rc = bl_from_xc(xc_db_allterms(s->db, prefix, &it), s->path);
    xc_status_t xr = XC_OK;
    while (rc == BL_OK && (xr = xc_termit_next(it)) == XC_OK) {
        size_t len = 0;
        const char *t = xc_termit_term(it, &len);
        unsigned d = edit_distance(stem, ls, t + 1, len - 1, max);
        xc_doccount_t f = xc_termit_termfreq(it);
        if (d == 0 || d > max || d > best_d || (d == best_d && f <= best_f))
            continue;
        char *c = strndup(t + 1, len - 1);
        if (!c) {
            rc = bl_fail(BL_ENOMEM, "out of memory");
            break;
        }
        free(*out);
        *out = c;
        best_d = d;
        best_f = f;
    }
    if (rc == BL_OK && xr != XC_END)
        rc = bl_from_xc(xr, s->path);
    xc_termit_free(it);
    return rc;
}

static int fold_one(const bl_token_t *t, void *p)
{
    fold_t *f = p;
    if (f->n++ == 0)
        f->word = strndup(t->word, t->word_len);
    return 0;
}

/* Query words in the order of their offsets in the text. */
static int by_offset(const void *a, const void *b)
{
    const qword_t *x = a, *y = b;
    return x->at < y->at ? -1 : x->at > y->at;
}

char *suggest(bl_searcher_t *s, const char *query, bl_query_t *q,
                     const bl_search_options_t *o, xc_mset_t *ms)
{
    qword_t *w = NULL;
    size_t n = 0;
    char *fixed = NULL;
    int changed = 0;
    if (bl_query_words(q, &w, &n) != BL_OK)
        return NULL;
    fixed = strdup(query);
    /* From the last word back in the text (the parse tree's order is not
     * the text's: phrases and NEAR reorder), so earlier offsets stay
     * right; a word overlapping one already replaced is left. */
    if (n > 1)
        qsort(w, n, sizeof *w, by_offset);
    size_t limit = strlen(query);
    for (size_t i = n; fixed && i-- > 0;) {
        xc_doccount_t tf = 0;
        char *best = NULL;
        if (w[i].at + w[i].len > limit)
            continue;
        /* The search knows its terms' frequencies already. */
        if (xc_mset_termfreq(ms, w[i].term, &tf) != XC_OK || tf > 0 ||
            w[i].term[0] != 'Z' || closest_stem(s, w[i].term + 1, &best) !=
                                       BL_OK ||
            !best)
            continue;
        const char *stem = w[i].term + 1;
        fold_t f = {NULL, 0};
        bl_analyze(s->analyzer, query + w[i].at, w[i].len, 1, fold_one, &f,
                   NULL);
        /* The typed word's ending goes on the new stem: "imigration" ->
         * stem "imigr" -> "immigr" + "ation". */
        const char *tail = f.word && f.n == 1 &&
                                   strncmp(f.word, stem, strlen(stem)) == 0
                               ? f.word + strlen(stem)
                               : "";
        size_t nl = strlen(fixed) - w[i].len + strlen(best) + strlen(tail);
        char *nf = malloc(nl + 1);
        if (nf) {
            snprintf(nf, nl + 1, "%.*s%s%s%s", (int)w[i].at, fixed, best,
                     tail, fixed + w[i].at + w[i].len);
            changed = 1;
            limit = w[i].at;
        }
        free(fixed);
        fixed = nf;
        free(f.word);
        free(best);
    }
    free(w);
    if (!fixed || !changed) {
        free(fixed);
        return NULL;
    }
    /* Only a suggestion that finds something is worth showing. */
    bl_search_options_t o2 = *o;
    bl_results_t *r = NULL;
    o2.limit = 1;
    o2.offset = 0;
    o2.passages = 0;
    o2.facets = 0;
    o2.spelling = 0;
    if (bl_search(s, fixed, &o2, &r) != BL_OK || r->nhits == 0) {
        free(fixed);
        fixed = NULL;
    }
    bl_results_free(r);
    return fixed;
}
