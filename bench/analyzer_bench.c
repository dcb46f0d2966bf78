/*
 * Analyzer benchmark: Byline's analyzer against Xapian's TermGenerator on
 * the same text, single-threaded, in the same run.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Usage: analyzer_bench PATH... [--runs N]
 * Every file under each PATH is read into memory first (the text as it is:
 * markup included), then each analyzer is run over all of it once to warm
 * up and N times (default 5) measured; the best and median MB/s are
 * printed, and the ratio to TermGenerator.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "byline/analysis.h"
#include "byline/corpus.h"
#include "xapian-c/xapian-c.h"

typedef struct text {
    char **files;
    size_t *lens;
    size_t n, cap, bytes;
} text_t;

static int add_file(bl_walk_event_t ev, const char *path, const char *rel,
                    const char *message, void *ctx)
{
    text_t *t = ctx;
    char *data = NULL;
    size_t len = 0;
    (void)rel;
    (void)message;
    if (ev != BL_WALK_FILE || bl_read_file(path, 1u << 30, &data, &len))
        return 0;
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->files = realloc(t->files, t->cap * sizeof *t->files);
        t->lens = realloc(t->lens, t->cap * sizeof *t->lens);
        if (!t->files || !t->lens) {
            fprintf(stderr, "out of memory\n");
            exit(2);
        }
    }
    t->files[t->n] = data;
    t->lens[t->n++] = len;
    t->bytes += len;
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int count_token(const bl_token_t *tok, void *ctx)
{
    (void)tok;
    ++*(size_t *)ctx;
    return 0;
}

/* Byline's analyzer alone: tokens, folding, stems. */
static size_t run_analyzer(const text_t *t, bl_analyzer_t *a)
{
    size_t tokens = 0;
    for (size_t i = 0; i < t->n; i++)
        bl_analyze(a, t->files[i], t->lens[i], 1, count_token, &tokens, NULL);
    return tokens;
}

typedef struct doc_ctx {
    xc_doc_t *doc;
    char term[BL_MAX_TOKEN + 2];
} doc_ctx_t;

static int add_posting(const bl_token_t *tok, void *p)
{
    doc_ctx_t *c = p;
    c->term[0] = 'Z';
    memcpy(c->term + 1, tok->stem, tok->stem_len);
    xc_doc_add_posting(c->doc, c->term, tok->stem_len + 1, tok->pos, 1);
    return 0;
}

/* Byline's analyzer building a document per file, as the indexer does. */
static size_t run_analyzer_doc(const text_t *t, bl_analyzer_t *a)
{
    doc_ctx_t c;
    size_t terms = 0;
    for (size_t i = 0; i < t->n; i++) {
        xc_termcount_t n = 0;
        xc_doc_new(&c.doc);
        bl_analyze(a, t->files[i], t->lens[i], 1, add_posting, &c, NULL);
        xc_doc_termcount(c.doc, &n);
        terms += n;
        xc_doc_free(c.doc);
    }
    return terms;
}

/* Xapian's TermGenerator building a document per file. */
static size_t run_termgen(const text_t *t, xc_termgen_t *tg)
{
    size_t terms = 0;
    for (size_t i = 0; i < t->n; i++) {
        xc_doc_t *doc = NULL;
        xc_termcount_t n = 0;
        xc_doc_new(&doc);
        xc_termgen_set_document(tg, doc);
        xc_termgen_index_text(tg, t->files[i], t->lens[i], 1, NULL);
        xc_doc_termcount(doc, &n);
        terms += n;
        xc_doc_free(doc);
    }
    return terms;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef enum { ANALYZER, ANALYZER_DOC, TERMGEN_SOME, TERMGEN_ALL_Z } kind_t;

/* Time RUNS runs of KIND after a warm-up; returns the median MB/s and puts
 * the best in *BEST. */
static double measure(const text_t *t, kind_t kind, int runs, double *best,
                      size_t *units)
{
    bl_analyzer_t *a = NULL;
    xc_termgen_t *tg = NULL;
    double mbs[64];
    if (kind == ANALYZER || kind == ANALYZER_DOC)
        bl_analyzer_new("english", &a);
    else
        xc_termgen_new("english",
                       kind == TERMGEN_SOME ? XC_STEM_SOME : XC_STEM_ALL_Z,
                       &tg);
    for (int r = -1; r < runs; r++) {
        double t0 = now();
        size_t u = kind == ANALYZER ? run_analyzer(t, a)
                   : kind == ANALYZER_DOC ? run_analyzer_doc(t, a)
                                          : run_termgen(t, tg);
        double secs = now() - t0;
        *units = u;
        if (r >= 0)
            mbs[r] = (double)t->bytes / 1e6 / secs;
    }
    qsort(mbs, (size_t)runs, sizeof mbs[0], cmp_double);
    *best = mbs[runs - 1];
    bl_analyzer_free(a);
    xc_termgen_free(tg);
    return mbs[runs / 2];
}

int main(int argc, char **argv)
{
    text_t t = {NULL, NULL, 0, 0, 0};
    int runs = 5;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            runs = atoi(argv[++i]);
            continue;
        }
        if (bl_walk(argv[i], add_file, &t) != BL_OK) {
            fprintf(stderr, "analyzer_bench: %s: %s\n", argv[i],
                    bl_last_error());
            return 2;
        }
    }
    if (t.bytes == 0 || runs < 1 || runs > 64) {
        fprintf(stderr, "usage: analyzer_bench PATH... [--runs 1..64]\n");
        return 2;
    }
    printf("# analyzer benchmark: %zu files, %.1f MB, %d runs after a "
           "warm-up, one thread\n",
           t.n, (double)t.bytes / 1e6, runs);
    printf("# xapian %s, english stemming\n\n", xc_xapian_version());
    static const struct {
        kind_t kind;
        const char *name, *unit;
    } rows[] = {
        {TERMGEN_SOME, "Xapian TermGenerator, STEM_SOME (default)", "terms"},
        {TERMGEN_ALL_Z, "Xapian TermGenerator, STEM_ALL_Z", "terms"},
        {ANALYZER, "Byline analyzer (tokens + stems)", "tokens"},
        {ANALYZER_DOC, "Byline analyzer + Xapian document", "terms"},
    };
    double base = 0;
    printf("%-44s %10s %10s %8s\n", "analyzer", "median", "best", "ratio");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double best = 0;
        size_t units = 0;
        double med = measure(&t, rows[i].kind, runs, &best, &units);
        if (i == 0)
            base = med;
        printf("%-44s %7.2f MB/s %6.2f MB/s %7.2fx  (%zu %s)\n",
               rows[i].name, med, best, med / base, units, rows[i].unit);
    }
    for (size_t i = 0; i < t.n; i++)
        free(t.files[i]);
    free(t.files);
    free(t.lens);
    return 0;
}
