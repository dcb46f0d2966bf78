/*
 * Building one Xapian document from one article (the scheme is described
 * in byline/index.h).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_DOCBUILD_H
#define BYLINE_DOCBUILD_H

#include "byline/analysis.h"
#include "byline/corpus.h"
#include "byline/index.h"
#include "byline/status.h"
#include "xapian-c/xapian-c.h"

#include "schema/schema.h"

/* Build the document of article A with analyzer AN in a new *OUT (free
 * with xc_doc_free()); FILE_TERM (may be NULL) marks the file it came
 * from.  QTERM (BL_MAX_TERM + 1 bytes) gets its unique-id term.  Returns
 * BL_OK, BL_EARG (no id) or BL_ENOMEM; *OUT is NULL on failure. */
bl_status_t bl_doc_build(bl_analyzer_t *an, const bl_article_t *a,
                         const char *file_term, xc_doc_t **out, char *qterm);

#endif
