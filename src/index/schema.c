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

bl_status_t bl_schema_read(xc_db_t *db, const char *path, char **language)
{
    char *schema = NULL;
    xc_doccount_t ndocs = 0;
    bl_status_t rc;
    xc_status_t xr;
    *language = NULL;
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
    free(schema);
    return rc;
}
