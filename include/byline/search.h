/*
 * The search layer: queries over a Byline index, ranked with BM25, with the
 * best passages of each hit and the words that matched.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Ownership and threads: results (bl_results_t, bl_article_view_t) are
 * the caller's, independent of the searcher that made them (free them
 * with bl_results_free(), bl_article_view_clear()); a parsed query is the
 * caller's until bl_query_free().  A searcher is for one thread at a
 * time (a server opens one per thread); searchers share nothing, and
 * each follows the index's commits by itself (bl_searcher_refresh(),
 * called by every search).  Failures: bl_status_t and bl_last_error(),
 * per thread.
 */
#ifndef BYLINE_SEARCH_H
#define BYLINE_SEARCH_H

#include <stddef.h>

#include "byline/analysis.h"
#include "byline/corpus.h"
#include "byline/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The API: exported from the shared library, whatever the visibility it
 * is built with (ARCHITECTURE.md, Exports). */
#pragma GCC visibility push(default)

/* A highlighted span: byte offsets into the text it belongs to. */
typedef struct bl_span {
    size_t start, end;
} bl_span_t;

/* A passage: a run of whole words from the article body. */
typedef struct bl_passage {
    char *text;      /* The passage (malloc'ed). */
    bl_span_t *hl;   /* Highlighted words, byte offsets into TEXT. */
    size_t nhl;
    size_t offset;   /* Where TEXT starts in the body. */
    int cut_before;  /* Non-zero if the body goes on before TEXT... */
    int cut_after;   /* ...or after it (show an ellipsis). */
} bl_passage_t;

#define BL_MAX_PASSAGES 3

typedef struct bl_hit {
    unsigned rank;          /* 1-based, over the whole result list. */
    double score;           /* The relevance weight: BM25, with the
                               boosts the options ask for (word pairs,
                               proximity, title). */
    unsigned docid;
    bl_article_t article;   /* Stored fields (body not kept). */
    bl_span_t *title_hl;    /* Highlighted words of the title. */
    size_t ntitle_hl;
    bl_passage_t passages[BL_MAX_PASSAGES];
    size_t npassages;
    unsigned duplicates;    /* Near-duplicates collapsed into this hit. */
} bl_hit_t;

/* Facets: how the matching articles spread over a field's values. */
#define BL_FACET_YEAR 1u
#define BL_FACET_AUTHOR 2u
#define BL_FACET_SOURCE 4u
#define BL_FACET_CATEGORY 8u
#define BL_FACET_DAY 16u  /* Values "YYYY-MM-DD": for a timeline by month
                             or day (ask facet_values for enough). */
#define BL_NFACETS 5

typedef struct bl_facet_value {
    char *value;
    unsigned count;
} bl_facet_value_t;

typedef struct bl_facet {
    const char *field;         /* "year", "author", "source", "category",
                                  "day" */
    bl_facet_value_t *values;  /* Most frequent first (ties by value). */
    size_t n;
    unsigned total;            /* Matching articles counted. */
} bl_facet_t;

/* A shard that did not answer (remote shards, served by xapian-tcpsrv). */
typedef struct bl_shard_failure {
    char *shard; /* As the stub names it: "HOST:PORT", or a path. */
    char *error; /* Why: Xapian's message ("Couldn't connect ..."). */
} bl_shard_failure_t;

/* Free the N failures of F (as results and views hold them).  Accepts
 * NULL. */
void bl_shard_failures_free(bl_shard_failure_t *f, size_t n);

