/*
 * byline-bench: index a corpus, run a query file, and write a report
 * (Markdown and SVG plots) of indexing speed, memory, index size, query
 * latency and, given judgments, ranking quality.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#define _DEFAULT_SOURCE   /* wait4() */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "byline/corpus.h"
#include "byline/eval.h"
#include "byline/schema.h"
#include "byline/search.h"
#include "cli.h"

extern char **environ;

/* The file byline-bench leaves in an index it built: it may build it
 * again (with byline-index --overwrite) over an index that holds it. */
#define BENCH_MARK ".byline-bench"

typedef struct indexing {
    double secs, mb;
    long peak_kb;
    double index_mb;
    int status;
} indexing_t;

static unsigned long long tree_bytes;

static int add_size(const char *path, const struct stat *st, int type,
                    struct FTW *ftw)
{
    (void)path;
    (void)ftw;
    if (type == FTW_F)
        tree_bytes += (unsigned long long)st->st_size;
    return 0;
}

/* The bytes of the files under PATH (a file or a directory). */
static double megabytes(const char *path)
{
    tree_bytes = 0;
    nftw(path, add_size, 16, FTW_PHYS);
    return (double)tree_bytes / 1e6;
}

/* The byline-index next to this program (or on the PATH). */
static void sibling(const char *name, char *out, size_t size)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        if (slash) {
            *slash = '\0';
            snprintf(out, size, "%s/%s", self, name);
            if (access(out, X_OK) == 0)
                return;
        }
    }
    snprintf(out, size, "%s", name);
}

/* S as posix_spawn's argv takes it: char *const argv[] for historical
 * reasons; it writes none of the strings (POSIX, exec's rationale).
 * Cannot fail. */
static char *arg(const char *s)
{
    return (char *)(uintptr_t)s;
}

/* Run byline-index on CORPUS into DB from scratch, measuring it. */
static int run_indexer(const char *corpus, const char *db,
                       const char *threads, indexing_t *ix)
{
    char prog[PATH_MAX + 16];
    pid_t pid;
    int status = 0;
    struct rusage ru;
    sibling("byline-index", prog, sizeof prog);
    char *argv[12];
    int a = 0;
    argv[a++] = prog;
    argv[a++] = arg("--overwrite");
    argv[a++] = arg("-q");
    argv[a++] = arg("--db");
    argv[a++] = arg(db);
    if (threads) {
        argv[a++] = arg("--threads");
        argv[a++] = arg(threads);
    }
    argv[a++] = arg(corpus);
    argv[a] = NULL;
    double t0 = cli_now();
    if (posix_spawnp(&pid, prog, NULL, NULL, argv, environ) != 0) {
        cli_error("cannot run %s: %s", prog, strerror(errno));
        return -1;
    }
    if (wait4(pid, &status, 0, &ru) < 0) {
        cli_error("waiting for %s: %s", prog, strerror(errno));
        return -1;
    }
    ix->secs = cli_now() - t0;
    ix->peak_kb = ru.ru_maxrss;
    ix->status = WIFEXITED(status) ? WEXITSTATUS(status) : 2;
    ix->mb = megabytes(corpus);
    ix->index_mb = megabytes(db);
    if (ix->status == 2) {
        cli_error("byline-index failed (exit status 2)");
        return -1;
    }
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(const double *v, size_t n, double p)
{
    size_t i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

/* An SVG bar chart of N labelled VALUES (UNIT after each value). */
static int write_bars(const char *path, const char *title,
                      const char *const *labels, const double *values,
                      size_t n, const char *unit)
{
    FILE *f = fopen(path, "w");
    double max = 0;
    if (!f) {
        cli_error("%s: %s", path, strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        max = values[i] > max ? values[i] : max;
    if (max <= 0)
        max = 1;
    int w = 640, bar = 28, h = 60 + (int)n * (bar + 12);
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
               "height=\"%d\" font-family=\"sans-serif\" font-size=\"13\">\n"
               "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
               "<text x=\"10\" y=\"24\" font-size=\"16\">%s</text>\n",
            w, h, title);
    for (size_t i = 0; i < n; i++) {
        int y = 44 + (int)i * (bar + 12);
        double len = values[i] / max * (w - 260);
        fprintf(f, "<text x=\"10\" y=\"%d\">%s</text>\n"
                   "<rect x=\"150\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                   "fill=\"#3a6ea5\"/>\n"
                   "<text x=\"%.1f\" y=\"%d\">%.4g %s</text>\n",
                y + bar / 2 + 5, labels[i], y, len, bar, 156 + len,
                y + bar / 2 + 5, values[i], unit);
    }
    fputs("</svg>\n", f);
    return fclose(f) == 0 ? 0 : -1;
}

/* The CPU model named in /proc/cpuinfo, into OUT. */
static void cpu_model(char *out, size_t size)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    snprintf(out, size, "unknown");
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0) {
            char *c = strchr(line, ':');
            if (c) {
                c += 2;
                c[strcspn(c, "\n")] = '\0';
                snprintf(out, size, "%s", c);
            }
            break;
        }
    }
    if (f)
        fclose(f);
}

