/*
 * The indexer: articles into a sharded, segmented Xapian index (the layout
 * and the document scheme are described in byline/index.h).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * How a run writes:
 *  - Each writer (one per thread) keeps one open segment per shard, a new
 *    glass database in the index directory that no stub lists yet.  When a
 *    segment is full the writer commits it and publishes all its segments:
 *    under the indexer's lock, ids already in the index are deleted from
 *    the older parts (replacement), the stub is rewritten to list the new
 *    segments (an atomic rename: the commit point), and then the manifest
 *    entries of the files whose articles are all published are committed.
 *  - A killed run leaves parts the stub does not list; the next open
 *    removes them.  A file whose entry was not committed is read again and
 *    its articles replace themselves by id, so nothing is duplicated.
 *  - Ten segments of a shard are compacted into one (tier by tier, by the
 *    writer that published the tenth), and at the end of a run each
 *    shard's parts are compacted into one (see finish_shard()).
 *  Xapian's compaction is a linear merge of sorted tables; that is why
 *  small segments plus merges beat one writer's growing batch (measured in
 *  bench/, figures in the README).
 */
#define _DEFAULT_SOURCE /* DT_DIR */
#include "byline/index.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "byline/analysis.h"
#include "index/docbuild.h"
#include "index/manifest.h"
#include "schema/schema.h"
#include "util/buf.h"
#include "util/fault.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/idset.h"
#include "schema/xc_map.h"
#include "xapian-c/xapian-c.h"

#define STUB BL_STUB_NAME
#define META "meta"
#define MERGE_FANIN 10   /* Segments of one tier merged at once. */
#define MAX_PARTS 8      /* A shard with more parts is merged whole. */
#define NAME_MAX_LEN 32

/* One database the stub lists. */
typedef struct part {
    char name[NAME_MAX_LEN]; /* "s<shard>-<seq>" */
    unsigned shard;
    unsigned tier;           /* 0: a segment; n: made of FANIN^n. */
    int from_run;            /* Written by this run. */
    int merging;             /* Being compacted. */
    unsigned long docs;
    unsigned long edits;     /* Deletions made by this run. */
    int fresh;               /* Being published: its ids are not replaced. */
    xc_db_t *w;              /* Writable handle, when deletions were made. */
} part_t;

/* A file being indexed; its articles may go through several writers.  Its
 * manifest entry is recorded once reading it is over and every article of
 * it is published. */
struct bl_file {
    char *path;
    char term[24];           /* XF<hash>. */
    unsigned long pending;   /* Articles added, not yet published. */
    unsigned long articles;  /* Articles published. */
    int ended, record;       /* bl_indexer_file_end() called; with entry. */
    int replace;             /* Its articles of earlier runs are to go. */
    int lost;                /* Some of its articles were not published (a
                                write failed): never recorded. */
    bl_file_entry_t e;
    bl_file_t *next, *prev;  /* The indexer's list of open files. */
};

/* Articles a writer added for a file since it last published. */
typedef struct touched {
    bl_file_t *f;
    unsigned long n;
} touched_t;

/* A segment a writer is filling. */
typedef struct segment {
    xc_db_t *db;             /* NULL: none open for this shard. */
    char name[NAME_MAX_LEN];
    unsigned long docs, bytes;
    char **qterms;           /* The ids it holds (for replacement). */
    size_t nq, capq;
    bl_idset_t ids;          /* Their hashes (ids repeated in a segment). */
} segment_t;

struct bl_writer {
    bl_indexer_t *ix;
    bl_analyzer_t *an;
    segment_t *segs;         /* One per shard. */
    touched_t *touched;
    size_t ntouched, captouched;
};

