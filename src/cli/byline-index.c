/*
 * byline-index: index a corpus of news articles.  The work is
 * bl_index_paths() (src/index/ingest.c); this program reads the options,
 * shows progress and problems, and prints the summary.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "byline/corpus.h"
#include "byline/index.h"
#include "byline/output.h"
#include "cli.h"

#define MAX_THREADS 64
#define DEFAULT_MEMORY (1024ul << 20)

/* What the callbacks need. */
typedef struct view {
    int progress;      /* Show a progress line (stderr is a terminal). */
    int verbose;
    double started;
} view_t;

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static int on_stop(void *ctx)
{
    (void)ctx;
    return interrupted;
}

/* Redraw the progress line: files, articles, MB, MB/s and ETA. */
static void on_progress(const bl_ingest_progress_t *p, void *ctx)
{
    view_t *v = ctx;
    if (!v->progress)
        return;
    /* The rate is of what was indexed; unchanged files are done but were
     * not read. */
    double secs = cli_now() - v->started;
    double rate = secs > 0 ? p->bytes_indexed / 1e6 / secs : 0;
    char eta[32] = "";
    if (p->bytes_total > p->bytes_done && rate > 0) {
        double left = (p->bytes_total - p->bytes_done) / 1e6 / rate;
        snprintf(eta, sizeof eta, ", ETA %d:%02d", (int)left / 60,
                 (int)left % 60);
    }
    flockfile(stderr);
    fprintf(stderr, "\r%s: %lu files, %lu articles, %.1f/%.1f MB, %.2f MB/s%s"
                    "\033[K",
            cli_prog, p->files, p->articles, p->bytes_done / 1e6,
            p->bytes_total / 1e6, rate, eta);
    cli_progress_shown = 1;
    funlockfile(stderr);
}

/* Report a problem on stderr, compiler-style. */
static void on_problem(const bl_ingest_problem_t *p, void *ctx)
{
    view_t *v = ctx;
    switch (p->code) {
    case BL_PROBLEM_BAD_RECORD:
        cli_error("%s:%lu: %s", p->path, p->line, p->message);
        break;
    case BL_PROBLEM_IGNORED:
        if (v->verbose)
            cli_error("%s: ignored: %s", p->path, p->message);
        break;
    case BL_PROBLEM_KEPT:
        cli_error("%s: %s", p->path, p->message);
        break;
    case BL_PROBLEM_INDEX:
        cli_error("%s", p->message);
        break;
    default:
        cli_error("%s: skipped: %s", p->path, p->message);
        break;
    }
}

/* Print the article as one JSON object on stdout (--list). */
static void list_article(const bl_article_t *a, void *ctx)
{
    (void)ctx;
    bl_json_article(stdout, a);
}

/* Add PATTERN to the list *LIST of *N patterns (exits when out of
 * memory). */
static void add_pattern(const char ***list, size_t *n, const char *pattern)
{
    const char **l = realloc(*list, (*n + 1) * sizeof *l);
    if (!l) {
        cli_error("out of memory");
        exit(EXIT_FATAL);
    }
    l[(*n)++] = pattern;
    *list = l;
}

