/*
 * The manifest of indexed files (see manifest.c).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_MANIFEST_H
#define BYLINE_MANIFEST_H

#include <stdint.h>

#include "byline/index.h"
#include "xapian-c/xapian-c.h"

/* 64-bit FNV-1a.  Cannot fail. */
uint64_t bl_manifest_hash(const char *s, size_t len);

/* The entry of PATH: BL_OK, BL_ENOTFOUND (not indexed), BL_ECORRUPT or an
 * engine error. */
bl_status_t bl_manifest_get(xc_db_t *db, const char *path,
                            bl_file_entry_t *out);

/* Record E as PATH's entry.  Returns BL_OK or an engine error. */
bl_status_t bl_manifest_put(xc_db_t *db, const char *path,
                            const bl_file_entry_t *e);

/* The boolean term that marks PATH's articles.  Cannot fail. */
void bl_manifest_term(const char *path, char term[24]);

/* Delete PATH's entry (its articles are the indexer's business).  Returns
 * BL_OK or an engine
 * error. */
bl_status_t bl_manifest_remove(xc_db_t *db, const char *path);

/* Call FN with the path of every file in the manifest (FN may remove it);
 * stops at FN's first failure, which it returns. */
typedef bl_status_t (*bl_manifest_fn)(const char *path, void *ctx);
bl_status_t bl_manifest_each(xc_db_t *db, bl_manifest_fn fn, void *ctx);

#endif