struct bl_indexer {
    pthread_mutex_t mu;      /* Guards everything below but the options. */
    char path[4096];
    char language[64];
    bl_analyzer_options_t ao;
    bl_analyzer_t *analyzer;
    unsigned nshards, threads;
    unsigned long seg_docs, seg_bytes;
    xc_db_t *meta;
    part_t *parts;
    size_t nparts, capparts;
    unsigned long next_seq;
    xc_db_t **start;         /* Per shard: the parts at open, read-only
                                (NULL when the shard was empty). */
    bl_idset_t *run_ids;     /* Per shard: ids published by this run. */
    uint64_t *seen;          /* Hashes of the files checked in this run. */
    size_t nseen, seen_cap;
    bl_writer_t *own;        /* For the single-threaded shorthands. */
    bl_file_t *files;        /* Files not yet recorded or dropped. */
    unsigned long segments, merges;
    double merge_seconds, final_seconds;
    /* A write failed: nothing more is committed in this run (every call
     * that would returns this status and message), so that the index stays
     * as of its last commit and no file is recorded whose articles are
     * not all there. */
    bl_status_t broken;
    char broken_msg[512];
};

/* Seconds on a monotonic clock. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The message of a failed write RC of IX (the last error) made to name
 * the index, and to say when its file system is full: Xapian reports some
 * writes that ran out of room by what failed after them ("cancel() not
 * supported").  Returns RC.  Cannot fail. */
static bl_status_t name_failure(const bl_indexer_t *ix, bl_status_t rc)
{
    if (rc == BL_OK || rc == BL_ENOMEM)
        return rc;
    char msg[1024];
    struct statvfs fs;
    snprintf(msg, sizeof msg, "%s", bl_last_error());
    int full = statvfs(ix->path, &fs) == 0 &&
               (double)fs.f_bavail * (double)fs.f_frsize < 1024.0 * 1024.0 &&
               !strstr(msg, strerror(ENOSPC));
    int named = strncmp(msg, ix->path, strlen(ix->path)) == 0;
    if (full)
        return bl_fail(rc, "%s: %s (%s)", ix->path, strerror(ENOSPC), msg);
    if (!named)
        return bl_fail(rc, "%s: %s", ix->path, msg);
    return rc;
}

/* Note that a write of IX failed with RC (the message being the last
 * error) and give RC back; the first failure is the one kept.  Call
 * locked. */
static bl_status_t break_index(bl_indexer_t *ix, bl_status_t rc)
{
    rc = name_failure(ix, rc);
    if (rc != BL_OK && ix->broken == BL_OK) {
        ix->broken = rc;
        snprintf(ix->broken_msg, sizeof ix->broken_msg, "%s", bl_last_error());
    }
    return rc;
}

/* BL_OK, or the failure that broke IX (with its message again).  Call
 * locked. */
static bl_status_t still_whole(const bl_indexer_t *ix)
{
    if (ix->broken == BL_OK)
        return BL_OK;
    return bl_fail(ix->broken, "%s", ix->broken_msg);
}

/* An injected failure of POINT for the database or file NAME, as the
 * status a real one would give (see util/fault.h); BL_OK when none. */
static bl_status_t injected(bl_fault_point_t point, const char *name)
{
    int err = bl_fault(point);
    if (!err)
        return BL_OK;
    return bl_fail(BL_EIO, "%s: %s (injected at %s)", name, strerror(err),
                   bl_fault_name(point));
}

/* Commit DB (named NAME), or fail at POINT.  Returns BL_OK or BL_EIO. */
static bl_status_t commit_db(xc_db_t *db, const char *name,
                             bl_fault_point_t point)
{
    bl_status_t rc = injected(point, name);
    if (rc == BL_OK)
        rc = bl_from_xc(xc_db_commit(db), name);
    return rc;
}

/* The path of NAME inside the index into OUT. */
static void in_index(const bl_indexer_t *ix, const char *name, char *out,
                     size_t size)
{
    snprintf(out, size, "%s/%s", ix->path, name);
}

/* The shard of the unique-id term QTERM.  Cannot fail. */
static unsigned shard_of(const bl_indexer_t *ix, const char *qterm)
{
    return (unsigned)(bl_fnv1a(qterm, strlen(qterm)) % ix->nshards);
}

/* Parse a part name "s<k>-<n>"; returns 1 and sets *SHARD, *SEQ if NAME is
 * one. */
static int parse_part(const char *name, unsigned *shard, unsigned long *seq)
{
    unsigned k = 0;
    unsigned long n = 0;
    int end = 0;
    if (sscanf(name, "s%u-%lu%n", &k, &n, &end) != 2 || name[end] != '\0')
        return 0;
    *shard = k;
    *seq = n;
    return 1;
}

