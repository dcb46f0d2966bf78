/*
 * The ingest pipeline: paths in, articles indexed (bl_index_paths()).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One thread (the caller's) walks the paths and reads the files; the
 * articles go in batches through a bounded queue to worker threads, each
 * with its own writer (its own segments).  A file is shared by the
 * batches of its articles: the last one to let go of it ends it, with its
 * manifest entry when it was read whole and every article was indexed, so
 * an interrupted or failed run records nothing that is not all there.
 * The incremental policy (which files to read) and the deletion of files
 * gone (but not of those under a place that could not be read) are here
 * too, so that a unit test reaches all of it.
 */
#define _DEFAULT_SOURCE /* realpath() */
#include "byline/index.h"
#include "util/clock.h"
#include "util/fail.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define QUEUE_SIZE 16 /* Batches waiting for a worker. */
#define BATCH_ARTICLES 32
#define BATCH_BYTES (256u << 10)
#define MAX_THREADS 64

/* The model of Xapian's memory use: each open segment costs about
 * SEGMENT_COST times its text until it is written (measured: 4,000
 * Reuters articles, 3.6 MB of text, held about 50 MB), beside a fixed
 * allowance and the largest file each worker may hold. */
#define BASE_MEMORY (48ul << 20)
#define SEGMENT_COST 14

unsigned long bl_memory_floor(unsigned threads, size_t max_file)
{
    return BASE_MEMORY + threads * (unsigned long)max_file + (16ul << 20);
}

unsigned long bl_segment_bytes(unsigned long budget, unsigned threads,
                               unsigned shards, size_t max_file)
{
    unsigned long fixed = BASE_MEMORY + threads * (unsigned long)max_file;
    unsigned long left = budget > fixed ? budget - fixed : 0;
    unsigned long per = left / ((unsigned long)(threads ? threads : 1) *
                                (shards ? shards : 1) * SEGMENT_COST);
    return per < (1ul << 20) ? 1ul << 20 : per;
}

/* A file being indexed, shared by the batches of its articles. */
typedef struct file_job {
    bl_file_t *f;
    bl_file_entry_t entry;
    unsigned long size;
    atomic_int refs;
    atomic_int whole; /* Read whole and every article indexed. */
} file_job_t;

/* Articles of one file, handed from the reading thread to a worker. */
typedef struct batch {
    file_job_t *fj;
    bl_article_t a[BATCH_ARTICLES];
    size_t n, bytes;
    unsigned long file_bytes; /* The part of its file it stands for. */
} batch_t;

typedef struct run {
    bl_indexer_t *ix; /* NULL: list. */
    const bl_ingest_options_t *o;
    const bl_ingest_callbacks_t *cb;
    bl_ingest_summary_t *sum;
    atomic_ulong files, articles, bytes;
    atomic_ulong other_shards; /* Left to the other shards. */
    unsigned long unchanged_bytes; /* Of the unchanged files, not read. */
    /* Progress: bytes of the files indexed so far (counted by the workers
     * as batches are done); in the reading thread, how far the reader is
     * in the file it reads, where the current batch began, and the
     * file's size. */
    atomic_ulong indexed_bytes;
    unsigned long read_now, batch_from, read_size, total_bytes;
    double last_progress;
    pthread_mutex_t cb_mu;    /* Serialises the callbacks. */
    _Atomic bl_status_t fatal; /* An index error that ends the run. */
    char fatal_msg[512];
    atomic_int stopped;       /* CB->stop said so. */
    /* Places that could not be read (canonical): kept. */
    char **unreadable;
    size_t nunreadable;
    /* Batches, filled by the reading thread, emptied by the workers. */
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    batch_t *queue[QUEUE_SIZE];
    size_t head, count;
    int done;         /* The walk is over. */
    unsigned running; /* Workers still running. */
    /* The file being read, its batch being filled, its root. */
    file_job_t *fj;
    batch_t *batch;
    char *root_canon;
} run_t;

typedef struct worker {
    run_t *r;
    bl_writer_t *w;
    pthread_t thread;
} worker_t;

