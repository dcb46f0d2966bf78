/*
 * byline-serve: a Byline index as an HTTP JSON API and a search page.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * libmicrohttpd's thread pool answers; each of its threads opens its own
 * searcher on first use (a searcher is for one thread at a time), which
 * follows the index's commits by itself (bl_search() refreshes, and
 * reopens and retries when an indexer beside us moved the revision it
 * read).  Read-only; GET and HEAD only; every response carries a strict
 * Content-Security-Policy.  The search itself, its JSON, and the page's
 * escaping go through the library (byline/search.h, byline/output.h) and
 * page.c's writers.
 */
#define _GNU_SOURCE /* open_memstream() */
#include <arpa/inet.h>
#include <getopt.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "byline/output.h"
#include "byline/schema.h"
#include "byline/search.h"
#include "cli.h"
#include "serve.h"

#define MAX_URL 4096     /* Longer: 414. */
#define MAX_QUERY 1024   /* A longer query: 414. */
#define MAX_LIMIT 100
#define MAX_OFFSET 10000
#define REQUEST_SECONDS 10

static const char *db_path;
static size_t cache_bytes = BL_CACHE_DEFAULT; /* Per thread. */
static _Thread_local bl_searcher_t *thread_searcher;
/* Every thread's searcher, freed once the daemon has stopped. */
static pthread_mutex_t all_mu = PTHREAD_MUTEX_INITIALIZER;
static bl_searcher_t **all;
static size_t nall;

/* The searcher of this thread (opened on first use); NULL after a
 * message in *ERR with the status in *STATUS. */
static bl_searcher_t *searcher(int *status, char *err, size_t errlen)
{
    if (thread_searcher)
        return thread_searcher;
    bl_status_t rc = bl_searcher_open(db_path, &thread_searcher);
    if (rc == BL_OK && cache_bytes != BL_CACHE_DEFAULT)
        bl_searcher_set_cache(thread_searcher, cache_bytes); /* (Or none.) */
    if (rc != BL_OK) {
        *status = rc == BL_ENETWORK ? 503 : 500;
        snprintf(err, errlen, "%s", bl_last_error());
        thread_searcher = NULL;
        return NULL;
    }
    pthread_mutex_lock(&all_mu);
    bl_searcher_t **a = realloc(all, (nall + 1) * sizeof *a);
    if (a) {
        all = a;
        all[nall++] = thread_searcher;
    }
    pthread_mutex_unlock(&all_mu);
    if (!a) {
        bl_searcher_free(thread_searcher);
        thread_searcher = NULL;
        *status = 503;
        snprintf(err, errlen, "out of memory");
    }
    return thread_searcher;
}

/* A response being written into memory. */
typedef struct body {
    FILE *f;
    char *data;
    size_t len;
} body_t;

static int body_open(body_t *b)
{
    memset(b, 0, sizeof *b);
    b->f = open_memstream(&b->data, &b->len);
    return b->f ? 0 : -1;
}

