/*
 * The query language: a hand-written lexer and recursive-descent parser
 * that analyze words with the index's own analyzer, and the compiler of
 * the tree into a Xapian query.
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Grammar (operators in upper case only; "and" is a word):
 *   query  := item+                 items joined by the default operator
 *   item   := ['+' | '-'] or        required / excluded
 *   or     := and ('OR' and)*
 *   and    := not ('AND' not)*
 *   not    := near ('NOT' near)*    "a NOT b": a without b
 *   near   := atom ('NEAR' ['/' N] atom)*
 *   atom   := '(' query ')' | FIELD ':' value | '"' words '"' | word['*']
 * Filters (author:, source:, category:, date:, year:) among the items are
 * applied as filters: OR between values of one field, AND across fields.
 */
#include "search/query.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "byline/schema.h"
#include "util/buf.h"
#include "schema/xc_map.h"

#define NEAR_WINDOW 10
#define MAX_DEPTH 64     /* Nested parentheses. */
#define MAX_TERM_LEN BL_MAX_TERM

typedef enum tok {
    T_END, T_WORD, T_QUOTED, T_LPAREN, T_RPAREN, T_AND, T_OR, T_NOT,
    T_NEAR, T_PLUS, T_MINUS, T_FIELD
} tok_t;

/* The fields a query may name. */
typedef enum field {
    F_NONE, F_TITLE, F_AUTHOR, F_SOURCE, F_CATEGORY, F_DATE, F_YEAR
} field_t;

static const char *const FIELD_NAMES[] = {NULL,       "title", "author",
                                          "source",   "category", "date",
                                          "year"};

typedef struct parser {
    bl_analyzer_t *an;
    const char *text;
    size_t len, p;       /* Input and position. */
    /* The current token. */
    tok_t tok;
    size_t tstart, tlen; /* Its text (a quoted phrase: inside the quotes). */
    size_t tpos;         /* Where it starts, for messages. */
    field_t field;       /* T_FIELD. */
    unsigned window;     /* T_NEAR. */
    int depth;
    int match_all;
    int stop;            /* BL_QUERY_STOP. */
    bl_status_t rc;
    size_t error_at;
} parser_t;

/* Record a syntax error at byte AT (the first one wins); returns NULL. */
static qnode_t *syntax(parser_t *ps, size_t at, const char *what)
{
    if (ps->rc == BL_OK) {
        ps->rc = bl_fail(BL_ESYNTAX, "column %zu: %s", at + 1, what);
        ps->error_at = at;
    }
    return NULL;
}

static qnode_t *nomem(parser_t *ps)
{
    if (ps->rc == BL_OK)
        ps->rc = bl_fail(BL_ENOMEM, "out of memory");
    return NULL;
}

static void node_free(qnode_t *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nkids; i++)
        node_free(n->kids[i]);
    free(n->kids);
    free(n->term);
    free(n);
}

static qnode_t *node_new(parser_t *ps, qkind_t kind)
{
    qnode_t *n = calloc(1, sizeof *n);
    if (!n)
        return nomem(ps);
    n->kind = kind;
    return n;
}

/* A term node of KIND for PREFIX + the LEN bytes at S. */
static qnode_t *term_node(parser_t *ps, qkind_t kind, const char *prefix,
                          const char *s, size_t len)
{
    size_t pl = strlen(prefix);
    if (pl + len > MAX_TERM_LEN)
        len = MAX_TERM_LEN - pl;
    qnode_t *n = node_new(ps, kind);
    if (!n)
        return NULL;
    n->term = malloc(pl + len + 1);
    if (!n->term) {
        free(n);
        return nomem(ps);
    }
    memcpy(n->term, prefix, pl);
    memcpy(n->term + pl, s, len);
    n->term[pl + len] = '\0';
    n->wqf = 1;
    return n;
}

/* Append KID to N (takes it; frees it on failure). */
static int add_kid(parser_t *ps, qnode_t *n, qnode_t *kid)
{
    qnode_t **k = realloc(n->kids, (n->nkids + 1) * sizeof *k);
    if (!k) {
        node_free(kid);
        nomem(ps);
        return 0;
    }
    n->kids = k;
    n->kids[n->nkids++] = kid;
    return 1;
}

/* A node of KIND over A and B (either may be NULL: the other is given
 * back); same-kind associative nodes are flattened. */
static qnode_t *combine(parser_t *ps, qkind_t kind, qnode_t *a, qnode_t *b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    if (a->kind == kind && (kind == Q_AND || kind == Q_OR)) {
        if (b->kind == kind) {
            for (size_t i = 0; i < b->nkids; i++) {
                if (!add_kid(ps, a, b->kids[i])) {
                    b->nkids = 0;
                    node_free(b);
                    return a;
                }
                b->kids[i] = NULL;
            }
            b->nkids = 0;
            node_free(b);
            return a;
        }
        add_kid(ps, a, b);
        return a;
    }
    qnode_t *n = node_new(ps, kind);
    if (!n) {
        node_free(a);
        node_free(b);
        return NULL;
    }
    if (add_kid(ps, n, a))
        add_kid(ps, n, b);
    else
        node_free(b);
    return n;
}

/* ---- Lexer ------------------------------------------------------------- */

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* Does the word [S, S+LEN) equal the operator OP? */
static int is_op(const char *s, size_t len, const char *op)
{
    return strlen(op) == len && memcmp(s, op, len) == 0;
}

/* The field named by the LEN bytes at S (case-insensitive), or F_NONE. */
static field_t field_of(const char *s, size_t len)
{
    for (int f = F_TITLE; f <= F_YEAR; f++) {
        if (strlen(FIELD_NAMES[f]) == len &&
            strncasecmp(s, FIELD_NAMES[f], len) == 0)
            return (field_t)f;
    }
    return F_NONE;
}

