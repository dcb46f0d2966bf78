/*
 * A searcher's document cache: the stored data of the articles it showed
 * last, so that the passages of a story shown again are not read and
 * inflated again (as Solr's documentCache), and the near-duplicate keys
 * of the results it collapsed (each one a read of a value stream).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Entries are keyed by the part an article is in (its Xapian UUID) and
 * its document id there, not by the id in the searcher's view of all
 * parts: that id changes whenever the indexer publishes or merges a part,
 * which under a running indexer is several times a second.  A published
 * part's documents never change in place (byline-index only deletes from
 * it; replacing is done in unpublished segments, merging into new parts
 * with new UUIDs), and a deleted document is never a result again, so an
 * entry stays right as long as its part is in the view.
 */
#ifndef BYLINE_SEARCH_DOCCACHE_H
#define BYLINE_SEARCH_DOCCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "search/tokens.h"
#include "xapian-c/xapian-c.h"

typedef struct bl_doccache bl_doccache_t;

/* A new, empty cache of at most BYTES of stored data into *OUT (free with
 * bl_doccache_free()).  Returns 0, or -1 without memory (*OUT NULL). */
int bl_doccache_new(size_t bytes, bl_doccache_t **out);

/* Tell C which parts the view has now: UUIDS as xc_db_uuid() gives them
 * (":"-joined, in interleaving order).  Entries of parts no longer listed
 * are dropped.  An empty UUIDS (a part without one) or a list C cannot
 * hold drops every entry and keys the next ones by a view of their own,
 * as if each change were a new index.  Cannot fail (without memory, the
 * cache is emptied and keeps nothing until the next call). */
void bl_doccache_parts(bl_doccache_t *c, const char *uuids);

/* The cached data of document DOCID of the view, and its length in *LEN,
 * or NULL.  Valid until the next bl_doccache_put(), bl_doccache_parts() or
 * bl_doccache_free() on C.  Cannot fail. */
const char *bl_doccache_get(const bl_doccache_t *c, xc_docid_t docid,
                            size_t *len);

/* Keep a copy of DOCID's DATA (LEN bytes) in C, when it fits.  Cannot
 * fail (without memory, nothing is kept). */
void bl_doccache_put(bl_doccache_t *c, xc_docid_t docid, const char *data,
                     size_t len);

/* The recorded tokens of the text of DOCID's cached data, or NULL.  Valid
 * as bl_doccache_get()'s answer.  Cannot fail. */
const bl_tokens_t *bl_doccache_tokens(const bl_doccache_t *c,
                                      xc_docid_t docid);

/* Non-zero if C has BYTES to spare.  Cannot fail. */
int bl_doccache_room(const bl_doccache_t *c, size_t bytes);

/* Keep T as the tokens of DOCID's cached data, when that data is cached
 * and T fits the budget: 1, and C owns T; else 0 (the caller still does).
 * Cannot fail. */
int bl_doccache_put_tokens(bl_doccache_t *c, xc_docid_t docid,
                           bl_tokens_t *t);

/* The near-duplicate key of document DOCID of the view (0: it has none)
 * into *KEY: 1 if C has it, else 0.  Cannot fail. */
int bl_doccache_key(const bl_doccache_t *c, xc_docid_t docid, uint64_t *key);

/* Remember KEY as the near-duplicate key of DOCID.  Cannot fail. */
void bl_doccache_put_key(bl_doccache_t *c, xc_docid_t docid, uint64_t key);

/* Free C and its entries.  C may be NULL. */
void bl_doccache_free(bl_doccache_t *c);

#endif
