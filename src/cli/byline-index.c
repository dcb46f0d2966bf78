/*
 * byline-index: index a corpus of news articles.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _DEFAULT_SOURCE /* realpath() */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "byline/corpus.h"
#include "byline/index.h"
#include "cli.h"

#define QUEUE_SIZE 16          /* Batches waiting for a worker. */
#define BATCH_ARTICLES 32
#define BATCH_BYTES (256u << 10)
#define MAX_THREADS 64
#define DEFAULT_MEMORY (1024ul << 20)

/* A file being indexed, shared by the batches of its articles: the last
 * one to let go of it ends it. */
typedef struct file_job {
    bl_file_t *f;
    bl_file_entry_t entry;
    unsigned long size;
    atomic_int refs;
    atomic_int whole;    /* Read whole and every article indexed. */
} file_job_t;

/* Articles of one file, handed from the reading thread to a worker. */
typedef struct batch {
    file_job_t *fj;
    bl_article_t a[BATCH_ARTICLES];
    size_t n, bytes;
    unsigned long file_bytes; /* The part of its file it stands for. */
} batch_t;

typedef struct run {
    bl_indexer_t *ix;  /* NULL with --list. */
    bl_format_t format;
    const char *columns, *fields;
    size_t max_file;
    int quiet, verbose;
    atomic_ulong files, articles, bytes;
    unsigned long unchanged, removed;
    unsigned long unchanged_bytes; /* Of the unchanged files, not read. */
    /* For the progress line: bytes of the files indexed so far (counted
     * by the workers as batches are done), and in the reading thread: how
     * far the reader is in the file it reads, where the current batch
     * began, and the file's size. */
    atomic_ulong indexed_bytes;
    unsigned long read_now, batch_from, read_size;
    unsigned long skipped_unreadable, skipped_empty, skipped_binary,
        skipped_large, skipped_loop, skipped_records, skipped_corrupt;
    unsigned long ignored;
    _Atomic bl_status_t fatal; /* An index error that ends the run. */
    int progress;      /* Show progress (stderr is a terminal). */
    double started, last_shown;
    unsigned long total_bytes; /* Of the files to read, when known. */
    /* Batches, filled by the reading thread, emptied by the workers. */
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    batch_t *queue[QUEUE_SIZE];
    size_t head, count;
    int done;          /* The walk is over. */
    unsigned running;  /* Workers still running. */
    /* The file being read and its batch being filled. */
    file_job_t *fj;
    batch_t *batch;
} run_t;

/* One worker's state. */
typedef struct worker {
    run_t *r;
    bl_writer_t *w;
    pthread_t thread;
} worker_t;

/* Seconds on a monotonic clock. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Redraw the progress line, at most four times a second (or now if
 * FORCE). */
static void show_progress(run_t *r, int force)
{
    double t = now();
    if (!r->progress || (!force && t - r->last_shown < 0.25))
        return;
    r->last_shown = t;
    /* The rate is of what was indexed; unchanged files are done but were
     * not read. */
    unsigned long indexed = r->indexed_bytes;
    unsigned long done = indexed + r->unchanged_bytes;
    double secs = t - r->started, mb = done / 1e6;
    double rate = secs > 0 ? indexed / 1e6 / secs : 0;
    char eta[32] = "";
    if (r->total_bytes > done && rate > 0) {
        double left = (r->total_bytes - done) / 1e6 / rate;
        snprintf(eta, sizeof eta, ", ETA %d:%02d", (int)left / 60,
                 (int)left % 60);
    }
    flockfile(stderr);
    fprintf(stderr, "\r%s: %lu files, %lu articles, %.1f/%.1f MB, %.2f MB/s%s"
                    "\033[K",
            cli_prog, (unsigned long)r->files + r->unchanged,
            (unsigned long)r->articles, mb, r->total_bytes / 1e6, rate, eta);
    cli_progress_shown = 1;
    funlockfile(stderr);
}