static void usage(FILE *f)
{
    fprintf(f,
"Usage: %s [OPTION]... CORPUS QUERIES\n"
"Index CORPUS from scratch with byline-index, run every query of QUERIES\n"
"(a TREC topic file, a SMART query file, or \"qid<TAB>query\" lines) with\n"
"byline-search's engine, and write a report: OUT/report.md, with the\n"
"machine, compiler, settings and date, indexing MB/s, peak memory and\n"
"index size, query latency percentiles and QPS, and, with --qrels, the\n"
"ranking quality (trec_eval's measures); plots in OUT/latency.svg and\n"
"OUT/quality.svg; the run in OUT/run.txt.\n"
"\n"
"  -o, --out DIR        where the report goes (default ./byline-bench)\n"
"      --qrels FILE     relevance judgments: evaluate the run\n"
"  -d, --db DIR         where to build the index (default OUT/index).  It\n"
"                       is built from scratch (byline-index --overwrite),\n"
"                       so a DIR given here must not exist, or be empty,\n"
"                       or be an index byline-bench built (it holds a\n"
"                       file " BENCH_MARK "): any other is refused, not\n"
"                       wiped\n"
"  -j, --threads N      indexing threads (default: byline-index's)\n"
"      --expand         search with RM3 query expansion (byline-search\n"
"                       --expand)\n"
"      --runs N         timed passes over the queries (default 3, after\n"
"                       one warm-up)\n"
"  -h, --help           show this help and exit\n"
"  -V, --version        show the version and exit\n"
"\n"
"Exit status: 0, or 2 on an error.\n",
            cli_prog);
}

/* Check that byline-bench may build its index in DB, wiping what is
 * there: DB does not exist, or is an empty directory, or one that holds
 * BENCH_MARK.  Returns 0, or -1 with a message. */
static int check_db(const char *db)
{
    char mark[PATH_MAX + 32];
    struct stat st;
    if (stat(db, &st) != 0) {
        if (errno == ENOENT)
            return 0;
        cli_error("%s: %s", db, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        cli_error("--db %s: exists and is not a directory", db);
        return -1;
    }
    snprintf(mark, sizeof mark, "%s/" BENCH_MARK, db);
    if (access(mark, F_OK) == 0)
        return 0;
    DIR *d = opendir(db);
    if (!d) {
        cli_error("%s: %s", db, strerror(errno));
        return -1;
    }
    struct dirent *e;
    int entries = 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            entries++;
    }
    closedir(d);
    if (entries == 0)
        return 0;
    cli_error("--db %s: not empty, and not an index byline-bench built (no "
              BENCH_MARK " in it): refusing to wipe it; give a new or empty "
              "directory", db);
    return -1;
}

/* Take byline-bench's mark out of DB, so that byline-index finds the
 * directory as it was (one that held only the mark, empty).  Returns 1 if
 * DB held the mark, else 0.  This function cannot fail. */
static int take_mark(const char *db)
{
    char mark[PATH_MAX + 32];
    snprintf(mark, sizeof mark, "%s/" BENCH_MARK, db);
    return unlink(mark) == 0;
}

/* Mark DB, if it is a directory, as an index byline-bench built.  A mark
 * that cannot be written is reported (the next run with --db DB will
 * refuse it); this function does not fail otherwise. */
