/*
 * The indexer's merges: tiers of segments while a run goes on, and the
 * final merge of each shard when it ends.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "index/indexer_internal.h"
#include "util/fail.h"

/* Compact the parts named in NAMES[0..N) (of shard K) into the new part
 * DEST.  Returns BL_OK, BL_EIO or BL_ENOMEM. */
static bl_status_t compact(bl_indexer_t *ix, char (*names)[NAME_MAX_LEN],
                           size_t n, const char *dest)
{
    xc_db_t *multi = NULL;
    char path[BL_PATH_BUF];
    bl_status_t rc = bl_from_xc(xc_db_new_multi(&multi), ix->path);
    for (size_t i = 0; rc == BL_OK && i < n; i++) {
        xc_db_t *db = NULL;
        in_index(ix, names[i], path, sizeof path);
        rc = bl_from_xc(xc_db_open(path, &db), path);
        if (rc == BL_OK)
            rc = bl_from_xc(xc_db_add(multi, db), path);
        xc_db_free(db);
    }
    in_index(ix, dest, path, sizeof path);
    if (rc == BL_OK)
        rc = injected(BL_FAULT_COMPACT, path);
    if (rc == BL_OK)
        rc = bl_from_xc(xc_db_compact(multi, path,
                                      n > 32 ? XC_COMPACT_MULTIPASS : 0),
                        path);
    xc_db_free(multi);
    if (rc != BL_OK)
        bl_rmtree(path);
    return rc;
}

/* Merge the parts of shard K picked by WANT (a predicate on parts, with
 * ARG) into one: compacted outside the lock, swapped into the stub if
 * none of them was edited meanwhile.  Call locked; returns locked. */
static bl_status_t merge(bl_indexer_t *ix, unsigned k,
                         int (*want)(const part_t *, unsigned), unsigned arg,
                         unsigned tier)
{
    char (*names)[NAME_MAX_LEN] = NULL;
    unsigned long *edits = NULL, docs = 0;
    size_t n = 0;
    part_t np;
    bl_status_t rc = BL_OK;
    for (size_t i = 0; i < ix->nparts; i++)
        n += ix->parts[i].shard == k && !ix->parts[i].merging &&
             want(&ix->parts[i], arg);
    if (n < 2)
        return BL_OK;
    names = calloc(n, sizeof *names);
    edits = calloc(n, sizeof *edits);
    if (!names || !edits) {
        free(names);
        free(edits);
        return bl_fail(BL_ENOMEM, "out of memory");
    }
    rc = close_parts(ix, (int)k);
    n = 0;
    for (size_t i = 0; rc == BL_OK && i < ix->nparts; i++) {
        part_t *p = &ix->parts[i];
        if (p->shard == k && !p->merging && want(p, arg)) {
            p->merging = 1;
            memcpy(names[n], p->name, NAME_MAX_LEN);
            edits[n++] = p->edits;
            docs += p->docs;
        }
    }
    memset(&np, 0, sizeof np);
    snprintf(np.name, sizeof np.name, "s%u-%lu", k, ix->next_seq++);
    np.shard = k;
    np.tier = tier;
    np.from_run = 1;
    np.docs = docs;
    pthread_mutex_unlock(&ix->mu);
    double t0 = bl_now();
    if (rc == BL_OK)
        rc = compact(ix, names, n, np.name);
    double secs = bl_now() - t0;
    pthread_mutex_lock(&ix->mu);
    ix->merge_seconds += secs;
    /* Unmark; drop the merged parts if the merge stands.  It does not if
     * one of them was edited meanwhile (a rare repeated id): the edit
     * would be lost, or may have made the compaction fail, which is then
     * no error: the parts stay as they are. */
    int stands = rc == BL_OK, edited = 0;
    for (size_t j = 0; j < n; j++) {
        for (size_t i = 0; i < ix->nparts; i++) {
            part_t *p = &ix->parts[i];
            if (strcmp(p->name, names[j]) == 0) {
                p->merging = 0;
                edited |= p->edits != edits[j];
            }
        }
    }
    if (edited) {
        stands = 0;
        rc = BL_OK;
    }
    if (stands) {
        size_t o = 0;
        for (size_t i = 0; i < ix->nparts; i++) {
            int gone = 0;
            for (size_t j = 0; j < n && !gone; j++)
                gone = strcmp(ix->parts[i].name, names[j]) == 0;
            if (!gone)
                ix->parts[o++] = ix->parts[i];
            else
                xc_db_free(ix->parts[i].w); /* Opened, nothing deleted. */
        }
        ix->nparts = o;
        rc = add_part(ix, &np);
        if (rc == BL_OK)
            rc = write_stub(ix);
        if (rc == BL_OK) {
            ix->merges++;
            for (size_t j = 0; j < n; j++) {
                char path[BL_PATH_BUF];
                in_index(ix, names[j], path, sizeof path);
                bl_rmtree(path);
            }
        }
    } else {
        char path[BL_PATH_BUF];
        in_index(ix, np.name, path, sizeof path);
        bl_rmtree(path);
    }
    free(names);
    free(edits);
    return rc;
}

/* Parts of this run of tier ARG. */
static int same_tier(const part_t *p, unsigned tier)
{
    return p->from_run && p->tier == tier;
}

/* Every part. */
static int any_part(const part_t *p, unsigned unused)
{
    (void)p;
    (void)unused;
    return 1;
}

/* Parts written by this run. */
static int run_part(const part_t *p, unsigned unused)
{
    (void)unused;
    return p->from_run;
}

