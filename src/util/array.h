/*
 * Arrays that grow by doubling: the one place that computes a new
 * capacity, checks it for overflow and reallocates.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_ARRAY_H
#define BYLINE_ARRAY_H

#include <stddef.h>

/* Room for at least NEED items of SIZE bytes in ITEMS, an array with room
 * for *CAP (NULL and 0 at first): ITEMS itself when it has the room, else
 * ITEMS reallocated to the first of FIRST, 2 x FIRST, 4 x FIRST, ... (or
 * of *CAP doubled) that holds NEED, and *CAP set to that.  NULL when out
 * of memory or when the size would overflow: ITEMS and *CAP are then
 * unchanged and ITEMS still the caller's to free.  Use:
 *
 *     part_t *np = bl_grow(ix->parts, &ix->cap, ix->n + 1, sizeof *np, 16);
 *     if (!np)
 *         return bl_fail(BL_ENOMEM, "out of memory");
 *     ix->parts = np;
 *
 * For parallel arrays, grow each with a copy of *CAP and store the new
 * capacity once all have grown. */
void *bl_grow(void *items, size_t *cap, size_t need, size_t size,
              size_t first);

#endif
