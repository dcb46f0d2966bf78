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
#include "handler_internal.h"

serve_config_t cfg;

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

void release(unsigned slot, int heavy)
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
const char *arg(rq_t *r, const char *name)
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

const char *header(rq_t *r, const char *name)
{
    return r->in->get(r->in->ctx, SERVE_HEADER, name);
}

/* Start the answer's body; 0, or -1 (out of memory: a bare 503). */
int body(rq_t *r)
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
void done(rq_t *r, int status, const char *type)
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
void fail(rq_t *r, int status, const char *message, unsigned column,
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
int http_status(bl_status_t rc)
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
void search_failed(rq_t *r, bl_status_t rc, const bl_results_t *res)
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
void time_note(char *buf, size_t len)
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
const char *page_note(char *buf, size_t len, const bl_results_t *res)
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
int two_ways(rq_t *r, const char *name, const char *a, const char *b,
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
int search_options(rq_t *r, bl_search_options_t *o, char *err,
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
    /* The words of sort, match, duplicates, quotes and expand are the
     * library's. */
    const struct {
        bl_option_t opt;
        int *value;
    } words[] = {
        {BL_OPTION_MATCH, &o->match_all},
        {BL_OPTION_DUPLICATES, &o->show_duplicates},
        {BL_OPTION_QUOTES, &o->stem_quotes},
        {BL_OPTION_EXPAND, &o->expand},
    };
    int w;
    if ((v = arg(r, "sort"))) {
        if (bl_option_parse(BL_OPTION_SORT, v, &w) != BL_OK) {
            snprintf(err, errlen, "%s", bl_last_error());
            return 400;
        }
        o->sort = (bl_sort_t)w;
    }
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        if ((v = arg(r, bl_option_name(words[i].opt))) &&
            bl_option_parse(words[i].opt, v, words[i].value) != BL_OK) {
            snprintf(err, errlen, "%s", bl_last_error());
            return 400;
        }
    }
    int exact = 0;
    if (two_ways(r, "count", "estimate", "exact", &exact, err, errlen))
        return 400;
    o->exact_count = exact ? EXACT_COUNT : 0;
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

/* The query of the request for the search page, the API, the feed,
 * the export: Q, with the request's filters in O->filter (*FILTER holds
 * them: free it after the search); Q empty, the filters are the query
 * (every article that passes them), or every dated article for a date
 * window alone.  Malloc'ed, NULL when out of memory (*EMPTY: there is
 * nothing to search). */
char *query_of(rq_t *r, bl_search_options_t *o, char **filter,
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
int is_heavy(rq_t *r)
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
void hide_paths(bl_article_t *a)
{
    if (cfg.show_paths || !a->path)
        return;
    free(a->path);
    a->path = NULL;
}

/* Run Q with O into *RES (the files' paths hidden) and start the answer's
 * body: 0; or -1 after the error answer (nothing to free). */
int searched(rq_t *r, bl_searcher_t *s, const char *q,
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

/* R as a request IN under way, its answer OUT empty. */
static void begin(rq_t *r, const serve_req_t *in, serve_resp_t *out)
{
    memset(r, 0, sizeof *r);
    memset(out, 0, sizeof *out);
    r->in = in;
    r->out = out;
    r->html = strncmp(in->url, "/api/", 5) != 0;
}

void serve_fail(const serve_req_t *in, int status, const char *message,
                serve_resp_t *out)
{
    rq_t r;
    begin(&r, in, out);
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
    begin(&r, in, out);
    const char *host = header(&r, "Host");
    const char *q = arg(&r, "q");
    if (strcmp(in->method, "GET") != 0 && strcmp(in->method, "HEAD") != 0) {
        out->allow = "GET, HEAD";
        fail(&r, 405, "only GET and HEAD", 0, NULL, 0);
    } else if (in->has_body) {
        fail(&r, 413, "requests take no body", 0, NULL, 0);
    } else if (in->head_bytes > MAX_HEAD) {
        fail(&r, 431, "the request's headers are too long", 0, NULL, 0);
    } else if (in->target_bytes > MAX_TARGET) {
        fail(&r, 414, "the URL is too long", 0, NULL, 0);
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
