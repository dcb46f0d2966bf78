/*
 * The shards of an index served from other machines, opened one by one
 * (shards.h).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "search/shards.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "byline/schema.h"
#include "schema/xc_map.h"
#include "util/array.h"
#include "util/clock.h"
#include "util/fail.h"
#include "util/fs.h"
#include "util/stub.h"

typedef struct entry {
    char *name;     /* As a reader knows it: HOST:PORT, or the path. */
    char *path;     /* A local entry: its path (relative to the stub's
                       directory made whole); NULL for a remote one. */
    char *host;
    unsigned port;
    xc_db_t *db;    /* NULL: it did not answer (ERROR says why). */
    char *error;
} entry_t;

struct shards {
    entry_t *e;
    size_t n;
    unsigned timeout_ms, connect_ms;
    xc_db_t *all;       /* The union of those with a DB. */
    bl_shard_failure_t *failed; /* (Views of the entries' strings.) */
    size_t nfailed;
    long long tried;    /* When the failed ones were last tried. */
    long long connected; /* When every shard was last connected anew. */
};

static void entry_clear(entry_t *e)
{
    free(e->name);
    free(e->path);
    free(e->host);
    free(e->error);
    xc_db_free(e->db);
    memset(e, 0, sizeof *e);
}

void shards_free(shards_t *sh)
{
    if (!sh)
        return;
    for (size_t i = 0; i < sh->n; i++)
        entry_clear(&sh->e[i]);
    free(sh->e);
    free(sh->failed);
    xc_db_free(sh->all);
    free(sh);
}

/* Split "HOST:PORT" (the last colon; "[v6]:PORT" too) into E. */
static bl_status_t parse_remote(entry_t *e, const char *spec)
{
    const char *colon = strrchr(spec, ':');
    char *end = NULL;
    if (!colon || colon == spec)
        return bl_fail(BL_EARG, "remote '%s': not HOST:PORT", spec);
    unsigned long port = strtoul(colon + 1, &end, 10);
    if (*end || port == 0 || port > 65535)
        return bl_fail(BL_EARG, "remote '%s': not HOST:PORT", spec);
    const char *h = spec;
    size_t hl = (size_t)(colon - spec);
    if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
        h++;
        hl -= 2;
    }
    e->host = strndup(h, hl);
    e->name = strdup(spec);
    e->port = (unsigned)port;
    return e->host && e->name ? BL_OK : bl_fail(BL_ENOMEM, "out of memory");
}

/* One entry of the stub (DIR: the stub's directory) into E. */
static bl_status_t parse_entry(entry_t *e, const char *type,
                               const char *target, const char *dir)
{
    static const char *const LOCAL[] = {"auto", "glass", "chert", "honey",
                                        NULL};
    if (strcmp(type, "remote") == 0) {
        if (*target == ':')
            return bl_fail(BL_EARG, "remote program shards are opened "
                                    "with the stub as a whole");
        return parse_remote(e, target);
    }
    for (int i = 0; LOCAL[i]; i++) {
        if (strcmp(type, LOCAL[i]) != 0)
            continue;
        size_t need = strlen(dir) + strlen(target) + 2;
        e->path = malloc(need);
        if (!e->path)
            return bl_fail(BL_ENOMEM, "out of memory");
        if (target[0] == '/')
            snprintf(e->path, need, "%s", target);
        else
            snprintf(e->path, need, "%s/%s", dir, target);
        e->name = strdup(target);
        return e->name ? BL_OK : bl_fail(BL_ENOMEM, "out of memory");
    }
    return bl_fail(BL_EARG, "stub line '%s %s' is opened with the stub as a "
                            "whole", type, target);
}

typedef struct stub_ctx {
    shards_t *sh;
    const char *dir;
    size_t cap;
    bl_status_t rc;
} stub_ctx_t;

static int add_entry(const char *type, const char *target, unsigned line,
                     void *p)
{
    stub_ctx_t *c = p;
    shards_t *sh = c->sh;
    (void)line;
    entry_t *ne = bl_grow(sh->e, &c->cap, sh->n + 1, sizeof *ne, 8);
    if (!ne) {
        c->rc = bl_fail(BL_ENOMEM, "out of memory");
        return 1;
    }
    sh->e = ne;
    memset(&sh->e[sh->n], 0, sizeof sh->e[sh->n]);
    sh->n++;
    c->rc = parse_entry(&sh->e[sh->n - 1], type, target, c->dir);
    return c->rc != BL_OK;
}

/* The entries of the stub at PATH into SH. */
static bl_status_t read_stub(shards_t *sh, const char *path)
{
    char name[BL_PATH_BUF], dir[BL_PATH_BUF];
    struct stat st;
    if (snprintf(name, sizeof name, "%s/" BL_STUB_NAME, path) >=
        (int)sizeof name)
        return bl_fail(BL_EARG, "%s: path too long", path);
    /* Relative entries are relative to the stub's directory. */
    snprintf(dir, sizeof dir, "%s", path);
    if (stat(name, &st) != 0) {
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        else
            snprintf(dir, sizeof dir, ".");
    }
    stub_ctx_t c = {sh, dir, 0, BL_OK};
    bl_status_t rc = bl_stub_each(path, add_entry, &c);
    if (rc == BL_END)
        rc = c.rc;
    if (rc == BL_OK && sh->n == 0)
        rc = bl_fail(BL_ECORRUPT, "%s: the stub lists no database", path);
    return rc;
}

