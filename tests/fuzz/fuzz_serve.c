/*
 * libFuzzer harness for byline-serve's requests (src/serve/handler.c),
 * in-process, over a small index the harness builds on its first call
 * (news articles, one of them hostile: markup, quotes, a right-to-left
 * override, bytes that are not UTF-8 in its fields).  Whatever the
 * request, the answer has a status the server documents and a type; a
 * JSON answer is one JSON object in UTF-8 (tests/fuzz/fuzz_check.h); an
 * HTML one is a page whose only markup is the page's own; a 405 says
 * what is allowed; API routes answer JSON and the others HTML.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Input (at most 4 KiB), as HTTP would bring it to libmicrohttpd:
 *   METHOD SP TARGET [SP anything] LF         (the request line)
 *   Name: value LF                            (headers, up to a blank line)
 *   anything                                  (ignored: a body)
 * TARGET is the path (percent-decoded, as libmicrohttpd gives it to the
 * handler) and, after a '?', the query string: name=value pairs split at
 * '&', each percent-decoded with '+' as a space (a name without '=' has no
 * value; the first of a repeated name wins).  Header names are matched in
 * any case.  A Content-Length other than "0", or a Transfer-Encoding,
 * makes a request with a body (as byline-serve.c decides).  A CR before a
 * LF is dropped.
 */
#define _GNU_SOURCE /* mkdtemp() */
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "byline/index.h"
#include "fuzz_check.h"
#include "serve.h"

#define MAX_INPUT 4096
#define MAX_PAIRS 32

/* ---- The index ---------------------------------------------------------- */

/* The articles: the scraped-news text layout (title, the title again,
 * author, date, paragraphs at blank lines; corpus/README.md) and JSON
 * lines for the fields that layout has not (source, categories, url). */
static const struct {
    const char *name, *text;
} ARTICLES[] = {
    {"harbor.txt",
     "Harbor Pilots Walk Out Over Safety\n\n"
     "Harbor Pilots Walk Out Over Safety\n"
     "Marta Vance\n"
     "3/12/2019\n\n"
     "Pilots at the Northfield port walked out on Monday, saying the "
     "channel was unsafe after the storm. Nobody expected trouble at the "
     "harbor\n\n"
     "Pilots said the port authority ignored their warnings for months.\n\n"
     "Talks resume on Friday, the union said.\n"},
    {"cocoa.txt",
     "Cocoa Prices Climb as Drought Spreads\n\n"
     "Cocoa Prices Climb as Drought Spreads\n"
     "Tom Hale\n"
     "7/31/2018\n\n"
     "Cocoa futures rose for a fifth day as the drought spread across the "
     "growing regions.\n\n"
     "Traders said the harvest could fall by a tenth.\n"},
    {"bridge.txt",
     "Old Bridge Closed After Inspection\n\n"
     "Old Bridge Closed After Inspection\n"
     "Ana Ruiz\n"
     "11/2/2017\n\n"
     "Engineers closed the old river bridge after finding cracks in two "
     "piers.\n\n"
     "Commuters face detours of up to forty minutes while repairs go "
     "on.\n"},
    {"budget.txt", /* Plain: a title, then the body. */
     "Council Passes Leaner Budget\n\n"
     "The city council passed a budget that cuts spending on roads and "
     "raises it for schools and the harbor.\n"},
    {"hostile.txt",
     "<script>alert(\"t\")</script> \"Quoted\" \xe2\x80\xae"
     "evil\xe2\x80\xac & <b>title</b>\n\n"
     "<script>alert(\"t\")</script> \"Quoted\" \xe2\x80\xae"
     "evil\xe2\x80\xac & <b>title</b>\n"
     "Mallory \"The Hammer\" <img src=x onerror=alert(1)>\n"
     "7/4/2018\n\n"
     "Harbor <iframe src=\"javascript:alert(1)\"></iframe> pilots and "
     "'single' quotes, Latin-1 bytes \xff\xfe\xe9, an override "
     "\xe2\x80\xae here.\n\n"
     "javascript:alert(1) <a href=\"//evil.example\">click</a> strike "
     "\"harbor\n\n"
     "pilots\" cocoa.\n"},
    {"wire.jsonl",
     "{\"id\":\"w-1\",\"title\":\"Port strike ends after five days\","
     "\"body\":\"Dock workers returned to work on Friday.\\n\\nThe harbor "
     "reopened.\",\"date\":\"2020-05-01\",\"author\":\"Marta Vance\","
     "\"source\":\"Coastal Wire\",\"categories\":[\"labour\","
     "\"shipping\"],\"url\":\"https://example.org/strike\"}\n"
     "{\"id\":\"evil\\\"<id>?&#x\",\"title\":\"<svg onload=alert(1)> "
     "\\u202eharbor\",\"body\":\"Strike <script>x</script> harbor "
     "pilots.\\n\\n\\\"Quoted\\\" & more.\",\"date\":\"1987-02-26\","
     "\"author\":\"O\\\"Brien <i>\",\"source\":\"Evil \\\"Wire\\\" "
     "\\u202e<b>\",\"categories\":[\"cat\\\"egory\",\"<b>bold</b>\","
     "\"a\\\\b\"],\"url\":\"javascript:alert(1)\"}\n"},
};