/* Report a problem (CODE, PATH:LINE, MESSAGE) to the callback; inputs
 * skipped are counted. */
static void problem(run_t *r, bl_problem_code_t code, const char *path,
                    unsigned long line, const char *message)
{
    if (code < BL_NPROBLEM_SKIPS) {
        r->sum->skipped[code]++;
        r->sum->skipped_total++;
    } else if (code == BL_PROBLEM_IGNORED) {
        r->sum->ignored++;
    }
    if (!r->cb || !r->cb->problem)
        return;
    bl_ingest_problem_t p = {code, path, line, message};
    pthread_mutex_lock(&r->cb_mu);
    r->cb->problem(&p, r->cb->ctx);
    pthread_mutex_unlock(&r->cb_mu);
}

/* The index could not be written: the run ends with RC. */
static void fatal(run_t *r, bl_status_t rc, const char *path)
{
    bl_status_t ok = BL_OK;
    if (atomic_compare_exchange_strong(&r->fatal, &ok, rc)) {
        snprintf(r->fatal_msg, sizeof r->fatal_msg, "%s", bl_last_error());
        problem(r, BL_PROBLEM_INDEX, path, 0, r->fatal_msg);
    }
}

/* Tell the progress callback where the run is, at most four times a
 * second (or now if FORCE). */
static void progress(run_t *r, int force)
{
    if (!r->cb || !r->cb->progress)
        return;
    pthread_mutex_lock(&r->cb_mu);
    double t = bl_now();
    if (force || t - r->last_progress >= 0.25) {
        r->last_progress = t;
        unsigned long indexed = r->indexed_bytes;
        bl_ingest_progress_t p = {r->files + r->sum->unchanged, r->articles,
                                  indexed + r->unchanged_bytes, indexed,
                                  r->total_bytes};
        r->cb->progress(&p, r->cb->ctx);
    }
    pthread_mutex_unlock(&r->cb_mu);
}

/* Non-zero when the run must end: a fatal error, or the caller asked. */
static int ending(run_t *r)
{
    if (!r->stopped && r->cb && r->cb->stop && r->cb->stop(r->cb->ctx))
        r->stopped = 1;
    return r->stopped || r->fatal != BL_OK;
}

/* Let go of file job FJ; the last one ends the file (with its entry if it
 * was read whole and every article was indexed). */
static void unref_file(run_t *r, file_job_t *fj)
{
    if (--fj->refs > 0)
        return;
    bl_status_t rc =
        bl_indexer_file_end(r->ix, fj->f, fj->whole ? &fj->entry : NULL);
    if (rc != BL_OK)
        fatal(r, rc, "");
    else if (fj->whole) {
        r->files++;
        r->bytes += fj->size;
    }
    free(fj);
}

/* Queue batch B for the workers (waits while the queue is full). */
static void push_batch(run_t *r, batch_t *b)
{
    pthread_mutex_lock(&r->mu);
    while (r->count == QUEUE_SIZE) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 250000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&r->not_full, &r->mu, &ts);
        pthread_mutex_unlock(&r->mu);
        progress(r, 0);
        pthread_mutex_lock(&r->mu);
    }
    r->queue[(r->head + r->count) % QUEUE_SIZE] = b;
    r->count++;
    pthread_cond_signal(&r->not_empty);
    pthread_mutex_unlock(&r->mu);
}

/* Send the batch being filled, if any, to the workers. */
static void send_batch(run_t *r)
{
    if (r->batch) {
        r->batch->file_bytes = r->read_now - r->batch_from;
        r->batch_from = r->read_now;
    }
    if (r->batch && r->batch->n)
        push_batch(r, r->batch);
    else if (r->batch) {
        unref_file(r, r->batch->fj);
        free(r->batch);
    }
    r->batch = NULL;
}

/* Take one article for indexing: it joins the current batch (the reader
 * clears what it passes: its fields move into the batch). */
