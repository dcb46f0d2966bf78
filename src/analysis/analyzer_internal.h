/*
 * What the units of the analysis layer share: the analyzer's state, the
 * character classes, and the calls one unit makes into another.  Not
 * public API (byline/analysis.h is).
 *
 * The units: analyzer.c (the analyzer: options, stopwords, lifetime),
 * chars.c (characters: their classes and folded forms), tokenize.c
 * (text to tokens: segments, joins, variants, addresses) and stems.c (the
 * Snowball stemmers and their cache); stopwords.c holds the stopword
 * lists as data (stopwords.h).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_ANALYSIS_ANALYZER_INTERNAL_H
#define BYLINE_ANALYSIS_ANALYZER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <utf8proc.h>

#include "byline/analysis.h"

#define ANALYSIS_INTERNAL __attribute__((visibility("hidden")))

/* Character classes. */
enum {
    C_SEP,    /* Space, punctuation, symbols, controls, invalid bytes. */
    C_WORD,   /* Letters and digits. */
    C_MARK,   /* Combining marks: part of the word they follow. */
    C_CJK,    /* A character that is a word by itself. */
    C_SOFT,   /* Soft hyphen, zero-width joiners: ignored inside words. */
    C_APOS,   /* ' and U+2019. */
    C_DOT,
    C_COMMA,
    C_HYPHEN, /* - and U+2010, U+2011. */
    C_SLASH
};

#define STEM_CACHE 16384 /* Entries; a power of two. */
#define WORD_BUF (BL_MAX_TOKEN * 2 + 8)

/* One entry of the stem cache (stems.c). */
typedef struct cache_ent {
    unsigned char wlen, slen; /* wlen 0: empty. */
    char word[BL_MAX_TOKEN];
    char stem[BL_MAX_TOKEN];
} cache_ent_t;

struct bl_analyzer {
    struct sb_stemmer *stemmer; /* NULL for "none". */
    char language[32];
    int fold_accents;
    int exact_forms; /* (The index's: see bl_analyzer_exact_forms().) */
    char **stopwords;             /* Folded and sorted, or NULL. */
    int drop_stopwords;           /* Leave them out of the tokens. */
    char *stop_store;             /* Their text. */
    size_t nstopwords;
    char word[WORD_BUF];   /* The token being emitted. */
    char joined[WORD_BUF]; /* A compound's joined form. */
    char extra[WORD_BUF];  /* A variant's text. */
    cache_ent_t *cache;
    int keeps_first; /* The stemmer never changes a word's first byte. */
};

/* ---- chars.c ---- */

/* Classes of the ASCII characters, filled in by chars_init(). */
ANALYSIS_INTERNAL extern unsigned char ascii_class[128];

/* Fill in ascii_class, once for the process.  Cannot fail; thread-safe. */
ANALYSIS_INTERNAL void chars_init(void);

/* The class of CP.  Cannot fail. */
ANALYSIS_INTERNAL int classify(int32_t cp);

/* Decode the character at S (N > 0 bytes left) into *CP (-1 for an invalid
 * byte); returns its length in bytes (at least 1).  Cannot fail. */
static inline size_t decode(const unsigned char *s, size_t n, int32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    utf8proc_ssize_t l =
        utf8proc_iterate(s, (utf8proc_ssize_t)(n > 4 ? 4 : n), cp);
    if (l <= 0) {
        *cp = -1;
        return 1;
    }
    return (size_t)l;
}

/* The class of the character at S (N > 0 bytes left), and its length in
 * *CL.  Needs chars_init().  Cannot fail. */
static inline int char_class(const unsigned char *s, size_t n, size_t *cl)
{
    int32_t cp;
    if (s[0] < 0x80) {
        *cl = 1;
        return ascii_class[s[0]];
    }
    *cl = decode(s, n, &cp);
    return cp < 0 ? C_SEP : classify(cp);
}

/* Append the folded form (as A folds) of bytes [FROM, TO) of S to OUT (of
 * *N bytes, capacity WORD_BUF).  Returns 0 if it does not fit. */
ANALYSIS_INTERNAL int fold_append(const bl_analyzer_t *a,
                                  const unsigned char *s, size_t from,
                                  size_t to, char *out, size_t *n);

/* ---- stems.c ---- */

/* Non-zero if LANGUAGE's Snowball stemmer never changes a word's first
 * byte (bl_stems_keeping_first_byte()).  Cannot fail. */
ANALYSIS_INTERNAL int keeps_first_byte(const char *language);

/* Give A the stemmer of its language and its cache (none for "none").
 * Returns BL_OK, BL_EARG (no such stemmer) or BL_ENOMEM; what was made
 * is A's, freed by stems_close(). */
ANALYSIS_INTERNAL bl_status_t stems_open(bl_analyzer_t *a);

/* Free A's stemmer and cache.  Cannot fail. */
ANALYSIS_INTERNAL void stems_close(bl_analyzer_t *a);

/* ---- analyzer.c ---- */

/* Non-zero if the folded WORD is a stopword of A.  Cannot fail. */
ANALYSIS_INTERNAL int is_stopword(const bl_analyzer_t *a, const char *word);

#endif
