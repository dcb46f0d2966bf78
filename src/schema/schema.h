/*
 * The schema module's internal calls (used by the indexer and the searcher
 * alike): reading and checking an index's schema metadata, the id term.
 * The constants are public: byline/schema.h.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_SCHEMA_INTERNAL_H
#define BYLINE_SCHEMA_INTERNAL_H

#include "byline/analysis.h"
#include "byline/schema.h"
#include "byline/status.h"
#include "xapian-c/xapian-c.h"

/* The unique-id term of article ID into TERM (BL_MAX_TERM + 1 bytes):
 * "Q<id>", or for a long id "Q#<hash><start of id>".  Cannot fail. */
void bl_id_term(const char *id, char *term);

/* Check that DB (opened from PATH, named in messages) is a Byline index of
 * this schema, and put its analyzer settings in *OPTS, the language in a
 * malloc'ed *LANGUAGE that OPTS->language points to.  An empty database
 * without metadata is a new index: BL_OK with *LANGUAGE NULL.  Returns BL_OK, BL_ECORRUPT (another schema, or a Xapian database
 * that is not Byline's), BL_EIO, BL_ENETWORK or BL_ENOMEM. */
bl_status_t bl_schema_read(xc_db_t *db, const char *path, char **language,
                           bl_analyzer_options_t *opts);

/* Record the schema and the analyzer settings OPTS in a writable DB.
 * Returns BL_OK, BL_EIO or BL_ENOMEM. */
bl_status_t bl_schema_write(xc_db_t *db, const char *path,
                            const bl_analyzer_options_t *opts);

#endif