/* Add up the sizes of the files under the PATHs, for the ETA. */
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

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* Print the article as one JSON object on stdout (--list). */
static void list_article(const bl_article_t *a)
{
    static const char *const names[] = {"id", "title", "author", "date",
                                        "updated", "source", "url",
                                        "caption", "path"};
    const char *values[] = {a->id, a->title, a->author, a->date, a->updated,
                            a->source, a->url, a->caption, a->path};
    putchar('{');
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        printf("%s\"%s\":", i ? "," : "", names[i]);
        cli_json_string(stdout, values[i]);
    }
    printf(",\"line\":%lu,\"categories\":[", a->line);
    for (size_t i = 0; i < a->ncategories; i++) {
        if (i)
            putchar(',');
        cli_json_string(stdout, a->categories[i]);
    }
    printf("],\"body\":");
    cli_json_string(stdout, a->body);
    printf("}\n");
}

/* List one article (--list). */
static int on_list(bl_article_t *a, void *ctx)
{
    run_t *r = ctx;
    list_article(a);
    r->articles++;
    return interrupted;
}

/* Let go of file job FJ; the last one ends the file (with its entry if it
 * was read whole and every article was indexed). */
static void unref_file(run_t *r, file_job_t *fj)
{
    if (--fj->refs > 0)
        return;
    if (bl_indexer_file_end(r->ix, fj->f, fj->whole ? &fj->entry : NULL) !=
        BL_OK) {
        r->fatal = BL_EIO;
        cli_error("%s", bl_last_error());
    }
    if (fj->whole) {
        r->files++;
        r->bytes += fj->size;
    }
    free(fj);
}

/* Queue batch B for the workers (waits while the queue is full, showing
 * progress). */
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
        show_progress(r, 0);
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
            cli_error("out of memory");
            r->fatal = BL_ENOMEM;
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
    show_progress(r, 0);
    return interrupted || r->fatal != BL_OK;
}

/* A record skipped inside a file: "path:line: message". */
static void on_problem(const char *path, unsigned long line,
                       const char *message, void *ctx)
{
    run_t *r = ctx;
    r->skipped_records++;
    cli_error("%s:%lu: %s", path, line, message);
}

/* Decide whether the file at PATH (canonical CANON) must be read: 1 to
 * read it (*REPLACE: it was indexed before), 0 when the index has it
 * already.  *E gets what to record once it is read. */
static int needs_indexing(run_t *r, const char *path, const char *canon,
                          const struct stat *st, bl_file_entry_t *e,
                          int *replace)
{
    bl_file_state_t state;
    bl_file_entry_t old;
    memset(e, 0, sizeof *e);
    e->size = (uint64_t)st->st_size;
    e->mtime = (int64_t)st->st_mtime;
    *replace = 0;
    if (bl_indexer_file_check(r->ix, canon, e->size, e->mtime, &state,
                              &old) != BL_OK)
        state = BL_FILE_NEW; /* A damaged entry: read the file again. */
    if (state == BL_FILE_UNCHANGED)
        return 0;
    if (state == BL_FILE_CHANGED && old.size == e->size &&
        bl_file_digest(path, &e->hash) == BL_OK && e->hash == old.hash) {
        /* Only its time moved: remember the new one. */
        e->articles = old.articles;
        if (bl_indexer_file_touch(r->ix, canon, e) != BL_OK)
            cli_error("%s", bl_last_error());
        return 0;
    }
    *replace = state == BL_FILE_CHANGED;
    return 1;
}