static void usage(FILE *f)
{
    fprintf(f,
"Usage: %s [OPTION]... PATH...\n"
"Index the news articles in each PATH (a file, or a directory walked\n"
"recursively in name order; hidden entries are skipped).\n"
"\n"
"Formats (--format names), chosen by the file name; a .gz suffix is looked\n"
"through (gzip files are read as they are decompressed):\n"
"  text     .txt, no extension: one article per file, in the scraped-news\n"
"           layout (title, caption, author, date, \"Updated:\", body) or\n"
"           plain \"title line, then body\"\n"
"  jsonl    .jsonl .ndjson .json: one JSON object per line (title/headline,\n"
"           body/text/content, date, author, url, id, ...)\n"
"  csv      .csv: one article per row; a header row names the columns (or\n"
"           --columns)\n"
"  reuters  .sgm .sgml: Reuters-21578 SGML, many articles per file\n"
"  trec     TREC SGML: a .sgm, .sgml, .txt or extensionless file that\n"
"           starts with <DOC>; many articles per file\n"
"  mail     .eml .mbox, or a .txt or extensionless file that starts with\n"
"           mail headers: mail or Usenet messages, one or an mbox of many\n"
"  html     .html .htm .xhtml: one article page per file\n"
"  smart    a name with .all (cacm.all, CISI.ALL, cran.all.1400), or a\n"
"           .txt or extensionless file that starts with \".I \": the SMART\n"
"           test collections, many articles per file\n"
"A .txt or extensionless file that starts with <REUTERS is read as reuters.\n"
"\n"
"  -d, --db DIR         the index (default: $BYLINE_DB, else ./byline.db)\n"
"      --list           print each article found as one JSON object per\n"
"                       line on stdout, and index nothing\n"
"  -f, --format FMT     read every file as FMT, whatever its name and\n"
"                       content: text, jsonl, reuters, trec, csv, mail,\n"
"                       html or smart\n"
"      --fields MAP     JSON member names beyond the common ones, as\n"
"                       FIELD=NAME,...: --fields title=hed,body=story\n"
"                       (FIELD: id title body date updated author url\n"
"                       source category)\n"
"      --include GLOB   only read files matching GLOB (repeatable; a glob\n"
"                       with '/' matches the path under PATH, one without\n"
"                       the file name: --include '*.sgm')\n"
"      --exclude GLOB   leave out files and directories matching GLOB\n"
"                       (repeatable: --exclude 'drafts' --exclude '*.bak')\n"
"      --hidden         also read hidden files and directories\n"
"      --no-delete      keep the articles of files that are gone\n"
"  -j, --threads N      read and index with N threads (default: one per\n"
"                       processor)\n"
"      --memory SIZE    keep peak memory under SIZE (default 1G; K, M, G\n"
"                       suffixes): bounds the segments held in memory\n"
"      --shards N       a new index splits its articles over N shards by a\n"
"                       hash of their id (default 1); an existing index\n"
"                       keeps its own\n"
"      --one-part       end the run with each shard in one part (rewriting\n"
"                       all of it): the index's link 'current' then\n"
"                       names the whole shard, for xapian-replicate\n"
"      --shard-of K/N   index only the articles of shard K (0 to N-1) of\n"
"                       N, by that same hash: N machines build the N\n"
"                       shards of one corpus at once, each reading all of\n"
"                       it (serve them with xapian-tcpsrv); the index\n"
"                       keeps K/N and refuses another\n"
"      --commit-every N each thread commits after at most N articles\n"
"                       (default 1000): a run that is killed keeps what\n"
"                       was committed\n"
"      --columns LIST   the columns of CSV files without a header row, e.g.\n"
"                       category,title,body (names: id title body date\n"
"                       author url source category skip)\n"
"  -l, --lang LANG      stemming language of a new index: a Snowball\n"
"                       language (english, french, german, ...) or none\n"
"                       (default: english)\n"
"      --fold-accents   a new index folds accents: \"cafe\" finds \"caf\xc3\xa9\"\n"
"                       (an existing index keeps its own setting)\n"
"      --stopwords      a new index leaves out common words (the, of, ...);\n"
"                       lists for english, french, german, spanish,\n"
"                       italian, portuguese, dutch and russian\n"
"      --stemmed-only   a new index keeps no exact word forms (a quoted\n"
"                       word then matches its stem too; the index is\n"
"                       about 15%% smaller)\n"
"      --overwrite      start a new, empty index\n"
"      --max-file-size SIZE  skip text and HTML files (one article per\n"
"                       file, read whole) larger than SIZE once\n"
"                       decompressed (default 64M; K, M, G suffixes);\n"
"                       files of many records (JSON lines, CSV, SGML,\n"
"                       mail, SMART) are streamed and not limited\n"
"  -q, --quiet          print no progress and no summary (progress is\n"
"                       shown only when stderr is a terminal)\n"
"  -v, --verbose        also name the files that are not articles\n"
"  -h, --help           show this help and exit\n"
"  -V, --version        show the version and exit\n"
"\n"
"Runs are incremental: files whose size and time (or content) have not\n"
"changed are skipped, changed files are indexed again (their articles\n"
"replaced), and the articles of files gone from under the PATHs are\n"
"deleted (unless --no-delete).  Indexing the same corpus twice never\n"
"duplicates an article.  Problems with single files are reported as\n"
"'%s: FILE: message' and the run goes on.\n"
"\n"
"Exit status: 0 if every article was indexed, 1 if some input was\n"
"skipped, 2 on a usage error or when the index could not be written.\n",
            cli_prog, cli_prog);
}

