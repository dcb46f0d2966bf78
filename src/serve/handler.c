/*
 * byline-serve's requests, without HTTP: a method, a path, arguments and
 * headers in; a status, a type, a body and a few headers out.  The
 * program (byline-serve.c) puts libmicrohttpd in front of it; the tests
 * and the fuzzer call it directly.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Searchers: a pool of CFG.searchers, each opened on first use and for
 * one request at a time (a searcher is for one thread), kept warm (the
 * lowest free one is taken, so its cache stays hot).  An expensive request
 * (wildcards, expansion, many hits or passages) may hold only
 * CFG.heavy_slots of them at once: the rest are kept for cheap ones, so a
 * one-word search never waits behind four pathological ones.  A request
 * that finds no searcher within CFG.queue_ms is answered 503 (busy,
 * Retry-After: 1).
 */
#define _GNU_SOURCE /* open_memstream() */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "byline/output.h"
#include "byline/schema.h"
#include "serve.h"

#define MAX_URL 4096   /* Longer: 414. */
#define MAX_QUERY 1024 /* A longer query: 414. */
#define MAX_LIMIT 100
#define MAX_OFFSET 10000
#define EXACT_COUNT 100000 /* Matches counted exactly up to this many. */

static serve_config_t cfg;

/* ---- The searchers' pool ------------------------------------------------- */

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bl_searcher_t **s; /* CFG.searchers; NULL until first used. */
    char *busy;
    unsigned heavy;    /* Expensive requests holding one now. */
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL,
          0};

int serve_start(const serve_config_t *c)
{
    cfg = *c;
    if (cfg.searchers == 0)
        cfg.searchers = 1;
    if (cfg.heavy_slots == 0 || cfg.heavy_slots > cfg.searchers)
        cfg.heavy_slots = cfg.searchers;
    if (cfg.export_max == 0)
        cfg.export_max = 100000;
    pool.s = calloc(cfg.searchers, sizeof *pool.s);
    pool.busy = calloc(cfg.searchers, 1);
    pool.heavy = 0;
    return pool.s && pool.busy ? 0 : -1;
}

void serve_stop(void)
{
    for (unsigned i = 0; pool.s && i < cfg.searchers; i++)
        bl_searcher_free(pool.s[i]);
    free(pool.s);
    free(pool.busy);
    pool.s = NULL;
    pool.busy = NULL;
}

/* A searcher for one request (expensive: HEAVY) in *SLOT: 0; -1 when none
 * came free within CFG.queue_ms. */
static int acquire(int heavy, unsigned *slot)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += cfg.queue_ms / 1000;
    until.tv_nsec += (long)(cfg.queue_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&pool.mu);
    int got = -1;
    for (;;) {
        if (!heavy || pool.heavy < cfg.heavy_slots) {
            for (unsigned i = 0; i < cfg.searchers && got < 0; i++) {
                if (!pool.busy[i])
                    got = (int)i;
            }
        }
        if (got >= 0)
            break;
        if (pthread_cond_timedwait(&pool.cv, &pool.mu, &until) == ETIMEDOUT)
            break;
    }
    if (got >= 0) {
        pool.busy[got] = 1;
        pool.heavy += heavy != 0;
        *slot = (unsigned)got;
    }
    pthread_mutex_unlock(&pool.mu);
    return got >= 0 ? 0 : -1;
}

static void release(unsigned slot, int heavy)
{
    pthread_mutex_lock(&pool.mu);
    pool.busy[slot] = 0;
    pool.heavy -= heavy != 0;
    pthread_cond_broadcast(&pool.cv);
    pthread_mutex_unlock(&pool.mu);
}

/* The searcher of SLOT (held by this request), opened on first use; NULL
 * after a message in ERR with the status in *STATUS. */
static bl_searcher_t *searcher(unsigned slot, int *status, char *err,
                               size_t errlen)
{
    if (pool.s[slot])
        return pool.s[slot];
    bl_searcher_t *s = NULL;
    bl_status_t rc = bl_searcher_open_with(cfg.db, cfg.shard_timeout_ms, &s);
    if (rc == BL_OK && cfg.cache_bytes != BL_CACHE_DEFAULT)
        bl_searcher_set_cache(s, cfg.cache_bytes); /* (Or none.) */
    if (rc != BL_OK) {
        *status = rc == BL_ENETWORK ? 503 : 500;
        snprintf(err, errlen, "%s", bl_last_error());
        return NULL;
    }
    bl_searcher_set_limits(s, &cfg.limits);
    pool.s[slot] = s;
    return s;
}

/* ---- One request ------------------------------------------------------------ */

/* A request under way: its input, the clean copies of arguments it made
 * (invalid UTF-8 replaced), and its answer. */
typedef struct rq {
    const serve_req_t *in;
    serve_resp_t *out;
    struct {
        const char *name;
        char *value;
    } own[24];
    size_t nown;
    FILE *f; /* The body being written (open_memstream). */
    int html; /* An HTML route: errors are pages. */
    unsigned slot; /* The searcher held, */
    int heavy;     /* for an expensive request. */
} rq_t;

/* S with every byte that is not UTF-8 as U+FFFD, malloc'ed; NULL when S is
 * UTF-8 already (or out of memory). */
static char *repaired(const char *s)
{
    size_t len = strlen(s), bad = 0;
    for (size_t i = 0; i < len;) {
        size_t n = bl_char_len(s + i, len - i);
        bad += n == 0;
        i += n ? n : 1;
    }
    if (!bad)
        return NULL;
    char *out = malloc(len + 2 * bad + 1), *o = out;
    for (size_t i = 0; out && i < len;) {
        size_t n = bl_char_len(s + i, len - i);
        if (n) {
            memcpy(o, s + i, n);
            o += n;
            i += n;
        } else {
            memcpy(o, "\xef\xbf\xbd", 3);
            o += 3;
            i++;
        }
    }
    if (out)
        *o = '\0';
    return out;
}

