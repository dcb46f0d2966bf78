/*
 * The searcher: query words into a BM25-ranked Xapian search, and hits
 * with their stored fields, highlighted title and best passages.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "byline/schema.h"
#include "byline/search.h"
#include "schema/schema.h"
#include "search/doccache.h"
#include "search/expand.h"
#include "search/query.h"
#include "search/rows.h"
#include "search/shards.h"
#include "search/tokens.h"
#include "util/hash.h"
#include "util/idset.h"
#include "util/utf8.h"
#include "schema/xc_map.h"
#include "xapian-c/xapian-c.h"
#include "util/fail.h"

/* Attempts of a search whose revision an indexer moved away. */
#define SEARCH_TRIES 12 /* Waits of 1, 2, 4 ... 64 ms between: 0.5 s. */

/* Terms a wildcard may stand for (the most frequent). */
#define WILDCARD_LIMIT 200

struct bl_searcher {
    xc_db_t *db;       /* SHARDS's union when there are remote shards. */
    shards_t *shards;  /* Remote shards, opened one by one; or NULL. */
    unsigned shard_timeout_ms;
    bl_analyzer_t *analyzer;
    xc_doccount_t ndocs;
    int remote;        /* Some shards are served by xapian-tcpsrv. */
    char path[4096];
    struct stat stub;  /* The stub file as it was when DB was opened. */
    int has_stub;
    struct stat mark;  /* The commit mark as it was before the last */
    int has_mark;      /* (re)open, if there was one. */
    struct timespec opened; /* When DB was last (re)opened (monotonic). */
    bl_doccache_t *cache;   /* NULL: none (remote shards, no memory). */
    bl_limits_t limits;     /* What one search may cost (0: no limit). */
};

/* Now, on the monotonic clock, in nanoseconds. */
static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* How far S's wildcards may reach. */
static qcaps_t caps_of(const bl_searcher_t *s)
{
    qcaps_t c = {WILDCARD_LIMIT, s->limits.wildcard_terms,
                 s->limits.wildcard_scan, 0};
    return c;
}

/* Tell S's document cache which parts S->db has now.  Cannot fail: a
 * view whose parts it cannot tell apart is cached on its own. */
static void cache_parts(bl_searcher_t *s)
{
    char *uuids = NULL;
    if (!s->cache)
        return;
    if (xc_db_uuid(s->db, &uuids) != XC_OK)
        uuids = NULL;
    bl_doccache_parts(s->cache, uuids ? uuids : "");
    free(uuids);
}

/* Longest a searcher trusts an unchanged commit mark before reopening
 * its parts anyway (for writers that do not keep the mark). */
#define MARK_TRUST_NS 1000000000LL

/* Non-zero if the stub file of the index at PATH (PATH/XAPIANDB, or PATH
 * itself) lists a remote database.  Cannot fail: an unreadable stub says
 * no. */
static int stub_has_remote(const char *path)
{
    char name[4200], line[512];
    int remote = 0;
    snprintf(name, sizeof name, "%s/" BL_STUB_NAME, path);
    FILE *f = fopen(name, "r");
    if (!f)
        f = fopen(path, "r");
    if (!f)
        return 0;
    while (!remote && fgets(line, sizeof line, f))
        remote = strncmp(line, "remote", 6) == 0;
    fclose(f);
    return remote;
}

void bl_search_options_init(bl_search_options_t *o)
{
    memset(o, 0, sizeof *o);
    o->limit = 10;
    o->k1 = 1.5; /* Measured on news and the classic collections: */
    o->b = 0.4;  /* see the README, Ranking quality. */
    o->k3 = 1000;
    o->passages = 1;
    o->passage_words = 30;
    o->facet_values = 10;
    o->fb_docs = 5; /* Measured: see the README (Anserini: 10, 10, 0.5). */
    o->fb_terms = 20;
    o->fb_query_weight = 0.6;
    o->spelling = 1;
}

/* The stub file of the index at S->path into *ST (PATH/XAPIANDB, or the
 * path itself when it is a stub); 0, or -1 if there is none. */
static int stat_stub(const bl_searcher_t *s, struct stat *st)
{
    char name[4200];
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
    char name[4200];
    snprintf(name, sizeof name, "%s/" BL_COMMIT_MARK, s->path);
    s->has_mark = !s->remote && has_stub && stat(name, &s->mark) == 0;
    clock_gettime(CLOCK_MONOTONIC, &s->opened);
}

/* Non-zero if S has seen every commit: the commit mark it noted is still
 * there, unchanged, and was noted less than MARK_TRUST_NS ago. */