static int on_article(bl_article_t *a, void *ctx)
{
    run_t *r = ctx;
    if (!r->batch) {
        r->batch = calloc(1, sizeof *r->batch);
        if (!r->batch) {
            bl_fail(BL_ENOMEM, "out of memory");
            fatal(r, BL_ENOMEM, a->path ? a->path : "");
            return 1;
        }
        r->batch->fj = r->fj;
        r->fj->refs++;
    }
    batch_t *b = r->batch;
    r->read_now = a->offset < r->read_size ? a->offset : r->read_size;
    b->a[b->n++] = *a;
    b->bytes += (a->title ? strlen(a->title) : 0) +
                (a->body ? strlen(a->body) : 0);
    memset(a, 0, sizeof *a);
    if (b->n == BATCH_ARTICLES || b->bytes >= BATCH_BYTES)
        send_batch(r);
    progress(r, 0);
    return ending(r);
}

/* List one article (IX NULL). */
static int on_list(bl_article_t *a, void *ctx)
{
    run_t *r = ctx;
    if (r->cb && r->cb->article)
        r->cb->article(a, r->cb->ctx);
    r->articles++;
    return ending(r);
}

/* A record skipped inside a file. */
static void on_record(const char *path, unsigned long line,
                      const char *message, void *ctx)
{
    problem(ctx, BL_PROBLEM_BAD_RECORD, path, line, message);
}

/* The problem code of a file that could not be read. */
static bl_problem_code_t read_problem(void)
{
    switch (bl_read_last_reason()) {
    case BL_READ_UNREADABLE: return BL_PROBLEM_UNREADABLE;
    case BL_READ_EMPTY: return BL_PROBLEM_EMPTY;
    case BL_READ_BINARY: return BL_PROBLEM_BINARY;
    case BL_READ_TOO_LARGE: return BL_PROBLEM_TOO_LARGE;
    default: return BL_PROBLEM_BAD_FORMAT;
    }
}

/* Decide whether the file at PATH (manifest key KEY) must be read: 1 to
 * read it (*REPLACE: it was indexed before), 0 when the index has it
 * already.  *E gets what to record once it is read.
 *
 * Times are in whole seconds, so a file changed again within the second
 * it was looked at, to the same size, would look unchanged ever after.
 * Such a file (modified this second or the one before, as git's "racily
 * clean" entries) is recorded with no time (BL_MTIME_RACY): the next run
 * checks its content. */
static int needs_indexing(run_t *r, const char *path, const char *key,
                          const struct stat *st, bl_file_entry_t *e,
                          int *replace)
{
    bl_file_state_t state;
    bl_file_entry_t old;
    memset(e, 0, sizeof *e);
    e->size = (uint64_t)st->st_size;
    e->mtime = (int64_t)st->st_mtime;
    *replace = 0;
    bl_status_t rc =
        bl_indexer_file_check(r->ix, key, e->size, e->mtime, &state, &old);
    if (rc == BL_ECORRUPT) {
        state = BL_FILE_NEW; /* A damaged entry: read the file again. */
    } else if (rc != BL_OK) {
        fatal(r, rc, path); /* (The manifest cannot be read.) */
        return 0;
    }
    if (state == BL_FILE_UNCHANGED)
        return 0;
    int racy = (int64_t)st->st_mtime + 1 >= (int64_t)time(NULL);
    if (racy)
        e->mtime = BL_MTIME_RACY;
    if (state == BL_FILE_CHANGED && old.size == e->size &&
        bl_file_digest(path, &e->hash) == BL_OK && e->hash == old.hash) {
        /* Only its time moved: remember the new one. */
        e->articles = old.articles;
        rc = bl_indexer_file_touch(r->ix, key, e);
        if (rc != BL_OK)
            fatal(r, rc, path);
        return 0;
    }
    /* A racy file's content, for the next run to compare: taken before the
     * file is read, so never of a newer version than the one indexed. */
    if (racy && !e->hash && bl_file_digest(path, &e->hash) != BL_OK)
        e->hash = 0;
    *replace = state == BL_FILE_CHANGED;
    return 1;
}

