/*
 * Reading and checking an index's schema metadata.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "schema/schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byline/schema.h"
#include "util/hash.h"
#include "schema/xc_map.h"
#include "util/fail.h"

/* Read the metadata KEY, which must be one of the NULL-terminated VALUES,
 * into *INDEX; a missing key gives *INDEX 0 when OPTIONAL. */
static bl_status_t read_choice(xc_db_t *db, const char *path, const char *key,
                               const char *const *values, int optional,
                               int *index)
{
    char *v = NULL;
    xc_status_t xr = xc_db_get_metadata(db, key, &v, NULL);
    bl_status_t rc = BL_OK;
    *index = 0;
    if (xr == XC_NOT_FOUND && optional)
        return BL_OK;
    if (xr == XC_NOT_FOUND)
        return bl_fail(BL_ECORRUPT, "%s: the index has no %s", path, key);
    rc = bl_from_xc(xr, path);
    if (rc != BL_OK)
        return rc;
    int found = -1;
    for (int i = 0; values[i]; i++) {
        if (strcmp(v, values[i]) == 0)
            found = i;
    }
    /* (The message only when it is an error: bl_last_error() never
     * describes one that did not happen.) */
    if (found < 0)
        rc = bl_fail(BL_ECORRUPT, "%s: unknown %s '%s'", path, key, v);
    else
        *index = found;
    free(v);
    return rc;
}

static const char *const ACCENTS[] = {"keep", "fold", NULL};
static const char *const STOPWORDS[] = {"none", "on", NULL};
static const char *const EXACT[] = {"off", "on", NULL};

bl_status_t bl_schema_read(xc_db_t *db, const char *path, char **language,
                           bl_analyzer_options_t *opts)
{
    char *schema = NULL;
    xc_doccount_t ndocs = 0;
    bl_status_t rc;
    xc_status_t xr;
    *language = NULL;
    memset(opts, 0, sizeof *opts);
    xr = xc_db_get_metadata(db, BL_META_SCHEMA, &schema, NULL);
    if (xr == XC_NOT_FOUND) {
        rc = bl_from_xc(xc_db_doccount(db, &ndocs), path);
        if (rc == BL_OK && ndocs > 0)
            rc = bl_fail(BL_ECORRUPT, "%s: not a Byline index", path);
        return rc;
    }
    rc = bl_from_xc(xr, path);
    if (rc == BL_OK && strcmp(schema, BL_SCHEMA_VERSION) != 0)
        rc = bl_fail(BL_ECORRUPT,
                     "%s: index schema %s is not %s (rebuild it with "
                     "byline-index --overwrite)",
                     path, schema, BL_SCHEMA_VERSION);
    if (rc == BL_OK) {
        xr = xc_db_get_metadata(db, BL_META_LANGUAGE, language, NULL);
        rc = xr == XC_NOT_FOUND
                 ? bl_fail(BL_ECORRUPT, "%s: the index names no language",
                           path)
                 : bl_from_xc(xr, path);
    }
    if (rc == BL_OK)
        rc = read_choice(db, path, BL_META_ACCENTS, ACCENTS, 0,
                         &opts->fold_accents);
    if (rc == BL_OK)
        rc = read_choice(db, path, BL_META_STOPWORDS, STOPWORDS, 1,
                         &opts->stopwords);
    if (rc == BL_OK) /* (Absent in an index made before it: off.) */
        rc = read_choice(db, path, BL_META_EXACT, EXACT, 1,
                         &opts->exact_forms);
    if (rc != BL_OK) {
        free(*language);
        *language = NULL;
    }
    opts->language = *language;
    free(schema);
    return rc;
}

/* Set metadata KEY to the string VALUE. */
static bl_status_t put(xc_db_t *db, const char *path, const char *key,
                       const char *value)
{
    return bl_from_xc(xc_db_set_metadata(db, key, value, strlen(value)),
                      path);
}

bl_status_t bl_schema_write(xc_db_t *db, const char *path,
                            const bl_analyzer_options_t *opts)
{
    bl_status_t rc = put(db, path, BL_META_SCHEMA, BL_SCHEMA_VERSION);
    if (rc == BL_OK)
        rc = put(db, path, BL_META_LANGUAGE, opts->language);
    if (rc == BL_OK)
        rc = put(db, path, BL_META_ACCENTS,
                 ACCENTS[opts->fold_accents ? 1 : 0]);
    if (rc == BL_OK)
        rc = put(db, path, BL_META_STOPWORDS,
                 STOPWORDS[opts->stopwords ? 1 : 0]);
    if (rc == BL_OK)
        rc = put(db, path, BL_META_EXACT, EXACT[opts->exact_forms ? 1 : 0]);
    return rc;
}

void bl_id_term(const char *id, char *term)
{
    if (strlen(id) + 1 <= BL_MAX_TERM)
        snprintf(term, BL_MAX_TERM + 1, "Q%s", id);
    else
        snprintf(term, BL_MAX_TERM + 1, "Q#%016llx%.200s",
                 (unsigned long long)bl_fnv1a(id, strlen(id)), id);
}

