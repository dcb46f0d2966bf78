/*
 * What the searcher reads of each result before (or instead of) its
 * document: the near-duplicate key and the summary of stored fields, and
 * the collapsing of near-duplicates done with them.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_SEARCH_ROWS_H
#define BYLINE_SEARCH_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "byline/status.h"
#include "search/doccache.h"
#include "xapian-c/xapian-c.h"

typedef struct bl_row {
    uint64_t key;   /* Near-duplicate key; 0: none (never collapsed). */
    char *summary;  /* Stored fields without the text (a bl_docdata
                       record), malloc'ed; NULL when the index has none. */
    size_t len;
} bl_row_t;

/* Read a row for each result of MS into a new array *OUT (free with
 * bl_rows_free()): with SUMMARIES the summary values (which hold the keys
 * too), else only the keys; results whose summary is missing (indexes
 * written before summaries) get their key from BL_SLOT_DUP, or from
 * CACHE (may be NULL), which learns those it did not know.  Each slot is
 * read in one pass along its value stream.  PATH names the index in
 * errors.  Returns BL_OK, BL_EIO, BL_ENETWORK or BL_ENOMEM. */
bl_status_t bl_rows_read(xc_mset_t *ms, int summaries, const char *path,
                         bl_doccache_t *cache, bl_row_t **out);

/* Free the N rows of ROWS.  Cannot fail. */
void bl_rows_free(bl_row_t *rows, size_t n);

/* Collapse the N rows of ROWS (results in rank order) on their keys:
 * KEEP[k] gets the index of the k-th row that is the first of its key,
 * DUPS[k] how many later rows share that key; *NKEEP their number.  KEEP
 * and DUPS have room for N.  Returns BL_OK or BL_ENOMEM. */
bl_status_t bl_rows_collapse(const bl_row_t *rows, size_t n, unsigned *keep,
                             unsigned *dups, size_t *nkeep);

#endif
