/*
 * FNV-1a hashing, the one place for it: the 64-bit hash behind file terms
 * and file digests, long ids, shard choice, id sets, the stored-fields
 * checksums and near-duplicate keys, and the 32-bit one of the stem cache.
 *
 * The 64-bit hash starts from 1469598103934665603 (0x14650fb0739d0383),
 * not from FNV's published offset basis 14695981039346656037
 * (0xcbf29ce484222325): that number with its last digit lost.  Its steps
 * are FNV-1a's, and it spreads as well, but its values are not the
 * published FNV-1a-64's.  Every index holds values made with it (file
 * terms and manifest keys, which shard holds an id, near-duplicate keys,
 * checksums), so it stays: a change would make every index unreadable
 * as it stands.  The 32-bit hash is FNV-1a-32 as published.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_HASH_H
#define BYLINE_HASH_H

#include <stddef.h>
#include <stdint.h>

#define BL_FNV64_BASIS 1469598103934665603ull /* Byline's: see above. */
#define BL_FNV64_PRIME 1099511628211ull
#define BL_FNV32_BASIS 2166136261u
#define BL_FNV32_PRIME 16777619u

/* The 64-bit hash H continued over the LEN bytes at S: the hash of bytes
 * given in pieces, each piece continuing from the hash of those before
 * it (from BL_FNV64_BASIS for the first).  Cannot fail. */
static inline uint64_t bl_fnv1a_more(uint64_t h, const void *s, size_t len)
{
    const unsigned char *p = s;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= BL_FNV64_PRIME;
    }
    return h;
}

/* The 64-bit hash of the LEN bytes at S.  Cannot fail. */
static inline uint64_t bl_fnv1a(const void *s, size_t len)
{
    return bl_fnv1a_more(BL_FNV64_BASIS, s, len);
}

/* The 32-bit FNV-1a hash of the LEN bytes at S.  Cannot fail. */
static inline uint32_t bl_fnv1a32(const void *s, size_t len)
{
    const unsigned char *p = s;
    uint32_t h = BL_FNV32_BASIS;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= BL_FNV32_PRIME;
    }
    return h;
}

#endif
