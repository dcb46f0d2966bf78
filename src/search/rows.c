/*
 * Rows: near-duplicate keys and summaries of results, and collapsing.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Xapian's own collapsing reads the key of every candidate the matcher
 * weighs; on Reuters-21578 that was 30-45% of a query's time.  The
 * searcher instead ranks without it and collapses the top of the list
 * here, reading one key per result it looks at.  The summary value lets a
 * result list show a hit without inflating its document data (about 8 us
 * per hit, most of a small query's time after the matching).
 */
#include "search/rows.h"

#include <stdlib.h>
#include <string.h>

#include "byline/schema.h"
#include "search/doccache.h"
#include "schema/xc_map.h"
#include "util/fail.h"

/* The key written as 16 hex digits at V, or 0.  Cannot fail. */
static uint64_t parse_key(const char *v)
{
    char hex[17];
    memcpy(hex, v, 16);
    hex[16] = '\0';
    char *end = NULL;
    uint64_t k = strtoull(hex, &end, 16);
    return end == hex + 16 ? k : 0;
}

typedef struct read_ctx {
    bl_row_t *rows;
    int failed;   /* Out of memory copying a summary. */
    int missing;  /* Some results had no summary. */
} read_ctx_t;

/* xc_mset_values() callback for BL_SLOT_SUMMARY. */
static void read_summary(xc_doccount_t i, const char *v, size_t len,
                         void *p)
{
    read_ctx_t *c = p;
    bl_row_t *r = &c->rows[i];
    if (len <= 16)
        return;
    r->key = parse_key(v);
    r->summary = malloc(len - 16);
    if (!r->summary) {
        c->failed = 1;
        return;
    }
    memcpy(r->summary, v + 16, len - 16);
    r->len = len - 16;
}

/* xc_mset_values() callback for BL_SLOT_DUP: only rows without a summary
 * take it (those with one have their key). */
static void read_key(xc_doccount_t i, const char *v, size_t len, void *p)
{
    read_ctx_t *c = p;
    if (len == 16 && !c->rows[i].summary)
        c->rows[i].key = parse_key(v);
}

/* Fill the keys of C's N rows without a summary: those CACHE knows from
 * it, the others from the value stream of BL_SLOT_DUP (then remembered).
 * PATH names the index in errors. */
static bl_status_t read_keys(xc_mset_t *ms, bl_doccache_t *cache,
                             read_ctx_t *c, size_t n, const char *path)
{
    unsigned char *want = malloc(n ? n : 1);
    size_t nwant = 0;
    if (!want)
        return bl_fail(BL_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        want[i] = !c->rows[i].summary &&
                  !bl_doccache_key(cache, xc_mset_docid(ms, i),
                                   &c->rows[i].key);
        nwant += want[i];
    }
    xc_status_t xr = nwant ? xc_mset_values_some(ms, BL_SLOT_DUP, want,
                                                 read_key, c)
                           : XC_OK;
    for (size_t i = 0; xr == XC_OK && i < n; i++) {
        if (want[i])
            bl_doccache_put_key(cache, xc_mset_docid(ms, i), c->rows[i].key);
    }
    free(want);
    return bl_from_xc(xr, path);
}

bl_status_t bl_rows_read(xc_mset_t *ms, int summaries, const char *path,
                         bl_doccache_t *cache, bl_row_t **out)
{
    size_t n = xc_mset_size(ms);
    read_ctx_t c = {NULL, 0, 0};
    bl_status_t rc = BL_OK;
    *out = NULL;
    c.rows = calloc(n ? n : 1, sizeof *c.rows);
    if (!c.rows)
        return bl_fail(BL_ENOMEM, "out of memory");
    if (summaries)
        rc = bl_from_xc(xc_mset_values(ms, BL_SLOT_SUMMARY, read_summary, &c),
                        path);
    if (rc == BL_OK && c.failed)
        rc = bl_fail(BL_ENOMEM, "out of memory");
    for (size_t i = 0; rc == BL_OK && i < n && !c.missing; i++)
        c.missing = c.rows[i].summary == NULL;
    if (rc == BL_OK && c.missing)
        rc = read_keys(ms, cache, &c, n, path);
    if (rc != BL_OK) {
        bl_rows_free(c.rows, n);
        return rc;
    }
    *out = c.rows;
    return BL_OK;
}

void bl_rows_free(bl_row_t *rows, size_t n)
{
    for (size_t i = 0; rows && i < n; i++)
        free(rows[i].summary);
    free(rows);
}

/* One row's key and its index, sorted to group equal keys. */
typedef struct keyed {
    uint64_t key;
    unsigned i;
} keyed_t;

static int by_key(const void *a, const void *b)
{
    const keyed_t *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

bl_status_t bl_rows_collapse(const bl_row_t *rows, size_t n, unsigned *keep,
                             unsigned *dups, size_t *nkeep)
{
    keyed_t *e = malloc((n ? n : 1) * sizeof *e);
    *nkeep = 0;
    if (!e)
        return bl_fail(BL_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        e[i].key = rows[i].key;
        e[i].i = (unsigned)i;
    }
    /* Group equal keys; the first of each group (best ranked) stays and
     * counts the others.  DUPS, indexed by row for now, holds 1 + the
     * group's other members for the rows that stay, 0 for the others. */
    qsort(e, n, sizeof *e, by_key);
    memset(dups, 0, n * sizeof *dups);
    for (size_t j = 0; j < n;) {
        size_t k = j + 1;
        while (e[j].key && k < n && e[k].key == e[j].key)
            k++;
        dups[e[j].i] = (unsigned)(k - j);
        j = k;
    }
    for (size_t i = 0; i < n; i++) {
        if (dups[i]) {
            keep[*nkeep] = (unsigned)i;
            dups[(*nkeep)++] = dups[i] - 1;
        }
    }
    free(e);
    return BL_OK;
}
