/*
 * The indexer's replacement: deleting the older versions of ids from the
 * parts published before, and committing those deletions.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "index/indexer_internal.h"
#include "util/fail.h"

/* The writable handle of part P (opened on first use).  Call locked. */
static bl_status_t part_writable(bl_indexer_t *ix, part_t *p)
{
    char path[BL_PATH_BUF];
    if (p->w)
        return BL_OK;
    in_index(ix, p->name, path, sizeof path);
    return bl_from_xc(xc_db_open_writable(path, XC_DB_OPEN, 0, &p->w), path);
}

/* Delete the documents indexed by TERM from the parts of SHARD (every
 * shard if SHARD is -1), the older ones only if OLD_ONLY, never those
 * being published.  Call locked. */
bl_status_t delete_term(bl_indexer_t *ix, int shard, int old_only,
                               const char *term)
{
    bl_status_t rc = BL_OK;
    for (size_t i = 0; rc == BL_OK && i < ix->nparts; i++) {
        part_t *p = &ix->parts[i];
        xc_doccount_t n = 0;
        if ((shard >= 0 && p->shard != (unsigned)shard) ||
            (old_only && p->from_run) || p->fresh)
            continue;
        rc = part_writable(ix, p);
        if (rc == BL_OK)
            rc = bl_from_xc(xc_db_termfreq(p->w, term, &n), p->name);
        if (rc == BL_OK && n > 0) {
            rc = bl_from_xc(xc_db_delete_document_by_term(p->w, term),
                            p->name);
            p->edits++;
        }
    }
    return rc;
}

/* Commit the deletions made in the parts, and tell searchers (the commit
 * mark).  Call locked. */
bl_status_t commit_parts(bl_indexer_t *ix)
{
    bl_status_t rc = BL_OK;
    int any = 0;
    for (size_t i = 0; rc == BL_OK && i < ix->nparts; i++) {
        if (ix->parts[i].w) {
            rc = commit_db(ix->parts[i].w, ix->parts[i].name,
                           BL_FAULT_PART_COMMIT);
            any = 1;
        }
    }
    if (rc == BL_OK && any)
        mark_commit(ix);
    return rc;
}

/* Close the writable handles of the parts (before compacting them).  Call
 * locked. */
bl_status_t close_parts(bl_indexer_t *ix, int shard)
{
    bl_status_t rc = BL_OK;
    int closed = 0;
    for (size_t i = 0; i < ix->nparts; i++) {
        part_t *p = &ix->parts[i];
        if (p->w && (shard < 0 || p->shard == (unsigned)shard)) {
            bl_status_t r = commit_db(p->w, p->name, BL_FAULT_PART_COMMIT);
            if (rc == BL_OK)
                rc = r;
            xc_db_free(p->w);
            p->w = NULL;
            closed = 1;
        }
    }
    if (rc == BL_OK && closed)
        mark_commit(ix);
    return rc;
}

/* How many documents of shard K's parts as they were when the run began
 * (less what it has deleted since) have term Q, in *N.  This run's own
 * deletions move those parts on, and Xapian keeps only the last two
 * revisions of a database for a reader: the view is reopened when it fell
 * behind (under the lock, nothing moves the parts meanwhile).  Call
 * locked.  Returns BL_OK or BL_EIO. */
static bl_status_t start_termfreq(bl_indexer_t *ix, unsigned k,
                                  const char *q, xc_doccount_t *n)
{
    xc_status_t xr = xc_db_termfreq(ix->start[k], q, n);
    for (int tries = 0; xr == XC_MODIFIED && tries < 3; tries++) {
        xr = xc_db_reopen(ix->start[k], NULL);
        if (xr == XC_OK)
            xr = xc_db_termfreq(ix->start[k], q, n);
    }
    return bl_from_xc(xr, ix->path);
}

/* Make room for the ids of segment S of shard K: articles with the same id
 * in the parts already published are deleted.  Call locked. */
bl_status_t replace_ids(bl_indexer_t *ix, unsigned k,
                               const segment_t *s)
{
    bl_status_t rc = BL_OK;
    for (size_t i = 0; rc == BL_OK && i < s->nq; i++) {
        const char *q = s->qterms[i];
        uint64_t h = bl_fnv1a(q, strlen(q));
        xc_doccount_t n = 0;
        if (bl_idset_has(&ix->run_ids[k], h)) {
            /* Written earlier in this run (or a hash collision). */
            rc = delete_term(ix, (int)k, 0, q);
        } else if (ix->start[k]) {
            rc = start_termfreq(ix, k, q, &n);
            if (rc == BL_OK && n > 0)
                rc = delete_term(ix, (int)k, 1, q);
        }
        if (rc == BL_OK && bl_idset_add(&ix->run_ids[k], h) < 0)
            rc = bl_fail(BL_ENOMEM, "out of memory");
    }
    return rc;
}
