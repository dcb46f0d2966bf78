/*
 * A searcher's life: opening an index (local parts, or remote shards
 * one by one), following its commits, and what it tells of itself.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "search/searcher_internal.h"

#include "byline/schema.h"
#include "schema/schema.h"
#include "schema/xc_map.h"
#include "util/clock.h"
#include "util/fail.h"
#include "util/fs.h"
#include "util/stub.h"

/* Longest a searcher trusts an unchanged commit mark before reopening
 * its parts anyway (for writers that do not keep the mark). */
#define MARK_TRUST_NS 1000000000LL
#define REMOTE_TRUST_NS 1000000000LL

/* Tell S's document cache which parts S->db has now, and forget the term
 * frequencies of the view before.  Cannot fail: a
 * view whose parts it cannot tell apart is cached on its own.  (Xapian
 * gives a union's UUID as its databases' joined by ':'.  A remote
 * shard's is the UUID of what its server serves, several joined when
 * that is several parts: then the list has more UUIDs than the union has
 * databases, the database a document is in cannot be told from it, and
 * the view is cached on its own, emptied whenever it changes.) */
static void cache_parts(bl_searcher_t *s)
{
    char *uuids = NULL;
    bl_tfcache_clear(s->tfcache);
    if (!s->cache)
        return;
    if (xc_db_uuid(s->db, &uuids) != XC_OK)
        uuids = NULL;
    if (uuids) {
        size_t listed = 1;
        for (const char *p = uuids; *p; p++)
            listed += *p == ':';
        if (listed != xc_db_size(s->db)) {
            free(uuids);
            uuids = NULL;
        }
    }
    bl_doccache_parts(s->cache, uuids ? uuids : "");
    free(uuids);
}

/* Non-zero if the stub file of the index at PATH (PATH/XAPIANDB, or PATH
 * itself) lists a remote database.  Cannot fail: an unreadable stub says
 * no. */
static int is_remote(const char *type, const char *target, unsigned line,
                     void *ctx)
{
    (void)target;
    (void)line;
    (void)ctx;
    return strcmp(type, "remote") == 0;
}

static int stub_has_remote(const char *path)
{
    return bl_stub_each(path, is_remote, NULL) == BL_END;
}

static int count_entry(const char *type, const char *target, unsigned line,
                       void *ctx)
{
    (void)type;
    (void)target;
    (void)line;
    ++*(unsigned *)ctx;
    return 0;
}

/* The stub file of the index at S->path into *ST (PATH/XAPIANDB, or the
 * path itself when it is a stub); 0, or -1 if there is none. */
static int stat_stub(const bl_searcher_t *s, struct stat *st)
{
    char name[BL_PATH_BUF];
    snprintf(name, sizeof name, "%s/" BL_STUB_NAME, s->path);
    if (stat(name, st) == 0)
        return 0;
    return stat(s->path, st) == 0 && S_ISREG(st->st_mode) ? 0 : -1;
}

/* Note the commit mark of S's index as it is now, before a (re)open (a
 * commit that lands after it is then seen at the next search), and the
 * time; an index with remote shards or without a stub has none.  Cannot
 * fail. */
static void note_mark(bl_searcher_t *s, int has_stub)
{
    char name[BL_PATH_BUF];
    snprintf(name, sizeof name, "%s/" BL_COMMIT_MARK, s->path);
    s->has_mark = !s->remote && has_stub && stat(name, &s->mark) == 0;
    s->opened = bl_now_ns();
}

/* Non-zero if S has seen every commit: the commit mark it noted is still
 * there, unchanged, and was noted less than MARK_TRUST_NS ago. */
static int mark_unchanged(const bl_searcher_t *s)
{
    char name[BL_PATH_BUF];
    struct stat st;
    if (!s->has_mark)
        return 0;
    long long age = bl_now_ns() - s->opened;
    snprintf(name, sizeof name, "%s/" BL_COMMIT_MARK, s->path);
    return age < MARK_TRUST_NS && stat(name, &st) == 0 &&
           st.st_ino == s->mark.st_ino && st.st_size == s->mark.st_size &&
           st.st_mtim.tv_sec == s->mark.st_mtim.tv_sec &&
           st.st_mtim.tv_nsec == s->mark.st_mtim.tv_nsec;
}

/* Take S->shards's union as S->db (after it changed).  Returns BL_OK or
 * BL_ENETWORK. */
static bl_status_t use_shards(bl_searcher_t *s)
{
    xc_doccount_t n = 0;
    bl_status_t rc = bl_from_xc(xc_db_doccount(shards_db(s->shards), &n),
                                s->path);
    s->db = shards_db(s->shards);
    s->ndocs = n;
    cache_parts(s);
    return rc;
}

/* (Re)open S->db from a stub of remote shards, shard by shard.  Returns
 * BL_OK, BL_EARG (a stub only Xapian opens, as a whole: S unchanged), or
 * as shards_open(). */