static void put_mark(const char *db)
{
    char mark[PATH_MAX + 32];
    struct stat st;
    if (stat(db, &st) != 0 || !S_ISDIR(st.st_mode))
        return;
    snprintf(mark, sizeof mark, "%s/" BENCH_MARK, db);
    FILE *f = fopen(mark, "w");
    if (f)
        fputs("This index was built by byline-bench, which may build it "
              "again from scratch.\n", f);
    if (!f || fclose(f) != 0)
        cli_error("%s: cannot write: %s", mark, strerror(errno));
}

/* One benchmark: what it was asked for and what it measured. */
typedef struct {
    const char *out, *qrels, *threads, *corpus, *queries;
    unsigned runs;
    char dbpath[PATH_MAX];
    bl_search_options_t so;
    indexing_t ix;
    bl_topic_t *t; /* The queries, NT of them. */
    size_t nt;
    double *lat; /* The NL latencies timed, sorted; their MEAN. */
    size_t nl, errors;
    double mean;
    bl_eval_t *ev; /* Ranking quality (NULL without judgments). */
} bench_t;

/* Time B's queries on S (B->runs passes after a warm-up) as users see
 * them: 10 hits with passages; 0, or -1 with a message. */
static int time_queries(bl_searcher_t *s, bench_t *b)
{
    b->lat = calloc(b->nt * b->runs + 1, sizeof *b->lat);
    for (unsigned r = 0; b->lat && r <= b->runs; r++) {
        for (size_t i = 0; i < b->nt; i++) {
            bl_results_t *res = NULL;
            double t0 = cli_now();
            bl_status_t rc = bl_search(s, b->t[i].query, &b->so, &res);
            double ms = (cli_now() - t0) * 1000;
            b->errors += rc != BL_OK && r == 0;
            if (r > 0) /* Pass 0 warms up. */
                b->lat[b->nl++] = ms;
            bl_results_free(res);
        }
    }
    if (!b->lat || b->nl == 0) {
        cli_error("no query could be timed");
        return -1;
    }
    double total = 0;
    for (size_t i = 0; i < b->nl; i++)
        total += b->lat[i];
    qsort(b->lat, b->nl, sizeof *b->lat, cmp_double);
    b->mean = total / (double)b->nl;
    return 0;
}

/* Write a run of 1,000 per query of B on S to OUT/run.txt and evaluate
 * it against B's judgments, if any; 0, or -1 with a message. */
static int judge_run(bl_searcher_t *s, bench_t *b)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/run.txt", b->out);
    FILE *rf = fopen(path, "w");
    bl_search_options_t so = b->so;
    so.limit = 1000;
    so.passages = 0;
    so.spelling = 0;
    so.show_duplicates = 1; /* A judged run lists every reprint, */
    so.all_shards = 1;      /* and every shard (or is refused). */
    for (size_t i = 0; rf && i < b->nt; i++) {
        bl_results_t *res = NULL;
        bl_status_t rc = bl_search(s, b->t[i].query, &so, &res);
        double *sc = rc == BL_OK ? malloc((res->nhits + 1) * sizeof *sc)
                                 : NULL;
        for (size_t k = 0; sc && k < res->nhits; k++)
            sc[k] = res->hits[k].score;
        if (sc)
            bl_trec_scores(sc, res->nhits);
        for (size_t k = 0; sc && k < res->nhits; k++)
            bl_trec_line(rf, b->t[i].id, res->hits[k].article.id, k + 1,
                         sc[k], "byline");
        free(sc);
        bl_results_free(res);
    }
    if (!rf || fclose(rf) != 0) {
        cli_error("%s: cannot write the run", path);
        return -1;
    }
    if (!b->qrels)
        return 0;
    bl_qrels_t *q = NULL;
    bl_run_t *run = NULL;
    int rc = bl_qrels_read(b->qrels, &q) == BL_OK &&
                     bl_run_read(path, &run) == BL_OK &&
                     bl_evaluate(q, run, &b->ev) == BL_OK
                 ? 0
                 : -1;
    if (rc != 0)
        cli_error("%s", bl_last_error());
    bl_qrels_free(q);
    bl_run_free(run);
    return rc;
}

