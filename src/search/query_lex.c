/*
 * The query language's lexer: the query text into tokens (words, quoted
 * phrases, parentheses, operators, +/- and FIELD: prefixes).
 *
 * Copyright (C) 2026 The Byline authors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "search/query_internal.h"
#include "util/utf8.h"
#include "util/fail.h"

const char *const FIELD_NAMES[] = {NULL,     "title",    "author", "source",
                                   "category", "date", "year"};

/* Record a syntax error at byte AT (the first one wins); returns NULL. */
qnode_t *qsyntax(parser_t *ps, size_t at, const char *what)
{
    if (ps->rc == BL_OK) {
        ps->rc = bl_fail(BL_ESYNTAX, "column %zu: %s",
                         bl_utf8_chars(ps->text, at) + 1, what);
        ps->error_at = at;
    }
    return NULL;
}

/* ---- Lexer ------------------------------------------------------------- */

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
void qlex_next(parser_t *ps)
{
    const char *t = ps->text;
    /* BL_QUERY_NOQUOTES: a quote is read as a space (words end at one). */
    while (ps->p < ps->len &&
           (is_space(t[ps->p]) || (ps->noquotes && t[ps->p] == '"')))
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
        /* Inside quotes, \" is a quote and \\ a backslash. */
        size_t e = ps->p + 1, esc = 0;
        while (e < ps->len && t[e] != '"') {
            if (t[e] == '\\' && e + 1 < ps->len &&
                (t[e + 1] == '"' || t[e + 1] == '\\')) {
                esc++;
                e++;
            }
            e++;
        }
        if (e >= ps->len) {
            qsyntax(ps, ps->p, "a quote is not closed");
            ps->tok = T_END;
            return;
        }
        ps->tok = T_QUOTED;
        ps->tstart = ps->p + 1;
        ps->tlen = e - ps->tstart;
        ps->tval = t + ps->tstart;
        ps->p = e + 1;
        if (esc) {
            if (!ps->ubuf && !(ps->ubuf = malloc(ps->len + 1))) {
                ps->rc = bl_fail(BL_ENOMEM, "out of memory");
                ps->tok = T_END;
                return;
            }
            char *u = ps->ubuf + ps->uused;
            size_t n = 0;
            for (size_t i = ps->tstart; i < e; i++) {
                if (t[i] == '\\' && i + 1 < e &&
                    (t[i + 1] == '"' || t[i + 1] == '\\'))
                    i++;
                u[n++] = t[i];
            }
            u[n] = '\0';
            ps->uused += n + 1;
            ps->tval = u;
            ps->tlen = n;
        }
        return;
    }
    if ((c == '+' || c == '-' || c == '!') && ps->p + 1 < ps->len &&
        !is_space(t[ps->p + 1]) && t[ps->p + 1] != ')' &&
        t[ps->p + 1] != c && (c != '!' || t[ps->p + 1] != '=')) {
        ps->tok = c == '+' ? T_PLUS : T_MINUS; /* !word: as -word. */
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
    if (is_op(w, ps->tlen, "AND") || is_op(w, ps->tlen, "&&"))
        ps->tok = T_AND;
    else if (is_op(w, ps->tlen, "OR") || is_op(w, ps->tlen, "||"))
        ps->tok = T_OR;
    else if (is_op(w, ps->tlen, "NOT") || is_op(w, ps->tlen, "!"))
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
                qsyntax(ps, ps->p, "NEAR/N needs a number from 1 to 1000");
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
    if (ps->tok == T_AND) {
        /* "AND NOT" (or "&& !"), as Lucene and Xapian read it: NOT. */
        size_t n = e;
        while (n < ps->len && is_space(t[n]))
            n++;
        size_t m = n;
        while (m < ps->len && !is_space(t[m]) && t[m] != '(' &&
               t[m] != ')' && t[m] != '"')
            m++;
        if (is_op(t + n, m - n, "NOT") || is_op(t + n, m - n, "!")) {
            ps->tok = T_NOT;
            ps->p = m;
        } else if (m - n > 1 && t[n] == '!' && t[n + 1] != '!' &&
                   t[n + 1] != '=') {
            ps->tok = T_NOT; /* "&& !japan": the word is read next. */
            ps->p = n + 1;
        }
    }
}
