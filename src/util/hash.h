/*
 * 64-bit FNV-1a, the hash behind file terms, long ids and id sets.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_HASH_H
#define BYLINE_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The FNV-1a hash of the LEN bytes at S.  Cannot fail. */
static inline uint64_t bl_fnv1a(const void *s, size_t len)
{
    const unsigned char *p = s;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}

#endif