/* The report's first table: when, where, what and how, into F. */
static void report_setting(FILE *f, const bench_t *b)
{
    char cpu[256], date[64];
    time_t tt = time(NULL);
    strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&tt));
    cpu_model(cpu, sizeof cpu);
    fprintf(f, "# Byline benchmark\n\n"
               "| | |\n|---|---|\n"
               "| date | %s |\n| machine | %ld cores, %s, %.1f GiB |\n"
               "| compiler | %s |\n| Byline | %s (Xapian %s) |\n"
               "| corpus | `%s` (%.2f MB) |\n| queries | `%s` (%zu) |\n"
               "| judgments | %s%s%s |\n| settings | indexing threads: %s; "
               "search: BM25 k1 %.2f, b %.2f, word pairs %.2f (not of two "
               "words each in over %g%% of the articles), a topic's "
               "quotes read as punctuation%s, top 10 with "
               "one passage for "
               "latency, top 1000 (every reprint) for quality; %u timed "
               "passes after a warm-up |\n\n",
            date, sysconf(_SC_NPROCESSORS_ONLN), cpu,
            (double)sysconf(_SC_PHYS_PAGES) *
                (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024 * 1024),
#if defined(__clang__)
            "clang " __clang_version__,
#elif defined(__GNUC__)
            "gcc " __VERSION__,
#else
            "unknown",
#endif
            bl_version(), bl_xapian_version(), b->corpus, b->ix.mb,
            b->queries, b->nt, b->qrels ? "`" : "none",
            b->qrels ? b->qrels : "", b->qrels ? "`" : "",
            b->threads ? b->threads : "default", b->so.k1, b->so.b,
            b->so.pairs, b->so.pairs_common * 100,
            b->so.expand ? ", RM3 expansion" : "", b->runs);
}

/* OUT/report.md and its charts; 0, or -1 with a message. */
static int write_report(const bench_t *b)
{
    char path[PATH_MAX + 64];
    const indexing_t *ix = &b->ix;
    snprintf(path, sizeof path, "%s/report.md", b->out);
    FILE *f = fopen(path, "w");
    if (!f) {
        cli_error("%s: %s", path, strerror(errno));
        return -1;
    }
    report_setting(f, b);
    fprintf(f, "## Indexing\n\n| MB/s | seconds | peak memory | index size |"
               "\n|---|---|---|---|\n| %.2f | %.2f | %.0f MB | %.1f MB "
               "(%.1fx the text) |\n\n",
            ix->secs > 0 ? ix->mb / ix->secs : 0, ix->secs,
            (double)ix->peak_kb / 1024, ix->index_mb,
            ix->mb > 0 ? ix->index_mb / ix->mb : 0);
    if (ix->status == 1)
        fprintf(f, "(byline-index skipped some input: exit status 1.)\n\n");
    static const char *const LAT[] = {"p50", "p95", "p99", "mean"};
    double lv[] = {pct(b->lat, b->nl, 50), pct(b->lat, b->nl, 95),
                   pct(b->lat, b->nl, 99), b->mean};
    fprintf(f, "## Searching\n\n| p50 ms | p95 ms | p99 ms | mean ms | QPS "
               "| queries that failed |\n|---|---|---|---|---|---|\n"
               "| %.3f | %.3f | %.3f | %.3f | %.0f | %zu |\n\n"
               "![latency](latency.svg)\n\n",
            lv[0], lv[1], lv[2], b->mean, 1000 / b->mean, b->errors);
    snprintf(path, sizeof path, "%s/latency.svg", b->out);
    int rc = write_bars(path, "Query latency (10 hits, passages)", LAT, lv,
                        4, "ms");
    if (b->ev) {
        const bl_eval_t *ev = b->ev;
        fprintf(f, "## Ranking quality (%zu queries judged)\n\n"
                   "| measure | value |\n|---|---|\n",
                ev->n);
        for (int m = BL_M_MAP; m < BL_NMEASURES; m++)
            fprintf(f, "| %s | %.4f |\n", bl_measure_name((bl_measure_t)m),
                    ev->all.v[m]);
        fprintf(f, "\n![quality](quality.svg)\n");
        static const char *const Q[] = {"MAP", "P@10", "nDCG@10",
                                        "recall@1000"};
        double qv[] = {ev->all.v[BL_M_MAP], ev->all.v[BL_M_P10],
                       ev->all.v[BL_M_NDCG10], ev->all.v[BL_M_RECALL1000]};
        snprintf(path, sizeof path, "%s/quality.svg", b->out);
        if (rc == 0)
            rc = write_bars(path, "Ranking quality", Q, qv, 4, "");
    }
    if (fclose(f) != 0)
        rc = -1;
    if (rc != 0)
        cli_error("%s: cannot write the report", b->out);
    return rc;
}

