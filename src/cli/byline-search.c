/*
 * byline-search: search a Byline index and show the best passages.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "byline/search.h"
#include "cli.h"

typedef enum { FMT_TEXT, FMT_JSON } format_t;

/* How highlighted words are marked in text output. */
typedef struct marks {
    const char *on, *off;
} marks_t;

/* Write LEN bytes of TEXT to stdout with the N spans HL marked. */
static void put_marked(const char *text, size_t len, const bl_span_t *hl,
                       size_t n, const marks_t *m)
{
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (hl[i].start < at || hl[i].end > len)
            continue;
        fwrite(text + at, 1, hl[i].start - at, stdout);
        fputs(m->on, stdout);
        fwrite(text + hl[i].start, 1, hl[i].end - hl[i].start, stdout);
        fputs(m->off, stdout);
        at = hl[i].end;
    }
    fwrite(text + at, 1, len - at, stdout);
}

/* Print passage P on one line (newlines become spaces), with "..." where
 * the body goes on. */
static void put_passage(const bl_passage_t *p, const marks_t *m)
{
    char *flat = strdup(p->text);
    if (!flat)
        return;
    for (char *c = flat; *c; c++) {
        if (*c == '\n')
            *c = ' ';
    }
    fputs("   ", stdout);
    if (p->cut_before)
        fputs("...", stdout);
    put_marked(flat, strlen(flat), p->hl, p->nhl, m);
    if (p->cut_after)
        fputs("...", stdout);
    fputc('\n', stdout);
    free(flat);
}

static void print_text(const bl_results_t *res, const char *query,
                       const marks_t *m, const marks_t *title_m)
{
    unsigned n = res->matches_estimated;
    printf("%s%u result%s for \"%s\"\n",
           res->matches_lower == res->matches_upper ? "" : "about ", n,
           n == 1 ? "" : "s", query);
    for (size_t i = 0; i < res->nhits; i++) {
        const bl_hit_t *h = &res->hits[i];
        const bl_article_t *a = &h->article;
        const char *title = a->title && *a->title ? a->title : "(untitled)";
        printf("\n%u. ", h->rank);
        put_marked(title, strlen(title), a->title ? h->title_hl : NULL,
                   a->title ? h->ntitle_hl : 0, title_m);
        printf("  [%.3f]\n   ", h->score);
        if (a->author && *a->author)
            printf("%s · ", a->author);
        if (a->date && *a->date)
            printf("%s · ", a->date);
        printf("%s\n", a->path ? a->path : a->id);
        for (size_t k = 0; k < h->npassages; k++)
            put_passage(&h->passages[k], m);
    }
}

/* Write N spans as a JSON array of [start, end] pairs. */
static void put_spans(const bl_span_t *hl, size_t n)
{
    putchar('[');
    for (size_t i = 0; i < n; i++)
        printf("%s[%zu,%zu]", i ? "," : "", hl[i].start, hl[i].end);
    putchar(']');
}

static void print_json(const bl_results_t *res)
{
    for (size_t i = 0; i < res->nhits; i++) {
        const bl_hit_t *h = &res->hits[i];
        const bl_article_t *a = &h->article;
        printf("{\"id\":");
        cli_json_string(stdout, a->id);
        printf(",\"rank\":%u,\"score\":%.6f,\"title\":", h->rank, h->score);
        cli_json_string(stdout, a->title);
        printf(",\"title_highlights\":");
        put_spans(h->title_hl, h->ntitle_hl);
        printf(",\"author\":");
        cli_json_string(stdout, a->author);
        printf(",\"date\":");
        cli_json_string(stdout, a->date);
        printf(",\"path\":");
        cli_json_string(stdout, a->path);
        printf(",\"passages\":[");
        for (size_t k = 0; k < h->npassages; k++) {
            const bl_passage_t *p = &h->passages[k];
            printf("%s{\"text\":", k ? "," : "");
            cli_json_string(stdout, p->text);
            printf(",\"offset\":%zu,\"highlights\":", p->offset);
            put_spans(p->hl, p->nhl);
            printf("}");
        }
        printf("]}\n");
    }
}