/* Argument NAME of the request (UTF-8: what was not is U+FFFD), or NULL. */
static const char *arg(rq_t *r, const char *name)
{
    const char *v = r->in->get(r->in->ctx, SERVE_ARG, name);
    if (!v)
        return NULL;
    for (size_t i = 0; i < r->nown; i++) {
        if (strcmp(r->own[i].name, name) == 0)
            return r->own[i].value;
    }
    char *fixed = repaired(v);
    if (!fixed)
        return v;
    if (r->nown == sizeof r->own / sizeof r->own[0]) {
        free(fixed); /* (The handler reads fewer names than that.) */
        return "\xef\xbf\xbd";
    }
    r->own[r->nown].name = name;
    r->own[r->nown++].value = fixed;
    return fixed;
}

static const char *header(rq_t *r, const char *name)
{
    return r->in->get(r->in->ctx, SERVE_HEADER, name);
}

/* Start the answer's body; 0, or -1 (out of memory: a bare 503). */
static int body(rq_t *r)
{
    r->out->body = NULL;
    r->out->len = 0;
    r->f = open_memstream(&r->out->body, &r->out->len);
    if (!r->f) {
        r->out->status = 503;
        r->out->type = "text/plain; charset=utf-8";
        return -1;
    }
    return 0;
}

/* Finish the answer: STATUS and TYPE. */
static void done(rq_t *r, int status, const char *type)
{
    if (r->f)
        fclose(r->f);
    r->f = NULL;
    r->out->status = status;
    r->out->type = type;
}

/* An error answer: JSON {"error":{"status":S,"message":M[,"column":C]
 * [,"limit":NAME,"value":N]}} on API routes, a page on the others.
 * COLUMN (1-based, in characters) of a query syntax error, 0 for none;
 * LIMIT the option over which the request was (NULL for none). */
static void fail(rq_t *r, int status, const char *message, unsigned column,
                 const char *limit, unsigned long value)
{
    if (r->f) { /* A body begun is dropped. */
        fclose(r->f);
        r->f = NULL;
        free(r->out->body);
        r->out->body = NULL;
    }
    if (body(r) != 0)
        return;
    if (r->html) {
        page_error(r->f, status, message);
        done(r, status, "text/html; charset=utf-8");
        return;
    }
    fprintf(r->f, "{\"error\":{\"status\":%d,\"message\":", status);
    bl_json_string(r->f, message);
    if (column > 0)
        fprintf(r->f, ",\"column\":%u", column);
    if (limit) {
        fputs(",\"limit\":", r->f);
        bl_json_string(r->f, limit);
        fprintf(r->f, ",\"value\":%lu", value);
    }
    fputs("}}\n", r->f);
    done(r, status, "application/json");
}

/* The HTTP status of a library status. */
static int http_status(bl_status_t rc)
{
    switch (rc) {
    case BL_ESYNTAX:
    case BL_EARG: return 400;
    case BL_ELIMIT: return 422;
    case BL_ENOTFOUND: return 404;
    case BL_ENETWORK: return 503;
    case BL_ENOMEM: return 503;
    default: return 500;
    }
}

/* The error answer of a failed search RC (RES: its results, may be
 * NULL). */
static void search_failed(rq_t *r, bl_status_t rc, const bl_results_t *res)
{
    const char *limit = NULL;
    unsigned long value = 0;
    if (rc == BL_ELIMIT && res && res->exceeded == BL_LIMIT_WILDCARD_SCAN) {
        limit = "max-wildcard-scan";
        value = cfg.limits.wildcard_scan;
    } else if (rc == BL_ELIMIT && res && res->exceeded == BL_LIMIT_TIME) {
        limit = "max-query-ms";
        value = cfg.limits.time_ms;
    } else if (rc == BL_ELIMIT) {
        limit = "max-wildcard-terms";
        value = cfg.limits.wildcard_terms;
    }
    fail(r, http_status(rc), bl_last_error(),
         rc == BL_ESYNTAX && res ? res->error_column : 0, limit, value);
}

/* What a search cut short by its time says, for people. */
static void time_note(char *buf, size_t len)
{
    snprintf(buf, len,
             "The search ran out of its time (%u ms): the results and "
             "counts are those found by then; a narrower query gets a "
             "whole answer.",
             cfg.limits.time_ms);
}

/* What an answer without some shards says, for people (empty when every
 * shard answered). */
static void shards_note(char *buf, size_t len, const bl_results_t *res)
{
    buf[0] = '\0';
    if (!res || !res->nfailed)
        return;
    int n = snprintf(buf, len, "Partial answer: %zu of the %u shards did "
                               "not answer (",
                     res->nfailed, res->shards);
    for (size_t i = 0; i < res->nfailed && n > 0 && (size_t)n < len; i++)
        n += snprintf(buf + n, len - (size_t)n, "%s%s", i ? ", " : "",
                      res->failed[i].shard);
    if (n > 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n,
                 "): the articles they hold are missing from these "
                 "results and counts.");
}

/* The note of a page of RES: its time's and its shards', into BUF. */
static const char *page_note(char *buf, size_t len, const bl_results_t *res)
{
    char t[256] = "", sh[512];
    if (res && res->limited)
        time_note(t, sizeof t);
    shards_note(sh, sizeof sh, res);
    snprintf(buf, len, "%s%s%s", sh, *sh && *t ? " " : "", t);
    return *buf ? buf : NULL;
}

/* Argument NAME, which is A or B: *IS_B gets 0 or 1 (left as it is when
 * the argument is absent).  0, or -1 after a message in ERR. */
static int two_ways(rq_t *r, const char *name, const char *a, const char *b,
                    int *is_b, char *err, size_t errlen)
{
    const char *v = arg(r, name);
    if (!v)
        return 0;
    if (strcmp(v, a) && strcmp(v, b)) {
        snprintf(err, errlen, "%s: %s or %s", name, a, b);
        return -1;
    }
    *is_b = strcmp(v, b) == 0;
    return 0;
}

/* Read the options of a search request into O; 0, or an HTTP status
 * after a message in ERR. */
static int search_options(rq_t *r, bl_search_options_t *o, char *err,
                          size_t errlen)
{
    const char *v;
    char *end = NULL;
    bl_search_options_init(o);
    if ((v = arg(r, "limit"))) {
        unsigned long n = strtoul(v, &end, 10);
        if (!*v || *end || *v == '-' || n < 1 || n > MAX_LIMIT) {
            snprintf(err, errlen, "limit: 1 to %d", MAX_LIMIT);
            return 400;
        }
        o->limit = (unsigned)n;
    }
    if ((v = arg(r, "offset"))) {
        unsigned long n = strtoul(v, &end, 10);
        if (!*v || *end || *v == '-' || n > MAX_OFFSET) {
            snprintf(err, errlen, "offset: 0 to %d", MAX_OFFSET);
            return 400;
        }
        o->offset = (unsigned)n;
    }
    if ((v = arg(r, "passages"))) {
        if (strlen(v) != 1 || v[0] < '0' || v[0] > '0' + BL_MAX_PASSAGES) {
            snprintf(err, errlen, "passages: 0 to %d", BL_MAX_PASSAGES);
            return 400;
        }
        o->passages = (unsigned)(v[0] - '0');
    }
    if ((v = arg(r, "sort"))) {
        if (strcmp(v, "relevance") == 0)
            o->sort = BL_SORT_RELEVANCE;
        else if (strcmp(v, "date") == 0)
            o->sort = BL_SORT_DATE;
        else if (strcmp(v, "date-asc") == 0)
            o->sort = BL_SORT_DATE_ASC;
        else {
            snprintf(err, errlen, "sort: relevance, date or date-asc");
            return 400;
        }
    }
    int exact = 0;
    if (two_ways(r, "match", "any", "all", &o->match_all, err, errlen) ||
        two_ways(r, "duplicates", "collapse", "show", &o->show_duplicates,
                 err, errlen) ||
        two_ways(r, "quotes", "exact", "stem", &o->stem_quotes, err,
                 errlen) ||
        two_ways(r, "count", "estimate", "exact", &exact, err, errlen))
        return 400;
    o->exact_count = exact ? EXACT_COUNT : 0;
    if ((v = arg(r, "expand"))) {
        if (strcmp(v, "rm3") == 0 || strcmp(v, "1") == 0)
            o->expand = BL_EXPAND_RM3;
        else if (strcmp(v, "bo1") == 0)
            o->expand = BL_EXPAND_BO1;
        else if (strcmp(v, "0") != 0) {
            snprintf(err, errlen, "expand: rm3, bo1 or 0");
            return 400;
        }
    }
    if ((v = arg(r, "facets")) && bl_facets_parse(v, &o->facets) != BL_OK) {
        snprintf(err, errlen, "facets: %s", bl_last_error());
        return 400;
    }
    static const char *const DATES[] = {"from", "to"};
    for (int k = 0; k < 2; k++) {
        if (!(v = arg(r, DATES[k])) || !*v)
            continue;
        if (bl_date_parse(v, k, k ? &o->date_to : &o->date_from) != BL_OK) {
            snprintf(err, errlen, "%s: %s", DATES[k], bl_last_error());
            return 400;
        }
    }
    if (o->date_from && o->date_to && o->date_from > o->date_to) {
        snprintf(err, errlen, "from: the dates end before they start");
        return 400;
    }
    return 0;
}

/* The request's filters (author=, source=, category=) in the query
 * language, each value quoted, malloc'ed ("" for none; NULL when out of
 * memory).  They are given to the search apart from the query, so that
 * nothing in the query (an OR, a NOT, a parenthesis) can undo them. */
static char *filter_text(rq_t *r)
{
    static const char *const FIELDS[] = {"author", "source", "category"};
    size_t n = 1;
    for (size_t i = 0; i < 3; i++) {
        const char *v = arg(r, FIELDS[i]);
        n += v ? 2 * strlen(v) + strlen(FIELDS[i]) + 5 : 0;
    }
    char *out = malloc(n), *o = out;
    if (!out)
        return NULL;
    *o = '\0';
    for (size_t i = 0; i < 3; i++) {
        const char *v = arg(r, FIELDS[i]);
        if (!v || !*v)
            continue;
        o += sprintf(o, "%s%s:\"", o == out ? "" : " ", FIELDS[i]);
        for (; *v; v++) {
            if (*v == '"' || *v == '\\')
                *o++ = '\\';
            *o++ = *v;
        }
        *o++ = '"';
        *o = '\0';
    }
    return out;
}

/* A query that finds every dated article (a date window alone). */
#define EVERY_DATED "year:1000..9999"

/* The query of the request for the search page, the API, the feed,
 * the export: Q, with the request's filters in O->filter (*FILTER holds
 * them: free it after the search); Q empty, the filters are the query
 * (every article that passes them), or every dated article for a date
 * window alone.  Malloc'ed, NULL when out of memory (*EMPTY: there is
 * nothing to search). */
static char *query_of(rq_t *r, bl_search_options_t *o, char **filter,
                      int *empty)
{
    const char *q = arg(r, "q");
    char *f = filter_text(r);
    *empty = 0;
    *filter = NULL;
    if (!f)
        return NULL;
    if (q && *q) {
        char *copy = strdup(q);
        if (!copy) {
            free(f);
            return NULL;
        }
        *filter = f;
        o->filter = *f ? f : NULL;
        return copy;
    }
    if (*f)
        return f;
    free(f);
    if (o->date_from || o->date_to)
        return strdup(EVERY_DATED);
    *empty = 1;
    return strdup("");
}

/* Non-zero if the request is an expensive one: a wildcard, expansion, or
 * many hits with passages. */
static int is_heavy(rq_t *r)
{
    const char *q = arg(r, "q"), *e = arg(r, "expand");
    const char *l = arg(r, "limit"), *p = arg(r, "passages");
    unsigned long limit = l ? strtoul(l, NULL, 10) : 10;
    unsigned long passages = p ? strtoul(p, NULL, 10) : 1;
    return (q && strchr(q, '*')) || (e && strcmp(e, "0") != 0) ||
           limit * (passages ? passages : 1) > 40 ||
           strcmp(r->in->url, "/api/v1/export") == 0;
}

/* Article fields only an operator should see: the file's path on the
 * server (unless --show-paths). */
static void hide_paths(bl_article_t *a)
{
    if (cfg.show_paths || !a->path)
        return;
    free(a->path);
    a->path = NULL;
}

/* Run Q with O into *RES (the files' paths hidden) and start the answer's
 * body: 0; or -1 after the error answer (nothing to free). */
static int searched(rq_t *r, bl_searcher_t *s, const char *q,
                    const bl_search_options_t *o, bl_results_t **res)
{
    *res = NULL;
    bl_status_t rc = bl_search(s, q, o, res);
    if (rc != BL_OK) {
        search_failed(r, rc, *res);
        bl_results_free(*res);
        *res = NULL;
        return -1;
    }
    for (size_t i = 0; i < (*res)->nhits; i++)
        hide_paths(&(*res)->hits[i].article);
    if (body(r) != 0) {
        bl_results_free(*res);
        *res = NULL;
        return -1;
    }
    return 0;
}

/* GET /api/v1/search */
static void api_search(rq_t *r, bl_searcher_t *s)
{
    char err[256];
    bl_search_options_t o;
    const char *q = arg(r, "q");
    int st = search_options(r, &o, err, sizeof err);
    if (st) {
        fail(r, st, err, 0, NULL, 0);
        return;
    }
    int empty = 0;
    char *flt = NULL;
    char *eq = query_of(r, &o, &flt, &empty);
    if (!eq || empty) {
        free(eq);
        free(flt);
        fail(r, eq ? 400 : 503, eq ? "q: give a query (or a filter)"
                                   : "out of memory",
             0, NULL, 0);
        return;
    }
    bl_results_t *res = NULL;
    int failed = searched(r, s, eq, &o, &res);
    free(eq);
    free(flt);
    if (failed)
        return;
    fputs("{\"query\":", r->f);
    bl_json_string(r->f, q ? q : "");
    fprintf(r->f, ",\"matches\":%u,\"matches_exact\":%s,\"offset\":%u,"
                  "\"limit\":%u,\"partial\":%s,\"partial_reason\":",
            res->matches_estimated,
            res->matches_lower == res->matches_upper ? "true" : "false",
            o.offset, o.limit,
            res->limited || res->nfailed ? "true" : "false");
    char note[1024];
    bl_json_string(r->f, page_note(note, sizeof note, res));
    if (res->shards) {
        fputs(",\"shards\":", r->f);
        bl_json_shards(r->f, res->shards, res->failed, res->nfailed);
    }
    fputs(",\"hits\":", r->f);
    bl_json_hits(r->f, res);
    fputs(",\"facets\":", r->f);
    bl_json_facets(r->f, res);
    fputs(",\"suggestion\":", r->f);
    bl_json_string(r->f, res->suggestion);
    fputs("}\n", r->f);
    bl_results_free(res);
    done(r, 200, "application/json");
}

/* An export being streamed: the cursor over its hits, the bytes of the
 * batch not yet sent, and the searcher it holds until it is done. */
typedef struct export {
    bl_cursor_t *c;
    struct timespec start; /* (An export ends within EXPORT_SECONDS.) */
    int csv;
    char *buf;
    size_t len, at;
    int header, end;
    unsigned slot;
    int heavy;
} export_t;

/* Hits written a batch at a time: memory holds the match and one batch. */
#define EXPORT_BATCH 500
/* The longest an export may hold its searcher: a client that reads it
 * slower is cut off (the transfer breaks, it is not ended). */
#define EXPORT_SECONDS 300