/* The number of processors online (at least 1). */
static unsigned cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (unsigned)n;
}

/* The summary on stderr. */
static void print_summary(const bl_ingest_summary_t *sum, int list,
                          const char *db, double secs,
                          const bl_index_stats_t *stats, unsigned threads,
                          int verbose)
{
    struct rusage ru;
    long peak_kb = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
    fprintf(stderr,
            "%s: %s%lu articles %s from %lu files (%.2f MB) in "
            "%.2f s (%.2f MB/s, peak memory %.0f MB)%s%s\n",
            cli_prog, sum->interrupted ? "interrupted: " : "", sum->articles,
            list ? "listed" : "indexed", sum->files, sum->bytes / 1e6, secs,
            secs > 0 ? sum->bytes / 1e6 / secs : 0.0, peak_kb / 1024.0,
            list ? "" : " into ", list ? "" : db);
    if (sum->other_shards)
        fprintf(stderr, "%s: %lu articles of the other shards left out\n",
                cli_prog, sum->other_shards);
    if (!list && verbose)
        fprintf(stderr, "%s: %u threads, %u shard%s, %lu segments "
                        "written, %lu merges (%.2f s; the final "
                        "one%s %.2f s)\n",
                cli_prog, threads, stats->shards,
                stats->shards == 1 ? "" : "s", stats->segments,
                stats->merges, stats->merge_seconds,
                stats->shards == 1 ? "" : "s", stats->final_seconds);
    if (!list && verbose)
        fprintf(stderr, "%s: publications held the index's lock %.2f s in "
                        "all, %.3f s at most\n",
                cli_prog, stats->publish_seconds, stats->publish_max);
    const unsigned long *k = sum->skipped;
    if (sum->skipped_total)
        fprintf(stderr,
                "%s: %lu skipped: %lu unreadable, %lu empty, %lu binary, "
                "%lu too large, %lu bad format, %lu links or special "
                "files, %lu bad records\n",
                cli_prog, sum->skipped_total, k[BL_PROBLEM_UNREADABLE],
                k[BL_PROBLEM_EMPTY], k[BL_PROBLEM_BINARY],
                k[BL_PROBLEM_TOO_LARGE], k[BL_PROBLEM_BAD_FORMAT],
                k[BL_PROBLEM_LINK], k[BL_PROBLEM_BAD_RECORD]);
    if (sum->unchanged || sum->removed)
        fprintf(stderr, "%s: %lu file%s unchanged, %lu removed %s "
                        "articles deleted\n",
                cli_prog, sum->unchanged, sum->unchanged == 1 ? "" : "s",
                sum->removed, sum->removed == 1 ? "file's" : "files'");
    if (sum->kept)
        fprintf(stderr, "%s: %lu file%s under unreadable places kept\n",
                cli_prog, sum->kept, sum->kept == 1 ? "" : "s");
    if (sum->ignored)
        fprintf(stderr, "%s: %lu file%s ignored (not a known article "
                        "format; -v names them)\n",
                cli_prog, sum->ignored, sum->ignored == 1 ? "" : "s");
}

/* What the command line asks for. */
typedef struct {
    const char *db;
    bl_index_options_t io;
    bl_ingest_options_t go;
    view_t v;
    int list, quiet;
    unsigned threads;
    unsigned long memory;
    const char **include, **exclude;
} cmd_t;

/* Say that NAME is no format, naming every format bl_format_from_name()
 * takes.  This function cannot fail. */
static void bad_format(const char *name)
{
    char expected[256] = "";
    size_t len = 0;
    int n = 0;
    while (strcmp(bl_format_name((bl_format_t)(BL_FORMAT_TEXT + n)),
                  "unknown") != 0)
        n++;
    for (int i = 0; i < n && len < sizeof expected; i++)
        len += (size_t)snprintf(
            expected + len, sizeof expected - len, "%s%s",
            i == 0 ? "" : i + 1 < n ? ", " : " or ",
            bl_format_name((bl_format_t)(BL_FORMAT_TEXT + i)));
    cli_error("--format: expected %s, not '%s'", expected, name);
}

