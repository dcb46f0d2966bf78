/*
 * The schema: what index and search agree on.  Term prefixes, value
 * slots, limits, metadata keys and the stored-fields codec of a Byline
 * index; both layers read them from here and nowhere else.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Document scheme (schema 3), after Omega's conventions so that
 * xapian-delve and quest can read a Byline index:
 *   Z<stem>         title, caption and body stems, with positions (title
 *                   first, its wdf raised by BL_TITLE_WDF)
 *   ZS<stem>        title stems (for title: searches)
 *   Q<id>           the article's unique id (boolean)
 *   P<path>         the source path, when short enough to be a term
 *   A<author>       the author, lower-cased (boolean)
 *   U<url>          the URL, when short enough to be a term
 *   XS<source>      the source (publication, newsgroup), lower-cased
 *   K<category>     each category (topic, place, tag), lower-cased
 *   D<YYYYMMDD>, M<YYYYMM>, Y<YYYY>   the date (boolean)
 *   L<language>     the analyzer's language (boolean)
 *   XF<hash>        the source file (see src/index/manifest.c)
 *   XA<word>        each word of the author's name, folded (boolean)
 *   value BL_SLOT_DATE   the date as sortable_serialise(YYYYMMDD)
 *   values BL_SLOT_DUP, _YEAR, _AUTHOR, _SOURCE, _CATEGORY...: the
 *                   near-duplicate key and the facets
 *   value BL_SLOT_SUMMARY  the key and the fields again, for result lists
 *   data            the stored fields and text (bl_docdata_*), which
 *                   Xapian stores zlib-compressed
 * Metadata: byline.schema, byline.language, byline.accents,
 * byline.stopwords: the analyzer
 * settings, so that searches analyze queries exactly as the index was.
 *
 */
#ifndef BYLINE_SCHEMA_H
#define BYLINE_SCHEMA_H

#include <stddef.h>

#include "byline/corpus.h"
#include "byline/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The API: exported from the shared library, whatever the visibility it
 * is built with (ARCHITECTURE.md, Exports). */
#pragma GCC visibility push(default)

/* Term prefixes (Omega's conventions where it has one). */
#define BL_PREFIX_STEM "Z"       /* Z<stem>: every stem, with positions */
#define BL_PREFIX_EXACT "E"      /* E<word>: every word as written (case-
                                    folded), without positions, for quoted
                                    words (indexes with BL_META_EXACT) */
#define BL_PREFIX_TITLE "ZS"     /* ZS<stem>: a title stem */
#define BL_PREFIX_ID "Q"         /* Q<id>: the unique id */
#define BL_PREFIX_PATH "P"
#define BL_PREFIX_AUTHOR "A"     /* A<whole author, folded> */
#define BL_PREFIX_AUTHOR_WORD "XA"
#define BL_PREFIX_URL "U"
#define BL_PREFIX_SOURCE "XS"
#define BL_PREFIX_CATEGORY "K"
#define BL_PREFIX_DAY "D"
#define BL_PREFIX_MONTH "M"
#define BL_PREFIX_YEAR "Y"
#define BL_PREFIX_LANGUAGE "L"
#define BL_PREFIX_FILE "XF"      /* XF<hash>: the source file */
#define BL_FIELD_TITLE "S"       /* The field letter of title terms. */

/* Xapian refuses terms longer than 245 bytes: terms are kept under
 * this. */
#define BL_MAX_TERM 240

/* The stub file in an index directory that lists its parts. */
#define BL_STUB_NAME "XAPIANDB"

/* A file in an index directory that the indexer replaces (a new file,
 * renamed over the old) after every commit into parts the stub lists:
 * while neither it nor the stub has changed, a searcher has seen every
 * commit and need not reopen its parts.  A hint, never the data: an
 * index without it is reopened at every search. */
#define BL_COMMIT_MARK "COMMITS"
/* In an index of one shard: a symbolic link to its one part, moved at
 * every commit where it has one (after a run's final merge): the fixed
 * name Xapian's replication needs (xapian-replicate -m current). */
#define BL_CURRENT_LINK "current"

#define BL_SCHEMA_VERSION "3"
#define BL_META_SCHEMA "byline.schema"
#define BL_META_LANGUAGE "byline.language"
#define BL_META_ACCENTS "byline.accents" /* "fold" or "keep" */
#define BL_META_STOPWORDS "byline.stopwords" /* "on" or "none" */
#define BL_META_EXACT "byline.exact" /* "on": E<word> terms (absent: off) */
#define BL_META_SHARDS "byline.shards"
#define BL_META_SHARD_OF "byline.shard_of" /* "K/N": the index holds the
                              articles of shard K of N of its corpus, as an
                              index of N shards would (built apart) */
#define BL_SLOT_DATE 0
#define BL_SLOT_DUP 1      /* Near-duplicate key: min-hash of the body's
                              word shingles, 16 hex digits. */
#define BL_SLOT_YEAR 2     /* "YYYY" */
#define BL_SLOT_AUTHOR 3
#define BL_SLOT_SOURCE 4
#define BL_SLOT_SUMMARY 5  /* The near-duplicate key (16 hex digits, all 0
                              when none) and the stored fields without the
                              text (bl_docdata_encode() of the article
                              without its body): what a result list shows,
                              read without inflating the document data. */
#define BL_MAX_SUMMARY 4096 /* Larger summaries are not stored. */
#define BL_SLOT_CATEGORY 10 /* The first BL_CATEGORY_SLOTS categories, one
                               per slot from here. */
#define BL_CATEGORY_SLOTS 8
#define BL_MAX_VALUE 200    /* Longer facet values are cut. */
#define BL_SHINGLE_WORDS 5  /* Words per shingle of the duplicate key. */
#define BL_DUP_MIN_WORDS 25 /* Shorter bodies get no duplicate key. */
#define BL_TITLE_WDF 2   /* Each title word counts as this many. */
#define BL_POS_GAP 100   /* Positions left between title and body. */


/* Encode the stored fields of ARTICLE (its text included) into a malloc'ed
 * *OUT of *LEN bytes, for the document data, which Xapian compresses.
 * Returns BL_OK, BL_EARG (a text over 256 MiB) or BL_ENOMEM. */
bl_status_t bl_docdata_encode(const bl_article_t *article, char **out,
                              size_t *len);

/* Decode stored fields into OUT (fields a document lacks are NULL; clear
 * with bl_article_clear()).  Returns BL_OK, BL_ECORRUPT or BL_ENOMEM. */
bl_status_t bl_docdata_decode(const char *data, size_t len,
                              bl_article_t *out);

/* The same, leaving the body out (not copied) unless BODY is non-zero.
 * Returns as bl_docdata_decode(). */
bl_status_t bl_docdata_decode_fields(const char *data, size_t len, int body,
                                     bl_article_t *out);

/* Byline's version ("0.1.0") and that of the Xapian library it runs on
 * ("1.4.22").  Constant strings.  Cannot fail. */
const char *bl_version(void);
const char *bl_xapian_version(void);

/* Fold a field value (an author, source or category) as its terms hold
 * it: full Unicode case folding ("Économie" -> "économie"), into OUT of
 * SIZE bytes, cut to fit on a character boundary; returns its length.
 * Invalid UTF-8 bytes are kept as they are.  Cannot fail. */
size_t bl_fold_value(const char *value, size_t len, char *out, size_t size);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif
