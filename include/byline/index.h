/*
 * The index layer: articles into Xapian documents, and the stored fields
 * that results and passages are made from.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The document scheme, value slots and stored fields: byline/schema.h.
 *
 * Layout (schema 3): the index is a directory that Xapian opens as one
 * database through the stub file XAPIANDB in it, which lists the parts:
 *   DIR/XAPIANDB      the stub ("auto s0-12" ..., one line per part)
 *   DIR/s<k>-<n>/     a part of shard k (a glass database); an article
 *                     lives in shard hash(id) % shards, fixed when the
 *                     index is created, so that an update finds it
 *   DIR/meta/         a database without documents: the schema, the
 *                     analyzer settings, the shard count and the manifest
 *                     of indexed files; its write lock is the index's
 * Writers fill bounded segments (new parts) in parallel; a segment is
 * published by rewriting the stub (an atomic rename), which is the commit
 * point.  Segments are merged with Xapian's compaction, tier by tier while
 * a run goes on and into one part per shard when it ends.
 *
 * Ownership and threads: an indexer owns its writers' segments until they
 * are published; a file (bl_file_t) is the caller's until it is added.
 * The indexer's calls may come from any thread; each writer belongs to
 * one thread.  Only one indexer may have an index open (its meta
 * database's lock): a second gets BL_ELOCKED.  After any failed write the
 * indexer is broken: every later write call fails, nothing more is
 * committed, and a re-run completes the index from its last commit.
 */
#ifndef BYLINE_INDEX_H
#define BYLINE_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "byline/analysis.h"
#include "byline/corpus.h"
#include "byline/schema.h"
#include "byline/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The API: exported from the shared library, whatever the visibility it
 * is built with (ARCHITECTURE.md, Exports). */
#pragma GCC visibility push(default)

typedef struct bl_indexer bl_indexer_t;
typedef struct bl_writer bl_writer_t;
typedef struct bl_file bl_file_t;

typedef struct bl_index_options {
    const char *language; /* Stemming language for a new index ("english");
                             an existing index keeps its own. */
    int fold_accents;     /* For a new index: fold accents ("cafe" finds
                             "café"); an existing index keeps its own. */
    int stopwords;        /* For a new index: leave out stopwords. */
    int stemmed_only;     /* For a new index: keep no exact word forms
                             (a quoted word then matches its stem, as
                             before; the index is smaller). */
    int overwrite;        /* Non-zero: start a new, empty index. */
    int one_part;         /* This run ends with each shard in one part (the
                             final merge rewrites the whole shard, not only
                             this run's parts): the index's "current"
                             link (BL_CURRENT_LINK) then names all of it,
                             for Xapian's replication. */
    unsigned shard_of_k,  /* With SHARD_OF_N > 1: index only the articles */
        shard_of_n;       /* of shard K (from 0) of N, by the hash that an
                             index of N shards uses, so that N machines
                             build the N shards of one corpus at once.  A
                             new index records K/N; an existing one keeps
                             its own and refuses another (BL_EARG).  0: an
                             existing index's own, or the whole corpus. */
    unsigned shards;      /* For a new index: the number of shards (0: 1). */
    unsigned long segment_docs;   /* A segment is published after this many
                                     articles (0: BL_SEGMENT_DOCS). */
    unsigned long segment_bytes;  /* ... or this much text (0:
                                     BL_SEGMENT_BYTES). */
    unsigned threads;     /* Threads for the final merge (0: 1). */
} bl_index_options_t;

/* Segments of 1,000 articles: Xapian's in-memory maps stay small and
 * fast; measured on 208 MB of generated news, 2 threads: 1,000 57 s,
 * 2,000 62 s, 4,000 70 s (500: 55 s, but twice the merges). */
#define BL_SEGMENT_DOCS 1000
#define BL_SEGMENT_BYTES (16ul << 20)
#define BL_MAX_SHARDS 64

/* Open (or create) the index at PATH for writing.  Returns BL_OK, BL_ELOCKED
 * (another indexer is running), BL_ECORRUPT (not a Byline index, or a newer
 * schema), BL_EARG (unknown language), BL_EIO or BL_ENOMEM. */
bl_status_t bl_indexer_open(const char *path, const bl_index_options_t *opts,
                            bl_indexer_t **out);

