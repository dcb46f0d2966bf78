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

#include "byline/eval.h"
#include "byline/output.h"
#include "byline/search.h"
#include "cli.h"

typedef enum { FMT_TEXT, FMT_JSON, FMT_TREC, FMT_CSV } format_t;

/* Print one topic as "qid<TAB>query", the query's tabs and line breaks
 * as spaces. */
static void print_topic(const char *qid, const char *query)
{
    printf("%s\t", qid);
    for (const char *c = query; *c; c++)
        putchar(*c == '\t' || *c == '\n' || *c == '\r' ? ' ' : *c);
    putchar('\n');
}

/* Show where a syntax error is: the query, and a caret under byte AT. */
static void show_error_at(const char *query, size_t at)
{
    fprintf(stderr, "  %s\n  ", query);
    for (size_t i = 0; i < at && query[i]; i++) {
        /* One column per character, not per byte. */
        if (((unsigned char)query[i] & 0xc0) != 0x80)
            fputc(query[i] == '\t' ? '\t' : ' ', stderr);
    }
    fputs("^\n", stderr);
}

static void usage(FILE *f)
{
    fprintf(
        f,
        "Usage: %s [OPTION]... QUERY...\n"
        "       %s [OPTION]... --topics FILE\n"
        "       %s [OPTION]... --like ID\n"
        "Search a Byline index and print the best matching articles, ranked "
        "with\n"
        "BM25, with the passages that match and the matching words "
        "highlighted.\n"
        "Every form of a word is found (\"protests\" finds \"protesters\").\n"
        "\n"
        "Query language (operators in upper case):\n"
        "  strike workers            any word may match (all with --match "
        "all)\n"
        "  +strike -football         required, excluded\n"
        "  a AND b, a OR b, a NOT b, ( )   boolean operators\n"
        "  \"harbor pilots\"            an exact phrase, the words as written\n"
        "                            (\"Organ\" is not \"organization\")\n"
        "  pilots NEAR strike        within 10 words (NEAR/5: within 5)\n"
        "  immig*                    words beginning so\n"
        "  title:strike title:\"a phrase\" author:vance source:reuters\n"
        "  category:cocoa            fields (author, source, category filter)\n"
        "  date:2018-07-04 date:2018-07 year:2018 date:2018-07-01..2018-07-31\n"
        "  date:..2018-07-31 date:2018-07-01..   dates and date ranges\n"
        "\n"
        "Options and QUERY words may be mixed; \"--\" ends the options, so a "
        "QUERY\n"
        "that begins with '-' goes after it: %s -- -football strike\n"
        "\n"
        "  -d, --db PATH        the index (default: $BYLINE_DB, else "
        "./byline.db)\n"
        "      --shard-timeout S  seconds a remote shard has to answer "
        "(default\n"
        "                       5; up to 2 of them to accept the "
        "connection)\n"
        "  -n, --limit N        show N hits (default 10; 1000 with --format "
        "trec)\n"
        "      --offset N       skip the first N hits (default 0)\n"
        "      --match any|all  any query word may match (default), or all "
        "must\n"
        "      --quotes exact|stem  a quoted word matches its exact form (the\n"
        "                       default, where the index keeps them) or its\n"
        "                       stem as unquoted words do\n"
        "      --from DATE, --to DATE   only articles dated from / up to DATE\n"
        "                       (YYYY, YYYY-MM or YYYY-MM-DD; either alone)\n"
        "      --sort relevance|date|date-asc   best first (default), newest\n"
        "                       first, or oldest first\n"
        "      --k1 X, --b X    BM25 parameters (default 1.5 and 0.4)\n"
        "      --k3 X           BM25's damping of words repeated in the query\n"
        "                       (default 1000: a word given twice counts "
        "twice)\n"
        "      --weighting bm25|dph|pl2  how matches are weighed: BM25 "
        "(default),\n"
        "                       or Xapian's divergence-from-randomness DPH "
        "or PL2\n"
        "      --pairs X        weight of the word pairs of a query of plain "
        "words\n"
        "                       (no operator, phrase or field): an article "
        "with\n"
        "                       both words of a pair next to each other in "
        "the\n"
        "                       query gains X of their weights, shared by "
        "the\n"
        "                       query's pairs (default 0.1; 0: none)\n"
        "      --pairs-common X  leave out of --pairs a pair whose two words "
        "are\n"
        "                       each in more than X of the articles, 0 to 1\n"
        "                       (default 0.03; 1: every pair)\n"
        "      --proximity X    the same for pairs within --proximity-window "
        "words,\n"
        "                       in any order, added to --pairs (default 0: "
        "none)\n"
        "      --proximity-window N  the window of --proximity (default 8; 0 "
        "or 1:\n"
        "                       in the query's order within 3 words "
        "instead)\n"
        "      --title-weight X  weight of a query word in the title, "
        "beside its\n"
        "                       weight in the text (default 0: none)\n"
        "      --passages N     passages per hit, 0 to 3 (default 1)\n"
        "  -f, --format text|json|trec|csv  output format (default text; csv:\n"
        "                       id,title,author,date,source,url,categories,\n"
        "                       score, RFC 4180)\n"
        "      --topics FILE    run every query of FILE (a TREC topic file, "
        "or\n"
        "                       lines \"qid<TAB>query\")\n"
        "      --topic-field title|desc|both  the part of a TREC topic to "
        "search\n"
        "                       (default title)\n"
        "      --topic-quotes words|phrase  a topic's double quotes are "
        "punctuation\n"
        "                       (default: a topic quotes a name), or a "
        "phrase\n"
        "                       to match exactly, as in a query\n"
        "      --qid ID         the query id for trec and json output (default "
        "1)\n"
        "      --tag TAG        the run tag of trec output (default byline)\n"
        "      --explain        print the parsed query on stderr\n"
        "      --keep-stopwords search for stopwords (the, of, ...) too; by\n"
        "                       default they are left out of a query that has\n"
        "                       other words (phrases and +word keep them)\n"
        "      --plain          read the query as plain words, with no "
        "operators,\n"
        "                       phrases or fields (--topics does so for a "
        "topic\n"
        "                       the query language cannot read, saying so)\n"
        "      --duplicates collapse|show  one hit for a story reprinted by\n"
        "                       several sources, with the count of the others\n"
        "                       (default collapse), or every copy (the "
        "default\n"
        "                       of --format trec and --topics: a judged run\n"
        "                       lists every document)\n"
        "      --expand[=rm3|bo1]  pseudo-relevance feedback: add the best "
        "terms\n"
        "                       of the best articles to the query (RM3 as\n"
        "                       Anserini runs it, or Xapian's Bo1 expansion "
        "set)\n"
        "      --fb-docs N, --fb-terms N, --fb-weight X   its settings: "
        "feedback\n"
        "                       articles (3), terms (40) and the original\n"
        "                       query's share (0.5)\n"
        "      --fb-ratio X     feedback only from the articles scoring at "
        "least\n"
        "                       X times the best's (0 to 1; default 0: "
        "all)\n"
        "      --fb-spread X    RM3: weigh each feedback term by the share "
        "of\n"
        "                       the feedback articles that have it, to the\n"
        "                       power X (default 0: not)\n"
        "      --like ID        the articles most like article ID (more like\n"
        "                       this), not it nor its reprints; no QUERY\n"
        "      --print-topics   print the queries of --topics FILE as lines\n"
        "                       \"qid<TAB>query\" and search nothing\n"
        "      --facets LIST    count the matching articles by year, author,\n"
        "                       source and/or category: --facets year,source\n"
        "      --color, --colour auto|always|never  bold highlights on a "
        "terminal\n"
        "                       (default auto: when stdout is a terminal and\n"
        "                       NO_COLOR is unset or empty); otherwise words "
        "are\n"
        "                       marked **like this**\n"
        "  -h, --help           show this help and exit\n"
        "  -V, --version        show the version and exit\n"
        "\n"
        "JSON output: one object per hit per line, with qid (with --topics or\n"
        "--qid), id, rank, score, title, title_highlights, author, date, "
        "path,\n"
        "source, url, duplicates (the reprints collapsed into the hit), "
        "matches\n"
        "(the number of matching articles), matches_exact (false: an "
        "estimate)\n"
        "and passages (text, offset into the body, highlights as [start, "
        "end]\n"
        "byte ranges into the text).  After the hits, with --facets, a line\n"
        "{\"facets\":{\"year\":[[\"2019\",12],...],...}}, and with a "
        "spelling\n"
        "suggestion a line {\"suggestion\":\"...\"} (both with qid when the "
        "hits\n"
        "have it).\n"
        "TREC output: \"qid Q0 id rank score tag\" lines, scores strictly\n"
        "decreasing, ties in id order (descending, as trec_eval); whitespace "
        "and\n"
        "'%%' in a field written as %%XX (\"my story.txt\": my%%20story.txt).\n"
        "\n"
        "Over remote shards (a stub of \"remote HOST:PORT\" lines) a shard "
        "that\n"
        "does not answer is left out: the answer is the others', a line on\n"
        "stderr names it, and JSON output ends with a line\n"
        "{\"shards\":{\"total\":N,\"failed\":[{\"shard\":...,\"error\":...}]}}. "
        "A\n"
        "run (--format trec, --topics) refuses instead: it would be wrong\n"
        "without a sign.\n"
        "\n"
        "Exit status: 0 if something matched, 1 if nothing did, 2 on an error\n"
        "(a query syntax error is shown with a caret under its place; a run\n"
        "missing a shard), 3 if the answer lacks a shard that did not answer.\n",
        cli_prog, cli_prog, cli_prog, cli_prog);
}

