/*
 * Reading a Xapian stub file (stub.h).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/stub.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/fail.h"

bl_status_t bl_stub_each(const char *path, bl_stub_fn fn, void *ctx)
{
    size_t pl = strlen(path);
    char *name = malloc(pl + sizeof "/" BL_STUB_FILE);
    struct stat st;
    if (!name)
        return bl_fail(BL_ENOMEM, "out of memory");
    memcpy(name, path, pl);
    memcpy(name + pl, "/" BL_STUB_FILE, sizeof "/" BL_STUB_FILE);
    FILE *f = NULL;
    if (stat(name, &st) == 0 && S_ISREG(st.st_mode))
        f = fopen(name, "r");
    else if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
        f = fopen(path, "r");
    else {
        free(name);
        return bl_fail(BL_ENOTFOUND, "%s: no stub", path);
    }
    if (!f) {
        bl_status_t rc = bl_fail(BL_EIO, "%s: %s", path, strerror(errno));
        free(name);
        return rc;
    }
    char line[BL_STUB_LINE_MAX + 2];
    bl_status_t rc = BL_OK;
    for (unsigned n = 1; rc == BL_OK && fgets(line, sizeof line, f); n++) {
        size_t len = strcspn(line, "\r\n");
        if (line[len] == '\0' && !feof(f)) {
            rc = bl_fail(BL_ECORRUPT, "%s:%u: a stub line over %d bytes",
                         path, n, BL_STUB_LINE_MAX);
            break;
        }
        line[len] = '\0';
        char *type = line + strspn(line, " \t");
        if (!*type || *type == '#')
            continue;
        char *target = type + strcspn(type, " \t");
        if (*target) {
            *target++ = '\0';
            target += strspn(target, " \t");
        }
        if (fn(type, target, n, ctx))
            rc = BL_END;
    }
    if (rc == BL_OK && ferror(f))
        rc = bl_fail(BL_EIO, "%s: %s", path, strerror(errno));
    fclose(f);
    free(name);
    return rc;
}