/* Queue B (closed here) as the response with STATUS and TYPE. */
static enum MHD_Result send_body(struct MHD_Connection *c, body_t *b,
                                 int status, const char *type)
{
    fclose(b->f);
    struct MHD_Response *r = MHD_create_response_from_buffer(
        b->len, b->data, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(b->data);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(
        r, "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; "
        "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return ret;
}

/* A JSON error {"error":{"status":S,"message":M[,"column":C]}}: COLUMN
 * (1-based, in characters) of a query syntax error, 0 for none. */
static enum MHD_Result json_error(struct MHD_Connection *c, int status,
                                  const char *message, unsigned column)
{
    body_t b;
    if (body_open(&b) != 0)
        return MHD_NO;
    fprintf(b.f, "{\"error\":{\"status\":%d,\"message\":", status);
    bl_json_string(b.f, message);
    if (column > 0)
        fprintf(b.f, ",\"column\":%u", column);
    fputs("}}\n", b.f);
    return send_body(c, &b, status, "application/json");
}

static enum MHD_Result page_fail(struct MHD_Connection *c, int status,
                                 const char *message)
{
    body_t b;
    if (body_open(&b) != 0)
        return MHD_NO;
    page_error(b.f, status, message);
    return send_body(c, &b, status, "text/html; charset=utf-8");
}

static const char *arg(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
}

/* The HTTP status of a library status. */
static int http_status(bl_status_t rc)
{
    switch (rc) {
    case BL_ESYNTAX:
    case BL_EARG: return 400;
    case BL_ENOTFOUND: return 404;
    case BL_ENETWORK: return 503;
    case BL_ENOMEM: return 503;
    default: return 500;
    }
}

/* Read the options of a search request into O; 0, or an HTTP status
 * after a message in ERR. */
static int search_options(struct MHD_Connection *c, bl_search_options_t *o,
                          char *err, size_t errlen)
{
    const char *v;
    char *end = NULL;
    bl_search_options_init(o);
    if ((v = arg(c, "limit"))) {
        unsigned long n = strtoul(v, &end, 10);
        if (!*v || *end || n < 1 || n > MAX_LIMIT) {
            snprintf(err, errlen, "limit: 1 to %d", MAX_LIMIT);
            return 400;
        }
        o->limit = (unsigned)n;
    }
    if ((v = arg(c, "offset"))) {
        unsigned long n = strtoul(v, &end, 10);
        if (!*v || *end || n > MAX_OFFSET) {
            snprintf(err, errlen, "offset: 0 to %d", MAX_OFFSET);
            return 400;
        }
        o->offset = (unsigned)n;
    }
    if ((v = arg(c, "passages"))) {
        if (strlen(v) != 1 || v[0] < '0' || v[0] > '0' + BL_MAX_PASSAGES) {
            snprintf(err, errlen, "passages: 0 to %d", BL_MAX_PASSAGES);
            return 400;
        }
        o->passages = (unsigned)(v[0] - '0');
    }
    if ((v = arg(c, "sort"))) {
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
    if ((v = arg(c, "match"))) {
        if (strcmp(v, "any") && strcmp(v, "all")) {
            snprintf(err, errlen, "match: any or all");
            return 400;
        }
        o->match_all = strcmp(v, "all") == 0;
    }
    if ((v = arg(c, "duplicates"))) {
        if (strcmp(v, "collapse") && strcmp(v, "show")) {
            snprintf(err, errlen, "duplicates: collapse or show");
            return 400;
        }
        o->show_duplicates = strcmp(v, "show") == 0;
    }
    if ((v = arg(c, "expand"))) {
        if (strcmp(v, "rm3") == 0 || strcmp(v, "1") == 0)
            o->expand = BL_EXPAND_RM3;
        else if (strcmp(v, "bo1") == 0)
            o->expand = BL_EXPAND_BO1;
        else if (strcmp(v, "0") != 0) {
            snprintf(err, errlen, "expand: rm3, bo1 or 0");
            return 400;
        }
    }
    if ((v = arg(c, "facets")) && bl_facets_parse(v, &o->facets) != BL_OK) {
        snprintf(err, errlen, "facets: %s", bl_last_error());
        return 400;
    }
    return 0;
}

/* Run query Q with options O into *RES and open the body *B of its
 * answer: 0; or -1 after queueing the JSON error (its result in *RET). */
static int search_into(struct MHD_Connection *c, bl_searcher_t *s,
                       const char *q, const bl_search_options_t *o,
                       bl_results_t **res, body_t *b, enum MHD_Result *ret)
{
    bl_status_t rc = bl_search(s, q, o, res);
    if (rc != BL_OK) {
        *ret = json_error(c, http_status(rc), bl_last_error(),
                          *res ? (*res)->error_column : 0);
        bl_results_free(*res);
        *res = NULL;
        return -1;
    }
    if (body_open(b) != 0) {
        bl_results_free(*res);
        *ret = MHD_NO;
        return -1;
    }
    return 0;
}

/* GET /api/v1/search */
static enum MHD_Result api_search(struct MHD_Connection *c,
                                  bl_searcher_t *s)
{
    char err[256];
    bl_search_options_t o;
    const char *q = arg(c, "q");
    int st = search_options(c, &o, err, sizeof err);
    if (st)
        return json_error(c, st, err, 0);
    if (!q || !*q)
        return json_error(c, 400, "q: give a query", 0);
    bl_results_t *res = NULL;
    body_t b;
    enum MHD_Result ret;
    if (search_into(c, s, q, &o, &res, &b, &ret) != 0)
        return ret;
    fputs("{\"query\":", b.f);
    bl_json_string(b.f, q);
    fprintf(b.f, ",\"matches\":%u,\"matches_exact\":%s,\"offset\":%u,"
                 "\"limit\":%u,\"hits\":",
            res->matches_estimated,
            res->matches_lower == res->matches_upper ? "true" : "false",
            o.offset, o.limit);
    bl_json_hits(b.f, res);
    fputs(",\"facets\":", b.f);
    bl_json_facets(b.f, res);
    fputs(",\"suggestion\":", b.f);
    bl_json_string(b.f, res->suggestion);
    fputs("}\n", b.f);
    bl_results_free(res);
    return send_body(c, &b, 200, "application/json");
}

/* GET /api/v1/article/ID */
static enum MHD_Result api_article(struct MHD_Connection *c,
                                   bl_searcher_t *s, const char *id)
{
    bl_article_view_t v;
    const char *q = arg(c, "q");
    bl_status_t rc = bl_searcher_article(s, id, q, &v);
    if (rc != BL_OK)
        return json_error(c, http_status(rc), bl_last_error(),
                          rc == BL_ESYNTAX ? v.error_column : 0);
    body_t b;
    if (body_open(&b) != 0) {
        bl_article_view_clear(&v);
        return MHD_NO;
    }
    /* The article object of --list, with the highlights. */
    fputs("{\"article\":", b.f);
    char *line = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&line, &len);
    if (m) {
        bl_json_article(m, &v.article);
        fclose(m);
        if (len && line[len - 1] == '\n')
            len--;
        fwrite(line, 1, len, b.f);
    }
    free(line);
    fputs(",\"title_highlights\":", b.f);
    bl_json_spans(b.f, v.title_hl, v.ntitle_hl);
    fputs(",\"body_highlights\":", b.f);
    bl_json_spans(b.f, v.body_hl, v.nbody_hl);
    fputs("}\n", b.f);
    bl_article_view_clear(&v);
    return send_body(c, &b, 200, "application/json");
}

/* GET /api/v1/similar/ID */
static enum MHD_Result api_similar(struct MHD_Connection *c,
                                   bl_searcher_t *s, const char *id)
{
    char err[256];
    bl_search_options_t o;
    int st = search_options(c, &o, err, sizeof err);
    if (st)
        return json_error(c, st, err, 0);
    o.like = id;
    bl_results_t *res = NULL;
    body_t b;
    enum MHD_Result ret;
    if (search_into(c, s, NULL, &o, &res, &b, &ret) != 0)
        return ret;
    fputs("{\"like\":", b.f);
    bl_json_string(b.f, id);
    fputs(",\"hits\":", b.f);
    bl_json_hits(b.f, res);
    fputs("}\n", b.f);
    bl_results_free(res);
    return send_body(c, &b, 200, "application/json");
}

/* GET /api/v1/suggest */
static enum MHD_Result api_suggest(struct MHD_Connection *c,
                                   bl_searcher_t *s)
{
    const char *q = arg(c, "q");
    if (!q || !*q)
        return json_error(c, 400, "q: give a query", 0);
    bl_search_options_t o;
    bl_search_options_init(&o);
    o.limit = 1;
    o.passages = 0;
    bl_results_t *res = NULL;
    body_t b;
    enum MHD_Result ret;
    if (search_into(c, s, q, &o, &res, &b, &ret) != 0)
        return ret;
    fputs("{\"query\":", b.f);
    bl_json_string(b.f, q);
    fputs(",\"suggestion\":", b.f);
    bl_json_string(b.f, res->suggestion);
    fputs("}\n", b.f);
    bl_results_free(res);
    return send_body(c, &b, 200, "application/json");
}

/* GET /api/v1/stats */
static enum MHD_Result api_stats(struct MHD_Connection *c, bl_searcher_t *s)
{
    bl_index_info_t in;
    bl_searcher_info(s, &in);
    body_t b;
    if (body_open(&b) != 0)
        return MHD_NO;
    fprintf(b.f, "{\"articles\":%lu,\"shards\":%u,\"remote\":%s,"
                 "\"last_commit\":%lld,\"schema\":",
            in.articles, in.shards, in.remote ? "true" : "false",
            in.last_commit);
    bl_json_string(b.f, in.schema);
    fputs(",\"analyzer\":{\"language\":", b.f);
    bl_json_string(b.f, in.language);
    fprintf(b.f, ",\"fold_accents\":%s,\"stopwords\":%s},\"version\":",
            in.fold_accents ? "true" : "false",
            in.stopwords ? "true" : "false");
    bl_json_string(b.f, bl_version());
    fputs("}\n", b.f);
    return send_body(c, &b, 200, "application/json");
}

/* GET / : the search page (server-rendered). */
static enum MHD_Result html_search(struct MHD_Connection *c,
                                   bl_searcher_t *s)
{
    char err[256];
    page_req_t r = {arg(c, "q"), arg(c, "sort"), 0, 0};
    bl_search_options_t o;
    if (!r.q)
        r.q = "";
    if (!r.sort)
        r.sort = "relevance";
    int st = search_options(c, &o, err, sizeof err);
    body_t b;
    if (body_open(&b) != 0)
        return MHD_NO;
    if (st) {
        page_search(b.f, &r, NULL, NULL, err);
        return send_body(c, &b, st, "text/html; charset=utf-8");
    }
    r.show_dups = o.show_duplicates;
    r.offset = o.offset;
    bl_results_t *res = NULL, *tl = NULL;
    bl_status_t rc = BL_OK;
    int status = 200;
    if (*r.q) {
        o.facets = BL_FACET_YEAR | BL_FACET_AUTHOR | BL_FACET_SOURCE |
                   BL_FACET_CATEGORY;
        rc = bl_search(s, r.q, &o, &res);
        if (rc == BL_OK) {
            /* The timeline: every year that matches. */
            bl_search_options_t t = o;
            t.limit = 1;
            t.offset = 0;
            t.passages = 0;
            t.facets = BL_FACET_YEAR;
            t.facet_values = 200;
            t.spelling = 0;
            if (bl_search(s, r.q, &t, &tl) != BL_OK) {
                bl_results_free(tl);
                tl = NULL;
            }
        }
    }
    if (rc != BL_OK) {
        status = http_status(rc);
        page_search(b.f, &r, NULL, NULL, bl_last_error());
    } else {
        page_search(b.f, &r, res, tl, NULL);
    }
    bl_results_free(res);
    bl_results_free(tl);
    return send_body(c, &b, status, "text/html; charset=utf-8");
}

/* GET /article/ID : one article, every match marked, more like it. */
static enum MHD_Result html_article(struct MHD_Connection *c,
                                    bl_searcher_t *s, const char *id)
{
    bl_article_view_t v;
    const char *q = arg(c, "q");
    bl_status_t rc = bl_searcher_article(s, id, q, &v);
    if (rc == BL_ESYNTAX)
        rc = bl_searcher_article(s, id, NULL, &v);
    if (rc != BL_OK)
        return page_fail(c, http_status(rc), bl_last_error());
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
    body_t b;
    if (body_open(&b) != 0) {
        bl_article_view_clear(&v);
        bl_results_free(like);
        return MHD_NO;
    }
    page_article(b.f, &v, like, q);
    bl_article_view_clear(&v);
    bl_results_free(like);
    return send_body(c, &b, 200, "text/html; charset=utf-8");
}

static enum MHD_Result asset(struct MHD_Connection *c, const char *text,
                             const char *type)
{
    body_t b;
    if (body_open(&b) != 0)
        return MHD_NO;
    fputs(text, b.f);
    return send_body(c, &b, 200, type);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c,
                              const char *url, const char *method,
                              const char *version, const char *upload,
                              size_t *upload_size, void **state)
{
    (void)cls;
    (void)version;
    (void)upload;
    if (!*state) {
        /* First call: the headers.  Other methods are refused before
         * their body is read. */
        *state = c;
        if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
            return json_error(c, 405, "only GET and HEAD", 0);
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                     "Content-Length");
        if ((cl && strcmp(cl, "0") != 0) ||
            MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                        "Transfer-Encoding"))
            return json_error(c, 413, "requests take no body", 0);
        return MHD_YES;
    }
    if (*upload_size) {
        *upload_size = 0;
        return json_error(c, 413, "requests take no body", 0);
    }
    if (strlen(url) > MAX_URL)
        return json_error(c, 414, "the URL is too long", 0);
    const char *q = arg(c, "q");
    if (q && strlen(q) > MAX_QUERY)
        return json_error(c, 414, "the query is too long", 0);
    if (strcmp(url, "/static/style.css") == 0)
        return asset(c, SERVE_CSS, "text/css; charset=utf-8");
    if (strcmp(url, "/static/app.js") == 0)
        return asset(c, SERVE_JS, "text/javascript; charset=utf-8");
    int api = strncmp(url, "/api/", 5) == 0;
    if (strcmp(url, "/") != 0 && strncmp(url, "/article/", 9) != 0 && !api)
        return page_fail(c, 404, "no such page");
    char err[512];
    int status = 500;
    bl_searcher_t *s = searcher(&status, err, sizeof err);
    if (!s)
        return api ? json_error(c, status, err, 0)
                   : page_fail(c, status, err);
    if (strcmp(url, "/") == 0)
        return html_search(c, s);
    if (strncmp(url, "/article/", 9) == 0 && url[9])
        return html_article(c, s, url + 9);
    if (strcmp(url, "/api/v1/search") == 0)
        return api_search(c, s);
    if (strncmp(url, "/api/v1/article/", 16) == 0 && url[16])
        return api_article(c, s, url + 16);
    if (strncmp(url, "/api/v1/similar/", 16) == 0 && url[16])
        return api_similar(c, s, url + 16);
    if (strcmp(url, "/api/v1/suggest") == 0)
        return api_suggest(c, s);
    if (strcmp(url, "/api/v1/stats") == 0)
        return api_stats(c, s);
    return json_error(c, 404, "no such endpoint", 0);
}