/* Open entry E (again); on failure E->error says why. */
static void open_entry(shards_t *sh, entry_t *e)
{
    xc_status_t xr = e->path ? xc_db_open(e->path, &e->db)
                             : xc_db_open_remote(e->host, e->port,
                                                 sh->timeout_ms,
                                                 sh->connect_ms, &e->db);
    free(e->error);
    e->error = NULL;
    if (xr != XC_OK) {
        e->db = NULL;
        e->error = strdup(xc_last_error());
    }
}

/* Make SH->all the union of the entries that answer, and SH->failed the
 * list of the others.  Returns BL_OK, BL_ENETWORK (none answers) or
 * BL_ENOMEM (SH unchanged). */
static bl_status_t unite(shards_t *sh)
{
    xc_db_t *all = NULL;
    size_t up = 0;
    bl_shard_failure_t *failed = calloc(sh->n, sizeof *failed);
    bl_status_t rc = failed ? bl_from_xc(xc_db_new_multi(&all), "shards")
                            : bl_fail(BL_ENOMEM, "out of memory");
    size_t nf = 0;
    for (size_t i = 0; rc == BL_OK && i < sh->n; i++) {
        entry_t *e = &sh->e[i];
        if (e->db) {
            rc = bl_from_xc(xc_db_add(all, e->db), "shards");
            up++;
        } else {
            failed[nf].shard = e->name;
            failed[nf].error = e->error ? e->error : "out of memory";
            nf++;
        }
    }
    if (rc == BL_OK && up == 0) {
        rc = bl_fail(BL_ENETWORK, "no shard answers (%s: %s%s)",
                     failed[0].shard, failed[0].error,
                     sh->n > 1 ? ", ..." : "");
    }
    if (rc != BL_OK) {
        xc_db_free(all);
        free(failed);
        return rc;
    }
    xc_db_free(sh->all);
    free(sh->failed);
    sh->all = all;
    sh->failed = failed;
    sh->nfailed = nf;
    return BL_OK;
}

bl_status_t shards_open(const char *path, unsigned timeout_ms,
                        shards_t **out)
{
    *out = NULL;
    shards_t *sh = calloc(1, sizeof *sh);
    if (!sh)
        return bl_fail(BL_ENOMEM, "out of memory");
    sh->timeout_ms = timeout_ms ? timeout_ms : SHARDS_TIMEOUT_MS;
    sh->connect_ms = sh->timeout_ms < SHARDS_CONNECT_MS ? sh->timeout_ms
                                                        : SHARDS_CONNECT_MS;
    bl_status_t rc = read_stub(sh, path);
    for (size_t i = 0; rc == BL_OK && i < sh->n; i++)
        open_entry(sh, &sh->e[i]);
    sh->tried = sh->connected = bl_now_ns();
    if (rc == BL_OK)
        rc = unite(sh);
    if (rc != BL_OK) {
        shards_free(sh);
        return rc;
    }
    *out = sh;
    return BL_OK;
}

xc_db_t *shards_db(shards_t *sh)
{
    return sh->all;
}

unsigned shards_total(const shards_t *sh)
{
    return (unsigned)sh->n;
}

const bl_shard_failure_t *shards_failed(const shards_t *sh, size_t *n)
{
    *n = sh->nfailed;
    return sh->failed;
}

int shards_refresh(shards_t *sh)
{
    long long now = bl_now_ns();
    int all = now - sh->connected >= SHARDS_RECONNECT_NS;
    int changed = 0;
    if (!all && (sh->nfailed == 0 || now - sh->tried < SHARDS_RETRY_NS))
        return 0;
    sh->tried = now;
    if (all)
        sh->connected = now;
    for (size_t i = 0; i < sh->n; i++) {
        entry_t *e = &sh->e[i];
        if (e->db && !all)
            continue;
        xc_db_t *was = e->db;
        e->db = NULL;
        open_entry(sh, e);
        xc_db_free(was); /* (The union holds its own reference.) */
        changed |= was || e->db;
    }
    if (!changed)
        return 0;
    return unite(sh) == BL_OK ? 1 : -1;
}

int shards_check(shards_t *sh)
{
    /* A failed match leaves the other connections with replies unread:
     * asked anything, they would answer out of turn.  Every remote shard
     * is connected anew instead; those that do not answer are left out. */
    int remote = 0;
    for (size_t i = 0; i < sh->n; i++) {
        entry_t *e = &sh->e[i];
        if (e->path || !e->db)
            continue;
        xc_db_t *was = e->db;
        e->db = NULL;
        open_entry(sh, e);
        xc_db_free(was); /* (The union holds its own reference.) */
        remote = 1;
    }
    if (!remote)
        return 0;
    sh->tried = sh->connected = bl_now_ns();
    return unite(sh) == BL_OK ? 1 : -1;
}

bl_status_t shards_copy_failed(const shards_t *sh, bl_shard_failure_t **out,
                               size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!sh || sh->nfailed == 0)
        return BL_OK;
    bl_shard_failure_t *f = calloc(sh->nfailed, sizeof *f);
    if (!f)
        return bl_fail(BL_ENOMEM, "out of memory");
    for (size_t i = 0; i < sh->nfailed; i++) {
        f[i].shard = strdup(sh->failed[i].shard);
        f[i].error = strdup(sh->failed[i].error);
        if (!f[i].shard || !f[i].error) {
            bl_shard_failures_free(f, sh->nfailed);
            return bl_fail(BL_ENOMEM, "out of memory");
        }
    }
    *out = f;
    *n = sh->nfailed;
    return BL_OK;
}