/* Read the next token into PS. */
static void next(parser_t *ps)
{
    const char *t = ps->text;
    while (ps->p < ps->len && is_space(t[ps->p]))
        ps->p++;
    ps->tpos = ps->tstart = ps->p;
    ps->tlen = 0;
    if (ps->p >= ps->len) {
        ps->tok = T_END;
        return;
    }
    char c = t[ps->p];
    if (c == '(' || c == ')') {
        ps->tok = c == '(' ? T_LPAREN : T_RPAREN;
        ps->p++;
        return;
    }
    if (c == '"') {
        const char *q = memchr(t + ps->p + 1, '"', ps->len - ps->p - 1);
        if (!q) {
            syntax(ps, ps->p, "a quote is not closed");
            ps->tok = T_END;
            return;
        }
        ps->tok = T_QUOTED;
        ps->tstart = ps->p + 1;
        ps->tlen = (size_t)(q - (t + ps->p + 1));
        ps->p = (size_t)(q - t) + 1;
        return;
    }
    if ((c == '+' || c == '-') && ps->p + 1 < ps->len &&
        !is_space(t[ps->p + 1]) && t[ps->p + 1] != ')' &&
        t[ps->p + 1] != c) {
        ps->tok = c == '+' ? T_PLUS : T_MINUS;
        ps->p++;
        return;
    }
    size_t e = ps->p;
    while (e < ps->len && !is_space(t[e]) && t[e] != '(' && t[e] != ')' &&
           t[e] != '"')
        e++;
    ps->tlen = e - ps->p;
    const char *w = t + ps->p;
    ps->tok = T_WORD;
    if (is_op(w, ps->tlen, "AND"))
        ps->tok = T_AND;
    else if (is_op(w, ps->tlen, "OR"))
        ps->tok = T_OR;
    else if (is_op(w, ps->tlen, "NOT"))
        ps->tok = T_NOT;
    else if (ps->tlen >= 4 && memcmp(w, "NEAR", 4) == 0 &&
             (ps->tlen == 4 || w[4] == '/')) {
        ps->tok = T_NEAR;
        ps->window = NEAR_WINDOW;
        if (ps->tlen > 4) {
            unsigned n = 0;
            size_t i = 5;
            for (; i < ps->tlen && isdigit((unsigned char)w[i]) && n < 1000;
                 i++)
                n = n * 10 + (unsigned)(w[i] - '0');
            if (i == 5 || i != ps->tlen || n < 1 || n > 1000)
                syntax(ps, ps->p, "NEAR/N needs a number from 1 to 1000");
            ps->window = n;
        }
    } else {
        const char *colon = memchr(w, ':', ps->tlen);
        field_t f = colon ? field_of(w, (size_t)(colon - w)) : F_NONE;
        if (f != F_NONE) {
            /* The value follows the colon directly. */
            ps->tok = T_FIELD;
            ps->field = f;
            ps->p = (size_t)(colon - t) + 1;
            return;
        }
    }
    ps->p = e;
}

/* ---- Words and phrases --------------------------------------------------- */

typedef struct toks {
    char **word, **stem;
    uint32_t *pos;
    unsigned *flags;
    size_t n, cap;
    int nomem;
} toks_t;

static int collect(const bl_token_t *t, void *p)
{
    toks_t *k = p;
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 8;
        char **w = realloc(k->word, cap * sizeof *w);
        if (w)
            k->word = w;
        char **s = w ? realloc(k->stem, cap * sizeof *s) : NULL;
        if (s)
            k->stem = s;
        uint32_t *ps = s ? realloc(k->pos, cap * sizeof *ps) : NULL;
        if (ps)
            k->pos = ps;
        unsigned *f = ps ? realloc(k->flags, cap * sizeof *f) : NULL;
        if (!f) {
            k->nomem = 1;
            return 1;
        }
        k->flags = f;
        k->cap = cap;
    }
    k->word[k->n] = strndup(t->word, t->word_len);
    k->stem[k->n] = strndup(t->stem, t->stem_len);
    k->pos[k->n] = t->pos;
    k->flags[k->n] = t->flags;
    if (!k->word[k->n] || !k->stem[k->n]) {
        free(k->word[k->n]);
        free(k->stem[k->n]);
        k->nomem = 1;
        return 1;
    }
    k->n++;
    return 0;
}

static void toks_free(toks_t *k)
{
    for (size_t i = 0; i < k->n; i++) {
        free(k->word[i]);
        free(k->stem[i]);
    }
    free(k->word);
    free(k->stem);
    free(k->pos);
    free(k->flags);
}

/* Analyze the LEN bytes at S into K. */
static int analyze(parser_t *ps, const char *s, size_t len, toks_t *k)
{
    memset(k, 0, sizeof *k);
    bl_status_t rc = bl_analyze(ps->an, s, len, 1, collect, k, NULL);
    if (k->nomem || (rc != BL_OK && rc != BL_END)) {
        toks_free(k);
        nomem(ps);
        return 0;
    }
    return 1;
}

/* The node for the words of K (not variants) as a phrase of Z terms (one
 * word: a term); NULL if there are none. */
static qnode_t *phrase_of(parser_t *ps, const toks_t *k)
{
    qnode_t *ph = NULL, *last = NULL;
    size_t words = 0;
    uint32_t first = 0, lastpos = 0;
    for (size_t i = 0; i < k->n; i++) {
        if (k->flags[i] & BL_TOKEN_VARIANT)
            continue;
        qnode_t *t = term_node(ps, Q_TERM, BL_PREFIX_STEM, k->stem[i], strlen(k->stem[i]));
        if (!t) {
            node_free(ph);
            node_free(last);
            return NULL;
        }
        if (words == 0)
            first = k->pos[i];
        lastpos = k->pos[i];
        words++;
        if (words == 1) {
            last = t;
            continue;
        }
        if (!ph) {
            ph = node_new(ps, Q_PHRASE);
            if (!ph || !add_kid(ps, ph, last)) {
                node_free(t);
                node_free(ph);
                return NULL;
            }
            last = NULL;
        }
        if (!add_kid(ps, ph, t)) {
            node_free(ph);
            return NULL;
        }
    }
    if (!ph)
        return last;
    /* Stopwords left out keep their positions: the window spans them. */
    ph->window = lastpos - first + 1;
    return ph;
}

