/*
 * The Snowball stemmers: one per analyzer (none for "none"), the cache of
 * its stems, and which of them never change a word's first byte.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "analysis/analyzer_internal.h"
#include "analysis/stems.h"
#include "util/fail.h"
#include "util/hash.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

const char *bl_analyzer_stem(bl_analyzer_t *a, const char *word, size_t len,
                             size_t *stem_len)
{
    if (!a->stemmer) {
        *stem_len = len;
        return word;
    }
    cache_ent_t *e = NULL;
    if (a->cache && len > 0 && len <= BL_MAX_TOKEN) {
        e = &a->cache[bl_fnv1a32(word, len) & (STEM_CACHE - 1)];
        if (e->wlen == len && memcmp(e->word, word, len) == 0) {
            *stem_len = e->slen;
            return e->stem;
        }
    }
    const sb_symbol *s =
        sb_stemmer_stem(a->stemmer, (const sb_symbol *)word, (int)len);
    if (!s) {
        bl_fail(BL_ENOMEM, "out of memory while stemming");
        return NULL;
    }
    *stem_len = (size_t)sb_stemmer_length(a->stemmer);
    if (e && *stem_len <= BL_MAX_TOKEN) {
        e->wlen = (unsigned char)len;
        memcpy(e->word, word, len);
        e->slen = (unsigned char)*stem_len;
        memcpy(e->stem, s, *stem_len);
    }
    return (const char *)s;
}

/* The stemmers that only ever change the end of a word, never its first
 * byte (what bl_analyze_some() relies on; tests/test_analysis.c checks
 * each on words that start with every letter their stemmers treat).
 * Others change it: German and Spanish drop accents, Dutch too, Russian
 * turns "ё" into "е", Romanian changes its cedillas, and Arabic,
 * Indonesian, Irish and others strip prefixes. */
static const char *const KEEP_FIRST_BYTE[] = {
    "none",    "english", "en",        "porter", "french",
    "fr",      "italian", "it",        "portuguese", "pt",
    "swedish", "sv",      "norwegian", "no",     "danish",
    "da",      "finnish", "fi",        "hungarian", "hu",
    "turkish", "tr",      NULL};

const char *const *bl_stems_keeping_first_byte(void)
{
    return KEEP_FIRST_BYTE;
}

int keeps_first_byte(const char *language)
{
    const char *const *keep = KEEP_FIRST_BYTE;
    for (size_t i = 0; keep[i]; i++)
        if (strcmp(language, keep[i]) == 0)
            return 1;
    return 0;
}

bl_status_t stems_open(bl_analyzer_t *a)
{
    if (strcmp(a->language, "none") == 0)
        return BL_OK;
    a->stemmer = sb_stemmer_new(a->language, "UTF_8");
    a->cache = calloc(STEM_CACHE, sizeof *a->cache);
    if (!a->stemmer)
        return bl_fail(BL_EARG, "unknown stemming language '%s'",
                       a->language);
    if (!a->cache)
        return bl_fail(BL_ENOMEM, "out of memory");
    return BL_OK;
}

void stems_close(bl_analyzer_t *a)
{
    if (a->stemmer)
        sb_stemmer_delete(a->stemmer);
    a->stemmer = NULL;
    free(a->cache);
    a->cache = NULL;
}

const char *const *bl_analyzer_languages(void)
{
    return sb_stemmer_list();
}
