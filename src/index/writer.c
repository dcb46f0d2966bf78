/*
 * The indexer's writers: each fills one segment per shard and publishes
 * them (the stub first, then the old versions' deletion, then the files
 * whose articles are all in).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "index/indexer_internal.h"
#include "util/fail.h"
#include "util/array.h"

/* Publish writer W's open segments (committed by the caller, unlocked).
 * The new segments join the stub first: the commit point.  Only then are
 * the older versions of their ids deleted and committed, so that at any
 * instant (a kill, a failed write) an article is there, old or new, never
 * missing; between the two steps it may be there twice, until the
 * deletions commit or, after a failure, until the next run reads its file
 * again.  Then the files all of whose articles are published are
 * recorded, and full tiers merged.  Any failure breaks the indexer (see
 * break_index()). */
static bl_status_t publish(bl_writer_t *w)
{
    bl_indexer_t *ix = w->ix;
    pthread_mutex_lock(&ix->mu);
    double t0 = bl_now(), merging = ix->merge_seconds;
    bl_status_t rc = still_whole(ix);
    size_t before = ix->nparts;
    unsigned long added = 0;
    for (unsigned k = 0; rc == BL_OK && k < ix->nshards; k++) {
        segment_t *s = &w->segs[k];
        part_t p;
        if (!s->name[0])
            continue;
        memset(&p, 0, sizeof p);
        memcpy(p.name, s->name, NAME_MAX_LEN);
        p.shard = k;
        p.from_run = 1;
        p.fresh = 1;
        p.docs = s->docs;
        rc = add_part(ix, &p);
        added++;
    }
    int listed = 0;
    if (rc == BL_OK && added)
        rc = write_stub_listed(ix, &listed);
    if (rc != BL_OK && !listed)
        ix->nparts = before; /* Unlisted: the next open removes them. */
    else
        ix->segments += added;
    for (unsigned k = 0; rc == BL_OK && k < ix->nshards; k++) {
        if (w->segs[k].name[0])
            rc = replace_ids(ix, k, &w->segs[k]);
    }
    if (rc == BL_OK && added)
        rc = commit_parts(ix);
    for (size_t i = 0; i < ix->nparts; i++)
        ix->parts[i].fresh = 0;
    rc = settle_files(w, break_index(ix, rc));
    for (unsigned k = 0; rc == BL_OK && k < ix->nshards; k++) {
        if (w->segs[k].name[0])
            rc = merge_tiers(ix, k);
    }
    rc = break_index(ix, rc);
    /* (A merge compacts unlocked: its time is not the lock's.) */
    double held = bl_now() - t0 - (ix->merge_seconds - merging);
    ix->publish_seconds += held;
    if (held > ix->publish_max)
        ix->publish_max = held;
    pthread_mutex_unlock(&ix->mu);
    return rc;
}

/* Forget segment S's contents (its database is closed or gone). */
static void reset_segment(segment_t *s)
{
    for (size_t i = 0; i < s->nq; i++)
        free(s->qterms[i]);
    s->nq = 0;
    s->docs = s->bytes = 0;
    s->name[0] = '\0';
    bl_idset_clear(&s->ids);
}

bl_status_t bl_writer_flush(bl_writer_t *w)
{
    bl_indexer_t *ix = w->ix;
    bl_status_t rc = BL_OK;
    int any = 0;
    for (unsigned k = 0; k < ix->nshards; k++) {
        segment_t *s = &w->segs[k];
        if (!s->db)
            continue;
        if (rc == BL_OK)
            rc = commit_db(s->db, s->name, BL_FAULT_SEGMENT_COMMIT);
        xc_db_free(s->db); /* After a failure: unlisted, removed later. */
        s->db = NULL;
        any = 1;
    }
    if (rc == BL_OK && (any || w->ntouched)) {
        rc = publish(w);
    } else if (rc == BL_OK) {
        pthread_mutex_lock(&ix->mu);
        rc = still_whole(ix); /* Nothing to publish: the run's state. */
        pthread_mutex_unlock(&ix->mu);
    } else {
        /* Its articles are lost to this run: their files must not be
         * recorded (the next run reads them again). */
        pthread_mutex_lock(&ix->mu);
        settle_files(w, break_index(ix, rc));
        pthread_mutex_unlock(&ix->mu);
    }
    for (unsigned k = 0; k < ix->nshards; k++)
        reset_segment(&w->segs[k]);
    return rc;
}

bl_status_t bl_writer_new(bl_indexer_t *ix, bl_writer_t **out)
{
    bl_writer_t *w = calloc(1, sizeof *w);
    bl_status_t rc = BL_OK;
    *out = NULL;
    if (!w)
        return bl_fail(BL_ENOMEM, "out of memory");
    w->ix = ix;
    w->segs = calloc(ix->nshards, sizeof *w->segs);
    if (!w->segs)
        rc = bl_fail(BL_ENOMEM, "out of memory");
    if (rc == BL_OK)
        rc = bl_analyzer_new_with(&ix->ao, &w->an);
    if (rc != BL_OK) {
        bl_analyzer_free(w->an);
        free(w->segs);
        free(w);
        return rc;
    }
    *out = w;
    return BL_OK;
}