/* Append a part; returns BL_OK or BL_ENOMEM. */
static bl_status_t add_part(bl_indexer_t *ix, const part_t *p)
{
    if (ix->nparts == ix->capparts) {
        size_t cap = ix->capparts ? ix->capparts * 2 : 16;
        part_t *np = realloc(ix->parts, cap * sizeof *np);
        if (!np)
            return bl_fail(BL_ENOMEM, "out of memory");
        ix->parts = np;
        ix->capparts = cap;
    }
    ix->parts[ix->nparts++] = *p;
    return BL_OK;
}

/* Rewrite the stub to list IX's parts (Xapian's stub format: "auto NAME"
 * lines), atomically and durably: the commit point of a publication.
 * Returns BL_OK, BL_EIO (the message names the stub and the system's
 * reason, "No space left on device") or BL_ENOMEM. */
static bl_status_t write_stub(bl_indexer_t *ix)
{
    char path[4400];
    bl_buf_t text = BL_BUF_INIT;
    bl_status_t rc = BL_OK;
    for (size_t i = 0; rc == BL_OK && i < ix->nparts; i++) {
        rc = bl_buf_puts(&text, "auto ");
        if (rc == BL_OK)
            rc = bl_buf_puts(&text, ix->parts[i].name);
        if (rc == BL_OK)
            rc = bl_buf_putc(&text, '\n');
    }
    in_index(ix, STUB, path, sizeof path);
    if (rc == BL_OK &&
        bl_write_atomic(path, text.data ? text.data : "", text.len) != 0)
        rc = bl_fail(BL_EIO, "%s: %s", path, strerror(errno));
    bl_buf_free(&text);
    return rc;
}

/* Create the new empty database NAME in the index with the schema, for
 * writing with the XC_DB_* FLAGS, in *OUT.  Returns BL_OK, BL_EIO or
 * BL_ENOMEM. */
static bl_status_t create_part(bl_indexer_t *ix, const char *name, int flags,
                               xc_db_t **out)
{
    char path[4400];
    in_index(ix, name, path, sizeof path);
    bl_status_t rc = bl_from_xc(xc_db_open_writable(path,
                                                    XC_DB_CREATE_OR_OVERWRITE,
                                                    flags, out),
                                path);
    if (rc == BL_OK)
        rc = bl_schema_write(*out, path, &ix->ao);
    if (rc != BL_OK) {
        xc_db_free(*out);
        *out = NULL;
    }
    return rc;
}

/* Read the stub's list of parts into IX.  Returns BL_OK, BL_ECORRUPT or
 * BL_ENOMEM. */
static bl_status_t read_stub(bl_indexer_t *ix)
{
    char path[4400], line[512];
    in_index(ix, STUB, path, sizeof path);
    FILE *f = fopen(path, "r");
    bl_status_t rc = BL_OK;
    if (!f)
        return bl_fail(BL_ECORRUPT, "%s: %s", path, strerror(errno));
    while (rc == BL_OK && fgets(line, sizeof line, f)) {
        char kind[16], name[NAME_MAX_LEN + 8];
        part_t p;
        memset(&p, 0, sizeof p);
        if (line[0] == '#' || line[0] == '\n')
            continue;
        unsigned long seq = 0;
        if (sscanf(line, "%15s %39s", kind, name) != 2 ||
            strlen(name) >= NAME_MAX_LEN ||
            !parse_part(name, &p.shard, &seq) || p.shard >= ix->nshards) {
            rc = bl_fail(BL_ECORRUPT, "%s: not a Byline stub line: %s", path,
                         line);
            break;
        }
        memcpy(p.name, name, strlen(name) + 1);
        p.tier = UINT32_MAX;
        rc = add_part(ix, &p);
    }
    fclose(f);
    return rc;
}

/* Remove the databases in the index directory that the stub does not
 * list (left by a run that was killed), and find the next sequence
 * number.  Returns BL_OK or BL_EIO. */
