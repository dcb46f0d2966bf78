/*
 * The corpus layer: walking corpus directories, reading article files, and
 * the article model every reader produces.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Files and formats only: this layer knows nothing of analysis or indexes.
 */
#ifndef BYLINE_CORPUS_H
#define BYLINE_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "byline/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One article.  Every string is malloc'ed and NUL-terminated valid UTF-8,
 * or NULL when the source does not have that field. */
typedef struct bl_article {
    char *id;      /* Stable external id (for a plain file: its path relative
                      to the corpus root). */
    char *title;
    char *author;
    char *date;    /* Publication date, ISO 8601 (YYYY-MM-DD). */
    char *updated; /* Date of the last update, ISO 8601. */
    char *caption; /* Photo caption with its credit. */
    char *body;    /* Paragraphs separated by blank lines. */
    char *path;    /* The file it came from. */
} bl_article_t;

/* Free every field and zero A.  Cannot fail. */
void bl_article_clear(bl_article_t *a);

/* Normalise a date written as M/D/YYYY, YYYY-MM-DD or "Month D, YYYY"
 * ("Jul 31, 2018") into OUT as YYYY-MM-DD.  Returns 1 if TEXT (surrounding
 * space allowed) is such a date, else 0.  Cannot fail. */
int bl_date_normalize(const char *text, char out[11]);

/* What the walker reports. */
typedef enum bl_walk_event {
    BL_WALK_FILE,   /* A regular file to read. */
    BL_WALK_ERROR,  /* A path that could not be read; MESSAGE says why. */
    BL_WALK_SKIP    /* A path skipped on purpose (symlink loop, special
                       file); MESSAGE says why. */
} bl_walk_event_t;

/* Called for each event: PATH is the full path, REL the path relative to
 * the root given to bl_walk() (for a single file, its base name).  Return 0
 * to go on, non-zero to stop the walk. */
typedef int (*bl_walk_fn)(bl_walk_event_t ev, const char *path,
                          const char *rel, const char *message, void *ctx);

/* Walk ROOT (a directory, recursively, or a single file) in a deterministic
 * order (names sorted byte-wise), skipping hidden entries (names starting
 * with '.'), following symbolic links but never into a directory already
 * being walked (a loop).  Returns BL_OK, BL_END (FN stopped the walk),
 * BL_ENOTFOUND (ROOT does not exist) or BL_ENOMEM.  Unreadable entries are
 * reported to FN as BL_WALK_ERROR, and the walk goes on. */
bl_status_t bl_walk(const char *root, bl_walk_fn fn, void *ctx);

/* Parse an article in the scraped-news text layout from LEN bytes of DATA:
 *
 *     Title
 *     Title (repeated; dropped)
 *     Photo caption ending in a credit (Name/Agency)   (optional)
 *     Author                                           (optional)
 *     7/31/2018                                        (publication date)
 *     Updated:                                         (optional)
 *     7/31/2018                                        (optional)
 *     Body paragraphs...
 *     Author bio ("Name is a reporter...")            (dropped)
 *     share-link junk ("twitter", "Share")             (dropped)
 *
 * Plain "title line, then body" text is the simple case of it.  ID and PATH
 * are copied into the article.  Invalid UTF-8 bytes are read as Latin-1.
 * Returns BL_OK, BL_EFORMAT (no text at all: an empty or blank file) or
 * BL_ENOMEM. */
bl_status_t bl_parse_text_article(const char *data, size_t len,
                                  const char *id, const char *path,
                                  bl_article_t *out);

/* Read the file at PATH whole into a malloc'ed NUL-terminated buffer.
 * Returns BL_OK, BL_EIO (unreadable), BL_EFORMAT (larger than MAX_BYTES, or
 * binary: it holds NUL bytes in its first 8 KiB) or BL_ENOMEM; the detail is
 * in bl_last_error(). */
bl_status_t bl_read_file(const char *path, size_t max_bytes, char **data,
                         size_t *len);

#ifdef __cplusplus
}
#endif

#endif