/* Merge full tiers of shard K.  Call locked; the lock is let go while
 * each merge compacts (merge()), so the parts may have changed by the
 * time it returns, locked. */
bl_status_t merge_tiers(bl_indexer_t *ix, unsigned k)
{
    bl_status_t rc = BL_OK;
    for (unsigned tier = 0; rc == BL_OK && tier < 8; tier++) {
        size_t n = 0;
        for (size_t i = 0; i < ix->nparts; i++)
            n += ix->parts[i].shard == k && !ix->parts[i].merging &&
                 same_tier(&ix->parts[i], tier);
        if (n >= MERGE_FANIN)
            rc = merge(ix, k, same_tier, tier, tier + 1);
    }
    return rc;
}

void bl_indexer_stats(bl_indexer_t *ix, bl_index_stats_t *out)
{
    pthread_mutex_lock(&ix->mu);
    out->shards = ix->nshards;
    out->parts = ix->nparts;
    out->segments = ix->segments;
    out->merges = ix->merges;
    out->merge_seconds = ix->merge_seconds;
    out->publish_seconds = ix->publish_seconds;
    out->publish_max = ix->publish_max;
    out->final_seconds = ix->final_seconds;
    pthread_mutex_unlock(&ix->mu);
}

/* The final merge of shard K: this run's parts into one, and the whole
 * shard into one when it has too many parts or this run wrote at least a
 * quarter of it (so that a small update does not rewrite a big index,
 * while the parts stay few), or when asked to (one_part).  Call locked;
 * as merge_tiers(), it lets the lock go while compacting. */
bl_status_t finish_shard(bl_indexer_t *ix, unsigned k)
{
    unsigned long old_docs = 0, new_docs = 0;
    size_t nparts = 0, o = 0;
    char gone[BL_PATH_BUF] = "";
    /* An empty part that was empty when the run began (a new index's) is
     * dropped, not merged, as long as the shard keeps one part. */
    for (size_t i = 0; i < ix->nparts; i++) {
        const part_t *p = &ix->parts[i];
        nparts += p->shard == k;
        if (p->shard == k && !p->from_run && p->docs == 0 && !p->w &&
            !gone[0])
            in_index(ix, p->name, gone, sizeof gone);
    }
    if (gone[0] && nparts > 1) {
        for (size_t i = 0; i < ix->nparts; i++) {
            char path[BL_PATH_BUF];
            in_index(ix, ix->parts[i].name, path, sizeof path);
            if (strcmp(path, gone) != 0)
                ix->parts[o++] = ix->parts[i];
        }
        ix->nparts = o;
        bl_status_t rc = write_stub(ix);
        if (rc != BL_OK)
            return rc;
        bl_rmtree(gone);
    }
    nparts = 0;
    size_t old_parts = 0;
    for (size_t i = 0; i < ix->nparts; i++) {
        const part_t *p = &ix->parts[i];
        if (p->shard != k)
            continue;
        nparts++;
        if (p->from_run) {
            new_docs += p->docs;
        } else {
            old_docs += p->docs;
            old_parts++;
        }
    }
    if (nparts < 2)
        return BL_OK;
    /* This run's parts become one: the shard then has OLD_PARTS + 1. */
    if (ix->one_part || old_parts + 1 > MAX_PARTS ||
        new_docs * 4 >= old_docs)
        return merge(ix, k, any_part, 0, UINT32_MAX);
    return merge(ix, k, run_part, 0, UINT32_MAX);
}

typedef struct shard_job {
    bl_indexer_t *ix;
    unsigned next;           /* Next shard to merge (locked). */
    bl_status_t rc;
} shard_job_t;

/* A thread of the final merge: takes shards until none is left. */
static void *finish_thread(void *arg)
{
    shard_job_t *j = arg;
    bl_indexer_t *ix = j->ix;
    pthread_mutex_lock(&ix->mu);
    while (j->next < ix->nshards && j->rc == BL_OK) {
        unsigned k = j->next++;
        bl_status_t rc = still_whole(ix);
        if (rc == BL_OK)
            rc = break_index(ix, finish_shard(ix, k));
        if (rc != BL_OK && j->rc == BL_OK)
            j->rc = rc;
    }
    pthread_mutex_unlock(&ix->mu);
    return NULL;
}

bl_status_t bl_indexer_finish(bl_indexer_t *ix, int do_merge,
                              bl_index_stats_t *stats)
{
    if (!ix)
        return BL_OK;
    bl_status_t rc = bl_writer_free(ix->own);
    ix->own = NULL;
    pthread_mutex_lock(&ix->mu);
    rc = commit_all(ix, rc);
    pthread_mutex_unlock(&ix->mu);
    if (rc == BL_OK && do_merge) {
        shard_job_t job = {ix, 0, BL_OK};
        double t0 = bl_now();
        unsigned n = ix->threads < ix->nshards ? ix->threads : ix->nshards;
        pthread_t th[BL_MAX_SHARDS];
        unsigned started = 0;
        for (unsigned i = 1; i < n; i++) {
            if (pthread_create(&th[started], NULL, finish_thread, &job) == 0)
                started++;
        }
        finish_thread(&job);
        for (unsigned i = 0; i < started; i++)
            pthread_join(th[i], NULL);
        rc = job.rc;
        ix->final_seconds = bl_now() - t0;
    }
    if (stats)
        bl_indexer_stats(ix, stats);
    free_indexer(ix);
    return rc;
}

bl_status_t bl_indexer_close(bl_indexer_t *ix)
{
    return bl_indexer_finish(ix, 1, NULL);
}
