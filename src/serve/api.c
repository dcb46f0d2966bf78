/*
 * byline-serve's JSON API: search, export (streamed), article, similar,
 * suggest and stats.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE /* open_memstream() */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "handler_internal.h"

#include "byline/output.h"
#include "byline/schema.h"

/* Hits written a batch at a time: memory holds the match and one batch. */
#define EXPORT_BATCH 500
/* The longest an export may hold its searcher: a client that reads it
 * slower is cut off (the transfer breaks, it is not ended). */
#define EXPORT_SECONDS 300

/* The query of API request R (query_of()), malloc'ed; NULL after
 * answering R with a 400 when there is nothing to search for, or a 503
 * when out of memory (*FILTER is then freed). */
static char *api_query(rq_t *r, bl_search_options_t *o, char **filter)
{
    int empty = 0;
    char *q = query_of(r, o, filter, &empty);
    if (q && !empty)
        return q;
    fail(r, q ? 400 : 503, q ? "q: give a query (or a filter)"
                             : "out of memory",
         0, NULL, 0);
    free(q);
    free(*filter);
    *filter = NULL;
    return NULL;
}

/* GET /api/v1/search */

void api_search(rq_t *r, bl_searcher_t *s)
{
    char err[256];
    bl_search_options_t o;
    const char *q = arg(r, "q");
    int st = search_options(r, &o, err, sizeof err);
    if (st) {
        fail(r, st, err, 0, NULL, 0);
        return;
    }
    char *flt = NULL;
    char *eq = api_query(r, &o, &flt);
    if (!eq)
        return;
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
void api_export(rq_t *r, bl_searcher_t *s)
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
    char *flt = NULL;
    char *q = api_query(r, &o, &flt);
    if (!q)
        return;
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
void api_article(rq_t *r, bl_searcher_t *s, const char *id)
{
    bl_article_view_t v;
    bl_search_options_t so;
    bl_search_options_init(&so);
    const char *quotes = arg(r, "quotes");
    if (quotes &&
        bl_option_parse(BL_OPTION_QUOTES, quotes, &so.stem_quotes) != BL_OK) {
        fail(r, 400, bl_last_error(), 0, NULL, 0);
        return;
    }
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
void api_similar(rq_t *r, bl_searcher_t *s, const char *id)
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
void api_suggest(rq_t *r, bl_searcher_t *s)
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
    o.spelling = 2; /* (Asked for: over remote shards too.) */
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
void api_stats(rq_t *r, bl_searcher_t *s)
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
