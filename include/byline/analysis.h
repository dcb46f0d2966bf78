/*
 * The analyzer: one tokenizer and normaliser for indexing, query parsing
 * and highlighting, so that all three see exactly the same terms.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Text only: this layer knows nothing of Xapian or of files.
 *
 * Ownership and threads: an analyzer owns its stopword list, stem cache
 * and scratch buffers; tokens and stems it gives are valid until the next
 * call on it.  One thread at a time per analyzer (the indexer and the
 * server give each thread its own); different analyzers share nothing.
 * Failures are told by bl_status_t and bl_last_error() (byline/status.h).
 */
#ifndef BYLINE_ANALYSIS_H
#define BYLINE_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include "byline/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The API: exported from the shared library, whatever the visibility it
 * is built with (ARCHITECTURE.md, Exports). */
#pragma GCC visibility push(default)

typedef struct bl_analyzer bl_analyzer_t;

/* One token of the input. */
typedef struct bl_token {
    const char *word; /* Case-folded surface form, NUL-terminated. */
    size_t word_len;
    const char *stem; /* Stemmed form (== word when not stemming). */
    size_t stem_len;
    size_t start;     /* Byte offset of the token in the input. */
    size_t end;       /* Byte offset just past it. */
    uint32_t pos;     /* Term position. */
    unsigned flags;   /* BL_TOKEN_* */
} bl_token_t;

/* The token is another form of a word already given, at the position of
 * that word (or of a compound's first part): "rightwing" after "right"
 * and "wing", "@handle" after "handle", "$5" after "5". */
#define BL_TOKEN_VARIANT 1u
/* bl_analyze_some() left the word unstemmed (its stem is the word): no
 * stem it could have is wanted. */
#define BL_TOKEN_UNSTEMMED 2u

/* How an analyzer normalises words. */
typedef struct bl_analyzer_options {
    const char *language; /* A Snowball language ("english"), or "none". */
    int fold_accents;     /* Non-zero: "café" is read as "cafe". */
    int stopwords;        /* Non-zero: leave out the language's most common
                             words ("the", "of"), keeping their positions
                             (lists: english, french, german, spanish,
                             italian, portuguese, dutch, russian). */
    int exact_forms;      /* The index keeps each word's exact form too
                             (case-folded, accents as folded), for quoted
                             words: an index setting that the analyzer
                             carries from the index's metadata to its
                             readers; it changes no token. */
} bl_analyzer_options_t;

/* Called for each token; WORD and STEM are valid only during the call.
 * Return 0 to go on, non-zero to stop the analysis. */
typedef int (*bl_token_fn)(const bl_token_t *tok, void *ctx);

/* A new analyzer stemming for LANGUAGE (a Snowball language name such as
 * "english", or "none" for no stemming).  Returns BL_OK, BL_EARG (unknown
 * language, or stopwords asked for a language without a list) or
 * BL_ENOMEM.  An analyzer is for one thread at a time. */
bl_status_t bl_analyzer_new(const char *language, bl_analyzer_t **out);

/* A new analyzer with the options O.  Returns as bl_analyzer_new(). */
bl_status_t bl_analyzer_new_with(const bl_analyzer_options_t *o,
                                 bl_analyzer_t **out);

/* Non-zero if the index of analyzer A keeps exact word forms
 * (bl_analyzer_options_t.exact_forms).  Cannot fail. */
int bl_analyzer_exact_forms(const bl_analyzer_t *a);

/* The language the analyzer stems for.  Cannot fail. */
const char *bl_analyzer_language(const bl_analyzer_t *a);

/* Non-zero if the analyzer folds accents.  Cannot fail. */
int bl_analyzer_folds_accents(const bl_analyzer_t *a);

/* Non-zero if the analyzer leaves out stopwords.  Cannot fail. */
int bl_analyzer_drops_stopwords(const bl_analyzer_t *a);

/* Non-zero if the folded WORD (a token's word) is on the stopword list of
 * A's language (whether or not A leaves stopwords out; 0 for a language
 * without a list).  Cannot fail. */
int bl_analyzer_is_stopword(const bl_analyzer_t *a, const char *word);

/* The stemming languages available, a NULL-terminated list of constant
 * strings.  Cannot fail. */
const char *const *bl_analyzer_languages(void);

/* Tokenize LEN bytes of TEXT (UTF-8; invalid bytes separate tokens), giving
 * positions from FIRST_POS on, and call FN for each token (the rules are
 * described at the top of src/analysis/tokenize.c).  Tokens come in text
 * order, except that a variant follows the word(s) it is a form of.  *NEXT_POS (may be
 * NULL) gets the position after the last token.  Returns BL_OK, BL_END (FN
 * stopped early) or BL_ENOMEM. */
bl_status_t bl_analyze(bl_analyzer_t *a, const char *text, size_t len,
                       uint32_t first_pos, bl_token_fn fn, void *ctx,
                       uint32_t *next_pos);

/* The first bytes of the stems a caller looks for (a 256-bit set), for
 * bl_analyze_some(). */
typedef struct bl_stem_filter {
    unsigned char first[32];
} bl_stem_filter_t;

/* Add the first byte of STEM (a stem of this analyzer) to F.  Cannot
 * fail. */
static inline void bl_stem_filter_add(bl_stem_filter_t *f, const char *stem)
{
    unsigned char b = (unsigned char)stem[0];
    f->first[b >> 3] |= (unsigned char)(1u << (b & 7));
}

/* bl_analyze() for a caller that only compares stems with those whose
 * first bytes are in WANT (highlighting, passages): a word that could
 * have none of them as its stem is not stemmed (flag BL_TOKEN_UNSTEMMED;
 * its stem is the word).  That is a word whose first byte is not in WANT,
 * where A's stemmer never changes a word's first byte (English, Porter,
 * French, Italian, Portuguese, the Nordic languages, Finnish, Hungarian,
 * Turkish, and no stemming); with any other language (German and Spanish
 * drop accents, Russian folds "ё", some strip prefixes) every word is
 * stemmed.  Tokens, positions and stems that matter are those of
 * bl_analyze().  Returns as bl_analyze(). */
bl_status_t bl_analyze_some(bl_analyzer_t *a, const char *text, size_t len,
                            uint32_t first_pos, const bl_stem_filter_t *want,
                            bl_token_fn fn, void *ctx, uint32_t *next_pos);

/* The stem of the (already case-folded) WORD of LEN bytes, owned by A and
 * valid until the next call on A; its length goes to *STEM_LEN.  Stems are
 * cached in the analyzer.  Returns NULL only when out of memory. */
const char *bl_analyzer_stem(bl_analyzer_t *a, const char *word, size_t len,
                             size_t *stem_len);

/* Free A and its stem cache.  Accepts NULL. */
void bl_analyzer_free(bl_analyzer_t *a);

/* Longest token kept, in bytes; longer runs are skipped (they are almost
 * always junk: base64, hashes, URLs run together). */
#define BL_MAX_TOKEN 64

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif
