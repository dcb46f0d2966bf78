/*
 * The query language's parser: recursive descent over the lexer's tokens
 * (query_lex.c) into a tree of qnode_t, its words analyzed with the
 * index's own analyzer; query_compile.c makes a Xapian query of it.
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
#include "search/query_internal.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "byline/schema.h"
#include "util/buf.h"
#include "schema/xc_map.h"
#include "util/fail.h"

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
            return qsyntax(ps, at, "parentheses nested too deep");
        qlex_next(ps);
        n = parse_items(ps, 1);
        if (ps->rc != BL_OK)
            return n;
        if (ps->tok != T_RPAREN) {
            qn_node_free(n);
            return qsyntax(ps, at, "a parenthesis is not closed");
        }
        ps->depth--;
        qlex_next(ps);
        if (!n)
            return qsyntax(ps, at, "nothing to search for in ( )");
        return n;
    case T_QUOTED:
        n = qn_phrase_node(ps, F_NONE, ps->tval, ps->tlen);
        qlex_next(ps);
        return n;
    case T_WORD:
        n = qn_word_node(ps, F_NONE, ps->text + ps->tstart, ps->tlen, at);
        qlex_next(ps);
        return n;
    case T_FIELD: {
        field_t f = ps->field;
        /* Without quotes (BL_QUERY_NOQUOTES), title:"a b" is title:a b. */
        while (ps->noquotes && ps->p < ps->len && ps->text[ps->p] == '"')
            ps->p++;
        const char *v = ps->text + ps->p;
        size_t vlen = 0;
        int quoted = ps->p < ps->len && ps->text[ps->p] == '"';
        if (quoted) {
            qlex_next(ps);
            if (ps->tok != T_QUOTED)
                return NULL; /* An unclosed quote, reported. */
            v = ps->tval;
            vlen = ps->tlen;
        } else {
            while (ps->p + vlen < ps->len && !is_space(v[vlen]) &&
                   v[vlen] != '(' && v[vlen] != ')' && v[vlen] != '"')
                vlen++;
            if (vlen == 0)
                return qsyntax(ps, at, "a field name needs a value after "
                                      "the colon: title:word or "
                                      "title:\"a phrase\"");
            ps->p += vlen;
        }
        qlex_next(ps);
        if (f == F_TITLE)
            return quoted ? qn_phrase_node(ps, f, v, vlen)
                                : qn_word_node(ps, f, v, vlen, at);
        *filter = f;
        if (f == F_DATE || f == F_YEAR)
            return qn_date_node(ps, f, v, vlen, at);
        n = qn_bool_node(ps, f, v, vlen);
        if (!n && ps->rc == BL_OK)
            return qsyntax(ps, at, "the field's value has no words");
        return n;
    }
    case T_END:
        return qsyntax(ps, at, "the query ends where a word was expected");
    case T_RPAREN:
        return qsyntax(ps, at, "a ')' without a '('");
    case T_PLUS:
    case T_MINUS:
        return qsyntax(ps, at, "'+' and '-' go before a word, once");
    default:
        return qsyntax(ps, at, "an operator where a word was expected");
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
        qlex_next(ps);
        qnode_t *m = parse_atom(ps, &f);
        if (ps->rc != BL_OK) {
            qn_node_free(n);
            qn_node_free(m);
            return NULL;
        }
        if (!n || !m || (n->kind != Q_TERM && n->kind != Q_NEAR) ||
            m->kind != Q_TERM) {
            qn_node_free(n);
            qn_node_free(m);
            return qsyntax(ps, at, "NEAR joins single words");
        }
        if (n->kind == Q_TERM) {
            n = qn_node_with(ps, Q_NEAR, n, m);
            if (!n)
                return NULL;
        }
        *filter = F_NONE;
        n->window = window;
        if (!qn_add_kid(ps, n, m))
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
        qlex_next(ps);
        qnode_t *m = sub(ps, &f);
        if (ps->rc != BL_OK) {
            qn_node_free(n);
            qn_node_free(m);
            return NULL;
        }
        if (!n || !m) {
            qn_node_free(n);
            qn_node_free(m);
            return qsyntax(ps, at, "an operator needs words on both sides");
        }
        if (f != *filter)
            *filter = F_NONE; /* Mixed: not a plain filter any more. */
        if (kind == Q_ANDNOT && n->kind == Q_ANDNOT) {
            qn_add_kid(ps, n, m);
            continue;
        }
        n = qn_combine(ps, kind, n, m);
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
            qn_node_free(n);
            return;
        }
    }
    *l = qn_combine(ps, kind, *l, n);
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
            qlex_next(ps);
        if (ps->tok == T_AND || ps->tok == T_OR || ps->tok == T_NOT ||
            ps->tok == T_NEAR) {
            qsyntax(ps, ps->tpos, "an operator needs a word before it");
            break;
        }
        qnode_t *n = parse_or(ps, &f);
        if (ps->rc != BL_OK) {
            qn_node_free(n);
            break;
        }
        if (!n)
            continue; /* Nothing to search for (a stopword, "-"). */
        any = 1;
        if (sign == T_MINUS) {
            excl = qn_combine(ps, Q_OR, excl, n);
            continue;
        }
        only_excluded = 0;
        if (f != F_NONE)
            filters[f] = qn_combine(ps, Q_OR, filters[f], n);
        else if (n->stop && ps->stop && sign != T_PLUS)
            add_item(ps, &stops, ps->match_all ? Q_AND : Q_OR, n);
        else if (sign == T_PLUS || ps->match_all)
            add_item(ps, &req, Q_AND, n);
        else
            add_item(ps, &opt, Q_OR, n);
    }
    qnode_t *filter = NULL;
    for (int f = 0; f <= F_YEAR; f++)
        filter = qn_combine(ps, Q_AND, filter, filters[f]);
    /* Stopwords count only in a query of nothing else ("the who"). */
    if (req || opt)
        qn_node_free(stops);
    else if (ps->match_all)
        req = stops;
    else
        opt = stops;
    if (ps->rc != BL_OK) {
        qn_node_free(req);
        qn_node_free(opt);
        qn_node_free(excl);
        qn_node_free(filter);
        return NULL;
    }
    if (any && only_excluded) {
        qn_node_free(excl);
        return qsyntax(ps, first, "a query of excluded words only finds "
                                 "nothing: say what to look for");
    }
    qnode_t *n = req ? req : opt;
    if (req && opt)
        n = qn_combine(ps, Q_MAYBE, req, opt);
    if (filter) {
        if (!n) {
            n = qn_node_new(ps, Q_ALL);
            if (!n) {
                qn_node_free(filter);
                qn_node_free(excl);
                return NULL;
            }
        }
        n = qn_combine(ps, Q_FILTER, n, filter);
    }
    if (n && excl)
        n = qn_combine(ps, Q_ANDNOT, n, excl);
    else
        qn_node_free(excl); /* N failed (out of memory). */
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
    ps.exact = (flags & BL_QUERY_EXACT) != 0;
    ps.noquotes = (flags & BL_QUERY_NOQUOTES) != 0;
    qlex_next(&ps);
    qnode_t *root = ps.rc == BL_OK ? parse_items(&ps, 0) : NULL;
    free(ps.ubuf); /* (Values are copied into the nodes.) */
    ps.ubuf = NULL;
    if (ps.rc == BL_OK && ps.tok == T_RPAREN)
        qsyntax(&ps, ps.tpos, "a ')' without a '('");
    if (ps.rc == BL_OK && !root)
        ps.rc = bl_fail(BL_ESYNTAX, "the query has no words to search for");
    if (ps.rc != BL_OK) {
        qn_node_free(root);
        if (error_at)
            *error_at = ps.error_at;
        return ps.rc;
    }
    bl_query_t *q = calloc(1, sizeof *q);
    if (!q) {
        qn_node_free(root);
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
    if (!qn_analyze(&ps, text, ps.len, &k))
        return ps.rc;
    for (size_t i = 0; ps.rc == BL_OK && i < k.n; i++) {
        if (k.flags[i] & BL_TOKEN_VARIANT)
            continue;
        qnode_t *t = qn_term_node(&ps, Q_TERM, BL_PREFIX_STEM, k.stem[i],
                               strlen(k.stem[i]));
        int stop = (flags & BL_QUERY_STOP) &&
                   bl_analyzer_is_stopword(an, k.word[i]);
        if (t)
            add_item(&ps, stop ? &stops : &root, match_all ? Q_AND : Q_OR,
                     t);
    }
    qn_toks_free(&k);
    if (root)
        qn_node_free(stops);
    else
        root = stops;
    if (ps.rc == BL_OK && !root)
        ps.rc = bl_fail(BL_ESYNTAX, "the query has no words to search for");
    bl_query_t *q = ps.rc == BL_OK ? calloc(1, sizeof *q) : NULL;
    if (ps.rc == BL_OK && !q)
        ps.rc = bl_fail(BL_ENOMEM, "out of memory");
    if (ps.rc != BL_OK) {
        qn_node_free(root);
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
    qn_node_free(q->root);
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