/* N AND a term of KIND for each word of K (its stem if STEM, else its
 * folded word) under PREFIX, in any order; QUIET terms are not
 * highlighted. */
static qnode_t *and_words(parser_t *ps, qnode_t *n, const toks_t *k,
                          qkind_t kind, const char *prefix, int stem,
                          int quiet)
{
    for (size_t i = 0; i < k->n; i++) {
        if (k->flags[i] & BL_TOKEN_VARIANT)
            continue;
        const char *w = stem ? k->stem[i] : k->word[i];
        qnode_t *t = term_node(ps, kind, prefix, w, strlen(w));
        if (t)
            t->quiet = quiet;
        n = t ? combine(ps, Q_AND, n, t) : n;
    }
    return n;
}

/* Non-zero if NEEDLE occurs in the LEN bytes at S.  Cannot fail. */
static int strstr_n(const char *s, size_t len, const char *needle)
{
    size_t nl = strlen(needle);
    for (size_t i = 0; i + nl <= len; i++) {
        if (memcmp(s + i, needle, nl) == 0)
            return 1;
    }
    return 0;
}

/* A plain word (or a field's word) at AT: its node, or NULL when it has
 * nothing to search for (punctuation; a stopword). */
static qnode_t *word_node(parser_t *ps, field_t f, const char *s, size_t len,
                          size_t at)
{
    toks_t k;
    qnode_t *n = NULL;
    int wild = len > 1 && s[len - 1] == '*';
    if (wild)
        len--;
    if (!analyze(ps, s, len, &k))
        return NULL;
    if (wild) {
        size_t words = 0, w = 0;
        for (size_t i = 0; i < k.n; i++) {
            if (!(k.flags[i] & BL_TOKEN_VARIANT)) {
                words++;
                w = i;
            }
        }
        if (words != 1) {
            toks_free(&k);
            return syntax(ps, at, "a wildcard needs one word before the *");
        }
        /* Stems are stored; the common start of the word and its stem is
         * what every word beginning so looks like ("happy*": "happ"). */
        size_t c = 0;
        while (k.word[w][c] && k.word[w][c] == k.stem[w][c])
            c++;
        if (c == 0)
            c = strlen(k.word[w]);
        n = term_node(ps, Q_WILD, f == F_TITLE ? BL_PREFIX_TITLE : BL_PREFIX_STEM, k.word[w], c);
        toks_free(&k);
        return n;
    }
    if (f == F_TITLE) {
        /* Title terms carry no positions: every word, in any order. */
        n = and_words(ps, NULL, &k, Q_TERM, BL_PREFIX_TITLE, 1, 0);
        toks_free(&k);
        return n;
    }
    n = phrase_of(ps, &k);
    if (n && n->kind == Q_TERM) {
        n->src_at = (size_t)(s - ps->text);
        n->src_len = len;
        for (size_t i = 0; i < k.n; i++) {
            if (!(k.flags[i] & BL_TOKEN_VARIANT))
                n->stop = bl_analyzer_is_stopword(ps->an, k.word[i]);
        }
    }
    /* A hyphenated compound ("Computer-aided", "U.S.-USSR") or words
     * joined by a slash ("Embargoes/Sanctions"; not a URL) are their
     * parts, each a word of the query as if typed apart.  Searched as a phrase, or with its joined
     * form beside it, the compound weighed two or three times its
     * neighbours (AP sample topic 94, "Computer-aided Crime": MAP 0.03 ->
     * 1.0).  A quoted "right-wing" is still a phrase; other words of
     * several parts ("10:30") are phrases. */
    int compound = (memchr(s, '-', len) || memchr(s, '/', len)) &&
                   !strstr_n(s, len, "://");
    for (size_t i = 0; i < k.n; i++)
        compound |= (k.flags[i] & BL_TOKEN_VARIANT) != 0;
    if (n && n->kind == Q_PHRASE && compound) {
        n->kind = ps->match_all ? Q_AND : Q_OR;
        n->window = 0;
    }
    toks_free(&k);
    return n;
}

/* A quoted phrase: the node, or NULL when it holds no words. */
static qnode_t *phrase_node(parser_t *ps, field_t f, const char *s,
                            size_t len)
{
    toks_t k;
    if (!analyze(ps, s, len, &k))
        return NULL;
    qnode_t *n = phrase_of(ps, &k);
    if (n && f == F_TITLE) {
        /* Positions are kept for the whole text; the title terms say the
         * words are in the title (the phrase is what is highlighted). */
        n = and_words(ps, n, &k, Q_TERM, BL_PREFIX_TITLE, 1, n->kind == Q_PHRASE);
    }
    toks_free(&k);
    return n;
}

/* Parse a date YYYY, YYYY-MM or YYYY-MM-DD (LEN bytes at S) into the first
 * (*LO) and last (*HI) day it covers as YYYYMMDD; *PARTS: 1, 2 or 3.
 * Returns 0 if it is none of these. */