/* The language the index was built with.  Cannot fail. */
const char *bl_indexer_language(const bl_indexer_t *ix);

/* The analyzer of the index (owned by IX). */
const bl_analyzer_t *bl_indexer_analyzer(const bl_indexer_t *ix);

/* The time recorded for a file modified too recently to be told from a
 * later change in the same second by its time: it matches no file. */
#define BL_MTIME_RACY INT64_MIN

/* What the index knows of a source file, for incremental runs. */
typedef struct bl_file_entry {
    uint64_t size;
    int64_t mtime;         /* Seconds, or BL_MTIME_RACY. */
    uint64_t hash;         /* Of the content; 0 when not computed. */
    unsigned long articles;
} bl_file_entry_t;

typedef enum bl_file_state {
    BL_FILE_NEW,       /* Not in the index. */
    BL_FILE_UNCHANGED, /* Same size and modification time. */
    BL_FILE_CHANGED    /* Indexed, but its size or time differ. */
} bl_file_state_t;

/* Compare the file at PATH (canonical: the same file must always be named
 * the same way) of SIZE bytes modified at MTIME with what the index holds;
 * *STATE says how it stands and *OLD (may be NULL) gets the stored entry.
 * The file counts as seen in this run.  Returns BL_OK, BL_ECORRUPT (a
 * damaged manifest entry: treat as new), BL_EIO or BL_ENOMEM. */
bl_status_t bl_indexer_file_check(bl_indexer_t *ix, const char *path,
                                  uint64_t size, int64_t mtime,
                                  bl_file_state_t *state,
                                  bl_file_entry_t *old);

/* Record E as PATH's entry without reindexing it (its time moved but its
 * content hash did not).  Returns BL_OK or BL_EIO. */
bl_status_t bl_indexer_file_touch(bl_indexer_t *ix, const char *path,
                                  const bl_file_entry_t *e);

/* A writer adds articles; each thread that indexes needs its own (the
 * indexer's other calls may be made from any thread).  A writer fills one
 * segment per shard and publishes them (makes them durable and visible)
 * when one is full, on bl_writer_flush() and when it is freed.  Returns
 * BL_OK or BL_ENOMEM. */
bl_status_t bl_writer_new(bl_indexer_t *ix, bl_writer_t **out);

/* Start (re)indexing the file PATH (canonical, as for
 * bl_indexer_file_check()); *OUT gets a handle to pass with each of its
 * articles to bl_writer_add() (from any writers) and then to
 * bl_indexer_file_end().  If REPLACE (bl_indexer_file_check() said
 * BL_FILE_CHANGED), the articles PATH had in the index stay searchable
 * while it is read: each is replaced when its new version (same id) is
 * published, and those the file no longer holds are deleted once the file
 * is read whole and all its articles are published.
 * Returns BL_OK, BL_EIO or BL_ENOMEM. */
bl_status_t bl_indexer_file_begin(bl_indexer_t *ix, const char *path,
                                  int replace, bl_file_t **out);

/* Reading file F is over and each of its articles went through
 * bl_writer_add().  If E is not NULL, E (its article count is filled in)
 * becomes the file's manifest entry once all its articles are published,
 * so that the next run skips it while it stays the same; with NULL (the
 * file could not be read whole) the next run reads it again.  F is freed
 * by the indexer.  Accepts a NULL F.  Returns BL_OK, BL_EIO or
 * BL_ENOMEM. */
bl_status_t bl_indexer_file_end(bl_indexer_t *ix, bl_file_t *f,
                                const bl_file_entry_t *e);

/* Add ARTICLE of file F (NULL: of no file), replacing any earlier article
 * with the same id (in this run or an earlier one); an article of another
 * shard (bl_indexer_owns() says 0) is left out, and BL_OK returned.
 * Returns BL_OK, BL_EARG (no id), BL_EIO or BL_ENOMEM. */
bl_status_t bl_writer_add(bl_writer_t *w, bl_file_t *f,
                          const bl_article_t *article);

/* Non-zero if the article with id ID belongs in IX: always, but in an
 * index of one shard of a corpus built apart
 * (bl_index_options_t.shard_of_n), only the articles of that shard.
 * Cannot fail. */
