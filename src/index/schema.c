/*
 * Reading and checking an index's schema metadata.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "index/schema.h"

#include <stdlib.h>
#include <string.h>

#include "byline/index.h"
#include "util/xc_map.h"

bl_status_t bl_schema_read(xc_db_t *db, const char *path, char **language,
                           int *fold_accents)
{
    char *schema = NULL, *accents = NULL;
    xc_doccount_t ndocs = 0;
    bl_status_t rc;
    xc_status_t xr;
    *language = NULL;
    *fold_accents = 0;
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
    if (rc == BL_OK) {
        xr = xc_db_get_metadata(db, BL_META_ACCENTS, &accents, NULL);
        rc = bl_from_xc(xr, path);
        if (rc == BL_OK && strcmp(accents, "fold") != 0 &&
            strcmp(accents, "keep") != 0)
            rc = bl_fail(BL_ECORRUPT, "%s: unknown accent setting '%s'",
                         path, accents);
        if (rc == BL_ENOTFOUND)
            rc = bl_fail(BL_ECORRUPT, "%s: the index names no accent "
                                      "setting", path);
        if (rc == BL_OK)
            *fold_accents = strcmp(accents, "fold") == 0;
    }
    if (rc != BL_OK) {
        free(*language);
        *language = NULL;
    }
    free(accents);
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
                            const char *language, int fold_accents)
{
    bl_status_t rc = put(db, path, BL_META_SCHEMA, BL_SCHEMA_VERSION);
    if (rc == BL_OK)
        rc = put(db, path, BL_META_LANGUAGE, language);
    if (rc == BL_OK)
        rc = put(db, path, BL_META_ACCENTS, fold_accents ? "fold" : "keep");
    return rc;
}
