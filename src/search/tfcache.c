/*
 * A searcher's term frequencies (tfcache.h): a table of TFCACHE_SLOTS
 * slots, a term in the slot its hash names, compared whole.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "search/tfcache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "schema/xc_map.h"
#include "util/hash.h"

/* The words of some hundreds of recent queries: 24 KB of slots. */
#define TFCACHE_SLOTS 1024

typedef struct slot {
    char *term; /* NULL: empty. */
    uint64_t hash;
    xc_doccount_t tf;
} slot_t;

struct bl_tfcache {
    slot_t slots[TFCACHE_SLOTS];
    unsigned long hits, reads;
};

int bl_tfcache_new(bl_tfcache_t **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? 0 : -1;
}

void bl_tfcache_clear(bl_tfcache_t *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < TFCACHE_SLOTS; i++) {
        free(c->slots[i].term);
        c->slots[i].term = NULL;
    }
}

bl_status_t bl_tfcache_get(bl_tfcache_t *c, xc_db_t *db, const char *term,
                           xc_doccount_t *tf)
{
    size_t len = strlen(term);
    uint64_t h = bl_fnv1a(term, len);
    slot_t *s = c ? &c->slots[h % TFCACHE_SLOTS] : NULL;
    if (s && s->term && s->hash == h && strcmp(s->term, term) == 0) {
        c->hits++;
        *tf = s->tf;
        return BL_OK;
    }
    bl_status_t rc = bl_from_xc(xc_db_termfreq(db, term, tf), "termfreq");
    if (!c || rc != BL_OK)
        return rc;
    c->reads++;
    char *copy = malloc(len + 1);
    if (copy) { /* (Without memory the frequency is not kept.) */
        memcpy(copy, term, len + 1);
        free(s->term);
        s->term = copy;
        s->hash = h;
        s->tf = *tf;
    }
    return BL_OK;
}

void bl_tfcache_counts(const bl_tfcache_t *c, unsigned long *hits,
                       unsigned long *reads)
{
    *hits = c ? c->hits : 0;
    *reads = c ? c->reads : 0;
}

void bl_tfcache_free(bl_tfcache_t *c)
{
    bl_tfcache_clear(c);
    free(c);
}
