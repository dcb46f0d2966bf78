/*
 * Helpers shared by the corpus layer's files.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_CORPUS_INTERNAL_H
#define BYLINE_CORPUS_INTERNAL_H

#include <stddef.h>

#include "byline/corpus.h"
#include "byline/status.h"
#include "util/buf.h"

/* Append LEN bytes of S to OUT as valid UTF-8: well-formed sequences are
 * kept, other bytes are read as Windows-1252 (Latin-1's superset), control
 * characters other than newline and tab become spaces, CR is dropped.
 * Returns BL_OK or BL_ENOMEM. */
/* Note why the current read fails (bl_read_last_reason()).  Cannot
 * fail. */
void bl_read_note_reason(bl_read_reason_t r);

bl_status_t bl_utf8_clean(bl_buf_t *out, const char *s, size_t len);

/* A malloc'ed copy of LEN bytes at S, cleaned as above and trimmed of
 * surrounding white space; NULL when out of memory. */
char *bl_clean_dup(const char *s, size_t len);

/* Hand article A, a record of a many-record file, to FN: one with neither
 * title nor body is reported to PROBLEM as an empty WHAT ("record", "row",
 * "message") instead; one without an id (or a blank one) gets "REL:LINE".
 * A's path and line are set; A is cleared either way.  Returns BL_OK,
 * BL_END (FN stopped) or BL_ENOMEM. */
bl_status_t bl_deliver(bl_article_t *a, const char *path, const char *rel,
                       unsigned long line, const char *what,
                       bl_article_fn fn, bl_problem_fn problem, void *ctx);

#endif
