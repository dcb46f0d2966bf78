/*
 * The match of a search: the time it has left (its deadline, given to
 * the enquire before each match), and its results read for a page: every
 * match when there are few enough to count exactly, a tie read on past
 * the page, near-duplicates collapsed, and more read while too few are
 * left.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>

#include "search/searcher_internal.h"

#include "schema/xc_map.h"
#include "util/clock.h"
#include "util/fail.h"

/* Give J's matches the time that is left of its search (at least a
 * millisecond, and J is then marked as cut short).  Returns BL_OK or
 * BL_EINTERNAL. */
bl_status_t job_time_left(job_t *j)
{
    if (!j->deadline || !j->enq)
        return BL_OK;
    long long left = j->deadline - bl_now_ns();
    if (left < 1000000) {
        left = 1000000;
        if (!j->whole)
            j->limited |= BL_LIMIT_TIME;
    }
    bl_status_t rc = BL_OK;
    /* Counting past the hits asked for stops at half the time left (the
     * counts are then estimates, and the answer says it was cut short);
     * the match itself ends at the deadline. */
    if (!j->whole)
        rc = bl_from_xc(
            xc_enquire_set_time_limit(j->enq, (double)left / 2e9),
            "time limit");
    if (rc == BL_OK && !j->remote)
        rc = bl_from_xc(xc_enquire_set_deadline(j->enq, (double)left / 1e9),
                        "time limit");
    return rc;
}

/* Non-zero (and J marked) once J's time has run out. */
int job_out_of_time(job_t *j)
{
    if (j->whole)
        return 0;
    if (j->deadline && bl_now_ns() >= j->deadline)
        j->limited |= BL_LIMIT_TIME;
    return (j->limited & BL_LIMIT_TIME) != 0;
}

/* Read J's results (J->ms, and their rows, tie order and collapsing)
 * for the page O asks for.  Collapsing, the results are read from the
 * top, half as many again as asked for and 5 more (four times more while
 * duplicates leave too few); the page is then cut from the collapsed
 * list.  Reprints of a story rank next to each other, so their count is
 * seen; it is a lower bound, as Xapian's own is.  Ranked by relevance,
 * results of equal weight are put in order of their ids (tie_order()),
 * so they are read from the top too, and on past the page while a tie
 * crosses its end. */
bl_status_t job_fetch(bl_searcher_t *s, const bl_search_options_t *o,
                      job_t *j)
{
    bl_status_t rc = BL_OK;
    uint64_t want64 = (uint64_t)o->offset + o->limit;
    xc_doccount_t want = want64 > s->ndocs ? s->ndocs + 1 : want64;
    xc_doccount_t first = j->own_collapse || j->ties ? 0 : o->offset;
    j->first = first;
    j->count = j->ties ? want : o->limit;
    if (j->own_collapse)
        j->count = want64 + want64 / 2 + 5 > s->ndocs
                       ? s->ndocs + 1
                       : (xc_doccount_t)(want64 + want64 / 2 + 5);
    /* An exact count: every match read, when there are few enough (the
     * first read tells: its counts are exact when it saw them all). */
    if (j->own_collapse && o->exact_count && j->count <= o->exact_count) {
        xc_mset_t *probe = NULL;
        rc = job_time_left(j);
        if (rc == BL_OK)
            rc = bl_from_xc(xc_enquire_mset(j->enq, 0, 0,
                                            (xc_doccount_t)o->exact_count + 1,
                                            &probe),
                            s->path);
        if (rc == BL_OK && xc_mset_matches_upper(probe) <= o->exact_count &&
            xc_mset_matches_upper(probe) >= j->count)
            j->count = xc_mset_matches_upper(probe) + 1;
        xc_mset_free(probe);
        if (rc != BL_OK)
            return rc;
    }
    xc_doccount_t extra = j->ties ? TIE_EXTRA : 0;
    for (;;) {
        xc_doccount_t count = j->count;
        xc_doccount_t ask = (uint64_t)count + extra > s->ndocs
                                ? s->ndocs + 1
                                : count + extra;
        /* Facets count every match, not only those ranked so far. */
        xc_doccount_t check = first + ask;
        if (o->facets && check < s->ndocs)
            check = s->ndocs;
        rc = job_time_left(j);
        if (rc == BL_OK)
            rc = bl_from_xc(
                xc_enquire_mset(j->enq, first, ask, check, &j->ms), s->path);
        if (rc != BL_OK)
            break;
        size_t n = j->n = xc_mset_size(j->ms);
        if (j->ties && n == ask && n > count && extra < TIE_MAX(count) &&
            xc_mset_weight(j->ms, n - 1) == xc_mset_weight(j->ms, count - 1) &&
            !job_out_of_time(j)) {
            xc_mset_free(j->ms); /* A tie crosses the cut: read on. */
            j->ms = NULL;
            extra *= 4;
            continue;
        }
        j->nuse = n < count ? n : count;
        if (!j->local || (!j->own_collapse && !j->ties && o->passages > 0)) {
            if (j->ties) /* Remote: the tied documents are read. */
                rc = tie_order(s, j->ms, NULL, n, &j->order);
            break;
        }
        rc = bl_rows_read(j->ms, o->passages == 0, s->path, s->cache,
                          &j->rows);
        if (rc == BL_OK && j->ties)
            rc = tie_order(s, j->ms, j->rows, n, &j->order);
        if (rc != BL_OK || !j->own_collapse)
            break;
        free(j->keep);
        free(j->dups);
        j->keep = malloc((j->nuse ? j->nuse : 1) * sizeof *j->keep);
        j->dups = malloc((j->nuse ? j->nuse : 1) * sizeof *j->dups);
        rc = j->keep && j->dups
                 ? bl_rows_collapse(j->rows, j->nuse, j->keep, j->dups,
                                    &j->nkeep)
                 : bl_fail(BL_ENOMEM, "out of memory");
        if (rc != BL_OK || j->nkeep >= want || n < count ||
            count > s->ndocs || job_out_of_time(j))
            break;
        bl_rows_free(j->rows, n);
        j->rows = NULL;
        free(j->order);
        j->order = NULL;
        xc_mset_free(j->ms);
        j->ms = NULL;
        j->count = count > s->ndocs / 4 ? s->ndocs + 1 : 4 * count;
        extra = j->ties ? TIE_EXTRA : 0;
    }
    return rc;
}