static int mark_unchanged(const bl_searcher_t *s)
{
    char name[4200];
    struct stat st;
    struct timespec now;
    if (!s->has_mark)
        return 0;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long age = (now.tv_sec - s->opened.tv_sec) * 1000000000LL +
                    (now.tv_nsec - s->opened.tv_nsec);
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
static int lost_shard(bl_searcher_t *s)
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
    note_mark(s, s->has_stub);
    int c = 0;
    /* A shard that was down may be back; one that was up may be gone. */
    if (s->shards && shards_refresh(s->shards) == 1 && use_shards(s) == BL_OK)
        c = 1;
    int c2 = 0;
    bl_status_t rc = bl_from_xc(xc_db_reopen(s->db, &c2), s->path);
    if (rc == BL_ENETWORK && lost_shard(s)) {
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

bl_status_t bl_searcher_open_with(const char *path, unsigned shard_timeout_ms,
                                  bl_searcher_t **out)
{
    bl_searcher_t *s = NULL;
    char *lang = NULL;
    bl_analyzer_options_t ao;
    bl_status_t rc;
    *out = NULL;
    if (!path || !*path || strlen(path) >= sizeof s->path)
        return bl_fail(BL_EARG, "no index path given");
    s = calloc(1, sizeof *s);
    if (!s)
        return bl_fail(BL_ENOMEM, "out of memory");
    snprintf(s->path, sizeof s->path, "%s", path);
    s->shard_timeout_ms = shard_timeout_ms;
    s->remote = stub_has_remote(path);
    if (!s->remote && bl_doccache_new(BL_CACHE_DEFAULT, &s->cache) != 0)
        s->cache = NULL; /* Searches go on without. */
    rc = open_db(s);
    if (rc != BL_OK)
        goto fail;
    rc = bl_schema_read(s->db, path, &lang, &ao);
    if (rc == BL_OK && !lang)
        rc = bl_fail(BL_ECORRUPT, "%s: not a Byline index", path);
    if (rc == BL_OK)
        rc = bl_analyzer_new_with(&ao, &s->analyzer);
    if (rc != BL_OK)
        goto fail;
    free(lang);
    *out = s;
    return BL_OK;
fail:
    free(lang);
    if (s->shards)
        shards_free(s->shards);
    else
        xc_db_free(s->db);
    bl_doccache_free(s->cache);
    free(s);
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
    if (bytes > 0 && !s->remote && bl_doccache_new(bytes, &s->cache) != 0)
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

/* The passages of HIT (its body read) for the NQ terms QT.  A story shown
 * again (CACHED) has its tokens recorded in the cache the second time and
 * chosen from them after: the same passages, the text not analysed again.
 * Returns BL_OK or BL_ENOMEM. */
static bl_status_t passages(bl_searcher_t *s, bl_hit_t *hit, int cached,
                            const bl_qterm_t *qt, size_t nq,
                            const bl_search_options_t *o)
{
    const char *body = hit->article.body;
    size_t len = strlen(body);
    /* Recorded tokens keep stems, not words: a quoted word is looked
     * for in the text. */
    for (size_t i = 0; i < nq; i++)
        cached = cached && !qt[i].exact;
    const bl_tokens_t *tk =
        cached ? bl_doccache_tokens(s->cache, hit->docid) : NULL;
    bl_tokens_t *rec = NULL;
    /* (Recorded only where they will likely fit: about 20 bytes a token.) */
    if (cached && !tk && bl_doccache_room(s->cache, 4 * len + 512) &&
        bl_tokens_record(s->analyzer, body, len, &rec) == BL_OK) {
        if (bl_doccache_put_tokens(s->cache, hit->docid, rec))
            tk = rec;
    }
    bl_status_t rc;
    if (tk || rec)
        rc = bl_passages_recorded(tk ? tk : rec, body, len, qt, nq,
                                  o->passages, o->passage_words,
                                  hit->passages, &hit->npassages);
    else
        rc = bl_passages(s->analyzer, body, len, qt, nq, o->passages,
                         o->passage_words, hit->passages, &hit->npassages);
    if (rec && tk != rec)
        bl_tokens_free(rec); /* (Not kept.) */
    return rc;
}

/* Fill HIT, ranked RANK, from result I of MS, whose ROW (may be NULL)
 * may have its summary: then, without passages, the document data is
 * not even read. */
static bl_status_t make_hit(bl_searcher_t *s, xc_mset_t *ms, unsigned i,
                            unsigned rank, const bl_row_t *row,
                            const bl_qterm_t *qt, size_t nq,
                            const bl_search_options_t *o, bl_hit_t *hit)
{
    xc_doc_t *doc = NULL;
    const char *data = NULL;
    size_t dlen = 0;
    bl_status_t rc = BL_OK;
    hit->rank = rank;
    hit->score = xc_mset_weight(ms, i);
    hit->docid = xc_mset_docid(ms, i);
    int cached = 0;
    if (row && row->summary && o->passages == 0) {
        data = row->summary;
        dlen = row->len;
    } else if ((data = bl_doccache_get(s->cache, hit->docid, &dlen))) {
        cached = 1;
    } else {
        rc = bl_from_xc(xc_mset_document(ms, i, &doc), s->path);
        if (rc == BL_OK)
            rc = bl_from_xc(xc_doc_get_data(doc, &data, &dlen), s->path);
        if (rc == BL_OK)
            bl_doccache_put(s->cache, hit->docid, data, dlen);
    }
    if (rc == BL_OK)
        rc = bl_docdata_decode_fields(data, dlen, o->passages > 0,
                                      &hit->article);
    xc_doc_free(doc);
    bl_article_t *a = &hit->article;
    if (rc == BL_OK && a->title)
        rc = bl_highlight(s->analyzer, a->title, strlen(a->title), qt, nq,
                          &hit->title_hl, &hit->ntitle_hl);
    if (rc == BL_OK && a->body && o->passages > 0)
        rc = passages(s, hit, cached, qt, nq, o);
    /* The body lives on only in the passages. */
    free(a->body);
    a->body = NULL;
    return rc;
}

static const char *const FACET_NAMES[BL_NFACETS] = {
    "year", "author", "source", "category", "day"};
static const unsigned FACET_SLOTS[BL_NFACETS] = {
    BL_SLOT_YEAR, BL_SLOT_AUTHOR, BL_SLOT_SOURCE, BL_SLOT_CATEGORY,
    BL_SLOT_DATE};

bl_status_t bl_facets_parse(const char *list, unsigned *facets)
{
    *facets = 0;
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ","), k = 0;
        while (k < BL_NFACETS && !(strlen(FACET_NAMES[k]) == len &&
                                   strncmp(p, FACET_NAMES[k], len) == 0))
            k++;
        if (k == BL_NFACETS)
            return bl_fail(BL_EARG, "expected year, author, source, "
                                    "category or day, not '%.*s'",
                           (int)len, p);
        *facets |= 1u << k;
        p += len + (p[len] == ',');
    }
    if (!*facets)
        return bl_fail(BL_EARG, "name at least one of year, author, "
                                "source, category");
    return BL_OK;
}


static int by_count(const void *a, const void *b)
{
    const bl_facet_value_t *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->value, y->value);
}

/* Read facet F (counted by the spies SPY: one per slot; categories have
 * several, whose counts add up) from MS into OUT, the MAX most frequent
 * values. */
static bl_status_t read_facet(xc_mset_t *ms, unsigned f, const unsigned *spy,
                              unsigned max, bl_facet_t *out)
{
    unsigned nslots = f == 3 ? BL_CATEGORY_SLOTS : 1;
    bl_facet_value_t *v = NULL;
    size_t n = 0, cap = 0;
    bl_status_t rc = BL_OK;
    out->field = FACET_NAMES[f];
    for (unsigned k = 0; rc == BL_OK && k < nslots; k++) {
        xc_termit_t *it = NULL;
        xc_doccount_t total = 0;
        rc = bl_from_xc(xc_mset_facet(ms, spy[k], 0, &total, &it), "facet");
        if (k == 0)
            out->total = total;
        xc_status_t xr = XC_OK;
        while (rc == BL_OK && (xr = xc_termit_next(it)) == XC_OK) {
            size_t len = 0;
            const char *val = xc_termit_term(it, &len);
            unsigned c = xc_termit_termfreq(it);
            char day[16];
            if (FACET_SLOTS[f] == BL_SLOT_DATE) { /* YYYYMMDD, sortable. */
                unsigned long d =
                    (unsigned long)xc_sortable_unserialise(val, len);
                snprintf(day, sizeof day, "%04lu-%02lu-%02lu",
                         d / 10000 % 10000, d / 100 % 100, d % 100);
                val = day;
                len = strlen(day);
            }
            size_t i = 0;
            while (i < n && !(strlen(v[i].value) == len &&
                              memcmp(v[i].value, val, len) == 0))
                i++;
            if (i < n) {
                v[i].count += c;
                continue;
            }
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                bl_facet_value_t *nv = realloc(v, cap * sizeof *nv);
                if (!nv) {
                    rc = bl_fail(BL_ENOMEM, "out of memory");
                    break;
                }
                v = nv;
            }
            v[n].value = strndup(val, len);
            v[n].count = c;
            if (!v[n].value)
                rc = bl_fail(BL_ENOMEM, "out of memory");
            else
                n++;
        }
        if (rc == BL_OK && xr != XC_END)
            rc = bl_from_xc(xr, "facet");
        xc_termit_free(it);
    }
    if (n > 1)
        qsort(v, n, sizeof *v, by_count);
    while (n > max) {
        free(v[n - 1].value);
        n--;
    }
    out->values = v;
    out->n = n;
    return rc;
}

/* The edit distance between A and B (bytes; a swap of two neighbours is
 * one edit, as in "cocao"), or MAX + 1 if it is more than MAX.  Cannot
 * fail. */
static unsigned edit_distance(const char *a, size_t la, const char *b,
                              size_t lb, unsigned max)
{
    unsigned rows[3][BL_MAX_TOKEN + 2];
    if (la > BL_MAX_TOKEN || lb > BL_MAX_TOKEN ||
        (la > lb ? la - lb : lb - la) > max)
        return max + 1;
    unsigned *two = rows[0], *prev = rows[1], *row = rows[2];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        unsigned best = row[0] = (unsigned)i;
        for (size_t j = 1; j <= lb; j++) {
            unsigned sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            unsigned del = prev[j] + 1, ins = row[j - 1] + 1;
            unsigned d = sub < del ? (sub < ins ? sub : ins)
                                   : (del < ins ? del : ins);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && two[j - 2] + 1 < d)
                d = two[j - 2] + 1;
            row[j] = d;
            if (d < best)
                best = d;
        }
        if (best > max)
            return max + 1;
        unsigned *t = two;
        two = prev;
        prev = row;
        row = t;
    }
    return prev[lb];
}

/* The indexed stem closest to STEM (most frequent among the closest,
 * same first byte), in a
 * malloc'ed *OUT (NULL if none).  Edits allowed: 1, or 2 from 8 bytes
 * on: looser guesses mostly land on other words. */
