/*
 * A set of 64-bit hashes (open addressing), for the ids written in a run.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_IDSET_H
#define BYLINE_IDSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct bl_idset {
    uint64_t *slots; /* 0 marks a free slot (a hash of 0 is stored as 1). */
    size_t cap, n;
} bl_idset_t;

/* Add H; returns 1 if it was there already, 0 if added, -1 when out of
 * memory. */
int bl_idset_add(bl_idset_t *s, uint64_t h);

/* Non-zero if H is in S.  Cannot fail. */
int bl_idset_has(const bl_idset_t *s, uint64_t h);

/* Empty S and free its memory.  Cannot fail. */
void bl_idset_clear(bl_idset_t *s);

#endif