static bl_status_t open_shards(bl_searcher_t *s)
{
    shards_t *sh = NULL;
    struct stat st;
    int has = stat_stub(s, &st) == 0;
    bl_status_t rc = shards_open(s->path, s->shard_timeout_ms, &sh);
    if (rc != BL_OK)
        return rc;
    if (s->shards)
        shards_free(s->shards);
    else
        xc_db_free(s->db);
    s->shards = sh;
    s->has_stub = has;
    if (has)
        s->stub = st;
    note_mark(s, has);
    return use_shards(s);
}

/* A search over S met a network error: leave out the shards that no
 * longer answer.  Returns 1 if S->db changed (search again), else 0. */
int searcher_lost_shard(bl_searcher_t *s)
{
    return s->shards && shards_check(s->shards) == 1 &&
           use_shards(s) == BL_OK;
}

/* (Re)open S->db from S->path, noting the stub it was read from.  A run
 * of byline-index may merge parts (and remove the old ones) between our
 * reading the stub and opening them: it is read again. */
static bl_status_t open_db(bl_searcher_t *s)
{
    xc_db_t *db = NULL;
    struct stat st;
    bl_status_t rc = BL_OK;
    if (s->remote) {
        rc = open_shards(s);
        if (rc != BL_EARG)
            return rc;
        /* (An entry only the stub as a whole opens: as before.) */
        if (s->shards) {
            shards_free(s->shards);
            s->shards = NULL;
            s->db = NULL;
        }
    }
    for (int tries = 0;; tries++) {
        int has = stat_stub(s, &st) == 0;
        note_mark(s, has);
        xc_status_t xr = xc_db_open(s->path, &db);
        if (xr == XC_OK) {
            s->has_stub = has;
            if (has)
                s->stub = st;
        }
        if (xr == XC_OK || tries == 4 || xr == XC_NETWORK ||
            xr == XC_INVALID_ARGUMENT || xr == XC_NO_MEMORY) {
            rc = bl_from_xc(xr, s->path);
            break;
        }
        struct timespec pause = {0, 20000000};
        nanosleep(&pause, NULL);
    }
    xc_doccount_t n = 0;
    if (rc == BL_OK)
        rc = bl_from_xc(xc_db_doccount(db, &n), s->path);
    if (rc != BL_OK) {
        s->has_mark = 0; /* DB is the one before: trust no mark. */
        xc_db_free(db);
        return rc;
    }
    xc_db_free(s->db);
    s->db = db;
    s->ndocs = n;
    cache_parts(s);
    return BL_OK;
}

bl_status_t bl_searcher_refresh(bl_searcher_t *s, int force, int *changed)
{
    struct stat st;
    int moved = force;
    if (changed)
        *changed = 0;
    if (!moved && s->has_stub) {
        moved = stat_stub(s, &st) != 0 || st.st_ino != s->stub.st_ino ||
                st.st_mtim.tv_sec != s->stub.st_mtim.tv_sec ||
                st.st_mtim.tv_nsec != s->stub.st_mtim.tv_nsec ||
                st.st_size != s->stub.st_size;
    }
    if (moved) {
        /* New parts (the indexer published or merged): open them. */
        bl_status_t rc = open_db(s);
        if (rc == BL_OK && changed)
            *changed = 1;
        return rc;
    }
    /* The same parts: catch up with their newest commit, unless the
     * indexer's commit mark says there is none. */
    if (!force && mark_unchanged(s))
        return BL_OK;
    /* Remote shards keep no commit mark: their commits are looked for at
     * most every REMOTE_TRUST_NS (a look is a round trip to each). */
    if (!force && s->remote && bl_now_ns() - s->opened < REMOTE_TRUST_NS)
        return BL_OK;
    note_mark(s, s->has_stub);
    int c = 0;
    /* A shard that was down may be back; one that was up may be gone. */
    if (s->shards && shards_refresh(s->shards) == 1 && use_shards(s) == BL_OK)
        c = 1;
    int c2 = 0;
    bl_status_t rc = bl_from_xc(xc_db_reopen(s->db, &c2), s->path);
    if (rc == BL_ENETWORK && searcher_lost_shard(s)) {
        c = 1;
        rc = bl_from_xc(xc_db_reopen(s->db, &c2), s->path);
    }
    c |= c2;
    if (rc != BL_OK)
        s->has_mark = 0;
    if (rc != BL_OK || c)
        cache_parts(s); /* (Its parts keep their UUIDs: kept.) */
    if (rc == BL_OK && c)
        rc = bl_from_xc(xc_db_doccount(s->db, &s->ndocs), s->path);
    if (changed)
        *changed = c;
    return rc;
}

bl_status_t bl_searcher_open(const char *path, bl_searcher_t **out)
{
    return bl_searcher_open_with(path, 0, out);
}