static long export_read(void *cls, char *out, size_t max)
{
    export_t *e = cls;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec - e->start.tv_sec > EXPORT_SECONDS)
        return -1;
    while (e->at == e->len) {
        if (e->end)
            return 0;
        free(e->buf);
        e->buf = NULL;
        e->len = e->at = 0;
        FILE *f = open_memstream(&e->buf, &e->len);
        if (!f)
            return -1;
        if (e->csv && !e->header) {
            bl_csv_header(f);
            e->header = 1;
        }
        bl_results_t *res = NULL;
        if (bl_cursor_next(e->c, EXPORT_BATCH, &res) != BL_OK) {
            fclose(f);
            return -1; /* Cut off: the client sees the transfer broken. */
        }
        if (res->nhits == 0)
            e->end = 1;
        for (size_t i = 0; i < res->nhits; i++) {
            hide_paths(&res->hits[i].article);
            if (e->csv) {
                bl_csv_hit(f, &res->hits[i]);
            } else {
                bl_json_hit(f, res, &res->hits[i], NULL);
                putc('\n', f);
            }
        }
        bl_results_free(res);
        if (fclose(f) != 0)
            return -1;
    }
    size_t n = e->len - e->at < max ? e->len - e->at : max;
    memcpy(out, e->buf + e->at, n);
    e->at += n;
    return (long)n;
}

static void export_done(void *cls)
{
    export_t *e = cls;
    bl_cursor_free(e->c);
    free(e->buf);
    release(e->slot, e->heavy);
    free(e);
}

/* GET /api/v1/export: every hit of a search, as CSV or JSON lines,
 * streamed. */
static void api_export(rq_t *r, bl_searcher_t *s)
{
    char err[256];
    bl_search_options_t o;
    int st = search_options(r, &o, err, sizeof err);
    const char *format = arg(r, "format");
    int csv = !format || strcmp(format, "csv") == 0;
    if (!st && !csv && strcmp(format, "jsonl") != 0) {
        snprintf(err, sizeof err, "format: csv or jsonl");
        st = 400;
    }
    if (st) {
        fail(r, st, err, 0, NULL, 0);
        return;
    }
    if (csv)
        o.passages = 0; /* (Not in a row.) */
    /* A file has no place to say it lacks a shard's articles: refused
     * (503) while one does not answer. */
    o.all_shards = 1;
    int empty = 0;
    char *flt = NULL;
    char *q = query_of(r, &o, &flt, &empty);
    if (!q || empty) {
        free(q);
        free(flt);
        fail(r, q ? 400 : 503, q ? "q: give a query (or a filter)"
                                 : "out of memory",
             0, NULL, 0);
        return;
    }
    export_t *e = calloc(1, sizeof *e);
    unsigned matches = 0, exceeded = 0;
    int exact = 0;
    bl_status_t rc = e ? bl_cursor_open(s, q, &o, cfg.export_max, &e->c,
                                        &matches, &exact, &exceeded)
                       : BL_ENOMEM;
    free(q);
    free(flt);
    if (rc != BL_OK) {
        free(e);
        bl_results_t why;
        memset(&why, 0, sizeof why);
        why.exceeded = exceeded;
        search_failed(r, rc, &why);
        return;
    }
    if (matches > cfg.export_max) {
        bl_cursor_free(e->c);
        free(e);
        char msg[200];
        snprintf(msg, sizeof msg,
                 "the search matches %s%u articles, more than an export "
                 "gives (%u): narrow it (dates, filters) or ask the "
                 "operator for a higher --export-max",
                 exact ? "" : "about ", matches, cfg.export_max);
        fail(r, 422, msg, 0, "export-max", cfg.export_max);
        return;
    }
    e->csv = csv;
    clock_gettime(CLOCK_MONOTONIC, &e->start);
    e->slot = r->slot;
    e->heavy = r->heavy;
    r->out->read = export_read;
    r->out->done = export_done;
    r->out->cls = e;
    r->out->status = 200;
    r->out->type = csv ? "text/csv; charset=utf-8; header=present"
                       : "application/x-ndjson; charset=utf-8";
    r->out->disposition = csv ? "attachment; filename=\"byline-export.csv\""
                              : "attachment; filename=\"byline-export.jsonl\"";
}

/* GET /api/v1/article/ID */
static void api_article(rq_t *r, bl_searcher_t *s, const char *id)
{
    bl_article_view_t v;
    bl_search_options_t so;
    bl_search_options_init(&so);
    int stem = 0;
    char err[128];
    if (two_ways(r, "quotes", "exact", "stem", &stem, err, sizeof err)) {
        fail(r, 400, err, 0, NULL, 0);
        return;
    }
    so.stem_quotes = stem;
    bl_status_t rc = bl_searcher_article_with(s, id, arg(r, "q"), &so, &v);
    if (rc != BL_OK) {
        bl_results_t res = {0};
        res.error_column = v.error_column;
        search_failed(r, rc, &res);
        return;
    }
    hide_paths(&v.article);
    if (body(r) != 0) {
        bl_article_view_clear(&v);
        return;
    }
    /* The article object of --list, with the highlights. */
    fputs("{\"article\":", r->f);
    char *line = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&line, &len);
    if (m) {
        bl_json_article(m, &v.article);
        fclose(m);
        if (len && line[len - 1] == '\n')
            len--;
        fwrite(line, 1, len, r->f);
    }
    free(line);
    fputs(",\"title_highlights\":", r->f);
    bl_json_spans(r->f, v.title_hl, v.ntitle_hl);
    fputs(",\"body_highlights\":", r->f);
    bl_json_spans(r->f, v.body_hl, v.nbody_hl);
    fputs("}\n", r->f);
    bl_article_view_clear(&v);
    done(r, 200, "application/json");
}

/* GET /api/v1/similar/ID */
static void api_similar(rq_t *r, bl_searcher_t *s, const char *id)
{
    char err[256];
    bl_search_options_t o;
    int st = search_options(r, &o, err, sizeof err);
    if (st) {
        fail(r, st, err, 0, NULL, 0);
        return;
    }
    o.like = id;
    bl_results_t *res = NULL;
    if (searched(r, s, NULL, &o, &res))
        return;
    fputs("{\"like\":", r->f);
    bl_json_string(r->f, id);
    fputs(",\"hits\":", r->f);
    bl_json_hits(r->f, res);
    fputs("}\n", r->f);
    bl_results_free(res);
    done(r, 200, "application/json");
}