static bl_status_t closest_stem(bl_searcher_t *s, const char *stem,
                                char **out)
{
    char prefix[3] = {'Z', stem[0], '\0'};
    size_t ls = strlen(stem);
    unsigned max = ls < 8 ? 1 : 2, best_d = max + 1;
    xc_doccount_t best_f = 0;
    xc_termit_t *it = NULL;
    *out = NULL;
    if (ls < 3)
        return BL_OK; /* Too short to guess at. */
    bl_status_t rc = bl_from_xc(xc_db_allterms(s->db, prefix, &it), s->path);
    xc_status_t xr = XC_OK;
    while (rc == BL_OK && (xr = xc_termit_next(it)) == XC_OK) {
        size_t len = 0;
        const char *t = xc_termit_term(it, &len);
        unsigned d = edit_distance(stem, ls, t + 1, len - 1, max);
        xc_doccount_t f = xc_termit_termfreq(it);
        if (d == 0 || d > max || d > best_d || (d == best_d && f <= best_f))
            continue;
        char *c = strndup(t + 1, len - 1);
        if (!c) {
            rc = bl_fail(BL_ENOMEM, "out of memory");
            break;
        }
        free(*out);
        *out = c;
        best_d = d;
        best_f = f;
    }
    if (rc == BL_OK && xr != XC_END)
        rc = bl_from_xc(xr, s->path);
    xc_termit_free(it);
    return rc;
}

/* Fold the LEN bytes at WORD as the analyzer does into a malloc'ed string
 * (NULL when it is not one word). */
typedef struct fold {
    char *word;
    int n;
} fold_t;

static int fold_one(const bl_token_t *t, void *p)
{
    fold_t *f = p;
    if (f->n++ == 0)
        f->word = strndup(t->word, t->word_len);
    return 0;
}

/* "Did you mean": QUERY with its unknown words replaced by the closest
 * indexed ones, if that query finds something; NULL otherwise. */
/* Query words in the order of their offsets in the text. */
static int by_offset(const void *a, const void *b)
{
    const qword_t *x = a, *y = b;
    return x->at < y->at ? -1 : x->at > y->at;
}

static char *suggest(bl_searcher_t *s, const char *query, bl_query_t *q,
                     const bl_search_options_t *o, xc_mset_t *ms)
{
    qword_t *w = NULL;
    size_t n = 0;
    char *fixed = NULL;
    int changed = 0;
    if (bl_query_words(q, &w, &n) != BL_OK)
        return NULL;
    fixed = strdup(query);
    /* From the last word back in the text (the parse tree's order is not
     * the text's: phrases and NEAR reorder), so earlier offsets stay
     * right; a word overlapping one already replaced is left. */
    if (n > 1)
        qsort(w, n, sizeof *w, by_offset);
    size_t limit = strlen(query);
    for (size_t i = n; fixed && i-- > 0;) {
        xc_doccount_t tf = 0;
        char *best = NULL;
        if (w[i].at + w[i].len > limit)
            continue;
        /* The search knows its terms' frequencies already. */
        if (xc_mset_termfreq(ms, w[i].term, &tf) != XC_OK || tf > 0 ||
            w[i].term[0] != 'Z' || closest_stem(s, w[i].term + 1, &best) !=
                                       BL_OK ||
            !best)
            continue;
        const char *stem = w[i].term + 1;
        fold_t f = {NULL, 0};
        bl_analyze(s->analyzer, query + w[i].at, w[i].len, 1, fold_one, &f,
                   NULL);
        /* The typed word's ending goes on the new stem: "imigration" ->
         * stem "imigr" -> "immigr" + "ation". */
        const char *tail = f.word && f.n == 1 &&
                                   strncmp(f.word, stem, strlen(stem)) == 0
                               ? f.word + strlen(stem)
                               : "";
        size_t nl = strlen(fixed) - w[i].len + strlen(best) + strlen(tail);
        char *nf = malloc(nl + 1);
        if (nf) {
            snprintf(nf, nl + 1, "%.*s%s%s%s", (int)w[i].at, fixed, best,
                     tail, fixed + w[i].at + w[i].len);
            changed = 1;
            limit = w[i].at;
        }
        free(fixed);
        fixed = nf;
        free(f.word);
        free(best);
    }
    free(w);
    if (!fixed || !changed) {
        free(fixed);
        return NULL;
    }
    /* Only a suggestion that finds something is worth showing. */
    bl_search_options_t o2 = *o;
    bl_results_t *r = NULL;
    o2.limit = 1;
    o2.offset = 0;
    o2.passages = 0;
    o2.facets = 0;
    o2.spelling = 0;
    if (bl_search(s, fixed, &o2, &r) != BL_OK || r->nhits == 0) {
        free(fixed);
        fixed = NULL;
    }
    bl_results_free(r);
    return fixed;
}

/* The match counts of RES after collapsing: the N results read (COUNT
 * asked for, from the top) left NKEEP.  When N < COUNT every match was
 * read and the count is exact; otherwise the collapsed hits seen are a
 * lower bound, the duplicates seen come off the upper bound, and the
 * estimate shrinks by the share of duplicates seen.  Cannot fail. */
static void collapsed_counts(bl_results_t *res, size_t n, size_t count,
                             size_t nkeep)
{
    if (n < count) {
        res->matches_lower = res->matches_upper = res->matches_estimated =
            (unsigned)nkeep;
        return;
    }
    unsigned dropped = (unsigned)(n - nkeep);
    res->matches_lower = (unsigned)nkeep;
    res->matches_upper = res->matches_upper > dropped
                             ? res->matches_upper - dropped
                             : (unsigned)nkeep;
    if (res->matches_upper < res->matches_lower)
        res->matches_upper = res->matches_lower;
    double est = (double)res->matches_estimated * (double)nkeep / (double)n;
    res->matches_estimated = (unsigned)(est + 0.5);
    if (res->matches_estimated < res->matches_lower)
        res->matches_estimated = res->matches_lower;
    if (res->matches_estimated > res->matches_upper)
        res->matches_estimated = res->matches_upper;
}

/* Results of equal weight read past the page to order a tie (at first,
 * then four times more while the tie goes on, up to about the page's size
 * again: the ties of a query that weighs nothing stay in index order). */
#define TIE_EXTRA 8
#define TIE_MAX(count) ((count) > 64 ? (count) : 64)

/* The id of result I of MS into a malloc'ed *ID, from its ROW's summary
 * when it has one (ROW may be NULL), else from its document. */
static bl_status_t result_id(bl_searcher_t *s, xc_mset_t *ms, size_t i,
                             const bl_row_t *row, char **id)
{
    xc_doc_t *doc = NULL;
    const char *data = NULL;
    size_t len = 0;
    bl_article_t a;
    bl_status_t rc = BL_OK;
    memset(&a, 0, sizeof a);
    if (row && row->summary) {
        data = row->summary;
        len = row->len;
    } else if (!(data = bl_doccache_get(s->cache, xc_mset_docid(ms, i),
                                        &len))) {
        /* Kept: a tied result is often shown next. */
        rc = bl_from_xc(xc_mset_document(ms, i, &doc), s->path);
        if (rc == BL_OK)
            rc = bl_from_xc(xc_doc_get_data(doc, &data, &len), s->path);
        if (rc == BL_OK)
            bl_doccache_put(s->cache, xc_mset_docid(ms, i), data, len);
    }
    if (rc == BL_OK)
        rc = bl_docdata_decode_fields(data, len, 0, &a);
    *id = a.id ? a.id : strdup("");
    a.id = NULL;
    bl_article_clear(&a);
    xc_doc_free(doc);
    if (rc == BL_OK && !*id)
        rc = bl_fail(BL_ENOMEM, "out of memory");
    return rc;
}

typedef struct tied {
    unsigned i;
    char *id;
} tied_t;

/* trec_eval's order of equal scores: ids descending. */
static int by_id_desc(const void *a, const void *b)
{
    return strcmp(((const tied_t *)b)->id, ((const tied_t *)a)->id);
}

/* The rank order of the N results of MS into a malloc'ed *ORDER (ORDER[k]:
 * the result at rank k): by weight, equal weights by id descending, as
 * trec_eval orders them, so that a run does not depend on the document
 * ids the index's writers happened to give.  ROWS (may be NULL), one per
 * result, are put in that order too. */