int bl_indexer_owns(const bl_indexer_t *ix, const char *id);

/* Publish W's segments now.  Returns BL_OK, BL_EIO or BL_ENOMEM. */
bl_status_t bl_writer_flush(bl_writer_t *w);

/* Publish and free W.  Returns as bl_writer_flush(); W is freed either
 * way.  Accepts NULL. */
bl_status_t bl_writer_free(bl_writer_t *w);

/* Single-threaded shorthand: bl_writer_add() on a writer IX owns (its
 * segments published when full, and when IX is finished or closed). */
bl_status_t bl_indexer_add(bl_indexer_t *ix, bl_file_t *f,
                           const bl_article_t *article);

/* Delete the articles of every indexed file under one of the N ROOTS
 * (canonical paths; a root may be a file) that was not seen in this run,
 * except those under one of the NKEEP paths KEEP (places that could not
 * be read: what was indexed below them stays); *FILES (may be NULL) gets
 * how many were deleted, *KEPT (may be NULL) how many unseen ones were
 * kept.  Returns BL_OK or BL_EIO. */
bl_status_t bl_indexer_remove_unseen(bl_indexer_t *ix,
                                     const char *const *roots, size_t n,
                                     const char *const *keep, size_t nkeep,
                                     unsigned long *files,
                                     unsigned long *kept);

/* Set the segment bounds (as in bl_index_options_t; 0 keeps a bound), for
 * every writer of IX from the next article it adds.  Cannot fail. */
void bl_indexer_set_segment_size(bl_indexer_t *ix, unsigned long docs,
                                 unsigned long bytes);

/* Statistics of the open index. */
typedef struct bl_index_stats {
    unsigned shards;
    unsigned long parts;     /* Databases the stub lists now. */
    unsigned long segments;  /* Segments published by this run. */
    unsigned long merges;    /* Compactions done by this run. */
    double merge_seconds;    /* Time spent compacting. */
    double final_seconds;    /* Of which the final merges (wall clock). */
    double publish_seconds;  /* Publications' hold of the indexer's lock,
                                in all (other writers' publications wait
                                for it; compaction is not counted). */
    double publish_max;      /* The longest one. */
} bl_index_stats_t;

/* Fill *OUT.  Cannot fail. */
void bl_indexer_stats(bl_indexer_t *ix, bl_index_stats_t *out);

/* Commit, merge each shard's parts (unless MERGE is 0: a run that was
 * interrupted leaves the merging to the next) and close; *STATS (may be
 * NULL) gets the run's final statistics.  Every writer must have been
 * freed.  Returns BL_OK or BL_EIO; IX is freed either way.  Accepts
 * NULL. */
bl_status_t bl_indexer_finish(bl_indexer_t *ix, int merge,
                              bl_index_stats_t *stats);

/* bl_indexer_finish(IX, 1, NULL): returns as it does. */
bl_status_t bl_indexer_close(bl_indexer_t *ix);

/* ---- The ingest pipeline: paths in, articles indexed ------------------ */

/* Why an input was skipped or reported (bl_ingest_problem_t.code). */
typedef enum bl_problem_code {
    BL_PROBLEM_UNREADABLE = 0, /* A file or directory that cannot be read. */
    BL_PROBLEM_EMPTY,          /* An empty file. */
    BL_PROBLEM_BINARY,         /* A binary file. */
    BL_PROBLEM_TOO_LARGE,      /* Over the maximum file size. */
    BL_PROBLEM_BAD_FORMAT,     /* Corrupt gzip, a CSV without columns, ... */
    BL_PROBLEM_LINK,           /* A link loop or a special file. */
    BL_PROBLEM_BAD_RECORD,     /* One record of a file (path:line). */
    BL_NPROBLEM_SKIPS,         /* (The codes above count as skipped.) */
    BL_PROBLEM_IGNORED = BL_NPROBLEM_SKIPS, /* Not an article format. */
    BL_PROBLEM_KEPT,           /* Unreadable now: what it had is kept. */
    BL_PROBLEM_INDEX           /* The index could not be written: the run
                                  ends (its status says how). */
} bl_problem_code_t;