/* GET /api/v1/suggest */
static void api_suggest(rq_t *r, bl_searcher_t *s)
{
    const char *q = arg(r, "q");
    if (!q || !*q) {
        fail(r, 400, "q: give a query", 0, NULL, 0);
        return;
    }
    bl_search_options_t o;
    bl_search_options_init(&o);
    o.limit = 1;
    o.passages = 0;
    bl_results_t *res = NULL;
    if (searched(r, s, q, &o, &res))
        return;
    fputs("{\"query\":", r->f);
    bl_json_string(r->f, q);
    fputs(",\"suggestion\":", r->f);
    bl_json_string(r->f, res->suggestion);
    fputs("}\n", r->f);
    bl_results_free(res);
    done(r, 200, "application/json");
}

/* GET /api/v1/stats */
static void api_stats(rq_t *r, bl_searcher_t *s)
{
    bl_index_info_t in;
    bl_searcher_info(s, &in);
    if (body(r) != 0)
        return;
    fprintf(r->f, "{\"articles\":%lu,\"shards\":%u,\"remote\":%s,"
                  "\"last_commit\":%lld,\"schema\":",
            in.articles, in.shards, in.remote ? "true" : "false",
            in.last_commit);
    bl_json_string(r->f, in.schema);
    fputs(",\"analyzer\":{\"language\":", r->f);
    bl_json_string(r->f, in.language);
    fprintf(r->f, ",\"fold_accents\":%s,\"stopwords\":%s},\"version\":",
            in.fold_accents ? "true" : "false",
            in.stopwords ? "true" : "false");
    bl_json_string(r->f, bl_version());
    unsigned total = 0;
    const bl_shard_failure_t *failed = NULL;
    size_t nfailed = 0;
    bl_searcher_shards(s, &total, &failed, &nfailed);
    if (total) {
        fputs(",\"remote_shards\":", r->f);
        bl_json_shards(r->f, total, failed, nfailed);
    }
    fputs("}\n", r->f);
    done(r, 200, "application/json");
}

/* The page's state from the request's arguments. */
static void page_state(rq_t *r, const bl_search_options_t *o, page_req_t *p)
{
    page_req_init(p);
    const char *v;
    if ((v = arg(r, "q")))
        p->q = v;
    if ((v = arg(r, "sort")))
        p->sort = v;
    p->match = arg(r, "match");
    p->expand = arg(r, "expand");
    p->quotes = arg(r, "quotes");
    p->from = (v = arg(r, "from")) && *v ? v : NULL;
    p->to = (v = arg(r, "to")) && *v ? v : NULL;
    p->author = (v = arg(r, "author")) && *v ? v : NULL;
    p->source = (v = arg(r, "source")) && *v ? v : NULL;
    p->category = (v = arg(r, "category")) && *v ? v : NULL;
    p->show_dups = o->show_duplicates;
    p->limit = o->limit;
    p->passages = arg(r, "passages") ? (int)o->passages : -1;
    p->offset = o->offset;
    p->max_offset = MAX_OFFSET;
}

static void archive_span(bl_searcher_t *s, char *first, char *last);

/* The archive's size and the span of its dates into P (the home page):
 * the first and last dates go to FIRST and LAST (11 bytes each). */
static void archive(bl_searcher_t *s, page_req_t *p, char *first, char *last)
{
    /* Two searches over every article: done at most once a minute. */
    static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    static struct timespec at;
    static char span[2][11];
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    p->articles = bl_searcher_doccount(s);
    pthread_mutex_lock(&mu);
    int fresh = at.tv_sec && now.tv_sec - at.tv_sec < 60;
    if (fresh) {
        memcpy(first, span[0], 11);
        memcpy(last, span[1], 11);
    }
    pthread_mutex_unlock(&mu);
    if (!fresh) {
        archive_span(s, first, last);
        pthread_mutex_lock(&mu);
        memcpy(span[0], first, 11);
        memcpy(span[1], last, 11);
        at = now;
        pthread_mutex_unlock(&mu);
    }
    p->first = *first ? first : NULL;
    p->last = *last ? last : NULL;
}

/* The dates of the oldest and the newest article into FIRST and LAST
 * (11 bytes each; "" when none has a date). */
static void archive_span(bl_searcher_t *s, char *first, char *last)
{
    bl_search_options_t o;
    bl_search_options_init(&o);
    o.limit = 1;
    o.passages = 0;
    o.spelling = 0;
    o.show_duplicates = 1;
    for (int k = 0; k < 2; k++) {
        bl_results_t *res = NULL;
        o.sort = k ? BL_SORT_DATE : BL_SORT_DATE_ASC;
        if (bl_search(s, EVERY_DATED, &o, &res) == BL_OK && res->nhits &&
            res->hits[0].article.date)
            snprintf(k ? last : first, 11, "%s", res->hits[0].article.date);
        bl_results_free(res);
    }
}

/* The options and query of a page or feed request: the page's rules on
 * top of the API's (sorted by date, every word must match unless
 * match=any).  0, or an HTTP status after a message in ERR. */
static int page_search_options(rq_t *r, bl_search_options_t *o,
                               page_req_t *p, char *err, size_t errlen)
{
    int st = search_options(r, o, err, errlen);
    if (st) {
        bl_search_options_t d;
        bl_search_options_init(&d); /* The page keeps what it can read. */
        page_state(r, &d, p);
        p->match = p->expand = p->from = p->to = p->quotes = NULL;
        return st;
    }
    page_state(r, o, p);
    if (!p->match && o->sort != BL_SORT_RELEVANCE)
        o->match_all = 1;
    o->exact_count = EXACT_COUNT; /* "Results 11-20 of 3,707", exactly. */
    return 0;
}