static void usage(FILE *f)
{
    fprintf(f,
"Usage: %s [OPTION]... QUERY...\n"
"Search a Byline index and print the best matching articles, ranked with\n"
"BM25, with the passages that match and the matching words highlighted.\n"
"Every form of a word is found (\"protests\" finds \"protesters\").\n"
"\n"
"  -d, --db PATH        the index (default: $BYLINE_DB, else ./byline.db)\n"
"  -n, --limit N        show N hits (default 10)\n"
"      --offset N       skip the first N hits (default 0)\n"
"      --match any|all  any query word may match (default), or all must\n"
"      --k1 X, --b X    BM25 parameters (default 1.2 and 0.75)\n"
"      --passages N     passages per hit, 0 to 3 (default 1)\n"
"  -f, --format text|json  output format (default text)\n"
"      --color auto|always|never  bold highlights on a terminal (default\n"
"                       auto: when stdout is a terminal and NO_COLOR is\n"
"                       unset); otherwise words are marked **like this**\n"
"  -h, --help           show this help and exit\n"
"  -V, --version        show the version and exit\n"
"\n"
"JSON output: one object per hit per line, with id, rank, score, title,\n"
"title_highlights, author, date, path and passages (text, offset into the\n"
"body, highlights as [start, end] byte ranges into the text).\n"
"\n"
"Exit status: 0 if something matched, 1 if nothing did, 2 on an error.\n",
            cli_prog);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"limit", required_argument, NULL, 'n'},
        {"offset", required_argument, NULL, 'o'},
        {"match", required_argument, NULL, 'm'},
        {"k1", required_argument, NULL, 'k'},
        {"b", required_argument, NULL, 'b'},
        {"passages", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'},
        {"color", required_argument, NULL, 'c'},
        {"colour", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    bl_search_options_t so;
    const char *db = NULL, *color = "auto";
    format_t fmt = FMT_TEXT;
    bl_searcher_t *s = NULL;
    bl_results_t *res = NULL;
    char *query = NULL;
    size_t qlen = 0;
    int c, status;

    cli_prog = "byline-search";
    bl_search_options_init(&so);
    while ((c = getopt_long(argc, argv, "d:n:f:hV", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'n': so.limit = cli_uint("--limit", optarg); break;
        case 'o': so.offset = cli_uint("--offset", optarg); break;
        case 'k': so.k1 = cli_double("--k1", optarg); break;
        case 'b': so.b = cli_double("--b", optarg); break;
        case 'p': so.passages = cli_uint("--passages", optarg); break;
        case 'm':
            if (strcmp(optarg, "all") != 0 && strcmp(optarg, "any") != 0) {
                cli_error("--match: expected any or all, not '%s'", optarg);
                return EXIT_FATAL;
            }
            so.match_all = strcmp(optarg, "all") == 0;
            break;
        case 'f':
            if (strcmp(optarg, "text") == 0) {
                fmt = FMT_TEXT;
            } else if (strcmp(optarg, "json") == 0) {
                fmt = FMT_JSON;
            } else {
                cli_error("--format: expected text or json, not '%s'",
                          optarg);
                return EXIT_FATAL;
            }
            break;
        case 'c':
            if (strcmp(optarg, "auto") && strcmp(optarg, "always") &&
                strcmp(optarg, "never")) {
                cli_error("--color: expected auto, always or never, not "
                          "'%s'", optarg);
                return EXIT_FATAL;
            }
            color = optarg;
            break;
        case 'h': usage(stdout); return EXIT_ALL_OK;
        case 'V': cli_version(); return EXIT_ALL_OK;
        default:
            fprintf(stderr, "Try '%s --help'.\n", cli_prog);
            return EXIT_FATAL;
        }
    }
    if (optind >= argc) {
        cli_error("no QUERY given");
        fprintf(stderr, "Try '%s --help'.\n", cli_prog);
        return EXIT_FATAL;
    }
    if (so.limit == 0 || so.passages > BL_MAX_PASSAGES || so.k1 < 0 ||
        so.b < 0 || so.b > 1) {
        cli_error("--limit must be at least 1, --passages at most %d, --k1 "
                  "at least 0 and --b between 0 and 1", BL_MAX_PASSAGES);
        return EXIT_FATAL;
    }
    for (int i = optind; i < argc; i++)
        qlen += strlen(argv[i]) + 1;
    query = calloc(1, qlen + 1);
    if (!query) {
        cli_error("out of memory");
        return EXIT_FATAL;
    }
    for (int i = optind; i < argc; i++) {
        if (i > optind)
            strcat(query, " ");
        strcat(query, argv[i]);
    }

    db = cli_db_path(db);
    if (bl_searcher_open(db, &s) != BL_OK ||
        bl_search(s, query, &so, &res) != BL_OK) {
        cli_error("%s", bl_last_error());
        bl_searcher_free(s);
        free(query);
        return EXIT_FATAL;
    }
    int use_color = strcmp(color, "always") == 0 ||
                    (strcmp(color, "auto") == 0 && isatty(1) &&
                     !(getenv("NO_COLOR") && *getenv("NO_COLOR")));
    marks_t m = use_color ? (marks_t){"\033[1;31m", "\033[0m"}
                          : (marks_t){"**", "**"};
    marks_t tm = use_color ? (marks_t){"\033[1;4m", "\033[0m"} : m;
    if (fmt == FMT_JSON)
        print_json(res);
    else
        print_text(res, query, &m, &tm);
    status = res->nhits > 0 || res->matches_estimated > 0 ? EXIT_ALL_OK
                                                          : EXIT_PARTIAL;
    if (fflush(stdout) != 0) {
        cli_error("cannot write the results");
        status = EXIT_FATAL;
    }
    bl_results_free(res);
    bl_searcher_free(s);
    free(query);
    return status;
}
