/*
 * The indexer's files: their articles counted until all are published,
 * their manifest entries recorded then, and the deletion of files gone.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "index/indexer_internal.h"
#include "util/fail.h"
#include "util/array.h"

/* Unlink file F from IX's list and free it.  Call locked. */
static void drop_file(bl_indexer_t *ix, bl_file_t *f)
{
    if (f->prev)
        f->prev->next = f->next;
    else
        ix->files = f->next;
    if (f->next)
        f->next->prev = f->prev;
    free(f->path);
    free(f);
}

/* The N files FILES are read and have no article left unpublished: those
 * read whole whose articles were all published get their entry; each is
 * freed.  Before the entries, what a re-read file had in earlier runs and
 * no longer has is deleted (its other old articles were replaced by id as
 * their new versions were published; the new ones are all in this run's
 * parts), and those deletions are committed before the meta database, so
 * that an entry never stands for a file whose leftovers are still there.
 * RC is the status so far: after a failure no file is recorded.  Call
 * locked; returns the status. */
bl_status_t retire_files(bl_indexer_t *ix, bl_file_t **files,
                                size_t n, bl_status_t rc)
{
    int any = 0;
    if (rc == BL_OK)
        rc = still_whole(ix);
    for (size_t i = 0; rc == BL_OK && i < n; i++) {
        bl_file_t *f = files[i];
        any |= f->record && !f->lost;
        if (f->record && !f->lost && f->replace)
            rc = delete_term(ix, -1, 1, f->term);
    }
    if (rc == BL_OK && any)
        rc = commit_parts(ix);
    for (size_t i = 0; rc == BL_OK && i < n; i++) {
        bl_file_t *f = files[i];
        if (!f->record || f->lost)
            continue;
        f->e.articles = f->articles;
        rc = injected(BL_FAULT_MANIFEST, f->path);
        if (rc == BL_OK)
            rc = bl_manifest_put(ix->meta, f->path, &f->e);
    }
    if (rc == BL_OK && any)
        rc = commit_db(ix->meta, ix->path, BL_FAULT_META_COMMIT);
    for (size_t i = 0; i < n; i++)
        drop_file(ix, files[i]);
    return break_index(ix, rc);
}

/* Settle writer W's count of unpublished articles per file, now that its
 * segments are published (RC BL_OK) or lost (a failure: their files are
 * then never recorded), and retire the files that have no article left
 * unpublished.  Call locked; returns the status. */
bl_status_t settle_files(bl_writer_t *w, bl_status_t rc)
{
    bl_indexer_t *ix = w->ix;
    bl_file_t **done = calloc(w->ntouched ? w->ntouched : 1, sizeof *done);
    size_t ndone = 0;
    if (!done && rc == BL_OK)
        rc = bl_fail(BL_ENOMEM, "out of memory");
    for (size_t i = 0; i < w->ntouched; i++) {
        bl_file_t *f = w->touched[i].f;
        f->pending -= w->touched[i].n;
        if (rc == BL_OK)
            f->articles += w->touched[i].n;
        else
            f->lost = 1;
        /* (A file is in W's list once per run of its articles; the last
         * entry that leaves it with nothing pending is its only one.) */
        if (f->ended && f->pending == 0 && done)
            done[ndone++] = f;
    }
    w->ntouched = 0;
    if (done)
        rc = retire_files(ix, done, ndone, rc);
    free(done);
    return rc;
}

bl_status_t bl_indexer_file_begin(bl_indexer_t *ix, const char *path,
                                  int replace, bl_file_t **out)
{
    bl_file_t *f = calloc(1, sizeof *f);
    *out = NULL;
    if (f)
        f->path = strdup(path);
    if (!f || !f->path) {
        free(f);
        return bl_fail(BL_ENOMEM, "out of memory");
    }
    bl_manifest_term(path, f->term);
    /* Its old articles are not deleted now: they would be missing from
     * searches (and, after a crash, from the index) until their new
     * versions are published.  See retire_files(). */
    f->replace = replace;
    pthread_mutex_lock(&ix->mu);
    f->next = ix->files;
    if (ix->files)
        ix->files->prev = f;
    ix->files = f;
    pthread_mutex_unlock(&ix->mu);
    *out = f;
    return BL_OK;
}