/* GET / : the search page (server-rendered). */
static void html_search(rq_t *r, bl_searcher_t *s)
{
    char err[256], note[1024], first[11] = "", last[11] = "";
    bl_search_options_t o;
    page_req_t p;
    int st = page_search_options(r, &o, &p, err, sizeof err);
    if (st) {
        if (body(r) == 0) {
            page_search(r->f, &p, NULL, NULL, err);
            done(r, st, "text/html; charset=utf-8");
        }
        return;
    }
    int empty = 0;
    char *flt = NULL;
    char *q = query_of(r, &o, &flt, &empty);
    if (!q) {
        free(flt);
        fail(r, 503, "out of memory", 0, NULL, 0);
        return;
    }
    bl_results_t *res = NULL, *tl = NULL;
    bl_status_t rc = BL_OK;
    if (!empty) {
        o.facets = BL_FACET_YEAR | BL_FACET_AUTHOR | BL_FACET_SOURCE |
                   BL_FACET_CATEGORY;
        rc = bl_search(s, q, &o, &res);
        if (rc == BL_OK && res->nhits) {
            /* The timeline: every year that matches, or the days of the
             * year or month the dates are within. */
            bl_search_options_t t = o;
            t.limit = 1;
            t.offset = 0;
            t.passages = 0;
            t.spelling = 0;
            t.facets = page_timeline_unit(&p) == 'y' ? BL_FACET_YEAR
                                                      : BL_FACET_DAY;
            t.facet_values = 400;
            t.exact_count = 0; /* (Its one hit is not shown.) */
            if (bl_search(s, q, &t, &tl) != BL_OK) {
                bl_results_free(tl);
                tl = NULL;
            }
        }
    } else {
        archive(s, &p, first, last);
    }
    free(q);
    free(flt);
    p.note = page_note(note, sizeof note, res);
    if (body(r) == 0) {
        if (rc != BL_OK)
            page_search(r->f, &p, NULL, NULL, bl_last_error());
        else
            page_search(r->f, &p, res, tl, NULL);
        done(r, rc != BL_OK ? http_status(rc) : 200,
             "text/html; charset=utf-8");
    }
    bl_results_free(res);
    bl_results_free(tl);
}

/* The number of articles a feed lists. */
#define FEED_ENTRIES 50

/* GET /feed : the newest articles of a search as Atom. */
static void feed(rq_t *r, bl_searcher_t *s)
{
    char err[256];
    bl_search_options_t o;
    page_req_t p;
    int st = page_search_options(r, &o, &p, err, sizeof err);
    if (st) {
        fail(r, st, err, 0, NULL, 0);
        return;
    }
    o.sort = BL_SORT_DATE;
    if (!p.match)
        o.match_all = 1;
    o.limit = FEED_ENTRIES;
    o.offset = 0;
    o.passages = 1;
    o.spelling = 0;
    int empty = 0;
    char *flt = NULL;
    char *q = query_of(r, &o, &flt, &empty);
    if (q && empty) { /* Every article: the archive's newest. */
        free(q);
        q = strdup(EVERY_DATED);
    }
    if (!q) {
        free(flt);
        fail(r, 503, "out of memory", 0, NULL, 0);
        return;
    }
    o.exact_count = 0; /* (A feed says no count.) */
    bl_results_t *res = NULL;
    bl_status_t rc = bl_search(s, q, &o, &res);
    free(q);
    free(flt);
    if (rc != BL_OK) {
        search_failed(r, rc, res);
        bl_results_free(res);
        return;
    }
    const char *host = header(r, "Host");
    char base[300];
    snprintf(base, sizeof base, "http://%s",
             host && *host && strlen(host) < 256 && !strpbrk(host, "/\\\"<> ")
                 ? host
                 : "localhost");
    p.offset = 0;
    if (body(r) == 0) {
        page_feed(r->f, &p, res, base);
        done(r, 200, "application/atom+xml; charset=utf-8");
    }
    bl_results_free(res);
}

/* GET /article/ID : one article, every match marked, more like it. */
static void html_article(rq_t *r, bl_searcher_t *s, const char *id)
{
    char err[256];
    bl_article_view_t v;
    const char *q = arg(r, "q");
    bl_search_options_t so;
    if (search_options(r, &so, err, sizeof err) != 0)
        bl_search_options_init(&so);
    bl_status_t rc = bl_searcher_article_with(s, id, q, &so, &v);
    if (rc == BL_ESYNTAX || rc == BL_ELIMIT)
        rc = bl_searcher_article(s, id, NULL, &v);
    if (rc != BL_OK) {
        fail(r, http_status(rc), bl_last_error(), 0, NULL, 0);
        return;
    }
    bl_search_options_t o;
    bl_search_options_init(&o);
    o.like = id;
    o.limit = 5;
    o.passages = 0;
    bl_results_t *like = NULL;
    if (bl_search(s, NULL, &o, &like) != BL_OK) {
        bl_results_free(like);
        like = NULL;
    }
    page_req_t p;
    page_state(r, &so, &p);
    if (body(r) == 0) {
        page_article(r->f, &v, like, &p);
        done(r, 200, "text/html; charset=utf-8");
    }
    bl_article_view_clear(&v);
    bl_results_free(like);
}

static void asset(rq_t *r, const char *text, const char *type)
{
    if (body(r) != 0)
        return;
    fputs(text, r->f);
    done(r, 200, type);
}