static bl_status_t clean_leftovers(bl_indexer_t *ix)
{
    DIR *d = opendir(ix->path);
    struct dirent *e;
    if (!d)
        return bl_fail(BL_EIO, "%s: %s", ix->path, strerror(errno));
    ix->next_seq = 1;
    while ((e = readdir(d)) != NULL) {
        unsigned k;
        unsigned long seq;
        int listed = 0;
        if (!parse_part(e->d_name, &k, &seq))
            continue;
        if (seq >= ix->next_seq)
            ix->next_seq = seq + 1;
        for (size_t i = 0; i < ix->nparts && !listed; i++)
            listed = strcmp(ix->parts[i].name, e->d_name) == 0;
        if (!listed) {
            char path[4400];
            in_index(ix, e->d_name, path, sizeof path);
            bl_rmtree(path);
        }
    }
    closedir(d);
    return BL_OK;
}

/* Open the parts of each shard read-only as the state before this run,
 * for finding the articles that new ones replace. */
static bl_status_t open_start(bl_indexer_t *ix)
{
    bl_status_t rc = BL_OK;
    for (size_t i = 0; rc == BL_OK && i < ix->nparts; i++) {
        part_t *p = &ix->parts[i];
        char path[4400];
        xc_db_t *db = NULL;
        xc_doccount_t n = 0;
        in_index(ix, p->name, path, sizeof path);
        rc = bl_from_xc(xc_db_open(path, &db), path);
        if (rc == BL_OK)
            rc = bl_from_xc(xc_db_doccount(db, &n), path);
        p->docs = n;
        if (rc == BL_OK && n > 0 && !ix->start[p->shard])
            rc = bl_from_xc(xc_db_new_multi(&ix->start[p->shard]), path);
        if (rc == BL_OK && n > 0)
            rc = bl_from_xc(xc_db_add(ix->start[p->shard], db), path);
        xc_db_free(db);
    }
    return rc;
}

/* Is DIR an index of ours, a plain Xapian database, empty, or something
 * else?  Returns 'b', 'x', 'e' or 'o'. */
static int dir_kind(const char *dir)
{
    char path[4400];
    DIR *d;
    struct dirent *e;
    int n = 0;
    snprintf(path, sizeof path, "%s/" META, dir);
    if (access(path, F_OK) == 0) {
        snprintf(path, sizeof path, "%s/" STUB, dir);
        if (access(path, F_OK) == 0)
            return 'b';
    }
    snprintf(path, sizeof path, "%s/iamglass", dir);
    if (access(path, F_OK) == 0)
        return 'x';
    d = opendir(dir);
    if (!d)
        return 'o';
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    }
    closedir(d);
    return n ? 'o' : 'e';
}

/* Empty the directory of a Byline index or a plain Xapian database. */
static void wipe(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        char path[4400];
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
            !strcmp(e->d_name, META))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        bl_rmtree(path);
    }
    closedir(d);
}

/* Set up a new index in IX->path (META already open and empty): the
 * schema, the shard count, one empty part per shard, the stub. */
static bl_status_t create_index(bl_indexer_t *ix)
{
    char n[16];
    bl_status_t rc = bl_schema_write(ix->meta, ix->path, &ix->ao);
    snprintf(n, sizeof n, "%u", ix->nshards);
    if (rc == BL_OK)
        rc = bl_from_xc(xc_db_set_metadata(ix->meta, BL_META_SHARDS, n,
                                           strlen(n)),
                        ix->path);
    for (unsigned k = 0; rc == BL_OK && k < ix->nshards; k++) {
        part_t p;
        xc_db_t *db = NULL;
        memset(&p, 0, sizeof p);
        snprintf(p.name, sizeof p.name, "s%u-0", k);
        p.shard = k;
        rc = create_part(ix, p.name, 0, &db);
        if (rc == BL_OK)
            rc = bl_from_xc(xc_db_commit(db), ix->path);
        xc_db_free(db);
        if (rc == BL_OK)
            rc = add_part(ix, &p);
    }
    if (rc == BL_OK)
        rc = write_stub(ix);
    if (rc == BL_OK)
        rc = bl_from_xc(xc_db_commit(ix->meta), ix->path);
    return rc;
}