static int parse_date(const char *s, size_t len, unsigned long *lo,
                      unsigned long *hi, int *parts)
{
    unsigned y = 0, m = 0, d = 0;
    if (len == 4 && sscanf(s, "%4u", &y) == 1 &&
        strspn(s, "0123456789") >= 4) {
        *lo = y * 10000ul + 101;
        *hi = y * 10000ul + 1231;
        *parts = 1;
    } else if (len == 7 && s[4] == '-' &&
               sscanf(s, "%4u-%2u", &y, &m) == 2 && m >= 1 && m <= 12) {
        *lo = y * 10000ul + m * 100 + 1;
        *hi = y * 10000ul + m * 100 + 31;
        *parts = 2;
    } else if (len == 10 && s[4] == '-' && s[7] == '-' &&
               sscanf(s, "%4u-%2u-%2u", &y, &m, &d) == 3 && m >= 1 &&
               m <= 12 && d >= 1 && d <= 31) {
        *lo = *hi = y * 10000ul + m * 100 + d;
        *parts = 3;
    } else {
        return 0;
    }
    return y >= 1000;
}

/* A date or year value (LEN bytes at S, at AT): a term for one day, month
 * or year; a range for A..B, ..B or A.. */
static qnode_t *date_node(parser_t *ps, field_t f, const char *s, size_t len,
                          size_t at)
{
    const char *dots = NULL;
    unsigned long lo = 0, hi = 0, l2 = 0, h2 = 0;
    int parts = 0, p2 = 0;
    const char *bad = f == F_YEAR ? "a year is YYYY, or a range YYYY..YYYY"
                                  : "a date is YYYY, YYYY-MM or YYYY-MM-DD, "
                                    "or a range A..B, A.. or ..B";
    for (size_t i = 0; i + 1 < len && !dots; i++) {
        if (s[i] == '.' && s[i + 1] == '.')
            dots = s + i;
    }
    if (!dots) {
        char term[40];
        if (!parse_date(s, len, &lo, &hi, &parts) ||
            (f == F_YEAR && parts != 1))
            return syntax(ps, at, bad);
        if (parts == 1)
            snprintf(term, sizeof term, "Y%04lu", lo / 10000);
        else if (parts == 2)
            snprintf(term, sizeof term, "M%06lu", lo / 100);
        else
            snprintf(term, sizeof term, "D%08lu", lo);
        return term_node(ps, Q_BOOL, "", term, strlen(term));
    }
    size_t a = (size_t)(dots - s), b = len - a - 2;
    if ((a == 0 && b == 0) ||
        (a > 0 && (!parse_date(s, a, &lo, &hi, &parts) ||
                   (f == F_YEAR && parts != 1))) ||
        (b > 0 && (!parse_date(dots + 2, b, &l2, &h2, &p2) ||
                   (f == F_YEAR && p2 != 1))))
        return syntax(ps, at, bad);
    qnode_t *n = node_new(ps, Q_RANGE);
    if (!n)
        return NULL;
    n->lo = a ? lo : 0;
    n->hi = b ? h2 : 99999999ul;
    if (n->lo > n->hi) {
        node_free(n);
        return syntax(ps, at, "the range ends before it starts");
    }
    return n;
}

/* A boolean field value (author, source, category), LEN bytes at S. */
static qnode_t *bool_node(parser_t *ps, field_t f, const char *s, size_t len)
{
    qnode_t *n = NULL;
    if (f == F_AUTHOR) {
        /* Each word of the name (XA<word>), in any order. */
        toks_t k;
        if (!analyze(ps, s, len, &k))
            return NULL;
        n = and_words(ps, NULL, &k, Q_BOOL, BL_PREFIX_AUTHOR_WORD, 0, 0);
        toks_free(&k);
        return n;
    }
    /* The whole value, folded as the indexer stores it. */
    while (len && is_space(*s)) {
        s++;
        len--;
    }
    while (len && is_space(s[len - 1]))
        len--;
    if (!len)
        return NULL;
    const char *prefix = f == F_SOURCE ? BL_PREFIX_SOURCE
                                       : BL_PREFIX_CATEGORY;
    char folded[BL_MAX_TERM + 1];
    size_t fl = bl_fold_value(s, len, folded,
                              sizeof folded - strlen(prefix));
    return term_node(ps, Q_BOOL, prefix, folded, fl);
}

/* ---- Parser -------------------------------------------------------------- */

static qnode_t *parse_items(parser_t *ps, int in_parens);

/* atom := '(' query ')' | FIELD ':' value | '"' words '"' | word.  Sets
 * *FILTER to the field when the atom is a filter.  NULL with no error: an
 * atom with nothing to search for. */
static qnode_t *parse_atom(parser_t *ps, field_t *filter)
{
    qnode_t *n = NULL;
    size_t at = ps->tpos;
    *filter = F_NONE;
    switch (ps->tok) {
    case T_LPAREN:
        if (++ps->depth > MAX_DEPTH)
            return syntax(ps, at, "parentheses nested too deep");
        next(ps);
        n = parse_items(ps, 1);
        if (ps->rc != BL_OK)
            return n;
        if (ps->tok != T_RPAREN) {
            node_free(n);
            return syntax(ps, at, "a parenthesis is not closed");
        }
        ps->depth--;
        next(ps);
        if (!n)
            return syntax(ps, at, "nothing to search for in ( )");
        return n;
    case T_QUOTED:
        n = phrase_node(ps, F_NONE, ps->text + ps->tstart, ps->tlen);
        next(ps);
        return n;
    case T_WORD:
        n = word_node(ps, F_NONE, ps->text + ps->tstart, ps->tlen, at);
        next(ps);
        return n;
    case T_FIELD: {
        field_t f = ps->field;
        const char *v = ps->text + ps->p;
        size_t vlen = 0;
        if (ps->p < ps->len && ps->text[ps->p] == '"') {
            next(ps);
            if (ps->tok != T_QUOTED)
                return NULL; /* An unclosed quote, reported. */
            v = ps->text + ps->tstart;
            vlen = ps->tlen;
        } else {
            while (ps->p + vlen < ps->len && !is_space(v[vlen]) &&
                   v[vlen] != '(' && v[vlen] != ')' && v[vlen] != '"')
                vlen++;
            if (vlen == 0)
                return syntax(ps, at, "a field name needs a value after "
                                      "the colon: title:word or "
                                      "title:\"a phrase\"");
            ps->p += vlen;
        }
        next(ps);
        if (f == F_TITLE)
            return v[-1] == '"' ? phrase_node(ps, f, v, vlen)
                                : word_node(ps, f, v, vlen, at);
        *filter = f;
        if (f == F_DATE || f == F_YEAR)
            return date_node(ps, f, v, vlen, at);
        n = bool_node(ps, f, v, vlen);
        if (!n && ps->rc == BL_OK)
            return syntax(ps, at, "the field's value has no words");
        return n;
    }
    case T_END:
        return syntax(ps, at, "the query ends where a word was expected");
    case T_RPAREN:
        return syntax(ps, at, "a ')' without a '('");
    case T_PLUS:
    case T_MINUS:
        return syntax(ps, at, "'+' and '-' go before a word, once");
    default:
        return syntax(ps, at, "an operator where a word was expected");
    }
}