static char top[4096], db[4200];

/* Remove what nftw() walks (deepest first). */
static int rm_one(const char *path, const struct stat *st, int flag,
                  struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

static void at_exit(void)
{
    serve_stop();
    if (top[0])
        nftw(top, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Write the articles under TOP/corpus, index them into TOP/idx and start
 * the server on it; abort() on any failure. */
static void setup(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(top, sizeof top, "%s/byline-fuzz-serve-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(top))
        abort();
    atexit(at_exit);
    char corpus[4200], path[4400];
    snprintf(corpus, sizeof corpus, "%s/corpus", top);
    snprintf(db, sizeof db, "%s/idx", top);
    if (mkdir(corpus, 0700) != 0)
        abort();
    for (size_t i = 0; i < sizeof ARTICLES / sizeof ARTICLES[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", corpus, ARTICLES[i].name);
        FILE *f = fopen(path, "wb");
        if (!f || fputs(ARTICLES[i].text, f) < 0 || fclose(f) != 0)
            abort();
    }
    bl_indexer_t *ix = NULL;
    bl_ingest_options_t o;
    bl_ingest_summary_t sum;
    bl_ingest_callbacks_t cb = {NULL, NULL, NULL, NULL, NULL};
    const char *root = corpus;
    memset(&o, 0, sizeof o);
    if (bl_indexer_open(db, NULL, &ix) != BL_OK ||
        bl_index_paths(ix, &root, 1, &o, &cb, &sum) != BL_OK ||
        bl_indexer_finish(ix, 1, NULL) != BL_OK)
        abort();
    if (sum.articles < 7)
        abort(); /* The index is not what the seeds expect. */
    static serve_config_t c;
    memset(&c, 0, sizeof c);
    c.db = db;
    c.searchers = 2;
    c.heavy_slots = 1;
    c.queue_ms = 100;
    c.cache_bytes = BL_CACHE_DEFAULT;
    c.limits.wildcard_terms = 50;
    c.limits.wildcard_scan = 2000;
    c.limits.time_ms = 200;
    c.check_host = 1;
    if (serve_start(&c) != 0)
        abort();
}

/* ---- One request ------------------------------------------------------- */

typedef struct pair {
    char *name, *value; /* VALUE NULL: the name alone. */
} pair_t;

typedef struct req {
    pair_t args[MAX_PAIRS], headers[MAX_PAIRS];
    size_t nargs, nheaders;
} req_t;

static int hex(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* LEN bytes of S percent-decoded ('+' a space if PLUS) into a malloc'ed
 * C string (cut at a decoded NUL, as C sees it), or NULL when out of
 * memory. */
static char *decode(const char *s, size_t len, int plus)
{
    char *out = malloc(len + 1), *o = out;
    for (size_t i = 0; out && i < len; i++) {
        if (s[i] == '%' && len - i > 2 && hex(s[i + 1]) >= 0 &&
            hex(s[i + 2]) >= 0) {
            *o++ = (char)(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else {
            *o++ = plus && s[i] == '+' ? ' ' : s[i];
        }
    }
    if (out)
        *o = '\0';
    return out;
}

/* The query string S (LEN bytes) into R's arguments. */
static void parse_query(req_t *r, const char *s, size_t len)
{
    for (size_t at = 0; at < len && r->nargs < MAX_PAIRS;) {
        const char *amp = memchr(s + at, '&', len - at);
        size_t end = amp ? (size_t)(amp - s) : len;
        const char *eq = memchr(s + at, '=', end - at);
        if (end > at) {
            pair_t *p = &r->args[r->nargs++];
            size_t nend = eq ? (size_t)(eq - s) : end;
            p->name = decode(s + at, nend - at, 1);
            p->value = eq ? decode(eq + 1, end - nend - 1, 1) : NULL;
        }
        at = end + 1;
    }
}

/* The bytes of P's name and value (either may be missing). */
static size_t span(const pair_t *p)
{
    return (p->name ? strlen(p->name) : 0) + (p->value ? strlen(p->value) : 0);
}

static const char *get(void *ctx, int kind, const char *name)
{
    req_t *r = ctx;
    const pair_t *p = kind == SERVE_ARG ? r->args : r->headers;
    size_t n = kind == SERVE_ARG ? r->nargs : r->nheaders;
    for (size_t i = 0; i < n; i++) {
        if (!p[i].name)
            continue;
        if (kind == SERVE_ARG ? strcmp(p[i].name, name) == 0
                              : strcasecmp(p[i].name, name) == 0)
            return p[i].value;
    }
    return NULL;
}

/* Non-zero if STATUS is one the server answers with. */
static int known_status(int status)
{
    static const int OK[] = {200, 400, 404, 405, 413, 414, 421, 422, 500, 503};
    for (size_t i = 0; i < sizeof OK / sizeof OK[0]; i++) {
        if (OK[i] == status)
            return 1;
    }
    return 0;
}

/* Abort unless OUT is a good answer to IN. */
static void check(const serve_req_t *in, const serve_resp_t *out, int has_host)
{
    if (!known_status(out->status) || !out->type)
        abort();
    if (out->status == 405 && !out->allow)
        abort();
    if (out->status == 421 && !has_host)
        abort();
    if (out->status == 503 && strcmp(out->type, "text/plain; "
                                                "charset=utf-8") == 0)
        return; /* Out of memory: a bare answer. */
    if (out->read) {
        /* A streamed export: a 200 of an API route, read to its end
         * (a failure cuts it off: -1), at least its header row. */
        char buf[4096];
        long n, total = 0;
        if (out->status != 200 || out->body ||
            strncmp(in->url, "/api/v1/export", 14) != 0)
            abort();
        while ((n = out->read(out->cls, buf, sizeof buf)) > 0)
            total += n;
        if (n < -1 || (n == 0 && total == 0 &&
                       strncmp(out->type, "text/csv", 8) == 0))
            abort();
        return;
    }
    if (!out->body || out->len == 0)
        abort();
    int api = strncmp(in->url, "/api/", 5) == 0;
    if (strcmp(out->type, "application/json") == 0) {
        if (!api || !check_json_object(out->body, out->len))
            abort();
    } else if (strcmp(out->type, "text/html; charset=utf-8") == 0) {
        if (api || !check_page(out->body, out->len))
            abort();
    } else if (strcmp(out->type, "text/css; charset=utf-8") == 0) {
        if (strcmp(in->url, "/static/style.css") || out->status != 200)
            abort();
    } else if (strcmp(out->type, "text/javascript; charset=utf-8") == 0) {
        if (strcmp(in->url, "/static/app.js") || out->status != 200)
            abort();
    } else {
        abort();
    }
}

/* libFuzzer's entry point: one input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int started;
    if (!started) {
        setup();
        started = 1;
    }
    if (size > MAX_INPUT)
        return 0;
    const char *s = (const char *)data;
    req_t r;
    memset(&r, 0, sizeof r);

    /* The request line: METHOD SP TARGET [SP ...]. */
    const char *nl = memchr(s, '\n', size);
    size_t line = nl ? (size_t)(nl - s) : size;
    size_t llen = line > 0 && s[line - 1] == '\r' ? line - 1 : line;
    const char *sp = memchr(s, ' ', llen);
    size_t mlen = sp ? (size_t)(sp - s) : llen;
    const char *target = sp ? sp + 1 : s + llen;
    const char *tend = s + llen;
    const char *sp2 = memchr(target, ' ', (size_t)(tend - target));
    if (sp2)
        tend = sp2;
    const char *qm = memchr(target, '?', (size_t)(tend - target));
    char *method = strndup(s, mlen);
    char *url = decode(target, (size_t)((qm ? qm : tend) - target), 0);
    if (qm)
        parse_query(&r, qm + 1, (size_t)(tend - qm - 1));

    /* Headers, up to a blank line. */
    for (size_t at = nl ? line + 1 : size;
         at < size && r.nheaders < MAX_PAIRS;) {
        const char *e = memchr(s + at, '\n', size - at);
        size_t end = e ? (size_t)(e - s) : size;
        size_t hend = end > at && s[end - 1] == '\r' ? end - 1 : end;
        if (hend == at)
            break;
        const char *colon = memchr(s + at, ':', hend - at);
        if (colon) {
            const char *v = colon + 1;
            while (v < s + hend && (*v == ' ' || *v == '\t'))
                v++;
            pair_t *p = &r.headers[r.nheaders++];
            p->name = strndup(s + at, (size_t)(colon - (s + at)));
            p->value = strndup(v, (size_t)(s + hend - v));
        }
        at = end + 1;
    }

    if (method && url) {
        const char *cl = get(&r, SERVE_HEADER, "Content-Length");
        serve_req_t in = {.method = method, .url = url, .get = get, .ctx = &r};
        in.target_bytes = strlen(url);
        for (size_t i = 0; i < r.nargs; i++)
            in.target_bytes += span(&r.args[i]) + 4; /* (As the server.) */
        for (size_t i = 0; i < r.nheaders; i++)
            in.head_bytes += span(&r.headers[i]) + 4;
        in.has_body = (cl && strcmp(cl, "0") != 0) ||
                      get(&r, SERVE_HEADER, "Transfer-Encoding") != NULL;
        serve_resp_t out;
        serve_handle(&in, &out);
        check(&in, &out, get(&r, SERVE_HEADER, "Host") != NULL);
        serve_resp_clear(&out);
    }
    free(method);
    free(url);
    for (size_t i = 0; i < MAX_PAIRS; i++) {
        free(r.args[i].name);
        free(r.args[i].value);
        free(r.headers[i].name);
        free(r.headers[i].value);
    }
    return 0;
}