/* Read the shard count of an existing index. */
static bl_status_t read_shards(bl_indexer_t *ix)
{
    char *v = NULL;
    bl_status_t rc = bl_from_xc(xc_db_get_metadata(ix->meta, BL_META_SHARDS,
                                                   &v, NULL),
                                ix->path);
    if (rc == BL_OK) {
        ix->nshards = (unsigned)strtoul(v, NULL, 10);
        if (ix->nshards < 1 || ix->nshards > BL_MAX_SHARDS)
            rc = bl_fail(BL_ECORRUPT, "%s: bad shard count '%s'", ix->path,
                         v);
    }
    free(v);
    return rc;
}

static void free_indexer(bl_indexer_t *ix)
{
    if (!ix)
        return;
    while (ix->files) {
        bl_file_t *f = ix->files;
        ix->files = f->next;
        free(f->path);
        free(f);
    }
    for (size_t i = 0; i < ix->nparts; i++)
        xc_db_free(ix->parts[i].w);
    for (unsigned k = 0; ix->start && k < ix->nshards; k++)
        xc_db_free(ix->start[k]);
    for (unsigned k = 0; ix->run_ids && k < ix->nshards; k++)
        bl_idset_clear(&ix->run_ids[k]);
    free(ix->start);
    free(ix->run_ids);
    free(ix->parts);
    free(ix->seen);
    bl_analyzer_free(ix->analyzer);
    xc_db_free(ix->meta);
    pthread_mutex_destroy(&ix->mu);
    free(ix);
}

bl_status_t bl_indexer_open(const char *path, const bl_index_options_t *opts,
                            bl_indexer_t **out)
{
    bl_indexer_t *ix = NULL;
    char *lang = NULL, meta[4400];
    bl_analyzer_options_t ao;
    bl_status_t rc = BL_OK;
    int kind, fresh;
    *out = NULL;
    if (!path || !*path || strlen(path) >= sizeof ix->path - 64)
        return bl_fail(BL_EARG, "no index path given");
    ix = calloc(1, sizeof *ix);
    if (!ix)
        return bl_fail(BL_ENOMEM, "out of memory");
    pthread_mutex_init(&ix->mu, NULL);
    snprintf(ix->path, sizeof ix->path, "%s", path);
    ix->seg_docs = opts && opts->segment_docs ? opts->segment_docs
                                              : BL_SEGMENT_DOCS;
    ix->seg_bytes = opts && opts->segment_bytes ? opts->segment_bytes
                                                : BL_SEGMENT_BYTES;
    ix->threads = opts && opts->threads ? opts->threads : 1;
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        rc = bl_fail(BL_EIO, "%s: %s", path, strerror(errno));
        goto fail;
    }
    kind = dir_kind(path);
    if (kind == 'o') {
        rc = bl_fail(BL_ECORRUPT, "%s: exists and is not a Byline index",
                     path);
        goto fail;
    }
    if (kind == 'x' && !(opts && opts->overwrite)) {
        rc = bl_fail(BL_ECORRUPT,
                     "%s: a single Xapian database, not a Byline index of "
                     "schema %s (rebuild it with byline-index --overwrite)",
                     path, BL_SCHEMA_VERSION);
        goto fail;
    }
    fresh = kind != 'b' || (opts && opts->overwrite);
    snprintf(meta, sizeof meta, "%s/" META, path);
    /* The meta database's write lock is the index's: take it first. */
    rc = bl_from_xc(xc_db_open_writable(meta,
                                        fresh ? XC_DB_CREATE_OR_OVERWRITE
                                              : XC_DB_OPEN,
                                        0, &ix->meta),
                    path);
    if (rc == BL_ELOCKED)
        goto fail;
    if (rc != BL_OK)
        goto fail;
    if (fresh) {
        wipe(path);
        ao.language = opts && opts->language ? opts->language : "english";
        ao.fold_accents = opts && opts->fold_accents;
        ao.stopwords = opts && opts->stopwords;
        ix->nshards = opts && opts->shards ? opts->shards : 1;
        if (ix->nshards > BL_MAX_SHARDS) {
            rc = bl_fail(BL_EARG, "at most %d shards", BL_MAX_SHARDS);
            goto fail;
        }
    } else {
        rc = bl_schema_read(ix->meta, path, &lang, &ao);
        if (rc == BL_OK && !lang)
            rc = bl_fail(BL_ECORRUPT, "%s: the index names no language",
                         path);
        if (rc == BL_OK)
            rc = read_shards(ix);
        if (rc != BL_OK)
            goto fail;
    }
    snprintf(ix->language, sizeof ix->language, "%s", ao.language);
    ix->ao = ao;
    ix->ao.language = ix->language;
    rc = bl_analyzer_new_with(&ix->ao, &ix->analyzer);
    if (rc != BL_OK)
        goto fail;
    ix->start = calloc(ix->nshards, sizeof *ix->start);
    ix->run_ids = calloc(ix->nshards, sizeof *ix->run_ids);
    if (!ix->start || !ix->run_ids) {
        rc = bl_fail(BL_ENOMEM, "out of memory");
        goto fail;
    }
    rc = fresh ? create_index(ix) : read_stub(ix);
    if (rc == BL_OK)
        rc = clean_leftovers(ix);
    if (rc == BL_OK)
        rc = open_start(ix);
    if (rc == BL_OK)
        rc = bl_writer_new(ix, &ix->own);
    if (rc != BL_OK)
        goto fail;
    free(lang);
    *out = ix;
    return BL_OK;