/* Read the options of ARGV into C; returns -1 to go on, or the status to
 * exit with (after --help, --version or a bad option). */
static int parse_options(int argc, char **argv, cmd_t *c)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"lang", required_argument, NULL, 'l'},
        {"overwrite", no_argument, NULL, 'O'},
        {"fold-accents", no_argument, NULL, 'A'},
        {"stopwords", no_argument, NULL, 'S'},
        {"stemmed-only", no_argument, NULL, 'W'},
        {"max-file-size", required_argument, NULL, 'M'},
        {"list", no_argument, NULL, 'L'},
        {"format", required_argument, NULL, 'f'},
        {"columns", required_argument, NULL, 'C'},
        {"fields", required_argument, NULL, 'F'},
        {"include", required_argument, NULL, 'I'},
        {"exclude", required_argument, NULL, 'X'},
        {"hidden", no_argument, NULL, 'H'},
        {"no-delete", no_argument, NULL, 'N'},
        {"commit-every", required_argument, NULL, 'E'},
        {"threads", required_argument, NULL, 'j'},
        {"memory", required_argument, NULL, 'm'},
        {"shards", required_argument, NULL, 'K'},
        {"shard-of", required_argument, NULL, 'Y'},
        {"one-part", no_argument, NULL, 'Z'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    bl_index_options_t *io = &c->io;
    bl_ingest_options_t *go = &c->go;
    int k;
    while ((k = getopt_long(argc, argv, "d:l:f:j:qvhV", opts, NULL)) != -1) {
        switch (k) {
        case 'd': c->db = optarg; break;
        case 'l': io->language = optarg; break;
        case 'O': io->overwrite = 1; break;
        case 'A': io->fold_accents = 1; break;
        case 'S': io->stopwords = 1; break;
        case 'W': io->stemmed_only = 1; break;
        case 'M':
            go->read.max_bytes = cli_size("--max-file-size", optarg);
            if (go->read.max_bytes == 0) {
                cli_error("--max-file-size must be at least 1");
                return EXIT_FATAL;
            }
            break;
        case 'q': c->quiet = 1; break;
        case 'L': c->list = 1; break;
        case 'C': go->read.columns = optarg; break;
        case 'F':
            if (bl_check_fields(optarg) != BL_OK) {
                cli_error("--fields: %s", bl_last_error());
                return EXIT_FATAL;
            }
            go->read.fields = optarg;
            break;
        case 'I': add_pattern(&c->include, &go->walk.ninclude, optarg); break;
        case 'X': add_pattern(&c->exclude, &go->walk.nexclude, optarg); break;
        case 'H': go->walk.hidden = 1; break;
        case 'N': go->no_delete = 1; break;
        case 'E':
            io->segment_docs = cli_uint("--commit-every", optarg);
            if (io->segment_docs == 0) {
                cli_error("--commit-every must be at least 1");
                return EXIT_FATAL;
            }
            break;
        case 'j':
            c->threads = cli_uint("--threads", optarg);
            if (c->threads < 1 || c->threads > MAX_THREADS) {
                cli_error("--threads must be between 1 and %d",
                          MAX_THREADS);
                return EXIT_FATAL;
            }
            break;
        case 'm': c->memory = cli_size("--memory", optarg); break;
        case 'Z': io->one_part = 1; break;
        case 'Y': {
            char *slash = strchr(optarg, '/');
            if (!slash || slash == optarg) {
                cli_error("--shard-of: expected K/N (shard K of N, from 0), "
                          "not '%s'", optarg);
                return EXIT_FATAL;
            }
            *slash = '\0';
            io->shard_of_k = cli_uint("--shard-of", optarg);
            io->shard_of_n = cli_uint("--shard-of", slash + 1);
            *slash = '/';
            if (io->shard_of_n < 1 || io->shard_of_n > BL_MAX_SHARDS ||
                io->shard_of_k >= io->shard_of_n) {
                cli_error("--shard-of %s: K must be from 0 to N-1, and N "
                          "from 1 to %d", optarg, BL_MAX_SHARDS);
                return EXIT_FATAL;
            }
            break;
        }
        case 'K':
            io->shards = cli_uint("--shards", optarg);
            if (io->shards < 1 || io->shards > BL_MAX_SHARDS) {
                cli_error("--shards must be between 1 and %d",
                          BL_MAX_SHARDS);
                return EXIT_FATAL;
            }
            break;
        case 'f':
            go->read.format = bl_format_from_name(optarg);
            if (go->read.format == BL_FORMAT_UNKNOWN) {
                bad_format(optarg);
                return EXIT_FATAL;
            }
            break;
        case 'v': c->v.verbose = 1; break;
        case 'h': usage(stdout); return EXIT_ALL_OK;
        case 'V': cli_version(); return EXIT_ALL_OK;
        default:
            fprintf(stderr, "Try '%s --help'.\n", cli_prog);
            return EXIT_FATAL;
        }
    }
    if (optind >= argc) {
        cli_error("no PATH to index given");
        fprintf(stderr, "Try '%s --help'.\n", cli_prog);
        return EXIT_FATAL;
    }
    return -1;
}