/* near := atom ('NEAR' atom)* */
static qnode_t *parse_near(parser_t *ps, field_t *filter)
{
    qnode_t *n = parse_atom(ps, filter);
    while (ps->rc == BL_OK && ps->tok == T_NEAR) {
        size_t at = ps->tpos;
        unsigned window = ps->window;
        field_t f;
        next(ps);
        qnode_t *m = parse_atom(ps, &f);
        if (ps->rc != BL_OK) {
            node_free(n);
            node_free(m);
            return NULL;
        }
        if (!n || !m || (n->kind != Q_TERM && n->kind != Q_NEAR) ||
            m->kind != Q_TERM) {
            node_free(n);
            node_free(m);
            return syntax(ps, at, "NEAR joins single words");
        }
        if (n->kind == Q_TERM) {
            qnode_t *near = node_new(ps, Q_NEAR);
            if (!near || !add_kid(ps, near, n)) {
                node_free(m);
                node_free(near);
                return NULL;
            }
            n = near;
        }
        *filter = F_NONE;
        n->window = window;
        if (!add_kid(ps, n, m))
            return n;
    }
    return n;
}

/* A binary level: SUB (OP SUB)*, combined as KIND. */
static qnode_t *parse_binary(parser_t *ps, field_t *filter, tok_t op,
                             qkind_t kind,
                             qnode_t *(*sub)(parser_t *, field_t *))
{
    qnode_t *n = sub(ps, filter);
    while (ps->rc == BL_OK && ps->tok == op) {
        size_t at = ps->tpos;
        field_t f;
        next(ps);
        qnode_t *m = sub(ps, &f);
        if (ps->rc != BL_OK) {
            node_free(n);
            node_free(m);
            return NULL;
        }
        if (!n || !m) {
            node_free(n);
            node_free(m);
            return syntax(ps, at, "an operator needs words on both sides");
        }
        if (f != *filter)
            *filter = F_NONE; /* Mixed: not a plain filter any more. */
        if (kind == Q_ANDNOT && n->kind == Q_ANDNOT) {
            add_kid(ps, n, m);
            continue;
        }
        n = combine(ps, kind, n, m);
    }
    return n;
}

static qnode_t *parse_not(parser_t *ps, field_t *filter)
{
    qnode_t *n = parse_binary(ps, filter, T_NOT, Q_ANDNOT, parse_near);
    if (n && n->kind == Q_ANDNOT)
        *filter = F_NONE;
    return n;
}

static qnode_t *parse_and(parser_t *ps, field_t *filter)
{
    qnode_t *n = parse_binary(ps, filter, T_AND, Q_AND, parse_not);
    if (n && n->kind == Q_AND && *filter == F_NONE)
        return n;
    return n;
}

static qnode_t *parse_or(parser_t *ps, field_t *filter)
{
    return parse_binary(ps, filter, T_OR, Q_OR, parse_and);
}

/* Add N to the list *L joined by KIND (Q_OR or Q_AND); a word already
 * there counts once more (its wqf) instead of being added again. */
static void add_item(parser_t *ps, qnode_t **l, qkind_t kind, qnode_t *n)
{
    if (n->kind == Q_TERM && *l) {
        qnode_t *same = NULL;
        if ((*l)->kind == Q_TERM && strcmp((*l)->term, n->term) == 0)
            same = *l;
        for (size_t i = 0; !same && (*l)->kind == kind && i < (*l)->nkids;
             i++) {
            qnode_t *k = (*l)->kids[i];
            if (k->kind == Q_TERM && strcmp(k->term, n->term) == 0)
                same = k;
        }
        if (same) {
            same->wqf++;
            node_free(n);
            return;
        }
    }
    *l = combine(ps, kind, *l, n);
}

/* The items of a query (up to the end, or a ')' when IN_PARENS), joined by
 * the default operator: +required, -excluded, filters. */
