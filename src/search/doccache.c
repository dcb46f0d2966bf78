/*
 * A searcher's document cache (see doccache.h).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Direct-mapped: SLOTS entries (a power of two), at most the budget given
 * in all and MAX_ONE per article; KEY_SLOTS near-duplicate keys.  A part of the view is known by a serial
 * number the cache gives its UUID when it first sees it; an entry's key is
 * that serial and the document's id in the part.
 */
#include "search/doccache.h"

#include <stdlib.h>
#include <string.h>

#define SLOTS 8192
#define MAX_ONE (64u << 10)
#define KEY_SLOTS 16384

typedef struct key_entry {
    uint64_t key; /* As an entry's key; 0: empty. */
    uint64_t dup; /* The near-duplicate key. */
} key_entry_t;

typedef struct entry {
    uint64_t key; /* Serial << 32 | document id in the part; 0: empty. */
    size_t len;   /* Of DATA; with TOKENS', the bytes counted. */
    size_t tlen;
    char *data;
    bl_tokens_t *tokens; /* Of the text in DATA, or NULL. */
} entry_t;

struct bl_doccache {
    entry_t slots[SLOTS];
    key_entry_t keys[KEY_SLOTS];
    size_t bytes, budget;
    size_t nparts;    /* Parts of the view; 0: keep nothing. */
    char **uuids;     /* Their UUIDs ("" for a view keyed on its own), */
    uint32_t *serial; /* and serials. */
    uint32_t next;    /* The next serial to give. */
};

int bl_doccache_new(size_t bytes, bl_doccache_t **out)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return -1;
    (*out)->budget = bytes;
    (*out)->next = 1;
    return 0;
}

static void drop(bl_doccache_t *c, entry_t *e)
{
    c->bytes -= e->len + e->tlen;
    free(e->data);
    bl_tokens_free(e->tokens);
    e->data = NULL;
    e->tokens = NULL;
    e->key = 0;
    e->len = e->tlen = 0;
}

static void forget_parts(bl_doccache_t *c)
{
    for (size_t i = 0; i < c->nparts; i++)
        free(c->uuids[i]);
    free(c->uuids);
    free(c->serial);
    c->uuids = NULL;
    c->serial = NULL;
    c->nparts = 0;
}

/* The serial C gave UUID in its current view, or 0. */
static uint32_t known(const bl_doccache_t *c, const char *uuid, size_t len)
{
    for (size_t i = 0; len > 0 && i < c->nparts; i++) {
        if (strlen(c->uuids[i]) == len && memcmp(c->uuids[i], uuid, len) == 0)
            return c->serial[i];
    }
    return 0;
}

/* Non-zero if SERIAL is one of the N in LIST. */
static int listed(const uint32_t *list, size_t n, uint32_t serial)
{
    for (size_t i = 0; i < n; i++) {
        if (list[i] == serial)
            return 1;
    }
    return 0;
}

/* Fill UUIDS and SERIAL (N entries each) from the N ":"-joined parts of
 * LIST: a part seen before keeps its serial.  Returns 0, or -1 without
 * memory or serials, or when a UUID is empty or given twice (the parts
 * cannot be told apart). */
static int name_parts(bl_doccache_t *c, const char *list, size_t n,
                      char **uuids, uint32_t *serial)
{
    const char *p = list;
    for (size_t i = 0; i < n; i++) {
        size_t len = strcspn(p, ":");
        uuids[i] = malloc(len + 1);
        if (!uuids[i] || len == 0)
            return -1;
        memcpy(uuids[i], p, len);
        uuids[i][len] = '\0';
        for (size_t j = 0; j < i; j++) {
            if (strcmp(uuids[j], uuids[i]) == 0)
                return -1;
        }
        serial[i] = known(c, p, len);
        if (serial[i] == 0) {
            if (c->next == UINT32_MAX)
                return -1; /* (After four billion parts: keep nothing.) */
            serial[i] = c->next++;
        }
        p += len + (p[len] == ':');
    }
    return 0;
}

/* Make UUIDS and SERIAL (room for one) a view of its own: one part
 * without a UUID, a serial never given before.  Returns 0, or -1. */
static int own_view(bl_doccache_t *c, char **uuids, uint32_t *serial)
{
    uuids[0] = calloc(1, 1);
    if (!uuids[0] || c->next == UINT32_MAX)
        return -1;
    serial[0] = c->next++;
    return 0;
}

