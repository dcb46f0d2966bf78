/*
 * Walking corpus directories in a deterministic order.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _DEFAULT_SOURCE
#include "byline/corpus.h"
#include "util/array.h"
#include "util/fail.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A directory on the current path, to detect symlink loops. */
typedef struct dir_id {
    dev_t dev;
    ino_t ino;
} dir_id_t;

typedef struct walker {
    bl_walk_fn fn;
    void *ctx;
    const bl_walk_options_t *o;
    dir_id_t *stack;
    size_t depth, cap;
    size_t root_len; /* Length of the root prefix stripped for REL. */
} walker_t;

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Report an event; returns BL_END if the callback asked to stop. */
static bl_status_t report(walker_t *w, bl_walk_event_t ev, const char *path,
                          const char *message)
{
    const char *rel = path + w->root_len;
    while (*rel == '/')
        rel++;
    return w->fn(ev, path, rel, message, w->ctx) ? BL_END : BL_OK;
}

static bl_status_t walk_dir(walker_t *w, const char *path,
                            const struct stat *st);

/* Non-zero if REL (its base name, or all of it for a pattern with a '/')
 * matches one of the N PATTERNS. */
static int matches(const char *rel, const char *const *patterns, size_t n)
{
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    for (size_t i = 0; i < n; i++) {
        const char *subject = strchr(patterns[i], '/') ? rel : base;
        if (fnmatch(patterns[i], subject, 0) == 0)
            return 1;
    }
    return 0;
}

/* Visit PATH: a file is reported, a directory walked. */
static bl_status_t visit(walker_t *w, const char *path)
{
    struct stat st;
    char msg[256];
    const char *rel = path + w->root_len;
    while (*rel == '/')
        rel++;
    if (w->o && w->o->nexclude && matches(rel, w->o->exclude, w->o->nexclude))
        return BL_OK;
    if (stat(path, &st) != 0) {
        snprintf(msg, sizeof msg, "%s", strerror(errno));
        return report(w, BL_WALK_ERROR, path, msg);
    }
    if (S_ISDIR(st.st_mode))
        return walk_dir(w, path, &st);
    if (!S_ISREG(st.st_mode))
        return report(w, BL_WALK_SKIP, path, "not a regular file");
    if (w->o && w->o->ninclude && !matches(rel, w->o->include, w->o->ninclude))
        return BL_OK;
    return report(w, BL_WALK_FILE, path, NULL);
}

static bl_status_t walk_dir(walker_t *w, const char *path,
                            const struct stat *st)
{
    DIR *d = NULL;
    char **names = NULL;
    size_t n = 0, cap = 0;
    bl_status_t rc = BL_OK;
    char msg[256];

    for (size_t i = 0; i < w->depth; i++) {
        if (w->stack[i].dev == st->st_dev && w->stack[i].ino == st->st_ino)
            return report(w, BL_WALK_SKIP, path,
                          "symbolic link loop: directory already being read");
    }
    d = opendir(path);
    if (!d) {
        snprintf(msg, sizeof msg, "%s", strerror(errno));
        return report(w, BL_WALK_ERROR, path, msg);
    }
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(d);
        if (!e) {
            if (errno != 0) {
                snprintf(msg, sizeof msg, "%s", strerror(errno));
                rc = report(w, BL_WALK_ERROR, path, msg);
            }
            break;
        }
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (e->d_name[0] == '.' && !(w->o && w->o->hidden))
            continue; /* Hidden entries. */
        char **nn = bl_grow(names, &cap, n + 1, sizeof *names, 64);
        if (!nn) {
            rc = bl_fail(BL_ENOMEM, "out of memory");
            goto done;
        }
        names = nn;
        names[n] = strdup(e->d_name);
        if (!names[n]) {
            rc = bl_fail(BL_ENOMEM, "out of memory");
            goto done;
        }
        n++;
    }
    closedir(d);
    d = NULL;
    if (rc != BL_OK)
        goto done;
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_names);

    dir_id_t *ns = bl_grow(w->stack, &w->cap, w->depth + 1, sizeof *ns, 16);
    if (!ns) {
        rc = bl_fail(BL_ENOMEM, "out of memory");
        goto done;
    }
    w->stack = ns;
    w->stack[w->depth].dev = st->st_dev;
    w->stack[w->depth].ino = st->st_ino;
    w->depth++;
    for (size_t i = 0; i < n && rc == BL_OK; i++) {
        size_t plen = strlen(path);
        char *child = malloc(plen + strlen(names[i]) + 2);
        if (!child) {
            rc = bl_fail(BL_ENOMEM, "out of memory");
            break;
        }
        sprintf(child, "%s%s%s", path,
                plen && path[plen - 1] == '/' ? "" : "/", names[i]);
        rc = visit(w, child);
        free(child);
    }
    w->depth--;
done:
    if (d)
        closedir(d);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

bl_status_t bl_walk(const char *root, bl_walk_fn fn, void *ctx)
{
    return bl_walk_with(root, NULL, fn, ctx);
}

bl_status_t bl_walk_with(const char *root, const bl_walk_options_t *o,
                         bl_walk_fn fn, void *ctx)
{
    walker_t w = {fn, ctx, o, NULL, 0, 0, 0};
    struct stat st;
    bl_status_t rc;
    if (stat(root, &st) != 0)
        return bl_fail(errno == ENOENT ? BL_ENOTFOUND : BL_EIO, "%s: %s",
                       root, strerror(errno));
    if (S_ISDIR(st.st_mode)) {
        w.root_len = strlen(root);
        rc = walk_dir(&w, root, &st);
    } else {
        /* A single file: REL is its base name. */
        const char *slash = strrchr(root, '/');
        w.root_len = slash ? (size_t)(slash - root) + 1 : 0;
        rc = visit(&w, root);
    }
    free(w.stack);
    return rc;
}
