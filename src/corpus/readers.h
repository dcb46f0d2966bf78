/*
 * The readers of the corpus layer (one per format) and the SGML helpers
 * they share; bl_read_source() dispatches to them.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_READERS_H
#define BYLINE_READERS_H

#include <stddef.h>

#include "byline/corpus.h"
#include "util/buf.h"

/* The text of LEN bytes of SGML at S into OUT as clean UTF-8: tags removed
 * (paragraph tags become paragraph breaks), entities decoded (numeric ones,
 * XML's, and the common HTML ones; unknown ones kept as written), white
 * space tidied, paragraphs separated by blank lines.  Returns BL_OK or
 * BL_ENOMEM. */
bl_status_t bl_sgml_text(const char *s, size_t len, bl_buf_t *out);

/* LEN bytes of S into OUT with entities decoded (as bl_sgml_text() does),
 * nothing else changed.  Returns BL_OK or BL_ENOMEM. */
bl_status_t bl_sgml_entities(const char *s, size_t len, bl_buf_t *out);

/* Read the rows of a CSV stream as articles: COLUMNS names the columns
 * ("category,title,body"), or NULL when the first row does. */
bl_status_t bl_read_csv(bl_source_t *src, const char *columns,
                        const char *path, const char *rel, bl_article_fn fn,
                        bl_problem_fn problem, void *ctx);

/* Find the first element NAME (case-insensitive) in REC[FROM..LEN): its
 * content is [*START, *END), and *AFTER is past its end tag (an element
 * without one runs to LEN).  Returns BL_OK or BL_END (none). */
bl_status_t bl_sgml_element(const char *rec, size_t len, const char *name,
                            size_t from, size_t *start, size_t *end,
                            size_t *after);

/* Read the records of a Reuters-21578 (KIND BL_FORMAT_REUTERS) or TREC
 * (BL_FORMAT_TREC) SGML stream, as bl_read_articles() does. */
bl_status_t bl_read_sgml(bl_source_t *src, bl_format_t kind,
                         const char *path, const char *rel, bl_article_fn fn,
                         bl_problem_fn problem, void *ctx);

/* Read the records of a SMART-layout test collection (.I/.T/.A/.W). */
bl_status_t bl_read_smart(bl_source_t *src, const char *path, const char *rel,
                          bl_article_fn fn, bl_problem_fn problem, void *ctx);

/* Non-zero if LINE opens a SMART record (".I 12"). */
int bl_looks_like_smart(const char *line, size_t len);

/* Read RFC 822 messages (one, or an mbox of many) as articles. */
bl_status_t bl_read_mail(bl_source_t *src, const char *path, const char *rel,
                         bl_article_fn fn, bl_problem_fn problem, void *ctx);

/* Non-zero if LINE and NEXT, the first two lines of a file (NEXT may be
 * NULL), start a mail or news message: an mbox "From address date" line,
 * or a known header field followed by another header field. */
int bl_looks_like_mail(const char *line, size_t len, const char *next,
                       size_t next_len);

/* Read an HTML page (LEN bytes of DATA) as one article. */
bl_status_t bl_parse_html(const char *data, size_t len, const char *id,
                          const char *path, bl_article_t *out);

#endif