typedef struct bl_results {
    bl_hit_t *hits;
    size_t nhits;
    unsigned matches_lower;     /* Bounds on the number of matches; */
    unsigned matches_estimated; /* lower == upper when it is exact. */
    unsigned matches_upper;
    bl_facet_t facets[BL_NFACETS]; /* Those asked for, in BL_FACET_ order. */
    size_t nfacets;
    char *suggestion;  /* "Did you mean": the query with its unknown words
                          replaced by close indexed ones, when that finds
                          something; else NULL. */
    char *fallback;    /* With plain_fallback: why the query was read as
                          plain words (the syntax error), or NULL. */
    /* A query the language cannot read (bl_search() returned BL_ESYNTAX,
     * the message in bl_last_error()): where it goes wrong, as a byte
     * offset into the query and as a column (1-based, in characters, as
     * the message says it).  0 and 0 otherwise. */
    size_t error_at;
    unsigned error_column;
    /* A query over a limit of its searcher (bl_search() returned
     * BL_ELIMIT): which (BL_LIMIT_WILDCARD_TERMS, BL_LIMIT_WILDCARD_SCAN,
     * BL_LIMIT_TIME), and the results have no hits.  0 otherwise. */
    unsigned exceeded;
    /* BL_LIMIT_TIME when the search ran out of its time (bl_limits_t):
     * the match stopped early (the hits, counts and facets are those
     * found by then), or hits past it have no passages and there is no
     * spelling suggestion.  0 for a whole answer. */
    unsigned limited;
    /* The shards searched: SHARDS listed in all (0: a local index, not
     * counted), of which NFAILED did not answer (FAILED, owned by the
     * results): the hits, counts and facets are then those of the others
     * only, a partial answer that must be said so. */
    unsigned shards;
    bl_shard_failure_t *failed;
    size_t nfailed;
} bl_results_t;

/* The limits of bl_limits_t, as bl_results_t names them. */
#define BL_LIMIT_WILDCARD_TERMS 1u
#define BL_LIMIT_WILDCARD_SCAN 2u
#define BL_LIMIT_TIME 4u

typedef enum bl_sort {
    BL_SORT_RELEVANCE = 0, /* Best BM25 score first. */
    BL_SORT_DATE,          /* Newest first; ties by score. */
    BL_SORT_DATE_ASC       /* Oldest first; ties by score. */
} bl_sort_t;

/* Query expansion models (bl_search_options_t.expand). */
enum { BL_EXPAND_NONE = 0, BL_EXPAND_RM3 = 1, BL_EXPAND_BO1 = 2 };

/* How a match is weighed (bl_search_options_t.weighting). */
enum {
    BL_WEIGHT_BM25 = 0, /* BM25 with K1, B and K3 (the default). */
    BL_WEIGHT_DPH = 1,  /* Divergence from randomness, DPH (Xapian's;
                           no parameter). */
    BL_WEIGHT_PL2 = 2   /* Divergence from randomness, PL2 (c 1). */
};

typedef struct bl_search_options {
    unsigned limit;     /* Hits to return (default 10). */
    unsigned offset;    /* Hits to skip (default 0). */
    int match_all;      /* Non-zero: every word must match. */
    double k1, b;       /* BM25 parameters (default 1.5, 0.4). */
    double k3;          /* BM25's saturation of words repeated in the query
                           (default 1000: nearly none, a word given twice
                           counts twice, as in Lucene; measured on CACM,
                           CISI and Cranfield, see the README). */
    unsigned passages;  /* Passages per hit, 0..BL_MAX_PASSAGES (1). */
    unsigned passage_words; /* Words per passage (default 30). */
    bl_sort_t sort;     /* Result order (default BL_SORT_RELEVANCE). */
    int show_duplicates; /* Non-zero: do not collapse near-duplicates (the
                            same story reprinted) into one hit. */
    unsigned facets;    /* BL_FACET_* or-ed: count over every match. */
    unsigned facet_values; /* Values kept per facet (default 10). */
    int spelling;       /* Suggest a spelling for unknown words: 1 (the
                           default) whenever the query has one, except
                           over remote shards, where only a search that
                           finds nothing looks (a look reads the stems of
                           the word's first letter across the network:
                           20 ms on Reuters over loopback); 2 always;
                           0 never. */
    int plain;          /* Read the query as plain words
                           (bl_query_parse_plain()). */
    int plain_fallback; /* A query the language cannot read is searched
                           as plain words (topics in natural language);
                           the results say so (bl_results_t.fallback). */
    int keep_stopwords; /* Do not leave stopwords out of queries (they
                           are left out, when other words remain, by
                           default: measured on CACM, CISI, Cranfield). */
    int expand;         /* Pseudo-relevance feedback, BL_EXPAND_RM3 (as
                           Anserini runs it) or BL_EXPAND_BO1 (Xapian's
                           expansion set, Bo1 weights); 0: none:
                           the query is expanded with the terms of its
                           best FB_DOCS articles.  A query of plain words
                           becomes the expanded one; any other keeps its
                           matches, ranked by the expanded query. */
    unsigned fb_docs;   /* Feedback articles (default 3). */
    unsigned fb_terms;  /* Expansion terms (default 40). */
    double fb_query_weight; /* The original query's share, 0..1 (default
                           0.5; Anserini's RM3: 10, 10, 0.5, which lost
                           MAP on the AP sample; these were chosen
                           leaving one collection out: see the README). */
    unsigned exact_count; /* Count the matches exactly, near-duplicates
                           collapsed, when there are at most this many
                           (default 0: Xapian's estimate, and the
                           collapsed count estimated from the hits
                           read): every match is then read. */
    unsigned long date_from, date_to; /* Only articles dated in this
                           window, YYYYMMDD (bl_date_parse()), either side
                           open (0); it restricts what matches without
                           weighing in, as date: in a query. */
    const char *filter; /* Field filters in the query language, applied
                           to whatever QUERY finds without weighing in and
                           whatever QUERY says ('author:"Marta Vance"
                           category:"cocoa"'): a server's filters, kept
                           apart from the words a user typed (NULL: none). */
    int stem_quotes;    /* Quoted words match their stems too, as
                           unquoted ones do (by default they match their
                           exact forms, where the index keeps them). */
    int all_shards;     /* Non-zero: when a shard does not answer, fail
                           with BL_ENETWORK (naming it) rather than answer
                           from the others: for evaluation runs, which
                           would be wrong without a sign. */
    const char *like;   /* "More like this": the id of an article; the
                           articles most like it (its 25 most informative
                           terms), not itself nor its reprints.  The query
                           text is then ignored (may be NULL). */
    double pairs;       /* The weight of the word pairs of a query of
                           plain words any of which may match (no phrase,
                           field, AND, other operator or wildcard; not
                           with MATCH_ALL; default 0.1, chosen by the
                           rule for a default: README, Ranking quality):
                           each pair of words next to each
                           other in the query adds, to an article that
                           has both, PAIRS times their weights, shared by
                           the pairs (a query of N words: PAIRS / (N - 1)
                           each; not a pair PAIRS_COMMON leaves out).  It
                           only ranks: what matches is the same. */
    double proximity;   /* The same for the pairs found within
                           PROXIMITY_WINDOW positions of each other, in
                           any order (in the spirit of Metzler and
                           Croft's sequential dependence model; default
                           0: none; it reads the words' positions in
                           every article that has both, and cost 2.3
                           times the search at 256 MB). */
    unsigned proximity_window; /* PROXIMITY's window (default 8;
                           0 or 1: the words in the query's order within
                           3 positions instead). */
    double title_weight; /* The weight of a query word found in the title,
                           besides its weight in the text (the title's
                           words are counted BL_TITLE_WDF times there);
                           0: none (the default). */
    int weighting;      /* BL_WEIGHT_BM25 (default), BL_WEIGHT_DPH or
                           BL_WEIGHT_PL2. */
    double fb_min_ratio; /* Feedback: only the articles among the FB_DOCS
                           best that score at least this share of the
                           best's, 0..1 (default 0: all of them). */
    double fb_spread;   /* RM3: each term of the relevance model weighed
                           by the share of the feedback articles that
                           have it, to this power (default 0: not). */
    double pairs_common; /* PAIRS leaves out a pair whose two words are
                           each in more than this share of the articles,
                           0..1 (default 0.03; 1: keeps every pair): such
                           a pair weighs little and costs the most (its
                           AND walks two long posting lists again). */
    int quotes_as_words; /* Double quotes are punctuation
                           (BL_QUERY_NOQUOTES): for topics, whose quotes
                           mark a name, not a phrase to match exactly
                           (default 0; byline-search --topics and
                           byline-bench set it). */
} bl_search_options_t;

/* Fill O with the defaults.  Cannot fail. */
void bl_search_options_init(bl_search_options_t *o);

typedef struct bl_searcher bl_searcher_t;

/* The query QUERY is searched as by S with options O, described as
 * bl_query_describe() does ("(Zstrike OR Zworker)"), into a malloc'ed
 * *OUT (free with free()): what bl_search() would search, for --explain.
 * Returns BL_OK, BL_ESYNTAX, BL_EARG (O->like: no query) or BL_ENOMEM. */
bl_status_t bl_search_describe(bl_searcher_t *s, const char *query,
                               const bl_search_options_t *o, char **out);

/* The first day (END 0) or the last (END non-zero) of the date S, YYYY,
 * YYYY-MM or YYYY-MM-DD (a day that exists), as YYYYMMDD into *YMD.
 * Returns BL_OK, or BL_EARG with a message naming S. */
bl_status_t bl_date_parse(const char *s, int end, unsigned long *ymd);

/* The facets a list names ("year,source": year, author, source,
 * category) as BL_FACET_* or-ed into *FACETS.  Returns BL_OK, or BL_EARG
 * with a message naming what it does not know. */
bl_status_t bl_facets_parse(const char *list, unsigned *facets);

/* The search options that take one of a few words, as byline-search's
 * options, byline-serve's arguments and its page spell them. */
typedef enum bl_option {
    BL_OPTION_SORT,       /* relevance, date, date-asc: bl_sort_t */
    BL_OPTION_MATCH,      /* any, all: match_all 0, 1 */
    BL_OPTION_DUPLICATES, /* collapse, show: show_duplicates 0, 1 */
    BL_OPTION_QUOTES,     /* exact, stem: stem_quotes 0, 1 */
    BL_OPTION_EXPAND,     /* none, rm3, bo1: BL_EXPAND_*; also "0" for
                             none and "1" for rm3 */
    BL_OPTION_WEIGHTING   /* bm25, dph, pl2: BL_WEIGHT_* */
} bl_option_t;

/* The word WORD of option OPT as its value into *VALUE (the value of
 * bl_search_options_t's member).  Returns BL_OK, or BL_EARG with a
 * message that names the option and lists its words ("sort: expected
 * relevance, date or date-asc, not 'sideways'"). */
bl_status_t bl_option_parse(bl_option_t opt, const char *word, int *value);

/* The word of OPT for VALUE ("date" for BL_OPTION_SORT, BL_SORT_DATE), or
 * NULL for a value it has none for.  Static storage. */
const char *bl_option_word(bl_option_t opt, int value);

/* The name of OPT as a request argument ("sort", "match", "duplicates",
 * "quotes", "expand", "weighting").  Static storage. */
const char *bl_option_name(bl_option_t opt);

/* A parsed query.  The language (operators in upper case; lower-case
 * "and", "or", "not" are words):
 *   strike workers        ranked: any word may match (every word must with
 *                         MATCH_ALL); words go through the index's
 *                         analyzer, so "Workers'" finds "worker"
 *   +strike -football     strike required, football excluded
 *   a AND b, a OR b, a NOT b, ( ... )   AND binds tighter than OR; both
 *                         tighter than the default operator
 *   "exact phrase"        the words in this order, next to each other
 *   pilots NEAR strike, pilots NEAR/5 strike   within 10 (5) words
 *   immig*                every indexed word beginning so (the 200 most
 *                         frequent)
 *   title:strike title:"exact phrase"   in the title
 *   author:vance author:"marta vance"   every word in the author's name
 *   source:reuters category:cocoa       the whole value, any case
 *   date:2018-07-04 date:2018-07 date:2018   a day, month or year
 *   date:2018-07-01..2018-07-31 date:..2018-07-31 date:2018-07-01..
 *   year:2018 year:2016..2018
 * Field filters restrict the ranked part without weighing in: values of
 * one field are alternatives (OR), different fields all apply (AND). */
typedef struct bl_query bl_query_t;

/* Flags for bl_query_parse(). */
#define BL_QUERY_ALL 1u  /* The default operator is AND. */
#define BL_QUERY_STOP 2u /* Leave lone stopwords ("the", "of") out of a
                            query that has other words; phrases and +word
                            keep them. */