static bl_status_t tie_order(bl_searcher_t *s, xc_mset_t *ms, bl_row_t *rows,
                             size_t n, unsigned **order)
{
    tied_t *t = NULL;
    bl_status_t rc = BL_OK;
    *order = malloc((n ? n : 1) * sizeof **order);
    if (!*order)
        return bl_fail(BL_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        (*order)[i] = (unsigned)i;
    for (size_t i = 0; rc == BL_OK && i < n;) {
        size_t j = i + 1;
        while (j < n && xc_mset_weight(ms, j) == xc_mset_weight(ms, i))
            j++;
        if (j - i > 1) {
            t = calloc(j - i, sizeof *t);
            if (!t)
                rc = bl_fail(BL_ENOMEM, "out of memory");
            for (size_t k = i; rc == BL_OK && k < j; k++) {
                t[k - i].i = (unsigned)k;
                rc = result_id(s, ms, k, rows ? &rows[k] : NULL,
                               &t[k - i].id);
            }
            if (rc == BL_OK)
                qsort(t, j - i, sizeof *t, by_id_desc);
            for (size_t k = i; rc == BL_OK && k < j; k++)
                (*order)[k] = t[k - i].i;
            for (size_t k = 0; t && k < j - i; k++)
                free(t[k].id);
            free(t);
            t = NULL;
        }
        i = j;
    }
    if (rc == BL_OK && rows) {
        bl_row_t *sorted = malloc((n ? n : 1) * sizeof *sorted);
        if (!sorted)
            rc = bl_fail(BL_ENOMEM, "out of memory");
        for (size_t k = 0; rc == BL_OK && k < n; k++)
            sorted[k] = rows[(*order)[k]];
        if (rc == BL_OK)
            memcpy(rows, sorted, n * sizeof *rows);
        free(sorted);
    }
    if (rc != BL_OK) {
        free(*order);
        *order = NULL;
    }
    return rc;
}

/* Leave out of RES the hits whose article id an earlier hit has.  An
 * article is in the index twice only for the instant an indexer takes
 * between publishing its new version and committing the deletion of the
 * old (or after a failed run, until the next): the list shows it once, at
 * its better rank.  Returns BL_OK or BL_ENOMEM. */
static bl_status_t drop_repeated_ids(bl_results_t *res)
{
    bl_idset_t seen = {0};
    size_t o = 0;
    for (size_t i = 0; i < res->nhits; i++) {
        bl_hit_t *h = &res->hits[i];
        const char *id = h->article.id ? h->article.id : "";
        int again = bl_idset_add(&seen, bl_fnv1a(id, strlen(id)));
        if (again < 0) {
            bl_idset_clear(&seen);
            return bl_fail(BL_ENOMEM, "out of memory");
        }
        if (again) {
            bl_article_clear(&h->article);
            free(h->title_hl);
            for (size_t k = 0; k < h->npassages; k++)
                bl_passage_clear(&h->passages[k]);
            continue;
        }
        if (o != i) {
            res->hits[o] = *h;
            res->hits[o].rank = res->hits[o > 0 ? o - 1 : 0].rank + (o > 0);
        }
        o++;
    }
    res->nhits = o;
    bl_idset_clear(&seen);
    return BL_OK;
}

/* The document of the article with id ID into *DOCID.  Returns BL_OK,
 * BL_ENOTFOUND, BL_EIO, BL_EMODIFIED or BL_ENETWORK. */
static bl_status_t find_article(bl_searcher_t *s, const char *id,
                                xc_docid_t *docid)
{
    char term[BL_MAX_TERM + 1];
    xc_postit_t *it = NULL;
    bl_id_term(id, term);
    bl_status_t rc = bl_from_xc(xc_db_postlist(s->db, term, &it), s->path);
    xc_status_t xr = rc == BL_OK ? xc_postit_next(it) : XC_OK;
    if (rc == BL_OK && xr == XC_END)
        rc = bl_fail(BL_ENOTFOUND, "no article with id %s", id);
    else if (rc == BL_OK && xr != XC_OK)
        rc = bl_from_xc(xr, s->path);
    if (rc == BL_OK)
        *docid = xc_postit_docid(it);
    xc_postit_free(it);
    return rc;
}

/* The "more like this" query for the article with id O->like into *OUT:
 * its informative terms, without itself and its reprints (the articles
 * with its near-duplicate key). */
static bl_status_t like_query(bl_searcher_t *s, const bl_search_options_t *o,
                              xc_query_t **out)
{
    xc_docid_t docid = 0;
    xc_doc_t *doc = NULL;
    xc_query_t *like = NULL, *self = NULL, *dups = NULL, *not = NULL;
    char term[BL_MAX_TERM + 1];
    const char *key = NULL;
    size_t keylen = 0;
    bl_expand_options_t eo = {o->fb_docs, o->fb_terms, o->fb_query_weight,
                              25};
    *out = NULL;
    bl_status_t rc = find_article(s, o->like, &docid);
    if (rc == BL_OK)
        rc = bl_expand_like(s->db, docid, &eo, &like);
    if (rc == BL_OK)
        rc = bl_from_xc(xc_db_get_document(s->db, docid, &doc), s->path);
    if (rc == BL_OK)
        rc = bl_from_xc(xc_doc_get_value(doc, BL_SLOT_DUP, &key, &keylen),
                        s->path);
    bl_id_term(o->like, term);
    if (rc == BL_OK)
        rc = bl_from_xc(xc_query_term(term, 1, 0, &self), "query");
    if (rc == BL_OK && keylen > 0)
        rc = bl_from_xc(xc_query_value_range(BL_SLOT_DUP, key, keylen, key,
                                             keylen, &dups),
                        "query");
    if (rc == BL_OK) {
        const xc_query_t *either[2] = {self, dups};
        rc = bl_from_xc(xc_query_combine(XC_QUERY_OR, either, dups ? 2 : 1,
                                         0, &not),
                        "query");
    }
    if (rc == BL_OK) {
        const xc_query_t *subs[2] = {like, not};
        rc = bl_from_xc(xc_query_combine(XC_QUERY_AND_NOT, subs, 2, 0, out),
                        "query");
    }
    xc_query_free(like);
    xc_query_free(self);
    xc_query_free(dups);
    xc_query_free(not);
    xc_doc_free(doc);
    return rc;
}

/* Replace *XQ (the compiled Q, set on ENQ) by its RM3 expansion, when it
 * has one, and set that on ENQ. */
static bl_status_t expand_query(bl_searcher_t *s, xc_enquire_t *enq,
                                const bl_query_t *q, const bl_qterm_t *qt,
                                size_t nqt, const bl_search_options_t *o,
                                xc_query_t **xq)
{
    const char **stems = calloc(nqt ? nqt : 1, sizeof *stems);
    xc_query_t *e = NULL;
    bl_expand_options_t eo = {o->fb_docs, o->fb_terms, o->fb_query_weight,
                              25};
    if (!stems)
        return bl_fail(BL_ENOMEM, "out of memory");
    for (size_t i = 0; i < nqt; i++)
        stems[i] = qt[i].stem;
    bl_status_t rc =
        o->expand == BL_EXPAND_BO1
            ? bl_expand_bo1(s->db, enq, *xq, nqt, bl_query_is_plain(q), &eo,
                            &e)
            : bl_expand_rm3(s->db, enq, *xq, stems, nqt,
                            bl_query_is_plain(q), &eo, &e);
    free(stems);
    if (rc == BL_OK && e) {
        xc_query_free(*xq);
        *xq = e;
    }
    if (rc == BL_OK)
        rc = bl_from_xc(xc_enquire_set_query(enq, *xq), s->path);
    return rc;
}

/* Parse QUERY as O says into *Q and compile it into *XQ, with its
 * looked-for stems in *QT (*NQT); a query the language cannot read is
 * read as plain words when O allows, the reason in *FALLBACK, else
 * where it goes wrong is in *ERROR_AT. */
static bl_status_t prepare(bl_searcher_t *s, const char *query,
                           const bl_search_options_t *o, bl_query_t **q,
                           xc_query_t **xq, bl_qterm_t **qt, size_t *nqt,
                           char **fallback, size_t *error_at,
                           unsigned *exceeded)
{
    unsigned qf = (o->match_all ? BL_QUERY_ALL : 0) |
                  (o->keep_stopwords ? 0 : BL_QUERY_STOP) |
                  (bl_analyzer_exact_forms(s->analyzer) && !o->stem_quotes
                       ? BL_QUERY_EXACT
                       : 0);
    if (o->like)
        return like_query(s, o, xq);
    bl_status_t rc = o->plain ? bl_query_parse_plain(s->analyzer, query, qf, q)
                              : bl_query_parse(s->analyzer, query, qf, q,
                                               error_at);
    if (rc == BL_ESYNTAX && o->plain_fallback && !o->plain) {
        *fallback = strdup(bl_last_error());
        rc = *fallback ? bl_query_parse_plain(s->analyzer, query, qf, q)
                       : bl_fail(BL_ENOMEM, "out of memory");
    }
    qcaps_t caps = caps_of(s);
    if (rc == BL_OK)
        rc = bl_query_compile(*q, s->db, &caps, xq, qt, nqt);
    *exceeded = caps.exceeded;
    return rc;
}

/* One search under way: what search_once() prepares, reads and frees. */
typedef struct {
    bl_query_t *q;
    bl_qterm_t *qt; /* The looked-for stems, NQT of them. */
    size_t nqt;
    xc_query_t *xq;
    xc_enquire_t *enq;
    xc_mset_t *ms;
    char *fallback; /* Why the query was read as plain words, or NULL. */
    size_t error_at; /* Where a query that cannot be read goes wrong. */
    unsigned exceeded; /* BL_ELIMIT: the limit (BL_LIMIT_WILDCARD_*). */
    long long deadline; /* When the time runs out (now_ns()), 0: never:
                           matches past it end (BL_ELIMIT); counting past
                           the hits asked for stops at half the time. */
    unsigned limited;   /* BL_LIMIT_TIME: the counting or the passages
                           were cut short. */
    int whole;          /* No answer cut short: the deadline alone (a
                           cursor's, for exports). */
    int remote;         /* (No deadline over remote shards.) */
    unsigned spy[BL_NFACETS][BL_CATEGORY_SLOTS];
    int local;        /* No shard is remote. */
    int own_collapse; /* Near-duplicates are collapsed here. */
    int ties;         /* Ranked by relevance: ties are put in id order. */
    bl_row_t *rows;   /* The N results read (may be NULL). */
    size_t n;
    unsigned *order;  /* Ties put in order (may be NULL). */
    unsigned *keep, *dups; /* Collapsing: the NKEEP results kept, their */
    size_t nkeep;          /* duplicates. */
    size_t nuse;  /* Results within the COUNT asked for. */
    unsigned first; /* The rank (from 0) of MS's first result. */
    xc_doccount_t count;
} job_t;

static void job_free(job_t *j)
{
    free(j->fallback);
    free(j->keep);
    free(j->dups);
    free(j->order);
    bl_rows_free(j->rows, j->n);
    bl_qterms_free(j->qt, j->nqt);
    xc_mset_free(j->ms);
    xc_enquire_free(j->enq);
    xc_query_free(j->xq);
    bl_query_free(j->q);
}

static bl_status_t check_options(const char *query,
                                 const bl_search_options_t *o)
{
    if (!o || (!query && !o->like) || o->limit == 0 || !(o->k1 >= 0) ||
        !(o->k3 >= 0) || !(o->b >= 0 && o->b <= 1) ||
        (o->expand && (o->fb_docs == 0 || o->fb_terms == 0 ||
                       !(o->fb_query_weight >= 0 &&
                         o->fb_query_weight <= 1))))
        return bl_fail(BL_EARG,
                       "bad search options (limit >= 1, k1 >= 0, 0 <= b <= "
                       "1; feedback: docs and terms >= 1, query weight 0 "
                       "to 1)");
    return BL_OK;
}

/* Give J's matches the time that is left of its search (at least a
 * millisecond, and J is then marked as cut short).  Returns BL_OK or
 * BL_EINTERNAL. */
static bl_status_t time_left(job_t *j)
{
    if (!j->deadline || !j->enq)
        return BL_OK;
    long long left = j->deadline - now_ns();
    if (left < 1000000) {
        left = 1000000;
        if (!j->whole)
            j->limited |= BL_LIMIT_TIME;
    }
    bl_status_t rc = BL_OK;
    /* Counting past the hits asked for stops at half the time left (the
     * counts are then estimates, and the answer says it was cut short);
     * the match itself ends at the deadline. */
    if (!j->whole)
        rc = bl_from_xc(
            xc_enquire_set_time_limit(j->enq, (double)left / 2e9),
            "time limit");
    if (rc == BL_OK && !j->remote)
        rc = bl_from_xc(xc_enquire_set_deadline(j->enq, (double)left / 1e9),
                        "time limit");
    return rc;
}

/* Non-zero (and J marked) once J's time has run out. */
static int out_of_time(job_t *j)
{
    if (j->whole)
        return 0;
    if (j->deadline && now_ns() >= j->deadline)
        j->limited |= BL_LIMIT_TIME;
    return (j->limited & BL_LIMIT_TIME) != 0;
}

/* *XQ restricted to what R matches, R weighing nothing (R is freed). */
static bl_status_t restrict_to(xc_query_t **xq, xc_query_t *r)
{
    xc_query_t *both = NULL;
    const xc_query_t *subs[2] = {*xq, r};
    bl_status_t rc = bl_from_xc(
        xc_query_combine(XC_QUERY_FILTER, subs, 2, 0, &both), "query");
    xc_query_free(r);
    if (rc == BL_OK) {
        xc_query_free(*xq);
        *xq = both;
    }
    return rc;
}

/* Non-zero if O restricts what a query matches: a date window or a
 * filter text. */
static int restricted(const bl_search_options_t *o)
{
    return !o->like &&
           (o->date_from || o->date_to || (o->filter && *o->filter));
}

/* *XQ restricted as O says: to articles dated within its window, and to
 * what its filter text lets through (BL_EARG when that cannot be read,
 * the message saying "filter:"). */
static bl_status_t restrict_query(bl_searcher_t *s,
                                  const bl_search_options_t *o,
                                  xc_query_t **xq)
{
    bl_status_t rc = BL_OK;
    if (o->date_from || o->date_to) {
        char lo[18], hi[18];
        size_t l1 = o->date_from
                        ? xc_sortable_serialise((double)o->date_from, lo)
                        : 0;
        size_t l2 =
            o->date_to ? xc_sortable_serialise((double)o->date_to, hi) : 0;
        xc_query_t *range = NULL;
        rc = bl_from_xc(xc_query_value_range(BL_SLOT_DATE, l1 ? lo : NULL,
                                             l1, l2 ? hi : NULL, l2, &range),
                        "query");
        if (rc == BL_OK)
            rc = restrict_to(xq, range);
    }
    if (rc == BL_OK && o->filter && *o->filter) {
        bl_query_t *fq = NULL;
        xc_query_t *x = NULL;
        bl_qterm_t *qt = NULL;
        size_t nqt = 0;
        qcaps_t caps = caps_of(s);
        rc = bl_query_parse(s->analyzer, o->filter, 0, &fq, NULL);
        if (rc == BL_ESYNTAX)
            rc = bl_fail(BL_EARG, "filter: %s", bl_last_error());
        if (rc == BL_OK)
            rc = bl_query_compile(fq, s->db, &caps, &x, &qt, &nqt);
        if (rc == BL_OK)
            rc = restrict_to(xq, x);
        else
            xc_query_free(x);
        bl_qterms_free(qt, nqt);
        bl_query_free(fq);
    }
    return rc;
}

/* Parse and compile QUERY into J, and set up its enquire as O says:
 * weighting, expansion, sort, collapsing and the facets' spies. */
static bl_status_t set_up(bl_searcher_t *s, const char *query,
                          const bl_search_options_t *o, job_t *j)
{
    bl_status_t rc = prepare(s, query, o, &j->q, &j->xq, &j->qt, &j->nqt,
                             &j->fallback, &j->error_at, &j->exceeded);
    if (rc == BL_OK && restricted(o))
        rc = restrict_query(s, o, &j->xq);
    if (rc == BL_OK)
        rc = bl_from_xc(xc_enquire_new(s->db, &j->enq), s->path);
    if (rc == BL_OK)
        rc = time_left(j);
    if (rc == BL_OK)
        rc = bl_from_xc(xc_enquire_set_query(j->enq, j->xq), s->path);
    if (rc == BL_OK)
        rc = bl_from_xc(
            xc_enquire_set_bm25(j->enq, o->k1, 0, o->k3, o->b, 0.5), "BM25");
    if (rc == BL_OK && o->expand && j->q && j->nqt > 0) {
        rc = expand_query(s, j->enq, j->q, j->qt, j->nqt, o, &j->xq);
        /* (An expanded query of plain words stands on its own.) */
        if (rc == BL_OK && restricted(o))
            rc = restrict_query(s, o, &j->xq);
        if (rc == BL_OK && restricted(o))
            rc = bl_from_xc(xc_enquire_set_query(j->enq, j->xq), s->path);
    }
    if (rc == BL_OK && o->sort != BL_SORT_RELEVANCE)
        rc = bl_from_xc(xc_enquire_set_sort(j->enq,
                                            XC_SORT_VALUE_THEN_RELEVANCE,
                                            BL_SLOT_DATE,
                                            o->sort == BL_SORT_DATE),
                        "sort");
    /* Near-duplicates are collapsed here (src/search/rows.c says why),
     * except over remote shards, where reading keys would cost a round
     * trip: there Xapian's collapsing, done by the servers, stays. */
    j->local = !s->remote;
    j->own_collapse = !o->show_duplicates && j->local;
    j->ties = o->sort == BL_SORT_RELEVANCE;
    if (rc == BL_OK && !o->show_duplicates && !j->local)
        rc = bl_from_xc(xc_enquire_set_collapse_key(j->enq, BL_SLOT_DUP, 1),
                        "collapse");
    for (unsigned f = 0; rc == BL_OK && f < BL_NFACETS; f++) {
        if (!(o->facets & (1u << f)))
            continue;
        unsigned nslots = f == 3 ? BL_CATEGORY_SLOTS : 1;
        for (unsigned k = 0; rc == BL_OK && k < nslots; k++)
            rc = bl_from_xc(xc_enquire_add_facet(j->enq, FACET_SLOTS[f] + k,
                                                 &j->spy[f][k]),
                            "facet");
    }
    return rc;
}

/* Read J's results (J->ms, and their rows, tie order and collapsing)
 * for the page O asks for.  Collapsing, the results are read from the
 * top, half as many again as asked for and 5 more (four times more while
 * duplicates leave too few); the page is then cut from the collapsed
 * list.  Reprints of a story rank next to each other, so their count is
 * seen; it is a lower bound, as Xapian's own is.  Ranked by relevance,
 * results of equal weight are put in order of their ids (tie_order()),
 * so they are read from the top too, and on past the page while a tie
 * crosses its end. */
static bl_status_t fetch(bl_searcher_t *s, const bl_search_options_t *o,
                         job_t *j)
{
    bl_status_t rc = BL_OK;
    uint64_t want64 = (uint64_t)o->offset + o->limit;
    xc_doccount_t want = want64 > s->ndocs ? s->ndocs + 1 : want64;
    xc_doccount_t first = j->own_collapse || j->ties ? 0 : o->offset;
    j->first = first;
    j->count = j->ties ? want : o->limit;
    if (j->own_collapse)
        j->count = want64 + want64 / 2 + 5 > s->ndocs
                       ? s->ndocs + 1
                       : (xc_doccount_t)(want64 + want64 / 2 + 5);
    /* An exact count: every match read, when there are few enough (the
     * first read tells: its counts are exact when it saw them all). */
    if (j->own_collapse && o->exact_count && j->count <= o->exact_count) {
        xc_mset_t *probe = NULL;
        rc = time_left(j);
        if (rc == BL_OK)
            rc = bl_from_xc(xc_enquire_mset(j->enq, 0, 0,
                                            (xc_doccount_t)o->exact_count + 1,
                                            &probe),
                            s->path);
        if (rc == BL_OK && xc_mset_matches_upper(probe) <= o->exact_count &&
            xc_mset_matches_upper(probe) >= j->count)
            j->count = xc_mset_matches_upper(probe) + 1;
        xc_mset_free(probe);
        if (rc != BL_OK)
            return rc;
    }
    xc_doccount_t extra = j->ties ? TIE_EXTRA : 0;
    for (;;) {
        xc_doccount_t count = j->count;
        xc_doccount_t ask = (uint64_t)count + extra > s->ndocs
                                ? s->ndocs + 1
                                : count + extra;
        /* Facets count every match, not only those ranked so far. */
        xc_doccount_t check = first + ask;
        if (o->facets && check < s->ndocs)
            check = s->ndocs;
        rc = time_left(j);
        if (rc == BL_OK)
            rc = bl_from_xc(
                xc_enquire_mset(j->enq, first, ask, check, &j->ms), s->path);
        if (rc != BL_OK)
            break;
        size_t n = j->n = xc_mset_size(j->ms);
        if (j->ties && n == ask && n > count && extra < TIE_MAX(count) &&
            xc_mset_weight(j->ms, n - 1) == xc_mset_weight(j->ms, count - 1) &&
            !out_of_time(j)) {
            xc_mset_free(j->ms); /* A tie crosses the cut: read on. */
            j->ms = NULL;
            extra *= 4;
            continue;
        }
        j->nuse = n < count ? n : count;
        if (!j->local || (!j->own_collapse && !j->ties && o->passages > 0)) {
            if (j->ties) /* Remote: the tied documents are read. */
                rc = tie_order(s, j->ms, NULL, n, &j->order);
            break;
        }
        rc = bl_rows_read(j->ms, o->passages == 0, s->path, s->cache,
                          &j->rows);
        if (rc == BL_OK && j->ties)
            rc = tie_order(s, j->ms, j->rows, n, &j->order);
        if (rc != BL_OK || !j->own_collapse)
            break;
        free(j->keep);
        free(j->dups);
        j->keep = malloc((j->nuse ? j->nuse : 1) * sizeof *j->keep);
        j->dups = malloc((j->nuse ? j->nuse : 1) * sizeof *j->dups);
        rc = j->keep && j->dups
                 ? bl_rows_collapse(j->rows, j->nuse, j->keep, j->dups,
                                    &j->nkeep)
                 : bl_fail(BL_ENOMEM, "out of memory");
        if (rc != BL_OK || j->nkeep >= want || n < count ||
            count > s->ndocs || out_of_time(j))
            break;
        bl_rows_free(j->rows, n);
        j->rows = NULL;
        free(j->order);
        j->order = NULL;
        xc_mset_free(j->ms);
        j->ms = NULL;
        j->count = count > s->ndocs / 4 ? s->ndocs + 1 : 4 * count;
        extra = j->ties ? TIE_EXTRA : 0;
    }
    return rc;
}

/* The stems' highlighting weights: their idf in this index. */
static bl_status_t weigh_stems(bl_searcher_t *s, job_t *j)
{
    bl_status_t rc = BL_OK;
    for (size_t i = 0; i < j->nqt && rc == BL_OK; i++) {
        char term[BL_MAX_TOKEN * 2 + 2];
        xc_doccount_t tf = 0;
        snprintf(term, sizeof term, "%s%s",
                 j->qt[i].exact ? BL_PREFIX_EXACT : BL_PREFIX_STEM,
                 j->qt[i].stem);
        if (xc_mset_termfreq(j->ms, term, &tf) != XC_OK)
            rc = bl_from_xc(xc_db_termfreq(s->db, term, &tf), s->path);
        j->qt[i].weight = log(1.0 + (double)s->ndocs / (tf ? tf : 1));
    }
    return rc;
}

/* The page of hits O asks for, from J's results, into RES, with its
 * match counts. */
static bl_status_t make_hits(bl_searcher_t *s, const bl_search_options_t *o,
                             job_t *j, bl_results_t *res)
{
    bl_status_t rc = BL_OK;
    res->matches_lower = xc_mset_matches_lower(j->ms);
    res->matches_estimated = xc_mset_matches_estimated(j->ms);
    res->matches_upper = xc_mset_matches_upper(j->ms);
    res->nhits = xc_mset_size(j->ms);
    /* (A cursor asks for later pages of the list it read from the top.) */
    unsigned skip = o->offset > j->first ? o->offset - j->first : 0;
    res->nhits = res->nhits > skip ? res->nhits - skip : 0;
    if (j->own_collapse) {
        collapsed_counts(res, j->nuse, j->count, j->nkeep);
        res->nhits = j->nkeep > o->offset ? j->nkeep - o->offset : 0;
    } else if (j->ties) {
        res->nhits = j->nuse > o->offset ? j->nuse - o->offset : 0;
    }
    if (res->nhits > o->limit)
        res->nhits = o->limit;
    if (res->nhits > 0) {
        res->hits = calloc(res->nhits, sizeof *res->hits);
        if (!res->hits)
            return bl_fail(BL_ENOMEM, "out of memory");
    }
    bl_search_options_t bare = *o; /* Past the time: no passages. */
    bare.passages = 0;
    for (unsigned i = 0; rc == BL_OK && i < res->nhits; i++) {
        bl_hit_t *h = &res->hits[i];
        if (o->passages && out_of_time(j))
            o = &bare;
        unsigned k = o->offset + i, at;
        const bl_row_t *row;
        if (j->own_collapse) {
            k = j->keep[o->offset + i];
            at = j->order ? j->order[k] : k;
            row = &j->rows[k];
        } else if (j->ties) {
            at = j->order[k];
            row = j->rows ? &j->rows[k] : NULL;
        } else {
            k = at = skip + i;
            row = j->rows ? &j->rows[k] : NULL;
        }
        unsigned rank = j->own_collapse || j->ties
                            ? o->offset + i + 1
                            : xc_mset_rank(j->ms, at) + 1;
        rc = make_hit(s, j->ms, at, rank, row, j->qt, j->nqt, o, h);
        h->duplicates = j->own_collapse ? j->dups[o->offset + i]
                                        : xc_mset_collapse_count(j->ms, at);
    }
    return rc == BL_OK ? drop_repeated_ids(res) : rc;
}

/* One attempt of bl_search(). */
/* BL_OK if every shard of S answers; else BL_ENETWORK naming the first
 * that does not (bl_search_options_t.all_shards). */
static bl_status_t every_shard(bl_searcher_t *s)
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

static bl_status_t search_once(bl_searcher_t *s, const char *query,
                               const bl_search_options_t *o,
                               bl_results_t **out, long long start)
{
    job_t j;
    memset(&j, 0, sizeof j);
    *out = NULL;
    bl_status_t rc = check_options(query, o);
    if (rc == BL_OK && o->all_shards)
        rc = every_shard(s);
    if (s->limits.time_ms)
        j.deadline = start + (long long)s->limits.time_ms * 1000000LL;
    j.remote = s->remote;
    if (rc == BL_OK)
        rc = set_up(s, query, o, &j);
    if (rc == BL_ESYNTAX || rc == BL_ELIMIT) {
        /* Where it goes wrong, or the limit, is part of the answer. */
        bl_results_t *res = calloc(1, sizeof *res);
        if (res && rc == BL_ESYNTAX) {
            res->error_at = j.error_at;
            res->error_column =
                (unsigned)bl_utf8_chars(query, j.error_at) + 1;
        }
        if (res) /* (A limit of no wildcard's: the deadline.) */
            res->exceeded = j.exceeded ? j.exceeded : BL_LIMIT_TIME;
        *out = res;
        job_free(&j);
        return res ? rc : bl_fail(BL_ENOMEM, "out of memory");
    }
    if (rc == BL_OK)
        rc = fetch(s, o, &j);
    if (rc == BL_ELIMIT) { /* Past the deadline: the limit is the answer. */
        bl_results_t *res = calloc(1, sizeof *res);
        if (res)
            res->exceeded = BL_LIMIT_TIME;
        *out = res;
        job_free(&j);
        return res ? rc : bl_fail(BL_ENOMEM, "out of memory");
    }
    if (rc == BL_OK)
        rc = weigh_stems(s, &j);
    bl_results_t *res = NULL;
    if (rc == BL_OK && !(res = calloc(1, sizeof *res)))
        rc = bl_fail(BL_ENOMEM, "out of memory");
    if (rc == BL_OK) {
        res->fallback = j.fallback;
        j.fallback = NULL;
        rc = make_hits(s, o, &j, res);
    }
    for (unsigned f = 0; rc == BL_OK && f < BL_NFACETS; f++) {
        if (o->facets & (1u << f))
            rc = read_facet(j.ms, f, j.spy[f], o->facet_values,
                            &res->facets[res->nfacets++]);
    }
    if (rc == BL_OK && o->spelling && j.q && !out_of_time(&j))
        res->suggestion = suggest(s, query, j.q, o, j.ms);
    if (rc == BL_OK) {
        res->limited = j.limited;
        res->shards = s->shards ? shards_total(s->shards) : 0;
        rc = shards_copy_failed(s->shards, &res->failed, &res->nfailed);
    }
    if (rc == BL_OK) {
        *out = res;
        res = NULL;
    }
    bl_results_free(res);
    job_free(&j);
    return rc;
}

struct bl_cursor {
    bl_searcher_t *s;
    bl_search_options_t o; /* The page of every hit: offset 0, MAX. */
    job_t j;
    unsigned total;        /* Hits there are to give (at most MAX). */
    unsigned at;           /* Given so far. */
    unsigned matches;      /* Every match, MAX or not. */
    int exact;
};

bl_status_t bl_cursor_open(bl_searcher_t *s, const char *query,
                           const bl_search_options_t *o, unsigned max,
                           bl_cursor_t **out, unsigned *matches, int *exact,
                           unsigned *exceeded)
{
    *out = NULL;
    *exceeded = 0;
    bl_cursor_t *c = calloc(1, sizeof *c);
    if (!c)
        return bl_fail(BL_ENOMEM, "out of memory");
    c->s = s;
    c->o = *o;
    c->o.offset = 0;
    c->o.limit = max ? max : 1;
    /* Every match read: the count is exact up to MAX (and one more, to
     * tell that there are more). */
    c->o.exact_count = c->o.limit + 1 > c->o.exact_count ? c->o.limit + 1
                                                         : c->o.exact_count;
    c->o.spelling = 0;
    bl_status_t rc = bl_searcher_refresh(s, 0, NULL);
    for (int tries = 0; rc == BL_OK || rc == BL_EMODIFIED; tries++) {
        if (rc == BL_EMODIFIED) {
            if (tries >= SEARCH_TRIES)
                break;
            job_free(&c->j);
            memset(&c->j, 0, sizeof c->j);
            rc = bl_searcher_refresh(s, 1, NULL);
            if (rc != BL_OK)
                break;
        }
        rc = check_options(query, &c->o);
        if (rc == BL_OK && c->o.all_shards)
            rc = every_shard(s);
        /* An export is never cut short: the match may take five times a
         * search's time, and past that the export is refused. */
        c->j.whole = 1;
        c->j.remote = s->remote;
        if (rc == BL_OK && s->limits.time_ms)
            c->j.deadline =
                now_ns() + 5 * (long long)s->limits.time_ms * 1000000LL;
        if (rc == BL_OK)
            rc = set_up(s, query, &c->o, &c->j);
        if (rc == BL_OK)
            rc = fetch(s, &c->o, &c->j);
        if (rc == BL_OK)
            rc = weigh_stems(s, &c->j);
        if (rc == BL_ENETWORK && tries < SEARCH_TRIES && lost_shard(s)) {
            job_free(&c->j);
            memset(&c->j, 0, sizeof c->j);
            rc = BL_OK;
            continue;
        }
        if (rc != BL_EMODIFIED)
            break;
    }
    if (rc != BL_OK) {
        if (rc == BL_ELIMIT)
            *exceeded = c->j.exceeded ? c->j.exceeded : BL_LIMIT_TIME;
        job_free(&c->j);
        free(c);
        return rc;
    }
    /* What make_hits() would give for the whole list. */
    bl_results_t counts;
    memset(&counts, 0, sizeof counts);
    counts.matches_lower = xc_mset_matches_lower(c->j.ms);
    counts.matches_estimated = xc_mset_matches_estimated(c->j.ms);
    counts.matches_upper = xc_mset_matches_upper(c->j.ms);
    size_t n = xc_mset_size(c->j.ms);
    if (c->j.own_collapse) {
        collapsed_counts(&counts, c->j.nuse, c->j.count, c->j.nkeep);
        n = c->j.nkeep;
    } else if (c->j.ties) {
        n = c->j.nuse;
    }
    c->total = n < c->o.limit ? (unsigned)n : c->o.limit;
    c->matches = counts.matches_estimated;
    c->exact = counts.matches_lower == counts.matches_upper;
    *matches = c->matches;
    *exact = c->exact;
    *out = c;
    return BL_OK;
}

bl_status_t bl_cursor_next(bl_cursor_t *c, unsigned n, bl_results_t **out)
{
    *out = NULL;
    bl_results_t *res = calloc(1, sizeof *res);
    if (!res)
        return bl_fail(BL_ENOMEM, "out of memory");
    bl_search_options_t page = c->o;
    page.offset = c->at;
    page.limit = n ? n : 1;
    if (page.offset + page.limit > c->total)
        page.limit = c->total - c->at;
    bl_status_t rc = BL_OK;
    if (page.limit > 0) {
        /* make_hits() gives the page of OFFSET and LIMIT; its counts are
         * the whole list's. */
        c->j.deadline = 0; /* (The match is done: the hits are read.) */
        rc = make_hits(c->s, &page, &c->j, res);
        c->at += page.limit;
    }
    res->matches_lower = res->matches_upper = res->matches_estimated =
        c->matches;
    if (!c->exact)
        res->matches_upper = c->matches + 1;
    if (rc != BL_OK) {
        bl_results_free(res);
        return rc;
    }
    *out = res;
    return BL_OK;
}

void bl_cursor_free(bl_cursor_t *c)
{
    if (!c)
        return;
    job_free(&c->j);
    free(c);
}

bl_status_t bl_search(bl_searcher_t *s, const char *query,
                      const bl_search_options_t *o, bl_results_t **out)
{
    /* An indexer running beside us publishes new parts (a new stub) and
     * commits deletions into the old ones: a search sees the last commit,
     * and one that finds its revision gone reopens and tries again. */
    *out = NULL;
    long long start = now_ns();
    bl_status_t rc = bl_searcher_refresh(s, 0, NULL);
    for (int tries = 0; tries < SEARCH_TRIES; tries++) {
        if (rc == BL_OK)
            rc = search_once(s, query, o, out, start);
        if (rc == BL_ENETWORK && lost_shard(s)) {
            /* A shard stopped answering: the others answer (or, with
             * all_shards, the search says which is missing). */
            rc = BL_OK;
            continue;
        }
        if (rc != BL_EMODIFIED)
            break;
        /* (A reopen can meet a moving revision too: it is retried.) */
        struct timespec pause = {0, 1000000L << (tries < 6 ? tries : 6)};
        nanosleep(&pause, NULL);
        rc = bl_searcher_refresh(s, 1, NULL);
    }
    return rc;
}

bl_status_t bl_searcher_article(bl_searcher_t *s, const char *id,
                                const char *query, bl_article_view_t *out)
{
    return bl_searcher_article_with(s, id, query, NULL, out);
}

bl_status_t bl_searcher_article_with(bl_searcher_t *s, const char *id,
                                     const char *query,
                                     const bl_search_options_t *o,
                                     bl_article_view_t *out)
{
    xc_docid_t docid = 0;
    xc_doc_t *doc = NULL;
    const char *data = NULL;
    size_t len = 0;
    bl_query_t *q = NULL;
    xc_query_t *xq = NULL;
    bl_qterm_t *qt = NULL;
    size_t nqt = 0;
    memset(out, 0, sizeof *out);
    bl_status_t rc = bl_searcher_refresh(s, 0, NULL);
    for (int tries = 0; rc == BL_OK || (rc == BL_EMODIFIED && tries < 4);
         tries++) {
        if (rc == BL_EMODIFIED)
            rc = bl_searcher_refresh(s, 1, NULL);
        if (rc == BL_OK)
            rc = find_article(s, id, &docid);
        if (rc == BL_OK)
            rc = bl_from_xc(xc_db_get_document(s->db, docid, &doc), s->path);
        if (rc == BL_OK)
            rc = bl_from_xc(xc_doc_get_data(doc, &data, &len), s->path);
        if (rc == BL_OK)
            rc = bl_docdata_decode(data, len, &out->article);
        xc_doc_free(doc);
        doc = NULL;
        if (rc == BL_ENETWORK && lost_shard(s)) {
            bl_article_clear(&out->article);
            rc = BL_OK;
            continue;
        }
        if (rc != BL_EMODIFIED)
            break;
        bl_article_clear(&out->article);
    }
    size_t at = 0;
    if (rc == BL_OK && query && *query) {
        qcaps_t caps = caps_of(s);
        rc = bl_query_parse(s->analyzer, query,
                            BL_QUERY_STOP |
                                (bl_analyzer_exact_forms(s->analyzer) &&
                                         !(o && o->stem_quotes)
                                     ? BL_QUERY_EXACT
                                     : 0),
                            &q, &at);
        if (rc == BL_OK)
            rc = bl_query_compile(q, s->db, &caps, &xq, &qt, &nqt);
    }
    bl_article_t *a = &out->article;
    if (rc == BL_OK && nqt && a->title)
        rc = bl_highlight(s->analyzer, a->title, strlen(a->title), qt, nqt,
                          &out->title_hl, &out->ntitle_hl);
    if (rc == BL_OK && nqt && a->body)
        rc = bl_highlight(s->analyzer, a->body, strlen(a->body), qt, nqt,
                          &out->body_hl, &out->nbody_hl);
    bl_qterms_free(qt, nqt);
    xc_query_free(xq);
    bl_query_free(q);
    if (rc != BL_OK)
        bl_article_view_clear(out);
    if (rc == BL_ESYNTAX) {
        out->error_at = at;
        out->error_column = (unsigned)bl_utf8_chars(query, at) + 1;
    }
    return rc;
}

void bl_article_view_clear(bl_article_view_t *v)
{
    bl_article_clear(&v->article);
    free(v->title_hl);
    free(v->body_hl);
    memset(v, 0, sizeof *v);
}

void bl_searcher_info(bl_searcher_t *s, bl_index_info_t *out)
{
    char name[4200], line[512];
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
    snprintf(name, sizeof name, "%s/" BL_STUB_NAME, s->path);
    FILE *f = fopen(name, "r");
    if (!f)
        f = fopen(s->path, "r");
    while (f && fgets(line, sizeof line, f)) {
        if (line[0] != '#' && line[0] != '\n')
            out->shards++;
    }
    if (f)
        fclose(f);
    if (!out->shards)
        out->shards = 1;
}

void bl_results_free(bl_results_t *r)
{
    if (!r)
        return;
    for (size_t i = 0; r->hits && i < r->nhits; i++) {
        bl_hit_t *h = &r->hits[i];
        bl_article_clear(&h->article);
        free(h->title_hl);
        for (size_t k = 0; k < h->npassages; k++)
            bl_passage_clear(&h->passages[k]);
    }
    free(r->hits);
    bl_shard_failures_free(r->failed, r->nfailed);
    free(r->suggestion);
    free(r->fallback);
    for (size_t f = 0; f < r->nfacets; f++) {
        for (size_t i = 0; i < r->facets[f].n; i++)
            free(r->facets[f].values[i].value);
        free(r->facets[f].values);
    }
    free(r);
}