void bl_doccache_parts(bl_doccache_t *c, const char *list)
{
    if (!c)
        return;
    size_t n = 1;
    for (const char *p = list; *p; p++)
        n += *p == ':';
    char **uuids = calloc(n, sizeof *uuids);
    uint32_t *serial = calloc(n, sizeof *serial);
    int ok = uuids && serial && name_parts(c, list, n, uuids, serial) == 0;
    if (!ok && uuids && serial) {
        for (size_t i = 0; i < n; i++)
            free(uuids[i]);
        memset(uuids, 0, n * sizeof *uuids);
        n = 1;
        ok = own_view(c, uuids, serial) == 0;
    }
    forget_parts(c);
    for (size_t i = 0; i < SLOTS; i++) {
        if (c->slots[i].data &&
            (!ok || !listed(serial, n, (uint32_t)(c->slots[i].key >> 32))))
            drop(c, &c->slots[i]);
    }
    for (size_t i = 0; i < KEY_SLOTS; i++) {
        if (c->keys[i].key &&
            (!ok || !listed(serial, n, (uint32_t)(c->keys[i].key >> 32))))
            c->keys[i].key = 0;
    }
    if (!ok) {
        for (size_t i = 0; uuids && i < n; i++)
            free(uuids[i]);
        free(uuids);
        free(serial);
        return;
    }
    c->uuids = uuids;
    c->serial = serial;
    c->nparts = n;
}

/* The key of document DOCID of C's view into *KEY: 0, or -1 when C keeps
 * nothing. */
static int key_of(const bl_doccache_t *c, xc_docid_t docid, uint64_t *key)
{
    if (!c || c->nparts == 0 || docid == 0)
        return -1;
    size_t part = (docid - 1) % c->nparts;
    uint64_t local = (docid - 1) / c->nparts + 1;
    *key = (uint64_t)c->serial[part] << 32 | local;
    return 0;
}

/* The slot of KEY in a table of N (a power of two). */
static size_t slot_of(uint64_t key, size_t n)
{
    return (size_t)((key * 0x9e3779b97f4a7c15u) >> 32) & (n - 1);
}

/* The slot of DOCID when it holds its data, else SLOTS. */
static size_t held(const bl_doccache_t *c, xc_docid_t docid)
{
    uint64_t key = 0;
    if (key_of(c, docid, &key) != 0)
        return SLOTS;
    size_t i = slot_of(key, SLOTS);
    return c->slots[i].key == key && c->slots[i].data ? i : SLOTS;
}

const char *bl_doccache_get(const bl_doccache_t *c, xc_docid_t docid,
                            size_t *len)
{
    size_t i = held(c, docid);
    if (i == SLOTS)
        return NULL;
    *len = c->slots[i].len;
    return c->slots[i].data;
}

void bl_doccache_put(bl_doccache_t *c, xc_docid_t docid, const char *data,
                     size_t len)
{
    uint64_t key = 0;
    if (key_of(c, docid, &key) != 0)
        return;
    entry_t *e = &c->slots[slot_of(key, SLOTS)];
    size_t freed = e->data ? e->len + e->tlen : 0;
    if (len > MAX_ONE || c->bytes - freed + len > c->budget)
        return;
    char *copy = malloc(len ? len : 1);
    if (!copy)
        return;
    memcpy(copy, data, len);
    if (e->data)
        drop(c, e);
    e->key = key;
    e->data = copy;
    e->len = len;
    c->bytes += len;
}

const bl_tokens_t *bl_doccache_tokens(const bl_doccache_t *c,
                                      xc_docid_t docid)
{
    size_t i = held(c, docid);
    return i < SLOTS ? c->slots[i].tokens : NULL;
}

int bl_doccache_room(const bl_doccache_t *c, size_t bytes)
{
    return c && c->bytes + bytes <= c->budget;
}

int bl_doccache_put_tokens(bl_doccache_t *c, xc_docid_t docid,
                           bl_tokens_t *t)
{
    size_t i = held(c, docid), n = t ? bl_tokens_size(t) : 0;
    entry_t *e = i < SLOTS ? &c->slots[i] : NULL;
    if (!t || !e || e->tokens || c->bytes + n > c->budget)
        return 0;
    e->tokens = t;
    e->tlen = n;
    c->bytes += n;
    return 1;
}

int bl_doccache_key(const bl_doccache_t *c, xc_docid_t docid, uint64_t *dup)
{
    uint64_t key = 0;
    if (key_of(c, docid, &key) != 0)
        return 0;
    const key_entry_t *e = &c->keys[slot_of(key, KEY_SLOTS)];
    if (e->key != key)
        return 0;
    *dup = e->dup;
    return 1;
}

void bl_doccache_put_key(bl_doccache_t *c, xc_docid_t docid, uint64_t dup)
{
    uint64_t key = 0;
    if (key_of(c, docid, &key) != 0)
        return;
    key_entry_t *e = &c->keys[slot_of(key, KEY_SLOTS)];
    e->key = key;
    e->dup = dup;
}

void bl_doccache_free(bl_doccache_t *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < SLOTS; i++) {
        free(c->slots[i].data);
        bl_tokens_free(c->slots[i].tokens);
    }
    forget_parts(c);
    free(c);
}