#define BL_QUERY_EXACT 4u /* Words in double quotes match their exact
                            forms (case-folded, accents as the index folds
                            them), not their stems: an index with exact
                            forms (bl_analyzer_exact_forms()) only. */
#define BL_QUERY_NOQUOTES 8u /* Double quotes are punctuation, as in prose:
                            the words between them are words like the
                            others, not a phrase (a TREC topic quotes a
                            name: Influence of the "Pro-Israel Lobby"). */

/* Parse TEXT with analyzer AN (the index's) into *OUT, as FLAGS say.
 * Returns BL_OK, BL_ESYNTAX (the message names the column; *ERROR_AT, if
 * not NULL, gets the byte offset of the problem), BL_EARG or BL_ENOMEM. */
bl_status_t bl_query_parse(bl_analyzer_t *an, const char *text,
                           unsigned flags, bl_query_t **out,
                           size_t *error_at);

/* Parse TEXT as plain words, with no syntax at all (quotes, operators and
 * field names are words like the others): for natural-language topics.
 * Returns BL_OK, BL_ESYNTAX (no words), BL_EARG or BL_ENOMEM. */
bl_status_t bl_query_parse_plain(bl_analyzer_t *an, const char *text,
                                 unsigned flags, bl_query_t **out);

/* A canonical description of Q, malloc'ed (NULL when out of memory):
 * "(Zstrike OR Zworker)", "(Zpilot PHRASE/2 Zstrike)", "=Kcocoa" for a
 * boolean term, "Zimmig*" for a wildcard, "DATE(20180701..20180731)",
 * "Zcomput#2" for a word given twice. */
char *bl_query_describe(const bl_query_t *q);

/* Free Q.  Accepts NULL. */
void bl_query_free(bl_query_t *q);


/* Open the index at PATH (a Byline index directory or a Xapian stub file
 * listing its shards) for searching, with the analyzer it was built with.
 * Returns BL_OK, BL_ENOTFOUND, BL_ECORRUPT (not a Byline index), BL_EIO,
 * BL_ENETWORK or BL_ENOMEM. */
bl_status_t bl_searcher_open(const char *path, bl_searcher_t **out);

/* As bl_searcher_open(), with SHARD_TIMEOUT_MS (0: 5000) as the time a
 * remote shard has for each answer (and, up to 2000 ms, to accept a
 * connection).  A stub of remote shards ("remote HOST:PORT" lines) is
 * opened shard by shard: one that does not answer is left out of the
 * searches, which say so (bl_results_t.failed), and is tried again every
 * 2 s; BL_ENETWORK only when none answers. */
bl_status_t bl_searcher_open_with(const char *path, unsigned shard_timeout_ms,
                                  bl_searcher_t **out);

/* The shards S searches: *TOTAL listed (0: a local index), of which the
 * *NFAILED of *FAILED do not answer now (owned by S, valid until its next
 * call).  Cannot fail. */
void bl_searcher_shards(bl_searcher_t *s, unsigned *total,
                        const bl_shard_failure_t **failed, size_t *nfailed);

/* Close S and free it (its analyzer too).  Accepts NULL. */
void bl_searcher_free(bl_searcher_t *s);

/* Catch up with the index's last commit: when the stub lists other parts
 * (an indexer published or merged) or FORCE, the index is opened again;
 * otherwise the open parts move to their newest revision.  *CHANGED (may
 * be NULL) is set when what S sees moved.  bl_search() does this itself
 * before each search, and reopens and retries when the revision it read
 * is gone (BL_EMODIFIED).  Returns BL_OK, BL_EIO, BL_ECORRUPT,
 * BL_ENETWORK or BL_ENOMEM (S then stays as it was). */
bl_status_t bl_searcher_refresh(bl_searcher_t *s, int force, int *changed);

/* The stored data a searcher keeps by default of the articles it showed
 * (and the near-duplicate keys of those it collapsed), so that a story
 * shown again is not read and inflated again. */
#define BL_CACHE_DEFAULT (8u << 20)

