/*
 * A text's tokens recorded once, for passages chosen again and again: the
 * tokens of a story the searcher keeps in its cache (doccache.h) are not
 * analysed again for every query that shows it.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_SEARCH_TOKENS_H
#define BYLINE_SEARCH_TOKENS_H

#include <stddef.h>

#include "byline/analysis.h"
#include "byline/search.h"
#include "byline/status.h"

typedef struct bl_tokens bl_tokens_t;

/* Analyse TEXT (LEN bytes) with A, every word stemmed, into a new record
 * *OUT (free with bl_tokens_free()): each token's offsets, stem and
 * flags, variants included.  Returns BL_OK, BL_EARG (TEXT of 4 GiB or
 * more) or BL_ENOMEM (*OUT NULL). */
bl_status_t bl_tokens_record(bl_analyzer_t *a, const char *text, size_t len,
                             bl_tokens_t **out);

/* The bytes T holds (for a cache's budget).  Cannot fail. */
size_t bl_tokens_size(const bl_tokens_t *t);

/* As bl_passages() on the TEXT that T was recorded from, without
 * analysing it again: the same passages.  Returns BL_OK or BL_ENOMEM. */
bl_status_t bl_passages_recorded(const bl_tokens_t *t, const char *text,
                                 size_t len, const bl_qterm_t *terms,
                                 size_t n, unsigned max, unsigned words,
                                 bl_passage_t *out, size_t *nout);

/* Free T.  T may be NULL. */
void bl_tokens_free(bl_tokens_t *t);

#endif