/* Read the schema of S's index and make S's analyzer as it says.
 * Returns BL_OK, BL_ECORRUPT (not a Byline index, or another schema),
 * BL_EIO, BL_ENETWORK or BL_ENOMEM. */
static bl_status_t open_analyzer(bl_searcher_t *s)
{
    char *lang = NULL;
    bl_analyzer_options_t ao;
    bl_status_t rc = bl_schema_read(s->db, s->path, &lang, &ao);
    if (rc == BL_OK && !lang)
        rc = bl_fail(BL_ECORRUPT, "%s: not a Byline index", s->path);
    if (rc == BL_OK)
        rc = bl_analyzer_new_with(&ao, &s->analyzer);
    free(lang);
    return rc;
}

bl_status_t bl_searcher_open_with(const char *path, unsigned shard_timeout_ms,
                                  bl_searcher_t **out)
{
    bl_searcher_t *s = NULL;
    *out = NULL;
    if (!path || !*path || strlen(path) >= sizeof s->path)
        return bl_fail(BL_EARG, path && *path ? "the index path is too long" : "no index path given");
    s = calloc(1, sizeof *s);
    if (!s)
        return bl_fail(BL_ENOMEM, "out of memory");
    snprintf(s->path, sizeof s->path, "%s", path);
    s->shard_timeout_ms = shard_timeout_ms;
    s->remote = stub_has_remote(path);
    if (bl_doccache_new(BL_CACHE_DEFAULT, &s->cache) != 0)
        s->cache = NULL; /* Searches go on without. */
    if (bl_tfcache_new(&s->tfcache) != 0)
        s->tfcache = NULL; /* (Read each time, then.) */
    bl_status_t rc = open_db(s);
    if (rc == BL_OK)
        rc = open_analyzer(s);
    if (rc == BL_OK)
        *out = s;
    else
        bl_searcher_free(s);
    return rc;
}

bl_analyzer_t *bl_searcher_analyzer(bl_searcher_t *s)
{
    return s->analyzer;
}

void bl_searcher_free(bl_searcher_t *s)
{
    if (!s)
        return;
    bl_analyzer_free(s->analyzer);
    if (s->shards)
        shards_free(s->shards);
    else
        xc_db_free(s->db);
    bl_doccache_free(s->cache);
    bl_tfcache_free(s->tfcache);
    free(s);
}

void bl_searcher_shards(bl_searcher_t *s, unsigned *total,
                        const bl_shard_failure_t **failed, size_t *nfailed)
{
    *total = s->shards ? shards_total(s->shards) : 0;
    *failed = s->shards ? shards_failed(s->shards, nfailed) : NULL;
    if (!s->shards)
        *nfailed = 0;
}

void bl_shard_failures_free(bl_shard_failure_t *f, size_t n)
{
    for (size_t i = 0; f && i < n; i++) {
        free(f[i].shard);
        free(f[i].error);
    }
    free(f);
}

bl_status_t bl_searcher_set_cache(bl_searcher_t *s, size_t bytes)
{
    bl_doccache_free(s->cache);
    s->cache = NULL;
    if (bytes > 0 && bl_doccache_new(bytes, &s->cache) != 0)
        return bl_fail(BL_ENOMEM, "out of memory");
    cache_parts(s);
    return BL_OK;
}

void bl_searcher_set_limits(bl_searcher_t *s, const bl_limits_t *l)
{
    s->limits = *l;
}

unsigned bl_searcher_doccount(const bl_searcher_t *s)
{
    return s->ndocs;
}

void bl_searcher_info(bl_searcher_t *s, bl_index_info_t *out)
{
    memset(out, 0, sizeof *out);
    bl_searcher_refresh(s, 0, NULL);
    out->articles = s->ndocs;
    out->remote = s->remote;
    out->schema = BL_SCHEMA_VERSION;
    out->language = bl_analyzer_language(s->analyzer);
    out->fold_accents = bl_analyzer_folds_accents(s->analyzer);
    out->stopwords = bl_analyzer_drops_stopwords(s->analyzer);
    if (s->has_stub)
        out->last_commit = (long long)s->stub.st_mtim.tv_sec;
    bl_stub_each(s->path, count_entry, &out->shards);
    if (!out->shards)
        out->shards = 1;
}

/* How far S's wildcards may reach. */
qcaps_t searcher_caps(const bl_searcher_t *s)
{
    qcaps_t c = {WILDCARD_LIMIT, s->limits.wildcard_terms,
                 s->limits.wildcard_scan, 0};
    return c;
}

bl_status_t searcher_every_shard(bl_searcher_t *s)
{
    size_t n = 0;
    const bl_shard_failure_t *f = s->shards ? shards_failed(s->shards, &n)
                                            : NULL;
    if (n == 0)
        return BL_OK;
    return bl_fail(BL_ENETWORK,
                   "%s: shard %s does not answer (%s)%s; a run needs every "
                   "shard",
                   s->path, f[0].shard, f[0].error,
                   n > 1 ? ", nor do others" : "");
}