/* Keep at most BYTES of stored articles in S's cache (0: none), emptying
 * it.  Over remote shards too: keyed by each shard's UUID, as long as
 * each serves one database (else the whole view is cached as one,
 * emptied whenever it changes: a commit, a shard leaving or coming back,
 * the reconnection of every shard every 10 s).
 * Returns BL_OK or BL_ENOMEM (S then keeps none). */
bl_status_t bl_searcher_set_cache(bl_searcher_t *s, size_t bytes);

/* What one search (or article view) of a searcher may cost; 0 is no
 * limit, the default for each.  For a server that anybody can query. */
typedef struct bl_limits {
    unsigned wildcard_terms;    /* Words all the wildcards of a query stand
                                   for together (each stands for at most
                                   its 200 most frequent): a query over it
                                   is refused (BL_ELIMIT). */
    unsigned long wildcard_scan; /* Indexed words the wildcards of a query
                                   may read through to find theirs, all
                                   together (the work of expanding them):
                                   a query over it is refused. */
    unsigned time_ms;           /* Wall time one search may take: a match
                                   still running then is ended (BL_ELIMIT,
                                   .exceeded BL_LIMIT_TIME); counting
                                   matches past the hits asked for stops at
                                   half of it, and passages and the
                                   spelling suggestion are left out past
                                   it: the results say so (BL_LIMIT_TIME
                                   in .limited).  Local shards only: over
                                   remote ones only the counting stops. */
} bl_limits_t;

/* Give every later search of S the limits L.  Cannot fail. */
void bl_searcher_set_limits(bl_searcher_t *s, const bl_limits_t *l);

/* The number of articles in the index.  Cannot fail. */
unsigned bl_searcher_doccount(const bl_searcher_t *s);

/* The analyzer the index was built with (owned by S). */
bl_analyzer_t *bl_searcher_analyzer(bl_searcher_t *s);

/* Run QUERY (words; any may match unless O->match_all).  *OUT gets the
 * results (free with bl_results_free()), and on BL_ESYNTAX results with
 * no hits that say where the query goes wrong (error_at, error_column);
 * on BL_ELIMIT results that name the limit (exceeded); on any other
 * error NULL.  Returns BL_OK, BL_ESYNTAX (the query
 * language cannot read QUERY, or it has no words), BL_ELIMIT (its
 * wildcards reach past S's limits), BL_EARG (bad options), BL_EIO, BL_ENETWORK, BL_ECORRUPT or BL_ENOMEM.  One search at
 * a time per searcher: S is not for several threads at once. */
bl_status_t bl_search(bl_searcher_t *s, const char *query,
                      const bl_search_options_t *o, bl_results_t **out);

/* Free R and everything in it.  Accepts NULL. */
void bl_results_free(bl_results_t *r);

/* Every hit of a search, a few at a time (an export): the match is run
 * once, for up to MAX hits (near-duplicates collapsed unless O says
 * not), and the hits are read as they are asked for, so that memory
 * holds the match's list and one batch, never every article.
 * O's offset, limit and spelling are ignored.  *MATCHES gets the number
 * of matches (more than MAX when there are more), *EXACT whether it is
 * exact (it is up to MAX); on BL_ELIMIT, *EXCEEDED the limit (as
 * bl_results_t.exceeded).  The match is never cut short (no partial
 * answer): it may take five times a search's time (bl_limits_t), and
 * past that the cursor is refused (BL_ELIMIT, BL_LIMIT_TIME).  Returns
 * BL_OK (*OUT: free with bl_cursor_free()), or what bl_search()
 * returns. */
typedef struct bl_cursor bl_cursor_t;
bl_status_t bl_cursor_open(bl_searcher_t *s, const char *query,
                           const bl_search_options_t *o, unsigned max,
                           bl_cursor_t **out, unsigned *matches, int *exact,
                           unsigned *exceeded);

/* The next N hits (or fewer at the end; none after it) into *OUT (free
 * with bl_results_free()), ranked on from the last batch, with the
 * counts of the whole search.  Returns BL_OK, BL_EIO, BL_EMODIFIED (the
 * index moved on too far under a long export: it cannot go on),
 * BL_ENETWORK or BL_ENOMEM. */
