/*
 * The manifest of indexed files, for incremental runs: which files the
 * index holds (size, mtime, content hash, articles), kept in the metadata
 * of the index's meta database.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each file has a metadata key "byline.file.<h>" (h: 16 hex digits of the
 * FNV-1a hash of its canonical path) with the value
 * "<size> <mtime> <content-hash> <articles> <path>", and each of its
 * articles the boolean term "XF<h>".  The indexer writes a file's entry
 * only after every segment holding its articles is published, so an
 * interrupted run leaves either the old entry or none, and the next run
 * indexes the file again (replacing by unique id, so nothing is
 * duplicated).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byline/index.h"
#include "index/manifest.h"
#include "util/hash.h"
#include "schema/xc_map.h"
#include "util/fail.h"
#include "util/array.h"

#define KEY_PREFIX "byline.file."

uint64_t bl_manifest_hash(const char *s, size_t len)
{
    return bl_fnv1a(s, len);
}

/* The metadata key and the document term of the file PATH. */
static void names(const char *path, char key[40], char term[24])
{
    uint64_t h = bl_manifest_hash(path, strlen(path));
    snprintf(key, 40, KEY_PREFIX "%016" PRIx64, h);
    snprintf(term, 24, BL_PREFIX_FILE "%016" PRIx64, h);
}

bl_status_t bl_manifest_get(xc_db_t *db, const char *path,
                            bl_file_entry_t *out)
{
    char key[40], term[24], *v = NULL;
    size_t len = 0;
    memset(out, 0, sizeof *out);
    names(path, key, term);
    xc_status_t xr = xc_db_get_metadata(db, key, &v, &len);
    if (xr == XC_NOT_FOUND)
        return BL_ENOTFOUND;
    if (xr != XC_OK)
        return bl_from_xc(xr, "reading the manifest");
    unsigned long long size = 0, hash = 0;
    long long mtime = 0;
    unsigned long articles = 0;
    int n = 0;
    if (sscanf(v, "%llu %lld %llx %lu %n", &size, &mtime, &hash, &articles,
               &n) != 4) {
        free(v);
        return bl_fail(BL_ECORRUPT, "manifest entry %s is damaged", key);
    }
    out->size = size;
    out->mtime = mtime;
    out->hash = hash;
    out->articles = articles;
    free(v);
    return BL_OK;
}

bl_status_t bl_manifest_put(xc_db_t *db, const char *path,
                            const bl_file_entry_t *e)
{
    char key[40], term[24], *v = NULL;
    names(path, key, term);
    size_t n = strlen(path) + 96;
    v = malloc(n);
    if (!v)
        return bl_fail(BL_ENOMEM, "out of memory");
    snprintf(v, n, "%llu %lld %llx %lu %s", (unsigned long long)e->size,
             (long long)e->mtime, (unsigned long long)e->hash, e->articles,
             path);
    bl_status_t rc = bl_from_xc(xc_db_set_metadata(db, key, v, strlen(v)),
                                "writing the manifest");
    free(v);
    return rc;
}

void bl_manifest_term(const char *path, char term[24])
{
    char key[40];
    names(path, key, term);
}

bl_status_t bl_manifest_remove(xc_db_t *db, const char *path)
{
    char key[40], term[24];
    names(path, key, term);
    return bl_from_xc(xc_db_set_metadata(db, key, NULL, 0),
                      "writing the manifest");
}

bl_status_t bl_manifest_each(xc_db_t *db, bl_manifest_fn fn, void *ctx)
{
    xc_termit_t *it = NULL;
    bl_status_t rc = bl_from_xc(xc_db_metadata_keys(db, KEY_PREFIX, &it),
                                "reading the manifest");
    /* Collect first: FN may delete entries while we iterate. */
    char **paths = NULL;
    size_t n = 0, cap = 0;
    xc_status_t xr = rc == BL_OK ? xc_termit_next(it) : XC_OK;
    while (rc == BL_OK && xr == XC_OK) {
        char *v = NULL;
        rc = bl_from_xc(xc_db_get_metadata(db, xc_termit_term(it, NULL), &v,
                                           NULL),
                        "reading the manifest");
        if (rc != BL_OK)
            break;
        /* The path follows the fourth space. */
        char *p = v;
        for (int k = 0; k < 4 && p; k++) {
            p = strchr(p, ' ');
            if (p)
                p++;
        }
        if (p && *p) {
            char **np = bl_grow(paths, &cap, n + 1, sizeof *np, 64);
            if (!np) {
                free(v);
                rc = bl_fail(BL_ENOMEM, "out of memory");
                break;
            }
            paths = np;
            paths[n] = strdup(p);
            if (!paths[n]) {
                free(v);
                rc = bl_fail(BL_ENOMEM, "out of memory");
                break;
            }
            n++;
        }
        free(v);
        xr = xc_termit_next(it);
    }
    if (rc == BL_OK && xr != XC_END && xr != XC_OK)
        rc = bl_from_xc(xr, "reading the manifest");
    xc_termit_free(it);
    for (size_t i = 0; i < n; i++) {
        if (rc == BL_OK)
            rc = fn(paths[i], ctx);
        free(paths[i]);
    }
    free(paths);
    return rc;
}
