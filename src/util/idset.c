/*
 * A set of 64-bit hashes (open addressing, linear probing).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/idset.h"

#include <stdlib.h>

/* Insert H (not 0) into SLOTS of CAP entries (a power of two); returns 1 if
 * it was there.  Cannot fail. */
static int insert(uint64_t *slots, size_t cap, uint64_t h)
{
    size_t i = (size_t)(h ^ (h >> 29)) & (cap - 1);
    while (slots[i]) {
        if (slots[i] == h)
            return 1;
        i = (i + 1) & (cap - 1);
    }
    slots[i] = h;
    return 0;
}

int bl_idset_add(bl_idset_t *s, uint64_t h)
{
    if (!h)
        h = 1;
    if ((s->n + 1) * 4 > s->cap * 3) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        uint64_t *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return -1;
        for (size_t i = 0; i < s->cap; i++) {
            if (s->slots[i])
                insert(slots, cap, s->slots[i]);
        }
        free(s->slots);
        s->slots = slots;
        s->cap = cap;
    }
    if (insert(s->slots, s->cap, h))
        return 1;
    s->n++;
    return 0;
}

int bl_idset_has(const bl_idset_t *s, uint64_t h)
{
    if (!s->cap)
        return 0;
    if (!h)
        h = 1;
    size_t i = (size_t)(h ^ (h >> 29)) & (s->cap - 1);
    while (s->slots[i]) {
        if (s->slots[i] == h)
            return 1;
        i = (i + 1) & (s->cap - 1);
    }
    return 0;
}

void bl_idset_clear(bl_idset_t *s)
{
    free(s->slots);
    s->slots = NULL;
    s->cap = s->n = 0;
}