typedef struct out {
    format_t fmt;
    bl_marks_t m, tm;
    const char *qid, *tag;
    int explain;
} out_t;

/* Run one QUERY on S and print its results; returns the exit status. */
static int run_query(bl_searcher_t *s, const char *query,
                     const bl_search_options_t *so, const out_t *o)
{
    bl_results_t *res = NULL;
    if (o->explain && !so->like) {
        /* The query as the searcher reads it (its flags, its fallback). */
        char *d = NULL;
        if (bl_search_describe(s, query, so, &d) == BL_OK)
            fprintf(stderr, "%s: query %s%s%s\n", cli_prog,
                    o->qid ? o->qid : "", o->qid ? ": " : "", d);
        free(d);
    }
    bl_status_t rc = bl_search(s, query, so, &res);
    if (rc == BL_OK && res->fallback)
        cli_error("query %s: %s; searched as plain words", o->qid,
                  res->fallback);
    if (rc != BL_OK) {
        if (o->qid)
            cli_error("query %s: %s", o->qid, bl_last_error());
        else
            cli_error("%s", bl_last_error());
        if (rc == BL_ESYNTAX && res)
            show_error_at(query, res->error_at);
        bl_results_free(res);
        return EXIT_FATAL;
    }
    static int header_done; /* (One header row for every query.) */
    if (o->fmt == FMT_CSV) {
        bl_output_csv(stdout, res, !header_done);
        header_done = 1;
    } else if (o->fmt == FMT_JSON)
        bl_output_json(stdout, res, o->qid);
    else if (o->fmt == FMT_TREC)
        bl_output_trec(stdout, res, o->qid ? o->qid : "1", o->tag);
    else
        bl_output_text(stdout, res, query, &o->m, &o->tm);
    int status = res->nhits > 0 || res->matches_estimated > 0 ? EXIT_ALL_OK
                                                              : EXIT_PARTIAL;
    for (size_t i = 0; i < res->nfailed; i++)
        cli_error("partial answer: shard %s does not answer (%s); %zu of %u "
                  "shards searched",
                  res->failed[i].shard, res->failed[i].error,
                  res->shards - res->nfailed, res->shards);
    if (res->nfailed)
        status = EXIT_SHARDS;
    bl_results_free(res);
    return status;
}