/* The manifest key of the file at PATH, REL under the root being walked:
 * the root's canonical path and REL, so that a file reached through a
 * link is keyed under the root (and deleted when the link goes), however
 * the root was named.  A root that is a file is its canonical path.
 * Malloc'ed; NULL when out of memory or the root has none. */
static char *file_key(const run_t *r, const char *path, const char *rel)
{
    if (!*rel || !r->root_canon)
        return realpath(path, NULL);
    size_t n = strlen(r->root_canon) + strlen(rel) + 2;
    char *k = malloc(n);
    if (k)
        snprintf(k, n, "%s/%s", r->root_canon, rel);
    return k;
}

/* Take the next batch from the queue; NULL when the walk is over and the
 * queue empty. */
static batch_t *next_batch(run_t *r)
{
    batch_t *b = NULL;
    pthread_mutex_lock(&r->mu);
    while (r->count == 0 && !r->done)
        pthread_cond_wait(&r->not_empty, &r->mu);
    if (r->count > 0) {
        b = r->queue[r->head];
        r->head = (r->head + 1) % QUEUE_SIZE;
        r->count--;
        pthread_cond_signal(&r->not_full);
    }
    pthread_mutex_unlock(&r->mu);
    return b;
}

/* A worker thread: index batches until the queue is closed; publish. */
static void *work(void *arg)
{
    worker_t *wk = arg;
    run_t *r = wk->r;
    batch_t *b;
    bl_status_t rc;
    while ((b = next_batch(r)) != NULL) {
        for (size_t i = 0; i < b->n; i++) {
            if (r->stopped || r->fatal != BL_OK) {
                b->fj->whole = 0;
            } else if (b->a[i].id && !bl_indexer_owns(r->ix, b->a[i].id)) {
                r->other_shards++;
            } else if ((rc = bl_writer_add(wk->w, b->fj->f, &b->a[i])) !=
                       BL_OK) {
                fatal(r, rc, b->a[i].path ? b->a[i].path : "");
                b->fj->whole = 0;
            } else {
                r->articles++;
            }
            bl_article_clear(&b->a[i]);
        }
        r->indexed_bytes += b->file_bytes;
        unref_file(r, b->fj);
        free(b);
    }
    rc = bl_writer_flush(wk->w);
    if (rc != BL_OK)
        fatal(r, rc, "");
    pthread_mutex_lock(&r->mu);
    r->running--;
    pthread_cond_broadcast(&r->not_full);
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* Read (and index, or list) one file the walk found, unless the index has
 * it already.  Reading happens on this thread; the articles go to the
 * workers in batches. */
static void consider_file(run_t *r, const char *path, const char *rel)
{
    struct stat st;
    file_job_t *fj = NULL;
    int replace = 0;
    bl_status_t rc;
    if (stat(path, &st) != 0) {
        problem(r, BL_PROBLEM_UNREADABLE, path, 0, strerror(errno));
        return;
    }
    if (!r->ix) {
        rc = bl_read_articles(path, *rel ? rel : path, &r->o->read, on_list,
                              on_record, r);
        if (rc == BL_OK || rc == BL_END) {
            r->files++;
            r->bytes += (unsigned long)st.st_size;
        } else if (rc == BL_ENOMEM) {
            fatal(r, rc, path);
        } else {
            problem(r, read_problem(), path, 0, bl_last_error());
        }
        return;
    }
    fj = calloc(1, sizeof *fj);
    char *key = file_key(r, path, rel);
    if (!fj || !key) {
        problem(r, BL_PROBLEM_UNREADABLE, path, 0, strerror(errno));
        free(fj);
        free(key);
        return;
    }
    fj->size = (unsigned long)st.st_size;
    if (!needs_indexing(r, path, key, &st, &fj->entry, &replace)) {
        r->sum->unchanged++;
        r->unchanged_bytes += fj->size;
        free(key);
        free(fj);
        progress(r, 0);
        return;
    }
    rc = bl_indexer_file_begin(r->ix, key, replace, &fj->f);
    free(key);
    if (rc != BL_OK) {
        fatal(r, rc, path);
        free(fj);
        return;
    }
    fj->refs = 1;
    fj->whole = 1;
    r->fj = fj;
    r->read_now = r->batch_from = 0;
    r->read_size = fj->size;
    rc = bl_read_articles(path, *rel ? rel : path, &r->o->read, on_article,
                          on_record, r);
    /* The last batch stands for the rest of the file; with none left,
     * the rest (a trailer, skipped records) counts now. */
    r->read_now = fj->size;
    if (!r->batch)
        r->indexed_bytes += r->read_now - r->batch_from;
    send_batch(r);
    r->fj = NULL;
    int ended = ending(r);
    if (!((rc == BL_OK || rc == BL_END) && !ended))
        fj->whole = 0; /* (Workers clear it too, when an article fails.) */
    if (rc == BL_ENOMEM)
        fatal(r, rc, path);
    else if (rc != BL_OK && rc != BL_END && !ended)
        problem(r, read_problem(), path, 0, bl_last_error());
    unref_file(r, fj);
}

/* Remember a place that could not be read (PATH, REL under the root),
 * keyed as its files are, so that what it had stays. */
static void note_unreadable(run_t *r, const char *path, const char *rel)
{
    char *canon = file_key(r, path, rel);
    char **u = canon ? realloc(r->unreadable,
                               (r->nunreadable + 1) * sizeof *u)
                     : NULL;
    if (!u) {
        free(canon);
        return;
    }
    r->unreadable = u;
    r->unreadable[r->nunreadable++] = canon;
}

static int on_walk(bl_walk_event_t ev, const char *path, const char *rel,
                   const char *message, void *ctx)
{
    run_t *r = ctx;
    switch (ev) {
    case BL_WALK_FILE:
        if (r->o->read.format != BL_FORMAT_UNKNOWN ||
            bl_format_of_path(path) != BL_FORMAT_UNKNOWN)
            consider_file(r, path, rel);
        else
            problem(r, BL_PROBLEM_IGNORED, path, 0,
                    "not a known article format");
        break;
    case BL_WALK_ERROR:
        problem(r, BL_PROBLEM_UNREADABLE, path, 0, message);
        note_unreadable(r, path, rel);
        break;
    case BL_WALK_SKIP:
        problem(r, BL_PROBLEM_LINK, path, 0, message);
        break;
    }
    return ending(r);
}

/* Add up the sizes of the files under the paths, for the ETA. */
static int count_bytes(bl_walk_event_t ev, const char *path, const char *rel,
                       const char *message, void *ctx)
{
    struct stat st;
    (void)rel;
    (void)message;
    if (ev == BL_WALK_FILE && stat(path, &st) == 0)
        *(unsigned long *)ctx += (unsigned long)st.st_size;
    return 0;
}

/* Start the workers; returns how many run. */
static unsigned start_workers(run_t *r, worker_t *workers, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        workers[i].r = r;
        if (bl_writer_new(r->ix, &workers[i].w) != BL_OK) {
            fatal(r, BL_ENOMEM, "");
            break;
        }
        if (pthread_create(&workers[i].thread, NULL, work, &workers[i]) !=
            0) {
            bl_fail(BL_ENOMEM, "cannot start a thread: %s", strerror(errno));
            fatal(r, BL_ENOMEM, "");
            bl_writer_free(workers[i].w);
            workers[i].w = NULL;
            break;
        }
        r->running++;
    }
    return r->running;
}

