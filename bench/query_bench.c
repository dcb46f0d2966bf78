/*
 * Query benchmark: the latency of Byline's search (without and with
 * passages) next to a raw Xapian searcher (QueryParser + Enquire, top 10,
 * document data read) on the same index and queries, in one run, single
 * thread, after a warm-up pass.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Usage: query_bench [--runs N] [--only raw|byline|nodup|passages]
 *        [--no-cache] [--no-spelling] [--pairs X] [--proximity X]
 *        [--proximity-window N] [--title-weight X]
 *        [--weighting bm25|dph|pl2] [--expand] INDEX QUERIES
 * (--only: raw Xapian and that searcher only; --no-cache: the searcher
 * keeps no stored articles, as when every hit is a story not shown
 * before; --no-spelling: no "did you mean" for a word the index lacks
 * (over remote shards it reads the stems of the word's first letter
 * across the network); the ranking options are byline-search's, for
 * Byline's searches, to set a ranker's cost beside the defaults'.)
 * QUERIES: one query per line; "qid<TAB>query" lines and the peers'
 * meta.tsv ("qid<TAB>type<TAB>query<TAB>df") are understood too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "byline/search.h"
#include "xapian-c/xapian-c.h"

typedef enum mode { RAW, BYLINE, NODUP, PASSAGES, NMODES } mode_t_;

static const char *const NAMES[NMODES] = {
    "raw Xapian (QueryParser+Enquire)", "byline (no passages)",
    "byline (no passages, no collapsing)", "byline (1 passage per hit)"};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Read the queries of PATH into *OUT (malloc'ed strings). */
static size_t read_queries(const char *path, char ***out)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    char **q = NULL;
    size_t n = 0, cap = 0;
    if (!f) {
        perror(path);
        exit(2);
    }
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *fields[4] = {line, NULL, NULL, NULL};
        int nf = 1;
        for (char *t = strchr(line, '\t'); t && nf < 4; t = strchr(t, '\t')) {
            *t++ = '\0';
            fields[nf++] = t;
        }
        const char *text = nf >= 3 ? fields[2] : nf == 2 ? fields[1]
                                                          : fields[0];
        if (!*text || (nf >= 3 && strcmp(fields[1], "type") == 0))
            continue; /* A header or a blank line. */
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            q = realloc(q, cap * sizeof *q);
        }
        q[n++] = strdup(text);
    }
    fclose(f);
    *out = q;
    return n;
}

/* Byline's search options as the command line set them. */
static bl_search_options_t opts;

/* Run QUERY once in MODE; returns the number of hits (-1 on error). */
static int run(mode_t_ mode, bl_searcher_t *s, xc_db_t *db, const char *lang,
               const char *query)
{
    if (mode == RAW) {
        xc_query_t *q = NULL;
        xc_enquire_t *enq = NULL;
        xc_mset_t *ms = NULL;
        int n = -1;
        if (xc_query_parse(query, lang, XC_STEM_ALL_Z, 0, db, &q) == XC_OK &&
            xc_enquire_new(db, &enq) == XC_OK &&
            xc_enquire_set_query(enq, q) == XC_OK &&
            xc_enquire_set_bm25(enq, 1.2, 0, 1, 0.75, 0.5) == XC_OK &&
            xc_enquire_mset(enq, 0, 10, 10, &ms) == XC_OK) {
            n = (int)xc_mset_size(ms);
            /* Results are shown: read each hit's stored data. */
            for (int i = 0; i < n; i++) {
                xc_doc_t *doc = NULL;
                const char *data = NULL;
                size_t len = 0;
                if (xc_mset_document(ms, (xc_doccount_t)i, &doc) == XC_OK)
                    xc_doc_get_data(doc, &data, &len);
                xc_doc_free(doc);
            }
        }
        xc_mset_free(ms);
        xc_enquire_free(enq);
        xc_query_free(q);
        return n;
    }
    bl_search_options_t o = opts;
    bl_results_t *r = NULL;
    o.passages = mode == PASSAGES ? 1 : 0;
    o.show_duplicates = mode == NODUP;
    if (bl_search(s, query, &o, &r) != BL_OK) {
        bl_results_free(r); /* (A syntax error's results say where.) */
        return -1;
    }
    int n = (int)r->nhits;
    bl_results_free(r);
    return n;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The P-th percentile (0..100) of the N sorted values V. */
static double pct(const double *v, size_t n, double p)
{
    size_t i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

int main(int argc, char **argv)
{
    int runs = 3, a = 1, only = -1, no_cache = 0;
    bl_search_options_init(&opts);
    while (a + 1 < argc && argv[a][0] == '-') {
        if (strcmp(argv[a], "--no-cache") == 0) {
            no_cache = 1;
            a--; /* (Takes no value.) */
        } else if (strcmp(argv[a], "--no-spelling") == 0) {
            opts.spelling = 0;
            a--;
        } else if (strcmp(argv[a], "--expand") == 0) {
            opts.expand = BL_EXPAND_RM3;
            a--;
        } else if (strcmp(argv[a], "--pairs") == 0) {
            opts.pairs = atof(argv[a + 1]);
        } else if (strcmp(argv[a], "--k1") == 0) {
            opts.k1 = atof(argv[a + 1]);
        } else if (strcmp(argv[a], "--b") == 0) {
            opts.b = atof(argv[a + 1]);
        } else if (strcmp(argv[a], "--pairs-common") == 0) {
            opts.pairs_common = atof(argv[a + 1]);
        } else if (strcmp(argv[a], "--proximity") == 0) {
            opts.proximity = atof(argv[a + 1]);
        } else if (strcmp(argv[a], "--proximity-window") == 0) {
            opts.proximity_window = (unsigned)atoi(argv[a + 1]);
        } else if (strcmp(argv[a], "--title-weight") == 0) {
            opts.title_weight = atof(argv[a + 1]);
        } else if (strcmp(argv[a], "--weighting") == 0) {
            if (bl_option_parse(BL_OPTION_WEIGHTING, argv[a + 1],
                                &opts.weighting) != BL_OK)
                runs = 0;
        } else if (strcmp(argv[a], "--runs") == 0) {
            runs = atoi(argv[a + 1]);
        } else if (strcmp(argv[a], "--only") == 0) {
            static const char *const modes[] = {"raw", "byline", "nodup",
                                                "passages"};
            for (int m = 0; m < NMODES; m++)
                if (strcmp(argv[a + 1], modes[m]) == 0)
                    only = m;
            if (only < 0)
                runs = 0;
        } else {
            runs = 0;
        }
        a += 2;
    }
    if (argc - a != 2 || runs < 1) {
        fprintf(stderr, "usage: query_bench [--runs N] "
                        "[--only raw|byline|nodup|passages] [--no-cache] "
                        "[--no-spelling] [--k1 X] [--b X] [--pairs X] "
                        "[--pairs-common X] "
                        "[--proximity X] "
                        "[--proximity-window N] [--title-weight X] "
                        "[--weighting bm25|dph|pl2] "
                        "[--expand] INDEX QUERIES\n");
        return 2;
    }
    char **queries = NULL;
    size_t nq = read_queries(argv[a + 1], &queries);
    bl_searcher_t *s = NULL;
    xc_db_t *db = NULL;
    char *lang = NULL;
    if (nq == 0 || bl_searcher_open(argv[a], &s) != BL_OK ||
        xc_db_open(argv[a], &db) != XC_OK ||
        xc_db_get_metadata(db, "byline.language", &lang, NULL) != XC_OK) {
        fprintf(stderr, "query_bench: %s\n",
                nq ? bl_last_error() : "no queries");
        return 2;
    }
    if (no_cache && bl_searcher_set_cache(s, 0) != BL_OK) {
        fprintf(stderr, "query_bench: %s\n", bl_last_error());
        return 2;
    }
    double *lat = malloc(nq * (size_t)runs * sizeof *lat);
    printf("# query benchmark: %zu queries, %d timed run%s after one "
           "warm-up, single thread, top 10%s; Byline: %s (k1 %g, b %g), "
           "pairs %g "
           "(common %g), "
           "proximity %g (window %u), title weight %g%s\n",
           nq, runs, runs == 1 ? "" : "s",
           no_cache ? ", no document cache" : "",
           opts.weighting == BL_WEIGHT_DPH   ? "DPH"
           : opts.weighting == BL_WEIGHT_PL2 ? "PL2"
                                             : "BM25",
           opts.k1, opts.b, opts.pairs, opts.pairs_common, opts.proximity,
           opts.proximity_window,
           opts.title_weight,
           opts.expand ? ", RM3 expansion" : "");
    printf("%-36s %8s %8s %8s %8s %8s %8s %7s\n", "searcher", "p50 ms",
           "p95 ms", "p99 ms", "mean ms", "QPS", "vs raw", "errors");
    double raw_mean = 0;
    for (int m = 0; m < NMODES; m++) {
        size_t k = 0, errors = 0;
        if (only >= 0 && m != only && m != RAW)
            continue;
        double total = 0;
        for (size_t i = 0; i < nq; i++)
            run((mode_t_)m, s, db, lang, queries[i]); /* Warm-up. */
        for (int r = 0; r < runs; r++) {
            for (size_t i = 0; i < nq; i++) {
                double t0 = now();
                int n = run((mode_t_)m, s, db, lang, queries[i]);
                double t = (now() - t0) * 1000;
                errors += n < 0;
                lat[k++] = t;
                total += t;
            }
        }
        qsort(lat, k, sizeof *lat, cmp_double);
        double mean = total / (double)k;
        if (m == RAW)
            raw_mean = mean;
        printf("%-36s %8.3f %8.3f %8.3f %8.3f %8.0f %7.2fx %7zu\n",
               NAMES[m], pct(lat, k, 50), pct(lat, k, 95), pct(lat, k, 99),
               mean, 1000.0 / mean, mean / raw_mean, errors);
    }
    free(lat);
    for (size_t i = 0; i < nq; i++)
        free(queries[i]);
    free(queries);
    free(lang);
    xc_db_free(db);
    bl_searcher_free(s);
    return 0;
}