static qnode_t *parse_items(parser_t *ps, int in_parens)
{
    qnode_t *req = NULL, *opt = NULL, *excl = NULL, *stops = NULL;
    qnode_t *filters[F_YEAR + 1] = {NULL};
    int any = 0, only_excluded = 1;
    size_t first = ps->tpos;
    while (ps->rc == BL_OK && ps->tok != T_END &&
           !(in_parens && ps->tok == T_RPAREN)) {
        tok_t sign = ps->tok;
        field_t f = F_NONE;
        if (sign == T_PLUS || sign == T_MINUS)
            next(ps);
        if (ps->tok == T_AND || ps->tok == T_OR || ps->tok == T_NOT ||
            ps->tok == T_NEAR) {
            syntax(ps, ps->tpos, "an operator needs a word before it");
            break;
        }
        qnode_t *n = parse_or(ps, &f);
        if (ps->rc != BL_OK) {
            node_free(n);
            break;
        }
        if (!n)
            continue; /* Nothing to search for (a stopword, "-"). */
        any = 1;
        if (sign == T_MINUS) {
            excl = combine(ps, Q_OR, excl, n);
            continue;
        }
        only_excluded = 0;
        if (f != F_NONE)
            filters[f] = combine(ps, Q_OR, filters[f], n);
        else if (n->stop && ps->stop && sign != T_PLUS)
            add_item(ps, &stops, ps->match_all ? Q_AND : Q_OR, n);
        else if (sign == T_PLUS || ps->match_all)
            add_item(ps, &req, Q_AND, n);
        else
            add_item(ps, &opt, Q_OR, n);
    }
    qnode_t *filter = NULL;
    for (int f = 0; f <= F_YEAR; f++)
        filter = combine(ps, Q_AND, filter, filters[f]);
    /* Stopwords count only in a query of nothing else ("the who"). */
    if (req || opt)
        node_free(stops);
    else if (ps->match_all)
        req = stops;
    else
        opt = stops;
    if (ps->rc != BL_OK) {
        node_free(req);
        node_free(opt);
        node_free(excl);
        node_free(filter);
        return NULL;
    }
    if (any && only_excluded) {
        node_free(excl);
        return syntax(ps, first, "a query of excluded words only finds "
                                 "nothing: say what to look for");
    }
    qnode_t *n = req ? req : opt;
    if (req && opt)
        n = combine(ps, Q_MAYBE, req, opt);
    if (filter) {
        if (!n) {
            n = node_new(ps, Q_ALL);
            if (!n) {
                node_free(filter);
                node_free(excl);
                return NULL;
            }
        }
        n = combine(ps, Q_FILTER, n, filter);
    }
    if (n && excl)
        n = combine(ps, Q_ANDNOT, n, excl);
    return n;
}

bl_status_t bl_query_parse(bl_analyzer_t *an, const char *text,
                           unsigned flags, bl_query_t **out,
                           size_t *error_at)
{
    parser_t ps;
    memset(&ps, 0, sizeof ps);
    *out = NULL;
    if (error_at)
        *error_at = 0;
    if (!an || !text)
        return bl_fail(BL_EARG, "no analyzer or no query");
    ps.an = an;
    ps.text = text;
    ps.len = strlen(text);
    ps.match_all = (flags & BL_QUERY_ALL) != 0;
    ps.stop = (flags & BL_QUERY_STOP) != 0;
    next(&ps);
    qnode_t *root = ps.rc == BL_OK ? parse_items(&ps, 0) : NULL;
    if (ps.rc == BL_OK && ps.tok == T_RPAREN)
        syntax(&ps, ps.tpos, "a ')' without a '('");
    if (ps.rc == BL_OK && !root)
        ps.rc = bl_fail(BL_ESYNTAX, "the query has no words to search for");
    if (ps.rc != BL_OK) {
        node_free(root);
        if (error_at)
            *error_at = ps.error_at;
        return ps.rc;
    }
    bl_query_t *q = calloc(1, sizeof *q);
    if (!q) {
        node_free(root);
        return bl_fail(BL_ENOMEM, "out of memory");
    }
    q->root = root;
    *out = q;
    return BL_OK;
}

bl_status_t bl_query_parse_plain(bl_analyzer_t *an, const char *text,
                                 unsigned flags, bl_query_t **out)
{
    parser_t ps;
    toks_t k;
    qnode_t *root = NULL, *stops = NULL;
    int match_all = (flags & BL_QUERY_ALL) != 0;
    memset(&ps, 0, sizeof ps);
    *out = NULL;
    if (!an || !text)
        return bl_fail(BL_EARG, "no analyzer or no query");
    ps.an = an;
    ps.text = text;
    ps.len = strlen(text);
    if (!analyze(&ps, text, ps.len, &k))
        return ps.rc;
    for (size_t i = 0; ps.rc == BL_OK && i < k.n; i++) {
        if (k.flags[i] & BL_TOKEN_VARIANT)
            continue;
        qnode_t *t = term_node(&ps, Q_TERM, BL_PREFIX_STEM, k.stem[i],
                               strlen(k.stem[i]));
        int stop = (flags & BL_QUERY_STOP) &&
                   bl_analyzer_is_stopword(an, k.word[i]);
        if (t)
            add_item(&ps, stop ? &stops : &root, match_all ? Q_AND : Q_OR,
                     t);
    }
    toks_free(&k);
    if (root)
        node_free(stops);
    else
        root = stops;
    if (ps.rc == BL_OK && !root)
        ps.rc = bl_fail(BL_ESYNTAX, "the query has no words to search for");
    bl_query_t *q = ps.rc == BL_OK ? calloc(1, sizeof *q) : NULL;
    if (ps.rc == BL_OK && !q)
        ps.rc = bl_fail(BL_ENOMEM, "out of memory");
    if (ps.rc != BL_OK) {
        node_free(root);
        return ps.rc;
    }
    q->root = root;
    *out = q;
    return BL_OK;
}

int bl_query_is_plain(const bl_query_t *q)
{
    const qnode_t *n = q ? q->root : NULL;
    if (!n)
        return 0;
    if (n->kind == Q_TERM)
        return 1;
    if (n->kind != Q_OR)
        return 0;
    for (size_t i = 0; i < n->nkids; i++) {
        if (n->kids[i]->kind != Q_TERM)
            return 0;
    }
    return 1;
}

void bl_query_free(bl_query_t *q)
{
    if (!q)
        return;
    node_free(q->root);
    free(q);
}

/* ---- Description ----------------------------------------------------------- */