/* Close the queue, wait for the workers to drain it, and free them. */
static void stop_workers(run_t *r, worker_t *workers, unsigned n)
{
    pthread_mutex_lock(&r->mu);
    r->done = 1;
    pthread_cond_broadcast(&r->not_empty);
    while (r->running > 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec++;
        pthread_cond_timedwait(&r->not_full, &r->mu, &ts);
        pthread_mutex_unlock(&r->mu);
        progress(r, 0);
        pthread_mutex_lock(&r->mu);
    }
    pthread_mutex_unlock(&r->mu);
    for (unsigned i = 0; i < n; i++) {
        if (!workers[i].w)
            continue;
        pthread_join(workers[i].thread, NULL);
        bl_status_t rc = bl_writer_free(workers[i].w);
        if (rc != BL_OK)
            fatal(r, rc, "");
    }
}

/* Delete the articles of the files gone from under the PATHS, keeping
 * those under a place that could not be read (and saying so). */
static void remove_gone(run_t *r, const char *const *paths, size_t n)
{
    char **roots = calloc(n ? n : 1, sizeof *roots);
    size_t nroots = 0;
    if (!roots) {
        bl_fail(BL_ENOMEM, "out of memory");
        fatal(r, BL_ENOMEM, "");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char *canon = realpath(paths[i], NULL);
        if (canon)
            roots[nroots++] = canon;
    }
    bl_status_t rc = bl_indexer_remove_unseen(
        r->ix, (const char *const *)roots, nroots,
        (const char *const *)r->unreadable, r->nunreadable,
        &r->sum->removed, &r->sum->kept);
    if (rc != BL_OK)
        fatal(r, rc, "");
    for (size_t i = 0; r->sum->kept && i < r->nunreadable; i++)
        problem(r, BL_PROBLEM_KEPT, r->unreadable[i], 0,
                "could not be read: the articles indexed from it are kept");
    for (size_t i = 0; i < nroots; i++)
        free(roots[i]);
    free(roots);
}