/* Count a file that could not be read, by the reason in WHY. */
static void count_skip(run_t *r, bl_status_t rc, const char *why)
{
    if (rc == BL_ENOMEM)
        r->fatal = rc;
    else if (rc == BL_EIO)
        r->skipped_unreadable++;
    else if (strncmp(why, "binary", 6) == 0)
        r->skipped_binary++;
    else if (strncmp(why, "empty", 5) == 0)
        r->skipped_empty++;
    else if (strncmp(why, "larger", 6) == 0)
        r->skipped_large++;
    else
        r->skipped_corrupt++;
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
    while ((b = next_batch(r)) != NULL) {
        for (size_t i = 0; i < b->n; i++) {
            if (interrupted || r->fatal != BL_OK) {
                b->fj->whole = 0;
            } else if (bl_writer_add(wk->w, b->fj->f, &b->a[i]) != BL_OK) {
                cli_error("%s: %s", b->a[i].path, bl_last_error());
                r->fatal = BL_EIO;
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
    if (bl_writer_flush(wk->w) != BL_OK) {
        r->fatal = BL_EIO;
        cli_error("%s", bl_last_error());
    }
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
    bl_read_options_t o = {r->format, r->max_file, r->columns, r->fields};
    file_job_t *fj = NULL;
    char *canon = NULL;
    int replace = 0;
    bl_status_t rc;
    if (stat(path, &st) != 0) {
        cli_error("%s: skipped: %s", path, strerror(errno));
        r->skipped_unreadable++;
        return;
    }
    if (!r->ix) {
        rc = bl_read_articles(path, rel, &o, on_list, on_problem, r);
        if (rc == BL_OK || rc == BL_END) {
            r->files++;
            r->bytes += (unsigned long)st.st_size;
        } else {
            cli_error("%s: skipped: %s", path, bl_last_error());
            count_skip(r, rc, bl_last_error());
        }
        return;
    }
    fj = calloc(1, sizeof *fj);
    canon = realpath(path, NULL);
    if (!fj || !canon) {
        cli_error("%s: skipped: %s", path, strerror(errno));
        r->skipped_unreadable++;
        free(fj);
        free(canon);
        return;
    }
    fj->size = (unsigned long)st.st_size;
    if (!needs_indexing(r, path, canon, &st, &fj->entry, &replace)) {
        r->unchanged++;
        r->unchanged_bytes += fj->size;
        free(canon);
        free(fj);
        show_progress(r, 0);
        return;
    }
    rc = bl_indexer_file_begin(r->ix, canon, replace, &fj->f);
    free(canon);
    if (rc != BL_OK) {
        r->fatal = rc;
        cli_error("%s", bl_last_error());
        free(fj);
        return;
    }
    fj->refs = 1;
    fj->whole = 1;
    r->fj = fj;
    r->read_now = r->batch_from = 0;
    r->read_size = fj->size;
    rc = bl_read_articles(path, rel, &o, on_article, on_problem, r);
    /* The last batch stands for the rest of the file; with none left,
     * the rest (a trailer, skipped records) counts now. */
    r->read_now = fj->size;
    if (!r->batch)
        r->indexed_bytes += r->read_now - r->batch_from;
    send_batch(r);
    r->fj = NULL;
    if (!((rc == BL_OK || rc == BL_END) && !interrupted &&
          r->fatal == BL_OK))
        fj->whole = 0; /* (Workers clear it too, when an article fails.) */
    if (rc != BL_OK && rc != BL_END && r->fatal == BL_OK && !interrupted) {
        const char *why = bl_last_error();
        cli_error("%s: skipped: %s", path, why);
        count_skip(r, rc, why);
    }
    unref_file(r, fj);
}

static int on_walk(bl_walk_event_t ev, const char *path, const char *rel,
                   const char *message, void *ctx)
{
    run_t *r = ctx;
    switch (ev) {
    case BL_WALK_FILE:
        if (r->format != BL_FORMAT_UNKNOWN ||
            bl_format_of_path(path) != BL_FORMAT_UNKNOWN) {
            consider_file(r, path, *rel ? rel : path);
        } else {
            r->ignored++;
            if (r->verbose)
                cli_error("%s: ignored: not a known article format", path);
        }
        break;
    case BL_WALK_ERROR:
        cli_error("%s: skipped: %s", path, message);
        r->skipped_unreadable++;
        break;
    case BL_WALK_SKIP:
        cli_error("%s: skipped: %s", path, message);
        r->skipped_loop++;
        break;
    }
    return r->fatal != BL_OK || interrupted;
}

/* Add PATTERN to the list *LIST of *N patterns (exits when out of
 * memory). */
static void add_pattern(const char ***list, size_t *n, const char *pattern)
{
    const char **l = realloc(*list, (*n + 1) * sizeof *l);
    if (!l) {
        cli_error("out of memory");
        exit(EXIT_FATAL);
    }
    l[(*n)++] = pattern;
    *list = l;
}

static void usage(FILE *f)
{
    fprintf(f,
"Usage: %s [OPTION]... PATH...\n"
"Index the news articles in each PATH (a file, or a directory walked\n"
"recursively in name order; hidden entries are skipped).\n"
"\n"
"Formats, chosen by the file name (a .gz suffix is looked through: gzip\n"
"files are read as they are decompressed):\n"
"  .txt, no extension   one article per file, in the scraped-news layout\n"
"                       (title, caption, author, date, \"Updated:\", body)\n"
"                       or plain \"title line, then body\"\n"
"  .jsonl .ndjson .json one JSON object per line (title/headline,\n"
"                       body/text/content, date, author, url, id, ...)\n"
"  .csv                 one article per row; a header row names the columns\n"
"                       (or --columns)\n"
"  .sgm .sgml           Reuters-21578 or TREC SGML, many articles per file\n"
"                       (TREC files without an extension are recognised\n"
"                       by their first <DOC>)\n"
"\n"
"  -d, --db DIR         the index (default: $BYLINE_DB, else ./byline.db)\n"
"      --list           print each article found as one JSON object per\n"
"                       line on stdout, and index nothing\n"
"  -f, --format FMT     read every file as FMT (text, jsonl, reuters, trec,\n"
"                       csv)\n"
"      --fields MAP     JSON member names beyond the common ones, as\n"
"                       FIELD=NAME,...: --fields title=hed,body=story\n"
"                       (FIELD: id title body date updated author url\n"
"                       source category)\n"
"      --include GLOB   only read files matching GLOB (repeatable; a glob\n"
"                       with '/' matches the path under PATH, one without\n"
"                       the file name: --include '*.sgm')\n"
"      --exclude GLOB   leave out files and directories matching GLOB\n"
"                       (repeatable: --exclude 'drafts' --exclude '*.bak')\n"
"      --hidden         also read hidden files and directories\n"
"      --no-delete      keep the articles of files that are gone\n"
"  -j, --threads N      read and index with N threads (default: one per\n"
"                       processor)\n"
"      --memory SIZE    keep peak memory under SIZE (default 1G; K, M, G\n"
"                       suffixes): bounds the segments held in memory\n"
"      --shards N       a new index splits its articles over N shards by a\n"
"                       hash of their id (default 1); an existing index\n"
"                       keeps its own\n"
"      --commit-every N each thread commits after at most N articles\n"
"                       (default 1000): a run that is killed keeps what\n"
"                       was committed\n"
"      --columns LIST   the columns of CSV files without a header row, e.g.\n"
"                       category,title,body (names: id title body date\n"
"                       author url source category skip)\n"
"  -l, --lang LANG      stemming language of a new index: a Snowball\n"
"                       language (english, french, german, ...) or none\n"
"                       (default: english)\n"
"      --fold-accents   a new index folds accents: \"cafe\" finds \"caf\xc3\xa9\"\n"
"                       (an existing index keeps its own setting)\n"
"      --stopwords      a new index leaves out common words (the, of, ...);\n"
"                       lists for english, french, german, spanish,\n"
"                       italian, portuguese, dutch and russian\n"
"      --overwrite      start a new, empty index\n"
"      --max-file-size N  skip files larger than N bytes (default 67108864)\n"
"  -q, --quiet          print no progress and no summary (progress is\n"
"                       shown only when stderr is a terminal)\n"
"  -v, --verbose        also name the files that are not articles\n"
"  -h, --help           show this help and exit\n"
"  -V, --version        show the version and exit\n"
"\n"
"Runs are incremental: files whose size and time (or content) have not\n"
"changed are skipped, changed files are indexed again (their articles\n"
"replaced), and the articles of files gone from under the PATHs are\n"
"deleted (unless --no-delete).  Indexing the same corpus twice never\n"
"duplicates an article.  Problems with single files are reported as\n"
"'%s: FILE: message' and the run goes on.\n"
"\n"
"Exit status: 0 if every article was indexed, 1 if some input was\n"
"skipped, 2 on a usage error or when the index could not be written.\n",
            cli_prog, cli_prog);
}

/* Segment size in bytes of text for a memory budget of BUDGET bytes:
 * what is left after a fixed allowance and the largest file each worker
 * may hold, shared by the open segments (THREADS x SHARDS), each of which
 * costs Xapian about SEGMENT_COST times its text until it is written
 * (measured: 4,000 Reuters articles, 3.6 MB of text, held about 50 MB). */
#define BASE_MEMORY (48ul << 20)
#define SEGMENT_COST 14
static unsigned long segment_bytes(unsigned long budget, unsigned threads,
                                   unsigned shards, size_t max_file)
{
    unsigned long fixed = BASE_MEMORY + threads * (unsigned long)max_file;
    unsigned long left = budget > fixed ? budget - fixed : 0;
    unsigned long per = left / ((unsigned long)threads * shards *
                                SEGMENT_COST);
    return per < (1ul << 20) ? 1ul << 20 : per;
}

/* The number of processors online (at least 1). */
static unsigned cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (unsigned)n;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"lang", required_argument, NULL, 'l'},
        {"overwrite", no_argument, NULL, 'O'},
        {"fold-accents", no_argument, NULL, 'A'},
        {"stopwords", no_argument, NULL, 'S'},
        {"max-file-size", required_argument, NULL, 'M'},
        {"list", no_argument, NULL, 'L'},
        {"format", required_argument, NULL, 'f'},
        {"columns", required_argument, NULL, 'C'},
        {"fields", required_argument, NULL, 'F'},
        {"include", required_argument, NULL, 'I'},
        {"exclude", required_argument, NULL, 'X'},
        {"hidden", no_argument, NULL, 'H'},
        {"no-delete", no_argument, NULL, 'N'},
        {"commit-every", required_argument, NULL, 'E'},
        {"threads", required_argument, NULL, 'j'},
        {"memory", required_argument, NULL, 'm'},
        {"shards", required_argument, NULL, 'K'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    const char *db = NULL;
    bl_index_options_t io;
    run_t r;
    struct timespec t0, t1;
    int c, list = 0, no_delete = 0;
    unsigned threads = cpus();
    unsigned long memory = DEFAULT_MEMORY;
    bl_walk_options_t wo = {0, NULL, 0, NULL, 0};
    const char **include = NULL, **exclude = NULL;
    worker_t workers[MAX_THREADS];

    cli_prog = "byline-index";
    memset(&r, 0, sizeof r);
    memset(&io, 0, sizeof io);
    memset(workers, 0, sizeof workers);
    io.language = "english";
    r.max_file = 64u << 20;
    while ((c = getopt_long(argc, argv, "d:l:f:j:qvhV", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'l': io.language = optarg; break;
        case 'O': io.overwrite = 1; break;
        case 'A': io.fold_accents = 1; break;
        case 'S': io.stopwords = 1; break;
        case 'M': r.max_file = cli_size("--max-file-size", optarg); break;
        case 'q': r.quiet = 1; break;
        case 'L': list = 1; break;
        case 'C': r.columns = optarg; break;
        case 'F':
            if (bl_check_fields(optarg) != BL_OK) {
                cli_error("--fields: %s", bl_last_error());
                return EXIT_FATAL;
            }
            r.fields = optarg;
            break;
        case 'I': add_pattern(&include, &wo.ninclude, optarg); break;
        case 'X': add_pattern(&exclude, &wo.nexclude, optarg); break;
        case 'H': wo.hidden = 1; break;
        case 'N': no_delete = 1; break;
        case 'E':
            io.segment_docs = cli_uint("--commit-every", optarg);
            if (io.segment_docs == 0) {
                cli_error("--commit-every must be at least 1");
                return EXIT_FATAL;
            }
            break;
        case 'j':
            threads = cli_uint("--threads", optarg);
            if (threads < 1 || threads > MAX_THREADS) {
                cli_error("--threads must be between 1 and %d",
                          MAX_THREADS);
                return EXIT_FATAL;
            }
            break;
        case 'm': memory = cli_size("--memory", optarg); break;
        case 'K':
            io.shards = cli_uint("--shards", optarg);
            if (io.shards < 1 || io.shards > BL_MAX_SHARDS) {
                cli_error("--shards must be between 1 and %d",
                          BL_MAX_SHARDS);
                return EXIT_FATAL;
            }
            break;
        case 'f':
            r.format = bl_format_from_name(optarg);
            if (r.format == BL_FORMAT_UNKNOWN) {
                cli_error("--format: expected text, jsonl, reuters, trec, "
                          "csv, mail or html, not '%s'", optarg);
                return EXIT_FATAL;
            }
            break;
        case 'v': r.verbose = 1; break;
        case 'h': usage(stdout); return EXIT_ALL_OK;
        case 'V': cli_version(); return EXIT_ALL_OK;
        default:
            fprintf(stderr, "Try '%s --help'.\n", cli_prog);
            return EXIT_FATAL;
        }
    }
    if (optind >= argc) {
        cli_error("no PATH to index given");
        fprintf(stderr, "Try '%s --help'.\n", cli_prog);
        return EXIT_FATAL;
    }
    db = cli_db_path(db);
    io.threads = threads;
    if (memory < BASE_MEMORY + threads * (unsigned long)r.max_file + (16ul << 20))
        cli_error("warning: --memory %lu MB is small for %u threads reading "
                  "files of up to %lu MB (--max-file-size); peak memory may "
                  "exceed it", memory >> 20, threads,
                  (unsigned long)(r.max_file >> 20));
    if (!list && bl_indexer_open(db, &io, &r.ix) != BL_OK) {
        cli_error("%s", bl_last_error());
        return EXIT_FATAL;
    }
    if (r.ix) {
        bl_index_stats_t st;
        bl_indexer_stats(r.ix, &st);
        /* The segment size follows the budget and the real shard count
         * (an existing index keeps its own). */
        io.segment_bytes = segment_bytes(memory, threads, st.shards,
                                         r.max_file);
        bl_indexer_set_segment_size(r.ix, io.segment_docs,
                                    io.segment_bytes);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    clock_gettime(CLOCK_MONOTONIC, &t0);
    r.progress = !r.quiet && isatty(2);
    r.started = now();
    if (r.progress) {
        for (int i = optind; i < argc; i++) {
            wo.include = include;
            wo.exclude = exclude;
            bl_walk_with(argv[i], &wo, count_bytes, &r.total_bytes);
        }
    }
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.not_empty, NULL);
    pthread_cond_init(&r.not_full, NULL);
    for (unsigned i = 0; r.ix && i < threads; i++) {
        workers[i].r = &r;
        if (bl_writer_new(r.ix, &workers[i].w) != BL_OK) {
            cli_error("%s", bl_last_error());
            r.fatal = BL_ENOMEM;
            break;
        }
        if (pthread_create(&workers[i].thread, NULL, work, &workers[i]) !=
            0) {
            cli_error("cannot start a thread: %s", strerror(errno));
            bl_writer_free(workers[i].w);
            workers[i].w = NULL;
            break;
        }
        r.running++;
    }
    if (r.ix && r.running == 0 && r.fatal == BL_OK) {
        cli_error("no worker thread could be started");
        r.fatal = BL_ENOMEM;
    }
    for (int i = optind; i < argc && r.fatal == BL_OK && !interrupted; i++) {
        wo.include = include;
        wo.exclude = exclude;
        bl_status_t rc = bl_walk_with(argv[i], &wo, on_walk, &r);
        if (rc == BL_ENOTFOUND || rc == BL_EIO) {
            cli_error("%s", bl_last_error());
            r.skipped_unreadable++;
        } else if (rc == BL_ENOMEM) {
            cli_error("%s", bl_last_error());
            r.fatal = rc;
        }
    }
    /* Close the queue and wait for the workers to drain it. */
    pthread_mutex_lock(&r.mu);
    r.done = 1;
    pthread_cond_broadcast(&r.not_empty);
    while (r.running > 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec++;
        pthread_cond_timedwait(&r.not_full, &r.mu, &ts);
        pthread_mutex_unlock(&r.mu);
        show_progress(&r, 0);
        pthread_mutex_lock(&r.mu);
    }
    pthread_mutex_unlock(&r.mu);
    for (unsigned i = 0; i < threads; i++) {
        if (!workers[i].w)
            continue;
        pthread_join(workers[i].thread, NULL);
        if (bl_writer_free(workers[i].w) != BL_OK && r.fatal == BL_OK) {
            cli_error("%s", bl_last_error());
            r.fatal = BL_EIO;
        }
    }
    /* Files that were indexed under these PATHs and are gone now. */
    if (!list && !no_delete && r.fatal == BL_OK && !interrupted) {
        const char **roots = calloc((size_t)(argc - optind), sizeof *roots);
        size_t nroots = 0;
        for (int i = optind; roots && i < argc; i++) {
            char *canon = realpath(argv[i], NULL);
            if (canon)
                roots[nroots++] = canon;
        }
        if (!roots || bl_indexer_remove_unseen(r.ix, roots, nroots,
                                               &r.removed) != BL_OK) {
            cli_error("%s", roots ? bl_last_error() : "out of memory");
            r.fatal = BL_EIO;
        }
        for (size_t i = 0; i < nroots; i++)
            free((void *)roots[i]);
        free(roots);
    }
    bl_index_stats_t stats;
    memset(&stats, 0, sizeof stats);
    if (r.ix) {
        if (r.progress) {
            show_progress(&r, 1);
            fprintf(stderr, ", merging");
        }
    }
    /* An interrupted run commits what it has and leaves the merging to the
     * next run, to stop promptly. */
    bl_status_t rc = list ? BL_OK
                          : bl_indexer_finish(r.ix,
                                              !interrupted &&
                                                  r.fatal == BL_OK,
                                              &stats);
    if (rc != BL_OK) {
        cli_error("%s", bl_last_error());
        r.fatal = rc;
    }
    if (r.progress) {
        show_progress(&r, 1);
        fputc('\n', stderr);
        cli_progress_shown = 0;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) +
                  (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    unsigned long skipped = r.skipped_unreadable + r.skipped_empty +
                            r.skipped_binary + r.skipped_large +
                            r.skipped_loop + r.skipped_records +
                            r.skipped_corrupt;
    if (!r.quiet) {
        struct rusage ru;
        long peak_kb = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
        unsigned long bytes = r.bytes;
        fprintf(stderr,
                "%s: %s%lu articles %s from %lu files (%.2f MB) in "
                "%.2f s (%.2f MB/s, peak memory %.0f MB)%s%s\n",
                cli_prog, interrupted ? "interrupted: " : "",
                (unsigned long)r.articles, list ? "listed" : "indexed",
                (unsigned long)r.files, bytes / 1e6, secs,
                secs > 0 ? bytes / 1e6 / secs : 0.0, peak_kb / 1024.0,
                list ? "" : " into ", list ? "" : db);
        if (!list && r.verbose)
            fprintf(stderr, "%s: %u threads, %u shard%s, %lu segments "
                            "written, %lu merges (%.2f s; the final "
                            "one%s %.2f s)\n",
                    cli_prog, threads, stats.shards,
                    stats.shards == 1 ? "" : "s", stats.segments,
                    stats.merges, stats.merge_seconds,
                    stats.shards == 1 ? "" : "s", stats.final_seconds);
        if (skipped)
            fprintf(stderr,
                    "%s: %lu skipped: %lu unreadable, %lu empty, %lu binary, "
                    "%lu too large, %lu bad format, %lu links or special "
                    "files, %lu bad records\n",
                    cli_prog, skipped, (unsigned long)r.skipped_unreadable,
                    (unsigned long)r.skipped_empty,
                    (unsigned long)r.skipped_binary,
                    (unsigned long)r.skipped_large,
                    (unsigned long)r.skipped_corrupt,
                    (unsigned long)r.skipped_loop,
                    (unsigned long)r.skipped_records);
        if (r.unchanged || r.removed)
            fprintf(stderr, "%s: %lu file%s unchanged, %lu removed %s "
                            "articles deleted\n",
                    cli_prog, r.unchanged, r.unchanged == 1 ? "" : "s",
                    r.removed, r.removed == 1 ? "file's" : "files'");
        if (r.ignored)
            fprintf(stderr, "%s: %lu file%s ignored (not a known article "
                            "format; -v names them)\n",
                    cli_prog, r.ignored, r.ignored == 1 ? "" : "s");
    }
    free(include);
    free(exclude);
    if (r.fatal != BL_OK)
        return EXIT_FATAL;
    return skipped || interrupted ? EXIT_PARTIAL : EXIT_ALL_OK;
}
