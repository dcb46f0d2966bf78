/*
 * A searcher's term frequencies: the articles each word is in, as the
 * word pairs read them to leave out a pair of two common words
 * (query_compile.c).  Over remote shards each read is a round trip to
 * every shard, one after the other; kept here, a word searched again
 * costs none until the searcher's view of the index changes (open.c
 * empties the cache whenever it does).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_SEARCH_TFCACHE_H
#define BYLINE_SEARCH_TFCACHE_H

#include "byline/status.h"
#include "xapian-c/xapian-c.h"

typedef struct bl_tfcache bl_tfcache_t;

/* A new, empty cache into *OUT (free with bl_tfcache_free()).  Returns 0,
 * or -1 without memory (*OUT NULL). */
int bl_tfcache_new(bl_tfcache_t **out);

/* Forget every frequency C holds (C may be NULL).  Cannot fail. */
void bl_tfcache_clear(bl_tfcache_t *c);

/* The number of articles of DB with TERM into *TF: from C when it holds
 * it, else read from DB and kept (C may be NULL: read).  A slot holds one
 * term: a term whose slot another holds replaces it.  Returns BL_OK or as
 * bl_from_xc() (nothing kept then). */
bl_status_t bl_tfcache_get(bl_tfcache_t *c, xc_db_t *db, const char *term,
                           xc_doccount_t *tf);

/* How many of C's reads were answered from it and how many went to the
 * database (for tests).  Cannot fail. */
void bl_tfcache_counts(const bl_tfcache_t *c, unsigned long *hits,
                       unsigned long *reads);

/* Free C and what it holds (C may be NULL).  Cannot fail. */
void bl_tfcache_free(bl_tfcache_t *c);

#endif
