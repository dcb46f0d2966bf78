/*
 * Arrays that grow by doubling.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "array.h"

#include <stdint.h>
#include <stdlib.h>

void *bl_grow(void *items, size_t *cap, size_t need, size_t size,
              size_t first)
{
    if (need <= *cap && items)
        return items;
    size_t c = *cap ? *cap : (first ? first : 1);
    while (c < need) {
        if (c > SIZE_MAX / 2)
            return NULL;
        c *= 2;
    }
    if (size && c > SIZE_MAX / size)
        return NULL;
    size_t bytes = c * size;
    void *grown = realloc(items, bytes ? bytes : 1);
    if (!grown)
        return NULL;
    *cap = c;
    return grown;
}
