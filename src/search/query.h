/*
 * The query language: parsed into a tree by bl_query_parse() (see
 * byline/search.h for the syntax), compiled here into a Xapian query.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_QUERY_H
#define BYLINE_QUERY_H

#include "byline/search.h"
#include "search/tfcache.h"
#include "xapian-c/xapian-c.h"

typedef enum qkind {
    Q_TERM,     /* A weighted term (Z<stem>, ZS<stem>). */
    Q_BOOL,     /* A boolean filter term (A, XA, XS, K, D, M, Y). */
    Q_WILD,     /* Every term starting with TERM. */
    Q_RANGE,    /* Dates LO..HI (YYYYMMDD; 0 / 99999999 when open). */
    Q_PHRASE,   /* KIDS in order, next to each other. */
    Q_NEAR,     /* KIDS within WINDOW positions, in any order. */
    Q_AND,
    Q_OR,
    Q_ANDNOT,   /* KIDS[0] without any of the others. */
    Q_MAYBE,    /* KIDS[0], ranked higher by the others. */
    Q_FILTER,   /* KIDS[0] restricted to KIDS[1] (no weight from it). */
    Q_SYNONYM,  /* Any of KIDS, weighted as one term. */
    Q_ALL       /* Every document. */
} qkind_t;

typedef struct qnode qnode_t;
struct qnode {
    qkind_t kind;
    char *term;          /* Q_TERM, Q_BOOL, Q_WILD. */
    unsigned wqf;        /* Q_TERM: times it occurs in the query. */
    unsigned window;     /* Q_NEAR, Q_PHRASE. */
    unsigned long lo, hi; /* Q_RANGE. */
    qnode_t **kids;
    size_t nkids;
    size_t src_at, src_len; /* Q_TERM of a lone word: where the user typed
                               it (src_len 0 otherwise). */
    int quiet;           /* Not highlighted (title words that repeat a
                            phrase's). */
    int stop;            /* A lone stopword (left out of queries that
                            have other words, with BL_QUERY_STOP). */
    char *word;          /* Q_TERM of a quoted phrase (BL_QUERY_EXACT):
                            the word as written, which is highlighted (its
                            form is required besides, by E<word>). */
};

struct bl_query {
    qnode_t *root;
};

/* How far the wildcards of one query may reach (bl_query_compile()). */
typedef struct qcaps {
    unsigned each;       /* Terms one wildcard stands for: its most
                            frequent (at least 1). */
    unsigned total;      /* Terms all of them together, 0: no cap. */
    unsigned long scan;  /* Indexed terms they may read through to find
                            theirs, all together; 0: no cap. */
    unsigned exceeded;   /* Out: BL_LIMIT_WILDCARD_* on BL_ELIMIT. */
} qcaps_t;

/* Compile Q into a new Xapian query in *OUT for database DB (wildcards are
 * expanded against it as CAPS allows).  The stems the query looks for
 * (not under NOT) go to a malloc'ed *TERMS of *N (each stem malloc'ed;
 * weights 0; free with bl_qterms_free()).  Returns BL_OK, BL_ELIMIT (a
 * cap of CAPS, named in CAPS->exceeded and the message), BL_EIO or
 * BL_ENOMEM. */
bl_status_t bl_query_compile(const bl_query_t *q, xc_db_t *db,
                             qcaps_t *caps, xc_query_t **out,
                             bl_qterm_t **terms, size_t *n);

/* The positions within which two words next to each other in a query
 * count as a proximity's ordered pair: adjacent, or one word between (a
 * stopword the query left out: "bank of america"). */
#define PROXIMITY_ORDERED 3

/* What the word pairs are weighed against: a pair whose two words are
 * each in more than COMMON of the NDOCS articles of DB is left out (a
 * NULL DB, or COMMON >= 1: none is); the words' frequencies read through
 * CACHE (may be NULL). */
typedef struct bl_pair_stats {
    xc_db_t *db;
    xc_doccount_t ndocs;
    double common;
    bl_tfcache_t *cache;
} bl_pair_stats_t;

/* What ranks the matches of Q (compiled into a query X) higher without
 * changing them, into *OUT (NULL when nothing does), for OR beside X.
 * Only a query of plain words (a word, or words any of which may match:
 * joined by the default operator or OR; no phrase, field, AND, other
 * operator, exact word or wildcard) has any:
 * TITLE > 0, each word as a title term (ZS<stem>) scaled by TITLE;
 * PAIRS > 0, each of the P pairs of words next to each other in the
 * query as an AND of the two, scaled by PAIRS / P, except those PS (may
 * be NULL) leaves out (P still counts them);
 * PROXIMITY > 0, each of the P pairs of words next to each other in the
 * query scaled by PROXIMITY / P: as a NEAR within WINDOW positions, in
 * any order, when WINDOW >= 2, else as a phrase within PROXIMITY_ORDERED
 * positions (Xapian weighs a phrase or a NEAR as the sum of its terms'
 * weights).
 * Returns BL_OK, BL_ENOMEM, or as bl_from_xc() when a word's frequency
 * cannot be read. */
bl_status_t bl_query_boosts(const bl_query_t *q, const bl_pair_stats_t *ps,
                            double pairs,
                            double proximity, unsigned window, double title,
                            xc_query_t **out);

/* Non-zero if Q is plain words that any may match (a term, or an OR of
 * terms): nothing in it restricts what matches beyond its words.  Cannot
 * fail. */
int bl_query_is_plain(const bl_query_t *q);

/* Free N TERMS from bl_query_compile().  Accepts NULL. */
void bl_qterms_free(bl_qterm_t *terms, size_t n);

/* A word of the query as typed, with the term it became. */
typedef struct qword {
    const char *term;     /* Owned by the query. */
    size_t at, len;       /* Its bytes in the query text. */
} qword_t;

/* The lone words of Q that are looked for (not under NOT), in a malloc'ed
 * *OUT of *N.  Returns BL_OK or BL_ENOMEM. */
bl_status_t bl_query_words(const bl_query_t *q, qword_t **out, size_t *n);

#endif