/* Non-zero if HOST (a Host header) names this server: a loopback name or
 * address, or a name the operator allowed (any port). */
static int host_allowed(const char *host)
{
    size_t n = strlen(host);
    if (host[0] == '[') { /* [::1]:8080 */
        const char *e = strchr(host, ']');
        n = e ? (size_t)(e - host) + 1 : n;
    } else {
        const char *colon = strchr(host, ':');
        n = colon ? (size_t)(colon - host) : n;
    }
    static const char *const LOCAL[] = {"localhost", "127.0.0.1", "[::1]"};
    for (size_t i = 0; i < 3; i++) {
        if (strlen(LOCAL[i]) == n && strncasecmp(host, LOCAL[i], n) == 0)
            return 1;
    }
    for (size_t i = 0; i < cfg.nhosts; i++) {
        if (strlen(cfg.hosts[i]) == n &&
            strncasecmp(host, cfg.hosts[i], n) == 0)
            return 1;
    }
    return 0;
}

void serve_fail(const serve_req_t *in, int status, const char *message,
                serve_resp_t *out)
{
    rq_t r;
    memset(&r, 0, sizeof r);
    memset(out, 0, sizeof *out);
    r.in = in;
    r.out = out;
    r.html = strncmp(in->url, "/api/", 5) != 0;
    if (status == 405)
        out->allow = "GET, HEAD";
    fail(&r, status, message, 0, NULL, 0);
}

/* Answer R, a request that may hold a searcher (route known). */
static void route(rq_t *r)
{
    const char *url = r->in->url;
    if (strcmp(url, "/static/style.css") == 0) {
        asset(r, SERVE_CSS, "text/css; charset=utf-8");
        return;
    }
    if (strcmp(url, "/static/app.js") == 0) {
        asset(r, SERVE_JS, "text/javascript; charset=utf-8");
        return;
    }
    int api = !r->html;
    if (strcmp(url, "/") != 0 && strncmp(url, "/article/", 9) != 0 &&
        strcmp(url, "/feed") != 0 && !api) {
        fail(r, 404, "no such page", 0, NULL, 0);
        return;
    }
    int heavy = is_heavy(r);
    unsigned slot = 0;
    if (acquire(heavy, &slot) != 0) {
        r->out->retry_after = 1;
        fail(r, 503,
             heavy ? "busy: the server is answering as many expensive "
                     "searches (wildcards, expansion, many hits) as it "
                     "takes at once; try again in a moment"
                   : "busy: every searcher is taken; try again in a moment",
             0, NULL, 0);
        return;
    }
    char err[512];
    int status = 500;
    r->slot = slot;
    r->heavy = heavy;
    bl_searcher_t *s = searcher(slot, &status, err, sizeof err);
    if (!s)
        fail(r, status, err, 0, NULL, 0);
    else if (strcmp(url, "/") == 0)
        html_search(r, s);
    else if (strcmp(url, "/feed") == 0)
        feed(r, s);
    else if (strncmp(url, "/article/", 9) == 0 && url[9])
        html_article(r, s, url + 9);
    else if (strncmp(url, "/article/", 9) == 0)
        fail(r, 404, "no such page", 0, NULL, 0);
    else if (strcmp(url, "/api/v1/search") == 0)
        api_search(r, s);
    else if (strcmp(url, "/api/v1/export") == 0)
        api_export(r, s);
    else if (strncmp(url, "/api/v1/article/", 16) == 0 && url[16])
        api_article(r, s, url + 16);
    else if (strncmp(url, "/api/v1/similar/", 16) == 0 && url[16])
        api_similar(r, s, url + 16);
    else if (strcmp(url, "/api/v1/suggest") == 0)
        api_suggest(r, s);
    else if (strcmp(url, "/api/v1/stats") == 0)
        api_stats(r, s);
    else
        fail(r, 404, "no such endpoint", 0, NULL, 0);
    if (!r->out->read) /* (A stream holds its searcher until it is done.) */
        release(slot, heavy);
}

void serve_handle(const serve_req_t *in, serve_resp_t *out)
{
    rq_t r;
    memset(&r, 0, sizeof r);
    memset(out, 0, sizeof *out);
    r.in = in;
    r.out = out;
    r.html = strncmp(in->url, "/api/", 5) != 0;
    const char *host = header(&r, "Host");
    const char *q = arg(&r, "q");
    if (strcmp(in->method, "GET") != 0 && strcmp(in->method, "HEAD") != 0) {
        out->allow = "GET, HEAD";
        fail(&r, 405, "only GET and HEAD", 0, NULL, 0);
    } else if (in->has_body) {
        fail(&r, 413, "requests take no body", 0, NULL, 0);
    } else if (cfg.check_host && host && !host_allowed(host)) {
        fail(&r, 421,
             "this server does not answer for that host name (start it "
             "with --allow-host NAME to serve it under NAME)",
             0, NULL, 0);
    } else if (strlen(in->url) > MAX_URL) {
        fail(&r, 414, "the URL is too long", 0, NULL, 0);
    } else if (q && strlen(q) > MAX_QUERY) {
        fail(&r, 414, "the query is too long", 0, NULL, 0);
    } else {
        route(&r);
    }
    if (r.f) { /* (Every path above finishes its body.) */
        fclose(r.f);
        r.f = NULL;
    }
    for (size_t i = 0; i < r.nown; i++)
        free(r.own[i].value);
}

void serve_resp_clear(serve_resp_t *out)
{
    free(out->body);
    if (out->done)
        out->done(out->cls);
    memset(out, 0, sizeof *out);
}