/* What the command line asks for. */
typedef struct {
    bl_search_options_t so;
    out_t o;
    const char *db, *topics;
    unsigned color; /* COLORS[color] */
    bl_topic_field_t field;
    unsigned shard_timeout; /* ms; 0: the library's (5 s). */
    int limit_given, dups_given, print_topics;
    unsigned topic_quotes; /* TOPIC_QUOTES[topic_quotes] */
} cmd_t;

static const char *const COLORS[] = {"auto", "always", "never", NULL};
static const char *const TOPIC_QUOTES[] = {"words", "phrase", NULL};

/* The value of the word VALUE of option OPT; a usage error (exit 2)
 * naming the words it takes for any other. */
static int word(bl_option_t opt, const char *value)
{
    int v;
    if (bl_option_parse(opt, value, &v) != BL_OK) {
        cli_error("--%s", bl_last_error());
        exit(EXIT_FATAL);
    }
    return v;
}

/* Read the options of ARGV into C; returns -1 to go on, or the status to
 * exit with (after --help, --version or a bad option). */
static int parse_options(int argc, char **argv, cmd_t *c)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"limit", required_argument, NULL, 'n'},
        {"offset", required_argument, NULL, 'o'},
        {"match", required_argument, NULL, 'm'},
        {"sort", required_argument, NULL, 's'},
        {"k1", required_argument, NULL, 'k'},
        {"b", required_argument, NULL, 'b'},
        {"k3", required_argument, NULL, '3'},
        {"weighting", required_argument, NULL, 'w'},
        {"proximity", required_argument, NULL, 'x'},
        {"pairs", required_argument, NULL, 'a'},
        {"pairs-common", required_argument, NULL, 'g'},
        {"proximity-window", required_argument, NULL, 'y'},
        {"title-weight", required_argument, NULL, 't'},
        {"passages", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'},
        {"topics", required_argument, NULL, 'T'},
        {"topic-field", required_argument, NULL, 'F'},
        {"topic-quotes", required_argument, NULL, 'U'},
        {"qid", required_argument, NULL, 'Q'},
        {"tag", required_argument, NULL, 'G'},
        {"explain", no_argument, NULL, 'E'},
        {"plain", no_argument, NULL, 'P'},
        {"keep-stopwords", no_argument, NULL, 'K'},
        {"duplicates", required_argument, NULL, 'D'},
        {"facets", required_argument, NULL, 'A'},
        {"print-topics", no_argument, NULL, 'W'},
        {"expand", optional_argument, NULL, 'X'},
        {"fb-docs", required_argument, NULL, '4'},
        {"fb-terms", required_argument, NULL, '5'},
        {"fb-weight", required_argument, NULL, '6'},
        {"fb-ratio", required_argument, NULL, 'r'},
        {"fb-spread", required_argument, NULL, 'S'},
        {"like", required_argument, NULL, 'L'},
        {"from", required_argument, NULL, '7'},
        {"quotes", required_argument, NULL, '9'},
        {"to", required_argument, NULL, '8'},
        {"color", required_argument, NULL, 'c'},
        {"colour", required_argument, NULL, 'c'},
        {"shard-timeout", required_argument, NULL, 'J'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    /* In the order of bl_topic_field_t and format_t.  (The search's own
     * words are the library's: bl_option_parse().) */
    static const char *const FIELDS[] = {"title", "desc", "both", NULL};
    static const char *const FORMATS[] = {"text", "json", "trec", "csv",
                                          NULL};
    bl_search_options_t *so = &c->so;
    int k;
    while ((k = getopt_long(argc, argv, "d:n:f:hV", opts, NULL)) != -1) {
        switch (k) {
        case 'd': c->db = optarg; break;
        case 'J': c->shard_timeout = cli_shard_timeout(optarg); break;
        case 'n':
            so->limit = cli_uint("--limit", optarg);
            c->limit_given = 1;
            break;
        case 'o': so->offset = cli_uint("--offset", optarg); break;
        case 'k': so->k1 = cli_double("--k1", optarg); break;
        case 'b': so->b = cli_double("--b", optarg); break;
        case '3': so->k3 = cli_double("--k3", optarg); break;
        case 'w':
            so->weighting = word(BL_OPTION_WEIGHTING, optarg);
            break;
        case 'x': so->proximity = cli_double("--proximity", optarg); break;
        case 'a': so->pairs = cli_double("--pairs", optarg); break;
        case 'g':
            so->pairs_common = cli_double("--pairs-common", optarg);
            break;
        case 'r': so->fb_min_ratio = cli_double("--fb-ratio", optarg); break;
        case 'S': so->fb_spread = cli_double("--fb-spread", optarg); break;
        case 'y':
            so->proximity_window = cli_uint("--proximity-window", optarg);
            break;
        case 't':
            so->title_weight = cli_double("--title-weight", optarg);
            break;
        case 'p': so->passages = cli_uint("--passages", optarg); break;
        case 'T': c->topics = optarg; break;
        case 'Q': c->o.qid = optarg; break;
        case 'G': c->o.tag = optarg; break;
        case 'E': c->o.explain = 1; break;
        case 'P': so->plain = 1; break;
        case 'K': so->keep_stopwords = 1; break;
        case 'D':
            so->show_duplicates = word(BL_OPTION_DUPLICATES, optarg);
            c->dups_given = 1;
            break;
        case 'W': c->print_topics = 1; break;
        case 'X':
            so->expand = optarg ? word(BL_OPTION_EXPAND, optarg)
                                : BL_EXPAND_RM3;
            break;
        case '4': so->fb_docs = cli_uint("--fb-docs", optarg); break;
        case '5': so->fb_terms = cli_uint("--fb-terms", optarg); break;
        case '6':
            so->fb_query_weight = cli_double("--fb-weight", optarg);
            break;
        case 'L': so->like = optarg; break;
        case '9':
            so->stem_quotes = word(BL_OPTION_QUOTES, optarg);
            break;
        case '7':
        case '8':
            if (bl_date_parse(optarg, k == '8',
                              k == '7' ? &so->date_from : &so->date_to) !=
                BL_OK) {
                cli_error("--%s: %s", k == '7' ? "from" : "to",
                          bl_last_error());
                return EXIT_FATAL;
            }
            break;
        case 'A':
            if (bl_facets_parse(optarg, &so->facets) != BL_OK) {
                cli_error("--facets: %s", bl_last_error());
                return EXIT_FATAL;
            }
            break;
        case 'm':
            so->match_all = word(BL_OPTION_MATCH, optarg);
            break;
        case 's':
            so->sort = (bl_sort_t)word(BL_OPTION_SORT, optarg);
            break;
        case 'F':
            c->field =
                (bl_topic_field_t)cli_choice("--topic-field", optarg, FIELDS);
            break;
        case 'U':
            c->topic_quotes = cli_choice("--topic-quotes", optarg,
                                         TOPIC_QUOTES);
            break;
        case 'f':
            c->o.fmt = (format_t)cli_choice("--format", optarg, FORMATS);
            break;
        case 'c': c->color = cli_choice("--color", optarg, COLORS); break;
        case 'h': usage(stdout); return EXIT_ALL_OK;
        case 'V': cli_version(); return EXIT_ALL_OK;
        default:
            fprintf(stderr, "Try '%s --help'.\n", cli_prog);
            return EXIT_FATAL;
        }
    }
    return -1;
}

/* Check what C asks for as a whole (NARGS query words), and settle what
 * follows from it; returns -1 to go on, or the status to exit with. */
static int settle(cmd_t *c, int nargs)
{
    bl_search_options_t *so = &c->so;
    if (c->print_topics && !c->topics) {
        cli_error("--print-topics needs --topics FILE");
        return EXIT_FATAL;
    }
    if (so->like && (c->topics || nargs > 0)) {
        cli_error("--like ID takes no QUERY and no --topics");
        fprintf(stderr, "Try '%s --help'.\n", cli_prog);
        return EXIT_FATAL;
    }
    if (!so->like && (nargs == 0) == !c->topics) {
        cli_error(c->topics ? "give a QUERY or --topics, not both"
                            : "no QUERY given");
        fprintf(stderr, "Try '%s --help'.\n", cli_prog);
        return EXIT_FATAL;
    }
    /* A judged run must list every copy of a reprinted story: collapsing
     * would drop relevant ones.  People's lists collapse by default. */
    if ((c->o.fmt == FMT_TREC || c->topics) && !c->dups_given)
        so->show_duplicates = 1;
    /* A topic is prose, where quotes mark a name ('Influence of the
     * "Pro-Israel Lobby"'), not a phrase: every TREC system reads them
     * so (measured: README, Ranking quality). */
    so->quotes_as_words = c->topics && c->topic_quotes == 0;
    /* A judged run without a shard would be wrong without a sign. */
    so->all_shards = c->o.fmt == FMT_TREC || c->topics;
    if (c->o.fmt == FMT_TREC) {
        so->passages = 0; /* Not shown: not computed. */
        if (!c->limit_given)
            so->limit = 1000;
    }
    if (so->limit == 0 || so->passages > BL_MAX_PASSAGES || so->k1 < 0 ||
        so->k3 < 0 || so->b < 0 || so->b > 1 || !(so->proximity >= 0) ||
        !(so->title_weight >= 0) || !(so->pairs >= 0) ||
        !(so->pairs_common >= 0) || so->pairs_common > 1) {
        cli_error("--limit must be at least 1, --passages at most %d, --k1, "
                  "--pairs, --proximity and --title-weight at least 0 and "
                  "--b and --pairs-common between 0 and 1",
                  BL_MAX_PASSAGES);
        return EXIT_FATAL;
    }
    if (so->fb_docs == 0 || so->fb_terms == 0 || !(so->fb_query_weight >= 0) ||
        so->fb_query_weight > 1 || !(so->fb_min_ratio >= 0) ||
        so->fb_min_ratio > 1 || !(so->fb_spread >= 0)) {
        cli_error("--fb-docs and --fb-terms must be at least 1, --fb-weight "
                  "and --fb-ratio between 0 and 1, --fb-spread at least 0");
        return EXIT_FATAL;
    }
    const char *no_color = getenv("NO_COLOR");
    int use_color = c->color == 1 ||
                    (c->color == 0 && isatty(1) && !(no_color && *no_color));
    c->o.m = use_color ? (bl_marks_t){"\033[1;31m", "\033[0m"}
                       : (bl_marks_t){"**", "**"};
    c->o.tm = use_color ? (bl_marks_t){"\033[1;4m", "\033[0m"} : c->o.m;
    return -1;
}

/* Run (or print, with --print-topics) every topic of C's file on S;
 * returns the exit status. */
static int run_topics(bl_searcher_t *s, cmd_t *c)
{
    bl_topic_t *t = NULL;
    size_t n = 0;
    if (bl_topics_read(c->topics, c->field, &t, &n) != BL_OK) {
        cli_error("%s", bl_last_error());
        return EXIT_FATAL;
    }
    int status = EXIT_PARTIAL;
    if (c->print_topics) {
        for (size_t i = 0; i < n; i++)
            print_topic(t[i].id, t[i].query);
        status = EXIT_ALL_OK;
    }
    /* Topics are often natural language ("... on the subject: C. Davis,
     * "The rotation ..."): what the query language cannot read is
     * searched as plain words. */
    c->so.plain_fallback = 1;
    for (size_t i = 0; !c->print_topics && i < n; i++) {
        c->o.qid = t[i].id;
        int st = run_query(s, t[i].query, &c->so, &c->o);
        /* 0 if any query matched; 2 if any failed. */
        if (st == EXIT_FATAL || status == EXIT_FATAL)
            status = EXIT_FATAL;
        else if (st == EXIT_ALL_OK)
            status = EXIT_ALL_OK;
    }
    bl_topics_free(t, n);
    return status;
}

/* Run the query of the NWORDS words WORDS (or --like's) on S; returns
 * the exit status. */
static int run_words(bl_searcher_t *s, char **words, int nwords, cmd_t *c)
{
    size_t qlen = 0;
    for (int i = 0; i < nwords; i++)
        qlen += strlen(words[i]) + 1;
    if (c->so.like)
        qlen = strlen(c->so.like) + 16;
    char *query = calloc(1, qlen + 1);
    if (!query) {
        cli_error("out of memory");
        return EXIT_FATAL;
    }
    for (int i = 0; i < nwords; i++) {
        if (i > 0)
            strcat(query, " ");
        strcat(query, words[i]);
    }
    /* What the text output says was searched for. */
    if (c->so.like)
        snprintf(query, qlen + 1, "more like %s", c->so.like);
    int status = run_query(s, query, &c->so, &c->o);
    free(query);
    return status;
}

int main(int argc, char **argv)
{
    cmd_t c;
    bl_searcher_t *s = NULL;
    cli_prog = "byline-search";
    memset(&c, 0, sizeof c);
    bl_search_options_init(&c.so);
    c.o.fmt = FMT_TEXT;
    c.o.tag = "byline";
    c.field = BL_TOPIC_TITLE;
    int status = parse_options(argc, argv, &c);
    if (status < 0)
        status = settle(&c, argc - optind);
    if (status >= 0)
        return status;
    if (bl_searcher_open_with(cli_db_path(c.db), c.shard_timeout, &s) !=
        BL_OK) {
        cli_error("%s", bl_last_error());
        return EXIT_FATAL;
    }
    status = c.topics ? run_topics(s, &c)
                      : run_words(s, argv + optind, argc - optind, &c);
    if (fflush(stdout) != 0) {
        cli_error("cannot write the results");
        status = EXIT_FATAL;
    }
    bl_searcher_free(s);
    return status;
}