bl_status_t bl_writer_free(bl_writer_t *w)
{
    if (!w)
        return BL_OK;
    bl_status_t rc = bl_writer_flush(w);
    for (unsigned k = 0; k < w->ix->nshards; k++) {
        free(w->segs[k].qterms);
        bl_idset_clear(&w->segs[k].ids);
    }
    free(w->segs);
    free(w->touched);
    bl_analyzer_free(w->an);
    free(w);
    return rc;
}

/* Count one more article of F in W's unpublished segments. */
static bl_status_t touch_file(bl_writer_t *w, bl_file_t *f)
{
    if (w->ntouched && w->touched[w->ntouched - 1].f == f) {
        w->touched[w->ntouched - 1].n++;
    } else {
        touched_t *nt = bl_grow(w->touched, &w->captouched,
                                w->ntouched + 1, sizeof *nt, 16);
        if (!nt)
            return bl_fail(BL_ENOMEM, "out of memory");
        w->touched = nt;
        w->touched[w->ntouched].f = f;
        w->touched[w->ntouched++].n = 1;
    }
    pthread_mutex_lock(&w->ix->mu);
    f->pending++;
    pthread_mutex_unlock(&w->ix->mu);
    return BL_OK;
}

/* Open a new segment for shard K. */
static bl_status_t open_segment(bl_writer_t *w, unsigned k)
{
    bl_indexer_t *ix = w->ix;
    segment_t *s = &w->segs[k];
    pthread_mutex_lock(&ix->mu);
    snprintf(s->name, sizeof s->name, "s%u-%lu", k, ix->next_seq++);
    pthread_mutex_unlock(&ix->mu);
    /* No reader sees a segment before it is committed and published, and
     * a killed run's segments are removed unpublished: Xapian may update
     * it in place. */
    bl_status_t rc = injected(BL_FAULT_SEGMENT_CREATE, s->name);
    if (rc == BL_OK)
        rc = create_part(ix, s->name, XC_DB_DANGEROUS, &s->db);
    if (rc != BL_OK)
        s->name[0] = '\0';
    return rc;
}

bl_status_t bl_writer_add(bl_writer_t *w, bl_file_t *f, const bl_article_t *a)
{
    bl_indexer_t *ix = w->ix;
    char qterm[BL_MAX_TERM + 1];
    xc_doc_t *doc = NULL;
    if (a->id && !bl_indexer_owns(ix, a->id))
        return BL_OK; /* Another machine's shard: not analysed. */
    bl_status_t rc = bl_doc_build(w->an, a, f ? f->term : NULL, &doc,
                                  qterm);
    if (rc != BL_OK)
        return rc;
    unsigned k = shard_of(ix, qterm);
    segment_t *s = &w->segs[k];
    if (!s->db)
        rc = open_segment(w, k);
    uint64_t h = bl_fnv1a(qterm, strlen(qterm));
    int again = rc == BL_OK ? bl_idset_add(&s->ids, h) : 0;
    if (again < 0)
        rc = bl_fail(BL_ENOMEM, "out of memory");
    if (rc == BL_OK && again == 1)
        rc = bl_from_xc(xc_db_replace_document_by_term(s->db, qterm, doc,
                                                       NULL),
                        s->name);
    else if (rc == BL_OK)
        rc = bl_from_xc(xc_db_add_document(s->db, doc, NULL), s->name);
    xc_doc_free(doc);
    if (rc == BL_OK && again == 0) {
        char **nq = bl_grow(s->qterms, &s->capq, s->nq + 1, sizeof *nq, 256);
        if (!nq)
            return bl_fail(BL_ENOMEM, "out of memory");
        s->qterms = nq;
        s->qterms[s->nq] = strdup(qterm);
        if (!s->qterms[s->nq])
            return bl_fail(BL_ENOMEM, "out of memory");
        s->nq++;
    }
    if (rc == BL_OK && f)
        rc = touch_file(w, f);
    if (rc != BL_OK)
        return name_failure(ix, rc);
    s->docs++;
    s->bytes += (a->title ? strlen(a->title) : 0) +
                (a->body ? strlen(a->body) : 0);
    if (s->docs >= ix->seg_docs || s->bytes >= ix->seg_bytes)
        rc = bl_writer_flush(w);
    return rc;
}

bl_status_t bl_indexer_add(bl_indexer_t *ix, bl_file_t *f,
                           const bl_article_t *a)
{
    return bl_writer_add(ix->own, f, a);
}

int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Commit the deletions in the parts and the meta database, after RC (the
 * status so far).  Call locked; returns the status. */
bl_status_t commit_all(bl_indexer_t *ix, bl_status_t rc)
{
    if (rc == BL_OK)
        rc = still_whole(ix);
    if (rc == BL_OK)
        rc = commit_parts(ix);
    if (rc == BL_OK)
        rc = commit_db(ix->meta, ix->path, BL_FAULT_META_COMMIT);
    return break_index(ix, rc);
}

void bl_indexer_set_segment_size(bl_indexer_t *ix, unsigned long docs,
                                 unsigned long bytes)
{
    pthread_mutex_lock(&ix->mu);
    if (docs)
        ix->seg_docs = docs;
    if (bytes)
        ix->seg_bytes = bytes;
    pthread_mutex_unlock(&ix->mu);
}