bl_status_t bl_indexer_file_end(bl_indexer_t *ix, bl_file_t *f,
                                const bl_file_entry_t *e)
{
    bl_status_t rc = BL_OK;
    if (!f)
        return BL_OK;
    pthread_mutex_lock(&ix->mu);
    f->ended = 1;
    f->record = e != NULL;
    if (e)
        f->e = *e;
    if (f->pending == 0)
        rc = retire_files(ix, &f, 1, BL_OK);
    pthread_mutex_unlock(&ix->mu);
    return rc;
}

bl_status_t bl_indexer_file_check(bl_indexer_t *ix, const char *path,
                                  uint64_t size, int64_t mtime,
                                  bl_file_state_t *state,
                                  bl_file_entry_t *old)
{
    bl_file_entry_t e;
    bl_status_t rc = BL_OK;
    memset(&e, 0, sizeof e);
    pthread_mutex_lock(&ix->mu);
    uint64_t *ns = bl_grow(ix->seen, &ix->seen_cap, ix->nseen + 1,
                           sizeof *ns, 1024);
    if (!ns)
        rc = bl_fail(BL_ENOMEM, "out of memory");
    else
        ix->seen = ns;
    if (rc == BL_OK) {
        ix->seen[ix->nseen++] = bl_manifest_hash(path, strlen(path));
        rc = bl_manifest_get(ix->meta, path, &e);
    }
    pthread_mutex_unlock(&ix->mu);
    if (old)
        *old = e;
    *state = BL_FILE_NEW;
    if (rc == BL_ENOTFOUND)
        return BL_OK;
    if (rc != BL_OK)
        return rc;
    *state = e.size == size && e.mtime == mtime ? BL_FILE_UNCHANGED
                                                : BL_FILE_CHANGED;
    return BL_OK;
}

bl_status_t bl_indexer_file_touch(bl_indexer_t *ix, const char *path,
                                  const bl_file_entry_t *e)
{
    pthread_mutex_lock(&ix->mu);
    bl_status_t rc = still_whole(ix);
    if (rc == BL_OK)
        rc = injected(BL_FAULT_MANIFEST, path);
    if (rc == BL_OK)
        rc = break_index(ix, bl_manifest_put(ix->meta, path, e));
    pthread_mutex_unlock(&ix->mu);
    return rc;
}

typedef struct unseen {
    bl_indexer_t *ix;
    const char *const *roots, *const *keep;
    size_t nroots, nkeep;
    unsigned long removed, kept;
} unseen_t;

/* Non-zero if PATH is DIR or lies below it. */
static int under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 &&
           (path[n] == '\0' || path[n] == '/' || (n > 0 && dir[n - 1] == '/'));
}

/* Remove PATH's articles and entry if it lies under a root and was not
 * seen, unless it lies under a place that could not be read.  Called
 * locked. */
static bl_status_t remove_if_unseen(const char *path, void *p)
{
    unseen_t *u = p;
    bl_indexer_t *ix = u->ix;
    uint64_t h = bl_manifest_hash(path, strlen(path));
    char term[24];
    if (ix->nseen && bsearch(&h, ix->seen, ix->nseen, sizeof h, cmp_u64))
        return BL_OK;
    for (size_t i = 0; i < u->nroots; i++) {
        if (!under(path, u->roots[i]))
            continue;
        for (size_t k = 0; k < u->nkeep; k++) {
            if (under(path, u->keep[k])) {
                u->kept++;
                return BL_OK;
            }
        }
        u->removed++;
        bl_manifest_term(path, term);
        bl_status_t rc = delete_term(ix, -1, 0, term);
        return rc == BL_OK ? bl_manifest_remove(ix->meta, path) : rc;
    }
    return BL_OK;
}

bl_status_t bl_indexer_remove_unseen(bl_indexer_t *ix,
                                     const char *const *roots, size_t n,
                                     const char *const *keep, size_t nkeep,
                                     unsigned long *files,
                                     unsigned long *kept)
{
    unseen_t u = {ix, roots, keep, n, nkeep, 0, 0};
    pthread_mutex_lock(&ix->mu);
    if (ix->nseen > 1)
        qsort(ix->seen, ix->nseen, sizeof ix->seen[0], cmp_u64);
    bl_status_t rc = still_whole(ix);
    if (rc == BL_OK)
        rc = bl_manifest_each(ix->meta, remove_if_unseen, &u);
    /* The articles go first, then the entries: a crash in between leaves
     * entries whose files are gone, removed again by the next run. */
    rc = commit_all(ix, rc);
    pthread_mutex_unlock(&ix->mu);
    if (files)
        *files = u.removed;
    if (kept)
        *kept = u.kept;
    return rc;
}