static void describe(const qnode_t *n, bl_buf_t *b)
{
    static const char *const ops[] = {
        [Q_PHRASE] = "PHRASE", [Q_NEAR] = "NEAR", [Q_AND] = "AND",
        [Q_OR] = "OR", [Q_ANDNOT] = "AND_NOT", [Q_MAYBE] = "AND_MAYBE",
        [Q_FILTER] = "FILTER", [Q_SYNONYM] = "SYNONYM"};
    char tmp[48];
    switch (n->kind) {
    case Q_TERM:
        bl_buf_puts(b, n->term);
        if (n->wqf > 1) {
            snprintf(tmp, sizeof tmp, "#%u", n->wqf);
            bl_buf_puts(b, tmp);
        }
        return;
    case Q_BOOL:
        bl_buf_puts(b, "=");
        bl_buf_puts(b, n->term);
        return;
    case Q_WILD:
        bl_buf_puts(b, n->term);
        bl_buf_puts(b, "*");
        return;
    case Q_RANGE:
        snprintf(tmp, sizeof tmp, "DATE(%lu..%lu)", n->lo, n->hi);
        bl_buf_puts(b, tmp);
        return;
    case Q_ALL:
        bl_buf_puts(b, "ALL");
        return;
    default:
        break;
    }
    bl_buf_puts(b, "(");
    for (size_t i = 0; i < n->nkids; i++) {
        if (i) {
            bl_buf_puts(b, " ");
            bl_buf_puts(b, ops[n->kind]);
            if (n->kind == Q_NEAR || n->kind == Q_PHRASE) {
                snprintf(tmp, sizeof tmp, "/%u", n->window);
                bl_buf_puts(b, tmp);
            }
            bl_buf_puts(b, " ");
        }
        describe(n->kids[i], b);
    }
    bl_buf_puts(b, ")");
}

