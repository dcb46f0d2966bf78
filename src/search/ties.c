/*
 * Equal scores in id order (as trec_eval ranks them), an article's id
 * read from its stored fields (for them and for feedback's ties,
 * expand.c), the counts of collapsed results, and ids shown once.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search/searcher_internal.h"

#include "schema/schema.h"
#include "schema/xc_map.h"
#include "util/fail.h"
#include "util/hash.h"
#include "util/idset.h"

/* The match counts of RES after collapsing: the N results read (COUNT
 * asked for, from the top) left NKEEP.  When N < COUNT every match was
 * read and the count is exact; otherwise the collapsed hits seen are a
 * lower bound, the duplicates seen come off the upper bound, and the
 * estimate shrinks by the share of duplicates seen.  Cannot fail. */
void collapsed_counts(bl_results_t *res, size_t n, size_t count,
                             size_t nkeep)
{
    if (n < count) {
        res->matches_lower = res->matches_upper = res->matches_estimated =
            (unsigned)nkeep;
        return;
    }
    unsigned dropped = (unsigned)(n - nkeep);
    res->matches_lower = (unsigned)nkeep;
    res->matches_upper = res->matches_upper > dropped
                             ? res->matches_upper - dropped
                             : (unsigned)nkeep;
    if (res->matches_upper < res->matches_lower)
        res->matches_upper = res->matches_lower;
    double est = (double)res->matches_estimated * (double)nkeep / (double)n;
    res->matches_estimated = (unsigned)(est + 0.5);
    if (res->matches_estimated < res->matches_lower)
        res->matches_estimated = res->matches_lower;
    if (res->matches_estimated > res->matches_upper)
        res->matches_estimated = res->matches_upper;
}

typedef struct tied {
    unsigned i;
    char *id;
} tied_t;

bl_status_t stored_id(const char *data, size_t len, char **id)
{
    bl_article_t a;
    memset(&a, 0, sizeof a);
    bl_status_t rc = bl_docdata_decode_fields(data, len, 0, &a);
    *id = NULL;
    if (rc == BL_OK) {
        *id = a.id ? a.id : strdup("");
        a.id = NULL;
    }
    bl_article_clear(&a);
    if (rc == BL_OK && !*id)
        rc = bl_fail(BL_ENOMEM, "out of memory");
    return rc;
}

/* The id of result I of MS into a malloc'ed *ID (NULL on failure), from
 * its ROW's summary when it has one (ROW may be NULL), else from its
 * stored fields. */
static bl_status_t result_id(bl_searcher_t *s, xc_mset_t *ms, size_t i,
                             const bl_row_t *row, char **id)
{
    xc_doc_t *doc = NULL;
    const char *data = NULL;
    size_t len = 0;
    int cached = 0;
    *id = NULL;
    bl_status_t rc = result_data(s, ms, i, row, 1, &data, &len, &doc,
                                 &cached);
    if (rc == BL_OK)
        rc = stored_id(data, len, id);
    xc_doc_free(doc);
    return rc;
}

/* trec_eval's order of equal scores: ids descending. */
static int by_id_desc(const void *a, const void *b)
{
    return strcmp(((const tied_t *)b)->id, ((const tied_t *)a)->id);
}

/* The rank order of the N results of MS into a malloc'ed *ORDER (ORDER[k]:
 * the result at rank k): by weight, equal weights by id descending, as
 * trec_eval orders them, so that a run does not depend on the document
 * ids the index's writers happened to give.  ROWS (may be NULL), one per
 * result, are put in that order too. */
bl_status_t tie_order(bl_searcher_t *s, xc_mset_t *ms, bl_row_t *rows,
                             size_t n, unsigned **order)
{
    tied_t *t = NULL;
    bl_status_t rc = BL_OK;
    *order = malloc((n ? n : 1) * sizeof **order);
    if (!*order)
        return bl_fail(BL_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        (*order)[i] = (unsigned)i;
    for (size_t i = 0; rc == BL_OK && i < n;) {
        size_t j = i + 1;
        while (j < n && xc_mset_weight(ms, j) == xc_mset_weight(ms, i))
            j++;
        if (j - i > 1) {
            t = calloc(j - i, sizeof *t);
            if (!t)
                rc = bl_fail(BL_ENOMEM, "out of memory");
            for (size_t k = i; rc == BL_OK && k < j; k++) {
                t[k - i].i = (unsigned)k;
                rc = result_id(s, ms, k, rows ? &rows[k] : NULL,
                               &t[k - i].id);
            }
            if (rc == BL_OK)
                qsort(t, j - i, sizeof *t, by_id_desc);
            for (size_t k = i; rc == BL_OK && k < j; k++)
                (*order)[k] = t[k - i].i;
            for (size_t k = 0; t && k < j - i; k++)
                free(t[k].id);
            free(t);
            t = NULL;
        }
        i = j;
    }
    if (rc == BL_OK && rows) {
        bl_row_t *sorted = malloc((n ? n : 1) * sizeof *sorted);
        if (!sorted)
            rc = bl_fail(BL_ENOMEM, "out of memory");
        for (size_t k = 0; rc == BL_OK && k < n; k++)
            sorted[k] = rows[(*order)[k]];
        if (rc == BL_OK)
            memcpy(rows, sorted, n * sizeof *rows);
        free(sorted);
    }
    if (rc != BL_OK) {
        free(*order);
        *order = NULL;
    }
    return rc;
}

/* Leave out of RES the hits whose article id an earlier hit has.  An
 * article is in the index twice only for the instant an indexer takes
 * between publishing its new version and committing the deletion of the
 * old (or after a failed run, until the next): the list shows it once, at
 * its better rank.  Returns BL_OK or BL_ENOMEM. */
bl_status_t drop_repeated_ids(bl_results_t *res)
{
    bl_idset_t seen = {0};
    size_t o = 0;
    for (size_t i = 0; i < res->nhits; i++) {
        bl_hit_t *h = &res->hits[i];
        const char *id = h->article.id ? h->article.id : "";
        int again = bl_idset_add(&seen, bl_fnv1a(id, strlen(id)));
        if (again < 0) {
            bl_idset_clear(&seen);
            return bl_fail(BL_ENOMEM, "out of memory");
        }
        if (again) {
            hit_clear(h);
            continue;
        }
        if (o != i) {
            res->hits[o] = *h;
            res->hits[o].rank = res->hits[o > 0 ? o - 1 : 0].rank + (o > 0);
        }
        o++;
    }
    res->nhits = o;
    bl_idset_clear(&seen);
    return BL_OK;
}