fail:
    free(lang);
    free_indexer(ix);
    return rc;
}

const char *bl_indexer_language(const bl_indexer_t *ix)
{
    return bl_analyzer_language(ix->analyzer);
}

const bl_analyzer_t *bl_indexer_analyzer(const bl_indexer_t *ix)
{
    return ix->analyzer;
}

/* The writable handle of part P (opened on first use).  Call locked. */
static bl_status_t part_writable(bl_indexer_t *ix, part_t *p)
{
    char path[4400];
    if (p->w)
        return BL_OK;
    in_index(ix, p->name, path, sizeof path);
    return bl_from_xc(xc_db_open_writable(path, XC_DB_OPEN, 0, &p->w), path);
}

/* Delete the documents indexed by TERM from the parts of SHARD (every
 * shard if SHARD is -1), the older ones only if OLD_ONLY, never those
 * being published.  Call locked. */
static bl_status_t delete_term(bl_indexer_t *ix, int shard, int old_only,
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

/* Commit the deletions made in the parts.  Call locked. */
static bl_status_t commit_parts(bl_indexer_t *ix)
{
    bl_status_t rc = BL_OK;
    for (size_t i = 0; rc == BL_OK && i < ix->nparts; i++) {
        if (ix->parts[i].w)
            rc = commit_db(ix->parts[i].w, ix->parts[i].name,
                           BL_FAULT_PART_COMMIT);
    }
    return rc;
}

/* Close the writable handles of the parts (before compacting them).  Call
 * locked. */
static bl_status_t close_parts(bl_indexer_t *ix, int shard)
{
    bl_status_t rc = BL_OK;
    for (size_t i = 0; i < ix->nparts; i++) {
        part_t *p = &ix->parts[i];
        if (p->w && (shard < 0 || p->shard == (unsigned)shard)) {
            bl_status_t r = commit_db(p->w, p->name, BL_FAULT_PART_COMMIT);
            if (rc == BL_OK)
                rc = r;
            xc_db_free(p->w);
            p->w = NULL;
        }
    }
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
static bl_status_t replace_ids(bl_indexer_t *ix, unsigned k,
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

/* Compact the parts named in NAMES[0..N) (of shard K) into the new part
 * DEST.  Returns BL_OK, BL_EIO or BL_ENOMEM. */
static bl_status_t compact(bl_indexer_t *ix, char (*names)[NAME_MAX_LEN],
                           size_t n, const char *dest)
{
    xc_db_t *multi = NULL;
    char path[4400];
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
    double t0 = now();
    if (rc == BL_OK)
        rc = compact(ix, names, n, np.name);
    double secs = now() - t0;
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
                char path[4400];
                in_index(ix, names[j], path, sizeof path);
                bl_rmtree(path);
            }
        }
    } else {
        char path[4400];
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

/* Merge full tiers of shard K.  Call locked. */
static bl_status_t merge_tiers(bl_indexer_t *ix, unsigned k)
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
static bl_status_t retire_files(bl_indexer_t *ix, bl_file_t **files,
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
static bl_status_t settle_files(bl_writer_t *w, bl_status_t rc)
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
    if (rc == BL_OK && added)
        rc = write_stub(ix);
    if (rc != BL_OK)
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
     * versions are published.  See retire_file(). */
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

/* Count one more article of F in W's unpublished segments. */
static bl_status_t touch_file(bl_writer_t *w, bl_file_t *f)
{
    if (w->ntouched && w->touched[w->ntouched - 1].f == f) {
        w->touched[w->ntouched - 1].n++;
    } else {
        if (w->ntouched == w->captouched) {
            size_t cap = w->captouched ? w->captouched * 2 : 16;
            touched_t *nt = realloc(w->touched, cap * sizeof *nt);
            if (!nt)
                return bl_fail(BL_ENOMEM, "out of memory");
            w->touched = nt;
            w->captouched = cap;
        }
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
        if (s->nq == s->capq) {
            size_t cap = s->capq ? s->capq * 2 : 256;
            char **nq = realloc(s->qterms, cap * sizeof *nq);
            if (!nq)
                return bl_fail(BL_ENOMEM, "out of memory");
            s->qterms = nq;
            s->capq = cap;
        }
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

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
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
    if (ix->nseen == ix->seen_cap) {
        size_t nc = ix->seen_cap ? ix->seen_cap * 2 : 1024;
        uint64_t *ns = realloc(ix->seen, nc * sizeof *ns);
        if (!ns)
            rc = bl_fail(BL_ENOMEM, "out of memory");
        else {
            ix->seen = ns;
            ix->seen_cap = nc;
        }
    }
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
    if (rc == BL_OK)
        rc = commit_parts(ix);
    if (rc == BL_OK)
        rc = commit_db(ix->meta, ix->path, BL_FAULT_META_COMMIT);
    rc = break_index(ix, rc);
    pthread_mutex_unlock(&ix->mu);
    if (files)
        *files = u.removed;
    if (kept)
        *kept = u.kept;
    return rc;
}

bl_status_t bl_indexer_commit(bl_indexer_t *ix)
{
    bl_status_t rc = bl_writer_flush(ix->own);
    pthread_mutex_lock(&ix->mu);
    if (rc == BL_OK)
        rc = still_whole(ix);
    if (rc == BL_OK)
        rc = commit_parts(ix);
    if (rc == BL_OK)
        rc = commit_db(ix->meta, ix->path, BL_FAULT_META_COMMIT);
    rc = break_index(ix, rc);
    pthread_mutex_unlock(&ix->mu);
    return rc;
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

void bl_indexer_stats(bl_indexer_t *ix, bl_index_stats_t *out)
{
    pthread_mutex_lock(&ix->mu);
    out->shards = ix->nshards;
    out->parts = ix->nparts;
    out->segments = ix->segments;
    out->merges = ix->merges;
    out->merge_seconds = ix->merge_seconds;
    out->final_seconds = ix->final_seconds;
    pthread_mutex_unlock(&ix->mu);
}

/* The final merge of shard K: this run's parts into one, and the whole
 * shard into one when it has too many parts or this run wrote at least a
 * quarter of it (so that a small update does not rewrite a big index,
 * while the parts stay few).  Call locked. */
static bl_status_t finish_shard(bl_indexer_t *ix, unsigned k)
{
    unsigned long old_docs = 0, new_docs = 0;
    size_t nparts = 0, o = 0;
    char gone[4400] = "";
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
            char path[4400];
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
    if (old_parts + 1 > MAX_PARTS || new_docs * 4 >= old_docs)
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
    if (rc == BL_OK)
        rc = still_whole(ix);
    if (rc == BL_OK)
        rc = commit_parts(ix);
    if (rc == BL_OK)
        rc = commit_db(ix->meta, ix->path, BL_FAULT_META_COMMIT);
    rc = break_index(ix, rc);
    pthread_mutex_unlock(&ix->mu);
    if (rc == BL_OK && do_merge) {
        shard_job_t job = {ix, 0, BL_OK};
        double t0 = now();
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
        ix->final_seconds = now() - t0;
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