typedef struct bl_ingest_problem {
    bl_problem_code_t code;
    const char *path;    /* The file or directory. */
    unsigned long line;  /* BL_PROBLEM_BAD_RECORD: its first line; 0. */
    const char *message; /* Why, for people ("binary file (...)"). */
} bl_ingest_problem_t;

/* Where a run is, for a progress line. */
typedef struct bl_ingest_progress {
    unsigned long files;         /* Indexed or found unchanged. */
    unsigned long articles;      /* Indexed (or listed). */
    unsigned long bytes_done;    /* Of the files indexed, read so far, and
                                    of the unchanged ones. */
    unsigned long bytes_indexed; /* Of those, what was read and indexed. */
    unsigned long bytes_total;   /* Of every file under the paths (0 when
                                    not counted). */
} bl_ingest_progress_t;

/* What a run did. */
typedef struct bl_ingest_summary {
    unsigned long files, articles, bytes; /* Read whole and indexed. */
    unsigned long other_shards;  /* Articles read and left to the other
                                    shards (bl_index_options_t.shard_of). */
    unsigned long unchanged;     /* Files skipped as already indexed. */
    unsigned long removed;       /* Files gone whose articles were deleted. */
    unsigned long kept;          /* Files not seen under an unreadable
                                    place whose articles were kept. */
    unsigned long ignored;       /* Not in an article format. */
    unsigned long skipped[BL_NPROBLEM_SKIPS]; /* By problem code. */
    unsigned long skipped_total;
    int interrupted;             /* STOP asked the run to end. */
} bl_ingest_summary_t;

/* How to run.  Zeroed: defaults. */
typedef struct bl_ingest_options {
    bl_read_options_t read;      /* Formats and limits (bl_read_articles). */
    bl_walk_options_t walk;      /* What to walk. */
    unsigned threads;            /* Worker threads (0: one). */
    int no_delete;               /* Keep the articles of files gone. */
    int count_total;             /* Add up the paths' sizes first (for an
                                    ETA in the progress). */
} bl_ingest_options_t;

/* The callbacks of a run, each may be NULL; called from the reading
 * thread (PROBLEM also from a worker whose write failed; never two at
 * once: they are serialised).
 * STOP returns non-zero to end the run early (Ctrl-C): what is done is
 * committed.  ARTICLE, with IX NULL, gets each article instead of its
 * being indexed (a listing). */
typedef struct bl_ingest_callbacks {
    void (*problem)(const bl_ingest_problem_t *p, void *ctx);
    void (*progress)(const bl_ingest_progress_t *p, void *ctx);
    int (*stop)(void *ctx);
    void (*article)(const bl_article_t *a, void *ctx);
    void *ctx;
} bl_ingest_callbacks_t;

/* Index every article under the N PATHS (files, or directories walked in
 * name order) into IX with O->threads workers: files unchanged since they
 * were indexed are skipped (size and time, or their content when only the
 * time moved), changed ones read again (their old articles replaced as
 * the new are published), and the articles of files gone from under the
 * paths deleted (unless O->no_delete; never those under a place that
 * could not be read).  Problems with single inputs are given to
 * CB->problem with a code and do not stop the run; *OUT counts them.
 * IX NULL: list the articles (CB->article) and index nothing.  Returns
 * BL_OK (also when inputs were skipped: see *OUT), or the status that
 * ended the run: BL_EIO (the index could not be written: it stays as of
 * its last commit, and a re-run completes it), BL_ELOCKED, BL_ENOMEM.
 * Not thread-safe: one run at a time per IX. */
bl_status_t bl_index_paths(bl_indexer_t *ix, const char *const *paths,
                           size_t n, const bl_ingest_options_t *o,
                           const bl_ingest_callbacks_t *cb,
                           bl_ingest_summary_t *out);

/* Segment size in bytes of text for peak memory of BUDGET bytes with
 * THREADS workers on SHARDS shards reading files of up to MAX_FILE bytes
 * (the model of Xapian's memory use: see src/index/ingest.c).  Cannot
 * fail. */
unsigned long bl_segment_bytes(unsigned long budget, unsigned threads,
                               unsigned shards, size_t max_file);

/* The memory a run needs beyond its segments: BUDGET below this is too
 * small for THREADS readers of MAX_FILE bytes.  Cannot fail. */
unsigned long bl_memory_floor(unsigned threads, size_t max_file);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif
