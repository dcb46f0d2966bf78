/*
 * The naive Xapian indexer, for comparison: the same readers as
 * byline-index, then Xapian's TermGenerator (STEM_SOME, English) on title
 * and body, one WritableDatabase, one commit at the end.  This is how most
 * programs built on Xapian index, and the baseline byline-index is measured
 * against (bench/index_bench.sh).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Usage: naive_index DB PATH...
 * Prints "ARTICLES SECONDS PEAK-RSS-KB" on stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "byline/corpus.h"
#include "xapian-c/xapian-c.h"

typedef struct naive {
    xc_db_t *db;
    xc_termgen_t *tg;
    unsigned long articles;
    int failed;
} naive_t;

static int add_article(bl_article_t *a, void *ctx)
{
    naive_t *n = ctx;
    xc_doc_t *doc = NULL;
    char qterm[256];
    xc_status_t rc = xc_doc_new(&doc);
    if (rc == XC_OK)
        rc = xc_termgen_set_document(n->tg, doc);
    if (rc == XC_OK && a->title)
        rc = xc_termgen_index_text(n->tg, a->title, strlen(a->title), 1,
                                   NULL);
    if (rc == XC_OK && a->body)
        rc = xc_termgen_index_text(n->tg, a->body, strlen(a->body), 1, NULL);
    if (rc == XC_OK && a->body)
        rc = xc_doc_set_data(doc, a->body, strlen(a->body));
    snprintf(qterm, sizeof qterm, "Q%.200s", a->id);
    if (rc == XC_OK)
        rc = xc_doc_add_boolean_term(doc, qterm, XC_NTS);
    if (rc == XC_OK)
        rc = xc_db_replace_document_by_term(n->db, qterm, doc, NULL);
    xc_doc_free(doc);
    if (rc != XC_OK) {
        fprintf(stderr, "naive_index: %s\n", xc_last_error());
        n->failed = 1;
        return 1;
    }
    n->articles++;
    return 0;
}

static void ignore_problem(const char *path, unsigned long line,
                           const char *message, void *ctx)
{
    (void)path;
    (void)line;
    (void)message;
    (void)ctx;
}

static int on_file(bl_walk_event_t ev, const char *path, const char *rel,
                   const char *message, void *ctx)
{
    naive_t *n = ctx;
    (void)message;
    if (ev == BL_WALK_FILE && bl_format_of_path(path) != BL_FORMAT_UNKNOWN)
        bl_read_articles(path, *rel ? rel : path, NULL, add_article,
                         ignore_problem, n);
    return n->failed;
}

int main(int argc, char **argv)
{
    naive_t n = {NULL, NULL, 0, 0};
    struct timespec t0, t1;
    struct rusage ru;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (argc < 3) {
        fprintf(stderr, "usage: naive_index DB PATH...\n");
        return 2;
    }
    if (xc_db_open_writable(argv[1], XC_DB_CREATE_OR_OVERWRITE, 0, &n.db) !=
            XC_OK ||
        xc_termgen_new("english", XC_STEM_SOME, &n.tg) != XC_OK) {
        fprintf(stderr, "naive_index: %s\n", xc_last_error());
        return 2;
    }
    for (int i = 2; i < argc && !n.failed; i++)
        bl_walk(argv[i], on_file, &n);
    if (xc_db_commit(n.db) != XC_OK) {
        fprintf(stderr, "naive_index: %s\n", xc_last_error());
        n.failed = 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    getrusage(RUSAGE_SELF, &ru);
    printf("%lu %.3f %ld\n", n.articles,
           (double)(t1.tv_sec - t0.tv_sec) +
               (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
           ru.ru_maxrss);
    xc_termgen_free(n.tg);
    xc_db_free(n.db);
    return n.failed ? 1 : 0;
}