/* Open the index C names, its segments sized for C's memory budget;
 * NULL with a message if it cannot be opened. */
static bl_indexer_t *open_index(cmd_t *c)
{
    bl_indexer_t *ix = NULL;
    size_t max_file = c->go.read.max_bytes;
    if (c->memory < bl_memory_floor(c->threads, max_file))
        cli_error("warning: --memory %lu MB is small for %u threads reading "
                  "files of up to %lu MB (--max-file-size); peak memory may "
                  "exceed it", c->memory >> 20, c->threads,
                  (unsigned long)(max_file >> 20));
    if (bl_indexer_open(c->db, &c->io, &ix) != BL_OK) {
        cli_error("%s", bl_last_error());
        return NULL;
    }
    bl_index_stats_t st;
    bl_indexer_stats(ix, &st);
    /* The segment size follows the budget and the real shard count (an
     * existing index keeps its own). */
    bl_indexer_set_segment_size(ix, c->io.segment_docs,
                                bl_segment_bytes(c->memory, c->threads,
                                                 st.shards, max_file));
    return ix;
}

int main(int argc, char **argv)
{
    cmd_t c;
    bl_indexer_t *ix = NULL;
    cli_prog = "byline-index";
    memset(&c, 0, sizeof c);
    c.io.language = "english";
    c.go.read.max_bytes = 64u << 20;
    c.threads = cpus();
    c.memory = DEFAULT_MEMORY;
    int status = parse_options(argc, argv, &c);
    if (status >= 0)
        return status;
    c.db = cli_db_path(c.db);
    c.io.threads = c.go.threads = c.threads;
    c.go.walk.include = c.include;
    c.go.walk.exclude = c.exclude;
    if (!c.list && !(ix = open_index(&c)))
        return EXIT_FATAL;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    view_t *v = &c.v;
    v->progress = !c.quiet && isatty(2);
    v->started = cli_now();
    c.go.count_total = v->progress;
    bl_ingest_callbacks_t cb = {on_problem, on_progress, on_stop,
                                list_article, v};
    bl_ingest_summary_t sum;
    bl_status_t rc = bl_index_paths(ix, (const char *const *)argv + optind,
                                    (size_t)(argc - optind), &c.go, &cb,
                                    &sum);
    if (ix && v->progress)
        fprintf(stderr, ", merging");
    /* An interrupted or failed run commits what it has and leaves the
     * merging to the next run. */
    bl_index_stats_t stats;
    memset(&stats, 0, sizeof stats);
    bl_status_t frc =
        c.list ? BL_OK
               : bl_indexer_finish(ix, rc == BL_OK && !sum.interrupted,
                                   &stats);
    if (frc != BL_OK && rc == BL_OK)
        cli_error("%s", bl_last_error());
    if (rc == BL_OK)
        rc = frc;
    if (v->progress) {
        fputc('\n', stderr);
        cli_progress_shown = 0;
    }
    if (!c.quiet)
        print_summary(&sum, c.list, c.db, cli_now() - v->started, &stats,
                      c.threads, v->verbose);
    free(c.include);
    free(c.exclude);
    if (fflush(stdout) != 0) {
        cli_error("cannot write the listing");
        rc = BL_EIO;
    }
    if (rc != BL_OK)
        return EXIT_FATAL;
    return sum.skipped_total || sum.interrupted ? EXIT_PARTIAL : EXIT_ALL_OK;
}