/* Read ARGV into B; returns -1 to go on, or the status to exit with. */
static int parse_options(int argc, char **argv, bench_t *b, const char **db)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},
        {"qrels", required_argument, NULL, 'Q'},
        {"db", required_argument, NULL, 'd'},
        {"threads", required_argument, NULL, 'j'},
        {"runs", required_argument, NULL, 'r'},
        {"expand", no_argument, NULL, 'X'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "o:d:j:hV", opts, NULL)) != -1) {
        switch (c) {
        case 'o': b->out = optarg; break;
        case 'Q': b->qrels = optarg; break;
        case 'd': *db = optarg; break;
        case 'j': b->threads = optarg; cli_uint("--threads", optarg); break;
        case 'r': b->runs = cli_uint("--runs", optarg); break;
        case 'X': b->so.expand = BL_EXPAND_RM3; break;
        case 'h': usage(stdout); return EXIT_ALL_OK;
        case 'V': cli_version(); return EXIT_ALL_OK;
        default:
            fprintf(stderr, "Try '%s --help'.\n", cli_prog);
            return EXIT_FATAL;
        }
    }
    if (argc - optind != 2 || b->runs < 1) {
        cli_error(b->runs < 1 ? "--runs must be at least 1"
                              : "expected CORPUS and QUERIES");
        fprintf(stderr, "Try '%s --help'.\n", cli_prog);
        return EXIT_FATAL;
    }
    b->corpus = argv[optind];
    b->queries = argv[optind + 1];
    return -1;
}

int main(int argc, char **argv)
{
    bench_t b;
    const char *db = NULL;
    bl_searcher_t *s = NULL;
    cli_prog = "byline-bench";
    memset(&b, 0, sizeof b);
    b.out = "byline-bench";
    b.runs = 3;
    bl_search_options_init(&b.so);
    b.so.plain_fallback = 1; /* Topics may be natural language, */
    b.so.quotes_as_words = 1; /* quoting names (byline-search --topics). */
    int status = parse_options(argc, argv, &b, &db);
    if (status >= 0)
        return status;
    /* OUT/index is byline-bench's own; a directory named by --db may be
     * somebody's index. */
    if (db && check_db(db) != 0)
        return EXIT_FATAL;
    if (mkdir(b.out, 0777) != 0 && errno != EEXIST) {
        cli_error("%s: %s", b.out, strerror(errno));
        return EXIT_FATAL;
    }
    if (db)
        snprintf(b.dbpath, sizeof b.dbpath, "%s", db);
    else
        snprintf(b.dbpath, sizeof b.dbpath, "%s/index", b.out);

    fprintf(stderr, "%s: indexing %s ...\n", cli_prog, b.corpus);
    /* The directory is ours if it held the mark or passed check_db(), or
     * once byline-index has built an index in it; even a failed run
     * leaves it ours. */
    int ours = take_mark(b.dbpath) || db != NULL;
    int rc = run_indexer(b.corpus, b.dbpath, b.threads, &b.ix);
    if (ours || rc == 0)
        put_mark(b.dbpath);
    if (rc == 0 && (bl_topics_read(b.queries, BL_TOPIC_TITLE, &b.t, &b.nt) !=
                        BL_OK ||
                    bl_searcher_open(b.dbpath, &s) != BL_OK)) {
        cli_error("%s", bl_last_error());
        rc = -1;
    }
    if (rc == 0) {
        fprintf(stderr, "%s: running %zu queries ...\n", cli_prog, b.nt);
        rc = time_queries(s, &b);
    }
    if (rc == 0)
        rc = judge_run(s, &b);
    if (rc == 0)
        rc = write_report(&b);
    if (rc == 0)
        fprintf(stderr, "%s: report in %s/report.md\n", cli_prog, b.out);
    bl_eval_free(b.ev);
    free(b.lat);
    bl_topics_free(b.t, b.nt);
    bl_searcher_free(s);
    return rc == 0 ? EXIT_ALL_OK : EXIT_FATAL;
}
