/*
 * The indexer's parts, shared by its units (see indexer.c for how a run
 * writes): the structures, and the calls one unit makes of another.
 * Nothing here is public: the calls are hidden from the library's
 * exports.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Units: indexer.c (opening an index: stub, parts, leftovers; failures),
 * replace.c (deleting old versions in older parts), merge.c (tier and
 * final merges), files.c (files: begin, end, retire, the manifest, files
 * gone), writer.c (writers: segments, publishing).  Every call marked
 * "locked" is made with the indexer's mutex held.
 */
#ifndef BYLINE_INDEXER_INTERNAL_H
#define BYLINE_INDEXER_INTERNAL_H

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
#include "util/clock.h"
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

/* The lock (bl_indexer.mu).  One mutex guards the indexer's shared state:
 * the parts and the stub, the file records, the shards' start-of-run
 * parts, the run's ids, the counters.  A writer fills its own segments
 * without it: it takes it only briefly, to name a new segment and to count
 * an article of a file, and for the whole of a publication (publish():
 * its segments listed in a new stub, the articles they replace deleted
 * from older parts, those parts committed, the files whose articles are
 * all published recorded in the manifest, full tiers merged), so that a
 * reader or a crash sees every publication whole or not at all.  A merge
 * (merge(), called locked from publish(), merge_tiers() and
 * finish_shard()) lets the lock go while it compacts, marking its parts
 * as being merged, and takes it again to swap them in the stub: its
 * caller must expect the parts to have changed.  Another writer that
 * publishes meanwhile waits; how long publications hold the lock is
 * counted (publish_seconds, publish_max in bl_index_stats_t). */
struct bl_indexer {
    pthread_mutex_t mu;      /* Guards everything below but the options. */
    char path[BL_PATH_MAX];
    char language[64];
    bl_analyzer_options_t ao;
    bl_analyzer_t *analyzer;
    unsigned nshards, threads;
    unsigned of_k, of_n;     /* Shard K of N of the corpus (N 0: all). */
    int one_part;            /* The final merge leaves one part a shard. */
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
    unsigned long marks;     /* Commit marks written (BL_COMMIT_MARK). */
    double merge_seconds, final_seconds;
    double publish_seconds, publish_max; /* The lock held by publish(), in
                                            all and at most (less the
                                            merges' compaction). */
    /* A write failed: nothing more is committed in this run (every call
     * that would returns this status and message), so that the index stays
     * as of its last commit and no file is recorded whose articles are
     * not all there. */
    bl_status_t broken;
    char broken_msg[512];
};

#define BL_INTERNAL __attribute__((visibility("hidden")))

BL_INTERNAL bl_status_t add_part(bl_indexer_t *ix, const part_t *p);
BL_INTERNAL bl_status_t break_index(bl_indexer_t *ix, bl_status_t rc);
BL_INTERNAL bl_status_t commit_db(xc_db_t *db, const char *name,
                             bl_fault_point_t point);
BL_INTERNAL bl_status_t create_part(bl_indexer_t *ix, const char *name, int flags,
                               xc_db_t **out);
BL_INTERNAL void free_indexer(bl_indexer_t *ix);
BL_INTERNAL void in_index(const bl_indexer_t *ix, const char *name, char *out,
                     size_t size);
BL_INTERNAL bl_status_t injected(bl_fault_point_t point, const char *name);
BL_INTERNAL bl_status_t name_failure(const bl_indexer_t *ix, bl_status_t rc);
BL_INTERNAL unsigned shard_of(const bl_indexer_t *ix, const char *qterm);
BL_INTERNAL bl_status_t still_whole(const bl_indexer_t *ix);
BL_INTERNAL bl_status_t write_stub(bl_indexer_t *ix);
/* write_stub(), and *LISTED (if not NULL) 1 when the stub on disk is the
 * new one even though it failed (its directory could not be flushed):
 * the parts it lists must then stay. */
BL_INTERNAL bl_status_t write_stub_listed(bl_indexer_t *ix, int *listed);
BL_INTERNAL bl_status_t close_parts(bl_indexer_t *ix, int shard);
BL_INTERNAL bl_status_t commit_parts(bl_indexer_t *ix);
BL_INTERNAL bl_status_t delete_term(bl_indexer_t *ix, int shard, int old_only,
                               const char *term);
BL_INTERNAL bl_status_t replace_ids(bl_indexer_t *ix, unsigned k,
                               const segment_t *s);
BL_INTERNAL bl_status_t merge_tiers(bl_indexer_t *ix, unsigned k);
BL_INTERNAL bl_status_t finish_shard(bl_indexer_t *ix, unsigned k);
BL_INTERNAL bl_status_t settle_files(bl_writer_t *w, bl_status_t rc);
BL_INTERNAL bl_status_t retire_files(bl_indexer_t *ix, bl_file_t **files,
                                size_t n, bl_status_t rc);
BL_INTERNAL int cmp_u64(const void *a, const void *b);
BL_INTERNAL bl_status_t commit_all(bl_indexer_t *ix, bl_status_t rc);
BL_INTERNAL void mark_commit(bl_indexer_t *ix);

#endif