bl_status_t bl_index_paths(bl_indexer_t *ix, const char *const *paths,
                           size_t n, const bl_ingest_options_t *o,
                           const bl_ingest_callbacks_t *cb,
                           bl_ingest_summary_t *out)
{
    static const bl_ingest_options_t defaults;
    run_t r;
    worker_t workers[MAX_THREADS];
    memset(&r, 0, sizeof r);
    memset(workers, 0, sizeof workers);
    memset(out, 0, sizeof *out);
    r.ix = ix;
    r.o = o ? o : &defaults;
    r.cb = cb;
    r.sum = out;
    unsigned threads = r.o->threads ? r.o->threads : 1;
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    pthread_mutex_init(&r.mu, NULL);
    pthread_mutex_init(&r.cb_mu, NULL);
    pthread_cond_init(&r.not_empty, NULL);
    pthread_cond_init(&r.not_full, NULL);
    for (size_t i = 0; r.o->count_total && i < n; i++)
        bl_walk_with(paths[i], &r.o->walk, count_bytes, &r.total_bytes);
    if (ix && start_workers(&r, workers, threads) == 0 && r.fatal == BL_OK)
        fatal(&r, bl_fail(BL_ENOMEM, "no worker thread could be started"),
              "");
    for (size_t i = 0; i < n && !ending(&r); i++) {
        r.root_canon = realpath(paths[i], NULL);
        bl_status_t rc = bl_walk_with(paths[i], &r.o->walk, on_walk, &r);
        if (rc == BL_ENOTFOUND || rc == BL_EIO) {
            problem(&r, BL_PROBLEM_UNREADABLE, paths[i], 0, bl_last_error());
            note_unreadable(&r, paths[i], "");
        } else if (rc == BL_ENOMEM) {
            fatal(&r, rc, paths[i]);
        }
        free(r.root_canon);
        r.root_canon = NULL;
    }
    if (ix)
        stop_workers(&r, workers, threads);
    out->interrupted = r.stopped;
    if (ix && !r.o->no_delete && r.fatal == BL_OK && !r.stopped)
        remove_gone(&r, paths, n);
    progress(&r, 1);
    out->files = r.files;
    out->articles = r.articles;
    out->other_shards = r.other_shards;
    out->bytes = r.bytes;
    for (size_t i = 0; i < r.nunreadable; i++)
        free(r.unreadable[i]);
    free(r.unreadable);
    pthread_mutex_destroy(&r.mu);
    pthread_mutex_destroy(&r.cb_mu);
    pthread_cond_destroy(&r.not_empty);
    pthread_cond_destroy(&r.not_full);
    if (r.fatal != BL_OK)
        return bl_fail(r.fatal, "%s", r.fatal_msg);
    return BL_OK;
}