char *bl_query_describe(const bl_query_t *q)
{
    bl_buf_t b = BL_BUF_INIT;
    describe(q->root, &b);
    if (bl_buf_puts(&b, "") != BL_OK) {
        bl_buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* ---- Compilation ------------------------------------------------------------ */

typedef struct compiler {
    xc_db_t *db;
    unsigned limit;
    bl_qterm_t *t;
    size_t n, cap;
    unsigned phrases;        /* Phrases numbered so far. */
    unsigned phrase, pos;    /* The phrase being compiled (0: none). */
    bl_status_t rc;
} compiler_t;

/* Remember the stem of TERM (without its prefix) for highlighting, as a
 * word of the current phrase if any. */
static void add_stem(compiler_t *c, const char *term)
{
    const char *s = term;
    while (*s >= 'A' && *s <= 'Z')
        s++;
    for (size_t i = 0; i < c->n; i++) {
        if (strcmp(c->t[i].stem, s) == 0 && c->t[i].phrase == c->phrase &&
            c->t[i].phrase_pos == c->pos)
            return;
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8;
        bl_qterm_t *nt = realloc(c->t, cap * sizeof *nt);
        if (!nt) {
            c->rc = bl_fail(BL_ENOMEM, "out of memory");
            return;
        }
        c->t = nt;
        c->cap = cap;
    }
    char *copy = strdup(s);
    if (!copy) {
        c->rc = bl_fail(BL_ENOMEM, "out of memory");
        return;
    }
    c->t[c->n].stem = copy;
    c->t[c->n].weight = 0;
    c->t[c->n].phrase = c->phrase;
    c->t[c->n].phrase_pos = c->pos;
    c->n++;
}

void bl_qterms_free(bl_qterm_t *terms, size_t n)
{
    for (size_t i = 0; terms && i < n; i++)
        free((char *)terms[i].stem);
    free(terms);
}

typedef struct expansion {
    char *term;
    xc_doccount_t freq;
} expansion_t;

static int by_freq(const void *a, const void *b)
{
    const expansion_t *x = a, *y = b;
    return x->freq < y->freq ? 1 : x->freq > y->freq ? -1
                                                     : strcmp(x->term, y->term);
}

/* A wildcard: the most frequent LIMIT terms starting with PREFIX, as
 * one OR (known terms, so that highlighting marks exactly them). */
static xc_query_t *compile_wild(compiler_t *c, const char *prefix, int positive)
{
    xc_termit_t *it = NULL;
    expansion_t *ex = NULL;
    size_t n = 0, cap = 0;
    xc_query_t *q = NULL;
    size_t pl = strlen(prefix);
    c->rc = bl_from_xc(xc_db_allterms(c->db, prefix, &it), "wildcard");
    xc_status_t xr = XC_OK;
    while (c->rc == BL_OK && (xr = xc_termit_next(it)) == XC_OK) {
        size_t len = 0;
        const char *t = xc_termit_term(it, &len);
        /* "Z" + prefix must not run into a longer prefix ("ZS..."). */
        if (pl == 1 && len > 1 && t[1] >= 'A' && t[1] <= 'Z')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            expansion_t *ne = realloc(ex, cap * sizeof *ne);
            if (!ne) {
                c->rc = bl_fail(BL_ENOMEM, "out of memory");
                break;
            }
            ex = ne;
        }
        ex[n].term = strndup(t, len);
        ex[n].freq = xc_termit_termfreq(it);
        if (!ex[n].term) {
            c->rc = bl_fail(BL_ENOMEM, "out of memory");
            break;
        }
        n++;
    }
    if (c->rc == BL_OK && xr != XC_END)
        c->rc = bl_from_xc(xr, "wildcard");
    xc_termit_free(it);
    size_t total = n;
    if (n > 1)
        qsort(ex, n, sizeof *ex, by_freq);
    if (n > c->limit)
        n = c->limit;
    xc_query_t **subs = calloc(n ? n : 1, sizeof *subs);
    if (!subs && c->rc == BL_OK)
        c->rc = bl_fail(BL_ENOMEM, "out of memory");
    for (size_t i = 0; c->rc == BL_OK && i < n; i++) {
        c->rc = bl_from_xc(xc_query_term(ex[i].term, 1, 0, &subs[i]),
                           "query");
        if (positive)
            add_stem(c, ex[i].term);
    }
    /* One synonym: the expansion weighs as one term, however many. */
    if (c->rc == BL_OK)
        c->rc = n ? bl_from_xc(xc_query_combine(XC_QUERY_SYNONYM,
                                                (const xc_query_t *const *)
                                                    subs,
                                                n, 0, &q),
                               "query")
                  : bl_from_xc(xc_query_match_nothing(&q), "query");
    for (size_t i = 0; subs && i < n; i++)
        xc_query_free(subs[i]);
    free(subs);
    for (size_t i = 0; i < total; i++)
        free(ex[i].term);
    free(ex);
    return q;
}

static xc_query_t *compile(compiler_t *c, const qnode_t *n, int positive)
{
    xc_query_t *q = NULL;
    char ser[18];
    if (c->rc != BL_OK)
        return NULL;
    switch (n->kind) {
    case Q_TERM:
        c->rc = bl_from_xc(xc_query_term(n->term, n->wqf, 0, &q), "query");
        if (positive && !n->quiet)
            add_stem(c, n->term);
        return q;
    case Q_BOOL: {
        xc_query_t *t = NULL;
        c->rc = bl_from_xc(xc_query_term(n->term, 1, 0, &t), "query");
        if (c->rc == BL_OK)
            c->rc = bl_from_xc(xc_query_scale_weight(t, 0, &q), "query");
        xc_query_free(t);
        return q;
    }
    case Q_WILD:
        return compile_wild(c, n->term, positive);
    case Q_RANGE: {
        char ser2[18];
        size_t l1 = n->lo ? xc_sortable_serialise((double)n->lo, ser) : 0;
        size_t l2 = n->hi < 99999999ul
                        ? xc_sortable_serialise((double)n->hi, ser2)
                        : 0;
        c->rc = bl_from_xc(xc_query_value_range(BL_SLOT_DATE,
                                                l1 ? ser : NULL, l1,
                                                l2 ? ser2 : NULL, l2, &q),
                           "query");
        return q;
    }
    case Q_ALL:
        c->rc = bl_from_xc(xc_query_match_all(&q), "query");
        return q;
    default:
        break;
    }
    static const xc_query_op_t ops[] = {
        [Q_PHRASE] = XC_QUERY_PHRASE, [Q_NEAR] = XC_QUERY_NEAR,
        [Q_AND] = XC_QUERY_AND,       [Q_OR] = XC_QUERY_OR,
        [Q_ANDNOT] = XC_QUERY_AND_NOT, [Q_MAYBE] = XC_QUERY_AND_MAYBE,
        [Q_FILTER] = XC_QUERY_FILTER, [Q_SYNONYM] = XC_QUERY_SYNONYM};
    xc_query_t **subs = calloc(n->nkids, sizeof *subs);
    if (!subs) {
        c->rc = bl_fail(BL_ENOMEM, "out of memory");
        return NULL;
    }
    unsigned phrase = c->phrase, at = c->pos;
    if (n->kind == Q_PHRASE && positive)
        c->phrase = ++c->phrases;
    for (size_t i = 0; c->rc == BL_OK && i < n->nkids; i++) {
        int pos = positive;
        if ((n->kind == Q_ANDNOT || n->kind == Q_FILTER) && i > 0)
            pos = 0;
        if (n->kind == Q_PHRASE)
            c->pos = (unsigned)i;
        subs[i] = compile(c, n->kids[i], pos);
    }
    c->phrase = phrase;
    c->pos = at;
    if (c->rc == BL_OK)
        c->rc = bl_from_xc(xc_query_combine(ops[n->kind],
                                            (const xc_query_t *const *)subs,
                                            n->nkids, n->window, &q),
                           "query");
    for (size_t i = 0; i < n->nkids; i++)
        xc_query_free(subs[i]);
    free(subs);
    return q;
}

bl_status_t bl_query_compile(const bl_query_t *q, xc_db_t *db,
                             unsigned limit, xc_query_t **out,
                             bl_qterm_t **terms, size_t *n)
{
    compiler_t c;
    memset(&c, 0, sizeof c);
    c.db = db;
    c.limit = limit ? limit : 1;
    xc_query_t *x = compile(&c, q->root, 1);
    *out = NULL;
    *terms = NULL;
    *n = 0;
    if (c.rc != BL_OK) {
        xc_query_free(x);
        bl_qterms_free(c.t, c.n);
        return c.rc;
    }
    *out = x;
    *terms = c.t;
    *n = c.n;
    return BL_OK;
}

typedef struct words {
    qword_t *w;
    size_t n, cap;
    int nomem;
} words_t;

static void collect_words(const qnode_t *n, words_t *w)
{
    if (n->kind == Q_TERM && n->src_len) {
        if (w->n == w->cap) {
            size_t cap = w->cap ? w->cap * 2 : 8;
            qword_t *nw = realloc(w->w, cap * sizeof *nw);
            if (!nw) {
                w->nomem = 1;
                return;
            }
            w->w = nw;
            w->cap = cap;
        }
        w->w[w->n].term = n->term;
        w->w[w->n].at = n->src_at;
        w->w[w->n].len = n->src_len;
        w->n++;
    }
    for (size_t i = 0; i < n->nkids; i++) {
        if ((n->kind == Q_ANDNOT || n->kind == Q_FILTER) && i > 0)
            break;
        collect_words(n->kids[i], w);
    }
}

bl_status_t bl_query_words(const bl_query_t *q, qword_t **out, size_t *n)
{
    words_t w = {NULL, 0, 0, 0};
    collect_words(q->root, &w);
    if (w.nomem) {
        free(w.w);
        return bl_fail(BL_ENOMEM, "out of memory");
    }
    *out = w.w;
    *n = w.n;
    return BL_OK;
}