/* A request is over: its state goes (the thread's searcher stays, for
 * the next request of that thread). */
static void completed(void *cls, struct MHD_Connection *c, void **state,
                      enum MHD_RequestTerminationCode code)
{
    (void)cls;
    (void)c;
    (void)code;
    *state = NULL;
}

static void usage(FILE *f)
{
    fprintf(f,
"Usage: %s [OPTION]...\n"
"Serve a Byline index: a search page at / and a JSON API at /api/v1/.\n"
"\n"
"  -d, --db PATH          the index (default: $BYLINE_DB, else ./byline.db)\n"
"  -l, --listen ADDR:PORT where to listen (default 127.0.0.1:8080)\n"
"  -j, --threads N        threads answering (default: 2 per processor)\n"
"  -c, --cache-mb N       stored articles each thread keeps in memory, in\n"
"                         MB (default 8; 0: none)\n"
"  -h, --help             show this help and exit\n"
"  -V, --version          show the version and exit\n"
"\n"
"API (GET): /api/v1/search?q=...&limit=&offset=&sort=&match=&facets=\n"
"  &duplicates=&expand=&passages=   /api/v1/article/ID?q=...\n"
"  /api/v1/similar/ID   /api/v1/suggest?q=...   /api/v1/stats\n"
"Errors are JSON {\"error\":{\"status\":N,\"message\":...}} with the\n"
"HTTP status: 400 (a query syntax error, with its column), 404, 405,\n"
"413, 414, 503 (a shard that cannot be reached).\n"
"\n"
"Exit status: 0 after SIGINT or SIGTERM, 2 on a usage error or when the\n"
"index cannot be opened or the address taken.\n",
            cli_prog);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 'j'},
        {"cache-mb", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    const char *listen_at = "127.0.0.1:8080";
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = ncpu > 0 ? 2 * (unsigned)ncpu : 2;
    int c;
    cli_prog = "byline-serve";
    while ((c = getopt_long(argc, argv, "d:l:j:c:hV", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db_path = optarg; break;
        case 'l': listen_at = optarg; break;
        case 'j':
            threads = cli_uint("--threads", optarg);
            if (threads < 1 || threads > 256) {
                cli_error("--threads must be between 1 and 256");
                return EXIT_FATAL;
            }
            break;
        case 'c':
            cache_bytes = cli_uint("--cache-mb", optarg);
            if (cache_bytes > 4096) {
                cli_error("--cache-mb must be at most 4096");
                return EXIT_FATAL;
            }
            cache_bytes <<= 20;
            break;
        case 'h': usage(stdout); return EXIT_ALL_OK;
        case 'V': cli_version(); return EXIT_ALL_OK;
        default:
            fprintf(stderr, "Try '%s --help'.\n", cli_prog);
            return EXIT_FATAL;
        }
    }
    if (optind < argc) {
        cli_error("unexpected argument '%s'", argv[optind]);
        fprintf(stderr, "Try '%s --help'.\n", cli_prog);
        return EXIT_FATAL;
    }
    db_path = cli_db_path(db_path);
    /* The index must open now, not at the first request. */
    bl_searcher_t *probe = NULL;
    if (bl_searcher_open(db_path, &probe) != BL_OK) {
        cli_error("%s", bl_last_error());
        return EXIT_FATAL;
    }
    bl_searcher_free(probe);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    char host[64];
    const char *colon = strrchr(listen_at, ':');
    unsigned long port = colon ? strtoul(colon + 1, NULL, 10) : 0;
    if (!colon || (size_t)(colon - listen_at) >= sizeof host || port == 0 ||
        port > 65535) {
        cli_error("--listen: expected ADDR:PORT (127.0.0.1:8080), not '%s'",
                  listen_at);
        return EXIT_FATAL;
    }
    snprintf(host, sizeof host, "%.*s", (int)(colon - listen_at), listen_at);
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
        cli_error("--listen: '%s' is not an IPv4 address", host);
        return EXIT_FATAL;
    }
    sa.sin_port = htons((uint16_t)port);
    /* SIGINT and SIGTERM are taken by sigwait() below, in no thread. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
            MHD_USE_ERROR_LOG,
        (uint16_t)port, NULL, NULL, handle, NULL, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)REQUEST_SECONDS,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
        MHD_OPTION_CONNECTION_LIMIT, 1000u, MHD_OPTION_NOTIFY_COMPLETED,
        completed, NULL, MHD_OPTION_END);
    if (!d) {
        cli_error("cannot listen on %s (in use, or not this machine's?)",
                  listen_at);
        return EXIT_FATAL;
    }
    fprintf(stderr, "%s: serving %s at http://%s/ (%u threads)\n", cli_prog,
            db_path, listen_at, threads);
    int sig = 0;
    do {
        sigwait(&sigs, &sig);
    } while (sig == SIGPIPE);
    fprintf(stderr, "%s: stopping\n", cli_prog);
    MHD_stop_daemon(d);
    for (size_t i = 0; i < nall; i++)
        bl_searcher_free(all[i]);
    free(all);
    return EXIT_ALL_OK;
}
