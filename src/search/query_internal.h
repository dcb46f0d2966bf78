/*
 * The query language's inside, shared by its lexer (query_lex.c), the
 * makers of its nodes (query_nodes.c) and its parser (query_parse.c):
 * the tokens, the fields, the parser's state and the nodes' makers.
 * Not for use outside src/search.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BYLINE_QUERY_INTERNAL_H
#define BYLINE_QUERY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "byline/schema.h"
#include "search/query.h"

#define BL_QINTERNAL __attribute__((visibility("hidden")))

#define NEAR_WINDOW 10
#define MAX_DEPTH 64 /* Nested parentheses. */
#define MAX_TERM_LEN BL_MAX_TERM

typedef enum tok {
    T_END,
    T_WORD,
    T_QUOTED,
    T_LPAREN,
    T_RPAREN,
    T_AND,
    T_OR,
    T_NOT,
    T_NEAR,
    T_PLUS,
    T_MINUS,
    T_FIELD
} tok_t;

/* The fields a query may name. */
typedef enum field {
    F_NONE,
    F_TITLE,
    F_AUTHOR,
    F_SOURCE,
    F_CATEGORY,
    F_DATE,
    F_YEAR
} field_t;

/* Their names in a query, by field_t (NULL for F_NONE). */
extern BL_QINTERNAL const char *const FIELD_NAMES[];

typedef struct parser {
    bl_analyzer_t *an;
    const char *text;
    size_t len, p; /* Input and position. */
    /* The current token. */
    tok_t tok;
    size_t tstart, tlen; /* Its text (a quoted phrase: inside the quotes). */
    const char *tval;    /* T_QUOTED: the TLEN bytes inside the quotes,
                            \" and \\ read as " and \ (in TEXT, or in
                            UBUF when it had such escapes). */
    char *ubuf;          /* Unescaped quoted values, one after another
                            (malloc'ed, LEN + 1 bytes: they are never
                            longer than the text), or NULL. */
    size_t uused;
    size_t tpos;         /* Where it starts, for messages. */
    field_t field;       /* T_FIELD. */
    unsigned window;     /* T_NEAR. */
    int depth;
    int match_all;
    int stop; /* BL_QUERY_STOP. */
    int exact; /* BL_QUERY_EXACT. */
    int noquotes; /* BL_QUERY_NOQUOTES. */
    bl_status_t rc;
    size_t error_at;
} parser_t;

/* A space between words of a query. */
static inline int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* Record a syntax error at byte AT of the query (the first one wins: the
 * message names its column, in characters); returns NULL. */
BL_QINTERNAL qnode_t *qsyntax(parser_t *ps, size_t at, const char *what);

/* Read the next token of PS's text into PS (a bad one is a syntax
 * error, and T_END). */
BL_QINTERNAL void qlex_next(parser_t *ps);

/* ---- Nodes (query_nodes.c) ---- */

/* The tokens the analyzer makes of some query text. */
typedef struct toks {
    char **word, **stem;
    uint32_t *pos;
    unsigned *flags;
    size_t n, cap;
    int nomem;
} toks_t;

/* Record running out of memory (the first error wins); returns NULL. */
BL_QINTERNAL qnode_t *qn_nomem(parser_t *ps);

/* Free N and its kids.  Accepts NULL. */
BL_QINTERNAL void qn_node_free(qnode_t *n);

/* A new node of KIND with nothing in it. */
BL_QINTERNAL qnode_t *qn_node_new(parser_t *ps, qkind_t kind);

/* A term node of KIND for PREFIX + the LEN bytes at S. */
BL_QINTERNAL qnode_t *qn_term_node(parser_t *ps, qkind_t kind,
                                   const char *prefix, const char *s,
                                   size_t len);

/* Append KID to N (takes it; frees it on failure). */
BL_QINTERNAL int qn_add_kid(parser_t *ps, qnode_t *n, qnode_t *kid);

/* A new node of KIND with KID (taken) as its first kid; NULL when out of
 * memory, KID and PENDING (a node the caller was to add next, or NULL)
 * then freed. */
BL_QINTERNAL qnode_t *qn_node_with(parser_t *ps, qkind_t kind, qnode_t *kid,
                                   qnode_t *pending);

/* A node of KIND over A and B (either may be NULL: the other is given
 * back); same-kind associative nodes are flattened. */
BL_QINTERNAL qnode_t *qn_combine(parser_t *ps, qkind_t kind, qnode_t *a,
                                 qnode_t *b);

/* A plain word (or a field's word) at AT: its node, or NULL when it has
 * nothing to search for (punctuation; a stopword). */
BL_QINTERNAL qnode_t *qn_word_node(parser_t *ps, field_t f, const char *s,
                                   size_t len, size_t at);

/* A quoted phrase: the node, or NULL when it holds no words. */
BL_QINTERNAL qnode_t *qn_phrase_node(parser_t *ps, field_t f, const char *s,
                                     size_t len);

/* A date or year value (LEN bytes at S, at AT): a term for one day, month
 * or year; a range for A..B, ..B or A.. */
BL_QINTERNAL qnode_t *qn_date_node(parser_t *ps, field_t f, const char *s,
                                   size_t len, size_t at);

/* A boolean field value (author, source, category), LEN bytes at S. */
BL_QINTERNAL qnode_t *qn_bool_node(parser_t *ps, field_t f, const char *s,
                                   size_t len);

/* Analyze the LEN bytes at S into K; 0 (PS->rc says why) if that
 * failed. */
BL_QINTERNAL int qn_analyze(parser_t *ps, const char *s, size_t len, toks_t *k);

/* Free what qn_analyze() put in K. */
BL_QINTERNAL void qn_toks_free(toks_t *k);

#endif