bl_status_t bl_cursor_next(bl_cursor_t *c, unsigned n, bl_results_t **out);

/* Free C.  Accepts NULL. */
void bl_cursor_free(bl_cursor_t *c);

/* One article, whole, with the words of a query marked. */
typedef struct bl_article_view {
    bl_article_t article;  /* Every stored field, the body too. */
    bl_span_t *title_hl;   /* Matching words of the title (malloc'ed). */
    size_t ntitle_hl;
    bl_span_t *body_hl;    /* Matching words of the body (malloc'ed). */
    size_t nbody_hl;
    size_t error_at;       /* BL_ESYNTAX: where QUERY goes wrong, as in */
    unsigned error_column; /* bl_results_t. */
} bl_article_view_t;

/* The article with id ID into *OUT (clear with bl_article_view_clear()),
 * its words that QUERY (may be NULL or empty: none) looks for marked.
 * Returns BL_OK, BL_ENOTFOUND (no such article), BL_ESYNTAX (QUERY; *OUT
 * then holds only error_at and error_column), BL_ELIMIT (QUERY's
 * wildcards reach past S's limits), BL_EIO, BL_ENETWORK or
 * BL_ENOMEM. */
bl_status_t bl_searcher_article(bl_searcher_t *s, const char *id,
                                const char *query, bl_article_view_t *out);

/* The same, the words marked as a search with options O would find them
 * (O->stem_quotes; O may be NULL: the defaults). */
bl_status_t bl_searcher_article_with(bl_searcher_t *s, const char *id,
                                     const char *query,
                                     const bl_search_options_t *o,
                                     bl_article_view_t *out);

/* Free what V holds and zero it. */
void bl_article_view_clear(bl_article_view_t *v);

/* What an index is. */
typedef struct bl_index_info {
    unsigned long articles;
    unsigned shards;         /* Databases the stub lists (parts). */
    int remote;              /* Some are served by xapian-tcpsrv. */
    long long last_commit;   /* When the stub was last written (Unix
                                seconds), 0 when unknown. */
    const char *schema;      /* BL_SCHEMA_VERSION. */
    const char *language;    /* The analyzer's (owned by the searcher). */
    int fold_accents, stopwords;
} bl_index_info_t;

/* Fill *OUT for S's index as it now sees it.  Cannot fail. */
void bl_searcher_info(bl_searcher_t *s, bl_index_info_t *out);

/* A query term for the highlighter: a stem, how much it counts, and the
 * phrase it belongs to. */
typedef struct bl_qterm {
    const char *stem;
    double weight;   /* Rarer terms weigh more (e.g. the idf). */
    unsigned phrase; /* 0: a word on its own; k: word PHRASE_POS (from 0)
                        of phrase k, marked only where the whole phrase
                        is. */
    unsigned phrase_pos;
    int exact;       /* STEM is a word as written (a quoted word): only
                        that form is marked, not its stem's others. */
} bl_qterm_t;

/* Mark in TEXT (LEN bytes) every word whose stem is one of the N TERMS
 * (words of a phrase only where the whole phrase stands, as one span); the
 * spans go to a malloc'ed *HL (free with free()), their number to *NHL.
 * Returns BL_OK or BL_ENOMEM. */
bl_status_t bl_highlight(bl_analyzer_t *a, const char *text, size_t len,
                         const bl_qterm_t *terms, size_t n, bl_span_t **hl,
                         size_t *nhl);

/* Choose up to MAX passages of about WORDS words from TEXT (LEN bytes) for
 * the N TERMS: windows covering more distinct and rarer terms first,
 * starting at a sentence start when one is near, never overlapping, given
 * in text order.  With no match, the first passage of the text is given.
 * Passages go to OUT[0..*NOUT-1] (clear each with bl_passage_clear()).
 * Returns BL_OK or BL_ENOMEM. */
bl_status_t bl_passages(bl_analyzer_t *a, const char *text, size_t len,
                        const bl_qterm_t *terms, size_t n, unsigned max,
                        unsigned words, bl_passage_t *out, size_t *nout);

/* Free the text and highlights P holds, and zero it. */
void bl_passage_clear(bl_passage_t *p);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif
